"""Output formats behind one `Writer` interface (`base.py`), and where the output goes.

`write_output(doc, path, fmt)` writes one aligned document; `open_writer(path, fmt)` gives
a writer for many (a batch). A file is replaced atomically (`plumbing.atomic`), standard
output ('-' or no path) gets the bytes as they come.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from aligner.document import AlignedDocument
from aligner.plumbing.atomic import atomic_open, is_stream
from aligner.plumbing.errors import AlignerError, InputUsageError
from aligner.plumbing.stdout import open_stdout
from aligner.writers.base import Writer
from aligner.writers.html import HtmlWriter
from aligner.writers.jsonl import JsonlWriter
from aligner.writers.tmx import TmxWriter
from aligner.writers.tsv import TsvWriter
from aligner.writers.vecalign import VecalignWriter
from aligner.writers.xlsx import XlsxWriter

WRITERS: dict[str, type[Writer]] = {
    w.name: w for w in (TmxWriter, TsvWriter, JsonlWriter, VecalignWriter, XlsxWriter, HtmlWriter)
}
FORMATS = tuple(WRITERS)

EXTENSIONS = {
    ".tmx": "tmx",
    ".tsv": "tsv",
    ".txt": "tsv",
    ".jsonl": "jsonl",
    ".align": "vecalign",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
}


def format_for_path(path: str | None, explicit: str | None) -> str:
    """The output format: `explicit` (--format) wins, else the path's extension; standard output
    and an extension-less device, FIFO or socket get TSV."""
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
    if not ext and is_stream(path):
        return "tsv"  # -o /dev/null, /dev/stdout, a FIFO: a stream, as standard output is
    known = " ".join(sorted(EXTENSIONS))
    raise InputUsageError(
        f"cannot tell the output format from the extension {ext or '(none)'!r}: "
        f"use one of {known} or give --format",
        path=path,
    )


def writer_class(fmt: str) -> type[Writer]:
    try:
        return WRITERS[fmt]
    except KeyError:
        raise InputUsageError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})") from None


@contextmanager
def open_writer(path: str | None, fmt: str, batch: bool = False, created: datetime | None = None,
                **options) -> Iterator[Writer]:
    """A writer of format `fmt` to `path` ('-' or None: standard output, as UTF-8 bytes);
    a file appears (or is replaced) only when the `with` block completes. `options` go
    to the writer (TSV's `header`)."""
    cls = writer_class(fmt)
    if path is None or path == "-":
        if cls.binary and sys.stdout.isatty():
            raise InputUsageError(f"{fmt} output is binary: give a file with -o", path="-")
        with open_stdout() as out, _aborting(cls(out, batch, created, **options), "-") as writer:
            yield writer
            writer.close()
        return
    with atomic_open(path, "wb") as fh, _aborting(cls(fh, batch, created, **options), path) as writer:
        yield writer
        writer.close()


@contextmanager
def _aborting(writer: Writer, path: str | None = None) -> Iterator[Writer]:
    """`writer`, aborted if the block fails (a half-written workbook's temporary files go);
    a writer's error (a text too long for a spreadsheet cell) is told as about `path`."""
    try:
        yield writer
    except BaseException as e:
        writer.abort()
        if isinstance(e, AlignerError) and e.path is None:
            e.path = path
        raise


def write_output(doc: AlignedDocument, path: str | None, fmt: str, created: datetime | None = None,
                 **options) -> None:
    """Write one aligned document as `fmt` to `path` ('-' or None: standard output)."""
    with open_writer(path, fmt, created=created, **options) as writer:
        writer.add(doc)


def render_bytes(doc: AlignedDocument, fmt: str, created: datetime | None = None, **options) -> bytes:
    """The whole output of one document in format `fmt` (for tests and the API)."""
    buffer = io.BytesIO()
    with _aborting(writer_class(fmt)(buffer, created=created, **options)) as writer:
        writer.add(doc)
        writer.close()
    return buffer.getvalue()


def render(doc: AlignedDocument, fmt: str, created: datetime | None = None, **options) -> str:
    """The whole output of one document in a text format `fmt` as text."""
    if writer_class(fmt).binary:
        raise ValueError(f"{fmt} is a binary format: use render_bytes")
    return render_bytes(doc, fmt, created, **options).decode("utf-8")

