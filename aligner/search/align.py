"""Alignment of two sentence lists: a pure function of their features and a set of bead costs.

Search strategy (all stages use the same DP and the same costs):
1. paragraphs first, when both sides have paragraphs that mostly pair one to one:
   the sentence DP is then confined to aligned paragraph groups;
2. otherwise, small documents use the full grid, and long ones a coarse-to-fine
   band: sentences are merged into blocks of `COARSE` (recursively), the block
   alignment is projected back, and the full DP runs in a band around it, widened
   where the path presses against the band's edge (as Vecalign does);
3. optionally, token pairs that co-occur in the first pass's beads are learned and
   the document is aligned again with them (`learn_pairs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aligner.beads import Bead, Shape
from aligner.plumbing.fork import run_aside
from aligner.search.band import Band, band_around_path, band_from_groups, band_union, full_band, reverse_band
from aligner.search.dp import backtrack, forward, meet, run_dp, touches_edge
from aligner.search.posterior import Recorder, bead_posteriors, complete, mirrored
from aligner.features import Side
from aligner.scoring.base import BeadCost, total_cost

# MAC-Dev gold has almost no bead beyond 3 x 5 sentences (docs/alignment-notes.md).
DEFAULT_SHAPES: list[Shape] = [
    (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2), (1, 5), (1, 0), (0, 1),
    (2, 0), (3, 0), (4, 0),  # runs of untranslated Chinese sentences (scoring/skip.py)
]
COARSE = 8  # sentences per block in the coarse pass
# The bound of the search of one level, in what a matched pair of its size costs: the band
# of radius RADIUS around the straight line from (0, 0) to (n, m). No band may be more
# than this many times as wide, and all the passes of the level together (the first band,
# around the coarse or earlier path, and its widenings while the path keeps pressing
# against the edge) may cover at most this many times its cells. Memory is
# (rows x width) and time grows with the cells. Unbounded, two texts that do not
# correspond (an article beside another's translation) widened the band to the whole
# grid, ten times the matched pair's time and four times its memory; and a coarse path
# with a run of thousands of one-sided beads made a first band of tens of GB. A path
# still pressing against the edge at the bound is no alignment (benchmarks/hostile.py
# measures the pairs; docs/decisions.md, Search).
MAX_SEARCH_WORK = 3


class BandBoundReached(RuntimeError):
    """The search reached its bound (MAX_SEARCH_WORK): the texts do not correspond, not in
    order, or one has long passages the other does not."""
# Tokens a coarse block keeps (its rarest): about two sentences' worth, so each coarse
# level handles fewer tokens than the one below and the pyramid stays linear.
COARSE_TOKENS = 32


# band half-width around a projected coarse path, in sentences (SearchConfig.radius)
RADIUS = 16


@dataclass
class SearchConfig:
    shapes: list[Shape] = field(default_factory=lambda: list(DEFAULT_SHAPES))
    full_cells: int = 250_000  # grids of sentences up to this many cells are searched whole
    coarse_full_cells: int = 2_500  # the same for grids of merged blocks (about 50 x 50)
    radius: int = RADIUS
    guide_radius: int = 4  # the same around an earlier sentence-level alignment (second pass)
    paragraph_min_one_to_one: float = 0.5  # trust paragraphs when this share of them pair 1-1
    # bands of this many rows or more are solved as two halves (`_run`); below it a second
    # process costs more than it saves (docs/decisions.md)
    split_rows: int = 1000
    workers: int = 1  # 2: the two halves run in two processes (same result as 1)

    def signature(self) -> str:
        """The settings that can change the beads (split_rows and workers cannot)."""
        shapes = "+".join(f"{a}-{b}" for a, b in self.shapes)
        return (f"search:shapes={shapes},full={self.full_cells},coarse={COARSE}x{COARSE_TOKENS},coarse-full={self.coarse_full_cells},"
                f"radius={self.radius},guide={self.guide_radius},par={self.paragraph_min_one_to_one:g}")


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


def search(
    zh: Side, en: Side, costs: list[BeadCost], cfg: SearchConfig, band: Band | None = None,
    guide: list[Bead] | None = None, level: int = 0, temperature: float | None = None,
):
    """Best beads and their costs for two sides: inside `band` if given; else on the full grid
    when it is small; else in a band around `guide` (an earlier alignment) or around a
    coarse alignment of merged sentences, widened while the path touches its edge.

    Coarse levels (`level` > 0) take the full grid only when it is very small: their
    units hold 8^level sentences, and a full grid of them would cost time quadratic in
    the document (docs/decisions.md).

    The band is bounded (MAX_SEARCH_WORK): a first band beyond the bound raises
    BandBoundReached at any level; past the bound while widening, a coarse level or a
    guided pass keeps its best path inside it, and the first pass of the sentences raises
    BandBoundReached, as the texts do not correspond.

    Returns beads, their costs and, with a `temperature`, their posteriors in the final band
    (else None)."""
    n, m = len(zh), len(en)
    if band is not None:
        return _run(zh, en, costs, cfg, band, temperature)
    limit = cfg.full_cells if level == 0 else cfg.coarse_full_cells
    if (n + 1) * (m + 1) <= limit or min(n, m) <= 2 * COARSE:
        return _run(zh, en, costs, cfg, full_band(n, m), temperature)
    if guide is None:
        zb, eb = _bounds(n, COARSE), _bounds(m, COARSE)
        coarse, _, _ = search(zh.merge(zb, COARSE_TOKENS), en.merge(eb, COARSE_TOKENS), costs, cfg, level=level + 1)
        points = _corners(coarse, zb, eb)
    else:
        points = _corners(guide)
    radius = cfg.radius if guide is None else cfg.guide_radius
    band = band_around_path(points, n, m, radius)
    usual = band_around_path([(0, 0), (n, m)], n, m, RADIUS)
    budget, widest = MAX_SEARCH_WORK * usual.cells, MAX_SEARCH_WORK * usual.width
    if band.width > widest or band.cells > budget:  # the first path strays too far to search around
        raise BandBoundReached("no alignment found within the search's bound")
    spent = attempt = 0
    while True:
        beads, bead_costs, post = _run(zh, en, costs, cfg, band, temperature)
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


def _run(zh: Side, en: Side, costs: list[BeadCost], cfg: SearchConfig, band: Band, temperature: float | None = None):
    """The DP in `band`: beads, their costs, and with a `temperature` their posteriors
    (search/posterior.py; else None). Bands of `cfg.split_rows` rows or more are solved
    as two halves: rows down to the middle forward, the rest on the reversed problem,
    joined where the cheapest path crosses (`dp.meet`); the same path, given costs that
    obey the rule of `scoring.base.BeadCost`, and each half only binds the costs of its
    own rows, so with two workers the halves run side by side."""
    shapes = cfg.shapes
    n, m = band.n, band.m
    if band.n < cfg.split_rows:
        if temperature is None:
            return (*run_dp(band, shapes, _bound_costs(zh, en, costs, shapes, band)), None)
        head, blocks = _forward(zh, en, costs, shapes, band, n, temperature)
        if not np.isfinite(head.total[n, m - band.lo[n]]):
            raise RuntimeError("no path through the band")
        beads, bead_costs = backtrack(band, shapes, head, n, m)
        back = forward(reverse_band(band), shapes, mirrored(band, shapes, blocks), n, temperature=temperature, viterbi=False)
        return beads, bead_costs, bead_posteriors(band, beads, bead_costs, head.soft, back.soft, temperature)
    mid = n // 2
    amax = max(a for a, _ in shapes)
    for c in costs:  # what both halves read, made once before the fork (scoring.lexical.LexicalCost.prepare)
        if hasattr(c, "prepare"):
            c.prepare(zh, en)
    rzh, ren, rband = zh.reversed(), en.reversed(), reverse_band(band)
    tail_rows = n - (mid - amax + 1)
    tail = run_aside(lambda: _forward(rzh, ren, costs, shapes, rband, tail_rows, temperature), cfg.workers > 1)
    head, head_blocks = _forward(zh, en, costs, shapes, band, mid, temperature)
    tail_table, tail_blocks = tail()
    i, j = meet(band, shapes, head, tail_table)
    beads, bead_costs = backtrack(band, shapes, head, i, j)
    rbeads, rcosts = backtrack(rband, shapes, tail_table, n - i, m - j)
    beads += [(tuple(n - 1 - s for s in src[::-1]), tuple(m - 1 - t for t in tgt[::-1])) for src, tgt in rbeads[::-1]]
    bead_costs += rcosts[::-1]
    if temperature is None:
        return beads, bead_costs, None
    # each half goes on over the other's recorded costs: F below the middle, B above it
    # (the two are independent: with two workers, one runs in a second process)
    bwd_later = run_aside(lambda: complete(rband, shapes, tail_table, head_blocks, temperature), cfg.workers > 1)
    fwd = complete(band, shapes, head, tail_blocks, temperature)
    bwd = bwd_later()
    return beads, bead_costs, bead_posteriors(band, beads, bead_costs, fwd.soft, bwd.soft, temperature)


def _forward(zh: Side, en: Side, costs: list[BeadCost], shapes: list[Shape], band: Band, last: int, temperature: float | None):
    """`dp.forward` to row `last`; with a temperature, also the sum-product values and the
    cost blocks (for the other direction of forward-backward), else no blocks."""
    bound = _bound_costs(zh, en, costs, shapes, band)
    if temperature is None:
        return forward(band, shapes, bound, last), None
    rec = Recorder(bound, shapes, band, last + 1)
    return forward(band, shapes, rec, last, temperature=temperature), rec.blocks


def _bound_costs(zh: Side, en: Side, costs: list[BeadCost], shapes: list[Shape], band: Band):
    return total_cost([(c.weight, c.bind(zh, en, band, shapes)) for c in costs], shapes, band)


def paragraph_band(
    zh: Side, en: Side, zh_par: list[int], en_par: list[int], costs: list[BeadCost], cfg: SearchConfig
) -> Band | None:
    """Band confining sentences to aligned paragraph groups, or None when the paragraphs
    disagree (too few pair one to one) or there is no paragraph structure to use."""
    if len(zh_par) <= 2 or len(en_par) <= 2:
        return None
    pbeads, _, _ = search(zh.merge(zh_par), en.merge(en_par), costs, cfg)
    one_to_one = sum(1 for s, t in pbeads if len(s) == 1 and len(t) == 1) / len(pbeads)
    if one_to_one < cfg.paragraph_min_one_to_one:
        return None
    zb, eb = [0], [0]
    for s, t in pbeads:
        zb.append(zh_par[s[-1] + 1] if s else zb[-1])
        eb.append(en_par[t[-1] + 1] if t else eb[-1])
    band = band_from_groups(zb, eb)
    return band if band.cells <= cfg.full_cells else None


def align_sides(
    zh: Side,
    en: Side,
    costs: list[BeadCost],
    cfg: SearchConfig | None = None,
    zh_par: list[int] | None = None,
    en_par: list[int] | None = None,
    guide: list[Bead] | None = None,
) -> tuple[list[Bead], list[float]]:
    """Align two sides; `zh_par` / `en_par` are paragraph start indices plus the total, if known;
    `guide` is an earlier alignment of the same sides to search around (a second pass)."""
    beads, bead_costs, _ = align_with_posteriors(zh, en, costs, cfg, zh_par, en_par, guide)
    return beads, bead_costs


def align_with_posteriors(
    zh: Side,
    en: Side,
    costs: list[BeadCost],
    cfg: SearchConfig | None = None,
    zh_par: list[int] | None = None,
    en_par: list[int] | None = None,
    guide: list[Bead] | None = None,
    temperature: float | None = None,
) -> tuple[list[Bead], list[float], list[float] | None]:
    """`align_sides`, and with a `temperature` the posterior of each bead in the final band
    (forward-backward, aligner/posterior.py); None without."""
    cfg = cfg or SearchConfig()
    if len(zh) == 0 or len(en) == 0:
        beads = [((i,), ()) for i in range(len(zh))] + [((), (j,)) for j in range(len(en))]
        return beads, [0.0] * len(beads), None if temperature is None else [1.0] * len(beads)
    band = paragraph_band(zh, en, zh_par, en_par, costs, cfg) if zh_par and en_par else None
    return search(zh, en, costs, cfg, band, guide, temperature=temperature)

