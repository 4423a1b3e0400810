"""The batch's state file as a user meets it: damaged records are one line naming the file
and the line, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from batch_articles import make_articles
from conftest import run_main


@pytest.fixture
def finished(tmp_path) -> tuple[Path, Path]:
    """Three articles batched once: their folder and the output (its state file beside it)."""
    folder = tmp_path / "f"
    make_articles(folder, 3, per_folder=3)
    out = tmp_path / "all.tsv"
    run = run_main("batch", folder, "-o", out, "--jobs", "1", "-q")
    assert run.code == 0, run.err
    return folder, out


@pytest.mark.parametrize("bad, problem", [
    ('{"not":"state"}', "no 'name'"),
    ("[1,2]", "a JSON array, not an object"),
    ('{"paths":5}', "no 'name'"),
    ("null", "a JSON null, not an object"),
    ('"text"', "a JSON string, not an object"),
    ('{"name":"a/001.txt","paths":["x.txt"],"parts":[]}', "no 'stamps'"),
    ('{"name":"a/001.txt","paths":5,"stamps":[],"parts":[]}', "'paths' is not a list"),
    ('{"name":"a/001.txt","paths":["x.txt"],"stamps":[[1]],"parts":[]}', "'stamps' is not a content hash for each path"),
    ('{"name":"a/001.txt","paths":["x.txt"],"stamps":[],"parts":[{"summary":{"x":1},"doc":null}]}',
     "part 1: the summary has fields x, not document"),
])
def test_a_damaged_state_record_is_one_line_naming_the_line(finished, bad, problem):
    folder, out = finished
    state = Path(str(out) + ".state.jsonl")
    lines = state.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 4  # the header and three documents
    lines[2] = bad + "\n"
    state.write_text("".join(lines), encoding="utf-8")
    before = state.read_bytes()
    run = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert run.code == 2, run.err
    assert len(run.err_lines) == 1, run.err
    assert run.err.startswith(f"aligner: error: {state}:3: damaged state record ({problem}"), run.err
    assert "--restart" in run.err and "Traceback" not in run.err and "internal error" not in run.err
    assert state.read_bytes() == before  # not cut off as if a crash had left it
    again = run_main("batch", folder, "-o", out, "--jobs", "1", "--restart", "-q")
    assert again.code == 0, again.err


def test_a_state_file_that_is_not_a_state_file_is_one_line(finished):
    folder, out = finished
    state = Path(str(out) + ".state.jsonl")
    state.write_text("[1, 2]\n", encoding="utf-8")
    run = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert run.code == 2
    assert run.err_lines == [f"aligner: error: {state}: is not a state file of this aligner version; "
                             "remove it or use --restart"]


def test_a_line_cut_short_by_a_crash_is_still_dropped_not_an_error(finished):
    folder, out = finished
    state = Path(str(out) + ".state.jsonl")
    data = state.read_bytes()
    state.write_bytes(data[:-40])  # the last record cut in the middle: no line end
    run = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert run.code == 0, run.err
    assert len(state.read_text(encoding="utf-8").splitlines()) == 4  # the cut record written again
    assert {line.split("\t")[3] for line in out.read_text(encoding="utf-8").splitlines()} == {
        "a/000.txt", "a/001.txt", "a/002.txt"}
