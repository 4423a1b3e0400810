"""One row of figures per aligned document: how much was paired, what was left unpaired.

`aligner align --summary` writes one row, `aligner batch --summary` one per document; an
archive's keeper sorts by `src_unpaired` to find incomplete translations.
"""

from __future__ import annotations

from dataclasses import dataclass

from aligner.cleaning import cleaned, is_unit
from aligner.document import LANG_NAMES, AlignedDocument, base_lang
from aligner.plumbing.chars import clean

COLUMNS = ("document", "status", "src_sentences", "tgt_sentences", "units", "src_unpaired",
           "tgt_unpaired", "mean_confidence", "added", "flagged", "message")
#: the statuses of a document that was aligned (`aligner.status`); the other is 'failed'
ALIGNED = ("ok", "partial", "suspect")


@dataclass(frozen=True)
class DocumentSummary:
    """Figures of one document; `status` is 'ok', 'partial' or 'suspect' (`aligner.status`;
    `message` then says how much and where, or why) or 'failed' (`message` says why).

    `units` are the pairs with text on both sides (`cleaning.is_unit`): the translation
    units of a TMX (a bead of empty sentences, as the blank lines of a --presplit input
    give, is none, though both its sides have sentences);
    `src_unpaired` / `tgt_unpaired` count the sentences left without a counterpart (in
    one-sided beads); `mean_confidence` is the mean score of the units (None when there
    are none); `added` counts the blocks of added text kept out of the alignment (a
    glossary: `document.Added`), `flagged` the units whose translation keeps text of
    another script (`aligner.notes`). `hidden` counts the control and invisible characters
    the outputs leave out of its texts (`cleaning.cleaned`); the table says so in the
    message column.
    """

    document: str
    status: str = "ok"
    src_sentences: int = 0
    tgt_sentences: int = 0
    units: int = 0
    src_unpaired: int = 0
    tgt_unpaired: int = 0
    mean_confidence: float | None = None
    added: int = 0
    flagged: int = 0
    message: str = ""
    hidden: int = 0

    @property
    def aligned(self) -> bool:
        """Whether the document was aligned (any status but 'failed')."""
        return self.status in ALIGNED

    @classmethod
    def of(cls, doc: AlignedDocument, document: str, message: str = "") -> DocumentSummary:
        doc, hidden = cleaned(doc)  # the texts as the outputs have them
        src_unpaired, tgt_unpaired = unpaired(doc)
        units = [(score, k) for k, (src, tgt, score, _) in enumerate(doc.pairs()) if is_unit(src, tgt)]
        scores = [score for score, _ in units]
        flagged = sum(1 for _, k in units if doc.note(k))
        added = len(doc.src.added) + len(doc.tgt.added)
        status = doc.status.status if doc.status is not None else "ok"
        said = doc.status.message if doc.status is not None else ""
        return cls(
            document, status, len(doc.src.sentences), len(doc.tgt.sentences), len(scores),
            len(src_unpaired), len(tgt_unpaired), sum(scores) / len(scores) if scores else None,
            added, flagged, "; ".join(m for m in (said, message) if m), hidden,
        )

    @classmethod
    def failed(cls, document: str, message: str) -> DocumentSummary:
        return cls(document, "failed", message=message)

    @property
    def shown_message(self) -> str:
        """The message column: the message, and what the outputs left out of the texts."""
        hidden = hidden_note(self.hidden)
        return "; ".join(filter(None, (self.message, hidden)))

    def row(self) -> list[str]:
        """The summary as TSV fields, in COLUMNS order: white space in text made single
        spaces, control and invisible characters left out, and a text a spreadsheet would
        take for a formula (a document named '=cmd|...') made text (`spreadsheet_text`)."""
        fields = []
        for column in COLUMNS:
            value = self.shown_message if column == "message" else getattr(self, column)
            if value is None:
                fields.append("")
            elif isinstance(value, float):
                fields.append(f"{value:.4f}")
            elif isinstance(value, str):
                fields.append(spreadsheet_text(" ".join(clean(value).split())))
            else:
                fields.append(str(value))
        return fields


def spreadsheet_text(text: str) -> str:
    """`text` as a spreadsheet reads it as text: one that starts with =, +, - or @ would be
    taken for a formula (formula injection, OWASP's CSV injection), so it gets a leading
    apostrophe, which Excel and LibreOffice show as text and do not display."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def hidden_note(count: int) -> str:
    """'3 control or invisible characters left out of the output' ('' for none)."""
    if not count:
        return ""
    return f"{plural(count, 'control or invisible character')} (escape codes, bidi controls, zero-width) left out of the output"


def unpaired(doc: AlignedDocument) -> tuple[list[int], list[int]]:
    """Indices of the source and of the target sentences that are in one-sided beads."""
    src = [i for bead in doc.beads if not bead[1] for i in bead[0]]
    tgt = [j for bead in doc.beads if not bead[0] for j in bead[1]]
    return src, tgt


# Ranges listed in a note before it says "..." instead: the line stays one line.
MAX_RANGES = 12


def ranges(indices: list[int]) -> str:
    """Sorted numbers as runs: [4, 5, 6, 9] -> '4-6, 9' (at most MAX_RANGES runs, then '...')."""
    runs: list[list[int]] = []
    for i in sorted(indices):
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    text = [f"{a}-{b}" if b > a else str(a) for a, b in runs[:MAX_RANGES]]
    return ", ".join(text) + (", ..." if len(runs) > MAX_RANGES else "")


def plural(count: int, noun: str) -> str:
    """'1 document', '2 documents', '0 documents': the counts of messages and reports."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def unpaired_notes(doc: AlignedDocument) -> list[str]:
    """What the run left unpaired, one line per side that has any, sentences counted from 1
    as people count them (the output's x-src-index / src_idx are 0-based, one less):
    '3 Chinese sentences have no translation: 5-7'."""
    notes = []
    src, tgt = unpaired(doc)
    for indices, lang, what in ((src, doc.src.lang, "no translation"), (tgt, doc.tgt.lang, "no original")):
        if indices:
            name = LANG_NAMES.get(base_lang(lang), lang)
            verb = "has" if len(indices) == 1 else "have"
            noun = "sentence" if len(indices) == 1 else "sentences"
            notes.append(f"{len(indices)} {name} {noun} {verb} {what}: {ranges([i + 1 for i in indices])}")
    return notes


def header_line() -> str:
    return "\t".join(COLUMNS) + "\n"


def tsv_line(summary: DocumentSummary) -> str:
    return "\t".join(summary.row()) + "\n"
