"""Confidence of a bead: the probability that it is exactly right (equal to the gold bead).

The base is the bead's posterior: the share of all paths through the final band,
weighted by exp(-cost / T), that contain it (forward-backward, aligner/search/posterior.py).
The costs are not exact log-probabilities (weights fitted for accuracy, literary text
freer than the model), so the posterior is mapped by a fitted logistic curve,

    confidence = 1 / (1 + exp(-(A + B * logit(posterior)))),

monotone in the posterior (Platt scaling). T, A and B were chosen on MAC-Dev, the
corpus's own sentences, by leave-one-chapter-out: for each chapter the map is fitted
on the other five and the chapter scored with it; T = 2 had the lowest held-out log
loss of 1, 2 and 3, and A, B below are the fit on all six chapters
(benchmarks/omissions.py --calibration; figures in BENCHMARKS.md). Adding the bead's
cost per sentence, its shape, its neighbours' posteriors or the document's mean
posterior to the map did not lower the held-out log loss.
"""

from __future__ import annotations

import numpy as np

from aligner.beads import Bead

A, B = 0.2365, 0.6455
_CLIP = 1e-6  # posteriors are kept off 0 and 1 before the logit


def signature(temperature: float) -> str:
    """The confidence's piece of the run's signature."""
    return f"confidence:T={temperature:g},map={A:g}+{B:g}*logit"


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), _CLIP, 1 - _CLIP)
    return np.log(p / (1 - p))


def calibrate(posteriors: list[float] | np.ndarray, a: float = A, b: float = B) -> np.ndarray:
    """The fitted map from posteriors to probabilities of being exactly right."""
    return 1.0 / (1.0 + np.exp(-(a + b * logit(posteriors))))


def confidences(beads: list[Bead], costs: list[float], posteriors: list[float] | None) -> list[float]:
    """Each bead's confidence; NaN for every bead when no posteriors were computed
    (`AlignOptions(temperature=None)`, for measuring the search alone)."""
    if posteriors is None:
        return [float("nan")] * len(beads)
    return calibrate(posteriors).tolist()


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 50) -> tuple[float, float]:
    """A and B of the map fitted to posteriors `x` and outcomes `y` (1 right, 0 wrong) by
    maximum likelihood (Newton's method, a tiny ridge so that separable data stays finite)."""
    X = np.column_stack([np.ones(len(x)), logit(x)])
    y = np.asarray(y, dtype=np.float64)
    w = np.zeros(2)
    for _ in range(steps):
        q = 1.0 / (1.0 + np.exp(-(X @ w)))
        grad = X.T @ (q - y) + l2 * w
        hess = (X * (q * (1 - q))[:, None]).T @ X + l2 * np.eye(2)
        w -= np.linalg.solve(hess, grad)
    return float(w[0]), float(w[1])


def expected_calibration_error(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> float:
    """Mean gap between confidence and accuracy over equal-width confidence bins, weighted by
    the bins' shares of the beads (Guo et al. 2017)."""
    conf, right = np.asarray(conf, dtype=np.float64), np.asarray(right, dtype=np.float64)
    which = np.minimum((conf * bins).astype(int), bins - 1)
    total = 0.0
    for k in range(bins):
        inside = which == k
        if inside.any():
            total += inside.mean() * abs(conf[inside].mean() - right[inside].mean())
    return total
