"""Each evidence signal decides a real alignment: switched off, the test fails.

The fixtures in tests/data/signals/ are small windows of consecutive MAC-Dev gold beads
found by `benchmarks/find_signal_cases.py` (re-run it with --write after a re-fit of
the weights): with every signal the aligner finds the window's gold beads, with one
signal off it does not. Each fixture lists the signals that decide it. The seed
article has no such window (its 1-1 beads are decided by several signals at once),
so it serves the document-learned pairs instead, which need a whole document.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from aligner.lexicon.learn import learn_pairs
from aligner.beads import Bead, parse_bead
from aligner.features import build_side, char_length
from aligner.lexicon import en_key, load_lexicon, match_names
from aligner.lexicon.numbers import en_number_keys, zh_number_keys
from aligner.lexicon.punct import punct_keys
from aligner.options import AlignOptions
from aligner.pipeline import align_sentences, key_functions
from aligner.tokenize import en_words, zh_words
from conftest import mac_dev_chapter

DATA = Path(__file__).parent / "data"
SIGNALS = ["lexicon", "numbers", "names", "punct", "length"]
FIXTURES = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((DATA / "signals").glob("*.json"))}
CASES = [(name, s) for name, case in FIXTURES.items() for s in case["signals"]]


def gold(case: dict) -> list[Bead]:
    return [parse_bead(g) for g in case["gold"]]


def without(signal: str) -> AlignOptions:
    return replace(AlignOptions(), **{signal: False})


def params(cases: list[tuple[str, str]]) -> list:
    """Cases as pytest params."""
    return [pytest.param(n, s) for n, s in cases]


def test_every_signal_has_a_fixture():
    assert {s for _, s in CASES} >= set(SIGNALS)


@pytest.mark.parametrize("name", FIXTURES)
def test_with_every_signal_the_window_gets_its_gold_beads(name):
    case = FIXTURES[name]
    beads = align_sentences(case["zh"], case["en"]).beads
    assert beads == gold(case)


@pytest.mark.parametrize("name, signal", params(CASES))
def test_without_the_signal_the_window_is_misaligned(name, signal):
    case = FIXTURES[name]
    beads = align_sentences(case["zh"], case["en"], without(signal)).beads
    assert beads != gold(case)


# ------------------------------------------------ the evidence behind each case

def linked_pairs(signal: str, case: dict) -> list[tuple[int, int, str]]:
    """(Chinese sentence, English sentence, shared key) in the same gold bead, by `signal`'s evidence."""
    zh, en = case["zh"], case["en"]
    if signal == "numbers":
        zk, ek = [set(zh_number_keys(z)) for z in zh], [set(en_number_keys(e)) for e in en]
    elif signal == "punct":
        zk, ek = [set(punct_keys(z, "zh")) for z in zh], [set(punct_keys(e, "en")) for e in en]
    elif signal == "names":
        zw, ew = [zh_words(z) for z in zh], [en_words(e) for e in en]
        lex = load_lexicon()
        words = [u for ws in zw for u in ws]
        names = match_names(words, ew, known={u for u in words if u in lex})
        zk = [{k for u in ws for k in names.get(u, ())} for ws in zw]
        ek = [{k for w in ws if (k := en_key(w))} for ws in ew]
    elif signal == "lexicon":
        lex = load_lexicon()
        zk = [{k for u in zh_words(z) for k in lex.zh_keys(u)} for z in zh]
        ek = [{k for w in en_words(e) if (k := en_key(w))} for e in en]
    else:
        raise ValueError(signal)
    return [(i, j, k) for s, t in gold(case) for i in s for j in t for k in sorted(zk[i] & ek[j])]


@pytest.mark.parametrize("name, signal", params([c for c in CASES if c[1] != "length"]))
def test_the_signal_links_sentences_of_a_gold_bead_missed_without_it(name, signal):
    """The signal's own evidence (a shared number, a name, a dictionary pair, a
    punctuation cue) links a Chinese and an English sentence of a gold bead that the
    alignment made without the signal does not have."""
    case = FIXTURES[name]
    off = align_sentences(case["zh"], case["en"], without(signal)).beads
    missed = [(s, t) for s, t in gold(case) if (s, t) not in off]
    links = [(i, j, k) for i, j, k in linked_pairs(signal, case) if any(i in s and j in t for s, t in missed)]
    assert links, (missed, linked_pairs(signal, case))


