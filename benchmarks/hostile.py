#!/usr/bin/env python3
"""Memory and time on texts that do not correspond (issue 24): the search's bound holds.

    python benchmarks/hostile.py [--runs 3] [--repeat 8] [--before PATH] [--write]

Two pairs of the same size, each aligned by `aligner align ZH EN --presplit` (the
default: two processes for a long text), alternating, --runs times after a warm-up round:

- matched: the Bible's Chinese and English sides, each repeated --repeat times
  (8: 3.8 MB and 5.2 MB, 50,408 x 40,000 sentences);
- unrelated: the same Chinese against English that is no translation of it, MAC-Dev's six
  chapters repeated to the size of the matched English side;
- one-word lines: the same Chinese against lines of 'A.' of that size (the most sentences a
  file of that size can hold, and a coarse path with runs of one-sided beads).

Reported: wall and CPU time, peak resident memory (GNU time: the largest of the process
and its worker) and the document's status (the pairs that do not correspond are 'suspect',
every sentence unpaired, once the band reaches its bound: aligner.search.strategy.MAX_SEARCH_WORK;
it was searched to the whole grid before), and the ratios to the matched
pair (target: within 2 for time and memory); the peak memory per MB of input is the
figure the README states as the bound of a run. --before PATH also runs the unrelated pair
with the checkout at PATH (e.g. the commit before the bound), once.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, SHARED, md_table, replace_section  # noqa: E402
from benchmarks.speed import ENV, alternate, measure, med, spread  # noqa: E402


def write_inputs(folder: Path, repeat: int) -> dict[str, tuple[Path, Path]]:
    """The matched and the unrelated pair, one sentence a line."""
    zh = (SHARED / "bible" / "zh" / "001").read_text(encoding="utf-8").splitlines() * repeat
    en = (SHARED / "bible" / "en" / "001").read_text(encoding="utf-8").splitlines() * repeat
    novel = [line for path in sorted((SHARED / "mac-dev" / "en").iterdir())
             for line in path.read_text(encoding="utf-8").splitlines()]
    size = sum(len(line.encode("utf-8")) + 1 for line in en)
    unrelated, total = [], 0
    while total < size:
        line = novel[len(unrelated) % len(novel)]
        unrelated.append(line)
        total += len(line.encode("utf-8")) + 1
    files = {}
    for name, lines in (("zh", zh), ("en", en), ("unrelated", unrelated), ("words", ["A."] * (size // 3))):
        files[name] = folder / f"{name}.txt"
        files[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"matched": (files["zh"], files["en"]), "unrelated": (files["zh"], files["unrelated"]),
            "one-word lines": (files["zh"], files["words"])}


def command(repo: Path, zh: Path, en: Path, out: Path) -> list[str]:
    return [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv.pop(1)); from aligner.cli import main; main()",
            str(repo), "align", str(zh), str(en), "--presplit", "-o", str(out), "-q"]


def _ratio(runs: dict, key: str, name: str) -> float:
    return med([getattr(r, key) for r in runs[name]]) / med([getattr(r, key) for r in runs["matched"]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--before", type=Path, help="a checkout to run the unrelated pair with, once")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pairs = write_inputs(folder, args.repeat)
        sizes = {name: f"{zh.stat().st_size / 2**20:.1f} + {en.stat().st_size / 2**20:.1f} MB"
                 for name, (zh, en) in pairs.items()}
        megabytes = {name: (zh.stat().st_size + en.stat().st_size) / 2**20 for name, (zh, en) in pairs.items()}
        cmds = {name: command(ROOT, zh, en, folder / f"{name}.tsv") for name, (zh, en) in pairs.items()}
        runs = alternate(cmds, args.runs, codes=(0, 1))
        before = None
        if args.before is not None:
            zh, en = pairs["unrelated"]
            before = measure(command(args.before, zh, en, folder / "before.tsv"), env=ENV, codes=(0, 1))
    rows = [[name, sizes[name], spread([r.wall for r in rs], "{:.1f}"), spread([r.cpu for r in rs], "{:.1f}"),
             spread([r.rss for r in rs], "{:.0f}"), f"{med([r.rss for r in rs]) / megabytes[name]:.0f}",
             ", ".join(sorted({str(r.code) for r in rs}))]
            for name, rs in runs.items()]
    if before is not None:
        rows.append([f"unrelated, before the bound ({args.before.name})", sizes["unrelated"], f"{before.wall:.1f}",
                     f"{before.cpu:.1f}", f"{before.rss:.0f}", f"{before.rss / megabytes['unrelated']:.0f}",
                     str(before.code)])
    ratios = "; ".join(
        f"{name} / matched: wall {_ratio(runs, 'wall', name):.2f}, CPU {_ratio(runs, 'cpu', name):.2f}, peak memory "
        f"{_ratio(runs, 'rss', name):.2f}" for name in runs if name != "matched")

    table = md_table(["pair", "size (zh + en)", "wall s", "CPU s", "peak MB", "MB per MB of input", "exit"], rows)
    body = (f"`python benchmarks/hostile.py --runs {args.runs} --repeat {args.repeat}`: `aligner align ZH EN "
            "--presplit`, the Bible repeated against its own translation and against English that is none "
            "(MAC-Dev's chapters) and against one-word lines, medians (range) of runs that alternate. The "
            "pairs that do not correspond stop when the search reaches its bound: 'suspect', every sentence "
            "unpaired.\n\n" + table +
            f"\n\n{ratios} (target: within 2).")
    print(body)
    if args.write:
        replace_section("Texts that do not correspond (the search's bound)", body)


if __name__ == "__main__":
    main()
