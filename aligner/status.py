"""A document's status, for a corpus builder to sort on (issue 20): `ok`, `partial`,
`suspect` (and `failed`, a document that could not be aligned: `summary`).

Computed from what the alignment returns (beads, confidences, the sides' sentences), not
from the search:

- `partial`: the translation covers only part of the source. The Chinese left without
  translation (one-sided beads; a headline known to be untranslated does not count) is a
  fifth or more of the Chinese characters, or a tenth or more at the end (the
  translation stops early: the tail is the longest end run whose characters are at
  least nine tenths untranslated). The message says how much and where: 'English
  stops after 57% of the Chinese' when the untranslated text is mostly at the end,
  'English leaves out 31% of the Chinese' otherwise.
- `suspect`: the two sides are not translations of each other: the alignment's evidence is
  no better than that of unrelated text. The evidence (`lexical_evidence`, `_weighed`) is
  how much more often the pairs' Chinese words find a dictionary translation in their
  English than chance would have them do, times the share of the text that is paired:
  a share of shares, the same for a short article as for a long one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligner.beads import Bead
from aligner.document import AlignedDocument, base_lang
from aligner.scoring.lexical import Entries

#: share of the Chinese characters left untranslated from which a document is partial
PARTIAL_SHARE = 0.2
#: share of the untranslated characters at the end for 'stops after' rather than 'leaves out'
TAIL_SHARE = 2 / 3
#: share of the Chinese characters in an untranslated tail from which a document is partial:
#: a translation that stops early is partial sooner than one that leaves passages out
TAIL_PARTIAL = 0.1


@dataclass(frozen=True)
class DocumentStatus:
    """`status` ('ok', 'partial' or 'suspect'), the sentence that says why ('' when ok), the
    share of the Chinese characters paired (`covered`) and the evidence figure (`evidence`)."""

    status: str
    message: str
    covered: float
    evidence: float


def _chars(text: str) -> int:
    """Characters but white space (`str.split` drops every kind)."""
    return len("".join(text.split()))


def assess(doc: AlignedDocument, evidence: float = float("nan")) -> DocumentStatus:
    """The status of an aligned document, given the alignment's `lexical_evidence` (NaN:
    none was measured, as with every kind of lexical evidence off: never suspect)."""
    chinese = 0 if base_lang(doc.src.lang) == "zh" else 1
    zh = (doc.src, doc.tgt)[chinese]
    sizes = [_chars(s) for s in zh.sentences]
    counted = [i for i in range(len(sizes)) if i not in zh.solo]
    total = sum(sizes[i] for i in counted) or 1
    unpaired = sorted(i for bead in doc.beads if not bead[1 - chinese] for i in bead[chinese] if i not in zh.solo)
    left = sum(sizes[i] for i in unpaired)
    covered = 1 - left / total
    start = _tail_start(counted, sizes, set(unpaired))
    evidence = _weighed(doc, chinese, evidence, start)
    if evidence < SUSPECT_BELOW:
        return DocumentStatus("suspect", f"the two sides do not read as translations of each other "
                              f"(evidence {evidence:.2f}, below {SUSPECT_BELOW:g})", covered, evidence)
    tail = sum(sizes[i] for i in unpaired if i >= start)
    if left / total >= PARTIAL_SHARE or tail / total >= TAIL_PARTIAL:
        if tail >= TAIL_SHARE * left:
            before = sum(sizes[i] for i in counted if i < start) / total
            message = f"English stops after {before:.0%} of the Chinese"
        else:
            message = f"English leaves out {left / total:.0%} of the Chinese"
        return DocumentStatus("partial", message, covered, evidence)
    return DocumentStatus("ok", "", covered, evidence)


#: share of a tail's characters that may still be paired for the translation to have
#: stopped before it (a stray pair at the end: the cut English sentence matched by a word)
TAIL_PAIRED = 0.1


def _tail_start(counted: list[int], sizes: list[int], unpaired: set[int]) -> int:
    """The first Chinese sentence of the longest tail whose characters are nearly all
    unpaired (at most TAIL_PAIRED of them paired); past the end when there is none."""
    start = counted[-1] + 1 if counted else 0
    paired = chars = 0
    for i in reversed(counted):
        chars += sizes[i]
        paired += sizes[i] * (i not in unpaired)
        if paired <= TAIL_PAIRED * chars:
            start = i
    return start


#: below this evidence (`assess`) a document is suspect: between the highest of mismatched
#: pairs and the lowest of true pairs, archive articles and MAC-Dev pieces alike
#: (benchmarks/suspect.py; figures in BENCHMARKS.md)
SUSPECT_BELOW = 0.1
#: the fewest English sentences the chance of a key is taken over (`lexical_evidence`)
CHANCE_SENTENCES = 5


def _weighed(doc: AlignedDocument, chinese: int, lift: float, tail: int) -> float:
    """The evidence of a document: the pairs' `lexical_evidence` times the share of the
    text in pairs, on the side that has less of it (on the Chinese side, of the text before
    an untranslated tail that starts at sentence `tail`, and without the sentences known to
    be untranslated). Few pairs found among unrelated sentences can match by chance as well
    as a translation does (the search picks them for it); that they are few is the evidence
    against. A translation that stops early has few pairs too, but all in the text before
    its tail. No pairs at all: 0. NaN (nothing measured) stays NaN."""
    sides = (doc.src, doc.tgt)
    solo = sides[chinese].solo
    shares = []
    for side in (chinese, 1 - chinese):
        sizes = [_chars(s) for s in sides[side].sentences]
        keep = [i for i in range(len(sizes)) if side != chinese or (i not in solo and i < tail)]
        total = sum(sizes[i] for i in keep) or 1
        paired = {i for bead in doc.beads if bead[0] and bead[1] for i in bead[side]}
        shares.append(sum(sizes[i] for i in keep if i in paired) / total)
    if not any(bead[0] and bead[1] for bead in doc.beads):
        return 0.0
    return lift * min(shares)  # NaN stays NaN


def lexical_evidence(zh: Entries, en: Entries, beads: list[Bead]) -> float:
    """How much more often the Chinese words of the pairs find a translation in their English
    than chance would have them do: the share of the words (with dictionary keys) of the
    Chinese sentences in two-sided beads that have a key in their bead's English, less the
    share expected of English sentences drawn at random (for a word with keys K and a bead
    of b English sentences, 1 - (1 - c)^b, c the chance that one of the document's English
    sentences holds one of K). NaN when the pairs hold no such word.

    A share, so it does not grow with the document; near 0 for unrelated texts, whose best
    alignment still finds a few words by chance (the search picks the pairs that match
    best), well above for a translation. The keys are those known before the alignment
    (the dictionary, numbers, names), not pairs learned from it."""
    zh_bead = np.full(zh.n, -1, np.int64)
    en_bead = np.full(en.n, -1, np.int64)
    en_size = np.zeros(len(beads) + 1, np.int64)
    for k, (a, b) in enumerate(beads):
        if a and b:
            zh_bead[list(a)] = k
            en_bead[list(b)] = k
            en_size[k] = len(b)
    owner = np.repeat(np.arange(len(zh.sent)), np.diff(zh.ptr))  # entry of each Chinese key
    paired = zh_bead[zh.sent] >= 0
    if not paired.any():
        return float("nan")
    width = int(max(zh.ids.max(initial=0), en.ids.max(initial=0))) + 1
    present = np.unique(en_bead[en.sent] * width + en.ids)  # (bead, key) of the pairs' English
    present = present[present >= 0]
    codes = zh_bead[zh.sent[owner]] * width + zh.ids
    hit_key = np.isin(codes, present) & (zh_bead[zh.sent[owner]] >= 0)
    hit = np.zeros(len(zh.sent), bool)
    np.logical_or.at(hit, owner, hit_key)
    # chance: the share of English sentences holding each key (of at least CHANCE_SENTENCES:
    # in a document of one English sentence every key it holds would have a share of 1,
    # and no word could do better than chance), then per entry 1 - prod(1 - share)
    counts = np.bincount(en.ids, minlength=width)[:width]  # English entries are distinct (sentence, key)
    share = counts / max(en.n, CHANCE_SENTENCES)
    miss = np.ones(len(zh.sent))
    np.multiply.at(miss, owner, 1 - share[zh.ids])
    b = en_size[np.maximum(zh_bead[zh.sent], 0)]
    chance = 1 - miss ** b
    return float(hit[paired].mean() - chance[paired].mean())
