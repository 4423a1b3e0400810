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

from aligner.band import Band, band_around_path, band_from_groups, band_union, full_band, reverse_band
from aligner.beads import Bead
from aligner.dp import backtrack, forward, meet, run_dp, touches_edge
from aligner.fork import run_aside
from aligner.features import Side
from aligner.scoring.base import BeadCost, Shape, total_cost

# MAC-Dev gold has only 2 of 1,343 beads beyond 3 x 5 sentences (alignment-notes.md).
DEFAULT_SHAPES: list[Shape] = [
    (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2), (1, 5), (1, 0), (0, 1),
]
COARSE = 8  # sentences per block in the coarse pass
# Tokens a coarse block keeps (its rarest): about two sentences' worth, so each coarse
# level handles fewer tokens than the one below and the pyramid stays linear.
COARSE_TOKENS = 32


@dataclass
class SearchConfig:
    shapes: list[Shape] = field(default_factory=lambda: list(DEFAULT_SHAPES))
    full_cells: int = 250_000  # grids of sentences up to this many cells are searched whole
    coarse_full_cells: int = 2_500  # the same for grids of merged blocks (about 50 x 50)
    radius: int = 16  # band half-width around a projected coarse path, in sentences
    guide_radius: int = 4  # the same around an earlier sentence-level alignment (second pass)
    paragraph_min_one_to_one: float = 0.5  # trust paragraphs when this share of them pair 1-1
    # bands of this many rows or more are solved as two halves (`_run`); below it a second
    # process costs more than it saves (a fork and its pipe take about 20 ms here)
    split_rows: int = 1000
    workers: int = 1  # 2: the two halves run in two processes (same result as 1)


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
    guide: list[Bead] | None = None, level: int = 0,
):
    """Best beads and their costs for two sides: inside `band` if given; else on the full grid
    when it is small; else in a band around `guide` (an earlier alignment) or around a
    coarse alignment of merged sentences, widened while the path touches its edge.

    Coarse levels (`level` > 0) take the full grid only when it is very small: their
    units hold 8^level sentences, and a full grid of them would cost time quadratic in
    the document (measured: the Bible x4 spent 6.5 s on a 394 x 313 grid of blocks)."""
    n, m = len(zh), len(en)
    if band is not None:
        return _run(zh, en, costs, cfg, band)
    limit = cfg.full_cells if level == 0 else cfg.coarse_full_cells
    if (n + 1) * (m + 1) <= limit or min(n, m) <= 2 * COARSE:
        return _run(zh, en, costs, cfg, full_band(n, m))
    if guide is None:
        zb, eb = _bounds(n, COARSE), _bounds(m, COARSE)
        coarse, _ = search(zh.merge(zb, COARSE_TOKENS), en.merge(eb, COARSE_TOKENS), costs, cfg, level=level + 1)
        points = _corners(coarse, zb, eb)
    else:
        points = _corners(guide)
    radius = cfg.radius if guide is None else cfg.guide_radius
    band = band_around_path(points, n, m, radius)
    attempt = 0
    while True:
        beads, bead_costs = _run(zh, en, costs, cfg, band)
        if radius >= max(n, m) or not touches_edge(band, beads, margin=2):
            return beads, bead_costs
        # The path pressed against the band's edge: first follow it (the band around the
        # new path, joined to the old one, grows only where the path went), then, if it
        # keeps pressing, double the radius everywhere.
        if attempt < 2:
            band = band_union(band, band_around_path(_corners(beads), n, m, radius))
        else:
            radius *= 2
            band = band_union(band, band_around_path(points, n, m, radius))
        attempt += 1


def _run(zh: Side, en: Side, costs: list[BeadCost], cfg: SearchConfig, band: Band):
    """The DP in `band`. Bands of `cfg.split_rows` rows or more are solved as two halves: rows
    down to the middle forward, the rest on the reversed problem, joined where the
    cheapest path crosses (`dp.meet`); the same path, and each half only binds the costs
    of its own rows, so with two workers the halves run side by side."""
    shapes = cfg.shapes
    if band.n < cfg.split_rows:
        return run_dp(band, shapes, _bound_costs(zh, en, costs, shapes, band))
    n, m = band.n, band.m
    mid = n // 2
    amax = max(a for a, _ in shapes)
    rzh, ren, rband = _reverse(zh), _reverse(en), reverse_band(band)
    tail_rows = n - (mid - amax + 1)
    tail = run_aside(lambda: forward(rband, shapes, _bound_costs(rzh, ren, costs, shapes, rband), tail_rows), cfg.workers > 1)
    head = forward(band, shapes, _bound_costs(zh, en, costs, shapes, band), mid)
    tail_table = tail()
    i, j = meet(band, shapes, head, tail_table)
    beads, bead_costs = backtrack(band, shapes, head, i, j)
    rbeads, rcosts = backtrack(rband, shapes, tail_table, n - i, m - j)
    beads += [(tuple(n - 1 - s for s in src[::-1]), tuple(m - 1 - t for t in tgt[::-1])) for src, tgt in rbeads[::-1]]
    return beads, bead_costs + rcosts[::-1]


