"""Filtering without loss: beads below a confidence threshold leave the main output for a
rejects file, and nothing is dropped silently (issue 10, item 4).

`split_beads` is a pure function of an aligned document; `aligner align` and `aligner batch`
write its `kept` part to the main output and its `rejected` part to `rejects_path(OUTPUT)`
with `RejectsWriter`. Every sentence of the document is in exactly one bead of the two.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from aligner.beads import bead_type
from aligner.document import AlignedDocument
from aligner.writers.base import Writer
from aligner.writers.jsonl import ADDED_TYPE
from aligner.writers.tsv import clean_field

REJECTS_SUFFIX = ".rejects.tsv"
REJECTS_COLUMNS = ("source", "translation", "score", "type", "src_idx", "tgt_idx")


@dataclass(frozen=True)
class Split:
    """The beads of one document in two parts, each a document over the same texts."""

    kept: AlignedDocument
    rejected: AlignedDocument


def split_beads(doc: AlignedDocument, min_confidence: float) -> Split:
    """Keep the beads with sentences on both sides and a score of at least `min_confidence`;
    reject the others, one-sided beads (a sentence with no counterpart) whatever their score,
    and every bead of a document whose status is 'suspect' (its sides do not read as
    translations of each other: `aligner.status`). Text the translation added (a glossary)
    goes with the rejects."""
    suspect = doc.status is not None and doc.status.status == "suspect"
    why = f"the document is suspect: {doc.status.message}" if suspect else ""
    kept, rejected = [], []
    for k, (bead, score) in enumerate(zip(doc.beads, doc.scores)):
        keep = not suspect and bool(bead[0]) and bool(bead[1]) and score >= min_confidence
        (kept if keep else rejected).append((bead, score, "; ".join(n for n in (doc.note(k), why) if n)))
    plain = doc  # the kept part: without added text (its rows go to the rejects)
    if doc.src.added or doc.tgt.added:
        plain = replace(doc, src=replace(doc.src, added=[]), tgt=replace(doc.tgt, added=[]))
    return Split(_with_beads(plain, kept), _with_beads(doc, rejected))


def _with_beads(doc: AlignedDocument, beads: list) -> AlignedDocument:
    notes = [n for _, _, n in beads]
    return replace(doc, beads=[b for b, _, _ in beads], scores=[s for _, s, _ in beads],
                   notes=notes if any(notes) else [])


def rejects_path(output: str) -> str:
    """Where the rejects of `output` go: beside it, OUTPUT.rejects.tsv."""
    return output + REJECTS_SUFFIX


class RejectsWriter(Writer):
    """The rejected beads as TSV with a header row: source, translation, score (2 decimals),
    type ('1-0', or 'added' for text the translation added), 0-based sentence indices of
    each side ('4,5'), in a batch the document, and last the machine note (why a row is
    one-sided, flagged or from a suspect document). Not an output format of its own: it goes
    beside the main output."""

    name = "rejects"

    def __init__(self, out, batch=False, created=None):
        super().__init__(out, batch, created)
        columns = REJECTS_COLUMNS + (("document",) if batch else ()) + ("note",)
        self._write("\t".join(columns) + "\n")

    def add(self, doc: AlignedDocument, name: str | None = None, summary=None) -> None:
        last = f"\t{clean_field(name or '')}" if self.batch else ""
        self._write("".join(
            f"{clean_field(r.src)}\t{clean_field(r.tgt)}\t{r.score:.2f}\t"
            f"{ADDED_TYPE if r.added else bead_type(r.bead)}\t"
            f"{','.join(map(str, (r.bead or ((), ()))[0]))}\t{','.join(map(str, (r.bead or ((), ()))[1]))}"
            f"{last}\t{clean_field(r.note)}\n"
            for r in doc.rows()
        ))
