#!/usr/bin/env python3
"""Speed of two checkouts of the aligner, side by side: did a change leave it as fast?

    python benchmarks/versions.py BASE [NEW] [--rounds 5] [--only CASE,...] [--write]

BASE and NEW are checkouts (NEW defaults to this one); each is run as `python -m aligner`
with its own package on PYTHONPATH. The cases are the commands benchmarks/speed.py and
benchmarks/batch.py time (the Bible with and without a second process, MAC-Dev
chapter 002 from raw paragraphs, the example article, 200 articles as a batch with one and
two jobs); each round runs every case once with BASE and once with NEW, the order
alternating from round to round, after one unmeasured round (caches, bytecode). Reported
per case: the median CPU time (user + system, the process and the workers it waited
for; the figure a shared machine's load inflates least) and wall time of each, and the
median over rounds of NEW / BASE measured in the same round. Outputs are compared too:
a speed figure of a change that altered the output would mean nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.batch import same_units  # noqa: E402
from benchmarks.common import ROOT, SHARED, md_table, replace_section  # noqa: E402
from benchmarks.make_articles import make_articles  # noqa: E402
from benchmarks.speed import ENV, Run, measure  # noqa: E402

CASES = ("bible", "bible-one-process", "mac-raw", "example", "batch-1", "batch-2")


def commands(work: Path, out: Path) -> dict[str, tuple[list[str], Path]]:
    """Each case's arguments to `aligner` and the output it writes (under `out`)."""
    bible, mac = SHARED / "bible", SHARED / "mac-dev"
    article = ROOT / "data" / "examples" / "rmrb-1954-11-23-harbin.txt"
    bible_args = ["align", str(bible / "zh" / "001"), str(bible / "en" / "001"), "--presplit", "-f", "vecalign"]
    cases = {
        "bible": (bible_args, "bible.align"),
        "bible-one-process": ([*bible_args, "--one-process"], "bible-one.align"),
        "mac-raw": (["align", str(mac / "raw" / "002.zh"), str(mac / "raw" / "002.en")], "mac.jsonl"),
        "example": (["align", str(article)], "example.tmx"),
        "batch-1": (["batch", str(work / "articles"), "--restart", "--jobs", "1"], "batch1.tmx"),
        "batch-2": (["batch", str(work / "articles"), "--restart", "--jobs", "2"], "batch2.tmx"),
    }
    return {case: ([*args, "-o", str(out / name)], out / name) for case, (args, name) in cases.items()}


def run(repo: Path, args: list[str]) -> Run:
    env = dict(ENV, PYTHONPATH=str(repo))
    return measure([sys.executable, "-m", "aligner", *args, "-q"], env=env, cwd=repo)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base", type=Path)
    ap.add_argument("new", type=Path, nargs="?", default=ROOT)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", default=",".join(CASES), help="cases to run: " + ", ".join(CASES))
    ap.add_argument("--write", action="store_true", help="write the table to BENCHMARKS.md")
    args = ap.parse_args()
    cases = [c for c in args.only.split(",") if c]
    repos = {"base": args.base.resolve(), "new": args.new.resolve()}
    times: dict[str, dict[str, list[Run]]] = {c: {"base": [], "new": []} for c in cases}
    same = {}
    with tempfile.TemporaryDirectory(prefix="aligner-versions-") as tmp:
        work = Path(tmp)
        if any(c.startswith("batch") for c in cases):
            make_articles(SHARED / "mac-dev", work / "articles", 200, seed=1)
            (work / "articles" / "manifest.tsv").unlink()
        outs = {name: work / name for name in repos}
        for folder in outs.values():
            folder.mkdir()
        cmds = {name: commands(work, outs[name]) for name in repos}
        for r in range(args.rounds + 1):
            order = list(repos) if r % 2 == 0 else list(repos)[::-1]
            for case in cases:
                for name in order:
                    result = run(repos[name], cmds[name][case][0])
                    if r:  # round 0 warms the caches
                        times[case][name].append(result)
            print(f"round {r}{' (warm-up)' * (r == 0)} done", file=sys.stderr, flush=True)
        for case in cases:
            same[case] = same_units(cmds["base"][case][1], cmds["new"][case][1])
    rows = []
    for case in cases:
        base, new = times[case]["base"], times[case]["new"]
        cpu = statistics.median(n.cpu / b.cpu for b, n in zip(base, new))
        wall = statistics.median(n.wall / b.wall for b, n in zip(base, new))
        rows.append([case, f"{statistics.median(b.cpu for b in base):.2f} s", f"{statistics.median(n.cpu for n in new):.2f} s",
                     f"{cpu:.3f}", f"{statistics.median(b.wall for b in base):.2f} s",
                     f"{statistics.median(n.wall for n in new):.2f} s", f"{wall:.3f}", "yes" if same[case] else "NO"])
    table = md_table(["case", "CPU base", "CPU new", "CPU new / base", "wall base", "wall new", "wall new / base",
                      "same output"], rows)
    load = os.getloadavg()
    text = (f"Command: `python benchmarks/versions.py BASE --rounds {args.rounds}` ({os.cpu_count()} CPUs, load "
            f"average {load[0]:.1f} at the end); medians of {args.rounds} rounds, ratios paired by round.\n\n{table}")
    print(text)
    if args.write:
        replace_section("Speed of two versions", text)


if __name__ == "__main__":
    main()
