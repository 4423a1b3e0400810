"""The one interface every bead cost implements, and the DP's cost callback made of them."""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

from aligner.band import Band, CostFn
from aligner.beads import Shape
from aligner.scoring.evidence import Evidence


class BoundCost(Protocol):
    """A cost bound to one document's evidence and one band."""

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        """Cost of each shape at each band cell of `rows`: array (len(shapes), rows, band.width).

        The cell (i, k) of shape (a, b) is the bead of Chinese sentences [i - a, i) and
        English sentences [j - b, j), j = band.lo[i] + k. Lower is more likely. Cells
        outside the band may hold any finite value.
        """
        ...


class BeadCost(Protocol):
    """A source of evidence about beads: configuration only (its weight and constants),
    made from the run's options (`scoring.costs`) with no document, and bound to one
    document's evidence and band by `bind`. What it derives from the document and reuses
    across binds it keeps in the evidence (`Evidence.derived`), never in itself.

    The rule every cost obeys (stated here only; tests/test_cost_symmetry.py checks every
    cost the pipeline builds): a bead's cost does not depend on reading direction. Long
    bands are solved from both ends (`search.strategy`, `search.dp.meet`), and the
    backward pass of forward-backward (`search.posterior`) reads the same costs mirrored:
    the second half is bound to both sides read backwards (`Evidence.reversed`,
    `band.reverse_band`), where the bead of sentences [i - a, i) is [n - i, n - i + a) in
    reverse order, and it must cost what it costs read forwards. Length, lexical and prior
    costs depend only on which sentences a bead holds; a cost over joined text (an
    embedding of concatenated sentences) must join them in document order.
    """

    weight: float

    def signature(self) -> str:
        """This cost's settings for the run's signature, e.g. 'length:w=2,var=6.5'."""
        ...

    def bind(self, evidence: Evidence, band: Band, shapes: list[Shape]) -> BoundCost:
        """This cost for the document of `evidence`, on the cells of `band`."""
        ...


def cell_grid(band: Band, rows: slice) -> tuple[np.ndarray, np.ndarray]:
    """Row index i (rows, 1) and column index j (rows, width) of the cells of `rows`."""
    i = np.arange(rows.start, rows.stop)[:, None]
    return i, band.columns(rows)


def bind_costs(costs: Sequence[BeadCost], evidence: Evidence, band: Band, shapes: list[Shape]) -> CostFn:
    """The DP's cost callback on `band`: each cost bound to `evidence`, weighted and summed."""
    bound = [(c.weight, c.bind(evidence, band, shapes)) for c in costs]

    def costs_of(rows: slice) -> np.ndarray:
        out = np.zeros((len(shapes), rows.stop - rows.start, band.width))
        for weight, b in bound:
            out += weight * b.costs(shapes, rows)
        return out

    return costs_of
