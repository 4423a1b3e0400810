"""Lexical cost: do the words of one side have translations on the other side of the bead?

For each Chinese word u of a bead, the log-likelihood ratio of "a translation of u is
(or is not) in the bead's English" under "the bead is a translation" (probability q)
against "it is there by chance" (the share of the document's English sentences that
hold a translation of u, for a bead of b sentences 1 - (1 - c)^b); the same for each
English word against the Chinese side; summed (alignment-notes.md: q = 0.3 measured
best on MAC-Dev). A word's evidence is therefore weighted by how rare its
translations are in this document. Words with no translation anywhere in the
document carry no evidence and are skipped.

A Chinese word u and an English key w match when w is in keys(u). Keys come from
the bilingual lexicon, number values ('#270'), name transliterations and pairs
learned from the document itself; see `aligner.lexicon`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np

from aligner.band import Band
from aligner.features import Side
from aligner.scoring.base import Shape, cell_grid

ZhKeys = Callable[[str], Iterable[str]]
EnKey = Callable[[str], "str | None"]


@dataclass
class LexicalCost:
    weight: float = 1.0
    # P(a word's translation is in the true bead); 0.3 in alignment-notes.md, 0.6 fitted
    # on MAC-Dev with leave-one-chapter-out checking (benchmarks/accuracy.py)
    q: float = 0.6
    zh_keys: ZhKeys | None = None  # default: the CC-CEDICT lexicon
    en_key: EnKey | None = None
    extra: dict[str, set[str]] = field(default_factory=dict)  # zh word -> more English keys
    name: str = "lexical"

    def key_functions(self) -> tuple[ZhKeys, EnKey]:
        zk, ek = self.zh_keys, self.en_key
        if zk is None or ek is None:
            from aligner.lexicon import load_lexicon

            lex = load_lexicon()
            zk, ek = zk or lex.zh_keys, ek or lex.en_key
        return zk, ek

    def bind(self, zh: Side, en: Side, band: Band, shapes: list[Shape]) -> "_BoundLexical":
        if getattr(self, "_keys", None) is None:
            self._keys = KeyTable(*self.key_functions(), self.extra)
        zh_keys, en_keys = self._keys.sentences(zh.tokens, en.tokens)
        return _BoundLexical(zh_keys, en_keys, self._keys.size, band, shapes, self.q)


class KeyTable:
    """Maps tokens to integer key ids, once per document (the coarse and fine passes share it).

    A Chinese word maps to the tuple of its keys' ids, an English token to one key id.
    Number keys ('#270') pass through on both sides.
    """

    def __init__(self, zh_keys: ZhKeys, en_key: EnKey, extra: dict[str, set[str]]):
        self.zh_keys, self.en_key, self.extra = zh_keys, en_key, extra
        self.ids: dict[str, int] = {}
        self.zh: dict[str, tuple[int, ...]] = {}
        self.en: dict[str, int] = {}

    @property
    def size(self) -> int:
        return len(self.ids)

    def _zh(self, u: str) -> tuple[int, ...]:
        if u not in self.zh:
            keys = {u} if u.startswith("#") else set(self.zh_keys(u))
            keys |= self.extra.get(u, set())
            self.zh[u] = tuple(sorted(self.ids.setdefault(k, len(self.ids)) for k in keys))
        return self.zh[u]

    def _en(self, w: str) -> int:
        if w not in self.en:
            k = w if w.startswith("#") else self.en_key(w)
            self.en[w] = -1 if k is None else self.ids.setdefault(k, len(self.ids))
        return self.en[w]

    def sentences(self, zh_tokens: list[list[str]], en_tokens: list[list[str]]):
        """Per Chinese sentence, the key-id tuple of each distinct word that has keys;
        per English sentence, its distinct key ids."""
        zh = [[k for k in (self._zh(u) for u in dict.fromkeys(toks)) if k] for toks in zh_tokens]
        en = [sorted({k for w in toks if (k := self._en(w)) >= 0}) for toks in en_tokens]
        return zh, en


def _expand(starts: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [starts[r], starts[r] + lens[r]): (range of each element, element)."""
    owner = np.repeat(np.arange(len(lens)), lens)
    offsets = np.cumsum(lens) - lens
    return owner, starts[owner] + np.arange(len(owner)) - offsets[owner]


