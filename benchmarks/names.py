#!/usr/bin/env python3
"""How often a name matched by pinyin is right, by the fuzzy-ratio threshold (`lexicon/names.py`).

    python benchmarks/names.py [--mac ../shared/data/mac-dev] [--write]

For each MAC-Dev chapter, the names `match_names` finds as the pipeline asks for them
(dictionary headwords left out); a match (Chinese word, English key) is right when some
gold bead holds the word on its Chinese side and the key on its English side. Precision
is the share of matches that are right; "right matches" counts them (recall has no gold).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SHARED, md_table, replace_section  # noqa: E402

from aligner.evaluate import read_alignment  # noqa: E402
from aligner.features import build_side  # noqa: E402
from aligner.lexicon import en_key, load_lexicon, match_names  # noqa: E402
from aligner.lexicon.names import DEFAULT_THRESHOLD  # noqa: E402

THRESHOLDS = [70.0, 75.0, 80.0, 85.0, 90.0, 95.0]


def chapter_matches(mac: Path, chapter: str, thresholds: list[float]) -> dict[float, tuple[int, int]]:
    """threshold -> (matches, right matches) in one chapter."""
    zh = (mac / "zh" / chapter).read_text(encoding="utf-8").splitlines()
    en = (mac / "en" / chapter).read_text(encoding="utf-8").splitlines()
    zs, es = build_side("zh", zh), build_side("en", en)
    together = set()  # (Chinese word, English key) in one gold bead
    for src, tgt in read_alignment(mac / "gold" / f"{chapter}.align"):
        keys = {k for t in tgt for w in es.words[t] if (k := en_key(w))}
        together |= {(u, k) for s in src for u in zs.words[s] for k in keys}
    dictionary = load_lexicon()
    words = [u for t in zs.words for u in t]
    known = {u for u in set(words) if u in dictionary}
    out = {}
    for threshold in thresholds:
        found = match_names(words, es.words, threshold=threshold, known=known)
        pairs = [(u, k) for u, ks in found.items() for k in ks]
        out[threshold] = (len(pairs), sum(p in together for p in pairs))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mac", type=Path, default=SHARED / "mac-dev")
    ap.add_argument("--write", action="store_true", help="record the results in BENCHMARKS.md")
    args = ap.parse_args()
    totals = {t: [0, 0] for t in THRESHOLDS}
    for chapter in ("001", "002", "003", "004", "005", "006"):
        for t, (n, right) in chapter_matches(args.mac, chapter, THRESHOLDS).items():
            totals[t][0] += n
            totals[t][1] += right
    rows = [[f"{t:g}" + (" (default)" if t == DEFAULT_THRESHOLD else ""), n, right, right / max(n, 1)]
            for t, (n, right) in totals.items()]
    table = md_table(["ratio threshold", "matches", "right matches", "precision"], rows)
    print(table)
    if args.write:
        head = ("Command: `python benchmarks/names.py --write` (data: `../shared/data/mac-dev`, all six chapters, "
                "presplit). A match (Chinese word, English key) is right when a gold bead holds both.\n\n")
        replace_section("Names by pinyin", head + table)


if __name__ == "__main__":
    main()
