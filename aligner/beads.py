"""Beads: the unit of an alignment, as plain immutable data.

A bead pairs a run of source sentences with a run of target sentences, each given
as a tuple of 0-based sentence indices (either side may be empty). An alignment
is a list of beads in document order. The same type is produced by the DP, read
and written by the Vecalign format, and scored by `evaluate`.
"""

from __future__ import annotations

import re

Bead = tuple[tuple[int, ...], tuple[int, ...]]
#: a bead's shape: (source sentences, target sentences), e.g. (1, 2)
Shape = tuple[int, int]

_SIDE = r"\[\s*([0-9,\s]*)\]"
# Vecalign's own output adds the bead's cost ('[0]:[1,2]:0.123456'); its reader ignores it
_SCORE = r"(?::\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*)?"
_LINE = re.compile(rf"^\s*{_SIDE}\s*:\s*{_SIDE}\s*{_SCORE}$")


def bead_type(bead: Bead) -> str:
    """The bead's shape as 'source count-target count', e.g. '1-2'."""
    return f"{len(bead[0])}-{len(bead[1])}"


def unpaired_beads(n: int, m: int) -> list[Bead]:
    """Every sentence of a pair of n and m sentences left unpaired: the source's, then the target's."""
    return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]


def sentence_numbers(side: tuple[int, ...]) -> str:
    """A side's sentences as people count them, from 1: (14, 15) -> '15,16', () -> ''.
    What people read (notes, the workbook, the rejects) counts from 1; the machine-facing
    `*_idx` fields (JSONL, TMX x-src-index, Vecalign beads) keep the 0-based indices."""
    return ",".join(str(i + 1) for i in side)


def make_bead(src_start: int, src_end: int, tgt_start: int, tgt_end: int) -> Bead:
    """Bead covering source sentences [src_start, src_end) and target [tgt_start, tgt_end)."""
    return tuple(range(src_start, src_end)), tuple(range(tgt_start, tgt_end))


def format_bead(bead: Bead) -> str:
    """Vecalign notation: '[0,1]:[2]'."""
    return "[{}]:[{}]".format(",".join(map(str, bead[0])), ",".join(map(str, bead[1])))


def parse_bead(line: str) -> Bead:
    """Parse one Vecalign line ('[0,1]:[2]', spaces allowed, '[]' for an empty side; a
    third field, the cost Vecalign writes, is ignored as Vecalign's scorer ignores it)."""
    m = _LINE.match(line)
    if not m:
        raise ValueError(f"not a bead: {line.strip()!r}")
    return tuple(
        tuple(int(x) for x in side.replace(",", " ").split()) for side in m.groups()
    )  # type: ignore[return-value]


def claim_sentences(bead: Bead, number: int, claimed: tuple[dict[int, int], dict[int, int]],
                    unit: str = "line", this: str = "bead", first: int = 0) -> None:
    """Record the sentences of `bead`, found at `unit` `number` (a file's line, a table's
    row), in `claimed` (each side: sentence -> its unit); ValueError for a sentence already
    in an earlier one, or twice in this one: beads that overlap are not an alignment. The
    message numbers a sentence as its file does: from `first` (0 in beads, 1 in a workbook)."""
    for side, name in ((0, "source"), (1, "target")):
        for i in bead[side]:
            earlier = claimed[side].get(i)
            if earlier == number:
                raise ValueError(f"{name} sentence {i + first} is twice in this {this}")
            if earlier is not None:
                raise ValueError(f"{name} sentence {i + first} is already in {unit} {earlier}")
            claimed[side][i] = number
