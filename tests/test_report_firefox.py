"""The report's editor in a second engine: Debian's stock Firefox ESR, headless, driven over
Marionette (tests/firefox.py), from file://. The example with two errors fixed with four
keyed operations and saved with the button gives the gold (eval strict F1 1.0); a long
random sequence of operations through window.alignerReview matches the reference model,
every sentence once and in order; nothing is fetched. The same checks in Chromium are in
tests/test_report_editor.py. Screenshots go to $ALIGNER_TEST_ARTEFACTS."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

import firefox
from conftest import run_cli
from firefox import ENTER, firefox_session
from review_pages import Model, batch_page, check_operations, example_with_errors, jsonl, noted
from test_report_browser import artefacts
from test_writers import harbin_doc, with_gaps

pytestmark = pytest.mark.skipif(firefox.missing() is not None, reason=firefox.missing() or "")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def ff(downloads):
    with firefox_session(downloads) as session:
        yield session


def review(ff, call: str, *args):
    return ff.execute(f"return window.alignerReview.{call}(...arguments)", *args)


def test_firefox_fixes_the_example_with_four_keyed_operations(ff, downloads, tmp_path):
    report, gold = example_with_errors(tmp_path / "page")
    ff.navigate(report.as_uri())
    assert ff.execute("return typeof window.alignerReview") == "object"  # the script ran
    ff.keys("n")
    assert review(ff, "focused") == 3
    ff.keys("}", "j", "}", "n")
    assert review(ff, "focused") == 13
    ff.keys("s", ENTER, "j", "m")
    assert review(ff, "changes") == 4
    ff.screenshot(artefacts(tmp_path) / "firefox-example-fixed.png")
    ff.click("#tools button[data-op='save']")
    saved = downloads / "report.corrected.jsonl"
    deadline = time.monotonic() + 30
    while not saved.exists() or saved.stat().st_size == 0:  # Firefox writes a .part file first
        assert time.monotonic() < deadline, sorted(p.name for p in downloads.iterdir())
        time.sleep(0.2)
    time.sleep(0.5)
    assert saved.read_text(encoding="utf-8") == review(ff, "exportJSONL")
    run = run_cli("eval", gold, saved)
    assert run.code == 0 and run.err == "", run.err
    assert run.text.splitlines()[1].split() == ["strict", "1.000", "1.000", "1.000"]
    assert review(ff, "dirty") is False
    # from file://, nothing was fetched: the page's only resource is itself
    assert ff.execute("return performance.getEntriesByType('resource').map(e => e.name)") == []


def test_firefox_random_operations_match_the_model(ff, tmp_path):
    gaps = with_gaps(harbin_doc())
    gaps.scores[3], gaps.scores[9] = 0.31, 0.49
    report = batch_page(tmp_path, [("a/gaps.txt", gaps), ("b/gold.txt", noted(harbin_doc()))])
    ff.navigate(report.as_uri())
    start = review(ff, "rows")
    untouched = review(ff, "exportJSONL")
    model = Model(start)
    rng = random.Random(22)
    ops = []
    for _ in range(400):
        i = rng.randrange(-1, 40)
        ops.append(rng.choice([
            ["merge", i], ["split", i, rng.randrange(4), rng.randrange(4)],
            ["move", i, rng.choice(["src", "tgt"]), rng.choice([-1, 1])], ["mark", i, rng.choice(["ok", "wrong", None])],
            ["edit", i, rng.choice(["src", "tgt"]), rng.randrange(3), rng.choice(["", "x", " 改 ", "a\u2028b"])],
            ["undo"], ["redo"], ["merge", i], ["move", i, "tgt", 1]]))
    results = ff.execute("""return arguments[0].map(op => {
        try { window.alignerReview[op[0]](...op.slice(1)); } catch (e) { return false; }
        return window.alignerReview.rows();
    });""", ops)
    assert check_operations(model, ops, results) > 150
    text = review(ff, "exportJSONL")
    assert "\u2028" not in text  # a line break JSON leaves raw is escaped, as the JSONL writer does
    saved = jsonl(text)
    assert sum(len(r["src_idx"]) for r in saved) == sum(len(r["src_idx"]) for r in start)
    while review(ff, "undo"):
        pass
    assert review(ff, "exportJSONL") == untouched
