#!/usr/bin/env python3
"""Article-sized bilingual documents cut from MAC-Dev's gold beads, in the example's layout.

    python benchmarks/make_articles.py OUTDIR [--count 2000] [--seed 1] [--mac ../shared/data/mac-dev]

Each article is a run of 8-24 consecutive gold beads of one chapter, cut into paragraphs
of 2-5 beads, written as data/examples/rmrb-1954-11-23-harbin.txt is: an English header
(Title, Author, Date, Page) and indented body, `<hr />`, `Original:`, a Chinese header
(### title, author, date, 第N版(), 专栏：) and indented body. One article in eight loses
one English paragraph (not the first), as an unchecked machine translation sometimes does.
Runs start at random beads, so 2,000 articles reuse MAC-Dev's 1,343 beads many times
over with different cuts. Files are named 0000/00000.txt ... (100 a folder, as an
archive is), and a `manifest.tsv` lists each article's chapter, beads and dropped
paragraph. MAC-Dev is copyrighted: the articles are written to OUTDIR, never committed.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import SHARED  # noqa: E402

from aligner.beads import Bead  # noqa: E402
from aligner.evaluate import read_alignment  # noqa: E402

MIN_BEADS, MAX_BEADS = 8, 24
MIN_PARAGRAPH, MAX_PARAGRAPH = 2, 5
DROP_EVERY = 8  # one article in DROP_EVERY loses an English paragraph
PER_FOLDER = 100


def read_chapters(mac: Path) -> list[tuple[str, list[str], list[str], list[Bead]]]:
    """(chapter, Chinese sentences, English sentences, gold beads) of each MAC-Dev chapter."""
    chapters = []
    for gold in sorted((mac / "gold").glob("*.align")):
        name = gold.stem
        zh = (mac / "zh" / name).read_text(encoding="utf-8").splitlines()
        en = (mac / "en" / name).read_text(encoding="utf-8").splitlines()
        chapters.append((name, zh, en, read_alignment(str(gold))))
    return chapters


def paragraphs_of(rng: random.Random, count: int) -> list[int]:
    """Sizes (in beads) of consecutive paragraphs covering `count` beads, each 2-5."""
    sizes = []
    left = count
    while left:
        size = rng.randint(MIN_PARAGRAPH, MAX_PARAGRAPH)
        if left - size < MIN_PARAGRAPH:  # never leave a remainder too small for a paragraph
            size = left if left <= MAX_PARAGRAPH else left - MIN_PARAGRAPH
        sizes.append(size)
        left -= size
    return sizes


def article_text(number: int, chapter: str, start: int, zh_pars: list[str], en_pars: list[str]) -> str:
    """One article in the example's layout."""
    date = f"19{50 + number % 40:02d}-{1 + number % 12:02d}-{1 + number % 28:02d}"
    page = 1 + number % 8
    en_title = en_pars[0].split(". ")[0][:80]
    zh_title = zh_pars[0].split("。")[0][:30]
    lines = [
        f"Title: {en_title}",
        f"Author: MAC-Dev chapter {chapter}",
        f"Date: {date}",
        f"Page: {page}",
        "",
    ]
    for paragraph in en_pars:
        lines += [f"    {paragraph}", ""]
    lines += ["", "<hr /> ", "", "Original: ", "", "", f"### {zh_title}", f"第{chapter}章", date, f"第{page}版()", "专栏：", ""]
    lines += [f"    {paragraph}" for paragraph in zh_pars]
    return "\n".join(lines) + "\n"


def make_articles(mac: Path, outdir: Path, count: int, seed: int) -> list[Path]:
    """Write `count` articles under `outdir`; returns their paths in name order."""
    rng = random.Random(seed)
    chapters = read_chapters(mac)
    outdir.mkdir(parents=True, exist_ok=True)
    manifest = ["article\tchapter\tfirst_bead\tbeads\tparagraphs\tdropped_en_paragraph"]
    paths = []
    for number in range(count):
        chapter, zh, en, beads = rng.choice(chapters)
        size = rng.randint(MIN_BEADS, MAX_BEADS)
        start = rng.randrange(0, len(beads) - size)
        run = beads[start:start + size]
        zh_pars, en_pars, k = [], [], 0
        for n in paragraphs_of(rng, size):
            group = run[k:k + n]
            k += n
            zh_pars.append("".join(zh[i].strip() for b in group for i in b[0]))
            en_pars.append(" ".join(en[j].strip() for b in group for j in b[1]))
        dropped = ""
        if number % DROP_EVERY == DROP_EVERY - 1 and len(en_pars) > 2:
            d = rng.randrange(1, len(en_pars))
            del en_pars[d]
            dropped = str(d)
        zh_pars = [p for p in zh_pars if p]
        en_pars = [p for p in en_pars if p]
        name = f"{number // PER_FOLDER:04d}/{number:05d}.txt"
        path = outdir / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(article_text(number, chapter, start, zh_pars, en_pars), encoding="utf-8")
        manifest.append(f"{name}\t{chapter}\t{start}\t{size}\t{len(zh_pars)}\t{dropped}")
        paths.append(path)
    (outdir / "manifest.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mac", type=Path, default=SHARED / "mac-dev")
    args = ap.parse_args()
    paths = make_articles(args.mac, args.outdir, args.count, args.seed)
    print(f"{len(paths)} articles in {args.outdir}")


if __name__ == "__main__":
    main()
