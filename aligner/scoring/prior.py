"""Prior cost of each bead shape: -log of its probability."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aligner.band import Band
from aligner.features import Side
from aligner.scoring.base import Shape

# Bead shapes in MAC-Dev gold (alignment-notes.md): 1-1 62%, 1-2 21%, 1-3 5.5%, 2-1 5%,
# 1-4 2.2%, 2-2 1.9%, 2-3 0.9%, 1-0 0.4%. Shapes the gold lacks get small floors, and
# the table is made symmetric enough that English-longer texts are not forced into 1-n.
DEFAULT_PRIOR: dict[Shape, float] = {
    (1, 1): 0.62, (1, 2): 0.21, (2, 1): 0.05, (1, 3): 0.055, (3, 1): 0.01,
    (2, 2): 0.019, (1, 4): 0.022, (4, 1): 0.003, (2, 3): 0.009, (3, 2): 0.004,
    (1, 5): 0.006, (1, 0): 0.004, (0, 1): 0.004,
}


@dataclass
class ShapePrior:
    weight: float = 1.0
    prior: dict[Shape, float] = field(default_factory=lambda: dict(DEFAULT_PRIOR))
    name: str = "prior"

    def bind(self, zh: Side, en: Side, band: Band, shapes: list[Shape]) -> "_BoundPrior":
        return _BoundPrior(np.array([-np.log(self.prior.get(s, 1e-3)) for s in shapes]), band.width)


class _BoundPrior:
    def __init__(self, cost: np.ndarray, width: int):
        self.cost, self.width = cost, width

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        return np.broadcast_to(self.cost[:, None, None], (len(shapes), rows.stop - rows.start, self.width))