@pytest.mark.parametrize("name", [n for n, s in CASES if s == "length"])
def test_without_length_a_bead_strays_from_the_length_ratio(name):
    """Gale-Church's premise on the window: the gold beads keep closer to the window's
    English/Chinese character ratio than the beads found without the length cost."""
    case = FIXTURES[name]
    zl, el = [char_length(z) for z in case["zh"]], [char_length(e) for e in case["en"]]
    ratio = sum(el) / sum(zl)

    def worst(beads: list[Bead]) -> float:
        return max(abs(math.log(sum(el[j] for j in t) / ratio / sum(zl[i] for i in s))) for s, t in beads if s and t)

    off = [parse_bead(b) for b in case["signals"]["length"]["without"]]
    assert worst(gold(case)) < worst(off)


def test_mac_dev_006_window_links_a_number():
    """The 006 window: “我必须在五点以前拿到它。” ↔ '"I must get my hands on a pair before five."'."""
    case = FIXTURES["mac-dev-006-110-112"]
    zh, en = case["zh"][0], case["en"][0]
    assert "#5" in zh_number_keys(zh) and "#5" in en_number_keys(en)


def test_mac_dev_005_window_links_names():
    """The 005 window: 王琦瑶 … 吴佩珍 ↔ 'Wang Qiyao' … 'Wu Peizhen'."""
    case = FIXTURES["mac-dev-005-108-109"]
    zh, en = case["zh"][1], " ".join(case["en"][3:5])
    names = match_names(zh_words(zh), [en_words(en)])
    assert {"wang", "qiyao"} <= names.get("王琦瑶", set()), names
    assert {"wu", "peizhen"} <= names.get("吴佩珍", set()), names


def test_fixtures_are_real_consecutive_gold_beads():
    """Each window is cut verbatim from its chapter: same sentences, gold beads shifted."""
    for case in FIXTURES.values():
        zh, en, beads = mac_dev_chapter(case["source"].split()[-1])
        a, b = case["gold_beads"]
        beads = beads[a : b + 1]
        z0, e0 = beads[0][0][0], beads[0][1][0]
        assert [(tuple(i - z0 for i in s), tuple(j - e0 for j in t)) for s, t in beads] == gold(case)
        assert zh[z0 : z0 + len(case["zh"])] == case["zh"]
        assert en[e0 : e0 + len(case["en"])] == case["en"]


# ------------------------------------------------ document-learned pairs

def seed() -> tuple[list[str], list[str]]:
    from aligner.segment import get_segmenter

    seg = get_segmenter("en")
    lines = [l.split("\t") for l in (DATA / "harbin.gold.tsv").read_text(encoding="utf-8").splitlines() if "\t" in l]
    return [z for z, _ in lines], [s for _, e in lines for s in seg.split(e)]


def learned(zh: list[str], en: list[str]) -> dict[str, set[str]]:
    """What the second pass learns from the first (the beads aligned without learning)."""
    first = align_sentences(zh, en, without("learn")).beads
    zk, ek = key_functions(AlignOptions())
    return learn_pairs(build_side("zh", zh).words, build_side("en", en).words, first, zk, ek)


def test_seed_article_learns_at_the_meeting():
    """会上 ('at the meeting') is no dictionary headword with 'meeting' among its keys,
    but it opens three seed sentences whose English has 'meeting'."""
    zh, en = seed()
    assert en_key("meeting") not in load_lexicon().zh_keys("会上")
    assert en_key("meeting") in learned(zh, en).get("会上", set())


def test_chapter_002_learns_the_heros_names():
    """Trinket and Misty are translations, not transliterations, of 韦小宝 and 小玄子."""
    zh, en, _ = mac_dev_chapter("002")
    got = learned(zh, en)
    assert en_key("Trinket") in got.get("韦小宝", set())
    assert en_key("Misty") in got.get("小玄子", set())


def test_learning_on_chapter_002_finds_more_gold_beads():
    """The second pass with learned pairs, end to end: on the freest chapter it gains gold
    beads (183 against 180 of its 238 when measured), one of them 韦小宝 … ↔ … Trinket …."""
    zh, en, gold_beads = mac_dev_chapter("002")
    ref = set(gold_beads)
    on = set(align_sentences(zh, en).beads) & ref
    off = set(align_sentences(zh, en, without("learn")).beads) & ref
    assert len(on) > len(off)
    assert any(any("韦小宝" in zh[i] for i in s) and any("Trinket" in en[j] for j in t) for s, t in on - off)
