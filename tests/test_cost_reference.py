"""The vectorised length and lexical costs against plain references written from their
definitions (tests/reference_costs.py), cell by cell, on real text: the seed article, the
MAC-Dev windows of tests/data/signals/, and a MAC-Dev chapter when the shared data is
there; on the full grid and on bands; for sentences, coarse blocks (merged sides) and both
sides read backwards, as the search binds them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLE, mac_dev_chapter
from reference_costs import LengthReference, LexicalReference

from aligner.band import Band, band_around_path, full_band, reverse_band
from aligner.beads import Bead
from aligner.features import Mark, Side, build_sides
from aligner.lexicon import load_lexicon, match_names
from aligner.lexicon.learn import learn_pairs
from aligner.options import DEFAULT_SHAPES, AlignOptions, SearchConfig
from aligner.pipeline import align_sentences, key_functions
from aligner.readers.load import load_article
from aligner.scoring.evidence import Evidence
from aligner.scoring.keys import KeyTable
from aligner.scoring.length import RATIO_RANGE, LengthCost
from aligner.scoring.lexical import LexicalCost
from aligner.scoring.rates import word_rates

SIGNALS = Path(__file__).parent / "data" / "signals"
Q = AlignOptions().weights.q
COARSE, COARSE_TOKENS = SearchConfig().coarse, SearchConfig().coarse_tokens


@dataclass
class Doc:
    """A document pair as the pipeline holds it, and the extra keys of its passes."""

    zh: Side
    en: Side
    names: dict[str, set[str]]  # first pass: names matched by pinyin
    learned: dict[str, set[str]]  # second pass: names and pairs learned from `beads`
    beads: list[Bead]  # gold beads where known, else the first pass's


def _names(zs: Side, es: Side) -> dict[str, set[str]]:
    dictionary = load_lexicon()
    words = [u for t in zs.words for u in t]
    return match_names(words, es.words, known={u for u in set(words) if u in dictionary})


def _doc(zh: list[str], en: list[str], beads: list[Bead] | None = None) -> Doc:
    zs, es = build_sides(zh, en)
    names = _names(zs, es)
    if beads is None:  # the first pass's, as the pipeline learns from
        beads = align_sentences(zh, en, AlignOptions(learn=False)).beads
    learned = learn_pairs(zs.words, es.words, beads, *key_functions(AlignOptions()))
    for u, ws in names.items():
        learned.setdefault(u, set()).update(ws)
    return Doc(zs, es, names, learned, beads)


@lru_cache(maxsize=None)
def document(name: str) -> Doc:
    if name == "seed":
        zh, en, _ = load_article(str(EXAMPLE))
        return _doc(zh.sentences, en.sentences)
    if name.startswith("chapter-"):
        return _doc(*mac_dev_chapter(name.removeprefix("chapter-")))
    case = json.loads((SIGNALS / f"{name}.json").read_text(encoding="utf-8"))
    return _doc(case["zh"], case["en"])


WINDOWS = sorted(p.stem for p in SIGNALS.glob("*.json"))
DOCS = ["seed", *WINDOWS, "chapter-002"]  # MAC-Dev 002: the freest translation, 253 x 420 sentences
LEARNING = ["seed", "chapter-002"]  # the windows are too short to learn from


def view(doc: Doc, how: str, evidence: Evidence) -> tuple[Evidence, dict[str, Band]]:
    """The document's `evidence` as a search binds it, with the bands to check it on:
    'sentences'; 'reversed' (both sides read from their ends, on the reversed bands, as
    the second half of a split DP); 'coarse' (blocks of COARSE sentences keeping their
    COARSE_TOKENS rarest tokens, as the coarse pass)."""
    n, m = len(doc.zh), len(doc.en)
    corners = [(0, 0)]
    for s, t in doc.beads:
        corners.append((corners[-1][0] + len(s), corners[-1][1] + len(t)))
    if how == "coarse":
        zb = list(range(0, n, COARSE)) + [n]
        eb = list(range(0, m, COARSE)) + [m]
        evidence = evidence.merged(zb, eb, COARSE_TOKENS)
        corners = [(int(np.searchsorted(zb, i, "right")) - 1, int(np.searchsorted(eb, j, "right")) - 1) for i, j in corners]
    n, m = len(evidence.zh), len(evidence.en)
    bands = {"band": band_around_path(sorted({(0, 0), *corners[1:-1], (n, m)}), n, m, radius=3)}
    if (n + 1) * (m + 1) <= 20_000:
        bands["full"] = full_band(n, m)
    if how == "reversed":
        return evidence.reversed(), {k: reverse_band(b) for k, b in bands.items()}
    return evidence, bands


def evidence_of(doc: Doc, extra: dict[str, set[str]], options: AlignOptions | None = None) -> Evidence:
    """The document's evidence with a key table of `extra` keys (the names, or the learned pairs)."""
    return Evidence(doc.zh, doc.en, KeyTable(*key_functions(options or AlignOptions()), extra))


