"""One test of what a unit is (`cleaning.is_unit`: a pair with text on both sides once the
characters no output carries are left out), which the TMX writer, the summary, the
--min-confidence filter and the review marks share; and the one sink (`outputs`) that
writes the output, the rejects, the summary and the report of `align`, `batch` and
`convert` together."""

from __future__ import annotations

import re

import pytest

from aligner.cleaning import has_text, is_unit
from aligner.document import AlignedDocument, Text
from aligner.filtering import split_beads
from aligner.outputs import open_outputs
from aligner.review import ReviewFigures, is_doubtful
from aligner.summary import DocumentSummary
from aligner.writers import render
from conftest import run_main

# a pair of text; blank sentences; a zero-width space against text; text against an escape
# and a bell; a noncharacter XML cannot carry against text; text with a bidi control inside
PAIRS = [("会议在哈尔滨举行。", "The forum was held in Harbin."), ("", " "), ("\u200b", "Both sides met."),
         ("双方交流了情况。", "\x1b\x07"), ("\ufffe", "A sentence."), ("必须加强协作。", "Cooperation \u202emust\u202c grow.")]
UNITS = [True, False, False, False, False, True]


def document() -> AlignedDocument:
    zh = Text("zh-CN", [[z for z, _ in PAIRS]])
    en = Text("en-US", [[e for _, e in PAIRS]])
    beads = [((k,), (k,)) for k in range(len(PAIRS))]
    return AlignedDocument(zh, en, beads, [0.9] * len(PAIRS))


def test_a_unit_has_text_on_both_sides_once_cleaned():
    assert [is_unit(z, e) for z, e in PAIRS] == UNITS
    assert has_text(" a ") and not has_text(" \t\n") and not has_text("\u200b\u202e\x07")


def test_the_writers_the_summary_the_filter_and_the_review_count_the_same_units():
    doc = document()
    tmx = render(doc, "tmx")
    assert tmx.count("<tu ") == sum(UNITS)
    summary = DocumentSummary.of(doc, "doc")
    assert summary.units == sum(UNITS) and summary.mean_confidence == pytest.approx(0.9)
    split = split_beads(doc, 0.5)
    assert [bead for bead in split.kept.beads] == [b for b, unit in zip(doc.beads, UNITS) if unit]
    assert len(split.rejected.beads) == len(UNITS) - sum(UNITS)  # nothing lost: the rest is rejected
    assert [is_doubtful(z, e, 0.9) for z, e in PAIRS] == [not u for u in UNITS]
    figures = ReviewFigures.of(doc)
    assert figures.doubtful == len(UNITS) - sum(UNITS) and figures.below == 0


def test_one_sink_writes_every_file_and_gives_up_the_results_alone(tmp_path):
    """The output, its rejects, the summary and the report appear together; abandoned
    (a batch that aligned nothing), the results are left as they were and the summary is
    written."""
    doc = document()
    out, summary, report = tmp_path / "out.tmx", tmp_path / "s.tsv", tmp_path / "r.html"
    figures = DocumentSummary.of(doc, "doc")
    with open_outputs(str(out), "tmx", rejects=True, summary=str(summary), report=str(report)) as outputs:
        written = outputs.add(doc, figures, split=split_beads(doc, 0.5))
        assert not out.exists()  # nothing replaced before the run completes
    assert written.units == sum(UNITS) and written.rejected == len(UNITS) - sum(UNITS)
    assert out.read_text(encoding="utf-8").count("<tu ") == sum(UNITS)
    assert len((tmp_path / "out.tmx.rejects.tsv").read_text(encoding="utf-8").splitlines()) == 1 + written.rejected
    assert summary.read_text(encoding="utf-8").splitlines()[1].split("\t")[4] == str(sum(UNITS))
    assert report.read_text(encoding="utf-8").count('data-i="5"') == 2  # every pair, the rejected ones too
    out.write_text("old", encoding="utf-8")
    with open_outputs(str(out), "tmx", batch=True, summary=str(summary)) as outputs:
        outputs.add_failure(DocumentSummary.failed("gone", "unreadable"))
        outputs.abandon()
    assert out.read_text(encoding="utf-8") == "old"
    assert summary.read_text(encoding="utf-8").splitlines()[1].startswith("gone\tfailed")


def test_a_pair_of_blank_lines_is_no_unit_of_a_batch(tmp_path):
    """Presplit texts with a blank line at the same place on both sides: their pair has
    sentences on both sides but no text. The batch's end line counted it among the units
    kept by --min-confidence (the filter went by sentence indices) while the TMX and the
    summary did not; now it goes to the rejects, and every count agrees."""
    (tmp_path / "zh.txt").write_text("会议在哈尔滨举行。\n\n双方交流了情况。\n会议一致认为，必须加强协作。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("The forum was held in Harbin.\n\nBoth sides exchanged information.\n"
                                     "The meeting unanimously agreed that cooperation must be strengthened.\n",
                                     encoding="utf-8")
    (tmp_path / "pairs.tsv").write_text("zh.txt\ten.txt\tdoc\n", encoding="utf-8")
    out = tmp_path / "b.tmx"
    run = run_main("batch", "--pairs", tmp_path / "pairs.tsv", "--presplit", "-o", out, "--min-confidence", "0",
                   "--summary", tmp_path / "s.tsv", "--jobs", "1")
    assert run.code == 0, run.err
    units = out.read_text(encoding="utf-8").count("<tu ")
    assert units == 3
    assert re.search(rf"; {units} units \(1 pair to the rejects file\)", run.err), run.err
    assert (tmp_path / "s.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")[4] == str(units)
    rejects = (tmp_path / "b.tmx.rejects.tsv").read_text(encoding="utf-8").splitlines()
    assert len(rejects) == 2 and rejects[1].startswith("\t\t")
    run = run_main("align", tmp_path / "zh.txt", tmp_path / "en.txt", "--presplit", "-o", tmp_path / "a.tmx",
                   "--min-confidence", "0")
    assert run.code == 0 and f"{units} kept at 0 or more" in run.err, run.err
