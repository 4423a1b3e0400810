"""build_sides: both sides' features in one parallel step, the same as tokenising in one process."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from aligner import features
from aligner.readers.decode import read_text
from aligner.features import PARALLEL_MIN, Side, build_side, build_sides
from aligner.readers.plain import read_presplit
from conftest import EXAMPLE, shared_data

SIGNALS = Path(__file__).parent / "data" / "signals"


def assert_same(a: Side, b: Side) -> None:
    assert (a.lang, a.words, a.numbers, a.cues) == (b.lang, b.words, b.numbers, b.cues)
    assert np.array_equal(a.lengths, b.lengths)


def signal_windows() -> tuple[list[str], list[str]]:
    """Checked-in real sentences, Chinese and English: the seed article's and the MAC-Dev windows'."""
    from aligner.readers.load import load_article

    zh, en, _ = load_article(str(EXAMPLE))
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SIGNALS.glob("*.json"))]
    return zh.sentences + [s for c in cases for s in c["zh"]], en.sentences + [s for c in cases for s in c["en"]]


def test_parallel_tokens_are_the_serial_ones_on_the_bible():
    bible = shared_data("bible")
    zh = read_presplit(read_text(str(bible / "zh" / "001")))[:2500]
    en = read_presplit(read_text(str(bible / "en" / "001")))[:2500]
    assert len(zh) >= PARALLEL_MIN
    loaded = []
    zs, es = build_sides(zh, en, workers=2, meanwhile=lambda: loaded.append(os.getpid()))
    assert loaded == [os.getpid()]  # in this process, once
    assert_same(zs, build_side("zh", zh))
    assert_same(es, build_side("en", en))


@pytest.mark.parametrize("batch", [1, 2, 7])
def test_batches_from_both_ends_join_in_order(monkeypatch, batch):
    """Every split point between the worker's batches and this process's: small batches
    of real sentences, many of them taken from each end."""
    zh, en = signal_windows()
    monkeypatch.setattr(features, "PARALLEL_MIN", 1)
    monkeypatch.setattr(features, "BATCH", batch)
    zs, es = build_sides(zh, en, workers=2)
    assert_same(zs, build_side("zh", zh))
    assert_same(es, build_side("en", en))


def test_this_process_tokenises_all_when_the_worker_is_late(monkeypatch):
    """Without fork (or not started in time) this process takes every batch; same tokens."""
    zh, en = signal_windows()
    monkeypatch.setattr(features, "PARALLEL_MIN", 1)
    monkeypatch.setattr(features, "BATCH", 3)
    monkeypatch.setattr("aligner.plumbing.fork.run_aside", lambda fn, parallel=True: fn)
    zs, _ = build_sides(zh, en, workers=2)
    assert_same(zs, build_side("zh", zh))


def test_short_texts_are_tokenised_without_a_fork(monkeypatch):
    def no_fork(*args, **kwargs):
        raise AssertionError("forked for a short text")

    monkeypatch.setattr("aligner.plumbing.fork.run_aside", no_fork)
    zh, en = signal_windows()
    assert len(zh) < PARALLEL_MIN
    zs, es = build_sides(zh, en, workers=2)
    assert_same(zs, build_side("zh", zh))
    assert_same(es, build_side("en", en))


def test_without_lexical_evidence_only_lengths():
    zh, en = signal_windows()
    zs, es = build_sides(zh, en, lexical=False, workers=2)
    assert zs.words == zs.numbers == zs.cues == [[] for _ in zh] and es.words == [[] for _ in en]
    assert zs.lengths.tolist() == [features.char_length(s) for s in zh]
