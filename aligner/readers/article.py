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
# is the English of the Chinese header's 专栏; files of 1946 and 1966-1968 say Edition for
# Page). Any other `Words: text` line is body text.
EN_KEYS = ("title", "author", "date", "page", "edition", "column")
# Keys read as another: the metadata says `page` whichever word the file uses.
_KEY_ALIASES = {"edition": "page"}
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


@dataclass(frozen=True)
class AddedBlock:
    """Lines the translation added that translate nothing (`readers.added`): their text
    (lines joined by a line break), why they are added, and `before`, the index of the
    English paragraph that follows them (the paragraph count when none does)."""

    before: int
    text: str
    reason: str


@dataclass
class Article:
    """A parsed bilingual article: header fields and body paragraphs of each side.

    `en_added` are the English blocks kept out of the paragraphs (a glossary...);
    `zh_solo` maps the index of a Chinese paragraph known to have no translation to why
    (a body headline the English body does not repeat): it is not aligned, and is shown
    as a Chinese sentence without translation."""

    metadata: dict[str, str]
    zh_paragraphs: list[str]
    en_paragraphs: list[str]
    zh_metadata: dict[str, str] = field(default_factory=dict)
    en_added: list[AddedBlock] = field(default_factory=list)
    zh_solo: dict[int, str] = field(default_factory=dict)


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
    en_raw = _unmarked(lines[:hr])
    en_lines = [clean_markup(line) for line in en_raw]
    en_header, en_start = _split_header(en_lines, _is_en_field)
    zh_lines = _clean_lines(lines[original + 1:])
    zh_header, zh_start = _split_header(zh_lines, _is_zh_field)
    metadata, zh_metadata = _en_metadata(en_header), _zh_metadata(zh_header)
    en_body, en_added = _without_added(en_raw[en_start:], en_lines[en_start:])
    en_body = body_paragraphs(en_body, "en")
    zh_body = body_paragraphs(zh_lines[zh_start:], "zh", _names(zh_metadata.get("author", "")))
    if not en_body:
        raise AlignerError("not a bilingual article: no English paragraphs before '<hr />'", path)
    if not zh_body:
        raise AlignerError("not a bilingual article: no Chinese paragraphs after 'Original:'", path)
    zh_body = _title_split(zh_body, zh_metadata.get("title", ""))
    solo = _untranslated_headline(zh_body, en_body, zh_metadata, metadata)
    return Article(metadata, zh_body, en_body, zh_metadata, en_added, solo)


def _clean_lines(lines: list[str]) -> list[str]:
    """The lines as text to align: markup-only lines blanked, HTML entities decoded
    (a no-break space is a space), Markdown emphasis markers removed."""
    return [clean_markup(line) for line in _unmarked(lines)]


def _unmarked(lines: list[str]) -> list[str]:
    """Markup-only lines blanked, HTML entities decoded; emphasis kept (`**Named Entities**`
    is told by it)."""
    return ["" if _MARKUP_ONLY.match(line) else _entities(line) for line in lines]


def _entities(line: str) -> str:
    return html.unescape(line).replace("\xa0", " ") if "&" in line else line


def clean_markup(line: str) -> str:
    """`line` without HTML entities (`&amp;` -> `&`, `&nbsp;` -> space) and without
    Markdown emphasis markers (`*For example*` -> `For example`)."""
    line = _entities(line)
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


