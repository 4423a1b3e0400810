"""Text a machine translation added to the English that translates nothing (issue 20).

The archive's translations were made by a language model, which sometimes appends a
glossary (`**Named Entities**` and lines `刘少奇  Liu Shaoqi`), copies the Chinese original
before translating it, or, translating a long text in parts, repeats a header
(`<h3>File continued from previous part</h3>`, then `Title:` ... lines of its own
invention). None of it is a sentence of the translation: aligned, a glossary line pairs
with a Chinese sentence it merely names (and pushes the real pairs aside). So these lines
are taken out of the English before segmenting; each block is kept, with the reason, to be
shown as a one-sided row (`aligner.document.Added`).

The rules are by form, not by file: a term pair is Chinese, a separator, then Latin text
(or the reverse, Chinese in brackets); a label is a line of Markdown decoration or a short
line naming a glossary, notes or terms; a copied original is a line whose letters are
mostly Han. A label alone (a bold line that is a translated subheading) is not added text:
only a label followed by term pairs, a label that names a glossary or a note, or two term
pairs in a row are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# A term pair: optional bullet, a Chinese term (no Latin letter), a separator (tab, two
# spaces, a colon, a dash or an arrow), then Latin text; or Latin text, a separator or an
# opening bracket, then a Chinese term.
_TERM = r"[^A-Za-z\t]*?[\u3400-\u9fff\uf900-\ufaff][^A-Za-z\t]*?"
_SEP = r"(?:\t+|\s{2,}|\s*[:：=]\s*|\s+[-–—→>]+\s+|\s*→\s*)"
_BULLET = r"(?:[-*•·]\s+|\d+[.)]\s+)?"
_ZH_EN = re.compile(rf"^{_BULLET}{_TERM}{_SEP}[\"'“‘(]*[A-Za-z\u00c0-\u024f].*$")
_EN_ZH = re.compile(rf"^{_BULLET}[A-Za-z\u00c0-\u024f][^\u3400-\u9fff\t]{{0,80}}?(?:{_SEP}|\s*[(（])\s*{_TERM}[)）]?$")
# A line that is nothing but Markdown decoration around a few words: **Named Entities**,
# ## Glossary, __Notes:__.
_DECORATED = re.compile(r"^\s*(?:#{1,6}\s*(?P<h>[^#].*?)\s*#*|(?P<m>\*{1,3}|_{2,3})(?P<t>[^*_].*?)(?P=m))\s*$")
# Words that name a block of notes rather than a subheading of the text.
_LABEL_WORDS = re.compile(
    r"\b(?:named\s+entit|entit(?:y|ies)\b|glossar|terms?\b|terminolog|vocabular|key\s+(?:terms|names|words)|"
    r"proper\s+(?:nouns|names)|notes?\b|translator|translation\s+notes?|annotations?|footnotes?|"
    r"commentary|explanations?\b|references?\b|names\s+(?:and|&)\s+terms|people\s+and\s+places)",
    re.IGNORECASE)
_LABEL_MAX = 60  # characters; a label is a few words
# `<h3>File continued from previous part</h3>`: the chunked translation's seam.
_CONTINUED = re.compile(r"^\s*(?:<[^>]+>\s*)*(?:file\s+)?continued\s+from\s+(?:the\s+)?previous\s+part\b.*$",
                        re.IGNORECASE)
# Letters of a line that are Han for the line to be Chinese text, not English with a word
# or two of Chinese left in (those are flagged sentences: aligner.notes).
COPIED_SHARE = 0.5

GLOSSARY = "added by the translation: a glossary, not a translation"
NOTE = "added by the translation: a note, not a translation"
COPIED = "Chinese text in the translation, not translated"
REPEATED_HEADER = "added by the translation: a repeated header where a translation in parts was joined"


@dataclass(frozen=True)
class Block:
    """Added lines `start` to `end` (exclusive) of the lines given, and why they are added."""

    start: int
    end: int
    reason: str


_LETTER = re.compile(r"[^\W\d_]")


def han_share(text: str) -> float:
    """Share of a text's letters that are Han characters (0 when it has no letters)."""
    han = len(HAN.findall(text))
    return han / len(_LETTER.findall(text)) if han else 0.0


