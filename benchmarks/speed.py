#!/usr/bin/env python3
"""Speed, memory and scaling on the Bible pair, and banded-vs-full DP accuracy on MAC-Dev.

    python benchmarks/speed.py [--bible ../shared/data/bible] [--mac ../shared/data/mac-dev] [--write] [--max-repeat 16]

- Bible (6,301 zh / 5,000 en sentences, --presplit): whole-process wall time and peak
  resident memory of `aligner align` measured by /usr/bin/time (warm: caches filled and
  bytecode written by a first run; best of 3), the peak proportional memory of the
  process with its forked worker, the same with --one-process, and
  verse-level strict/lax F1: consecutive output beads inside one verse are merged
  (en.verse / zh.verse), then scored against gold/001.align, as Bertalign reports it.
- Scaling: the pair repeated 2, 4, 8, 16 times, run in three rounds over the sizes;
  time (best of 3) and memory per size and the ratio per doubling.
- MAC-Dev: strict F1 with the full DP against the banded coarse-to-fine search forced
  on every chapter.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SHARED, md_table, process_tree, pss_mb, replace_section  # noqa: E402

from aligner.beads import Bead  # noqa: E402
from aligner.evaluate import read_alignment, score  # noqa: E402


# Warm means what an installed tool has after its first run: caches filled and Python
# bytecode written. A machine that sets PYTHONDONTWRITEBYTECODE (this one does) would
# otherwise recompile the package on every run (about 40 ms).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of a command, from GNU time."""
    res = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=ENV)
    if res.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{res.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", res.stderr)
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr).group(1)) / 1024
    return seconds, rss


def tree_pss(cmd: list[str]) -> float | None:
    """Peak proportional set size (MB) of a command and its child processes, sampled every
    10 ms from /proc (Linux): forked workers share the parent's pages, which PSS counts
    once where a sum of RSS would count them twice. None where /proc cannot tell."""
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, pss_mb(process_tree(proc.pid)))
        time.sleep(0.01)
    return peak or None


def align_cmd(zh: Path, en: Path, out: Path) -> list[str]:
    # the Bible gold is English -> Chinese; we align Chinese -> English and swap when scoring
    return [sys.executable, "-m", "aligner", "align", str(zh), str(en), "--presplit", "-f", "vecalign", "-o", str(out), "-q"]


def verse_beads(beads: list[Bead], zh_verse: list[str], en_verse: list[str]) -> list[Bead]:
    """Merge consecutive beads that fall inside one verse; return English-first beads like the gold."""
    merged: list[tuple[list[int], list[int], str]] = []
    for s, t in beads:
        v = zh_verse[s[0]] if s else en_verse[t[0]]
        if merged and merged[-1][2] == v:
            merged[-1][0].extend(s)
            merged[-1][1].extend(t)
        else:
            merged.append((list(s), list(t), v))
    return [(tuple(t), tuple(s)) for s, t, _ in merged]


