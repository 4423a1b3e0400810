"""MAC-Dev damaged the way unchecked machine translations fail (issue 10): English
passages dropped, English sentences from elsewhere inserted; and what an alignment of
the damaged text does with them.

`damage` is a pure function of a chapter, a donor pool of English sentences and a seed;
`omission_counts` scores one prediction. benchmarks/omissions.py runs them on MAC-Dev.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from aligner.beads import Bead


@dataclass(frozen=True)
class Damaged:
    """A chapter with passages dropped and sentences inserted on the English side."""

    zh: list[str]
    en: list[str]
    gold: list[Bead]  # the damaged gold: [i]:[] per dropped Chinese sentence, []:[j] per inserted one
    dropped: frozenset[int]  # Chinese sentences whose translation was removed
    inserted: frozenset[int]  # English sentences (new indices) with no counterpart


def _pick_runs(rng: random.Random, candidates: list[int], runs: int, lo: int, hi: int) -> list[range]:
    """`runs` non-overlapping, non-adjacent runs of lo..hi consecutive positions among
    `candidates` (gold beads with both sides), chosen at random."""
    for _ in range(1000):
        chosen: list[range] = []
        for _ in range(runs):
            length = rng.randint(lo, hi)
            start = rng.randrange(0, len(candidates) - length + 1)
            r = range(start, start + length)
            if all(r.stop + 1 < c.start or c.stop + 1 < r.start for c in chosen):
                chosen.append(r)
        if len(chosen) == runs:
            return sorted(chosen, key=lambda r: r.start)
    raise ValueError("chapter too short for the runs asked")


def damage(
    zh: list[str], en: list[str], gold: list[Bead], donor: list[str], seed: int,
    runs: int = 2, run_len: tuple[int, int] = (2, 6), inserts: int = 2,
) -> Damaged:
    """Drop the English side of `runs` runs of `run_len` consecutive gold beads (beads with
    both sides, consecutive in the gold) and insert `inserts` sentences drawn from `donor`
    at bead boundaries away from the dropped runs (so each failure is measured on its own).
    """
    rng = random.Random(seed)
    # runs are taken over consecutive two-sided gold beads
    two_sided = [k for k, (s, t) in enumerate(gold) if s and t]
    drop_runs = _pick_runs(rng, two_sided, runs, *run_len)
    drop_beads = {two_sided[p] for r in drop_runs for p in r}
    # runs must be consecutive in the gold itself, not only among two-sided beads
    near = {k + d for k in drop_beads for d in (-1, 0, 1)}
    slots = [k for k in range(1, len(gold)) if k not in near and k - 1 not in near]
    at = sorted(rng.sample(slots, inserts))  # insert before gold bead k
    extra = rng.sample(donor, inserts)
    new_en: list[str] = []
    new_gold: list[Bead] = []
    dropped: set[int] = set()
    inserted: set[int] = set()
    for k, (s, t) in enumerate(gold):
        while at and at[0] == k:
            at.pop(0)
            inserted.add(len(new_en))
            new_gold.append(((), (len(new_en),)))
            new_en.append(extra.pop(0))
        if k in drop_beads:
            new_gold.extend(((i,), ()) for i in s)
            dropped.update(s)
            continue
        idx = tuple(range(len(new_en), len(new_en) + len(t)))
        new_en.extend(en[j] for j in t)
        new_gold.append((tuple(s), idx))
    return Damaged(list(zh), new_en, new_gold, frozenset(dropped), frozenset(inserted))


@dataclass(frozen=True)
class OmissionCounts:
    dropped: int = 0  # Chinese sentences without translation
    dropped_unpaired: int = 0  # ... left in a bead with an empty English side
    inserted: int = 0
    inserted_unpaired: int = 0
    two_sided: int = 0  # output beads with both sides
    polluted: int = 0  # ... holding a dropped or inserted sentence

    def __add__(self, o: "OmissionCounts") -> "OmissionCounts":
        return OmissionCounts(*(a + b for a, b in zip(self.astuple(), o.astuple())))

    def astuple(self) -> tuple[int, ...]:
        return (self.dropped, self.dropped_unpaired, self.inserted, self.inserted_unpaired, self.two_sided, self.polluted)


def omission_counts(d: Damaged, pred: list[Bead]) -> OmissionCounts:
    unpaired_zh = {i for s, t in pred if not t for i in s}
    unpaired_en = {j for s, t in pred if not s for j in t}
    both = [(s, t) for s, t in pred if s and t]
    polluted = sum(1 for s, t in both if d.dropped.intersection(s) or d.inserted.intersection(t))
    return OmissionCounts(
        len(d.dropped), len(d.dropped & unpaired_zh), len(d.inserted), len(d.inserted & unpaired_en), len(both), polluted
    )
