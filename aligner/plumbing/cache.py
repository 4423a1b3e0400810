"""Derived data kept in the user's cache folder (platformdirs), so that a process
does not redo slow preparation such as parsing CC-CEDICT.

Everything here is best effort: an unreadable, stale or unwritable cache means
the data is built again, never an error.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from pathlib import Path
from typing import Any, Callable


def cache_dir() -> Path:
    """The aligner's cache folder (not created here)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("aligner"))


def cached(name: str, tag: str, build: Callable[[], Any]) -> Any:
    """The marshal-able value stored as `name` under `tag`, else `build()` stored for next time.

    `tag` identifies the inputs and code version the value was built from; a file
    with another tag is rebuilt.
    """
    path = cache_dir() / name
    try:
        with open(path, "rb") as f:
            stored_tag, value = marshal.loads(f.read())
        if stored_tag == tag:
            return value
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    _write_atomic(path, (tag, value))
    return value


def _write_atomic(path: Path, obj: Any) -> None:
    """Write to a temporary file beside `path` and rename it, so readers never see half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            marshal.dump(obj, f)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
