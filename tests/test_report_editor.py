"""The report as an editor, in a real browser (headless Chromium through Playwright): each
operation and its undo, the keys, saving, the example with two errors fixed with four
operations giving the gold (eval strict F1 1.0), the saved file through convert, and a
property test: random sequences of operations through window.alignerReview, held to a
reference model, every sentence once and in order after each. Screenshots go to
$ALIGNER_TEST_ARTEFACTS (else the test's temporary folder). Time to first paint and to
apply 100 merges on a 10,000-row page: benchmarks/report.py, not here."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import browser
from aligner.beads import format_bead
from conftest import EXAMPLE, run_cli
from review_pages import Model, batch_page, check_operations, example_doc, example_with_errors, jsonl, noted
from test_report_browser import artefacts
from test_writers import harbin_doc, with_gaps

pytestmark = pytest.mark.skipif(browser.missing() is not None, reason=browser.missing() or "")

ROWS = "tr[data-confidence]"


@pytest.fixture(scope="module")
def page():
    with browser.browser_page() as page:
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.problems = problems
        yield page
        assert problems == []  # no script error in any test


@pytest.fixture(scope="module")
def example_report(tmp_path_factory) -> tuple[Path, list[dict]]:
    """`align EXAMPLE -o pairs.jsonl --report report.html`: the report and the JSONL."""
    folder = tmp_path_factory.mktemp("example")
    pairs, report = folder / "pairs.jsonl", folder / "report.html"
    run = run_cli("align", EXAMPLE, "-o", pairs, "--report", report, "-q")
    assert run.code == 0, run.err
    return report, [json.loads(line) for line in pairs.read_text(encoding="utf-8").splitlines()]


def review(page, call: str, *args):
    """window.alignerReview.CALL(ARGS) in the page; a thrown Error becomes {'error': message}."""
    return page.evaluate("""([call, args]) => {
        try { return window.alignerReview[call](...args); } catch (e) { return {error: e.message}; }
    }""", [call, list(args)])


def beads(page) -> list[str]:
    return [format_bead((tuple(r["src_idx"]), tuple(r["tgt_idx"]))) for r in review(page, "rows")]


@contextmanager
def new_tab(page):
    """Another page in the browser of `page`: fresh user activation, its own history."""
    tab = page.context.new_page()
    try:
        yield tab
    finally:
        if not tab.is_closed():
            tab.close()


def open_page(page, report: Path) -> None:
    page.goto(report.as_uri())
    page.evaluate("window.onbeforeunload = null")


def test_untouched_page_saves_what_align_wrote(page, example_report):
    """Saved without a change, the page gives align's own JSONL, plus each row's status
    (none) and origin (its own bead)."""
    report, records = example_report
    open_page(page, report)
    saved = jsonl(review(page, "exportJSONL"))
    assert [{k: v for k, v in r.items() if k not in ("status", "origin")} for r in saved] == records
    assert [(r["status"], r["origin"]) for r in saved] == [(None, [format_bead((tuple(r["src_idx"]), tuple(r["tgt_idx"])))])
                                                           for r in records]
    assert review(page, "dirty") is False


def test_each_operation_then_undo_and_redo(page, example_report, tmp_path):
    report, records = example_report
    open_page(page, report)
    written = beads(page)
    assert written[3:6] == ["[3]:[3]", "[4]:[4]", "[5]:[5]"] and written[14] == "[14]:[14,15]"

    assert review(page, "merge", 3) is None
    assert beads(page)[3:5] == ["[3,4]:[3,4]", "[5]:[5]"] and len(beads(page)) == 17
    merged = review(page, "rows")[3]
    assert merged["origin"] == ["[3]:[3]", "[4]:[4]"] and merged["score"] is None and merged["touched"]
    assert merged["src"] == records[3]["src"] + records[4]["src"]  # Chinese: no space
    assert merged["tgt"] == records[3]["tgt"] + " " + records[4]["tgt"]

    assert review(page, "split", 3, 1, 2) is None  # the first source and both translations, then the rest
    assert beads(page)[3:6] == ["[3]:[3,4]", "[4]:[]", "[5]:[5]"]
    assert review(page, "move", 3, "tgt", 1) is None  # the last translation sentence down
    assert beads(page)[3:6] == ["[3]:[3]", "[4]:[4]", "[5]:[5]"]
    assert review(page, "rows")[3]["touched"] is False  # back as written: its score again
    assert review(page, "rows")[3]["score"] == records[3]["score"]
    assert review(page, "move", 14, "tgt", -1) is None  # the first translation of the 1-2 up
    assert beads(page)[13:15] == ["[13]:[13,14]", "[14]:[15]"]
    assert review(page, "move", 13, "src", 1) is None  # the last source sentence down
    assert beads(page)[13:15] == ["[]:[13,14]", "[13,14]:[15]"]
    assert review(page, "move", 13, "tgt", 1) is None
    assert beads(page)[13:15] == ["[]:[13]", "[13,14]:[14,15]"]
    assert review(page, "move", 13, "tgt", 1) is None  # its last sentence: the row is empty, and gone
    assert beads(page)[12:14] == ["[12]:[12]", "[13,14]:[13,14,15]"] and len(beads(page)) == 17
    assert review(page, "mark", 0, "wrong") is None and review(page, "mark", 1, "ok") is None
    assert [r["status"] for r in review(page, "rows")[:3]] == ["wrong", "ok", None]
    assert review(page, "edit", 2, "tgt", 0, "An edited sentence.") is None
    edited = review(page, "rows")[2]
    assert edited["tgt"] == "An edited sentence." and edited["src"] == records[2]["src"]
    assert edited["score"] == records[2]["score"] and edited["touched"]  # the same bead: its score holds

    # each is undone, in reverse order, and redone
    states = []
    while True:
        states.append(beads(page))
        if not review(page, "undo"):
            break
    assert states[-1] == written and len(states) == 11
    assert review(page, "exportJSONL") == page.evaluate("() => window.alignerReview.exportJSONL()")
    assert [{k: v for k, v in r.items() if k not in ("status", "origin")} for r in jsonl(review(page, "exportJSONL"))] == records
    for state in reversed(states[:-1]):
        assert review(page, "redo") is True
        assert beads(page) == state
    assert review(page, "redo") is False
    assert review(page, "rows")[2]["tgt"] == "An edited sentence."
    assert page.locator("tr.touched").count() == 4 and page.locator("tr.st-wrong").count() == 1
    page.screenshot(path=str(artefacts(tmp_path) / "editor-operations.png"))


@pytest.mark.parametrize("call, args, message", [
    ("merge", [17], "row 18 is the last row of its document: nothing to merge it with"),
    ("merge", [18], "row 18: the page has 18 rows (counted from 0)"),
    ("merge", [-1], "row -1: rows are counted from 0"),
    ("split", [0, 1, 1], "split row 1 at 1, 1: one part would be empty"),
    ("split", [14, 0, 3], "split row 15: k_tgt 3 is not 0 to 2"),
    ("move", [0, "src", -1], "row 1 has no previous row in its document"),
    ("move", [0, "left", 1], "side left: src or tgt"),
    ("move", [0, "src", 2], "direction 2: -1 (up) or 1 (down)"),
    ("mark", [0, "maybe"], "status maybe: ok, wrong or null"),
    ("edit", [0, "src", 1, "x"], "edit row 1: it has no src sentence 1 (counted from 0)"),
])
def test_an_operation_that_cannot_be_done_changes_nothing(page, example_report, call, args, message):
    report, _ = example_report
    open_page(page, report)
    before = review(page, "exportJSONL")
    assert review(page, call, *args) == {"error": message}
    assert review(page, "exportJSONL") == before and review(page, "changes") == 0


def test_keys_do_every_operation(page, example_report, tmp_path):
    report, records = example_report
    open_page(page, report)
    keys = page.keyboard
    page.click(f"#{page.locator(ROWS).nth(3).get_attribute('id')} td.n")  # a click focuses a row
    assert review(page, "focused") == 3
    keys.press("m")
    assert beads(page)[3] == "[3,4]:[3,4]"
    keys.press("s")  # split mode: the cut after the first sentence of each side
    assert page.locator("tr.splitting button.cut.on").count() == 2
    keys.press("Shift+ArrowRight")  # the translation cut one further: both stay in the first part
    keys.press("Enter")
    assert beads(page)[3:5] == ["[3]:[3,4]", "[4]:[]"]
    keys.press("}")  # the last translation sentence down
    assert beads(page)[3:5] == ["[3]:[3]", "[4]:[4]"]
    keys.press("j")
    keys.press("ArrowDown")
    assert review(page, "focused") == 5
    keys.press("M")  # merge with the previous row
    assert beads(page)[4] == "[4,5]:[4,5]" and review(page, "focused") == 4
    keys.press("]")  # the last source sentence down
    keys.press("{")  # the first translation sentence up
    assert beads(page)[3:6] == ["[3]:[3,4]", "[4]:[5]", "[5,6]:[6]"]
    keys.press("[")  # the first source sentence up
    assert beads(page)[3:5] == ["[3,4]:[3,4]", "[]:[5]"]
    keys.press("k")
    keys.press("x")
    keys.press("k")
    keys.press("o")
    assert [r["status"] for r in review(page, "rows")[2:4]] == ["ok", "wrong"]
    keys.press("e")  # edit: a field per sentence, Enter keeps
    box = page.locator("tr.editing textarea[data-side='tgt']").first
    box.fill("The edited translation.")
    box.press("Enter")
    assert review(page, "rows")[2]["tgt"] == "The edited translation."
    keys.press("e")
    page.locator("tr.editing textarea").first.fill("这句不要了")
    page.locator("tr.editing textarea").first.press("Escape")  # Esc cancels
    assert review(page, "rows")[2]["src"] == records[2]["src"]
    page.screenshot(path=str(artefacts(tmp_path) / "editor-keys.png"))
    assert review(page, "changes") == 10
    keys.press("u")
    keys.press("Control+z")
    assert review(page, "changes") == 8 and review(page, "rows")[2]["status"] is None
    keys.press("r")
    keys.press("Control+y")
    assert review(page, "changes") == 10 and review(page, "rows")[2]["tgt"] == "The edited translation."
    keys.press("Control+Shift+Z")
    assert review(page, "changes") == 10  # nothing left to redo
    for _ in range(10):
        keys.press("u")
    assert beads(page) == [format_bead((tuple(r["src_idx"]), tuple(r["tgt_idx"]))) for r in records]


def test_mouse_toolbar_split_cuts_and_double_click_edit(page, example_report):
    report, _ = example_report
    open_page(page, report)
    page.click(f"#{page.locator(ROWS).nth(14).get_attribute('id')} td.s")
    page.click("#tools button[data-op='split']")
    page.click("tr.splitting button.cut[data-side='src'][data-k='1']")
    page.click("tr.splitting button.cut[data-side='tgt'][data-k='2']")
    page.click("#tools button[data-op='split']")  # the button again: split here
    assert beads(page)[14:16] == ["[14]:[14,15]", "[15]:[16]"]  # 1-2 + 0-0 would be empty: refused
    assert "one part would be empty" in page.inner_text("#status")
    page.click("tr.splitting button.cut[data-side='tgt'][data-k='1']")
    page.click("#tools button[data-op='split']")
    assert beads(page)[14:16] == ["[14]:[14]", "[]:[15]"]
    page.click("#tools button[data-op='mergeNext']")
    assert beads(page)[14] == "[14]:[14,15]"
    page.dblclick(f"#{page.locator(ROWS).nth(0).get_attribute('id')} td[lang='en-US'] span")
    page.locator("tr.editing textarea[data-side='tgt']").fill("Edited by mouse")
    page.click(f"#{page.locator(ROWS).nth(5).get_attribute('id')} td.n")  # clicking away keeps the edit
    assert review(page, "rows")[0]["tgt"] == "Edited by mouse" and review(page, "focused") == 5
    page.click("#tools button[data-op='undo']")
    assert review(page, "rows")[0]["tgt"] != "Edited by mouse"


def test_help_lists_every_key(page, example_report):
    report, _ = example_report
    open_page(page, report)
    assert not page.is_visible("dialog#keys")
    page.keyboard.press("?")
    assert page.is_visible("dialog#keys")
    listed = page.eval_on_selector_all("dialog#keys th", "ths => ths.map(th => th.textContent)")
    assert listed == ["↓ or j", "↑ or k", "g / G", "n / p", "d", "?", "M", "m", "s", "[", "]", "{", "}", "o", "x",
                      "e", "u", "r", "Ctrl+S"]
    # each operation has its button, which says its key
    buttons = page.eval_on_selector_all("#tools button[data-op] kbd", "ks => ks.map(k => k.textContent)")
    assert buttons == listed[6:]
    page.keyboard.press("Escape")
    assert not page.is_visible("dialog#keys")
    page.click("#help")
    assert page.is_visible("dialog#keys")
    page.click("dialog#keys form button")
    assert not page.is_visible("dialog#keys")


def test_focused_row_stays_in_view(page, tmp_path):
    """On a long page the row that moves with the keys is always on screen, below the
    sticky bar and column heads."""
    from review_texts import write_pair

    zh, en = write_pair(tmp_path, copies=8, gaps_every=3)
    report = tmp_path / "long.html"
    assert run_cli("align", zh, en, "-o", report, "-q").code == 0
    open_page(page, report)
    page.click(f"#{page.locator(ROWS).nth(0).get_attribute('id')} td.n")
    head = page.evaluate("document.querySelector('table.head').getBoundingClientRect().bottom")
    for n in range(60):
        page.keyboard.press("j")
        box = page.evaluate("(() => { const r = document.querySelector('tr.current').getBoundingClientRect();"
                            " return [r.top, r.bottom]; })()")
        assert box[0] >= head - 1 and box[1] <= 900 + 1, (n, box, head)
    page.keyboard.press("m")
    page.keyboard.press("G")
    assert review(page, "focused") == len(review(page, "rows")) - 1
    page.keyboard.press("g")
    assert review(page, "focused") == 0


def test_a_link_to_a_row_focuses_it_and_the_focus_is_the_keyboard_s(page, example_report):
    """The address `n` leaves (report.html#d1-5) opens on that row; the focused row holds
    the keyboard focus, so a screen reader reads it, and is marked as the current one."""
    report, _ = example_report
    page.goto(report.as_uri() + "#d1-5")
    assert review(page, "focused") == 4
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement === document.querySelector('tr.current')")
    assert page.evaluate("document.querySelector('tr.current').getAttribute('aria-current')") == "true"
    assert page.locator("tr[aria-current]").count() == 1


def test_example_with_two_errors_fixed_with_four_operations_gives_the_gold(page, tmp_path):
    """The example aligned with two errors (tests/review_pages.py): four keyed operations
    give the gold alignment; saved, `aligner eval` scores it strict F1 1.0 against the gold,
    and `aligner convert` makes the memory with the corrected pairs."""
    report, gold = example_with_errors(tmp_path / "page")
    open_page(page, report)
    keys = page.keyboard
    keys.press("n")  # the first doubtful row: row 4 (3 counted from 0)
    assert review(page, "focused") == 3
    keys.press("}")  # 1: its last translation sentence down
    keys.press("j")
    keys.press("}")  # 2: and the next row's
    keys.press("n")  # on to the next doubtful row: the 2-2
    assert review(page, "focused") == 13
    keys.press("s")  # 3: split after the first sentence of each side
    keys.press("Enter")
    keys.press("j")
    keys.press("m")  # 4: merge the second half with the unpaired sentence after it
    assert review(page, "changes") == 4
    page.screenshot(path=str(artefacts(tmp_path) / "editor-example-fixed.png"), full_page=True)
    with page.expect_download() as download:
        keys.press("Control+s")
    saved = tmp_path / "corrected.jsonl"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "report.corrected.jsonl"
    assert review(page, "dirty") is False and "saved report.corrected.jsonl" in page.inner_text("#status")

    run = run_cli("eval", gold, saved)
    assert run.code == 0 and run.err == "", run.err
    assert run.text.splitlines()[1].split() == ["strict", "1.000", "1.000", "1.000"]
    # the texts are those align writes for the example, the fixed rows included
    aligned = tmp_path / "aligned.jsonl"
    assert run_cli("align", EXAMPLE, "-o", aligned, "-q").code == 0
    mine = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    theirs = [json.loads(line) for line in aligned.read_text(encoding="utf-8").splitlines()]
    assert [(r["src"], r["tgt"], r["src_idx"], r["tgt_idx"], r["type"]) for r in mine] == \
           [(r["src"], r["tgt"], r["src_idx"], r["tgt_idx"], r["type"]) for r in theirs]
    assert [r["origin"] for r in mine[3:6]] == [["[3]:[3,4]"], ["[3]:[3,4]", "[4]:[5]"], ["[4]:[5]", "[5]:[]"]]
    assert [r["score"] for r in mine[3:6]] == [None, None, None] and mine[2]["score"] == theirs[2]["score"]
    memory = tmp_path / "memory.tmx"
    run = run_cli("convert", saved, "-o", memory)
    assert run.code == 0, run.err
    from batch_articles import tmx_units

    units = tmx_units(memory)
    assert len(units) == 18
    assert [dict(u["segs"]) for u in units] == [{"zh-CN": r["src"], "en-US": r["tgt"]} for r in theirs]


def test_save_mark_wrong_and_convert_to_a_memory(page, example_report, tmp_path):
    """Saved with an edit and a row marked wrong: convert puts the edit in the memory and
    the wrong row in the rejects, not in the memory."""
    report, records = example_report
    open_page(page, report)
    review(page, "edit", 1, "tgt", 0, "Conduct Criticism, edited in the report")
    review(page, "mark", 2, "wrong")
    assert review(page, "dirty") is True
    with page.expect_download() as download:
        page.click("#tools button[data-op='save']")
    saved = tmp_path / "corrected.jsonl"
    download.value.save_as(saved)
    memory = tmp_path / "memory.tmx"
    run = run_cli("convert", saved, "-o", memory)
    assert run.code == 0, run.err
    from batch_articles import tmx_units

    units = [tuple(dict(u["segs"]).values()) for u in tmx_units(memory)]
    assert len(units) == 17 and (records[1]["src"], "Conduct Criticism, edited in the report") in units
    assert (records[2]["src"], records[2]["tgt"]) not in units
    rejects = (tmp_path / "memory.tmx.rejects.tsv").read_text(encoding="utf-8").splitlines()
    assert len(rejects) == 2 and rejects[1].startswith(records[2]["src"] + "\t" + records[2]["tgt"])


def test_unsaved_changes_are_not_lost_without_a_warning(page, example_report):
    report, _ = example_report
    with new_tab(page) as fresh:
        fresh.goto(report.as_uri())
        fresh.click(f"#{fresh.locator(ROWS).nth(2).get_attribute('id')} td.n")
        fresh.keyboard.press("x")
        asked = []
        fresh.on("dialog", lambda d: (asked.append(d.type), d.dismiss()))
        fresh.close(run_before_unload=True)
        page.wait_for_timeout(500)
        assert asked == ["beforeunload"] and not fresh.is_closed()  # dismissed: the page stays
    with new_tab(page) as fresh:  # saved: closes without asking
        fresh.goto(report.as_uri())
        fresh.click(f"#{fresh.locator(ROWS).nth(2).get_attribute('id')} td.n")
        fresh.keyboard.press("x")
        with fresh.expect_download():
            fresh.keyboard.press("Control+s")
        asked = []
        fresh.on("dialog", lambda d: (asked.append(d.type), d.dismiss()))
        fresh.close(run_before_unload=True)
        page.wait_for_timeout(500)
        assert asked == [] and fresh.is_closed()


def test_nothing_is_fetched(page, example_report):
    """From file:// the page asks for nothing but itself (a saved JSONL is a blob: URL)."""
    report, _ = example_report
    with new_tab(page) as fresh:
        asked = []
        fresh.on("request", lambda r: asked.append(r.url))
        fresh.goto(report.as_uri())
        fresh.keyboard.press("n")
        review(fresh, "merge", 0)
        with fresh.expect_download():
            review(fresh, "save")
        assert [url for url in asked if not url.startswith("blob:")] == [report.as_uri()]


# ---------------------------------------------------------------- a batch page and the property test

@pytest.fixture(scope="module")
def batch_report(tmp_path_factory) -> Path:
    """Two documents in one page: the gold article with gaps and scores below the
    threshold (20 rows, one-sided ones among them) and the gold article with machine notes
    and a glossary the translation added (19 rows, the glossary in no bead)."""
    gaps = with_gaps(harbin_doc())
    gaps.scores[3], gaps.scores[9] = 0.31, 0.49
    return batch_page(tmp_path_factory.mktemp("batch"), [("a/gaps.txt", gaps), ("b/gold.txt", noted(harbin_doc()))])


def test_batch_page_keeps_documents_apart_and_names_them(page, batch_report):
    open_page(page, batch_report)
    rows = review(page, "rows")
    assert len(rows) == 39 and [r["document"] for r in rows] == ["a/gaps.txt"] * 20 + ["b/gold.txt"] * 19
    assert review(page, "merge", 19) == {"error": "row 20 is the last row of its document: nothing to merge it with"}
    assert review(page, "move", 20, "src", -1) == {"error": "row 21 has no previous row in its document"}
    assert review(page, "merge", 20) is None
    saved = jsonl(review(page, "exportJSONL"))
    assert saved[20]["document"] == "b/gold.txt" and saved[20]["src_idx"] == [0, 1]
    assert saved[20]["meta"] == {"title": "哈尔滨市国营和地方国营工厂举行座谈会", "date": "1954-11-23", "page": "2"}
    # the index sorts by any column: status (then confidence), confidence, input order
    page.click("nav#index button[data-sort='order']")
    assert page.eval_on_selector_all("nav#index tbody tr", "rs => rs.map(r => r.dataset.order)") == ["1", "2"]
    page.click("nav#index button[data-sort='order']")
    assert page.eval_on_selector_all("nav#index tbody tr", "rs => rs.map(r => r.dataset.order)") == ["2", "1"]
    page.click("nav#index button[data-sort='mean']")
    assert page.eval_on_selector_all("nav#index tbody tr", "rs => rs.map(r => r.dataset.order)") == ["1", "2"]
    review(page, "undo")


def test_notes_and_added_text_are_shown_kept_and_saved(page, batch_report):
    """A row's machine note shows after its translation and is saved with the row, a merged
    row keeping the notes of both; a glossary the translation added is a row in no bead,
    saved as the JSONL writer writes it, which can be marked but not merged, split or moved
    into."""
    from aligner.writers import render

    open_page(page, batch_report)
    doc = noted(harbin_doc())
    written = [dict(r, document="b/gold.txt") for r in jsonl(render(doc, "jsonl"))]
    saved = jsonl(review(page, "exportJSONL"))[20:]
    assert [{k: v for k, v in r.items() if k not in ("status", "origin")} for r in saved] == written
    assert saved[4]["type"] == "added" and saved[4]["origin"] is None and saved[4]["src_idx"] == []
    note = page.evaluate("getComputedStyle(document.querySelectorAll('tr[data-confidence]')[21].cells[2], '::after').content")
    assert note == '"Chinese left in the translation: 批评"'
    assert review(page, "merge", 21) is None
    assert jsonl(review(page, "exportJSONL"))[21]["note"] == "Chinese left in the translation: 批评; a second note"
    glossary = 23  # rows 24 (from 1) of the page, now that two rows are one
    assert review(page, "rows")[glossary]["type"] == "added"
    refused = "row 24 is text the translation added, in no bead: it can be marked, not merged, split or moved into"
    assert review(page, "merge", glossary) == {"error": refused}
    assert review(page, "merge", glossary - 1) == {"error": refused}
    assert review(page, "move", glossary + 1, "tgt", -1) == {"error": refused}
    assert review(page, "split", glossary, 0, 0) == {"error": refused}
    assert review(page, "mark", glossary, "wrong") is None
    assert jsonl(review(page, "exportJSONL"))[glossary]["status"] == "wrong"
    while review(page, "undo"):
        pass


OPERATION = st.one_of(
    st.tuples(st.just("merge"), st.integers(-1, 39)),
    st.tuples(st.just("split"), st.integers(0, 39), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("move"), st.integers(0, 39), st.sampled_from(["src", "tgt"]), st.sampled_from([-1, 1])),
    st.tuples(st.just("mark"), st.integers(0, 39), st.sampled_from(["ok", "wrong", None])),
    st.tuples(st.just("edit"), st.integers(0, 39), st.sampled_from(["src", "tgt"]), st.integers(0, 2),
              st.text(max_size=12)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)
RUN = """(ops) => ops.map(op => {
    try { window.alignerReview[op[0]](...op.slice(1)); } catch (e) { return false; }
    return window.alignerReview.rows();
})"""


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(OPERATION, max_size=25))
def test_every_sentence_exactly_once_after_any_operations(page, batch_report, ops):
    """Random operations through window.alignerReview in one page: after each, the rows
    are those of the reference model (tests/review_pages.py), every sentence of each
    document once and in order, and the saved JSONL says the same; undone to the start,
    the page saves what it saved untouched."""
    open_page(page, batch_report)  # a fresh page: nothing to undo or redo
    start = review(page, "rows")
    untouched = review(page, "exportJSONL")
    results = page.evaluate(RUN, [list(op) for op in ops])
    check_operations(Model(start), ops, results)
    saved = jsonl(review(page, "exportJSONL"))
    last = next((r for r in reversed(results) if r is not False), start)
    assert len(last) == len(saved)
    assert [{k: v for k, v in r.items() if k in mine} for r, mine in zip(last, saved)] == saved
    while review(page, "undo"):
        pass
    assert review(page, "exportJSONL") == untouched and review(page, "dirty") is False


def test_the_editor_reads_a_page_as_a_batch_of_one(page, tmp_path):
    """A report of the example written by this process: the sentences the page holds are
    the document's, each in the row of its bead."""
    doc = example_doc()
    report = batch_page(tmp_path, [("example", doc)])
    open_page(page, report)
    rows = review(page, "rows")
    assert [r["src_sentences"] for r in rows] == [[doc.src.sentences[i] for i in bead[0]] for bead in doc.beads]
    assert [r["tgt_sentences"] for r in rows] == [[doc.tgt.sentences[j] for j in bead[1]] for bead in doc.beads]
