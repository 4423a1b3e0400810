"""A translation memory (TMX) read as an alignment table (`aligner convert`), so an existing
memory can be reviewed in the workbook or the report and written back.

Each `<tu>` is a row: its source and target `<tuv>`s' text (inline codes such as `<bpt>`,
`<ph>` left out, `<hi>` text kept), its `x-score` (absent: 1, a pair a person made, as in
a CAT tool's memory), its sentence indices `x-src-index`, `x-tgt-index` (0-based, as
aligner writes them) and in a batch its `x-document`. The source language is the header's
`srclang` (or --src-lang), the target the first other language of the first unit (or
--tgt-lang); a language is matched exactly, else by its base (`zh` matches `zh-CN`). The
header's properties are the document's metadata and signature, as aligner writes them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from xml.etree import ElementTree

from aligner.document import base_lang
from aligner.plumbing.errors import AlignerError
from aligner.readers.rows import Row, checked_indices, score_cell
from aligner.writers.tmx import HEADER_FIGURES, SIGNATURE_PROP, UNIT_PROPERTIES

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TMX_START = re.compile(r"\A\s*(?:<\?xml\b[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+tmx\b[^>]*>\s*)?<tmx\b", re.S)
#: inline elements whose content is the original document's markup, not text
_CODES = frozenset({"bpt", "ept", "it", "ph", "ut", "sub"})


def looks_like_tmx(head: str) -> bool:
    """Whether text starting with `head` is a TMX document (an XML declaration, comments and
    a doctype may come before `<tmx`)."""
    return bool(_TMX_START.match(head))


def is_tmx(data: bytes) -> bool:
    """Whether the file's bytes are a TMX document, in UTF-8 or UTF-16 (which Trados writes)."""
    head = data[:4096]
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF8, "utf-8-sig")):
        if head.startswith(bom):
            return looks_like_tmx(head.decode(name, errors="ignore"))
    return looks_like_tmx(head.decode("latin-1"))


@dataclass
class TmxTable:
    """A memory's units as table rows (`readers.table.Row`), with what the table reader
    needs besides: whether it is a batch and indexed, languages, signatures and metadata
    by document (None: the one document of a memory that is no batch)."""

    rows: list = field(default_factory=list)
    batch: bool = False
    indexed: bool = True
    langs: dict[str | None, tuple[str, str]] = field(default_factory=dict)
    signature: dict[str | None, str] = field(default_factory=dict)
    metadata: dict[str | None, dict[str, str]] = field(default_factory=dict)


def read_tmx(path: str, data: bytes, src_lang: str | None = None, tgt_lang: str | None = None) -> TmxTable:
    """The units of the TMX document `data` as rows; errors name `path` and the unit."""
    table = TmxTable()
    header_meta: dict[str, str] = {}
    signature = ""
    langs: tuple[str, str] | None = None
    number = 0
    for element in _elements(path, data):
        if element.tag == "header":
            src_lang = src_lang or _header_lang(element)
            for prop in element.iter("prop"):
                key, value = prop.get("type", ""), _text(prop)
                if key == SIGNATURE_PROP:
                    signature = value
                elif key and key not in HEADER_FIGURES and value:
                    header_meta[key.removeprefix("x-")] = value
            continue
        number += 1
        where = f"unit {number}"
        tuvs = [(tuv.get(_XML_LANG) or tuv.get("lang") or "", tuv) for tuv in element.iter("tuv")]
        if langs is None:
            langs = _languages(path, where, tuvs, src_lang, tgt_lang)
        src, tgt = (_side(tuvs, lang) for lang in langs)
        props = {prop.get("type", ""): _text(prop) for prop in element.findall("prop")}
        document = props.get("x-document")
        table.batch = table.batch or document is not None
        src_idx, tgt_idx = (_indices(path, where, key, props.get(key)) for key in ("x-src-index", "x-tgt-index"))
        table.indexed = table.indexed and src_idx is not None and tgt_idx is not None
        table.rows.append(Row(number, src, tgt, score_cell(path, where, props.get("x-score")), src_idx, tgt_idx,
                              document))
        if document is not None and document not in table.metadata:
            table.metadata[document] = {k.removeprefix("x-"): v for k, v in props.items()
                                        if k not in UNIT_PROPERTIES and k.startswith("x-") and v}
    if not table.rows:
        raise AlignerError("no translation units (<tu>) in the memory", path)
    assert langs is not None
    names = [None] if not table.batch else list(dict.fromkeys(r.document for r in table.rows))
    if not table.batch:
        table.metadata[None] = header_meta
    for name in names:
        table.langs[name] = langs
        table.signature[name] = signature
    return table


