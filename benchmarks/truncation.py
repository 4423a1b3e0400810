#!/usr/bin/env python3
"""Translations that stop early: MAC-Dev with its English cut short.

    python benchmarks/truncation.py [--data ../shared/data/mac-dev] [--write]

The archive's translations often stop before the end of the article (a law translated to
article 35 of 66). Each MAC-Dev chapter is aligned, as one paragraph a side (presplit),
with its English cut after 50%, 70% and 90% of its sentences, and whole. The cut is at a
sentence end; the archive's model usually stops mid-sentence, which `notes` recognises
(a stray last pair is left unpaired), so this is the harder case.

Scored on the pairs (two-sided beads): the gold pairs are the gold's two-sided beads whose
English all comes before the cut. Reported per cut, pooled over the chapters: strict pair
precision, recall and F1; pairs past the cut (a predicted pair whose Chinese starts more
than two sentences after the last Chinese sentence of a gold pair: an English sentence
pulled onto the untranslated end, which no reviewer expects there); and the documents'
status (`partial` expected for every cut, `ok` whole).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.accuracy import CHAPTERS, load  # noqa: E402
from benchmarks.common import SHARED, md_table, replace_section  # noqa: E402

from aligner.document import Text  # noqa: E402
from aligner.options import AlignOptions  # noqa: E402
from aligner.pipeline import align_texts  # noqa: E402

CUTS = [0.5, 0.7, 0.9, 1.0]
#: how far past the last translated Chinese sentence a pair may start and still be taken
#: for a boundary near-miss rather than a sentence pulled onto the untranslated end
SLACK = 2


def job(args: tuple[Path, str, float]) -> tuple[float, int, int, int, int, str]:
    """(cut, predicted pairs, right pairs, gold pairs, pairs past the cut, status) of one chapter and cut."""
    data, chapter, cut = args
    zh, en, gold = load(data, chapter)
    kept = int(len(en) * cut)
    gold_pairs = {(tuple(a), tuple(b)) for a, b in gold if a and b and max(b) < kept}
    last = max(max(a) for a, _ in gold_pairs)
    doc = align_texts(Text("zh", [zh]), Text("en", [en[:kept]]), AlignOptions(parallel=False))
    pairs = {(tuple(a), tuple(b)) for a, b in doc.beads if a and b}
    past = sum(1 for a, _ in pairs if min(a) > last + SLACK)
    return cut, len(pairs), len(pairs & gold_pairs), len(gold_pairs), past, doc.status.status if doc.status else "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=SHARED / "mac-dev")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(job, [(args.data, c, f) for f in CUTS for c in CHAPTERS]))
    rows = []
    for f in CUTS:
        mine = [r for r in results if r[0] == f]
        pred, right, gold, past = (sum(r[k] for r in mine) for k in (1, 2, 3, 4))
        p, r = right / pred, right / gold
        statuses = Counter(r[5] for r in mine)
        rows.append([f"{f:.0%}" if f < 1 else "whole", f"{p:.3f}", f"{r:.3f}", f"{2 * p * r / (p + r):.3f}", past,
                     ", ".join(f"{s} {n}" for s, n in sorted(statuses.items()))])
    body = ("Command: `python benchmarks/truncation.py --write`. The six MAC-Dev chapters, presplit as one "
            "paragraph a side, with the English cut after a share of its sentences (at a sentence end); pairs "
            "scored against the gold's pairs before the cut. 'Past the cut': pairs whose Chinese starts more "
            f"than {SLACK} sentences after the last translated one.\n\n"
            + md_table(["English kept", "pair P", "pair R", "pair F1", "pairs past the cut", "status (6 chapters)"], rows))
    print(body)
    if args.write:
        replace_section("Translations that stop early (MAC-Dev cut short)", body)


if __name__ == "__main__":
    main()
