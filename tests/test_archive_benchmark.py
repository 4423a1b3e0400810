"""The metric of benchmarks/archive.py, checked where the answer is known: the seed article
against its hand-checked gold (18 of 18), and small cases made by hand (a unit one sentence
too long, a changed character, a header line or a glossary line in a unit, Chinese left in
the English, a machine note)."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import EXAMPLE, GOLD_TSV, ROOT

sys.path.insert(0, str(ROOT))

from benchmarks.archive import (  # noqa: E402
    Row, align, dropped_share, misses, mismatched, normalise, outside_lines, read_gold, read_rows,
    score_article, stop_share,
)

ARTICLE = """Title: A Test
Author:
Date: 1966-05-01
Edition: 4

    Headline
    First sentence. Second sentence.
    Third one.

**Named Entities**

刘少奇  Liu Shaoqi

<hr />

Original:

### 标题

1966-05-01
第4版()
专栏：

    标题
    第一句。第二句。
    第三句。（新华社）
"""
GOLD = [("标题", "Headline"), ("第一句。", "First sentence."), ("第二句。", "Second sentence."),
        ("第三句。", "Third one."), ("（新华社）", "")]


def bodies(gold):
    return "".join(normalise(zh) for zh, _ in gold), "".join(normalise(en) for _, en in gold)


def test_the_seed_article_aligns_18_of_18_against_its_gold(tmp_path):
    gold = read_gold(GOLD_TSV)
    run = align(EXAMPLE, tmp_path / "seed")
    s = score_article(gold, run.rows, outside_lines(EXAMPLE.read_text(encoding="utf-8"), *bodies(gold)))
    assert (s.gold_units, s.units, s.strict) == (18, 18, 18)
    assert s.prf() == (1.0, 1.0, 1.0) and s.lax_prf() == (1.0, 1.0, 1.0)
    assert (s.junk, s.off_body, s.cjk) == (0, 0, 0)
    assert run.status == "ok"


def test_a_unit_with_a_sentence_too_many_is_a_strict_miss_and_a_lax_hit():
    rows = [Row("标题", "Headline"), Row("第一句。第二句。", "First sentence. Second sentence."),
            Row("第三句。", "Third one."), Row("（新华社）", "")]
    s = score_article(GOLD, rows)
    assert (s.gold_units, s.units, s.strict) == (4, 3, 2)
    assert s.prf() == pytest.approx((2 / 3, 2 / 4, 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)))
    assert (s.lax_units, s.lax_gold) == (3, 4)
    wrong, missed = misses(GOLD, rows)
    assert wrong == [("第一句。第二句。", "First sentence. Second sentence.")]
    assert missed == [("第一句。", "First sentence."), ("第二句。", "Second sentence.")]


def test_normalisation_ignores_whitespace_and_width_but_not_a_changed_character():
    assert normalise("第　一句。 ") == normalise("第一句。") and normalise("５月３１日") == "5月31日"
    assert normalise("First  sentence.\n") == normalise("First sentence.")
    same = score_article(GOLD, [Row("第 一句。", "First\tsentence. ")])
    assert same.strict == 1
    changed = score_article(GOLD, [Row("第一句。", "First sentence!")])
    assert changed.strict == 0 and changed.lax_units == 0  # not in the body: no place to overlap
    shifted = score_article(GOLD, [Row("第一句。", "Second sentence.")])
    assert shifted.strict == 0 and shifted.lax_units == 0


def test_a_repeated_bead_counts_as_often_as_it_occurs():
    gold = [("你看那——", "Look at—"), ("甲。", "A."), ("你看那——", "Look at—")]
    once = score_article(gold, [Row("你看那——", "Look at—"), Row("甲。", "A.")])
    twice = score_article(gold, [Row("你看那——", "Look at—"), Row("甲。", "A."), Row("你看那——", "Look at—")])
    assert (once.strict, twice.strict) == (2, 3)


def test_units_holding_a_header_line_or_a_glossary_line_are_junk():
    outside = outside_lines(ARTICLE, *bodies(GOLD))
    assert "Edition:4" in outside and "刘少奇LiuShaoqi" in outside and "NamedEntities" in outside
    assert "第4版()" in outside and "专栏:" in outside
    assert "标题" not in outside  # the `### ` title only repeats the body headline
    rows = [Row("标题", "Edition: 4 Headline"), Row("第一句。", "First sentence."),
            Row("第二句。第三句。", "Second sentence. Third one. Named Entities 刘少奇  Liu Shaoqi")]
    s = score_article(GOLD, rows, outside)
    assert (s.junk, s.strict) == (2, 1)
    assert s.cjk == 1 and s.cjk_flagged == 0  # the glossary line's Chinese


def test_chinese_left_in_the_english_is_counted_and_a_note_flags_it(tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in [
        {"src": "第一句。", "tgt": "First 巧取豪夺 sentence.", "note": "Chinese left in the English"},
        {"src": "第二句。", "tgt": "Second 활跃 sentence."},
        {"src": "第三句。", "tgt": "Third one."},
    ]) + "\n", encoding="utf-8")
    rows = read_rows(path)
    assert [r.note for r in rows] == ["Chinese left in the English", "", ""]
    s = score_article(GOLD, rows)
    assert (s.cjk, s.cjk_flagged) == (2, 1)


def test_what_an_english_drops_leaves_out_the_lines_its_header_renders():
    # The headline and an attribution that repeat the `### ` title are in the English header.
    gold = [("标题", ""), ("第一句。", "First."), ("第二句，很长很长很长。", ""), ("标题", "")]
    article = ARTICLE.replace("第二句。", "第二句，很长很长很长。")
    assert dropped_share(gold, article) == pytest.approx(len("第二句,很长很长很长。") / len("标题第一句。第二句,很长很长很长。标题"))
    assert stop_share(ARTICLE, "第三句。") == pytest.approx(len("第三句。(新华社)") / len("标题第一句。第二句。第三句。(新华社)"))


def test_a_mismatched_pair_is_one_articles_english_and_anothers_chinese(tmp_path):
    other = tmp_path / "other.md"
    other.write_text(ARTICLE.replace("标题", "别的").replace("第一句", "另一句"), encoding="utf-8")
    this = tmp_path / "this.md"
    this.write_text(ARTICLE, encoding="utf-8")
    made = mismatched(this, other)
    assert made.startswith("Title: A Test") and "Headline" in made and "另一句" in made
    assert "第一句" not in made and made.count("<hr />") == 1
    # An English translated in chunks has an `<hr />` of its own: the Chinese starts at the last one.
    chunked = ARTICLE.replace("    Third one.", "    Third one.\n\n<hr />\n<h3>File continued from previous part</h3>\n\n    More.")
    this.write_text(chunked, encoding="utf-8")
    made = mismatched(this, other)
    assert "More." in made and "另一句" in made and made.count("<hr />") == 2
