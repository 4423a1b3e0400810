"""Per-sentence features that the bead costs read: lengths and word tokens, computed once."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np


@dataclass(frozen=True)
class Side:
    """One side of a pair for the aligner: its sentences' lengths and tokens.

    `tokens` are jieba words for Chinese and word tokens for English, plus
    language-neutral number keys such as '#270'; the lexical cost reads them.
    `vectors` (only with --embed) are sentence embeddings, one row per unit; a merged
    unit holds the sum of its sentences' rows, which the embedding cost normalises.
    """

    lang: str  # 'zh' or 'en'
    lengths: np.ndarray  # float64, characters without white space
    tokens: list[list[str]]
    vectors: np.ndarray | None = None  # (units, dim), or None without --embed

    def __len__(self) -> int:
        return len(self.lengths)

    def merge(self, bounds: list[int], keep: int | None = None) -> "Side":
        """Side whose unit g joins sentences [bounds[g], bounds[g+1]): for paragraph and coarse passes.

        Units keep distinct tokens only (the costs look at which words a unit has, not how
        often). With `keep`, only the `keep` rarest tokens of each unit in this text: a
        coarse pass then handles fewer tokens at each level instead of all of them again,
        and the words dropped are the common ones, which carry the least evidence.
        """
        cum = np.concatenate([[0.0], np.cumsum(self.lengths)])
        lengths = cum[bounds[1:]] - cum[bounds[:-1]]
        tokens = [list(dict.fromkeys(t for s in range(a, b) for t in self.tokens[s])) for a, b in zip(bounds, bounds[1:])]
        if keep is not None:
            freq = Counter(t for toks in self.tokens for t in toks)
            tokens = [sorted(toks, key=freq.__getitem__)[:keep] if len(toks) > keep else toks for toks in tokens]
        vectors = None
        if self.vectors is not None:  # sums of member rows (a sum does not depend on reading direction)
            vc = np.concatenate([np.zeros((1, self.vectors.shape[1])), np.cumsum(self.vectors, axis=0, dtype=np.float64)])
            vectors = vc[bounds[1:]] - vc[bounds[:-1]]
        return Side(self.lang, lengths, tokens, vectors)


def char_length(sentence: str) -> int:
    """Characters that carry text: white space is not counted (Chinese has none, English varies)."""
    return len("".join(sentence.split()))


# Below this many Chinese sentences a second process costs more than it saves (measured on
# the Bible: jieba cuts about 8,000 sentences a second here; a fork costs a few 10 ms).
PARALLEL_MIN = 2000

# Chinese sentences the two processes take at a time.  Each takes the next batch from its
# own end of the text until they meet, so they finish together whatever the text and the
# machine's load: a fixed split would have to know that a Chinese character costs about 24
# times an English one (Bible, in one process: 0.85 s for 156,000 Chinese characters, 0.15 s
# for 648,000 English ones), and misjudge it on other texts.  50 sentences are about 7 ms of
# jieba: the most one process can wait for the other at the end.
BATCH = 50


def sentence_tokens(lang: str, sentences: list[str]) -> list[list[str]]:
    """Words, then number keys ('#270'), then punctuation cue keys ('#?') of each sentence."""
    from aligner.lexicon.numbers import en_number_keys, zh_number_keys
    from aligner.lexicon.punct import punct_keys
    from aligner.tokenize import en_words, zh_words

    words, numbers = (zh_words, zh_number_keys) if lang == "zh" else (en_words, en_number_keys)
    return [words(s) + numbers(s) + punct_keys(s, lang) for s in sentences]


def char_lengths(sentences: list[str]) -> np.ndarray:
    """char_length of each sentence, as the float64 array Side holds."""
    return np.array([char_length(s) for s in sentences], dtype=np.float64)


def build_side(lang: str, sentences: list[str], lexical: bool = True) -> Side:
    """Features of a list of sentences in `lang` ('zh' or 'en'), in this process."""
    tokens = sentence_tokens(lang, sentences) if lexical else [[] for _ in sentences]
    return Side(lang, char_lengths(sentences), tokens)


def build_sides(
    zh: list[str], en: list[str], lexical: bool = True, workers: int = 1,
    meanwhile: Callable[[], object] | None = None,
) -> tuple[Side, Side]:
    """Features of both sides of a pair: (Chinese Side, English Side).

    With `workers` > 1 and a long Chinese text, a forked worker tokenises Chinese from the
    start while this process does the English, runs `meanwhile` (the pipeline loads the
    lexicon there), then tokenises Chinese from the end until the two meet. The tokens are
    the same as build_side's.
    """
    if not (lexical and workers > 1 and len(zh) >= PARALLEL_MIN):
        if meanwhile is not None:
            meanwhile()
        return build_side("zh", zh, lexical), build_side("en", en, lexical)
    from aligner.fork import run_aside
    from aligner.tokenize import preload

    preload(zh)  # once, before the fork, instead of once per process
    batches = [zh[k : k + BATCH] for k in range(0, len(zh), BATCH)]
    # [next batch from the start, end of the batches not yet taken], shared with the worker
    todo = multiprocessing.Array("i", [0, len(batches)])
    theirs = run_aside(lambda: _take_batches(todo, batches, from_start=True))
    en_side = build_side("en", en)
    if meanwhile is not None:
        meanwhile()
    mine = _take_batches(todo, batches, from_start=False)
    zh_tokens = [t for part in theirs() + mine[::-1] for t in part]
    return Side("zh", char_lengths(zh), zh_tokens), en_side


def _take_batches(todo: Any, batches: list[list[str]], from_start: bool) -> list[list[list[str]]]:
    """Tokens of the batches this process takes, one at a time from its end of `todo` until
    none is left, in the order taken."""
    done = []
    while True:
        with todo.get_lock():
            start, end = todo[0], todo[1]
            if start >= end:
                return done
            if from_start:
                k, todo[0] = start, start + 1
            else:
                k = todo[1] = end - 1
        done.append(sentence_tokens("zh", batches[k]))
