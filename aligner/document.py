"""Plain data passed between the stages: a segmented text and an aligned document pair."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from aligner.beads import Bead, bead_type

#: The languages the aligner pairs, by base code, as messages name them.
LANG_NAMES = {"zh": "Chinese", "en": "English"}


def base_lang(lang: str) -> str:
    """'zh-TW' -> 'zh', 'en-US' -> 'en'."""
    return lang.split("-")[0].split("_")[0].lower()


def sentence_separator(lang: str) -> str:
    """What goes between two sentences of one side of a bead: nothing in Chinese, a space in other languages."""
    return "" if base_lang(lang) in ("zh", "ja") else " "


def join_sentences(lang: str, sentences: list[str]) -> str:
    """Join the sentences of one side of a bead (`sentence_separator`)."""
    return sentence_separator(lang).join(s.strip() for s in sentences)


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


@dataclass(frozen=True)
class Added:
    """Text of one side that is no part of it as a translation (a glossary the translation
    appended: `readers.added`): kept out of its sentences and of the alignment, shown in
    the outputs as a one-sided row with `reason`. `at` is the index of the side's first
    sentence after it (the side's sentence count when none is)."""

    at: int
    text: str
    reason: str


@dataclass
class Text:
    """One side of a document pair, split into paragraphs of sentences.

    `lang` is a language code as written to the output (e.g. 'zh-CN', 'en-US').
    `added` is the side's text that is not aligned (`Added`); `solo` maps the index of a
    sentence known to have no counterpart (a headline the translation's body leaves out)
    to why: it is left out of the search and stands in a one-sided bead.
    """

    lang: str
    paragraphs: list[list[str]]
    path: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    added: list[Added] = field(default_factory=list)
    solo: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # read back from JSON (the batch state file): objects and string keys
        self.added = [a if isinstance(a, Added) else Added(**a) for a in self.added]
        self.solo = {int(k): v for k, v in self.solo.items()}

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


@dataclass(frozen=True)
class Row:
    """One row of an output table: the texts, the score, the bead (None for added text,
    which is in no bead) and the machine note ('' for none)."""

    src: str
    tgt: str
    score: float
    bead: Bead | None
    note: str = ""

    @property
    def added(self) -> bool:
        return self.bead is None


def _after(item: tuple[Added, int], bead: Bead) -> bool:
    """Whether added text belongs before `bead`: the bead holds a sentence of its side at
    or after the place of the added text."""
    added, side = item
    return any(i >= added.at for i in bead[side])


@dataclass(frozen=True)
class DocumentStatus:
    """What became of a document's translation (`aligner.status.assess`): `status` ('ok',
    'partial' or 'suspect'), the sentence that says why ('' when ok), the share of the
    Chinese characters paired (`covered`) and the evidence figure (`evidence`)."""

    status: str
    message: str
    covered: float
    evidence: float


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
    #: a machine note per bead ('' for none): why it is one-sided or flagged (`aligner.notes`);
    #: empty when no bead has one
    notes: list[str] = field(default_factory=list)
    #: the document's status (`aligner.status`): 'ok', 'partial' or 'suspect', and what it rests on
    status: DocumentStatus | None = None

    def note(self, k: int) -> str:
        """The note of bead `k` ('' when none)."""
        return self.notes[k] if k < len(self.notes) else ""

    def rows(self) -> list[Row]:
        """What a table shows, in document order: each bead as `pairs` gives it, with its
        note, and each side's added text (`Added`) as a one-sided row of its own (bead None,
        score 0), placed before the first bead that holds a sentence after it."""
        rows = [Row(src, tgt, score, bead, self.note(k)) for k, (src, tgt, score, bead) in enumerate(self.pairs())]
        added = [(a, side) for side, text in ((0, self.src), (1, self.tgt)) for a in text.added]
        if not added or not self.indexed:
            return rows
        out: list[Row] = []
        pending = sorted(added, key=lambda item: item[0].at)
        for row in rows:
            while pending and _after(pending[0], row.bead):
                a, side = pending.pop(0)
                out.append(Row(a.text if side == 0 else "", a.text if side == 1 else "", 0.0, None, a.reason))
            out.append(row)
        for a, side in pending:
            out.append(Row(a.text if side == 0 else "", a.text if side == 1 else "", 0.0, None, a.reason))
        return out

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
