"""Where the output goes, when it is not an ordinary file (issue 9): devices, FIFOs,
sockets, symlinks, standard output on a full disk or a closed pipe, standard input's
own file, names near the file-system limit, a sticky folder. Devices are private nodes
made in the test's folder (never the machine's /dev/null or /dev/full): creating them
needs root, as CI runs."""

from __future__ import annotations

import os
import resource
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from conftest import EXAMPLE, Run, cli_env, gold_pairs, run_cli

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="making device nodes and changing user need root (CI runs as root)")
NULL, FULL = os.makedev(1, 3), os.makedev(1, 7)  # the kernel's null and full devices


def device(path: Path, number: int, kind: int = stat.S_IFCHR) -> Path:
    os.mknod(path, kind | 0o666, number)
    return path


def run(*args, stdin=None, stdout=subprocess.PIPE, cwd: Path | None = None, env: dict | None = None,
        fsize: int | None = None) -> Run:
    """`python -m aligner ARGS` with standard input and output as given (open files, a
    device) and, if `fsize`, no file written beyond that many bytes (what a full disk does
    to a write: the part that fits is written, the rest fails)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    proc = subprocess.run([sys.executable, "-m", "aligner", *map(str, args)],
                          stdin=stdin if stdin is not None else subprocess.DEVNULL, stdout=stdout,
                          stderr=subprocess.PIPE, cwd=cwd, env={**cli_env(), **(env or {})},
                          preexec_fn=limit if fsize else None, timeout=120)
    return Run(proc.returncode, proc.stdout or b"", proc.stderr.decode("utf-8", "replace"))


def assert_one_line_error(run: Run, code: int, *words: str) -> None:
    assert "Traceback" not in run.err and "Exception ignored" not in run.err, run.err
    assert run.code == code, run.err
    assert len(run.err_lines) == 1 and run.err.startswith("aligner: error: "), run.err
    for word in words:
        assert word in run.err, (word, run.err)


def expected_tsv(tmp_path: Path) -> bytes:
    """The example's TSV as written to an ordinary file."""
    out = tmp_path / "reference.tsv"
    assert run_cli("align", EXAMPLE, "-o", out, "-q").code == 0
    data = out.read_bytes()
    out.unlink()
    return data


# ---------------------------------------------------------------- 1. not a regular file

@ROOT_ONLY
def test_character_device_is_written_to_not_replaced(tmp_path):
    """`-o /dev/null` as root once made /dev/null a text file."""
    null = device(tmp_path / "null", NULL)
    result = run_cli("align", EXAMPLE, "-o", null, "-f", "tsv", "-q", cwd=tmp_path)
    assert result.code == 0, result.err
    st = null.lstat()
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == NULL
    assert sorted(os.listdir(tmp_path)) == ["null"]


@ROOT_ONLY
def test_symlink_to_a_device_leaves_link_and_device(tmp_path):
    null = device(tmp_path / "null", NULL)
    link = tmp_path / "out.tsv"
    link.symlink_to(null)
    result = run_cli("align", EXAMPLE, "-o", link, "-q", cwd=tmp_path)
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(null)
    assert stat.S_ISCHR(null.lstat().st_mode) and null.lstat().st_rdev == NULL


def test_fifo_reader_gets_the_output(tmp_path):
    expected = expected_tsv(tmp_path)
    fifo = tmp_path / "pairs.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:  # blocks until the aligner opens the FIFO
            got.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)  # a daemon: never holds up pytest
    reader.start()
    result = run_cli("align", EXAMPLE, "-o", fifo, "-f", "tsv", "-q", cwd=tmp_path)
    reader.join(timeout=30)
    assert result.code == 0, result.err
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a file"
    assert got == [expected]


def test_unix_socket_gets_the_output(tmp_path):
    expected = expected_tsv(tmp_path)
    folder = Path(tempfile.mkdtemp(prefix="al"))  # socket paths are limited to ~100 bytes
    try:
        path = folder / "out.sock"
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(path))
        server.listen(1)
        server.settimeout(60)
        got: list[bytes] = []

        def serve() -> None:
            conn, _ = server.accept()
            with conn:
                got.append(b"".join(iter(lambda: conn.recv(65536), b"")))

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        result = run_cli("align", EXAMPLE, "-o", path, "-f", "tsv", "-q", cwd=tmp_path)
        thread.join(timeout=30)
        server.close()
        assert result.code == 0, result.err
        assert stat.S_ISSOCK(path.lstat().st_mode)
        assert got == [expected]
    finally:
        shutil.rmtree(folder)


