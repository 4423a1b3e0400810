"""Report pages for the editor's tests (tests/test_report_editor.py) and benchmarks/report.py:
the example article with two deliberate errors, a batch page, a long page; and a reference
model of the editor's operations in Python, to hold the page's script to."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path

from aligner.document import AlignedDocument, join_sentences
from aligner.writers import write_output
from conftest import EXAMPLE, gold_en_sentences, gold_pairs


def example_doc() -> AlignedDocument:
    """The example article as `align` reads and aligns it."""
    from aligner.options import AlignOptions
    from aligner.pipeline import align_texts
    from aligner.readers.load import load_article

    src, tgt, meta = load_article(str(EXAMPLE))
    return align_texts(src, tgt, AlignOptions(parallel=False), meta)


def gold_beads() -> list:
    """The example's gold alignment (tests/data/harbin.gold.tsv) as beads of sentence indices."""
    beads, i, j = [], 0, 0
    for _, en in gold_pairs():
        n = len(gold_en_sentences(en))
        beads.append(((i,), tuple(range(j, j + n))))
        i, j = i + 1, j + n
    return beads


#: the two errors: rows 3-5 shifted by one translation sentence (the last ends up alone),
#: and rows 13-14 (a 1-1 and the 1-2) taken as a 2-2 and a 0-1
ERRORS = {3: ((3,), (3, 4)), 4: ((4,), (5,)), 5: ((5,), ()), 13: ((13, 14), (13, 14)), 14: ((), (15,))}
#: the scores the aligner might give them: below the threshold, so `n` steps to them
ERROR_SCORES = {3: 0.42, 4: 0.35, 5: 0.2, 13: 0.31, 14: 0.2}


def example_with_errors(folder: Path) -> tuple[Path, Path]:
    """The report of the example aligned with two errors, and the gold as Vecalign beads.
    Four operations fix it: the last translation sentence of row 3 down, then that of
    row 4 down; split row 13 after its first sentences, merge the new row 14 with 15."""
    doc = example_doc()
    gold = gold_beads()
    assert doc.beads == gold, "the aligner no longer gets the example right: pick other errors"
    assert [(s, t) for s, t, _, _ in doc.pairs()] == gold_pairs()
    beads = [ERRORS.get(k, bead) for k, bead in enumerate(doc.beads)]
    scores = [ERROR_SCORES.get(k, score) for k, score in enumerate(doc.scores)]
    folder.mkdir(parents=True, exist_ok=True)
    report, gold_file = folder / "report.html", folder / "gold.align"
    write_output(replace(doc, beads=beads, scores=scores), str(report), "html")
    gold_file.write_text(render_beads(gold), encoding="utf-8")
    return report, gold_file


def render_beads(beads: list) -> str:
    from aligner.beads import format_bead

    return "".join(format_bead(b) + "\n" for b in beads)


def noted(doc: AlignedDocument) -> AlignedDocument:
    """`doc` with machine notes on its second and third beads and a glossary the translation
    added before its fifth sentence (aligner.notes, readers/added.py): rows the editor must
    save with their notes, the glossary a row in no bead."""
    from aligner.document import Added

    doc.notes = ["", "Chinese left in the translation: 批评", "a second note"] + [""] * (len(doc.beads) - 3)
    doc.tgt.added = [Added(4, "Glossary: 座谈会 forum; 配合 coordination", "added by the translation: a glossary")]
    return doc


def batch_page(folder: Path, docs: list[tuple[str, AlignedDocument]]) -> Path:
    """One report page of several documents, as `batch -o report.html` writes it."""
    from aligner.writers import open_writer

    path = folder / "batch.html"
    with open_writer(str(path), "html", batch=True) as writer:
        for name, doc in docs:
            writer.add(doc, name)
    return path


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


