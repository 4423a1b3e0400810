"""Hostile text (issue 24): what an untrusted article or workbook holds never reaches a terminal
as a command, never makes a reviewer read other text than the one stored, and never makes a
spreadsheet or a TMX reader misbehave. Each case failed before the change."""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE, run_cli, run_main

from aligner.document import AlignedDocument, Text
from aligner.plumbing.chars import HIDDEN, clean, escaped
from aligner.plumbing.errors import AlignerError
from aligner.readers.table import read_table
from aligner.writers import FORMATS, render_bytes

ESC = "\x1b"
TITLE_ESCAPE = f"{ESC}]0;OWNED\a"  # an escape sequence that retitles a terminal window
RLO = "\u202e"  # right-to-left override: the text shown is not the text stored
HIDDEN_SAMPLES = [ESC, "\x00", "\x07", "\x7f", "\x85", RLO, "\u2066", "\u200b", "\ufeff", "\U000e0041"]


def hostile_article(path: Path) -> Path:
    """The example article with an escape sequence, a NUL, a bidi override and a zero-width
    space in its text on both sides."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("    Harbin State-Owned", f"    Harbin{ESC}[31m State{RLO}-Owned\u200b", 1)
    text = text.replace("    哈尔滨市国营", f"    哈尔滨{ESC}[2J市{RLO}国营\u200b", 1)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_class_holds_every_format_character_of_this_python():
    """chars.HIDDEN writes Unicode's Cf category out (computing it would cost every start-up)."""
    cf = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert [c for c in cf if not HIDDEN.match(c)] == []
    for c in HIDDEN_SAMPLES:
        assert clean(f"a{c}b") == "ab"
    for kept in ("\t", "\n", "\r", "é", "哈", "\u2028", " "):
        assert clean(f"a{kept}b") == f"a{kept}b"


def test_escaped_shows_every_unsafe_character_and_keeps_the_rest():
    assert escaped(f"x{TITLE_ESCAPE}.txt") == "x\\x1b]0;OWNED\\x07.txt"
    assert escaped("new\nline\t.txt") == "new\\nline\\t.txt"
    assert escaped(os.fsdecode(b"\xb0\xa1.txt")) == "\\xb0\\xa1.txt"  # a GBK name, not UTF-8
    assert escaped(f"a{RLO}b\U000e0041") == "a\\u202eb\\U000e0041"
    assert escaped("人民日报 1954-11-23 — “quoted”.txt") == "人民日报 1954-11-23 — “quoted”.txt"


def test_a_file_name_with_an_escape_sequence_is_shown_escaped_in_errors_and_failed_lines(tmp_path):
    """It was printed raw: the terminal's title became OWNED."""
    bad = tmp_path / f"x{TITLE_ESCAPE}.txt"
    bad.write_bytes(b"\x00\x01binary")
    run = run_cli("align", bad)
    assert run.code == 1 and ESC not in run.err and "\a" not in run.err
    assert f"x\\x1b]0;OWNED\\x07.txt: binary file" in run.err
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / bad.name).write_bytes(b"\x00\x01binary")
    (folder / "good.txt").write_bytes(EXAMPLE.read_bytes())
    run = run_cli("batch", folder, "-o", tmp_path / "out.tsv", "--jobs", "1")
    assert run.code == 0 and ESC not in run.err and "\a" not in run.err
    assert "aligner: failed: x\\x1b]0;OWNED\\x07.txt: binary file" in run.err


def test_no_escape_code_of_the_text_reaches_standard_output(tmp_path):
    """`align FILE` (TSV on standard output) and `segment` wrote the article's escape codes
    straight to the terminal."""
    article = hostile_article(tmp_path / "a.txt")
    for args in (["align", article], ["segment", article]):
        run = run_cli(*args)
        assert run.code == 0, run.err
        assert not HIDDEN.search(run.text), args
        assert "Harbin[31m State-Owned" in run.text


def test_no_control_or_bidi_character_in_any_output_and_the_summary_counts_them(tmp_path):
    """The TSV writer kept NUL and ESC (convert then refused that TSV as binary); the report,
    TMX and XLSX kept U+202E, so a reviewer read other text than the one stored."""
    article = hostile_article(tmp_path / "a.txt")
    for fmt in FORMATS:
        out = tmp_path / f"out.{fmt}"
        run = run_main("align", article, "-o", out, "-f", fmt, "--summary", tmp_path / f"s.{fmt}.tsv")
        assert run.code == 0, run.err
        data = out.read_bytes()
        texts = [data.decode("utf-8")] if fmt != "xlsx" else [
            zipfile.ZipFile(out).read(name).decode("utf-8") for name in zipfile.ZipFile(out).namelist()]
        for text in texts:
            assert not HIDDEN.search(text), fmt
            assert "&#8238;" not in text and "&#x202e;" not in text.lower()  # nor as character references
        summary = (tmp_path / f"s.{fmt}.tsv").read_text(encoding="utf-8").splitlines()[1]
        assert summary.endswith("\t6 control or invisible characters (escape codes, bidi controls, zero-width) "
                                "left out of the output")
        assert "aligner: 6 control or invisible characters" in run.err
    run = run_main("convert", tmp_path / "out.tsv", "-o", tmp_path / "back.tmx")  # no longer refused as binary
    assert run.code == 0, run.err


