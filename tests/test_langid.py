"""Language and script identification on real sentences."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from aligner.langid import SIMPLIFIED_ONLY, TRADITIONAL_ONLY, detect_lang, is_traditional, lang_code

DATA = Path(__file__).parent / "data" / "input"
SHARED = Path(__file__).parents[2] / "shared" / "data"
ZH = (DATA / "zh001.utf8.txt").read_text(encoding="utf-8")
TRAD = (DATA / "trad.utf8.txt").read_text(encoding="utf-8")
EN = ("I did not leave that night—Chen Qingyang caught me and asked me to stay in the name "
      "of our great friendship.")
ARTICLE = Path(__file__).parents[1] / "data" / "examples" / "rmrb-1954-11-23-harbin.txt"


def test_chinese_and_english():
    assert detect_lang(ZH) == "zh"
    assert detect_lang(TRAD) == "zh"
    assert detect_lang(EN) == "en"


def test_chinese_quoting_english_words_is_still_chinese():
    # 9 Han characters against 16 Latin letters: letters weigh 1/3.7 of a Han character.
    assert detect_lang("我在大学学过Python和JavaScript编程") == "zh"
    assert detect_lang("He ordered jiaozi and a bowl of 牛肉面 at the stall near the station.") == "en"


def test_no_letters_or_another_script():
    assert detect_lang("1954-11-23  3.5%  (2)") is None
    assert detect_lang("") is None
    assert detect_lang("Мы не ушли в ту ночь.") is None  # Russian
    assert detect_lang("その夜、私は帰らなかった。") is None  # kana-heavy Japanese


def test_accented_latin_counts_as_english():
    assert detect_lang("Café naïve façade résumé") == "en"


def test_script():
    assert not is_traditional(ZH)
    assert is_traditional(TRAD)
    assert not is_traditional(EN)
    assert not is_traditional(ARTICLE.read_text(encoding="utf-8"))


def test_lang_codes():
    assert lang_code(ZH, "zh") == "zh-CN"
    assert lang_code(TRAD, "zh") == "zh-TW"
    assert lang_code(EN, "en") == "en-US"
    assert lang_code("Bonjour", "fr") == "fr"


def test_character_tables_are_disjoint_pairs():
    assert len(SIMPLIFIED_ONLY) == len(TRADITIONAL_ONLY) == 300
    assert not SIMPLIFIED_ONLY & TRADITIONAL_ONLY
    for simp, trad in (("这", "這"), ("们", "們"), ("国", "國"), ("说", "說")):
        assert simp in SIMPLIFIED_ONLY and trad in TRADITIONAL_ONLY
    # characters written the same in both scripts, or used in both (干/乾, 后/後), are in neither
    for shared in "的是我人大中干后":
        assert shared not in SIMPLIFIED_ONLY | TRADITIONAL_ONLY


@pytest.mark.skipif(not (SHARED / "mac-dev" / "raw").is_dir(), reason="shared MAC-Dev data not present")
def test_script_on_mac_dev_excerpts():
    """Measured: right for all Simplified excerpts and for 93% (20 characters) and 100%
    (50 characters) of their CC-CEDICT conversions to Traditional."""
    from test_decode import _to_traditional

    to_trad = _to_traditional()
    rng = random.Random(2)
    right = {20: [], 50: []}
    for chapter in sorted((SHARED / "mac-dev" / "raw").glob("*.zh")):
        zh = chapter.read_text(encoding="utf-8").strip()
        trad = to_trad(zh)
        for size in right:
            for _ in range(30):
                i = rng.randrange(len(zh) - size)
                right[size].append(not is_traditional(zh[i:i + size]) and is_traditional(trad[i:i + size]))
                right[size].append(detect_lang(zh[i:i + size]) == "zh")
    assert sum(right[20]) / len(right[20]) >= 0.9
    assert all(right[50])
