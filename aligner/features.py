"""Per-sentence features that the bead costs read: lengths and word tokens, computed once."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any, Callable, NamedTuple

import numpy as np


NUMBER, CUE = 0, 1


class Mark(NamedTuple):
    """A number or punctuation-cue key among a sentence's tokens: typed, so that it never
    collides with a word (a plain str) and nothing parses strings to tell them apart."""

    kind: int  # NUMBER or CUE
    key: str  # '#270', '#?'


@dataclass(frozen=True)
class Side:
    """One side of a pair for the aligner: per sentence, its length and what the lexical
    evidence reads, by kind. Plain data: what is derived from it (its `typed` tokens, the
    lexical entries) is kept by the evidence that holds it (`scoring.evidence.Evidence`).

    `words` are jieba words (Chinese) or word tokens (English); `numbers` and `cues` are
    language-neutral keys that match as they are on the other side: number and date
    values ('#270', `aligner.lexicon.numbers`) and punctuation cues ('#?',
    `aligner.lexicon.punct`).
    """

    lang: str  # 'zh' or 'en'
    lengths: np.ndarray  # float64, characters without white space
    words: list[list[str]]
    numbers: list[list[str]]
    cues: list[list[str]]
    sizes: np.ndarray | None = None  # sentences in each unit of a merged side (`merge`); None: one each

    def sentence_counts(self) -> np.ndarray:
        """How many sentences each unit holds (1 unless merged)."""
        return np.ones(len(self.lengths)) if self.sizes is None else self.sizes

    def __len__(self) -> int:
        return len(self.lengths)

    def marks(self, s: int) -> list[str]:
        """The language-neutral keys of sentence s: its numbers, then its cues."""
        return self.numbers[s] + self.cues[s]

    def merge(self, bounds: list[int], keep: int | None, typed: list[list["str | Mark"]]) -> "Side":
        """Side whose unit g joins sentences [bounds[g], bounds[g+1]): for paragraph and coarse passes.

        Units keep distinct tokens only (the costs look at which words a unit has, not how
        often). With `keep`, only the `keep` rarest tokens of each unit in this text, words
        and keys together: a coarse pass then handles fewer tokens at each level instead of
        all of them again, and the tokens dropped are the common ones, which carry the least
        evidence. `typed` is this side's `typed()` (`Evidence.typed` makes it once).
        """
        cum = np.concatenate([[0.0], np.cumsum(self.lengths)])
        lengths = cum[bounds[1:]] - cum[bounds[:-1]]
        counts = np.concatenate([[0.0], np.cumsum(self.sentence_counts())])
        sizes = counts[bounds[1:]] - counts[bounds[:-1]]
        joined = chain.from_iterable  # iterates in C (docs/decisions.md)
        units = [list(dict.fromkeys(joined(typed[a:b]))) for a, b in zip(bounds, bounds[1:])]
        if keep is not None:
            freq = Counter(joined(typed))
            units = [sorted(u, key=freq.__getitem__)[:keep] if len(u) > keep else u for u in units]
        return Side.from_typed(self.lang, lengths, units, sizes)

    def typed(self) -> list[list["str | Mark"]]:
        """Each sentence's tokens in one list: its words (str), then its numbers and cues (Mark).
        Made anew at each call: an `Evidence` keeps the ones of its sides."""
        return [w + [Mark(NUMBER, k) for k in n] + [Mark(CUE, k) for k in c]
                for w, n, c in zip(self.words, self.numbers, self.cues)]

    @staticmethod
    def from_typed(lang: str, lengths: np.ndarray, typed: list[list["str | Mark"]],
                   sizes: np.ndarray | None = None) -> "Side":
        """The Side of per-unit token lists as `typed` gives them."""
        words = [[t for t in u if type(t) is str] for u in typed]
        numbers = [[t.key for t in u if type(t) is Mark and t.kind == NUMBER] for u in typed]
        cues = [[t.key for t in u if type(t) is Mark and t.kind == CUE] for u in typed]
        return Side(lang, lengths, words, numbers, cues, sizes)

    def reversed(self) -> "Side":
        """The side read from its end: sentence k becomes len - 1 - k."""
        sizes = None if self.sizes is None else self.sizes[::-1].copy()
        return Side(self.lang, self.lengths[::-1].copy(), self.words[::-1], self.numbers[::-1], self.cues[::-1], sizes)

    def without(self, numbers: bool = False, cues: bool = False) -> "Side":
        """The same side with its number keys or its punctuation cues left out."""
        empty = [[] for _ in range(len(self))]
        return replace(self, numbers=empty if numbers else self.numbers, cues=empty if cues else self.cues)


def char_length(sentence: str) -> int:
    """Characters that carry text: white space is not counted (Chinese has none, English varies)."""
    return len("".join(sentence.split()))


# Below this many Chinese sentences a second process costs more than it saves: jieba cuts
# thousands of sentences a second, a fork costs tens of ms (docs/decisions.md).
PARALLEL_MIN = 2000

# Chinese sentences the two processes take at a time.  Each takes the next batch from its
# own end of the text until they meet, so they finish together whatever the text and the
# machine's load: a fixed split would have to know how many times an English character a
# Chinese one costs, and misjudge it on other texts.  A batch is the most one process can
# wait for the other at the end: a few ms of jieba (docs/decisions.md).
BATCH = 50
PROGRESS_BATCH = 500  # sentences tokenised between two progress reports in one process

Advance = Callable[[int], None]


Tokens = tuple[list[list[str]], list[list[str]]]  # (words, numbers) of each sentence


def sentence_tokens(lang: str, sentences: list[str]) -> Tokens:
    """Words and number keys ('#270') of each sentence (the slow part of a Side: jieba)."""
    from aligner.lexicon.numbers import en_number_keys, zh_number_keys
    from aligner.tokenize import en_words, zh_words

    words, numbers = (zh_words, zh_number_keys) if lang == "zh" else (en_words, en_number_keys)
    return [words(s) for s in sentences], [numbers(s) for s in sentences]


def sentence_cues(lang: str, sentences: list[str]) -> list[list[str]]:
    """Punctuation cue keys ('#?') of each sentence."""
    from aligner.lexicon.punct import punct_keys

    return [punct_keys(s, lang) for s in sentences]


def char_lengths(sentences: list[str]) -> np.ndarray:
    """char_length of each sentence, as the float64 array Side holds."""
    return np.array([char_length(s) for s in sentences], dtype=np.float64)


def build_side(lang: str, sentences: list[str], lexical: bool = True, advance: Advance | None = None) -> Side:
    """Features of a list of sentences in `lang` ('zh' or 'en'), in this process;
    `advance(k)` is told of every batch of k sentences done (a progress bar)."""
    if not lexical:
        empty = [[] for _ in sentences]
        return Side(lang, char_lengths(sentences), empty, empty, empty)
    words: list[list[str]] = []
    numbers: list[list[str]] = []
    for k in range(0, len(sentences), PROGRESS_BATCH):
        part = sentences[k : k + PROGRESS_BATCH]
        part_words, part_numbers = sentence_tokens(lang, part)
        words += part_words
        numbers += part_numbers
        if advance is not None:
            advance(len(part))
    return Side(lang, char_lengths(sentences), words, numbers, sentence_cues(lang, sentences))


def build_sides(
    zh: list[str], en: list[str], lexical: bool = True, workers: int = 1,
    meanwhile: Callable[[], object] | None = None, advance: Advance | None = None,
) -> tuple[Side, Side]:
    """Features of both sides of a pair: (Chinese Side, English Side).

    With `workers` > 1 and a long Chinese text, a forked worker tokenises Chinese from the
    start while this process does the English, runs `meanwhile` (the pipeline loads the
    lexicon there), then tokenises Chinese from the end until the two meet. The tokens are
    the same as build_side's. `advance(k)` is told of k more sentences (of both sides) done.
    """
    if not (lexical and workers > 1 and len(zh) >= PARALLEL_MIN):
        if meanwhile is not None:
            meanwhile()
        return build_side("zh", zh, lexical, advance), build_side("en", en, lexical, advance)
    from aligner.plumbing.fork import run_aside
    from aligner.tokenize import preload

    preload(zh)  # once, before the fork, instead of once per process
    batches = [zh[k : k + BATCH] for k in range(0, len(zh), BATCH)]
    # [next batch from the start, end of the batches not yet taken], shared with the worker
    todo = multiprocessing.Array("i", [0, len(batches)])
    theirs = run_aside(lambda: _take_batches(todo, batches, from_start=True))
    en_side = build_side("en", en, advance=advance)
    if meanwhile is not None:
        meanwhile()
    mine = _take_batches(todo, batches, from_start=False, advance=advance)
    parts = theirs() + mine[::-1]
    words = [w for part_words, _ in parts for w in part_words]
    numbers = [k for _, part_numbers in parts for k in part_numbers]
    return Side("zh", char_lengths(zh), words, numbers, sentence_cues("zh", zh)), en_side


def _take_batches(
    todo: Any, batches: list[list[str]], from_start: bool, advance: Advance | None = None,
) -> list[Tokens]:
    """Tokens of the batches this process takes, one at a time from its end of `todo` until
    none is left, in the order taken. `advance` hears of the sentences of the batches both
    processes have taken (the other one's are counted when this one looks at `todo`)."""
    done, told, total = [], 0, sum(map(len, batches))
    while True:
        with todo.get_lock():
            start, end = todo[0], todo[1]
            if start >= end:
                if advance is not None:
                    advance(total - told)
                return done
            if from_start:
                k, todo[0] = start, start + 1
            else:
                k = todo[1] = end - 1
        done.append(sentence_tokens("zh", batches[k]))
        if advance is not None:
            taken = min(total, (todo[0] + len(batches) - todo[1]) * BATCH)  # every batch but the last is full
            advance(taken - told)
            told = taken