def _bound_costs(zh: Side, en: Side, costs: list[BeadCost], shapes: list[Shape], band: Band):
    return total_cost([(c.weight, c.bind(zh, en, band, shapes)) for c in costs], shapes, band)


def _reverse(side: Side) -> Side:
    """The side read from its end: sentence k becomes len - 1 - k (every cost is symmetric)."""
    vectors = None if side.vectors is None else side.vectors[::-1].copy()
    return Side(side.lang, side.lengths[::-1].copy(), side.tokens[::-1], vectors)


def paragraph_band(
    zh: Side, en: Side, zh_par: list[int], en_par: list[int], costs: list[BeadCost], cfg: SearchConfig
) -> Band | None:
    """Band confining sentences to aligned paragraph groups, or None when the paragraphs
    disagree (too few pair one to one) or there is no paragraph structure to use."""
    if len(zh_par) <= 2 or len(en_par) <= 2:
        return None
    pbeads, _ = search(zh.merge(zh_par), en.merge(en_par), costs, cfg)
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
    cfg = cfg or SearchConfig()
    if len(zh) == 0 or len(en) == 0:
        beads = [((i,), ()) for i in range(len(zh))] + [((), (j,)) for j in range(len(en))]
        return beads, [0.0] * len(beads)
    band = paragraph_band(zh, en, zh_par, en_par, costs, cfg) if zh_par and en_par else None
    return search(zh, en, costs, cfg, band, guide)


def learn_pairs(
    zh: Side, en: Side, beads: list[Bead], zh_keys, en_key, min_count: int = 3, min_dice: float = 0.6
) -> dict[str, set[str]]:
    """Token pairs that co-occur in the beads of a first pass (Dice >= 0.6, >= 3 times;
    alignment-notes.md): names and terms a dictionary lacks, e.g. 韦小宝 <-> Trinket.

    Only what the bead leaves unexplained is counted: Chinese words none of whose keys
    are on the English side, and English keys that no Chinese word of the bead has.
    """
    key_of: dict[str, str | None] = {}
    for toks in en.tokens:
        for w in toks:
            if w not in key_of:
                key_of[w] = None if w.startswith("#") else en_key(w)
    keys_of: dict[str, frozenset[str]] = {}  # Chinese word -> its dictionary keys, looked up once
    zh_sets = [frozenset(u for u in toks if len(u) > 1 and not u.startswith("#")) for toks in zh.tokens]
    en_sets = [frozenset(k for w in toks if (k := key_of[w])) for toks in en.tokens]
    for words in zh_sets:
        for u in words:
            if u not in keys_of:
                keys_of[u] = frozenset(zh_keys(u))
    zh_id: dict[str, int] = {}
    en_id: dict[str, int] = {}
    zh_items: list[int] = []  # the unexplained words of each bead, bead after bead
    en_items: list[int] = []
    zh_count: list[int] = []  # per bead, how many of them
    en_count: list[int] = []
    for src, tgt in beads:
        if not src or not tgt:
            continue
        zs = zh_sets[src[0]].union(*(zh_sets[s] for s in src[1:]))
        es = en_sets[tgt[0]].union(*(en_sets[t] for t in tgt[1:]))
        explained = frozenset().union(*(keys_of[u] for u in zs))
        zs = [u for u in zs if keys_of[u].isdisjoint(es)]
        es = es - explained
        zh_items.extend(zh_id.setdefault(u, len(zh_id)) for u in zs)
        en_items.extend(en_id.setdefault(w, len(en_id)) for w in es)
        zh_count.append(len(zs))
        en_count.append(len(es))
    if not zh_items or not en_items:
        return {}
    zi, ei = np.array(zh_items), np.array(en_items)
    zn, en_n = np.array(zh_count), np.array(en_count)
    # every (Chinese item, English item) pair of the same bead, as one code per pair
    bead_of = np.repeat(np.arange(len(zn)), zn)
    reps = en_n[bead_of]
    first = (np.cumsum(en_n) - en_n)[bead_of]
    pair_z = np.repeat(zi, reps)
    pair_e = ei[np.repeat(first - (np.cumsum(reps) - reps), reps) + np.arange(int(reps.sum()))]
    codes, counts = np.unique(pair_z * len(en_id) + pair_e, return_counts=True)
    u, w = codes // len(en_id), codes % len(en_id)
    dice = 2 * counts / (np.bincount(zi, minlength=len(zh_id))[u] + np.bincount(ei, minlength=len(en_id))[w])
    keep = (counts >= min_count) & (dice >= min_dice)
    zh_words, en_keys = list(zh_id), list(en_id)
    learned: dict[str, set[str]] = {}
    for a, b in zip(u[keep], w[keep]):
        learned.setdefault(zh_words[a], set()).add(en_keys[b])
    return learned


def bead_score(cost: float, bead: Bead) -> float:
    """A score in [0, 1] from a bead's cost per sentence (higher is better; not yet calibrated)."""
    size = max(len(bead[0]) + len(bead[1]), 1)
    return float(1.0 / (1.0 + np.exp(cost / size)))
