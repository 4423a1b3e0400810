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

A Chinese word u and an English key w match when w is in keys(u). Keys come from
the bilingual lexicon, number values ('#270'), name transliterations and pairs
learned from the document itself; see `aligner.lexicon`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterable

import numpy as np

from aligner.search.band import Band
from aligner.features import Mark, Side
from aligner.beads import Shape
from aligner.options import Weights
from aligner.scoring.base import cell_grid

if TYPE_CHECKING:
    from aligner.scoring.rates import WordRates

ZhKeys = Callable[[str], Iterable[str]]
EnKey = Callable[[str], "str | None"]


@dataclass(frozen=True)
class LexicalCost:
    """The lexical evidence, configured for one document: its key table and q."""

    keys: "KeyTable"  # which English keys each token of this document has (memoised)
    weight: float = 1.0
    q: float = Weights.q  # P(a word's translation is in the true bead)
    rates: "WordRates | None" = None  # per word type q learned from a first pass (scoring/rates.py)

    def signature(self) -> str:
        return f"lexical:w={self.weight:g},q={self.q:g}"

    def with_extra(self, extra: dict[str, set[str]]) -> "LexicalCost":
        """The same cost with other extra keys (a second pass with learned pairs); the
        words' dictionary lookups done so far are kept."""
        return replace(self, keys=self.keys.with_extra(extra))

    def prepare(self, zh: Side, en: Side) -> None:
        """Make the sides' entries now: a DP solved from both ends calls this before it forks,
        and its reversed half then reads them backwards instead of making them again."""
        self.keys.zh_entries(zh), self.keys.en_entries(en)

    def bind(self, zh: Side, en: Side, band: Band, shapes: list[Shape]) -> "_BoundLexical":
        zh_entries, en_entries = self.keys.zh_entries(zh), self.keys.en_entries(en)
        if self.rates is None:
            zq, eq = np.full(len(zh_entries.typ), self.q), np.full(len(en_entries.typ), self.q)
        else:
            zq, eq = self.rates.of(zh_entries, "zh"), self.rates.of(en_entries, "en")
        return _BoundLexical(zh_entries, en_entries, self.keys.size, band, shapes, zq, eq, self.q)


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

    def reversed(self) -> "Entries":
        """The entries of the side read from its end (`Side.reversed`: sentence s becomes
        n - 1 - s), in the order `KeyTable` makes them: by sentence, and within a sentence
        as here."""
        order = np.argsort(self.n - 1 - self.sent, kind="stable")
        nk = np.diff(self.ptr)[order]
        _, pos = _expand(self.ptr[order], nk)
        return Entries(self.n, (self.n - 1 - self.sent)[order], np.concatenate([[0], np.cumsum(nk)]),
                       self.ids[pos], self.typ[order])

    def codes(self) -> np.ndarray:
        """Sorted distinct key * (n + 1) + sentence: where each key occurs."""
        owner = np.repeat(self.sent, np.diff(self.ptr))
        return _distinct(self.ids * (self.n + 1) + owner)


