"""Sentences without counterpart on real text: the seed article with English removed or
invented, and the calibration map behind the confidence."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.beads import Bead
from aligner.document import Text
from aligner.pipeline import align_texts
from aligner.readers.load import load_article
from aligner.scoring.confidence import A, B, calibrate, expected_calibration_error, fit_logistic
from tests.conftest import EXAMPLE, gold_pairs

INVENTED = "The delegates also visited the new tractor station outside the city and praised its workers."


@pytest.fixture(scope="module")
def article():
    zh, en, meta = load_article(str(EXAMPLE))
    doc = align_texts(zh, en, metadata=meta)
    # the article as aligned is its hand-checked gold, 18 of 18 (tests/test_article.py)
    assert [(a, b) for a, b, _, _ in doc.pairs()] == gold_pairs()
    return zh, en, meta, doc.beads


def _with_en(en: Text, paragraphs: list[list[str]]) -> Text:
    return Text(en.lang, [p for p in paragraphs if p], en.path)


def _renumber(gold: list[Bead], gone: set[int], shift_at: int | None = None) -> list[Bead]:
    """The gold with English sentences `gone` removed (a bead left without English becomes one
    1-0 bead per Chinese sentence), or with a sentence inserted before English `shift_at`."""
    out: list[Bead] = []
    for src, tgt in gold:
        if shift_at is not None:
            out.append((src, tuple(j + (j >= shift_at) for j in tgt)))
            continue
        kept = tuple(j - sum(1 for g in gone if g < j) for j in tgt if j not in gone)
        out += [((i,), ()) for i in src] if not kept else [(src, kept)]
    return out


@pytest.mark.parametrize("k", range(1, 19))
def test_an_english_sentence_removed_leaves_its_chinese_unpaired(article, k):
    """Each body sentence of the English removed in turn: its Chinese sentence is the only 1-0
    bead and every other bead is as in the gold. (The 1-2 bead keeps one English sentence
    when one of its two is removed, so there it stays two-sided.)"""
    zh, en, meta, gold = article
    paragraphs, n = [], 0
    for p in en.paragraphs:
        paragraphs.append([s for s in p if (n := n + 1) - 1 != k])
    doc = align_texts(zh, _with_en(en, paragraphs), metadata=meta)
    assert doc.beads == _renumber(gold, {k})
    one_sided = [b for b in doc.beads if not b[1]]
    assert len(one_sided) == (0 if k in (14, 15) else 1)


@pytest.mark.parametrize("p", [1, 2, 3, 5])
def test_an_english_paragraph_removed_leaves_its_chinese_unpaired(article, p):
    """A whole English paragraph removed (paragraph 3 has 7 sentences): its Chinese sentences
    are 1-0 beads and every other bead is as in the gold."""
    zh, en, meta, gold = article
    starts = en.paragraph_starts
    doc = align_texts(zh, _with_en(en, [q for i, q in enumerate(en.paragraphs) if i != p]), metadata=meta)
    assert doc.beads == _renumber(gold, set(range(starts[p], starts[p + 1])))


@pytest.mark.parametrize("k", [*range(0, 14), 18, 19])
def test_an_invented_english_sentence_is_left_unpaired(article, k):
    """An invented sentence inserted before English sentence k (at the end for 19) is a 0-1
    bead of its own; the other beads are as in the gold."""
    zh, en, meta, gold = article
    paragraphs, n = [], 0
    for q in en.paragraphs:
        para = []
        for s in q:
            if n == k:
                para.append(INVENTED)
            para.append(s)
            n += 1
        paragraphs.append(para)
    if k == len(en.sentences):
        paragraphs[-1].append(INVENTED)
    doc = align_texts(zh, _with_en(en, paragraphs), metadata=meta)
    expected = _renumber(gold, set(), shift_at=k)
    at = next((g for g, (_, t) in enumerate(expected) if t and t[0] > k), len(expected))
    expected.insert(at, ((), (k,)))
    assert doc.beads == expected


def test_a_long_text_of_repeated_pages_leaves_each_dropped_sentence_unpaired(tmp_path):
    """The seed article 40 times, every fourth copy with an English sentence left out (and one
    added): each left-out sentence's Chinese is a 1-0 bead. Here every word is seen 40 times
    and found almost always, so its learned rate (scoring/rates.py) is near its cap; scoring
    a one-sided bead's words with those rates made every sentence too dear to leave
    unpaired (none was), which is why one-sided beads keep the global q."""
    from review_texts import write_pair

    from aligner.readers.load import load_text

    zh_path, en_path = write_pair(tmp_path, copies=40, gaps_every=4)
    zh, en = load_text(str(zh_path)), load_text(str(en_path))
    doc = align_texts(zh, en)
    unpaired = [i for s, t in doc.beads if not t for i in s]
    # one sentence per damaged copy, the same one each time (copies are 4 articles apart)
    assert len(unpaired) == 10
    assert len({zh.sentences[i] for i in unpaired}) == 1
    assert len({b - a for a, b in zip(unpaired, unpaired[1:])}) == 1


def test_calibration_is_monotone_and_inside_zero_one():
    p = np.linspace(0, 1, 101)
    c = calibrate(p)
    assert np.all(np.diff(c) >= 0) and np.all((c > 0) & (c < 1))
    # the shipped map: a bead every path takes is right about 97-100% of the time
    assert calibrate([1.0])[0] > 0.99 and calibrate([0.5])[0] == pytest.approx(1 / (1 + np.exp(-A)), abs=1e-9)
    assert B > 0


def test_fit_logistic_recovers_the_map_that_made_the_outcomes():
    rng = np.random.default_rng(0)
    post = rng.uniform(0.01, 0.999, 20000)
    truth = calibrate(post, a=0.3, b=0.6)
    right = rng.uniform(size=len(post)) < truth
    a, b = fit_logistic(post, right)
    assert a == pytest.approx(0.3, abs=0.08) and b == pytest.approx(0.6, abs=0.05)
    # calibrated by construction: a small error; the raw posteriors are off
    assert expected_calibration_error(calibrate(post, a, b), right) < 0.02
    assert expected_calibration_error(post, right) > 0.05


def test_expected_calibration_error_of_known_bins():
    conf = np.array([0.95] * 10 + [0.55] * 10)
    right = np.array([1] * 9 + [0] + [1] * 5 + [0] * 5)
    # bins 0.9-1.0: 0.95 vs 0.9; 0.5-0.6: 0.55 vs 0.5; each half the beads
    assert expected_calibration_error(conf, right) == pytest.approx(0.05)
