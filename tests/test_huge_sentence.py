"""A huge sentence with nothing to match (issue 9, item 10): it is left unpaired, and no
NumPy warning ('overflow encountered in exp') reaches the user's terminal."""

from __future__ import annotations

import json
import warnings

from conftest import gold_pairs, run_cli


def test_huge_unmatched_sentence_scores_zero_without_a_warning(tmp_path):
    pairs = gold_pairs()[:4]
    zh = [z for z, _ in pairs]
    huge = "哈尔滨" * 20_000 + "。"
    (tmp_path / "zh.txt").write_text("\n".join(zh[:2] + [huge] + zh[2:]) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(e for _, e in pairs) + "\n", encoding="utf-8")
    run = run_cli("align", tmp_path / "zh.txt", tmp_path / "en.txt", "--presplit", "-f", "jsonl", "-q")
    assert (run.code, run.err) == (0, "")
    beads = [json.loads(line) for line in run.text.splitlines()]
    with_huge = [b for b in beads if huge in b["src"]]
    assert len(with_huge) == 1 and with_huge[0]["tgt"] == "" and 0.0 <= with_huge[0]["score"] <= 1.0


def test_confidence_of_extreme_posteriors_is_finite_and_silent():
    from aligner.scoring.confidence import calibrate

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        low, mid, high = calibrate([0.0, 0.5, 1.0])
        assert 0.0 < low < mid < high < 1.0
