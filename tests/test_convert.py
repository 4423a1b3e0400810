"""`aligner convert`: alignment tables (TSV, JSONL, XLSX) back to TMX and the other formats;
bad input refused in one line; the README's calls that read a TSV back losslessly."""

from __future__ import annotations

import re

import csv
import importlib.util
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from aligner.writers import render
from aligner.writers.tsv import TsvWriter
from conftest import EXAMPLE, INPUT, Run, cli_argv, cli_env, run_cli, run_main
from review_texts import write_pair
from test_writers import harbin_doc, nasty_docs
from test_xlsx import units

INDEX_PROPS = ("x-bead", "x-src-index", "x-tgt-index")


def tus(tmx: Path, drop: tuple[str, ...] = ()) -> list[bytes]:
    """Every <tu> of a TMX (checked against the DTD) as canonical XML, without the props in `drop`."""
    units(tmx)  # validates
    root = etree.parse(str(tmx)).getroot()
    out = []
    for tu in root.iter("tu"):
        for prop in tu.findall("prop"):
            if prop.get("type") in drop:
                tu.remove(prop)
        out.append(etree.tostring(tu, method="c14n"))
    return out


@pytest.fixture(scope="module")
def gap_pair(tmp_path_factory) -> tuple[Path, Path]:
    """The seed article as two files with a sentence left out and one added: 2-1 and 1-2 beads."""
    return write_pair(tmp_path_factory.mktemp("gaps"))


@pytest.mark.parametrize("text", ["example", "gaps"])
@pytest.mark.parametrize("header", [False, True])
def test_tsv_from_align_converts_to_the_same_units(tmp_path, gap_pair, text, header):
    inputs = [EXAMPLE] if text == "example" else list(gap_pair)
    tsv, direct, back = tmp_path / "pairs.tsv", tmp_path / "direct.tmx", tmp_path / "back.tmx"
    assert run_cli("align", *inputs, "-o", tsv, "-q", *(["--header"] if header else [])).code == 0
    assert run_cli("align", *inputs, "-o", direct, "-q").code == 0
    assert tsv.read_text(encoding="utf-8").startswith("source\ttranslation\tscore\tnote\n") == header
    run = run_cli("convert", tsv, "-o", back)
    assert run.code == 0, run.err
    # Same tuids, texts and scores; a TSV has no sentence indices, so no index props at all.
    assert tus(back) == tus(direct, drop=INDEX_PROPS)
    assert not any(p.get("type") in INDEX_PROPS for p in etree.parse(str(back)).iter("prop"))
    assert any(re.search(rb'x-bead">(?!1-1<)\d-\d', u) for u in tus(direct))  # many-sentence beads too


@pytest.mark.parametrize("fmt", ["jsonl", "xlsx"])
def test_jsonl_and_xlsx_keep_the_indices(tmp_path, gap_pair, fmt):
    table, direct, back = tmp_path / f"pairs.{fmt}", tmp_path / "direct.tmx", tmp_path / "back.tmx"
    assert run_cli("align", *gap_pair, "-o", table, "-q").code == 0
    assert run_cli("align", *gap_pair, "-o", direct, "-q").code == 0
    assert run_cli("convert", table, "-o", back, "-q").code == 0
    assert tus(back) == tus(direct)
    beads, direct_beads = tmp_path / "back.align", tmp_path / "direct.align"
    assert run_cli("convert", table, "-o", beads, "-q").code == 0
    assert run_cli("align", *gap_pair, "-o", direct_beads, "-q").code == 0
    assert beads.read_text() == direct_beads.read_text()


def test_convert_reads_standard_input_and_writes_any_format(tmp_path):
    tsv = run_cli("align", EXAMPLE, "-q").out
    run = run_cli("convert", "-", "-f", "jsonl", stdin=tsv)
    assert run.code == 0, run.err
    records = [json.loads(line) for line in run.text.splitlines()]
    assert [(r["src"], r["tgt"]) for r in records] == [tuple(line.split("\t")[:2]) for line in tsv.decode().splitlines()]
    assert records[0]["src_idx"] is None and records[0]["type"] is None  # not known from a TSV
    assert (records[0]["src_lang"], records[0]["tgt_lang"]) == ("zh-CN", "en-US")  # detected
    assert run_cli("convert", "-", "-f", "tsv", stdin=tsv).out == tsv
    forced = run_cli("convert", "-", "-f", "jsonl", "--src-lang", "zh-TW", stdin=tsv)
    assert json.loads(forced.text.splitlines()[0])["src_lang"] == "zh-TW"


