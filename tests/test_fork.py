"""run_aside: a function's result from a forked child, or in-process, the same either way."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from aligner.plumbing.fork import run_aside


def test_result_comes_back_from_a_child_process():
    parent = os.getpid()
    data = list(range(100_000))  # shared with the child by the fork, not sent to it
    result = run_aside(lambda: (os.getpid(), sum(data)))()
    assert result[1] == sum(data)
    if sys.platform.startswith("linux"):
        assert result[0] != parent


def test_in_process_when_not_parallel():
    assert run_aside(lambda: os.getpid(), parallel=False)() == os.getpid()


def test_the_childs_exception_is_raised_in_the_parent():
    def fails():
        raise ValueError("no path through the band")

    pending = run_aside(fails)
    with pytest.raises(ValueError, match="no path"):
        pending()


def _inside_pool_worker(_: int) -> int:
    return run_aside(lambda: 6 * 7)()


def test_inside_a_pool_worker_it_runs_in_process():
    """multiprocessing.Pool workers are daemons, which may not start children (a batch
    run's workers align documents with this code)."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(_inside_pool_worker, [0]) == [42]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only: the function runs in-process")
def test_interrupted_wait_ends_the_child():
    """A Ctrl-C while the parent waits ends the child (which could be blocked writing a
    big result into a pipe nobody reads any more) instead of waiting for it."""
    import signal
    import threading
    import time

    pending = run_aside(lambda: time.sleep(60))
    # at the main thread, which is blocked reading the pipe, as a terminal's Ctrl-C would be
    timer = threading.Timer(0.5, signal.pthread_kill, (threading.main_thread().ident, signal.SIGINT))
    timer.start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        pending()
    assert time.monotonic() - start < 30  # not the child's 60 s


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only: the function runs in-process")
def test_ctrl_c_during_the_fork_is_raised_not_printed():
    """A Ctrl-C that arrived while the fork's hooks ran in the parent (logging releases its
    lock there) raised KeyboardInterrupt inside the hook, where Python can only print it:
    'Exception ignored in: <function _releaseLock>' and a traceback on the terminal, and
    the run went on (CI caught it in test_bad_input's Ctrl-C test). It is held through the
    fork and raised after it."""
    import subprocess
    import textwrap

    script = textwrap.dedent("""
        import os, signal
        from aligner.plumbing.fork import run_aside
        # the signal lands exactly where the race put it: in an after-fork hook of the parent
        os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))
        try:
            run_aside(lambda: 42)()
        except KeyboardInterrupt:
            print("interrupted")
        else:
            print("went on")
    """)
    root = str(Path(__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env)
    assert run.stdout.strip() == "interrupted", run.stderr
    assert "Exception ignored" not in run.stderr and "Traceback" not in run.stderr, run.stderr
