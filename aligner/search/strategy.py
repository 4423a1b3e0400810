"""The search: the best beads of a document, a pure function of its evidence and a set of bead costs.

All stages use the same DP (search/dp.py) and the same costs:
1. paragraphs first, when both sides have paragraphs that mostly pair one to one:
   the sentence DP is then confined to aligned paragraph groups;
2. otherwise, small documents use the full grid, and long ones a coarse-to-fine
   band: sentences are merged into blocks of `SearchConfig.coarse` (recursively), the
   block alignment is projected back, and the full DP runs in a band around it, widened
   where the path presses against the band's edge (as Vecalign does); a second pass
   (`guide`) takes the band around the first pass's beads instead;
3. a band of many rows is solved from both ends, the two halves side by side in two
   processes (`_solve`); with a temperature, forward-backward gives each bead's
   posterior (search/posterior.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from aligner.band import Band, CostFn, band_around_path, band_from_groups, band_union, full_band, reverse_band
from aligner.beads import Bead, Shape, unpaired_beads
from aligner.options import SearchConfig
from aligner.plumbing.fork import run_aside
from aligner.scoring.base import BeadCost, bind_costs
from aligner.scoring.evidence import Evidence
from aligner.search.dp import Table, backtrack, best_path, meet, run_dp, sum_product, touches_edge
from aligner.search.posterior import Recorder, bead_posteriors, complete, mirrored

#: Told of the rows of the sentence grid the DP has done (a progress bar).
RowsDone = Callable[[int], None]

# The bound of the search of one level, in what a matched pair of its size costs: the band
# of the default radius (SearchConfig.radius) around the straight line from (0, 0) to
# (n, m). No band may be more than this many times as wide, and all the passes of the level
# together (the first band, around the coarse or earlier path, and its widenings while the
# path keeps pressing against the edge) may cover at most this many times its cells.
# Memory is (rows x width) and time grows with the cells. Unbounded, two texts that do not
# correspond (an article beside another's translation) widened the band to the whole
# grid, ten times the matched pair's time and four times its memory; and a coarse path
# with a run of thousands of one-sided beads made a first band of tens of GB. A path
# still pressing against the edge at the bound is no alignment (benchmarks/hostile.py
# measures the pairs; docs/decisions.md, Search).
MAX_SEARCH_WORK = 3


class BandBoundReached(RuntimeError):
    """The search reached its bound (MAX_SEARCH_WORK): the texts do not correspond, not in
    order, or one has long passages the other does not."""


@dataclass
class Found:
    """Beads in document order with, for each, its cost and, when asked for (a temperature),
    its posterior in the final band."""

    beads: list[Bead]
    costs: list[float]
    posteriors: list[float] | None


def search(
    evidence: Evidence, costs: Sequence[BeadCost], cfg: SearchConfig,
    paragraphs: tuple[list[int], list[int]] | None = None, guide: list[Bead] | None = None,
    temperature: float | None = None, rows_done: RowsDone | None = None,
) -> Found:
    """The best beads of a document. `paragraphs` are the paragraph start indices of each
    side plus its total, if known; `guide` an earlier alignment of the same document to
    search around (a second pass); with a `temperature`, each bead's posterior in the final
    band (forward-backward) too. `rows_done` is told of the DP's progress over the
    sentence grid (coarse and paragraph levels are not counted)."""
    n, m = len(evidence.zh), len(evidence.en)
    if n == 0 or m == 0:
        beads = unpaired_beads(n, m)
        return Found(beads, [0.0] * len(beads), None if temperature is None else [1.0] * len(beads))
    band = None
    if paragraphs and paragraphs[0] and paragraphs[1]:
        band = _paragraph_band(evidence, *paragraphs, costs, cfg)
    return Found(*_search(evidence, costs, cfg, band, guide, 0, temperature, rows_done))


def _bounds(n: int, k: int) -> list[int]:
    return list(range(0, n, k)) + [n]


def _corners(beads: list[Bead], zb: list[int] | None = None, eb: list[int] | None = None) -> list[tuple[int, int]]:
    """The path's corner after each bead; with block bounds `zb`/`eb`, in sentences of the level below."""
    pts = [(0, 0)]
    i = j = 0
    for src, tgt in beads:
        i += len(src)
        j += len(tgt)
        pts.append((zb[i] if zb else i, eb[j] if eb else j))
    return pts


