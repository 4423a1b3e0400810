"""Write a file so that readers see either the old content or the complete new one.

A crash, a full disk or Ctrl-C half-way through a write must not leave a truncated
TMX where a good one used to be: we write to a temporary file in the same folder
(so the final rename cannot cross file systems), fsync it and rename it over the
target with `os.replace`, which is atomic on POSIX and Windows.

That is right only for regular files (and new ones). A character device (`/dev/null`,
a terminal), a FIFO, a socket or our own standard output (`-o /dev/stdout`) is a
stream: renaming a file over it would replace the device node (as root, `/dev/null`
itself) or leave the FIFO's reader waiting for nothing, so streams are written
straight. A block device is refused.

Several outputs of one run (the output, its rejects, the summary, the report) are
written inside `written_together()`: each is complete on disk before any is renamed,
so a failure in the last leaves every target as it was.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO

from aligner.plumbing.errors import AlignerError, InputUsageError
from aligner.plumbing.process import hold_signals, release_signals

# mkstemp's name is prefix + 8 random characters + suffix.
_SUFFIX = ".tmp"
_RANDOM = 8

# (temporary file, target, name as given) of the complete files waiting for the end of
# the innermost written_together() block; None outside one.
_PENDING: ContextVar[list[tuple[str, str, str]] | None] = ContextVar("_PENDING", default=None)


def check_target(path: str) -> str:
    """The real file to replace (symlinks followed), after checking its folder can take it;
    `path` itself when it is a stream written straight (see `is_stream`).

    Callers may run it before long work, so a bad output path fails at once."""
    if os.path.isdir(path):
        raise InputUsageError("is a folder; give a file name such as out.tmx", path=path)
    mode = _mode(path)
    if mode is not None and stat.S_ISBLK(mode):
        raise InputUsageError("is a block device; give a file name such as out.tmx", path=path)
    if is_stream(path):
        return path
    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise InputUsageError(f"folder {folder} does not exist", path=path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputUsageError(f"folder {folder} is not writable", path=path)
    size, limit = len(os.fsencode(os.path.basename(target))), _name_max(folder)
    if size > limit:
        raise InputUsageError(f"file name too long ({size} bytes; this file system allows {limit})", path=path)
    return target


def is_stream(path: str) -> bool:
    """True for an output that is written straight rather than replaced: a character
    device, FIFO or socket (symlinks followed), or this process's standard output or error."""
    mode = _mode(path)
    if mode is None:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or _std_fd(path) is not None


def _mode(path: str) -> int | None:
    try:
        return os.stat(path).st_mode
    except OSError:
        return None


def _std_fd(path: str) -> int | None:
    """1 or 2 when `path` is this process's standard output or error (`/dev/stdout`)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    for fd in (1, 2):
        try:
            if os.path.samestat(st, os.fstat(fd)):
                return fd
        except OSError:
            continue
    return None


def _name_max(folder: str) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def _temp_prefix(name: str, name_max: int) -> str:
    """'.NAME.', NAME shortened (on a character boundary) so the temporary name fits the
    file system's limit: an output name near 255 bytes must not fail for its temp name."""
    room = name_max - len(_SUFFIX) - _RANDOM - 2
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return f".{name}."


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


def _write_error(exc: OSError, path: str, kept: bool) -> AlignerError:
    """A failed write (disk full, quota, I/O error) as one line naming the output."""
    what = "the existing file was left as it was" if kept else "the output is incomplete"
    return AlignerError(f"cannot write: {exc.strerror or exc}; {what}", path=path)


def _open_fh(fd: int, mode: str, encoding: str | None) -> IO:
    if "b" in mode:
        return os.fdopen(fd, mode)
    return os.fdopen(fd, mode, encoding=encoding, newline="")


