"""Saying what is missing and filtering without loss (`aligner align`): the unpaired note on
standard error, --summary, --min-confidence and its rejects file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.filtering import split_beads
from aligner.summary import ranges, unpaired_notes
from conftest import EXAMPLE, example_bodies, run_main
from test_writers import harbin_doc, with_gaps


def sentences_of(beads) -> tuple[list[int], list[int]]:
    return sorted(i for b in beads for i in b[0]), sorted(j for b in beads for j in b[1])


def test_one_sided_beads_are_always_rejected_and_nothing_is_lost():
    doc = with_gaps(harbin_doc())  # scores 0.5 ... 0.925, then a 1-0 at 0.1 and a 0-1 at 0.2
    for threshold in (0.0, 0.7, 1.0):
        split = split_beads(doc, threshold)
        assert all(s and t for s, t in split.kept.beads)
        assert all(score >= threshold for score in split.kept.scores)
        assert ((18,), ()) in split.rejected.beads and ((), (19,)) in split.rejected.beads
        src, tgt = sentences_of(split.kept.beads + split.rejected.beads)
        assert src == list(range(19)) and tgt == list(range(20))
        assert split.kept.src is doc.src and split.rejected.metadata == doc.metadata
    assert len(split_beads(doc, 0.0).kept.beads) == 18
    assert len(split_beads(doc, 0.7).kept.beads) == 10  # scores 0.7, 0.725, ... 0.925


def test_ranges_and_notes():
    assert ranges([9, 4, 5, 6, 12, 13]) == "4-6, 9, 12-13"
    assert ranges(list(range(0, 100, 2))).endswith("20, 22, ...")
    assert unpaired_notes(harbin_doc()) == []
    assert unpaired_notes(with_gaps(harbin_doc())) == [
        "1 Chinese sentence has no translation: 19", "1 English sentence has no original: 20"]  # counted from 1


@pytest.fixture
def one_english_sentence(tmp_path) -> tuple[Path, Path]:
    """Twelve Chinese sentences against one English one: at least seven cannot be paired
    (no bead shape takes more than five sentences of a side)."""
    zh, en = example_bodies()
    zh_path, en_path = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh_path.write_text("\n\n".join(zh[2:5]) + "\n", encoding="utf-8")
    en_path.write_text(en[2].split(". ")[0] + ".\n", encoding="utf-8")
    return zh_path, en_path


def test_unpaired_sentences_are_one_line_on_stderr(one_english_sentence, tmp_path):
    zh, en = one_english_sentence
    out = tmp_path / "out.jsonl"
    run = run_main("align", zh, en, "-o", out)
    assert run.code == 0, run.err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    unpaired = [i for r in records if not r["tgt_idx"] for i in r["src_idx"]]
    assert len(unpaired) >= 7
    notes = [line for line in run.err_lines if "have no translation" in line]
    # counted from 1, as people count: one more than the JSONL's 0-based src_idx
    assert notes == [f"aligner: {len(unpaired)} Chinese sentences have no translation: {ranges([i + 1 for i in unpaired])}"]
    assert run_main("align", zh, en, "-o", out, "-q").err == ""


def test_min_confidence_main_plus_rejects_is_every_sentence(one_english_sentence, tmp_path):
    zh, en = one_english_sentence
    out, summary = tmp_path / "out.tmx", tmp_path / "figures.tsv"
    run = run_main("align", zh, en, "-o", out, "--min-confidence", "0.5", "--summary", summary, "-q")
    assert run.code == 0, run.err
    from lxml import etree

    root = etree.parse(str(out)).getroot()
    props = {p.get("type"): p.text for p in root.find("header").findall("prop")}
    kept = [(tu.find("prop[@type='x-src-index']").text, tu.find("prop[@type='x-tgt-index']").text)
            for tu in root.iter("tu")]
    lines = Path(str(out) + ".rejects.tsv").read_text(encoding="utf-8").splitlines()
    rejected = [line.split("\t") for line in lines[1:]]
    # one English sentence against twelve Chinese ones: no better evidence than unrelated text
    # gives (aligner.status), so the document is suspect and its one pair goes to the rejects too
    assert all(t in ("1-0", "0-1") or float(score) < 0.5 or note.startswith("the document is suspect")
               for _, _, score, t, _, _, note in rejected)
    assert lines[0] == "source\ttranslation\tscore\ttype\tsrc_no\ttgt_no\tnote"  # numbers from 1, TMX's indices from 0
    src = sorted(int(i) for s, _ in kept for i in s.split(",")) + [int(i) - 1 for r in rejected for i in r[4].split(",") if i]
    tgt = sorted(int(j) for _, t in kept for j in t.split(",")) + [int(j) - 1 for r in rejected for j in r[5].split(",") if j]
    n_zh = len([s for s in src])
    assert sorted(src) == list(range(n_zh)) and sorted(tgt) == [0]
    # the header and the summary describe the whole alignment, not what was kept
    row = dict(zip(*(line.split("\t") for line in summary.read_text(encoding="utf-8").splitlines())))
    assert props["x-src-unpaired"] == row["src_unpaired"] == str(sum(1 for r in rejected if r[3].endswith("-0")
                                                                       for _ in r[4].split(",")))
    assert row["document"] == str(zh) and row["status"] == "suspect" and int(row["src_sentences"]) == n_zh


def test_min_confidence_on_the_example_keeps_the_pairs_at_or_above_it(tmp_path):
    full = tmp_path / "full.jsonl"
    assert run_main("align", EXAMPLE, "-o", full, "-q").code == 0
    scores = sorted(json.loads(line)["score"] for line in full.read_text(encoding="utf-8").splitlines())
    # JSONL rounds scores to 4 decimals: half a unit of the last one below the median keeps
    # every bead shown with the median score or more
    threshold = scores[len(scores) // 2] - 0.00005
    out = tmp_path / "kept.jsonl"
    run = run_main("align", EXAMPLE, "-o", out, "--min-confidence", str(threshold))
    assert run.code == 0, run.err
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    rejected = Path(str(out) + ".rejects.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(kept) == sum(1 for s in scores if s > threshold) >= 9
    assert len(kept) + len(rejected) == 18
    assert f"{len(kept)} kept at {threshold:g} or more" in run.err_lines[-1]


@pytest.mark.parametrize("args, problem", [
    (["--min-confidence", "0.5"], "--min-confidence needs -o FILE"),
    (["--min-confidence", "0.5", "-o", "OUT.align"], "--min-confidence does not apply to vecalign output"),
    (["--min-confidence", "1.5", "-o", "OUT.tmx"], "1.5 is not in the range 0<=x<=1"),
    (["--min-confidence", "nan", "-o", "OUT.tmx"], "'nan' is not a number from 0 to 1"),
    (["--summary", "OUT.tmx", "-o", "OUT.tmx"], "is given as two of the outputs"),
])
def test_bad_filter_and_summary_options_are_usage_errors(tmp_path, args, problem):
    args = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    run = run_main("align", EXAMPLE, *args)
    assert run.code == 2 and len(run.err_lines) == 1 and problem in run.err, run.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("extra", [
    ["--summary", "./o.tsv"],
    ["--summary", "ABS/o.tsv"],
    ["--summary", "link.tsv"],
    ["--min-confidence", "0.5", "--summary", "./o.tsv.rejects.tsv"],
    ["--report", "link.tsv"],
], ids=["dot-slash", "absolute", "symlink", "rejects", "report-through-symlink"])
def test_one_file_spelt_two_ways_is_two_of_the_outputs(tmp_path, monkeypatch, extra):
    """Outputs were compared as strings: `--summary ./o.tsv` replaced the output with the
    summary (exit 0); now any spelling of one file is refused before any work."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "o.tsv").write_text("old output\n")
    (tmp_path / "link.tsv").symlink_to("o.tsv")
    extra = [a.replace("ABS", str(tmp_path)) for a in extra]
    run = run_main("align", EXAMPLE, "-o", "o.tsv", *extra)
    assert run.code == 2 and len(run.err_lines) == 1, run.err
    assert "is given as two of the outputs" in run.err or "a file of its own" in run.err
    assert (tmp_path / "o.tsv").read_text() == "old output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.tsv", "o.tsv"]
