"""XLSX output: a workbook to review and correct in a spreadsheet (Excel, LibreOffice,
WPS), read back by `aligner convert` (`readers/table.py`).

The first sheet, "pairs", has one row per bead: `source, translation, score, status, type`,
the sentence numbers `src_no, tgt_no` (counted from 1, as people count; JSONL's and TMX's
`*_idx` are the 0-based indices), and in a batch `document`. `status` is `ok` in every row;
a reviewer sets it to `wrong` (a list to pick from) to leave the pair out of the memory
(`aligner convert` puts it in the rejects). The header is frozen, its cells explain their
column in a comment, text wraps, doubtful rows (`aligner.review`) are shaded and an
unpaired sentence is a row with one side empty; an autofilter lets the reviewer sort and
filter by score.
The second sheet, "metadata", holds `key, value` rows: each document's languages,
signature and header fields. openpyxl's write-only mode streams rows to a temporary file,
so the workbook costs no memory beyond the aligned document (peak RSS of aligning the
Bible pair: 236 MB writing tsv or xlsx); the zip members carry the `created` time, so one
document gives the same bytes every time.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timezone

from aligner.beads import bead_type, sentence_numbers
from aligner.document import AlignedDocument
from aligner.plumbing.chars import xml_chars
from aligner.plumbing.errors import AlignerError
from aligner.review import DOUBTFUL_BELOW, OK, STATUSES, WRONG, is_doubtful
from aligner.summary import DocumentSummary
from aligner.version import __version__
from aligner.writers.base import Writer, utf8_safe

PAIR_COLUMNS = ("source", "translation", "score", "status", "type", "src_no", "tgt_no")
STATUS_COLUMN = "status"
#: the sentence-number columns: counted from 1 (`src_no`), or from 0 in workbooks written
#: before the numbering for people (`src_idx`), which `aligner convert` still reads
NUMBER_COLUMNS, INDEX_COLUMNS = ("src_no", "tgt_no"), ("src_idx", "tgt_idx")
DOCUMENT_COLUMN = "document"
#: what each column's header cell says in its comment
COLUMN_NOTES = {
    "source": "The source text of the pair. Correct it in place; empty it if it is no original of the translation.",
    "translation": "The translation of the pair. Correct it in place; empty it if it is no translation of the source.",
    "score": "The aligner's confidence that the pair is exactly right (0 to 1). Doubtful rows are shaded.",
    STATUS_COLUMN: f"{OK} (the default) or {WRONG}. A pair marked {WRONG} is left out of the translation memory "
                   f"'aligner convert' makes, and goes to its rejects file (OUTPUT.rejects.tsv) with its sentences.",
    "type": "The pair's shape: source sentences-target sentences (1-2: one sentence translated by two).",
    "src_no": "The source sentences of the pair, counted from 1 (15,16: the 15th and 16th).",
    "tgt_no": "The target sentences of the pair, counted from 1.",
    DOCUMENT_COLUMN: "The document the pair comes from.",
}
META_COLUMNS = ("key", "value")
PAIRS_SHEET, META_SHEET = "pairs", "metadata"
#: metadata keys the workbook writes for every document (the rest are its header fields)
LANG_KEYS = ("src_lang", "tgt_lang")
SIGNATURE_KEY = "signature"
#: metadata keys that describe the workbook, not a document (not read back)
INFO_KEYS = ("created", "aligner", "doubtful_below")

# Column widths in characters: a Chinese character takes two (Excel's unit is a digit).
_WIDTHS = {"source": 60, "translation": 70, "score": 7, "status": 8, "type": 6, "src_no": 9, "tgt_no": 9, "document": 28}
_DOUBT_FILL = "FFE0B2"  # light orange, as the report's doubtful rows
_HEADER_FILL = "CFD8DC"
# Excel's limits (https://support.microsoft.com/office/excel-specifications-and-limits):
# a longer cell or a further row makes the file fail to open, so refuse them here.
MAX_CELL_CHARS = 32_767
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384


def cell_text(text: str) -> str:
    """A text as a cell can hold it: no character XML 1.0 forbids, no lone surrogate."""
    return utf8_safe(xml_chars(text))


def number_cell(side: tuple[int, ...]) -> int | str | None:
    """A side's sentences as a cell, counted from 1: one a number, several '15,16', none empty."""
    if not side:
        return None
    return side[0] + 1 if len(side) == 1 else sentence_numbers(side)


_DOUBTFUL = " doubtful"


