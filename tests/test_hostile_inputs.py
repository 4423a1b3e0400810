"""Hostile inputs (issue 24): files from an untrusted archive never take the machine or leak a
file, and a batch's state cannot be turned against it. Each case was tried as an attacker
would and failed before the change; devices are private nodes and FIFOs in a temporary
folder, never the machine's own."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time
from pathlib import Path

import pytest

from batch_articles import make_articles
from conftest import EXAMPLE, cli_argv, cli_env, example_bodies, run_cli, run_main
from test_batch_state import finished  # noqa: F401 - the fixture: three articles batched once

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="making device nodes needs root (CI runs as root)")
ZERO = os.makedev(1, 5)  # the kernel's zero device, as a private node


def zero_device(path: Path) -> Path:
    os.mknod(path, stat.S_IFCHR | 0o666, ZERO)
    return path


@pytest.fixture
def archive(tmp_path, monkeypatch) -> Path:
    """An input folder `in` with two articles, beside a secret file outside it; the current folder."""
    make_articles(tmp_path / "in", 2, per_folder=2)  # in/a/000.txt, in/a/001.txt
    (tmp_path / "secret.txt").write_text(EXAMPLE.read_text(encoding="utf-8").replace("Harbin", "SECRET"),
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def summary_rows(path: str = "s.tsv") -> dict[str, list[str]]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()[1:]
    return {line.split("\t")[0]: line.split("\t") for line in lines}


# ------------------------------------------------------------------ a folder scan

def test_a_link_out_of_the_folder_is_not_read_but_a_failed_row_with_a_warning(archive):
    """Its text landed in the output."""
    os.symlink("../../secret.txt", "in/a/link.txt")
    Path("in/kept.dat").write_bytes(EXAMPLE.read_bytes())
    os.symlink("../kept.dat", "in/a/inside.txt")  # a link that stays inside the folder is read
    run = run_main("batch", "in", "-o", "out.tsv", "--summary", "s.tsv", "--jobs", "1")
    assert run.code == 0, run.err
    assert "SECRET" not in Path("out.tsv").read_text(encoding="utf-8")
    assert "aligner: warning: in/a/link.txt: skipped: a symbolic link to a file outside the folder" in run.err_lines
    rows = summary_rows()
    assert rows["a/link.txt"][1:2] == ["failed"]
    assert rows["a/link.txt"][-1] == "not read: a symbolic link to a file outside the folder"
    assert rows["a/inside.txt"][1] == "ok"


def test_a_fifo_in_the_folder_is_skipped_not_waited_for(archive):
    """A FIFO named *.txt hung the batch."""
    os.mkfifo("in/a/fifo.txt")
    proc = subprocess.run(cli_argv("batch", "in", "-o", "out.tsv", "--summary", "s.tsv", "--jobs", "1"),
                          capture_output=True, env=cli_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert summary_rows()["a/fifo.txt"][-1] == "not read: a FIFO, not a regular file"


@ROOT_ONLY
def test_a_link_to_a_zero_device_in_the_folder_is_skipped(archive):
    """A link to /dev/zero drove memory to 24 GB."""
    zero_device(archive / "in" / "a" / "zero-node")
    os.symlink("zero-node", "in/a/zero.txt")
    run = run_main("batch", "in", "-o", "out.tsv", "--summary", "s.tsv", "--jobs", "1")
    assert run.code == 0, run.err
    assert summary_rows()["a/zero.txt"][-1] == "not read: a character device, not a regular file"


@ROOT_ONLY
def test_a_zero_device_given_as_a_file_stops_at_the_size_cap(tmp_path):
    """Named on the command line a device is read (a process substitution is a pipe), but
    no further than the cap: one line, exit 1, at once."""
    zero = zero_device(tmp_path / "zero")
    run = run_main("align", zero, "--max-input-size", "2M")
    assert (run.code, run.err_lines) == (1, [f"aligner: error: {zero}: gives more than the input size limit of "
                                             "2 MB; raise it with --max-input-size if the file is meant"])
    run = run_main("segment", zero, "--max-input-size", "1K")
    assert run.code == 1 and "gives more than the input size limit of 1 KB" in run.err


def test_a_huge_sparse_file_is_refused_by_its_size_before_it_is_read(tmp_path):
    """A 2 GB sparse file took 2.2 GB before being refused."""
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(2 * 2**30)
    started = time.monotonic()
    run = run_cli("align", huge, "-q")
    assert (run.code, run.err) == (1, f"aligner: error: {huge}: is 2 GB, more than the input size limit of 64 MB; "
                                      "raise it with --max-input-size if the file is meant\n")
    assert time.monotonic() - started < 30  # refused by its size: nothing of it was read


def test_every_reader_is_capped(tmp_path):
    """align, batch, convert, eval, segment and the pairs list all read through the cap."""
    big = tmp_path / "big.txt"
    big.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    for args in (["align", big], ["segment", big], ["convert", big], ["eval", big, big]):
        run = run_main(*args, "--max-input-size", "1K")
        assert run.code == 1 and "more than the input size limit of 1 KB" in run.err, (args, run.err)
    run = run_main("batch", big, "-o", tmp_path / "o.tsv", "--summary", tmp_path / "s.tsv", "--max-input-size", "1K",
                   "--jobs", "1")
    assert run.code == 1
    assert "is 6.5 KB, more than the input size limit of 1 KB" in (tmp_path / "s.tsv").read_text(encoding="utf-8")
    run = run_main("align", "-", "--max-input-size", "1K", stdin=b"x" * 2000)
    assert run.code == 1 and "<stdin>: gives more than the input size limit of 1 KB" in run.err


@pytest.mark.parametrize("size", ["0", "-5", "lots", "1X", "nan"])
def test_a_bad_size_is_a_usage_error(size):
    run = run_main("align", EXAMPLE, "--max-input-size", size)
    assert run.code == 2 and "is not a size such as 64M" in run.err


# ------------------------------------------------------------------ pairs lists

def test_a_pairs_line_out_of_the_lists_folder_is_refused_unless_allowed(archive):
    """A pairs line '../../../x' read any file the process could."""
    zh, en = example_bodies()
    Path("lists").mkdir()
    Path("zh.txt").write_text("\n\n".join(zh) + "\n", encoding="utf-8")
    Path("en.txt").write_text("\n\n".join(en) + "\n", encoding="utf-8")
    Path("lists/pairs.tsv").write_text("../zh.txt\t../en.txt\tone\n", encoding="utf-8")
    run = run_main("batch", "--pairs", "lists/pairs.tsv", "-o", "out.tsv", "--jobs", "1")
    assert run.code == 2
    assert run.err_lines == ["aligner: error: lists/pairs.tsv:1: ../zh.txt: outside lists, the folder the list's "
                             "paths must stay in; give --pairs-root FOLDER to allow a wider one"]
    Path("lists/pairs.tsv").write_text(f"{Path('zh.txt').resolve()}\ten.txt\n", encoding="utf-8")
    assert run_main("batch", "--pairs", "lists/pairs.tsv", "-o", "out.tsv", "--jobs", "1").code == 2
    Path("lists/pairs.tsv").write_text("../zh.txt\t../en.txt\tone\n", encoding="utf-8")
    run = run_main("batch", "--pairs", "lists/pairs.tsv", "--pairs-root", ".", "-o", "out.tsv", "--jobs", "1", "-q")
    assert run.code == 0, run.err


def test_a_pairs_line_naming_a_fifo_is_refused(archive):
    os.mkfifo("fifo.txt")
    Path("pairs.tsv").write_text("fifo.txt\tsecret.txt\n", encoding="utf-8")
    run = run_main("batch", "--pairs", "pairs.tsv", "-o", "out.tsv", "--jobs", "1")
    assert (run.code, run.err_lines) == (2, ["aligner: error: pairs.tsv:1: fifo.txt: a FIFO, not a regular file"])


# ------------------------------------------------------------------ names

def test_a_file_name_that_is_not_utf8_works_everywhere_and_is_shown_escaped(tmp_path):
    """GBK bytes in a name gave 'internal error: UnicodeEncodeError' in every batch, every
    rerun and align --summary."""
    folder = tmp_path / "in"
    folder.mkdir()
    name = b"\xb0\xa1.txt"  # 啊 in GBK, not UTF-8
    with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
        fh.write(EXAMPLE.read_bytes())
    out, summary = tmp_path / "out.tmx", tmp_path / "s.tsv"
    for _ in range(2):  # the run, and the rerun that resumes it
        run = run_cli("batch", folder, "-o", out, "--summary", summary, "--jobs", "1")
        assert run.code == 0, run.err
        assert "internal error" not in run.err
    assert "\\xb0\\xa1.txt\tok" in summary.read_text(encoding="utf-8")
    assert 'x-document">\\xb0\\xa1.txt<' in out.read_text(encoding="utf-8")
    run = run_cli("align", os.fsdecode(os.path.join(os.fsencode(folder), name)), "-o", tmp_path / "one.tsv",
                  "--summary", tmp_path / "one.s.tsv")
    assert run.code == 0, run.err
    assert (tmp_path / "one.s.tsv").read_text(encoding="utf-8").splitlines()[1].startswith(f"{folder}/\\xb0\\xa1.txt\tok")


def test_names_with_a_line_break_and_a_space_stay_two_documents(tmp_path):
    """'new\\nline.txt' and 'new line.txt' became one document name."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("new\nline.txt", "new line.txt"):
        (folder / name).write_bytes(EXAMPLE.read_bytes())
    run = run_main("batch", folder, "-o", tmp_path / "out.tsv", "--summary", tmp_path / "s.tsv", "--jobs", "1", "-q")
    assert run.code == 0, run.err
    assert sorted(summary_rows(tmp_path / "s.tsv")) == ["new line.txt", "new\\nline.txt"]


