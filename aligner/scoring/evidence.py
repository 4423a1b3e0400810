"""Everything the bead costs read about one document pair, in one frozen object.

An `Evidence` holds the two sides (`features.Side`: lengths and tokens), the document's
key table (`scoring.keys.KeyTable`: which tokens translate which), the word rates learned
from a first pass (`scoring.rates`, second pass only) and the sentence vectors (--embed
only), with the caches of what is derived from them. The pipeline makes one per document
for the first pass and derives the second pass's from it (`with_pairs`, `with_rates`);
the search derives views of it for merged units (`merged`: paragraphs, coarse blocks) and
for both sides read backwards (`reversed`: the second half of a band solved from both
ends). Costs are configuration only: `BeadCost.bind(evidence, band, shapes)` reads the
document from here, and what a cost derives from it that several binds share (the
lexical entries, the embedding statistics) is kept here, per view, not in the cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, TypeVar

import numpy as np

from aligner.features import Mark, Side
from aligner.scoring.keys import Entries, KeyTable, no_en_key, no_zh_keys
from aligner.scoring.rates import WordRates

T = TypeVar("T")

# (Chinese rows, English rows) of sentence vectors; a unit of a merged side holds the sum
# of its sentences' rows (`scoring.embed`)
Vectors = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True, eq=False)
class Evidence:
    """One document pair as the costs see it, at one level (sentences, paragraphs or
    coarse blocks) and in one reading direction."""

    zh: Side
    en: Side
    # which tokens match (default: no dictionary; numbers and cues still match)
    keys: KeyTable = field(default_factory=lambda: KeyTable(no_zh_keys, no_en_key, {}))
    rates: WordRates | None = None  # per word type rates of translation (second pass)
    vectors: Vectors | None = None
    mirror: Evidence | None = None  # the view this one is `reversed` from
    # What is derived from the sides alone (their typed tokens, costs' own statistics):
    # shared by the passes of a document, which hold the same sides.
    _derived: dict[Any, Any] = field(default_factory=dict, repr=False)
    # What is derived with the key table (the lexical entries), by side: one pass's.
    _entries: dict[str, Entries] = field(default_factory=dict, repr=False)

    def typed(self, lang: str) -> list[list[str | Mark]]:
        """`Side.typed` of the Chinese ('zh') or English ('en') side, made once."""
        return self.derived(("typed", lang), lambda ev: ev._side(lang).typed())

    def entries(self, lang: str) -> Entries:
        """The lexical entries of one side ('zh' or 'en'): which keys each sentence holds."""
        made = self._entries.get(lang)
        if made is None:
            if self.mirror is not None:
                # the mirror's read backwards: the same arrays in a fraction of the time
                made = self.mirror.entries(lang).reversed()
            elif lang == "zh":
                made = self.keys.zh_entries(self.typed("zh"))
            else:
                made = self.keys.en_entries(self.typed("en"))
            self._entries[lang] = made
        return made

    def derived(self, key: Any, make: Callable[[Evidence], T]) -> T:
        """`make(self)`, made once for this view of the document and kept: for what a
        cost derives from the sides alone and reads at every bind (`key` names it and
        every setting it depends on)."""
        if key not in self._derived:
            self._derived[key] = make(self)
        return self._derived[key]

    def merged(self, zh_bounds: list[int], en_bounds: list[int], keep: int | None = None) -> Evidence:
        """The view whose unit g joins Chinese sentences [zh_bounds[g], zh_bounds[g+1]) and the
        English ones likewise (`Side.merge`; vectors summed), with the same key table and rates."""
        zh = self.zh.merge(zh_bounds, keep, self.typed("zh"))
        en = self.en.merge(en_bounds, keep, self.typed("en"))
        vectors = None
        if self.vectors is not None:  # sums of member rows (a sum does not depend on reading direction)
            vectors = (_sums(self.vectors[0], zh_bounds), _sums(self.vectors[1], en_bounds))
        return Evidence(zh, en, self.keys, self.rates, vectors)

    def reversed(self) -> Evidence:
        """Both sides read from their ends (sentence k becomes len - 1 - k). The lexical
        entries of this view are made now, if they are not yet, and the reversed view reads
        them backwards: a DP solved from both ends calls this before it forks, so that both
        processes have them and neither makes them again."""
        self.entries("zh"), self.entries("en")
        vectors = None if self.vectors is None else (self.vectors[0][::-1].copy(), self.vectors[1][::-1].copy())
        # every reversed view of these sides (one a widening, one a pass) shares one cache of
        # what is derived from them, as the forward views share `_derived`
        shared = self.derived("reversed", lambda ev: {})
        return Evidence(self.zh.reversed(), self.en.reversed(), self.keys, self.rates, vectors, mirror=self,
                        _derived=shared)

    def with_pairs(self, pairs: dict[str, set[str]]) -> Evidence:
        """The document with word pairs learned from a first pass (`lexicon.learn`) added to
        its key table (names matched already stay): the evidence of a second pass. Nothing
        learned: this evidence itself."""
        if not pairs:
            return self
        extra = {u: set(ws) for u, ws in pairs.items()}
        for u, ws in self.keys.extra.items():
            extra.setdefault(u, set()).update(ws)
        # English keys do not change with the Chinese words' extra keys: their entries stay
        kept = {lang: e for lang, e in self._entries.items() if lang == "en"}
        return replace(self, keys=self.keys.with_extra(extra), _entries=kept)

    def with_rates(self, rates: WordRates | None) -> Evidence:
        """The same document with each word's rate of translation (`scoring.rates`)."""
        return replace(self, rates=rates)

    def _side(self, lang: str) -> Side:
        return self.zh if lang == "zh" else self.en


def _sums(rows: np.ndarray, bounds: list[int]) -> np.ndarray:
    """Sum of rows [bounds[g], bounds[g+1]) for each g."""
    cum = np.concatenate([np.zeros((1, rows.shape[1])), np.cumsum(rows, axis=0, dtype=np.float64)])
    return cum[bounds[1:]] - cum[bounds[:-1]]
