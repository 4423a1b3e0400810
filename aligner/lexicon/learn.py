"""Word pairs learned from a first alignment of the document itself (names and terms a
dictionary lacks), for a second pass."""

from __future__ import annotations

from itertools import chain
from typing import Callable, Iterable

import numpy as np

from aligner.beads import Bead


# A pair is learned when it co-occurs in at least MIN_COUNT beads with a Dice coefficient
# of at least MIN_DICE (docs/decisions.md).
MIN_COUNT = 3
MIN_DICE = 0.6


def signature() -> str:
    return f"learn:min-count={MIN_COUNT},min-dice={MIN_DICE:g}"


def learn_pairs(
    zh_words: list[list[str]], en_words: list[list[str]], beads: list[Bead], zh_keys: Callable[[str], Iterable[str]],
    en_key: Callable[[str], str | None], min_count: int = MIN_COUNT, min_dice: float = MIN_DICE,
) -> dict[str, set[str]]:
    """Token pairs that co-occur in the beads of a first pass (Dice >= MIN_DICE, at least
    MIN_COUNT times; docs/alignment-notes.md): names and terms a dictionary lacks, e.g.
    韦小宝 <-> Trinket. `zh_words` and `en_words` are each sentence's words (`Side.words`).

    Only what the bead leaves unexplained is counted: Chinese words none of whose keys
    are on the English side, and English keys that no Chinese word of the bead has.
    """
    # each distinct token looked up once; the loops over the text's tokens run in C
    key_of = {w: en_key(w) for w in set(chain.from_iterable(en_words))}
    zh_sets = [frozenset(u for u in toks if len(u) > 1) for toks in zh_words]
    en_sets = [frozenset(filter(None, map(key_of.__getitem__, toks))) for toks in en_words]
    # Chinese word -> its dictionary keys
    keys_of = {u: frozenset(zh_keys(u)) for u in frozenset().union(*zh_sets)}
    zh_id: dict[str, int] = {}
    en_id: dict[str, int] = {}
    zh_items: list[int] = []  # the unexplained words of each bead, bead after bead
    en_items: list[int] = []
    zh_count: list[int] = []  # per bead, how many of them
    en_count: list[int] = []
    for src, tgt in beads:
        if not src or not tgt:
            continue
        zs = zh_sets[src[0]].union(*(zh_sets[s] for s in src[1:]))
        es = en_sets[tgt[0]].union(*(en_sets[t] for t in tgt[1:]))
        explained = frozenset().union(*(keys_of[u] for u in zs))
        zs = [u for u in zs if keys_of[u].isdisjoint(es)]
        es = es - explained
        zh_items.extend(zh_id.setdefault(u, len(zh_id)) for u in zs)
        en_items.extend(en_id.setdefault(w, len(en_id)) for w in es)
        zh_count.append(len(zs))
        en_count.append(len(es))
    if not zh_items or not en_items:
        return {}
    zi, ei = np.array(zh_items), np.array(en_items)
    zn, en_n = np.array(zh_count), np.array(en_count)
    # every (Chinese item, English item) pair of the same bead, as one code per pair
    bead_of = np.repeat(np.arange(len(zn)), zn)
    reps = en_n[bead_of]
    first = (np.cumsum(en_n) - en_n)[bead_of]
    pair_z = np.repeat(zi, reps)
    pair_e = ei[np.repeat(first - (np.cumsum(reps) - reps), reps) + np.arange(int(reps.sum()))]
    codes, counts = np.unique(pair_z * len(en_id) + pair_e, return_counts=True)
    u, w = codes // len(en_id), codes % len(en_id)
    dice = 2 * counts / (np.bincount(zi, minlength=len(zh_id))[u] + np.bincount(ei, minlength=len(en_id))[w])
    keep = (counts >= min_count) & (dice >= min_dice)
    zh_types, en_types = list(zh_id), list(en_id)
    learned: dict[str, set[str]] = {}
    for a, b in zip(u[keep], w[keep]):
        learned.setdefault(zh_types[a], set()).add(en_types[b])
    return learned
