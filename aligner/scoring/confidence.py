"""A bead's score for the output: how likely it is to be right."""

from __future__ import annotations

import numpy as np

from aligner.beads import Bead


def bead_score(cost: float, bead: Bead) -> float:
    """A score in [0, 1] from a bead's cost per sentence (higher is better; not yet calibrated)."""
    size = max(len(bead[0]) + len(bead[1]), 1)
    # exp overflows past 709 (a huge unmatched sentence), with a RuntimeWarning on the
    # user's terminal; from 700 on the score is below 1e-304, 0 in every output.
    return float(1.0 / (1.0 + np.exp(min(cost / size, 700.0))))
