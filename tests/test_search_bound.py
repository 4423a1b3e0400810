"""The search's bound (issue 24): two texts that do not correspond cannot make the band widen
without limit (it doubled to the whole grid: 4 MB took 161 s and 4.5 GB); the document is
reported instead. benchmarks/hostile.py measures the bound's memory and time against a
matched pair of the same size."""

from __future__ import annotations

import pytest

import aligner.search.align as search_align
from aligner.options import AlignOptions
from aligner.pipeline import align_sentences
from aligner.readers.load import load_article
from aligner.search.align import MAX_SEARCH_WORK, BandBoundReached, SearchConfig
from conftest import EXAMPLE, run_main, shared_data


def test_a_path_that_keeps_pressing_stops_the_search_within_its_bound(monkeypatch):
    """Whatever the texts, the band of the sentences' first pass covers at most
    MAX_SEARCH_WORK times its first band's cells before the search gives up."""
    zh, en, _ = load_article(str(EXAMPLE))
    zs, es = zh.sentences * 8, en.sentences * 8
    passes = []
    real_run = search_align._run

    def run(zh_side, en_side, costs, cfg, band, temperature=None):
        passes.append((band.n, band.cells, band.width))
        return real_run(zh_side, en_side, costs, cfg, band, temperature)

    monkeypatch.setattr(search_align, "_run", run)
    monkeypatch.setattr(search_align, "touches_edge", lambda band, beads, margin: True)  # never fits
    with pytest.raises(BandBoundReached, match=rf"search's bound \({len(zs)} x {len(es)} sentences\)"):
        align_sentences(zs, es, AlignOptions(learn=False, search=SearchConfig(full_cells=0, coarse_full_cells=0)))
    sentence_passes = [(cells, width) for n, cells, width in passes if n == len(zs)]
    first_cells, first_width = sentence_passes[0]
    assert sum(cells for cells, _ in sentence_passes) <= MAX_SEARCH_WORK * first_cells
    assert max(width for _, width in sentence_passes) <= MAX_SEARCH_WORK * first_width
    assert max(width for _, width in sentence_passes) < len(es)  # never the whole grid


def _unrelated(tmp_path, lines: int = 1500):
    """Chinese of the Bible beside English that is no translation of it (MAC-Dev's novel)."""
    bible, mac = shared_data("bible"), shared_data("mac-dev")
    zh = (bible / "zh" / "001").read_text(encoding="utf-8").splitlines()[:lines]
    novel = [s for p in sorted((mac / "en").iterdir()) for s in p.read_text(encoding="utf-8").splitlines()]
    (tmp_path / "zh.txt").write_text("\n".join(zh) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join((novel * 2)[:lines]) + "\n", encoding="utf-8")
    return tmp_path / "zh.txt", tmp_path / "en.txt"


def test_texts_that_do_not_correspond_are_reported_not_searched_without_limit(tmp_path):
    zh, en = _unrelated(tmp_path)
    out = tmp_path / "out.tsv"
    run = run_main("align", zh, en, "--presplit", "-o", out)
    assert run.code == 1
    assert run.err_lines == [f"aligner: error: {zh}: does not seem to correspond to {en} (the translation of "
                             "another text, or out of order): no alignment found within the search's bound "
                             "(1500 x 1500 sentences)"]
    assert not out.exists()
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("zh.txt\ten.txt\tunrelated\n", encoding="utf-8")
    summary = tmp_path / "s.tsv"
    run = run_main("batch", "--pairs", pairs, "--presplit", "-o", out, "--summary", summary, "--jobs", "1")
    assert run.code == 1
    row = summary.read_text(encoding="utf-8").splitlines()[1].split("\t")
    assert row[:2] == ["unrelated", "failed"] and "does not seem to correspond" in row[-1]
