"""Derived data kept on disk so that a process does not redo slow preparation
(CC-CEDICT reduced to keys, its pinyin table, jieba's dictionary split by character).

- A file is found by its tag, a digest of everything it was built from: the aligner
  version, the code that builds it and the size and SHA-1 of the source data, never
  modification times. Each tag has its own file, so two installs of one version (two
  virtual environments, CI and a checkout) share their files, and two versions keep
  theirs side by side instead of rebuilding each other's on every switch.
- Files are looked up first in the package's own `data/` folder (a built package ships
  the CC-CEDICT tables, see setup.py), then in the user cache folder (platformdirs).
- Every file is written by one routine, `aligner.plumbing.atomic.atomic_open` (temporary file,
  then rename): a reader never sees half a file.
- Best effort: an unreadable, stale, damaged or unwritable file means the data is built
  again, never an error. Only regular files are read (a FIFO or a device in a file's place
  counts as absent, never blocks). A table split by first character (`Shards`) records the
  length of its pieces and a CRC-32 of each, checked as each piece is first read (not a pass
  over the whole file at start-up): a truncated or damaged file is rebuilt and rewritten,
  and the process carries on with the rebuilt table.
- A build that takes more than a second is announced once on standard error, when the
  command line asks for it (`announce_builds`; not with -q).
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import stat
import sys
import threading
import zlib
from pathlib import Path
from typing import Any, Callable

# Tables a built package ships (setup.py writes them there): aligner/data/, beside the
# package's modules, not beside this one.
SHIPPED = Path(__file__).resolve().parents[1] / "data"
_MAGIC = b"aligner-cache 3\n"  # 3: Shards record their pieces' lengths and CRC-32s
BUILD_MESSAGE = "aligner: building the dictionary cache (once)..."
ANNOUNCE_AFTER = 1.0  # seconds a build runs before it is announced

_announce: Callable[[str], None] | None = None
_announced = False


def cache_dir() -> Path:
    """The aligner's folder in the user cache folder (not created here)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("aligner"))


def announce_builds(say: Callable[[str], None] | None) -> None:
    """Call `say(BUILD_MESSAGE)` once per process when a build runs longer than
    ANNOUNCE_AFTER seconds; None (the default) keeps builds silent."""
    global _announce
    _announce = say


def file_tag(path: Path) -> str:
    """Size and SHA-1 of a source file: its content, whatever its modification time."""
    data = Path(path).read_bytes()
    return f"{len(data)}-{hashlib.sha1(data).hexdigest()}"


def code_tag(*modules: str) -> str:
    """SHA-1 of the source of already-imported modules, so editing them changes the tag."""
    h = hashlib.sha1()
    for name in modules:
        h.update(Path(sys.modules[name].__file__).read_bytes())
    return h.hexdigest()


