"""The per-document summary: counts of sentences, units and unpaired sentences, as TSV."""

from __future__ import annotations

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
    assert ok == ["a/b.txt", "ok", "3", "3", "2", "1", "1", "0.8000", ""]
    assert failed[:2] == ["c.txt", "failed"] and failed[-1] == "binary file (NUL bytes) line 2"
    assert failed[COLUMNS.index("mean_confidence")] == ""
