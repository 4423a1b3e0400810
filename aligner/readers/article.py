"""The one-file bilingual article: English translation, `<hr />`, `Original:`, Chinese original.

Layout (see data/examples/rmrb-1954-11-23-harbin.txt)::

    Title: ...            English header: Key: value lines
    Author: ...
    Date: 1954-11-23
    Page: 2

        English body, one indented line per paragraph
    <hr />
    Original:
    ### 中文标题          Chinese header: title, author, date, 第N版(...), 专栏：...
    安民　励新
    1954-11-23
    第2版()
    专栏：

        中文正文，每个缩进行一段

Header fields become metadata; they are not aligned.  The first two indented lines of each
body are the headline: they are paragraphs like the others (the seed gold aligns them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aligner.plumbing.errors import AlignerError

_HR = re.compile(r"^\s*<hr\s*/?>\s*$", re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*original\s*[:：]\s*$", re.IGNORECASE)
_EN_FIELD = re.compile(r"^([A-Za-z][A-Za-z ]{0,30}?)\s*:\s*(.*)$")
_ZH_TITLE = re.compile(r"^#+\s*(.*)$")
_ZH_DATE = re.compile(r"^\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?$")
_ZH_PAGE = re.compile(r"^第\s*([0-9０-９一二三四五六七八九十]+)\s*版\s*(?:[(（]\s*(.*?)\s*[)）])?$")
_ZH_COLUMN = re.compile(r"^(?:专栏|專欄)\s*[:：]\s*(.*)$")
_MAX_AUTHOR = 40  # characters; an author line holds a few names or an agency


@dataclass
class Article:
    """A parsed bilingual article: header fields and body paragraphs of each side."""

    metadata: dict[str, str]
    zh_paragraphs: list[str]
    en_paragraphs: list[str]
    zh_metadata: dict[str, str] = field(default_factory=dict)


def is_article(text: str) -> bool:
    """True when the text has the `<hr />` line followed by an `Original:` line."""
    return _split_point(text.split("\n")) is not None


def parse_article(text: str, path: str = "") -> Article:
    """Split an article into metadata and paragraphs; AlignerError(path=path) if it is not one."""
    lines = text.split("\n")
    split = _split_point(lines)
    if split is None:
        if not any(_HR.match(line) for line in lines):
            missing = "no '<hr />' line between the English translation and the Chinese original"
        else:
            missing = "no 'Original:' line after '<hr />'"
        raise AlignerError(f"not a bilingual article: {missing}", path)
    hr, original = split
    en_header, en_body = _split_header(lines[:hr], _is_en_field)
    zh_header, zh_body = _split_header(lines[original + 1:], _is_zh_field)
    if not en_body:
        raise AlignerError("not a bilingual article: no English paragraphs before '<hr />'", path)
    if not zh_body:
        raise AlignerError("not a bilingual article: no Chinese paragraphs after 'Original:'", path)
    return Article(_en_metadata(en_header), zh_body, en_body, _zh_metadata(zh_header))


def _split_point(lines: list[str]) -> tuple[int, int] | None:
    """Indices of the first `<hr />` line whose next non-blank line is `Original:`, and of that line."""
    for i, line in enumerate(lines):
        if not _HR.match(line):
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and _ORIGINAL.match(lines[j]):
            return i, j
    return None


def _is_indented(line: str) -> bool:
    return line[:1].isspace() and bool(line.strip())


def _split_header(lines: list[str], is_header_line) -> tuple[list[str], list[str]]:
    """Header lines and body paragraphs of one side.

    The header is the unindented block at the top that starts with a field line
    (`Title:`, `### ...`).  It ends at an indented line or a line that is not a header
    line; after a blank line only an unmistakable field continues it.  Every later
    non-blank line is one paragraph.
    """
    header: list[str] = []
    i = _next_text_line(lines, 0)
    after_blank = False
    while i < len(lines) and not _is_indented(lines[i]):
        j = _next_text_line(lines, i + 1)
        following = lines[j] if j < len(lines) else ""
        if not is_header_line(lines[i].strip(), header, after_blank, following):
            break
        header.append(lines[i].strip())
        after_blank, i = j > i + 1, j
    body = [line.strip() for line in lines[i:] if line.strip()]
    return header, body


def _next_text_line(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _is_en_field(line: str, header: list[str], after_blank: bool, following: str) -> bool:
    return bool(_EN_FIELD.match(line))


def _is_zh_field(line: str, header: list[str], after_blank: bool, following: str) -> bool:
    """`### title` starts the header; date, page and column lines follow, and so does the
    author line right after the title: a short line that is not a sentence (after a blank
    line only when a date, page or column line or the indented body comes next, so that
    an unindented headline is not taken for the author)."""
    if not header:
        return bool(_ZH_TITLE.match(line))
    if _is_zh_strict_field(line):
        return True
    if len(header) != 1 or len(line) > _MAX_AUTHOR or any(c in line for c in "。！？；，"):
        return False
    return not after_blank or _is_indented(following) or _is_zh_strict_field(following.strip())


def _is_zh_strict_field(line: str) -> bool:
    return any(p.match(line) for p in (_ZH_TITLE, _ZH_DATE, _ZH_PAGE, _ZH_COLUMN))


def _en_metadata(header: list[str]) -> dict[str, str]:
    """`Key: value` lines, keys lower-cased (title, author, date, page...); empty values dropped."""
    meta: dict[str, str] = {}
    for line in header:
        m = _EN_FIELD.match(line)
        if m and m.group(2).strip():
            meta.setdefault(m.group(1).strip().lower(), m.group(2).strip())
    return meta


def _zh_metadata(header: list[str]) -> dict[str, str]:
    """Title (`### ...`), date, page (`第2版(...)`, with the page name if given), column
    (`专栏：...`); the remaining line after the title is the author."""
    meta: dict[str, str] = {}
    for line in header:
        if m := _ZH_TITLE.match(line):
            key, value = "title", m.group(1)
        elif _ZH_DATE.match(line):
            key, value = "date", line
        elif m := _ZH_PAGE.match(line):
            key, value = "page", m.group(1)
            if m.group(2):
                meta.setdefault("page_name", m.group(2))
        elif m := _ZH_COLUMN.match(line):
            key, value = "column", m.group(1)
        else:
            key, value = "author", line
        if value.strip():
            meta.setdefault(key, value.strip())
    return meta
