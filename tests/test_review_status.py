"""Review without workarounds (issue 23, items 3 and 5, and TMX as an input to convert):
the workbook's status column and JSONL's status send wrong pairs to the rejects; what
people read counts sentences from 1 while the *_idx fields stay 0-based; an existing
memory (TMX) can be read back into a workbook or a report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook

from aligner.summary import ranges
from conftest import EXAMPLE, example_bodies, run_cli

DTD = etree.DTD(str(Path(__file__).parent / "data" / "tmx14.dtd"))


def tmx_units(path: Path) -> list[tuple[str, str, dict[str, str]]]:
    root = etree.parse(str(path)).getroot()
    assert DTD.validate(root), DTD.error_log.filter_from_errors()
    return [(*(seg.text for seg in tu.iter("seg")), {p.get("type"): p.text for p in tu.findall("prop")})
            for tu in root.iter("tu")]


@pytest.fixture(scope="module")
def aligned(tmp_path_factory) -> dict[str, Path]:
    """The example aligned once to a workbook, a memory and JSONL."""
    folder = tmp_path_factory.mktemp("aligned")
    out = {fmt: folder / f"harbin.{fmt}" for fmt in ("xlsx", "tmx", "jsonl")}
    for path in out.values():
        assert run_cli("align", EXAMPLE, "-o", path, "-q").code == 0
    return out


def test_the_workbook_has_a_status_column_explained_in_its_header(aligned):
    book = load_workbook(aligned["xlsx"])
    ws = book["pairs"]
    header = [c.value for c in ws[1]]
    assert header == ["source", "translation", "score", "status", "type", "src_no", "tgt_no"]
    column = header.index("status") + 1
    assert {ws.cell(r, column).value for r in range(2, ws.max_row + 1)} == {"ok"}
    note = ws.cell(1, column).comment.text
    assert "wrong" in note and "left out of the translation memory" in note and "rejects" in note
    assert "counted from 1" in ws.cell(1, header.index("src_no") + 1).comment.text
    (rule,) = ws.data_validations.dataValidation
    assert rule.type == "list" and rule.formula1 == '"ok,wrong"' and str(rule.sqref) == f"D2:D{ws.max_row}"


def test_wrong_rows_go_to_the_rejects_not_the_memory(aligned, tmp_path):
    book = load_workbook(aligned["xlsx"])
    ws = book["pairs"]
    wrong_rows = (3, 7)
    marked = [(ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 6).value, ws.cell(r, 7).value) for r in wrong_rows]
    ws.cell(3, 4).value = "wrong"
    ws.cell(7, 4).value = " Wrong "  # as typed: case and spaces do not matter
    ws.cell(9, 4).value = None  # an emptied status is ok
    reviewed = tmp_path / "reviewed.xlsx"
    book.save(reviewed)

    memory = tmp_path / "memory.tmx"
    run = run_cli("convert", reviewed, "-o", memory)
    assert run.code == 0, run.err
    assert run.err_lines == [f"aligner: 16 rows of 1 document -> {memory} (tmx), 2 marked wrong -> {memory}.rejects.tsv"]
    units = tmx_units(memory)
    assert len(units) == 16
    assert not {src for src, _, _ in units} & {src for src, _, _, _ in marked}
    rejects = Path(f"{memory}.rejects.tsv").read_text(encoding="utf-8").splitlines()
    assert rejects[0] == "source\ttranslation\tscore\ttype\tsrc_no\ttgt_no\tnote"
    rows = [line.split("\t") for line in rejects[1:]]
    assert [(r[0], r[1], r[4], r[5]) for r in rows] == [(s, t, str(a), str(b)) for s, t, a, b in marked]
    # every sentence is in the memory or the rejects, the memory's indices 0-based
    indices = sorted(int(i) for _, _, props in units for i in props["x-src-index"].split(","))
    assert sorted(indices + [int(r[4]) - 1 for r in rows]) == list(range(18))


def test_wrong_rows_on_standard_output_are_left_out_with_a_warning(aligned, tmp_path):
    book = load_workbook(aligned["xlsx"])
    book["pairs"].cell(2, 4).value = "wrong"
    reviewed = tmp_path / "reviewed.xlsx"
    book.save(reviewed)
    run = run_cli("convert", reviewed, "-f", "tsv")
    assert run.code == 0 and len(run.text.splitlines()) == 17
    assert run.err_lines == [f"aligner: warning: {reviewed}: 1 row marked wrong left out of the output (with -o FILE "
                             "they go to FILE.rejects.tsv)"]


def test_a_status_other_than_ok_or_wrong_is_one_line(aligned, tmp_path):
    book = load_workbook(aligned["xlsx"])
    book["pairs"].cell(5, 4).value = "bad?"
    reviewed = tmp_path / "reviewed.xlsx"
    book.save(reviewed)
    run = run_cli("convert", reviewed, "-o", tmp_path / "m.tmx")
    assert run.code == 1 and run.err_lines == [
        f"aligner: error: {reviewed}: sheet 'pairs' row 5: status 'bad?' is neither ok nor wrong"]
    assert not (tmp_path / "m.tmx").exists()


def test_jsonl_status_wrong_goes_to_the_rejects(aligned, tmp_path):
    records = [json.loads(line) for line in aligned["jsonl"].read_text(encoding="utf-8").splitlines()]
    assert "status" not in records[0]  # align writes none: every pair is ok until a reviewer says otherwise
    records[1]["status"] = "wrong"
    records[2]["status"] = "ok"
    reviewed = tmp_path / "reviewed.jsonl"
    reviewed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "kept.jsonl"
    assert run_cli("convert", reviewed, "-o", out, "-q").code == 0
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(kept) == 17 and records[1]["src"] not in {r["src"] for r in kept}
    rejects = Path(f"{out}.rejects.tsv").read_text(encoding="utf-8").splitlines()
    assert rejects[1].split("\t")[:2] == [records[1]["src"], records[1]["tgt"]]
    assert rejects[1].split("\t")[4] == str(records[1]["src_idx"][0] + 1)  # JSONL 0-based, the rejects from 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**records[0], "status": 3}) + "\n", encoding="utf-8")
    run = run_cli("convert", bad, "-f", "tsv")
    assert run.code == 1 and run.err_lines == [f"aligner: error: {bad}: line 1: status '3' is neither ok nor wrong"]


def test_an_older_workbook_with_0_based_indices_converts_to_the_same_memory(aligned, tmp_path):
    """Workbooks written before the numbering for people have src_idx, tgt_idx from 0 and no
    status column: they convert to the memory the new workbook gives."""
    book = load_workbook(aligned["xlsx"])
    ws = book["pairs"]
    rows = list(ws.iter_rows(values_only=True))
    old = Workbook()
    sheet = old.active
    sheet.title = "pairs"
    sheet.append(["source", "translation", "score", "type", "src_idx", "tgt_idx"])
    for src, tgt, score, _status, kind, src_no, tgt_no in rows[1:]:
        to_idx = lambda no: no - 1 if isinstance(no, int) else ",".join(str(int(n) - 1) for n in no.split(","))
        sheet.append([src, tgt, score, kind, to_idx(src_no), to_idx(tgt_no)])
    meta = old.create_sheet("metadata")
    for row in book["metadata"].iter_rows(values_only=True):
        meta.append(list(row))
    older = tmp_path / "older.xlsx"
    old.save(older)
    a, b = tmp_path / "a.tmx", tmp_path / "b.tmx"
    assert run_cli("convert", older, "-o", a, "-q").code == 0
    assert run_cli("convert", aligned["xlsx"], "-o", b, "-q").code == 0
    body = lambda path: path.read_text(encoding="utf-8").split("creationdate=", 1)[1]
    assert body(a).split(">", 1)[1] == body(b).split(">", 1)[1]
    assert "<prop type=\"x-src-index\">14</prop>" in body(a)  # a 1-2 bead: sentence 15 of the workbook


def test_a_sentence_number_0_in_the_workbook_is_refused(aligned, tmp_path):
    book = load_workbook(aligned["xlsx"])
    book["pairs"].cell(2, 6).value = 0
    reviewed = tmp_path / "reviewed.xlsx"
    book.save(reviewed)
    run = run_cli("convert", reviewed, "-f", "tsv")
    assert run.code == 1 and run.err_lines == [
        f"aligner: error: {reviewed}: sheet 'pairs' row 2: src_no '0' is not a list of sentence numbers counted from 1 "
        "such as 15,16"]


def test_unpaired_notes_count_from_1_as_the_workbook_does(tmp_path):
    """stderr names the sentences as the workbook numbers them (the report's rows too), one
    more than the JSONL's and TMX's 0-based indices. The English drops the example's third
    paragraph."""
    zh_paragraphs, en_paragraphs = example_bodies()
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("\n\n".join(zh_paragraphs) + "\n", encoding="utf-8")
    en.write_text("\n\n".join(en_paragraphs[:3] + en_paragraphs[4:]) + "\n", encoding="utf-8")
    out = tmp_path / "pairs.xlsx"
    run = run_cli("align", zh, en, "-o", out)
    assert run.code == 0, run.err
    rows = list(load_workbook(out)["pairs"].iter_rows(values_only=True))[1:]
    numbers = [int(n) for r in rows if r[1] is None for n in str(r[5]).split(",")]
    assert len(numbers) >= 2
    assert f"aligner: {len(numbers)} Chinese sentences have no translation: {ranges(numbers)}" in run.err_lines
    jsonl = [json.loads(line) for line in run_cli("align", zh, en, "-f", "jsonl", "-q").text.splitlines()]
    assert [i + 1 for r in jsonl if not r["tgt_idx"] for i in r["src_idx"]] == numbers


# -- a memory (TMX) read back -----------------------------------------------------------------

def test_a_memory_converts_to_a_workbook_and_back_unchanged(aligned, tmp_path):
    workbook, back, report = tmp_path / "review.xlsx", tmp_path / "back.tmx", tmp_path / "review.html"
    run = run_cli("convert", aligned["tmx"], "-o", workbook, "--report", report)
    assert run.code == 0, run.err
    assert run.err_lines == [f"aligner: 18 rows of 1 document -> {workbook} (xlsx)", f"aligner: report -> {report}"]
    rows = list(load_workbook(workbook)["pairs"].iter_rows(values_only=True))
    assert len(rows) == 19 and rows[15][5:] == (15, "15,16")
    assert "哈尔滨市国营和地方国营工厂举行座谈会" in report.read_text(encoding="utf-8")
    assert run_cli("convert", workbook, "-o", back, "-q").code == 0
    after = lambda path: path.read_text(encoding="utf-8").split("creationdate=", 1)[1].split(">", 1)[1]
    assert after(back) == after(aligned["tmx"])  # metadata, signature, figures and every unit


def test_a_memory_as_other_tools_write_it(tmp_path):
    """UTF-16 with a DOCTYPE (as Trados writes it), srclang '*all*', no aligner properties,
    inline codes, languages by TMX 1.1's lang too: texts are read, scores are 1 (a person
    made the pairs), indices unknown."""
    memory = tmp_path / "project.tmx"
    memory.write_text(
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n'
        '<header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT" adminlang="EN-US" '
        'srclang="*all*" datatype="plaintext"/>\n<body>\n'
        '<tu><tuv xml:lang="ZH-CN"><seg>会议在<bpt i="1">&lt;b&gt;</bpt>哈尔滨<ept i="1">&lt;/b&gt;</ept>举行。</seg></tuv>'
        '<tuv xml:lang="EN-GB"><seg>The meeting was held in <hi>Harbin</hi>.</seg></tuv></tu>\n'
        '<tu><tuv lang="zh-CN"><seg>双方交流了情况。</seg></tuv><tuv lang="en-GB"><seg>Both sides exchanged '
        'information.<ph x="1">&lt;br/&gt;</ph></seg></tuv></tu>\n'
        '</body>\n</tmx>\n', encoding="utf-16")
    run = run_cli("convert", memory, "-f", "jsonl")
    assert run.code == 0, run.err
    records = [json.loads(line) for line in run.text.splitlines()]
    assert [(r["src"], r["tgt"], r["score"], r["src_idx"], r["src_lang"], r["tgt_lang"]) for r in records] == [
        ("会议在哈尔滨举行。", "The meeting was held in Harbin.", 1.0, None, "ZH-CN", "EN-GB"),
        ("双方交流了情况。", "Both sides exchanged information.", 1.0, None, "ZH-CN", "EN-GB")]
    # the other direction, chosen by language
    run = run_cli("convert", memory, "-f", "tsv", "--src-lang", "en", "--tgt-lang", "zh")
    assert run.code == 0 and run.text.splitlines()[0] == "The meeting was held in Harbin.\t会议在哈尔滨举行。\t1.00"
    run = run_cli("convert", memory, "-f", "tsv", "--tgt-lang", "zh-TW")
    assert run.code == 1 and run.err_lines == [
        f"aligner: error: {memory}: no zh-TW side in the memory besides the source (the first unit has ZH-CN, EN-GB); "
        "give --tgt-lang with one of those"]


def test_a_batch_memory_keeps_its_documents(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_bytes(EXAMPLE.read_bytes())
    memory, table = tmp_path / "all.tmx", tmp_path / "all.xlsx"
    assert run_cli("batch", folder, "-o", memory, "-q", "--jobs", "1").code == 0
    run = run_cli("convert", memory, "-o", table, "-q")
    assert run.code == 0, run.err
    rows = list(load_workbook(table)["pairs"].iter_rows(values_only=True))
    assert rows[0][-1] == "document" and [r[-1] for r in rows[1:]] == ["a.txt"] * 18 + ["b.txt"] * 18


def test_a_memory_that_is_not_well_formed_is_one_line(tmp_path):
    memory = tmp_path / "broken.tmx"
    memory.write_text('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="zh-CN"/><body>\n<tu><tuv xml:lang="zh-CN">'
                      "<seg>甲</seg></tuv>\n</body></tmx>\n", encoding="utf-8")
    run = run_cli("convert", memory, "-f", "tsv")
    assert run.code == 1 and run.err_lines == [
        f"aligner: error: {memory}: not well-formed XML at line 4, column 3: mismatched tag"]
    empty = tmp_path / "empty.tmx"
    empty.write_text('<tmx version="1.4"><header srclang="zh-CN"/><body></body></tmx>\n', encoding="utf-8")
    run = run_cli("convert", empty, "-f", "tsv")
    assert run.code == 1 and run.err_lines == [f"aligner: error: {empty}: no translation units (<tu>) in the memory"]
