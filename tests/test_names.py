"""Transliterated names: pinyin of Chinese words against capitalised English words."""

from __future__ import annotations

import random
from pathlib import Path

import jieba
import pytest

from aligner.lexicon import en_key, load_lexicon, match_names, pinyin_key
from aligner.tokenize import en_words

DATA = Path(__file__).parent / "data"

# MAC-Dev 001, sentences 2 and 20 (Wang Xiaobo, tr. Zhang & Sommer)
NOVEL = [
    ("陈清扬把我拽住，以伟大友谊的名义叫我留下来。",
     "I did not leave that night—Chen Qingyang caught me and asked me to stay in the name of our great friendship."),
    ("那天晚上我引诱了陈清扬和我到山上去。",
     "Until my twenty-first birthday I was a virgin, but that night I lured Chen Qingyang up the mountain with me."),
]


def seed() -> tuple[list[str], list[list[str]]]:
    """The seed article's Chinese words, and its English beads' word tokens, one list a bead."""
    lines = [l.split("\t") for l in (DATA / "harbin.gold.tsv").read_text(encoding="utf-8").splitlines() if "\t" in l]
    zh = [w for z, _ in lines for w in jieba.lcut(z)]
    en = [en_words(e) for _, e in lines]
    return zh, en


@pytest.mark.parametrize("word, key", [("陈清扬", "chenqingyang"), ("哈尔滨", "haerbin"), ("松江", "songjiang"),
                                       ("汉口", "hankou"), ("女儿", "nver")])
def test_pinyin_key(word, key):
    assert pinyin_key(word) == key


def test_full_name_matches_both_english_words():
    got = match_names(["陈清扬", "名义"], [["Chen", "Qingyang", "caught", "me"]])
    assert got == {"陈清扬": {en_key("Chen"), en_key("Qingyang")}}


def test_novel_sentences_link_the_heroine():
    zh = [w for z, _ in NOVEL for w in jieba.lcut(z)]
    en = [en_words(e) for _, e in NOVEL]
    got = match_names(zh, en)
    name_words = [w for w in got if set(w) <= set("陈清扬")]
    assert name_words, got
    assert all(got[w] <= {"chen", "qingyang"} for w in name_words)
    assert "qingyang" in set().union(*(got[w] for w in name_words))


@pytest.mark.parametrize("zh_word, en_word", [("哈尔滨", "Harbin"), ("松江", "Songjiang"), ("汉口", "Hankou")])
def test_seed_place_names(zh_word, en_word):
    zh, en = seed()
    got = match_names(zh, en)
    # jieba keeps 哈尔滨市 ('Harbin City') as one word; the name matches without 市
    assert en_key(en_word) in got.get(zh_word, set()) | got.get(zh_word + "市", set()), got


def test_guangzhou_matches_by_dictionary_or_by_name():
    zh, en = seed()
    keys = set(load_lexicon().zh_keys("广州")) | match_names(zh, en).get("广州", set())
    assert en_key("Guangzhou") in keys


def test_seed_matches_are_all_names():
    zh, en = seed()
    got = match_names(zh, en)
    wrong = {w: ks for w, ks in got.items() if w not in {"哈尔滨", "哈尔滨市", "松江", "汉口", "广州", "黑龙江", "黑龙江省", "励新"}}  # 励新: the author, Li Xin
    assert not wrong


def test_known_words_and_lowercase_words_are_not_candidates():
    assert match_names(["哈尔滨"], [["Harbin"]], known={"哈尔滨"}) == {}
    assert match_names(["哈尔滨"], [["harbin"]]) == {}
    assert match_names(["哈"], [["Ha"]]) == {}  # one character is too short to tell


def test_u_umlaut_written_either_way():
    assert match_names(["吕布"], [["Lü", "Bu"]]) == {"吕布": {en_key("Lü"), "bu"}}
    assert "吕布" in match_names(["吕布"], [["Lu", "Bu"]])


def test_a_name_among_a_thousand_by_a_thousand_candidates():
    """One real name among 1,000 random Chinese words and 1,000 random capitalised English
    words is found, and the random ones almost never match each other (its time is in
    benchmarks/stages.py)."""
    rng = random.Random(0)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    zh = ["".join(rng.choice(han) for _ in range(rng.randint(2, 3))) for _ in range(1000)]
    letters = "abcdefghijklmnopqrstuvwxyz"
    en = ["".join(rng.choice(letters) for _ in range(rng.randint(4, 9))).capitalize() for _ in range(1000)]
    found = match_names(zh + ["陈清扬"], [en, en_words(NOVEL[0][1])])
    assert found["陈清扬"] == {"chen", "qingyang"}
    assert len(found) <= 5, found
