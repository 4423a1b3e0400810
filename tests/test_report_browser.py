"""The review report in a real browser (headless Chromium through Playwright): every bead a
row with its score, doubtful rows marked, the next-doubtful control and its keys moving,
the filter hiding the rest. Screenshots go to $ALIGNER_TEST_ARTEFACTS (else the test's
temporary folder). Rendering time at book length is measured in benchmarks/report.py, not
here."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import browser
from aligner.review import is_doubtful
from conftest import EXAMPLE, run_cli
from review_texts import write_pair

pytestmark = pytest.mark.skipif(browser.missing() is not None, reason=browser.missing() or "")

ROWS = "tr[data-confidence]"


def artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ALIGNER_TEST_ARTEFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def align_with_report(folder: Path, *inputs) -> tuple[Path, list[dict]]:
    """`align INPUTS -o pairs.jsonl --report report.html`: the report and the beads it shows."""
    pairs, report = folder / "pairs.jsonl", folder / "report.html"
    run = run_cli("align", *inputs, "-o", pairs, "--report", report, "-q", timeout=300)
    assert run.code == 0, run.err
    return report, [json.loads(line) for line in pairs.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def long_report(tmp_path_factory) -> tuple[Path, list[dict]]:
    """A report of about 1,000 beads: 57 copies of the seed article, every fourth with a
    sentence left out and one added (so some pairs are doubtful)."""
    folder = tmp_path_factory.mktemp("long")
    return align_with_report(folder, *write_pair(folder, copies=57, gaps_every=4))


@pytest.fixture(scope="module")
def page():
    with browser.browser_page() as page:
        yield page


def marks(page) -> list[bool]:
    return page.evaluate(f"Array.from(document.querySelectorAll('{ROWS}')).map(r => r.classList.contains('doubt'))")


def current(page) -> dict | None:
    """The row the control has moved to: its id, whether it is in view, the address's fragment."""
    return page.evaluate("""() => {
        const r = document.querySelector('tr.current');
        if (!r) return null;
        const box = r.getBoundingClientRect();
        return {id: r.id, inView: box.top >= 0 && box.bottom <= window.innerHeight, hash: location.hash};
    }""")


def test_example_report(tmp_path, page):
    report, beads = align_with_report(tmp_path, EXAMPLE)
    page.goto(report.as_uri())
    assert page.locator(ROWS).count() == len(beads) == 18
    scores = page.evaluate(f"Array.from(document.querySelectorAll('{ROWS}')).map(r => +r.dataset.confidence)")
    assert scores == pytest.approx([b["score"] for b in beads], abs=1e-4)
    types = page.evaluate(f"Array.from(document.querySelectorAll('{ROWS}')).map(r => r.dataset.type)")
    assert types == [b["type"] for b in beads]
    # every pair of the seed article scores far above the threshold: nothing to step to
    assert marks(page) == [is_doubtful(b["src"], b["tgt"], b["score"]) for b in beads] == [False] * 18
    assert page.inner_text("#where") == "0 doubtful"
    page.click("#next")
    assert current(page) is None
    page.screenshot(path=str(artefacts(tmp_path) / "report-example.png"), full_page=False)


def test_long_report_marks_and_steps_through_doubtful_pairs(tmp_path, page, long_report):
    report, beads = long_report
    page.goto(report.as_uri())
    assert page.locator(ROWS).count() == len(beads) >= 1000
    expected = [is_doubtful(b["src"], b["tgt"], b["score"]) for b in beads]
    assert marks(page) == expected
    doubtful = [i for i, d in enumerate(expected) if d]
    assert len(doubtful) >= 10
    ids = page.evaluate(f"Array.from(document.querySelectorAll('{ROWS}')).map(r => r.id)")
    order = [ids[i] for i in doubtful]
    assert page.inner_text("#where") == f"{len(doubtful)} doubtful"

    page.click("#next")  # the button
    assert current(page) == {"id": order[0], "inView": True, "hash": f"#{order[0]}"}
    assert page.inner_text("#where") == f"1 of {len(doubtful)} doubtful"
    page.keyboard.press("n")  # and its key
    assert current(page) == {"id": order[1], "inView": True, "hash": f"#{order[1]}"}
    page.keyboard.press("n")
    assert current(page)["id"] == order[2]
    page.keyboard.press("p")
    page.keyboard.press("p")
    assert current(page)["id"] == order[0]
    page.keyboard.press("p")  # wraps round to the last
    assert current(page) == {"id": order[-1], "inView": True, "hash": f"#{order[-1]}"}
    page.click("#prev")
    assert current(page)["id"] == order[-2]
    assert page.locator("tr.current").count() == 1
    # j and k (or the arrows) go row by row; n then goes on from there
    at = ids.index(order[-2])
    page.keyboard.press("j")
    assert current(page) == {"id": ids[at + 1], "inView": True, "hash": f"#{order[-2]}"}
    page.keyboard.press("ArrowDown")
    page.keyboard.press("k")
    assert current(page)["id"] == ids[at + 1]
    page.keyboard.press("n")
    assert current(page)["id"] == order[-1]
    page.keyboard.press("p")
    assert current(page)["id"] == order[-2]

    visible = (f"Array.from(document.querySelectorAll('{ROWS}'))"
               ".filter(r => r.offsetParent !== null && getComputedStyle(r).visibility !== 'collapse').length")
    page.keyboard.press("d")  # only the doubtful rows
    assert page.evaluate(visible) == len(doubtful) and page.is_checked("#only")
    page.screenshot(path=str(artefacts(tmp_path) / "report-doubtful-only.png"))
    page.click("#only")
    assert page.evaluate(visible) == len(beads)
    page.keyboard.press("n")
    assert current(page)["id"] == order[-1]
    page.screenshot(path=str(artefacts(tmp_path) / "report-long.png"))


def test_keys_typed_into_a_field_do_not_move(tmp_path, page):
    report, _ = align_with_report(tmp_path, *write_pair(tmp_path))
    page.goto(report.as_uri())
    page.evaluate("document.body.insertAdjacentHTML('afterbegin', '<input id=probe>')")
    page.focus("#probe")
    page.keyboard.type("n")
    assert current(page) is None and page.input_value("#probe") == "n"
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("n")
    assert current(page) is not None