def bead_cells(band: Band, shapes, m: int):
    """(shape index, a, b, i, j) of every cell of `band` that is a bead of the grid."""
    for t, (a, b) in enumerate(shapes):
        for i in range(a, band.n + 1):
            for j in range(max(int(band.lo[i]), b), min(int(band.hi[i]), m + 1)):
                yield t, a, b, i, j


def fast_costs(bound, band: Band, shapes, chunk: int) -> np.ndarray:
    """The bound cost of every band cell, asked for `chunk` rows at a time in order, as the DP asks."""
    parts = [bound.costs(shapes, slice(r, min(r + chunk, band.n + 1))) for r in range(0, band.n + 1, chunk)]
    return np.concatenate(parts, axis=1)


def compare(fast: np.ndarray, band: Band, shapes, m: int, reference) -> int:
    """Assert every bead cell of the band equals the reference; the number of cells checked."""
    checked = 0
    for t, a, b, i, j in bead_cells(band, shapes, m):
        want = reference(range(i - a, i), range(j - b, j))
        got = fast[t, i, j - band.lo[i]]
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), ((a, b), (i, j), got, want)
        checked += 1
    return checked


# a window is one coarse block: only documents of several blocks are merged
CASES = [(d, how) for d in DOCS for how in ("sentences", "reversed", "coarse") if how != "coarse" or d not in WINDOWS]


def case_params():
    return [pytest.param(d, how, id=f"{d}-{how}") for d, how in CASES]


@pytest.mark.parametrize("name, how", case_params())
def test_length_cost_is_its_definition(name, how):
    doc = document(name)
    evidence, bands = view(doc, how, evidence_of(doc, doc.names))
    cost, shapes = LengthCost(variance=AlignOptions().weights.length_variance), DEFAULT_SHAPES
    reference = LengthReference(evidence.zh, evidence.en, cost.variance, RATIO_RANGE)
    m = len(evidence.en)
    for band in bands.values():
        fast = fast_costs(cost.bind(evidence, band, shapes), band, shapes, chunk=7)
        assert compare(fast, band, shapes, m, reference.cost) > 0


@pytest.mark.parametrize("name, how", case_params())
def test_lexical_cost_is_its_definition(name, how):
    doc = document(name)
    evidence, bands = view(doc, how, evidence_of(doc, doc.names))
    zh_keys, en_key = key_functions(AlignOptions())
    cost, shapes = LexicalCost(q=Q), DEFAULT_SHAPES
    reference = LexicalReference(evidence.zh, evidence.en, zh_keys, en_key, doc.names, Q)
    m = len(evidence.en)
    for band in bands.values():
        fast = fast_costs(cost.bind(evidence, band, shapes), band, shapes, chunk=7)
        assert compare(fast, band, shapes, m, reference.cost) > 0
        assert (fast != 0).any()  # there is evidence to get right


@pytest.mark.parametrize("name", LEARNING)
def test_second_pass_lexical_cost_is_its_definition(name):
    """The second pass's cost (`Evidence.with_pairs`: the first pass's key table, learned
    pairs added) is the definition with the learned pairs, in one call for all rows."""
    doc = document(name)
    n, m, shapes = len(doc.zh), len(doc.en), DEFAULT_SHAPES
    zh_keys, en_key = key_functions(AlignOptions())
    cost = LexicalCost(q=Q)
    first = evidence_of(doc, doc.names)
    band = band_around_path([(0, 0), (n, m)], n, m, radius=3)
    cost.bind(first, band, shapes)  # fills the table with the first pass's keys
    second = first.with_pairs(doc.learned)
    assert doc.learned != doc.names  # something was learned: the table must change
    assert second.keys is not first.keys and second.typed("zh") is first.typed("zh")  # the sides' caches are shared
    reference = LexicalReference(doc.zh, doc.en, zh_keys, en_key, doc.learned, Q)
    fast = cost.bind(second, band, shapes).costs(shapes, slice(0, n + 1))
    assert compare(fast, band, shapes, m, reference.cost) > 0


