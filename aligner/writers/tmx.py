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

from aligner.beads import bead_type
from aligner.cleaning import is_unit
from aligner.document import AlignedDocument
from aligner.plumbing.chars import xml_chars
from aligner.plumbing.errors import AlignerError
from aligner.summary import DocumentSummary
from aligner.version import __version__
from aligner.writers.base import Writer

_PROP_NAME_JUNK = re.compile(r"[^a-z0-9._-]+")


def xml_text(text: str) -> str:
    """`text` as XML 1.0 can carry it: forbidden characters removed, CR line ends made LF
    (a parser would turn them into LF anyway), outer white space stripped."""
    text = xml_chars(text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def prop_type(key: str) -> str:
    """The `prop` type for a metadata key: 'Title' -> 'x-title'."""
    name = _PROP_NAME_JUNK.sub("-", key.strip().lower()).strip("-") or "field"
    return name if name.startswith("x-") else f"x-{name}"


#: the properties the writer gives a unit: the bead, not the document's metadata
UNIT_PROPERTIES = frozenset({"x-score", "x-bead", "x-src-index", "x-tgt-index", "x-document", "x-note", "x-status"})
#: the header properties that are figures of the alignment (computed again when written)
HEADER_FIGURES = frozenset({"x-src-sentences", "x-tgt-sentences", "x-units", "x-src-unpaired", "x-tgt-unpaired",
                            "x-mean-confidence", "x-status", "x-status-note", "x-added", "x-flagged"})
SIGNATURE_PROP = "x-aligner-signature"
#: the properties the writer itself gives a unit or the header: a document's metadata
#: never stands in for them (a table's metadata key 'score' would give each unit a second,
#: forged x-score, which a CAT tool may read first)
OWN_PROPERTIES = UNIT_PROPERTIES | HEADER_FIGURES | {SIGNATURE_PROP}


def metadata_props(metadata: dict) -> list[tuple[str, str]]:
    """A document's metadata as (prop type, value), those that would pass for the writer's
    own properties (OWN_PROPERTIES) left out."""
    props = [(prop_type(str(k)), v) for k, v in metadata.items()]
    return [(t, v) for t, v in props if t not in OWN_PROPERTIES]


def tmx_date(when: datetime) -> str:
    """TMX date format, always UTC: 20261126T081500Z."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def header_figures(summary: DocumentSummary) -> dict[str, str]:
    """A single document's figures as header properties: its status (and what it rests on,
    when not ok), how many sentences, how many units, how many sentences left unpaired on
    each side, the units' mean confidence; the blocks of added text and the flagged units
    when there are any."""
    figures = {
        "x-status": summary.status,
        "x-src-sentences": summary.src_sentences,
        "x-tgt-sentences": summary.tgt_sentences,
        "x-units": summary.units,
        "x-src-unpaired": summary.src_unpaired,
        "x-tgt-unpaired": summary.tgt_unpaired,
    }
    if summary.mean_confidence is not None:
        figures["x-mean-confidence"] = f"{summary.mean_confidence:.2f}"
    if summary.added:
        figures["x-added"] = summary.added
    if summary.flagged:
        figures["x-flagged"] = summary.flagged
    if summary.status != "ok" and summary.message:
        figures["x-status-note"] = summary.message
    return {key: str(value) for key, value in figures.items()}


def _prop(parent: ET.Element, type_: str, value: str) -> None:
    value = xml_text(str(value))
    if value:  # an empty prop would be filled with indentation by ET.indent
        ET.SubElement(parent, "prop", {"type": type_}).text = value


# Units are written as text, not built as ElementTree elements: serialising elements took
# 2.3 ms of an article's 20 (benchmarks/batch.py); the bytes are the same as ET.indent and
# ET.tostring gave (escaping as ElementTree's: &, <, > in text; also ", tab and line ends
# in attributes).
def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return (_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def _prop_lines(props: list[tuple[str, str]]) -> str:
    """`<prop>` lines of a unit; empty values are left out, as _prop leaves them out."""
    lines = []
    for type_, value in props:
        value = xml_text(str(value))
        if value:
            lines.append(f'      <prop type="{_attribute(type_)}">{_text(value)}</prop>\n')
    return "".join(lines)


def _tuv_lines(lang: str, text: str) -> str:
    return f'      <tuv xml:lang="{_attribute(lang)}">\n        <seg>{_text(text)}</seg>\n      </tuv>\n'


def _element(element: ET.Element, level: int) -> str:
    """One element as indented XML text at `level`, with its line break."""
    ET.indent(element, space="  ", level=level)
    return "  " * level + ET.tostring(element, encoding="unicode") + "\n"


# libxml2 (lxml, xmllint and the CAT tools built on it) refuses a text node longer than this
# unless told to accept huge ones (its XML_MAX_TEXT_LENGTH): a longer segment would make a
# TMX they cannot open.
MAX_SEGMENT_BYTES = 10_000_000


def _check_segments(pairs: list, name: str | None) -> None:
    """Refuse, before a unit of the document is written, a text no TMX reader takes."""
    for k, (src, tgt, _, _) in enumerate(pairs, 1):
        for text in (src, tgt):
            # a character is at most 4 bytes: only a long text needs encoding to be measured
            if len(text) > MAX_SEGMENT_BYTES // 4 and len(text.encode("utf-8", "replace")) > MAX_SEGMENT_BYTES:
                raise AlignerError(
                    f"pair {k} has a text of {len(text.encode('utf-8', 'replace')):,} bytes, more than TMX readers "
                    f"take in one segment (libxml2's {MAX_SEGMENT_BYTES:,}); use tsv or jsonl", name)


class TmxWriter(Writer):
    """TMX 1.4: a header (languages, the signature; a single document's metadata), then one
    `<tu>` per bead with both sides. The header is written with the first document, whose
    source language it names. In a batch each unit carries its document's name and
    metadata as `x-document` and `x-title`... properties, and a document whose status is not
    ok its `x-status`; tuids run on across documents. A unit whose bead has a machine note
    (its translation keeps Chinese text) carries it as `x-note`."""

    name = "tmx"

    def __init__(self, out, batch=False, created=None):
        super().__init__(out, batch, created)
        self._started = False
        self._number = 0

    def _header(self, srclang: str, metadata: dict[str, str], signature: str, figures: dict[str, str]) -> None:
        header = ET.Element(
            "header",
            {
                "creationtool": "aligner",
                "creationtoolversion": __version__,
                "segtype": "sentence",
                "o-tmf": "aligner",
                "adminlang": "en-US",
                "srclang": xml_text(srclang),
                "datatype": "plaintext",
                "creationdate": tmx_date(self.created),
            },
        )
        for type_, value in metadata_props(metadata):
            _prop(header, type_, value)
        _prop(header, SIGNATURE_PROP, signature)
        for key, value in figures.items():
            _prop(header, key, value)
        self._write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n' + _element(header, 1) + "  <body>\n")
        self._started = True

    def add(self, doc: AlignedDocument, name: str | None = None, summary: DocumentSummary | None = None) -> None:
        if not self._started:
            if self.batch:  # figures per document are in the batch's summary table
                self._header(doc.src.lang, {}, doc.signature, {})
            else:
                self._header(doc.src.lang, doc.metadata, doc.signature, header_figures(summary or DocumentSummary.of(doc, "")))
        pairs = doc.pairs()
        _check_segments(pairs, name)
        src_lang, tgt_lang = xml_text(doc.src.lang), xml_text(doc.tgt.lang)
        shared = ""  # the document's properties, the same on each of its units
        if self.batch:
            status = [("x-status", doc.status.status)] if doc.status is not None and doc.status.status != "ok" else []
            shared = _prop_lines([("x-document", name or ""), *metadata_props(doc.metadata), *status])
        units = []
        for k, (src, tgt, score, bead) in enumerate(pairs):
            self._number += 1
            if not is_unit(src, tgt):  # a sentence left unpaired, or a pair without text
                continue
            src, tgt = xml_text(src), xml_text(tgt)
            props = [("x-score", f"{score:.2f}")]
            if doc.indexed:  # a table read back without indices (TSV) has no bead shapes either
                props += [("x-bead", bead_type(bead)), ("x-src-index", ",".join(map(str, bead[0]))),
                          ("x-tgt-index", ",".join(map(str, bead[1])))]
            if doc.note(k):
                props.append(("x-note", doc.note(k)))
            own = _prop_lines(props)
            units.append(f'    <tu tuid="{self._number}">\n{shared}{own}{_tuv_lines(src_lang, src)}{_tuv_lines(tgt_lang, tgt)}    </tu>\n')
        self._write("".join(units))

    def close(self) -> None:
        if not self._started:  # no document at all: an empty memory, still valid TMX
            self._header("*all*", {}, "", {})
        self._write("  </body>\n</tmx>\n")