def make_tag(*parts: object) -> str:
    """A short file-name-safe digest of the parts that identify one build."""
    return hashlib.sha1("\0".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def file_name(kind: str, tag: str) -> str:
    return f"{kind}-{tag}.bin"


def read(kind: str, tag: str) -> bytes | None:
    """The payload stored for (kind, tag), from the shipped folder or the user cache; None if absent."""
    head = _MAGIC + tag.encode("ascii") + b"\n"
    for folder in (SHIPPED, cache_dir()):
        data = _read_regular(folder / file_name(kind, tag))
        if data is not None and data.startswith(head):
            return data[len(head):]
    return None


def _read_regular(path: Path) -> bytes | None:
    """The bytes of `path` if it is a regular file; None if absent, unreadable or anything
    else (opening a FIFO without a writer for reading would block forever: O_NONBLOCK, then
    fstat before reading)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def write(kind: str, tag: str, payload: bytes, folder: Path | None = None) -> Path | None:
    """Store a payload for (kind, tag) (in the user cache unless `folder` is given);
    the path written, or None when the folder cannot be written or something other than
    a regular file holds the name (only speed is lost)."""
    from aligner.plumbing.atomic import atomic_open
    from aligner.plumbing.errors import AlignerError

    folder = cache_dir() if folder is None else folder
    path = folder / file_name(kind, tag)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a FIFO or device in its place: atomic_open would write into it (and block)
    except OSError:
        pass  # absent: the usual case
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_open(str(path), "wb") as fh:
            fh.write(_MAGIC + tag.encode("ascii") + b"\n" + payload)
    except (OSError, AlignerError):
        return None
    return path


def cached(kind: str, tag: str, build: Callable[[], Any]) -> Any:
    """The marshal-able value stored for (kind, tag), else `build()`, stored for next time."""
    data = read(kind, tag)
    if data is not None:
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            pass
    value = building(build)
    write(kind, tag, marshal.dumps(value))
    return value


def building(build: Callable[[], Any]) -> Any:
    """Run a one-time build, announcing it if it takes more than ANNOUNCE_AFTER seconds.

    Python's cyclic garbage collector is paused meanwhile: a build makes hundreds of
    thousands of small containers and no cycles, and each full collection would rescan
    them all (the CC-CEDICT parse takes markedly longer with it).
    """
    timer = None
    if _announce is not None and not _announced:
        timer = threading.Timer(ANNOUNCE_AFTER, _say_once)
        timer.daemon = True
        timer.start()
    collecting = gc.isenabled()
    gc.disable()
    try:
        return build()
    finally:
        if collecting:
            gc.enable()
        if timer is not None:
            timer.cancel()


def _say_once() -> None:
    global _announced
    if not _announced and _announce is not None:
        _announced = True
        try:
            _announce(BUILD_MESSAGE)
        except OSError:  # standard error closed: nothing to tell
            pass


class Damaged(ValueError):
    """A stored table whose lengths or checksums do not match its content."""


_DECODE_ERRORS = (EOFError, ValueError, TypeError, IndexError, KeyError, OverflowError)  # what bad bytes raise


class Shards:
    """A str-keyed dict stored as one marshalled dict per first character, each read on
    first use: a short text touches a few hundred of the ~10,000 first characters.

    Each piece is checked against its CRC-32 when first read. A damaged piece makes the
    table call `rebuild` (given by `cached_shards`: build, rewrite the file) once and carry
    on with the rebuilt table; without `rebuild` the error is raised."""

    def __init__(self, meta: Any, index: dict[str, tuple[int, int, int]], blob: bytes,
                 rebuild: Callable[[], "Shards"] | None = None):
        self.meta = meta
        self._data = (index, blob)  # one attribute, swapped at once by a rebuild
        self._loaded: dict[str, dict] = {}
        self._rebuild = rebuild
        self._rebuilt = False
        self._lock = threading.Lock()

    def shard(self, ch: str) -> dict:
        """The entries whose key starts with `ch` (empty dict if none)."""
        got = self._loaded.get(ch)
        if got is None:
            try:
                got = self._decode(ch)
            except _DECODE_ERRORS:
                if not self._replace():
                    raise
                got = self._decode(ch)  # once: a rebuilt table that fails too is an error
            self._loaded[ch] = got
        return got

    def _decode(self, ch: str) -> dict:
        index, blob = self._data
        where = index.get(ch)
        if not where:
            return {}
        offset, length, crc = where
        piece = blob[offset : offset + length]
        if len(piece) != length or zlib.crc32(piece) != crc:
            raise Damaged(f"piece {ch!r} does not match its checksum")
        got = marshal.loads(piece)
        if type(got) is not dict:
            raise Damaged(f"piece {ch!r} is not a table")
        return got

    def _replace(self) -> bool:
        """Swap in the rebuilt table, built once (by whichever thread first found the
        damage); False when there is no way to rebuild."""
        with self._lock:
            if self._rebuild is not None:
                fresh = self._rebuild()
                self._rebuild = None
                self.meta, self._data, self._rebuilt = fresh.meta, fresh._data, True
            return self._rebuilt

    def get(self, key: str, default: Any = None) -> Any:
        return self.shard(key[0]).get(key, default) if key else default

    def __contains__(self, key: str) -> bool:
        return bool(key) and key in self.shard(key[0])

    @staticmethod
    def encode(meta: Any, table: dict[str, Any]) -> bytes:
        """Payload of a table split by first character (see `cached_shards`):
        8 bytes head length, 4 bytes head CRC-32, head = marshal((meta, index, blob length))
        with index = {first character: (offset, length, CRC-32)}, then the pieces."""
        shards: dict[str, dict[str, Any]] = {}
        for key, value in table.items():
            shards.setdefault(key[0], {})[key] = value
        index, parts, offset = {}, [], 0
        for ch, shard in shards.items():
            data = marshal.dumps(shard)
            index[ch] = (offset, len(data), zlib.crc32(data))
            parts.append(data)
            offset += len(data)
        head = marshal.dumps((meta, index, offset))
        return len(head).to_bytes(8, "little") + zlib.crc32(head).to_bytes(4, "little") + head + b"".join(parts)

    @classmethod
    def decode(cls, payload: bytes, rebuild: Callable[[], "Shards"] | None = None) -> "Shards":
        """The table in `payload`; Damaged (a ValueError) when its head does not match its
        checksum or the pieces are not as long as it says (a truncated file): cheap checks,
        the pieces themselves are checked as they are read."""
        n = int.from_bytes(payload[:8], "little")
        head = payload[12 : 12 + n]
        if len(head) != n or zlib.crc32(head) != int.from_bytes(payload[8:12], "little"):
            raise Damaged("table head does not match its checksum")
        meta, index, size = marshal.loads(head)
        if len(payload) - 12 - n != size or type(index) is not dict:
            raise Damaged("table is not as long as its head says")
        return cls(meta, index, payload[12 + n :], rebuild)


def cached_shards(kind: str, tag: str, build: Callable[[], tuple[Any, dict[str, Any]]]) -> Shards:
    """The table stored for (kind, tag) as Shards; else `build()` -> (meta, table), stored.
    A stored table found damaged later, as its pieces are read, is rebuilt the same way."""

    def rebuild() -> Shards:
        payload = Shards.encode(*building(build))
        write(kind, tag, payload)
        return Shards.decode(payload)

    data = read(kind, tag)
    if data is not None:
        try:
            return Shards.decode(data, rebuild)
        except _DECODE_ERRORS:
            pass
    return rebuild()
