"""Progress of a long run on standard error, drawn by tqdm when standard error is a terminal.

Every command goes through this module, so the rule is in one place: a bar only at a
terminal and without -q (a log file or a pipe gets no carriage-return animation), never
in a library call, never in a forked worker (its parent owns the terminal); tqdm is
imported only when a bar is drawn. `align` shows two stages (sentences tokenised, then
DP rows done, as the search reports them) through `enable` and `bar`; `batch` shows
documents through `progress`.
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


def _tqdm() -> Any:
    from tqdm import tqdm

    # no monitor thread: the aligner forks workers while a bar runs, and a fork must not
    # copy a thread that holds a lock
    tqdm.monitor_interval = 0
    return tqdm


def _size(stream: Any) -> dict[str, int]:
    """The terminal's width and height for tqdm, 80 x 24 where it does not say: a
    pseudo-terminal may report 0 x 0, and tqdm hides a bar below a screen of 0 rows."""
    try:
        size = os.get_terminal_size(stream.fileno())
        return {"ncols": size.columns or 80, "nrows": size.lines or 24}
    except (OSError, AttributeError, ValueError):
        return {"ncols": 80, "nrows": 24}


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
    with _tqdm()(total=total, desc=label, file=sys.stderr, mininterval=0.2, **_size(sys.stderr),
                 bar_format="{desc} |{bar:32}| {remaining} left {percentage:3.0f}%") as pb:

        def advance(n: int) -> None:
            # the total is an estimate (a band may be widened and its rows run again): the
            # bar stops at 100%
            n = min(n, total - pb.n)
            if n > 0 and os.getpid() == _owner:
                pb.update(n)

        yield advance
        # and a stage that ended ends at 100% (a second pass may not be needed)
        if pb.n < total:
            pb.update(total - pb.n)


class Progress:
    """A bar of `total` steps (`advance` moves it, `note` sets the text after it), or a
    silent stand-in with the same methods."""

    def __init__(self, bar: Any = None):
        self._bar = bar

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def note(self, **fields: object) -> None:
        if self._bar is not None:
            self._bar.set_postfix(fields, refresh=False)

    def write(self, line: str) -> None:
        """A line on standard error that does not break the bar."""
        if self._bar is not None:
            self._bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress(total: int, unit: str, quiet: bool = False, done: int = 0, stream: Any = None) -> Progress:
    """A Progress over `total` items of `unit` of which `done` are done already (shown,
    but not counted in the rate); silent with `quiet` or when `stream` (default standard
    error) is not a terminal."""
    stream = stream or sys.stderr
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return Progress()
    return Progress(_tqdm()(total=total, initial=done, unit=unit, file=stream, **_size(stream),
                         smoothing=0.1, mininterval=0.2))
