"""Language and script identification on real sentences."""

from __future__ import annotations

import random
from pathlib import Path

from aligner.readers.langid import (
    LATIN_LETTERS_PER_HAN,
    SAMPLE_CHARS,
    SAMPLE_SLICES,
    SIMPLIFIED_ONLY,
    TRADITIONAL_ONLY,
    detect_lang,
    is_traditional,
    lang_code,
    letter_weights,
    sample,
)
from conftest import EXAMPLE, shared_data

DATA = Path(__file__).parent / "data" / "input"
ZH = (DATA / "zh001.utf8.txt").read_text(encoding="utf-8")
TRAD = (DATA / "trad.utf8.txt").read_text(encoding="utf-8")
EN = ("I did not leave that night—Chen Qingyang caught me and asked me to stay in the name "
      "of our great friendship.")


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
    assert not is_traditional(EXAMPLE.read_text(encoding="utf-8"))


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


def test_script_on_mac_dev_excerpts():
    """Measured: right for all Simplified excerpts and for 93% (20 characters) and 100%
    (50 characters) of their CC-CEDICT conversions to Traditional."""
    from test_decode import _to_traditional

    raw = shared_data("mac-dev/raw")
    to_trad = _to_traditional()
    rng = random.Random(2)
    right = {20: [], 50: []}
    for chapter in sorted(raw.glob("*.zh")):
        zh = chapter.read_text(encoding="utf-8").strip()
        trad = to_trad(zh)
        for size in right:
            for _ in range(30):
                i = rng.randrange(len(zh) - size)
                right[size].append(not is_traditional(zh[i:i + size]) and is_traditional(trad[i:i + size]))
                right[size].append(detect_lang(zh[i:i + size]) == "zh")
    assert sum(right[20]) / len(right[20]) >= 0.9
    assert all(right[50])


# ------------------------------------------------ long texts: a bounded, spread sample

def _repeat_to(text: str, size: int) -> str:
    return (text + "\n") * (size // (len(text) + 1) + 1)


def test_a_long_text_is_judged_by_its_body_not_its_head():
    # 150,000 characters of English front matter, then 450,000 of Chinese: counting every
    # character says Chinese, and so must the sample (the head alone says English).
    preface, body = _repeat_to(EN, 150_000), _repeat_to(ZH, 450_000)
    assert detect_lang(preface[:SAMPLE_CHARS]) == "en"
    assert detect_lang(preface + body) == "zh"
    assert detect_lang(body + preface) == "zh"
    assert detect_lang(_repeat_to(EN, 450_000) + _repeat_to(ZH, 30_000)) == "en"


def test_a_long_text_is_judged_by_its_main_script():
    simplified, traditional = _repeat_to(ZH, 100_000), _repeat_to(TRAD, 300_000)
    assert is_traditional(simplified + traditional)
    assert is_traditional(traditional + simplified)
    assert not is_traditional(_repeat_to(ZH, 300_000) + _repeat_to(TRAD, 100_000))
    assert lang_code(simplified + traditional, "zh") == "zh-TW"


def test_detection_counts_a_bounded_sample_of_a_long_text():
    huge = _repeat_to(EXAMPLE.read_text(encoding="utf-8"), 5_000_000)
    counted = sample(huge)
    assert len(counted) <= SAMPLE_CHARS
    # slices from the start to the end of the text, each as it is there
    width = SAMPLE_CHARS // SAMPLE_SLICES
    assert counted.startswith(huge[:width]) and counted.endswith(huge[-width:])
    assert huge[len(huge) // 2 : len(huge) // 2 + 2 * width].find(counted[len(counted) // 2 : len(counted) // 2 + 100]) >= 0
    weights = letter_weights(huge)
    assert weights["zh"] + weights["en"] * LATIN_LETTERS_PER_HAN + weights["other"] <= SAMPLE_CHARS
    short = EXAMPLE.read_text(encoding="utf-8")
    assert sample(short) is short


def test_the_bible_is_sampled_and_still_recognised():
    from aligner.readers.decode import read_text

    bible = shared_data("bible")
    zh, en = read_text(str(bible / "zh" / "001")), read_text(str(bible / "en" / "001"))
    assert len(zh) > SAMPLE_CHARS and len(en) > SAMPLE_CHARS
    assert (detect_lang(zh), lang_code(zh, "zh")) == ("zh", "zh-CN")
    assert detect_lang(en) == "en"


# -- a translation in another Latin-script language (issue 23, item 6) -------------------------

LANGUAGES = Path(__file__).parent / "data" / "languages"
NAMED = {"fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "ro": "Romanian",
         "tr": "Turkish", "pl": "Polish", "fi": "Finnish", "hu": "Hungarian", "id": "Indonesian or Malay",
         "sk": "Czech or Slovak"}


def test_translations_in_other_latin_languages_are_named_and_english_is_not():
    """GnuPG's help in twelve translations (tests/data/languages): each named; its English
    original, the example's English and every MAC-Dev chapter's English: not."""
    from aligner.readers.langid import latin_language

    for code, name in NAMED.items():
        assert latin_language((LANGUAGES / f"{code}.txt").read_text(encoding="utf-8")) == name, code
    assert latin_language((LANGUAGES / "en.txt").read_text(encoding="utf-8")) is None
    assert latin_language(EXAMPLE.read_text(encoding="utf-8").split("<hr />")[0]) is None
    assert latin_language("Oui.") is None  # too few words to tell


def test_english_of_mac_dev_and_the_bible_is_english():
    from aligner.readers.langid import latin_language

    for path in sorted((shared_data("mac-dev") / "en").iterdir()) + sorted((shared_data("bible") / "en").iterdir()):
        assert latin_language(path.read_text(encoding="utf-8")) is None, path


def test_a_french_translation_is_aligned_with_a_one_line_warning(tmp_path):
    from conftest import run_cli

    zh, fr, en = (LANGUAGES / f"{code}.txt" for code in ("zh_CN", "fr", "en"))
    run = run_cli("align", zh, fr, "-o", tmp_path / "out.tsv")
    assert run.code == 0
    assert run.err_lines[0] == (f"aligner: warning: {fr}: the text looks French, not English: aligner pairs Chinese "
                                "with English, so expect poor pairs")
    assert "warning" not in run_cli("align", zh, en, "-o", tmp_path / "out.tsv").err
    # the one-file article: its translation before '<hr />'
    article = tmp_path / "article.txt"
    article.write_text(fr.read_text(encoding="utf-8") + "\n<hr />\n\nOriginal:\n\n" + zh.read_text(encoding="utf-8"),
                       encoding="utf-8")
    run = run_cli("align", article, "-o", tmp_path / "art.tsv")
    assert run.code == 0 and run.err_lines[0] == (
        f"aligner: warning: {article}: the translation before '<hr />' looks French, not English: aligner pairs "
        "Chinese with English, so expect poor pairs")
