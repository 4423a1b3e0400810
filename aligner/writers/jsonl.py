"""JSON Lines output: one object per bead, for scripts and data pipelines."""

from __future__ import annotations

import json

from aligner.beads import bead_type
from aligner.document import AlignedDocument
from aligner.summary import DocumentSummary
from aligner.writers.base import Writer, utf8_safe

# Line breaks JSON leaves raw inside strings but `str.splitlines` and some editors split on.
_RAW_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _escape_breaks(line: str) -> str:
    # str.translate with a table walks every character in Python-level lookups: half of the
    # writer's time on articles, where these characters almost never occur
    if "\x85" in line or "\u2028" in line or "\u2029" in line:
        return line.translate(_RAW_BREAKS)
    return line


#: the `type` of a row of added text (a glossary), which is in no bead
ADDED_TYPE = "added"


def json_metadata(metadata: dict) -> dict:
    """A document's metadata as each JSONL line's `meta` holds it (the report's page saves the same)."""
    return {utf8_safe(str(k)): utf8_safe(v) if isinstance(v, str) else v for k, v in metadata.items()}


class JsonlWriter(Writer):
    """One JSON object per bead: the texts, 0-based sentence indices, type, score,
    languages and the document's `meta`; in a batch also its `document` name; `note`, the
    row's machine note, when it has one. Indices and type are null when not known (a TSV
    read back by `aligner convert`). Text the translation added (a glossary) is an object
    of type 'added', with empty indices and its note."""

    name = "jsonl"

    def add(self, doc: AlignedDocument, name: str | None = None, summary: DocumentSummary | None = None) -> None:
        meta = json_metadata(doc.metadata)
        lines = []
        for row in doc.rows():
            src, tgt, score, bead = row.src, row.tgt, row.score, row.bead or ((), ())
            record = {
                "src": utf8_safe(src),
                "tgt": utf8_safe(tgt),
                "src_idx": list(bead[0]) if doc.indexed else None,
                "tgt_idx": list(bead[1]) if doc.indexed else None,
                "type": (ADDED_TYPE if row.added else bead_type(bead)) if doc.indexed else None,
                "score": round(float(score), 4),
                "src_lang": doc.src.lang,
                "tgt_lang": doc.tgt.lang,
                "meta": meta,
            }
            if self.batch:
                record["document"] = utf8_safe(name or "")
            if row.note:
                record["note"] = utf8_safe(row.note)
            lines.append(_escape_breaks(json.dumps(record, ensure_ascii=False)) + "\n")
        self._write("".join(lines))
