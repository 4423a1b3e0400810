"""A bead's score for the output: how likely it is to be right."""

from __future__ import annotations

import numpy as np

from aligner.beads import Bead


def bead_score(cost: float, bead: Bead) -> float:
    """A score in [0, 1] from a bead's cost per sentence (higher is better; not yet calibrated)."""
    size = max(len(bead[0]) + len(bead[1]), 1)
    return float(1.0 / (1.0 + np.exp(cost / size)))
