"""Sentence embeddings kept in the user cache folder, keyed by model and sentence text.

One SQLite file per model (`embed-MODEL.sqlite3`), one row per distinct text: the key
is a hash of the text, the value its vector as float16 (768 bytes for e5-small; the
vectors are used as float16 whether just computed or read back, so a warm run gives
the same beads as a cold one). Re-running with other options, or on a document that
shares sentences with an earlier one, embeds only the sentences not seen before.

Best effort like `aligner.plumbing.cache`: an unreadable, locked or unwritable cache means the
sentences are embedded again, never an error.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import numpy as np

from aligner.plumbing.cache import cache_dir

# SQLite before 3.32 allows 999 parameters in one statement
_CHUNK = 900


def text_key(text: str) -> bytes:
    """16-byte key of a sentence text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


class VectorCache:
    """Vectors of texts under one model name, in `folder` (default: the aligner's cache folder)."""

    def __init__(self, model: str, dim: int, folder: Path | None = None):
        self.dim = dim
        name = re.sub(r"[^A-Za-z0-9._-]", "_", model)
        self.path = (folder or cache_dir()) / f"embed-{name}.sqlite3"
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=10)
            db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL) WITHOUT ROWID")
            self._db = db
        return self._db

    def get(self, texts: list[str]) -> dict[str, np.ndarray]:
        """The cached vectors (float16, `dim`) of those `texts` that have a usable one: a
        row of the wrong size or holding NaN or infinity (a damaged or tampered file) is
        left out, so that its text is embedded again and the row rewritten."""
        keys = {text_key(t): t for t in texts}
        found_texts: list[str] = []
        blobs: list[bytes] = []
        size = self.dim * 2  # bytes of a float16 vector
        try:
            db = self._connect()
            ks = list(keys)
            for c in range(0, len(ks), _CHUNK):
                part = ks[c : c + _CHUNK]
                rows = db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(part))})", part)
                for key, vec in rows:
                    if isinstance(vec, bytes) and len(vec) == size and key in keys:
                        found_texts.append(keys[key])
                        blobs.append(vec)
        except (OSError, sqlite3.Error):
            pass
        if not blobs:
            return {}
        block = np.frombuffer(b"".join(blobs), np.float16).reshape(len(blobs), self.dim)
        finite = np.isfinite(block).all(axis=1)  # one pass over the block: the warm path stays fast
        return {t: block[k] for k, t in enumerate(found_texts) if finite[k]}

    def put(self, texts: list[str], vectors: np.ndarray) -> None:
        """Store the vectors of `texts` (rows of `vectors`, stored as float16); rows that
        are not all finite are not stored."""
        vectors = np.asarray(vectors, np.float16)
        finite = np.isfinite(vectors).all(axis=1)
        try:
            db = self._connect()
            with db:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                               [(text_key(t), v.tobytes()) for t, v, ok in zip(texts, vectors, finite) if ok])
        except (OSError, sqlite3.Error):
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
