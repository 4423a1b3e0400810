"""The dynamic programme over beads, restricted to a band (Gale & Church 1993; Vecalign's layout).

`run_dp` is a pure function of a band, the bead shapes and a cost callback; it knows
nothing about sentences. Rows are processed in order, each vectorised over its band
columns; back-pointers take one byte per band cell, so memory is (n + 1) x width.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from aligner.search.band import Band, reverse_band
from aligner.beads import Bead, Shape, make_bead


#: Cost callback: for a slice of rows, the cost of every shape at every band cell,
#: shape (len(shapes), rows, band.width); cells outside the band may hold anything finite.
CostFn = Callable[[slice], np.ndarray]

INF = np.inf
# The cost of a 0-1 bead where none may go: finite (running sums of it must stay exact
# enough), far above any real path cost; a path cost at or above NO_PATH / 10 is none.
NO_PATH = 1e12


@dataclass
class Table:
    """The forward DP over rows 0 .. len(total) - 1 of a band: the cheapest path cost from
    (0, 0) to each band cell (+inf where there is none) and the shape of its last bead;
    with a temperature T, also the sum-product twin: -T log of the sum of exp(-cost / T)
    over all paths to the cell (aligner/posterior.py)."""

    total: np.ndarray  # float64 (rows, band.width)
    back: np.ndarray  # int8 (rows, band.width): index into the shapes, -1 for none
    soft: np.ndarray | None = None  # float64 (rows, band.width), when a temperature is given


def run_dp(band: Band, shapes: list[Shape], costs: CostFn, chunk: int = 256) -> tuple[list[Bead], list[float]]:
    """Cheapest path of beads from (0, 0) to (n, m) inside `band`.

    Returns the beads in document order and the cost of each bead.
    """
    table = forward(band, shapes, costs, band.n, chunk)
    if not np.isfinite(table.total[band.n, band.m - band.lo[band.n]]):
        raise RuntimeError("no path through the band")
    return backtrack(band, shapes, table, band.n, band.m)


def forward(
    band: Band, shapes: list[Shape], costs: CostFn, last: int, chunk: int = 256,
    temperature: float | None = None, start: Table | None = None, viterbi: bool = True,
) -> Table:
    """The DP's values for rows 0 .. `last` (values of a row depend only on the rows above it).

    With `temperature`, the sum-product values too (`Table.soft`), from the same candidates;
    `start` is a table of the first rows to go on from (its rows are kept, the costs are
    asked only for the rows after it); `viterbi=False` computes only the sum-product values.
    """
    width = band.width
    if (0, 0) in shapes:
        raise ValueError("the empty bead 0-0 is not a shape")
    move = [t for t, s in enumerate(shapes) if s[0] > 0]
    mv_a = np.array([shapes[t][0] for t in move])
    mv_b = np.array([shapes[t][1] for t in move])
    ins = shapes.index((0, 1)) if (0, 1) in shapes else -1  # 0-1 beads move along a row: sequential
    soft_on = temperature is not None
    first = 0 if start is None else len(start.back)
    back = np.full((last + 1, width), -1, np.int8)
    total = np.zeros((last + 1, width))
    soft = np.zeros((last + 1, width)) if soft_on else None
    # the sum-product values are kept divided by T, with _NONE for "no path": no inf - inf
    if start is not None:  # go on from the rows computed
        back[:first], total[:first] = start.back, start.total
        if soft_on:
            soft[:first] = np.minimum(start.soft / temperature, _NONE)
    lo, hi = band.lo, band.hi
    k = np.arange(width)
    move_ids = np.array(move)
    total_flat = total.reshape(-1)  # views: a row written is read by the rows below it
    soft_flat = soft.reshape(-1) if soft_on else None
    block = gather = extra = c01_block = sextra = sc01 = np.empty(0)
    for i in range(first, last + 1):
        if (i - first) % chunk == 0:
            rows = slice(i, min(i + chunk, last + 1))
            block = costs(rows)
            # For the whole chunk at once: where each shape's predecessor cell (i - a, j - b)
            # sits in the rows already computed (row 0 stands in where it is off the grid), and
            # the bead cost plus +inf where it is outside the band, so that each row below is
            # one gather, one add and one argmin.
            ii = np.arange(rows.start, rows.stop)[:, None]
            jj = lo[ii] + k[None, :]
            prev_i = ii[:, None, :] - mv_a[None, :, None]
            prev_k = jj[:, None, :] - mv_b[None, :, None] - lo[np.maximum(prev_i, 0)]
            ok = (prev_i >= 0) & (jj < hi[ii])[:, None, :] & (prev_k >= 0) & (prev_k < width)
            gather = np.maximum(prev_i, 0) * width + np.clip(prev_k, 0, width - 1)
            extra = np.where(ok, np.moveaxis(block[move], 1, 0), INF)
            if ins >= 0:
                # a large finite cost where 0-1 beads may not go; column 0 is never entered by
                # a 0-1 bead, and a sentinel there would cost precision in the running sums
                c01_block = np.where((jj < hi[ii]) & (jj >= 1), block[ins], NO_PATH)
                c01_block[:, 0] = 0.0
                c01_block = np.cumsum(c01_block, axis=1)  # running sums along each row
            if soft_on:
                sextra = np.where(ok, np.moveaxis(block[move], 1, 0) / temperature, _NONE)
                sc01 = c01_block / temperature if ins >= 0 else sc01
        r = (i - first) % chunk
        if soft_on:
            # the same candidates summed instead of minimised: -log sum exp(-cand) from the
            # shapes that enter the row from above, then along the row for 0-1 beads, where
            # the running minimum below becomes a running log-sum-exp
            cand = soft_flat[gather[r]] + sextra[r]
            low = cand.min(axis=0)
            np.subtract(low, cand, out=cand)
            row = low - np.log(np.exp(cand, out=cand).sum(axis=0))
            if i == 0:
                row[0] = 0.0
            if ins >= 0:
                row = sc01[r] - np.logaddexp.accumulate(sc01[r] - row)
            soft[i] = row
            if not viterbi:
                continue
        cand = total_flat[gather[r]] + extra[r]
        pick = cand.argmin(axis=0)
        best = cand[pick, k]
        arg = np.where(np.isfinite(best), move_ids[pick], -1)
        if i == 0:
            best[0], arg[0] = 0.0, -1  # the path starts at (0, 0) = lo[0]
        if ins >= 0:
            # best[k] = min(best[k], best[k-1] + c01[k]) in closed form with a running minimum
            pre = c01_block[r]
            step = best - pre
            run = np.minimum.accumulate(step)
            via = np.zeros(width, bool)
            np.less(run[:-1], step[1:], out=via[1:])
            np.copyto(best, run + pre, where=via)
            np.copyto(arg, ins, where=via)
            np.copyto(best, INF, where=best >= NO_PATH / 10)
        back[i] = arg
        total[i] = best  # cells outside the band are +inf from `extra` and `c01_block`
    if soft_on:
        soft = np.where(soft < _NONE_CUT, soft * temperature, INF)
    return Table(total, back, soft)


_NONE = 1e30  # a sum-product value (divided by T) for "no path", finite so that no inf - inf
_NONE_CUT = 1e10  # ... and anything above this (the 0-1 sentinels divided by T included)


def backtrack(band: Band, shapes: list[Shape], table: Table, i: int, j: int) -> tuple[list[Bead], list[float]]:
    """The beads of the cheapest path from (0, 0) to (i, j), in order, and their costs."""
    lo, total = band.lo, table.total
    beads: list[Bead] = []
    bead_costs: list[float] = []
    while i > 0 or j > 0:
        t = table.back[i, j - lo[i]]
        if t < 0:
            raise RuntimeError(f"broken back-pointer at ({i}, {j})")
        a, b = shapes[t]
        beads.append(make_bead(i - a, i, j - b, j))
        bead_costs.append(float(total[i, j - lo[i]] - total[i - a, j - b - lo[i - a]]))
        i, j = i - a, j - b
    return beads[::-1], bead_costs[::-1]


def meet(band: Band, shapes: list[Shape], head: Table, tail: Table) -> tuple[int, int]:
    """The corner where the cheapest path crosses from `head` to `tail`.

    `head` is the forward DP of `band` down to some row r; `tail` the forward DP of the
    reversed problem (`reverse_band`) far enough to cover rows r - amax + 1 .. r of the
    original. Beads advance at most amax rows, so every path has a corner in those
    rows, and the cheapest path is the cheapest sum of the two values at such a corner
    (the bidirectional form of the DP, as in Hirschberg 1975): splitting the document
    this way gives exactly the path of one pass, when `tail`'s costs are `head`'s read
    backwards (the rule of `scoring.base.BeadCost`).
    """
    n, m = band.n, band.m
    r = len(head.total) - 1
    amax = max(a for a, _ in shapes)
    rlo = reverse_band(band).lo
    best, where = np.inf, (n, m)
    for i in range(max(r - amax + 1, 0), r + 1):
        j = np.arange(band.lo[i], band.hi[i])
        ri = n - i
        both = head.total[i, j - band.lo[i]] + tail.total[ri, (m - j) - rlo[ri]]
        k = int(np.argmin(both))
        if both[k] < best:
            best, where = float(both[k]), (i, int(j[k]))
    if not np.isfinite(best):
        raise RuntimeError("no path through the band")
    return where


def touches_edge(band: Band, beads: list[Bead], margin: int) -> bool:
    """True when the path comes within `margin` columns of a band edge that is not the grid's edge."""
    i = j = 0
    for src, tgt in beads:
        i += len(src)
        j += len(tgt)
        if (band.lo[i] > 0 and j - band.lo[i] < margin) or (band.hi[i] <= band.m and band.hi[i] - 1 - j < margin):
            return True
    return False
