"""The review workbook: its layout, and the round trip a reviewer makes (align, edit the
workbook, `aligner convert` to TMX)."""

from __future__ import annotations

import io
import os
import pty
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree
from openpyxl import load_workbook

from aligner.cleaning import clean_document
from aligner.document import AlignedDocument, Text
from aligner.plumbing.chars import clean, xml_chars
from aligner.plumbing.errors import AlignerError
from aligner.readers.table import read_table
from aligner.review import is_doubtful
from aligner.writers import render_bytes
from aligner.writers.base import utf8_safe
from aligner.writers.xlsx import MAX_CELL_CHARS, XlsxWriter
from conftest import EXAMPLE, cli_argv, cli_env, file_size_limit, run_cli
from test_report import doubtful_doc
from test_writers import harbin_doc, nasty_docs

DTD = etree.DTD(str(Path(__file__).parent / "data" / "tmx14.dtd"))
WHEN = datetime(2026, 11, 30, 12, 0, 0, tzinfo=timezone.utc)


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_pairs_sheet_layout():
    doc = doubtful_doc()
    book = workbook(render_bytes(doc, "xlsx", created=WHEN))
    assert book.sheetnames == ["pairs", "metadata"]
    ws = book["pairs"]
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == ("source", "translation", "score", "status", "type", "src_no", "tgt_no")
    assert len(values) == 1 + len(doc.beads)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:G{1 + len(doc.beads)}"
    assert ws.column_dimensions["A"].width >= 40 and ws.column_dimensions["B"].width >= 40
    assert ws.column_dimensions["C"].width < 10
    for k, (src, tgt, score, bead) in enumerate(doc.pairs(), 2):
        row = values[k - 1]
        assert row[:2] == (src or None, tgt or None)
        assert row[2] == pytest.approx(score) and ws.cell(k, 3).number_format == "0.00"
        assert row[3] == "ok" and row[4] == f"{len(bead[0])}-{len(bead[1])}"
        assert ws.cell(k, 1).alignment.wrap_text and ws.cell(k, 2).alignment.wrap_text
        shaded = ws.cell(k, 1).fill.fill_type == "solid"
        assert shaded == is_doubtful(src, tgt, score), k
    assert values[15][5:] == (15, "15,16")  # a 1-2 bead's sentences, counted from 1
    assert values[-2][1:2] == (None,) and values[-2][5:] == (19, None)  # unpaired: a row of its own
    assert values[-1][0] is None and values[-1][5:] == (None, 20)
    assert ws.cell(1, 1).font.bold


def test_metadata_sheet():
    doc = harbin_doc()
    meta = dict(workbook(render_bytes(doc, "xlsx", created=WHEN))["metadata"].iter_rows(values_only=True))
    assert meta["key"] == "value"
    assert (meta["src_lang"], meta["tgt_lang"], meta["signature"]) == ("zh-CN", "en-US", doc.signature)
    assert meta["title"] == doc.metadata["title"] and meta["created"] == "2026-11-30T12:00:00Z"
    assert meta["doubtful_below"] == 0.5


def test_batch_has_a_document_column():
    out = io.BytesIO()
    writer = XlsxWriter(out, batch=True, created=WHEN)
    writer.add(harbin_doc(), "a/harbin.txt")
    writer.add(doubtful_doc(), "b/gaps.txt")
    writer.close()
    book = workbook(out.getvalue())
    values = list(book["pairs"].iter_rows(values_only=True))
    assert values[0][-1] == "document"
    assert [v[-1] for v in values[1:]] == ["a/harbin.txt"] * 18 + ["b/gaps.txt"] * 20
    meta = list(book["metadata"].iter_rows(values_only=True))
    assert meta[0] == ("key", "value", "document") and ("src_lang", "zh-CN", "b/gaps.txt") in meta
    table = read_table("batch.xlsx", out.getvalue())
    assert table.batch and [name for name, _ in table.documents] == ["a/harbin.txt", "b/gaps.txt"]
    assert [d.pairs() for _, d in table.documents] == [harbin_doc().pairs(), doubtful_doc().pairs()]