def test_a_batch_table_stays_a_batch(tmp_path):
    out = io.BytesIO()
    writer = TsvWriter(out, batch=True, header=True)
    writer.add(harbin_doc(), "1954/harbin.txt")
    writer.add(harbin_doc(), "1954/again.txt")
    writer.close()
    table = tmp_path / "batch.tsv"
    table.write_bytes(out.getvalue())
    tmx = tmp_path / "batch.tmx"
    assert run_cli("convert", table, "-o", tmx, "-q").code == 0
    root = etree.parse(str(tmx)).getroot()
    documents = [p.text for p in root.iter("prop") if p.get("type") == "x-document"]
    assert documents == ["1954/harbin.txt"] * 18 + ["1954/again.txt"] * 18
    assert [tu.get("tuid") for tu in root.iter("tu")] == [str(i) for i in range(1, 37)]
    run = run_cli("convert", table, "-o", tmp_path / "batch.align")
    assert run.code == 2 and "holds one document" in run.err


def test_vecalign_from_a_tsv_is_refused(tmp_path):
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text(render(harbin_doc(), "tsv"), encoding="utf-8")
    run = run_cli("convert", tsv, "-o", tmp_path / "out.align")
    assert run.code == 1 and run.err_lines == [
        f"aligner: error: {tsv}: has no sentence indices (a TSV has none), which vecalign output needs; "
        "convert the XLSX or JSONL instead"]
    assert not (tmp_path / "out.align").exists()


@pytest.mark.parametrize("lines", [
    # as convert writes a TSV's pairs: null indices
    '{"src": "甲。", "tgt": "A.", "src_idx": null, "tgt_idx": null, "score": 0.9}\n',
    # one line of several without them
    '{"src": "甲。", "tgt": "A.", "src_idx": [0], "tgt_idx": [0]}\n{"src": "乙。", "tgt": "B.", "src_idx": [1]}\n',
])
def test_vecalign_from_a_jsonl_without_indices_is_refused_saying_so(tmp_path, lines):
    table = tmp_path / "pairs.jsonl"
    table.write_text(lines, encoding="utf-8")
    run = run_cli("convert", table, "-o", tmp_path / "out.align")
    assert run.code == 1 and run.err_lines == [
        f"aligner: error: {table}: not every line has sentence indices (src_idx and tgt_idx), which vecalign "
        "output needs"]
    assert not (tmp_path / "out.align").exists()


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in entries.items():
            z.writestr(name, text)
    return buffer.getvalue()


def _workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TSV_OK = "甲。\tA.\t0.90\n乙。\tB.\t0.80\n"

