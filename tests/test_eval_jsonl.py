"""`aligner eval` reads alignment JSONL as gold and as prediction (issue 22): what `align -o
x.jsonl` writes and what the report's editor saves, so a gold alignment can be made by
correcting a report; a batch's JSONL is matched document by document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.evaluate import read_documents, score_paths
from conftest import EXAMPLE, run_main

MAC_ALIGN = Path(__file__).parent / "data" / "mac-dev-align"


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> dict[str, Path]:
    """The example aligned once as JSONL and as Vecalign beads."""
    folder = tmp_path_factory.mktemp("example")
    out = {"jsonl": folder / "pairs.jsonl", "align": folder / "pairs.align"}
    for path in out.values():
        assert run_main("align", EXAMPLE, "-o", path, "-q").code == 0
    return out


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_records(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_gives_the_beads_the_vecalign_file_gives(example):
    (name, beads), = read_documents(example["jsonl"]).documents
    assert name is None and beads == read_documents(example["align"]).documents[0][1]
    assert len(beads) == 18 and ((14,), (14, 15)) in beads
    for gold, pred in ((example["jsonl"], example["align"]), (example["align"], example["jsonl"]),
                       (example["jsonl"], example["jsonl"])):
        run = run_main("eval", gold, pred)
        assert (run.code, run.err) == (0, "")
        assert run.text.splitlines()[1].split() == ["strict", "1.000", "1.000", "1.000"]


def test_a_corrected_row_changes_the_score(example, tmp_path):
    """The 1-2 bead taken as 1-1 plus 0-1, as an aligner might: 17 of 19 predicted beads
    are gold's, 17 of the 18 gold beads with two sides are found."""
    rows = records(example["jsonl"])
    k = next(n for n, r in enumerate(rows) if r["type"] == "1-2")
    wrong = dict(rows[k], tgt_idx=rows[k]["tgt_idx"][:1], type="1-1")
    extra = dict(rows[k], src_idx=[], tgt_idx=rows[k]["tgt_idx"][1:], type="0-1")
    pred = write_records(tmp_path / "pred.jsonl", rows[:k] + [wrong, extra] + rows[k + 1:])
    scores = score_paths(example["jsonl"], pred)
    assert (scores.precision_counts.strict, scores.precision_counts.total) == (17, 19)
    assert (scores.recall_counts.strict, scores.recall_counts.total) == (17, 18)


def test_a_gold_with_rows_marked_wrong_is_scored_with_a_warning(example, tmp_path):
    rows = records(example["jsonl"])
    rows[3]["status"], rows[5]["status"], rows[6]["status"] = "wrong", "ok", None
    gold = write_records(tmp_path / "gold.jsonl", rows)
    run = run_main("eval", gold, example["align"])
    assert run.code == 0 and run.text.splitlines()[1].split()[1:] == ["1.000"] * 3
    assert run.err_lines == [f"aligner: warning: {gold}: 1 row of the gold marked wrong, scored as they stand: a gold "
                             "alignment has every row right"]
    assert run_main("eval", example["align"], gold).err == ""  # a prediction's marks say nothing about its beads


def test_a_batch_is_matched_document_by_document(example, tmp_path):
    rows = records(example["jsonl"])
    gold = write_records(tmp_path / "gold.jsonl", [dict(r, document=d) for d in ("a.txt", "b.txt") for r in rows])
    # the prediction lists b before a, and gets one bead of b wrong
    b = [dict(r, document="b.txt") for r in rows]
    b[2:4] = [dict(b[2], src_idx=[2, 3], tgt_idx=[2, 3])]
    pred = write_records(tmp_path / "pred.jsonl", b + [dict(r, document="a.txt") for r in rows])
    scores = score_paths(gold, pred)
    assert scores.documents == 2
    assert (scores.precision_counts.strict, scores.precision_counts.total) == (34, 35)
    assert (scores.recall_counts.strict, scores.recall_counts.total) == (34, 36)

    only_a = write_records(tmp_path / "a.jsonl", [r for r in records(pred) if r["document"] == "a.txt"])
    run = run_main("eval", gold, only_a)
    assert run.code == 1 and run.err_lines == [f"aligner: error: {only_a}: no prediction for 1 gold document: b.txt"]
    run = run_main("eval", gold, example["align"])
    assert run.code == 1 and run.err_lines == [
        f"aligner: error: {example['align']}: 2 gold documents against 1 predicted document, and one has no name "
        "to match it by (a batch's JSONL names each line's document)"]
    run = run_main("eval", only_a, gold)  # a prediction's documents that gold lacks: left out, said so
    assert run.code == 0 and run.err_lines == [f"aligner: warning: {gold}: 1 document not in the gold left unscored"]


@pytest.mark.parametrize("line, problem", [
    ('{"src": "a", "tgt": "b", "src_idx": null, "tgt_idx": null}',
     "line 2: no src_idx: eval needs each line's sentence indices (a table converted from a TSV has none)"),
    ('{"src": "a", "tgt": "b", "src_idx": [1], "tgt_idx": ["1"]}',
     "line 2: 'tgt_idx' must be a list of sentence indices, not [\"1\"]"),
    ('{"src": "a", "tgt": "b", "src_idx": [0], "tgt_idx": [1]}', "line 2: source sentence 0 is already in line 1"),
    ('{"src": "", "tgt": "", "src_idx": [], "tgt_idx": []}', "line 2: empty bead []:[]"),
    ('["src_idx", [1]]', "line 2: a JSON array, not an object; each line of an alignment JSONL is an object with src_idx and tgt_idx"),
    ('{"src_idx": [1], "tgt_idx": [1]', "line 2: not JSON (Expecting ',' delimiter at column 32)"),
])
def test_a_bad_jsonl_line_is_named(tmp_path, line, problem):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"src": "a", "tgt": "b", "src_idx": [0], "tgt_idx": [0]}\n' + line + "\n", encoding="utf-8")
    run = run_main("eval", path, MAC_ALIGN / "gold" / "001.align")
    assert run.code == 1 and run.err_lines == [f"aligner: error: {path}: {problem}"]


def test_text_the_translation_added_is_no_bead(example, tmp_path):
    """A row of type 'added' (a glossary the translation appended, in no bead: empty
    indices) is left out, where an empty bead is an error."""
    rows = records(example["jsonl"])
    glossary = {"src": "", "tgt": "Glossary: forum = 座谈会", "src_idx": [], "tgt_idx": [], "type": "added",
                "score": 0.0, "note": "a glossary the translation added"}
    gold = write_records(tmp_path / "gold.jsonl", rows[:5] + [glossary] + rows[5:])
    run = run_main("eval", gold, example["align"])
    assert (run.code, run.err) == (0, "") and run.text.splitlines()[1].split()[1:] == ["1.000"] * 3
