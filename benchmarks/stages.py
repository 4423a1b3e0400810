#!/usr/bin/env python3
"""The costs behind the constants and shortcuts that the code's comments justify by speed.

    python benchmarks/stages.py [--bible ../shared/data/bible] [--write]

Each row names the constant or shortcut it justifies (see docs/decisions.md). Times are
the best of several runs in this process (warm caches; what is compared is run by turns),
except import times, which are fresh interpreters minus an empty one (median). On a
shared machine compare ratios within one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SHARED, md_table, replace_section  # noqa: E402


def best_time(fn: Callable[[], object], runs: int = 5) -> float:
    """Fastest of `runs` runs, in seconds: the least disturbed by other jobs on the machine."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def alternate(a: Callable[[], object], b: Callable[[], object], runs: int = 5) -> tuple[float, float]:
    """Best seconds of `a` and of `b`, run by turns (a slow spell on a shared machine hits both)."""
    ta, tb = [], []
    for _ in range(runs):
        ta.append(best_time(a, 1))
        tb.append(best_time(b, 1))
    return min(ta), min(tb)


def import_time(module: str, runs: int = 5) -> float | None:
    """Seconds `import module` adds to a fresh interpreter's start (median), None if absent."""
    def run(code: str) -> float:
        start = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", code], capture_output=True)
        if res.returncode:
            raise ImportError(module)
        return time.perf_counter() - start

    try:
        return statistics.median(run(f"import {module}") - run("pass") for _ in range(runs))
    except ImportError:
        return None


def tokenising(zh: list[str], en: list[str]) -> list[list[object]]:
    from aligner.tokenize import _is_word, en_words, preload, zh_words
    import aligner.tokenize as tok

    preload(zh)
    zh_chars, en_chars = sum(map(len, zh)), sum(map(len, en))
    memo = tok._IS_WORD
    plain = _AlwaysCall(_is_word)

    def zh_with(is_word: dict) -> Callable[[], object]:
        def run() -> None:
            tok._IS_WORD = is_word
            try:
                [zh_words(s) for s in zh]
            finally:
                tok._IS_WORD = memo
        return run

    def en_every_token() -> None:  # en_words without its no-apostrophe shortcut
        for s in en:
            [t for tok_ in tok._EN_TOKEN.findall(s) if (t := tok._POSSESSIVE.sub("", tok_.replace("’", "'")))]

    t_zh, t_zh_plain = alternate(zh_with(memo), zh_with(plain), 3)
    t_en, t_en_plain = alternate(lambda: [en_words(s) for s in en], en_every_token, 9)
    per_char = (t_zh / zh_chars) / (t_en / en_chars)
    return [
        ["Chinese words, Bible (`zh_words`)", f"{t_zh:.2f} s", f"{len(zh) / t_zh:,.0f} sentences/s; {zh_chars:,} characters",
         "`features.PARALLEL_MIN`, `features.BATCH`"],
        ["English words, Bible (`en_words`)", f"{t_en:.3f} s", f"{en_chars:,} characters; a Chinese character costs {per_char:.0f}x an English one",
         "`features.BATCH` (the two ends meet, no fixed split)"],
        ["`zh_words` without the is-word memo", f"{t_zh_plain:.2f} s", f"memo saves {1 - t_zh / t_zh_plain:.0%}", "`tokenize._IsWordMemo`"],
        ["`en_words` with every token through the 's fix", f"{t_en_plain:.3f} s", f"shortcut saves {1 - t_en / t_en_plain:.0%}",
         "`tokenize.en_words` (apostrophe check first)"],
        ["50 Chinese sentences of the Bible", f"{t_zh / len(zh) * 50 * 1000:.1f} ms", "one batch", "`features.BATCH`"],
    ]


class _AlwaysCall(dict):
    """A stand-in for tokenize._IS_WORD that calls the function every time."""

    def __init__(self, fn: Callable[[str], bool]):
        super().__init__()
        self.fn = fn

    def __getitem__(self, token: str) -> bool:
        return self.fn(token)


def fork_round_trip() -> list[list[object]]:
    from aligner.plumbing.fork import run_aside

    t = best_time(lambda: run_aside(lambda: None)(), 21)
    return [["fork, run nothing, result back through the pipe (`run_aside`)", f"{t * 1000:.1f} ms", "best of 21",
             "`features.PARALLEL_MIN`, `SearchConfig.split_rows`"]]


def language_sample(en_text: str) -> list[list[object]]:
    from aligner.readers import langid

    def whole() -> None:
        langid.sample, saved = (lambda text, *args, **kw: text), langid.sample
        try:
            langid.letter_weights(en_text)
        finally:
            langid.sample = saved

    t_whole, t_sampled = alternate(whole, lambda: langid.letter_weights(en_text))
    return [["script count of the Bible's English, every character", f"{t_whole * 1000:.1f} ms", f"{len(en_text):,} characters",
             "`langid.SAMPLE_CHARS`"],
            ["the same on `langid.sample` (SAMPLE_CHARS in SAMPLE_SLICES slices)", f"{t_sampled * 1000:.1f} ms", "", "`langid.SAMPLE_CHARS`"]]


