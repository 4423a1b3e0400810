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
    q: float = 0.3
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
        zk, ek = self.key_functions()
        zh_sets, en_sets = token_key_sets(zh.tokens, en.tokens, zk, ek, self.extra)
        return _BoundLexical(zh_sets, en_sets, band, shapes, self.q)


def token_key_sets(
    zh_tokens: list[list[str]], en_tokens: list[list[str]], zh_keys: ZhKeys, en_key: EnKey, extra: dict[str, set[str]]
) -> tuple[list[list[frozenset[str]]], list[list[str]]]:
    """Per Chinese sentence, the key set of each distinct word; per English sentence, its distinct keys.

    Number keys ('#270') pass through on both sides.
    """
    zcache: dict[str, frozenset[str]] = {}
    ecache: dict[str, str | None] = {}

    def zk(u: str) -> frozenset[str]:
        if u not in zcache:
            keys = {u} if u.startswith("#") else set(zh_keys(u))
            zcache[u] = frozenset(keys | extra.get(u, set()))
        return zcache[u]

    def ek(w: str) -> str | None:
        if w not in ecache:
            ecache[w] = w if w.startswith("#") else en_key(w)
        return ecache[w]

    zh_sets = []
    for toks in zh_tokens:
        seen: dict[str, frozenset[str]] = {}
        for u in toks:
            if u not in seen:
                keys = zk(u)
                if keys:
                    seen[u] = keys
        zh_sets.append(list(seen.values()))
    en_sets = [sorted({k for w in toks if (k := ek(w))}) for toks in en_tokens]
    return zh_sets, en_sets


def _inverted(sets_per_sentence: Iterable[Iterable[str]]) -> dict[str, np.ndarray]:
    index: dict[str, list[int]] = {}
    for s, keys in enumerate(sets_per_sentence):
        for k in keys:
            index.setdefault(k, []).append(s)
    return {k: np.unique(np.array(v, np.int64)) for k, v in index.items()}


@dataclass
class _Entries:
    """One row per (sentence, distinct word) with evidence: its sentence, hits on the other side, weights."""

    sent: np.ndarray  # (E,)
    hits: list[np.ndarray]  # sentences of the other side holding a translation
    gain: np.ndarray  # (E, kmax + 1): score added when present in a range of k sentences
    absent: np.ndarray  # (E, kmax + 1): score when absent


def _entries(hit_lists: list[list[np.ndarray]], other: int, kmax: int, q: float) -> _Entries:
    sent, hits = [], []
    for s, hl in enumerate(hit_lists):
        for h in hl:
            if len(h):
                sent.append(s)
                hits.append(h)
    c = np.array([len(h) for h in hits], float) / max(other, 1)
    c = np.minimum(c, 0.99)[:, None]
    k = np.arange(kmax + 1)[None, :]
    chance = 1 - (1 - c) ** k
    qk = np.maximum(q, chance)
    with np.errstate(divide="ignore", invalid="ignore"):
        absent = np.log((1 - qk) / (1 - chance))
        present = np.log(qk / np.where(chance > 0, chance, 1))
    absent[:, 0] = 0.0
    present[:, 0] = 0.0
    return _Entries(np.array(sent, np.int64), hits, present - absent, absent)


