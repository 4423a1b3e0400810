"""Which file a path names, however it is spelt: outputs are checked against each other and
against the inputs as files ('o.tsv', './o.tsv', an absolute path, a symlink, a hard link),
not as strings, before any work."""

from __future__ import annotations

import os


def file_id(path: str) -> tuple[int, int] | None:
    """What makes a file itself: its device and inode; None when it cannot be found."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def same_path(a: str, b: str) -> bool:
    """Whether two paths name one file, whether or not it exists yet."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    return file_id(a) is not None and file_id(a) == file_id(b)
