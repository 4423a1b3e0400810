"""Progress bars on standard error: drawn when it is a terminal (simulated with a
pseudo-terminal), absent with -q and when standard error is a file or a pipe."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLE, ROOT, SHARED, cli_env, run_cli

pty = pytest.importorskip("pty")  # POSIX only


def run_in_terminal(*args: object) -> tuple[int, str]:
    """`python -m aligner ARGS` with standard error on a pseudo-terminal: exit code and what
    the terminal received."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "aligner", *map(str, args)], cwd=ROOT, env=cli_env(),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def inputs() -> list[object]:
    mac = SHARED / "mac-dev"
    if mac.exists():  # long enough for several updates
        return [mac / "zh" / "001", mac / "en" / "001", "--presplit"]
    return [EXAMPLE]


def test_a_terminal_shows_sentences_tokenised_and_rows_aligned(tmp_path):
    code, shown = run_in_terminal("align", *inputs(), "-o", tmp_path / "out.tsv")
    assert code == 0, shown
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)  # cursor hidden while drawing, shown after
    lines = [line.strip() for line in plain.replace("\r", "\n").splitlines() if line.strip()]
    tokenising = [line for line in lines if "tokenising" in line]
    aligning = [line for line in lines if "aligning" in line]
    assert tokenising and aligning, shown
    assert tokenising[0].endswith("0%") and tokenising[-1].split()[-1] == "100%"
    assert aligning[-1].split()[-1] == "100%"
    assert shown.index("tokenising") < shown.index("aligning") < shown.index("aligner: ")  # then the summary
    assert "Traceback" not in shown


def test_quiet_draws_nothing_on_a_terminal(tmp_path):
    code, shown = run_in_terminal("align", *inputs(), "-o", tmp_path / "out.tsv", "-q")
    assert code == 0
    assert shown == ""


def test_no_bar_when_standard_error_is_not_a_terminal(tmp_path):
    run = run_cli("align", *inputs(), "-o", tmp_path / "out.tsv")
    assert run.code == 0, run.err
    assert "%" not in run.err and "tokenising" not in run.err
    assert run.err_lines[-1].startswith("aligner: ") and "beads from" in run.err_lines[-1]
