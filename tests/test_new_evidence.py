"""A new kind of evidence plugs in as docs/design.md says: one new module (tests/toy_cost.py,
a cost of words per sentence) and one line where the costs are listed
(`scoring.costs.COSTS`). Nothing else changes: the pipeline binds it, the search adds it,
the signature names it, and the rule every cost obeys is checked on it."""

from __future__ import annotations

import math

import pytest

import toy_cost
from aligner.features import build_side
from aligner.options import AlignOptions
from aligner.pipeline import align_sentences, align_texts
from aligner.readers.load import load_article
from aligner.scoring import costs
from aligner.scoring.evidence import Evidence
from aligner.signature import signature
from conftest import EXAMPLE, gold_pairs
from test_cost_symmetry import article_evidence, assert_same_read_backwards


@pytest.fixture
def with_toy(monkeypatch):
    """The one line: the toy's `from_options` listed after the others."""
    monkeypatch.setattr(costs, "COSTS", costs.COSTS + (toy_cost.from_options,))


def article() -> tuple[list[str], list[str]]:
    zh, en, _ = load_article(str(EXAMPLE))
    return zh.sentences, en.sentences


def test_the_listed_cost_is_built_and_signed(with_toy):
    built = costs.build_costs(AlignOptions())
    assert isinstance(built[-1], toy_cost.WordCountCost)
    assert "|words:w=1,ratio=1.5|" in signature(AlignOptions())


def test_the_search_adds_it(monkeypatch):
    """Each bead's cost grows by exactly the toy's cost of that bead: the pipeline binds
    the toy to the document's evidence and the search adds it like the costs it ships with."""
    zh, en = article()
    without = align_sentences(zh, en)
    monkeypatch.setattr(costs, "COSTS", costs.COSTS + (toy_cost.from_options,))
    bound = []
    real = toy_cost.WordCountCost.bind
    monkeypatch.setattr(toy_cost.WordCountCost, "bind", lambda self, *args: bound.append(args[0]) or real(self, *args))
    found = align_sentences(zh, en)
    assert found.beads == without.beads and bound and all(isinstance(e, Evidence) for e in bound)
    zw = [len(w) for w in build_side("zh", zh).words]
    ew = [len(w) for w in build_side("en", en).words]
    for (src, tgt), cost, before in zip(found.beads, found.costs, without.costs):
        words = (sum(ew[j] for j in tgt), sum(zw[i] for i in src))
        toy = (math.log1p(words[0]) - math.log1p(1.5 * words[1])) ** 2 if src and tgt else 0.0
        assert cost - before == pytest.approx(toy, abs=1e-9)
    assert any(c != b for c, b in zip(found.costs, without.costs))


def test_at_its_weight_the_article_still_aligns_as_the_gold(with_toy):
    zh, en, meta = load_article(str(EXAMPLE))
    doc = align_texts(zh, en, metadata=meta)
    assert [(a, b) for a, b, _, _ in doc.pairs()] == gold_pairs()
    assert "words:w=1" in doc.signature


def test_it_obeys_the_rule_of_every_cost():
    assert_same_read_backwards(toy_cost.WordCountCost(), article_evidence())
