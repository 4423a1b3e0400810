"""One row of figures per aligned document: how much was paired, what was left unpaired.

`aligner align --summary` writes one row, `aligner batch --summary` one per document; an
archive's keeper sorts by `src_unpaired` to find incomplete translations.
"""

from __future__ import annotations

from dataclasses import dataclass

from aligner.document import AlignedDocument

COLUMNS = ("document", "status", "src_sentences", "tgt_sentences", "units", "src_unpaired",
           "tgt_unpaired", "mean_confidence", "message")


@dataclass(frozen=True)
class DocumentSummary:
    """Figures of one document; `status` is 'ok' or 'failed' (`message` then says why).

    `units` are the pairs with text on both sides (the translation units of a TMX);
    `src_unpaired` / `tgt_unpaired` count the sentences left without a counterpart;
    `mean_confidence` is the mean score of the units (None when there are none).
    """

    document: str
    status: str = "ok"
    src_sentences: int = 0
    tgt_sentences: int = 0
    units: int = 0
    src_unpaired: int = 0
    tgt_unpaired: int = 0
    mean_confidence: float | None = None
    message: str = ""

    @classmethod
    def of(cls, doc: AlignedDocument, document: str, message: str = "") -> DocumentSummary:
        src_unpaired, tgt_unpaired = unpaired(doc)
        scores = [score for bead, score in zip(doc.beads, doc.scores) if bead[0] and bead[1]]
        return cls(
            document, "ok", len(doc.src.sentences), len(doc.tgt.sentences), len(scores),
            len(src_unpaired), len(tgt_unpaired), sum(scores) / len(scores) if scores else None, message,
        )

    @classmethod
    def failed(cls, document: str, message: str) -> DocumentSummary:
        return cls(document, "failed", message=message)

    def row(self) -> list[str]:
        """The summary as TSV fields, in COLUMNS order (white space in text made single spaces)."""
        fields = []
        for column in COLUMNS:
            value = getattr(self, column)
            if value is None:
                fields.append("")
            elif isinstance(value, float):
                fields.append(f"{value:.4f}")
            else:
                fields.append(" ".join(str(value).split()))
        return fields


def unpaired(doc: AlignedDocument) -> tuple[list[int], list[int]]:
    """Indices of the source and of the target sentences that are in one-sided beads."""
    src = [i for bead in doc.beads if not bead[1] for i in bead[0]]
    tgt = [j for bead in doc.beads if not bead[0] for j in bead[1]]
    return src, tgt


def header_line() -> str:
    return "\t".join(COLUMNS) + "\n"


def tsv_line(summary: DocumentSummary) -> str:
    return "\t".join(summary.row()) + "\n"
