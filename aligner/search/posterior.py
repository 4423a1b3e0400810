"""Posterior probability of each bead of an alignment: forward-backward over the DP's band.

Read the bead costs as energies: a path of beads has probability proportional to
exp(-cost / T). The sum-product kernel of the DP (`dp.sum_product`) gives,
for every band cell, F = -T log of the summed weights of all paths from (0, 0) to it;
the same on the reversed problem (both sides read from their ends) gives B, the paths
from the cell to (n, m): the backward pass of forward-backward is the forward pass of the
reversed problem. A bead from corner (i0, j0) to (i1, j1) of cost c then lies on a
random path with probability exp((Z - F[i0, j0] - c - B[i1, j1]) / T), Z = F[n, m].

The cost blocks the best-path DP asks for are kept (`Recorder`) and read again by the
sum-product kernel, as they are for F (`Recorder.replay`) and mirrored for B
(`mirrored`): no cost is computed twice. A band solved as two halves (`search.strategy`)
gives F for the rows above its middle and B below it; each is completed by going on over
the other half's recorded blocks (`complete`).
"""

from __future__ import annotations

import numpy as np

from aligner.band import Band, CostFn, reverse_band
from aligner.beads import Bead, Shape
from aligner.search.dp import sum_product


class Recorder:
    """A cost callback that keeps every block it hands out, by row (float64: in float32 the
    rounding of path sums moved posteriors by 1e-4 between one pass and two halves)."""

    def __init__(self, costs: CostFn, shapes: list[Shape], band: Band, rows: int):
        self.costs = costs
        self.blocks = np.zeros((len(shapes), rows, band.width))

    def __call__(self, rows: slice) -> np.ndarray:
        block = self.costs(rows)
        self.blocks[:, rows] = block
        return block

    def replay(self, rows: slice) -> np.ndarray:
        """The cost callback that reads the blocks recorded (for a second kernel on the same band)."""
        return self.blocks[:, rows]


def mirrored(band: Band, shapes: list[Shape], blocks: np.ndarray) -> CostFn:
    """The cost callback of the reversed problem (`reverse_band(band)`) read from `blocks`,
    the recorded costs of `band`: the reversed bead of shape (a, b) ending at (r, jr)
    is the bead of `band` ending at (n - r + a, m - jr + b)."""
    n, m = band.n, band.m
    rband = reverse_band(band)
    a = np.array([s[0] for s in shapes])[:, None, None]
    b = np.array([s[1] for s in shapes])[:, None, None]
    t = np.arange(len(shapes))[:, None, None]
    have = blocks.shape[1]

    def costs(rows: slice) -> np.ndarray:
        r = np.arange(rows.start, rows.stop)[None, :, None]
        jr = rband.lo[r] + np.arange(rband.width)[None, None, :]
        i = n - r + a
        k = (m - jr + b) - band.lo[np.clip(i, 0, n)]
        ok = (i >= 0) & (i < have) & (k >= 0) & (k < blocks.shape[2])
        # cells outside the recorded band: any finite value (the DP masks them)
        out = blocks[t, np.clip(i, 0, have - 1), np.clip(k, 0, blocks.shape[2] - 1)]
        return np.where(ok, out, 0.0)

    return costs


def complete(band: Band, shapes: list[Shape], soft: np.ndarray, blocks: np.ndarray, temperature: float) -> np.ndarray:
    """Go on with the sum-product values `soft` of `band` (rows 0 .. r) down to the last row,
    reading the other direction's recorded `blocks` (see `mirrored`)."""
    rband = reverse_band(band)
    return sum_product(band, shapes, mirrored(rband, shapes, blocks), band.n, temperature, start=soft)


def bead_posteriors(
    band: Band, beads: list[Bead], bead_costs: list[float], soft_fwd: np.ndarray, soft_bwd: np.ndarray,
    temperature: float,
) -> list[float]:
    """Posterior of each bead of a path: `soft_fwd` is F over all rows of `band`, `soft_bwd`
    the sum-product values of the reversed problem over all its rows."""
    n, m = band.n, band.m
    rlo = reverse_band(band).lo
    z = soft_fwd[n, m - band.lo[n]]
    i1 = np.cumsum([len(s) for s, _ in beads], dtype=np.int64)
    j1 = np.cumsum([len(t) for _, t in beads], dtype=np.int64)
    i0, j0 = np.concatenate([[0], i1[:-1]]), np.concatenate([[0], j1[:-1]])
    f = soft_fwd[i0, j0 - band.lo[i0]]
    b = soft_bwd[n - i1, (m - j1) - rlo[n - i1]]
    return np.exp(np.minimum((z - f - np.asarray(bead_costs) - b) / temperature, 0.0)).tolist()


def cell_posteriors(
    band: Band, shapes: list[Shape], blocks: np.ndarray, soft_fwd: np.ndarray, soft_bwd: np.ndarray, temperature: float,
) -> np.ndarray:
    """Posterior of every bead of the band: out[t, i, k] for the bead of shape t ending at
    (i, band.lo[i] + k), from all recorded cost `blocks` (0 outside the band)."""
    n, m = band.n, band.m
    rlo = reverse_band(band).lo
    z = soft_fwd[n, m - band.lo[n]]
    i = np.arange(n + 1)[:, None]
    j = band.lo[i] + np.arange(band.width)[None, :]
    inside = j < band.hi[i]
    out = np.zeros((len(shapes), n + 1, band.width))
    bwd = np.where(inside, soft_bwd[n - i, np.clip((m - j) - rlo[n - i], 0, band.width - 1)], np.inf)
    for t, (a, b) in enumerate(shapes):
        i0, j0 = i - a, j - b
        k0 = j0 - band.lo[np.clip(i0, 0, n)]
        ok = inside & (i0 >= 0) & (k0 >= 0) & (k0 < band.width) & (j0 < band.hi[np.clip(i0, 0, n)])
        fwd = np.where(ok, soft_fwd[np.clip(i0, 0, n), np.clip(k0, 0, band.width - 1)], np.inf)
        with np.errstate(invalid="ignore", over="ignore"):
            p = np.exp(np.minimum((z - fwd - blocks[t] - bwd) / temperature, 0.0))
        out[t] = np.where(ok & np.isfinite(fwd) & np.isfinite(bwd), p, 0.0)
    return out
