"""The dynamic programme over beads, restricted to a band (Gale & Church 1993; Vecalign's layout).

Two kernels, each a pure function of a band, the bead shapes and a cost callback (they
know nothing about sentences): `best_path`, the cheapest path to every cell (min-sum),
and `sum_product`, the summed weight of all paths to every cell (the forward pass of
forward-backward, search/posterior.py; its backward pass is the same kernel on the
reversed problem). Both read their candidates through one helper (`_candidates`).
Rows are processed in order, each vectorised over its band columns; back-pointers take
one byte per band cell, so memory is (n + 1) x width.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

from aligner.band import Band, CostFn, reverse_band
from aligner.beads import Bead, Shape, make_bead

INF = np.inf
# The cost of a 0-1 bead where none may go: finite (running sums of it must stay exact
# enough), far above any real path cost; a path cost at or above NO_PATH / 10 is none.
NO_PATH = 1e12
_NONE = 1e30  # a sum-product value (divided by T) for "no path", finite so that no inf - inf
_NONE_CUT = 1e10  # ... and anything above this (the 0-1 sentinels divided by T included)


@dataclass
class Table:
    """The best-path DP over rows 0 .. len(total) - 1 of a band: the cheapest path cost from
    (0, 0) to each band cell (+inf where there is none) and the shape of its last bead."""

    total: np.ndarray  # float64 (rows, band.width)
    back: np.ndarray  # int8 (rows, band.width): index into the shapes, -1 for none


def run_dp(band: Band, shapes: list[Shape], costs: CostFn, chunk: int = 256) -> tuple[list[Bead], list[float]]:
    """Cheapest path of beads from (0, 0) to (n, m) inside `band`.

    Returns the beads in document order and the cost of each bead.
    """
    table = best_path(band, shapes, costs, band.n, chunk)
    if not np.isfinite(table.total[band.n, band.m - band.lo[band.n]]):
        raise RuntimeError("no path through the band")
    return backtrack(band, shapes, table, band.n, band.m)


@dataclass
class _Rows:
    """The candidates of a chunk of rows: for each row r of it, each shape entering a cell
    from above (a > 0) comes from the flat cell `gather[r]` of the rows computed, where `ok`,
    at the bead cost `cost[r]`; 0-1 beads move along the row, with running sums `c01[r]`."""

    first: int  # the chunk's first row
    gather: np.ndarray  # int (rows, shapes entering from above, width)
    ok: np.ndarray  # bool, the same shape
    cost: np.ndarray  # float64, the same shape
    c01: np.ndarray | None  # float64 (rows, width), None without 0-1 beads


@dataclass(frozen=True)
class _Moves:
    """The shapes as the kernels use them."""

    move: np.ndarray  # index of each shape that enters from the row above (a > 0)
    a: np.ndarray
    b: np.ndarray
    ins: int  # index of the 0-1 shape, -1 for none: 0-1 beads move along a row, sequentially

    @staticmethod
    def of(shapes: list[Shape]) -> _Moves:
        if (0, 0) in shapes:
            raise ValueError("the empty bead 0-0 is not a shape")
        move = [t for t, s in enumerate(shapes) if s[0] > 0]
        return _Moves(np.array(move), np.array([shapes[t][0] for t in move]), np.array([shapes[t][1] for t in move]),
                      shapes.index((0, 1)) if (0, 1) in shapes else -1)


def _candidates(band: Band, moves: _Moves, costs: CostFn, first: int, last: int, chunk: int) -> Iterator[_Rows]:
    """The candidates of rows first .. last, a chunk of rows at a time: the one place the
    kernels ask for costs and find each bead's start cell."""
    lo, hi, width = band.lo, band.hi, band.width
    k = np.arange(width)
    for start in range(first, last + 1, chunk):
        rows = slice(start, min(start + chunk, last + 1))
        block = costs(rows)
        # For the whole chunk at once: where each shape's predecessor cell (i - a, j - b)
        # sits in the rows already computed (row 0 stands in where it is off the grid), and
        # whether it is inside the band, so that each row is one gather, one add and one
        # reduction.
        ii = np.arange(rows.start, rows.stop)[:, None]
        jj = lo[ii] + k[None, :]
        prev_i = ii[:, None, :] - moves.a[None, :, None]
        prev_k = jj[:, None, :] - moves.b[None, :, None] - lo[np.maximum(prev_i, 0)]
        ok = (prev_i >= 0) & (jj < hi[ii])[:, None, :] & (prev_k >= 0) & (prev_k < width)
        gather = np.maximum(prev_i, 0) * width + np.clip(prev_k, 0, width - 1)
        c01 = None
        if moves.ins >= 0:
            # a large finite cost where 0-1 beads may not go; column 0 is never entered by
            # a 0-1 bead, and a sentinel there would cost precision in the running sums
            c01 = np.where((jj < hi[ii]) & (jj >= 1), block[moves.ins], NO_PATH)
            c01[:, 0] = 0.0
            c01 = np.cumsum(c01, axis=1)  # running sums along each row
        yield _Rows(rows.start, gather, ok, np.moveaxis(block[moves.move], 1, 0), c01)


