"""Find small windows of real sentences where one evidence signal decides the alignment.

For each signal S (length, lexicon, numbers, names, punct) and each document (the seed
article, then the MAC-Dev chapters), windows of 2-5 consecutive gold beads (at most
8 sentences a side) are aligned on their own with every signal and with S switched
off. A window is a case for S when the full model reproduces its gold beads and the
model without S does not. Cases are ranked by how many of the weight variants in
`VARIANTS` they also hold under (a fixture should survive a re-fit of the constants),
then seed first, then fewest sentences. The seed
is searched whole; MAC-Dev only around gold beads that the full model gets right on
the whole chapter and the model without S gets wrong, or everywhere with --everywhere
(in a whole chapter a name the pinyin match misses is often learned from the document
instead, so names rarely make a whole-chapter difference).

    python benchmarks/find_signal_cases.py [--data ../shared/data/mac-dev] [--write]

prints the candidates per signal, best first; with --write a few windows that
together cover every signal go to tests/data/signals/*.json (each records which
signals decide it and what the aligner finds without each), which
tests/test_signals.py reads. `learn` needs a whole chapter and is tested there directly.

Measured (weights of 9dc14bb, --everywhere, about 12 minutes on 2 cores): windows decided by
lexicon 341, numbers 13, names 5, punct 31, length 860; none in the seed article, whose
1-1 beads are decided by several signals at once. Fixtures written: mac-dev 002 224-226
(punct, length), 001 43-44 (lexicon). After the re-fit (q 0.6, counted shape prior) the
001 112-115 window (numbers, names) no longer held; a search of numbers and names
--everywhere replaced it by 006 110-112 (numbers, punct) and 005 108-109 (names), both
holding under all weight variants.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from aligner.beads import Bead, format_bead, parse_bead
from aligner.evaluate import read_alignment
from aligner.options import AlignOptions, Weights
from aligner.pipeline import align_sentences

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SEED = ROOT / "tests" / "data" / "harbin.gold.tsv"
OUT = ROOT / "tests" / "data" / "signals"

SIGNALS = ["lexicon", "numbers", "names", "punct", "length"]
MAX_BEADS = 5
MAX_SENTENCES = 8
# The fitted length and lexical weights moved by a fifth / a quarter: how many of these a case
# also holds under ranks it (the weights are re-fitted as the model changes).
_W = Weights()
VARIANTS = [_W] + [replace(_W, **{name: getattr(_W, name) * f}) for name in ("length", "lexical") for f in (0.8, 1.25)]

Doc = tuple[str, list[str], list[str], list[Bead]]


def load_seed(path: Path = SEED) -> Doc:
    """The seed article as sentences: one Chinese sentence a gold line, its English split
    by the English segmenter (18 beads, 19 English sentences)."""
    from aligner.segment import get_segmenter

    seg = get_segmenter("en")
    zh: list[str] = []
    en: list[str] = []
    gold: list[Bead] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        z, e = line.split("\t")
        es = seg.split(e)
        gold.append(((len(zh),), tuple(range(len(en), len(en) + len(es)))))
        zh.append(z)
        en += es
    return "seed", zh, en, gold


def load_chapter(data: Path, chapter: str) -> Doc:
    zh = (data / "zh" / chapter).read_text(encoding="utf-8").splitlines()
    en = (data / "en" / chapter).read_text(encoding="utf-8").splitlines()
    return f"mac-dev {chapter}", zh, en, read_alignment(data / "gold" / f"{chapter}.align")


def window(doc: Doc, a: int, b: int) -> tuple[list[str], list[str], list[Bead]] | None:
    """Gold beads a..b-1 of `doc` as their own small document (indices from 0), or None
    when a side is empty or longer than MAX_SENTENCES."""
    _, zh, en, gold = doc
    beads = gold[a:b]
    zs = [i for s, _ in beads for i in s]
    es = [j for _, t in beads for j in t]
    if not zs or not es or len(zs) > MAX_SENTENCES or len(es) > MAX_SENTENCES:
        return None
    z0, e0 = zs[0], es[0]
    local = [(tuple(i - z0 for i in s), tuple(j - e0 for j in t)) for s, t in beads]
    return zh[z0 : zs[-1] + 1], en[e0 : es[-1] + 1], local


def without_signal(signal: str, zh: list[str], en: list[str], gold: list[Bead], weights: Weights = _W) -> list[Bead] | None:
    """The beads found without `signal` when the signal decides this window: with it
    the aligner finds the gold beads, without it something else; else None."""
    options = AlignOptions(weights=weights)
    if align_sentences(zh, en, options).beads != gold:
        return None
    off = align_sentences(zh, en, replace(options, **{signal: False})).beads
    return None if off == gold else off


def robustness(signal: str, zh: list[str], en: list[str], gold: list[Bead]) -> int:
    """Of the weight variants, how many the case still holds under."""
    return sum(without_signal(signal, zh, en, gold, w) is not None for w in VARIANTS[1:])


def differing_beads(doc: Doc, signal: str) -> list[int]:
    """Indices of gold beads the full model finds on the whole document and the model without `signal` misses."""
    _, zh, en, gold = doc
    full = set(align_sentences(zh, en).beads)
    off = set(align_sentences(zh, en, replace(AlignOptions(), **{signal: False})).beads)
    return [k for k, g in enumerate(gold) if g in full and g not in off]


def candidates(doc: Doc, signal: str, around: list[int] | None) -> list[dict]:
    """Windows of `doc` that `signal` decides; all windows when `around` is None."""
    gold = doc[3]
    spans = set()
    for size in range(2, MAX_BEADS + 1):
        starts = range(len(gold) - size + 1) if around is None else {
            a for k in around for a in range(k - size + 1, k + 1) if 0 <= a <= len(gold) - size}
        spans |= {(a, a + size) for a in starts}
    found = []
    for a, b in sorted(spans, key=lambda s: (s[1] - s[0], s[0])):
        w = window(doc, a, b)
        if w is None:
            continue
        zh, en, local = w
        without = without_signal(signal, zh, en, local)
        if without is not None:
            found.append({
                "source": doc[0], "gold_beads": [a, b - 1],
                "zh": zh, "en": en, "gold": [format_bead(g) for g in local],
                "without": [format_bead(g) for g in without],
                "robust": robustness(signal, zh, en, local),
            })
    return found


def rank(case: dict) -> tuple:
    return (-case["robust"], case["source"] != "seed", len(case["zh"]) + len(case["en"]), case["source"], case["gold_beads"])


def choose(found: dict[str, list[dict]]) -> list[dict]:
    """Few windows that cover every signal: a window already chosen serves another signal
    it decides when it is nearly as robust there as that signal's best window (less
    copyrighted text in the fixtures)."""
    chosen: list[dict] = []
    for signal in sorted(found, key=lambda s: len(found[s])):
        if not found[signal]:
            continue
        best = found[signal][0]
        same = {(c["source"], tuple(c["gold_beads"])): c for c in found[signal]}
        reuse = [same[k] for k in ((c["source"], tuple(c["gold_beads"])) for c in chosen) if k in same]
        reuse = [c for c in reuse if c["robust"] >= best["robust"] - 1]
        if not reuse:
            chosen.append({k: best[k] for k in ("source", "gold_beads", "zh", "en", "gold")})
    for case in chosen:
        zh, en, gold = case["zh"], case["en"], [parse_bead(g) for g in case["gold"]]
        case["signals"] = {}
        for signal in SIGNALS:
            without = without_signal(signal, zh, en, gold)
            if without is not None:
                case["signals"][signal] = {"without": [format_bead(g) for g in without],
                                           "robust": robustness(signal, zh, en, gold)}
    return chosen


def fixture_name(case: dict) -> str:
    a, b = case["gold_beads"]
    return f"{case['source'].replace(' ', '-')}-{a}-{b}.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=SHARED / "mac-dev")
    ap.add_argument("--signals", default=",".join(SIGNALS))
    ap.add_argument("--everywhere", action="store_true",
                    help="search every MAC-Dev window, not only around whole-chapter differences (slow)")
    ap.add_argument("--write", action="store_true", help="write windows covering the signals to tests/data/signals/")
    args = ap.parse_args()
    chapters = sorted(p.name for p in (args.data / "zh").iterdir()) if (args.data / "zh").is_dir() else []
    docs = [load_seed()] + [load_chapter(args.data, c) for c in chapters]
    found: dict[str, list[dict]] = {}
    for signal in args.signals.split(","):
        cases = candidates(docs[0], signal, None)
        for doc in docs[1:]:
            cases += candidates(doc, signal, None if args.everywhere else differing_beads(doc, signal))
        found[signal] = sorted(cases, key=rank)
        print(f"## {signal}: {len(cases)} windows", flush=True)
        for c in found[signal][:8]:
            print(f"  {c['source']}, gold beads {c['gold_beads'][0]}-{c['gold_beads'][1]}: {len(c['zh'])} zh / "
                  f"{len(c['en'])} en, robust {c['robust']}/{len(VARIANTS) - 1}, "
                  f"gold {' '.join(c['gold'])}  without {' '.join(c['without'])}", flush=True)
    if args.write:
        OUT.mkdir(parents=True, exist_ok=True)
        for old in OUT.glob("*.json"):
            old.unlink()
        for case in choose(found):
            path = OUT / fixture_name(case)
            path.write_text(json.dumps(case, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}: {', '.join(case['signals'])}")


if __name__ == "__main__":
    main()
