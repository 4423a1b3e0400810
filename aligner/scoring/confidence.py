"""Confidence of a bead: the probability that it is exactly right (a strict hit).

PLACEHOLDER while the map is fitted: the posterior as is.
"""

from __future__ import annotations

from aligner.beads import Bead

TEMPERATURE = 1.0


def confidences(beads: list[Bead], costs: list[float], posteriors: list[float] | None) -> list[float]:
    if posteriors is None:
        return [1.0] * len(beads)
    return list(posteriors)
