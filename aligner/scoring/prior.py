"""Prior cost of each bead shape: -log of its probability."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aligner.band import Band
from aligner.beads import Shape
from aligner.options import AlignOptions
from aligner.scoring.evidence import Evidence

# Share of each bead shape among the MAC-Dev gold beads (all six chapters;
# benchmarks/accuracy.py counts it, and for its leave-one-chapter-out figure recounts
# it without the held-out chapter). Shapes rarer than a floor of 0.4% (0.3% for 4-1) in
# the gold keep the floor, so that, say, a 3-1 bead stays possible.
DEFAULT_PRIOR: dict[Shape, float] = {
    (1, 1): 0.6195, (1, 2): 0.2100, (2, 1): 0.0499, (1, 3): 0.0551, (3, 1): 0.004,
    (2, 2): 0.0186, (1, 4): 0.0223, (4, 1): 0.003, (2, 3): 0.0089, (3, 2): 0.004,
    (1, 5): 0.004, (1, 0): 0.0045, (0, 1): 0.004,
}


@dataclass
class ShapePrior:
    """-log of each two-sided bead shape's probability; one-sided beads cost nothing here
    (their whole cost is scoring/skip.py's)."""

    weight: float = 1.0
    prior: dict[Shape, float] = field(default_factory=lambda: dict(DEFAULT_PRIOR))

    def signature(self) -> str:
        return f"prior:w={self.weight:g},table={'mac-dev' if self.prior == DEFAULT_PRIOR else 'own'}"

    def bind(self, evidence: Evidence, band: Band, shapes: list[Shape]) -> "_BoundPrior":
        cost = [0.0 if 0 in s else -np.log(self.prior.get(s, 1e-3)) for s in shapes]
        return _BoundPrior(np.array(cost), band.width)


class _BoundPrior:
    def __init__(self, cost: np.ndarray, width: int):
        self.cost, self.width = cost, width

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        return np.broadcast_to(self.cost[:, None, None], (len(shapes), rows.stop - rows.start, self.width))


def from_options(options: AlignOptions) -> ShapePrior:
    """The shape prior of a run (`scoring.costs`)."""
    return ShapePrior(weight=options.weights.prior, prior=dict(options.prior_table or DEFAULT_PRIOR))