def best_path(band: Band, shapes: list[Shape], costs: CostFn, last: int, chunk: int = 256) -> Table:
    """The cheapest path cost to each cell of rows 0 .. `last` and its last bead (values of a
    row depend only on the rows above it)."""
    width = band.width
    moves = _Moves.of(shapes)
    back = np.full((last + 1, width), -1, np.int8)
    total = np.zeros((last + 1, width))
    total_flat = total.reshape(-1)  # a view: a row written is read by the rows below it
    k = np.arange(width)
    move, ins = moves.move, moves.ins
    for part in _candidates(band, moves, costs, 0, last, chunk):
        gather, c01 = part.gather, part.c01
        extra = np.where(part.ok, part.cost, INF)
        for r in range(len(extra)):
            i = part.first + r
            cand = total_flat[gather[r]] + extra[r]
            pick = cand.argmin(axis=0)
            best = cand[pick, k]
            arg = np.where(np.isfinite(best), move[pick], -1)
            if i == 0:
                best[0], arg[0] = 0.0, -1  # the path starts at (0, 0) = lo[0]
            if c01 is not None:
                # best[k] = min(best[k], best[k-1] + c01[k]) in closed form with a running minimum
                pre = c01[r]
                step = best - pre
                run = np.minimum.accumulate(step)
                via = np.zeros(width, bool)
                np.less(run[:-1], step[1:], out=via[1:])
                np.copyto(best, run + pre, where=via)
                np.copyto(arg, ins, where=via)
                np.copyto(best, INF, where=best >= NO_PATH / 10)
            back[i] = arg
            total[i] = best  # cells outside the band are +inf from `extra` and `c01`
    return Table(total, back)


def sum_product(
    band: Band, shapes: list[Shape], costs: CostFn, last: int, temperature: float, chunk: int = 256,
    start: np.ndarray | None = None,
) -> np.ndarray:
    """For each cell of rows 0 .. `last`: -T log of the sum of exp(-cost / T) over all paths
    from (0, 0) to it (+inf where there is none), from the same candidates as `best_path`
    summed instead of minimised. `start` holds the values of the first rows to go on from
    (kept; the costs are asked only for the rows after them)."""
    width = band.width
    moves = _Moves.of(shapes)
    first = 0 if start is None else len(start)
    # kept divided by T, with _NONE for "no path": no inf - inf
    soft = np.zeros((last + 1, width))
    if start is not None:
        soft[:first] = np.minimum(start / temperature, _NONE)
    soft_flat = soft.reshape(-1)
    for part in _candidates(band, moves, costs, first, last, chunk):
        gather = part.gather
        extra = np.where(part.ok, part.cost / temperature, _NONE)
        c01 = None if part.c01 is None else part.c01 / temperature
        for r in range(len(extra)):
            i = part.first + r
            # -log sum exp(-cand) from the shapes that enter the row from above, then along
            # the row for 0-1 beads, where best_path's running minimum becomes a running
            # log-sum-exp
            cand = soft_flat[gather[r]] + extra[r]
            low = cand.min(axis=0)
            np.subtract(low, cand, out=cand)
            row = low - np.log(np.exp(cand, out=cand).sum(axis=0))
            if i == 0:
                row[0] = 0.0
            if c01 is not None:
                row = c01[r] - np.logaddexp.accumulate(c01[r] - row)
            soft[i] = row
    return np.where(soft < _NONE_CUT, soft * temperature, INF)


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
