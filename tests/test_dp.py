"""The banded DP against a brute-force reference, on random costs."""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.options import DEFAULT_SHAPES
from aligner.band import band_around_path, band_from_groups, full_band, reverse_band
from aligner.search.dp import backtrack, best_path, meet, run_dp


def table_costs(table: dict, band, shapes):
    """Cost callback reading a dict {(a, b, i, j): cost} (missing cells: large)."""

    def costs(rows: slice) -> np.ndarray:
        out = np.full((len(shapes), rows.stop - rows.start, band.width), 1e6)
        for t, (a, b) in enumerate(shapes):
            for r, i in enumerate(range(rows.start, rows.stop)):
                for k in range(band.width):
                    out[t, r, k] = table.get((a, b, i, int(band.lo[i]) + k), 1e6)
        return out

    return costs


def reference(n: int, m: int, shapes, table) -> float:
    @functools.lru_cache(None)
    def best(i: int, j: int) -> float:
        if i == 0 and j == 0:
            return 0.0
        out = np.inf
        for a, b in shapes:
            if i - a >= 0 and j - b >= 0:
                out = min(out, best(i - a, j - b) + table.get((a, b, i, j), 1e6))
        return out

    return best(n, m)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(0, 2**32 - 1))
def test_full_band_finds_the_optimum(n, m, seed):
    rng = np.random.default_rng(seed)
    shapes = DEFAULT_SHAPES
    table = {(a, b, i, j): float(rng.uniform(0, 10)) for a, b in shapes for i in range(n + 1) for j in range(m + 1)}
    band = full_band(n, m)
    beads, costs = run_dp(band, shapes, table_costs(table, band, shapes), chunk=3)
    assert abs(sum(costs) - reference(n, m, shapes, table)) < 1e-6
    # the beads tile both sides in order
    assert [i for s, _ in beads for i in s] == list(range(n))
    assert [j for _, t in beads for j in t] == list(range(m))
    # each reported bead cost is the table's cost of that bead
    i = j = 0
    for (s, t), c in zip(beads, costs):
        i, j = i + len(s), j + len(t)
        assert abs(c - table[(len(s), len(t), i, j)]) < 1e-4


def test_band_keeps_path_inside_and_matches_full_when_wide_enough():
    rng = np.random.default_rng(7)
    n, m = 30, 40
    shapes = DEFAULT_SHAPES
    table = {(a, b, i, j): float(rng.uniform(0, 1)) + 3 * abs(j / m - i / n) * 10
             for a, b in shapes for i in range(n + 1) for j in range(m + 1)}
    full = full_band(n, m)
    beads_full, _ = run_dp(full, shapes, table_costs(table, full, shapes))
    pts = [(i, round(i * m / n)) for i in range(n + 1)]
    band = band_around_path(pts, n, m, radius=12)
    assert band.width < m + 1
    beads_band, _ = run_dp(band, shapes, table_costs(table, band, shapes))
    assert beads_band == beads_full


def test_groups_confine_beads_to_their_group():
    rng = np.random.default_rng(3)
    zb, eb = [0, 3, 5, 9], [0, 4, 7, 12]
    n, m = zb[-1], eb[-1]
    shapes = DEFAULT_SHAPES
    table = {(a, b, i, j): float(rng.uniform(0, 1)) for a, b in shapes for i in range(n + 1) for j in range(m + 1)}
    band = band_from_groups(zb, eb)
    beads, _ = run_dp(band, shapes, table_costs(table, band, shapes))
    i = j = 0
    for s, t in beads:
        i, j = i + len(s), j + len(t)
        assert band.lo[i] <= j < band.hi[i]


def test_reverse_band_mirrors_every_cell():
    band = band_around_path([(0, 0), (5, 3), (9, 12)], 9, 12, radius=2)
    rev = reverse_band(band)
    cells = {(i, j) for i in range(band.n + 1) for j in range(band.lo[i], band.hi[i])}
    mirrored = {(rev.n - i, rev.m - j) for i in range(rev.n + 1) for j in range(rev.lo[i], rev.hi[i])}
    assert mirrored == cells
    twice = reverse_band(rev)
    assert np.array_equal(twice.lo, band.lo) and np.array_equal(twice.hi, band.hi)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9), st.integers(1, 9), st.integers(0, 2**32 - 1), st.data())
def test_two_halves_find_the_one_pass_optimum(n, m, seed, data):
    """Forward to row r, the reversed problem for the rest, joined by `meet`: the same
    optimum as one pass, and the beads of both halves tile the grid."""
    rng = np.random.default_rng(seed)
    shapes = DEFAULT_SHAPES
    table = {(a, b, i, j): float(rng.uniform(0, 10)) for a, b in shapes for i in range(n + 1) for j in range(m + 1)}
    # the reversed problem's bead ending at (i, j) is the original bead starting at (n - i, m - j)
    rtable = {(a, b, i, j): table.get((a, b, n - i + a, m - j + b), 1e6) for a, b, i, j in table}
    band = full_band(n, m)
    rband = reverse_band(band)
    r = data.draw(st.integers(1, n))
    amax = max(a for a, _ in shapes)
    head = best_path(band, shapes, table_costs(table, band, shapes), r, chunk=2)
    tail = best_path(rband, shapes, table_costs(rtable, rband, shapes), n - max(r - amax + 1, 0), chunk=3)
    i, j = meet(band, shapes, head, tail)
    first, c1 = backtrack(band, shapes, head, i, j)
    rest, c2 = backtrack(rband, shapes, tail, n - i, m - j)
    assert abs(sum(c1) + sum(c2) - reference(n, m, shapes, table)) < 1e-6
    second = [(tuple(n - 1 - x for x in s[::-1]), tuple(m - 1 - y for y in t[::-1])) for s, t in rest[::-1]]
    beads = first + second
    assert [x for s, _ in beads for x in s] == list(range(n))
    assert [y for _, t in beads for y in t] == list(range(m))


def test_band_around_a_path_spans_each_segment_line():
    """Row by row, the band holds the straight line of each segment it crosses (floor to
    ceil) +- radius: a steep segment, a flat one along row 2 and a shallow one."""
    band = band_around_path([(0, 0), (2, 1), (2, 4), (4, 9)], 4, 9, radius=1)
    # line columns: row 0: 0; row 1: 0.5; row 2: 1 (steep) and 1..4 (flat) and 4 (shallow);
    # row 3: 6.5; row 4: 9
    assert band.lo.tolist() == [0, 0, 0, 5, 8]
    assert band.hi.tolist() == [2, 3, 6, 9, 10]
