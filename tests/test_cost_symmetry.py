"""The rule of `scoring.base.BeadCost` (a bead's cost does not depend on reading
direction), checked on real text for every cost the pipeline builds, so that a new cost
(an embedding, a skip cost) is checked as soon as it is built there. Read backwards, the
bead of sentences [i - a, i) x [j - b, j) ends at (n - i + a, m - j + b).
"""

from __future__ import annotations

import numpy as np
import pytest

from aligner.band import band_around_path, full_band, reverse_band
from aligner.features import build_sides
from aligner.options import DEFAULT_SHAPES, AlignOptions
from aligner.pipeline import key_functions
from aligner.readers.load import load_article
from aligner.scoring.costs import build_costs
from aligner.scoring.evidence import Evidence
from aligner.scoring.keys import KeyTable
from conftest import EXAMPLE


def article_evidence(extra: dict[str, set[str]] | None = None) -> Evidence:
    zh, en, _ = load_article(str(EXAMPLE))
    zs, es = build_sides(zh.sentences, en.sentences)
    extra = {"哈尔滨": {"harbin"}, "座谈会": {"forum"}} if extra is None else extra
    return Evidence(zs, es, KeyTable(*key_functions(AlignOptions()), extra))


def article_costs():
    return article_evidence(), build_costs(AlignOptions())


def bands(n: int, m: int):
    yield full_band(n, m)
    yield band_around_path([(0, 0), (n, m)], n, m, radius=2)


@pytest.mark.parametrize("which", range(len(article_costs()[1])))
def test_cost_is_the_same_read_backwards(which):
    evidence, costs = article_costs()
    assert_same_read_backwards(costs[which], evidence)


def assert_same_read_backwards(cost, evidence: Evidence) -> None:
    """Every bead of two bands costs the same bound to `evidence` and to it reversed."""
    n, m, shapes = len(evidence.zh), len(evidence.en), DEFAULT_SHAPES
    for band in bands(n, m):
        rband = reverse_band(band)
        fwd = cost.bind(evidence, band, shapes).costs(shapes, slice(0, n + 1))
        bwd = cost.bind(evidence.reversed(), rband, shapes).costs(shapes, slice(0, n + 1))
        checked = 0
        for t, (a, b) in enumerate(shapes):
            for i in range(a, n + 1):
                for j in range(max(band.lo[i], b), band.hi[i]):
                    if not band.lo[i - a] <= j - b < band.hi[i - a]:
                        continue  # the bead's start is outside the band: not a bead of this band
                    ri, rj = n - i + a, m - j + b
                    assert np.isclose(fwd[t, i, j - band.lo[i]], bwd[t, ri, rj - rband.lo[ri]], rtol=1e-9, atol=1e-9), (
                        type(cost).__name__, (a, b), (i, j))
                    checked += 1
        assert checked > 0


def test_reversed_entries_are_the_entries_made_backwards():
    """A reversed view's lexical entries are its mirror's read backwards (`Entries.reversed`):
    the same arrays as made from the reversed tokens with the same key table."""
    evidence = article_evidence({"哈尔滨": {"harbin"}})
    backwards = evidence.reversed()  # makes the forward entries, and so every key id
    assert backwards.mirror is evidence
    made = Evidence(evidence.zh.reversed(), evidence.en.reversed(), evidence.keys)  # no mirror: made anew
    for lang in ("zh", "en"):
        direct, derived = made.entries(lang), backwards.entries(lang)
        assert direct.n == derived.n and len(direct.sent) > 50
        for name in ("sent", "ptr", "ids", "typ"):
            assert np.array_equal(getattr(direct, name), getattr(derived, name)), (lang, name)
