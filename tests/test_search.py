"""The search strategies give the full DP's answer on real text: paragraph groups,
the coarse-to-fine band, and the second pass around a guide."""

from __future__ import annotations

import pytest

from aligner.options import AlignOptions, SearchConfig
from aligner.pipeline import align_sentences, align_texts
from aligner.readers.load import load_article
from conftest import EXAMPLE, mac_dev_chapter


def test_banded_search_matches_full_grid_on_a_chapter():
    zh, en, _ = mac_dev_chapter("004")
    full = align_sentences(zh, en, AlignOptions(learn=False, search=SearchConfig(full_cells=10**9))).beads
    banded = align_sentences(zh, en, AlignOptions(learn=False, search=SearchConfig(full_cells=0, coarse_full_cells=0))).beads
    assert banded == full


def test_article_beads_stay_inside_their_paragraphs():
    zh, en, meta = load_article(str(EXAMPLE))
    doc = align_texts(zh, en, metadata=meta)
    zh_par = [p for p, para in enumerate(zh.paragraphs) for _ in para]
    en_par = [p for p, para in enumerate(en.paragraphs) for _ in para]
    for src, tgt in doc.beads:
        assert len({zh_par[i] for i in src} | {en_par[j] for j in tgt}) == 1


def test_repeated_text_aligns_each_copy_to_itself():
    """A long document goes through the coarse-to-fine band; repeating the seed
    article's sentences must still align copy k with copy k."""
    zh, en, _ = load_article(str(EXAMPLE))
    k = 12
    zs, es = zh.sentences * k, en.sentences * k
    small = SearchConfig(full_cells=1000, coarse_full_cells=100)
    beads = align_sentences(zs, es, AlignOptions(search=small)).beads
    n, m = len(zh.sentences), len(en.sentences)
    for src, tgt in beads:
        if src and tgt:
            assert src[0] // n == tgt[0] // m
    once = align_sentences(zh.sentences, en.sentences).beads
    assert [(s, t) for s, t in beads if s and s[0] < n] == once


def test_a_band_too_narrow_is_widened_until_the_path_fits():
    """With a radius of one sentence the first path presses against the band's edge; the
    search follows it and widens until it gives what a comfortable band gives."""
    zh, en, _ = load_article(str(EXAMPLE))
    zs, es = zh.sentences * 6, en.sentences * 6
    roomy = SearchConfig(full_cells=0, coarse_full_cells=0)
    tight = SearchConfig(full_cells=0, coarse_full_cells=0, radius=1)
    expected = align_sentences(zs, es, AlignOptions(learn=False, search=roomy)).beads
    got = align_sentences(zs, es, AlignOptions(learn=False, search=tight)).beads
    assert got == expected


def test_two_halves_and_two_processes_give_the_one_pass_alignment():
    """A band solved as two halves (forward and reversed, joined where the path crosses)
    gives the one-pass beads and costs, whether the second half runs in a child process or not."""
    zh, en, _ = mac_dev_chapter("001")
    runs = [align_sentences(zh, en, AlignOptions(search=SearchConfig(split_rows=rows, workers=workers)))
            for rows, workers in ((10**9, 1), (20, 1), (20, 2))]
    assert len(zh) > 20
    assert runs[1].beads == runs[0].beads and runs[2].beads == runs[0].beads
    assert runs[1].confidences == pytest.approx(runs[0].confidences)
    assert runs[2].confidences == pytest.approx(runs[0].confidences)


def test_garbage_collector_is_off_while_aligning_and_restored_after():
    """align_sentences pauses the cyclic collector (a speed measure) and leaves its state
    as it found it, whether it was on or off, and when the alignment fails."""
    import gc

    import aligner.pipeline as pipeline

    zh, en, _ = load_article(str(EXAMPLE))
    seen = []
    real = pipeline.search

    def spying(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    was = gc.isenabled()
    try:
        pipeline.search = spying
        gc.enable()
        align_sentences(zh.sentences, en.sentences)
        assert seen and not any(seen) and gc.isenabled()
        gc.disable()
        align_sentences(zh.sentences, en.sentences)
        assert not gc.isenabled()
        gc.enable()
        with pytest.raises(TypeError):
            align_sentences(zh.sentences, None)
        assert gc.isenabled()
    finally:
        pipeline.search = real
        (gc.enable if was else gc.disable)()
