"""Vecalign bead output: '[0,1]:[2]' per line, the format Vecalign's and Bertalign's scorers read."""

from __future__ import annotations

from aligner.beads import format_bead
from aligner.document import AlignedDocument


def render(doc: AlignedDocument) -> str:
    """Every bead in document order, empty sides as '[]'."""
    return "".join(format_bead(b) + "\n" for b in doc.beads)