def _split_header(lines: list[str], is_header_line) -> tuple[list[str], int]:
    """Header lines of one side and the index of the line where its body starts.

    The header is the unindented block at the top that starts with a field line
    (`Title:`, `### ...`, a date).  It ends at an indented line or a line that is not a
    header line; after a blank line only an unmistakable field continues it.
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
    return header, i


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
            key = m.group(1).strip().lower()
            meta.setdefault(_KEY_ALIASES.get(key, key), m.group(2).strip())
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


# -- the body: added text, line joins, headlines ------------------------------------------

def _without_added(raw: list[str], cleaned: list[str]) -> tuple[list[str], list[AddedBlock]]:
    """The English body lines (cleaned) with the added blocks (`readers.added`) blanked,
    and the blocks, each placed before the paragraph that follows it."""
    from aligner.readers.added import find_added

    blocks = find_added(raw)
    inside = {i for block in blocks for i in range(block.start, block.end)}
    if not blocks or all(i in inside for i, line in enumerate(raw) if line.strip()):
        # nothing added; or nothing but: no translation with text added to it, but another
        # layout (the halves swapped), which the language check names
        return cleaned, []
    body = list(cleaned)
    added = []
    for block in blocks:
        text = "\n".join(line.strip() for line in cleaned[block.start:block.end] if line.strip())
        # the paragraph index after the block: body_paragraphs below makes one paragraph of
        # a line (or of a line and its continuations), so count the paragraphs before it
        before = len(body_paragraphs(body[:block.start], "en")) if block.start else 0
        added.append(AddedBlock(before, text, block.reason))
        body[block.start:block.end] = [""] * (block.end - block.start)
    return body, added


def _indent(line: str) -> int:
    """Width of a line's indentation: a space 1, an ideographic space 2, a tab 4."""
    width = 0
    for c in line:
        if c == " ":
            width += 1
        elif c == "\u3000":
            width += 2
        elif c == "\t":
            width += 4
        elif c.isspace():
            width += 1
        else:
            break
    return width


# Characters that end a line of Chinese text as a unit: a stop, a comma, closing quotes or
# brackets, a dash or ellipsis. A line ending in a Han character, a letter or a digit stops
# mid-phrase (an OCR column wrap) or is a headline.
_ZH_LINE_END = set("。！？!?，,、；;：:…—”’」』）)》】〕〉\"'.")
_ZH_BREAK = re.compile(r"[\s\u3000。！？!?，,、；;：:…—“”‘’「」『』（）()《》【】〔〕〈〉\"']")
# The most characters before its first punctuation a line can have to be the tail of a
# wrapped line (`大。` after `我们就不能很好地长`, `们` after `全世界爱好和平的人`): a line of
# verse or a headline is longer.
_ZH_TAIL = 2


def body_paragraphs(lines: list[str], lang: str, authors: tuple[str, ...] = ()) -> list[str]:
    """The paragraphs of one side's body lines (as read, indentation kept): each line is one,
    but a line is joined to the line before it when it continues it:

    - it is indented, as shallowly as any line and less deeply than most (the archive
      marks a hard wrap of the OCR text, and the translation copies it, with a shallower
      indent than the paragraphs');
    - Chinese: the line before ends without punctuation and this one is the few
      characters that end the broken phrase (`长` / `大。`, `人` / `们`);
    - English: the line before ends in a letter or digit and this one starts in lower case
      (`people of the whole` / `world`): verse lines start with a capital.

    A Chinese line near the top that starts with the header's author and goes on
    (`王佩琈甲：毛泽东思想红旗飘，`) is split after the name: the OCR glued the byline on."""
    from aligner.readers.plain import join_lines

    items = [(line, _indent(line), blank) for line, blank in _with_blank_before(lines)]
    indents = [w for _, w, _ in items if w > 0]
    # the paragraphs' indent (the commonest; of two as common, the deeper) and the hard
    # wraps' (the shallowest, when it is shallower): only the latter continue a line
    usual = max(set(indents), key=lambda w: (indents.count(w), w)) if indents else 0
    wrap = min(indents) if indents and min(indents) < usual else -1
    paragraphs: list[str] = []
    joined = 0  # lines joined onto the last paragraph
    for k, (line, width, blank) in enumerate(items):
        text = line.strip()
        if paragraphs and not blank and (_continues(paragraphs[-1], text, width, wrap, lang)
                                         or (lang == "zh" and joined < _QUOTED_LINES and _open_quote(paragraphs[-1]))):
            paragraphs[-1] = join_lines(paragraphs[-1], text)
            joined += 1
            continue
        joined = 0
        if lang == "zh" and k < _AUTHOR_LINES:
            # glued: the name runs on into the text, with no space between
            name = next((a for a in authors if text.startswith(a) and text[len(a):len(a) + 1].strip()), None)
            if name is not None:
                paragraphs += [name, text[len(name):].lstrip()]
                continue
        paragraphs.append(text)
    if lang == "zh":
        paragraphs = [part for p in paragraphs for part in _SPEAKER.split(p)]
        paragraphs = [part for p in paragraphs for part in _law_heading(p)]
    return [p for p in paragraphs if p]


