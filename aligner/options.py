"""What an alignment run is asked to do: which evidence, with which constants, searched how.

Every setting that changes the beads is in `AlignOptions.signature()`, written with the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from aligner import __version__
from aligner.scoring.length import LengthCost
from aligner.scoring.lexical import LexicalCost
from aligner.search.align import SearchConfig


@dataclass(frozen=True)
class Weights:
    """Constants of the cost model.

    Fitted on MAC-Dev by grid search (benchmarks/accuracy.py, BENCHMARKS.md): strict F1
    0.896 in-sample; choosing the grid point on five chapters and scoring the sixth gives
    0.896 pooled over the six (leave-one-chapter-out), the honest figure. The folds chose
    q = 0.7 and prior 4, at the grid's edge, within 0.002 of these values.
    """

    length: float = 2.0
    length_variance: float = LengthCost.variance
    lexical: float = 1.0
    q: float = LexicalCost.q
    prior: float = 3.0


@dataclass
class AlignOptions:
    """Which evidence to use, and its weights; every setting is in the signature written with the output."""

    length: bool = True
    lexicon: bool = True
    numbers: bool = True
    names: bool = True
    punct: bool = True
    learn: bool = True
    weights: Weights = field(default_factory=Weights)
    search: SearchConfig = field(default_factory=SearchConfig)
    parallel: bool = True  # share tokenising and the DP of long texts with a second process (same results)
    prior_table: dict[tuple[int, int], float] | None = None  # bead-shape probabilities; None: DEFAULT_PRIOR

    def signature(self) -> str:
        on = [f.name for f in fields(self) if getattr(self, f.name) is True and f.name != "parallel"]
        if self.prior_table:
            on.append("own-prior")
        w = self.weights
        return (
            f"aligner {__version__}|evidence:{'+'.join(on) or 'prior'}|shapes:{len(self.search.shapes)}"
            f"|w:len={w.length:g},var={w.length_variance:g},lex={w.lexical:g},q={w.q:g},prior={w.prior:g}"
        )