def bible(data: Path, max_repeat: int, work: Path) -> str:
    zh_lines = (data / "zh" / "001").read_text(encoding="utf-8").splitlines()
    en_lines = (data / "en" / "001").read_text(encoding="utf-8").splitlines()
    zh_verse = (data / "zh.verse").read_text().split()
    en_verse = (data / "en.verse").read_text().split()
    gold = read_alignment(data / "gold" / "001.align")
    out = work / "bible.align"
    cmd = align_cmd(data / "zh" / "001", data / "en" / "001", out)
    timed(cmd)  # warm the caches
    table = []
    for label, extra in (("aligner (default: two processes)", []), ("aligner --one-process", ["--one-process"])):
        runs = [timed(cmd + extra) for _ in range(3)]
        wall, rss = min(r[0] for r in runs), max(r[1] for r in runs)
        every = ", ".join(f"{r[0]:.2f}" for r in runs)
        pss = tree_pss(cmd + extra)
        s = score([gold], [verse_beads(read_alignment(out), zh_verse, en_verse)])
        table.append([label, f"{wall:.2f} s ({every} s)", f"{rss:.0f} MB", f"{pss:.0f} MB" if pss else "n/a",
                      f"{s.strict_p:.3f} / {s.strict_r:.3f} / {s.strict_f:.3f}", s.lax_f])
    text = md_table(
        ["Bible (6,301 zh x 5,000 en, presplit)", "wall time, best of 3 warm runs (all three)",
         "peak RSS of the process (largest of 3)", "peak PSS of the process and its worker", "verse strict P/R/F1", "verse lax F1"],
        table,
    )
    print(text, flush=True)
    sizes = [2**e for e in range(max_repeat.bit_length()) if 2**e <= max_repeat]
    for k in sizes:
        (work / f"zh.{k}").write_text("\n".join(zh_lines * k) + "\n", encoding="utf-8")
        (work / f"en.{k}").write_text("\n".join(en_lines * k) + "\n", encoding="utf-8")
    # Three rounds over all sizes, best time of each: a slow spell of the shared machine
    # then costs every size a run, instead of inflating the ratios around one size.
    runs: dict[int, list[tuple[float, float]]] = {k: [] for k in sizes}
    for _ in range(3):
        for k in sizes:
            runs[k].append(timed(align_cmd(work / f"zh.{k}", work / f"en.{k}", work / f"out.{k}")))
            print(k, runs[k][-1], flush=True)
    rows, prev = [], None
    for k in sizes:
        t, m = min(r[0] for r in runs[k]), max(r[1] for r in runs[k])
        ratio = f"{t / prev[0]:.2f}x / {m / prev[1]:.2f}x" if prev else ""
        rows.append([f"{k}x", f"{len(zh_lines) * k:,} x {len(en_lines) * k:,}", f"{t:.2f} s",
                     ", ".join(f"{r[0]:.1f}" for r in runs[k]), f"{m:.0f} MB", ratio])
        prev = (t, m)
    text += ("\n\nScaling (the pair repeated; one `aligner align` command each, warm caches; "
             "three rounds over the sizes; time: best of 3, memory: largest of 3):\n\n") + md_table(
        ["repeat", "sentences (zh x en)", "wall time", "all three (s)", "peak memory", "time / memory vs previous size"], rows
    )
    return text


def band_vs_full(data: Path) -> str:
    from aligner.search.align import SearchConfig
    from aligner.options import AlignOptions
    from aligner.pipeline import align_sentences

    chapters = ["001", "002", "003", "004", "005", "006"]
    golds = [read_alignment(data / "gold" / f"{c}.align") for c in chapters]
    texts = [((data / "zh" / c).read_text().splitlines(), (data / "en" / c).read_text().splitlines()) for c in chapters]
    rows = []
    for label, cfg in (("full DP (whole grid)", SearchConfig(full_cells=10**9)),
                       ("banded coarse-to-fine (forced)", SearchConfig(full_cells=0))):
        preds = [align_sentences(zh, en, AlignOptions(search=cfg))[0] for zh, en in texts]
        s = score(golds, preds)
        rows.append([label, s.strict_p, s.strict_r, s.strict_f, s.lax_f])
        print(rows[-1], flush=True)
    return md_table(["MAC-Dev presplit, default evidence", "strict P", "strict R", "strict F1", "lax F1"], rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bible", type=Path, default=SHARED / "bible")
    ap.add_argument("--mac", type=Path, default=SHARED / "mac-dev")
    ap.add_argument("--max-repeat", type=int, default=16)
    ap.add_argument("--write", action="store_true", help="record the results in BENCHMARKS.md")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        text = bible(args.bible, args.max_repeat, Path(tmp))
    text += "\n\n" + band_vs_full(args.mac)
    if args.write:
        head = ("Command: `python benchmarks/speed.py --write` on this 2-core machine "
                "(figures from one run; compare ratios within a run, the machine is shared). "
                "`aligner align` uses both cores: a forked worker shares the Chinese tokenising, "
                "and DP bands of 1,000 rows or more are solved as two halves, one per process.\n\n")
        replace_section("Speed and scale", head + text)


if __name__ == "__main__":
    main()
