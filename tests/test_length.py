"""The length model's English/Chinese ratio comes from the document, within bounds."""

from __future__ import annotations

from pathlib import Path

from aligner.band import full_band
from aligner.features import build_side
from aligner.scoring.evidence import Evidence
from aligner.scoring.length import RATIO_RANGE, LengthCost

GOLD = Path(__file__).parent / "data" / "harbin.gold.tsv"
PAIRS = [line.split("\t") for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def bound_ratio(zh: list[str], en: list[str]) -> float:
    zs, es = build_side("zh", zh, lexical=False), build_side("en", en, lexical=False)
    return LengthCost().bind(Evidence(zs, es), full_band(len(zh), len(en)), [(1, 1)]).ratio


def test_ratio_is_the_documents_own():
    ratio = bound_ratio([z for z, _ in PAIRS], [e for _, e in PAIRS])
    assert 3.6 < ratio < 3.9  # the seed article: 3.75 English characters per Chinese one


def test_an_excerpt_does_not_make_the_ratio_absurd():
    """Three Chinese sentences against the whole translation: the totals say 20:1."""
    ratio = bound_ratio([z for z, _ in PAIRS[2:5]], [e for _, e in PAIRS])
    assert ratio == RATIO_RANGE[1]
