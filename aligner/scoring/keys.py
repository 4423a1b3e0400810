"""A document's tokens as integer keys: which English keys each Chinese word and English
token has, and which keys each sentence holds (`Entries`), as the lexical cost
(scoring/lexical.py), the learned rates (scoring/rates.py) and the reference costs of the
tests read them.

A Chinese word u and an English key w match when w is in keys(u). Keys come from the
bilingual lexicon, number values ('#270'), punctuation cues ('#?'), name
transliterations and pairs learned from the document itself; see `aligner.lexicon`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from aligner.features import Mark

ZhKeys = Callable[[str], Iterable[str]]
EnKey = Callable[[str], "str | None"]
Tokens = list[list["str | Mark"]]  # each sentence's tokens, as `Side.typed` gives them


def no_zh_keys(word: str) -> frozenset[str]:
    """Key function of no dictionary (numbers, names and cues still match)."""
    return frozenset()


def no_en_key(word: str) -> None:
    """Key function of no dictionary, English side."""
    return None


@dataclass
class Entries:
    """Which keys the sentences of one side hold: one entry per distinct (sentence, word
    type with keys), ordered by sentence; an entry's keys are ids[ptr[e]:ptr[e + 1]]."""

    n: int  # sentences
    sent: np.ndarray  # (E,) int64, non-decreasing
    ptr: np.ndarray  # (E + 1,) int64
    ids: np.ndarray  # int64 key ids
    typ: np.ndarray  # (E,) int64: the entry's type (Chinese: word index of the KeyTable; English: key id)

    def reversed(self) -> Entries:
        """The entries of the side read from its end (`Side.reversed`: sentence s becomes
        n - 1 - s), in the order `KeyTable` makes them: by sentence, and within a sentence
        as here."""
        order = np.argsort(self.n - 1 - self.sent, kind="stable")
        nk = np.diff(self.ptr)[order]
        _, pos = expand(self.ptr[order], nk)
        return Entries(self.n, (self.n - 1 - self.sent)[order], np.concatenate([[0], np.cumsum(nk)]),
                       self.ids[pos], self.typ[order])

    def codes(self) -> np.ndarray:
        """Sorted distinct key * (n + 1) + sentence: where each key occurs."""
        owner = np.repeat(self.sent, np.diff(self.ptr))
        return distinct(self.ids * (self.n + 1) + owner)


class KeyTable:
    """Maps a document's tokens to integer key ids, each token looked up once: every view
    of the document (coarse or fine, forward or reversed, `scoring.evidence.Evidence`)
    shares its table.

    `zh_keys(word)` gives a Chinese word's English keys and `en_key(token)` an English
    token's key (see `aligner.lexicon`); `extra` adds keys to Chinese words (names, learned
    pairs). A Chinese word has a list of key ids (CSR: `_zh_ptr`, `_zh_ids`), an English
    token one key id or -1. A Side's numbers and cues are keys already: they match as they
    are on both sides. Ids are given in the order tokens are first looked up, and a token's
    ids never change after: entries made earlier stay true as the table grows. Per side
    the work is a few NumPy passes over the token arrays.
    """

    def __init__(self, zh_keys: ZhKeys, en_key: EnKey, extra: dict[str, set[str]]):
        self.zh_keys, self.en_key, self.extra = zh_keys, en_key, extra
        self.ids: dict[str, int] = {}
        self.zh: dict[str | Mark, int] = {}  # Chinese word -> its index into _zh_ptr
        self._zh_ptr, self._zh_ids = [0], []
        self.en: dict[str | Mark, int] = {}  # English token -> key id, -1 for none

    @property
    def size(self) -> int:
        return len(self.ids)

    def with_extra(self, extra: dict[str, set[str]]) -> KeyTable:
        """A table with other extra keys: words whose extra keys change are looked up
        again when next seen; everything else is shared (copied), English keys included,
        so that English entries made with this table hold in the new one."""
        new = KeyTable(self.zh_keys, self.en_key, extra)
        new.ids, new.en = dict(self.ids), dict(self.en)
        new._zh_ptr, new._zh_ids = list(self._zh_ptr), list(self._zh_ids)
        new.zh = {u: k for u, k in self.zh.items() if self.extra.get(u) == extra.get(u)}
        return new

    def zh_entries(self, tokens: Tokens) -> Entries:
        """Entries of Chinese sentences: each sentence's distinct words and marks that have keys."""
        flat = [u for toks in tokens for u in toks]
        for u in dict.fromkeys(flat):  # first-seen order keeps key ids reproducible
            if u not in self.zh:
                if isinstance(u, Mark):
                    keys = {u.key}
                else:
                    keys = set(self.zh_keys(u)) | self.extra.get(u, set())
                self.zh[u] = len(self._zh_ptr) - 1
                self._zh_ids.extend(sorted(self.ids.setdefault(k, len(self.ids)) for k in sorted(keys)))
                self._zh_ptr.append(len(self._zh_ids))
        word = np.fromiter(map(self.zh.__getitem__, flat), np.int64, len(flat))
        ptr, ids = np.array(self._zh_ptr, np.int64), np.array(self._zh_ids, np.int64)
        n_words = len(ptr) - 1
        sent = np.repeat(np.arange(len(tokens)), [len(t) for t in tokens])
        keyed = (ptr[word + 1] > ptr[word])
        code = distinct(sent[keyed] * n_words + word[keyed])
        es, ew = code // n_words, code % n_words
        nk = ptr[ew + 1] - ptr[ew]
        _, pos = expand(ptr[ew], nk)
        return Entries(len(tokens), es, np.concatenate([[0], np.cumsum(nk)]), ids[pos], ew)

    def en_entries(self, tokens: Tokens) -> Entries:
        """Entries of English sentences: each sentence's distinct keys, one key an entry."""
        flat = [w for toks in tokens for w in toks]
        for w in dict.fromkeys(flat):
            if w not in self.en:
                k = w.key if isinstance(w, Mark) else self.en_key(w)
                self.en[w] = -1 if k is None else self.ids.setdefault(k, len(self.ids))
        key = np.fromiter(map(self.en.__getitem__, flat), np.int64, len(flat))
        sent = np.repeat(np.arange(len(tokens)), [len(t) for t in tokens])
        keyed = key >= 0
        size = max(self.size, 1)
        code = distinct(sent[keyed] * size + key[keyed])
        return Entries(len(tokens), code // size, np.arange(len(code) + 1, dtype=np.int64), code % size, code % size)


def distinct(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (by sorting: np.unique is slower on int64, docs/decisions.md)."""
    x = np.sort(x)
    return x[np.concatenate([[True], x[1:] != x[:-1]])] if len(x) else x


def expand(starts: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [starts[r], starts[r] + lens[r]): (range of each element, element)."""
    owner = np.repeat(np.arange(len(lens)), lens)
    offsets = np.cumsum(lens) - lens
    return owner, starts[owner] + np.arange(len(owner)) - offsets[owner]
