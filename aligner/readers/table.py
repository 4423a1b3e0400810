"""Alignment tables read back after review (`aligner convert`): the XLSX workbook, a TSV
(header-less as `align` writes it, or with `--header`'s row) and JSONL, as AlignedDocuments;
and a translation memory (TMX, `readers/tmx.py`) as such a table.

What the reviewer did is kept: edited text is taken as it stands; a deleted row is gone;
a row with one side emptied becomes an unpaired sentence (left out of TMX); a row emptied
on both sides, like align's rows of a --presplit input's blank lines, keeps its place and
its indices (unless a row with text has them); a row whose status is `wrong` (the
workbook's status column, a JSONL line's status) is marked so, to be left out of the
memory and written to the rejects. The workbook and JSONL carry sentence indices (the
workbook's `src_no, tgt_no` count from 1; its older `src_idx, tgt_idx` and JSONL's count
from 0), so the beads keep them; a TSV has none, so its documents are marked not
`indexed` and writers leave indices and bead types out. Rows are taken in the table's
order. Anything that is not such a table gets a one-line error naming the file and the row.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO

from aligner.beads import claim_sentences
from aligner.document import ReviewedDocument, Text
from aligner.plumbing.errors import AlignerError, AlignerWarning
from aligner.readers.jsonlines import json_objects
from aligner.readers.rows import Row, checked_indices, score_cell
from aligner.readers.tmx import is_tmx, read_tmx
from aligner.review import OK, STATUSES, WRONG
from aligner.writers.jsonl import ADDED_TYPE
from aligner.writers.tsv import DOCUMENT_HEADER, HEADER, NOTE_HEADER
from aligner.writers.xlsx import (DOCUMENT_COLUMN, INDEX_COLUMNS, INFO_KEYS, LANG_KEYS, META_SHEET, NUMBER_COLUMNS,
                                  PAIRS_SHEET, SIGNATURE_KEY, STATUS_COLUMN)

_ZIP_MAGIC = b"PK\x03\x04"

@dataclass
class Table:
    """What a table holds: its documents in order (name, document), and whether it is a
    batch (it has a document column), so the output says which document each pair is from;
    `kind` is the table's format: "xlsx", "tsv", "jsonl" or "tmx"."""

    documents: list[tuple[str | None, ReviewedDocument]]
    batch: bool = False
    kind: str = "tsv"


@dataclass
class _Sheet:
    """Rows and per-document facts as read from one file, before grouping into documents."""

    rows: list[Row]
    batch: bool = False
    indexed: bool = True
    langs: dict[str | None, tuple[str | None, str | None]] = field(default_factory=dict)
    signature: dict[str | None, str] = field(default_factory=dict)
    metadata: dict[str | None, dict[str, str]] = field(default_factory=dict)
    #: how errors name a row: "row" (TSV), "line" (JSONL), "sheet 'pairs' row" (XLSX), "unit" (TMX)
    where: str = "row"
    kind: str = "tsv"
    #: what the table calls its sentence-index columns (the workbook's src_no, tgt_no), and
    #: the number they give the first sentence (1 in src_no, 0 in src_idx): what messages say
    index_names: tuple[str, str] = INDEX_COLUMNS
    first: int = 0


def read_table_file(path: str, src_lang: str | None = None, tgt_lang: str | None = None) -> Table:
    """The documents of the alignment table in file `path` ('-': standard input)."""
    from aligner.readers.decode import STDIN, STDIN_NAME
    from aligner.readers.decode import read_bytes  # the same errors and size cap as every input file

    return read_table(STDIN_NAME if path == STDIN else path, read_bytes(path), src_lang, tgt_lang)