class KeyTable:
    """Maps a document's tokens to integer key ids, each token looked up once (every bind of
    the document, coarse or fine, forward or reversed, shares the table).

    `zh_keys(word)` gives a Chinese word's English keys and `en_key(token)` an English
    token's key (see `aligner.lexicon`); `extra` adds keys to Chinese words (names, learned
    pairs). A Chinese word has a list of key ids (CSR: `_zh_ptr`, `_zh_ids`), an English
    token one key id or -1. A Side's numbers and cues are keys already: they match as they
    are on both sides. Per document the work is a few NumPy passes over the token arrays.
    """

    def __init__(self, zh_keys: ZhKeys, en_key: EnKey, extra: dict[str, set[str]]):
        self.zh_keys, self.en_key, self.extra = zh_keys, en_key, extra
        self.ids: dict[str, int] = {}
        self.zh: dict[str, int] = {}  # Chinese word -> its index into _zh_ptr
        self._zh_ptr, self._zh_ids = [0], []
        self.en: dict[str, int] = {}  # English token -> key id, -1 for none
        # entries of the sides seen, by identity (the side is kept so that its id stays its
        # own): the first pass's bands, the learned rates and the second pass read the same
        # sides, and a side's entries do not change as the table grows
        self._seen: dict[tuple[str, int], tuple[Side, Entries]] = {}

    @property
    def size(self) -> int:
        return len(self.ids)

    def with_extra(self, extra: dict[str, set[str]]) -> "KeyTable":
        """A table with other extra keys: words whose extra keys change are looked up
        again when next seen; everything else is shared (copied)."""
        new = KeyTable(self.zh_keys, self.en_key, extra)
        new.ids, new.en = dict(self.ids), dict(self.en)
        new._zh_ptr, new._zh_ids = list(self._zh_ptr), list(self._zh_ids)
        new.zh = {u: k for u, k in self.zh.items() if self.extra.get(u) == extra.get(u)}
        new._seen = {k: v for k, v in self._seen.items() if k[0] == "en"}  # English keys stay
        return new

    def zh_entries(self, side: Side) -> Entries:
        """The Chinese side's entries: each sentence's distinct words and marks that have keys."""
        return self._memo("zh", side, self._zh_entries)

    def en_entries(self, side: Side) -> Entries:
        """The English side's entries: each sentence's distinct keys, one key an entry."""
        return self._memo("en", side, self._en_entries)

    def _memo(self, kind: str, side: Side, make: Callable[[Side], Entries]) -> Entries:
        seen = self._seen.get((kind, id(side)))
        if seen is None or seen[0] is not side:
            # a reversed side's entries are its mirror's read backwards (the same arrays, in a
            # fraction of the time: the second half of a two-ended DP, `search.align._run`)
            mirror = side.mirror()
            entries = make(side) if mirror is None else self._memo(kind, mirror, make).reversed()
            seen = self._seen[(kind, id(side))] = (side, entries)
        return seen[1]

    def _zh_entries(self, side: Side) -> Entries:
        tokens = side.typed()
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
        code = _distinct(sent[keyed] * n_words + word[keyed])
        es, ew = code // n_words, code % n_words
        nk = ptr[ew + 1] - ptr[ew]
        _, pos = _expand(ptr[ew], nk)
        return Entries(len(tokens), es, np.concatenate([[0], np.cumsum(nk)]), ids[pos], ew)

    def _en_entries(self, side: Side) -> Entries:
        tokens = side.typed()
        flat = [w for toks in tokens for w in toks]
        for w in dict.fromkeys(flat):
            if w not in self.en:
                k = w.key if isinstance(w, Mark) else self.en_key(w)
                self.en[w] = -1 if k is None else self.ids.setdefault(k, len(self.ids))
        key = np.fromiter(map(self.en.__getitem__, flat), np.int64, len(flat))
        sent = np.repeat(np.arange(len(tokens)), [len(t) for t in tokens])
        keyed = key >= 0
        size = max(self.size, 1)
        code = _distinct(sent[keyed] * size + key[keyed])
        return Entries(len(tokens), code // size, np.arange(len(code) + 1, dtype=np.int64), code % size, code % size)


def _distinct(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (by sorting: np.unique is slower on int64, docs/decisions.md)."""
    x = np.sort(x)
    return x[np.concatenate([[True], x[1:] != x[:-1]])] if len(x) else x


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


def _evidence(side: Entries, codes: np.ndarray, other: int, n_keys: int, kmax: int, q: np.ndarray, q0: float) -> _Evidence:
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
    return _Evidence(side.sent[keep], ptr.astype(np.int64), ids, present - absent, absent, codes, other)


def _window_scores(ev: _Evidence, base: np.ndarray, width: int, kmax: int, s0: int, s1: int) -> np.ndarray:
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
        entry, pair = _expand(ev.key_ptr[e0:e1], ev.key_ptr[e0 + 1 : e1 + 1] - ev.key_ptr[e0:e1])
        entry += e0
        b = base[ev.sent[entry]]
        lo = ev.key_ids[pair] * (ev.other + 1) + b
        hi = lo - b + np.minimum(b + width, ev.other + 1)
        order = np.argsort(lo)  # sorted needles: searchsorted runs about twice as fast
        a, z = np.empty_like(lo), np.empty_like(lo)
        a[order], z[order] = np.searchsorted(ev.codes, lo[order]), np.searchsorted(ev.codes, hi[order])
        owner, idx = _expand(a, z - a)
        # Hits: entry e has a translation at position r of its window. It is present in
        # the ranges [q - k, q) with r < q <= r + k; each hit adds the entry's gain over
        # those q (as +gain / -gain in a difference array), stopping where the entry's
        # next hit starts its own run so that no range counts an entry twice.
        hit = _distinct(entry[owner] * w + (ev.codes[idx] - lo[owner]))
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

    def __init__(self, ev: _Evidence, n: int, base: np.ndarray, width: int, kmax: int):
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
        zh_ev = _evidence(zh_keys, en_keys.codes(), m, n_keys, bmax, zq, q0)
        self.zwin = _Windows(zh_ev, n, self.zbase, zwidth, bmax)
        # en sentence t is in beads ending at columns t+1 .. t+bmax; rows whose band holds them
        t = np.arange(m)
        first_row = np.searchsorted(hi, t + 1, side="right")
        last_row = np.searchsorted(lo, np.minimum(t + bmax, m), side="right") - 1
        self.ebase = np.maximum(first_row - amax, 0)
        ewidth = int((last_row - self.ebase).max()) + 1 if m else 1
        en_ev = _evidence(en_keys, zh_keys.codes(), n, n_keys, amax, eq, q0)
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
