"""Progress of a long run on standard error: sentences tokenised, then DP rows done, with
the time left, drawn as a bar when standard error is a terminal.

Off unless the command line turns it on (`enable`): not with -q, not when standard error
is a file or a pipe, never in a library call. A forked worker never draws (its parent
owns the terminal). The bar is click's progressbar: click is already the command line's
library, so no dependency is added for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Advance = Callable[[int], None]

_on = False
_owner = 0


def enable(on: bool) -> None:
    """Draw progress bars in this process (the command line: not -q, standard error a terminal)."""
    global _on, _owner
    _on, _owner = on, os.getpid()


def shown() -> bool:
    return _on and os.getpid() == _owner


def _nothing(n: int) -> None:
    pass


@contextmanager
def bar(label: str, total: int) -> Iterator[Advance]:
    """A function that advances the bar by n steps of `total`; it does nothing when bars are off.
    The bar is full when the `with` block ends without an exception."""
    if not shown() or total <= 0:
        yield _nothing
        return
    import click

    with click.progressbar(length=total, label=label, file=sys.stderr, show_eta=True, show_percent=True,
                           show_pos=False, width=32) as pb:

        def advance(n: int) -> None:
            if n > 0 and os.getpid() == _owner:
                pb.update(n)

        yield advance
        # the total is an estimate (a second pass may not be needed, a band may be widened):
        # a stage that ended ends at 100%
        if pb.pos < total:
            pb.update(total - pb.pos)


def watch_rows(costs: list[Any], advance: Advance, n: int, split_rows: int, workers: int) -> list[Any]:
    """`costs` with the first one wrapped so that the DP's requests for the cost of rows of
    the sentence grid (a side of `n` sentences; coarse and paragraph levels are not counted)
    advance the bar. When a long band is solved as two halves in two processes, the
    other process does as many rows as this one, so each row here counts twice."""
    if advance is _nothing or not costs:
        return costs
    return [_Watched(costs[0], advance, n, split_rows, workers), *costs[1:]]


class _Watched:
    """A bead cost that reports the rows it is asked for, and otherwise is the cost it wraps."""

    def __init__(self, cost: Any, advance: Advance, n: int, split_rows: int, workers: int):
        self.cost, self.advance, self.n = cost, advance, n
        self.split_rows, self.workers = split_rows, workers

    def __getattr__(self, name: str) -> Any:
        return getattr(self.cost, name)

    def bind(self, zh: Any, en: Any, band: Any, shapes: Any) -> Any:
        bound = self.cost.bind(zh, en, band, shapes)
        if len(zh) != self.n:
            return bound
        weight = 2 if self.workers > 1 and band.n >= self.split_rows else 1
        return _WatchedBound(bound, self.advance, weight)


class _WatchedBound:
    def __init__(self, bound: Any, advance: Advance, weight: int):
        self.bound, self.advance, self.weight = bound, advance, weight

    def costs(self, shapes: Any, rows: slice) -> Any:
        out = self.bound.costs(shapes, rows)
        self.advance(self.weight * (rows.stop - rows.start))
        return out
