"""How every command reads its input files: capped in size, and confined when found by a scan.

Inputs come from an untrusted archive. Two rules hold for every file read (`read_bytes`):

- **A size cap** (`--max-input-size`, MAX_INPUT_SIZE by default): a regular file larger
  than it is refused by its size before a byte is read (a 2 GB sparse file is not read
  into memory); a device or a pipe is read until it gives more, then refused. Without it
  a link to /dev/zero filled the memory until the kernel killed the aligner.
- **Files found by a scan** (`scan_folder`: batch's folders, eval's) are regular files
  inside the folder: a symbolic link that leads out of it, a device, a FIFO (which would
  block the batch) or a socket is not read, and the caller reports it. A file named on
  the command line may be anything that reads as a file (a FIFO of a process
  substitution, /dev/stdin), within the cap.

The cap is set for the duration of a command with `input_limit` (the commands' option);
library callers get the default.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import BinaryIO

from aligner.plumbing.errors import AlignerError, InputUsageError

STDIN = "-"
STDIN_NAME = "<stdin>"

# Far above any real document (the Bible is 0.5 MB a side, a book a few MB), and the bound
# of a run's memory, which grows with its input (benchmarks/hostile.py; the README states
# the bound, docs/decisions.md the reasons).
MAX_INPUT_SIZE = 64 * 2**20

_LIMIT: ContextVar[int] = ContextVar("max_input_size", default=MAX_INPUT_SIZE)
# read from a device or pipe this many bytes at a time (a regular file at once: its size is known)
_CHUNK = 1 << 20


@contextmanager
def input_limit(size: int | None) -> Iterator[None]:
    """Within the block every input read is capped at `size` bytes (None: the default)."""
    token = _LIMIT.set(MAX_INPUT_SIZE if size is None else size)
    try:
        yield
    finally:
        _LIMIT.reset(token)


def max_input_size() -> int:
    """The cap in force (bytes)."""
    return _LIMIT.get()


def format_size(size: int) -> str:
    """'64 MB', '1.5 GB', '512 KB', '100 bytes' (powers of 1024, as --max-input-size reads them)."""
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _too_large(path: str, size: int | None) -> AlignerError:
    limit = format_size(max_input_size())
    what = f"is {format_size(size)}, more than" if size is not None else "gives more than"
    return AlignerError(f"{what} the input size limit of {limit}; raise it with --max-input-size "
                        "if the file is meant", path)


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is: 'a FIFO', 'a character device'..."""
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: str, regular_only: bool = False) -> bytes:
    """The bytes of the input `path` ('-': standard input), at most `max_input_size()` of
    them. Missing, a folder, not allowed: InputUsageError naming it; larger than the cap, or
    with `regular_only` not a regular file: AlignerError naming it."""
    if path == STDIN:
        return _read_capped(sys.stdin.buffer, STDIN_NAME, _CHUNK)
    # O_NONBLOCK: opening a FIFO no one writes to returns at once (to be refused) instead of
    # waiting forever; a file named on the command line may be a pipe to wait for
    nonblock = getattr(os, "O_NONBLOCK", 0) if regular_only else 0
    try:
        fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputUsageError("no such file", path) from None
    except IsADirectoryError:
        raise InputUsageError("is a directory, expected a text file", path) from None
    except PermissionError:
        raise InputUsageError("permission denied", path) from None
    except OSError as exc:
        raise InputUsageError(f"cannot read: {exc.strerror or exc}", path) from None
    st = os.fstat(fd)
    mode, size = st.st_mode, st.st_size
    if stat.S_ISDIR(mode):
        os.close(fd)
        raise InputUsageError("is a directory, expected a text file", path)
    with os.fdopen(fd, "rb", buffering=0) as fh:
        if stat.S_ISREG(mode):
            if size > max_input_size():
                raise _too_large(path, size)
            first = size + 1  # the whole file in one read, and one byte to see it did not grow
        elif regular_only:
            raise AlignerError(f"is {kind_of(mode)}, not a regular file: not read", path)
        else:
            first = _CHUNK
        try:
            return _read_capped(fh, path, first)
        except OSError as exc:
            raise InputUsageError(f"cannot read: {exc.strerror or exc}", path) from None


def _read_capped(fh: BinaryIO, path: str, first: int) -> bytes:
    """All of `fh`, or the too-large error as soon as it gives more than the cap."""
    limit = max_input_size()
    chunks: list[bytes] = []
    total, want = 0, first
    while True:
        chunk = fh.read(min(want, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_large(path, None)
        want = _CHUNK


def inside(path: str, folder: str) -> bool:
    """Whether `path`, symbolic links followed, is `folder` or under it (also resolved)."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class Found:
    """A file a folder scan found: its path relative to the folder (with '/'), its path, and
    why it is not to be read (None when it is a regular file inside the folder)."""

    relative: str
    path: str
    problem: str | None = None


def scan_folder(folder: str, wanted: Callable[[str], bool]) -> list[Found]:
    """The files under `folder` whose name is `wanted`, recursively, hidden folders left out
    and folder links not followed, sorted by relative path. Each is checked as `refusal` says."""
    found = []
    for root, dirs, files in os.walk(folder):  # followlinks=False: a linked folder is not entered
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if wanted(name):
                path = os.path.join(root, name)
                relative = os.path.relpath(path, folder).replace(os.sep, "/")
                found.append(Found(relative, path, refusal(path, folder)))
    return sorted(found, key=lambda f: f.relative)


def refusal(path: str, folder: str) -> str | None:
    """Why the file `path`, found in `folder`, is not read; None when it is a regular file
    inside the folder (a symbolic link may lead to one)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "a symbolic link that leads nowhere (or in a loop)" if os.path.islink(path) else "cannot be read"
    if os.path.islink(path) and not inside(path, folder):
        return "a symbolic link to a file outside the folder"
    if not stat.S_ISREG(mode):
        return f"{kind_of(mode)}, not a regular file"
    return None
