"""Bead costs: each source of evidence (length, lexical, priors; later embeddings) is a
`BeadCost` behind one interface, so that signals can be switched on and off and
measured one at a time. The aligner adds their weighted costs."""

from aligner.scoring.base import BeadCost, BoundCost, total_cost

__all__ = ["BeadCost", "BoundCost", "total_cost"]
