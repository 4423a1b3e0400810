"""The Sennrich & Volk metric as Vecalign/Bertalign compute it."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.plumbing.errors import AlignerError, InputUsageError
from aligner.evaluate import Counts, read_alignment, score, score_paths

MAC_ALIGN = Path(__file__).parent / "data" / "mac-dev-align"


def test_bertalign_published_figures_on_mac_dev():
    # Liu & Zhu (2022) report for Bertalign on MAC-Dev: strict 0.909/0.914/0.911, lax 0.996/1.000/0.998.
    s = score_paths(MAC_ALIGN / "gold", MAC_ALIGN / "bertalign")
    assert s.documents == 6
    assert [round(x, 3) for x in (s.strict_p, s.strict_r, s.strict_f)] == [0.909, 0.914, 0.911]
    assert [round(x, 3) for x in (s.lax_p, s.lax_r, s.lax_f)] == [0.996, 1.000, 0.998]


def test_gold_scores_perfectly_against_itself():
    s = score_paths(MAC_ALIGN / "gold", MAC_ALIGN / "gold")
    assert (s.strict_f, s.lax_f) == (1.0, 1.0)
    # 6 gold beads have an empty side: they count in precision, not in recall.
    assert s.precision_counts.total == 1343
    assert s.recall_counts.total == 1343 - 6


GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2, 3)), ((5,), (4,))]
PRED = [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,)), ((4,), (3,)), ((5,), ()), ((), (4,))]


def test_hand_worked_example():
    # Precision over the 6 predicted beads:
    #   [0]:[0], [1,2]:[1]  exact -> strict and lax hits (2)
    #   [3]:[2]   gold links source 3 to nothing           -> lax miss
    #   [4]:[3]   gold links 4 to {2,3}, 3 is shared       -> lax hit
    #   [5]:[]    not in gold, links nothing               -> lax miss
    #   []:[4]    links nothing                            -> lax miss
    #   strict P = 2/6, lax P = 3/6
    # Recall over gold beads with both sides (4; gold [3]:[] is ignored), against the
    # prediction without its empty-side beads:
    #   [0]:[0], [1,2]:[1] exact (2); [4]:[2,3] prediction links 4 to 3 -> lax hit;
    #   [5]:[4] prediction links 5 to nothing (its [5]:[] is dropped) -> miss
    #   strict R = 2/4, lax R = 3/4
    # F1: strict 2*(1/3)*(1/2)/(1/3+1/2) = 0.4; lax 2*0.5*0.75/1.25 = 0.6
    s = score([GOLD], [PRED])
    assert s.precision_counts == Counts(strict=2, lax=3, total=6)
    assert s.recall_counts == Counts(strict=2, lax=3, total=4)
    assert s.strict_p == pytest.approx(1 / 3) and s.strict_r == pytest.approx(0.5)
    assert s.lax_p == pytest.approx(0.5) and s.lax_r == pytest.approx(0.75)
    assert s.strict_f == pytest.approx(0.4) and s.lax_f == pytest.approx(0.6)


def test_deletion_bead_matching_gold_is_a_strict_hit():
    s = score([[((0,), ()), ((1,), (0,))]], [[((0,), ()), ((1,), (0,))]])
    assert s.precision_counts == Counts(2, 2, 2)
    assert s.recall_counts == Counts(1, 1, 1)


def test_counts_are_summed_over_documents_not_averaged():
    doc_a = ([((0,), (0,))], [((0,), (0,))])  # 1/1
    doc_b = ([((0,), (0,)), ((1,), (1,)), ((2,), (2,))], [((0, 1), (0, 1)), ((2,), (2,))])
    s = score([doc_a[0], doc_b[0]], [doc_a[1], doc_b[1]])
    assert s.precision_counts == Counts(strict=2, lax=3, total=3)
    assert s.strict_p == pytest.approx(2 / 3)  # a mean of per-document P would be (1 + 1/2) / 2
    assert s.recall_counts == Counts(strict=2, lax=4, total=4)


def test_empty_prediction_scores_zero_without_crashing():
    s = score([GOLD], [[]])
    assert (s.strict_p, s.strict_r, s.strict_f, s.lax_f) == (0.0, 0.0, 0.0, 0.0)


def test_table_shows_the_figures():
    text = score([GOLD], [PRED]).table()
    assert "0.333" in text and "0.750" in text and "0.600" in text


def test_read_alignment_skips_blank_lines_and_reports_bad_line(tmp_path):
    good = tmp_path / "a.align"
    good.write_text("[0, 1]:[0]\n\n[2]:[]\n", encoding="utf-8")
    assert read_alignment(good) == [((0, 1), (0,)), ((2,), ())]
    bad = tmp_path / "b.align"
    bad.write_text("[0]:[0]\n[1]-[1]\n", encoding="utf-8")
    with pytest.raises(AlignerError) as e:
        read_alignment(bad)
    assert e.value.path == str(bad) and "line 2" in e.value.message


def test_folder_missing_prediction_is_a_usage_error(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "pred").mkdir()
    for name in ("001.align", "002.align", "003.align"):
        (tmp_path / "gold" / name).write_text("[0]:[0]\n", encoding="utf-8")
    (tmp_path / "pred" / "002.align").write_text("[0]:[0]\n", encoding="utf-8")
    with pytest.raises(InputUsageError) as e:
        score_paths(tmp_path / "gold", tmp_path / "pred")
    assert "001.align" in e.value.message and "003.align" in e.value.message
    assert "002.align" not in e.value.message


def test_file_against_folder_is_a_usage_error(tmp_path):
    with pytest.raises(InputUsageError):
        score_paths(MAC_ALIGN / "gold" / "001.align", MAC_ALIGN / "bertalign")
    with pytest.raises(InputUsageError):
        score_paths(tmp_path / "nope.align", MAC_ALIGN / "bertalign" / "001.align")


def test_prediction_on_another_sentence_split_is_refused(tmp_path):
    gold = tmp_path / "g.align"
    pred = tmp_path / "p.align"
    gold.write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    pred.write_text("[0]:[0]\n[1]:[1,2]\n", encoding="utf-8")
    with pytest.raises(AlignerError, match="target sentence 2"):
        score_paths(gold, pred)
    # A filtered prediction (gaps) is scored, not refused.
    pred.write_text("[1]:[1]\n", encoding="utf-8")
    assert score_paths(gold, pred).strict_p == 1.0


def test_vecalign_output_with_its_costs_is_read(tmp_path):
    """Vecalign writes '[0]:[1,2]:0.123456' (the bead's cost) and its scorer ignores the
    third field; eval refused such a file as 'not a bead', so it could not score Vecalign."""
    from conftest import run_cli

    gold, pred = tmp_path / "gold.align", tmp_path / "vecalign.out"
    gold.write_text("[0]:[0]\n[1]:[1,2]\n[2,3]:[3]\n", encoding="utf-8")
    pred.write_text("[0]:[0]:0.081234\n[1]:[1,2]:0.300000\n[2]:[3]:1.2e-01\n[3]:[]:0.000000\n", encoding="utf-8")
    assert read_alignment(pred) == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), ())]
    run = run_cli("eval", gold, pred)
    assert run.code == 0, run.err
    (tmp_path / "bad.align").write_text("[0]:[0]:high\n", encoding="utf-8")
    with pytest.raises(AlignerError, match="not a bead"):
        read_alignment(tmp_path / "bad.align")


def test_a_prediction_on_another_split_is_scored_with_both_counts_on_stderr(tmp_path):
    """Fewer sentences than gold (another split, or --presplit on paragraph files): scored,
    but stderr gives both counts and says that --presplit keeps gold's split."""
    from conftest import run_cli

    gold, pred = tmp_path / "gold.align", tmp_path / "pred.align"
    gold.write_text("[0]:[0]\n[1]:[1]\n[2]:[2,3]\n", encoding="utf-8")
    pred.write_text("[0]:[0]\n[1]:[1,2]\n", encoding="utf-8")
    run = run_cli("eval", gold, pred)
    assert run.code == 0 and run.text.startswith("             P")
    assert run.err_lines == [
        f"aligner: warning: {pred}: the prediction covers 2 source sentences (gold 3) and 3 target sentences (gold 4): "
        "if it was made on another sentence split, few of its beads can match gold's; align the gold's own sentence "
        "files (one a line) with --presplit to keep its split (--presplit on files of paragraphs takes each "
        "paragraph for a sentence)"]
    assert run_cli("eval", gold, gold).err == ""  # the same split: nothing to say


def test_mac_dev_aligned_from_its_paragraphs_warns_and_presplit_does_not(tmp_path):
    """The issue's case: chapter 001 aligned from its raw paragraphs, with aligner's own
    segmentation, covers 293 of gold's 295 Chinese sentences; aligned --presplit from the
    gold's sentence files it covers them all and scores without a warning."""
    from conftest import run_cli, shared_data

    root = shared_data("mac-dev")
    gold = root / "gold" / "001.align"
    own, presplit = tmp_path / "own.align", tmp_path / "presplit.align"
    assert run_cli("align", root / "raw" / "001.zh", root / "raw" / "001.en", "-o", own, "-q").code == 0
    run = run_cli("eval", gold, own)
    assert run.code == 0 and len(run.err_lines) == 1
    assert "the prediction covers 293 source sentences (gold 295)" in run.err and "--presplit" in run.err
    assert run_cli("align", root / "zh" / "001", root / "en" / "001", "--presplit", "-o", presplit, "-q").code == 0
    run = run_cli("eval", gold, presplit)
    assert run.code == 0 and run.err == ""
