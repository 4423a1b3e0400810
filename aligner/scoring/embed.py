"""Embedding cost: is a bead's Chinese close in meaning to its English? (optional, --embed)

Each sentence has a multilingual-e5-small vector (`aligner.embed.model`). The pipeline
prepares them once per document (`document_vectors`): minus the document's mean vector,
times the square root of the sentence's length. A bead's vector on each side is the sum
of its sentences' rows, and its evidence is the cosine of the two sums, turned into a
z-score by the mean and standard deviation of the cosine over all pairs of units of
the two sides (the document's typical similarity: a loose translation does not become
one long run of bad scores), times ((a + b) / 2) ** size_power for a bead of a Chinese
and b English sentences. How each choice was measured: BENCHMARKS.md, "Embedding
evidence", and benchmarks/embed.py.

Everything is computed from the evidence's rows and sums of them, so a bead's cost does not
depend on reading direction or on the band, as `BeadCost` requires. Dot products of
bead sums are sums of sentence dot products: per chunk of rows, one matrix product of
the sentences involved and a 2-D prefix sum give every cell and shape, without
gathering a vector per cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.band import Band
from aligner.beads import Shape
from aligner.options import AlignOptions
from aligner.scoring.base import cell_grid
from aligner.scoring.evidence import Evidence

# A sentence's row is scaled by length ** LENGTH_POWER before rows are summed: an
# interjection ("嗐!", "All right.") then weighs less in a bead than a sentence with
# content, as it would in the embedding of the joined text (e5 averages over tokens).
LENGTH_POWER = 0.5


def document_vectors(vectors: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The rows the embedding cost sums: each sentence's vector minus the document's mean
    vector (over its non-empty sentences), times its length ** LENGTH_POWER; rows of
    zeros (empty sentences) stay zero.

    e5's vectors share a large common component. Uncentred, the sum of two sentences is
    closer to anything than either is, so a bead looks better the more sentences it
    holds (on MAC-Dev a gold bead with one more English sentence added scored above the
    gold bead itself); centred, random beads of every shape score about 0."""
    v = np.asarray(vectors, np.float64)
    used = np.any(v != 0, axis=1)
    if not used.any():
        return v.copy()
    out = (v - v[used].mean(axis=0)) * (np.asarray(lengths, np.float64)[:, None] ** LENGTH_POWER)
    out[~used] = 0.0
    return out


@dataclass
class EmbedCost:
    """The embedding evidence: its weight and size exponent (the vectors are the evidence's)."""

    weight: float = 1.0
    # A bead's z-score counts ((a + b) / 2) ** size_power times (fitted on MAC-Dev).
    size_power: float = 0.5

    def signature(self) -> str:
        from aligner.embed.model import model_name

        return f"embed:w={self.weight:g},size={self.size_power:g},model={model_name()}"

    def bind(self, evidence: Evidence, band: Band, shapes: list[Shape]) -> "_BoundEmbed":
        if evidence.vectors is None:
            raise ValueError("the embedding cost needs evidence with vectors (AlignOptions(embed=True))")
        z, e = (np.asarray(v, np.float64) for v in evidence.vectors)
        amax = max(a for a, _ in shapes)
        bmax = max(b for _, b in shapes)
        # One document is bound many times (coarse levels, widened bands, both halves of a
        # long band, the second pass): what depends on its rows alone is kept in its
        # evidence. The statistics do not depend on order: a reversed view reads its mirror's.
        stats = (evidence.mirror or evidence).derived("embed-stats", lambda ev: similarity_stats(*ev.vectors))
        znorm = evidence.derived(("embed-norms", "zh", amax), lambda ev: _range_norms(z, amax))
        enorm = evidence.derived(("embed-norms", "en", bmax), lambda ev: _range_norms(e, bmax))
        return _BoundEmbed(z, e, znorm, enorm, band, stats, self.size_power)


