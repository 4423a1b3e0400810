"""How often each word's translation is found in its own bead, learned from a first alignment.

The lexical cost (scoring/lexical.py) weighs a word by q, the probability that its
translation is in the true bead. One q for every word treats a name the translator always
renders like a word rendered freely or left out: when it is absent the first is strong
evidence against the bead, the second almost none. After a first pass, each word type
(Chinese words and marks, English keys) gets its own rate: among its occurrences in
two-sided beads, the share whose translation is on the other side of the bead, shrunk
toward the global q as the mean of a beta prior of `strength` pseudo-occurrences (an
empirical-Bayes estimate, as `learn_pairs` learns names from the same first pass). With
the default strength 16 (chosen by leave-one-chapter-out on MAC-Dev among 1-64: 16 in five
folds of six; docs/decisions.md) a word seen once stays within 0.03 of q = 0.6, one found
in 40 of 40 beads gets 0.89 and one found in 0 of 40 gets 0.17.

The first pass chose its beads partly for the words found in them, so the rates lean
high; the shrinkage and a cap (`MAX_RATE`) keep one word from dominating a bead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.beads import Bead
from aligner.scoring.keys import Entries, distinct, expand

MAX_RATE = 0.95  # an absent word costs at most log(1 - 0.95) = -3 nats


@dataclass(frozen=True)
class WordRates:
    """Per type rates: `zh[w]` for the Chinese word of `KeyTable` index w, `en[k]` for English
    key id k; types beyond the arrays (not seen when the rates were learned) take `q`."""

    zh: np.ndarray
    en: np.ndarray
    q: float

    def of(self, entries: Entries, side: str) -> np.ndarray:
        """The rate of each entry of one side ('zh' or 'en')."""
        table = self.zh if side == "zh" else self.en
        out = np.full(len(entries.typ), self.q)
        known = entries.typ < len(table)
        out[known] = table[entries.typ[known]]
        return out


def _bead_of(n: int, beads: list[Bead], side: int) -> np.ndarray:
    """Index of the two-sided bead holding each sentence of one side, -1 for none."""
    out = np.full(n, -1, np.int64)
    for k, bead in enumerate(beads):
        if bead[0] and bead[1]:
            out[list(bead[side])] = k
    return out


def _found(entries: Entries, bead: np.ndarray, other_codes: np.ndarray, n_beads: int) -> np.ndarray:
    """For each entry: does one of its keys occur in the other side of its bead? `other_codes`
    are sorted key * n_beads + bead of the other side."""
    if not len(other_codes):  # the first pass paired nothing: no word is found anywhere
        return np.zeros(len(entries.typ), bool)
    owner, pos = expand(entries.ptr[:-1], np.diff(entries.ptr))
    code = entries.ids[pos] * n_beads + bead[entries.sent[owner]]
    at = np.searchsorted(other_codes, code)
    hit = (at < len(other_codes)) & (other_codes[np.minimum(at, len(other_codes) - 1)] == code)
    return np.bincount(owner, hit, minlength=len(entries.typ)) > 0


def _codes(entries: Entries, bead: np.ndarray, n_beads: int) -> np.ndarray:
    owner, pos = expand(entries.ptr[:-1], np.diff(entries.ptr))
    b = bead[entries.sent[owner]]
    return distinct(entries.ids[pos][b >= 0] * n_beads + b[b >= 0])


def _rates(entries: Entries, found: np.ndarray, inside: np.ndarray, size: int, q: float, strength: float) -> np.ndarray:
    typ = entries.typ[inside]
    n = np.bincount(typ, minlength=size)
    h = np.bincount(typ, found[inside].astype(np.float64), minlength=size)
    return np.minimum((h + strength * q) / (n + strength), MAX_RATE)


def signature(strength: float | None) -> str:
    return "rates:off" if strength is None else f"rates:strength={strength:g},max={MAX_RATE:g}"


def word_rates(ze: Entries, ee: Entries, n_keys: int, beads: list[Bead], q: float, strength: float = 16.0) -> WordRates:
    """The rates of a document's word types in `beads`, a first alignment of the sides whose
    entries are `ze` (Chinese) and `ee` (English), made with a key table of `n_keys` keys
    (`Evidence.entries`, `KeyTable.size`); `strength` is `options.Weights.rate_strength`."""
    nb = max(len(beads), 1)
    zb, eb = _bead_of(ze.n, beads, 0), _bead_of(ee.n, beads, 1)
    z_in, e_in = zb[ze.sent] >= 0, eb[ee.sent] >= 0
    z_found = _found(ze, zb, _codes(ee, eb, nb), nb)
    e_found = _found(ee, eb, _codes(ze, zb, nb), nb)
    n_words = int(ze.typ.max()) + 1 if len(ze.typ) else 0
    return WordRates(_rates(ze, z_found, z_in, n_words, q, strength),
                     _rates(ee, e_found, e_in, n_keys, q, strength), q)
