"""Length cost (Gale & Church 1993) on characters, calibrated per document.

English characters per Chinese character (white space not counted) vary by text
(docs/decisions.md), so the ratio is the document's own total ratio, trusted only
within RATIO_RANGE: when one side covers more text than the other (an excerpt against
a whole book) the totals say nothing about sentence lengths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.band import Band
from aligner.beads import Shape
from aligner.features import Side
from aligner.options import AlignOptions, Weights
from aligner.scoring.base import cell_grid
from aligner.scoring.evidence import Evidence


@dataclass
class LengthCost:
    """delta^2 / 2 with delta = (l_en - c l_zh) / sqrt(s2 (l_zh + l_en / c) / 2 + 1), s2 =
    variance * c (the + 1 keeps a bead of empty sentences finite)."""

    weight: float = 1.0
    # s2 per Chinese character, in English characters; only weight / variance matters much
    variance: float = Weights.length_variance

    def signature(self) -> str:
        return f"length:w={self.weight:g},var={self.variance:g}"

    def bind(self, evidence: Evidence, band: Band, shapes: list[Shape]) -> "_BoundLength":
        return _BoundLength(self, evidence.zh, evidence.en, band)


# English per Chinese characters: wide around the ratios of real translations (docs/decisions.md)
RATIO_RANGE = (2.0, 6.0)


class _BoundLength:
    def __init__(self, cfg: LengthCost, zh: Side, en: Side, band: Band):
        self.zc = np.concatenate([[0.0], np.cumsum(zh.lengths)])
        self.ec = np.concatenate([[0.0], np.cumsum(en.lengths)])
        self.ratio = float(np.clip(max(self.ec[-1], 1.0) / max(self.zc[-1], 1.0), *RATIO_RANGE))
        self.s2 = cfg.variance * self.ratio
        self.band = band

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        i, j = cell_grid(self.band, rows)
        jc = np.clip(j, 0, self.band.m)
        out = np.empty((len(shapes), *j.shape))
        for t, (a, b) in enumerate(shapes):
            if a == 0 or b == 0:  # nothing to compare: a one-sided bead's cost is scoring/skip.py's
                out[t] = 0.0
                continue
            lz = self.zc[i] - self.zc[np.maximum(i - a, 0)]
            le = self.ec[jc] - self.ec[np.clip(jc - b, 0, None)]
            spread = self.s2 * (lz + le / self.ratio) / 2 + 1.0
            out[t] = (le - self.ratio * lz) ** 2 / spread / 2
        return out


def from_options(options: AlignOptions) -> LengthCost | None:
    """The length cost of a run (`scoring.costs`), unless switched off (--no-length)."""
    w = options.weights
    return LengthCost(weight=w.length, variance=w.length_variance) if options.length else None
