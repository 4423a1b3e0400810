"""A toy kind of evidence, written as a new one would be (docs/design.md): one module with a
cost class and its `from_options`, plugged in by one line in `scoring.costs.COSTS`
(tests/test_new_evidence.py does it).

Words per sentence: a bead's English should hold about `ratio` words for each Chinese
word. Not a good signal (the length cost reads characters, which say more), but it reads
the evidence as every cost does: the sides' tokens, with what it derives from them kept
in the evidence for the next bind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.band import Band
from aligner.beads import Shape
from aligner.features import Side
from aligner.options import AlignOptions
from aligner.scoring.base import cell_grid
from aligner.scoring.evidence import Evidence


@dataclass
class WordCountCost:
    weight: float = 1.0
    ratio: float = 1.5  # English words per Chinese word

    def signature(self) -> str:
        return f"words:w={self.weight:g},ratio={self.ratio:g}"

    def bind(self, evidence: Evidence, band: Band, shapes: list[Shape]) -> "_BoundWordCount":
        # word counts summed from the start, made once per view of the document
        zc = evidence.derived(("word-counts", "zh"), lambda ev: _running_counts(ev.zh))
        ec = evidence.derived(("word-counts", "en"), lambda ev: _running_counts(ev.en))
        return _BoundWordCount(zc, ec, self.ratio, band)


def from_options(options: AlignOptions) -> WordCountCost:
    return WordCountCost()


def _running_counts(side: Side) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum([len(w) for w in side.words], dtype=np.float64)])


class _BoundWordCount:
    def __init__(self, zc: np.ndarray, ec: np.ndarray, ratio: float, band: Band):
        self.zc, self.ec, self.ratio, self.band = zc, ec, ratio, band

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        i, j = cell_grid(self.band, rows)
        jc = np.clip(j, 0, self.band.m)
        out = np.zeros((len(shapes), *j.shape))
        for t, (a, b) in enumerate(shapes):
            if a and b:  # a one-sided bead has nothing to compare (scoring/skip.py prices it)
                zh = self.zc[i] - self.zc[np.maximum(i - a, 0)]
                en = self.ec[jc] - self.ec[np.clip(jc - b, 0, None)]
                out[t] = (np.log1p(en) - np.log1p(self.ratio * zh)) ** 2
        return out