def _search(
    evidence: Evidence, costs: Sequence[BeadCost], cfg: SearchConfig, band: Band | None, guide: list[Bead] | None,
    level: int, temperature: float | None, rows_done: RowsDone | None,
) -> tuple[list[Bead], list[float], list[float] | None]:
    """Best beads, their costs and, with a `temperature`, their posteriors (else None):
    inside `band` if given; else on the full grid when it is small; else in a band around
    `guide` or around a coarse alignment of merged sentences, widened while the path
    touches its edge.

    Coarse levels (`level` > 0) take the full grid only when it is very small: their
    units hold coarse^level sentences, and a full grid of them would cost time quadratic
    in the document (docs/decisions.md).

    The band is bounded (MAX_SEARCH_WORK): a first band beyond the bound raises
    BandBoundReached at any level; past the bound while widening, a coarse level or a
    guided pass keeps its best path inside it, and the first pass of the sentences raises
    BandBoundReached, as the texts do not correspond."""
    n, m = len(evidence.zh), len(evidence.en)
    if band is not None:
        return _solve(evidence, costs, cfg, band, temperature, rows_done)
    limit = cfg.full_cells if level == 0 else cfg.coarse_full_cells
    if (n + 1) * (m + 1) <= limit or min(n, m) <= 2 * cfg.coarse:
        return _solve(evidence, costs, cfg, full_band(n, m), temperature, rows_done)
    if guide is None:
        zb, eb = _bounds(n, cfg.coarse), _bounds(m, cfg.coarse)
        coarse, _, _ = _search(evidence.merged(zb, eb, cfg.coarse_tokens), costs, cfg, None, None, level + 1, None, None)
        points = _corners(coarse, zb, eb)
    else:
        points = _corners(guide)
    radius = cfg.radius if guide is None else cfg.guide_radius
    band = band_around_path(points, n, m, radius)
    usual = band_around_path([(0, 0), (n, m)], n, m, SearchConfig.radius)
    budget, widest = MAX_SEARCH_WORK * usual.cells, MAX_SEARCH_WORK * usual.width
    if band.width > widest or band.cells > budget:  # the first path strays too far to search around
        raise BandBoundReached("no alignment found within the search's bound")
    spent = attempt = 0
    while True:
        beads, bead_costs, post = _solve(evidence, costs, cfg, band, temperature, rows_done)
        spent += band.cells
        if radius >= max(n, m) or not touches_edge(band, beads, margin=2):
            return beads, bead_costs, post
        # The path pressed against the band's edge: first follow it (the band around the
        # new path, joined to the old one, grows only where the path went), then, if it
        # keeps pressing, double the radius everywhere.
        if attempt < 2:
            wider = band_union(band, band_around_path(_corners(beads), n, m, radius))
        else:
            radius *= 2
            wider = band_union(band, band_around_path(points, n, m, radius))
        if spent + wider.cells > budget or wider.width > widest:
            if guide is None and level == 0:
                raise BandBoundReached("no alignment found within the search's bound")
            return beads, bead_costs, post  # a coarse level's or a refinement's best inside the bound
        band = wider
        attempt += 1


def _paragraph_band(
    evidence: Evidence, zh_par: list[int], en_par: list[int], costs: Sequence[BeadCost], cfg: SearchConfig,
) -> Band | None:
    """Band confining sentences to aligned paragraph groups, or None when the paragraphs
    disagree (too few pair one to one) or there is no paragraph structure to use."""
    if len(zh_par) <= 2 or len(en_par) <= 2:
        return None
    pbeads, _, _ = _search(evidence.merged(zh_par, en_par), costs, cfg, None, None, 0, None, None)
    one_to_one = sum(1 for s, t in pbeads if len(s) == 1 and len(t) == 1) / len(pbeads)
    if one_to_one < cfg.paragraph_min_one_to_one:
        return None
    zb, eb = [0], [0]
    for s, t in pbeads:
        zb.append(zh_par[s[-1] + 1] if s else zb[-1])
        eb.append(en_par[t[-1] + 1] if t else eb[-1])
    band = band_from_groups(zb, eb)
    return band if band.cells <= cfg.full_cells else None