def test_same_document_same_bytes():
    assert render_bytes(harbin_doc(), "xlsx", created=WHEN) == render_bytes(harbin_doc(), "xlsx", created=WHEN)


def test_text_that_looks_like_a_formula_stays_text():
    doc = AlignedDocument(Text("zh-CN", [["=SUM(A1:A9)", "+1"]]), Text("en-US", [["=HYPERLINK(\"x\")", "-2"]]),
                          [((0,), (0,)), ((1,), (1,))], [0.9, 0.9])
    ws = workbook(render_bytes(doc, "xlsx"))["pairs"]
    assert [ws.cell(2, 1).value, ws.cell(2, 2).value, ws.cell(3, 1).value] == ["=SUM(A1:A9)", '=HYPERLINK("x")', "+1"]
    assert ws.cell(2, 1).data_type == "s"
    assert read_table("f.xlsx", render_bytes(doc, "xlsx")).documents[0][1].pairs() == doc.pairs()


def test_a_text_longer_than_a_cell_is_refused():
    doc = AlignedDocument(Text("zh-CN", [["字" * (MAX_CELL_CHARS + 1)]]), Text("en-US", [["x"]]), [((0,), (0,))], [0.9])
    with pytest.raises(AlignerError, match="32,767"):
        render_bytes(doc, "xlsx")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nasty_docs())
def test_any_text_reads_back(doc):
    """What a cell can hold comes back as written: texts, indices, scores (to openpyxl's
    16 significant digits); a side without text is an empty side, a row without any keeps
    its indices (its sentences are empty)."""
    # as every writer has the texts: without controls and invisible characters (clean_document)
    kept = [(utf8_safe(xml_chars(s)), utf8_safe(xml_chars(t)), score, bead) for s, t, score, bead in clean_document(doc).pairs()]
    kept = [(s if s.strip() else "", t if t.strip() else "", score, bead) for s, t, score, bead in kept]
    kept = [(s, t, score, (bead[0] if s else (), bead[1] if t else ()) if s or t else bead)
            for s, t, score, bead in kept]
    data = render_bytes(doc, "xlsx")
    if not any(s or t for s, t, _, _ in kept):
        with pytest.raises(AlignerError, match="no pairs left" if doc.beads else "no rows after the header"):
            read_table("nasty.xlsx", data)
        return
    back = read_table("nasty.xlsx", data).documents[0][1]
    assert [(s, t, b) for s, t, _, b in back.pairs()] == [(s, t, b) for s, t, _, b in kept]
    assert [score for _, _, score, _ in back.pairs()] == pytest.approx([score for _, _, score, _ in kept], rel=1e-15)
    assert (back.src.lang, back.tgt.lang, back.signature) == ("zh-CN", "en-US", utf8_safe(xml_chars(clean(doc.signature))))


# -- the reviewer's round trip, through the command line --------------------------------------

EDIT = 'Harbin\'s "forum" <b>edited</b> & checked\tby a reviewer'


def units(tmx: Path) -> list[tuple[str, str, str]]:
    root = etree.parse(str(tmx)).getroot()
    assert DTD.validate(root), DTD.error_log.filter_from_errors()
    return [(tu.get("tuid"), *(seg.text for seg in tu.iter("seg"))) for tu in root.iter("tu")]


