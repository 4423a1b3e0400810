"""Number keys: the same value in a Chinese sentence and its translation gives the same key."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.evaluate import read_alignment
from aligner.lexicon.numbers import (
    EN_KINDS,
    ZH_KINDS,
    en_items,
    en_number_keys,
    zh_items,
    zh_number_keys,
)
from conftest import shared_data

DATA = Path(__file__).parent / "data"


def _seed_pair(zh_fragment: str) -> tuple[str, str]:
    for line in (DATA / "harbin.gold.tsv").read_text(encoding="utf-8").splitlines():
        zh, en = line.split("\t")
        if zh_fragment in zh:
            return zh, en
    raise AssertionError(zh_fragment)


def test_seed_article_270_items():
    zh, en = _seed_pair("二百七十多项")
    assert zh_number_keys(zh) == ["#270"]
    assert en_number_keys(en) == ["#270"]  # 'more than 270 items'


def test_seed_article_date():
    zh, en = _seed_pair("十一月五日")
    assert zh_number_keys(zh) == ["#11", "#5"]
    assert en_number_keys(en) == ["#11", "#5"]  # 'on November 5th'


def test_seed_article_sentence_without_numbers_has_no_keys():
    # 一致 (unanimous), 全体, 各级: numerals inside words are not numbers
    zh, en = _seed_pair("会上一致认为")
    assert zh_number_keys(zh) == []
    assert en_number_keys(en) == []


@pytest.mark.parametrize(
    ("zh", "keys"),
    [
        ("1954年", ["#1954"]),
        ("一九五四年", ["#1954"]),
        ("二〇〇八年", ["#2008"]),
        ("百分之三十", ["#30"]),
        ("３０％的人", ["#30"]),
        ("１,０００元", ["#1000"]),
        ("长2.5米", ["#2.5"]),
        ("第三", ["#3"]),
        ("两个人", ["#2"]),
        ("三四天", ["#3", "#4"]),
        ("十七八岁", ["#17", "#18"]),
        ("二三十个", ["#20", "#30"]),
        ("一两天", ["#1", "#2"]),
        ("三两银子", ["#3"]),  # 两 the tael
        ("一千零五", ["#1005"]),
        ("兩萬五", ["#25000"]),  # traditional characters
        ("十分钟", ["#10"]),
    ],
)
def test_zh_values(zh, keys):
    assert zh_number_keys(zh) == keys


@pytest.mark.parametrize(
    "zh",
    ["我们一起走", "一样的", "统一", "一点儿", "十分高兴", "万一他来", "他们一一见过", "十几岁", "几十个",
     "老百姓", "千万别去", "乱七八糟", "七零八落"],
)
def test_zh_words_with_numerals_are_not_numbers(zh):
    assert zh_number_keys(zh) == []


def test_lone_yi_is_measured_but_not_kept():
    assert zh_items("来了一个人") == [("cn_one", "#1")]
    assert zh_number_keys("来了一个人") == []
    assert zh_number_keys("第一个人") == ["#1"]
    assert zh_number_keys("一月") == ["#1"]


@pytest.mark.parametrize(
    ("en", "keys"),
    [
        ("more than 270 items", ["#270"]),
        ("1,000 yuan and 3.5 km", ["#1000", "#3.5"]),
        ("30% of them", ["#30"]),
        ("the 1950s", ["#1950"]),
        ("twenty-one", ["#21"]),
        ("two hundred and seventy", ["#270"]),
        ("a hundred men", ["#100"]),
        ("one hundred thousand", ["#100000"]),
        ("the twenty-first century", ["#21"]),
        ("the first time", ["#1"]),
        ("In May 1954", ["#5", "#1954"]),
        ("five, six", ["#5", "#6"]),
        ("Seventy and sevenfold", ["#77"]),
        ("on the seven and twentieth day", ["#27"]),
        # not numbers: modal 'may', 'one' as a pronoun, a bare 'hundred', 'someone'
        ("you may go", []),
        ("no one came, not one", []),
        ("hundreds of them", []),
        ("someone", []),
    ],
)
def test_en_values(en, keys):
    assert en_number_keys(en) == keys


def test_bible_ages_match():
    # Chinese Union Version and King James Version (public domain), Genesis 5:17.
    zh = "玛勒列共活了八百九十五岁就死了。"
    en = "And all the days of Mahalaleel were eight hundred ninety and five years: and he died."
    assert zh_number_keys(zh) == en_number_keys(en) == ["#895"]


def test_mac_dev_sentences():
    # MAC-Dev 002 (The Deer and the Cauldron, tr. John Minford), one sentence each.
    zh = "韦小宝借了二十两给他们，到停赌时，温家兄弟又将这二十两银子输了。"
    en = "Trinket lent them another twenty, and by the end of the day's play that was all gone too."
    assert zh_number_keys(zh) == ["#20", "#20"]
    assert en_number_keys(en) == ["#20"]
    zh = "他兄弟俩手气又坏，不到半个时辰，五十两本钱已输干了。"
    assert zh_number_keys(zh) == ["#50"]
    assert "#50" in en_number_keys("In less than an hour they had to pay out fifty taels")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=99999))
def test_cn2an_numerals_round_trip(n):
    sentence = f"他们有{cn2an.an2cn(n)}头牛"
    assert (zh_number_keys(sentence) if n != 1 else [k for _, k in zh_items(sentence)]) == [f"#{n}"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_digits_round_trip_in_both_languages(n):
    assert en_number_keys(f"about {n:,} people") == [f"#{n}"]
    assert zh_number_keys(f"约{n}人") == [f"#{n}"]


_NUMERALISH = st.text(
    alphabet=st.sampled_from(list("零〇一二两三四五六七八九十百千万亿廿点第年月日号几分之%0123456789,.０１萬兩 ")),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), _NUMERALISH))
def test_zh_never_raises(text):
    keys = zh_number_keys(text)
    assert all(k.startswith("#") for k in keys)


_WORDISH = st.lists(
    st.sampled_from(["one", "two", "hundred", "and", "a", "an", "first", "twenty", "-", "May", "5th",
                     "thousand", "sevenfold", "hundredth", "1,000", "3.5", ",", " ", "İ", "million"]),
    max_size=12,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), _WORDISH))
def test_en_never_raises(text):
    keys = en_number_keys(text)
    assert all(k.startswith("#") for k in keys)


# ------------------------------------------------------------- measured on real data

def _evidence(zh_sents, en_sents, beads, zh_kinds, en_kinds):
    """Per kind: [keys seen, same-bead hits, expected random-bead hits] in both directions."""
    beads = [b for b in beads if b[0] and b[1]]
    zh = [{(k, v) for i in s for k, v in zh_items(zh_sents[i]) if k in zh_kinds} for s, _ in beads]
    en = [{(k, v) for j in t for k, v in en_items(en_sents[j]) if k in en_kinds} for _, t in beads]
    stats: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for side, other in ((zh, en), (en, zh)):
        other_keys = [{v for _, v in b} for b in other]
        in_beads = defaultdict(int)
        for keys in other_keys:
            for v in keys:
                in_beads[v] += 1
        for b, (items, keys) in enumerate(zip(side, other_keys)):
            for kind, v in items:
                hit = v in keys
                row = stats[kind]
                row[0] += 1
                row[1] += hit
                row[2] += (in_beads[v] - hit) / (len(beads) - 1)
    return stats


def _corpus(name, docs, swap=False):
    root = shared_data(name)
    for doc in docs:
        zh = (root / "zh" / doc).read_text(encoding="utf-8").splitlines()
        en = (root / "en" / doc).read_text(encoding="utf-8").splitlines()
        beads = read_alignment(root / "gold" / f"{doc}.align")
        yield zh, en, [(t, s) for s, t in beads] if swap else beads


def _table(name, docs, zh_kinds, en_kinds, swap=False):
    total: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for zh, en, beads in _corpus(name, docs, swap):
        for kind, row in _evidence(zh, en, beads, zh_kinds, en_kinds).items():
            total[kind] = [a + b for a, b in zip(total[kind], row)]
    print(f"\n{name}: kind            n   same-bead  random-bead")
    for kind, (n, hits, chance) in sorted(total.items(), key=lambda kv: -kv[1][0]):
        print(f"   {kind:<14}{n:>5}  {hits / n:9.3f}  {chance / n:11.4f}")
    return {kind: (n, hits / n, chance / n) for kind, (n, hits, chance) in total.items()}


ALL_ZH = ZH_KINDS | {"cn_one"}
ALL_EN = EN_KINDS | {"en_one"}


@pytest.mark.parametrize(
    ("name", "docs", "swap"),
    [("mac-dev", ["001", "002", "003", "004", "005", "006"], False), ("bible", ["001"], True)],
)
def test_evidence_kept_kinds_beat_chance_and_dropped_ones_do_not(name, docs, swap):
    everything = _table(name, docs, ALL_ZH, ALL_EN, swap)
    for kind in ("cn_one", "en_one"):  # a lone 一 / 'one': barely better than a random bead
        n, same, chance = everything[kind]
        assert n >= 100 and same < 4 * chance, kind
    kept = _table(name, docs, ZH_KINDS, EN_KINDS, swap)
    for kind, (n, same, chance) in kept.items():
        if n >= 20:
            assert same >= 0.1 and same >= 8 * chance, kind

