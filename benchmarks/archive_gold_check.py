"""Check the hand-made gold alignments of archive articles against the articles themselves.

Usage:
    python benchmarks/archive_gold_check.py [GOLD.tsv ...] [--archive ../shared/data/archive]

With no GOLD file, checks every `benchmarks/archive-gold/YYYY-MM-DD_N.tsv`; the article of `STEM.tsv`
is `ARCHIVE/STEM.md`. Exit status 0 when every file passes, 1 otherwise (one line a problem).

What it checks, independently of how any segmenter splits sentences:
- the form: one bead a line, exactly one TAB, no side-less line, no blank line, no
  whitespace at either end of a side;
- coverage and order: the Chinese sides, read in order, are exactly the Chinese body
  (after the `### ` line and its header block), every character once; the English sides
  are exactly the English body (after the `Title:`/`Author:`/... header, before `<hr />`,
  without a machine-added `**Named Entities**`-style block), every character once;
- exact text: whitespace inside a line is kept as in the file; only indentation, line
  breaks, and the space between two sentences may be dropped (Chinese) or become one
  space (English, inside a many-to-one bead);
- boundaries: every bead side ends at the end of a line or after a sentence end
  (。！？ / . ! ?, with any closing quote or bracket), so no bead cuts a sentence; the
  exceptions are the OCR fusions undone by hand (a headline glued to the first sentence
  where the OCR lost a line break), listed in `archive-gold/ocr-splits.txt` as
  `STEM<TAB>text that ends right before the lost line break`.
It does not judge the pairing: that is done by reading.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, SHARED  # noqa: E402

GOLD_DIR = ROOT / "benchmarks" / "archive-gold"
OCR_SPLITS = GOLD_DIR / "ocr-splits.txt"
HEADER = re.compile(r"^(Title|Author|Date|Page|Edition|Column)\s*:")
# A bold line that opens a block the model added (a glossary, notes, commentary).
ADDED_BLOCK = re.compile(r"^\*\*\s*(Named Entities|Notes?|Glossary|Commentary|Translator'?s? [Nn]otes?)\s*:?\s*\*\*")
CLOSERS = "”’\"'」』）)》〉]"
ZH_END = re.compile(rf"[。！？!?][{re.escape(CLOSERS)}]*$")
EN_END = re.compile(rf"[.!?。！？][{re.escape(CLOSERS)}]*$")


def gold_files(folder: Path = GOLD_DIR) -> list[Path]:
    """The article gold files of `folder` (`YYYY-MM-DD_N.tsv`), not its other tables (stops.tsv)."""
    return sorted(p for p in folder.glob("*.tsv") if re.fullmatch(r"\d{4}-\d{2}-\d{2}_\d+", p.stem))


def strip_emphasis(line: str) -> str:
    """The line without markdown emphasis markers (`**bold**`, `*italic*`)."""
    line = line.replace("**", "")
    return re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", line)


def article_bodies(text: str) -> tuple[list[str], list[str]]:
    """The Chinese and English body lines of an archive article, stripped, blank lines dropped."""
    if "<hr />" not in text or "Original:" not in text:
        raise ValueError("not an archive article: no '<hr />' or 'Original:'")
    english, chinese = text.split("<hr />", 1)
    chinese = chinese.split("Original:", 1)[1]
    en_lines = english.splitlines()
    while en_lines and (not en_lines[0].strip() or HEADER.match(en_lines[0])):
        en_lines.pop(0)
    en: list[str] = []
    for line in en_lines:
        if ADDED_BLOCK.match(line.strip()):
            break
        en.append(strip_emphasis(line).strip())
    zh_lines = chinese.splitlines()
    while zh_lines and (not zh_lines[0].strip() or zh_lines[0].strip() == "Original:"):
        zh_lines.pop(0)  # blank lines, and a repeated 'Original:' (the seed article has two)
    if zh_lines and zh_lines[0].startswith("### "):
        # The header block: `### title`, author (may be empty), date, `第N版(...)`, `专栏：...`.
        column = next((i for i, line in enumerate(zh_lines[:6]) if line.startswith("专栏")), None)
        if column is not None:
            del zh_lines[:column + 1]
        else:
            while zh_lines and zh_lines[0].strip():
                zh_lines.pop(0)
    zh = [strip_emphasis(line).strip() for line in zh_lines]
    return [line for line in zh if line], [line for line in en if line]


def ocr_splits(path: Path = OCR_SPLITS) -> dict[str, set[str]]:
    """Per article stem, the texts after which a bead side may end inside a line (OCR fusions)."""
    out: dict[str, set[str]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                stem, text = line.split("\t", 1)
                out.setdefault(stem, set()).add(text)
    return out


def _match(side: str, lines: list[str], sides: list[str], splits: set[str] = frozenset()) -> list[str]:
    """Problems found matching the bead sides of one language against its body lines;
    a side may end inside a line after one of the `splits` texts."""
    end_re = ZH_END if side == "zh" else EN_END
    body = "\n".join(lines)
    pos, problems, used = 0, [], set()
    for number, text in sides:
        if not text:
            continue
        while pos < len(body) and body[pos].isspace():
            pos += 1
        i = 0
        while i < len(text):
            if pos < len(body) and body[pos] == text[i] and not body[pos].isspace():
                pos, i = pos + 1, i + 1
                continue
            if pos < len(body) and body[pos].isspace():
                run_end = pos
                while run_end < len(body) and body[run_end].isspace():
                    run_end += 1
                run = body[pos:run_end]
                at_break = "\n" in run or bool(end_re.search(body[:pos]))
                if text.startswith(run, i) and "\n" not in run:
                    pos, i = run_end, i + len(run)  # whitespace kept as in the file
                    continue
                if at_break and side == "en" and text[i] == " ":
                    pos, i = run_end, i + 1  # sentences or wrapped lines joined by one space
                    continue
                if at_break and side == "zh" and not text[i].isspace():
                    pos = run_end  # sentences or wrapped lines joined without a separator
                    continue
            got = body[pos:pos + 20].replace("\n", "⏎")
            problems.append(f"line {number}: {side} text differs from the file at {text[i:i + 20]!r}"
                            f" (file has {got!r})")
            return problems
        rest = body[pos:]
        if any(text.endswith(split) for split in splits):
            used.add(next(split for split in splits if text.endswith(split)))
        elif rest and not rest[0].isspace() and not end_re.search(text):
            problems.append(f"line {number}: {side} side ends inside a sentence: ...{text[-20:]!r}")
        elif rest and rest[0] in " \t\u3000" and not end_re.search(text) and not rest.lstrip(" \t\u3000").startswith("\n"):
            problems.append(f"line {number}: {side} side ends inside a line, not after a sentence end: ...{text[-20:]!r}")
    leftover = body[pos:].strip()
    if leftover:
        problems.append(f"{side} body not in the gold from {leftover[:30]!r}")
    problems += [f"{OCR_SPLITS.name}: {split!r} ends no {side} bead side" for split in splits - used
                 if split in body]
    return problems


def check(gold: Path, article: Path, splits: set[str] | None = None) -> list[str]:
    """Every problem of one gold file, as lines `GOLD: problem` (empty when it passes).
    `splits`: the OCR fusions undone in it (default: its stem's in ocr-splits.txt)."""
    problems: list[str] = []
    rows = gold.read_text(encoding="utf-8").split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    zh_sides, en_sides = [], []
    for number, row in enumerate(rows, 1):
        if row.count("\t") != 1:
            problems.append(f"line {number}: {row.count(chr(9))} tabs, not 1")
            continue
        zh, en = row.split("\t")
        if not zh and not en:
            problems.append(f"line {number}: both sides empty")
        for name, text in (("zh", zh), ("en", en)):
            if text != text.strip():
                problems.append(f"line {number}: whitespace at an end of the {name} side")
        zh_sides.append((number, zh))
        en_sides.append((number, en))
    zh_body, en_body = article_bodies(article.read_text(encoding="utf-8-sig"))
    if splits is None:
        splits = ocr_splits().get(gold.stem, set())
    problems += _match("zh", zh_body, zh_sides, splits)
    problems += _match("en", en_body, en_sides, splits)
    return [f"{gold}: {p}" for p in problems]


def counts(gold: Path) -> str:
    """A one-line description of a gold file: beads, two-sided units, one-sided rows."""
    rows = [r.split("\t") for r in gold.read_text(encoding="utf-8").splitlines()]
    units = sum(1 for zh, en in rows if zh and en)
    return (f"{len(rows)} beads: {units} units, {sum(1 for zh, en in rows if not en)} Chinese only, "
            f"{sum(1 for zh, en in rows if not zh)} English only")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="*", type=Path, help="gold TSV files (default: benchmarks/archive-gold/*.tsv)")
    parser.add_argument("--archive", type=Path, default=SHARED / "archive", help="folder of the articles (STEM.md)")
    args = parser.parse_args(argv)
    golds = args.gold or gold_files()
    failed = 0
    for gold in golds:
        article = args.archive / (gold.stem + ".md")
        if not article.exists():
            print(f"{gold}: no article {article}", file=sys.stderr)
            failed += 1
            continue
        problems = check(gold, article)
        for problem in problems:
            print(problem, file=sys.stderr)
        failed += bool(problems)
        print(f"{gold.name}: {'FAIL' if problems else 'ok'}, {counts(gold)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
