"""The rule of `scoring.base.BeadCost` (a bead's cost does not depend on reading
direction), checked on real text for every cost the pipeline builds, so that a new cost
(an embedding, a skip cost) is checked as soon as it is built there. Read backwards, the
bead of sentences [i - a, i) x [j - b, j) ends at (n - i + a, m - j + b).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from aligner.features import build_sides
from aligner.options import AlignOptions
from aligner.pipeline import build_costs, key_functions
from aligner.readers.load import load_article
from aligner.scoring.lexical import KeyTable
from aligner.search.align import DEFAULT_SHAPES
from aligner.search.band import band_around_path, full_band, reverse_band
from conftest import EXAMPLE


def article_costs():
    zh, en, _ = load_article(str(EXAMPLE))
    zs, es = build_sides(zh.sentences, en.sentences)
    options = AlignOptions()
    keys = KeyTable(*key_functions(options), {"哈尔滨": {"harbin"}, "座谈会": {"forum"}})
    return zs, es, build_costs(options, keys)


def bands(n: int, m: int):
    yield full_band(n, m)
    yield band_around_path([(0, 0), (n, m)], n, m, radius=2)


@pytest.mark.parametrize("which", range(len(article_costs()[2])))
def test_cost_is_the_same_read_backwards(which):
    zs, es, costs = article_costs()
    cost = costs[which]
    n, m, shapes = len(zs), len(es), DEFAULT_SHAPES
    for band in bands(n, m):
        rband = reverse_band(band)
        fwd = cost.bind(zs, es, band, shapes).costs(shapes, slice(0, n + 1))
        bwd = cost.bind(zs.reversed(), es.reversed(), rband, shapes).costs(shapes, slice(0, n + 1))
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
    """A reversed side's lexical entries are its mirror's read backwards (`Entries.reversed`):
    the same arrays as made from the reversed tokens (a `replace`d copy forgets its mirror)."""
    zs, es, _ = article_costs()
    made = KeyTable(*key_functions(AlignOptions()), {"哈尔滨": {"harbin"}})
    derived = KeyTable(*key_functions(AlignOptions()), {"哈尔滨": {"harbin"}})
    for side, entries in ((zs, "zh_entries"), (es, "en_entries")):
        getattr(made, entries)(side), getattr(derived, entries)(side)  # the same key ids in both tables
        assert side.reversed().mirror() is side and replace(side.reversed()).mirror() is None
        direct = getattr(made, entries)(replace(side.reversed()))
        backwards = getattr(derived, entries)(side.reversed())
        assert direct.n == backwards.n and len(direct.sent) > 50
        for name in ("sent", "ptr", "ids", "typ"):
            assert np.array_equal(getattr(direct, name), getattr(backwards, name)), (entries, name)
