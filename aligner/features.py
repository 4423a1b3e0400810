"""Per-sentence features that the bead costs read: lengths and word tokens, computed once."""

from __future__ import annotations

import signal
from collections import Counter
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Side:
    """One side of a pair for the aligner: its sentences' lengths and tokens.

    `tokens` are jieba words for Chinese and word tokens for English, plus
    language-neutral number keys such as '#270'; the lexical cost reads them.
    """

    lang: str  # 'zh' or 'en'
    lengths: np.ndarray  # float64, characters without white space
    tokens: list[list[str]]

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
        return Side(self.lang, lengths, tokens)


def char_length(sentence: str) -> int:
    """Characters that carry text: white space is not counted (Chinese has none, English varies)."""
    return len("".join(sentence.split()))


# Below this many sentences a second process costs more than it saves (measured on the
# Bible: jieba cuts about 8,000 sentences a second here; a fork costs a few 10 ms).
PARALLEL_MIN = 2000


def sentence_tokens(lang: str, sentences: list[str]) -> list[list[str]]:
    """Words, then number keys ('#270'), then punctuation cue keys ('#?') of each sentence."""
    from aligner.lexicon.numbers import en_number_keys, zh_number_keys
    from aligner.lexicon.punct import punct_keys
    from aligner.tokenize import en_words, zh_words

    words, numbers = (zh_words, zh_number_keys) if lang == "zh" else (en_words, en_number_keys)
    return [words(s) + numbers(s) + punct_keys(s, lang) for s in sentences]


def build_side(lang: str, sentences: list[str], lexical: bool = True, workers: int = 1) -> Side:
    """Features of a list of sentences in `lang` ('zh' or 'en').

    With `workers` > 1 and a long text, tokenising is shared with worker processes.
    """
    lengths = np.array([char_length(s) for s in sentences], dtype=np.float64)
    if not lexical:
        return Side(lang, lengths, [[] for _ in sentences])
    if workers > 1 and len(sentences) >= PARALLEL_MIN:
        from concurrent.futures import ProcessPoolExecutor

        if lang == "zh":
            from aligner.tokenize import preload

            preload(sentences)  # once, before the fork, instead of once per process
        step = -(-len(sentences) // workers)
        chunks = [sentences[k : k + step] for k in range(0, len(sentences), step)]
        # workers ignore Ctrl-C: the main process reports the interruption, once
        with ProcessPoolExecutor(workers - 1, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
            rest = pool.map(sentence_tokens, [lang] * (len(chunks) - 1), chunks[1:])
            tokens = sentence_tokens(lang, chunks[0])
            for part in rest:
                tokens.extend(part)
    else:
        tokens = sentence_tokens(lang, sentences)
    return Side(lang, lengths, tokens)
