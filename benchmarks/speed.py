#!/usr/bin/env python3
"""Speed, memory and scaling, measured side by side with hunalign, and the first run.

    python benchmarks/speed.py [--runs 5] [--write] [--only SECTION,...] [--max-repeat 16]
                               [--bible DIR] [--mac DIR] [--seed DIR] [--hunalign DIR]

Every comparison is measured in one run of this script, the programs alternating, and
reported as the median and range of --runs runs (the machine may be shared: only ratios
measured side by side hold). Whole processes are timed by GNU time (/usr/bin/time): wall
time, CPU time (user + system, the process and every worker it waited for) and peak
resident memory (the largest of the process and its workers).

Sections (--only takes their names):
- hunalign: hunalign 1.4 (C++) and `aligner align` on the Bible pair (6,301 zh x 5,000
  en sentences, one a line), with and without --one-process, and verse-level strict/lax
  F1 (consecutive beads inside one verse merged, scored against gold/001.align, as
  Bertalign reports it). hunalign is built with ../shared/peers/setup-hunalign.sh into
  the user cache folder (aligner-bench/hunalign) unless --hunalign names a built one;
  without g++ the section is skipped with a message. hunalign's input is tokenised
  beforehand (jieba words, lower-cased English) and not timed; aligner's time is
  everything from reading the files to writing the beads.
- first-run: the seed article with an empty cache folder (XDG_CACHE_HOME), warm, and a
  second install sharing the cache folder (a copy of the package whose files have other
  modification times): from a checkout (tables built at first use) and as a built
  package (tables shipped, written into the copy as setup.py does).
- tokenising: Chinese tokens per second and lines that differ from `jieba.lcut` on the
  Bible, MAC-Dev (presplit and raw) and the seed article: jieba itself, aligner's
  tokenizer from rjieba or from jieba's own route, and rjieba with its own HMM; and
  rjieba's dictionary checked word by word against jieba's dict.txt.
- long-runs: Chinese without punctuation that falls apart into single characters (a run
  of 的, and a pseudo-random run of the Bible's characters), 10,000-80,000 characters.
- two-ended: the Bible aligned with the long bands solved from both ends
  (SearchConfig.split_rows, default) and in one forward pass (split_rows huge).
- scaling: the Bible pair repeated 2, 4, ... --max-repeat times.
- band: MAC-Dev strict F1 with the full DP against the banded search forced.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import BENCHMARKS_MD, ROOT, SHARED, md_table, process_tree, pss_mb, replace_section  # noqa: E402

from aligner.beads import Bead  # noqa: E402
from aligner.evaluate import read_alignment, score  # noqa: E402

SECTIONS = ["hunalign", "first-run", "tokenising", "long-runs", "two-ended", "scaling", "band"]
PEERS = ROOT.parent / "shared" / "peers"

# Warm means what an installed tool has after its first run: caches filled and Python
# bytecode written. A machine that sets PYTHONDONTWRITEBYTECODE (this one does) would
# otherwise recompile the package on every run (about 40 ms).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


# ---------------------------------------------------------------- measuring processes

@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the workers it waited for
    rss: float  # MB, the largest resident set of the process and its workers
    code: int = 0  # exit status


GNU_TIME = "/usr/bin/time"


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
            codes: tuple[int, ...] = (0,)) -> Run:
    """One run of a command (output discarded): wall, CPU and peak RSS as GNU time reports them;
    an exit status not in `codes` stops the benchmark.

    GNU time starts the command from its own small process: a child forked from this one
    would start with this process's pages, and Linux keeps that size as the child's peak
    even after exec (the Bible measured 310 MB instead of 190 MB after this script had
    loaded jieba). Without GNU time, wait4 directly, with that caveat."""
    with tempfile.NamedTemporaryFile("w+") as report, tempfile.TemporaryFile() as err:
        launcher = [GNU_TIME, "-f", "%e %U %S %M", "-o", report.name] if os.path.exists(GNU_TIME) else []
        t0 = time.perf_counter()
        proc = subprocess.Popen([*launcher, *cmd], env=env or ENV, cwd=cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in codes:
            err.seek(0)
            raise SystemExit(f"failed ({code}): {' '.join(map(str, cmd))}\n{err.read().decode('utf-8', 'replace')[-2000:]}")
        if launcher:
            e, u, s, m = report.read().split()[-4:]
            return Run(float(e), float(u) + float(s), int(m) / 1024, code)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code)


def alternate(cmds: dict[str, list[str]], runs: int, **kw) -> dict[str, list[Run]]:
    """Each command `runs` times, in turns (A B C A B C ...), after one unmeasured round."""
    for cmd in cmds.values():
        measure(cmd, **kw)
    out: dict[str, list[Run]] = {k: [] for k in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            out[name].append(measure(cmd, **kw))
    return out


def med(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    """'median (min-max)'."""
    return f"{fmt.format(med(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


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


_MAIN_CPU = """
import resource, runpy, sys
report, sys.argv = sys.argv[1], ["aligner"] + sys.argv[2:]
try:
    runpy.run_module("aligner", run_name="__main__", alter_sys=True)
