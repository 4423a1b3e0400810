"""The review report: one self-contained HTML page with the two texts side by side, which
is also an editor of the alignment.

Every bead is a table row carrying `data-confidence` (its score) and `data-type` ('1-2'),
coloured by score; doubtful rows (`aligner.review`) are marked, and a bar at the top steps
through them and filters to them. Each cell holds its sentences as `<span data-i>` (the
0-based sentence index), so the page's script (`report.js`) can merge, split and move
them, and save the corrected alignment as JSONL (`aligner convert` and `aligner eval`
read it). Style and script are inline and nothing is fetched, so the file works from
file:// and can be mailed. In a batch the page holds one section per document and,
written at the end but shown first, an index of the documents, failed ones included.

What people read counts from 1 (row numbers, the sentence numbers in a row's tooltip);
`data-i` and the saved `src_idx`/`tgt_idx` count from 0, as every `*_idx` field does.
"""

from __future__ import annotations

import json
import os
from html import escape

from aligner.beads import bead_type, sentence_numbers
from aligner.document import AlignedDocument, Row, join_sentences, sentence_separator
from aligner.plumbing.chars import xml_chars
from aligner.review import DOUBTFUL_BELOW, ReviewFigures, is_doubtful
from aligner.summary import DocumentSummary, plural
from aligner.version import __version__
from aligner.writers.base import Writer
from aligner.writers.jsonl import ADDED_TYPE, json_metadata
from aligner.writers.report_assets import HELP, TOOLBAR, css, script

# Score bands for the row colours: [0, .2), [.2, .4), ... [.8, 1].
_BANDS = 5
#: rows per block laid out on demand (see HtmlWriter._pairs)
CHUNK_ROWS = 100
_DOUBT = {True: " doubt", False: ""}  # the class of a doubtful row, and of a block with one
_COLUMNS = '<colgroup><col class="n"><col><col><col class="s"><col class="t"></colgroup>'
#: document statuses in the order a batch's index lists them: the ones to look at first
#: first (summary statuses; one it does not know goes before 'ok')
STATUS_ORDER = ("failed", "suspect", "partial")


def _text(text: str) -> str:
    return escape(xml_chars(text), quote=False)


def _attr(text: str) -> str:
    return escape(xml_chars(text), quote=True)


def _band(score: float) -> int:
    return min(max(int(score * _BANDS), 0), _BANDS - 1) if score == score else 0  # NaN: lowest


