"""The search's bound (issue 24): two texts that do not correspond cannot make the band widen
without limit (it doubled to the whole grid: 4 MB took 161 s and 4.5 GB); the document is
reported instead. benchmarks/hostile.py measures the bound's memory and time against a
matched pair of the same size."""

from __future__ import annotations

import pytest

import aligner.search.strategy as strategy
from aligner.band import band_around_path
from aligner.options import AlignOptions, SearchConfig
from aligner.pipeline import align_sentences
from aligner.readers.load import load_article
from aligner.search.strategy import MAX_SEARCH_WORK, BandBoundReached
from conftest import EXAMPLE, example_bodies, run_cli, run_main, shared_data


def test_a_path_that_keeps_pressing_stops_the_search_within_its_bound(monkeypatch):
    """Whatever the texts, the passes over the sentences cover at most MAX_SEARCH_WORK times
    the cells of a matched pair's band before the search gives up (it went on to the whole
    grid)."""
    zh, en, _ = load_article(str(EXAMPLE))
    zs, es = zh.sentences * 8, en.sentences * 8
    passes = []
    real_solve = strategy._solve

    def solve(evidence, costs, cfg, band, temperature, rows_done):
        passes.append((band.n, band.cells, band.width))
        return real_solve(evidence, costs, cfg, band, temperature, rows_done)

    monkeypatch.setattr(strategy, "_solve", solve)
    monkeypatch.setattr(strategy, "touches_edge", lambda band, beads, margin: True)  # never fits
    with pytest.raises(BandBoundReached, match="no alignment found within the search's bound"):
        align_sentences(zs, es, AlignOptions(learn=False, search=SearchConfig(full_cells=0, coarse_full_cells=0)))
    sentence_passes = [(cells, width) for n, cells, width in passes if n == len(zs)]
    usual = band_around_path([(0, 0), (len(zs), len(es))], len(zs), len(es), SearchConfig.radius)  # a matched pair's
    assert len(sentence_passes) > 1  # it did widen
    assert sum(cells for cells, _ in sentence_passes) <= MAX_SEARCH_WORK * usual.cells
    assert max(width for _, width in sentence_passes) <= MAX_SEARCH_WORK * usual.width
    assert max(width for _, width in sentence_passes) < len(es) / 2  # far from the whole grid


def _unrelated(tmp_path, lines: int = 1500):
    """Chinese of the Bible beside English that is no translation of it (MAC-Dev's novel)."""
    bible, mac = shared_data("bible"), shared_data("mac-dev")
    zh = (bible / "zh" / "001").read_text(encoding="utf-8").splitlines()[:lines]
    novel = [s for p in sorted((mac / "en").iterdir()) for s in p.read_text(encoding="utf-8").splitlines()]
    (tmp_path / "zh.txt").write_text("\n".join(zh) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join((novel * 2)[:lines]) + "\n", encoding="utf-8")
    return tmp_path / "zh.txt", tmp_path / "en.txt"


def test_texts_that_do_not_correspond_are_reported_not_searched_without_limit(tmp_path):
    """The document is 'suspect', every sentence left unpaired: no pair of a search that
    could not find a path within its bound is worth a reviewer's time."""
    zh, en = _unrelated(tmp_path)
    out = tmp_path / "out.tsv"
    summary = tmp_path / "s.tsv"
    run = run_main("align", zh, en, "--presplit", "-o", out, "--summary", summary)
    assert run.code == 0, run.err
    suspect = ("aligner: suspect: no alignment found within the search's bound (1500 x 1500 sentences): the two "
               "sides do not seem to correspond (the translation of another text, out of order, or with long "
               "passages the other does not have)")
    assert suspect in run.err_lines
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3000 and all(not src or not tgt for src, tgt, *_ in rows)
    row = summary.read_text(encoding="utf-8").splitlines()[1].split("\t")
    assert row[1:8] == ["suspect", "1500", "1500", "0", "1500", "1500", ""]
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("zh.txt\ten.txt\tunrelated\n", encoding="utf-8")
    run = run_main("batch", "--pairs", pairs, "--presplit", "-o", tmp_path / "b.tsv", "--summary", summary,
                   "--jobs", "1")
    assert run.code == 0, run.err
    row = summary.read_text(encoding="utf-8").splitlines()[1].split("\t")
    assert row[:2] == ["unrelated", "suspect"] and "no alignment found within the search's bound" in row[-1]


def test_a_small_file_cannot_make_a_huge_first_band(tmp_path):
    """65 KB of input ran for more than 5 minutes and 2.8 GB (a coarse path with a run of
    thousands of one-sided beads gives a band as wide as the run on every row; 900 KB of it
    asked for a 45 GB array): refused at once, however wide the first band would be."""
    zh, _ = example_bodies()
    (tmp_path / "zh.txt").write_text("\n\n".join(zh * 10) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("A.\n" * 20_000, encoding="utf-8")
    run = run_cli("align", tmp_path / "zh.txt", tmp_path / "en.txt", "-o", tmp_path / "out.tsv", timeout=120)
    assert run.code == 0, run.err
    assert "aligner: suspect: no alignment found within the search's bound (180 x 20000 sentences)" in run.err