BAD = {
    # name: (content, expected message after 'aligner: error: PATH: ')
    "binary": (None, "binary file (contains NUL bytes)"),
    "article": ("article", "row 1: not an alignment table: 1 tab-separated field, expected source, translation, score (and document in a batch)"),
    "short-row": (TSV_OK + "丙。\tC.\n", "row 3: 2 tab-separated fields where the table has 3"),
    "bad-score": (TSV_OK + "丙。\tC.\thigh\n", "row 3: score 'high' is not a number between 0 and 1"),
    "score-over-1": ("甲。\tA.\t7\n", "row 1: score '7' is not a number between 0 and 1"),
    "header-only": ("source\ttranslation\tscore\n", "no rows after the header: not an alignment table"),
    "json-broken": ('{"src": "甲", "tgt": "A", "score": 0.9}\n{"src": "乙", \n', "line 2: not JSON (Expecting property name enclosed in double quotes at column 14)"),
    "json-no-tgt": ('{"src": "甲", "tgt": "A", "score": 0.9}\n{"src": "乙", "score": 0.9}\n', "line 2: 'tgt' is missing; an alignment line has src and tgt"),
    "json-array": ("[1, 2]\n", "line 1: a JSON array, not an object; each line of an alignment JSONL is an object with src and tgt"),
    "json-null-line": ('{"src": "甲", "tgt": "A"}\nnull\n', "line 2: a JSON null, not an object; each line of an alignment JSONL is an object with src and tgt"),
    "json-bad-idx": ('{"src": "甲", "tgt": "A", "src_idx": ["x"], "tgt_idx": [0]}\n', "line 1: 'src_idx' must be a list of sentence numbers, not [\"x\"]"),
    "xlsx-no-column": ("xlsx:no-translation", "sheet 'Sheet' row 1: no 'translation' column (the header row has source, score; an alignment table has source, translation)"),
    "xlsx-bad-index": ("xlsx:bad-index", "sheet 'Sheet' row 3: src_idx 'two' is not a list of sentence numbers such as 14,15"),
    "xlsx-bad-score": ("xlsx:bad-score", "sheet 'Sheet' row 2: score 'sure' is not a number between 0 and 1"),
    "json-overlap": ('{"src": "甲", "tgt": "A", "src_idx": [0, 1], "tgt_idx": [0]}\n\n'
                     '{"src": "乙", "tgt": "B", "src_idx": [1], "tgt_idx": [1]}\n',
                     "line 3: source sentence 1 is already in line 1"),
    "json-twice": ('{"src": "甲", "tgt": "A", "src_idx": [0], "tgt_idx": [0, 0]}\n',
                   "line 1: target sentence 0 is twice in this row"),
    "xlsx-overlap": ("xlsx:overlap", "sheet 'Sheet' row 4: target sentence 1 is already in row 2"),
    "utf16-no-bom": ("utf16:甲。\tA.\t0.90\n", "binary file (contains NUL bytes); if it is a table in another encoding, save it as UTF-8"),
    "unknown-encoding": ("bytes", "binary file or unknown encoding (not UTF-8, UTF-16, GB18030, Big5 or Windows-1252); if it is a table in another encoding, save it as UTF-8"),
    "zip-not-xlsx": ("zip", "not an XLSX workbook"),
    "xlsx-damaged": ("xlsx:damaged", "damaged XLSX workbook"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_line_naming_file_and_row(tmp_path, case):
    content, message = BAD[case]
    path = tmp_path / f"{case}.in"
    if case == "binary":
        path.write_bytes((INPUT / "pixel.png").read_bytes())
    elif content == "article":
        path.write_bytes(EXAMPLE.read_bytes())
    elif content.startswith("utf16:"):  # as Excel's "Unicode text" without its byte-order mark
        path.write_bytes(content.removeprefix("utf16:").encode("utf-16-le"))
    elif content == "bytes":
        path.write_bytes(bytes(range(0x80, 0x100)) * 8)
    elif content == "zip":
        path.write_bytes(_zip({"word/document.xml": "<w:document/>"}))
    elif content == "xlsx:no-translation":
        path.write_bytes(_workbook([["source", "score"], ["甲。", 0.9]]))
    elif content == "xlsx:bad-index":
        path.write_bytes(_workbook([["source", "translation", "score", "type", "src_idx", "tgt_idx"],
                                    ["甲。", "A.", 0.9, "1-1", 0, 0], ["乙。", "B.", 0.9, "1-1", "two", 1]]))
    elif content == "xlsx:damaged":  # a workbook whose sheet breaks off
        good = zipfile.ZipFile(io.BytesIO(_workbook([["source", "translation"], ["甲。", "A."]])))
        path.write_bytes(_zip({name: good.read(name).decode()[:200] if name.endswith("sheet1.xml") else good.read(name).decode()
                               for name in good.namelist()}))
    elif content == "xlsx:overlap":
        path.write_bytes(_workbook([["source", "translation", "score", "type", "src_idx", "tgt_idx"],
                                    ["甲。", "A.", 0.9, "1-2", 0, "0,1"], ["乙。", "", 0.9, "1-0", 1, 1],
                                    ["丙。", "C.", 0.9, "1-1", 2, 1]]))
    elif content == "xlsx:bad-score":
        path.write_bytes(_workbook([["source", "translation", "score"], ["甲。", "A.", "sure"]]))
    else:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out.tmx"
    run = run_cli("convert", path, "-o", out)
    assert run.code == 1
    assert len(run.err_lines) == 1 and run.err_lines[0].startswith(f"aligner: error: {path}: {message}"), run.err
    assert "--encoding" not in run.err  # align's option; convert has none
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == [path.name]


def run_capped(*args) -> Run:
    """run_cli with a time limit and, where there is one, a memory limit (1 GiB of data; a
    conversion takes tens of MiB): a table that makes convert build something as large as
    its sentence indices fails the test quickly instead of filling the machine's memory."""
    def limit_memory():
        import resource

        resource.setrlimit(resource.RLIMIT_DATA, (2**30, 2**30))

    proc = subprocess.run(cli_argv(*args), input=b"", capture_output=True, env=cli_env(), timeout=60,
                          preexec_fn=limit_memory if sys.platform.startswith("linux") else None)
    return Run(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))


def _jsonl(*rows: tuple[str, str, list[int], list[int]]) -> str:
    return "".join(json.dumps({"src": src, "tgt": tgt, "src_idx": si, "tgt_idx": ti, "score": 0.9}, ensure_ascii=False) + "\n"
                   for src, tgt, si, ti in rows)


HUGE = 10**30
XLSX_HEADER = ["source", "translation", "score", "type", "src_idx", "tgt_idx"]


@pytest.mark.parametrize("kind", ["jsonl", "xlsx-number", "xlsx-text"])
def test_a_huge_sentence_index_is_one_line(tmp_path, kind):
    if kind == "jsonl":
        path = tmp_path / "x.jsonl"
        path.write_text(_jsonl(("甲。", "A.", [0], [0]), ("乙。", "B.", [1], [1]), ("丙。", "C.", [HUGE], [2])), encoding="utf-8")
        where, index, column = "line 3", HUGE, "src_idx"
    else:  # a number cell holds a double, as in Excel: 1e+20; a text cell is parsed
        path = tmp_path / "x.xlsx"
        cell = 99999999999999999999 if kind == "xlsx-number" else "2, 99999999999999999999"
        path.write_bytes(_workbook([XLSX_HEADER, ["甲。", "A.", 0.9, "1-1", 0, 0], ["乙。", "B.", 0.9, "1-2", 1, cell]]))
        index = 10**20 if kind == "xlsx-number" else 99999999999999999999
        where, column = "sheet 'Sheet' row 3", "tgt_idx"
    out = tmp_path / "out.tmx"
    run = run_capped("convert", path, "-o", out)
    assert run.code == 1 and run.err_lines == [
        f"aligner: error: {path}: {where}: sentence index {index} in {column} is beyond the largest a document "
        f"can have ({sys.maxsize - 1})"], run.err
    assert not out.exists()


def test_indices_far_apart_are_kept_without_filling_the_gap(tmp_path):
    # A reviewer may delete any rows, so the indices left can be far apart; nothing is
    # built for the sentences in between.
    path = tmp_path / "kept.jsonl"
    far = 10**12
    path.write_text(_jsonl(("甲。", "A.", [3], [3]), ("乙。", "B.", [far], [far, far + 1])), encoding="utf-8")
    run = run_capped("convert", path, "-f", "jsonl")
    assert run.code == 0, run.err
    records = [json.loads(line) for line in run.text.splitlines()]
    assert [(r["src_idx"], r["tgt_idx"], r["type"]) for r in records] == [([3], [3], "1-1"), ([far], [far, far + 1], "1-2")]
    tmx = tmp_path / "kept.tmx"
    assert run_capped("convert", path, "-o", tmx, "-q").code == 0
    header = {p.get("type"): p.text for p in etree.parse(str(tmx)).getroot().find("header").iter("prop")}
    assert (header["x-src-sentences"], header["x-tgt-sentences"]) == (str(far + 1), str(far + 2))


@pytest.mark.parametrize("kind", ["html", "vecalign"])
def test_an_output_of_align_that_convert_does_not_read(tmp_path, kind):
    names = {"html": "an HTML page", "vecalign": "vecalign beads (indices, no texts)"}
    path = tmp_path / f"art.{ {'vecalign': 'align'}.get(kind, kind)}"
    assert run_cli("align", EXAMPLE, "-o", path, "-q").code == 0
    run = run_cli("convert", path, "-o", tmp_path / "out.tsv")
    assert run.code == 1 and run.err_lines == [
        f"aligner: error: {path}: {names[kind]}, which convert does not read: its input is an alignment "
        "table as align writes it, XLSX, TSV or JSONL, or a translation memory (TMX)"], run.err
    assert not (tmp_path / "out.tsv").exists()


def test_a_tsv_whose_first_text_starts_like_json_is_a_tsv(tmp_path):
    tsv = tmp_path / "pairs.tsv"
    for text in ("[注] 甲。\t[Note] A.\t0.90\n乙。\tB.\t0.80\n", "{注} 甲。\t{Note} A.\t0.90\n乙。\tB.\t0.80\n"):
        tsv.write_text(text, encoding="utf-8")
        run = run_cli("convert", tsv, "-f", "tsv")
        assert run.code == 0, run.err
        assert run.text == text


def test_help_of_convert_gives_its_own_exit_statuses():
    text = run_main("convert", "--help").text
    epilog = text[text.index("Exit status:"):]
    assert "not an alignment table" in epilog and "(convert)" not in epilog
    assert "bilingual article" not in epilog and "same language" not in epilog  # align's failures
    for status in ("0", "1", "2", "130", "141", "143"):
        assert re.search(rf"^ +{status}  ", epilog, re.M), status
    assert "ALIGNER_DEBUG=1" in epilog
    align_epilog = run_main("align", "--help").text.split("Exit status:")[1]
    assert "bilingual article" in align_epilog


@pytest.mark.parametrize("option", ["--src-lang", "--tgt-lang"])
@pytest.mark.parametrize("code", ['zh "CN"<x>', "en\tUS", "", "fr"])
def test_a_language_align_refuses_is_refused_in_the_same_words(tmp_path, option, code):
    """A code convert would write into xml:lang: refused (exit 2) as align refuses it, and
    an empty one is no longer silently ignored."""
    tsv, out = tmp_path / "pairs.tsv", tmp_path / "out.tmx"
    tsv.write_text(TSV_OK, encoding="utf-8")
    run = run_main("convert", tsv, "-o", out, option, code)
    message = f"language {code!r} is not supported (Chinese and English only)"
    assert run.code == 2 and run.err_lines == [f"aligner: error: {tsv}: {message}"], run.err
    assert not out.exists()
    zh, en = tmp_path / "a.zh", tmp_path / "a.en"
    zh.write_text("甲。\n", encoding="utf-8")
    en.write_text("A.\n", encoding="utf-8")
    side = zh if option == "--src-lang" else en
    assert run_main("align", zh, en, option, code).err_lines == [f"aligner: error: {side}: {message}"]


def test_missing_input_and_same_output_are_usage_errors(tmp_path):
    run = run_cli("convert", tmp_path / "none.xlsx", "-o", tmp_path / "out.tmx")
    assert run.code == 2 and run.err_lines == [f"aligner: error: {tmp_path / 'none.xlsx'}: no such file"]
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text(TSV_OK, encoding="utf-8")
    run = run_cli("convert", tsv, "-o", tsv)
    assert run.code == 2 and "is also an input file" in run.err and tsv.read_text(encoding="utf-8") == TSV_OK
    run = run_cli("convert", tsv, "-o", tmp_path / "out.tmx", "--header")
    assert run.code == 2 and run.err_lines == ["aligner: error: --header applies to TSV output, not tmx"]


def test_rows_emptied_on_both_sides_keep_their_place_and_deleted_rows_are_gone(tmp_path):
    """A row without text gives no unit, but later units keep their tuids; a blank line
    (a deleted row) is gone."""
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("甲。\tA.\t0.90\n\t\t0.50\n乙。\t\t0.80\n\n丙。\tC.\t\n", encoding="utf-8")
    run = run_cli("convert", tsv, "-f", "jsonl")
    assert run.code == 0, run.err
    records = [json.loads(line) for line in run.text.splitlines()]
    assert [(r["src"], r["tgt"], r["score"]) for r in records] == [
        ("甲。", "A.", 0.9), ("", "", 0.5), ("乙。", "", 0.8), ("丙。", "C.", 1.0)]
    tmx = tmp_path / "out.tmx"
    assert run_cli("convert", tsv, "-o", tmx, "-q").code == 0
    assert [(tuid, src) for tuid, src, _ in units(tmx)] == [("1", "甲。"), ("4", "丙。")]


def test_a_row_without_text_yields_its_indices_to_a_row_with_text(tmp_path):
    """Emptied on both sides with its indices left, a row keeps them, unless a row with text
    has one (the reviewer merged the two): then it is gone, and nothing overlaps."""
    head = '{"src": "甲。乙。", "tgt": "A. B.", "src_idx": [0, 1], "tgt_idx": [0, 1]}\n'
    for empty, beads in (('{"src": "", "tgt": "", "src_idx": [1], "tgt_idx": [1]}\n', ["[0,1]:[0,1]"]),
                         ('{"src": "", "tgt": "", "src_idx": [2], "tgt_idx": []}\n', ["[0,1]:[0,1]", "[2]:[]"]),
                         ('{"src": " ", "tgt": "", "src_idx": [], "tgt_idx": []}\n', ["[0,1]:[0,1]"])):
        table = tmp_path / "pairs.jsonl"
        table.write_text(empty + head, encoding="utf-8")
        run = run_cli("convert", table, "-f", "vecalign")
        assert run.code == 0, run.err
        assert sorted(run.text.splitlines()) == sorted(beads)


PRESPLIT_ZH = "你好。\n\n今天天气很好。\n   \n我们去公园吧。\n"
PRESPLIT_EN = "Hello.\nThe weather is nice today.\n\nLet us go to the park.\n"


@pytest.mark.parametrize("fmt", ["xlsx", "jsonl", "tsv"])
def test_an_unedited_table_of_a_presplit_input_with_blank_lines_converts_to_the_direct_output(tmp_path, fmt):
    """Blank lines of a --presplit input are sentences without text: a bead of them gives no
    unit, but convert keeps it, so tuids, header figures and vecalign beads are align's."""
    zh, en = tmp_path / "ps.zh", tmp_path / "ps.en"
    zh.write_text(PRESPLIT_ZH, encoding="utf-8")
    en.write_text(PRESPLIT_EN, encoding="utf-8")
    table, direct, back = tmp_path / f"pairs.{fmt}", tmp_path / "direct.tmx", tmp_path / "back.tmx"
    for out in (table, direct, tmp_path / "direct.align"):
        assert run_cli("align", zh, en, "--presplit", "-o", out, "-q").code == 0
    assert "[3]:[2]" in (tmp_path / "direct.align").read_text().splitlines()  # a bead of two blank lines
    run = run_cli("convert", table, "-o", back)
    assert run.code == 0, run.err
    assert [tu[0] for tu in units(direct)] == ["1", "2", "4"]
    if fmt == "xlsx":  # the README's promise: byte for byte but the creation date
        body = lambda path: re.sub(r'creationdate="\w+"', "", path.read_text(encoding="utf-8"))
        assert body(back) == body(direct)
    elif fmt == "jsonl":  # which does not carry the signature
        header = lambda path: {p.get("type"): p.text for p in etree.parse(str(path)).getroot().find("header")}
        assert header(back) == {k: v for k, v in header(direct).items() if k != "x-aligner-signature"}
        assert tus(back) == tus(direct)
    else:  # a TSV has no indices (its cells are its sentences): the same tuids, texts and scores
        assert tus(back) == tus(direct, drop=INDEX_PROPS)
    if fmt != "tsv":
        assert run_cli("convert", table, "-o", tmp_path / "back.align", "-q").code == 0
        assert (tmp_path / "back.align").read_text() == (tmp_path / "direct.align").read_text()


def test_a_sentence_in_two_rows_is_refused_but_merged_rows_are_not(tmp_path):
    """A reviewer's overlapping indices would give beads `aligner eval` refuses and wrong
    TMX figures: one line naming the rows, in eval's words. Merging two pairs into one
    row and deleting the other, or emptying its text, overlaps nothing."""
    from openpyxl import load_workbook

    pairs = tmp_path / "pairs.xlsx"
    assert run_cli("align", EXAMPLE, "-o", pairs, "-q").code == 0

    def edited(name: str, *, delete: bool = False, empty: bool = False) -> Path:
        book = load_workbook(pairs)
        ws = book["pairs"]
        assert [c.value for c in ws[3]][5:] == [2, 2] and [c.value for c in ws[4]][5:] == [3, 3]
        ws.cell(3, 6).value = "2;3"  # row 3 takes the source sentence of row 4
        if delete:
            ws.delete_rows(4)
        if empty:
            ws.cell(4, 1).value = None
        book.save(tmp_path / name)
        return tmp_path / name

    overlap = edited("overlap.xlsx")
    for out in ("out.tmx", "out.align"):
        run = run_cli("convert", overlap, "-o", tmp_path / out)
        assert run.code == 1 and run.err_lines == [
            f"aligner: error: {overlap}: sheet 'pairs' row 4: source sentence 3 is already in row 3"]
        assert not (tmp_path / out).exists()
    for table in (edited("deleted.xlsx", delete=True), edited("emptied.xlsx", empty=True)):
        beads = tmp_path / "merged.align"
        run = run_cli("convert", table, "-o", beads, "-q")
        assert run.code == 0, run.err
        assert beads.read_text().splitlines()[1] == "[1,2]:[1]"
        assert run_cli("eval", beads, beads).code == 0


def test_a_text_too_long_for_a_cell_is_one_line(tmp_path):
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("这是一个很长的句子" * 4000 + "。\n\n第二句。\n", encoding="utf-8")
    en.write_text("A long sentence.\n\nSecond.\n", encoding="utf-8")
    out = tmp_path / "pairs.xlsx"
    run = run_cli("align", zh, en, "--presplit", "-o", out)
    assert run.code == 1 and run.err_lines[-1] == (
        f"aligner: error: {out}: pair 1 has a text of 36,001 characters, more than a spreadsheet cell "
        "holds (32,767); use tsv or jsonl")
    assert "Exception ignored" not in run.err and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["en.txt", "zh.txt"]


# -- reading a TSV back as the README says --------------------------------------------------

def read_tsv_stdlib(path: Path) -> list[list[str]]:
    """The README's standard-library call."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_tsv_pandas(path: Path) -> list[list[str]]:
    """The README's pandas call."""
    import pandas

    frame = pandas.read_csv(path, sep="\t", header=None, names=["source", "translation", "score"],
                            quoting=csv.QUOTE_NONE, keep_default_na=False, na_filter=False, dtype=str,
                            encoding="utf-8")
    return frame.values.tolist()


READERS = [read_tsv_stdlib, pytest.param(read_tsv_pandas, marks=pytest.mark.skipif(
    importlib.util.find_spec("pandas") is None,
    reason="pandas is not installed (it is no dependency; pip install pandas to check the README's call)"))]

# Quotes where CSV readers take them for field quoting: the naive pandas.read_csv(sep='\t')
# joins the first two rows (an opening quote closed only in the next line).
QUOTED = "“我明天来。\t\"I will come tomorrow.\t0.90\n他走了。”\tThen he left.\"\t0.90\nNA\tnull\t0.50\n#\t \t0.10\n"


@pytest.mark.parametrize("reader", READERS)
def test_readme_calls_read_a_quoted_tsv_back(tmp_path, reader):
    path = tmp_path / "pairs.tsv"
    path.write_text(QUOTED, encoding="utf-8")
    assert reader(path) == [line.split("\t") for line in QUOTED.splitlines()]


@pytest.mark.parametrize("reader", READERS)
def test_readme_calls_read_any_tsv_back(tmp_path, reader):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(nasty_docs())
    def check(doc):
        text = render(doc, "tsv")
        if not text:
            return
        path = tmp_path / "pairs.tsv"
        path.write_bytes(text.encode("utf-8"))
        assert reader(path) == [line.split("\t") for line in text.split("\n")[:-1]]

    check()
