"""The one-file bilingual article (data/examples/rmrb-1954-11-23-harbin.txt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aligner.readers.decode import read_text
from aligner.plumbing.errors import AlignerError
from aligner.readers.article import Article, is_article, parse_article
from conftest import EXAMPLE

DATA = Path(__file__).parent / "data"
TEXT = read_text(str(EXAMPLE))
GOLD = [line.split("\t") for line in (DATA / "harbin.gold.tsv").read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def article() -> Article:
    return parse_article(TEXT, str(EXAMPLE))


def test_headers_become_metadata(article):
    assert article.metadata == {
        "title": "Harbin State-Owned and Local State-Owned Factories Hold a Forum to Conduct Criticism "
                 "and Self-Criticism to Examine Shortcomings in Coordination and Cooperation",
        "author": "An Min, Li Xin",
        "date": "1954-11-23",
        "page": "2",
    }
    # 专栏： is empty in this article, so there is no column entry
    assert article.zh_metadata == {
        "title": "哈尔滨市国营和地方国营工厂举行座谈会  开展批评和自我批评检查配合协作的缺点",
        "author": "安民\u3000励新",
        "date": "1954-11-23",
        "page": "2",
    }


def test_bodies_are_the_indented_lines(article):
    assert len(article.zh_paragraphs) == 6 and len(article.en_paragraphs) == 6
    assert article.zh_paragraphs[:2] == [GOLD[0][0], GOLD[1][0]]  # the headline
    assert article.en_paragraphs[:2] == [GOLD[0][1], GOLD[1][1]]
    assert article.zh_paragraphs[2].startswith("黑龙江省人民政府计划委员会")
    assert article.en_paragraphs[-1].endswith("(An Min, Li Xin)")
    assert all(p == p.strip() and p for p in article.zh_paragraphs + article.en_paragraphs)


def test_bodies_hold_exactly_the_gold_sentences(article):
    """No header line leaks into the text, and no body text is lost."""
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squash("".join(article.zh_paragraphs)) == squash("".join(zh for zh, _ in GOLD))
    assert squash("".join(article.en_paragraphs)) == squash("".join(en for _, en in GOLD))


@pytest.mark.parametrize("name", ["harbin.gb18030.txt", "harbin.utf8bom.txt", "harbin.crlf.txt", "harbin.utf16.txt"])
def test_other_encodings_parse_to_the_same_article(article, name):
    assert parse_article(read_text(str(DATA / "input" / name))) == article


def test_tolerates_layout_variations(article):
    unindented = re.sub(r"(?m)^    ", "", TEXT)
    no_blank_lines = TEXT.replace("\n\n", "\n")
    extra_blank_lines = TEXT.replace("\n", "\n\n\n")
    full_width_indent = re.sub(r"(?m)^    ", "\u3000\u3000", TEXT)
    tab_indent = re.sub(r"(?m)^    ", "\t", TEXT)
    hr_variants = TEXT.replace("<hr /> ", "<HR>").replace("Original: ", "Original：")
    for variant in (unindented, no_blank_lines, extra_blank_lines, full_width_indent, tab_indent, hr_variants,
                    re.sub(r"(?m)^    ", "", no_blank_lines)):
        assert parse_article(variant) == article


def test_missing_header_fields(article):
    text = re.sub(r"(?m)^(Author|Page): .*\n", "", TEXT)
    text = text.replace("第2版()\n", "").replace("\n1954-11-23\n", "\n")
    parsed = parse_article(text)
    assert parsed.metadata == {"title": article.metadata["title"], "date": "1954-11-23"}
    assert "page" not in parsed.zh_metadata and parsed.zh_metadata["author"] == "安民\u3000励新"
    assert (parsed.zh_paragraphs, parsed.en_paragraphs) == (article.zh_paragraphs, article.en_paragraphs)


def test_no_headers_at_all(article):
    english, chinese = TEXT.split("<hr />")
    english = english[english.index("    Harbin"):]
    chinese = "Original:\n" + chinese[chinese.index("    哈尔滨"):]
    parsed = parse_article(english + "<hr />\n" + chinese)
    assert parsed.metadata == {} and parsed.zh_metadata == {}
    assert (parsed.zh_paragraphs, parsed.en_paragraphs) == (article.zh_paragraphs, article.en_paragraphs)


def test_page_name_and_column_are_kept():
    text = TEXT.replace("第2版()", "第2版(要闻)").replace("专栏：", "专栏：工业")
    meta = parse_article(text).zh_metadata
    assert (meta["page"], meta["page_name"], meta["column"]) == ("2", "要闻", "工业")


def test_is_article():
    assert is_article(TEXT)
    assert not is_article((DATA / "input" / "zh001.utf8.txt").read_text(encoding="utf-8"))
    assert not is_article(TEXT.replace("Original:", "Translation:"))
    assert not is_article(TEXT.replace("<hr />", ""))


def test_not_an_article_says_what_is_missing():
    with pytest.raises(AlignerError, match=r"not a bilingual article: no '<hr />' line") as err:
        parse_article("Just one paragraph of English.\n", "plain.txt")
    assert err.value.path == "plain.txt"
    with pytest.raises(AlignerError, match=r"no 'Original:' line after '<hr />'"):
        parse_article(TEXT.replace("Original:", "Translation:"), "x")
    with pytest.raises(AlignerError, match="no Chinese paragraphs"):
        parse_article(TEXT[:TEXT.index("Original:") + 10], "x")
    with pytest.raises(AlignerError, match="no English paragraphs"):
        parse_article(TEXT[TEXT.index("<hr />"):], "x")