def _add_styles(book) -> None:
    """The workbook's cell styles, named once (a reviewer can restyle them in one place).
    Naming the style on each cell was faster than setting its alignment and fill
    (alternating runs on 5,000 rows)."""
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill

    top, wrap = Alignment(vertical="top"), Alignment(wrap_text=True, vertical="top")
    shade = PatternFill("solid", fgColor=_DOUBT_FILL)
    book.add_named_style(NamedStyle("header", font=Font(bold=True), fill=PatternFill("solid", fgColor=_HEADER_FILL)))
    for doubt in ("", _DOUBTFUL):
        fill = {"fill": shade} if doubt else {}
        book.add_named_style(NamedStyle("text" + doubt, alignment=wrap, **fill))
        book.add_named_style(NamedStyle("score" + doubt, alignment=top, number_format="0.00", **fill))
        book.add_named_style(NamedStyle("cell" + doubt, alignment=top, **fill))


# Excel and LibreOffice read _xHHHH_ in a cell's text as the character U+HHHH (how OOXML
# writes controls); openpyxl writes text as it is, so a text holding such a sequence would
# show as another text. Its underscore escaped (_x005F_) it reads as written.
_OOXML_ESCAPE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")


def ooxml_escaped(text: str) -> str:
    """`text` as a cell stores it so that a spreadsheet shows `text`: '_x0041_' -> '_x005F_x0041_'."""
    return _OOXML_ESCAPE.sub("_x005F_", text) if "_x" in text else text