def _row_height(src: str, tgt: str) -> int:
    """A guess at a row's height in pixels before the browser lays it out (it then keeps the
    real one): about 33 Chinese or 70 Latin characters a line in a 1280-pixel window."""
    wide = max(sum(2 if ord(c) > 0x2e80 else 1 for c in text) for text in (src, tgt))
    return 12 + 23 * max(1, -(-wide // 70))


def _files(doc: AlignedDocument) -> str:
    """'zh.txt · en.txt' for two files, the file's name for an article."""
    names = dict.fromkeys(os.path.basename(t.path) for t in (doc.src, doc.tgt) if t.path)
    return " · ".join(names)


def status_rank(status: str) -> int:
    """Where a document of this status goes in the index: failed, suspect, partial, any
    other status, then ok."""
    if status in STATUS_ORDER:
        return STATUS_ORDER.index(status)
    return len(STATUS_ORDER) + (status == "ok")


def _cell(lang: str, side: tuple[int, ...], sentences, text: str, note: str = "") -> str:
    """A table cell that reads exactly `text` (the side as the other formats write it), its
    sentences each in a `<span data-i>`: joined as `join_sentences` joins them, or, when
    the text is not their join (a table read back after review holds the row's text at
    its first sentence), the text in the first span and the others empty."""
    texts = [sentences[i] for i in side]
    if join_sentences(lang, texts) == text:
        sep = _text(sentence_separator(lang))
        inner = sep.join(f'<span data-i="{i}">{_text(t.strip())}</span>' for i, t in zip(side, texts))
    else:
        inner = "".join(f'<span data-i="{i}">{_text(text) if k == 0 else ""}</span>' for k, i in enumerate(side))
    if text.strip():
        return f'<td lang="{_attr(lang)}"{note}>{inner}</td>'
    return f'<td class="none"{note}>{inner}</td>'


def _added_cell(lang: str, text: str, note: str) -> str:
    """A cell of text the translation added: no sentence of the alignment, so no span."""
    if text.strip():
        return f'<td lang="{_attr(lang)}"{note}>{_text(text)}</td>'
    return f'<td class="none"{note}></td>'


class HtmlWriter(Writer):
    """The report page; `threshold` sets which scores count as doubtful."""

    name = "html"

    def __init__(self, out, batch=False, created=None, threshold: float = DOUBTFUL_BELOW):
        super().__init__(out, batch, created)
        self.threshold = threshold
        self._started = False
        self._documents = 0
        # a batch's index: (status rank, mean confidence, input order, table row) per document
        self._index: list[tuple[int, float, int, str]] = []
        self._statuses: dict[str, int] = {}

    def _start(self, title: str) -> None:
        body_class = ' class="batch"' if self.batch else ""
        legend = "".join(
            f'<span class="q{b}">{b / _BANDS:.1f}</span>' for b in range(_BANDS)
        )
        self._write(
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="aligner {escape(__version__)}">\n'
            f"<title>{_text(title)}</title>\n<style>{css()}</style>\n</head>\n"
            f'<body{body_class} data-threshold="{self.threshold:g}">\n'
            '<div id="bar"><b>aligner report</b>'
            '<button id="prev" title="previous doubtful pair (key p)">&#9664; <kbd>p</kbd></button>'
            '<button id="next" title="next doubtful pair (key n)">next doubtful <kbd>n</kbd> &#9654;</button>'
            '<span id="where"></span>'
            '<label title="show only doubtful pairs and the rows you changed (key d)"><input type="checkbox" id="only"> only doubtful <kbd>d</kbd></label>'
            f'<span class="key">score {legend}</span>'
            f"{TOOLBAR}</div>\n{HELP}\n<main>\n"
        )
        self._started = True

    def add(self, doc: AlignedDocument, name: str | None = None, summary: DocumentSummary | None = None) -> None:
        title = doc.metadata.get("title") or name or _files(doc) or "alignment"
        if not self._started:
            self._start(f"{title} · aligner report" if not self.batch else "aligner report")
        self._documents += 1
        anchor = f"d{self._documents}"
        figures = ReviewFigures.of(doc, name or "", self.threshold)
        # the document's status (aligner.status) and why: the batch's summary row when given
        # (the whole document's, where `doc` is what a filter kept), else the document's own
        status, message = (summary or figures.summary).status, (summary or figures.summary).message
        parts = [f'<section class="doc" id="{anchor}" data-doc="{_attr(self._facts(doc, name, status))}">\n'
                 f"<h2>{_text(str(title))}</h2>\n",
                 self._figures(doc, name, figures, status, message), self._pairs(doc, anchor), "</section>\n"]
        self._write("".join(parts))
        if self.batch:
            s = figures.summary
            mean = f"{s.mean_confidence:.2f}" if s.mean_confidence is not None else ""
            self._list(status, s.mean_confidence,
                       f'<td><a href="#{anchor}">{_text(name or str(title))}</a></td>',
                       f"<td>{s.units}</td><td>{s.src_unpaired} / {s.tgt_unpaired}</td><td>{mean}</td>"
                       f"<td>{figures.doubtful}</td><td>{_text(message)}</td>")

    def add_failure(self, name: str, summary: DocumentSummary) -> None:
        """List a document that could not be aligned in the batch's index, with the reason."""
        if not self._started:
            self._start("aligner report")
        self._documents += 1
        if self.batch:
            self._list(summary.status, None, f"<td>{_text(name)}</td>",
                       f'<td></td><td></td><td></td><td></td><td>{_text(summary.message)}</td>')

    def _list(self, status: str, mean: float | None, first: str, rest: str) -> None:
        rank = status_rank(status)
        self._statuses[status] = self._statuses.get(status, 0) + 1
        confidence = -1.0 if mean is None else mean
        row = (f'<tr data-rank="{rank}" data-mean="{confidence:.4f}" data-order="{self._documents}">'
               f'{first}<td class="status {_attr(status)}">{_text(status)}</td>{rest}</tr>\n')
        self._index.append((rank, confidence, self._documents, row))

    def _facts(self, doc: AlignedDocument, name: str | None, status: str) -> str:
        """What the page's script needs to save a document's rows as the JSONL writer writes
        them: its name in a batch, languages, metadata, whether indices are known."""
        meta = json_metadata(doc.metadata)
        facts = {"document": name if self.batch else None, "src_lang": doc.src.lang, "tgt_lang": doc.tgt.lang,
                 "meta": meta, "indexed": doc.indexed, "status": status}
        return json.dumps(facts, ensure_ascii=False)

    def _figures(self, doc: AlignedDocument, name: str | None, figures: ReviewFigures, status: str,
                 message: str) -> str:
        s = figures.summary
        src, tgt = _text(doc.src.lang), _text(doc.tgt.lang)
        types = " · ".join(f"{t}: {n}" for t, n in figures.types.items())
        rows = []
        if name:
            rows.append(("document", _text(name)))
        for key, value in doc.metadata.items():
            if key.lower() != "title":
                rows.append((_text(str(key)), _text(str(value))))
        rows += [
            ("status", _text(status) + (f": {_text(message)}" if status != "ok" and message else "")),
            ("sentences", f"{src} {s.src_sentences} · {tgt} {s.tgt_sentences}"),
            ("beads", f"{len(doc.beads)}" + (f" ({_text(types)})" if types else "")),
            ("unpaired sentences", f"{src} {s.src_unpaired} · {tgt} {s.tgt_unpaired}"),
            ("mean confidence", f"{s.mean_confidence:.2f} over {plural(s.units, 'pair')}" if s.mean_confidence is not None else "no pairs"),
            (f"below {figures.threshold:g}", plural(figures.below, "pair")),
            ("doubtful (marked)", f"{plural(figures.doubtful, 'row')}: below {figures.threshold:g} or one side empty"),
        ]
        if s.added or s.flagged:
            rows.append(("machine notes", f"{plural(s.added, 'block')} added by the translation (not aligned) · "
                                          f"{plural(s.flagged, 'pair')} keeping text of another script"))
        if doc.signature:
            rows.append(("signature", f"<code>{_text(doc.signature)}</code>"))
        body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
        return f'<table class="figures">{body}</table>\n'

    def _pairs(self, doc: AlignedDocument, anchor: str) -> str:
        """A header table, then the rows in tables of CHUNK_ROWS, each in a block the browser
        lays out only when it comes into view (`content-visibility: auto`; table rows cannot
        take it themselves): the Bible's 5,000 rows render several times faster so than as
        one block (BENCHMARKS.md). Columns line up: fixed layout, same widths. Row numbers
        are a CSS counter that each block starts where the one before it ends, so the
        editor renumbers a long document by changing one style per block."""
        src_lang, tgt_lang = doc.src.lang, doc.tgt.lang
        src_sentences, tgt_sentences = doc.src.sentences, doc.tgt.sentences
        out = [
            f'<table class="pairs head">{_COLUMNS}'
            f"<thead><tr><th>#</th><th>{_text(src_lang)}</th><th>{_text(tgt_lang)}</th><th>score</th><th>type</th></tr></thead></table>\n"
        ]
        table = doc.rows()
        for start in range(0, len(table), CHUNK_ROWS):
            rows, height, doubtful = [], 0, False
            for k, row in enumerate(table[start:start + CHUNK_ROWS], start + 1):
                doubt = is_doubtful(row.src, row.tgt, row.score, self.threshold)
                doubtful = doubtful or doubt
                height += _row_height(row.src, row.tgt)
                rows.append(self._row(f"{anchor}-{k}", doc, row, doubt, src_sentences, tgt_sentences))
            out.append(
                f'<div class="chunk{_DOUBT[doubtful]}" style="contain-intrinsic-size:auto {height}px">'
                f'<table class="pairs" style="counter-reset:row {start}">{_COLUMNS}<tbody>\n{"".join(rows)}</tbody></table></div>\n'
            )
        return "".join(out)

    def _row(self, row_id: str, doc: AlignedDocument, row: Row, doubt: bool, src_sentences, tgt_sentences) -> str:
        """A row: a bead, or text the translation added (in no bead: its text as it is); the
        machine note (aligner.notes), why the row is one-sided or flagged, on its translation
        cell, where the page shows it after the text."""
        src_lang, tgt_lang = doc.src.lang, doc.tgt.lang
        bead = row.bead or ((), ())
        kind = (ADDED_TYPE if row.added else bead_type(bead)) if doc.indexed else ""
        where = ""
        if doc.indexed and not row.added:
            where = f' title="{_attr(src_lang)} {sentence_numbers(bead[0]) or "-"} · {_attr(tgt_lang)} {sentence_numbers(bead[1]) or "-"}"'
        note = f' data-note="{_attr(row.note)}"' if row.note else ""
        if row.added:
            src_cell, tgt_cell = _added_cell(src_lang, row.src, ""), _added_cell(tgt_lang, row.tgt, note)
        else:
            src_cell = _cell(src_lang, bead[0], src_sentences, row.src)
            tgt_cell = _cell(tgt_lang, bead[1], tgt_sentences, row.tgt, note)
        return (
            f'<tr id="{row_id}" class="q{_band(row.score)}{_DOUBT[doubt]}" data-confidence="{row.score:.4f}" data-type="{kind}">'
            f'<td class="n"{where}></td>{src_cell}{tgt_cell}<td class="s">{row.score:.2f}</td><td class="t">{kind}</td></tr>\n'
        )

    def close(self) -> None:
        if not self._started:
            self._start("aligner report")
            self._write("<p>No documents.</p>\n")
        self._write("</main>\n")
        if self.batch:
            self._write(self._index_table())
        self._write(f"<script>{script()}</script>\n</body>\n</html>\n")

    def _index_table(self) -> str:
        """The batch's documents, the ones to look at first first: by status (failed,
        suspect, partial, ok), then by mean confidence, lowest first; the page's script
        sorts it again by any column."""
        counts = " · ".join(f"{n} {_text(status)}" for status, n in
                            sorted(self._statuses.items(), key=lambda kv: (status_rank(kv[0]), kv[0])))
        rows = "".join(row for *_, row in sorted(self._index))

        def head(key: str, label: str) -> str:
            return f'<th><button data-sort="{key}" title="sort by {label}">{label}</button></th>'

        return (
            f'<nav id="index"><h1>{plural(self._documents, "document")}</h1>'
            f'<p class="statuses">{counts}</p><table><thead><tr>'
            + head("order", "document") + head("rank", "status") + "<th>pairs</th>"
            "<th>unpaired (source / translation)</th>" + head("mean", "mean confidence")
            + "<th>doubtful</th><th>reason</th></tr></thead>\n<tbody>" + rows + "</tbody></table></nav>\n"
        )
