#!/usr/bin/env python3
"""Unpaired sentences and calibrated confidence on MAC-Dev (issue 10).

    python benchmarks/omissions.py [--data ../shared/data/mac-dev] [--seeds 5] [--skip-grid] [--embed] [--write]

Omissions: each chapter damaged as unchecked machine translations fail
(benchmarks/damage.py): the English side of 2 runs of 2-6 consecutive gold beads
dropped, 2 English sentences from another chapter inserted; the gold of a dropped
bead becomes one [i]:[] bead per Chinese sentence, an inserted sentence []:[j].
Reported per seed and pooled: the share of dropped Chinese sentences left unpaired,
of inserted English sentences left unpaired, the share of two-sided output beads
holding a dropped or inserted sentence ("polluted"), strict F1 against the damaged
gold, and the undamaged figures. With --embed, also the unpaired sentences with
--embed. With --skip-grid, also the leave-one-chapter-out
choice of the skip constants (slow: 27 grid points).

Calibration, leave one chapter out (undamaged chapters): for each chapter the
temperature (1, 2, 3) and the logistic map are fitted on the other five and the
chapter is scored with them; pooled over the six: a reliability table (10 bins),
expected calibration error, and for thresholds 0.5 / 0.8 / 0.9 / 0.95 the precision
(strict) of the beads kept and the share of beads kept. The same for the shipped
constants on the damaged chapters (not fitted on them).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.accuracy import CHAPTERS, counts, load  # noqa: E402
from benchmarks.common import SHARED, md_table, replace_section  # noqa: E402
from benchmarks.damage import OmissionCounts, damage, omission_counts  # noqa: E402

from aligner.evaluate import Counts, Scores  # noqa: E402
from aligner.options import AlignOptions, Weights  # noqa: E402
from aligner.pipeline import align_detailed  # noqa: E402
from aligner.scoring.confidence import calibrate, expected_calibration_error, fit_logistic  # noqa: E402

TEMPERATURES = [1.0, 2.0, 3.0]
THRESHOLDS = [0.5, 0.8, 0.9, 0.95]
# The skip constants searched (scoring/skip.py): open cost of a run of Chinese and of
# English sentences, extension per further sentence; -log probabilities weighted like
# the shape prior (weight 3), so e.g. 16/3 costs 16.
SKIP_GRID = {"skip_zh": [12 / 3, 16 / 3, 20 / 3], "skip_extend": [1 / 3, 2 / 3, 4 / 3], "skip_en": [6 / 3, 9 / 3, 12 / 3]}


def donor(data: Path, chapter: str) -> list[str]:
    """English sentences to insert: those of the chapter three places on (another novel)."""
    return load(data, CHAPTERS[(CHAPTERS.index(chapter) + 3) % len(CHAPTERS)])[1]


def chapter_job(args: tuple[Path, str, int | None, AlignOptions]):
    """Align one chapter, damaged with `seed` (None: as it is): gold, beads, posteriors, omission counts."""
    data, chapter, seed, options = args
    zh, en, gold = load(data, chapter)
    hurt = None
    if seed is not None:
        hurt = damage(zh, en, gold, donor(data, chapter), seed=int(chapter) * 1000 + seed)
        zh, en, gold = hurt.zh, hurt.en, hurt.gold
    found = align_detailed(zh, en, options)
    return chapter, seed, gold, found, (omission_counts(hurt, found.beads) if hurt else None)


def run_all(data: Path, options: AlignOptions, seeds: list[int | None], pool: ProcessPoolExecutor):
    jobs = [(data, c, s, options) for s in seeds for c in CHAPTERS]
    return list(pool.map(chapter_job, jobs))


def pooled(results, seeds, chapters=CHAPTERS) -> tuple[Scores, OmissionCounts]:
    p, r, oc = Counts(), Counts(), OmissionCounts()
    for chapter, seed, gold, found, om in results:
        if seed in seeds and chapter in chapters:
            cp, cr = counts(gold, found.beads)
            p, r = p + cp, r + cr
            if om is not None:
                oc = oc + om
    return Scores.from_counts(p, r, len(chapters)), oc


def _share(a: int, b: int) -> float:
    return a / b if b else float("nan")


def omission_rows(results, seeds: list[int]) -> list[list[object]]:
    rows = []
    undamaged, _ = pooled(results, [None])
    for seed in seeds + ["all"]:
        chosen = seeds if seed == "all" else [seed]
        s, oc = pooled(results, chosen)
        rows.append([seed, oc.dropped, _share(oc.dropped_unpaired, oc.dropped), oc.inserted,
                     _share(oc.inserted_unpaired, oc.inserted), _share(oc.polluted, oc.two_sided),
                     s.strict_f, undamaged.strict_f])
    return rows


OMISSION_HEADER = ["seed", "dropped zh", "left unpaired", "inserted en", "left unpaired", "polluted pairs",
                   "strict F1 damaged", "strict F1 undamaged"]


def omissions(data: Path, seeds: list[int], pool: ProcessPoolExecutor) -> str:
    results = run_all(data, AlignOptions(), [None, *seeds], pool)
    text = md_table(OMISSION_HEADER, omission_rows(results, seeds))
    print(text, flush=True)
    return text, results


def skip_grid(data: Path, seeds: list[int], pool: ProcessPoolExecutor) -> str:
    """Leave one chapter out over the skip constants: for each chapter, the grid point with the
    best strict F1 pooled over the other five chapters, undamaged and damaged together."""
    names = list(SKIP_GRID)
    results = {}
    for values in itertools.product(*SKIP_GRID.values()):
        options = AlignOptions(weights=replace(Weights(), **dict(zip(names, values))), temperature=None)
        results[values] = run_all(data, options, [None, *seeds], pool)
        print("skip grid", values, flush=True)
    folds, loo = [], []
    everything = [None, *seeds]
    for held in CHAPTERS:
        train = [c for c in CHAPTERS if c != held]
        best = max(results, key=lambda v: pooled(results[v], everything, train)[0].strict_f)
        folds.append([held] + [f"{3 * v:g}" for v in best])
        loo += [r for r in results[best] if r[0] == held]
    text = md_table(["held-out chapter"] + [f"{n} (x 3)" for n in names], folds)
    text += "\n\nLeave-one-chapter-out figures (each chapter aligned with the constants chosen on the other five):\n\n"
    text += md_table(["seed", "dropped zh", "left unpaired", "inserted en", "left unpaired", "polluted pairs",
                      "strict F1 damaged", "strict F1 undamaged"], omission_rows(loo, seeds))
    print(text, flush=True)
    return text


def calibration_table(conf: np.ndarray, right: np.ndarray) -> str:
    which = np.minimum((conf * 10).astype(int), 9)
    rows = []
    for k in range(10):
        inside = which == k
        rows.append([f"{k / 10:.1f}-{(k + 1) / 10:.1f}", int(inside.sum()),
                     conf[inside].mean() if inside.any() else "", right[inside].mean() if inside.any() else ""])
    text = md_table(["confidence", "beads", "mean confidence", "share right (strict)"], rows)
    text += "\n\n" + md_table(
        ["threshold", "precision of kept beads", "share of beads kept"],
        [[t, right[conf >= t].mean() if (conf >= t).any() else "", (conf >= t).mean()] for t in THRESHOLDS])
    text += f"\n\nExpected calibration error (10 bins): **{expected_calibration_error(conf, right):.3f}**; " \
            f"{len(conf)} beads, {right.mean():.3f} of them right."
    return text


def _outcomes(results, chapter, seed=None):
    for c, s, gold, found, _ in results:
        if c == chapter and s == seed:
            g = set(gold)
            return np.array(found.posteriors), np.array([b in g for b in found.beads], float), found
    raise KeyError(chapter)


def _log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def calibration(data: Path, damaged: list, pool: ProcessPoolExecutor) -> str:
    by_t = {t: run_all(data, AlignOptions(temperature=t), [None], pool) for t in TEMPERATURES}
    conf, right, folds = [], [], []
    for held in CHAPTERS:
        train = [c for c in CHAPTERS if c != held]
        fits = {}
        for t in TEMPERATURES:
            x = np.concatenate([_outcomes(by_t[t], c)[0] for c in train])
            y = np.concatenate([_outcomes(by_t[t], c)[1] for c in train])
            a, b = fit_logistic(x, y)
            fits[t] = (_log_loss(calibrate(x, a, b), y), a, b)
        t = min(fits, key=lambda k: fits[k][0])
        _, a, b = fits[t]
        x, y, _ = _outcomes(by_t[t], held)
        conf.append(calibrate(x, a, b))
        right.append(y)
        folds.append([held, f"{t:g}", f"{a:.3f}", f"{b:.3f}", fits[t][0]])
    conf, right = np.concatenate(conf), np.concatenate(right)
    text = "Folds (temperature and map fitted on the other five chapters; train log loss):\n\n"
    text += md_table(["held-out chapter", "T", "A", "B", "train log loss"], folds)
    text += "\n\nPooled over the six held-out chapters:\n\n" + calibration_table(conf, right)
    # the shipped map on the damaged chapters
    dconf = np.concatenate([np.array(found.confidences) for _, s, _, found, _ in damaged if s is not None])
    dright = np.concatenate([np.array([b in set(gold) for b in found.beads], float)
                             for _, s, gold, found, _ in damaged if s is not None])
    text += "\n\nShipped constants on the damaged chapters (all seeds; the map was not fitted on them):\n\n"
    text += calibration_table(dconf, dright)
    print(text, flush=True)
    return text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "mac-dev")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--skip-grid", action="store_true", help="also the leave-one-chapter-out choice of the skip constants (slow)")
    ap.add_argument("--embed", action="store_true",
                    help="also the unpaired sentences with --embed (needs the extra: pip install 'zh-en-aligner[embed]')")
    ap.add_argument("--write", action="store_true", help="record the results in BENCHMARKS.md")
    args = ap.parse_args()
    seeds = list(range(args.seeds))
    with ProcessPoolExecutor(max_workers=2) as pool:
        om_text, results = omissions(args.data, seeds, pool)
        parts = [
            "Command: `python benchmarks/omissions.py" + " --skip-grid" * args.skip_grid + " --embed" * args.embed
            + " --write` (data: `../shared/data/mac-dev`). "
            "Damage (benchmarks/damage.py): per chapter the English side of 2 runs of 2-6 consecutive gold beads "
            "dropped and 2 English sentences from another chapter (three places on) inserted at bead boundaries "
            "away from the dropped runs; seeds 0.."
            f"{args.seeds - 1}. Shipped constants (in-sample for the undamaged column).",
            "### Unpaired sentences, shipped constants\n\n" + om_text,
        ]
        if args.embed:
            embedded = run_all(args.data, AlignOptions(embed=True), [None, *seeds], pool)
            table = md_table(OMISSION_HEADER, omission_rows(embedded, seeds))
            print(table, flush=True)
            parts.append("### Unpaired sentences, --embed\n\nThe same damage, aligned with `--embed` (its shipped "
                         "weights, `options.EMBED_WEIGHTS`).\n\n" + table)
        if args.skip_grid:
            parts.append("### Skip constants, leave one chapter out\n\nFor each held-out chapter, the grid point ("
                         + ", ".join(f"{k} x 3 in {[round(3 * x, 3) for x in v]}" for k, v in SKIP_GRID.items())
                         + ") with the best strict F1 on the other five chapters, undamaged and damaged pooled.\n\n"
                         + skip_grid(args.data, seeds, pool))
        parts.append("### Confidence calibration, leave one chapter out\n\n" + calibration(args.data, results, pool))
    if args.write:
        replace_section("Omissions and confidence", "\n\n".join(parts))


if __name__ == "__main__":
    main()
