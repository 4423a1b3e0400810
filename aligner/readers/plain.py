"""Plain-text input: paragraphs for segmenting, or one pre-split sentence per line."""

from __future__ import annotations

# A line ending in one of these (possibly followed by closing quotes/brackets) ends a
# sentence.  Used to tell "one paragraph per line" from hard-wrapped text, whose lines end
# mid-sentence: a wrapped line ends a sentence only when its last word does (about 1 in 20
# English words, 1 in 10 Chinese punctuation positions).
_SENTENCE_END = "。！？…!?.:：;；"
_CLOSERS = "\"'”’」』》）)]】"
# Share of non-final lines in blank-line-separated blocks that must end a sentence for
# each line to be taken as its own paragraph.
_LINE_MODE_SHARE = 0.5


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text, trimmed and never empty.

    Blank lines separate paragraphs; the lines of a paragraph are joined (Chinese to
    Chinese without a space, otherwise with one; a line-final hyphen after a letter is
    kept and joined without a space).  Each non-blank line is its own paragraph when the
    text has no blank lines, when the line is indented (a new paragraph in most layouts),
    or when most lines inside blocks end a sentence (one paragraph per line with blank
    lines between sections).
    """
    lines = text.split("\n")
    blocks = _blocks(lines)
    if len(blocks) <= 1 or _one_per_line(blocks):
        return [line.strip() for block in blocks for line in block]
    paragraphs: list[str] = []
    for block in blocks:
        current = block[0].strip()
        for line in block[1:]:
            if line[:1].isspace():
                paragraphs.append(current)
                current = line.strip()
            else:
                current = join_lines(current, line.strip())
        paragraphs.append(current)
    return paragraphs


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines (with their indentation, trailing space removed)."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _one_per_line(blocks: list[list[str]]) -> bool:
    inner = [line for block in blocks for line in block[:-1]]
    if not inner:
        return False
    ending = sum(1 for line in inner if _ends_sentence(line))
    return ending >= _LINE_MODE_SHARE * len(inner)


def _ends_sentence(line: str) -> bool:
    s = line.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in _SENTENCE_END


def _is_cjk(c: str) -> bool:
    o = ord(c)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x20000 <= o <= 0x3FFFF)


# Punctuation shared by Chinese and English text (curly quotes, em dash, ellipsis): it takes
# the side of the CJK character it meets across a line break.
_NEUTRAL = "\u2018\u2019\u201c\u201d\u2014\u2026"


def join_lines(left: str, right: str) -> str:
    """Join two lines of one paragraph: no space between CJK characters, else one space."""
    if not left or not right:
        return left + right
    a, b = left[-1], right[0]
    if (_is_cjk(a) or a in _NEUTRAL) and (_is_cjk(b) or b in _NEUTRAL) and (_is_cjk(a) or _is_cjk(b)):
        return left + right
    if left[-1] == "-" and len(left) > 1 and left[-2].isalpha():
        return left + right
    return f"{left} {right}"


def read_presplit(text: str) -> list[str]:
    """One sentence per line, line i = sentence i (the research setting, e.g. Vecalign input).

    Lines are stripped of surrounding white space and kept otherwise as they are.  Empty
    lines inside the text are kept as empty sentences so that indices never shift; empty
    lines at the end of the file (which would not shift anything) are dropped.
    """
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines
