"""The sum-product twin of the DP and the bead posteriors against brute-force enumeration."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.options import DEFAULT_SHAPES
from aligner.band import band_around_path, full_band, reverse_band
from aligner.search.dp import best_path, sum_product
from aligner.search.posterior import Recorder, bead_posteriors, cell_posteriors, complete, mirrored
from tests.test_dp import table_costs

SHAPES = DEFAULT_SHAPES


def all_paths(n: int, m: int, shapes, band=None):
    """Every path of beads from (0, 0) to (n, m) (inside `band`), as lists of (a, b, i, j) ends."""

    def inside(i, j):
        return band is None or band.lo[i] <= j < band.hi[i]

    def walk(i, j):
        if (i, j) == (0, 0):
            yield []
            return
        for a, b in shapes:
            if i - a >= 0 and j - b >= 0 and inside(i - a, j - b):
                for p in walk(i - a, j - b):
                    yield p + [(a, b, i, j)]

    return list(walk(n, m))


def brute(n, m, shapes, table, temperature, band=None):
    """Z, and the posterior of every bead (a, b, i, j), by enumerating the paths."""
    paths = all_paths(n, m, shapes, band)
    weights = [math.exp(-sum(table[s] for s in p) / temperature) for p in paths]
    z = sum(weights)
    post: dict = {}
    for p, w in zip(paths, weights):
        for s in p:
            post[s] = post.get(s, 0.0) + w / z
    return -temperature * math.log(z), post, paths


def random_table(rng, n, m, shapes):
    return {(a, b, i, j): float(rng.uniform(0, 6)) for a, b in shapes for i in range(n + 1) for j in range(m + 1)}


def forward_backward(band, shapes, table, temperature):
    """The sum-product values forward (F) and backward (B), and the recorded cost blocks."""
    rec = Recorder(table_costs(table, band, shapes), shapes, band, band.n + 1)
    fwd = sum_product(band, shapes, rec, band.n, temperature, chunk=2)
    bwd = sum_product(reverse_band(band), shapes, mirrored(band, shapes, rec.blocks), band.n, temperature, chunk=3)
    return fwd, bwd, rec.blocks


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1), st.sampled_from([0.5, 1.0, 3.0]))
def test_sum_product_and_posteriors_match_enumeration(n, m, seed, temperature):
    rng = np.random.default_rng(seed)
    table = random_table(rng, n, m, SHAPES)
    band = full_band(n, m)
    z, post, paths = brute(n, m, SHAPES, table, temperature)
    head, back, blocks = forward_backward(band, SHAPES, table, temperature)
    assert abs(head[n, m] - z) < 1e-6
    assert abs(back[n, m] - z) < 1e-6  # the reversed problem sums the same paths
    # the posterior of each bead of any path
    path = paths[int(rng.integers(len(paths)))]
    beads = [(tuple(range(i - a, i)), tuple(range(j - b, j))) for a, b, i, j in path]
    got = bead_posteriors(band, beads, [table[s] for s in path], head, back, temperature)
    assert np.allclose(got, [post[s] for s in path], atol=1e-6)
    # every bead of the grid
    cells = cell_posteriors(band, SHAPES, blocks, head, back, temperature)
    for t, (a, b) in enumerate(SHAPES):
        for i in range(n + 1):
            for j in range(m + 1):
                assert abs(cells[t, i, j] - post.get((a, b, i, j), 0.0)) < 1e-6


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 9), st.integers(1, 9), st.integers(0, 2**32 - 1), st.data())
def test_each_sentence_is_in_exactly_one_bead_on_average(n, m, seed, data):
    """Summed over the beads that hold it, each sentence's posteriors add up to 1, in a band too."""
    rng = np.random.default_rng(seed)
    table = random_table(rng, n, m, SHAPES)
    band = full_band(n, m)
    if data.draw(st.booleans()):
        band = band_around_path([(0, 0), (n, m)], n, m, radius=data.draw(st.integers(1, 3)))
    head, back, blocks = forward_backward(band, SHAPES, table, 1.0)
    cells = cell_posteriors(band, SHAPES, blocks, head, back, 1.0)
    zh, en = np.zeros(n), np.zeros(m)
    for t, (a, b) in enumerate(SHAPES):
        for i in range(n + 1):
            for k in range(band.width):
                j = band.lo[i] + k
                zh[i - a : i] += cells[t, i, k]
                if j <= m:
                    en[j - b : j] += cells[t, i, k]
    assert np.allclose(zh, 1.0, atol=1e-6) and np.allclose(en, 1.0, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 9), st.integers(1, 8), st.integers(0, 2**32 - 1), st.data())
def test_two_halves_completed_give_the_one_pass_values(n, m, seed, data):
    """A band solved as two halves: each half's sum-product table, completed over the other
    half's recorded costs, equals the one-pass table."""
    rng = np.random.default_rng(seed)
    table = random_table(rng, n, m, SHAPES)
    rtable = {(a, b, i, j): table.get((a, b, n - i + a, m - j + b), 1e6) for a, b, i, j in table}
    band, rband = full_band(n, m), reverse_band(full_band(n, m))
    amax = max(a for a, _ in SHAPES)
    r = data.draw(st.integers(1, n))
    tail_rows = n - max(r - amax + 1, 0)
    hrec = Recorder(table_costs(table, band, SHAPES), SHAPES, band, r + 1)
    head = sum_product(band, SHAPES, hrec, r, 1.0, chunk=2)
    trec = Recorder(table_costs(rtable, rband, SHAPES), SHAPES, rband, tail_rows + 1)
    tail = sum_product(rband, SHAPES, trec, tail_rows, 1.0, chunk=3)
    one, back, _ = forward_backward(band, SHAPES, table, 1.0)
    fwd = complete(band, SHAPES, head, trec.blocks, 1.0)
    bwd = complete(rband, SHAPES, tail, hrec.blocks, 1.0)
    assert np.allclose(fwd, one, atol=1e-6)
    assert np.allclose(bwd, back, atol=1e-6)


def test_at_low_temperature_the_sum_product_is_the_min_plus_dp():
    rng = np.random.default_rng(5)
    n, m = 6, 7
    table = random_table(rng, n, m, SHAPES)
    band = full_band(n, m)
    soft, _, _ = forward_backward(band, SHAPES, table, 1e-3)
    best = best_path(band, SHAPES, table_costs(table, band, SHAPES), band.n).total
    finite = np.isfinite(best)
    assert np.allclose(soft[finite], best[finite], atol=0.05)
    assert list(itertools.chain(*np.isfinite(soft))) == list(itertools.chain(*finite))


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.integers(0, 2**32 - 1))
def test_the_kernels_read_costs_recorded_as_they_read_them_fresh(n, m, seed):
    """A second kernel over the blocks a first one recorded (`Recorder.replay`, as the
    search runs best path then sum-product on one band) gives the values it gives when it
    asks for the costs itself, bit for bit, whatever the chunks."""
    rng = np.random.default_rng(seed)
    table = random_table(rng, n, m, SHAPES)
    band = band_around_path([(0, 0), (n, m)], n, m, radius=2)
    rec = Recorder(table_costs(table, band, SHAPES), SHAPES, band, n + 1)
    first = best_path(band, SHAPES, rec, n, chunk=3)
    again = best_path(band, SHAPES, rec.replay, n, chunk=4)
    assert np.array_equal(first.total, again.total) and np.array_equal(first.back, again.back)
    fresh = sum_product(band, SHAPES, table_costs(table, band, SHAPES), n, 2.0, chunk=3)
    assert np.array_equal(sum_product(band, SHAPES, rec.replay, n, 2.0, chunk=3), fresh)