except SystemExit as e:
    if e.code:
        raise
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
open(report, "w").write(f"{me.ru_utime + me.ru_stime} {kids.ru_utime + kids.ru_stime}")
"""


def main_cpu(args: list[str], work: Path) -> tuple[float, float]:
    """CPU seconds of `aligner ARGS`'s main process and of its workers, run apart. On an idle
    machine with a core for each, the wall time is about the main process's CPU time (it
    never waits for a worker longer than the worker works): a figure the load of a shared
    machine does not inflate the way it does wall times."""
    report = work / "main-cpu.txt"
    subprocess.run([sys.executable, "-c", _MAIN_CPU, str(report), *args], env=ENV, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    me, kids = report.read_text().split()
    return float(me), float(kids)


def align_cmd(zh: Path, en: Path, out: Path, *extra: str) -> list[str]:
    # the Bible gold is English -> Chinese; we align Chinese -> English and swap when scoring
    return [sys.executable, "-m", "aligner", "align", str(zh), str(en), "--presplit", "-f", "vecalign",
            "-o", str(out), "-q", *extra]


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


# ---------------------------------------------------------------- hunalign side by side

def hunalign_dir(given: Path | None, work: Path) -> Path | None:
    """A folder with hunalign built and the Bible tokenised for it, or None (with a message)."""
    from aligner.plumbing.cache import cache_dir

    folder = given or cache_dir().parent / "aligner-bench" / "hunalign"
    ready = (folder / "hunalign").exists() and (folder / "cedict.dic").exists() and (folder / "tok" / "bible" / "zh" / "001").exists()
    if not ready:
        if shutil.which("g++") is None or shutil.which("make") is None:
            print("hunalign: g++ or make is missing; skipping the side-by-side comparison", file=sys.stderr)
            return None
        print(f"hunalign: building it into {folder} (once, about a minute)...", file=sys.stderr, flush=True)
        res = subprocess.run(["bash", str(PEERS / "setup-hunalign.sh"), str(folder), sys.executable],
                             capture_output=True, text=True)
        if res.returncode != 0 or not (folder / "hunalign").exists():
            print(f"hunalign: build failed; skipping\n{res.stderr[-1500:]}", file=sys.stderr)
            return None
    return folder


def hunalign_section(bible: Path, hun: Path | None, runs: int, work: Path) -> str:
    zh_verse = (bible / "zh.verse").read_text().split()
    en_verse = (bible / "en.verse").read_text().split()
    gold = read_alignment(bible / "gold" / "001.align")
    n_zh = len((bible / "zh" / "001").read_text(encoding="utf-8").splitlines())
    n_en = len((bible / "en" / "001").read_text(encoding="utf-8").splitlines())
    cmds = {
        "aligner (default: two processes)": align_cmd(bible / "zh" / "001", bible / "en" / "001", work / "a2.align"),
        "aligner --one-process": align_cmd(bible / "zh" / "001", bible / "en" / "001", work / "a1.align", "--one-process"),
    }
    if hun is not None:
        ladder = work / "ladder"  # hunalign also leaves translate.txt in its folder: run it in `work`
        cmds = {"hunalign 1.4 (C++)": ["sh", "-c", f'cd "$5" && exec "$0" -onebyteencoding "$1" "$2" "$3" > "$4"', str(hun / "hunalign"),
                                       str(hun / "cedict.dic"), str(hun / "tok" / "bible" / "zh" / "001"),
                                       str(hun / "tok" / "bible" / "en" / "001"), str(ladder), str(work)], **cmds}
    results = alternate(cmds, runs, cwd=ROOT)
    f1 = {}
    for name, out in (("aligner (default: two processes)", work / "a2.align"), ("aligner --one-process", work / "a1.align")):
        f1[name] = score([gold], [verse_beads(read_alignment(out), zh_verse, en_verse)])
    if hun is not None:
        beads_file = work / "hun.align"
        with open(beads_file, "w") as fh:
            subprocess.run([sys.executable, str(PEERS / "ladder2align.py"), str(work / "ladder"), str(n_zh), str(n_en)],
                           stdout=fh, check=True)
        f1["hunalign 1.4 (C++)"] = score([gold], [verse_beads(read_alignment(beads_file), zh_verse, en_verse)])
    pss = {name: tree_pss(cmd) for name, cmd in cmds.items() if name.startswith("aligner")}
    mains: dict[str, list[float]] = {name: [] for name in cmds if name.startswith("aligner")}
    for _ in range(runs):
        for name in mains:
            mains[name].append(main_cpu(cmds[name][3:], work)[0])  # the arguments after 'python -m aligner'
    if hun is not None:
        mains["hunalign 1.4 (C++)"] = [r.cpu for r in results["hunalign 1.4 (C++)"]]  # one process
    rows = []
    for name, rs in results.items():
        s = f1[name]
        rows.append([name, spread([r.wall for r in rs]) + " s", spread([r.cpu for r in rs]) + " s",
                     spread(mains[name]) + " s", spread([r.rss for r in rs], "{:.0f}") + " MB",
                     f"{pss[name]:.0f} MB" if pss.get(name) else "", f"{s.strict_p:.3f} / {s.strict_r:.3f} / {s.strict_f:.3f}",
                     s.lax_f])
    text = md_table(["Bible, 6,301 zh x 5,000 en sentences", f"wall, median (range) of {runs}", "CPU user+sys",
                     "CPU of the main process", "peak RSS", "peak PSS, process + worker", "verse strict P / R / F1", "verse lax F1"], rows)
    if hun is not None:
        h = results["hunalign 1.4 (C++)"]
        ratio_rows = []
        for name in [k for k in results if k.startswith("aligner")]:
            a = results[name]
            ratio_rows.append([name, f"{med([r.wall for r in a]) / med([r.wall for r in h]):.2f}",
                               f"{med([r.cpu for r in a]) / med([r.cpu for r in h]):.2f}",
                               f"{med(mains[name]) / med([r.cpu for r in h]):.2f}",
                               f"{med([r.rss for r in a]) / med([r.rss for r in h]):.2f}"])
        text += "\n\nRatios to hunalign (medians of the same run):\n\n" + md_table(
            ["", "wall", "CPU", "main process's CPU to hunalign's CPU (wall on an idle machine)", "peak RSS"], ratio_rows)
    print(text, flush=True)
    return text


# ---------------------------------------------------------------- first run, second install

def _copy_package(dest: Path, mtime: float, shipped: bool) -> Path:
    """A copy of the aligner package in `dest` (what an install holds), its files dated
    `mtime`, bytecode compiled as pip does; with `shipped`, the CC-CEDICT tables written
    into its data folder as setup.py does for a built package."""
    import compileall

    shutil.copytree(ROOT / "aligner", dest / "aligner", ignore=shutil.ignore_patterns("__pycache__", "*.bin"))
    if shipped:
        code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1])\n"
                "from aligner.lexicon import cedict, names\n"
                "d = Path(sys.argv[1]) / 'aligner' / 'data'\n"
                "assert cedict.write_shipped(d) and names.write_shipped(d)\n")
        subprocess.run([sys.executable, "-c", code, str(dest)], check=True, env=ENV, cwd=dest)
    for folder, _, files in os.walk(dest):
        for name in files:
            os.utime(Path(folder) / name, (mtime, mtime))
    compileall.compile_dir(str(dest / "aligner"), quiet=1)
    return dest


def first_run_section(seed: Path, runs: int, work: Path) -> str:
    example = seed / "rmrb-1954-11-23-harbin.txt"
    rows = []
    for label, shipped in (("from a checkout (tables built at first use)", False),
                           ("as a built package (tables shipped)", True)):
        a = _copy_package(work / f"a-{shipped}", 1_000_000_000, shipped)
        b = _copy_package(work / f"b-{shipped}", 1_700_000_000, shipped)
        cold, warm, second, rebuilt = [], [], [], 0
        for k in range(runs + 1):
            home = work / f"xdg-{shipped}-{k}"
            env = dict(ENV, XDG_CACHE_HOME=str(home))
            cmd = [sys.executable, "-m", "aligner", "align", str(example), "-o", str(work / "out.tsv"), "-q"]
            c = measure(cmd, env=env, cwd=a)  # empty cache folder
            w = measure(cmd, env=env, cwd=a)
            files = {p.name: p.stat().st_mtime_ns for p in (home / "aligner").glob("*")} if (home / "aligner").exists() else {}
            s = measure(cmd, env=env, cwd=b)  # the other install, same cache folder
            after = {p.name: p.stat().st_mtime_ns for p in (home / "aligner").glob("*")} if (home / "aligner").exists() else {}
            rebuilt += after != files
            if k:  # the first round only warms the disk cache
                cold.append(c)
                warm.append(w)
                second.append(s)
            shutil.rmtree(home, ignore_errors=True)
        ratio = med([r.wall for r in cold]) / med([r.wall for r in warm])
        rows.append([label, spread([r.wall for r in cold]) + " s", spread([r.wall for r in warm]) + " s",
                     f"{ratio:.2f}", spread([r.wall for r in second]) + " s",
                     "none" if not rebuilt else f"files changed in {rebuilt} of {runs + 1} rounds"])
    text = md_table(["seed article (18 + 19 sentences)", "first run, empty cache folder", "warm run",
                     "first / warm", "second install's first run (shared cache folder)", "rebuilt by the second install"],
                    rows)
    print(text, flush=True)
    return text


# ---------------------------------------------------------------- tokenising alone

def _zh_sets(bible: Path, mac: Path, seed: Path) -> dict[str, list[str]]:
    chapters = ["001", "002", "003", "004", "005", "006"]
    sets = {"Bible zh (6,301 lines)": (bible / "zh" / "001").read_text(encoding="utf-8").splitlines(),
            "MAC-Dev zh, presplit": [s for c in chapters for s in (mac / "zh" / c).read_text(encoding="utf-8").splitlines()],
            "MAC-Dev zh, raw paragraphs": [s for c in chapters
                                           for s in (mac / "raw" / f"{c}.zh").read_text(encoding="utf-8").splitlines()]}
    example = seed / "rmrb-1954-11-23-harbin.txt"
    if example.exists():
        sets["seed article (all lines)"] = example.read_text(encoding="utf-8").splitlines()
    return sets


def tokenising_section(bible: Path, mac: Path, seed: Path, runs: int) -> str:
    import logging

    import jieba

    from aligner import tokenize

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    sets = _zh_sets(bible, mac, seed)
    reference = {name: [jieba.lcut(s, HMM=True) for s in lines] for name, lines in sets.items()}
    cutters: dict[str, object] = {"jieba.lcut (the reference)": None}
    try:
        import rjieba

        cutters["aligner, route from rjieba (default)"] = tokenize._RustCut()
        cutters["rjieba.cut with its own HMM (not used)"] = rjieba
    except ImportError:
        print("rjieba is not installed: its rows are left out", file=sys.stderr)
    cutters["aligner, route from jieba (without rjieba)"] = tokenize._ShardedJieba()

    def cut_all(name: str, lines: list[str]) -> list[list[str]]:
        c = cutters[name]
        if c is None:
            return [jieba.lcut(s, HMM=True) for s in lines]
        if isinstance(c, types.ModuleType):
            return [c.cut(s, True) for s in lines]
        c.hmm.memo.clear()  # a new document: its runs for the HMM are not known yet
        return [c.cut(s) for s in lines]

    rows = []
    for set_name, lines in sets.items():
        n_tokens = sum(map(len, reference[set_name]))
        times: dict[str, list[float]] = {k: [] for k in cutters}
        for _ in range(runs):
            for name in cutters:
                t0 = time.perf_counter()
                got = cut_all(name, lines)
                times[name].append(time.perf_counter() - t0)
        for name in cutters:
            got = cut_all(name, lines)
            bad = [i for i, (a, b) in enumerate(zip(reference[set_name], got)) if a != b]
            example = ""
            if bad:
                mine, theirs = _first_difference(got[bad[0]], reference[set_name][bad[0]])
                example = f" (first: {mine} for jieba's {theirs})"
            t = med(times[name])
            rows.append([set_name, name, f"{t:.3f} s", f"{n_tokens / t:,.0f}", f"{len(bad)} of {len(lines)}{example}"])
    text = md_table(["text", "tokenizer", f"time, median of {runs}", "tokens/s", "lines that differ from jieba.lcut"], rows)
    text += "\n\n" + rjieba_dictionary_check()
    print(text, flush=True)
    return text


def _first_difference(mine: list[str], theirs: list[str]) -> tuple[str, str]:
    """The tokens of each cut where they first part, joined by spaces."""
    import difflib

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=mine, b=theirs, autojunk=False).get_opcodes():
        if op != "equal":
            return " ".join(mine[i1:i2]) or "(nothing)", " ".join(theirs[j1:j2]) or "(nothing)"
    return "", ""


def rjieba_dictionary_check() -> str:
    """Every word of jieba's dict.txt against jieba-rs's dictionary: rjieba.suggest_freq
    reads a word's frequency and the total, and equals its formula computed from dict.txt
    exactly when both agree."""
    import math

    try:
        import rjieba
    except ImportError:
        return "rjieba is not installed: its dictionary was not checked."
    from aligner.tokenize import _import_jieba

    jieba = _import_jieba()
    lines = (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").splitlines()
    freq = {}
    for line in lines:
        word, n = line.split(" ")[:2]
        freq[word] = int(n)
    log_total = math.log(sum(int(line.split(" ")[1]) for line in lines))
    present = agree = 0
    for word in freq:
        present += rjieba.has_word(word)
        log_p = sum(math.log(freq.get(w, 1)) - log_total for w in rjieba.cut(word, False))
        agree += rjieba.suggest_freq(word) == max(int(math.exp(log_p + log_total)) + 1, freq[word])
    return (f"rjieba's dictionary against jieba {jieba.__version__}'s dict.txt ({len(lines):,} lines, {len(freq):,} words): "
            f"{present:,} words present, {agree:,} with jieba's frequency and total (rjieba.suggest_freq equal to its "
            "formula computed from dict.txt).")


# ---------------------------------------------------------------- long runs without punctuation

def long_runs_section(bible: Path, runs: int) -> str:
    import random

    from aligner import tokenize

    text = (bible / "zh" / "001").read_text(encoding="utf-8")
    han = sorted({c for c in text if "\u4e00" <= c <= "\u9fd5"})
    rnd = random.Random(12)
    mixed = "".join(rnd.choice(han) for _ in range(80_000))
    sizes = [10_000, 20_000, 40_000, 80_000]
    rows = []
    backends = ["rjieba", "jieba"]
    try:
        import rjieba  # noqa: F401
    except ImportError:
        backends = ["jieba"]
    for kind, make in (("的 repeated", lambda n: "的" * n), ("random Bible characters", lambda n: mixed[:n])):
        for name in backends:
            tokenize.use(name)
            cutter = tokenize._cutter()
            cutter.load(mixed + "的")
            times = {n: [] for n in sizes}
            for _ in range(runs):
                for n in sizes:
                    cutter.hmm.memo.clear()
                    t0 = time.perf_counter()
                    tokenize.zh_words(make(n))
                    times[n].append(time.perf_counter() - t0)
            t = [med(times[n]) for n in sizes]
            rows.append([kind, f"aligner, route from {name}", *[f"{x:.3f} s" for x in t], f"{t[3] / t[2]:.2f}"])
        tokenize.use(None)
    # jieba itself, once per size it can finish in reasonable time (its HMM is quadratic)
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for kind, make in (("的 repeated", lambda n: "的" * n), ("random Bible characters", lambda n: mixed[:n])):
        t = []
        for n in sizes[:3]:
            t0 = time.perf_counter()
            jieba.lcut(make(n), HMM=True)
            t.append(time.perf_counter() - t0)
        rows.append([kind, "jieba.lcut (one run each)", *[f"{x:.2f} s" for x in t], "not run", f"({t[2] / t[1]:.2f} for 40k / 20k)"])
    out = md_table(["text", "tokenizer", "10,000 chars", "20,000", "40,000", "80,000", "80k / 40k"], rows)
    print(out, flush=True)
    return out


# ---------------------------------------------------------------- the two-ended DP

_TWO_ENDED = """
import sys
from aligner.options import SearchConfig
from aligner.options import AlignOptions
from aligner.pipeline import align_sentences
zh = open(sys.argv[1], encoding="utf-8").read().splitlines()
en = open(sys.argv[2], encoding="utf-8").read().splitlines()
split_rows, parallel = int(sys.argv[3]), sys.argv[4] == "1"
beads = align_sentences(zh, en, AlignOptions(search=SearchConfig(split_rows=split_rows), parallel=parallel)).beads
open(sys.argv[5], "w").write(repr(beads))
import resource
me = resource.getrusage(resource.RUSAGE_SELF)
open(sys.argv[5] + ".cpu", "a").write(f"{me.ru_utime + me.ru_stime}\\n")
"""


def two_ended_section(bible: Path, runs: int, work: Path) -> str:
    from aligner.options import SearchConfig

    default = SearchConfig().split_rows
    cmds = {}
    for parallel in ("1", "0"):
        for label, rows in (("two-ended", default), ("one forward pass", 10**9)):
            cmds[(parallel, label)] = [sys.executable, "-c", _TWO_ENDED, str(bible / "zh" / "001"), str(bible / "en" / "001"),
                                       str(rows), parallel, str(work / f"te-{parallel}-{rows}.txt")]
    results = alternate(cmds, runs, cwd=ROOT)
    same = len({(work / f"te-{p}-{r}.txt").read_text() for p in "10" for r in (default, 10**9)}) == 1
    def main(parallel: str, rows_: int) -> list[float]:  # the main process's CPU, each run (the first unmeasured)
        return [float(x) for x in (work / f"te-{parallel}-{rows_}.txt.cpu").read_text().split()[1:]]

    rows = []
    for parallel in ("1", "0"):
        a, b = results[(parallel, "two-ended")], results[(parallel, "one forward pass")]
        ma, mb = main(parallel, default), main(parallel, 10**9)
        rows.append(["two processes" if parallel == "1" else "one process",
                     spread([r.wall for r in a]) + " s", spread([r.wall for r in b]) + " s",
                     f"{med([r.wall for r in a]) / med([r.wall for r in b]):.2f}",
                     spread([r.cpu for r in a]) + " s", spread([r.cpu for r in b]) + " s",
                     spread(ma) + " s", spread(mb) + " s", f"{med(ma) / med(mb):.2f}"])
    text = md_table(["Bible", f"wall, two-ended (split_rows={default})", "wall, one pass (split_rows huge)",
                     "two-ended / one pass", "CPU, two-ended", "CPU, one pass",
                     "main process's CPU, two-ended", "main process's CPU, one pass", "two-ended / one pass"], rows)
    text += f"\n\nSame beads all four ways: {'yes' if same else 'NO'}."
    print(text, flush=True)
    return text


# ---------------------------------------------------------------- scaling, band

def scaling_section(bible: Path, max_repeat: int, work: Path) -> str:
    zh_lines = (bible / "zh" / "001").read_text(encoding="utf-8").splitlines()
    en_lines = (bible / "en" / "001").read_text(encoding="utf-8").splitlines()
    sizes = [2**e for e in range(max_repeat.bit_length()) if 2**e <= max_repeat]
    for k in sizes:
        (work / f"zh.{k}").write_text("\n".join(zh_lines * k) + "\n", encoding="utf-8")
        (work / f"en.{k}").write_text("\n".join(en_lines * k) + "\n", encoding="utf-8")
    # Three rounds over all sizes, best time of each: a slow spell of the shared machine
    # then costs every size a run, instead of inflating the ratios around one size.
    runs: dict[int, list[Run]] = {k: [] for k in sizes}
    for _ in range(3):
        for k in sizes:
            runs[k].append(measure(align_cmd(work / f"zh.{k}", work / f"en.{k}", work / f"out.{k}"), cwd=ROOT))
            print(k, runs[k][-1], flush=True)
    rows, prev = [], None
    for k in sizes:
        t, c, m = min(r.wall for r in runs[k]), min(r.cpu for r in runs[k]), max(r.rss for r in runs[k])
        ratio = f"{t / prev[0]:.2f}x / {c / prev[1]:.2f}x / {m / prev[2]:.2f}x" if prev else ""
        rows.append([f"{k}x", f"{len(zh_lines) * k:,} x {len(en_lines) * k:,}", f"{t:.2f} s",
                     ", ".join(f"{r.wall:.1f}" for r in runs[k]), f"{c:.2f} s", f"{m:.0f} MB", ratio])
        prev = (t, c, m)
    return ("The pair repeated; one `aligner align` command each, warm caches; three rounds over "
            "the sizes; time: best of 3, memory: largest of 3.\n\n") + md_table(
        ["repeat", "sentences (zh x en)", "wall time", "all three (s)", "CPU user+sys", "peak memory",
         "wall / CPU / memory vs previous size"], rows)


def band_section(mac: Path) -> str:
    from aligner.options import AlignOptions
    from aligner.pipeline import align_sentences
    from aligner.options import SearchConfig

    chapters = ["001", "002", "003", "004", "005", "006"]
    golds = [read_alignment(mac / "gold" / f"{c}.align") for c in chapters]
    texts = [((mac / "zh" / c).read_text().splitlines(), (mac / "en" / c).read_text().splitlines()) for c in chapters]
    rows = []
    for label, cfg in (("full DP (whole grid)", SearchConfig(full_cells=10**9)),
                       ("banded coarse-to-fine (forced)", SearchConfig(full_cells=0))):
        preds = [align_sentences(zh, en, AlignOptions(search=cfg)).beads for zh, en in texts]
        s = score(golds, preds)
        rows.append([label, s.strict_p, s.strict_r, s.strict_f, s.lax_f])
        print(rows[-1], flush=True)
    return md_table(["MAC-Dev presplit, default evidence", "strict P", "strict R", "strict F1", "lax F1"], rows)


# ---------------------------------------------------------------- BENCHMARKS.md

TITLES = {
    "hunalign": "Bible: aligner and hunalign side by side",
    "first-run": "First run, warm run, second install",
    "tokenising": "Chinese tokenising alone",
    "long-runs": "Long Chinese runs without punctuation",
    "two-ended": "The two-ended DP",
    "scaling": "Scaling",
    "band": "Banded search against the full grid",
}

NOTES = {
    "hunalign": """
