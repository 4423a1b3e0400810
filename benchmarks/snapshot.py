#!/usr/bin/env python3
"""Snapshot the aligner's outputs, to show that a change left the alignment as it was.

    python benchmarks/snapshot.py take OUTDIR [--repo PATH] [--skip embed,archive]
    python benchmarks/snapshot.py compare OLDDIR NEWDIR

`take` runs the aligner of the checkout at PATH (default: this one) on fixed inputs and
writes each output under OUTDIR:

- bible:        the Bible pair, presplit, Vecalign beads
- mac-presplit: each MAC-Dev chapter, presplit, JSONL (texts, indices, scores)
- mac-raw:      each MAC-Dev chapter from its raw paragraphs, JSONL
- example:      the example article as TSV, JSONL and TMX
- batch:        200 article-sized documents cut from MAC-Dev (benchmarks/make_articles.py,
                seed 1), one merged TMX
- embed:        `--embed` on MAC-Dev chapters 001 and 002, JSONL (needs the embed extra)
- archive:      every article of ../shared/data/archive, JSONL (its figures change when the
                article reader does; the others should not)

TMX creation dates are blanked, so two runs of the same code give identical files.
`compare` names every file that differs and exits 1 if any does. Take both snapshots
on one machine: the outputs do not depend on timing, only on code and data.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, SHARED  # noqa: E402

GROUPS = ("bible", "mac-presplit", "mac-raw", "example", "batch", "embed", "archive")
_CREATED = re.compile(rb'creationdate="[0-9TZ]*"')


def run(repo: Path, args: list[str], out: Path) -> None:
    """`python -m aligner ARGS` with the package of `repo`; its TMX creation dates blanked."""
    env = dict(os.environ, PYTHONPATH=str(repo), PYTHONHASHSEED="0")
    done = subprocess.run([sys.executable, "-m", "aligner", *args, "-q"], env=env, cwd=repo,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if done.returncode not in (0,):
        out.with_suffix(out.suffix + ".error").write_bytes(done.stderr)
        print(f"  {out.name}: exit {done.returncode}: {done.stderr.decode(errors='replace').strip()[-300:]}",
              file=sys.stderr)
    if out.exists() and out.suffix == ".tmx":
        out.write_bytes(_CREATED.sub(b'creationdate=""', out.read_bytes()))


def take(out: Path, repo: Path, skip: set[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    mac = SHARED / "mac-dev"
    chapters = sorted(p.name for p in (mac / "zh").iterdir())
    groups = [g for g in GROUPS if g not in skip]
    for group in groups:
        print(f"{group}...", file=sys.stderr)
        folder = out / group
        folder.mkdir(exist_ok=True)
        if group == "bible":
            b = SHARED / "bible"
            run(repo, ["align", str(b / "zh" / "001"), str(b / "en" / "001"), "--presplit",
                       "-o", str(folder / "bible.align")], folder / "bible.align")
        elif group == "mac-presplit":
            for c in chapters:
                run(repo, ["align", str(mac / "zh" / c), str(mac / "en" / c), "--presplit",
                           "-o", str(folder / f"{c}.jsonl")], folder / f"{c}.jsonl")
        elif group == "mac-raw":
            for c in chapters:
                run(repo, ["align", str(mac / "raw" / f"{c}.zh"), str(mac / "raw" / f"{c}.en"),
                           "-o", str(folder / f"{c}.jsonl")], folder / f"{c}.jsonl")
        elif group == "example":
            article = ROOT / "data" / "examples" / "rmrb-1954-11-23-harbin.txt"
            for ext in ("tsv", "jsonl", "tmx"):
                run(repo, ["align", str(article), "-o", str(folder / f"example.{ext}")], folder / f"example.{ext}")
        elif group == "batch":
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_articles.py"), tmp,
                                "--count", "200", "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
                run(repo, ["batch", tmp, "-o", str(folder / "batch.tmx"), "--jobs", "2"], folder / "batch.tmx")
                (folder / "batch.tmx.state.jsonl").unlink(missing_ok=True)  # names the temporary folder
        elif group == "embed":
            for c in chapters[:2]:
                run(repo, ["align", str(mac / "zh" / c), str(mac / "en" / c), "--presplit", "--embed",
                           "-o", str(folder / f"{c}.jsonl")], folder / f"{c}.jsonl")
        elif group == "archive":
            for f in sorted((SHARED / "archive").glob("*.md")):
                run(repo, ["align", str(f), "-o", str(folder / f"{f.stem}.jsonl")], folder / f"{f.stem}.jsonl")


def compare(old: Path, new: Path) -> int:
    names = sorted({p.relative_to(old) for p in old.rglob("*") if p.is_file()}
                   | {p.relative_to(new) for p in new.rglob("*") if p.is_file()})
    differ = 0
    for name in names:
        a, b = old / name, new / name
        if not (a.exists() and b.exists()) or not filecmp.cmp(a, b, shallow=False):
            differ += 1
            print(f"differs: {name}")
    print(f"{len(names) - differ} of {len(names)} files identical")
    return 1 if differ else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("take")
    t.add_argument("out", type=Path)
    t.add_argument("--repo", type=Path, default=ROOT)
    t.add_argument("--skip", default="", help="comma-separated groups to leave out: " + ", ".join(GROUPS))
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = ap.parse_args()
    if args.command == "take":
        take(args.out, args.repo.resolve(), {s for s in args.skip.split(",") if s})
    else:
        sys.exit(compare(args.old, args.new))


if __name__ == "__main__":
    main()
