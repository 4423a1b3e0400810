"""A workbook checked against a spreadsheet's own limits before it is read (`aligner convert`);
a Word document's zip checked for its inflated size (`check_inflated`) before it is read.

Workbooks travel by e-mail, and an XLSX is a zip of XML that openpyxl reads as it finds
it: a 2 KB file with `<row r="1e18">` made it fill in empty rows forever, a small zip
inflated to gigabytes, a small one held a cell of half a billion characters. `check_workbook` reads the zip's directory and streams every sheet and the
shared strings through expat once, counting instead of keeping, and refuses in one line,
before the work:

- more inflated bytes than UNZIP_RATIO times the input size cap (a zip's directory says
  how many each member inflates to, and zipfile never gives more than that);
- a row or column beyond Excel's limits (1,048,576 rows, 16,384 columns, XFD);
- a cell text longer than Excel's 32,767 characters;
- a formula cell without its computed value (written by a program, never calculated):
  openpyxl reads it as empty, and the row would silently lose its text or score;
- a document type declaration (Excel never writes one; entities are how XML bombs work).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from io import BytesIO
from xml.parsers import expat

from aligner.plumbing.errors import AlignerError
from aligner.plumbing.inputs import format_size, max_input_size
from aligner.writers.xlsx import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS

# Text workbooks inflate a few times (docs/decisions.md, Reading); a zip bomb thousands of
# times. The inflated workbook may be this many times the input size cap (--max-input-size).
UNZIP_RATIO = 8

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
_ROW = re.compile(r"[0-9]{1,7}")
# elements whose text is a cell's content: its value, inline string text, formula
_TEXT = {f"{_MAIN} v", f"{_MAIN} t", f"{_MAIN} f"}
_CHUNK = 1 << 20


def check_workbook(path: str, data: bytes) -> None:
    """Refuse (AlignerError naming `path` and the place) a workbook beyond the limits above;
    a zip that is no workbook is left to the reader's own error."""
    try:
        book = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return
    with book:
        check_inflated(path, book, "the workbook")
        names = _sheet_names(book)
        for info in book.infolist():
            member = info.filename
            if member.startswith("xl/worksheets/") and member.endswith(".xml"):
                _SheetCheck(path, f"sheet {names.get(member, member)!r}").run(book, member)
            elif member == "xl/sharedStrings.xml":
                _StringsCheck(path, "the shared strings").run(book, member)