def test_xlsx_stores_a_literal_ooxml_escape_so_that_a_spreadsheet_shows_it(tmp_path):
    """`_x0041_` in a text was written as it is, and Excel shows it as 'A'."""
    doc = AlignedDocument(Text("zh-CN", [["变量_x0041_的值。"]]), Text("en-US", [["The value of _x0041_."]]),
                          [((0,), (0,))], [0.9])
    data = render_bytes(doc, "xlsx")
    sheet = zipfile.ZipFile(__import__("io").BytesIO(data)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "The value of _x005F_x0041_." in sheet
    back = read_table("pairs.xlsx", data).documents[0][1]
    assert [(s, t) for s, t, _, _ in back.pairs()] == [("变量_x0041_的值。", "The value of _x0041_.")]


def test_summary_names_cannot_be_formulas(tmp_path):
    """A document named '=cmd|...' went into the summary as it is: a formula when the summary
    is opened in a spreadsheet."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("=HYPERLINK(1).txt", "+1.txt", "-2.txt", "@SUM.txt", "plain.txt"):
        (folder / name).write_bytes(EXAMPLE.read_bytes())
    run = run_main("batch", folder, "-o", tmp_path / "out.tsv", "--summary", tmp_path / "s.tsv", "--jobs", "1", "-q")
    assert run.code == 0, run.err
    names = [line.split("\t")[0] for line in (tmp_path / "s.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert sorted(names) == sorted(["'+1.txt", "'-2.txt", "'=HYPERLINK(1).txt", "'@SUM.txt", "plain.txt"])


def test_a_segment_no_tmx_reader_takes_is_refused_and_a_batch_goes_on(tmp_path):
    """A 10 MB segment gave a TMX that libxml2 refuses by default."""
    from lxml import etree

    huge = "x" * 10_000_001
    doc = AlignedDocument(Text("zh-CN", [["哈尔滨。"]]), Text("en-US", [[huge]]), [((0,), (0,))], [0.9])
    with pytest.raises(AlignerError, match="has a text of 10,000,001 bytes, more than TMX readers take"):
        render_bytes(doc, "tmx")
    fits = AlignedDocument(Text("zh-CN", [["哈尔滨。"]]), Text("en-US", [["x" * 9_999_000]]), [((0,), (0,))], [0.9])
    etree.fromstring(render_bytes(fits, "tmx"))  # what is written, libxml2 reads


# ------------------------------------------------------------------ tables read back

def _rewrite(path: Path, member: str, edit) -> Path:
    """A copy of the workbook at `path` with one member's XML edited."""
    out = path.with_name("edited.xlsx")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, edit(data.decode("utf-8")).encode("utf-8") if info.filename == member else data)
    return out


@pytest.fixture
def workbook(tmp_path) -> Path:
    path = tmp_path / "pairs.xlsx"
    assert run_main("align", EXAMPLE, "-o", path, "-q").code == 0
    return path


SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("edit, problem", [
    (lambda x: x.replace('<row r="3"', '<row r="1e18"', 1),
     "sheet 'pairs': row number '1e18' is not a number from 1 to 1,048,576"),
    (lambda x: x.replace('<row r="3"', '<row r="2000000"', 1),
     "sheet 'pairs': row 2000000 is beyond the rows a spreadsheet has (1 to 1,048,576)"),
    (lambda x: x.replace('<c r="A2"', '<c r="XFE2"', 1),
     "sheet 'pairs' cell XFE2: beyond the last column a spreadsheet has (16,384, XFD)"),
    (lambda x: x.replace("<t>Harbin State-Owned", "<t>" + "x" * 40_000, 1),
     "sheet 'pairs' cell B2: a text of more than 32,767 characters, more than a spreadsheet cell holds"),
    (lambda x: re.sub(r'<c r="C2"([^>]*) t="n"><v>[^<]*</v></c>', r'<c r="C2"\1><f>1-0.5</f></c>', x, count=1),
     "sheet 'pairs' cell C2: a formula without its computed value"),
    (lambda x: '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + x,
     "sheet 'pairs': a document type declaration, which a workbook never holds"),
])
def test_a_workbook_beyond_a_spreadsheets_limits_is_one_line_before_the_work(workbook, edit, problem):
    """<row r="1e18"> looped forever, a 536 MB cell was read, a formula without a value read as
    an empty cell, silently."""
    edited = _rewrite(workbook, SHEET, edit)
    run = run_cli("convert", edited, "-o", workbook.with_name("out.tmx"), timeout=60)
    assert run.code == 1, run.err
    assert len(run.err_lines) == 1 and run.err.startswith(f"aligner: error: {edited}: {problem}"), run.err


