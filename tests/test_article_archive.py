"""Articles as archive dumps write them (issue 9, items 5-8): several in one file, the
Chinese header in another order, an unindented paragraph that looks like a header field,
HTML entities, Markdown emphasis and stray markup. Each variant of the seed article must
parse to the seed itself, and align to its 18 gold beads."""

from __future__ import annotations

import re

import pytest

from aligner.readers.article import parse_article
from aligner.readers.decode import read_text
from conftest import EXAMPLE, gold_pairs, run_cli, run_main

TEXT = read_text(str(EXAMPLE))
ZH_HEADER = "### 哈尔滨市国营和地方国营工厂举行座谈会  开展批评和自我批评检查配合协作的缺点\n安民　励新\n1954-11-23\n第2版()\n专栏：\n"
SECOND_AT = TEXT.count("\n") + 2  # line of the second copy's 'Title:' in TEXT + "\n" + TEXT


def unindented(text: str) -> str:
    return re.sub(r"(?m)^    ", "", text)


@pytest.fixture(scope="module")
def seed():
    return parse_article(TEXT)


def aligned_pairs(text: str, tmp_path) -> list[tuple[str, str]]:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    run = run_main("align", path, "-q")
    assert run.code == 0, run.err
    return [tuple(line.split("\t")[:2]) for line in run.text.splitlines()]


# ---------------------------------------------------------------- 5. several articles in one file

def test_two_articles_are_found_where_each_starts(seed):
    from aligner.readers.article import split_articles

    parts = split_articles(TEXT + "\n" + TEXT)
    assert [p.line for p in parts] == [1, SECOND_AT]
    assert (TEXT + "\n" + TEXT).split("\n")[SECOND_AT - 1].startswith("Title: Harbin")
    assert [parse_article(p.text) for p in parts] == [seed, seed]


def test_an_article_without_english_header_starts_at_its_english(seed):
    """No `Title:` to mark the start: the second article begins where the lines stop being Chinese."""
    from aligner.readers.article import split_articles

    second = TEXT[TEXT.index("    Harbin"):]
    text = TEXT + "\n\n" + second + "\n" + TEXT
    parts = split_articles(text)
    assert len(parts) == 3
    assert text.split("\n")[parts[1].line - 1] == "    Harbin State-Owned and Local State-Owned Factories Hold a Forum"
    first, middle, last = (parse_article(p.text) for p in parts)
    assert first == last == seed
    assert (middle.zh_paragraphs, middle.en_paragraphs, middle.metadata) == (seed.zh_paragraphs, seed.en_paragraphs, {})


def test_one_article_is_one_part():
    from aligner.readers.article import split_articles

    assert [(p.line, p.text) for p in split_articles(TEXT)] == [(1, TEXT)]


