"""`aligner batch`: documents found before any work, one merged output in input order,
failures isolated, a resumable state, the same output whatever runs the documents."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from aligner.plumbing.errors import Terminated
from batch_articles import jsonl_records, make_articles, summary_rows, tmx_units
from conftest import DATA, EXAMPLE, cli_env, example_bodies, run_cli, run_main

DTD = etree.DTD(str(DATA / "tmx14.dtd"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """24 articles in three folders (a/000.txt ... c/023.txt)."""
    folder = tmp_path_factory.mktemp("archive")
    make_articles(folder, 24)
    return folder


@pytest.fixture(scope="module")
def reference(archive, tmp_path_factory) -> Path:
    """The archive aligned by one uninterrupted run with one process."""
    out = tmp_path_factory.mktemp("reference") / "all.tmx"
    run = run_main("batch", archive, "-o", out, "--jobs", "1", "-q")
    assert run.code == 0, run.err
    return out


def without_date(path: Path) -> str:
    return re.sub(r'creationdate="[^"]*"', "", path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the merged output

def test_merged_tmx_is_valid_with_unique_tuids_and_document_props(archive, reference):
    root = etree.parse(str(reference)).getroot()
    assert DTD.validate(root), DTD.error_log.filter_from_errors()
    units = tmx_units(reference)
    tuids = [u["tuid"] for u in units]
    assert len(set(tuids)) == len(tuids)
    documents = [dict(u["props"])["x-document"] for u in units]
    expected = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*.txt"))
    # every article, in sorted path order, each as one run of units
    assert list(dict.fromkeys(documents)) == expected
    assert documents == sorted(documents)
    first = dict(units[0]["props"])
    assert (first["x-title"], first["x-author"], first["x-page"]) == ("Article 0", "Test Desk", "1")
    assert dict(units[-1]["props"])["x-title"] == "Article 23"
    assert all(lang == "zh-CN" for u in units for lang, _ in u["segs"][:1])


def test_the_units_are_those_of_align_for_each_article(archive, reference, tmp_path):
    """A batch is `aligner align` on each document: the same pairs, in the same order."""
    units = tmx_units(reference)
    for name in ("a/000.txt", "b/017.txt"):
        single = tmp_path / "single.tmx"
        assert run_main("align", archive / name, "-o", single, "-q").code == 0
        mine = [u["segs"] for u in units if dict(u["props"])["x-document"] == name]
        assert mine == [u["segs"] for u in tmx_units(single)]


def test_tsv_and_jsonl_name_the_document(archive, tmp_path):
    tsv, jsonl = tmp_path / "all.tsv", tmp_path / "all.jsonl"
    assert run_main("batch", archive / "a", archive / "c", "-o", tsv, "--jobs", "1", "-q").code == 0
    assert run_main("batch", archive / "a", "-o", jsonl, "--jobs", "1", "-q").code == 0
    rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
    assert {len(r) for r in rows} == {4}
    # inputs in the order given, names relative to their folder
    assert list(dict.fromkeys(r[3] for r in rows)) == [f"{n:03d}.txt" for n in [*range(10), *range(20, 24)]]
    records = jsonl_records(jsonl)
    assert list(dict.fromkeys(r["document"] for r in records)) == [f"{n:03d}.txt" for n in range(10)]
    assert records[0]["meta"]["title"] == "Article 0"


def test_jobs_2_gives_the_same_file(archive, reference, tmp_path):
    out = tmp_path / "all.tmx"
    run = run_cli("batch", archive, "-o", out, "--jobs", "2", "-q")
    assert run.code == 0, run.err
    assert without_date(out) == without_date(reference)


def test_the_pool_has_no_more_workers_than_documents_to_align_nor_4_per_cpu(tmp_path, monkeypatch):
    """--jobs 100000 forked 100000 workers for 3 documents (it never finished) and --jobs
    200 took seconds. The pool is the size asked for, at most one worker per document left
    to align and 4 per CPU; one document left is aligned in this process."""
    from aligner.batch import executors
    import aligner.plumbing.process as process

    pools = []

    class Pool(executors.InlineExecutor):  # records the size asked for, forks nothing
        def __init__(self, settings, jobs):
            pools.append(jobs)
            super().__init__(settings)

    monkeypatch.setattr(executors, "PoolExecutor", Pool)
    monkeypatch.setattr(process, "usable_cpus", lambda: 2)
    folder, out = tmp_path / "f", tmp_path / "all.tsv"
    make_articles(folder, 3)
    assert run_main("batch", folder, "-o", out, "--jobs", "100000", "-q").code == 0
    make_articles(folder, 12)  # rewrites the 3 (to align again) and adds 9: 12 to align
    assert run_main("batch", folder, "-o", out, "--jobs", "100000", "-q").code == 0
    assert run_main("batch", folder, "-o", out, "--jobs", "5", "-q").code == 0  # nothing left to align
    (folder / "z.txt").write_bytes(EXAMPLE.read_bytes())  # 1 more
    assert run_main("batch", folder, "-o", out, "--jobs", "5", "-q").code == 0
    assert run_main("batch", folder, "-o", out, "--jobs", "5", "--restart", "-q").code == 0
    assert run_main("batch", folder, "-o", tmp_path / "other.tsv", "-q").code == 0  # default: the CPUs
    assert pools == [3, 8, 5, 2]
    assert {line.split("\t")[3] for line in out.read_text(encoding="utf-8").splitlines()} == {
        *(f"a/{n:03d}.txt" for n in range(10)), "b/010.txt", "b/011.txt", "z.txt"}


# ---------------------------------------------------------------- failures are rows of the summary

@pytest.fixture
def mixed(tmp_path) -> Path:
    """Good articles with a binary file and an English-only file among them."""
    folder = tmp_path / "mixed"
    make_articles(folder, 6, per_folder=6)
    (folder / "a" / "002b.txt").write_bytes(bytes(range(256)) * 8)
    _, en = example_bodies()
    (folder / "a" / "004b.txt").write_text("\n\n".join(en) + "\n", encoding="utf-8")
    return folder


def test_a_file_of_concatenated_articles_gives_one_document_per_article(tmp_path):
    """An archive dump (issue 9, item 5): each article is aligned as its own document,
    named path#1, path#2, exactly as the article aligned alone, and no header line or
    marker ends up in a segment."""
    folder = tmp_path / "dump"
    folder.mkdir()
    article = EXAMPLE.read_text(encoding="utf-8")
    (folder / "two.txt").write_text(article.rstrip("\n") + "\n\n" + article, encoding="utf-8")
    out, summary, alone = tmp_path / "d.jsonl", tmp_path / "d.tsv", tmp_path / "alone.jsonl"
    run = run_main("batch", folder, "-o", out, "--summary", summary, "--jobs", "1", "-q")
    assert run.code == 0, run.err
    assert run_main("align", EXAMPLE, "-o", alone, "-q").code == 0
    records = jsonl_records(out)
    assert [r["document"] for r in summary_rows(summary)] == ["two.txt#1", "two.txt#2"]
    one = [(r["src"], r["tgt"], r["src_idx"], r["tgt_idx"]) for r in jsonl_records(alone)]
    for name in ("two.txt#1", "two.txt#2"):
        assert [(r["src"], r["tgt"], r["src_idx"], r["tgt_idx"]) for r in records if r["document"] == name] == one
    text = " ".join(r["src"] + " " + r["tgt"] for r in records)
    assert "<hr" not in text and "Original:" not in text and "Title:" not in text


def test_binary_and_english_only_files_fail_and_every_other_article_is_aligned(mixed, tmp_path):
    out, summary = tmp_path / "m.tmx", tmp_path / "m.summary.tsv"
    run = run_main("batch", mixed, "-o", out, "--summary", summary, "--jobs", "1")
    assert run.code == 0, run.err
    rows = {r["document"]: r for r in summary_rows(summary)}
    assert list(rows) == ["a/000.txt", "a/001.txt", "a/002.txt", "a/002b.txt", "a/003.txt", "a/004.txt",
                          "a/004b.txt", "a/005.txt"]
    assert rows["a/002b.txt"]["status"] == "failed" and "binary" in rows["a/002b.txt"]["message"]
    assert rows["a/004b.txt"]["status"] == "failed" and "not a bilingual article" in rows["a/004b.txt"]["message"]
    good = [r for name, r in rows.items() if not name.endswith("b.txt")]
    assert all(r["status"] == "ok" and int(r["units"]) > 0 and r["message"] == "" for r in good)
    documents = [dict(u["props"])["x-document"] for u in tmx_units(out)]
    assert list(dict.fromkeys(documents)) == [r["document"] for r in good]
    assert len(documents) == sum(int(r["units"]) for r in good)
    # one line per failure, then the summary line
    assert "aligner: failed: a/002b.txt: binary file" in run.err
    assert run.err_lines[-1].startswith("aligner: 8 documents: 6 ok, 2 failed;")


def test_strict_fails_when_any_document_failed(mixed, tmp_path):
    out = tmp_path / "m.tsv"
    run = run_main("batch", mixed, "-o", out, "--strict", "--jobs", "1", "-q")
    assert run.code == 1
    assert run.err_lines == ["aligner: error: 2 of 8 documents failed (--strict)"]
    assert out.exists()  # the output of the good ones is written all the same


def test_no_document_aligned_exits_1_and_leaves_the_output(tmp_path, existing_output):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "x.txt").write_bytes(b"\x00\x01" * 100)
    (folder / "y.txt").write_text("only English here.\n", encoding="utf-8")
    summary = tmp_path / "s.tsv"
    before = existing_output.read_bytes()
    run = run_main("batch", folder, "-o", existing_output, "--summary", summary, "--jobs", "1", "-q")
    assert run.code == 1
    assert "none of the 2 documents could be aligned" in run.err_lines[-1]
    assert existing_output.read_bytes() == before
    assert [r["status"] for r in summary_rows(summary)] == ["failed", "failed"]


def test_no_document_aligned_leaves_no_state_file_to_refuse_other_options(tmp_path):
    """A state of failures only was left behind: a rerun skips failures (it would fail them
    again), and refused the other options that might align them without --restart."""
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "y.txt").write_text("only English here.\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    state = Path(str(out) + ".state.jsonl")
    run = run_main("batch", folder, "-o", out, "--jobs", "1", "-q")
    assert run.code == 1 and not state.exists() and not out.exists()
    other = run_main("batch", folder, "-o", out, "--jobs", "1", "-q", "--no-names")
    assert other.code == 1 and "could not be aligned" in other.err, other.err  # not 'written with other settings'
    # a state that holds aligned documents (of other inputs) is kept, and keeps them
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "g.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_main("batch", tmp_path / "good", "-o", out, "--jobs", "1", "-q").code == 0
    assert run_main("batch", folder, "-o", out, "--jobs", "1", "-q").code == 1
    assert state.exists()
    rerun = run_main("batch", tmp_path / "good", "-o", out, "--jobs", "1")
    assert "(1 done by an earlier run)" in rerun.err_lines[-1]


# ---------------------------------------------------------------- inputs, checked before any work

def write_pairs(folder: Path, lines: list[str]) -> Path:
    zh, en = example_bodies()
    (folder / "zh.txt").write_text("\n\n".join(zh) + "\n", encoding="utf-8")
    (folder / "en.txt").write_text("\n\n".join(en) + "\n", encoding="utf-8")
    pairs = folder / "pairs.tsv"
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pairs


@pytest.mark.parametrize("lines, problem", [
    (["zh.txt\ten.txt\tone", "zh.txt\tmissing.txt\ttwo"], r"pairs\.tsv:2: missing\.txt: no such file"),
    (["zh.txt\ten.txt", "zh.txt"], r"pairs\.tsv:2: expected 2 or 3 tab-separated fields .*found 1"),
    (["zh.txt\ten.txt\tx\ty"], r"pairs\.tsv:1: expected 2 or 3 tab-separated fields .*found 4"),
    (["zh.txt\ten.txt\tch1", "", "en.txt\tzh.txt\tch1"], r"pairs\.tsv:3: id 'ch1' is already used on line 1"),
])
def test_bad_pairs_list_is_one_line_naming_the_line_before_any_work(tmp_path, lines, problem):
    pairs = write_pairs(tmp_path, lines)
    out = tmp_path / "out.tmx"
    run = run_main("batch", "--pairs", pairs, "-o", out)
    assert run.code == 2
    assert len(run.err_lines) == 1 and re.search(problem, run.err), run.err
    assert not out.exists() and not Path(str(out) + ".state.jsonl").exists()


def test_pairs_are_two_file_documents_named_by_id_in_either_direction(tmp_path):
    pairs = write_pairs(tmp_path, ["source\ttranslation\tid", "zh.txt\ten.txt\tzh-en", "en.txt\tzh.txt"])
    out = tmp_path / "out.jsonl"
    run = run_main("batch", "--pairs", pairs, "-o", out, "--jobs", "1", "-q")
    assert run.code == 0, run.err
    records = jsonl_records(out)
    assert list(dict.fromkeys(r["document"] for r in records)) == ["zh-en", "en.txt"]
    forward = [(r["src"], r["tgt"]) for r in records if r["document"] == "zh-en"]
    backward = [(r["tgt"], r["src"]) for r in records if r["document"] == "en.txt"]
    assert forward == backward and len(forward) == 18


@pytest.mark.parametrize("args, problem", [
    (["nowhere"], "nowhere: no such file or folder"),
    (["EMPTY"], "folder has no *.txt or *.md files"),
    (["ARCHIVE/a", "ARCHIVE/a"], "000.txt: the same file as "),
    (["ARCHIVE", "-f", "vecalign"], "'vecalign' is not one of 'tmx', 'tsv', 'jsonl'"),
    (["ARCHIVE", "--src-lang", "zh-TW"], "--src-lang/--tgt-lang apply to --pairs documents"),
    (["-"], "batch does not read documents from standard input ('-')"),
    (["ARCHIVE/a", "-"], "batch does not read documents from standard input ('-')"),
])
def test_bad_inputs_are_refused_before_any_work(archive, tmp_path, args, problem):
    (tmp_path / "empty").mkdir()
    args = [str(archive) + a[7:] if a.startswith("ARCHIVE") else str(tmp_path / "empty") if a == "EMPTY" else a
            for a in args]
    out = tmp_path / "out.tmx"
    run = run_main("batch", *args, "-o", out)
    assert run.code == 2 and len(run.err_lines) == 1 and problem in run.err, run.err
    assert not out.exists() and not Path(str(out) + ".state.jsonl").exists()


def test_hidden_files_and_the_batch_outputs_in_the_folder_are_not_inputs(tmp_path):
    """Outputs inside the input folder are fine when they are not *.txt (a *.txt is refused:
    test_batch_inputs.py), also on the rerun, when they exist."""
    folder = tmp_path / "f"
    make_articles(folder, 2, per_folder=2)
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    out = folder / "all.tsv"
    for _ in range(2):
        run = run_main("batch", folder, "-o", out, "--summary", folder / "s.tsv", "--min-confidence", "0.1",
                       "--jobs", "1")
        assert run.code == 0, run.err
    assert {line.split("\t")[3] for line in out.read_text(encoding="utf-8").splitlines()} == {"a/000.txt", "a/001.txt"}


# ---------------------------------------------------------------- resuming

def test_rerun_skips_finished_documents_and_writes_the_same_file(archive, reference, tmp_path):
    out = tmp_path / "all.tmx"
    assert run_main("batch", archive / "a", "-o", out, "--jobs", "1", "-q").code == 0
    first = out.read_bytes()
    rerun = run_main("batch", archive / "a", "-o", out, "--jobs", "1")
    assert rerun.code == 0
    assert rerun.err_lines[-1].startswith("aligner: 10 documents (10 done by an earlier run): 10 ok, 0 failed;")
    assert out.read_bytes() == first  # creation date included: it is kept in the state file
    again = run_main("batch", archive / "a", "-o", out, "--jobs", "1", "--restart")
    assert "earlier run" not in again.err_lines[-1]


def test_a_changed_input_is_aligned_again(tmp_path):
    folder = tmp_path / "f"
    paths = make_articles(folder, 3, per_folder=3)
    out = tmp_path / "all.jsonl"
    assert run_main("batch", folder, "-o", out, "--jobs", "1", "-q").code == 0
    paths[1].write_text(paths[1].read_text(encoding="utf-8").replace("Article 1", "Article One"), encoding="utf-8")
    rerun = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert rerun.err_lines[-1].startswith("aligner: 3 documents (2 done by an earlier run): 3 ok, 0 failed;")
    titles = {r["document"]: r["meta"]["title"] for r in jsonl_records(out)}
    assert titles == {"a/000.txt": "Article 0", "a/001.txt": "Article One", "a/002.txt": "Article 2"}


def test_the_counts_of_a_rerun_are_of_documents_and_add_up(tmp_path):
    """A file of two articles is two documents in every count of the last line, those done
    by an earlier run included (they were counted as input files: '3 documents: 3 ok,
    0 failed, 2 skipped'), and they are among the ok and failed ones, not beside them."""
    folder = tmp_path / "f"
    folder.mkdir()
    article = EXAMPLE.read_text(encoding="utf-8")
    (folder / "dump.txt").write_text(article.rstrip("\n") + "\n\n" + article, encoding="utf-8")
    (folder / "one.txt").write_text(article, encoding="utf-8")
    out = tmp_path / "all.tsv"
    first = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert first.err_lines[-1] == f"aligner: 3 documents: 3 ok, 0 failed; 54 units -> {out}"
    (folder / "bad.txt").write_text("only English here.\n", encoding="utf-8")
    rerun = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert rerun.code == 0, rerun.err
    assert rerun.err_lines[-1] == f"aligner: 4 documents (3 done by an earlier run): 3 ok, 1 failed; 54 units -> {out}"


def test_the_last_line_says_1_document_not_1_documents(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "x.txt").write_text("only English here.\n", encoding="utf-8")
    (folder / "y.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "all.tsv"
    run = run_main("batch", folder, "-o", out, "--jobs", "1", "--strict")
    assert run.code == 1
    assert run.err_lines[-2] == f"aligner: 2 documents: 1 ok, 1 failed; 18 units -> {out}"
    assert run.err_lines[-1] == "aligner: error: 1 of 2 documents failed (--strict)"
    (folder / "y.txt").unlink()
    alone = run_main("batch", folder, "-o", tmp_path / "alone.tsv", "--jobs", "1")
    assert alone.code == 1
    assert alone.err_lines[-2] == "aligner: 1 document: 0 ok, 1 failed; 0 units"
    assert alone.err_lines[-1] == f"aligner: error: the document could not be aligned; {tmp_path / 'alone.tsv'} is left as it was"


def test_state_of_other_settings_is_refused(archive, tmp_path):
    out = tmp_path / "all.tsv"
    assert run_main("batch", archive / "a", "-o", out, "--jobs", "1", "-q").code == 0
    run = run_main("batch", archive / "a", "-o", out, "--jobs", "1", "--no-names")
    assert run.code == 2 and len(run.err_lines) == 1
    assert "all.tsv.state.jsonl: was written with other settings" in run.err and "--restart" in run.err
    assert run_main("batch", archive / "a", "-o", out, "--jobs", "1", "--no-names", "--restart", "-q").code == 0


def start_batch(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "aligner", "batch", *map(str, args)], env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def wait_for_records(state: Path, count: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until the state file records `count` documents (its first line is the header)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if state.exists() and state.read_bytes().count(b"\n") > count:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError(f"no {count} documents recorded in {timeout} s")


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory) -> tuple[Path, Path]:
    """60 articles and their TMX from one uninterrupted run."""
    folder = tmp_path_factory.mktemp("big")
    make_articles(folder, 60, per_folder=20)
    out = folder.parent / (folder.name + ".tmx")
    run = run_main("batch", folder, "-o", out, "--jobs", "1", "-q")
    assert run.code == 0, run.err
    return folder, out


def test_sigkill_part_way_then_rerun_equals_an_uninterrupted_run(big_archive, tmp_path):
    folder, reference = big_archive
    out = tmp_path / "k.tmx"
    state = Path(str(out) + ".state.jsonl")
    proc = start_batch(folder, "-o", out, "--jobs", "2", "-q")
    wait_for_records(state, 10, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    recorded = state.read_bytes().count(b"\n") - 1
    assert 10 <= recorded < 60
    rerun = run_cli("batch", folder, "-o", out, "--jobs", "2")
    assert rerun.code == 0, rerun.err
    skipped = int(re.search(r"\((\d+) done by an earlier run\)", rerun.err).group(1))
    assert skipped >= recorded
    assert tmx_units(out) == tmx_units(reference)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []  # the killed run's temporary output was cleaned up


def test_ctrl_c_leaves_no_output_and_the_rerun_resumes(big_archive, tmp_path):
    folder, reference = big_archive
    out = tmp_path / "c.tmx"
    state = Path(str(out) + ".state.jsonl")
    proc = start_batch(folder, "-o", out, "--jobs", "2")
    wait_for_records(state, 5, proc)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, err = proc.communicate(timeout=60)
    err = err.decode("utf-8")
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "run the same command again to go on" in err
    assert not out.exists()
    rerun = run_cli("batch", folder, "-o", out, "--jobs", "2", "-q")
    assert rerun.code == 0, rerun.err
    assert tmx_units(out) == tmx_units(reference)


def test_jobs_1_records_each_document_before_it_begins_the_next(tmp_path, monkeypatch):
    """With one process, the documents of the window were all aligned before the first was
    recorded: a Ctrl-C during the last lost the finished ones."""
    from aligner.batch import executors

    real, recorded = executors.align_task, []

    def align(task, settings):
        recorded.append(state.read_bytes().count(b"\n") - 1)  # records in the state file now
        return real(task, settings)

    monkeypatch.setattr(executors, "align_task", align)
    folder = tmp_path / "f"
    make_articles(folder, 6, per_folder=6)
    out = tmp_path / "all.tsv"
    state = Path(str(out) + ".state.jsonl")
    assert run_main("batch", folder, "-o", out, "--jobs", "1", "-q").code == 0
    assert recorded == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("interruption, code, said", [
    (KeyboardInterrupt, 130, "aligner: interrupted; no output written"),
    (Terminated, 143, "aligner: terminated; no output written"),
], ids=["ctrl-c", "sigterm"])
def test_interrupted_before_any_document_finished_says_there_is_nothing_to_resume(tmp_path, monkeypatch,
                                                                                 interruption, code, said):
    """It said 'finished documents are kept in OUT.state.jsonl': there were none, and it
    left a state file holding only its header."""
    from aligner.batch import executors

    aligned = []

    def align_then_stop(task, settings):  # Ctrl-C (or SIGTERM) while aligning document `stop_at`
        if len(aligned) == stop_at:
            raise interruption
        aligned.append(task.document.name)
        return real(task, settings)

    real = executors.align_task
    monkeypatch.setattr(executors, "align_task", align_then_stop)
    folder = tmp_path / "f"
    make_articles(folder, 3, per_folder=3)
    out = tmp_path / "all.tsv"
    state = Path(str(out) + ".state.jsonl")

    stop_at = 0
    run = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert run.code == code
    assert run.err_lines == ["aligner: no document had finished: there is nothing to resume", said]
    assert not state.exists() and not out.exists()

    stop_at = 1
    run = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert run.code == code
    assert run.err_lines == [f"aligner: finished documents are kept in {state}; run the same command again to go on",
                             said]
    assert state.read_bytes().count(b"\n") == 2 and not out.exists()  # the header and a/000.txt

    def stopped(settings):  # before the state file is opened: it is kept as it was
        raise interruption

    monkeypatch.setattr(executors, "warm_up", stopped)
    kept = state.read_bytes()
    run = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert run.code == code and run.err_lines[0].startswith("aligner: finished documents are kept in")
    assert state.read_bytes() == kept


def test_a_worker_killed_mid_batch_costs_no_document(big_archive, tmp_path):
    """A pool worker dying (out of memory, killed) breaks the pool: its documents are retried."""
    folder, reference = big_archive
    out = tmp_path / "w.tmx"
    proc = start_batch(folder, "-o", out, "--jobs", "2", "-q")
    wait_for_records(Path(str(out) + ".state.jsonl"), 5, proc)
    with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as fh:
        workers = [int(p) for p in fh.read().split()]
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert tmx_units(out) == tmx_units(reference)


# ---------------------------------------------------------------- filtering in a batch

def test_min_confidence_sends_pairs_to_the_rejects_and_loses_no_sentence(archive, tmp_path):
    full = jsonl_records_of(archive / "a", tmp_path)
    # a threshold that splits this archive's two-sided pairs
    scores = sorted(r["score"] for r in full if r["src_idx"] and r["tgt_idx"])
    threshold = scores[len(scores) // 3]
    assert scores[0] < threshold
    out = tmp_path / "f.jsonl"
    run = run_main("batch", archive / "a", "-o", out, "--min-confidence", str(threshold), "--jobs", "1", "-q")
    assert run.code == 0, run.err
    rejects = Path(str(out) + ".rejects.tsv").read_text(encoding="utf-8").splitlines()
    assert rejects[0] == "source\ttranslation\tscore\ttype\tsrc_no\ttgt_no\tdocument\tnote"  # counted from 1
    rejected = [dict(zip(rejects[0].split("\t"), line.split("\t"))) for line in rejects[1:]]
    kept = jsonl_records(out)
    assert rejected and kept
    assert all(r["score"] >= threshold - 1e-4 for r in kept)  # JSONL scores have 4 decimals, the rejects' 2
    assert all(float(r["score"]) < threshold + 0.005 or not (r["src_no"] and r["tgt_no"]) for r in rejected)
    for name in {r["document"] for r in full}:
        src = sorted([i for r in kept if r["document"] == name for i in r["src_idx"]]
                     + [int(i) - 1 for r in rejected if r["document"] == name for i in filter(None, r["src_no"].split(","))])
        tgt = sorted([j for r in kept if r["document"] == name for j in r["tgt_idx"]]
                     + [int(j) - 1 for r in rejected if r["document"] == name for j in filter(None, r["tgt_no"].split(","))])
        assert src == sorted(i for r in full if r["document"] == name for i in r["src_idx"])
        assert tgt == sorted(j for r in full if r["document"] == name for j in r["tgt_idx"])


def jsonl_records_of(folder: Path, tmp_path: Path) -> list[dict]:
    out = tmp_path / "unfiltered.jsonl"
    assert run_main("batch", folder, "-o", out, "--jobs", "1", "-q").code == 0
    return jsonl_records(out)


# ---------------------------------------------------------------- Dask

def test_dask_local_cluster_gives_the_same_output_as_the_local_path(archive, reference, tmp_path):
    distributed = pytest.importorskip("distributed", reason="pip install 'zh-en-aligner[dask]'")
    out, summary = tmp_path / "dask.tmx", tmp_path / "dask.tsv"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        run = run_cli("batch", archive, "-o", out, "--summary", summary, "--scheduler", cluster.scheduler_address, "-q")
    assert run.code == 0, run.err
    assert without_date(out) == without_date(reference)
    assert len(summary_rows(summary)) == 24


def test_an_unreachable_scheduler_is_one_line(archive, tmp_path):
    pytest.importorskip("distributed")
    env = {**cli_env(), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}  # Dask's own setting
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "aligner", "batch", str(archive / "a"), "-o", str(tmp_path / "x.tmx"),
                           "--scheduler", "tcp://127.0.0.1:9"], env=env, capture_output=True, text=True, timeout=120)
    assert time.monotonic() - start < 20  # the connect timeout, and no more
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "tcp://127.0.0.1:9: cannot reach the Dask scheduler" in proc.stderr
    assert not (tmp_path / "x.tmx.state.jsonl").exists()


@pytest.mark.parametrize("address, problem", [
    ("nonsense", "missing port number in address 'nonsense'"),
    ("tcp://10.0.0.5", "missing port number"),
    ("tcp://10.0.0.5:port", "the port 'port' is not a number from 1 to 65535"),
    ("tcp://10.0.0.5:99999", "the port '99999' is not a number from 1 to 65535"),
    ("http://10.0.0.5:8786", "unknown address scheme 'http'"),
    ("inproc://x", "inproc:// names a cluster inside one process"),
])
def test_a_bad_scheduler_address_is_a_usage_error_before_any_work(archive, tmp_path, address, problem):
    """'nonsense' was 'internal error: ValueError: missing port number'."""
    pytest.importorskip("distributed")
    out = tmp_path / "x.tmx"
    run = run_main("batch", archive / "a", "-o", out, "--scheduler", address)
    assert run.code == 2 and len(run.err_lines) == 1, run.err
    assert run.err.startswith(f"aligner: error: {address}: is not a Dask scheduler address (like tcp://"), run.err
    assert problem in run.err
    assert not out.exists() and not Path(str(out) + ".state.jsonl").exists()


# ---------------------------------------------------------------- progress

class FakeTerminal:
    def __init__(self):
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass


def test_progress_is_a_bar_at_a_terminal_only():
    from aligner.plumbing.progress import progress

    term = FakeTerminal()
    with progress(5, "doc", done=2, stream=term) as bar:
        for _ in range(3):
            bar.note(units=7)
            bar.advance()
    assert "5/5" in term.text and "units=7" in term.text
    quiet, pipe = FakeTerminal(), FakeTerminal()
    pipe.isatty = lambda: False
    for stream, q in ((quiet, True), (pipe, False)):
        with progress(5, "doc", quiet=q, stream=stream) as bar:
            bar.advance()
        assert stream.text == ""


def test_example_article_alone_is_a_batch_of_one(tmp_path):
    out = tmp_path / "one.tmx"
    run = run_main("batch", EXAMPLE, "-o", out, "--jobs", "1")
    assert run.code == 0
    assert run.err_lines[-1] == f"aligner: 1 document: 1 ok, 0 failed; 18 units -> {out}"
    assert {dict(u["props"])["x-document"] for u in tmx_units(out)} == {str(EXAMPLE)}


def test_help_names_every_output_batch_writes_and_every_exit_status(tmp_path):
    """-o named .tmx, .tsv and .jsonl only, though batch writes XLSX and HTML as well; the
    exit statuses left out 143, which SIGTERM gives (tested above)."""
    run = run_main("batch", "--help")
    assert run.code == 0
    help_text = " ".join(run.text.split())
    o_help = help_text.split("-o, --output PATH", 1)[1].split("-f, --format", 1)[0]
    for ext in (".tmx", ".tsv", ".jsonl", ".xlsx", ".html"):
        assert ext in o_help, o_help
        out = tmp_path / f"all{ext}"
        made = run_main("batch", EXAMPLE, "-o", out, "--jobs", "1", "-q")
        assert made.code == 0 and out.stat().st_size > 0, made.err
    assert "143 terminated (SIGTERM)" in help_text
    for code in (0, 1, 2, 130):
        assert f" {code} " in help_text.split("Exit status:", 1)[1]


# ---------------------------------------------------------------- the state file

def test_state_file_drops_a_line_cut_short_and_is_locked(archive, tmp_path):
    from aligner.batch.inputs import find_documents
    from aligner.batch.job import Settings, align_task, read_task
    from aligner.batch.state import StateFile
    from aligner.plumbing.errors import InputUsageError

    settings = Settings()
    path = str(tmp_path / "s.jsonl")
    outcomes = [align_task(read_task(k, d), settings) for k, d in enumerate(find_documents([str(archive / "a")])[:2])]
    state = StateFile(path, "fp")
    for outcome in outcomes:
        state.record(outcome)
    with pytest.raises(InputUsageError, match="in use by another aligner batch"):
        StateFile(path, "fp")
    state.close()
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[:-40])  # a crash in the middle of the last record
    again = StateFile(path, "fp")
    assert list(again.entries) == [outcomes[0].document.name]
    assert again.load(7, outcomes[0].document.name).parts == outcomes[0].parts
    again.record(outcomes[1])
    again.close()
    final = StateFile(path, "fp")
    assert list(final.entries) == [o.document.name for o in outcomes]
    final.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers only where there is fork")
def test_a_forked_worker_does_not_keep_the_state_locked(tmp_path):
    """kill -9 of a batch leaves its pool workers alive for up to a second: a copy of the
    state file's descriptor in them must not keep the rerun out."""
    from aligner.batch.state import _LOCKED, StateFile

    path = str(tmp_path / "s.jsonl")
    state = StateFile(path, "fp")
    fd = state._fh.fileno()
    ready, started = os.pipe()
    child = os.fork()
    if child == 0:  # a worker: lives on after its parent is gone
        os.write(started, b"x")  # fork has returned here: its after-fork hooks have run
        time.sleep(3)
        os._exit(0)
    try:
        os.read(ready, 1)
        state._fh.close()  # the batch's own descriptor gone, as when it is killed
        StateFile(path, "fp").close()  # the rerun gets the lock while the worker lives
    finally:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        os.close(ready)
        os.close(started)
        _LOCKED.discard(fd)  # closed behind the StateFile's back: no longer this process's lock


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks its workers on Linux only")
def test_a_document_that_kills_its_worker_every_time_fails_alone(archive, tmp_path, monkeypatch):
    """Only the document that kills a worker when aligned by itself is failed; those in
    flight beside it are aligned again, and the pool goes on with new workers."""
    from aligner.batch import job
    from aligner.batch.inputs import find_documents
    from aligner.batch.run import Batch, run_batch

    real = job.align_task

    def deadly(task, settings):  # inherited by the forked workers
        if task.document.name == "003.txt":
            os._exit(9)
        return real(task, settings)

    monkeypatch.setattr(job, "align_task", deadly)
    out, summary = tmp_path / "d.jsonl", tmp_path / "d.tsv"
    documents = find_documents([str(archive / "a")])
    totals = run_batch(Batch(documents, job.Settings(), str(out), "jsonl", jobs=2, summary=str(summary)))
    rows = {r["document"]: r for r in summary_rows(summary)}
    assert (totals.ok, totals.failed) == (9, 1)
    assert rows["003.txt"]["status"] == "failed" and "worker process aligning it died" in rows["003.txt"]["message"]
    assert all(r["status"] == "ok" for name, r in rows.items() if name != "003.txt")
    assert {r["document"] for r in jsonl_records(out)} == set(rows) - {"003.txt"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks its workers on Linux only")
def test_a_document_submitted_to_a_pool_that_just_broke_is_reported_lost_not_raised():
    """A worker may die between the batch's wait and its next submit: that submit must hand
    back a handle whose outcome is WorkerLost (the batch then restarts the pool), and
    ending the pool must not trip over workers that are already gone."""
    from concurrent.futures.process import BrokenProcessPool

    from aligner.batch import job
    from aligner.batch.executors import PoolExecutor, WorkerLost

    executor = PoolExecutor(job.Settings(), 2)
    try:
        killer = executor._pool.submit(os._exit, 9)
        with pytest.raises(BrokenProcessPool):
            killer.result(timeout=60)
        handle = executor.submit(None)  # never run: the pool is broken
        with pytest.raises(WorkerLost):
            executor.outcome(handle)
        executor.restart()  # kills what is left of the old pool, starts a new one
        assert executor._pool.submit(len, "abc").result(timeout=60) == 3
    finally:
        executor.close(cancel=True)


def test_a_summary_that_fails_last_leaves_the_output_as_it_was(archive, tmp_path, monkeypatch):
    """The summary is the last file to be finished: a full disk at its final flush failed
    the run after the merged output had already been replaced. Now the output, rejects
    and summary replace their old versions together or not at all."""
    import aligner.plumbing.atomic as atomic

    out, summary = tmp_path / "all.tmx", tmp_path / "summary.tsv"
    out.write_text("old output")
    real_fsync = os.fsync

    def fsync(fd):
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".summary.tsv."):
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    run = run_main("batch", archive / "a", "-o", out, "--summary", summary, "--jobs", "1", "-q")
    assert run.code == 1 and f"{summary}: cannot write: No space left on device" in run.err, run.err
    assert out.read_text() == "old output"
    # the finished documents stay recorded, for a rerun to resume
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.tmx", "all.tmx.state.jsonl"]