def _cell(sheet, value, style: str, note: str | None = None):
    """A cell of a write-only sheet in one of the named styles, with a comment `note`; text
    stays text, even when it starts with '=' (no formula), and reads as written
    (`ooxml_escaped`)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        value = ooxml_escaped(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.style = style
    if note:
        from openpyxl.comments import Comment

        cell.comment = Comment(note, "aligner", width=320, height=90)
    return cell


class _PinnedZip(zipfile.ZipFile):
    """A zip archive whose members all carry one timestamp (openpyxl would stamp each
    with the current time), streaming files into it rather than reading them whole."""

    def __init__(self, out, when: tuple[int, int, int, int, int, int]):
        super().__init__(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._when = when

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self._when)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):
        info = self._info(arcname or os.path.basename(filename))
        big = os.path.getsize(filename) > zipfile.ZIP64_LIMIT // 2
        with open(filename, "rb") as src, self.open(info, "w", force_zip64=big) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)


@contextmanager
def _io_errors() -> Iterator[None]:
    """lxml, when installed, is what openpyxl writes the sheet's temporary file with, and it
    reports a failed write as SerialisationError ('IO_ENOSPC'): raise it as the OSError it
    stands for, which the output's writer reports in one line like any other failed write.
    Without lxml (a plain install: it is no dependency) openpyxl writes with the standard
    library, whose failed writes are OSErrors already."""
    try:
        from lxml.etree import SerialisationError
    except ImportError:
        SerialisationError = ()  # an empty tuple of exception types: catches nothing

    try:
        yield
    except SerialisationError as e:
        code = getattr(errno, str(e).removeprefix("IO_"), None) if str(e).startswith("IO_") else None
        raise OSError(code or errno.EIO, os.strerror(code or errno.EIO) + " (the workbook's temporary sheet)") from e


class XlsxWriter(Writer):
    """The review workbook; `threshold` sets which rows are shaded as doubtful."""

    name = "xlsx"
    binary = True

    def __init__(self, out, batch=False, created=None, threshold: float = DOUBTFUL_BELOW):
        super().__init__(out, batch, created)
        from openpyxl import Workbook

        self.threshold = threshold
        self._book = Workbook(write_only=True)
        _add_styles(self._book)
        self._sheet = self._book.create_sheet(PAIRS_SHEET)
        self._columns = PAIR_COLUMNS + ((DOCUMENT_COLUMN,) if batch else ())
        self._rows = 1
        self._meta: list[tuple] = []
        self._zip: zipfile.ZipFile | None = None
        self._setup(self._sheet, self._columns, COLUMN_NOTES)

    def _setup(self, sheet, columns, notes: dict[str, str] | None = None) -> None:
        """Widths, frozen header and the header row, each header cell with its column's
        note if any (write-only sheets take them before any row)."""
        from openpyxl.utils import get_column_letter

        for i, column in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(column, 40 if column == "value" else 16)
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, column, "header", (notes or {}).get(column)) for column in columns])

    def add(self, doc: AlignedDocument, name: str | None = None, summary: DocumentSummary | None = None) -> None:
        with _io_errors():
            self._add(doc, name)

    def _add(self, doc: AlignedDocument, name: str | None) -> None:
        # every pair checked before the first row is written: a document refused leaves the
        # sheet as it was (a batch then goes on without it)
        pairs = [(cell_text(src), cell_text(tgt), score, bead) for src, tgt, score, bead in doc.pairs()]
        if self._rows + len(pairs) > MAX_ROWS:
            raise AlignerError(f"more than {MAX_ROWS - 1:,} pairs do not fit in one spreadsheet; use tsv or jsonl", name)
        for k, (src, tgt, _, _) in enumerate(pairs, self._rows):
            longest = max(len(src), len(tgt))
            if longest > MAX_CELL_CHARS:
                raise AlignerError(
                    f"pair {k} has a text of {longest:,} characters, more than a spreadsheet "
                    f"cell holds ({MAX_CELL_CHARS:,}); use tsv or jsonl", name)
        for src, tgt, score, bead in pairs:
            self._rows += 1
            doubt = _DOUBTFUL if is_doubtful(src, tgt, score, self.threshold) else ""
            ws = self._sheet
            row = [
                _cell(ws, src, "text" + doubt),
                _cell(ws, tgt, "text" + doubt),
                _cell(ws, float(score), "score" + doubt),
                _cell(ws, OK, "cell" + doubt),
                _cell(ws, bead_type(bead) if doc.indexed else None, "cell" + doubt),
                _cell(ws, number_cell(bead[0]) if doc.indexed else None, "cell" + doubt),
                _cell(ws, number_cell(bead[1]) if doc.indexed else None, "cell" + doubt),
            ]
            if self.batch:
                row.append(_cell(ws, cell_text(name or ""), "cell" + doubt))
            ws.append(row)
        fields = [(LANG_KEYS[0], doc.src.lang), (LANG_KEYS[1], doc.tgt.lang), (SIGNATURE_KEY, doc.signature)]
        fields += [(str(k), str(v)) for k, v in doc.metadata.items()]
        doc_name = (cell_text(name or ""),) if self.batch else ()
        self._meta += [(cell_text(k), cell_text(v), *doc_name) for k, v in fields]

    def abort(self) -> None:
        """Finish the half-written sheet and zip and delete the sheet's temporary file. Left
        open, openpyxl and zipfile would try again when collected and print their errors
        (a full disk, a signal mid-write) as tracebacks on standard error; the caller
        discards the output, so their failures here are of no interest."""
        finishers = [sheet.close for sheet in self._book.worksheets if not sheet.closed]
        for finish in finishers + ([self._zip.close] if self._zip else []):
            try:
                finish()
            except Exception:  # noqa: BLE001 - the output is discarded; the first error is reported
                pass
        for sheet in self._book.worksheets:
            if sheet._writer is not None and os.path.exists(sheet._writer.out):
                sheet._writer.cleanup()

    def close(self) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation
        from openpyxl.writer.excel import ExcelWriter

        self._sheet.auto_filter.ref = f"A1:{get_column_letter(len(self._columns))}{self._rows}"
        if self._rows > 1:  # the status cells offer ok and wrong to pick from, and refuse other values
            status = get_column_letter(self._columns.index(STATUS_COLUMN) + 1)
            choice = DataValidation(type="list", formula1=f'"{",".join(STATUSES)}"', allow_blank=True,
                                    showErrorMessage=True, errorTitle="status",
                                    error=f"{OK} or {WRONG}: {WRONG} leaves the pair out of the memory")
            choice.add(f"{status}2:{status}{self._rows}")
            self._sheet.data_validations.append(choice)
        meta = self._book.create_sheet(META_SHEET)
        columns = META_COLUMNS + ((DOCUMENT_COLUMN,) if self.batch else ())
        self._setup(meta, columns)
        created = self.created if self.created.tzinfo else self.created.replace(tzinfo=timezone.utc)
        when = created.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
        blank = ("",) if self.batch else ()
        for row in [("created", when.isoformat() + "Z", *blank), ("aligner", __version__, *blank),
                    ("doubtful_below", self.threshold, *blank), *self._meta]:
            meta.append([_cell(meta, value, "text") for value in row])
        self._book.properties.creator = "aligner"
        self._book.properties.created = self._book.properties.modified = when
        self._zip = _PinnedZip(self.out, when.timetuple()[:6])
        with _io_errors():
            ExcelWriter(self._book, self._zip).save()