def test_two_names_shown_alike_are_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"a\xb0.txt"), "wb") as fh:  # shown as a\xb0.txt
        fh.write(EXAMPLE.read_bytes())
    (folder / "a\\xb0.txt").write_bytes(EXAMPLE.read_bytes())  # a backslash, x, b, 0
    run = run_cli("batch", folder, "-o", tmp_path / "out.tsv", "--jobs", "1")
    assert run.code == 2
    assert "two documents are named 'a\\\\xb0.txt' (as shown:" in run.err


# ------------------------------------------------------------------ the state file

def test_a_same_size_edit_with_its_time_restored_is_aligned_again(finished):
    """Resume trusted size and modification time, as tar and unzip restore them."""
    folder, out = finished
    path = folder / "a" / "001.txt"
    text = path.read_text(encoding="utf-8")
    st = path.stat()
    edited = text.replace("Harbin", "Hxrbin")
    assert len(edited.encode()) == len(text.encode()) and edited != text
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    run = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert run.code == 0, run.err
    assert "(2 done by an earlier run)" in run.err
    assert "Hxrbin" in out.read_text(encoding="utf-8")


def _edit_record(out: Path, edit) -> None:
    state = Path(str(out) + ".state.jsonl")
    lines = state.read_text(encoding="utf-8").splitlines(keepends=True)
    record = json.loads(lines[2])
    edit(record)
    lines[2] = json.dumps(record, ensure_ascii=False) + "\n"
    state.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("edit, problem", [
    (lambda r: r["parts"][0]["doc"]["scores"].__setitem__(0, float("nan")), "score NaN is not a number from 0 to 1"),
    (lambda r: r["parts"][0]["doc"].__setitem__("scores", r["parts"][0]["doc"]["scores"][:1]),
     "'scores' is not a list of one score per bead"),
    (lambda r: r["parts"][0]["doc"]["beads"].__setitem__(0, [[-1], [0]]), "bead [[-1], [0]] is not two lists"),
    (lambda r: r["parts"][0]["doc"]["beads"].__setitem__(0, [[0], [999]]), "bead [[0], [999]] is not two lists"),
    (lambda r: r["parts"][0]["doc"].__setitem__("metadata", ["title"]), "'metadata' is not a table of texts"),
    (lambda r: r["parts"][0]["doc"]["src"].__setitem__("paragraphs", "text"), "'src' paragraphs are not lists"),
    (lambda r: r["parts"][0]["summary"].__setitem__("units", "many"), "'units' is not a count"),
    (lambda r: r["parts"][0]["summary"].__setitem__("status", "great"), "status \"great\" is not one of"),
    (lambda r: r["parts"][0]["summary"].__setitem__("mean_confidence", 7), "'mean_confidence' is not a number"),
    (lambda r: r["parts"].__setitem__(0, [1]), "part 1 is not a summary and an aligned document"),
])
def test_every_field_of_a_state_record_is_checked(finished, edit, problem):
    """NaN scores were accepted (JSONL got NaN, XLSX an empty value convert read as 1.0), a
    short scores list dropped 17 of 18 units, negative indices passed, and other damage was
    an internal error."""
    folder, out = finished
    _edit_record(out, edit)
    run = run_main("batch", folder, "-o", out, "--jobs", "1")
    assert run.code == 2, run.err
    assert len(run.err_lines) == 1 and "internal error" not in run.err
    assert f".state.jsonl:3: damaged state record (part 1: {problem}" in run.err or (
        f".state.jsonl:3: damaged state record ({problem}" in run.err), run.err


def test_the_lock_holds_through_a_symlink_to_the_output(tmp_path):
    """A second batch writing through a link to the output deleted the first's temporary
    file, and the first failed after all its work."""
    folder = tmp_path / "f"
    make_articles(folder, 60, per_folder=60)
    out, link = tmp_path / "all.tsv", tmp_path / "link.tsv"
    os.symlink(out.name, link)
    first = subprocess.Popen(cli_argv("batch", folder, "-o", out, "--jobs", "1", "-q"), env=cli_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        state = Path(str(out) + ".state.jsonl")
        deadline = time.monotonic() + 60
        while not (state.exists() and state.read_bytes().count(b"\n") >= 2):
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.02)
        second = run_main("batch", folder, "-o", link, "--jobs", "1")
        assert second.code == 2
        assert second.err_lines == [f"aligner: error: {state}: is in use by another aligner batch writing the "
                                    "same output"]
        _, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == 0, err
    assert len(out.read_text(encoding="utf-8").splitlines()) > 60