@ROOT_ONLY
def test_block_device_is_refused(tmp_path):
    """A disk is no output file: refused before any work (major 240 is for local use,
    no driver behind it here, so nothing could be written even by mistake)."""
    node = device(tmp_path / "disk", os.makedev(240, 0), stat.S_IFBLK)
    result = run_cli("align", EXAMPLE, "-o", node, "-f", "tsv", "-q", cwd=tmp_path)
    assert_one_line_error(result, 2, "disk", "block device")
    assert stat.S_ISBLK(node.lstat().st_mode)


def test_symlink_to_a_regular_file_replaces_the_file_not_the_link(tmp_path):
    real = tmp_path / "real.tsv"
    real.write_bytes(b"old\n")
    link = tmp_path / "out.tsv"
    link.symlink_to(real)
    result = run_cli("align", EXAMPLE, "-o", link, "-q", cwd=tmp_path)
    assert result.code == 0, result.err
    assert link.is_symlink() and real.read_bytes() == expected_tsv(tmp_path)


# ---------------------------------------------------------------- 2. standard output

def stdout_size(*args) -> int:
    return len(run_cli(*args).out)


@pytest.mark.parametrize("unbuffered", ["", "1"])
@pytest.mark.parametrize("command", [["align", EXAMPLE, "-f", "tmx", "-q"], ["segment", EXAMPLE]])
def test_short_write_to_standard_output_fails(tmp_path, command, unbuffered):
    """Standard output redirected to a file on a disk that fills up 20 bytes before the
    end: with PYTHONUNBUFFERED=1 the last write was cut short and the run exited 0."""
    size = stdout_size(*command)
    with open(tmp_path / "out", "wb") as out:
        result = run(*command, stdout=out, fsize=size - 20, env={"PYTHONUNBUFFERED": unbuffered})
    assert_one_line_error(result, 1, "<stdout>", "cannot write", "File too large")


@ROOT_ONLY
@pytest.mark.parametrize("command", [["align", EXAMPLE, "-q"], ["segment", EXAMPLE]])
def test_full_device_as_standard_output(tmp_path, command):
    full = device(tmp_path / "full", FULL)
    with open(full, "wb") as out:
        result = run(*command, stdout=out, env={"PYTHONUNBUFFERED": "1"})
    assert_one_line_error(result, 1, "<stdout>", "No space left on device")


def long_article(folder: Path, copies: int = 150) -> Path:
    """A 600 KB plain Chinese text (the seed's sentences, repeated): output far beyond
    a pipe's 64 KB buffer, in one write."""
    path = folder / "long.zh.txt"
    path.write_text("\n".join(z for z, _ in gold_pairs() * copies) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_reader_closing_the_pipe_early_gives_141(tmp_path, unbuffered):
    """`aligner segment long.txt | head -c 100`: the documented 141 (it was 0 when the
    reader went away during a write that the pipe could not take at once)."""
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "segment", long_article(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**cli_env(), "PYTHONUNBUFFERED": unbuffered})
    assert len(proc.stdout.read(100)) == 100
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert (proc.wait(timeout=60), err) == (141, "")


# ---------------------------------------------------------------- 3. standard input's file as output

def stdin_from(path: Path, *args, cwd: Path) -> Run:
    with open(path, "rb") as fh:
        return run(*args, stdin=fh, cwd=cwd)


def test_output_is_the_file_standard_input_comes_from(tmp_path):
    pairs = gold_pairs()[:3]
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("\n".join(z for z, _ in pairs) + "\n", encoding="utf-8")
    en.write_text("\n".join(e for _, e in pairs) + "\n", encoding="utf-8")
    article = tmp_path / "art.txt"
    shutil.copy(EXAMPLE, article)
    for target, args in ((en, ["align", zh, "-", "-o", en]),
                         (article, ["align", "-", "-o", article]),
                         (zh, ["segment", "-", "-o", zh])):
        before = target.read_bytes()
        result = stdin_from(target, *args, cwd=tmp_path)
        assert_one_line_error(result, 2, target.name, "standard input")
        assert target.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["art.txt", "en.txt", "zh.txt"]


