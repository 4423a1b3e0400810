"""`aligner batch --scheduler` and trust (issue 24): a server that is no Dask scheduler cannot
run code in the aligner through its first question, and a TLS scheduler (Dask's Security:
a certificate authority, certificates and keys made here with openssl) works with
--tls-ca-file, --tls-cert and --tls-key."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE, run_cli
from test_batch_dask import DASK_BIN, start, stop

pytest.importorskip("distributed", reason="pip install 'zh-en-aligner[dask]'")

# A server that speaks Dask's protocol but is no scheduler: to the first question it
# answers with a pickle that, unpickled, creates the file named on its command line.
FAKE = textwrap.dedent("""
    import asyncio, sys
    from distributed.comm import listen
    from distributed.protocol.serialize import to_serialize

    class Payload:
        def __reduce__(self):
            return (open, (sys.argv[1], "w"))

    async def handle(comm):
        try:
            await comm.read()
            await comm.write({"type": "NotAScheduler", "payload": to_serialize(Payload())}, serializers=["pickle"])
        finally:
            comm.abort()

    async def main():
        listener = await listen("tcp://127.0.0.1:0", handle)
        await listener.start()
        print(listener.contact_address, flush=True)
        await asyncio.sleep(600)

    asyncio.run(main())
""")


def test_a_fake_scheduler_cannot_run_code_through_the_first_question(tmp_path):
    """The aligner unpickled the answer of a fake scheduler (its code ran), then said it was
    not a Dask scheduler."""
    script, marker = tmp_path / "fake.py", tmp_path / "ran-code"
    script.write_text(FAKE, encoding="utf-8")
    server = start([sys.executable, script, marker])
    try:
        address = server.stdout.readline().strip()
        assert address.startswith("tcp://"), server.stderr.read()
        run = run_cli("batch", EXAMPLE, "-o", tmp_path / "out.tsv", "--scheduler", address, timeout=60)
    finally:
        stop(server)
    assert run.code == 2, run.err
    assert run.err == f"aligner: error: {address}: is not a Dask scheduler: a Dask NotAScheduler answers there\n"
    assert not marker.exists()


def _openssl(*args, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certificates(folder: Path) -> None:
    """A certificate authority (ca.pem) and a certificate for 127.0.0.1 it signed (node.pem,
    node.key), for the scheduler, the worker and the client alike."""
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=aligner-test-ca", cwd=folder)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr",
             "-subj", "/CN=aligner-test-node", cwd=folder)
    (folder / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n", encoding="utf-8")
    _openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "node.pem", "-days", "2", "-extfile", "ext.cnf", cwd=folder)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make certificates")
def test_a_tls_scheduler_aligns_with_the_tls_options(tmp_path):
    make_certificates(tmp_path)
    tls = ["--tls-ca-file", tmp_path / "ca.pem", "--tls-cert", tmp_path / "node.pem", "--tls-key", tmp_path / "node.key"]
    scheduler = start([DASK_BIN, "scheduler", "--protocol", "tls", "--host", "127.0.0.1", "--port", "0",
                       "--dashboard-address", ":0", *tls])
    worker = None
    try:
        deadline = time.monotonic() + 60
        address = None
        for line in scheduler.stderr:
            found = re.search(r"Scheduler at:\s+(tls://\S+)", line)
            if found:
                address = found.group(1)
                threading.Thread(target=scheduler.stderr.read, daemon=True).start()
                break
            assert time.monotonic() < deadline
        assert address, "the scheduler did not start"
        worker = start([DASK_BIN, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard", *tls])
        out = tmp_path / "out.tsv"
        run = run_cli("batch", EXAMPLE, "-o", out, "--scheduler", address, *tls, timeout=180)
        assert run.code == 0, run.err
        assert len(out.read_text(encoding="utf-8").splitlines()) == 18
        # without them, Dask's own settings (none here): one line, no traceback
        run = run_cli("batch", EXAMPLE, "-o", tmp_path / "two.tsv", "--scheduler", address, timeout=60)
        assert run.code == 2 and len(run.err_lines) == 1, run.err
        assert run.err.startswith(f"aligner: error: {address}: cannot connect to the Dask scheduler")
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                stop(proc)


@pytest.mark.parametrize("args, problem", [
    (["--tls-ca-file", "CA"], "apply to a --scheduler tls://... address"),
    (["--scheduler", "tls://127.0.0.1:1", "--tls-cert", "CA"], "TLS needs --tls-ca-file"),
    (["--scheduler", "tls://127.0.0.1:1", "--tls-ca-file", "CA", "--tls-cert", "CA"], "cannot use the TLS files"),
])
def test_tls_options_that_cannot_work_are_one_line_before_any_work(tmp_path, args, problem):
    ca = tmp_path / "ca.pem"
    ca.write_text("not a certificate\n", encoding="utf-8")
    run = run_cli("batch", EXAMPLE, "-o", tmp_path / "out.tsv", *[str(ca) if a == "CA" else a for a in args],
                  timeout=60)
    assert run.code == 2 and len(run.err_lines) == 1, run.err
    assert problem in run.err
    assert not (tmp_path / "out.tsv").exists()