# A quotation left open at the end of a line that ends mid-sentence goes on in the next
# line (the OCR's column wrap of verse: `毛主席说：“全国` / `的无产阶级文化大革`); at most
# this many lines are joined so, lest a quote the OCR never closed swallow the text.
_QUOTED_LINES = 8
_OPENERS, _CLOSERS = "“「『（(《", "”」』）)》"
_STOPS = "。！？!?…"
# A speaker's label in a dialogue of verse (快板, 数来宝: `甲：`, `乙：`, `合：` together), after
# the punctuation that ends the line before: the start of a line of its own.
_SPEAKER = re.compile(r"(?<=[，,。！？!?；;…”])(?=[甲乙丙丁合][：:])")


# A law's section heading that the OCR glued to its first article (`第一节　乡、镇第九条　乡、镇人民代表
# 大会...`): the heading is a line of its own, as in the law's other sections.
_NUMBER = r"[一二三四五六七八九十百零〇0-9０-９]+"
_LAW_HEADING = re.compile(rf"^(第{_NUMBER}[编章节][\s\u3000][^，。；：！？]{{1,15}}?)(第{_NUMBER}条.*)$", re.S)


def _law_heading(paragraph: str) -> list[str]:
    m = _LAW_HEADING.match(paragraph)
    return [m.group(1).strip(), m.group(2)] if m else [paragraph]


def _open_quote(paragraph: str) -> bool:
    """Whether a paragraph ends inside a quotation or bracket, in the middle of a phrase (a
    line of verse inside a quotation ends in a comma or a stop, and stays a line)."""
    if not (paragraph[-1].isalnum() or _is_han(paragraph[-1])):
        return False
    return sum(paragraph.count(c) for c in _OPENERS) > sum(paragraph.count(c) for c in _CLOSERS)


_AUTHOR_LINES = 4  # a byline glued to the text is among the first lines of the body


def _with_blank_before(lines: list[str]):
    """Each non-blank line, and whether a blank line comes before it."""
    blank = False
    for line in lines:
        if line.strip():
            yield line.rstrip(), blank
            blank = False
        else:
            blank = True


def _continues(previous: str, text: str, width: int, wrap: int, lang: str) -> bool:
    if width == wrap:
        return True
    last = previous[-1]
    if lang == "zh":
        if last in _ZH_LINE_END or last.isspace():
            return False
        m = _ZH_BREAK.search(text)
        head = text[:m.start()] if m else text
        # the tail ends at punctuation or with the line (`提　要`, characters spaced out, is a heading)
        return 0 < len(head) <= _ZH_TAIL and _is_han(text[0]) and not (m and m.group().isspace())
    return last.isalnum() and text[0].islower()


def _is_han(c: str) -> bool:
    return bool(_HAN.match(c))


def _names(author: str) -> tuple[str, ...]:
    """The names of a Chinese author field (`张安泉  汪良璧`, `吴林泉　彭飞`), the whole
    field first."""
    parts = [p for p in re.split(r"[\s\u3000、，,]+", author.strip()) if len(p) >= 2]
    whole = author.strip()
    return tuple(dict.fromkeys([whole, *parts])) if whole else ()


# Squashed for comparing a headline with the title: spaces, dashes, quotes and other
# punctuation out (the title joins headline lines with `——`, a space or `_`).
_SQUASH = re.compile(r"[\s\u3000\W_]+")
_EN_TITLE_SIMILAR = 80  # rapidfuzz ratio (0-100) of an English body line to the Title field
_EN_TITLE_PART_SIMILAR = 90  # partial_ratio of a line that is half the title or more (or the title half of it)
_TITLE_PART = 0.5
_EN_HEAD_LINES = 2  # the English headline, when there is one, is among the first lines
_HEADLINE_WORDS = 25  # at most; a longer line is text
_LABEL_WORDS = 3
_CLOSING = "\"'”’)]）】》"
UNTRANSLATED_HEADLINE = "headline not repeated in the English body (its translation is the Title field)"
UNTRANSLATED_TITLE = "attribution repeating the title, not repeated in the English body (its translation is the Title field)"


