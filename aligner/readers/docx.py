"""Word documents (.docx) as paragraphs: the body's paragraphs in order, each table cell's
paragraphs in turn (row by row), as Word shows the text.

Read with the standard library (zipfile, ElementTree) rather than python-docx, whose
paragraph text leaves out the runs inside tracked insertions (`w:ins`), content controls
(`w:sdt`), smart tags and simple fields, and which would bring lxml with it
(docs/decisions.md, Inputs). What a paragraph shows is its text runs (`w:t`), tabs and
line breaks, with insertions and field results, without deleted text (`w:delText`), field
codes (`w:instrText`) or drawings (text boxes come twice in a file, as a drawing and as its
fallback). Headers, footers, footnotes and comments are parts of their own, not read.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from io import BytesIO
from xml.etree import ElementTree

from aligner.plumbing.errors import AlignerError

#: WordprocessingML, transitional (what Word writes) and strict (ISO/IEC 29500 strict)
_W = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "http://purl.oclc.org/ooxml/wordprocessingml/main")
_MAIN_RELATION = "/officeDocument"  # the end of the package relationship that names the main part
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
#: elements inside a paragraph whose content Word does not show as its text, or shows
#: elsewhere: deleted and moved-away runs, properties, drawings and their fallbacks
_HIDDEN = frozenset({"del", "moveFrom", "pPr", "rPr", "drawing", "pict", "object",
                     "instrText", "delText", "footnoteReference", "endnoteReference", "commentReference"})


def is_docx(names: list[str]) -> bool:
    """Whether a zip archive of these member names is a Word document (its parts under word/)."""
    return any(name.startswith("word/") for name in names)


def docx_paragraphs(data: bytes, path: str) -> list[str]:
    """The paragraphs of the .docx file with content `data`, empty ones left out; an
    AlignerError naming `path` if it is damaged."""
    from aligner.readers.workbook_limits import check_inflated

    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            check_inflated(path, zf, "the Word document")  # a zip bomb is refused before it inflates
            xml = zf.read(_main_part(zf))
        root = ElementTree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, EOFError, OSError, ValueError) as e:
        raise AlignerError(f"damaged Word document (.docx): {type(e).__name__}: {e}", path) from None
    body = next((child for child in root if _local(child) == "body"), None)
    if body is None:
        raise AlignerError("damaged Word document (.docx): no document body", path)
    return [p for p in _paragraphs(body) if p.strip()]


def _main_part(zf: zipfile.ZipFile) -> str:
    """The name of the main document part: the package relationship says which (Word
    writes word/document.xml, other programs may name it otherwise)."""
    try:
        rels = ElementTree.fromstring(zf.read("_rels/.rels"))
    except (KeyError, ElementTree.ParseError):
        return "word/document.xml"
    for rel in rels.iter(_RELS):
        if rel.get("Type", "").endswith(_MAIN_RELATION) and rel.get("Target"):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return "word/document.xml"


def _local(element: ElementTree.Element) -> str:
    """The element's name without its namespace, '' for an element outside WordprocessingML
    (a tag 'p' of another vocabulary is not a paragraph)."""
    namespace, _, name = element.tag.rpartition("}")
    return name if namespace.lstrip("{") in _W else ""


def _children(element: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """The children of `element`, with markup compatibility's alternatives resolved: of an
    `mc:AlternateContent` only its fallback, what a reader that knows no extension shows
    (its choices say the same in newer markup: both would give the text twice)."""
    for child in element:
        if child.tag.endswith("}AlternateContent"):
            for alternative in child:
                if alternative.tag.endswith("}Fallback"):
                    yield from _children(alternative)
        else:
            yield child


def _paragraphs(element: ElementTree.Element) -> Iterator[str]:
    """The paragraphs under `element` in document order: its `w:p`s, and those in tables
    (row by row, cell by cell), content controls and the like, at any depth."""
    for child in _children(element):
        name = _local(child)
        if name == "p":
            yield "".join(_text(child))
        elif name not in _HIDDEN:
            yield from _paragraphs(child)


def _text(element: ElementTree.Element) -> Iterator[str]:
    """What a paragraph shows, piece by piece."""
    for child in _children(element):
        name = _local(child)
        if name == "t":
            yield child.text or ""
        elif name == "tab":
            yield "\t"
        elif name in ("br", "cr"):
            yield "\n"
        elif name == "noBreakHyphen":
            yield "-"
        elif name not in _HIDDEN and name != "p":  # a paragraph nested in a run is a text box's
            yield from _text(child)
