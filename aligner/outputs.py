"""Where a run's results go: the main output and, beside it, the files asked for with it,
written together. The one sink of `aligner align` (one document), `aligner batch` (one
document after another, in input order) and `aligner convert` (a table's documents).

- the main output, in any format (a batch's documents each under their name): what a
  filter keeps of each document (`--min-confidence`: `filtering.split_beads`; convert: the
  rows not marked wrong, `filtering.split_wrong`), else all of it;
- the rejects, OUTPUT.rejects.tsv: what the filter left out;
- the summary table (`--summary`): a row per document, failed ones too;
- the report (`--report`): the HTML report of each document as given (with
  `--min-confidence`, its rejected pairs too).

Each file is written to a temporary file and replaces its old version when the run
completes, all of them together (`plumbing.atomic.written_together`): a run that fails
leaves every old file as it was. A run that wrote no document it could align (every
document of a batch failed) gives up its results (`Outputs.abandon`) and writes the
summary alone, which says why.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime

from aligner.cleaning import is_unit
from aligner.document import AlignedDocument
from aligner.filtering import RejectsWriter, Split, rejects_path
from aligner.plumbing.atomic import atomic_open, written_together
from aligner.summary import DocumentSummary, header_line, tsv_line
from aligner.writers import open_writer
from aligner.writers.base import Writer


class Written:
    """What one document gave the main output: `kept`, the document or what a filter kept of
    it (None: nothing), and `rejected`, the number of beads the filter left out."""

    def __init__(self, kept: AlignedDocument | None = None, rejected: int = 0, units: int | None = None):
        self.kept, self.rejected, self._units = kept, rejected, units

    @property
    def units(self) -> int:
        """The units (`cleaning.is_unit`) among the beads kept, counted when first asked for."""
        if self._units is None:
            pairs = self.kept.pairs() if self.kept is not None else []
            self._units = sum(1 for src, tgt, _, _ in pairs if is_unit(src, tgt))
        return self._units


class Outputs:
    """The open files of a run (`open_outputs`), fed one document at a time."""

    def __init__(self, writer: Writer, rejects: RejectsWriter | None, report: Writer | None, summary_fh, batch: bool):
        self.writer, self.rejects, self.report, self.summary_fh, self.batch = writer, rejects, report, summary_fh, batch
        self.abandoned = False

    def add(self, doc: AlignedDocument, summary: DocumentSummary | None = None, name: str | None = None,
            split: Split | None = None) -> Written:
        """Write a document: `split.kept` to the main output and `split.rejected` to the
        rejects (when they are open) if a filter split it, else all of `doc` to the main
        output; `doc` to the report; its row `summary` (its figures; in a batch, named as the
        document is unless `name` names it) to the summary table. A writer that cannot hold
        the document (a segment too long for TMX, a cell for XLSX) raises AlignerError before
        writing any of it."""
        if not self.batch:
            name = None
        elif name is None and summary is not None:
            name = summary.document
        kept = doc if split is None else split.kept
        self.writer.add(kept, name, summary)
        if split is not None and self.rejects is not None:
            self.rejects.add(split.rejected, name)
        if self.report is not None:
            self.report.add(doc, name, summary)
        self._row(summary)
        if split is None:  # the summary has counted the units already
            return Written(kept, units=summary.units if summary is not None else None)
        return Written(kept, len(split.rejected.beads))

    def add_failure(self, summary: DocumentSummary) -> None:
        """A document that could not be aligned (`summary.message` says why): a row of the
        summary, and of the formats that list a batch's documents (the report's index)."""
        self.writer.add_failure(summary.document, summary)
        if self.report is not None:
            self.report.add_failure(summary.document, summary)
        self._row(summary)

    def abandon(self) -> None:
        """Leave the main output, the rejects and the report as they were (the summary is
        still written)."""
        self.abandoned = True

    def _row(self, summary: DocumentSummary | None) -> None:
        if self.summary_fh is not None and summary is not None:
            self.summary_fh.write(tsv_line(summary))


class _Abandoned(Exception):
    """Raised inside the results' files to abort them (`Outputs.abandon`)."""


@contextmanager
def open_outputs(output: str | None, fmt: str, *, batch: bool = False, created: datetime | None = None,
                 writer_options: dict | None = None, rejects: bool = False, summary: str | None = None,
                 report: str | None = None) -> Iterator[Outputs]:
    """The outputs of a run: the main output `output` in format `fmt` ('-' or None:
    standard output), with `rejects` the rejects beside it (`filtering.rejects_path`), the
    summary table and the HTML report when given their paths. `created` is the time headers
    carry (default: now); `writer_options` go to the main output's writer (TSV's `header`)."""
    with written_together(), ExitStack() as files:
        summary_fh = files.enter_context(atomic_open(summary, "w")) if summary is not None else None
        if summary_fh is not None:
            summary_fh.write(header_line())
        try:
            with ExitStack() as results:
                writer = results.enter_context(open_writer(output, fmt, batch=batch, created=created,
                                                           **(writer_options or {})))
                rejected = None
                if rejects:
                    fh = results.enter_context(atomic_open(rejects_path(output), "wb"))
                    rejected = RejectsWriter(fh, batch=batch, created=created)
                    results.callback(rejected.close)  # runs before its file is closed and renamed
                html = None
                if report is not None:
                    html = results.enter_context(open_writer(report, "html", batch=batch, created=created))
                sink = Outputs(writer, rejected, html, summary_fh, batch)
                yield sink
                if sink.abandoned:
                    raise _Abandoned
        except _Abandoned:
            pass
