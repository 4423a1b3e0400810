"""Helpers shared by the benchmark scripts: data paths, timing, and BENCHMARKS.md sections."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"


def replace_section(title: str, body: str, path: Path = BENCHMARKS_MD) -> None:
    """Write `## title` with `body` into BENCHMARKS.md, replacing that section if present."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc (Linux; just `pid` elsewhere)."""
    out = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out += [q for c in fh.read().split() for q in process_tree(int(c))]
    except OSError:
        pass
    return out


def pss_mb(pids: list[int]) -> float:
    """Proportional set size of the processes together, in MB: pages they share (a forked
    worker's with its parent) are counted once, where a sum of RSS would count them twice."""
    kb = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                kb += sum(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
        except OSError:
            pass
    return kb / 1024


def set_mb(root: int, others: list[int] = ()) -> float:
    """Memory of a process and its descendants (and `others` with theirs), in MB, counting
    each page once and independently of other processes on the machine: the resident set
    of `root` plus what each other process has on its own (private pages, USS). Forked
    workers share their parent's pages, which PSS would split with every process of the
    machine that maps the same libraries, so that it falls when other jobs run."""
    def rollup(pid: int) -> dict[str, int]:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                return {k: int(v.split()[0]) for k, v in (line.split(":", 1) for line in fh if ":" in line and "kB" in line)}
        except OSError:
            return {}

    first, *rest = process_tree(root) + [q for p in others for q in process_tree(p)]
    kb = rollup(first).get("Rss", 0)
    for pid in rest:
        r = rollup(pid)
        kb += r.get("Private_Clean", 0) + r.get("Private_Dirty", 0)
    return kb / 1024


def md_table(header: list[str], rows: list[list[object]]) -> str:
    def fmt(v: object) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
