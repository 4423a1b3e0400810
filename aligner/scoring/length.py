"""Length cost (Gale & Church 1993) on characters, calibrated per document.

English characters per Chinese character vary by text (white space not counted:
MAC-Dev chapters 2.9-4.3, the Bible 3.4, the seed article 3.75), so the ratio is the
document's own total ratio, trusted only within RATIO_RANGE: when one side covers more
text than the other (an excerpt against a whole book) the totals say nothing about
sentence lengths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.band import Band
from aligner.features import Side
from aligner.scoring.base import Shape, cell_grid


@dataclass
class LengthCost:
    """delta^2 / 2 with delta = (l_en - c l_zh) / sqrt(s2 (l_zh + l_en / c) / 2)."""

    weight: float = 1.0
    # s2 per Chinese character, in English characters. Fitted with the weight on MAC-Dev
    # (benchmarks/accuracy.py); only weight / variance matters much, so it is held here.
    variance: float = 6.5
    name: str = "length"

    def bind(self, zh: Side, en: Side, band: Band, shapes: list[Shape]) -> "_BoundLength":
        return _BoundLength(self, zh, en, band)


RATIO_RANGE = (2.0, 6.0)  # English per Chinese characters; measured extremes 2.9 and 4.3


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
