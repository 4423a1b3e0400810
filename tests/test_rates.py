"""Each word's rate of translation learned from a first alignment (scoring/rates.py), on
the seed article with its hand-checked beads."""

from __future__ import annotations

import pytest

from conftest import EXAMPLE, gold_pairs

from aligner.features import build_sides
from aligner.options import AlignOptions
from aligner.pipeline import align_texts, key_functions
from aligner.readers.load import load_article
from aligner.scoring.evidence import Evidence
from aligner.scoring.keys import KeyTable
from aligner.scoring.rates import MAX_RATE
from aligner.scoring.rates import word_rates

Q = AlignOptions().weights.q


@pytest.fixture(scope="module")
def article():
    zh, en, _ = load_article(str(EXAMPLE))
    doc = align_texts(zh, en)
    assert [(a, b) for a, b, _, _ in doc.pairs()] == gold_pairs()
    zs, es = build_sides(zh.sentences, en.sentences)
    return zs, es, KeyTable(*key_functions(AlignOptions()), {}), doc.beads


def rates_in(keys, zs, es, beads, q, strength=16.0):
    """The rates of the sides' words in `beads`, with the key table `keys`."""
    evidence = Evidence(zs, es, keys)
    return word_rates(evidence.entries("zh"), evidence.entries("en"), keys.size, beads, q, strength)


def test_words_the_translator_renders_rise_and_words_left_out_fall(article):
    zs, es, keys, beads = article
    rates = rates_in(keys, zs, es, beads, Q, strength=4.0)
    zh = lambda u: rates.zh[keys.zh[u]]  # noqa: E731
    en = lambda k: rates.en[keys.ids[k]]  # noqa: E731
    # 国营 'state-owned' is found in the English of every bead it is in; 会上 'at the meeting'
    # never is (the English says 'at the forum')
    assert zh("国营") > 0.8 and zh("会上") < 0.4
    assert en("local") > 0.8 and en("own") < 0.3
    assert 0 < rates.zh.min() and rates.zh.max() <= MAX_RATE
    # the stronger the prior, the closer to q
    strong = rates_in(keys, zs, es, beads, Q, strength=64.0)
    assert abs(strong.zh[keys.zh["国营"]] - Q) < abs(zh("国营") - Q)


def test_sentences_left_unpaired_teach_nothing(article):
    """A sentence in a one-sided bead is not counted: its words keep q."""
    zs, es, keys, beads = article
    k = next(k for k, (s, t) in enumerate(beads) if len(s) == 1 and len(t) == 1 and "会上" in zs.words[s[0]])
    (i,), (j,) = beads[k]
    cut = beads[:k] + [((i,), ()), ((), (j,))] + beads[k + 1 :]
    rates = rates_in(keys, zs, es, cut, Q)
    only_here = [u for u in set(zs.words[i]) if u in keys.zh and sum(u in w for w in zs.words) == 1]
    assert only_here and all(rates.zh[keys.zh[u]] == pytest.approx(Q) for u in only_here)


def test_a_first_pass_that_pairs_nothing_leaves_every_rate_at_q(article):
    """Every bead one-sided (a text with no counterpart at all): nothing is learned, and
    nothing crashes (it raised IndexError on an empty table of the other side's keys)."""
    zs, es, keys, _ = article
    beads = [((i,), ()) for i in range(len(zs.words))] + [((), (j,)) for j in range(len(es.words))]
    rates = rates_in(keys, zs, es, beads, Q)
    assert rates.zh == pytest.approx(Q) and rates.en == pytest.approx(Q)


def test_an_unpunctuated_chinese_line_against_one_english_sentence_aligns(tmp_path):
    """The case that reached the crash from the command line: the first pass leaves both
    sides unpaired."""
    from conftest import run_cli
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("工人工厂河流猫坐在上面国营地方" * 5 + "\n", encoding="utf-8")
    en.write_text("The cat sat on the mat.\n", encoding="utf-8")
    r = run_cli("align", str(zh), str(en), "-o", str(tmp_path / "out.jsonl"))
    assert r.code == 0, r.err
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8").count("\n") >= 1
