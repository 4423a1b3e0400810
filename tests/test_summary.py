"""The per-document summary: counts of sentences, units and unpaired sentences, as TSV."""

from __future__ import annotations

import pytest

from aligner.document import AlignedDocument, Text
from aligner.summary import COLUMNS, DocumentSummary, header_line, tsv_line, unpaired


def doc_with_gaps() -> AlignedDocument:
    zh = ["哈尔滨市国营工厂举行座谈会。", "（新华社）", "会上交流了经验。"]
    en = ["Harbin factories held a forum.", "Experience was exchanged.", "An invented sentence."]
    beads = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((), (2,))]
    return AlignedDocument(Text("zh-CN", [zh]), Text("en-US", [en]), beads, [0.9, 0.5, 0.7, 0.4])


def test_unpaired_sentences_are_those_of_one_sided_beads():
    assert unpaired(doc_with_gaps()) == ([1], [2])


def test_summary_counts_units_and_averages_their_scores_only():
    s = DocumentSummary.of(doc_with_gaps(), "a/b.txt")
    assert (s.status, s.src_sentences, s.tgt_sentences, s.units, s.src_unpaired, s.tgt_unpaired) == (
        "ok", 3, 3, 2, 1, 1)
    assert abs(s.mean_confidence - 0.8) < 1e-12


def test_tsv_rows_have_the_columns_of_the_header():
    ok = tsv_line(DocumentSummary.of(doc_with_gaps(), "a/b.txt")).rstrip("\n").split("\t")
    failed = tsv_line(DocumentSummary.failed("c.txt", "binary file\t(NUL bytes)\nline 2")).rstrip("\n").split("\t")
    assert header_line().rstrip("\n").split("\t") == list(COLUMNS)
    assert len(ok) == len(failed) == len(COLUMNS)
    assert ok == ["a/b.txt", "ok", "3", "3", "2", "1", "1", "0.8000", "0", "0", ""]
    assert failed[:2] == ["c.txt", "failed"] and failed[-1] == "binary file (NUL bytes) line 2"
    assert failed[COLUMNS.index("mean_confidence")] == ""


def test_a_bead_of_empty_sentences_is_no_unit():
    """Blank lines of a --presplit input are sentences without text; a bead of them has
    sentences on both sides but no text, so it is no unit (the TMX leaves it out) and its
    score is not in the units' mean."""
    zh = ["你好。", "", "今天天气很好。", "\x01 "]
    en = ["Hello.", "", "The weather is nice today.", "It is."]
    beads = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]
    doc = AlignedDocument(Text("zh-CN", [zh]), Text("en-US", [en]), beads, [0.6, 0.9, 0.8, 0.1])
    s = DocumentSummary.of(doc, "ps.zh")
    assert (s.src_sentences, s.tgt_sentences, s.units) == (4, 4, 2)
    assert abs(s.mean_confidence - 0.7) < 1e-12


def test_units_are_the_tmx_units_and_the_jsonl_pairs(tmp_path):
    """align's figures agree: the TMX header's x-units, its <tu>s, the summary's units and
    the JSONL records with text on both sides; the mean is over those units."""
    import json

    from lxml import etree

    from conftest import run_cli

    zh, en = tmp_path / "ps.zh", tmp_path / "ps.en"
    zh.write_text("你好。\n\n今天天气很好。\n   \n我们去公园吧。\n", encoding="utf-8")
    en.write_text("Hello.\nThe weather is nice today.\n\nLet us go to the park.\n", encoding="utf-8")
    tmx, jsonl, summary = tmp_path / "out.tmx", tmp_path / "out.jsonl", tmp_path / "summary.tsv"
    assert run_cli("align", zh, en, "--presplit", "-o", tmx, "--summary", summary, "-q").code == 0
    assert run_cli("align", zh, en, "--presplit", "-o", jsonl, "-q").code == 0
    root = etree.parse(str(tmx)).getroot()
    header = {p.get("type"): p.text for p in root.find("header")}
    row = dict(zip(COLUMNS, summary.read_text(encoding="utf-8").splitlines()[1].split("\t")))
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    pairs = [r["score"] for r in records if r["src"].strip() and r["tgt"].strip()]
    assert len(records) == 4 and len(pairs) == 3  # one bead of two blank lines
    assert header["x-units"] == row["units"] == str(len(list(root.iter("tu")))) == str(len(pairs))
    assert header["x-mean-confidence"] == f"{sum(pairs) / len(pairs):.2f}"
    assert float(row["mean_confidence"]) == pytest.approx(sum(pairs) / len(pairs), abs=1e-4)