def test_a_long_shared_string_is_refused(workbook):
    book = workbook.with_name("shared.xlsx")
    with zipfile.ZipFile(workbook) as zin, zipfile.ZipFile(book, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                      f'<si><t>ok</t></si><si><r><t>{"y" * 20_000}</t></r><r><t>{"z" * 20_000}</t></r></si></sst>')
    run = run_main("convert", book, "-o", workbook.with_name("out.tmx"))
    assert run.code == 1
    assert "the shared strings: string 2 is a text of more than 32,767 characters" in run.err


def test_a_zip_bomb_is_refused_by_its_inflated_size(workbook):
    """A 4 MB zip that inflated to 4 GB took 69 s and 8.6 GB."""
    bomb = workbook.with_name("bomb.xlsx")
    with zipfile.ZipFile(workbook) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr("xl/media/padding.bin", b"\0" * (20 * 2**20))
    assert bomb.stat().st_size < 1 * 2**20
    run = run_main("convert", bomb, "-o", workbook.with_name("out.tmx"), "--max-input-size", "2M")
    assert run.code == 1
    assert "the workbook inflates to 20" in run.err and "more than 16 MB (8 times the input size limit" in run.err


def test_rows_are_read_only_as_wide_as_the_columns_used(workbook, monkeypatch):
    """10,000 rows with one cell in column XFD took 5.8 s: each was read 16,384 cells wide."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    rows = "".join(f'<row r="{i}"><c r="XFD{i}" t="inlineStr"><is><t>x</t></is></c></row>' for i in range(30, 330))
    edited = _rewrite(workbook, SHEET, lambda x: x.replace("</sheetData>", rows + "</sheetData>"))
    widths = []
    real = ReadOnlyWorksheet._get_row

    def spy(self, *args, **kwargs):
        row = real(self, *args, **kwargs)
        widths.append(len(row))
        return row
    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", spy)
    table = read_table(str(edited), edited.read_bytes())
    assert len(table.documents[0][1].beads) == 18
    assert max(widths[1:]) <= 7  # the header row aside


@pytest.mark.parametrize("field, value", [("src_lang", 'zh-"><script>alert(1)</script>'), ("tgt_lang", "en US")])
def test_a_tables_language_must_be_a_language_tag(tmp_path, field, value):
    """convert accepted any language code and wrote it into xml:lang and the report."""
    jsonl = tmp_path / "pairs.jsonl"
    assert run_main("align", EXAMPLE, "-o", jsonl, "-q").code == 0
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    for r in records:
        r[field] = value
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    run = run_main("convert", jsonl, "-o", tmp_path / "out.tmx")
    assert run.code == 1
    assert "which is not a language code such as zh-CN or en-US" in run.err
    option = "--src-lang" if field == "src_lang" else "--tgt-lang"
    assert run_main("convert", jsonl, "-o", tmp_path / "out.tmx", option, "zh-CN" if field == "src_lang" else "en-US",
                    "-q").code == 0


def test_a_tables_metadata_cannot_forge_the_writers_own_properties(tmp_path):
    """A metadata key 'score' gave every unit a second, forged x-score."""
    jsonl = tmp_path / "pairs.jsonl"
    assert run_main("align", EXAMPLE, "-o", jsonl, "-q").code == 0
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    records[0]["meta"]["Score"] = "1.00"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    run = run_main("convert", jsonl, "-o", tmp_path / "out.tmx")
    assert run.code == 1
    assert "line 1: metadata key 'Score' names a property aligner writes itself (x-score)" in run.err
    # nor does a document's metadata reach the TMX as one of them through the API
    doc = AlignedDocument(Text("zh-CN", [["哈尔滨。"]]), Text("en-US", [["Harbin."]]), [((0,), (0,))], [0.5],
                          {"x-score": "1.00", "title": "T"})
    tmx = render_bytes(doc, "tmx").decode("utf-8")
    assert tmx.count('type="x-score"') == 1 and 'type="x-title">T<' in tmx


def test_a_word_document_that_inflates_beyond_the_cap_is_refused(tmp_path):
    """A .docx is a zip too: its main part was read whole, however far it inflates."""
    docx = tmp_path / "bomb.docx"
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml'
                    '/2006/main"><w:body><w:p><w:r><w:t>' + "x" * (20 * 2**20) + "</w:t></w:r></w:p></w:body>"
                    "</w:document>")
    assert docx.stat().st_size < 2**20
    run = run_main("segment", docx, "--max-input-size", "2M")
    assert run.code == 1
    assert "the Word document inflates to 20" in run.err and "more than 16 MB" in run.err
