"""Web pages (.html, .htm) as paragraphs: each block element (a paragraph, a heading, a list
item, a table cell...) is a paragraph, `<br>` a line break inside one, `<hr>` the `<hr />`
line of the one-file article; scripts, styles and the page's head are dropped.

The standard library's parser (html.parser) reads the page as browsers do in the ways that
matter here (entities, unclosed `<p>` and `<li>`, any case); white space is collapsed as a
browser collapses it, except inside `<pre>`.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

#: elements that start and end a paragraph of their own (HTML's block-level elements)
BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup html legend li main menu nav ol p pre section "
    "summary table tbody td tfoot th thead tr ul".split())
#: elements whose content is not text to align
DROPPED = frozenset("head title script style template noscript svg math iframe object select button".split())
#: elements that are never closed (a `<br>` opens nothing)
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
#: the line the one-file article has between its translation and its original
RULE = "<hr />"

_SPACE = re.compile(r"[ \t\n\r\f]+")
# <meta charset="gb2312"> or <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HTML_START = re.compile(r"\A\s*(?:<\?xml\b[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.S)


def looks_like_html(head: str) -> bool:
    """Whether text starting with `head` is a web page: a doctype or <html> first thing."""
    return bool(_HTML_START.match(head))


def declared_charset(data: bytes) -> str | None:
    """The Python codec of the page's <meta> charset (in its first 4 KB), if it names one."""
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def html_paragraphs(text: str) -> list[str]:
    """The paragraphs of a web page, in order, empty ones left out; a paragraph's line
    breaks (`<br>`) are kept as newlines."""
    parser = _Paragraphs()
    parser.feed(text)
    parser.close()
    parser.end_paragraph()
    return parser.paragraphs


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._pieces: list[str] = []
        self._dropped: list[str] = []  # the open elements whose content is dropped
        self._pre = 0

    def end_paragraph(self) -> None:
        lines = (line.strip(" ") for line in "".join(self._pieces).split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            self.paragraphs.append(text)
        self._pieces = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "body" and self._dropped[:1] == ["head"]:
            self._dropped = []  # </head> may be left out: the body ends the head
        if self._dropped:
            if tag in DROPPED and tag not in VOID:
                self._dropped.append(tag)
            return
        if tag in DROPPED:
            self._dropped.append(tag)
        elif tag == "br":
            self._pieces.append("\n")
        elif tag == "hr":
            self.end_paragraph()
            self.paragraphs.append(RULE)
        elif tag in BLOCKS:
            self.end_paragraph()
            self._pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._dropped:
            if tag == self._dropped[-1]:
                self._dropped.pop()
            return
        if tag in BLOCKS:
            self.end_paragraph()
            if tag == "pre" and self._pre:
                self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._dropped:
            return
        self._pieces.append(data.replace("\xa0", " ") if self._pre else _SPACE.sub(" ", data).replace("\xa0", " "))
