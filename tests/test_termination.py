"""SIGTERM and SIGKILL of a long run (issue 9, item 4): SIGTERM is handled like Ctrl-C
(exit 143, no temporary file, the old output kept), and the forked worker never outlives
the main process nor prints a traceback. Real processes on a long input (the seed's
sentences repeated: about 5,400 x 5,700, with a worker from the start); the processes
are watched through /proc."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Run, cli_env
from test_bad_input import PREVIOUS, big_presplit_pair

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers and /proc: Linux only")


def children(pid: int) -> list[int]:
    """Live child processes of `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _stat(int(entry)) and _stat(int(entry))[1] == pid:
            found.append(int(entry))
    return found


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent) of a process that has not ended (zombies count as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] in "ZX" else (fields[0], int(fields[1]))


def wait_for(condition, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if found := condition():
            return found
        time.sleep(0.002)
    raise AssertionError(f"timed out waiting for {what}")


def start(folder: Path) -> subprocess.Popen:
    zh, en = big_presplit_pair(folder)
    return subprocess.Popen([sys.executable, "-m", "aligner", "align", zh, en, "--presplit", "-q", "-o", "out.tmx"],
                            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(),
                            start_new_session=True)


def finish(proc: subprocess.Popen) -> Run:
    out, err = proc.communicate(timeout=120)
    return Run(proc.returncode, out, err.decode("utf-8", "replace"))


def assert_terminated_cleanly(run: Run, folder: Path, before: list[str]) -> None:
    assert "Traceback" not in run.err, run.err
    assert run.code == 143, run.err
    assert run.err_lines == ["aligner: terminated; no output written"]
    assert (folder / "out.tmx").read_bytes() == PREVIOUS
    assert sorted(os.listdir(folder)) == before  # no temporary file left


def test_sigterm_while_aligning(tmp_path, existing_output):
    before = sorted(os.listdir(tmp_path) + ["big.en", "big.zh"])
    proc = start(tmp_path)
    workers = wait_for(lambda: children(proc.pid), 120, "the forked worker")
    os.kill(proc.pid, signal.SIGTERM)  # the main process only, as `kill PID` does
    assert_terminated_cleanly(finish(proc), tmp_path, before)
    wait_for(lambda: not any(_stat(w) for w in workers), 10, "the worker to end")


def test_sigterm_while_writing_removes_the_temporary_file(tmp_path, existing_output):
    """SIGTERM during the write once left .out.tmx.XXXX.tmp behind (the TMX takes about
    a second to write here)."""
    before = sorted(os.listdir(tmp_path) + ["big.en", "big.zh"])
    proc = start(tmp_path)
    wait_for(lambda: [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] or proc.poll() is not None, 180,
             "the temporary output file")
    os.kill(proc.pid, signal.SIGTERM)
    run = finish(proc)
    if run.code == 0:
        pytest.skip("the write ended before the signal came: machine too fast for this input")
    assert_terminated_cleanly(run, tmp_path, before)


def test_sigkill_ends_the_worker_without_a_traceback(tmp_path):
    """SIGKILL cannot be caught: the kernel must end the worker with its parent (it went
    on for 16 s on the Bible x8, then printed a BrokenPipeError traceback)."""
    proc = start(tmp_path)
    workers = wait_for(lambda: children(proc.pid), 120, "the forked worker")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    killed = time.monotonic()
    wait_for(lambda: not any(_stat(w) for w in workers), 10, "the worker to end")
    assert time.monotonic() - killed < 2  # at once, not when its work is done
    _, err = proc.communicate(timeout=60)  # the worker shared standard error: nothing from it
    assert err.decode("utf-8", "replace") == ""


@pytest.mark.parametrize("entry", ["python -m aligner", "console script", "cli.py"])
def test_ctrl_c_while_the_program_is_still_importing_is_one_line(entry):
    """A Ctrl-C in the first tenth of a second landed in the import of the command line's
    modules and printed a traceback. Here the interrupt is raised, deterministically,
    when the writers package is imported."""
    from conftest import EXAMPLE, ROOT

    start = {"python -m aligner": "import runpy; runpy.run_module('aligner', run_name='__main__')",
             "console script": "from aligner.__main__ import run; run()",
             "cli.py": f"import runpy; runpy.run_path({str(ROOT / 'cli.py')!r}, run_name='__main__')"}[entry]
    code = ("import sys\n"
            "class Interrupt:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'aligner.writers':\n"
            "            raise KeyboardInterrupt\n"
            "sys.meta_path.insert(0, Interrupt())\n"
            f"sys.argv = ['aligner', 'align', {str(EXAMPLE)!r}]\n" + start)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=cli_env(), timeout=60)
    assert (proc.returncode, proc.stderr, proc.stdout) == (130, "aligner: interrupted; no output written\n", "")


def test_the_console_script_starts_where_python_m_aligner_does():
    import tomllib

    from conftest import ROOT

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"aligner": "aligner.__main__:run"}