def read_table(path: str, data: bytes, src_lang: str | None = None, tgt_lang: str | None = None) -> Table:
    """The documents of an alignment table with content `data` (`path` names it in errors).

    The kind is told from the content: a zip is a workbook, a TMX document a translation
    memory, a first character '{' JSONL, anything else TSV. `src_lang`/`tgt_lang` override
    the languages the table records (a TSV records none: they are detected from its text);
    in a TMX they also say which of its languages are the two sides."""
    if not data.strip():
        raise AlignerError("empty file, not an alignment table", path)
    if data.startswith(_ZIP_MAGIC):
        sheet = _read_xlsx(path, data)
    elif is_tmx(data):
        tmx = read_tmx(path, data, src_lang, tgt_lang)
        sheet = _Sheet(tmx.rows, tmx.batch, tmx.indexed, tmx.langs, tmx.signature, tmx.metadata, where="unit",
                       kind="tmx")
    else:
        from aligner.readers.decode import UnknownEncoding, decode_bytes

        try:
            text = decode_bytes(data, path)
        except UnknownEncoding as e:  # convert has no --encoding: aligner writes tables in UTF-8
            raise e.with_hint("if it is a table in another encoding, save it as UTF-8") from None
        _refuse_other_outputs(path, text)
        sheet = _read_jsonl(path, text) if _is_jsonl(text) else _read_tsv(path, text)
    return _documents(path, sheet, src_lang, tgt_lang)


def _is_jsonl(text: str) -> bool:
    """Whether the first line is meant as JSON: it starts with '{' or '[' and is JSON or
    has no tab (a TSV row has tabs, and its first text may start with a bracket: '[注]')."""
    first = text.lstrip().split("\n", 1)[0]
    if not first.startswith(("{", "[")):
        return False
    if "\t" not in first:
        return True
    try:
        json.loads(first)
    except ValueError:
        return False
    return True


#: what align writes that is no table, told from the start of the file
_NOT_TABLES = (
    (re.compile(r"\s*<(!DOCTYPE\s+html|html)\b", re.I), "an HTML page"),
    (re.compile(r"\s*\[[\d,]*\]:\[[\d,]*\](:[-+.\deE]+)?(\n|$)"), "vecalign beads (indices, no texts)"),
)


def _refuse_other_outputs(path: str, text: str) -> None:
    """The error for an output of align that is not an alignment table (a TMX above all,
    which is what convert writes): one line saying what convert reads instead."""
    head = text[:4096]
    for pattern, what in _NOT_TABLES:
        if pattern.match(head):
            raise AlignerError(f"{what}, which convert does not read: its input is an alignment table as align "
                               "writes it, XLSX, TSV or JSONL, or a translation memory (TMX)", path)


# -- TSV ---------------------------------------------------------------------------------


def _read_tsv(path: str, text: str) -> _Sheet:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows: list[Row] = []
    width = None
    first = 0
    documents = False  # whether the fourth column names the document
    head = [f.strip().lower() for f in lines[0].split("\t")] if lines else []
    if head and head[-1] == NOTE_HEADER:  # the machine notes of --header: read past
        head = head[:-1]
    if head in (list(HEADER), [*HEADER, DOCUMENT_HEADER]):
        width, first, documents = len(lines[0].split("\t")), 1, len(head) == 4
    for number, line in enumerate(lines[first:], first + 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if width is None:
            width = len(fields)
            documents = width == 4
            if width not in (3, 4):
                raise AlignerError(
                    f"row {number}: not an alignment table: {len(fields)} tab-separated "
                    f"field{'s' if len(fields) != 1 else ''}, expected source, translation, score "
                    f"(and document in a batch)", path)
        if len(fields) != width:
            raise AlignerError(f"row {number}: {len(fields)} tab-separated fields where the table has {width}", path)
        rows.append(Row(number, fields[0], fields[1], _score(path, number, fields[2]),
                        document=fields[3] if documents else None))
    if not rows:
        raise AlignerError("no rows after the header: not an alignment table", path)
    return _Sheet(rows, batch=documents, indexed=False, kind="tsv")


# -- JSONL -------------------------------------------------------------------------------


def _read_jsonl(path: str, text: str) -> _Sheet:
    sheet = _Sheet([], where="line", kind="jsonl")
    for number, record in json_objects(text, path, "src and tgt"):
        for key in ("src", "tgt"):
            if not isinstance(record.get(key), str):
                what = "missing" if key not in record else f"not text ({json.dumps(record[key])[:40]})"
                raise AlignerError(f"line {number}: '{key}' is {what}; an alignment line has src and tgt", path)
        if record.get("type") == ADDED_TYPE:  # text the translation added: in no bead
            continue
        document = record.get("document")
        if document is not None:
            sheet.batch = True
            document = str(document)
        src_idx, tgt_idx = (_json_indices(path, number, record, key) for key in ("src_idx", "tgt_idx"))
        sheet.indexed = sheet.indexed and src_idx is not None and tgt_idx is not None
        score = record.get("score")
        sheet.rows.append(Row(number, record["src"], record["tgt"], _score(path, number, score),
                              src_idx, tgt_idx, document, _wrong(path, f"line {number}", record.get("status"))))
        if document not in sheet.langs:
            sheet.langs[document] = (_opt_str(record.get("src_lang")), _opt_str(record.get("tgt_lang")))
            meta = record.get("meta")
            sheet.metadata[document] = {_metadata_key(path, f"line {number}", str(k)): str(v)
                                        for k, v in meta.items()} if isinstance(meta, dict) else {}
    if not sheet.rows:
        raise AlignerError("no JSON lines: not an alignment table", path)
    return sheet


def _json_indices(path: str, number: int, record: dict, key: str) -> tuple[int, ...] | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in value):
        raise AlignerError(f"line {number}: '{key}' must be a list of sentence numbers, not {json.dumps(value)[:40]}", path)
    return checked_indices(path, f"line {number}", key, tuple(value))


