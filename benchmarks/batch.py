#!/usr/bin/env python3
"""`aligner batch` on article-sized documents: throughput, scaling with workers, memory, Dask.

    python benchmarks/batch.py [--count 2000] [--small 200] [--rounds 3] [--mac ../shared/data/mac-dev] [--write]

Everything is done here, from nothing: the articles are cut from MAC-Dev's gold beads by
benchmarks/make_articles.py into a temporary folder (`--count` of them, and the first
`--small` in a folder of their own), the caches are filled by a first run, then:

- `aligner batch --jobs 1` and `--jobs 2` on all articles, alternating, `--rounds` times:
  wall time of the whole command (start-up included), articles per second, CPU seconds
  per article (user + system of the command and its workers: robust to a busy machine),
  and, in one more run of each after the timed rounds (sampling takes a share of a core,
  so timed runs are not sampled), the peak memory of the command and its workers
  together, sampled from /proc every 20 ms: the command's resident set plus each worker's private pages (forked workers
  share the command's pages; counted once, and unlike PSS not split with whatever
  else on the machine maps the same libraries);
- the same peak memory on `--small` articles, to show it flat in the number of documents;
- a local Dask cluster started here (`dask scheduler`, `dask worker --nworkers 2
  --nthreads 1`, as the README says), the same batch sent to it with --scheduler: wall
  time, articles per second, peak memory of batch + scheduler + workers (the batch's
  resident set plus the private pages of the others), and whether the output equals the
  local one;
- where the time of one article goes inside one process (pyinstrument, 200 articles of
  18-22 sentences aligned by `batch.job.align_task`, written and recorded as the batch does).

Times are the best of the rounds (other jobs on a shared machine only ever slow a run
down), memory that of the sampled run; every run's figures are listed too. Compare ratios within one
run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, SHARED, md_table, process_tree, pss_mb, replace_section, set_mb  # noqa: E402
from benchmarks.make_articles import make_articles  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPATH"] = str(ROOT) + os.pathsep + ENV.get("PYTHONPATH", "")


def busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all processes), from /proc/stat."""
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run(cmd: list[str], also: list[int] = (), sample: bool = False) -> dict:
    """Run `cmd`; its wall time, CPU time (with its waited-for workers), and with `sample` the
    peak memory (common.set_mb; and PSS) of it, its descendants and the processes `also`
    (with theirs). Timed runs do not sample: reading /proc every 20 ms takes a share of a
    core, which a batch using both cores of this machine would lose."""
    before, machine = os.times(), busy_seconds()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = pss = 0.0
    while sample and proc.poll() is None:
        peak = max(peak, set_mb(proc.pid, list(also)))
        pss = max(pss, pss_mb(process_tree(proc.pid) + [q for p in also for q in process_tree(p)]))
        time.sleep(0.02)
    err = proc.communicate()[1].decode()
    wall = time.perf_counter() - start
    after = os.times()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    # cores the rest of the machine kept busy meanwhile (other jobs; for Dask also its cluster)
    others = max(0.0, busy_seconds() - machine - cpu) / wall
    return {"wall": wall, "cpu": cpu, "mem": peak, "pss": pss, "others": others}


def batch_cmd(folder: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "aligner", "batch", str(folder), "-o", str(out), "--restart", "-q", *extra]


def same_units(a: Path, b: Path) -> bool:
    """Equal outputs but for the header's creation date."""
    def units(path: Path) -> str:
        return re.sub(r'creationdate="[^"]*"', "", path.read_text(encoding="utf-8"))
    return units(a) == units(b)


def start_dask(work: Path) -> tuple[list[subprocess.Popen], str]:
    """A scheduler and 2 single-thread workers, as the README's recipe starts them."""
    sched_file = work / "scheduler.json"
    bindir = Path(sys.executable).parent
    dask = [str(bindir / "dask")] if (bindir / "dask").exists() else [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    log = open(work / "dask.log", "w")
    scheduler = subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(sched_file)], env=ENV, stdout=log, stderr=log)
    for _ in range(300):
        if sched_file.exists() and sched_file.stat().st_size:
            break
        time.sleep(0.1)
    address = json.loads(sched_file.read_text())["address"]
    workers = subprocess.Popen([*dask, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
                                "--memory-limit", "0"], env=ENV, stdout=log, stderr=log)
    from distributed import Client

    with Client(address, timeout="60s") as client:
        client.wait_for_workers(2, timeout=120)
    return [scheduler, workers], address


