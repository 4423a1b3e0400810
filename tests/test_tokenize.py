"""Word tokens for dictionary lookup: jieba words for Chinese, word tokens for English."""

import importlib.util
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
from conftest import ROOT

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


@pytest.fixture(params=["rjieba", "jieba"])
def backend(request):
    """Each source of jieba's dictionary route in turn (rjieba skipped where not installed)."""
    if request.param == "rjieba":
        pytest.importorskip("rjieba")
    tokenize.use(request.param)
    yield request.param
    tokenize.use(None)


# Where jieba's parts disagree if taken naively: rjieba's HMM (常在), jieba-rs's handling of
# runs of letters and digits (2.726K, State-Owned), CJK extension and compatibility
# ideographs (㐀, 鿖, 豈, 𠀀), runs that are not words, white space, full-width forms.
TRICKY = [
    "这要在你手上作记号，使耶和华的律法常在你口中，因为耶和华曾用大能的手将你从埃及领出来。",
    "宇宙微波背景辐射的温度是2.726K，起伏只有0.010K。",
    "哈尔滨市State-Owned工厂1954-11-23座谈会，T恤、B超和X光，γ射线，卡拉OK，iPhone。",
    "㐀上鿖下豈中𠀀外，ＡＢＣ３号，é和ü。\r\n\t甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥",
    "   \u3000 ",
    "",
]


@pytest.mark.parametrize("sentence", SEED_ZH + TRICKY)
def test_both_backends_cut_exactly_as_jieba(backend, sentence):
    import jieba

    assert tokenize.cut(sentence) == jieba.lcut(sentence, HMM=True)


_HAN_AND_MORE = st.text(
    alphabet=st.sampled_from(list("的在你常中人上大国工厂哈尔滨市一了是不我有这个们来到时为子说和也") +
                             list("abXZ09+#&._%- \u3000，。“”！é３㐀豈𠀀鿿\n")),
    max_size=30,
)


_CUTTERS: list = []


def _cutters() -> list:
    """One cutter of each kind for the whole module (each builds its tables once)."""
    if not _CUTTERS:
        _CUTTERS.append(tokenize._ShardedJieba())
        if importlib.util.find_spec("rjieba") is not None:
            _CUTTERS.append(tokenize._RustCut())
    return _CUTTERS


@settings(deadline=None, max_examples=300)
@given(_HAN_AND_MORE)
def test_cut_is_jiebas_on_any_mix_of_characters(s):
    import jieba

    expected = jieba.lcut(s, HMM=True)
    for cutter in _cutters():
        assert cutter.cut(s) == expected, cutter.name


@settings(deadline=None, max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("的在你常中人上大国工厂哈尔滨市一了是不我") + ["\u2fff", "鿿", "㐀"]),
               min_size=1, max_size=60))
def test_linear_viterbi_is_jiebas(run):
    """The same state path as jieba.finalseg.viterbi, ties included (characters the model
    does not know make every path equally improbable)."""
    from jieba import finalseg

    _, expected = finalseg.viterbi(run, "BMES", finalseg.start_P, finalseg.trans_P, finalseg.emit_P)
    assert ["BMES"[s] for s in _cutters()[0].hmm.viterbi(run)] == expected


def test_a_long_run_without_punctuation_is_cut_in_linear_time():
    """jieba's own HMM copies a path per character: 40,000 characters took 8 s and a
    megabyte never ended. (No timing here: a quadratic cut would stall the test suite.)"""
    words = zh_words("的" * 300_000)
    assert words == ["的"] * 300_000
    run = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(100_000))
    assert "".join(zh_words(run)) == run


@pytest.mark.skipif(importlib.util.find_spec("rjieba") is None, reason="rjieba not installed")
def test_rjiebas_dictionary_is_jiebas():
    """Every word of jieba's dict.txt is in jieba-rs's dictionary with the same frequency,
    and the totals agree: rjieba.suggest_freq, which reads both, equals its formula
    computed from dict.txt (every 25th word; BENCHMARKS.md has the check on all words)."""
    import math

    import rjieba

    jieba = tokenize._import_jieba()
    freq: dict[str, int] = {}
    for line in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").splitlines():
        word, n = line.split(" ")[:2]
        freq[word] = int(n)
    total = sum(int(line.split(" ")[1]) for line in
                (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").splitlines())
    log_total = math.log(total)
    for word in list(freq)[::25]:
        assert rjieba.has_word(word), word
        log_p = sum(math.log(freq.get(w, 1)) - log_total for w in rjieba.cut(word, False))
        assert rjieba.suggest_freq(word) == max(int(math.exp(log_p + log_total)) + 1, freq[word]), word
    assert not any(w.isascii() and w.isalnum() for w in freq)  # what _token_kind relies on


def test_a_corrupt_shard_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    jieba = tokenize._import_jieba()
    from aligner.plumbing.cache import cache_dir

    first = tokenize._ShardedJieba()
    [path] = cache_dir().glob("jieba-prefix-*.bin")
    path.write_bytes(path.read_bytes()[:100])
    fresh = tokenize._ShardedJieba()
    assert fresh.cut(SEED_ZH[0]) == first.cut(SEED_ZH[0]) == jieba.lcut(SEED_ZH[0])
    assert path.stat().st_size > 1_000_000


@pytest.mark.parametrize("name", ["rjieba", "jieba"])
def test_first_use_in_an_empty_cache_folder_is_silent(tmp_path, name):
    # A fresh interpreter with an empty cache folder: jieba must not log to stderr.
    if name == "rjieba":
        pytest.importorskip("rjieba")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    code = (f"from aligner import tokenize; tokenize.use({name!r}); "
            "print(' '.join(tokenize.zh_words('座谈会上双方面交流了情况。')))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stderr == ""
    assert "座谈会" in out.stdout.split()
    assert bool(list(Path(tmp_path).rglob("jieba-prefix-*.bin"))) == (name == "jieba")


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


@pytest.mark.skipif(importlib.util.find_spec("rjieba") is None, reason="rjieba not installed")
def test_both_backends_give_the_same_alignment_on_the_example_and_mac_dev():
    from aligner.options import AlignOptions
    from aligner.pipeline import align_sentences
    from aligner.readers.load import load_article
    from conftest import EXAMPLE, SHARED

    zh, en, _ = load_article(str(EXAMPLE))
    texts = [(zh.sentences, en.sentences, zh.paragraph_starts, en.paragraph_starts)]
    mac = SHARED / "mac-dev"
    for c in ["001", "002", "003", "004", "005", "006"] if mac.exists() else []:
        texts.append(((mac / "zh" / c).read_text(encoding="utf-8").splitlines(),
                      (mac / "en" / c).read_text(encoding="utf-8").splitlines(), None, None))
    options = AlignOptions(parallel=False)
    runs = {}
    for name in ("rjieba", "jieba"):
        tokenize.use(name)
        try:
            runs[name] = [align_sentences(z, e, options, zp, ep) for z, e, zp, ep in texts]
        finally:
            tokenize.use(None)
    assert runs["rjieba"] == runs["jieba"]
    assert len(runs["jieba"]) == (7 if mac.exists() else 1)
