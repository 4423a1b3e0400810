"""Vecalign bead output: '[0,1]:[2]' per line, the format Vecalign's and Bertalign's scorers read."""

from __future__ import annotations

from aligner.beads import format_bead
from aligner.document import AlignedDocument
from aligner.plumbing.errors import AlignerError
from aligner.summary import DocumentSummary
from aligner.writers.base import Writer


class VecalignWriter(Writer):
    """Every bead in document order, empty sides as '[]'. Indices are per document, so
    the format holds one document."""

    name = "vecalign"
    mergeable = False

    def add(self, doc: AlignedDocument, name: str | None = None, summary: DocumentSummary | None = None) -> None:
        if not doc.indexed:
            raise AlignerError("vecalign output needs sentence indices, which this alignment does not have "
                               "(a TSV has none: convert the XLSX or JSONL instead)", name)
        self._write("".join(format_bead(b) + "\n" for b in doc.beads))