def test_align_refuses_two_articles_naming_the_line(tmp_path):
    """The second article's English, header, `<hr />` and `Original:` were aligned as Chinese text."""
    path = tmp_path / "dump.txt"
    path.write_text(TEXT + "\n" + TEXT, encoding="utf-8")
    for command in (["align", path, "-o", tmp_path / "out.tmx"], ["segment", path]):
        run = run_cli(*command)
        assert run.code == 1 and run.out == b""
        assert run.err_lines == [f"aligner: error: {path}: holds 2 articles (the second starts at line "
                                 f"{SECOND_AT}); align each as its own document with 'aligner batch'"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dump.txt"]


# ---------------------------------------------------------------- 6. Chinese header in another order

REORDERED = {
    "date and page first": "1954-11-23\n第2版()\n### 哈尔滨市国营和地方国营工厂举行座谈会  开展批评和自我批评检查配合协作的缺点\n安民　励新\n专栏：\n",
    "column first": "专栏：\n第2版()\n1954-11-23\n### 哈尔滨市国营和地方国营工厂举行座谈会  开展批评和自我批评检查配合协作的缺点\n安民　励新\n",
    "author after the date": "### 哈尔滨市国营和地方国营工厂举行座谈会  开展批评和自我批评检查配合协作的缺点\n1954-11-23\n安民　励新\n第2版()\n专栏：\n",
}


@pytest.mark.parametrize("order", REORDERED)
def test_chinese_header_in_another_order(seed, order):
    text = TEXT.replace(ZH_HEADER, REORDERED[order])
    assert text != TEXT
    assert parse_article(text) == seed


@pytest.mark.parametrize("order", ["date and page first", "column first"])
def test_chinese_header_in_another_order_unindented(seed, order):
    """Without indentation the header lines were glued into the first segment
    ("第2版()1954-11-23### 哈尔滨…")."""
    assert parse_article(unindented(TEXT.replace(ZH_HEADER, REORDERED[order]))) == seed


def test_unindented_headline_is_not_taken_for_the_author():
    """Away from the title, a short line of an unindented article stays body text."""
    text = unindented(TEXT.replace(ZH_HEADER, "1954-11-23\n第2版()\n"))
    art = parse_article(text)
    assert art.zh_metadata == {"date": "1954-11-23", "page": "2"}
    assert art.zh_paragraphs[0] == "哈尔滨市国营和地方国营工厂举行座谈会"


def test_reordered_header_aligns_to_the_gold(tmp_path):
    text = unindented(TEXT.replace(ZH_HEADER, REORDERED["date and page first"]))
    assert aligned_pairs(text, tmp_path) == gold_pairs()


# ---------------------------------------------------------------- 7. only the archive's header keys

def test_unindented_first_paragraph_that_looks_like_a_field_is_body(seed):
    headline = "Harbin State-Owned and Local State-Owned Factories Hold a Forum"
    text = unindented(TEXT).replace(f"\n{headline}\n", f"\nReporter An Min: {headline}\n", 1)
    art = parse_article(text)
    assert art.metadata == seed.metadata
    assert art.en_paragraphs[0] == f"Reporter An Min: {headline}"
    assert art.en_paragraphs[1:] == seed.en_paragraphs[1:]


def test_header_keys_in_any_case_and_order(seed):
    header = TEXT[:TEXT.index("\n\n")]
    shuffled = "\n".join(reversed(header.replace("Title:", "TITLE :").split("\n")))
    assert parse_article(TEXT.replace(header, shuffled)) == seed


# ---------------------------------------------------------------- 8. markup in the text

def test_html_entities_are_decoded(seed, tmp_path):
    text = (TEXT.replace("People's", "People&#39;s").replace('"copper busbar boxes"', "&quot;copper busbar boxes&quot;")
            .replace("Songjiang Chemical Plant can", "Songjiang Chemical Plant&nbsp;can")
            .replace("An Min, Li Xin", "An Min &amp; Li Xin"))
    art = parse_article(text)
    assert art.en_paragraphs == [p.replace("An Min, Li Xin", "An Min & Li Xin") for p in seed.en_paragraphs]
    assert art.metadata["author"] == "An Min & Li Xin"
    path = tmp_path / "entities.txt"
    path.write_text(text, encoding="utf-8")
    run = run_main("align", path, "-f", "tmx", "-q")
    assert run.code == 0, run.err
    assert "People's Government" in run.text and "&amp;amp;" not in run.text and "&#39;" not in run.text
    assert "An Min &amp; Li Xin" in run.text  # the '&' itself, escaped once as XML requires


def test_markdown_emphasis_is_removed_so_sentences_split(seed, tmp_path):
    """`. *For example*` kept the English splitter from ending the sentence before it."""
    text = (TEXT.replace(" For example, some", " *For example*, some")
            .replace(" For example, Songjiang", " **For example**, Songjiang")
            .replace("were: local", "were: _local_"))
    assert text.count("*For example*") == 2
    assert parse_article(text) == seed
    assert aligned_pairs(text, tmp_path) == gold_pairs()


def test_emphasis_markers_inside_words_and_numbers_stay():
    from aligner.readers.article import clean_markup

    assert clean_markup("2*3*4 = 24, file_name_here, a * b * c") == "2*3*4 = 24, file_name_here, a * b * c"
    assert clean_markup("座谈会上**双方面**交流了情况") == "座谈会上双方面交流了情况"


def test_markup_only_lines_are_dropped(seed, tmp_path):
    """A stray `<hr />` (no `Original:` after it) was kept in a segment."""
    text = (TEXT.replace("\n    The meeting unanimously", "\n<hr />\n    The meeting unanimously")
            .replace("\n    会上一致认为", "\n<br/>\n---\n    会上一致认为"))
    assert parse_article(text) == seed
    pairs = aligned_pairs(text, tmp_path)
    assert pairs == gold_pairs()
    assert not any("<" in z + e or "---" in z for z, e in pairs)