class Model:
    """The editor's operations on plain lists, as the README specifies them: rows counted
    from 0 across the page, each (document, source sentences, translation sentences,
    status), a sentence (index, text). Invalid operations raise ValueError where the page
    throws; a mark or edit that changes nothing is no change (nothing to undo)."""

    def __init__(self, rows: list[dict]):
        self.rows = [{"doc": r.get("document"), "src": list(zip(r["src_idx"], r["src_sentences"])),
                      "tgt": list(zip(r["tgt_idx"], r["tgt_sentences"])), "status": r["status"],
                      "added": r["type"] == "added"} for r in rows]
        self.past: list[list[dict]] = []
        self.future: list[list[dict]] = []

    def _change(self, rows: list[dict]) -> None:
        self.past.append(self.rows)
        self.future = []
        self.rows = rows

    def _row(self, i: int) -> dict:
        if not 0 <= i < len(self.rows):
            raise ValueError(f"no row {i}")
        return self.rows[i]

    def _neighbour(self, i: int, d: int) -> dict:
        self._row(i)
        if not 0 <= i + d < len(self.rows) or self.rows[i + d]["doc"] != self.rows[i]["doc"]:
            raise ValueError("no neighbour in the document")
        return self.rows[i + d]

    @staticmethod
    def _fixed(*rows: dict) -> None:
        """Text the translation added is in no bead: it is marked, never merged, split or moved into."""
        if any(r["added"] for r in rows):
            raise ValueError("added text")

    def merge(self, i: int) -> None:
        a, b = self._row(i), self._neighbour(i, 1)
        self._fixed(a, b)
        merged = {"doc": a["doc"], "src": a["src"] + b["src"], "tgt": a["tgt"] + b["tgt"], "status": None, "added": False}
        self._change(self.rows[:i] + [merged] + self.rows[i + 2:])

    def split(self, i: int, ks: int, kt: int) -> None:
        r = self._row(i)
        self._fixed(r)
        n, m = len(r["src"]), len(r["tgt"])
        if not (0 <= ks <= n and 0 <= kt <= m and 0 < ks + kt < n + m):
            raise ValueError("bad split")
        first = {"doc": r["doc"], "src": r["src"][:ks], "tgt": r["tgt"][:kt], "status": None, "added": False}
        second = {"doc": r["doc"], "src": r["src"][ks:], "tgt": r["tgt"][kt:], "status": None, "added": False}
        self._change(self.rows[:i] + [first, second] + self.rows[i + 1:])

    def move(self, i: int, side: str, d: int) -> None:
        r, other = self._row(i), self._neighbour(i, d)
        self._fixed(r, other)
        if not r[side]:
            raise ValueError("nothing to move")
        r, other = copy.deepcopy(r), copy.deepcopy(other)
        if d < 0:
            other[side].append(r[side].pop(0))
        else:
            other[side].insert(0, r[side].pop())
        r["status"] = other["status"] = None
        pair = [other, r] if d < 0 else [r, other]
        pair = [p for p in pair if p["src"] or p["tgt"]]
        lo = min(i, i + d)
        self._change(self.rows[:lo] + pair + self.rows[lo + 2:])

    def mark(self, i: int, status: str | None) -> None:
        r = self._row(i)
        if r["status"] != status:
            self._change(self.rows[:i] + [dict(r, status=status)] + self.rows[i + 1:])

    def edit(self, i: int, side: str, k: int, text: str) -> None:
        r = self._row(i)
        if not 0 <= k < len(r[side]):
            raise ValueError("no such sentence")
        if r[side][k][1] != text:
            changed = dict(r, **{side: [(s, text if n == k else t) for n, (s, t) in enumerate(r[side])]})
            self._change(self.rows[:i] + [changed] + self.rows[i + 1:])

    def undo(self) -> bool:
        if not self.past:
            return False
        self.future.append(self.rows)
        self.rows = self.past.pop()
        return True

    def redo(self) -> bool:
        if not self.future:
            return False
        self.past.append(self.rows)
        self.rows = self.future.pop()
        return True

    def view(self) -> list[tuple]:
        """What the page's rows() must show: per row its document, indices, texts, status."""
        return [(r["doc"], [i for i, _ in r["src"]], [i for i, _ in r["tgt"]], [t for _, t in r["src"]],
                 [t for _, t in r["tgt"]], r["status"]) for r in self.rows]


def page_view(rows: list[dict]) -> list[tuple]:
    return [(r.get("document"), r["src_idx"], r["tgt_idx"], r["src_sentences"], r["tgt_sentences"], r["status"])
            for r in rows]


def joined_texts(rows: list[dict], langs: tuple[str, str] = ("zh-CN", "en-US")) -> list[tuple[str, str]]:
    """Each row's two texts as the page must save them for a row it changed: its sentences
    stripped and joined as the JSONL writer joins them, empty ones left out."""
    return [tuple(join_sentences(lang, [t for t in r[key] if t.strip()]) for lang, key in
                  zip(langs, ("src_sentences", "tgt_sentences"))) for r in rows]


def long_doc(rows: int = 10_000) -> AlignedDocument:
    """A document of `rows` beads: the gold article over and over (its 1-2 bead in each
    copy), every seventh pair scored below the threshold, every 50th sentence of the
    translation left unpaired; for the editor at book length (benchmarks/report.py)."""
    from aligner.document import Text
    from test_writers import harbin_doc

    one = harbin_doc()
    zh, en, beads = [], [], []
    while len(beads) < rows:
        for s_side, t_side in one.beads:
            beads.append((tuple(i + len(zh) for i in s_side), tuple(j + len(en) for j in t_side)))
        zh += one.src.sentences
        en += one.tgt.sentences
    beads = beads[:rows]
    for k in range(49, rows, 50):  # the translation of this one left alone, its source too
        s_side, t_side = beads[k]
        beads[k] = (s_side, ())
        beads.insert(k + 1, ((), t_side))
    beads = beads[:rows]
    n = max(i for b in beads for i in b[0]) + 1
    m = max(j for b in beads for j in b[1]) + 1
    scores = [0.3 if k % 7 == 3 else 0.6 + (k % 40) / 100 for k in range(rows)]
    return AlignedDocument(Text("zh-CN", [zh[:n]]), Text("en-US", [en[:m]]), beads, scores,
                           {"title": f"The gold article, {rows:,} rows"}, "benchmark")


def check_operations(model: Model, ops: list, results: list) -> int:
    """Hold what the page did to `model`: each of `ops` applied to both, `results` the
    page's rows after each (False where it threw). The page must refuse what the model
    refuses and show the model's rows after the others, each document's sentences once and
    in order on both sides. Returns how many operations were done."""
    done = 0
    for op, result in zip(ops, results):
        try:
            getattr(model, op[0])(*op[1:])
            expected = True
        except ValueError:
            expected = False
        assert (result is not False) == expected, (op, result)
        if result is False:
            continue
        done += 1
        assert page_view(result) == model.view(), op
        for document in dict.fromkeys(r["document"] for r in result):
            mine = [r for r in result if r["document"] == document]
            for key in ("src_idx", "tgt_idx"):
                assert [i for r in mine for i in r[key]] == list(range(sum(len(r[key]) for r in mine))), (op, key)
            assert all(r["src_idx"] or r["tgt_idx"] or r["type"] == "added" for r in mine), op
    return done
