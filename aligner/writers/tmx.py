"""TMX 1.4 output, the translation-memory format every CAT tool imports.

Rules CAT tools trip on (from the project's alignment notes): version "1.4", all seven
required header attributes, creationdate as 20261126T081500Z, non-standard
`prop` types starting with 'x-', no character XML 1.0 forbids, and no white
space around `seg` text. A bead with an empty side is no translation unit and
is left out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import aligner
from aligner.beads import bead_type
from aligner.document import AlignedDocument

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Characters outside XML 1.0's Char production: C0 controls but tab/LF/CR,
# lone surrogates, U+FFFE and U+FFFF.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PROP_NAME_JUNK = re.compile(r"[^a-z0-9._-]+")


def xml_text(text: str) -> str:
    """`text` as XML 1.0 can carry it: forbidden characters removed, CR line ends made LF
    (a parser would turn them into LF anyway), outer white space stripped."""
    text = _NOT_XML_CHAR.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def prop_type(key: str) -> str:
    """The `prop` type for a metadata key: 'Title' -> 'x-title'."""
    name = _PROP_NAME_JUNK.sub("-", key.strip().lower()).strip("-") or "field"
    return name if name.startswith("x-") else f"x-{name}"


def tmx_date(when: datetime) -> str:
    """TMX date format, always UTC: 20261126T081500Z."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _prop(parent: ET.Element, type_: str, value: str) -> None:
    ET.SubElement(parent, "prop", {"type": type_}).text = value


def _tuv(tu: ET.Element, lang: str, text: str) -> None:
    tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
    ET.SubElement(tuv, "seg").text = text


def render(doc: AlignedDocument, created: datetime | None = None) -> str:
    """The document as a TMX 1.4 file (UTF-8, with XML declaration, indented).

    `created` sets the header's creationdate (default: now); tests pin it.
    """
    src_lang, tgt_lang = xml_text(doc.src.lang), xml_text(doc.tgt.lang)
    root = ET.Element("tmx", {"version": "1.4"})
    header = ET.SubElement(
        root,
        "header",
        {
            "creationtool": "aligner",
            "creationtoolversion": aligner.__version__,
            "segtype": "sentence",
            "o-tmf": "aligner",
            "adminlang": "en-US",
            "srclang": src_lang,
            "datatype": "plaintext",
            "creationdate": tmx_date(created or datetime.now(timezone.utc)),
        },
    )
    for key, value in doc.metadata.items():
        value = xml_text(str(value))
        if value:  # an empty prop would be filled with indentation by ET.indent
            _prop(header, prop_type(str(key)), value)
    if xml_text(doc.signature):
        _prop(header, "x-aligner-signature", xml_text(doc.signature))

    body = ET.SubElement(root, "body")
    for number, (src, tgt, score, bead) in enumerate(doc.pairs(), start=1):
        src, tgt = xml_text(src), xml_text(tgt)
        if not src or not tgt:
            continue
        tu = ET.SubElement(body, "tu", {"tuid": str(number)})
        _prop(tu, "x-score", f"{score:.2f}")
        _prop(tu, "x-bead", bead_type(bead))
        _prop(tu, "x-src-index", ",".join(map(str, bead[0])))
        _prop(tu, "x-tgt-index", ",".join(map(str, bead[1])))
        _tuv(tu, src_lang, src)
        _tuv(tu, tgt_lang, tgt)

    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