@pytest.mark.parametrize("name", LEARNING)
def test_second_pass_lexical_cost_with_rates_is_its_definition(name):
    """The second pass's cost with each word's rate learned from the first pass's beads
    (scoring/rates.py) is the definition with those rates, read backwards too."""
    doc = document(name)
    zh_keys, en_key = key_functions(AlignOptions())
    evidence = evidence_of(doc, doc.learned)
    keys = evidence.keys
    rates = word_rates(evidence.entries("zh"), evidence.entries("en"), keys.size, doc.beads, Q)
    assert (rates.zh > Q).any() and (rates.zh < Q).any() and (rates.en > Q).any()
    marks = {u.key: i for u, i in keys.zh.items() if isinstance(u, Mark)}

    def zh_rate(typ: tuple[str, str]) -> float:
        kind, u = typ
        i = keys.zh[u] if kind == "word" else marks[u]
        return float(rates.zh[i]) if i < len(rates.zh) else Q

    def en_rate(key: str) -> float:
        return float(rates.en[keys.ids[key]])

    cost, shapes = LexicalCost(q=Q), DEFAULT_SHAPES
    for how in ("sentences", "reversed"):
        view_, bands = view(doc, how, evidence.with_rates(rates))
        reference = LexicalReference(view_.zh, view_.en, zh_keys, en_key, doc.learned, Q, zh_rate, en_rate)
        band = bands["band"]
        fast = fast_costs(cost.bind(view_, band, shapes), band, shapes, chunk=7)
        assert compare(fast, band, shapes, len(view_.en), reference.cost) > 0


def test_lexical_cost_without_the_dictionary_is_its_definition():
    """No dictionary (`--no-lexicon`): numbers, cues and names still count."""
    doc = document("seed")
    n, m, shapes = len(doc.zh), len(doc.en), DEFAULT_SHAPES
    options = AlignOptions(lexicon=False)
    zh_keys, en_key = key_functions(options)
    band = full_band(n, m)
    fast = LexicalCost(q=Q).bind(evidence_of(doc, doc.names, options), band, shapes).costs(shapes, slice(0, n + 1))
    reference = LexicalReference(doc.zh, doc.en, zh_keys, en_key, doc.names, Q)
    assert compare(fast, band, shapes, m, reference.cost) > 0
    assert fast.min() < 0  # evidence remains


def test_reference_lexical_cost_by_hand():
    """The reference on a made-up pair small enough to work out on paper: 猫 ('cat') in
    Chinese sentence 0; 'cat' in English sentence 0 of 4; q = 0.6."""
    zh = Side("zh", np.array([1.0, 1.0]), [["猫"], ["狗"]], [[], []], [[], []])
    en = Side("en", np.array([3.0] * 4), [["cat"], ["the"], ["a"], ["an"]], [[]] * 4, [[]] * 4)
    en_key = {"cat": "cat", "dog": "dog"}.get  # the, a, an: no key, as stop words have none
    ref = LexicalReference(zh, en, lambda u: {"猫": {"cat"}}.get(u, set()), en_key, {}, 0.6)
    # 猫 in a 1-sentence range holding 'cat': log(0.6 / 0.25); 'cat' in 猫's sentence
    # (1 of 2 Chinese sentences hold it): log(0.6 / 0.5)
    assert ref.cost(range(0, 1), range(0, 1)) == pytest.approx(-(math.log(0.6 / 0.25) + math.log(0.6 / 0.5)))
    # 猫 against two English sentences without 'cat': c_2 = 1 - 0.75^2 = 0.4375
    assert ref.cost(range(0, 1), range(1, 3)) == pytest.approx(-math.log(0.4 / 0.5625))
    # 'cat' against both Chinese sentences: c_2 = 0.75 >= q, no evidence; 猫 finds it
    assert ref.cost(range(0, 2), range(0, 1)) == pytest.approx(-math.log(0.6 / 0.25))
    # 猫 left unpaired: scored absent from one sentence, c = 0.25
    assert ref.cost(range(0, 1), range(0, 0)) == pytest.approx(-math.log(0.4 / 0.75))
    # 'cat' left unpaired: c = 0.5 < q
    assert ref.cost(range(0, 0), range(0, 1)) == pytest.approx(-math.log(0.4 / 0.5))
    # 狗 ('dog'), whose translation no English sentence holds: absent from every pairing
    # (log 0.4 whatever the range), explained when its sentence is left unpaired
    ref = LexicalReference(zh, en, lambda u: {"猫": {"cat"}, "狗": {"dog"}}.get(u, set()), en_key, {}, 0.6)
    assert ref.cost(range(1, 2), range(1, 2)) == pytest.approx(-math.log(0.4))
    assert ref.cost(range(1, 2), range(1, 4)) == pytest.approx(-math.log(0.4))
    assert ref.cost(range(1, 2), range(0, 0)) == 0.0
