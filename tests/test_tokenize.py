"""Word tokens for dictionary lookup: jieba words for Chinese, word tokens for English."""

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner import tokenize
from aligner.tokenize import en_words, zh_words

SEED_ZH = [
    "黑龙江省人民政府计划委员会在十一月五日召开了哈尔滨市国营和地方国营工业企业座谈会。",
    "如量具刃具厂需要“铜母线盒”曾到全国各大城市去加工，没有得到解决，最后由哈尔滨市组织加工，却很好地完成了。",
    "（安民　励新）",
    "那男孩道：“呸，你不会摔交。 ”韦小宝道：“谁说不会？”跃起身来，增长了3.5%!",
]


@pytest.mark.parametrize("sentence", SEED_ZH)
def test_zh_words_match_plain_jieba_without_punctuation(sentence):
    import jieba

    expected = [w for w in jieba.lcut(sentence, HMM=True) if w.strip() and any(c.isalnum() for c in w)]
    assert zh_words(sentence) == expected


def test_zh_words_drop_punctuation_and_spaces():
    words = zh_words(SEED_ZH[1] + SEED_ZH[2])
    assert "哈尔滨市" in words and "铜" in "".join(words)
    assert not any(c in w for w in words for c in "。，“”（）　 ")


def test_zh_words_rebuilds_a_corrupt_cache(tmp_path, monkeypatch):
    cache = tmp_path / "shards.bin"
    cache.write_bytes(b"not a cache")
    monkeypatch.setattr(tokenize, "_cache_path", lambda: cache)
    fresh = tokenize._ShardedJieba()
    assert [w for w in fresh.cut(SEED_ZH[0]) if tokenize._is_word(w)] == zh_words(SEED_ZH[0])
    assert cache.read_bytes().startswith(tokenize._MAGIC)
    assert tokenize._read_cache(cache, ("other", "key")) is None


def test_first_use_builds_cache_silently_in_user_cache_dir(tmp_path):
    # A fresh interpreter with an empty cache folder: jieba must not log to stderr.
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    code = "from aligner.tokenize import zh_words; print(' '.join(zh_words('座谈会上双方面交流了情况。')))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stderr == ""
    assert "座谈会" in out.stdout.split()
    assert list(Path(tmp_path).rglob("jieba-prefix-shards.bin"))


def test_en_words_split_hyphens_and_drop_possessives():
    s = "The Heilongjiang Provincial People's Government convened a forum of state-owned enterprises."
    assert en_words(s) == [
        "The", "Heilongjiang", "Provincial", "People", "Government", "convened", "a", "forum", "of", "state", "owned", "enterprises",
    ]


def test_en_words_keep_numbers_and_contractions():
    s = "It needed more than 270 items, 3.5% more, on November 5th; they didn’t say 1,000 (U.S. style)."
    words = en_words(s)
    for w in ("270", "3.5", "5th", "didn't", "1,000", "U.S."):
        assert w in words
    assert not any(c in w for w in words if w != "1,000" for c in ",;()%")


def test_en_words_strip_quotes_around_words():
    assert en_words("'Why, he's just another scavenger like me!' thought Trinket.") == [
        "Why", "he", "just", "another", "scavenger", "like", "me", "thought", "Trinket",
    ]


_ZH_PIECES = st.lists(
    st.sampled_from(["哈尔滨市", "国营", "工厂", "座谈会", "，", "。", "“", "”", " ", "\u3000", "3.5%", "U.S.", "X光", "！", "励新"]),
    max_size=20,
)


def _content(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PZC")


@settings(deadline=None)
@given(_ZH_PIECES)
def test_zh_words_lose_no_letters_or_digits(pieces):
    s = "".join(pieces)
    words = zh_words(s)
    assert all(w and not w.isspace() for w in words)
    assert _content("".join(words)) == _content(s)


@given(st.text(alphabet="ab Z9.,'’-!?()\"", max_size=40))
def test_en_words_are_clean_pieces_of_the_sentence(s):
    flat = s.replace("’", "'")
    for w in en_words(s):
        assert w in flat
        assert not any(c.isspace() for c in w)
        assert w[0].isalnum()