The main process's CPU time is measured in separate runs (the same command, its resource
usage read at exit): on an idle machine with a core for each process, aligner's wall time
is about that, since its main process never waits for its worker for longer than the
worker works, and hunalign's, one process, is its CPU time. hunalign reads input tokenised beforehand (jieba words, lower-cased English words) and
its CC-CEDICT dictionary converted beforehand; neither step is timed. aligner's time is the
whole command: reading and decoding the files, tokenising (rjieba's dictionary route,
jieba's HMM), the lexicon, names, both passes of the DP, writing the beads. Peak RSS is the
larger of aligner and its forked worker (as GNU time reports it); PSS counts the pages
they share once.
""",
    "first-run": """
The first run is `aligner align` on the seed article with an empty cache folder; the warm
run repeats it. A checkout (or an editable install) builds the CC-CEDICT key and pinyin
tables at its first run and stores them in the user cache folder; a built package ships
them (setup.py writes them into aligner/data when the package is built), so its first
run builds nothing. The second install is a copy of the package whose files have other
modification times (another virtual environment, say), run once against the cache folder
the first filled: cache files are named by the aligner version, the source of the code
that builds them, and the size and SHA-1 of their source data, so it finds every file
the first wrote.
""",
    "tokenising": """
Each tokenizer cuts every line (one document at a time: aligner's HMM memo is emptied
first); tokens are jieba.lcut's, punctuation included. aligner's tokenizer gives
jieba.lcut's tokens whichever route it takes: rjieba (jieba-rs) for the dictionary route,
and jieba's own HMM model with a linear Viterbi for runs of single characters that are
not a word. rjieba's own HMM is not used: its model is not exactly jieba's, which flips
near-ties (on the run 常在你 it prefers 常在 你, which jieba's probabilities make 1.5e-7 less
likely in log than 常 在 你: 1 Bible verse), and it keeps runs of letters and digits that
jieba splits (2.726K, State-Owned). Those differences
cannot be detected from rjieba's output cheaply (a near-tie is only visible inside the
Viterbi), so instead of falling back per sentence aligner never asks rjieba for them.
Characters jieba-rs counts as Han and jieba does not (CJK extensions, U+9FD6-U+9FFF,
compatibility ideographs) are cut apart before rjieba sees them. Without rjieba, the
route is jieba's own, from its prefix dictionary read per first character from the
sharded cache.
""",
    "long-runs": """