def profile_article(folder: Path) -> list[list[object]]:
    """Share of one article's time per stage, in this process, as a batch worker spends it."""
    import io

    from pyinstrument import Profiler

    from aligner.batch.inputs import find_documents
    from aligner.batch.job import Settings, align_task, read_task, warm_up
    from aligner.batch.state import StateFile
    from aligner.writers import writer_class

    settings = Settings()
    warm_up(settings)
    documents = find_documents([str(folder)])
    tasks = [read_task(k, d) for k, d in enumerate(documents)]
    tasks = [t for t in tasks if 18 <= t.data[0].decode().count("。") <= 26][:200]
    for t in tasks[:20]:  # warm: the jieba shards of these characters, the lexicon's memo
        align_task(t, settings)
    with tempfile.TemporaryDirectory() as tmp:
        state = StateFile(os.path.join(tmp, "s.jsonl"), settings.fingerprint())
        writer = writer_class("tmx")(io.BytesIO(), batch=True)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        start = time.perf_counter()
        sentences = 0
        for t in tasks:
            outcome = align_task(t, settings)
            state.record(outcome)
            for part in outcome.parts:  # one part a document here (no file holds two articles)
                writer.add(part.doc, part.summary.document)
                sentences += len(part.doc.src.sentences)
        wall = time.perf_counter() - start
        profiler.stop()
        state.close()
    stages = {
        "decode_bytes": "decode the bytes", "parse_article": "parse the article layout", "_segment": "split sentences",
        "build_sides": "tokenise (jieba, English words) and features", "match_names": "names by pinyin",
        "_paragraph_band": "DP: paragraph alignment", "_search": "DP: sentence alignment",
        "learn_pairs": "learn word pairs", "confidences": "bead scores", "signature": "run signature",
        "record": "state file (JSON, flush)", "add": "write TMX units",
    }
    totals: dict[str, float] = {}

    def walk(frame) -> None:
        label = stages.get(frame.function)
        if label is not None:
            totals[label] = totals.get(label, 0.0) + frame.time
            return
        for child in frame.children:
            walk(child)

    root = profiler.last_session.root_frame()
    walk(root)
    total = root.time
    totals["other (checks, options, glue)"] = max(0.0, total - sum(totals.values()))
    per = wall / len(tasks) * 1000
    rows = [[label, f"{t / total * 100:.0f}%", f"{t / total * per:.1f} ms"] for label, t in
            sorted(totals.items(), key=lambda kv: -kv[1])]
    rows.append([f"all ({len(tasks)} articles, {sentences / len(tasks):.0f} Chinese sentences each)", "100%", f"{per:.1f} ms"])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--small", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--mac", type=Path, default=SHARED / "mac-dev")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    try:  # the stage profile at the end needs it: say so before the timed runs, not after them
        import pyinstrument  # noqa: F401
    except ImportError:
        sys.exit("benchmarks/batch.py: the profile of one article needs pyinstrument (pip install pyinstrument)")

    with tempfile.TemporaryDirectory(prefix="aligner-batch-bench-") as tmp:
        work = Path(tmp)
        big, small = work / "articles", work / "small"
        make_articles(args.mac, big, args.count, seed=1)
        make_articles(args.mac, small, args.small, seed=1)  # the same first articles
        (big / "manifest.tsv").unlink()
        (small / "manifest.tsv").unlink()
        run(batch_cmd(small, work / "warm.tmx", "--jobs", "2"))  # caches and bytecode

        runs: dict[str, list[dict]] = {"1": [], "2": [], "dask": []}
        memory: dict[str, dict] = {}  # one sampled run each, after the timed rounds
        cluster, address = ([], None) if args.no_dask else start_dask(work)
        try:
            for r in range(args.rounds + 1):
                sample = r == args.rounds
                for jobs in ("1", "2"):
                    result = run(batch_cmd(big, work / f"out{jobs}.tmx", "--jobs", jobs), sample=sample)
                    if sample:
                        memory[jobs] = result
                        memory[f"small{jobs}"] = run(batch_cmd(small, work / f"small{jobs}.tmx", "--jobs", jobs), sample=True)
                    else:
                        runs[jobs].append(result)
                    print(f"round {r + 1}{' (memory)' * sample}, --jobs {jobs}: {result}", flush=True)
                if address:
                    result = run(batch_cmd(big, work / "dask.tmx", "--scheduler", address),
                                 also=[p.pid for p in cluster], sample=sample)
                    if sample:
                        memory["dask"] = result
                    else:
                        runs["dask"].append(result)
                    print(f"round {r + 1}{' (memory)' * sample}, dask: {result}", flush=True)
        finally:
            for p in reversed(cluster):
                p.terminate()
            for p in cluster:
                p.wait(30)
        same_jobs = same_units(work / "out1.tmx", work / "out2.tmx")
        same_dask = same_units(work / "out1.tmx", work / "dask.tmx") if address else None
        profile = profile_article(small)

    def med(key: str, field: str) -> float:
        return statistics.median(r[field] for r in runs[key])

    def mem(key: str) -> float:
        return memory[key]["mem"]

    def best(key: str) -> float:
        return min(r["wall"] for r in runs[key])

    n = args.count
    rate1, rate2 = n / best("1"), n / best("2")
    rows = [
        ["--jobs 1", f"{best('1'):.1f} s", f"{rate1:.1f}", f"{med('1', 'cpu') / n * 1000:.1f} ms",
         f"{mem('1'):.0f} MB", f"{mem('small1'):.0f} MB", f"{mem('1') / mem('small1'):.2f}x"],
        ["--jobs 2", f"{best('2'):.1f} s", f"{rate2:.1f} ({rate2 / rate1:.2f}x --jobs 1)",
         f"{med('2', 'cpu') / n * 1000:.1f} ms", f"{mem('2'):.0f} MB", f"{mem('small2'):.0f} MB",
         f"{mem('2') / mem('small2'):.2f}x"],
    ]
    if runs["dask"]:
        rated = n / best("dask")
        rows.append(["Dask, 2 workers x 1 thread (local cluster)", f"{best('dask'):.1f} s",
                     f"{rated:.1f} ({rated / rate1:.2f}x --jobs 1)", f"{med('dask', 'cpu') / n * 1000:.1f} ms in the batch process",
                     f"{mem('dask'):.0f} MB (batch + scheduler + workers)", "", ""])
    every = "; ".join(f"{k}: " + ", ".join(f"{r['wall']:.1f} s / {r['cpu']:.1f} s CPU / {r['others']:.1f} cores busy elsewhere"
                                          for r in v) for k, v in runs.items() if v)
    sampled = "; ".join(f"{k}: {r['wall']:.1f} s / {r['mem']:.0f} MB ({r['pss']:.0f} MB PSS)" for k, r in memory.items())
    load = os.getloadavg()
    text = "\n\n".join([
        f"Command: `python benchmarks/batch.py --count {n} --small {args.small} --rounds {args.rounds}"
        f"{' --write' if args.write else ''}` ({os.cpu_count()} CPUs, load average {load[0]:.1f} at the end: "
        "other jobs shared the machine). Articles: MAC-Dev gold beads cut by benchmarks/make_articles.py "
        "(8-24 beads, paragraphs of 2-5, one in eight with an English paragraph dropped). "
        "Whole commands, start-up included; wall time: best of the timed rounds; CPU: their median. "
        "Memory: one more run of each, sampled from /proc every 20 ms (not timed: the sampling takes "
        "a share of a core).",
        md_table([f"{n} articles", "wall time", "articles / s", "CPU per article", f"peak memory, {n} articles",
                  f"peak memory, {args.small} articles", "memory ratio"], rows),
        f"Same output at --jobs 1 and 2: {same_jobs}" + (f"; through Dask: {same_dask}" if same_dask is not None else "")
        + f". Every timed run (wall / CPU / cores other processes kept busy meanwhile, on average): {every}. "
        f"Memory runs (wall / peak memory): {sampled}.",
        "Where the time of one article goes (one process, warm; pyinstrument):",
        md_table(["stage", "share", "per article"], profile),
        "How the short-document path is kept lean: `--jobs 1` aligns in the batch process "
        "itself (no pool, nothing pickled); `--jobs N` forks N workers after the batch has "
        "loaded the dictionary and jieba (pages shared, `gc.freeze()` so the collector does "
        "not copy them), so no worker loads them and none pays an interpreter start-up; no "
        "document forks (`AlignOptions(parallel=False)`: a batch is parallel across "
        "documents); the merging process only reads files, records the state and writes, "
        "with TMX units formatted as text (ElementTree serialisation was 2.3 ms an article). "
        "The rest is the alignment itself (tokenising, the two DPs, learning), the same "
        "work `aligner align` does in one process.",
    ])
    print(text)
    if args.write:
        replace_section("Batch (aligner batch)", text)


if __name__ == "__main__":
    main()
