"""Lexical cost: do the words of one side have translations on the other side of the bead?

For each Chinese word u of a bead, the log-likelihood ratio of "a translation of u is
(or is not) in the bead's English" under "the bead is a translation" (probability q)
against "it is there by chance" (the share of the document's English sentences that
hold a translation of u, for a bead of b sentences 1 - (1 - c)^b); the same for each
English word against the Chinese side; summed (the formulation of
docs/alignment-notes.md; q is fitted with the other weights, docs/decisions.md; the
second pass gives each word its own q, learned from the first: scoring/rates.py). A
word's evidence is therefore weighted by how rare its translations are in this
document. A word with no translation anywhere in the document is absent from every
bead: it counts against pairing its sentence at all, not against leaving it unpaired.
tests/reference_costs.py states the definition one bead at a time.

Which words match is the document's key table (scoring/keys.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.band import Band
from aligner.beads import Shape
from aligner.options import AlignOptions, Weights
from aligner.scoring.base import cell_grid
from aligner.scoring.evidence import Evidence
from aligner.scoring.keys import Entries, distinct, expand


@dataclass(frozen=True)
class LexicalCost:
    """The lexical evidence: its weight and q. The document's keys and learned rates are
    its evidence's (`Evidence.keys`, `Evidence.rates`)."""

    weight: float = 1.0
    q: float = Weights.q  # P(a word's translation is in the true bead)

    def signature(self) -> str:
        return f"lexical:w={self.weight:g},q={self.q:g}"

    def bind(self, evidence: Evidence, band: Band, shapes: list[Shape]) -> "_BoundLexical":
        zh_entries, en_entries = evidence.entries("zh"), evidence.entries("en")
        rates = evidence.rates
        if rates is None:
            zq, eq = np.full(len(zh_entries.typ), self.q), np.full(len(en_entries.typ), self.q)
        else:
            zq, eq = rates.of(zh_entries, "zh"), rates.of(en_entries, "en")
        return _BoundLexical(zh_entries, en_entries, evidence.keys.size, band, shapes, zq, eq, self.q)


def from_options(options: AlignOptions) -> LexicalCost | None:
    """The lexical cost of a run (`scoring.costs`), unless every kind of lexical evidence is
    switched off."""
    w = options.weights
    return LexicalCost(weight=w.lexical, q=w.q) if options.lexical else None


@dataclass
class _WordScores:
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


