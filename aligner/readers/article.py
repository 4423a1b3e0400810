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

Archive dumps are looser than the example (issue 9): the Chinese header comes in other
orders, so its fields are told by their form; an unindented English paragraph can look
like `Key: value`, so only the archive's own English keys are header fields; the text
can carry HTML entities (`&amp;`, `&nbsp;`), Markdown emphasis and stray markup lines,
which are cleaned away before alignment; and a file can hold several articles one after
another (`split_articles` finds them; `parse_article` refuses such a file).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from aligner.plumbing.errors import AlignerError

_HR = re.compile(r"^\s*<hr\s*/?>\s*$", re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*original\s*[:：]\s*$", re.IGNORECASE)
# The English header keys of the archive's format (the example has the first four; Column
# is the English of the Chinese header's 专栏). Any other `Words: text` line is body text.
EN_KEYS = ("title", "author", "date", "page", "column")
_EN_FIELD = re.compile(rf"^({'|'.join(EN_KEYS)})\s*[:：]\s*(.*)$", re.IGNORECASE)
_ZH_TITLE = re.compile(r"^#+\s*(.*)$")
_ZH_DATE = re.compile(r"^\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?$")
_ZH_PAGE = re.compile(r"^第\s*([0-9０-９一二三四五六七八九十]+)\s*版\s*(?:[(（]\s*(.*?)\s*[)）])?$")
_ZH_COLUMN = re.compile(r"^(?:专栏|專欄)\s*[:：]\s*(.*)$")
_MAX_AUTHOR = 40  # characters; an author line holds a few names or an agency
# A line of nothing but HTML tags (`<hr />`, `<br>`, `<p></p>`) or a Markdown rule (`---`, `* * *`).
_MARKUP_ONLY = re.compile(r"^\s*(?:(?:<[^<>\n]*>\s*)+|(?:[-*_]\s*){3,})$")
# Markdown emphasis: *x*, **x**, _x_, __x__ around text that starts and ends with a
# non-space, not inside a word or a number (2*3*4, snake_case stay as they are).
_EMPHASIS = re.compile(
    r"(?<![A-Za-z0-9*])(\*{1,3})(?=[^\s*])([^*\n]*?[^\s*])\1(?![A-Za-z0-9*])"
    r"|(?<![A-Za-z0-9_])(_{1,3})(?=[^\s_])([^_\n]*?[^\s_])\3(?![A-Za-z0-9_])")
# A line is Chinese when Han characters are at least this share of its letters.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CHINESE_SHARE = 0.3


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


@dataclass(frozen=True)
class ArticlePart:
    """One article of a file that may hold several: `line` is where it starts (1-based
    line of the file), `text` its lines."""

    line: int
    text: str


def split_articles(text: str) -> list[ArticlePart]:
    """The articles of a file, in order (one part, the whole text, unless there are
    several `<hr />` + `Original:` splits).

    Archive dumps concatenate articles: English, `<hr />`, `Original:`, Chinese, then the
    next article's English. An article after the first starts at its first English header
    field (`Title:` ...) after the previous `Original:`; without a header, at the English
    lines that run up to its `<hr />` (a line is Chinese when a third of its letters are Han).
    """
    lines = text.split("\n")
    splits = _split_points(lines)
    starts = [0]
    for (_, previous), (hr, _) in zip(splits, splits[1:]):
        starts.append(_next_article_start(lines, previous + 1, hr))
    starts.append(len(lines))
    parts = []
    for a, b in zip(starts, starts[1:]):
        first = _next_text_line(lines, a)
        parts.append(ArticlePart(min(first, b - 1) + 1 if a else 1, "\n".join(lines[a:b])))
    return parts


def _next_article_start(lines: list[str], begin: int, hr: int) -> int:
    """Where the article whose `<hr />` is at `hr` starts, looking after `begin` (the line
    after the previous article's `Original:`)."""
    for i in range(begin, hr):
        if not _is_indented(lines[i]) and _EN_FIELD.match(lines[i].strip()):
            return i
    start = hr
    for i in range(hr - 1, begin - 1, -1):
        if not lines[i].strip():
            continue
        if _is_chinese(lines[i]):
            break
        start = i
    return start


def _is_chinese(line: str) -> bool:
    letters = sum(1 for c in line if c.isalpha())
    return letters > 0 and len(_HAN.findall(line)) >= _CHINESE_SHARE * letters


def parse_article(text: str, path: str = "") -> Article:
    """Split an article into metadata and paragraphs; AlignerError(path=path) if it is not
    one, or if it holds several (see `split_articles`)."""
    lines = text.split("\n")
    split = _split_point(lines)
    if split is None:
        if not any(_HR.match(line) for line in lines):
            missing = "no '<hr />' line between the English translation and the Chinese original"
        else:
            missing = "no 'Original:' line after '<hr />'"
        raise AlignerError(f"not a bilingual article: {missing}", path)
    parts = split_articles(text)
    if len(parts) > 1:
        raise AlignerError(
            f"holds {len(parts)} articles (the second starts at line {parts[1].line}); "
            "align each as its own document with 'aligner batch'", path)
    hr, original = split
    en_header, en_body = _split_header(_clean_lines(lines[:hr]), _is_en_field)
    zh_header, zh_body = _split_header(_clean_lines(lines[original + 1:]), _is_zh_field)
    if not en_body:
        raise AlignerError("not a bilingual article: no English paragraphs before '<hr />'", path)
    if not zh_body:
        raise AlignerError("not a bilingual article: no Chinese paragraphs after 'Original:'", path)
    return Article(_en_metadata(en_header), zh_body, en_body, _zh_metadata(zh_header))


def _clean_lines(lines: list[str]) -> list[str]:
    """The lines as text to align: markup-only lines blanked, HTML entities decoded
    (a no-break space is a space), Markdown emphasis markers removed."""
    return ["" if _MARKUP_ONLY.match(line) else clean_markup(line) for line in lines]


def clean_markup(line: str) -> str:
    """`line` without HTML entities (`&amp;` -> `&`, `&nbsp;` -> space) and without
    Markdown emphasis markers (`*For example*` -> `For example`)."""
    if "&" in line:
        line = html.unescape(line).replace("\xa0", " ")
    if "*" in line or "_" in line:
        line = _EMPHASIS.sub(lambda m: m.group(2) if m.group(1) else m.group(4), line)
    return line


def _split_point(lines: list[str]) -> tuple[int, int] | None:
    """Indices of the first `<hr />` line whose next non-blank line is `Original:`, and of that line."""
    points = _split_points(lines, first_only=True)
    return points[0] if points else None


def _split_points(lines: list[str], first_only: bool = False) -> list[tuple[int, int]]:
    """Every `<hr />` line whose next non-blank line is `Original:`, with that line's index."""
    points = []
    for i, line in enumerate(lines):
        if not _HR.match(line) or (points and i <= points[-1][1]):
            continue
        j = _next_text_line(lines, i + 1)
        if j < len(lines) and _ORIGINAL.match(lines[j]):
            points.append((i, j))
            if first_only:
                break
    return points


def _is_indented(line: str) -> bool:
    return line[:1].isspace() and bool(line.strip())


def _split_header(lines: list[str], is_header_line) -> tuple[list[str], list[str]]:
    """Header lines and body paragraphs of one side.

    The header is the unindented block at the top that starts with a field line
    (`Title:`, `### ...`, a date).  It ends at an indented line or a line that is not a
    header line; after a blank line only an unmistakable field continues it.  Every later
    non-blank line is one paragraph.
    """
    header: list[str] = []
    indented_body = any(_is_indented(line) for line in lines)
    i = _next_text_line(lines, 0)
    after_blank = False
    while i < len(lines) and not _is_indented(lines[i]):
        j = _next_text_line(lines, i + 1)
        following = lines[j] if j < len(lines) else ""
        if not is_header_line(lines[i].strip(), header, after_blank, following, indented_body):
            break
        header.append(lines[i].strip())
        after_blank, i = j > i + 1, j
    body = [line.strip() for line in lines[i:] if line.strip()]
    return header, body


def _next_text_line(lines: list[str], i: int) -> int:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i


def _is_en_field(line: str, header: list[str], after_blank: bool, following: str, indented_body: bool) -> bool:
    return bool(_EN_FIELD.match(line))


def _is_zh_field(line: str, header: list[str], after_blank: bool, following: str, indented_body: bool) -> bool:
    """Title (`### ...`), date, page and column lines, in any order; and one author line: a
    short line that is not a sentence, right after the title or, when the body is
    indented (so no unindented line can be body text), anywhere in the header.  After a
    blank line the author line counts only when a field or the indented body comes next,
    so that an unindented headline is not taken for the author."""
    if _is_zh_strict_field(line):
        return True
    if not header or any(_is_zh_author(h) for h in header):
        return False
    if not (_ZH_TITLE.match(header[-1]) or indented_body):
        return False
    if len(line) > _MAX_AUTHOR or any(c in line for c in "。！？；，"):
        return False
    return not after_blank or _is_indented(following) or _is_zh_strict_field(following.strip())


def _is_zh_author(line: str) -> bool:
    return not _is_zh_strict_field(line)


def _is_zh_strict_field(line: str) -> bool:
    return any(p.match(line) for p in (_ZH_TITLE, _ZH_DATE, _ZH_PAGE, _ZH_COLUMN))


def _en_metadata(header: list[str]) -> dict[str, str]:
    """`Key: value` lines, keys lower-cased (title, author, date, page, column); empty values dropped."""
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
