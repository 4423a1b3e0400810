"""The CC-CEDICT lexicon: keys of Chinese words against English tokens from real translations."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from aligner.lexicon import en_key, load_lexicon, stem
from aligner.lexicon.cedict import Lexicon, parse_cedict
from aligner.tokenize import en_words
from conftest import mac_dev_chapter

DATA = Path(__file__).parent / "data"
EN_TOKEN = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return load_lexicon()


def seed_pairs() -> list[tuple[str, str]]:
    lines = (DATA / "harbin.gold.tsv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if "\t" in line]


def en_line_for(zh_word: str, en_word: str) -> str:
    return next(en for zh, en in seed_pairs() if zh_word in zh and en_word.lower() in en.lower())


@pytest.mark.parametrize(
    "zh_word, en_word",
    [("座谈会", "forum"), ("锅炉", "boiler"), ("氯化铵", "ammonium"), ("氯化铵", "chloride"),
     ("质量", "quality"), ("计划", "plans"), ("哈尔滨", "Harbin"), ("国营", "state-owned")],
)
def test_seed_words_match_their_translation_in_the_gold_line(lex, zh_word, en_word):
    en = en_line_for(zh_word, en_word)
    line_keys = {en_key(t) for t in en_words(en)}  # the pipeline's tokens: hyphenated words split
    assert {en_key(t) for t in en_words(en_word)} <= line_keys
    assert lex.zh_keys(zh_word) & line_keys, (zh_word, sorted(lex.zh_keys(zh_word)))


def test_hyphenated_words_match_whether_or_not_the_tokenizer_splits_them(lex):
    keys = lex.zh_keys("国企")  # state-owned enterprise
    assert {en_key("state-owned"), en_key("state"), en_key("owned"), en_key("enterprises")} <= keys


@pytest.mark.parametrize("word", ["的", "了", "在", "是", "一"])
def test_function_words_have_no_keys(lex, word):
    assert lex.zh_keys(word) == frozenset()


def test_traditional_and_simplified_give_the_same_keys(lex):
    assert lex.zh_keys("鍋爐") == lex.zh_keys("锅炉")
    assert en_key("plan") in lex.zh_keys("計劃")


def test_unknown_words_back_off_to_dictionary_sub_words(lex):
    word = "配合协作"  # seed article: 'coordination and cooperation'
    assert word not in lex
    keys = lex.zh_keys(word)
    assert en_key("coordination") in keys or en_key("coordinate") in keys
    assert en_key("cooperate") in keys or en_key("cooperation") in keys


def test_single_character_back_off_can_be_switched_off():
    table = {"工厂": "factory", "电": "electric", "池": "pool"}
    word = "电池工厂"  # 电池 is not in this toy table: only single characters cover it
    assert Lexicon(table).zh_keys(word) == {"factory", "electric", "pool"}
    assert Lexicon(table, single_char_backoff=False).zh_keys(word) == {"factory"}


def test_latin_words_in_chinese_text_match_themselves(lex):
    assert lex.zh_keys("DNA") == {en_key("DNA")}
    assert lex.zh_keys("，") == frozenset()
    assert lex.zh_keys("2019") == frozenset()


@pytest.mark.parametrize(
    "forms",
    [("plan", "plans", "planned", "planning"), ("go", "went", "gone", "goes", "going"), ("man", "men"),
     ("study", "studies", "studied"), ("use", "used", "using"), ("box", "boxes"), ("colour", "color", "colours"),
     ("realise", "realize", "realised"), ("happy", "happily"), ("Harbin", "Harbin's"), ("child", "children")],
)
def test_inflections_share_one_key(forms):
    assert len({en_key(f) for f in forms}) == 1, {f: en_key(f) for f in forms}


@pytest.mark.parametrize("token", ["the", "The", "of", "and", "one", "three", "270", "1954", ",", "—", "don't", "’s"])
def test_stopwords_numbers_and_punctuation_have_no_key(token):
    assert en_key(token) is None


def test_different_words_keep_different_keys():
    words = ["plan", "planet", "plant", "news", "new", "state", "status", "family", "famous", "boil", "boiler"]
    keys = [en_key(w) for w in words]
    assert len(set(keys)) == len(words), dict(zip(words, keys))
    assert stem("series") == "series"


def test_glosses_lose_notes_classifiers_pinyin_and_descriptions():
    lines = [
        "計劃 计划 [ji4 hua4] /plan/project/program/to plan/to map out/CL:個|个[ge4],項|项[xiang4]/",
        "哈爾濱 哈尔滨 [Ha1 er3 bin1] /Harbin, subprovincial city and capital of Heilongjiang province "
        "黑龍江|黑龙江[Hei1 long2 jiang1] in northeast China/",
        "了 了 [le5] /(completed action marker)/(modal particle indicating change of state, situation now)/",
        "國企 国企 [guo2 qi3] /state-owned enterprise/",
        "陳 陈 [Chen2] /surname Chen/",
        "昰 是 [shi4] /variant of 是[shi4]/",
        "是 是 [shi4] /to be (followed by substantives only)/correct; right; true/",
    ]
    table = parse_cedict(lines)
    assert set(table["计划"]) == {"plan", "project", "program", "map"}
    assert set(table["計劃"]) == set(table["计划"])
    assert table["哈尔滨"] == ["harbin"]
    assert table["了"] == []
    assert set(table["国企"]) == {"stat-own", "stat", "own", "enterpriz"}
    assert table["陈"] == []
    assert set(table["昰"]) == {"correct", "right", "tru"}  # a bare variant takes its target's keys


def test_gold_beads_match_far_more_often_than_random_beads(lex):
    """MAC-Dev 001: share of Chinese content words with a translation on the English side."""
    import jieba

    from aligner.lexicon.stopwords import ZH_STOPWORDS

    zh, en, beads = mac_dev_chapter("001")
    beads = [b for b in beads if b[0] and b[1]]
    zw = [[u for u in jieba.lcut("".join(zh[i] for i in b[0])) if re.search(r"[\u4e00-\u9fff]", u)
           and u not in ZH_STOPWORDS] for b in beads]
    ek = [{en_key(t) for i in b[1] for t in EN_TOKEN.findall(en[i])} - {None} for b in beads]

    def rate(pairs):
        hits = total = 0
        for i, j in pairs:
            hits += sum(1 for u in zw[i] if lex.zh_keys(u) & ek[j])
            total += len(zw[i])
        return hits / total

    rng = random.Random(0)
    n = len(beads)
    true = rate((i, i) for i in range(n))
    rand = rate((i, (i + rng.randint(5, n - 5)) % n) for i in range(n))
    assert true > 0.3 and true > 4 * rand, (true, rand)


@pytest.mark.parametrize("sentence, lang, keys", [
    ("“你去哪儿？”他问：“去北京（首都）……”", "zh", ["#?", "#quote", "#colon", "#paren", "#ellipsis"]),
    ("好吧！——走。", "zh", ["#!", "#dash"]),
    ("没有标点的句子", "zh", []),
    ('"Where to?" he asked (twice)... then -- nothing!', "en", ["#?", "#!", "#quote", "#paren", "#ellipsis", "#dash"]),
    ("He said: “Go…”", "en", ["#quote", "#colon", "#ellipsis"]),
    ("A plain sentence.", "en", []),
])
def test_punctuation_cues_in_the_order_of_the_table(sentence, lang, keys):
    """Each kind of mark present gives its key once, in the order of CUES (one regex scan)."""
    from aligner.lexicon.punct import punct_keys

    assert punct_keys(sentence, lang) == keys