@dataclass
class _Evidence:
    """The words of one side that can find a translation on the other side.

    Entries are (sentence, word type) pairs; a type has one or more keys; the other
    side is indexed as sorted codes key * (other + 1) + sentence.
    """

    sent: np.ndarray  # (E,) sentence of each entry, non-decreasing
    key_ptr: np.ndarray  # (E + 1,) CSR into key_ids: the keys of each entry
    key_ids: np.ndarray
    gain: np.ndarray  # (E, kmax + 1): score added when present in a range of k sentences
    absent: np.ndarray  # (E, kmax + 1): score when absent
    codes: np.ndarray  # sorted key * (other + 1) + sentence of the other side
    other: int


def _evidence(sent_keys: list[list[tuple[int, ...]]], other_keys: list[list[int]], n_keys: int, kmax: int, q: float) -> _Evidence:
    """Build entries from each sentence's word types (tuples of key ids) and the other side's key ids."""
    other = len(other_keys)
    # each sentence's key ids are distinct, so the codes are too
    codes = np.sort(np.array([k * (other + 1) + t for t, ks in enumerate(other_keys) for k in ks], np.int64))
    share = np.bincount(codes // (other + 1), minlength=n_keys) / max(other, 1)
    types = [keys for sent in sent_keys for keys in sent]
    sent = np.repeat(np.arange(len(sent_keys)), [len(s) for s in sent_keys])
    nk = np.array([len(t) for t in types], np.int64)
    ids = np.array([k for t in types for k in t], np.int64)
    owner = np.repeat(np.arange(len(types)), nk)
    found = share[ids] > 0
    ids, owner = ids[found], owner[found]
    nk = np.bincount(owner, minlength=len(types))
    # share of sentences holding one of the keys, assuming they occur independently
    logmiss = np.zeros(len(types))
    np.add.at(logmiss, owner, np.log1p(-np.minimum(share[ids], 0.999)))
    chance = 1.0 - np.exp(logmiss)
    # chance >= q: the log-likelihood ratio is 0 whether present or not
    keep = (nk > 0) & (chance < q)
    keep_keys = keep[owner]
    ids = ids[keep_keys]
    ptr = np.concatenate([[0], np.cumsum(nk[keep])])
    c = chance[keep][:, None]
    k = np.arange(kmax + 1)[None, :]
    ck = 1 - (1 - c) ** k
    qk = np.maximum(q, ck)
    with np.errstate(divide="ignore", invalid="ignore"):
        absent = np.log((1 - qk) / (1 - ck))
        present = np.log(qk / np.where(ck > 0, ck, 1))
    absent[:, 0] = 0.0
    present[:, 0] = 0.0
    return _Evidence(sent[keep], ptr.astype(np.int64), ids, present - absent, absent, codes, other)


def _window_scores(ev: _Evidence, n_sent: int, base: np.ndarray, width: int, kmax: int) -> np.ndarray:
    """part[s, k, q]: summed score of sentence s's words against the other side's range
    [p - k, p) with p = base[s] + q, for q in [0, width]."""
    part = np.zeros((n_sent, kmax + 1, width + 1))
    if not len(ev.sent):
        return part
    # absent scores do not depend on the range
    absent = np.zeros((n_sent, kmax + 1))
    np.add.at(absent, ev.sent, ev.absent)
    part += absent[:, :, None]
    chunk = max(1, 1_000_000 // (width + 1))  # bounds the temporaries below to tens of MB
    for e0 in range(0, len(ev.sent), chunk):
        e1 = min(e0 + chunk, len(ev.sent))
        # every (entry, key) pair, then the key's sentences inside the entry's window
        entry, pair = _expand(ev.key_ptr[e0:e1], ev.key_ptr[e0 + 1 : e1 + 1] - ev.key_ptr[e0:e1])
        lo = ev.key_ids[pair] * (ev.other + 1) + base[ev.sent[e0 + entry]]
        hi = ev.key_ids[pair] * (ev.other + 1) + np.minimum(base[ev.sent[e0 + entry]] + width, ev.other + 1)
        a, b = np.searchsorted(ev.codes, lo), np.searchsorted(ev.codes, hi)
        owner, idx = _expand(a, b - a)
        grid = np.zeros((e1 - e0, width + 1), np.int32)
        grid[entry[owner], ev.codes[idx] - lo[owner] + 1] = 1
        cum = np.cumsum(grid, axis=1)  # cum[:, q] = hits at positions < q
        sents, starts = np.unique(ev.sent[e0:e1], return_index=True)
        for k in range(1, kmax + 1):
            prev = np.zeros_like(cum)
            prev[:, k:] = cum[:, :-k]
            gained = ((cum - prev) > 0) * ev.gain[e0:e1, k][:, None]
            part[sents, k, :] += np.add.reduceat(gained, starts, axis=0)
    return part


class _BoundLexical:
    def __init__(self, zh_keys: list[list[tuple[int, ...]]], en_keys: list[list[int]], n_keys: int,
                 band: Band, shapes: list[Shape], q: float):
        n, m = len(zh_keys), len(en_keys)
        self.band, self.n, self.m = band, n, m
        amax = max(a for a, _ in shapes)
        bmax = max(b for _, b in shapes)
        zh_flat = [sorted({k for ks in sent for k in ks}) for sent in zh_keys]
        lo, hi = band.lo, band.hi
        # zh sentence s is in beads ending at rows s+1 .. s+amax
        rows_end = np.minimum(np.arange(n) + amax, n)
        self.zbase = np.maximum(lo[np.minimum(np.arange(n) + 1, n)] - bmax, 0)
        zwidth = int((hi[rows_end] - self.zbase).max()) if n else 1
        zh_ev = _evidence(zh_keys, en_keys, n_keys, bmax, q)
        self.zpart = _window_scores(zh_ev, n, self.zbase, zwidth, bmax)
        # en sentence t is in beads ending at columns t+1 .. t+bmax; rows whose band holds them
        t = np.arange(m)
        first_row = np.searchsorted(hi, t + 1, side="right")
        last_row = np.searchsorted(lo, np.minimum(t + bmax, m), side="right") - 1
        self.ebase = np.maximum(first_row - amax, 0)
        ewidth = int((last_row - self.ebase).max()) + 1 if m else 1
        en_ev = _evidence([[(k,) for k in sent] for sent in en_keys], zh_flat, n_keys, amax, q)
        self.epart = _window_scores(en_ev, m, self.ebase, ewidth, amax)

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        i, j = cell_grid(self.band, rows)
        amax = max(a for a, _ in shapes)
        bmax = max(b for _, b in shapes)
        # zh[a][..., b]: Chinese sentences i-a .. i-1 against the English range of b ending
        # at j; en[b][..., a]: English sentences j-b .. j-1 against the Chinese range of a
        # ending at i. One gather per sentence offset serves every shape.
        zh = np.cumsum([np.zeros((*j.shape, bmax + 1))] + [self._gather_zh(i, j, d, bmax) for d in range(1, amax + 1)], axis=0)
        en = np.cumsum([np.zeros((*j.shape, amax + 1))] + [self._gather_en(i, j, d, amax) for d in range(1, bmax + 1)], axis=0)
        out = np.zeros((len(shapes), *j.shape))
        for t, (a, b) in enumerate(shapes):
            if a and b:
                out[t] = -(zh[a][..., b] + en[b][..., a])
        return out

    def _gather_zh(self, i: np.ndarray, j: np.ndarray, d: int, bmax: int) -> np.ndarray:
        """zpart of Chinese sentence i - d at column j, for every English range size."""
        zw = self.zpart.shape[2]
        s = np.broadcast_to(i - d, j.shape)
        sc = np.clip(s, 0, self.n - 1)
        q = j - self.zbase[sc]
        ok = (s >= 0) & (q >= 0) & (q < zw)
        got = self.zpart[sc, :, np.clip(q, 0, zw - 1)]  # (rows, width, bmax + 1)
        return np.where(ok[..., None], got[..., : bmax + 1], 0.0)

    def _gather_en(self, i: np.ndarray, j: np.ndarray, d: int, amax: int) -> np.ndarray:
        """epart of English sentence j - d at row i, for every Chinese range size."""
        ew = self.epart.shape[2]
        e = j - d
        ec = np.clip(e, 0, self.m - 1)
        q = np.broadcast_to(i, j.shape) - self.ebase[ec]
        ok = (e >= 0) & (e < self.m) & (q >= 0) & (q < ew)
        got = self.epart[ec, :, np.clip(q, 0, ew - 1)]
        return np.where(ok[..., None], got[..., : amax + 1], 0.0)