def _window_scores(ent: _Entries, n_sent: int, base: np.ndarray, width: int, kmax: int) -> np.ndarray:
    """part[s, k, q]: summed score of sentence s's words against the other side's range
    [p - k, p) with p = base[s] + q, for q in [0, width]."""
    part = np.zeros((n_sent, kmax + 1, width + 1))
    if not len(ent.sent):
        return part
    # absent scores do not depend on the range
    absent = np.zeros((n_sent, kmax + 1))
    np.add.at(absent, ent.sent, ent.absent)
    part += absent[:, :, None]
    chunk = max(1, 2_000_000 // (width + 1))
    for e0 in range(0, len(ent.sent), chunk):
        e1 = min(e0 + chunk, len(ent.sent))
        grid = np.zeros((e1 - e0, width + 1), np.int32)
        for e in range(e0, e1):
            h = ent.hits[e] - base[ent.sent[e]]
            h = h[(h >= 0) & (h < width)]
            grid[e - e0, h + 1] = 1
        cum = np.cumsum(grid, axis=1)  # cum[:, q] = hits at positions < q
        for k in range(1, kmax + 1):
            prev = np.concatenate([np.zeros((e1 - e0, k), np.int32), cum[:, :-k]], axis=1) if k <= width else 0 * cum
            present = (cum - prev) > 0
            np.add.at(part[:, k, :], ent.sent[e0:e1], present * ent.gain[e0:e1, k][:, None])
    return part


class _BoundLexical:
    def __init__(self, zh_sets, en_sets, band: Band, shapes: list[Shape], q: float):
        n, m = len(zh_sets), len(en_sets)
        self.band, self.n, self.m = band, n, m
        amax = max(a for a, _ in shapes)
        bmax = max(b for _, b in shapes)
        en_index = _inverted(en_sets)
        zh_index = _inverted([set().union(*ks) if ks else set() for ks in zh_sets])
        empty = np.zeros(0, np.int64)
        zcache: dict[frozenset[str], np.ndarray] = {}

        def zh_hits(keys: frozenset[str]) -> np.ndarray:
            if keys not in zcache:
                parts = [en_index[k] for k in keys if k in en_index]
                zcache[keys] = np.unique(np.concatenate(parts)) if parts else empty
            return zcache[keys]

        zh_ent = _entries([[zh_hits(ks) for ks in sent] for sent in zh_sets], m, bmax, q)
        en_ent = _entries([[zh_index.get(k, empty) for k in sent] for sent in en_sets], n, amax, q)
        lo, hi = band.lo, band.hi
        # zh sentence s is in beads ending at rows s+1 .. s+amax
        rows_end = np.minimum(np.arange(n) + amax, n)
        self.zbase = np.maximum(lo[np.minimum(np.arange(n) + 1, n)] - bmax, 0)
        zwidth = int((hi[rows_end] - self.zbase).max()) if n else 1
        self.zpart = _window_scores(zh_ent, n, self.zbase, zwidth, bmax)
        # en sentence t is in beads ending at columns t+1 .. t+bmax; rows whose band holds them
        t = np.arange(m)
        first_row = np.searchsorted(hi, t + 1, side="right")
        last_row = np.searchsorted(lo, np.minimum(t + bmax, m), side="right") - 1
        self.ebase = np.maximum(first_row - amax, 0)
        ewidth = int((last_row - self.ebase).max()) + 1 if m else 1
        self.epart = _window_scores(en_ent, m, self.ebase, ewidth, amax)

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        i, j = cell_grid(self.band, rows)
        out = np.zeros((len(shapes), *j.shape))
        zw, ew = self.zpart.shape[2], self.epart.shape[2]
        for t, (a, b) in enumerate(shapes):
            if a == 0 or b == 0:
                continue
            score = np.zeros(j.shape)
            for d in range(1, a + 1):
                s = i - d
                ok = s >= 0
                sc = np.clip(s, 0, self.n - 1)
                q = j - self.zbase[sc]
                ok = ok & (q >= 0) & (q < zw)
                score += np.where(ok, self.zpart[sc, b, np.clip(q, 0, zw - 1)], 0.0)
            for d in range(1, b + 1):
                e = j - d
                ok = (e >= 0) & (e < self.m)
                ec = np.clip(e, 0, self.m - 1)
                q = i - self.ebase[ec]
                ok = ok & (q >= 0) & (q < ew)
                score += np.where(ok, self.epart[ec, a, np.clip(q, 0, ew - 1)], 0.0)
            out[t] = -score
        return out