def number_keys(zh: list[str], en: list[str]) -> list[list[object]]:
    from aligner.lexicon.numbers import en_number_keys, zh_number_keys

    t_zh = best_time(lambda: [zh_number_keys(s) for s in zh], 3)
    t_en = best_time(lambda: [en_number_keys(s) for s in en], 3)
    return [["number keys, Bible, Chinese side", f"{t_zh:.3f} s", f"{len(zh):,} sentences", "`lexicon/numbers.py`"],
            ["number keys, Bible, English side", f"{t_en:.3f} s", f"{len(en):,} sentences", "`lexicon/numbers.py`"]]


def names() -> list[list[object]]:
    from aligner.lexicon import match_names

    rng = random.Random(0)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    zh = ["".join(rng.choice(han) for _ in range(rng.randint(2, 3))) for _ in range(1000)]
    letters = "abcdefghijklmnopqrstuvwxyz"
    en = ["".join(rng.choice(letters) for _ in range(rng.randint(4, 9))).capitalize() for _ in range(1000)]
    match_names(zh[:10], [en[:10]])  # the pinyin table loaded
    t = best_time(lambda: match_names(zh, [en]), 3)
    return [["`match_names`, 1,000 random Chinese words x 1,000 capitalised English words", f"{t:.2f} s", "",
             "rapidfuzz `process.cdist` (tests/test_names.py checks the result)"]]


def distinct() -> list[list[object]]:
    import numpy as np

    from aligner.scoring.keys import distinct as sort_distinct

    x = np.random.default_rng(0).integers(0, 10**9, 2_000_000)
    t_sort, t_unique = alternate(lambda: sort_distinct(x), lambda: np.unique(x), 3)
    return [["distinct of 2,000,000 int64: sort-based `distinct`", f"{t_sort * 1000:.0f} ms", f"np.unique {t_unique * 1000:.0f} ms",
             "`scoring/keys.distinct`"]]


def gc_pause(zh: list[str], en: list[str], repeat: int) -> list[list[object]]:
    import contextlib

    from aligner import pipeline
    from aligner.options import AlignOptions

    zs, es = zh * repeat, en * repeat
    options = AlignOptions(parallel=False)
    times = {}
    paused_here = pipeline.gc_paused
    for paused in (True, False, True, False):  # alternating: a slow spell hits both
        gc.collect()
        pipeline.gc_paused = paused_here if paused else contextlib.nullcontext
        try:
            start = time.perf_counter()
            pipeline.align_sentences(zs, es, options)
            times.setdefault(paused, []).append(time.perf_counter() - start)
        finally:
            pipeline.gc_paused = paused_here
    on, off = min(times[False]), min(times[True])
    return [[f"align the Bible x{repeat}, one process, collector on", f"{on:.1f} s", f"paused: {off:.1f} s ({1 - off / on:.0%} less)",
             "`plumbing/process.gc_paused`"]]


def split_dp(zh: list[str], en: list[str]) -> list[list[object]]:
    from aligner.options import AlignOptions, SearchConfig
    from aligner.pipeline import align_sentences

    one_pass = AlignOptions(search=SearchConfig(split_rows=10**9))
    t_split, t_one = alternate(lambda: align_sentences(zh, en), lambda: align_sentences(zh, en, one_pass), 3)
    return [["align the Bible in-process, band solved from both ends (default, two processes)", f"{t_split:.2f} s",
             f"one forward pass: {t_one:.2f} s", "`SearchConfig.split_rows` (the two-ended DP)"]]


def imports() -> list[list[object]]:
    rows = []
    for module, why in (("cn2an", "our own numeral reader (`lexicon/numbers._cn_value`)"),
                        ("pypinyin", "pinyin from CC-CEDICT (`lexicon/names._char_pinyin`)"),
                        ("numba", "no compiled DP (README, Speed)")):
        t = import_time(module)
        rows.append([f"`import {module}` in a fresh interpreter", "not installed" if t is None else f"{t:.2f} s", "", why])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bible", type=Path, default=SHARED / "bible")
    ap.add_argument("--gc-repeat", type=int, default=4, help="Bible copies for the collector row (0: skip it)")
    ap.add_argument("--write", action="store_true", help="record the results in BENCHMARKS.md")
    args = ap.parse_args()
    load_before = os.getloadavg()[0]
    zh = (args.bible / "zh" / "001").read_text(encoding="utf-8").splitlines()
    en = (args.bible / "en" / "001").read_text(encoding="utf-8").splitlines()
    rows = tokenising(zh, en) + fork_round_trip() + language_sample("\n".join(en)) + number_keys(zh, en)
    rows += names() + distinct() + split_dp(zh, en) + imports()
    if args.gc_repeat:
        rows += gc_pause(zh, en, args.gc_repeat)
    table = md_table(["what", "time", "note", "justifies"], rows)
    load = f"Load average (1 min) {load_before:.1f} before and {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs."
    table += "\n\n" + load
    print(table)
    if args.write:
        head = ("Command: `python benchmarks/stages.py --write` (data: `../shared/data/bible`), on this shared 2-core "
                "machine: best of 3 to 21 runs in one process, warm, compared rows run by turns; import times are "
                "fresh interpreters minus an empty one (median of 5). Each row is the measurement behind a "
                "constant or shortcut named in the last column (docs/decisions.md says why).\n\n")
        replace_section("Stage costs", head + table)


if __name__ == "__main__":
    main()