Text that falls apart into single characters with no punctuation is one run for jieba's
HMM; jieba's Viterbi copies the path list of each state at each character, so its time
grows with the square of the run (a megabyte of 的 never finishes). aligner's Viterbi keeps
one byte of back-pointers per character instead and gives the same states, ties included
(tests/test_tokenize.py checks it against jieba's), so runs are not split and the words
stay jieba's on any input.
""",
    "two-ended": """
Bands of split_rows rows or more are solved from both ends (search/strategy._solve, fork.py): the
forward DP to the middle row in this process and the reversed problem in a forked one.
`one forward pass` sets split_rows above the Bible's length, so the same band is solved
by one forward DP (the beads are the same either way). On a shared machine the two
processes compete with other jobs for the cores and the wall times say little; the main
process's CPU time is what the wall time becomes on an idle machine with a core for each.
The two ways find paths of the same cost; on text with tied paths (the seed article
repeated 112 times) they may pick different ones, which is why --one-process keeps
splitting too: it must give the default's beads.
""",
}

HEAD = ("Command: `python benchmarks/speed.py --write` (`--only SECTION,...` for some of them). Each table is from one "
        "run of the script, the programs alternating; medians and ranges over the runs. The machine is shared: "
        "compare ratios within a table, not figures across tables.")


def write_subsections(parts: dict[str, str], path: Path = BENCHMARKS_MD) -> None:
    """Replace (or add) the `### title` subsections of `## Speed and scale` that were run."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    m = re.search(r"^## Speed and scale\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    body = m.group(1) if m else ""
    chunks = re.split(r"^(### .*)\n", body, flags=re.M)
    order: list[str] = []
    content: dict[str, str] = {}
    for title, chunk in zip(chunks[1::2], chunks[2::2]):
        order.append(title[4:])
        content[title[4:]] = chunk.strip()
    for name, part in parts.items():
        title = TITLES[name]
        if title not in content:
            order.append(title)
        content[title] = part.strip() + ("\n\n" + " ".join(NOTES[name].split()) if name in NOTES else "")
    ordered = [TITLES[s] for s in SECTIONS if TITLES[s] in content] + [t for t in order if t not in TITLES.values()]
    new = HEAD + "\n\n" + "\n\n".join(f"### {t}\n\n{content[t]}" for t in ordered)
    replace_section("Speed and scale", new, path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bible", type=Path, default=SHARED / "bible")
    ap.add_argument("--mac", type=Path, default=SHARED / "mac-dev")
    ap.add_argument("--seed", type=Path, default=SHARED / "seed")
    ap.add_argument("--hunalign", type=Path, default=None, help="a folder made by setup-hunalign.sh (default: built once into the user cache folder)")
    ap.add_argument("--runs", type=int, default=5, help="measured runs of each program (default 5)")
    ap.add_argument("--max-repeat", type=int, default=16)
    ap.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections: " + ", ".join(SECTIONS))
    ap.add_argument("--write", action="store_true", help="record the results in BENCHMARKS.md")
    args = ap.parse_args()
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown sections: {', '.join(sorted(unknown))}")
    parts: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "hunalign" in only:
            parts["hunalign"] = hunalign_section(args.bible, hunalign_dir(args.hunalign, work), args.runs, work)
        if "first-run" in only:
            parts["first-run"] = first_run_section(args.seed, args.runs, work)
        if "tokenising" in only:
            parts["tokenising"] = tokenising_section(args.bible, args.mac, args.seed, args.runs)
        if "long-runs" in only:
            parts["long-runs"] = long_runs_section(args.bible, max(3, args.runs // 2))
        if "two-ended" in only:
            parts["two-ended"] = two_ended_section(args.bible, args.runs, work)
        if "scaling" in only:
            parts["scaling"] = scaling_section(args.bible, args.max_repeat, work)
        if "band" in only:
            parts["band"] = band_section(args.mac)
    if args.write:
        write_subsections(parts)


if __name__ == "__main__":
    main()
