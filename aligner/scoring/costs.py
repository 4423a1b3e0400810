"""The bead costs of a run, built from its options alone: the one place costs are listed.

Each kind of evidence is a module of this package with a cost class (`scoring.base.BeadCost`:
configuration, a `signature` and `bind(evidence, band, shapes)`) and a `from_options`
function that gives the cost the options ask for, or None when they switch it off. A new
kind of evidence is one new module and one more entry in `COSTS` (docs/design.md).
"""

from __future__ import annotations

from typing import Callable

from aligner.options import AlignOptions
from aligner.scoring import length, lexical, prior, skip
from aligner.scoring.base import BeadCost


def _embed(options: AlignOptions) -> BeadCost | None:
    """scoring/embed.py's cost, whose module is imported only with --embed: the default
    mode loads nothing of the optional embedding evidence (tests/test_embed.py)."""
    if not options.embed:
        return None
    from aligner.scoring import embed

    return embed.from_options(options)


#: Every kind of evidence, in the order their weighted costs are added.
COSTS: tuple[Callable[[AlignOptions], BeadCost | None], ...] = (
    prior.from_options,
    skip.from_options,
    length.from_options,
    lexical.from_options,
    _embed,
)


def build_costs(options: AlignOptions) -> list[BeadCost]:
    """The bead costs `options` ask for, configured and bound to no document."""
    return [cost for make in COSTS if (cost := make(options)) is not None]
