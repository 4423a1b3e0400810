"""Standard output as bytes, written completely or not at all quietly.

With PYTHONUNBUFFERED=1 (common in containers) `sys.stdout.buffer` is the raw file, and
a raw write may write only part of its bytes: on a full disk, or when the reader of a
pipe goes away while the pipe is full. Python reports the count and moves on, so
`aligner align ... > file` once exited 0 with half its output. Here every write is
repeated until all bytes are out; a failure becomes one line naming standard output
(exit 1), and a reader that went away stays a BrokenPipeError (exit 141).
"""

from __future__ import annotations

import errno
import select
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from aligner.plumbing.errors import AlignerError

STDOUT_NAME = "<stdout>"


class CompleteWriter:
    """A binary stream whose `write` writes every byte or raises."""

    def __init__(self, raw: BinaryIO, name: str = STDOUT_NAME):
        self.raw = raw
        self.name = name

    def write(self, data: bytes) -> int:
        try:
            n = self.raw.write(data)
            if n is None or n < len(data):  # a buffered stream never stops short; a raw one may
                self._write_rest(memoryview(data).cast("B")[n or 0:])
            return len(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._error(exc) from exc

    def _write_rest(self, view: memoryview) -> None:
        while view:
            n = self.raw.write(view)
            if n is None:  # a non-blocking descriptor that is full: wait, then go on
                select.select([], [self.raw.fileno()], [])
                continue
            if n <= 0:
                raise OSError(errno.EIO, "nothing was written")
            view = view[n:]

    def flush(self) -> None:
        try:
            self.raw.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._error(exc) from exc

    def _error(self, exc: OSError) -> AlignerError:
        return AlignerError(f"cannot write: {exc.strerror or exc}; the output is incomplete", path=self.name)


@contextmanager
def open_stdout() -> Iterator[BinaryIO]:
    """Standard output as a binary stream (UTF-8 bytes go in), flushed at the end."""
    sys.stdout.flush()  # text printed before must come first
    raw = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else _TextSink(sys.stdout)
    out = CompleteWriter(raw)
    yield out  # type: ignore[misc]
    out.flush()


class _TextSink:
    """A binary-stream face for a text stream without a buffer (a test's StringIO)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, data: bytes) -> int:
        self.stream.write(bytes(data).decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()
