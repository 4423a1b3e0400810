"""The one interface every bead cost implements."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from aligner.beads import Shape
from aligner.search.band import Band
from aligner.features import Side

class BoundCost(Protocol):
    """A cost bound to one document pair and band."""

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        """Cost of each shape at each band cell of `rows`: array (len(shapes), rows, band.width).

        The cell (i, k) of shape (a, b) is the bead of Chinese sentences [i - a, i) and
        English sentences [j - b, j), j = band.lo[i] + k. Lower is more likely. Cells
        outside the band may hold any finite value.
        """
        ...


class BeadCost(Protocol):
    """A source of evidence about beads, configured once and bound per document pair.

    The rule every cost obeys (stated here only; tests/test_cost_symmetry.py checks every
    cost the pipeline builds): a bead's cost does not depend on reading direction. Long
    bands are solved from both ends (`search.align._run`, `search.dp.meet`), and the
    planned forward-backward pass uses the same reversed problem: the second half is bound
    to both sides read backwards (`Side.reversed`, `search.band.reverse_band`), where the
    bead of sentences [i - a, i) is [n - i, n - i + a) in reverse order, and it must cost
    what it costs read forwards. Length, lexical and prior costs depend only on which
    sentences a bead holds; a cost over joined text (an embedding of concatenated
    sentences) must join them in document order.
    """

    weight: float

    def signature(self) -> str:
        """This cost's settings for the run's signature, e.g. 'length:w=2,var=6.5'."""
        ...

    def bind(self, zh: Side, en: Side, band: Band, shapes: list[Shape]) -> BoundCost: ...


def cell_grid(band: Band, rows: slice) -> tuple[np.ndarray, np.ndarray]:
    """Row index i (rows, 1) and column index j (rows, width) of the cells of `rows`."""
    i = np.arange(rows.start, rows.stop)[:, None]
    return i, band.columns(rows)


def total_cost(bound: list[tuple[float, BoundCost]], shapes: list[Shape], band: Band):
    """The DP's cost callback: the weighted sum of the bound costs."""

    def costs(rows: slice) -> np.ndarray:
        out = np.zeros((len(shapes), rows.stop - rows.start, band.width))
        for weight, b in bound:
            out += weight * b.costs(shapes, rows)
        return out

    return costs
