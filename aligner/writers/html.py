"""The review report: one self-contained HTML page with the two texts side by side.

Every bead is a table row carrying `data-confidence` (its score) and `data-type` ('1-2'),
coloured by score; doubtful rows (`aligner.review`) are marked, and a bar at the top steps
through them (buttons, or the keys n/p) and filters to them (d). Style and script are
inline and nothing is fetched, so the file works from file:// and can be mailed. In a
batch the page holds one section per document and, written at the end but shown first,
an index of the documents.
"""

from __future__ import annotations

import os
from html import escape

import aligner
from aligner.beads import bead_type
from aligner.document import AlignedDocument
from aligner.review import DOUBTFUL_BELOW, ReviewFigures, is_doubtful
from aligner.summary import DocumentSummary, plural
from aligner.writers.base import Writer, xml_chars
from aligner.writers.report_assets import CSS, SCRIPT

# Score bands for the row colours: [0, .2), [.2, .4), ... [.8, 1].
_BANDS = 5
#: rows per block laid out on demand (see HtmlWriter._pairs)
CHUNK_ROWS = 100
_DOUBT = {True: " doubt", False: ""}  # the class of a doubtful row, and of a block with one
_COLUMNS = '<colgroup><col class="n"><col><col><col class="s"><col class="t"></colgroup>'


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


def _indices(side: tuple[int, ...]) -> str:
    return ",".join(map(str, side)) or "-"


class HtmlWriter(Writer):
    """The report page; `threshold` sets which scores count as doubtful."""

    name = "html"

    def __init__(self, out, batch=False, created=None, threshold: float = DOUBTFUL_BELOW):
        super().__init__(out, batch, created)
        self.threshold = threshold
        self._started = False
        self._documents = 0
        self._index: list[str] = []  # one table row per document, for a batch's index

    def _start(self, title: str) -> None:
        body_class = ' class="batch"' if self.batch else ""
        legend = "".join(
            f'<span class="q{b}">{b / _BANDS:.1f}</span>' for b in range(_BANDS)
        )
        self._write(
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="aligner {escape(aligner.__version__)}">\n'
            f"<title>{_text(title)}</title>\n<style>{CSS}</style>\n</head>\n"
            f"<body{body_class}>\n"
            '<div id="bar"><b>aligner report</b>'
            '<button id="prev" title="previous doubtful pair (key p or k)">&#9664; <kbd>p</kbd></button>'
            '<button id="next" title="next doubtful pair (key n or j)">next doubtful <kbd>n</kbd> &#9654;</button>'
            '<span id="where"></span>'
            '<label title="show only doubtful pairs (key d)"><input type="checkbox" id="only"> only doubtful <kbd>d</kbd></label>'
            f'<span class="key">score {legend}</span>'
            "</div>\n<main>\n"
        )
        self._started = True

    def add(self, doc: AlignedDocument, name: str | None = None, summary: DocumentSummary | None = None) -> None:
        title = doc.metadata.get("title") or name or _files(doc) or "alignment"
        if not self._started:
            self._start(f"{title} · aligner report" if not self.batch else "aligner report")
        self._documents += 1
        anchor = f"d{self._documents}"
        figures = ReviewFigures.of(doc, name or "", self.threshold)
        parts = [f'<section class="doc" id="{anchor}">\n<h2>{_text(str(title))}</h2>\n',
                 self._figures(doc, name, figures), self._pairs(doc, anchor), "</section>\n"]
        self._write("".join(parts))
        if self.batch:
            s = figures.summary
            mean = f"{s.mean_confidence:.2f}" if s.mean_confidence is not None else ""
            self._index.append(
                f'<tr><td><a href="#{anchor}">{_text(name or str(title))}</a></td><td>{_text(s.status)}</td><td>{s.units}</td>'
                f"<td>{s.src_unpaired} / {s.tgt_unpaired}</td><td>{mean}</td><td>{figures.doubtful}</td></tr>\n"
            )

    def _figures(self, doc: AlignedDocument, name: str | None, figures: ReviewFigures) -> str:
        s = figures.summary
        src, tgt = _text(doc.src.lang), _text(doc.tgt.lang)
        types = " · ".join(f"{t}: {n}" for t, n in figures.types.items())
        rows = []
        if name:
            rows.append(("document", _text(name)))
        for key, value in doc.metadata.items():
            if key.lower() != "title":
                rows.append((_text(str(key)), _text(str(value))))
        status = s.status + (f": {_text(s.message)}" if s.status != "ok" and s.message else "")
        rows += [
            ("status", status),
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
        take it themselves). The Bible's 4,951 rows render in 0.43 s so, in 2.49 s as one block
        (medians, BENCHMARKS.md). Columns line up: fixed layout, same widths."""
        src_lang, tgt_lang = _attr(doc.src.lang), _attr(doc.tgt.lang)
        out = [
            f'<table class="pairs head">{_COLUMNS}'
            f"<thead><tr><th>#</th><th>{src_lang}</th><th>{tgt_lang}</th><th>score</th><th>type</th></tr></thead></table>\n"
        ]
        pairs = doc.rows()
        for start in range(0, len(pairs), CHUNK_ROWS):
            rows, height, doubtful = [], 0, False
            for k, row in enumerate(pairs[start:start + CHUNK_ROWS], start + 1):
                src, tgt, score, bead = row.src, row.tgt, row.score, row.bead or ((), ())
                doubt = is_doubtful(src, tgt, score, self.threshold)
                doubtful = doubtful or doubt
                height += _row_height(src, tgt)
                kind = ("added" if row.added else bead_type(bead)) if doc.indexed else ""
                where = f' title="{src_lang} {_indices(bead[0])} · {tgt_lang} {_indices(bead[1])}"' if doc.indexed else ""
                # the machine note (aligner.notes): why the row is one-sided or flagged
                note = f' data-note="{_attr(row.note)}"' if row.note else ""
                note_cell = f'<div class="note">{_text(row.note)}</div>' if row.note else ""
                src_cell = f'<td lang="{src_lang}">{_text(src)}</td>' if src.strip() else '<td class="none"></td>'
                tgt_cell = f'<td lang="{tgt_lang}">{_text(tgt)}</td>' if tgt.strip() else '<td class="none"></td>'
                rows.append(
                    f'<tr id="{anchor}-{k}" class="q{_band(score)}{_DOUBT[doubt]}" '
                    f'data-confidence="{score:.4f}" data-type="{kind}"{note}><td class="n"{where}>{k}</td>{src_cell}{tgt_cell}'
                    f'<td class="s">{score:.2f}</td><td class="t">{kind}{note_cell}</td></tr>\n'
                )
            out.append(
                f'<div class="chunk{_DOUBT[doubtful]}" style="contain-intrinsic-size:auto {height}px">'
                f'<table class="pairs">{_COLUMNS}<tbody>\n{"".join(rows)}</tbody></table></div>\n'
            )
        return "".join(out)

    def close(self) -> None:
        if not self._started:
            self._start("aligner report")
            self._write("<p>No documents.</p>\n")
        self._write("</main>\n")
        if self.batch:
            self._write(
                f'<nav id="index"><h1>{plural(self._documents, "document")}</h1><table>'
                "<tr><th>document</th><th>status</th><th>pairs</th><th>unpaired (source / translation)</th>"
                "<th>mean confidence</th><th>doubtful</th></tr>\n" + "".join(self._index) + "</table></nav>\n"
            )
        self._write(f"<script>{SCRIPT}</script>\n</body>\n</html>\n")
