"""The one interface every output format implements: documents in, bytes out, as they come.

A writer is opened on a binary stream, given aligned documents one at a time (`add`),
then closed (`close`, which writes any footer). A single alignment is one `add`; a
batch adds one document after another into one merged output, `batch=True`, each
under its name, so that memory does not grow with the number of documents.

Every writer's `add` receives the document and its name cleaned (`cleaning.clean_document`):
without the control, bidi and invisible format characters no output carries
(`plumbing.chars`). The base class puts this in front of each subclass's `add` when the
class is defined, so a writer cannot forget it.
"""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from dataclasses import replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, BinaryIO, ClassVar

from aligner.cleaning import clean_document
from aligner.document import AlignedDocument
from aligner.plumbing.chars import clean, has_hidden

if TYPE_CHECKING:
    from aligner.summary import DocumentSummary

# A lone surrogate (e.g. from a file decoded with surrogateescape) cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8_safe(text: str) -> str:
    """`text` with lone surrogates replaced by U+FFFD, so that it encodes as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


def _clean_summary(summary):
    """A document's summary with its name and message cleaned (None stays None)."""
    if summary is None or not has_hidden(f"{summary.document}\n{summary.message}"):
        return summary
    return replace(summary, document=clean(summary.document), message=clean(summary.message))


class Writer(ABC):
    """Writes aligned documents in one format to a binary stream.

    `batch` marks a merged output of many documents: each `add` then names its document
    (a path relative to the input folder, or an id), and formats that can say so record
    it per unit. `created` is the time written into headers that have one (default: now).
    """

    #: the format's name on the command line (`--format`)
    name: ClassVar[str]
    #: whether the format can hold many documents in one output
    mergeable: ClassVar[bool] = True
    #: whether the output is binary (a zip) rather than UTF-8 text
    binary: ClassVar[bool] = False

    def __init__(self, out: BinaryIO, batch: bool = False, created: datetime | None = None):
        self.out = out
        self.batch = batch
        self.created = created or datetime.now(timezone.utc)

    def __init_subclass__(cls, **kwargs) -> None:
        """Every writer's own `add` and `add_failure` get the document, its name and its
        summary cleaned (`clean_document`, `_clean_summary`)."""
        super().__init_subclass__(**kwargs)
        add, add_failure = cls.__dict__.get("add"), cls.__dict__.get("add_failure")
        if add is not None and not getattr(add, "_cleans", False):
            @functools.wraps(add)
            def add_cleaned(self, doc: AlignedDocument, name: str | None = None, summary=None) -> None:
                return add(self, clean_document(doc), None if name is None else clean(name), _clean_summary(summary))

            add_cleaned._cleans = True  # type: ignore[attr-defined]
            cls.add = add_cleaned
        if add_failure is not None and not getattr(add_failure, "_cleans", False):
            @functools.wraps(add_failure)
            def add_failure_cleaned(self, name: str, summary) -> None:
                return add_failure(self, clean(name), _clean_summary(summary))

            add_failure_cleaned._cleans = True  # type: ignore[attr-defined]
            cls.add_failure = add_failure_cleaned

    @abstractmethod
    def add(self, doc: AlignedDocument, name: str | None = None, summary: DocumentSummary | None = None) -> None:
        """Write one aligned document (`name`: its id in a batch). `summary` holds the figures
        of the whole alignment when `doc` is the part of it kept by a filter
        (`aligner.filtering`); formats with a header for one document write them there."""

    def add_failure(self, name: str, summary: DocumentSummary) -> None:
        """A document of a batch that could not be aligned (`summary.message` says why).
        Only formats that list a batch's documents say so (the HTML report's index); in the
        others it has no rows, as in the batch's summary table it has its own."""

    def close(self) -> None:
        """Finish the output (a footer, a closing tag); the stream itself stays open."""

    def abort(self) -> None:
        """Give up after an error (the caller discards the output): release what the writer
        holds beyond the stream, such as temporary files."""

    def _write(self, text: str) -> None:
        self.out.write(utf8_safe(text).encode("utf-8"))
