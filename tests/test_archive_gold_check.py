"""benchmarks/archive_gold_check.py: the mechanical check of the hand-made archive gold
(issue 20). It must pass the seed article's gold and catch what a hand edit breaks: a bead
lost, text changed, a sentence cut in two, an OCR fusion split without being listed."""

from __future__ import annotations

import pytest

from benchmarks.archive_gold_check import article_bodies, check, gold_files, ocr_splits
from conftest import EXAMPLE, GOLD_TSV, shared_data

ROWS = GOLD_TSV.read_text(encoding="utf-8").splitlines()


def problems(tmp_path, rows: list[str], splits: set[str] = frozenset()) -> list[str]:
    gold = tmp_path / "gold.tsv"
    gold.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return check(gold, EXAMPLE, set(splits))


def test_the_seed_gold_passes(tmp_path):
    assert problems(tmp_path, ROWS) == []


def test_the_bodies_leave_out_both_headers():
    zh, en = article_bodies(EXAMPLE.read_text(encoding="utf-8"))
    assert zh[0] == "哈尔滨市国营和地方国营工厂举行座谈会" and zh[-1].endswith("（安民　励新）")
    assert en[0] == "Harbin State-Owned and Local State-Owned Factories Hold a Forum"
    assert not any(line.startswith(("Title:", "Page:", "###", "第2版", "专栏")) for line in zh + en)


def test_a_lost_bead_is_caught(tmp_path):
    found = problems(tmp_path, ROWS[:3] + ROWS[4:])
    assert any("line 4: zh text differs" in p for p in found)
    assert any("line 4: en text differs" in p for p in found)


def test_beads_out_of_order_are_caught(tmp_path):
    rows = ROWS[:]
    rows[5], rows[6] = rows[6], rows[5]
    assert any("line 6: zh text differs" in p for p in problems(tmp_path, rows))


def test_whitespace_inside_a_line_must_be_kept(tmp_path):
    rows = ROWS[:]
    rows[-1] = rows[-1].replace("安民　励新", "安民 励新")
    assert any("zh text differs" in p for p in problems(tmp_path, rows))


def test_english_sentences_of_one_bead_are_joined_by_one_space(tmp_path):
    i = next(i for i, row in enumerate(ROWS) if ". Finally" in row)  # a 1-2 bead
    for joined in (".Finally", ".  Finally"):
        rows = ROWS[:]
        rows[i] = rows[i].replace(". Finally", joined)
        assert any(f"line {i + 1}: en text differs" in p for p in problems(tmp_path, rows))


def test_a_sentence_cut_in_two_is_caught(tmp_path):
    zh, en = ROWS[2].split("\t")
    rows = ROWS[:2] + [zh[:10] + "\t" + en, zh[10:] + "\t"] + ROWS[3:]
    assert any("line 3: zh side ends inside a sentence" in p for p in problems(tmp_path, rows))


def test_a_split_inside_a_line_passes_only_when_listed(tmp_path):
    # Split a piece off the front of a line, as an OCR fusion (a headline glued to the
    # first sentence) is undone by hand.
    zh, en = ROWS[2].split("\t")
    head = zh[:17]  # 黑龙江省人民政府计划委员会在十一
    rows = ROWS[:2] + [head + "\t", zh[17:] + "\t" + en] + ROWS[3:]
    assert any("ends inside a sentence" in p for p in problems(tmp_path, rows))
    assert problems(tmp_path, rows, {head}) == []
    assert any("ends no zh bead side" in p for p in problems(tmp_path, ROWS, {head}))


def test_the_form_is_checked(tmp_path):
    found = problems(tmp_path, ROWS[:1] + ["\t"] + ["a\tb\tc"] + ROWS[1:])
    assert any("line 2: both sides empty" in p for p in found)
    assert any("line 3: 2 tabs, not 1" in p for p in found)


def test_every_archive_gold_file_passes():
    archive = shared_data("archive")
    golds = gold_files()
    assert golds
    listed = ocr_splits()
    for gold in golds:
        assert check(gold, archive / f"{gold.stem}.md", listed.get(gold.stem, set())) == []
