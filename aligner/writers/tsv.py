"""TSV output: source, tab, translation, tab, score; one line per bead, no header."""

from __future__ import annotations

import re

from aligner.document import AlignedDocument

# Tab plus every character `str.splitlines` breaks on: any of them inside a field
# would shift columns or split a bead over two lines for some reader.
_BREAKS = re.compile("[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# A lone surrogate (e.g. from a file decoded with surrogateescape) cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_field(text: str) -> str:
    """One TSV field: tabs and line breaks become spaces, lone surrogates U+FFFD."""
    return _SURROGATE.sub("\ufffd", _BREAKS.sub(" ", text))


def render(doc: AlignedDocument) -> str:
    """Every bead, empty sides included (as an empty field), score with 2 decimals."""
    return "".join(
        f"{clean_field(src)}\t{clean_field(tgt)}\t{score:.2f}\n"
        for src, tgt, score, _ in doc.pairs()
    )