def _like_title(line: str, title: str) -> bool:
    """Whether an English body line is the Title field, or most of it (or it most of the line):
    the body repeats the headline."""
    from rapidfuzz import fuzz

    a, b = line.lower(), title.lower()
    if fuzz.ratio(a, b) >= _EN_TITLE_SIMILAR:
        return True
    return min(len(a), len(b)) >= _TITLE_PART * max(len(a), len(b)) and fuzz.partial_ratio(a, b) >= _EN_TITLE_PART_SIMILAR


def _headline_like(line: str) -> bool:
    """An English line that reads as a headline: a few words, no punctuation at the end
    (`Nanjing Snowfall`; not `Xinhua News Agency, March 1st:` or a line of verse ending in a comma)."""
    stripped = line.rstrip().rstrip(_CLOSING)
    return bool(stripped) and len(line.split()) <= _HEADLINE_WORDS and stripped[-1].isalnum()


def _untranslated_headline(zh: list[str], en: list[str], zh_meta: dict[str, str],
                           en_meta: dict[str, str]) -> dict[int, str]:
    """The Chinese body's headline lines (and a byline after them) when the English body does
    not repeat the headline: the English title is a header field, metadata, so those lines
    have no translation in the body. Each maps to the reason.

    Headline lines are the first lines of the Chinese body that, together, are part of the
    Chinese title (`### ...`); the byline, a line after them holding the header's author.
    The English body repeats the headline when one of its first lines is like its Title."""
    title, en_title = zh_meta.get("title", ""), en_meta.get("title", "")
    if not title or not en_title:
        return {}
    # the first line, or the second after a label or a byline of a few words (`Editorial:`)
    first = en[:_EN_HEAD_LINES] if len(en[0].split()) <= _LABEL_WORDS else en[:1]
    if any(_like_title(p, en_title) or _headline_like(p) for p in first):
        return {}
    squashed_title = _SQUASH.sub("", title)
    solo = {}
    last = len(zh) - 1
    if last > 0 and _SQUASH.sub("", zh[last]) == squashed_title and not _like_title(en[-1], en_title):
        solo[last] = UNTRANSLATED_TITLE  # an attribution that repeats the title, under a quotation
    k = _headline_lines(zh, squashed_title)
    if not k:
        return solo
    authors = _names(zh_meta.get("author", ""))
    if k < len(zh) and authors and any(a in zh[k] for a in authors) and len(zh[k]) <= _MAX_AUTHOR \
            and not any(c in zh[k] for c in "。！？"):
        k += 1
    return {**{i: UNTRANSLATED_HEADLINE for i in range(k)}, **solo}


def _headline_lines(zh: list[str], squashed_title: str) -> int:
    """How many of the first paragraphs are, together, part of the (squashed) title."""
    head, k = "", 0
    while k < len(zh):
        part = _SQUASH.sub("", zh[k])
        if not part or (head + part) not in squashed_title:
            break
        head, k = head + part, k + 1
    return k


def _title_split(zh: list[str], title: str) -> list[str]:
    """The paragraphs with the rest of a title glued by the OCR onto the text after the
    headline split off as a line of its own: `红太阳照雪山` / `（藏族民歌二首）东方升起了红太阳，`
    under the title `红太阳照雪山（藏族民歌二首）`."""
    squashed = _SQUASH.sub("", title)
    k = _headline_lines(zh, squashed)
    if not k or k >= len(zh):
        return zh
    rest = squashed[len("".join(_SQUASH.sub("", p) for p in zh[:k])):]
    line = zh[k]
    if not rest or not _SQUASH.sub("", line).startswith(rest) or _SQUASH.sub("", line) == rest:
        return zh
    matched, end = 0, 0
    for end, c in enumerate(line, 1):  # where the title's rest ends in the line
        if _SQUASH.fullmatch(c):
            continue
        if matched == len(rest) or c != rest[matched]:
            end -= 1
            break
        matched += 1
    if matched < len(rest):
        return zh
    while end < len(line) and line[end] in _CLOSERS + "”’":
        end += 1
    return [*zh[:k], line[:end].strip(), line[end:].strip(), *zh[k + 1:]]
