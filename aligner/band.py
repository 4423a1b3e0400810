"""The search space of the dynamic programme: for each DP row, a range of columns.

Row i of the DP means "the first i Chinese sentences are aligned"; column j means
"the first j English sentences are aligned". A band keeps, for each row i, the
columns lo[i] <= j < hi[i]; both bounds are non-decreasing in i. The full grid is
the band with lo = 0 and hi = m + 1 everywhere. Memory of the DP is (n + 1) x width.
The bead costs are computed on the cells of a band (`scoring`), and the search
(`search`) chooses the bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

#: What the DP asks of the costs (`search.dp`, `scoring.base.bind_costs`): for a slice of
#: rows, the cost of every shape at every band cell, shape (len(shapes), rows, band.width);
#: cells outside the band may hold anything finite.
CostFn = Callable[[slice], np.ndarray]


@dataclass(frozen=True)
class Band:
    lo: np.ndarray  # int64, shape (n + 1,)
    hi: np.ndarray  # int64, shape (n + 1,), exclusive
    m: int

    @property
    def n(self) -> int:
        return len(self.lo) - 1

    @property
    def width(self) -> int:
        return int((self.hi - self.lo).max())

    @property
    def cells(self) -> int:
        return int((self.hi - self.lo).sum())

    def columns(self, rows: slice) -> np.ndarray:
        """Absolute column j of each cell (row, k) for the rows in `rows`: shape (rows, width)."""
        return self.lo[rows, None] + np.arange(self.width)[None, :]


def full_band(n: int, m: int) -> Band:
    return Band(np.zeros(n + 1, np.int64), np.full(n + 1, m + 1, np.int64), m)


def _monotone(lo: np.ndarray, hi: np.ndarray, m: int) -> Band:
    """Clip to the grid and make both bounds non-decreasing by widening, never narrowing."""
    lo = np.minimum.accumulate(np.clip(lo, 0, m)[::-1])[::-1].copy()
    hi = np.maximum.accumulate(np.clip(hi, 1, m + 1))
    hi = np.maximum(hi, lo + 1)
    lo[0], hi[-1] = 0, m + 1
    return Band(lo.astype(np.int64), hi.astype(np.int64), m)


def band_around_path(points: list[tuple[int, int]], n: int, m: int, radius: int) -> Band:
    """A band of +-radius columns around a monotone path through the given (row, column) corners.

    Used to refine a coarse alignment: the corners are the coarse beads' ends projected
    onto sentence indices, and the path between two corners is the straight line.
    """
    lo = np.full(n + 1, m + 1, np.int64)
    hi = np.full(n + 1, -1, np.int64)
    p = np.array(points, np.int64).reshape(-1, 2)
    i0, j0, i1, j1 = p[:-1, 0], p[:-1, 1], p[1:, 0], p[1:, 1]
    flat = i1 == i0  # a segment along one row: that row spans its columns
    np.minimum.at(lo, i0[flat], j0[flat])
    np.maximum.at(hi, i0[flat], j1[flat])
    # every other segment, all at once: rows i0 .. i1, the straight line's column in each
    # (the same floating-point operations as one segment at a time)
    i0, j0, i1, j1 = i0[~flat], j0[~flat], i1[~flat], j1[~flat]
    size = i1 - i0 + 1
    seg = np.repeat(np.arange(len(size)), size)
    rows = i0[seg] + np.arange(len(seg)) - (np.cumsum(size) - size)[seg]
    cols = j0[seg] + (rows - i0[seg]) * (j1 - j0)[seg] / (i1 - i0)[seg]
    np.minimum.at(lo, rows, np.floor(cols).astype(np.int64))
    np.maximum.at(hi, rows, np.ceil(cols).astype(np.int64))
    return _monotone(lo - radius, hi + radius + 1, m)


def band_from_groups(zh_bounds: list[int], en_bounds: list[int]) -> Band:
    """The band allowed by aligned groups (e.g. paragraphs): group g spans Chinese
    sentences [zh_bounds[g], zh_bounds[g+1]) and English [en_bounds[g], en_bounds[g+1]).

    Each row may use the English span of every group it touches, so a row on a group
    boundary can finish one group and start the next.
    """
    n, m = zh_bounds[-1], en_bounds[-1]
    lo = np.full(n + 1, m + 1, np.int64)
    hi = np.full(n + 1, -1, np.int64)
    for g in range(len(zh_bounds) - 1):
        a, b = zh_bounds[g], zh_bounds[g + 1]
        lo[a : b + 1] = np.minimum(lo[a : b + 1], en_bounds[g])
        hi[a : b + 1] = np.maximum(hi[a : b + 1], en_bounds[g + 1] + 1)
    return _monotone(lo, hi, m)


def band_union(a: Band, b: Band) -> Band:
    """The cells of both bands (each row from the lower start to the higher end)."""
    return _monotone(np.minimum(a.lo, b.lo), np.maximum(a.hi, b.hi), a.m)


def reverse_band(band: Band) -> Band:
    """The band of the reversed problem (both sides read from their ends): cell (i, j)
    becomes (n - i, m - j), so a bead from (i, j) to (i', j') becomes one from (n - i', m - j')
    to (n - i, m - j) and a path read backwards is a path of the reversed band."""
    m = band.m
    return Band((m + 1 - band.hi)[::-1].copy(), (m + 1 - band.lo)[::-1].copy(), m)
