"""A document's texts as every output has them, and which of its pairs are units.

`cleaned` leaves out of every text a writer reads the characters no output carries
(controls, bidi controls, invisible format characters: `plumbing.chars.clean`); every
writer receives its documents so (`writers.base.Writer`), and the summary counts what it
left out. A unit, a translation unit of the memory, is a pair with text on both sides once
that is done (`is_unit`): the one test of it, which the TMX writer, the summary, the
`--min-confidence` filter and the review marks (report, workbook) share.
"""

from __future__ import annotations

from dataclasses import replace

from aligner.document import AlignedDocument, ReviewedDocument, Text
from aligner.plumbing.chars import clean, has_hidden, hidden_count, xml_chars


def has_text(text: str) -> bool:
    """Whether one side of a pair has text in the outputs: something besides white space once
    the characters no output carries (`plumbing.chars.clean`) and those XML forbids
    (`plumbing.chars.xml_chars`) are left out."""
    return bool(xml_chars(clean(text)).strip())


def is_unit(src: str, tgt: str) -> bool:
    """Whether a pair (its sides' texts) is a unit: text on both sides (`has_text`). A pair of
    sentences without text (a --presplit input's blank lines) is none, though both its
    sides have sentences."""
    return has_text(src) and has_text(tgt)


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


def _clean_table(table: dict) -> dict:
    return {clean(str(k)): clean(v) if isinstance(v, str) else v for k, v in table.items()}