def _elements(path: str, data: bytes) -> Iterator[ElementTree.Element]:
    """The header, then each unit, as parsed; a unit is freed once read (a memory of a
    million units is read in the memory of a few)."""
    parser = ElementTree.iterparse(BytesIO(data), events=("start", "end"))
    root = body = None
    try:
        for event, element in parser:
            if root is None:
                root = element
                if element.tag != "tmx":
                    raise AlignerError(f"not a TMX document (its root element is <{element.tag}>)", path)
            if event == "start":
                if element.tag == "body" and body is None:
                    body = element
                continue
            if element.tag in ("header", "tu"):
                yield element
                if element.tag == "tu" and body is not None:
                    body.clear()  # forget the units read so far
    except ElementTree.ParseError as e:
        line, column = e.position
        raise AlignerError(f"not well-formed XML at line {line}, column {column + 1}: "
                           f"{str(e).split(':', 1)[0]}", path) from None


def _header_lang(header: ElementTree.Element) -> str | None:
    lang = (header.get("srclang") or "").strip()
    return None if not lang or lang == "*all*" else lang


def _languages(path: str, where: str, tuvs: list[tuple[str, ElementTree.Element]], src_lang: str | None,
               tgt_lang: str | None) -> tuple[str, str]:
    """The source and target languages, as the first unit's <tuv>s write them."""
    found = [lang for lang, _ in tuvs if lang]
    if not found:
        raise AlignerError(f"{where}: no <tuv> with a language (xml:lang)", path)

    def pick(wanted: str | None, other: str | None, option: str) -> str:
        if wanted is None:
            rest = [lang for lang in found if other is None or not _same(lang, other)]
            if not rest:
                raise AlignerError(f"{where}: one language only ({found[0]}); give {option}", path)
            return rest[0]
        for exact in (True, False):
            for lang in found:
                if other is not None and _same(lang, other):
                    continue  # the source side cannot be the target too
                if _matches(lang, wanted, exact):
                    return lang
        besides = " besides the source" if other is not None else ""
        raise AlignerError(f"no {wanted} side in the memory{besides} (the first unit has {', '.join(found)}); give "
                           f"{option} with one of those", path)

    src = pick(src_lang, None, "--src-lang") if src_lang else found[0]
    tgt = pick(tgt_lang, src, "--tgt-lang")
    return src, tgt


def _same(a: str, b: str) -> bool:
    return a.lower() == b.lower()


def _matches(found: str, wanted: str, exact: bool) -> bool:
    """Whether language code `found` is `wanted`: exactly (but for case), or by base language."""
    return _same(found, wanted) if exact else base_lang(found) == base_lang(wanted)


def _side(tuvs: list[tuple[str, ElementTree.Element]], lang: str) -> str:
    """The text of the unit's first <tuv> in `lang` (exactly, else by base language); ''
    when it has none."""
    for exact in (True, False):
        for found, tuv in tuvs:
            if _matches(found, lang, exact):
                seg = tuv.find("seg")
                return "" if seg is None else _text(seg).strip()
    return ""


def _text(element: ElementTree.Element) -> str:
    """An element's text, without inline codes' content (the document's own markup)."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag not in _CODES:
            pieces.append(_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)


def _indices(path: str, where: str, key: str, value: str | None) -> tuple[int, ...] | None:
    """'14,15' as indices; None when the unit has no such property."""
    if value is None:
        return None
    try:
        indices = tuple(int(p) for p in value.replace(" ", "").split(",") if p)
    except ValueError:
        indices = (-1,)
    if any(i < 0 for i in indices):
        raise AlignerError(f"{where}: {key} {value[:40]!r} is not a list of sentence indices such as 14,15", path)
    return checked_indices(path, where, key, indices)
