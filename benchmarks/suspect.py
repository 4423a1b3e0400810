#!/usr/bin/env python3
"""The evidence behind the `suspect` status (aligner/status.py) on MAC-Dev pieces: true pairs,
translations cut short, and mismatched pairs.

    python benchmarks/suspect.py [--count 120] [--seed 7] [--mac ../shared/data/mac-dev] [--write]

MAC-Dev chapters are cut into article-sized documents (benchmarks/make_articles.py); each is
aligned as it is (true), with its English cut after half its sentences (a translation that
stops early: it should be `partial`, not `suspect`), and with the English of another piece
that shares no bead with it (mismatched: it should be `suspect`). Prints, and with --write
records in BENCHMARKS.md, the share of each kind marked suspect and the range of the
evidence figure, beside the threshold (`SUSPECT_BELOW`). The archive's own true and
mismatched pairs are benchmarks/archive.py's. MAC-Dev is literary text, freer than the
archive's news, and one novel's pieces share their names: it is the harder case.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SHARED, replace_section  # noqa: E402
from benchmarks.make_articles import make_articles  # noqa: E402

from aligner.document import Text  # noqa: E402
from aligner.options import AlignOptions  # noqa: E402
from aligner.pipeline import align_texts  # noqa: E402
from aligner.readers.load import load_article  # noqa: E402
from aligner.status import SUSPECT_BELOW  # noqa: E402


def first_half(en: Text) -> Text:
    """The English cut after half its sentences."""
    sentences = en.sentences
    return Text(en.lang, [sentences[:max(1, len(sentences) // 2)]], en.path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mac", type=Path, default=SHARED / "mac-dev")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    options = AlignOptions(parallel=False)
    results: dict[str, list[tuple[str, float]]] = {"true": [], "cut": [], "mismatched": []}
    with tempfile.TemporaryDirectory() as tmp:
        make_articles(args.mac, Path(tmp), args.count, args.seed)
        rows = list(csv.DictReader(open(Path(tmp) / "manifest.tsv", encoding="utf-8"), delimiter="\t"))
        span = {r["article"]: (r["chapter"], int(r["first_bead"]), int(r["first_bead"]) + int(r["beads"])) for r in rows}
        texts = {r["article"]: load_article(str(Path(tmp) / r["article"]))[:2] for r in rows}
        rng = random.Random(args.seed)
        names = list(texts)
        for a in names:
            zh, en = texts[a]
            for kind, english in (("true", en), ("cut", first_half(en))):
                status = align_texts(zh, english, options).status
                results[kind].append((status.status, status.evidence))
            while True:  # another piece sharing no bead with this one
                b = rng.choice(names)
                (ca, s1, e1), (cb, s2, e2) = span[a], span[b]
                if ca != cb or e1 <= s2 or e2 <= s1:
                    break
            status = align_texts(zh, texts[b][1], options).status
            results["mismatched"].append((status.status, status.evidence))

    lines = [f"MAC-Dev pieces (`benchmarks/make_articles.py`, {args.count} pieces, seed {args.seed}); "
             f"suspect below an evidence of {SUSPECT_BELOW:g}.", "",
             "| pairs | suspect | partial | evidence: lowest | highest |", "|---|---|---|---|---|"]
    for kind, label in (("true", "true pieces"), ("cut", "English cut after half its sentences"),
                        ("mismatched", "mismatched (another piece's English)")):
        found = results[kind]
        values = sorted(e for _, e in found if e == e)
        suspect = sum(s == "suspect" for s, _ in found)
        partial = sum(s == "partial" for s, _ in found)
        lines.append(f"| {label} | {suspect}/{len(found)} ({suspect / len(found):.1%}) | {partial}/{len(found)} | "
                     f"{values[0]:.3f} | {values[-1]:.3f} |")
    body = "\n".join(lines) + "\n\nReproduce: `python benchmarks/suspect.py --write`."
    print(body)
    if args.write:
        replace_section("Document status: suspect on MAC-Dev pieces", body)


if __name__ == "__main__":
    main()
