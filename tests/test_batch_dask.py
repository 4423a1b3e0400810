"""`aligner batch --scheduler`: a cluster that goes away, or that is not one, or that has no
workers, is one line on standard error (never Dask's logging), and never an endless wait."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from batch_articles import make_articles, tmx_units
from conftest import cli_argv, cli_env, run_cli

distributed = pytest.importorskip("distributed", reason="pip install 'zh-en-aligner[dask]'")

DASK_BIN = Path(sys.executable).parent / "dask"
FAST_CONNECT = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s"}


def start(argv: list, **env) -> subprocess.Popen:
    return subprocess.Popen([str(a) for a in argv], env={**cli_env(), **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=30)


def start_scheduler() -> tuple[subprocess.Popen, str]:
    """A `dask scheduler` process on a free port, and its address (read from its log)."""
    proc = start([DASK_BIN, "scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-address", ":0"])
    deadline = time.monotonic() + 30
    for line in proc.stderr:
        found = re.search(r"Scheduler at:\s+(tcp://\S+)", line)
        if found:
            # keep reading its log, so that the pipe never fills and blocks it
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return proc, found.group(1)
        assert time.monotonic() < deadline
    stop(proc)
    raise AssertionError("the scheduler did not start")


def test_a_scheduler_lost_mid_batch_is_one_line_and_the_rerun_completes(tmp_path):
    """It was ~20 lines of distributed.client tracebacks, then 'internal error:
    FuturesCancelledError', exit 1."""
    folder = tmp_path / "docs"
    make_articles(folder, 240, per_folder=40)
    out = tmp_path / "all.tmx"
    out.write_text("old output\n", encoding="utf-8")
    state = Path(str(out) + ".state.jsonl")
    scheduler, address = start_scheduler()
    worker = start([DASK_BIN, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"])
    try:
        batch = start(cli_argv("batch", folder, "-o", out, "--scheduler", address, "-q"))
        deadline = time.monotonic() + 60
        while not (state.exists() and state.read_bytes().count(b"\n") > 10):
            assert batch.poll() is None, batch.communicate()
            assert time.monotonic() < deadline, "no document recorded"
            time.sleep(0.02)
        scheduler.kill()
        _, err = batch.communicate(timeout=60)
    finally:
        for proc in (worker, scheduler):
            stop(proc)
    assert batch.returncode == 1, err
    assert err == (f"aligner: error: {address}: lost the connection to the Dask scheduler; finished documents "
                   "are kept, run the same command again to resume\n")
    assert out.read_text(encoding="utf-8") == "old output\n"
    recorded = state.read_bytes().count(b"\n") - 1
    assert 10 <= recorded < 240
    rerun = run_cli("batch", folder, "-o", out, "--jobs", "1")
    assert rerun.code == 0, rerun.err
    assert f"({recorded} done by an earlier run)" in rerun.err
    reference = tmp_path / "ref.tmx"
    assert run_cli("batch", folder, "-o", reference, "--jobs", "1", "-q").code == 0
    assert tmx_units(out) == tmx_units(reference)


def test_a_server_that_is_not_a_dask_scheduler_is_one_line_after_the_connect_timeout(tmp_path):
    """An HTTP server at the address: it waited forever (Dask bounds the connection, not its
    handshake)."""
    make_articles(tmp_path / "docs", 2)
    listener = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    address = f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    try:
        began = time.monotonic()
        proc = start(cli_argv("batch", tmp_path / "docs", "-o", tmp_path / "x.tmx", "--scheduler", address),
                     **FAST_CONNECT)
        try:
            _, err = proc.communicate(timeout=60)
        finally:
            stop(proc)
    finally:
        listener.close()
    assert time.monotonic() - began < 20
    assert proc.returncode == 2, err
    assert err.startswith(f"aligner: error: {address}: is not a Dask scheduler: no Dask answer within")
    assert len(err.splitlines()) == 1, err
    assert not (tmp_path / "x.tmx").exists() and not (tmp_path / "x.tmx.state.jsonl").exists()


def test_a_worker_address_is_not_taken_for_the_scheduler(tmp_path):
    make_articles(tmp_path / "docs", 2)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  dashboard_address=":0") as cluster:
        address = next(iter(cluster.scheduler_info["workers"]))
        proc = start(cli_argv("batch", tmp_path / "docs", "-o", tmp_path / "x.tmx", "--scheduler", address),
                     **FAST_CONNECT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    assert err == f"aligner: error: {address}: is not a Dask scheduler: a Dask Worker answers there\n"


def test_a_scheduler_without_workers_says_it_waits_and_goes_on_when_one_joins(tmp_path):
    """It waited silently."""
    make_articles(tmp_path / "docs", 3)
    out = tmp_path / "x.tmx"
    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp", dashboard_address=":0") as cluster:
        proc = start(cli_argv("batch", tmp_path / "docs", "-o", out, "--scheduler", cluster.scheduler_address, "-q"))
        try:
            first: list[str] = []
            reader = threading.Thread(target=lambda: first.append(proc.stderr.readline()), daemon=True)
            reader.start()
            reader.join(timeout=30)  # the notice comes after WORKERS_NOTICE s
            assert first, "no notice on standard error"
            line = first[0]
            assert line == f"aligner: waiting for Dask workers at {cluster.scheduler_address} (none has joined the scheduler yet) ...\n"
            assert proc.poll() is None
            cluster.scale(1)
            _, err = proc.communicate(timeout=60)
        finally:
            stop(proc)
    assert proc.returncode == 0, err
    assert err == "" and len(tmx_units(out)) > 0