@contextmanager
def atomic_open(path: str, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open `path` for writing; the target is replaced only if the `with` block completes.

    On any exception (KeyboardInterrupt included) the temporary file is removed and an
    existing target is left untouched. Text mode writes '\\n' line ends on every platform.
    Raises InputUsageError naming `path` if it is a folder or its folder is missing or
    not writable, AlignerError naming it if the write fails (disk full). A stream
    (`is_stream`: device, FIFO, socket, standard output) is written straight.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open supports modes 'w' and 'wb', not {mode!r}")
    target = check_target(path)
    if is_stream(target):
        with _stream_open(target, mode, encoding) as fh:
            yield fh
        return
    folder = os.path.dirname(target) or "."
    tmp: str | None = None
    fh: IO | None = None
    held = hold_signals()
    try:
        try:  # no Ctrl-C or SIGTERM between creating the file and knowing its name
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(os.path.basename(target), _name_max(folder)),
                                       suffix=_SUFFIX, dir=folder)
        finally:
            release_signals(held)
        os.chmod(tmp, _new_file_mode(target))
        fh = _open_fh(fd, mode, encoding)
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        pending = _PENDING.get()
        if pending is not None:
            pending.append((tmp, target, path))
            return
        _rename(tmp, target)
    except BaseException as exc:
        if tmp is None:  # mkstemp failed
            if isinstance(exc, PermissionError):
                raise InputUsageError(f"cannot write in folder {folder}: {exc.strerror}", path=path) from exc
            if isinstance(exc, OSError):
                raise AlignerError(f"cannot create a file in folder {folder}: {exc.strerror}", path=path) from exc
            raise
        if fh is None:
            os.close(fd)
        _unlink_quietly(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            raise _write_error(exc, path, kept=True) from exc
        raise
    _fsync_folder(folder)


def _rename(tmp: str, target: str) -> None:
    try:
        os.replace(tmp, target)
    except PermissionError:
        # A sticky folder (/tmp) refuses to rename over another user's file even
        # when that file is writable: copy the complete output over it instead.
        if not os.path.isfile(target):
            raise
        _overwrite(tmp, target)
        os.unlink(tmp)


@contextmanager
def written_together() -> Iterator[None]:
    """Files written with atomic_open inside the block replace their targets together
    when it completes: if the block fails (the last of them hits a full disk), none does.
    The renames run with Ctrl-C and SIGTERM held, so a signal does not split them."""
    pending: list[tuple[str, str, str]] = []
    token = _PENDING.set(pending)
    try:
        yield
    except BaseException:
        for tmp, _, _ in pending:
            _unlink_quietly(tmp)
        raise
    finally:
        _PENDING.reset(token)
    held = hold_signals()
    try:
        for k, (tmp, target, path) in enumerate(pending):
            try:
                _rename(tmp, target)
            except OSError as exc:
                for rest, _, _ in pending[k:]:
                    _unlink_quietly(rest)
                error = _write_error(exc, path, kept=True)
                if k:
                    error.message += f" (already written: {', '.join(p for _, _, p in pending[:k])})"
                raise error from exc
    finally:
        release_signals(held)
    for folder in {os.path.dirname(target) or "." for _, target, _ in pending}:
        _fsync_folder(folder)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _overwrite(tmp: str, target: str) -> None:
    """Replace `target`'s content with the complete file `tmp`, in place.

    The space is reserved first (posix_fallocate), so a full disk fails before a byte
    of the old content is overwritten; only a crash during the copy itself could
    leave a mixture.
    """
    size = os.path.getsize(tmp)
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        if size:
            try:
                os.posix_fallocate(fd, 0, size)
            except (AttributeError, OSError) as e:
                if isinstance(e, OSError) and e.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    raise
        with open(tmp, "rb") as src:
            while chunk := src.read(1 << 20):
                _write_all_fd(fd, chunk)
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all_fd(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


@contextmanager
def _stream_open(path: str, mode: str, encoding: str | None) -> Iterator[IO]:
    """Write straight to a device, FIFO, socket or our own standard output or error
    (a duplicate of the descriptor, so its offset and append mode are kept)."""
    std = _std_fd(path)
    try:
        if std is not None:
            fd = os.dup(std)
        elif stat.S_ISSOCK(os.stat(path).st_mode):
            fd = _connect(path)
        else:  # a FIFO blocks here until a reader opens it, as `cat > fifo` does
            fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise AlignerError(f"cannot open for writing: {e.strerror or e}", path=path) from e
    try:
        with _open_fh(fd, mode, encoding) as fh:
            yield fh
            fh.flush()
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise _write_error(exc, path, kept=False) from exc


def _connect(path: str) -> int:
    """A connected Unix stream socket's descriptor (a socket file given as the output)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        raise
    return sock.detach()
