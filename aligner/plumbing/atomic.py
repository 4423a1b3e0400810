"""Write a file so that readers see either the old content or the complete new one.

A crash, a full disk or Ctrl-C half-way through a write must not leave a truncated
TMX where a good one used to be: we write to a temporary file in the same folder
(so the final rename cannot cross file systems), fsync it and rename it over the
target with `os.replace`, which is atomic on POSIX and Windows.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from aligner.plumbing.errors import InputUsageError


def check_target(path: str) -> str:
    """The real file to replace (symlinks followed), after checking its folder can take it.

    Callers may run it before long work, so a bad output path fails at once."""
    if os.path.isdir(path):
        raise InputUsageError("is a folder; give a file name such as out.tmx", path=path)
    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise InputUsageError(f"folder {folder} does not exist", path=path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputUsageError(f"folder {folder} is not writable", path=path)
    return target


def _new_file_mode(target: str) -> int:
    """Keep an existing file's permissions; give a new one what `open()` would (0666 less umask)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable where the platform allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_open(path: str, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open `path` for writing; the target is replaced only if the `with` block completes.

    On any exception (KeyboardInterrupt included) the temporary file is removed and an
    existing target is left untouched. Text mode writes '\\n' line ends on every platform.
    Raises InputUsageError naming `path` if it is a folder or its folder is missing or
    not writable.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open supports modes 'w' and 'wb', not {mode!r}")
    target = check_target(path)
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    except PermissionError as e:
        raise InputUsageError(f"cannot write in folder {folder}: {e.strerror}", path=path) from e
    fh: IO | None = None
    try:
        os.chmod(tmp, _new_file_mode(target))
        if "b" in mode:
            fh = os.fdopen(fd, mode)
        else:
            fh = os.fdopen(fd, mode, encoding=encoding, newline="")
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        if fh is None:
            os.close(fd)
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(folder)