def is_term_pair(line: str) -> bool:
    """`刘少奇  Liu Shaoqi`, `新华社\tXinhua News Agency`, `- 五一: May Day`, `Vu Quang (武光)`."""
    s = line.strip()
    if not s or len(s) > 200 or not HAN.search(s) or not _LATIN.search(s):
        return False
    return bool(_ZH_EN.match(s) or _EN_ZH.match(s))


def label_text(line: str) -> str | None:
    """The words of a line of Markdown decoration (`**Named Entities**` -> 'Named Entities'),
    else None."""
    m = _DECORATED.match(line)
    if not m:
        return None
    text = (m.group("h") or m.group("t") or "").strip()
    return text if text and len(text) <= _LABEL_MAX else None


def _names_notes(text: str) -> bool:
    return len(text) <= _LABEL_MAX and bool(_LABEL_WORDS.search(text))


def is_copied(line: str) -> bool:
    """A line of the English side that is Chinese text: the original copied, not translated."""
    return han_share(line) >= COPIED_SHARE


def find_added(lines: list[str]) -> list[Block]:
    """The added blocks among the lines of an English body (blank lines included, as read).

    A block starts at a label followed by term pairs, at a label naming notes or a
    glossary, at a seam of a translation in parts, at two term pairs in a row, or at a
    line of Chinese text; it runs over the term pairs, Chinese lines, header fields and
    blank lines that follow. A label that names notes runs to the next blank line: its note."""
    blocks: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i].strip()
        reason = None
        start = i
        if not line:
            i += 1
            continue
        label = label_text(line)
        plain_label = label is None and len(line) <= _LABEL_MAX and line.rstrip(":：").strip() != line.strip() \
            and _names_notes(line)
        nxt = _next_text(lines, i + 1)
        if _CONTINUED.match(line):
            reason, i = REPEATED_HEADER, _skip_header(lines, i + 1)
        elif (label is not None or plain_label) and nxt < n and is_term_pair(lines[nxt]):
            reason, i = GLOSSARY, _skip_terms(lines, nxt)
        elif label is not None and _names_notes(label):
            reason = GLOSSARY if re.search(r"entit|glossar|term|vocabular|names", label, re.I) else NOTE
            i = _skip_paragraph(lines, i + 1)
        elif is_term_pair(line) and nxt < n and is_term_pair(lines[nxt]):
            reason, i = GLOSSARY, _skip_terms(lines, i)
        elif is_copied(line):
            reason = COPIED
            i += 1
            while i < n and (not lines[i].strip() or is_copied(lines[i])):
                i += 1
        else:
            i += 1
            continue
        end = i
        while end > start and not lines[end - 1].strip():
            end -= 1
        blocks.append(Block(start, end, reason))
    return blocks


def _next_text(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _skip_run(lines: list[str], i: int, kind) -> int:
    """Past the lines of a kind (`kind(line)` true) and the blank lines between them, from
    line `i`: the index after the last line of the kind."""
    end = i
    while i < len(lines):
        if kind(lines[i]):
            end = i = i + 1
        elif not lines[i].strip():
            i += 1
        else:
            break
    return end


def _skip_terms(lines: list[str], i: int) -> int:
    """Past the term pairs (and blank lines between them) from line `i`."""
    return _skip_run(lines, i, is_term_pair)


def _skip_paragraph(lines: list[str], i: int) -> int:
    """Past the note under a label: blank lines, then lines up to the next blank line."""
    i = _next_text(lines, i)
    while i < len(lines) and lines[i].strip():
        i += 1
    return i


_HEADER_FIELD = re.compile(r"^\s*(?:title|author|date|page|edition|column)\s*[:：]", re.IGNORECASE)


def _skip_header(lines: list[str], i: int) -> int:
    """Past the header fields (and blank lines) a seam repeats."""
    return _skip_run(lines, i, _HEADER_FIELD.match)
