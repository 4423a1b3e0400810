"""TSV output: source, tab, translation, tab, score; one line per bead, no header unless asked.

The bitext convention: no quoting, so tabs and line breaks inside text become spaces.
In a batch a fourth column names the document. With the header row (`--header`) a last
column, `note`, holds each row's machine note (`document.Row`: why a row is one-sided or
flagged); without it the columns stay the three (four) of the convention. Text the
translation added (a glossary) is a row with an empty source either way.
"""

from __future__ import annotations

import re

from aligner.document import AlignedDocument
from aligner.summary import DocumentSummary
from aligner.writers.base import Writer

# Tab plus every character `str.splitlines` breaks on: any of them inside a field
# would shift columns or split a bead over two lines for some reader.
_BREAKS = re.compile("[\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def clean_field(text: str) -> str:
    """One TSV field: tabs and line breaks become spaces."""
    return _BREAKS.sub(" ", text)


#: the header row `--header` adds (and `aligner convert` recognises)
HEADER = ("source", "translation", "score")
DOCUMENT_HEADER = "document"
NOTE_HEADER = "note"


class TsvWriter(Writer):
    """Every bead, empty sides included (as an empty field), score with 2 decimals;
    `header` starts with a row naming the columns."""

    name = "tsv"

    def __init__(self, out, batch=False, created=None, header: bool = False):
        super().__init__(out, batch, created)
        self.notes = header
        if header:
            self._write("\t".join(HEADER + ((DOCUMENT_HEADER,) if batch else ()) + (NOTE_HEADER,)) + "\n")

    def add(self, doc: AlignedDocument, name: str | None = None, summary: DocumentSummary | None = None) -> None:
        last = f"\t{clean_field(name or '')}" if self.batch else ""
        if not self.notes:
            self._write("".join(
                f"{clean_field(r.src)}\t{clean_field(r.tgt)}\t{r.score:.2f}{last}\n" for r in doc.rows()))
            return
        self._write("".join(
            f"{clean_field(r.src)}\t{clean_field(r.tgt)}\t{r.score:.2f}{last}\t{clean_field(r.note)}\n"
            for r in doc.rows()))
