"""Plain data passed between the stages: a segmented text and an aligned document pair."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from aligner.beads import Bead, bead_type


def base_lang(lang: str) -> str:
    """'zh-TW' -> 'zh', 'en-US' -> 'en'."""
    return lang.split("-")[0].split("_")[0].lower()


def join_sentences(lang: str, sentences: list[str]) -> str:
    """Join the sentences of one side of a bead: Chinese without spaces, other languages with one."""
    sep = "" if base_lang(lang) in ("zh", "ja") else " "
    return sep.join(s.strip() for s in sentences)


class Pair(NamedTuple):
    """One bead of an alignment as the Python API returns it: the source and target text
    (a side's sentences joined; empty for a sentence left without a counterpart), the
    score (the calibrated probability that the pair is exactly right), and the 0-based
    indices of its source and target sentences."""

    src: str
    tgt: str
    score: float
    src_idx: tuple[int, ...]
    tgt_idx: tuple[int, ...]

    @property
    def type(self) -> str:
        """The bead's shape, source sentences-target sentences: '1-1', '2-1', '1-0'..."""
        return bead_type((self.src_idx, self.tgt_idx))


@dataclass
class Text:
    """One side of a document pair, split into paragraphs of sentences.

    `lang` is a language code as written to the output (e.g. 'zh-CN', 'en-US').
    """

    lang: str
    paragraphs: list[list[str]]
    path: str = ""
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def sentences(self) -> list[str]:
        return [s for p in self.paragraphs for s in p]

    @property
    def paragraph_starts(self) -> list[int]:
        """Index of the first sentence of each paragraph, plus the total count at the end."""
        starts, n = [], 0
        for p in self.paragraphs:
            starts.append(n)
            n += len(p)
        return starts + [n]


@dataclass
class AlignedDocument:
    """The result of aligning two texts: beads in document order with one score each.

    `score` is in [0, 1]: higher means the bead is more likely correct.
    `metadata` holds document fields (title, author, date...) for the writers;
    `signature` records the settings that produced the alignment. `indexed` is False
    when the beads' sentence indices are not known (a table read back without them, as
    a TSV): writers then leave indices and bead types out rather than invent them.
    """

    src: Text
    tgt: Text
    beads: list[Bead]
    scores: list[float]
    metadata: dict[str, str] = field(default_factory=dict)
    signature: str = ""
    indexed: bool = True

    def pairs(self) -> list[tuple[str, str, float, Bead]]:
        """Each bead as (source text, target text, score, bead), sentences joined per language."""
        s, t = self.src.sentences, self.tgt.sentences
        return [
            (
                join_sentences(self.src.lang, [s[i] for i in b[0]]),
                join_sentences(self.tgt.lang, [t[j] for j in b[1]]),
                score,
                b,
            )
            for b, score in zip(self.beads, self.scores)
        ]


@dataclass
class ReviewedDocument(AlignedDocument):
    """An alignment read back from a table a reviewer may have edited (`aligner convert`).

    `cells` holds each bead's (source, translation) text as the table has it, edits
    included, so `pairs` returns those rather than sentences joined again. The sides'
    `sentences` hold the same texts at the first index of their bead. `wrong` marks the
    beads the reviewer set to status 'wrong' (empty: none).
    """

    cells: list[tuple[str, str]] = field(default_factory=list)
    wrong: list[bool] = field(default_factory=list)

    def pairs(self) -> list[tuple[str, str, float, Bead]]:
        return [(src, tgt, score, bead) for (src, tgt), score, bead in zip(self.cells, self.scores, self.beads)]
