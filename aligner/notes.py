"""Row notes: a machine note on a bead that a reviewer should read with it (issue 20).

Two kinds. A pair whose English keeps text of another script (`妄想trying to seize`, the
Korean `활跃` for 活跃) is flagged: it may be the right pair, but it is no finished
translation, so its confidence is multiplied by 0.49: below the doubtful mark of 0.5
(`review.DOUBTFUL_BELOW`) whatever it was, out of a `--min-confidence 0.5` memory, and
in the order it had among flagged pairs. A sentence that is
known before the search to have no counterpart (`Text.solo`: a headline the English body
does not repeat) stands in a one-sided bead with the reason.

Added text (`document.Added`, a glossary) is in no bead: it gets its note in
`AlignedDocument.rows`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Protocol

from aligner.beads import Bead
from aligner.document import AlignedDocument, Text, base_lang

# Scripts that have no place in an English translation of Chinese, with how a note names them.
_SCRIPTS = (
    ("Chinese", re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+")),
    ("Korean (Hangul)", re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+")),
    ("Japanese kana", re.compile(r"[\u3040-\u30ff]+")),
    ("Cyrillic", re.compile(r"[\u0400-\u04ff]+")),
)
#: a flagged pair's confidence is multiplied by this: just under half, so that it falls
#: below the doubtful mark (review.DOUBTFUL_BELOW, 0.5) even from 1
FLAGGED_FACTOR = 0.49
_LISTED = 3  # pieces of another script a note quotes


def foreign_text(text: str) -> str:
    """The note for an English text that keeps another script ('' when it keeps none):
    'Chinese left in the translation: 妄想; Korean (Hangul) in the translation: 활'."""
    parts = []
    for name, pattern in _SCRIPTS:
        found = list(dict.fromkeys(pattern.findall(text)))
        if found:
            shown = ", ".join(found[:_LISTED]) + (", ..." if len(found) > _LISTED else "")
            verb = "left in" if name == "Chinese" else "in"
            parts.append(f"{name} {verb} the translation: {shown}")
    return "; ".join(parts)


def annotate(doc: AlignedDocument, evidence: float = float("nan")) -> AlignedDocument:
    """`doc` with a note on each bead that needs one, flagged pairs' confidence lowered,
    and its status (`aligner.status.assess`, given the alignment's lexical `evidence`).
    Notes stay an empty list when no bead has one."""
    from aligner.status import assess

    english = 1 if base_lang(doc.tgt.lang) == "en" else 0
    chinese = 1 - english
    doc = _unpair_stray_last(doc, chinese)
    sides = (doc.src, doc.tgt)
    solo = sides[chinese].solo
    english_sentences = sides[english].sentences  # a property that joins the paragraphs: once
    notes, scores = [], list(doc.scores)
    for k, bead in enumerate(doc.beads):
        note = ""
        if bead[english]:
            note = foreign_text(" ".join(english_sentences[j] for j in bead[english]))
            if note and bead[chinese]:
                scores[k] *= FLAGGED_FACTOR
        if not note and not bead[english] and solo:
            note = next((solo[i] for i in bead[chinese] if i in solo), "")
        notes.append(note or doc.note(k))
    if not any(notes):
        notes = []
    doc = replace(doc, scores=scores, notes=notes)
    return replace(doc, status=assess(doc, evidence))


class Found(Protocol):
    """What an alignment of two sentence lists gives (`pipeline.Alignment`)."""

    beads: list[Bead]
    confidences: list[float]
    evidence: float


@dataclass
class _Found:
    beads: list[Bead]
    confidences: list[float]
    evidence: float


#: the least share of the Chinese characters an untranslated run must hold for a lone pair
#: after it, the last of the document, to be taken for a stray (status.TAIL_PARTIAL)
STRAY_GAP = 0.1
#: the most pairs after such a run that can be strays (the cut sentence, and one it took along)
STRAY_PAIRS = 2
STRAY = "paired alone after the untranslated end of the translation: left unpaired"


def _cut_short(sentence: str) -> bool:
    """Whether an English sentence stops mid-way (`The Central Election Committee shall be`):
    it ends in a letter, a digit or a comma, not in a stop, a closing quote or a bracket."""
    s = sentence.rstrip()
    return bool(s) and (s[-1].isalnum() or s[-1] in ",;:-–—")


def _unpair_stray_last(doc: AlignedDocument, chinese: int) -> AlignedDocument:
    """A translation that stops early (issue 20: a law whose English ends mid-sentence at
    article 35 of 66) leaves its last English sentence to the search, which can pull it to
    a like sentence at the very end of the Chinese (`The Central Election Committee shall
    be` to 其解释权属于中央选举委员会。): one pair alone after a long untranslated run. When the
    last pair of a document (or the last two) follows untranslated Chinese holding STRAY_GAP
    of its characters or more, no other pair comes after that run, and its English stops
    mid-sentence (the mark of a translation cut off), its sentences are left unpaired,
    with a note. A passage left out in the middle is followed by many pairs; a sentence
    left out before a byline leaves the byline's pair, which ends in a bracket or a stop."""
    paired = [k for k, b in enumerate(doc.beads) if b[0] and b[1]]
    english = (doc.src, doc.tgt)[1 - chinese].sentences
    if len(paired) <= STRAY_PAIRS or not _cut_short(english[doc.beads[paired[-1]][1 - chinese][-1]]):
        return doc
    zh = (doc.src, doc.tgt)[chinese].sentences
    total = sum(len(s) for s in zh) or 1
    for n in range(1, STRAY_PAIRS + 1):  # the last n pairs, after an untranslated run
        first, before = paired[-n], paired[-n - 1]
        gap = sum(len(zh[i]) for bead in doc.beads[before + 1:first] for i in bead[chinese])
        if gap >= STRAY_GAP * total:
            break
    else:
        return doc
    beads, scores, notes = [], [], []
    for k, bead in enumerate(doc.beads):
        if k >= first and bead[0] and bead[1]:
            parts = [((i,), ()) for i in bead[0]] + [((), (j,)) for j in bead[1]]
            beads += parts
            scores += [doc.scores[k]] * len(parts)
            notes += [STRAY] * len(parts)
        else:
            beads.append(bead)
            scores.append(doc.scores[k])
            notes.append(doc.note(k))
    return replace(doc, beads=beads, scores=scores, notes=notes)


Aligner = Callable[[list[str], list[str], list[int], list[int]], Found]


def align_around_solo(zh: Text, en: Text, align: Aligner) -> Found:
    """Align `zh` with `en` (`align(zh sentences, en sentences, zh paragraph starts, en
    paragraph starts)`), leaving out of the search the Chinese sentences `zh.solo` names:
    each is put back as a one-sided bead of score 1 (it is known to have no translation),
    before the first bead of a later Chinese sentence."""
    if not zh.solo:
        return align(zh.sentences, en.sentences, zh.paragraph_starts, en.paragraph_starts)
    kept = [i for i in range(len(zh.sentences)) if i not in zh.solo]
    if not kept:  # nothing but a headline: every sentence of both sides stands alone
        beads = [((i,), ()) for i in sorted(zh.solo)] + [((), (j,)) for j in range(len(en.sentences))]
        return _Found(beads, [1.0] * len(zh.solo) + [0.0] * len(en.sentences), float("nan"))
    rest = Text(zh.lang, [[s for i, s in _indexed(p, start) if i not in zh.solo]
                          for p, start in zip(zh.paragraphs, zh.paragraph_starts)])
    rest.paragraphs = [p for p in rest.paragraphs if p]
    found = align(rest.sentences, en.sentences, rest.paragraph_starts, en.paragraph_starts)
    beads, scores = [(tuple(kept[i] for i in a), b) for a, b in found.beads], found.confidences
    out_b: list[Bead] = []
    out_s: list[float] = []
    pending = sorted(zh.solo)
    for bead, score in zip(beads, scores):
        while pending and bead[0] and pending[0] < min(bead[0]):
            out_b.append(((pending.pop(0),), ()))
            out_s.append(1.0)
        out_b.append(bead)
        out_s.append(score)
    for i in pending:
        out_b.append(((i,), ()))
        out_s.append(1.0)
    return _Found(out_b, out_s, found.evidence)


def _indexed(paragraph: list[str], start: int):
    return enumerate(paragraph, start)
