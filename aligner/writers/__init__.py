"""Choose an output format and write an aligned document in it.

Every format module exposes `render(doc) -> str`: the whole output as text. Outputs
are small (a book is a few MB), so building the text first lets a file be written
atomically and keeps the formats pure functions that tests can parse back.
"""

from __future__ import annotations

import os
import sys

from aligner.plumbing.atomic import atomic_open
from aligner.document import AlignedDocument
from aligner.plumbing.errors import InputUsageError
from aligner.writers.jsonl import render as render_jsonl
from aligner.writers.tmx import render as render_tmx
from aligner.writers.tsv import render as render_tsv
from aligner.writers.vecalign import render as render_vecalign

FORMATS = ("tmx", "tsv", "jsonl", "vecalign")

_RENDERERS = {"tmx": render_tmx, "tsv": render_tsv, "jsonl": render_jsonl, "vecalign": render_vecalign}

EXTENSIONS = {
    ".tmx": "tmx",
    ".tsv": "tsv",
    ".txt": "tsv",
    ".jsonl": "jsonl",
    ".align": "vecalign",
}


def format_for_path(path: str | None, explicit: str | None) -> str:
    """The output format: `explicit` (--format) wins, else the path's extension; stdout gets TSV."""
    if explicit:
        fmt = explicit.strip().lower()
        if fmt not in FORMATS:
            raise InputUsageError(
                f"unknown output format {explicit!r} (choose from {', '.join(FORMATS)})", path=path
            )
        return fmt
    if path is None or path == "-":
        return "tsv"
    ext = os.path.splitext(path)[1].lower()
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    known = " ".join(sorted(EXTENSIONS))
    raise InputUsageError(
        f"cannot tell the output format from the extension {ext or '(none)'!r}: "
        f"use one of {known} or give --format",
        path=path,
    )


def render(doc: AlignedDocument, fmt: str) -> str:
    """The whole output of `doc` in format `fmt` (one of FORMATS) as text."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise InputUsageError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})") from None
    return renderer(doc)


def write_output(doc: AlignedDocument, path: str | None, fmt: str) -> None:
    """Write `doc` as `fmt` to `path`: '-' or None is stdout (UTF-8), a file is replaced atomically."""
    text = render(doc, fmt)
    if path is None or path == "-":
        # The TMX declaration says UTF-8: write bytes, whatever the terminal's locale.
        out = sys.stdout
        out.flush()
        if hasattr(out, "buffer"):
            out.buffer.write(text.encode("utf-8"))
            out.buffer.flush()
        else:
            out.write(text)
            out.flush()
        return
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
