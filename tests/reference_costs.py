"""Plain, slow, obviously-right bead costs, written from their definitions (the docstrings
of `aligner/scoring/length.py` and `aligner/scoring/lexical.py`) for
tests/test_cost_reference.py to hold the vectorised code against, as tests/test_dp.py
holds the DP against brute force.

One bead at a time, with Python sets and floats: no band, no window, no index arithmetic.
A bead is a range of Chinese sentences and a range of English sentences.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from typing import Callable, Iterable

from aligner.features import Side

ZhKeys = Callable[[str], Iterable[str]]
EnKey = Callable[[str], "str | None"]


class LengthReference:
    """Gale & Church's delta^2 / 2 on characters, for any bead of one document pair.

    c: the document's English characters per Chinese character (each total at least 1),
    clipped to `ratio_range`; s2 = variance * c; delta = (l_en - c l_zh) / sqrt(s2 (l_zh +
    l_en / c) / 2 + 1), the + 1 keeping a bead of empty sentences finite. A one-sided bead
    has nothing to compare and costs 0 (leaving sentences unpaired is the skip cost's).
    """

    def __init__(self, zh: Side, en: Side, variance: float, ratio_range: tuple[float, float]):
        self.zh, self.en, self.variance = zh, en, variance
        c = max(sum(en.lengths), 1.0) / max(sum(zh.lengths), 1.0)
        self.c = min(max(c, ratio_range[0]), ratio_range[1])

    def cost(self, zh_bead: range, en_bead: range) -> float:
        if len(zh_bead) == 0 or len(en_bead) == 0:
            return 0.0
        c = self.c
        l_zh = sum(self.zh.lengths[s] for s in zh_bead)
        l_en = sum(self.en.lengths[t] for t in en_bead)
        spread = self.variance * c * (l_zh + l_en / c) / 2 + 1.0
        return (l_en - c * l_zh) ** 2 / spread / 2


class LexicalReference:
    """The lexical cost of any bead of one document pair.

    What a sentence holds: a Chinese sentence, its distinct word types and its marks
    (numbers and cues), each with a set of English keys: a word's keys are
    `zh_keys(word)` and `extra[word]`, a mark's key is itself; word types without keys
    say nothing and are left out. An English sentence holds a set of keys: `en_key` of
    each token and its marks; each distinct key is one English "word".

    A word with keys K, looked for in a range of k sentences of the other side:
    - the chance that one sentence of the other side holds one of K, taking the keys as
      independent: c = 1 - prod over k in K of (1 - share(k)), share(k) being the share of
      the other side's sentences holding k;
    - for k sentences the chance is c_k = 1 - (1 - c)^k; in the true bead it is
      q_k = max(q, c_k) (a translation is never less likely than chance);
    - present (one of K in the range): log(q_k / c_k); absent: log((1 - q_k) / (1 - c_k));
      no evidence (0) where q_k = c_k. A word none of whose keys occurs on the other
      side at all (c = 0) is absent from every range: log(1 - q).
    The bead's cost is minus the sum over the Chinese words of its Chinese sentences
    against its English range, and over the English words of its English sentences
    against its Chinese range. A bead with an empty side (sentences left unpaired) scores
    each word of its sentences as absent from a range of one sentence: leaving a sentence
    out is weighed against the words that would have found a translation; a word with
    c = 0 scores 0 there (no counterpart explains its missing translation).

    With learned rates (scoring/rates.py) each word has its own q, `zh_rate(type)` for a
    Chinese type (("word", u) or ("mark", key)) and `en_rate(key)` for an English key; a
    word whose chance c is at least its q says nothing, and a one-sided bead still scores
    its words with the global q.
    """

    def __init__(self, zh: Side, en: Side, zh_keys: ZhKeys, en_key: EnKey,
                 extra: dict[str, set[str]], q: float,
                 zh_rate: Callable[[tuple[str, str]], float] | None = None,
                 en_rate: Callable[[str], float] | None = None):
        self.q = q
        self.zh_rate = zh_rate or (lambda t: q)
        self.en_rate = en_rate or (lambda k: q)
        # Chinese: sentence -> {word type: its keys}; a mark is its own type, apart from words
        self.zh_words: list[dict[tuple[str, str], frozenset[str]]] = []
        for s in range(len(zh)):
            types = {("word", u): frozenset(zh_keys(u)) | frozenset(extra.get(u, ())) for u in zh.words[s]}
            types.update({("mark", k): frozenset([k]) for k in zh.marks(s)})
            self.zh_words.append({t: keys for t, keys in types.items() if keys})
        # English: sentence -> its keys
        self.en_sets: list[frozenset[str]] = [
            frozenset(k for k in map(en_key, en.words[t]) if k is not None) | frozenset(en.marks(t))
            for t in range(len(en))
        ]
        # Chinese sentence -> every key any of its word types has
        self.zh_sets: list[frozenset[str]] = [frozenset().union(*words.values()) for words in self.zh_words]
        # key -> how many sentences of each side hold it
        self.zh_count = Counter(k for keys in self.zh_sets for k in keys)
        self.en_count = Counter(k for keys in self.en_sets for k in keys)

    def cost(self, zh_bead: range, en_bead: range) -> float:
        if len(en_bead) == 0:
            return -sum(self.llr(keys, self.en_sets, self.en_count, range(1), found=False, q=self.zh_rate(typ))
                        for s in zh_bead for typ, keys in self.zh_words[s].items())
        if len(zh_bead) == 0:
            return -sum(self.llr(frozenset([key]), self.zh_sets, self.zh_count, range(1), found=False,
                                 q=self.en_rate(key))
                        for t in en_bead for key in self.en_sets[t])
        zh_side = sum(self._zh_sentence(s, en_bead.start, en_bead.stop) for s in zh_bead)
        en_side = sum(self._en_sentence(t, zh_bead.start, zh_bead.stop) for t in en_bead)
        return -(zh_side + en_side)

    @lru_cache(maxsize=None)
    def _zh_sentence(self, s: int, start: int, stop: int) -> float:
        """The evidence of Chinese sentence s's words in English sentences [start, stop)."""
        return sum(self.llr(keys, self.en_sets, self.en_count, range(start, stop), q=self.zh_rate(typ))
                   for typ, keys in self.zh_words[s].items())

    @lru_cache(maxsize=None)
    def _en_sentence(self, t: int, start: int, stop: int) -> float:
        """The evidence of English sentence t's keys in Chinese sentences [start, stop)."""
        return sum(self.llr(frozenset([key]), self.zh_sets, self.zh_count, range(start, stop), q=self.en_rate(key))
                   for key in self.en_sets[t])

    def llr(self, keys: frozenset[str], other: list[frozenset[str]], count: Counter, window: range,
            found: bool | None = None, q: float | None = None) -> float:
        """log P(what the window shows | the bead is a translation) / P(it | chance), for a
        word with translations `keys` and the other side's sentences `other` (each one's
        keys; `count`: how many of them hold each key) and the word's own q (default: the
        global one). `found` overrides what the window shows (False: a one-sided bead,
        where nothing can be found, scored with the global q)."""
        q = self.q if q is None else q
        shares = [count[key] / max(len(other), 1) for key in keys]
        c = 1.0 - math.prod(1.0 - share for share in shares)
        if c >= q:
            return 0.0  # found as often by chance
        if found is False:  # a one-sided bead
            if c == 0.0:
                return 0.0  # no translation anywhere on the other side: explained
            q = self.q
        c_k = 1.0 - (1.0 - c) ** len(window)
        q_k = max(q, c_k)
        if q_k == c_k:
            return 0.0
        if found is None:
            found = any(keys & other[t] for t in window)
        if found:
            return math.log(q_k / c_k)
        return math.log((1.0 - q_k) / (1.0 - c_k))
