"""Cost of sentences left without counterpart (1-0 and 0-1 beads, k-0 for a run): no length evidence.

The other costs are evidence that two runs of sentences translate each other: the
lexical cost is a log-likelihood ratio against chance, the length cost compares two
lengths and has nothing to compare in a one-sided bead (Gale & Church's delta with one
side 0 would charge a sentence for being long). So leaving sentences unpaired costs
constants: `open` for a run of untranslated sentences and `extend` for each further
sentence of it (an affine gap, as in sequence alignment: a translation loses whole
passages more often than scattered sentences). A unit of a merged side (a coarse
block, a paragraph) counts as its number of sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.band import Band
from aligner.beads import Bead, Shape
from aligner.options import AlignOptions, Weights
from aligner.scoring.base import cell_grid
from aligner.scoring.evidence import Evidence


@dataclass
class SkipCost:
    """-log probabilities, weighted like the shape prior (`from_options` gives this cost
    the prior's weight, so that refitting that weight keeps the two in proportion); the
    defaults are `options.Weights`' (chosen by leave-one-chapter-out on damaged and
    undamaged MAC-Dev: docs/decisions.md). English is cheaper to leave unpaired than
    Chinese because the alternative, gluing it into a neighbour's bead, is cheap too:
    one Chinese sentence often becomes two or three English ones."""

    weight: float = 1.0
    open_zh: float = Weights.skip_zh  # a run of Chinese sentences without translation
    open_en: float = Weights.skip_en  # a run of English sentences without source
    extend: float = Weights.skip_extend  # each sentence of a run after its first

    def signature(self) -> str:
        return f"skip:w={self.weight:g},zh={self.open_zh:.4g},en={self.open_en:.4g},extend={self.extend:.4g}"

    def bind(self, evidence: Evidence, band: Band, shapes: list[Shape]) -> "_BoundSkip":
        # A unit of a merged side (coarse block, paragraph) stands for several sentences whose
        # evidence is summarised; its skip is charged as that many separate runs, so that the
        # coarse passes, which only place the band, do not skip blocks to ease a poor match.
        zh, en = evidence.zh, evidence.en
        extend = self.extend if zh.sizes is None and en.sizes is None else None
        return _BoundSkip(self, zh.sentence_counts(), en.sentence_counts(), band, extend)


class _BoundSkip:
    def __init__(self, cfg: SkipCost, zh_sizes: np.ndarray, en_sizes: np.ndarray, band: Band, extend: float | None):
        self.cfg, self.band, self.extend = cfg, band, extend
        self.zc = np.concatenate([[0.0], np.cumsum(zh_sizes)])
        self.ec = np.concatenate([[0.0], np.cumsum(en_sizes)])

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        i, j = cell_grid(self.band, rows)
        jc = np.clip(j, 0, self.band.m)
        out = np.zeros((len(shapes), *j.shape))
        c = self.cfg
        for t, (a, b) in enumerate(shapes):
            if a and not b:
                count = self.zc[i] - self.zc[np.maximum(i - a, 0)]
                out[t] = c.open_zh + (count - 1) * (c.open_zh if self.extend is None else self.extend)
            elif b and not a:
                count = self.ec[jc] - self.ec[np.clip(jc - b, 0, None)]
                out[t] = c.open_en + (count - 1) * (c.open_en if self.extend is None else self.extend)
        return out


def from_options(options: AlignOptions) -> SkipCost:
    """The skip cost of a run (`scoring.costs`), at the shape prior's weight."""
    w = options.weights
    return SkipCost(weight=w.prior, open_zh=w.skip_zh, open_en=w.skip_en, extend=w.skip_extend)


def unpack_skips(beads: list[Bead], costs: list[float], posteriors: list[float] | None):
    """Beads of several sentences on one side and none on the other (a k-0 bead, one run of
    untranslated sentences) as k beads of one sentence each, as the gold and the writers
    have them; each keeps the run's posterior and an equal share of its cost."""
    out_b: list[Bead] = []
    out_c: list[float] = []
    out_p: list[float] = []
    for k, (bead, cost) in enumerate(zip(beads, costs)):
        src, tgt = bead
        if len(src) > 1 and not tgt:
            parts: list[Bead] = [((i,), ()) for i in src]
        elif len(tgt) > 1 and not src:
            parts = [((), (j,)) for j in tgt]
        else:
            parts = [bead]
        out_b += parts
        out_c += [cost / len(parts)] * len(parts)
        if posteriors is not None:
            out_p += [posteriors[k]] * len(parts)
    return out_b, out_c, out_p if posteriors is not None else None