def check_inflated(path: str, book: zipfile.ZipFile, what: str) -> None:
    """Refuse a zip (a workbook, a Word document) whose members inflate to more than
    UNZIP_RATIO times the input size cap, by the sizes its directory declares."""
    inflated = sum(info.file_size for info in book.infolist())
    cap = UNZIP_RATIO * max_input_size()
    if inflated > cap:
        raise AlignerError(f"{what} inflates to {format_size(inflated)}, more than {format_size(cap)} "
                           f"({UNZIP_RATIO} times the input size limit; --max-input-size raises it)", path)


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet member's sheet name, from the workbook and its relationships (empty
    when they cannot be read: errors then name the member)."""
    targets: dict[str, str] = {}
    names: dict[str, str] = {}

    def rel(tag: str, attrs: dict) -> None:
        if tag == f"{_PACKAGE_RELS} Relationship" and "Id" in attrs and "Target" in attrs:
            target = attrs["Target"]
            targets[attrs["Id"]] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))

    def sheet(tag: str, attrs: dict) -> None:
        if tag == f"{_MAIN} sheet" and f"{_RELS} id" in attrs and attrs[f"{_RELS} id"] in targets:
            names[targets[attrs[f"{_RELS} id"]]] = attrs.get("name", "")

    try:
        for member, start in (("xl/_rels/workbook.xml.rels", rel), ("xl/workbook.xml", sheet)):
            parser = _parser()
            parser.StartElementHandler = start
            parser.Parse(book.read(member), True)
    except (KeyError, expat.ExpatError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    return names


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse(*_args) -> None:
        raise ValueError("a document type declaration")

    parser.StartDoctypeDeclHandler = refuse
    return parser


class _Check:
    """One member streamed through expat; subclasses count what they must."""

    def __init__(self, path: str, where: str):
        self.path, self.where = path, where

    def fail(self, problem: str) -> AlignerError:
        return AlignerError(f"{self.where}{problem}", self.path)

    def run(self, book: zipfile.ZipFile, member: str) -> None:
        parser = _parser()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        try:
            with book.open(member) as fh:
                while chunk := fh.read(_CHUNK):
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except ValueError as e:  # a document type declaration
            raise self.fail(f": {e}, which a workbook never holds") from None
        except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError):
            return  # damaged: the reader says so in its own words

    def start(self, tag: str, attrs: dict) -> None: ...

    def end(self, tag: str) -> None: ...

    def text(self, data: str) -> None: ...


class _SheetCheck(_Check):
    """Row and column numbers, cell text lengths, formulas without a value."""

    def __init__(self, path: str, where: str):
        super().__init__(path, where)
        self.row = 0
        self.column = 0
        self.cell = ""  # the current cell's reference, '' outside a cell
        self.chars = 0  # text in the current cell (its value and inline string)
        self.formula = self.value = False
        self.counting = False

    def start(self, tag: str, attrs: dict) -> None:
        if tag == f"{_MAIN} c":
            ref = attrs.get("r")
            if ref is None:
                self.column += 1
            else:
                m = _CELL_REF.fullmatch(ref)
                if m is None:
                    raise self.fail(f" row {self.row}: cell reference {ref[:20]!r} is not one such as B3")
                self.column = _column_number(m.group(1))
                self._check_row(int(m.group(2)), ref)
            if self.column > MAX_COLUMNS:
                raise self.fail(f" cell {ref or self.column}: beyond the last column a spreadsheet has "
                                f"({MAX_COLUMNS:,}, XFD)")
            self.cell = ref or f"{_column_letters(self.column)}{self.row}"
            self.chars, self.formula, self.value = 0, False, False
        elif tag == f"{_MAIN} row":
            number = attrs.get("r")
            if number is None:
                self._check_row(self.row + 1, str(self.row + 1))
            elif _ROW.fullmatch(number):
                self._check_row(int(number), number)
            else:
                raise self.fail(f": row number {number[:20]!r} is not a number from 1 to {MAX_ROWS:,}")
            self.column = 0
        elif tag in _TEXT and self.cell:
            self.counting = tag != f"{_MAIN} f"
            self.formula = self.formula or not self.counting

    def _check_row(self, number: int, shown: str) -> None:
        if not 1 <= number <= MAX_ROWS:
            raise self.fail(f": row {shown[:20]} is beyond the rows a spreadsheet has (1 to {MAX_ROWS:,})")
        self.row = number

    def text(self, data: str) -> None:
        if self.counting:
            self.chars += len(data)
            self.value = self.value or bool(data)
            if self.chars > MAX_CELL_CHARS:
                raise self.fail(f" cell {self.cell}: a text of more than {MAX_CELL_CHARS:,} characters, "
                                "more than a spreadsheet cell holds")

    def end(self, tag: str) -> None:
        if tag in _TEXT:
            self.counting = False
        elif tag == f"{_MAIN} c":
            if self.formula and not self.value:
                raise self.fail(f" cell {self.cell}: a formula without its computed value (the file was written "
                                "by a program and never calculated); open and save it in a spreadsheet, or "
                                "replace the formula by its value")
            self.cell = ""


class _StringsCheck(_Check):
    """The length of each shared string (`<si>`, its runs of text together)."""

    def __init__(self, path: str, where: str):
        super().__init__(path, where)
        self.number = 0
        self.chars = 0
        self.counting = False

    def start(self, tag: str, attrs: dict) -> None:
        if tag == f"{_MAIN} si":
            self.number += 1
            self.chars = 0
        elif tag == f"{_MAIN} t":
            self.counting = True

    def end(self, tag: str) -> None:
        if tag == f"{_MAIN} t":
            self.counting = False

    def text(self, data: str) -> None:
        if self.counting:
            self.chars += len(data)
            if self.chars > MAX_CELL_CHARS:
                raise self.fail(f": string {self.number} is a text of more than {MAX_CELL_CHARS:,} characters, "
                                "more than a spreadsheet cell holds")


def _column_number(letters: str) -> int:
    number = 0
    for c in letters.upper():
        number = number * 26 + ord(c) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
