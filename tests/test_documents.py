"""The documents translators have (issue 23, item 4): Word (.docx) and web pages (.html) as
inputs to align, batch and segment, alone (the one-file article) or as the two files of a
pair; PDF, Word 97-2003, RTF, OpenDocument and spreadsheets refused with what to do.

The .docx files are written by python-docx here, the others by LibreOffice
(tests/data/formats/README.md says how)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, EXAMPLE, example_bodies, run_cli, run_main

docx = pytest.importorskip("docx", reason="python-docx writes the test documents (pip install -e '.[test]')")

FORMATS = DATA / "formats"


def write_docx(path: Path, paragraphs: list[str], heading: bool = False, table: list[list[str]] | None = None) -> Path:
    """A Word document of `paragraphs` written by python-docx (the first as a heading if
    `heading`), then a table of `table`'s rows if given."""
    document = docx.Document()
    for k, text in enumerate(paragraphs):
        if heading and k == 0:
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                cell = grid.cell(r, c)
                cell.text = text.split("\n")[0]
                for more in text.split("\n")[1:]:
                    cell.add_paragraph(more)
    document.save(path)
    return path


def write_text(path: Path, paragraphs: list[str]) -> Path:
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def test_the_example_article_as_a_word_document_aligns_as_the_text(tmp_path):
    """The one-file article typed into Word, a paragraph a line: the same pairs as the .txt."""
    lines = [line.strip() for line in EXAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    article = write_docx(tmp_path / "harbin.docx", lines)
    run = run_cli("align", article, "-f", "tsv")
    assert run.code == 0, run.err
    assert run.text == run_cli("align", EXAMPLE, "-f", "tsv").text
    assert run.text.count("\n") == 18


def test_a_word_document_and_a_web_page_as_a_pair(tmp_path):
    """Chinese in a .docx (python-docx), English in an .html (LibreOffice's export of a
    .docx): the same pairs as the two plain-text files."""
    zh, en = example_bodies()
    zh_docx = write_docx(tmp_path / "zh.docx", zh, heading=True)
    html = FORMATS / "harbin-en.html"
    expected = run_cli("align", write_text(tmp_path / "zh.txt", zh), write_text(tmp_path / "en.txt", en), "-f", "tsv")
    assert expected.code == 0, expected.err
    for pair in ((zh_docx, html), (html, zh_docx)):
        run = run_cli("align", *pair, "-f", "jsonl")
        assert run.code == 0, run.err
        if pair[0] == zh_docx:
            assert run_cli("align", *pair, "-f", "tsv").text == expected.text
    # LibreOffice's Word document of the same text
    assert run_cli("align", FORMATS / "harbin-zh.docx", html, "-f", "tsv").text == expected.text
    # from standard input too: the kind is told from the bytes, not the name
    run = run_cli("align", "-", html, "-f", "tsv", stdin=zh_docx.read_bytes())
    assert run.code == 0 and run.text == expected.text


def test_table_cells_are_paragraphs_in_order(tmp_path):
    document = write_docx(tmp_path / "t.docx", ["Before the table."],
                          table=[["First cell.", "Second cell.\nIts second paragraph."], ["Third cell.", ""]])
    run = run_cli("segment", document)
    assert run.code == 0, run.err
    assert run.text.splitlines() == ["Before the table.", "First cell.", "Second cell.", "Its second paragraph.",
                                     "Third cell."]


def test_tracked_changes_read_as_word_shows_them():
    """LibreOffice's .docx with a tracked insertion and deletion: the inserted words are
    text (python-docx's paragraph text leaves them out), the deleted ones are not; a table
    cell's two paragraphs are two."""
    run = run_cli("segment", FORMATS / "tracked.docx")
    assert run.code == 0, run.err
    assert run.text.splitlines() == ["The forum was held in Harbin on November 5th.", "Both sides exchanged information.",
                                     "Cell one.", "Cell two.", "Its second paragraph.", "After the table."]


def test_a_web_page_drops_scripts_styles_and_its_head(tmp_path):
    page = tmp_path / "page.htm"
    page.write_text(
        "<!DOCTYPE html><html><head><title>Site name | Article</title><style>p { color: red }</style>"
        "<script>var x = 'not text';</script></head><body>"
        "<h1>The forum</h1><p>The meeting was held&nbsp;in <b>Harbin</b>.<br>It lasted two days.</p>"
        "<ul><li>One item.<li>Another item.</ul><script>document.write('no')</script>"
        "<table><tr><td>A cell.</td><td>Another cell.</td></tr></table>"
        "<noscript>Enable JavaScript.</noscript><p>The   last\n   paragraph.</p></body></html>", encoding="utf-8")
    run = run_cli("segment", page, "--lang", "en")
    assert run.code == 0, run.err
    assert run.text.splitlines() == ["The forum", "The meeting was held in Harbin.", "It lasted two days.",
                                     "One item.", "Another item.", "A cell.", "Another cell.", "The last paragraph."]


def test_a_web_page_of_the_one_file_article(tmp_path):
    """The article as the archive's Markdown renders it: <hr> is the '<hr />' line."""
    zh, en = example_bodies()
    text = EXAMPLE.read_text(encoding="utf-8")
    header = text.split("\n\n", 1)[0].splitlines()
    zh_header = text.split("Original:", 1)[1].strip().split("\n\n", 1)[0].splitlines()
    html = ("<html><body>" + "".join(f"<p>{line}</p>" for line in header) + "".join(f"<p>{p}</p>" for p in en)
            + "<hr /><p>Original:</p>" + "".join(f"<p>{line}</p>" for line in zh_header)
            + "".join(f"<p>{p}</p>" for p in zh) + "</body></html>")
    page = tmp_path / "harbin.html"
    page.write_text(html, encoding="utf-8")
    run = run_cli("align", page, "-f", "tsv")
    assert run.code == 0, run.err
    assert run.text == run_cli("align", EXAMPLE, "-f", "tsv").text


def test_a_web_page_in_gb2312_says_so_in_its_meta(tmp_path):
    page = tmp_path / "zh.html"
    page.write_bytes('<html><head><meta charset="gb2312"></head><body><p>会议一致认为，必须开展协作。</p>'
                     "<p>双方交流了情况。</p></body></html>".encode("gb2312"))
    run = run_cli("segment", page)
    assert run.code == 0, run.err
    assert run.text.splitlines() == ["会议一致认为，必须开展协作。", "双方交流了情况。"]


@pytest.mark.parametrize("name, says", [
    ("sample.pdf", "a PDF file, which aligner does not read"),
    ("sample.doc", "a Word 97-2003 document (.doc) or another old Office file"),
    ("sample.rtf", "an RTF file, which aligner does not read"),
    ("sample.odt", "an OpenDocument file (.odt), which aligner does not read"),
])
def test_documents_aligner_does_not_read_are_one_line_saying_what_to_do(tmp_path, name, says):
    path = FORMATS / name
    en = write_text(tmp_path / "en.txt", example_bodies()[1])
    for args in (("align", path, en, "-o", tmp_path / "out.tmx"), ("align", path), ("segment", path)):
        run = run_cli(*args)
        assert run.code == 1 and len(run.err_lines) == 1, run.err
        assert run.err_lines[0].startswith(f"aligner: error: {path}: {says}")
        assert "save it as" in run.err_lines[0] and "NUL" not in run.err
    assert not (tmp_path / "out.tmx").exists()


def test_a_spreadsheet_or_a_memory_given_to_align_points_to_convert(tmp_path):
    pairs, memory = tmp_path / "pairs.xlsx", tmp_path / "memory.tmx"
    assert run_cli("align", EXAMPLE, "-o", pairs, "-q").code == 0
    assert run_cli("align", EXAMPLE, "-o", memory, "-q").code == 0
    for path, what in ((pairs, "a spreadsheet (.xlsx)"), (memory, "a translation memory (TMX)")):
        run = run_cli("align", path)
        assert run.code == 1 and run.err_lines == [run.err_lines[0]] and what in run.err and "aligner convert" in run.err


def test_a_damaged_or_empty_word_document_is_one_line(tmp_path):
    whole = write_docx(tmp_path / "whole.docx", ["Some text."])
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    empty = write_docx(tmp_path / "empty.docx", ["", "  "])
    for path, says in ((damaged, "a damaged zip archive (a Word .docx cut short?)"), (empty, "no text in the document")):
        run = run_cli("segment", path)
        assert run.code == 1 and len(run.err_lines) == 1 and says in run.err, run.err
        assert "Traceback" not in run.err and "internal error" not in run.err


def test_batch_reads_word_documents_and_web_pages_and_reports_the_refused(tmp_path):
    zh, en = example_bodies()
    write_docx(tmp_path / "zh.docx", zh)
    (tmp_path / "en.html").write_bytes((FORMATS / "harbin-en.html").read_bytes())
    (tmp_path / "pairs.tsv").write_text("zh.docx\ten.html\tharbin\n", encoding="utf-8")
    lines = [line.strip() for line in EXAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    article = write_docx(tmp_path / "article.docx", lines)
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes((FORMATS / "sample.pdf").read_bytes())
    out, summary = tmp_path / "all.jsonl", tmp_path / "summary.tsv"
    run = run_main("batch", article, pdf, "--pairs", tmp_path / "pairs.tsv", "-o", out, "--summary", summary,
                   "--jobs", "1", "-q")
    assert run.code == 0, run.err
    rows = [line.split("\t") for line in summary.read_text(encoding="utf-8").splitlines()[1:]]
    assert [(r[0], r[1]) for r in rows] == [(str(article), "ok"), (str(pdf), "failed"), ("harbin", "ok")]
    assert rows[1][-1].startswith("a PDF file, which aligner does not read")
    assert rows[0][4] == "18" and rows[2][4] == "18"
