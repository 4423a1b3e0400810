"""The evidence of a document (scoring/evidence.py): frozen, its caches made once per view,
the second pass's derived from the first's, the search's views as the costs need them."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from aligner.features import build_sides
from aligner.options import AlignOptions
from aligner.pipeline import document_evidence, key_functions
from aligner.readers.load import load_article
from aligner.scoring.evidence import Evidence
from aligner.scoring.keys import KeyTable
from conftest import EXAMPLE


@pytest.fixture
def evidence() -> Evidence:
    zh, en, _ = load_article(str(EXAMPLE))
    return document_evidence(zh.sentences, en.sentences, AlignOptions())


def test_evidence_is_frozen(evidence):
    with pytest.raises(dataclasses.FrozenInstanceError):
        evidence.rates = None  # type: ignore[misc]


def test_what_is_derived_is_made_once_per_view(evidence):
    made = []
    for _ in range(3):
        evidence.derived("count", lambda ev: made.append(ev) or len(made))
    assert made == [evidence]
    assert evidence.typed("zh") is evidence.typed("zh") and evidence.entries("en") is evidence.entries("en")
    view = evidence.merged([0, 5, len(evidence.zh)], [0, 5, len(evidence.en)])
    assert view.derived("count", lambda ev: made.append(ev) or len(made)) == 2  # a view of its own


def test_the_second_pass_keeps_what_learning_does_not_change(evidence):
    """Learned pairs make a new key table: the Chinese entries are made again with it, the
    English ones and what comes of the sides alone are kept; nothing learned, nothing new."""
    assert evidence.with_pairs({}) is evidence
    english, chinese, tokens = evidence.entries("en"), evidence.entries("zh"), evidence.typed("zh")
    stats = evidence.derived("stats", lambda ev: object())
    word = next(u for toks in evidence.zh.words for u in toks if len(u) > 1 and not list(evidence.keys.zh_keys(u)))
    second = evidence.with_pairs({word: {"harbin"}})
    assert second.keys is not evidence.keys and evidence.keys.extra.get(word) is None
    assert second.entries("en") is english and second.typed("zh") is tokens
    assert second.derived("stats", lambda ev: None) is stats
    assert second.entries("zh") is not chinese
    assert len(second.entries("zh").sent) > len(chinese.sent)  # the word now has a key
    # names matched in the first pass stay in the second pass's table
    assert all(second.keys.extra[u] >= ws for u, ws in evidence.keys.extra.items())
    rated = second.with_rates(None)
    assert rated.entries("zh") is second.entries("zh")


def test_views_for_the_search(evidence):
    """A reversed view reads its mirror's entries backwards; a merged view sums its units'
    vectors and keeps the key table and rates."""
    n, m = len(evidence.zh), len(evidence.en)
    rng = np.random.default_rng(0)
    with_vectors = dataclasses.replace(evidence, vectors=(rng.normal(size=(n, 4)), rng.normal(size=(m, 4))))
    back = with_vectors.reversed()
    assert back.mirror is with_vectors and back.keys is with_vectors.keys
    assert np.array_equal(back.vectors[0], with_vectors.vectors[0][::-1])
    assert back.zh.words == with_vectors.zh.words[::-1]
    merged = with_vectors.merged([0, 3, n], [0, 4, m], keep=5)
    assert np.allclose(merged.vectors[0][0], with_vectors.vectors[0][:3].sum(axis=0))
    assert merged.keys is with_vectors.keys and len(merged.zh) == 2 and len(merged.en) == 2
    assert all(len(u) <= 5 for u in merged.typed("zh"))


def test_a_document_without_words_has_no_entries():
    """--no-lexicon --no-numbers --no-names --no-punct: sides without tokens, and evidence
    that reverses (as a split DP does) without a word to look up."""
    zh, en, _ = load_article(str(EXAMPLE))
    zs, es = build_sides(zh.sentences, en.sentences, lexical=False)
    options = AlignOptions(lexicon=False, numbers=False, names=False, punct=False)
    evidence = Evidence(zs, es, KeyTable(*key_functions(options), {}))
    back = evidence.reversed()
    assert len(back.entries("zh").sent) == 0 and len(back.entries("en").sent) == 0