def test_edit_delete_and_empty_in_the_workbook_then_convert(tmp_path):
    pairs, direct = tmp_path / "pairs.xlsx", tmp_path / "direct.tmx"
    assert run_cli("align", EXAMPLE, "-o", pairs, "-q").code == 0
    assert run_cli("align", EXAMPLE, "-o", direct, "-q").code == 0
    before = units(direct)
    assert len(before) == 18

    book = load_workbook(pairs)
    ws = book["pairs"]
    assert ws.cell(3, 2).value == before[1][2]  # row 3 is the second pair
    ws.cell(3, 2).value = EDIT  # edit a translation
    deleted = ws.cell(5, 1).value
    emptied = ws.cell(7, 1).value
    ws.cell(7, 2).value = None  # empty a side: pair 6 becomes an unpaired sentence
    ws.delete_rows(5)  # delete pair 4
    book.save(pairs)

    tmx = tmp_path / "reviewed.tmx"
    run = run_cli("convert", pairs, "-o", tmx)
    assert run.code == 0, run.err
    after = units(tmx)
    assert len(after) == 16
    texts = {(src, tgt) for _, src, tgt in after}
    assert (before[1][1], EDIT) in texts
    assert EDIT.encode("utf-8").replace(b"&", b"&amp;").replace(b"<", b"&lt;") in tmx.read_bytes().replace(b"&gt;", b">")
    assert deleted not in {src for src, _ in texts} and emptied not in {src for src, _ in texts}
    # everything else is as aligned
    untouched = [u[1:] for u in before if u[1] not in (deleted, emptied) and u[0] != "2"]
    assert [u[1:] for u in after if u[0] != "2"] == untouched

    # the workbook's indices survive: the unpaired sentence is one in the vecalign beads
    beads = tmp_path / "reviewed.align"
    assert run_cli("convert", pairs, "-o", beads).code == 0
    assert "[5]:[]" in beads.read_text().splitlines() and "[3]:[3]" not in beads.read_text().splitlines()


def test_unedited_workbook_converts_to_the_direct_tmx(tmp_path):
    pairs, direct, tmx = tmp_path / "pairs.xlsx", tmp_path / "direct.tmx", tmp_path / "back.tmx"
    assert run_cli("align", EXAMPLE, "-o", pairs, "-q").code == 0
    assert run_cli("align", EXAMPLE, "-o", direct, "-q").code == 0
    assert run_cli("convert", pairs, "-o", tmx, "-q").code == 0
    body = lambda path: path.read_text(encoding="utf-8").split("creationdate=", 1)[1].split(">", 1)[1]
    assert body(tmx) == body(direct)  # header properties (metadata, signature) and every unit


def _with_dimensions(xlsx: Path, out: Path, refs: dict[str, str]) -> None:
    """`xlsx` copied to `out` with each named sheet's `<dimension>` set to the ref given,
    as LibreOffice, pandas and other tools leave it: out of date after rows were added."""
    import re
    import zipfile

    with zipfile.ZipFile(xlsx) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in refs:
                text = re.sub(r"<dimension [^>]*/>", "", data.decode("utf-8"))
                text = text.replace("</sheetPr>", f'</sheetPr><dimension ref="{refs[item.filename]}"/>', 1)
                assert f'<dimension ref="{refs[item.filename]}"/>' in text
                data = text.encode("utf-8")
            zout.writestr(item, data)


@pytest.mark.parametrize("ref", ["A1:F10", "A1:B2", "A1:Z500"])
def test_a_stale_dimension_loses_no_row_and_no_metadata(tmp_path, ref):
    """A workbook whose `<dimension>` says it ends before (or after) its data: every row
    and every metadata key is read (rows past it were silently dropped)."""
    pairs, stale = tmp_path / "pairs.xlsx", tmp_path / "stale.xlsx"
    assert run_cli("align", EXAMPLE, "-o", pairs, "-q").code == 0
    _with_dimensions(pairs, stale, {"xl/worksheets/sheet1.xml": ref, "xl/worksheets/sheet2.xml": "A1:B2"})
    assert load_workbook(stale, read_only=True)["pairs"].max_row == int(ref.split(":")[1][1:])
    run = run_cli("convert", stale, "-f", "jsonl")
    assert run.code == 0, run.err
    assert run.text == run_cli("convert", pairs, "-f", "jsonl").text
    records = run.text.splitlines()
    assert len(records) == 18 and '"title": "Harbin' in records[0]


