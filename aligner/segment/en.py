"""English sentence segmentation by rule.

A candidate boundary is a run of . ! ? (or an ellipsis, or a dash before a closing
quote: "But I—' 'You what?'") plus the closing quotes and brackets after it,
followed by white space and a sentence start: an upper-case letter or digit,
possibly behind opening quotes or brackets. Candidates after a known abbreviation
(Mr. Dr. St. e.g. ...), an initial (J. K. Rowling), or "No." before a number are
dropped, and so is one after the number that opens a paragraph as a list entry's
("1. A New Stage", "IV. East Shuncheng Street": the archive's numbered articles and
points). A bracketed byline after a stop, `work. (An Min, Li Xin)`, starts a
sentence of its own. A period inside quotes ends the sentence (`He said "Go." Then`).

Chosen by boundary F1 against MAC-Dev's own English split, over a Moses-style
splitter and pysbd (which never splits inside a quotation, where the corpus does):
`python benchmarks/segmentation.py`, figures in docs/decisions.md and BENCHMARKS.md.
The dash-before-quote rule was added after reading MAC-Dev's errors, so its gain is
on seen data.
"""

from __future__ import annotations

import re

# Abbreviations whose period never ends a sentence (compared case-sensitively,
# without the final period).
ABBREVIATIONS = frozenset(
    """Mr Mrs Ms Dr Prof Sr Jr St Mt Ft Gen Col Capt Lt Sgt Rev Hon Gov Sen Rep
    vs etc e.g i.e cf al approx Inc Ltd Co Corp Bros U.S U.K U.N U.S.A
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec""".split()
)
# Abbreviations that end a sentence when a capitalised word follows
# ("at 5 p.m. The train...") but not before a lower-case word or a number.
SOFT_ABBREVIATIONS = frozenset("a.m p.m A.M P.M".split())
# "No. 5", "Nos. 3 and 4", "p. 12": abbreviations only before a number.
NUMERIC_ABBREVIATIONS = frozenset("No Nos no nos p pp Vol vol Art art Fig fig".split())

_OPEN = "\"'“‘([{"
_CLOSE = "\"'”’)]}"
# stop run (… or ... count), closers, white space, then what comes next.
_CANDIDATE = re.compile(
    r"(?P<stop>(?:\.\.\.|…|[.!?])+|(?:—|–|--)(?=[" + re.escape(_CLOSE) + r"]))"
    r"(?P<close>[" + re.escape(_CLOSE) + r"]*)(?P<space>\s+)"
)
# The number of a list entry at the start of a paragraph ("1.", "IV.", "b."): the
# archive's numbered articles, points and headings (issue 20).
_ENUMERATOR = re.compile(r"\d{1,3}|[IVXLC]{1,7}|[ivxlc]{1,7}|[A-Za-z]")
_START = re.compile(r"[" + re.escape(_OPEN) + r"]*(?P<first>\S)")


class EnglishSegmenter:
    """Splits an English paragraph into sentences by punctuation and abbreviation rules."""

    lang = "en"
    version = 2  # of the rules: raise it when a change can move a boundary

    def signature(self) -> str:
        return f"en-rules{self.version}"

    def split(self, paragraph: str) -> list[str]:
        """Sentences of one paragraph, stripped, none empty."""
        text = paragraph.strip()
        sentences: list[str] = []
        start = 0
        for m in _CANDIDATE.finditer(text):
            if self._is_boundary(text, m):
                sentences.append(text[start : m.end("close")])
                start = m.end()
        sentences.append(text[start:])
        return [s.strip() for s in sentences if s.strip()]

    def _is_boundary(self, text: str, m: re.Match[str]) -> bool:
        nxt = _START.match(text, m.end())
        if nxt is None:
            return False
        first = nxt.group("first")
        starts_sentence = first.isupper() or first.isdigit()
        if not starts_sentence:
            return False
        stop = m.group("stop")
        if stop != ".":
            return True  # ! ? ... runs like ?!, and a dash before a closing quote ("But—' 'You what?")
        if m.group("close"):
            return True  # `He said "Go." Then` — a period inside quotes ends the sentence
        word_start = max(text.rfind(" ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        word = text[word_start : m.start()].lstrip(_OPEN)
        if word_start == 0 and _ENUMERATOR.fullmatch(word):
            return False  # a list entry's number opens the paragraph: "2. Where the total..."
        if word in ABBREVIATIONS:
            return False
        if word in NUMERIC_ABBREVIATIONS and first.isdigit():
            return False
        if word in SOFT_ABBREVIATIONS:
            return first.isupper()
        if len(word) == 1 and word.isupper() and word != "I":
            return False  # an initial: "J. K. Rowling"
        if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
            return False  # other dotted abbreviations: "U.S.S.R."
        return True
