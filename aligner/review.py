"""Which pairs a reviewer should look at first, and the figures a review report opens with.

A pair is doubtful when its score is below `DOUBTFUL_BELOW` or when one side is empty (a
sentence left unpaired: an omission, an addition, or a pair the aligner missed). The HTML
report marks and steps through these rows, the XLSX workbook shades them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from aligner.beads import bead_type
from aligner.cleaning import is_unit
from aligner.document import AlignedDocument
from aligner.summary import DocumentSummary

#: A row's review status (the workbook's `status` column, a JSONL line's `status`): a pair
#: marked WRONG is left out of the output `aligner convert` writes and goes to its rejects.
OK, WRONG = "ok", "wrong"
STATUSES = (OK, WRONG)

#: Scores below this mark a pair as doubtful (the one threshold of the report, the
#: workbook and `--min-confidence`): a score is the calibrated probability that the pair
#: is exactly right (scoring/confidence.py), so below one half it is more likely wrong.
DOUBTFUL_BELOW = 0.5


def is_doubtful(src: str, tgt: str, score: float, threshold: float = DOUBTFUL_BELOW) -> bool:
    """Whether a pair needs a reviewer: no unit (a side without text, `cleaning.is_unit`),
    or a score below `threshold`."""
    return not is_unit(src, tgt) or score < threshold


@dataclass(frozen=True)
class ReviewFigures:
    """What a report says about one document before its pairs."""

    summary: DocumentSummary
    types: dict[str, int]
    below: int
    doubtful: int
    threshold: float

    @classmethod
    def of(cls, doc: AlignedDocument, name: str = "", threshold: float = DOUBTFUL_BELOW) -> ReviewFigures:
        rows = doc.rows()  # added text (a glossary) is a doubtful row too: one side is empty
        types = Counter(bead_type(bead) for bead in doc.beads) if doc.indexed else Counter()
        units = [r for r in rows if is_unit(r.src, r.tgt)]
        below = sum(1 for r in units if r.score < threshold)
        doubtful = len(rows) - len(units) + below  # `is_doubtful`: every row that is no unit, and units below
        ordered = dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))
        return cls(DocumentSummary.of(doc, name), ordered, below, doubtful, threshold)
