"""A row of an alignment table, and the checks of its cells, as every table reader makes
them (`readers.table`: workbook, TSV, JSONL; `readers.tmx`: a translation memory)."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

from aligner.plumbing.errors import AlignerError

#: a score cell left empty (a pair the reviewer typed in) reads as this: a person vouched for it
REVIEWER_SCORE = 1.0

#: a side's sentence count is its largest index + 1, the length of its sentence sequence,
#: which a Python sequence cannot exceed (sys.maxsize); no smaller bound is sure, as a
#: reviewer may delete any rows, so the indices kept can be far apart
MAX_INDEX = sys.maxsize - 1


@dataclass
class Row:
    """One row of a table: texts, score, 0-based sentence indices (None: not given),
    document name, and whether the reviewer marked it wrong."""

    number: int
    src: str
    tgt: str
    score: float
    src_idx: tuple[int, ...] | None = None
    tgt_idx: tuple[int, ...] | None = None
    document: str | None = None
    wrong: bool = False


def checked_indices(path: str, where: str, name: str, numbers: tuple[int, ...], first: int = 0) -> tuple[int, ...]:
    """Sentence `numbers` counted from `first` (0: indices) as 0-based indices, once each is
    known to be one a document can have; the error names a number as the table gives it."""
    for n in numbers:
        if n - first > MAX_INDEX:
            what = "index" if first == 0 else "number"
            raise AlignerError(f"{where}: sentence {what} {n} in {name} is beyond the largest a document can have "
                               f"({MAX_INDEX + first})", path)
    return tuple(n - first for n in numbers)


def score_cell(path: str, row: str, value) -> float:
    """A score: a number in [0, 1]; empty means the reviewer wrote the pair. Errors name `row`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return REVIEWER_SCORE
    try:
        score = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        score = math.nan
    if not 0.0 <= score <= 1.0:  # NaN fails too
        raise AlignerError(f"{row}: score {str(value)[:40]!r} is not a number between 0 and 1", path)
    return score
