"""Filtering without loss: beads below a confidence threshold leave the main output for a
rejects file, and nothing is dropped silently (issue 10, item 4).

`split_beads` is a pure function of an aligned document; `aligner align` and `aligner batch`
write its `kept` part to the main output and its `rejected` part to `rejects_path(OUTPUT)`
with `RejectsWriter`. Every sentence of the document is in exactly one bead of the two.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from aligner.beads import bead_type, sentence_numbers
from aligner.document import AlignedDocument, ReviewedDocument
from aligner.writers.base import Writer
from aligner.writers.tsv import clean_field

REJECTS_SUFFIX = ".rejects.tsv"
REJECTS_COLUMNS = ("source", "translation", "score", "type", "src_no", "tgt_no")


@dataclass(frozen=True)
class Split:
    """The beads of one document in two parts, each a document over the same texts."""

    kept: AlignedDocument
    rejected: AlignedDocument


def split_beads(doc: AlignedDocument, min_confidence: float) -> Split:
    """Keep the beads with sentences on both sides and a score of at least `min_confidence`;
    reject the others, one-sided beads (a sentence with no counterpart) whatever their score."""
    keep = [bool(bead[0]) and bool(bead[1]) and score >= min_confidence for bead, score in zip(doc.beads, doc.scores)]
    return Split(_select(doc, keep), _select(doc, [not k for k in keep]))


def split_wrong(doc: AlignedDocument) -> Split:
    """Keep the beads of a reviewed table but those its reviewer marked wrong (the status
    column), which are rejected whatever their score."""
    wrong = getattr(doc, "wrong", None) or [False] * len(doc.beads)
    return Split(_select(doc, [not w for w in wrong]), _select(doc, wrong))


def _select(doc: AlignedDocument, chosen: list[bool]) -> AlignedDocument:
    """The document with only the beads `chosen` marks (and their table cells, if read back)."""
    pick = [k for k, keep in enumerate(chosen) if keep]
    fields = {"beads": [doc.beads[k] for k in pick], "scores": [doc.scores[k] for k in pick]}
    if isinstance(doc, ReviewedDocument):
        fields.update(cells=[doc.cells[k] for k in pick], wrong=[doc.wrong[k] for k in pick] if doc.wrong else [])
    return replace(doc, **fields)



def rejects_path(output: str) -> str:
    """Where the rejects of `output` go: beside it, OUTPUT.rejects.tsv."""
    return output + REJECTS_SUFFIX


class RejectsWriter(Writer):
    """The rejected beads as TSV with a header row: source, translation, score (2 decimals),
    type ('1-0'), each side's sentence numbers counted from 1 ('5,6'; empty when the
    document's are not known, as in a table read back without them), and in a batch the
    document. Not an output format of its own: it goes beside the main output."""

    name = "rejects"

    def __init__(self, out, batch=False, created=None):
        super().__init__(out, batch, created)
        columns = REJECTS_COLUMNS + (("document",) if batch else ())
        self._write("\t".join(columns) + "\n")

    def add(self, doc: AlignedDocument, name: str | None = None, summary=None) -> None:
        last = f"\t{clean_field(name or '')}" if self.batch else ""
        shown = doc.indexed
        self._write("".join(
            f"{clean_field(src)}\t{clean_field(tgt)}\t{score:.2f}\t{bead_type(bead) if shown else ''}\t"
            f"{sentence_numbers(bead[0]) if shown else ''}\t{sentence_numbers(bead[1]) if shown else ''}{last}\n"
            for src, tgt, score, bead in doc.pairs()
        ))
