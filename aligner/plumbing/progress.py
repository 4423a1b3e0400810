"""Progress on standard error: a bar (tqdm) at a terminal, nothing otherwise.

Every command that shows progress goes through `progress()`, so the rule is in one place:
a bar only when standard error is a terminal and -q was not given (a log file or a pipe
gets no carriage-return animation), and tqdm is imported only then.
"""

from __future__ import annotations

import sys
from typing import Any


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
    from tqdm import tqdm

    # no monitor thread: a batch may fork new workers while the bar runs (after a worker
    # died), and a fork must not copy a thread that holds a lock
    tqdm.monitor_interval = 0
    return Progress(tqdm(total=total, initial=done, unit=unit, file=stream, dynamic_ncols=True,
                         smoothing=0.1, mininterval=0.2))