def test_a_translation_typed_into_an_unpaired_row_is_kept_without_indices(tmp_path):
    pairs, tmx = tmp_path / "pairs.xlsx", tmp_path / "reviewed.tmx"
    pairs.write_bytes(render_bytes(doubtful_doc(), "xlsx", created=WHEN))
    book = load_workbook(pairs)
    ws = book["pairs"]
    assert (ws.cell(20, 1).value, ws.cell(20, 2).value, ws.cell(20, 6).value) == ("（新华社）", None, 19)
    ws.cell(20, 2).value = "(Xinhua News Agency)"  # the reviewer's own translation
    book.save(pairs)
    run = run_cli("convert", pairs, "-o", tmx)
    assert run.code == 0
    assert run.err_lines[0] == (f"aligner: warning: {pairs}: row 20: text without tgt_no: sentence indices "
                                "and bead types are left out of the output")
    assert ("19", "（新华社）", "(Xinhua News Agency)") in units(tmx)
    props = {p.get("type") for p in etree.parse(str(tmx)).iter("prop")}
    assert "x-score" in props and not props & {"x-bead", "x-src-index", "x-tgt-index"}


def test_workbook_on_standard_output_that_is_a_pipe():
    """`align -f xlsx > pairs.xlsx`: the bytes of the workbook, one row per bead after the header."""
    run = run_cli("align", EXAMPLE, "-f", "xlsx", "-q")
    assert run.code == 0, run.err
    rows = list(workbook(run.out)["pairs"].iter_rows(values_only=True))
    assert len(rows) == 1 + 18
    assert run.err == ""


def test_workbook_on_standard_output_that_is_a_terminal_is_refused():
    """Binary bytes are not poured onto a terminal: one line naming standard output, exit 2."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(cli_argv("align", EXAMPLE, "-f", "xlsx", "-q"), stdin=subprocess.DEVNULL,
                              stdout=follower, stderr=subprocess.PIPE, env=cli_env(), timeout=120)
    finally:
        os.close(follower)
        os.close(leader)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert len(err.splitlines()) == 1
    assert "binary" in err and "-o" in err


@pytest.mark.parametrize("limit", [3000, 9000])
def test_a_failed_write_of_the_workbook_is_one_line_and_keeps_the_old_file(tmp_path, limit):
    """The sheet's temporary file cannot grow: lxml's SerialisationError was an internal
    error, and the half-written sheet and zip printed tracebacks when collected."""
    out, tmp = tmp_path / "out.xlsx", tmp_path / "tmp"
    out.write_bytes(b"the old workbook")
    tmp.mkdir()
    proc = subprocess.run(cli_argv("align", str(EXAMPLE), "-o", str(out)), capture_output=True, text=True,
                          env={**cli_env(), "TMPDIR": str(tmp)}, preexec_fn=file_size_limit(limit), timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"{out}: cannot write: File too large" in proc.stderr and "left as it was" in proc.stderr
    assert out.read_bytes() == b"the old workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx", "tmp"] and not list(tmp.iterdir())


class _FullAfter(io.RawIOBase):
    """A seekable stream that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, room: int):
        self.data, self.room = io.BytesIO(), room

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, *args) -> int:
        return self.data.seek(*args)

    def tell(self) -> int:
        return self.data.tell()

    def write(self, b) -> int:
        if self.data.tell() + len(b) > self.room:
            raise OSError(28, "No space left on device")
        return self.data.write(b)


def test_a_full_disk_while_zipping_raises_once_and_abort_is_quiet(monkeypatch):
    """The zip fails half-way: close() raises the OSError, abort() finishes quietly and
    nothing is left for the garbage collector to report (it printed ZipFile.__del__'s
    traceback)."""
    import gc
    import sys

    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    writer = XlsxWriter(_FullAfter(2000))
    writer.add(harbin_doc())
    with pytest.raises(OSError, match="No space"):
        writer.close()
    writer.abort()
    del writer
    gc.collect()
    assert unraisable == []
