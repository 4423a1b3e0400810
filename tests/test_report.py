"""The HTML review report, parsed: a row per bead with its score and type, doubtful rows
marked, the summary figures, self-contained, text escaped; `align --report`. The report in
a real browser is tests/test_report_browser.py."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import html as lhtml

from aligner.beads import bead_type
from aligner.cleaning import clean_document
from aligner.document import AlignedDocument, Text
from aligner.plumbing.chars import xml_chars
from aligner.review import DOUBTFUL_BELOW, is_doubtful
from aligner.summary import DocumentSummary
from aligner.writers import render
from aligner.writers.base import utf8_safe
from aligner.writers.html import HtmlWriter
from conftest import EXAMPLE, run_cli
from test_writers import harbin_doc, nasty_docs, with_gaps


def rows(page: str) -> list:
    return lhtml.fromstring(page).xpath("//tr[@data-confidence]")


def doubtful_doc() -> AlignedDocument:
    """The gold article with two unpaired sentences and two pairs scored below the threshold."""
    doc = with_gaps(harbin_doc())
    doc.scores[3], doc.scores[9] = 0.31, 0.49
    return doc


def test_a_row_per_bead_with_score_type_and_texts():
    doc = doubtful_doc()
    found = rows(render(doc, "html"))
    assert len(found) == len(doc.beads) == 20
    for row, (src, tgt, score, bead) in zip(found, doc.pairs()):
        assert float(row.get("data-confidence")) == pytest.approx(score, abs=5e-5)
        assert row.get("data-type") == bead_type(bead)
        cells = row.findall("td")
        assert [cells[1].text_content(), cells[2].text_content()] == [src, tgt]
    assert found[14].get("data-type") == "1-2"
    assert [r.get("data-type") for r in found[-2:]] == ["1-0", "0-1"]


def test_doubtful_rows_are_exactly_the_low_and_the_one_sided():
    doc = doubtful_doc()
    marked = [i for i, r in enumerate(rows(render(doc, "html"))) if "doubt" in r.get("class").split()]
    assert marked == [3, 9, 18, 19]
    assert marked == [i for i, (s, t, score, _) in enumerate(doc.pairs()) if is_doubtful(s, t, score)]
    # the empty side of an unpaired sentence is a marked cell, not a missing one
    last = rows(render(doc, "html"))[-1].findall("td")
    assert last[1].get("class") == "none" and last[2].text_content() == "(Xinhua)"


def test_threshold_is_the_one_constant():
    doc = doubtful_doc()
    assert DOUBTFUL_BELOW == 0.5 and is_doubtful("a", "b", 0.49) and not is_doubtful("a", "b", 0.5)
    out = io.BytesIO()
    writer = HtmlWriter(out, threshold=0.9)
    writer.add(doc)
    writer.close()
    marked = [r for r in rows(out.getvalue().decode()) if "doubt" in r.get("class").split()]
    assert len(marked) == sum(1 for s in doc.scores if s < 0.9) == 18  # the one-sided (0.1, 0.2) among them


def test_summary_figures():
    doc = doubtful_doc()
    page = lhtml.fromstring(render(doc, "html"))
    figures = {th.text_content(): td.text_content() for th, td in
               zip(page.xpath("//table[@class='figures']//th"), page.xpath("//table[@class='figures']//td"))}
    assert figures["sentences"] == "zh-CN 19 · en-US 20"
    assert figures["beads"] == "20 (1-1: 17 · 0-1: 1 · 1-0: 1 · 1-2: 1)"
    assert figures["unpaired sentences"] == "zh-CN 1 · en-US 1"
    units = [s for b, s in zip(doc.beads, doc.scores) if b[0] and b[1]]
    assert figures["mean confidence"] == f"{sum(units) / len(units):.2f} over 18 pairs"
    assert figures["below 0.5"] == "2 pairs"
    assert figures["doubtful (marked)"].startswith("4 rows")
    assert figures["signature"] == doc.signature
    assert figures["date"] == "1954-11-23"
    assert page.xpath("//h2")[0].text_content() == doc.metadata["title"]


def test_self_contained():
    page = render(doubtful_doc(), "html")
    tree = lhtml.fromstring(page)
    assert not tree.xpath("//script[@src] | //link | //img | //iframe | //object")
    assert all(a.get("href").startswith("#") for a in tree.xpath("//a[@href]"))
    assert not re.search(r"(?i)\b(?:https?:)?//[a-z0-9.-]+\.[a-z]", page)  # nothing fetched, not even a font
    assert len(tree.xpath("//style")) == 1 and len(tree.xpath("//script")) == 1
    for control in ("next", "prev", "only", "where"):
        assert tree.get_element_by_id(control) is not None


def test_text_is_escaped_not_markup():
    doc = AlignedDocument(Text("zh-CN", [["<b>粗</b> & “引”"]]), Text("en-US", [['<script>alert(1)</script> & "x"']]),
                          [((0,), (0,))], [0.7], {"title": "<i>t</i>"})
    page = render(doc, "html")
    tree = lhtml.fromstring(page)
    cells = rows(page)[0].findall("td")
    assert cells[1].text_content() == "<b>粗</b> & “引”" and not cells[1].findall(".//b")
    assert cells[2].text_content() == '<script>alert(1)</script> & "x"'
    assert len(tree.xpath("//script")) == 1 and tree.xpath("//h2")[0].text_content() == "<i>t</i>"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nasty_docs())
def test_any_text_gives_one_row_per_bead(doc):
    page = render(doc, "html")
    found = rows(page)
    assert len(found) == len(doc.beads)

    def shown(text: str) -> str:  # what a browser reads: no XML-forbidden characters, CR read as LF
        return utf8_safe(xml_chars(text)).replace("\r\n", "\n").replace("\r", "\n")

    # the texts as every writer has them: without controls and invisible characters
    for row, (src, tgt, _, bead) in zip(found, clean_document(doc).pairs()):
        cells = row.findall("td")
        # the cell reads exactly the side's text, the one the editor saves for a row left as it is
        assert [cells[1].text_content(), cells[2].text_content()] == [shown(src), shown(tgt)]
        # each sentence in a span of its own, with its index: what the editor merges, splits, moves
        assert [tuple(int(i) for i in cell.xpath("span/@data-i")) for cell in cells[1:3]] == list(bead)
        assert [cell.get("class") == "none" for cell in cells[1:3]] == [not src.strip(), not tgt.strip()]


def test_batch_is_one_page_with_an_index():
    out = io.BytesIO()
    writer = HtmlWriter(out, batch=True)
    writer.add(harbin_doc(), "1954/harbin.txt")
    writer.add(doubtful_doc(), "1954/harbin-gaps.txt")
    writer.close()
    tree = lhtml.fromstring(out.getvalue().decode())
    assert len(tree.xpath("//section[@class='doc']")) == 2
    assert len(tree.xpath("//tr[@data-confidence]")) == 18 + 20
    ids = tree.xpath("//tr[@data-confidence]/@id")
    assert len(set(ids)) == len(ids)
    # both ok, so the lower mean confidence comes first: the gaps' 0.1 and 0.2 are one-sided, but
    # its pairs 3 and 9 score 0.31 and 0.49
    links = tree.xpath("//nav[@id='index']//a")
    assert [(a.get("href"), a.text_content()) for a in links] == [("#d2", "1954/harbin-gaps.txt"), ("#d1", "1954/harbin.txt")]
    index_rows = tree.xpath("//nav[@id='index']//tr[td]")
    assert [r.findall("td")[-2].text_content() for r in index_rows] == ["4", "0"]  # doubtful per document
    assert [r.get("data-order") for r in index_rows] == ["2", "1"]
    assert tree.xpath("//nav[@id='index']/h1")[0].text_content() == "2 documents"


def test_a_batch_of_one_says_one_document():
    out = io.BytesIO()
    writer = HtmlWriter(out, batch=True)
    writer.add(harbin_doc(), "harbin.txt")
    writer.close()
    assert lhtml.fromstring(out.getvalue().decode()).xpath("//nav[@id='index']/h1")[0].text_content() == "1 document"


def test_empty_batch_is_still_a_page():
    out = io.BytesIO()
    writer = HtmlWriter(out, batch=True)
    writer.close()
    tree = lhtml.fromstring(out.getvalue().decode())
    assert "No documents" in tree.text_content() and not tree.xpath("//tr[@data-confidence]")


def test_align_report_beside_the_output(tmp_path):
    out, report = tmp_path / "pairs.jsonl", tmp_path / "report.html"
    run = run_cli("align", EXAMPLE, "-o", out, "--report", report)
    assert run.code == 0, run.err
    assert len(rows(report.read_text(encoding="utf-8"))) == len(out.read_text(encoding="utf-8").splitlines()) == 18
    assert f"report -> {report}" in run.err


def test_align_html_output(tmp_path):
    out = tmp_path / "report.html"
    assert run_cli("align", EXAMPLE, "-o", out, "-q").code == 0
    assert len(rows(out.read_text(encoding="utf-8"))) == 18


@pytest.mark.parametrize("report", ["same", "-", "no-such-folder/r.html"])
def test_bad_report_path_fails_before_work(tmp_path, report):
    out = tmp_path / "pairs.tsv"
    target = {"same": out, "-": "-"}.get(report, tmp_path / report)
    run = run_cli("align", EXAMPLE, "-o", out, "--report", target)
    assert run.code == 2 and len(run.err_lines) == 1 and run.err.startswith("aligner: error: ")
    assert list(tmp_path.iterdir()) == []


def test_a_report_that_cannot_be_written_leaves_every_output_as_it_was(tmp_path):
    """The report is the largest file: when it fails (here: no file may pass 10,000 bytes,
    as on a full disk) the output, rejects and summary written before it stay as they were
    (the output used to be replaced already)."""
    import subprocess

    from conftest import cli_argv, cli_env, file_size_limit

    names = ["out.tsv", "out.tsv.rejects.tsv", "summary.tsv", "report.html"]
    for name in names:
        (tmp_path / name).write_text(f"old {name}\n", encoding="utf-8")
    proc = subprocess.run(cli_argv("align", str(EXAMPLE), "-o", str(tmp_path / "out.tsv"), "--min-confidence", "0.5",
                                   "--summary", str(tmp_path / "summary.tsv"), "--report", str(tmp_path / "report.html")),
                          capture_output=True, text=True, env=cli_env(), preexec_fn=file_size_limit(10_000), timeout=120)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1, proc.stderr
    assert f"{tmp_path / 'report.html'}: cannot write" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    assert all((tmp_path / name).read_text(encoding="utf-8") == f"old {name}\n" for name in names)


def index_rows(page: str) -> list[dict]:
    """A batch report's index as its rows show it: document, status, pairs, reason."""
    tree = lhtml.fromstring(page)
    out = []
    for row in tree.xpath("//nav[@id='index']//tbody/tr"):
        cells = [c.text_content() for c in row.findall("td")]
        out.append({"document": cells[0], "status": cells[1], "pairs": cells[2], "mean": cells[4], "reason": cells[6],
                    "link": bool(row.xpath(".//a"))})
    return out