def _word_scores(side: Entries, codes: np.ndarray, other: int, n_keys: int, kmax: int, q: np.ndarray, q0: float) -> _WordScores:
    """Score the entries of one side against the other side's key `codes` (`Entries.codes`);
    `q`: each entry's probability of finding its translation in the true bead, `q0` the
    global one (for one-sided beads)."""
    share = np.bincount(codes // (other + 1), minlength=n_keys) / max(other, 1)
    nk = np.diff(side.ptr)
    owner = np.repeat(np.arange(len(nk)), nk)
    ids = side.ids
    had = nk > 0
    found = share[ids] > 0
    ids, owner = ids[found], owner[found]
    nk = np.bincount(owner, minlength=len(nk))
    # share of sentences holding one of the keys, assuming they occur independently
    logmiss = np.bincount(owner, np.log1p(-np.minimum(share[ids], 0.999)), minlength=len(nk))
    chance = 1.0 - np.exp(logmiss)
    # chance >= q: the log-likelihood ratio is 0 whether present or not. A word none of
    # whose translations is anywhere on the other side (chance 0) is absent from every
    # range: it says nothing about which sentences pair, but under "this sentence
    # translates something here" it is missing with probability 1 - q, and under "it has
    # no counterpart" it is explained; so it counts against every pairing and not against
    # a one-sided bead (below). A word the translator often leaves out learns a low rate
    # (scoring/rates.py) and costs little.
    keep = ((nk > 0) & (chance < q)) | (had & (nk == 0))
    oov = (nk == 0)[keep]
    ids = ids[keep[owner]]
    ptr = np.concatenate([[0], np.cumsum(nk[keep])])
    c = chance[keep][:, None]
    k = np.arange(kmax + 1)[None, :]
    ck = 1 - (1 - c) ** k
    qk = np.maximum(q[keep][:, None], ck)
    with np.errstate(divide="ignore", invalid="ignore"):
        absent = np.log((1 - qk) / (1 - ck))
        present = np.log(qk / np.where(ck > 0, ck, 1))
    # A range of no sentences (a one-sided bead) holds none of the word's translations: it
    # is scored as absent from one sentence, so that leaving a sentence unpaired is not
    # cheaper for having many words (scoring/skip.py); only the words found count for pairing.
    # That score takes the global q `q0`, not the word's learned rate (scoring/rates.py): a
    # word always translated elsewhere makes a wrong pairing costly, but must not make its
    # sentence dearer to leave unpaired when its translation is missing (a repeated text
    # with a sentence dropped: every word's rate near 1, and no sentence left unpaired).
    c1 = c[:, 0]
    absent[:, 0] = np.where(c1 < q0, np.log((1 - q0) / (1 - np.minimum(c1, q0))), 0.0)
    absent[oov, 0] = 0.0  # no counterpart explains a translation missing from the whole text
    present[:, 0] = absent[:, 0]
    return _WordScores(side.sent[keep], ptr.astype(np.int64), ids, present - absent, absent, codes, other)


def _window_scores(ev: _WordScores, base: np.ndarray, width: int, kmax: int, s0: int, s1: int) -> np.ndarray:
    """part[s - s0, k, q] for sentences s0 <= s < s1: summed score of sentence s's words
    against the other side's range [p - k, p) with p = base[s] + q, for q in [0, width]."""
    w = width + 1
    n_sent = s1 - s0
    absent = np.zeros((kmax + 1, n_sent))
    diff = np.zeros(n_sent * (kmax + 1) * (w + 1))
    ks = np.arange(1, kmax + 1)
    first, stop = np.searchsorted(ev.sent, [s0, s1])
    for k in range(kmax + 1):  # absent scores do not depend on the range
        absent[k] = np.bincount(ev.sent[first:stop] - s0, ev.absent[first:stop, k], minlength=n_sent)
    chunk = max(1, 1_000_000 // w)  # bounds the temporaries below to tens of MB
    for e0 in range(first, stop, chunk):
        e1 = min(e0 + chunk, stop)
        # every (entry, key) pair, then the key's sentences inside the entry's window
        entry, pair = expand(ev.key_ptr[e0:e1], ev.key_ptr[e0 + 1 : e1 + 1] - ev.key_ptr[e0:e1])
        entry += e0
        b = base[ev.sent[entry]]
        lo = ev.key_ids[pair] * (ev.other + 1) + b
        hi = lo - b + np.minimum(b + width, ev.other + 1)
        order = np.argsort(lo)  # sorted needles: searchsorted runs about twice as fast
        a, z = np.empty_like(lo), np.empty_like(lo)
        a[order], z[order] = np.searchsorted(ev.codes, lo[order]), np.searchsorted(ev.codes, hi[order])
        owner, idx = expand(a, z - a)
        # Hits: entry e has a translation at position r of its window. It is present in
        # the ranges [q - k, q) with r < q <= r + k; each hit adds the entry's gain over
        # those q (as +gain / -gain in a difference array), stopping where the entry's
        # next hit starts its own run so that no range counts an entry twice.
        hit = distinct(entry[owner] * w + (ev.codes[idx] - lo[owner]))
        he, r = hit // w, hit % w
        nxt = np.full(len(hit), w, np.int64)
        same = he[1:] == he[:-1]
        nxt[:-1][same] = r[1:][same]
        end = np.minimum(np.minimum(r[:, None] + ks, nxt[:, None]) + 1, w)
        row = (((ev.sent[he] - s0) * (kmax + 1))[:, None] + ks) * (w + 1)
        gain = ev.gain[he, 1:]
        diff += np.bincount(np.concatenate([(row + r[:, None] + 1).ravel(), (row + end).ravel()]),
                            np.concatenate([gain.ravel(), -gain.ravel()]), minlength=len(diff))
    part = np.cumsum(diff.reshape(n_sent, kmax + 1, w + 1)[:, :, :w], axis=2)
    return part + absent.T[:, :, None]


class _Windows:
    """Window scores of one side's sentences (`_window_scores`), computed as the DP first
    asks for them: a DP that stops halfway (`dp.forward`) pays only for its rows.

    Held as rows (sentence * (width + 1) + position) of range-size columns, plus one
    row of zeros at the end that stands for "outside the window": a gather is then one
    `np.take` of whole rows."""

    def __init__(self, ev: _WordScores, n: int, base: np.ndarray, width: int, kmax: int):
        self.ev, self.base, self.width, self.kmax, self.n = ev, base, width, kmax, n
        self.rows = np.zeros((n * (width + 1) + 1, kmax + 1))  # pages untouched until filled
        self.done = 0  # sentences [0, done) are filled

    def upto(self, stop: int) -> None:
        """Fill the rows of the sentences below `stop` not filled yet."""
        stop = min(stop, self.n)
        if stop > self.done:
            part = _window_scores(self.ev, self.base, self.width, self.kmax, self.done, stop)
            w = self.width + 1
            self.rows[self.done * w : stop * w] = part.transpose(0, 2, 1).reshape(-1, self.kmax + 1)
            self.done = stop

    def gather(self, sent: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """Scores of sentence `sent` at window position `pos` (zeros where either is out
        of range), for every range size: shape (*sent.shape, kmax + 1)."""
        w = self.width + 1
        ok = (sent >= 0) & (sent < self.n) & (pos >= 0) & (pos < w)
        idx = np.where(ok, sent * w + pos, len(self.rows) - 1)
        return np.take(self.rows, idx, axis=0)


class _BoundLexical:
    def __init__(self, zh_keys: Entries, en_keys: Entries, n_keys: int, band: Band, shapes: list[Shape],
                 zq: np.ndarray, eq: np.ndarray, q0: float):
        n, m = zh_keys.n, en_keys.n
        self.band, self.n, self.m = band, n, m
        amax = max(a for a, _ in shapes)
        bmax = max(b for _, b in shapes)
        lo, hi = band.lo, band.hi
        # zh sentence s is in beads ending at rows s+1 .. s+amax
        rows_end = np.minimum(np.arange(n) + amax, n)
        self.zbase = np.maximum(lo[np.minimum(np.arange(n) + 1, n)] - bmax, 0)
        zwidth = int((hi[rows_end] - self.zbase).max()) if n else 1
        zh_ev = _word_scores(zh_keys, en_keys.codes(), m, n_keys, bmax, zq, q0)
        self.zwin = _Windows(zh_ev, n, self.zbase, zwidth, bmax)
        # en sentence t is in beads ending at columns t+1 .. t+bmax; rows whose band holds them
        t = np.arange(m)
        first_row = np.searchsorted(hi, t + 1, side="right")
        last_row = np.searchsorted(lo, np.minimum(t + bmax, m), side="right") - 1
        self.ebase = np.maximum(first_row - amax, 0)
        ewidth = int((last_row - self.ebase).max()) + 1 if m else 1
        en_ev = _word_scores(en_keys, zh_keys.codes(), n, n_keys, amax, eq, q0)
        self.ewin = _Windows(en_ev, m, self.ebase, ewidth, amax)

    def costs(self, shapes: list[Shape], rows: slice) -> np.ndarray:
        i, j = cell_grid(self.band, rows)
        amax = max(a for a, _ in shapes)
        bmax = max(b for _, b in shapes)
        self.zwin.upto(rows.stop)
        self.ewin.upto(int(j.max()) if j.size else 0)
        # zh[a][..., b]: Chinese sentences i-a .. i-1 against the English range of b ending
        # at j; en[b][..., a]: English sentences j-b .. j-1 against the Chinese range of a
        # ending at i. One gather per sentence offset serves every shape.
        ii = np.broadcast_to(i, j.shape)
        zh = [np.zeros((*j.shape, bmax + 1))]
        for d in range(1, amax + 1):
            s = ii - d
            zh.append(zh[-1] + self.zwin.gather(s, j - self.zbase[np.clip(s, 0, self.n - 1)]))
        en = [np.zeros((*j.shape, amax + 1))]
        for d in range(1, bmax + 1):
            e = j - d
            en.append(en[-1] + self.ewin.gather(e, ii - self.ebase[np.clip(e, 0, self.m - 1)]))
        out = np.zeros((len(shapes), *j.shape))
        for t, (a, b) in enumerate(shapes):
            out[t] = -(zh[a][..., b] + en[b][..., a])
        return out