def _opt_str(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


# -- XLSX --------------------------------------------------------------------------------


def _read_xlsx(path: str, data: bytes) -> _Sheet:
    from openpyxl import load_workbook

    from aligner.readers.workbook_limits import check_workbook

    check_workbook(path, data)  # within a spreadsheet's limits, before openpyxl reads it
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # a zip that is no workbook: KeyError, BadZipFile, InvalidFileException...
        raise AlignerError(f"not an XLSX workbook ({type(e).__name__}: {e})", path) from None
    try:
        pairs = book[PAIRS_SHEET] if PAIRS_SHEET in book.sheetnames else book.worksheets[0]
        sheet = _xlsx_pairs(path, _all_rows(pairs))
        if META_SHEET in book.sheetnames:
            _xlsx_metadata(path, _all_rows(book[META_SHEET]), sheet)
        return sheet
    except AlignerError:
        raise
    except Exception as e:  # a damaged sheet, read lazily row by row
        raise AlignerError(f"damaged XLSX workbook ({type(e).__name__}: {e})", path) from None
    finally:
        book.close()


def _all_rows(ws):
    """`ws` read to its last row and column, whatever its `<dimension>` says: read-only mode
    stops where that element says the data ends, and LibreOffice, pandas and other tools
    leave it out of date after rows are added (rows past it were silently dropped)."""
    if hasattr(ws, "reset_dimensions"):  # read-only worksheets
        ws.reset_dimensions()
    return ws


def _header(path: str, where: str, values: tuple, required: tuple[str, ...]) -> dict[str, int]:
    names = [str(v).strip().lower() if v is not None else "" for v in values]
    columns = {name: i for i, name in reversed(list(enumerate(names))) if name}
    for name in required:
        if name not in columns:
            found = ", ".join(n for n in names if n) or "nothing"
            raise AlignerError(
                f"{where} row 1: no '{name}' column (the header row has {found}; an alignment "
                f"table has {', '.join(required)})", path)
    return columns


def _xlsx_pairs(path: str, ws) -> _Sheet:
    where = f"sheet '{ws.title}'"
    header = next(ws.iter_rows(max_row=1, values_only=True), None)
    if header is None:
        raise AlignerError(f"{where} is empty: not an alignment table", path)
    columns = _header(path, where, header, ("source", "translation"))
    rows = _rows_after_header(ws, columns)
    # sentence numbers counted from 1 (src_no), or 0-based indices (src_idx: workbooks
    # written before the numbering for people); one less makes either an index
    numbering = next(((names, first) for names, first in ((NUMBER_COLUMNS, 1), (INDEX_COLUMNS, 0))
                      if all(name in columns for name in names)), None)
    indexed = numbering is not None
    sheet = _Sheet([], batch=DOCUMENT_COLUMN in columns, indexed=indexed, where=f"{where} row", kind="xlsx",
                   index_names=numbering[0] if numbering else NUMBER_COLUMNS, first=numbering[1] if numbering else 1)

    def get(values: tuple, name: str):
        i = columns.get(name)
        return values[i] if i is not None and i < len(values) else None

    for number, values in enumerate(rows, 2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # a row the reviewer cleared
        src, tgt = _cell_text(get(values, "source")), _cell_text(get(values, "translation"))
        src_idx = tgt_idx = None
        if numbering is not None:
            (src_name, tgt_name), first = numbering
            src_idx = _cell_indices(path, where, number, src_name, get(values, src_name), first)
            tgt_idx = _cell_indices(path, where, number, tgt_name, get(values, tgt_name), first)
        document = _cell_text(get(values, DOCUMENT_COLUMN)) if sheet.batch else None
        wrong = _wrong(path, f"{where} row {number}", get(values, STATUS_COLUMN))
        sheet.rows.append(Row(number, src, tgt, _score(path, number, get(values, "score"), where),
                              src_idx, tgt_idx, document, wrong))
    if not sheet.rows:
        raise AlignerError(f"{where} has no rows after the header", path)
    return sheet


def _rows_after_header(ws, columns: dict[str, int]):
    """The rows below the header, each only as wide as the last column read: openpyxl pads
    every row to the sheet's widest, and one cell in column XFD made each row 16,384 cells."""
    return ws.iter_rows(min_row=2, max_col=max(columns.values()) + 1, values_only=True)


def _xlsx_metadata(path: str, ws, sheet: _Sheet) -> None:
    header = next(ws.iter_rows(max_row=1, values_only=True), None)
    if header is None:
        return
    columns = _header(path, f"sheet '{ws.title}'", header, ("key", "value"))
    rows = _rows_after_header(ws, columns)
    doc_col = columns.get(DOCUMENT_COLUMN)
    for number, values in enumerate(rows, 2):
        key = _cell_text(values[columns["key"]] if columns["key"] < len(values) else None).strip()
        value = _cell_text(values[columns["value"]] if columns["value"] < len(values) else None)
        document = _cell_text(values[doc_col]) if doc_col is not None and doc_col < len(values) else ""
        document = document if sheet.batch else None
        if not key or key in INFO_KEYS:
            continue
        if key in LANG_KEYS:
            src, tgt = sheet.langs.get(document, (None, None))
            sheet.langs[document] = (value.strip() or src, tgt) if key == LANG_KEYS[0] else (src, value.strip() or tgt)
        elif key == SIGNATURE_KEY:
            sheet.signature[document] = value
        else:
            sheet.metadata.setdefault(document, {})[_metadata_key(path, f"sheet '{ws.title}' row {number}", key)] = value


def _metadata_key(path: str, where: str, key: str) -> str:
    """A metadata key of the table, refused (naming the row) when its TMX property would
    pass for one the writer gives each unit itself (x-score, x-document...): forged."""
    from aligner.writers.tmx import OWN_PROPERTIES, prop_type

    if prop_type(key) in OWN_PROPERTIES:
        raise AlignerError(f"{where}: metadata key {key[:40]!r} names a property aligner writes itself "
                           f"({prop_type(key)}); rename or remove it", path)
    return key


#: a language tag as BCP 47 writes it (zh-CN, zh-Hant-TW, en-US): letters, then subtags
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*")


def _language_tag(path: str, value: str | None, side: str, option: str) -> str | None:
    """A language the table records, refused unless it is a language tag: it goes into
    the outputs' attributes (xml:lang, the report's lang) as it stands."""
    if value is not None and not _LANGUAGE_TAG.fullmatch(value):
        raise AlignerError(f"the table gives the {side} language as {value[:40]!r}, which is not a language code "
                           f"such as zh-CN or en-US; correct it, or give {option}", path)
    return value


def _cell_text(value) -> str:
    """A cell as text: empty for none, numbers as written (12, not 12.0), text as a
    spreadsheet shows it (`ooxml_unescaped`)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return ooxml_unescaped(str(value))


_OOXML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def ooxml_unescaped(text: str) -> str:
    """A cell's stored text as Excel and LibreOffice show it: _xHHHH_ is the character
    U+HHHH (openpyxl reads it as stored; `writers.xlsx.ooxml_escaped` is the other way)."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _cell_indices(path: str, where: str, number: int, name: str, value, first: int = 0) -> tuple[int, ...]:
    """'15,16', 15 or empty as 0-based sentence indices, from numbers that count from
    `first` (1 in the src_no columns, 0 in the older src_idx ones)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ()
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int) and value >= first:  # not float(value): a number past 1e308 is an int too
        return checked_indices(path, f"{where} row {number}", name, (value,), first)
    if isinstance(value, float) and value.is_integer() and value >= first:
        return checked_indices(path, f"{where} row {number}", name, (int(value),), first)
    parts = str(value).replace(";", ",").replace(" ", ",").split(",")
    try:
        numbers = tuple(int(p) for p in parts if p)
    except ValueError:
        numbers = (-1,)
    if any(i < first for i in numbers):
        example = "15,16" if first else "14,15"
        counted = " counted from 1" if first else ""
        raise AlignerError(f"{where} row {number}: {name} {str(value)[:40]!r} is not a list of sentence numbers"
                           f"{counted} such as {example}", path)
    return checked_indices(path, f"{where} row {number}", name, numbers, first)


def _wrong(path: str, where: str, value) -> bool:
    """Whether a status cell or field marks its row wrong: 'wrong', or 'ok' or empty (any
    case, spaces around); anything else is an error naming the row."""
    if value is None:
        return False
    status = str(value).strip().lower()
    if status in ("", *STATUSES):
        return status == WRONG
    raise AlignerError(f"{where}: status {str(value)[:40]!r} is neither {OK} nor {WRONG}", path)


# -- shared ------------------------------------------------------------------------------


class _Sentences(Sequence):
    """One side's sentences by index, the gaps (sentences of deleted rows) read as "",
    without storing them: its length is the largest index + 1, however far apart the
    indices a reviewer left are."""

    def __init__(self, by_index: dict[int, str]):
        self._by_index = by_index
        self._size = max(by_index, default=-1) + 1

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._size))]
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError(i)
        return self._by_index.get(i, "")


class _ReviewedText(Text):
    """A side read back from a table: one paragraph, the _Sentences (not copied into a list)."""

    @property
    def sentences(self) -> Sequence[str]:
        return self.paragraphs[0]


def _score(path: str, number: int, value, where: str = "") -> float:
    """A score cell of row `number` (of the sheet `where`)."""
    return score_cell(path, f"{where} row {number}" if where else f"row {number}", value)


def _documents(path: str, sheet: _Sheet, src_lang: str | None, tgt_lang: str | None) -> Table:
    """Group rows by document (in order of first appearance) and build the documents."""
    groups: dict[str | None, list[Row]] = {}
    for row in sheet.rows:
        groups.setdefault(row.document if sheet.batch else None, []).append(row)
    documents = []
    for name, rows in groups.items():
        found_src, found_tgt = sheet.langs.get(name, (None, None))
        if name not in sheet.langs and None in sheet.langs:  # one set of languages for all
            found_src, found_tgt = sheet.langs[None]
        found_src = None if src_lang else _language_tag(path, found_src, "source", "--src-lang")
        found_tgt = None if tgt_lang else _language_tag(path, found_tgt, "translation", "--tgt-lang")
        langs = (src_lang or found_src or _detect(path, [r.src for r in rows], "source", "--src-lang"),
                 tgt_lang or found_tgt or _detect(path, [r.tgt for r in rows], "translation", "--tgt-lang"))
        documents.append((name, _document(path, rows, langs, sheet.indexed, sheet.signature.get(name, ""),
                                          sheet.metadata.get(name, {}), sheet.where, sheet.index_names,
                                          sheet.first)))
    return Table(documents, sheet.batch, sheet.kind)


def _detect(path: str, texts: list[str], side: str, option: str) -> str:
    from aligner.readers.langid import detect_lang, lang_code

    text = " ".join(texts)
    base = detect_lang(text)
    if base is None:
        raise AlignerError(f"cannot tell the language of the {side} column (no Chinese or English text); give {option}", path)
    return lang_code(text, base)


def _document(path: str, rows: list[Row], langs: tuple[str, str], indexed: bool, signature: str,
              metadata: dict[str, str], where: str = "row",
              index_names: tuple[str, str] = INDEX_COLUMNS, first: int = 0) -> ReviewedDocument:
    """The reviewed document of one table's rows. A side whose text was emptied loses its
    sentences; a side with text but no indices (typed into an unpaired row, or a new row)
    makes the document's indices unknown, with a warning naming the row. A sentence in
    two rows with text is an error naming both (`where` names a row: "line" in JSONL), as
    `aligner eval` refuses such beads.

    A row without text on either side (align writes one for blank lines of a --presplit
    input; a reviewer may empty both sides) keeps its place, so later units keep their
    tuids, and its sentence indices, unless it has none left or a row with text has one
    of them (the reviewer merged it into that row): then it is gone."""
    texted = [r for r in rows if r.src.strip() or r.tgt.strip()]
    if not texted:
        raise AlignerError("every row is empty: no pairs left", path)
    if indexed:
        for r in texted:
            for text, idx, name in ((r.src, r.src_idx, index_names[0]), (r.tgt, r.tgt_idx, index_names[1])):
                if text.strip() and not idx:
                    warnings.warn(AlignerWarning(
                        f"row {r.number}: text without {name}: sentence indices and bead types are left out of the output",
                        path))
                    indexed = False
                    break
            if not indexed:
                break
    # the beads of the rows with text first, so that a row without text can yield to any
    sides: list[tuple[tuple[int, ...], tuple[int, ...]] | None] = [None] * len(rows)
    claimed: tuple[dict[int, int], dict[int, int]] = ({}, {})  # each side: sentence -> its row
    n_src = n_tgt = 0
    for k, r in enumerate(rows):
        src, tgt = bool(r.src.strip()), bool(r.tgt.strip())
        if not (src or tgt):
            continue
        if indexed:
            sides[k] = (tuple(r.src_idx or ()) if src else (), tuple(r.tgt_idx or ()) if tgt else ())
            _claim(path, where, r.number, sides[k], claimed, first)
        else:  # the texts themselves are the units, numbered in order
            sides[k] = ((n_src,) if src else (), (n_tgt,) if tgt else ())
            n_src += src
            n_tgt += tgt
    beads, cells, scores, wrong = [], [], [], []
    src_sentences: dict[int, str] = {}
    tgt_sentences: dict[int, str] = {}
    for r, bead in zip(rows, sides):
        if bead is None:  # no text on either side
            bead = (tuple(r.src_idx or ()), tuple(r.tgt_idx or ())) if indexed else ((), ())
            if indexed and (not (bead[0] or bead[1]) or _taken(bead, claimed)):
                continue
        src = r.src if r.src.strip() else ""
        tgt = r.tgt if r.tgt.strip() else ""
        for side, text, sentences in ((bead[0], src, src_sentences), (bead[1], tgt, tgt_sentences)):
            for i in side:
                sentences.setdefault(i, text if i == side[0] else "")
        beads.append(bead)
        cells.append((src, tgt))
        scores.append(r.score)
        wrong.append(r.wrong)

    def text(lang: str, sentences: dict[int, str]) -> Text:
        return _ReviewedText(lang, [_Sentences(sentences)], path)

    return ReviewedDocument(text(langs[0], src_sentences), text(langs[1], tgt_sentences), beads, scores,
                            metadata, signature, indexed, cells=cells, wrong=wrong)


def _taken(bead: tuple[tuple[int, ...], tuple[int, ...]], claimed: tuple[dict[int, int], dict[int, int]]) -> bool:
    """Whether a sentence of a row without text is in another row (or twice in this one);
    if not, they are recorded as its own."""
    if any(i in claimed[side] for side in (0, 1) for i in bead[side]) or any(
            len(set(bead[side])) < len(bead[side]) for side in (0, 1)):
        return True
    for side in (0, 1):
        claimed[side].update(dict.fromkeys(bead[side], -1))
    return False


def _claim(path: str, where: str, number: int, bead: tuple[tuple[int, ...], tuple[int, ...]],
           claimed: tuple[dict[int, int], dict[int, int]], first: int = 0) -> None:
    """Record the sentences of row `number`'s bead in `claimed`, refusing one that is in an
    earlier row, or twice in this one, in the words of `aligner eval` (a sentence numbered
    as the table numbers it: from `first`)."""
    try:  # "sheet 'pairs' row 4: ... already in row 3"
        claim_sentences(bead, number, claimed, unit=where.split()[-1], this="row", first=first)
    except ValueError as e:
        raise AlignerError(f"{where} {number}: {e}", path) from None
