"""Filtering without loss: beads below a confidence threshold leave the main output for a
rejects file, and nothing is dropped silently (issue 10, item 4).

`split_beads` is a pure function of an aligned document; `aligner align` and `aligner batch`
write its `kept` part to the main output and its `rejected` part to `rejects_path(OUTPUT)`
with `RejectsWriter`. Every sentence of the document is in exactly one bead of the two.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from aligner.beads import bead_type, sentence_numbers
from aligner.cleaning import is_unit
from aligner.document import AlignedDocument, ReviewedDocument
from aligner.writers.base import Writer
from aligner.writers.jsonl import ADDED_TYPE
from aligner.writers.tsv import clean_field

REJECTS_SUFFIX = ".rejects.tsv"
REJECTS_COLUMNS = ("source", "translation", "score", "type", "src_no", "tgt_no")


@dataclass(frozen=True)
class Split:
    """The beads of one document in two parts, each a document over the same texts."""

    kept: AlignedDocument
    rejected: AlignedDocument


def split_beads(doc: AlignedDocument, min_confidence: float) -> Split:
    """Keep the units (pairs with text on both sides, `cleaning.is_unit`) with a score of at
    least `min_confidence`; reject the others, one-sided beads (a sentence with no
    counterpart) and pairs without text whatever their score, and every bead of a document
    whose status is 'suspect' (its sides do not read as translations of each other:
    `aligner.status`). Text the translation added (a glossary) goes with the rejects."""
    suspect = doc.status is not None and doc.status.status == "suspect"
    keep = [not suspect and is_unit(src, tgt) and score >= min_confidence for src, tgt, score, _ in doc.pairs()]
    kept, rejected = _select(doc, keep), _select(doc, [not k for k in keep])
    if doc.src.added or doc.tgt.added:  # the kept part without added text: its rows are rejects
        kept = replace(kept, src=replace(kept.src, added=[]), tgt=replace(kept.tgt, added=[]))
    if suspect:
        why = f"the document is suspect: {doc.status.message}"
        rejected = replace(rejected, notes=["; ".join(n for n in (rejected.note(k), why) if n)
                                            for k in range(len(rejected.beads))])
    return Split(kept, rejected)


def split_wrong(doc: AlignedDocument) -> Split:
    """Keep the beads of a reviewed table but those its reviewer marked wrong (the status
    column), which are rejected whatever their score."""
    wrong = getattr(doc, "wrong", None) or [False] * len(doc.beads)
    return Split(_select(doc, [not w for w in wrong]), _select(doc, wrong))


def _select(doc: AlignedDocument, chosen: list[bool]) -> AlignedDocument:
    """The document with only the beads `chosen` marks (and their table cells, if read back)."""
    pick = [k for k, keep in enumerate(chosen) if keep]
    fields = {"beads": [doc.beads[k] for k in pick], "scores": [doc.scores[k] for k in pick],
              "notes": [doc.notes[k] for k in pick] if doc.notes else []}
    if isinstance(doc, ReviewedDocument):
        fields.update(cells=[doc.cells[k] for k in pick], wrong=[doc.wrong[k] for k in pick] if doc.wrong else [])
    return replace(doc, **fields)



def rejects_path(output: str) -> str:
    """Where the rejects of `output` go: beside it, OUTPUT.rejects.tsv."""
    return output + REJECTS_SUFFIX


class RejectsWriter(Writer):
    """The rejected beads as TSV with a header row: source, translation, score (2 decimals),
    type ('1-0', or 'added' for text the translation added), each side's sentence numbers
    counted from 1 ('5,6'; empty when the document's are not known, as in a table read back
    without them), in a batch the document, and last the machine note (why a row is
    one-sided, flagged, added or from a suspect document). Not an output format of its
    own: it goes beside the main output."""

    name = "rejects"

    def __init__(self, out, batch=False, created=None):
        super().__init__(out, batch, created)
        columns = REJECTS_COLUMNS + (("document",) if batch else ()) + ("note",)
        self._write("\t".join(columns) + "\n")

    def add(self, doc: AlignedDocument, name: str | None = None, summary=None) -> None:
        last = f"\t{clean_field(name or '')}" if self.batch else ""
        shown = doc.indexed
        rows = []
        for r in doc.rows():
            bead = r.bead or ((), ())
            kind = ADDED_TYPE if r.added else bead_type(bead) if shown else ""
            rows.append(f"{clean_field(r.src)}\t{clean_field(r.tgt)}\t{r.score:.2f}\t{kind}\t"
                        f"{sentence_numbers(bead[0]) if shown else ''}\t{sentence_numbers(bead[1]) if shown else ''}"
                        f"{last}\t{clean_field(r.note)}\n")
        self._write("".join(rows))