def test_standard_input_from_another_file_is_fine(tmp_path):
    article = tmp_path / "art.txt"
    shutil.copy(EXAMPLE, article)
    result = stdin_from(article, "align", "-", "-o", tmp_path / "out.tsv", "-q", cwd=tmp_path)
    assert result.code == 0, result.err
    assert (tmp_path / "out.tsv").read_bytes() == expected_tsv(tmp_path)


# ---------------------------------------------------------------- 10. clear messages

@ROOT_ONLY
def test_disk_full_names_the_output_file(tmp_path):
    full = device(tmp_path / "full", FULL)
    result = run_cli("align", EXAMPLE, "-o", full, "-f", "tmx", "-q", cwd=tmp_path)
    assert_one_line_error(result, 1, "full: cannot write: No space left on device")


def test_file_size_limit_on_the_output_file_keeps_the_old_one(tmp_path, existing_output):
    """A write that fails half-way into the temporary file (here the file-size limit,
    as a full disk would): one line naming the file, which keeps its old content."""
    before = existing_output.read_bytes()
    result = run("align", EXAMPLE, "-o", existing_output, "-q", cwd=tmp_path, fsize=4096)
    assert_one_line_error(result, 1, "out.tmx", "cannot write", "File too large", "left as it was")
    assert existing_output.read_bytes() == before
    assert os.listdir(tmp_path) == ["out.tmx"]


def test_output_name_near_the_limit_gets_a_shorter_temporary_name(tmp_path):
    name = "x" * 248 + ".tsv"  # 252 bytes: fits, but '.NAME.XXXXXXXX.tmp' would not
    result = run_cli("align", EXAMPLE, "-o", name, "-q", cwd=tmp_path)
    assert result.code == 0, result.err
    assert os.listdir(tmp_path) == [name]


def test_output_name_beyond_the_limit_is_refused(tmp_path):
    name = "文" * 90 + ".tsv"  # 274 bytes in UTF-8
    result = run_cli("align", EXAMPLE, "-o", name, "-q", cwd=tmp_path)
    assert_one_line_error(result, 2, "file name too long")
    assert os.listdir(tmp_path) == []


def test_dev_stdout_on_a_pipe():
    tsv = run_cli("align", EXAMPLE, "-q").out
    result = run_cli("align", EXAMPLE, "-o", "/dev/stdout", "-f", "tsv", "-q")
    assert result.code == 0, result.err
    assert result.out == tsv


@ROOT_ONLY
def test_sticky_folder_refusing_the_rename_is_written_in_place():
    """In a sticky folder (as /tmp) another user's file may be writable while renaming
    over it is refused: the complete output is then copied over it."""
    from aligner.plumbing.atomic import atomic_open

    folder = Path(tempfile.mkdtemp(prefix="sticky"))  # under /tmp: reachable by 'nobody'
    try:
        folder.chmod(0o1777)
        target = folder / "shared.tsv"
        target.write_bytes(b"root's old content, longer than the new one\n")
        target.chmod(0o666)
        pid = os.fork()
        if pid == 0:  # the child becomes 'nobody' and writes
            code = 3
            try:
                os.setgid(65534)
                os.setuid(65534)
                probe = folder / "probe"
                probe.write_bytes(b"")
                try:
                    os.rename(probe, target)
                    code = 4  # the rename was allowed: nothing to test
                except PermissionError:
                    probe.unlink()
                    with atomic_open(str(target)) as fh:
                        fh.write("新\tnew\t0.90\n")
                    code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code == 4:
            pytest.skip("this system lets the rename through")
        assert code == 0
        assert target.read_text(encoding="utf-8") == "新\tnew\t0.90\n"
        assert target.stat().st_uid == 0  # still root's file, written in place
        assert os.listdir(folder) == ["shared.tsv"]
    finally:
        shutil.rmtree(folder)