def _solve(
    evidence: Evidence, costs: Sequence[BeadCost], cfg: SearchConfig, band: Band, temperature: float | None,
    rows_done: RowsDone | None,
) -> tuple[list[Bead], list[float], list[float] | None]:
    """The DP in `band`: beads, their costs, and with a `temperature` their posteriors
    (search/posterior.py; else None). Bands of `cfg.split_rows` rows or more are solved
    as two halves: rows down to the middle forward, the rest on the reversed problem,
    joined where the cheapest path crosses (`dp.meet`); the same path, given costs that
    obey the rule of `scoring.base.BeadCost`, and each half only binds the costs of its
    own rows, so with two workers the halves run side by side."""
    shapes = cfg.shapes
    n, m = band.n, band.m
    if n < cfg.split_rows:
        if temperature is None:
            return (*run_dp(band, shapes, _counted(bind_costs(costs, evidence, band, shapes), rows_done)), None)
        head, blocks, fwd = _half(evidence, costs, shapes, band, n, temperature, rows_done)
        if not np.isfinite(head.total[n, m - band.lo[n]]):
            raise RuntimeError("no path through the band")
        beads, bead_costs = backtrack(band, shapes, head, n, m)
        bwd = sum_product(reverse_band(band), shapes, mirrored(band, shapes, blocks), n, temperature)
        return beads, bead_costs, bead_posteriors(band, beads, bead_costs, fwd, bwd, temperature)
    mid = n // 2
    amax = max(a for a, _ in shapes)
    aside = cfg.workers > 1
    rband = reverse_band(band)
    reverse = evidence.reversed()  # before the fork: what both halves read is made once
    tail_rows = n - (mid - amax + 1)
    # a progress bar counts this process's rows; the other process does as many
    head_rows = rows_done if rows_done is None or not aside else (lambda k: rows_done(2 * k))
    tail = run_aside(lambda: _half(reverse, costs, shapes, rband, tail_rows, temperature, None if aside else rows_done),
                     aside)
    head, head_blocks, head_soft = _half(evidence, costs, shapes, band, mid, temperature, head_rows)
    tail_table, tail_blocks, tail_soft = tail()
    i, j = meet(band, shapes, head, tail_table)
    beads, bead_costs = backtrack(band, shapes, head, i, j)
    rbeads, rcosts = backtrack(rband, shapes, tail_table, n - i, m - j)
    beads += [(tuple(n - 1 - s for s in src[::-1]), tuple(m - 1 - t for t in tgt[::-1])) for src, tgt in rbeads[::-1]]
    bead_costs += rcosts[::-1]
    if temperature is None:
        return beads, bead_costs, None
    # each half goes on over the other's recorded costs: F below the middle, B above it
    # (the two are independent: with two workers, one runs in a second process)
    bwd_later = run_aside(lambda: complete(rband, shapes, tail_soft, head_blocks, temperature), aside)
    fwd = complete(band, shapes, head_soft, tail_blocks, temperature)
    bwd = bwd_later()
    return beads, bead_costs, bead_posteriors(band, beads, bead_costs, fwd, bwd, temperature)


def _half(
    evidence: Evidence, costs: Sequence[BeadCost], shapes: list[Shape], band: Band, last: int,
    temperature: float | None, rows_done: RowsDone | None,
) -> tuple[Table, np.ndarray | None, np.ndarray | None]:
    """The best-path DP to row `last`; with a temperature, also the cost blocks (for the
    other direction of forward-backward) and the sum-product values, else None for both."""
    bound = _counted(bind_costs(costs, evidence, band, shapes), rows_done)
    if temperature is None:
        return best_path(band, shapes, bound, last), None, None
    rec = Recorder(bound, shapes, band, last + 1)
    table = best_path(band, shapes, rec, last)
    return table, rec.blocks, sum_product(band, shapes, rec.replay, last, temperature)


def _counted(costs: CostFn, rows_done: RowsDone | None) -> CostFn:
    """`costs`, telling `rows_done` of the rows asked for."""
    if rows_done is None:
        return costs

    def counted(rows: slice) -> np.ndarray:
        out = costs(rows)
        rows_done(rows.stop - rows.start)
        return out

    return counted
