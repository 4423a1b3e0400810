"""JSON Lines output: one object per bead, for scripts and data pipelines."""

from __future__ import annotations

import json
import re

from aligner.beads import bead_type
from aligner.document import AlignedDocument

# A lone surrogate (e.g. from a file decoded with surrogateescape) cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


# Line breaks JSON leaves raw inside strings but `str.splitlines` and some editors split on.
_RAW_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _utf8_safe(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def render(doc: AlignedDocument) -> str:
    """One JSON object per line with the texts, 0-based sentence indices, type, score, languages and `meta`."""
    meta = {_utf8_safe(str(k)): _utf8_safe(v) if isinstance(v, str) else v for k, v in doc.metadata.items()}
    lines = []
    for src, tgt, score, bead in doc.pairs():
        record = {
            "src": _utf8_safe(src),
            "tgt": _utf8_safe(tgt),
            "src_idx": list(bead[0]),
            "tgt_idx": list(bead[1]),
            "type": bead_type(bead),
            "score": round(float(score), 4),
            "src_lang": doc.src.lang,
            "tgt_lang": doc.tgt.lang,
            "meta": meta,
        }
        lines.append(json.dumps(record, ensure_ascii=False).translate(_RAW_BREAKS) + "\n")
    return "".join(lines)
