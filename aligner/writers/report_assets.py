"""The style sheet, script, toolbar and key list inlined into every HTML report (`html.py`).

Inline so the report is one file that works from file:// with nothing fetched. The style
and script live in `report.css` and `report.js` beside this module (package data: plain
CSS and JavaScript, no build step), read once per process. The page is a plain table in
blocks laid out as they come into view, and the script does nothing on load but count the
doubtful rows: it reads the rows into its model on the first edit, so a book-length report
(the Bible pair, about 5,000 rows) still shows in a fraction of a second
(benchmarks/report.py).
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources import files


@cache
def css() -> str:
    return files(__package__).joinpath("report.css").read_text(encoding="utf-8")


@cache
def script() -> str:
    return files(__package__).joinpath("report.js").read_text(encoding="utf-8")


#: the editor's operations on the focused row: (data-op, button label, key, what it does);
#: the toolbar's buttons and the key list (HELP) are written from it
OPERATIONS = (
    ("mergePrev", "merge &#8593;", "M", "merge the row with the previous one"),
    ("mergeNext", "merge &#8595;", "m", "merge the row with the next one"),
    ("split", "split", "s", "split the row: then &#8592;/&#8594; move the source cut, Shift+&#8592;/&#8594; the "
     "translation cut, Enter splits, Esc cancels (or click a cut)"),
    ("srcUp", "src &#8593;", "[", "move the row's first source sentence up, to the end of the previous row"),
    ("srcDown", "src &#8595;", "]", "move the row's last source sentence down, to the start of the next row"),
    ("tgtUp", "tr &#8593;", "{", "move the row's first translation sentence up, to the previous row"),
    ("tgtDown", "tr &#8595;", "}", "move the row's last translation sentence down, to the next row"),
    ("ok", "&#10003; ok", "o", "mark the row ok (again: unmark)"),
    ("wrong", "&#10007; wrong", "x", "mark the row wrong: left out of the memory (again: unmark)"),
    ("edit", "edit", "e", "edit the row's sentences (also Enter, F2, or a double click): Enter keeps, Esc cancels"),
    ("undo", "undo", "u", "undo the last change (also Ctrl+Z)"),
    ("redo", "redo", "r", "redo what was undone (also Ctrl+Y, Ctrl+Shift+Z)"),
    ("save", "save", "Ctrl+S", "save the corrected alignment as JSONL (a download)"),
)

#: moving around: (key, what it does)
NAVIGATION = (
    ("&#8595; or j", "next row (or click a row)"),
    ("&#8593; or k", "previous row"),
    ("g / G", "first / last row"),
    ("n / p", "next / previous doubtful row"),
    ("d", "show only doubtful rows and the rows you changed"),
    ("?", "this list of keys (Esc closes it)"),
)

TOOLBAR = (
    '<div id="tools" role="toolbar" aria-label="correct the focused row">'
    + "".join(f'<button type="button" data-op="{op}" title="{escape(what, quote=True)} (key {key})">'
              f"{label} <kbd>{key}</kbd></button>" for op, label, key, what in OPERATIONS)
    + '<button type="button" id="help" title="the keys (?)"><kbd>?</kbd></button>'
    '<span id="status" role="status" aria-live="polite"></span></div>'
)

HELP = (
    '<dialog id="keys" aria-labelledby="keys-title"><p id="keys-title" class="title">Keys</p>'
    "<p>Click a row, or move to it with the keys, then correct it. Every change can be undone; "
    "rows you changed are marked, and <b>save</b> downloads the corrected alignment as JSONL for "
    "<code>aligner convert</code> (a memory, without the rows marked wrong) and <code>aligner eval</code>.</p>"
    '<table><tbody>'
    + "".join(f"<tr><th><kbd>{key}</kbd></th><td>{what}</td></tr>" for key, what in NAVIGATION)
    + "".join(f"<tr><th><kbd>{key}</kbd></th><td>{what}</td></tr>" for _, _, key, what in OPERATIONS)
    + '</tbody></table><p>Scripts: <code>window.alignerReview</code> (rows counted from 0), see the README.</p>'
    '<form method="dialog"><button>close</button></form></dialog>'
)
