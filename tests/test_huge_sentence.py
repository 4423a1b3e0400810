"""A huge sentence with nothing to match (issue 9, item 10): its bead scores 0, and no
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
    run = run_cli("align", tmp_path / "zh.txt", tmp_path / "en.txt", "--presplit", "-f", "jsonl")
    assert (run.code, run.err) == (0, "")
    beads = [json.loads(line) for line in run.text.splitlines()]
    with_huge = [b for b in beads if huge in b["src"]]
    assert len(with_huge) == 1 and with_huge[0]["score"] == 0.0


def test_bead_score_of_an_enormous_cost_is_zero_silently():
    from aligner.scoring.confidence import bead_score

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert 0.0 <= bead_score(1e6, ((0,), ())) < 1e-300
        assert 0.0 <= bead_score(float("inf"), ((0,), (0,))) < 1e-300
        assert 0.0 < bead_score(3.0, ((0,), (0,))) < 1.0
