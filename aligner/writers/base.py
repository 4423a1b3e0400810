"""The one interface every output format implements: documents in, bytes out, as they come.

A writer is opened on a binary stream, given aligned documents one at a time (`add`),
then closed (`close`, which writes any footer). A single alignment is one `add`; a
batch adds one document after another into one merged output, `batch=True`, each
under its name, so that memory does not grow with the number of documents.

Every writer's `add` receives the document and its name cleaned (`clean_document`):
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

from aligner.document import AlignedDocument, ReviewedDocument, Text
from aligner.plumbing.chars import clean, has_hidden, hidden_count

if TYPE_CHECKING:
    from aligner.summary import DocumentSummary

# A lone surrogate (e.g. from a file decoded with surrogateescape) cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters outside XML 1.0's Char production: C0 controls but tab/LF/CR,
# lone surrogates, U+FFFE and U+FFFF (TMX, XLSX and HTML cannot carry them).
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def utf8_safe(text: str) -> str:
    """`text` with lone surrogates replaced by U+FFFD, so that it encodes as UTF-8."""
    return _SURROGATE.sub("\ufffd", text)


def xml_chars(text: str) -> str:
    """`text` without the characters XML 1.0 forbids."""
    return _NOT_XML_CHAR.sub("", text)


def _texts(doc: AlignedDocument) -> list[str]:
    """The texts of `doc` that reach an output: its pairs' texts (the sentences, or a reviewed
    table's cells), its sides' added text (shown as rows of their own) and its metadata."""
    if isinstance(doc, ReviewedDocument):
        texts = [t for cell in doc.cells for t in cell]
    else:
        texts = [*doc.src.sentences, *doc.tgt.sentences]
    texts += [a.text for side in (doc.src, doc.tgt) for a in side.added]
    return texts + [str(x) for item in doc.metadata.items() for x in item]


def cleaned(doc: AlignedDocument) -> tuple[AlignedDocument, int]:
    """`doc` with every text a writer reads cleaned (`plumbing.chars.clean`): sentences or
    cells, added text, metadata, notes, status message, languages, paths, signature; and
    how many characters of its texts (`_texts`) that removed. `doc` itself, and 0, when
    there is nothing to remove, which one scan of its texts tells (the usual case: the
    outputs stay as they were)."""
    texts = _texts(doc)
    sides = (doc.src, doc.tgt)
    extra = [doc.src.lang, doc.tgt.lang, doc.src.path, doc.tgt.path, doc.signature, *doc.notes,
             doc.status.message if doc.status is not None else "",
             *(a.reason for side in sides for a in side.added), *(r for side in sides for r in side.solo.values()),
             *(str(x) for side in sides for item in side.metadata.items() for x in item)]
    if not has_hidden("\n".join(texts + extra)):
        return doc, 0
    # a reviewed document's writers read its cells (its sides' sentences, possibly a sparse
    # sequence of a huge length, are not walked)
    reviewed = isinstance(doc, ReviewedDocument)
    changes: dict = {"src": _clean_text(doc.src, not reviewed), "tgt": _clean_text(doc.tgt, not reviewed),
                     "metadata": _clean_table(doc.metadata), "signature": clean(doc.signature),
                     "notes": [clean(n) for n in doc.notes]}
    if doc.status is not None:
        changes["status"] = replace(doc.status, message=clean(doc.status.message))
    if reviewed:
        changes["cells"] = [(clean(a), clean(b)) for a, b in doc.cells]
    return replace(doc, **changes), sum(map(hidden_count, texts))


def clean_document(doc: AlignedDocument) -> AlignedDocument:
    """`doc` as every writer receives it (see `cleaned`)."""
    return cleaned(doc)[0]


def _clean_text(text: Text, sentences: bool) -> Text:
    paragraphs = [[clean(s) for s in p] for p in text.paragraphs] if sentences else text.paragraphs
    return replace(text, lang=clean(text.lang), paragraphs=paragraphs, path=clean(text.path),
                   metadata=_clean_table(text.metadata),
                   added=[replace(a, text=clean(a.text), reason=clean(a.reason)) for a in text.added],
                   solo={i: clean(r) for i, r in text.solo.items()})


def _clean_summary(summary):
    """A document's summary with its name and message cleaned (None stays None)."""
    if summary is None or not has_hidden(f"{summary.document}\n{summary.message}"):
        return summary
    return replace(summary, document=clean(summary.document), message=clean(summary.message))


def _clean_table(table: dict) -> dict:
    return {clean(str(k)): clean(v) if isinstance(v, str) else v for k, v in table.items()}


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