def from_options(options: AlignOptions) -> EmbedCost | None:
    """The embedding cost of a run (`scoring.costs`), with --embed only."""
    w = options.weights
    return EmbedCost(weight=w.embed, size_power=w.embed_size) if options.embed else None


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norm > 0, norm, 1.0)


def similarity_stats(z: np.ndarray, e: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation of the cosine over all n x m pairs of rows, exactly and
    without the n x m matrix: the mean is (mean of unit z) . (mean of unit e) and the mean
    square is trace(Z'Z E'E) / (n m). Zero rows count as cosine 0."""
    zu, eu = _unit(np.asarray(z, np.float64)), _unit(np.asarray(e, np.float64))
    n, m = len(zu), len(eu)
    mean = float(zu.mean(axis=0) @ eu.mean(axis=0))
    square = float(np.sum((zu.T @ zu) * (eu.T @ eu))) / (n * m)
    return mean, float(np.sqrt(max(square - mean * mean, 1e-12)))


def _range_norms(rows: np.ndarray, kmax: int) -> np.ndarray:
    """norms[k, p] = |sum of rows [p - k, p)| for k in 0..kmax, p in 0..n (0 where p < k)."""
    prefix = np.concatenate([np.zeros((1, rows.shape[1])), np.cumsum(rows, axis=0)])
    n = len(prefix) - 1
    out = np.zeros((kmax + 1, n + 1))
    for k in range(1, min(kmax, n) + 1):
        out[k, k:] = np.linalg.norm(prefix[k:] - prefix[:-k], axis=1)
    return out


class _BoundEmbed:
    def __init__(self, z: np.ndarray, e: np.ndarray, znorm: np.ndarray, enorm: np.ndarray, band: Band,
                 stats: tuple[float, float], size_power: float):
        self.band, self.z, self.e = band, z, e
        self.n, self.m = len(z), len(e)
        self.znorm, self.enorm = znorm, enorm  # [k, p]: |sum of rows [p - k, p)|
        self.mean, self.sd = stats
        self.size_power = size_power

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        i, j = cell_grid(self.band, rows)
        amax = max(a for a, _ in shapes)
        bmax = max(b for _, b in shapes)
        jc = np.clip(j, 0, self.m)
        # the sentences any cell of these rows can reach, their dot products and 2-D prefix sums
        s0, s1 = max(rows.start - amax, 0), min(rows.stop - 1, self.n)
        t0, t1 = max(int(jc.min()) - bmax, 0), int(jc.max())
        prefix = np.zeros((s1 - s0 + 1, t1 - t0 + 1))
        prefix[1:, 1:] = (self.z[s0:s1] @ self.e[t0:t1].T).cumsum(axis=0).cumsum(axis=1)
        r = i[:, 0] - s0  # the rows' index into prefix
        pj = jc - t0
        out = np.zeros((len(shapes), *j.shape))
        by_a: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        inv_e: dict[int, np.ndarray] = {}
        for t, (a, b) in enumerate(shapes):
            if not (a and b):
                continue  # an empty side: no evidence either way
            if a not in by_a:
                # Chinese [i - a, i) against every English prefix, and at each cell's column;
                # rows with i < a or columns with j < b are not beads: clipped, any value will do
                rows_a = prefix[r] - prefix[np.clip(r - a, 0, None)]
                by_a[a] = (rows_a, np.take_along_axis(rows_a, pj, axis=1), _inverse(self.znorm[a][i]))
            if b not in inv_e:
                inv_e[b] = _inverse(self.enorm[b][jc])
            rows_a, at_j, inv_z = by_a[a]
            dot = at_j - np.take_along_axis(rows_a, np.clip(pj - b, 0, None), axis=1)
            cos = dot * inv_z * inv_e[b]
            out[t] = (self.mean - cos) * (((a + b) / 2) ** self.size_power / self.sd)
        return out


def _inverse(norms: np.ndarray) -> np.ndarray:
    """1 / norms, and 1 for a norm of 0 (a bead of empty sentences: cosine 0)."""
    return 1.0 / np.where(norms > 0, norms, 1.0)
