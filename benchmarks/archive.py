#!/usr/bin/env python3
"""The archive dev sample (issue 20): units against a gold made by reading, junk units,
English that keeps Chinese, and the document status of true and mismatched pairs.

    python benchmarks/archive.py [--archive ../shared/data/archive] [--gold benchmarks/archive-gold]
                                 [--shifts 3] [--jobs 2] [--write]

Runs the CLI as a user does (`python -m aligner align ARTICLE -o OUT.jsonl --summary
OUT.tsv`, one process per document) on every article of the archive folder, and on
mismatched pairs made from them; prints, and with --write records in BENCHMARKS.md:

- For each article with a gold file (`GOLD/STEM.tsv` for `ARCHIVE/STEM.md`; the form of
  `../shared/data/seed/gold.tsv`, conventions in `benchmarks/archive-gold/README.md`), its
  units (two-sided pairs) scored against the gold's two-sided beads. **Strict**: a unit is a
  hit when its Chinese and its English are those of a gold bead, both compared after
  normalisation (`normalise`: NFKC, then every whitespace character removed; nothing else,
  so a unit with one sentence more or less, or one character changed, is a miss). Gold and
  units are compared as multisets (a bead that occurs twice, as a refrain does, counts
  twice). P = hits / units, R = hits / gold units, F1, per article and pooled (summed
  counts). **Lax** (after Sennrich & Volk 2010): each text is placed in its article's body
  (the gold's sides read in order); a unit is a lax hit when some gold unit overlaps it on
  both sides, and a gold unit is found when some unit overlaps it on both sides.
- **Junk units**: units whose Chinese or English holds a line of the article that is not
  body text: a header line (`Title:`, `Edition: 4`, `第4版()`, `专栏：…`, the date) or a
  line of a machine-added block (`**Named Entities**` and its glossary lines). Those lines
  are the article's lines whose text is not in the gold's body (a header line that only
  repeats a body line, such as the `### ` title, cannot be told apart and is not counted).
  Units whose text cannot be found in the body at all are counted apart ("off-body").
- **English keeping CJK text**: units whose English holds Han (or kana, Hangul) characters,
  and how many of them carry a row note (`note` in the JSONL) flagging them.
- **Status** (`--summary`): of the true pairs (every article of the folder), the share
  marked `suspect` (target <= 1%); of mismatched pairs (each article's English followed by
  the Chinese of the article SHIFT places on in sorted order, for SHIFT = 1..--shifts,
  written in the archive layout to a temporary folder), the share marked `suspect` (target
  >= 98%); of the articles whose English drops a fifth or more of the Chinese, the share
  marked `partial`. What an English drops is measured on the gold (its Chinese-only beads,
  less those that repeat a line of the Chinese header, which the English renders in its own
  header) or, for an article without gold, from `GOLD/stops.tsv` (where, found by reading,
  its English stops). Until the aligner has the statuses `partial` and `suspect` (its
  `align --help` names neither and no run gives one), these shares print as not available.
  `--misses` also prints, per article, the units and gold units that did not match.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.archive_gold_check import article_bodies, strip_emphasis  # noqa: E402
from benchmarks.common import ROOT, SHARED, md_table, replace_section  # noqa: E402

GOLD_DIR = ROOT / "benchmarks" / "archive-gold"
STATUSES = ("ok", "partial", "suspect", "failed")
NOTE_FIELDS = ("note", "notes")  # the JSONL field of a row's machine note (issue 20)
DROP_SHARE = 0.2  # "drops a fifth or more of the Chinese" (issue 20's target for `partial`)
CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f]")
ENGLISH_HEADER = re.compile(r"^(Title|Author|Date|Page|Edition|Column)\s*:")

Span = tuple[int, int]


def normalise(text: str) -> str:
    """The form in which unit and gold texts are compared: NFKC (full-width digits and
    punctuation become ASCII), then every whitespace character removed (indentation, the
    separator between a bead's sentences, a line wrap)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def read_gold(path: Path) -> list[tuple[str, str]]:
    """Beads of a gold TSV: (Chinese, English) a line, either side possibly empty."""
    beads = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line:
            continue
        if line.count("\t") != 1:
            raise ValueError(f"{path}: line {number}: not 'Chinese<TAB>English'")
        zh, en = line.split("\t")
        beads.append((zh, en))
    return beads


@dataclass
class Row:
    """One row of the aligner's JSONL: its texts and its machine note (empty without one)."""

    zh: str
    en: str
    note: str = ""

    @property
    def unit(self) -> bool:
        return bool(self.zh.strip() and self.en.strip())


def read_rows(path: Path) -> list[Row]:
    """Rows of an `aligner align -o X.jsonl` output, in order."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            note = next((obj[k] for k in NOTE_FIELDS if obj.get(k)), "")
            rows.append(Row(obj.get("src", ""), obj.get("tgt", ""), note if isinstance(note, str) else json.dumps(note)))
    return rows


def locate(texts: list[str], body: str) -> list[Span | None]:
    """Where each text (normalised) stands in `body` (normalised), searched in order from
    the end of the previous one, then from the start; None when it is not there."""
    spans: list[Span | None] = []
    cursor = 0
    for text in texts:
        t = normalise(text)
        if not t:
            spans.append(None)
            continue
        at = body.find(t, cursor)
        if at < 0:
            at = body.find(t)
        if at < 0:
            spans.append(None)
            continue
        spans.append((at, at + len(t)))
        cursor = at + len(t)
    return spans


def _overlap(a: Span | None, b: Span | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


ORIGINAL = re.compile(r"^<hr />[ \t]*\n(?:[ \t]*\n)*Original:", re.M)


def split_article(article: str) -> tuple[str, str]:
    """The English part of an archive article and the rest from its `<hr />` on (the Chinese):
    the `<hr />` is the one before `Original:` (an English made in chunks has others)."""
    match = ORIGINAL.search(article)
    at = match.start() if match else article.index("<hr />")
    return article[:at], article[at:]


def outside_lines(article: str, zh_body: str, en_body: str) -> list[str]:
    """The article's lines that are not body text, normalised: header lines and the lines
    of machine-added blocks. A line counts when its text (without markdown markers) is not
    in the body of its language; `<hr />` is left out, and so are lines that only repeat
    body text (the `### ` title repeats the body headline)."""
    english, chinese = split_article(article)
    out = []
    for part, body in ((english, en_body), (chinese, zh_body)):
        for line in part.splitlines():
            text = normalise(strip_emphasis(line.strip()).removeprefix("### "))
            if text and text not in body:
                out.append(text)
    return sorted(set(out))


def chinese_header_lines(article: str) -> list[str]:
    """The Chinese header's title and author lines, normalised (what the English header renders)."""
    lines = [line.strip() for line in split_article(article)[1].splitlines()]
    start = next((i for i, line in enumerate(lines) if line.startswith("### ")), None)
    if start is None:
        return []
    return [normalise(line) for line in (lines[start][4:], lines[start + 1] if start + 1 < len(lines) else "") if normalise(line)]


def dropped_share(gold: list[tuple[str, str]], article: str) -> float:
    """The share of the Chinese body (normalised characters) in Chinese-only gold beads,
    less those that repeat a line of the Chinese header (the English has them in its own
    header: a headline, a subtitle, an attribution, the author)."""
    header = chinese_header_lines(article)
    total = sum(len(normalise(zh)) for zh, _ in gold)
    dropped = sum(len(normalise(zh)) for zh, en in gold
                  if zh and not en and not any(normalise(zh) in h for h in header))
    return dropped / total if total else 0.0


def stop_share(article: str, first_untranslated: str) -> float:
    """The share of the Chinese body from `first_untranslated` on (an article whose English
    stops early)."""
    body = normalise("".join(article_bodies(article)[0]))
    at = body.find(normalise(first_untranslated))
    if at < 0:
        raise ValueError(f"stops.tsv: {first_untranslated!r} is not in the article")
    return (len(body) - at) / len(body) if body else 0.0


@dataclass
class ArticleScore:
    """Counts for one article (they add up over articles)."""

    gold_units: int = 0
    units: int = 0
    strict: int = 0
    lax_units: int = 0  # units overlapping a gold unit on both sides
    lax_gold: int = 0  # gold units overlapping a unit on both sides
    junk: int = 0
    off_body: int = 0
    cjk: int = 0
    cjk_flagged: int = 0
    junk_examples: list[str] = field(default_factory=list)

    def __add__(self, other: ArticleScore) -> ArticleScore:
        return ArticleScore(*(getattr(self, k) + getattr(other, k) for k in self.__dataclass_fields__))

    def prf(self) -> tuple[float, float, float]:
        p = self.strict / self.units if self.units else 0.0
        r = self.strict / self.gold_units if self.gold_units else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

    def lax_prf(self) -> tuple[float, float, float]:
        p = self.lax_units / self.units if self.units else 0.0
        r = self.lax_gold / self.gold_units if self.gold_units else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0


def score_article(gold: list[tuple[str, str]], rows: list[Row], outside: list[str] = ()) -> ArticleScore:
    """Units of one aligned article against its gold (see the module's docstring)."""
    zh_body = "".join(normalise(zh) for zh, _ in gold)
    en_body = "".join(normalise(en) for _, en in gold)
    gold_spans = list(zip(locate([zh for zh, _ in gold], zh_body), locate([en for _, en in gold], en_body)))
    gold_units = [(normalise(zh), normalise(en)) for zh, en in gold if zh and en]
    unit_gold_spans = [s for (zh, en), s in zip(gold, gold_spans) if zh and en]
    row_spans = list(zip(locate([r.zh for r in rows], zh_body), locate([r.en for r in rows], en_body)))
    units = [(row, spans) for row, spans in zip(rows, row_spans) if row.unit]

    s = ArticleScore(gold_units=len(gold_units), units=len(units))
    s.strict = sum((Counter((normalise(r.zh), normalise(r.en)) for r, _ in units) & Counter(gold_units)).values())
    s.lax_units = sum(any(_overlap(z, gz) and _overlap(e, ge) for gz, ge in unit_gold_spans) for _, (z, e) in units)
    s.lax_gold = sum(any(_overlap(z, gz) and _overlap(e, ge) for _, (z, e) in units) for gz, ge in unit_gold_spans)
    for row, (z, e) in units:
        texts = (normalise(row.zh), normalise(row.en))
        if any(line in t for line in outside for t in texts):
            s.junk += 1
            s.junk_examples.append(f"{row.zh[:30]} | {row.en[:50]}")
        elif z is None or e is None:
            s.off_body += 1
        if CJK.search(row.en):
            s.cjk += 1
            s.cjk_flagged += bool(row.note)
    return s


def misses(gold: list[tuple[str, str]], rows: list[Row]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The units that match no gold unit, and the gold units no unit matches (strict)."""
    key = lambda zh, en: (normalise(zh), normalise(en))  # noqa: E731
    left = Counter(key(zh, en) for zh, en in gold if zh and en)
    wrong = []
    for row in rows:
        if row.unit:
            if left[key(row.zh, row.en)] > 0:
                left[key(row.zh, row.en)] -= 1
            else:
                wrong.append((row.zh, row.en))
    found = Counter(key(r.zh, r.en) for r in rows if r.unit)
    missed = []
    for zh, en in gold:
        if zh and en:
            if found[key(zh, en)] > 0:
                found[key(zh, en)] -= 1
            else:
                missed.append((zh, en))
    return wrong, missed


def print_misses(stem: str, gold: list[tuple[str, str]], rows: list[Row]) -> None:
    wrong, missed = misses(gold, rows)
    for label, pairs in (("unit not in gold", wrong), ("gold unit not found", missed)):
        for zh, en in pairs:
            print(f"{stem}: {label}: {zh} | {en}")


@dataclass
class Run:
    """One `aligner align` run: its rows and the status of its --summary row."""

    rows: list[Row]
    status: str
    message: str = ""


def _env() -> dict[str, str]:
    """This checkout's package, whatever is installed."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
            "PYTHONIOENCODING": "utf-8"}


def align(article: Path, out: Path) -> Run:
    """`python -m aligner align ARTICLE -o OUT.jsonl --summary OUT.tsv`, as a user runs it."""
    jsonl, summary = out.with_suffix(".jsonl"), out.with_suffix(".summary.tsv")
    proc = subprocess.run([sys.executable, "-m", "aligner", "align", str(article), "-o", str(jsonl), "--summary", str(summary)],
                          cwd=ROOT, env=_env(), capture_output=True, text=True)
    status = ""
    if summary.exists():
        rows = list(csv.DictReader(summary.open(encoding="utf-8"), delimiter="\t"))
        status = rows[0].get("status", "") if rows else ""
    if proc.returncode != 0:
        return Run([], status or "failed", proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "")
    return Run(read_rows(jsonl) if jsonl.exists() else [], status or "ok")


def mismatched(english_of: Path, chinese_of: Path) -> str:
    """An archive article made of one article's English (and header) and another's Chinese."""
    return split_article(english_of.read_text(encoding="utf-8"))[0] + split_article(chinese_of.read_text(encoding="utf-8"))[1]


def statuses_available() -> bool:
    """Whether this aligner has the document statuses `partial` and `suspect` (its help names them)."""
    help_text = subprocess.run([sys.executable, "-m", "aligner", "align", "--help"], cwd=ROOT, env=_env(),
                               capture_output=True, text=True).stdout
    return "suspect" in help_text and "partial" in help_text


def share(hits: int, total: int, available: bool) -> str:
    if not available:
        return "n/a"
    return f"{hits}/{total} ({hits / total:.1%})" if total else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive", type=Path, default=SHARED / "archive", help="the dev sample (ARCHIVE/*.md)")
    ap.add_argument("--gold", type=Path, default=GOLD_DIR, help="gold files STEM.tsv and stops.tsv")
    ap.add_argument("--shifts", type=int, default=3, help="mismatched pairs: English of article i, Chinese of i+1..i+SHIFTS")
    ap.add_argument("--jobs", type=int, default=2, help="aligner processes at once")
    ap.add_argument("--misses", action="store_true", help="also print, per article, the units and gold units that did not match")
    ap.add_argument("--write", action="store_true", help="record the figures in BENCHMARKS.md")
    args = ap.parse_args()

    articles = sorted(args.archive.glob("*.md"))
    if not articles:
        sys.exit(f"archive.py: no *.md articles in {args.archive}")
    golds = {a.stem: read_gold(args.gold / f"{a.stem}.tsv") for a in articles if (args.gold / f"{a.stem}.tsv").exists()}
    stops_path = args.gold / "stops.tsv"
    stops = {r["article"]: r["first_untranslated"] for r in csv.DictReader(stops_path.open(encoding="utf-8"), delimiter="\t")} \
        if stops_path.exists() else {}
    available = statuses_available()

    with tempfile.TemporaryDirectory(prefix="aligner-archive-bench-") as tmp:
        work = Path(tmp)
        (work / "mismatched").mkdir()
        jobs: dict[tuple[str, str], tuple[Path, Path]] = {}
        for i, article in enumerate(articles):
            jobs[("true", article.stem)] = (article, work / article.stem)
            for shift in range(1, args.shifts + 1):
                other = articles[(i + shift) % len(articles)]
                if other == article:
                    continue  # a shift that is a multiple of the count: no mismatch
                path = work / "mismatched" / f"{article.stem}+{other.stem}.md"
                path.write_text(mismatched(article, other), encoding="utf-8")
                jobs[("mismatched", path.stem)] = (path, work / "mismatched" / path.stem)
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            runs = dict(zip(jobs, pool.map(lambda job: align(*job), jobs.values())))

    available = available or any(r.status in ("partial", "suspect") for r in runs.values())

    # Units against the gold.
    header = ["article", "gold units", "units", "strict hits", "P", "R", "F1", "lax F1", "junk", "off-body",
              "English keeps CJK (flagged)", "status"]
    table, total = [], ArticleScore()
    junk_examples = []
    for stem, gold in golds.items():
        article = (args.archive / f"{stem}.md").read_text(encoding="utf-8")
        run = runs[("true", stem)]
        zh_body = "".join(normalise(zh) for zh, _ in gold)
        en_body = "".join(normalise(en) for _, en in gold)
        s = score_article(gold, run.rows, outside_lines(article, zh_body, en_body))
        if args.misses:
            print_misses(stem, gold, run.rows)
        total += s
        junk_examples += [f"{stem}: {x}" for x in s.junk_examples]
        table.append([stem, s.gold_units, s.units, s.strict, *s.prf(), s.lax_prf()[2], s.junk, s.off_body,
                      f"{s.cjk} ({s.cjk_flagged})", run.status])
    table.append(["**pooled**", total.gold_units, total.units, total.strict, *total.prf(), total.lax_prf()[2],
                  total.junk, total.off_body, f"{total.cjk} ({total.cjk_flagged})", ""])

    # Status of true and mismatched pairs, and of articles whose English drops a fifth.
    true_runs = {stem: r for (kind, stem), r in runs.items() if kind == "true"}
    mis_runs = {stem: r for (kind, stem), r in runs.items() if kind == "mismatched"}
    drops = {}
    for article in articles:
        text = article.read_text(encoding="utf-8")
        if article.stem in golds:
            drops[article.stem] = dropped_share(golds[article.stem], text)
        elif article.stem in stops:
            drops[article.stem] = stop_share(text, stops[article.stem])
    dropping = sorted(stem for stem, d in drops.items() if d >= DROP_SHARE)
    count = lambda rs, status: sum(r.status == status for r in rs)  # noqa: E731
    status_rows = [
        ["true pairs marked `suspect` (target <= 1%)", share(count(true_runs.values(), "suspect"), len(true_runs), available)],
        ["mismatched pairs marked `suspect` (target >= 98%)", share(count(mis_runs.values(), "suspect"), len(mis_runs), available)],
        [f"articles whose English drops >= {DROP_SHARE:.0%} of the Chinese marked `partial`",
         share(sum(true_runs[s].status == "partial" for s in dropping), len(dropping), available)],
        ["the truncated law 1953-03-02_1 marked `partial`",
         ("yes" if true_runs["1953-03-02_1"].status == "partial" else f"no ({true_runs['1953-03-02_1'].status})")
         if available and "1953-03-02_1" in true_runs else "n/a"],
    ]
    seen = Counter(r.status for r in runs.values())
    drop_rows = [[stem, f"{drops[stem]:.0%}", "gold" if stem in golds else "stops.tsv", true_runs[stem].status] for stem in dropping]

    p, r, f = total.prf()
    body = "\n\n".join([
        f"Command: `python benchmarks/archive.py --write` ({len(golds)} articles with gold of the "
        f"{len(articles)} in `../shared/data/archive/`; {len(mis_runs)} mismatched pairs, shifts 1-{args.shifts}). "
        "Gold made by reading (`benchmarks/archive-gold/`, conventions in its README). Issue 20's figures "
        "for today's code on 26 real articles we do not have: strict F1 0.934, 7 junk units; target on the "
        "dev sample: strict F1 >= 0.97, no junk unit, English keeping Chinese flagged.",
        f"Pooled: strict P {p:.3f}, R {r:.3f}, **F1 {f:.3f}**; lax F1 {total.lax_prf()[2]:.3f}; "
        f"junk units {total.junk}; units whose English keeps CJK text {total.cjk}, flagged {total.cjk_flagged}"
        + ("" if any(run.rows and any(row.note for row in run.rows) for run in runs.values())
           else " (the output has no row notes: not flagged)") + ".",
        md_table(header, table),
        "Document status (`--summary`)" + ("" if available else
                                           ": not available, this aligner has no `partial`/`suspect` status") + ".",
        md_table(["", "share"], status_rows),
        "Statuses seen: " + ", ".join(f"{k or '?'} {v}" for k, v in sorted(seen.items())) + ".",
        f"Articles whose English drops >= {DROP_SHARE:.0%} of the Chinese (measured on the gold, or from "
        "`stops.tsv` where the English stops):",
        md_table(["article", "Chinese dropped", "from", "status"], drop_rows),
    ] + (["Junk units:\n\n" + "\n".join(f"- `{x}`" for x in junk_examples)] if junk_examples else []))
    print(body)
    if args.write:
        replace_section("Archive dev sample (issue 20)", body)


if __name__ == "__main__":
    main()