def test_batch_index_lists_every_document_the_ones_to_look_at_first():
    """Failed documents are listed with their reason (the index said '48 documents' of 50),
    then suspect, partial, any other status the summary carries, then ok; within a status
    the lowest mean confidence first."""
    out = io.BytesIO()
    writer = HtmlWriter(out, batch=True)
    ok, gaps = harbin_doc(), doubtful_doc()
    writer.add(ok, "a/ok.txt", DocumentSummary.of(ok, "a/ok.txt"))
    writer.add_failure("a/binary.txt", DocumentSummary.failed("a/binary.txt", "binary file (contains NUL bytes)"))
    writer.add(gaps, "a/gaps.txt", DocumentSummary.of(gaps, "a/gaps.txt"))
    for status in ("partial", "checked-by-hand", "suspect"):
        summary = replace(DocumentSummary.of(ok, f"b/{status}.txt"), status=status, message=f"why {status}")
        writer.add(ok, f"b/{status}.txt", summary)
    writer.add_failure("b/english.txt", DocumentSummary.failed("b/english.txt", "not a bilingual article"))
    writer.close()
    page = out.getvalue().decode()
    listed = index_rows(page)
    assert [(r["document"], r["status"]) for r in listed] == [
        ("a/binary.txt", "failed"), ("b/english.txt", "failed"), ("b/suspect.txt", "suspect"),
        ("b/partial.txt", "partial"), ("b/checked-by-hand.txt", "checked-by-hand"), ("a/gaps.txt", "ok"),
        ("a/ok.txt", "ok")]
    assert listed[0]["reason"] == "binary file (contains NUL bytes)" and listed[1]["reason"] == "not a bilingual article"
    assert not listed[0]["link"] and all(r["link"] for r in listed[2:])
    assert listed[2]["reason"] == "why suspect" and listed[0]["pairs"] == ""
    tree = lhtml.fromstring(page)
    assert tree.xpath("//nav[@id='index']/h1")[0].text_content() == "7 documents"
    assert tree.xpath("//nav[@id='index']/p")[0].text_content() == "2 failed · 1 suspect · 1 partial · 1 checked-by-hand · 2 ok"
    assert len(tree.xpath("//section[@class='doc']")) == 5  # a failed document has no rows to show
    figures = tree.xpath("//section[@id='d6']//table[@class='figures']")[0].text_content()
    assert "statussuspect: why suspect" in figures


def test_batch_report_of_a_folder_with_failures(tmp_path):
    """`batch -o report.html` on a folder where two files cannot be aligned: all five
    documents are in the index, the failed two first with the reason the summary gives."""
    from batch_articles import make_articles, summary_rows

    folder = tmp_path / "mixed"
    make_articles(folder, 3, per_folder=3)
    (folder / "a" / "002b.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "a" / "000b.txt").write_text("Only English here. Nothing else.\n", encoding="utf-8")
    report, summary = tmp_path / "report.html", tmp_path / "summary.tsv"
    run = run_cli("batch", folder, "-o", report, "--summary", summary, "--jobs", "1", "-q")
    assert run.code == 0, run.err
    reasons = {r["document"]: r["message"] for r in summary_rows(summary) if r["status"] == "failed"}
    listed = index_rows(report.read_text(encoding="utf-8"))
    assert len(listed) == 5 and len(reasons) == 2
    assert {r["document"]: r["reason"] for r in listed[:2]} == reasons
    assert [r["status"] for r in listed] == ["failed", "failed", "ok", "ok", "ok"]
    means = [float(r["mean"]) for r in listed[2:]]
    assert means == sorted(means)
    assert "5 documents" in report.read_text(encoding="utf-8")
