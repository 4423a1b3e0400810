"""Characters that must not travel: controls, bidi controls and invisible format characters.

Text from an untrusted archive can carry characters a reader never sees but a program
obeys: an escape sequence (ESC, U+001B) retitles or rewrites a terminal, a right-to-left
override (U+202E) makes a reviewer read other text than the one stored, a NUL makes a
TSV binary, a zero-width space or tag characters (U+E0000 block) hide text inside text.
Two uses, one character class:

- `clean` removes them from text written to an output (every writer calls it through
  `writers.base.Writer`): C0 controls but tab, line feed and carriage return (each format
  then treats those as it always has), DEL and C1 controls, and every format character
  (Unicode category Cf: bidi controls, zero-width characters, soft hyphen, tags, BOM).
- `escaped` shows a name or a message on a terminal: the same characters, and tab, line
  ends, line and paragraph separators and the bytes of a file name that is not UTF-8
  (surrogate escapes, as `os.fsdecode` gives them), become visible backslash escapes
  (`\\x1b`, `\\u202e`, `\\n`, `\\xb0`), so nothing in a name reaches the terminal as a command.
"""

from __future__ import annotations

import re

# Unicode category Cf (format characters) as of Unicode 15.0 (Python 3.12), written out:
# computing it from unicodedata would cost every start-up (docs/decisions.md, Reading).
# tests/test_hostile_text.py checks that it holds every Cf character of the running
# Python's Unicode version. Those of the Basic Multilingual Plane and those above it are
# two classes: the regular expression engine scans a text much faster for a class of BMP
# ranges alone.
_FORMAT_BMP = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_FORMAT_ASTRAL = (
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"

#: what outputs leave out (tab, line feed and carriage return are the formats' business)
HIDDEN = re.compile(f"[{_CONTROLS}{_FORMAT_BMP}{_FORMAT_ASTRAL}]")
_HIDDEN_BMP = re.compile(f"[{_CONTROLS}{_FORMAT_BMP}]")
_ANY_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_HIDDEN_ASTRAL = re.compile(f"[{_FORMAT_ASTRAL}]")
# what a terminal is shown escaped: the above, and tab, line ends, line and paragraph
# separators, and lone surrogates (a file name's bytes that are not UTF-8)
_UNSAFE = re.compile(f"[{_CONTROLS}{_FORMAT_BMP}{_FORMAT_ASTRAL}\t\n\r\u2028\u2029\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


# Characters outside XML 1.0's Char production: C0 controls but tab/LF/CR,
# lone surrogates, U+FFFE and U+FFFF (TMX, XLSX and HTML cannot carry them).
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_chars(text: str) -> str:
    """`text` without the characters XML 1.0 forbids."""
    return _NOT_XML_CHAR.sub("", text)


def has_hidden(text: str) -> bool:
    """Whether `text` holds a character outputs leave out (a quick test: most texts have none)."""
    return bool(_HIDDEN_BMP.search(text) or (_ANY_ASTRAL.search(text) and _HIDDEN_ASTRAL.search(text)))


def clean(text: str) -> str:
    """`text` without the characters outputs leave out (HIDDEN)."""
    return HIDDEN.sub("", text) if has_hidden(text) else text


def hidden_count(text: str) -> int:
    """How many characters `clean` removes from `text`."""
    return len(HIDDEN.findall(text)) if has_hidden(text) else 0


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    o = ord(c)
    if c in _NAMED:
        return _NAMED[c]
    if 0xDC80 <= o <= 0xDCFF:  # os.fsdecode's surrogate escape of a byte that is not UTF-8
        return f"\\x{o - 0xDC00:02x}"
    if o < 0x100:
        return f"\\x{o:02x}"
    return f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}"


def escaped(text: str) -> str:
    """`text` safe to show on a terminal: controls, format characters, line ends and the
    undecodable bytes of a file name as backslash escapes; everything else as it is."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
