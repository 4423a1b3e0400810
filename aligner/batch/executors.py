"""Where documents are aligned: in this process, in a local pool of processes, or on a Dask
cluster. All three run `job.align_task` on the same Tasks and hand back Outcomes; the
batch (`run.py`) decides the order of writing, so the output does not depend on this.

An executor has `submit(task) -> handle`, `wait(handles) -> the finished ones`,
`outcome(handle)`, and `close()`. A worker that dies (killed, out of memory) makes
`outcome` raise WorkerLost; the batch then retries its documents one at a time.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from aligner.batch.job import Outcome, Settings, Task, align_in_worker, align_task, start_worker, warm_up
from aligner.plumbing.chars import escaped
from aligner.plumbing.process import hold_signals, release_signals


class WorkerLost(Exception):
    """The process aligning a document ended without an answer."""


class _Pending:
    """The handle of a document to align here (hashable by identity, as a future is)."""

    def __init__(self, task: Task):
        self.task = task
        self.outcome: Outcome | None = None


class InlineExecutor:
    """--jobs 1: each document aligned here (no pool, no pickling), one per `wait`, so
    that the batch records each in the state file before the next is begun (aligned at
    submit, those in the window were all lost to a Ctrl-C during the last one)."""

    slots = 1

    def __init__(self, settings: Settings):
        self.settings = settings
        warm_up(settings)

    def submit(self, task: Task) -> _Pending:
        return _Pending(task)

    def wait(self, handles: list[Any]) -> list[Any]:
        first = handles[0]  # the first submitted: documents are submitted in input order
        if first.outcome is None:
            first.outcome = align_task(first.task, self.settings)
        return [first]

    def outcome(self, handle: _Pending) -> Outcome:
        return handle.outcome

    def close(self, cancel: bool = False) -> None:
        pass


class PoolExecutor:
    """--jobs N: a pool of N worker processes, each with the dictionary and jieba loaded once.

    On Linux the workers are forked after this process has loaded the dictionary, so they
    share its pages instead of each loading a copy (and start at once); a forked worker
    ignores Ctrl-C (`cli.main` installs a handler that only the main process acts on),
    and this process ends the pool."""

    def __init__(self, settings: Settings, jobs: int):
        from concurrent.futures import ProcessPoolExecutor

        context = None
        if sys.platform.startswith("linux"):
            context = multiprocessing.get_context("fork")
            warm_up(settings)  # before the fork: shared by every worker
            _freeze_heap()
        self.slots = jobs
        self._start = lambda: ProcessPoolExecutor(jobs, mp_context=context, initializer=start_worker, initargs=(settings,))
        self._pool = self._start()

    def submit(self, task: Task):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        # Ctrl-C held: the pool forks its workers at the first submit, and a KeyboardInterrupt
        # raised inside the fork's hooks is printed, not raised (plumbing/fork.run_aside)
        held = hold_signals()
        try:
            return self._pool.submit(align_in_worker, task)
        except BrokenProcessPool as e:
            # A worker died after the last wait: this document is in flight on a broken
            # pool, and `outcome` reports it like the others (the batch restarts the pool).
            lost: Future = Future()
            lost.set_exception(e)
            return lost
        finally:
            release_signals(held)

    def wait(self, handles: list[Any]) -> list[Any]:
        from concurrent.futures import FIRST_COMPLETED, wait

        done, _ = wait(handles, return_when=FIRST_COMPLETED)
        return list(done)

    def outcome(self, handle) -> Outcome:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return handle.result()
        except BrokenProcessPool as e:
            raise WorkerLost(str(e)) from None

    def restart(self) -> None:
        """A new pool after a worker died (a broken pool takes no more work)."""
        self.close(cancel=True)
        self._pool = self._start()

    def close(self, cancel: bool = False) -> None:
        if cancel:
            # Workers may be in the middle of a long document: end them rather than wait.
            for process in list(getattr(self._pool, "_processes", {}).values()):
                if not process.is_alive():  # reaped: its pid may already be another's
                    continue
                try:
                    os.kill(process.pid, signal.SIGKILL)
                except ProcessLookupError:  # it ended between the check and the kill
                    pass
        self._pool.shutdown(wait=True, cancel_futures=cancel)


def _freeze_heap() -> None:
    """Move what is loaded so far out of the collector's reach, so that collections in the
    forked workers do not write to (and so copy) the pages they share with this process."""
    import gc

    gc.collect()
    if hasattr(gc, "freeze"):
        gc.freeze()


# Documents sent to a Dask worker as one task: the client and the scheduler spend a few ms
# on each task, several times what a local pool spends on a document (benchmarks/batch.py),
# and an article takes not many times that to align. A long
# document goes alone (CHUNK_BYTES), so that the work still spreads over the workers.
CHUNK_DOCUMENTS = 8
CHUNK_BYTES = 64 * 1024


def align_tasks(tasks: list[Task], settings: Settings) -> list[Outcome]:
    """align_task on each task: the work of one Dask task."""
    return [align_task(task, settings) for task in tasks]


class _Chunk:
    """Tasks sent to Dask together, and their outcomes once fetched (fetched once)."""

    def __init__(self, tasks: list[Task]):
        self.tasks = tasks
        self.future: Any = None
        self.outcomes: list[Outcome] | None = None


class _InChunk:
    """The handle of one document: its chunk and its place in it."""

    def __init__(self, chunk: _Chunk, position: int):
        self.chunk, self.position = chunk, position

    @property
    def task(self) -> Task:
        return self.chunk.tasks[self.position]


@dataclass(frozen=True)
class Tls:
    """The files of Dask's TLS for the client (--tls-ca-file, --tls-cert, --tls-key): the
    authority that signed the scheduler's certificate, and the client's own certificate
    and key (Dask's servers ask for one); `key` None when the certificate file holds it."""

    ca_file: str
    cert: str
    key: str | None = None


def _security(address: str, tls: Tls | None) -> Any:
    """Dask's Security for the connection: from the TLS files given, else from Dask's own
    configuration (distributed.comm.tls.*, e.g. DASK_DISTRIBUTED__COMM__TLS__CA_FILE).
    Files that cannot be used are an InputUsageError naming them, before any connection."""
    from distributed.security import Security

    from aligner.plumbing.errors import InputUsageError

    if tls is None:
        return Security()
    security = Security(tls_ca_file=tls.ca_file, tls_client_cert=tls.cert, tls_client_key=tls.key,
                        require_encryption=True)
    try:
        security.get_connection_args("client")  # reads the files: a wrong one fails here
    except (OSError, ValueError) as e:  # ssl.SSLError is an OSError
        raise InputUsageError(f"cannot use the TLS files (--tls-ca-file {tls.ca_file}, --tls-cert {tls.cert}"
                              f"{'' if tls.key is None else ', --tls-key ' + tls.key}): {e}", address) from None
    return security


class DaskExecutor:
    """--scheduler ADDRESS: the documents go, with their bytes, to the workers of a running
    Dask cluster (the workers need the aligner installed, not the input files), a few per
    Dask task. A worker loads the dictionary and jieba with its first document and keeps
    them. A task that kills its workers (Dask retries it elsewhere first) is retried one
    document at a time; a document that still does is lost (WorkerLost).

    Dask's client unpickles what the scheduler sends it: a scheduler can run code in this
    process, as Dask's own model has it, and must be trusted. TLS (`tls`, a tls:// address)
    makes sure it is the scheduler the certificate authority vouches for; the first contact
    (`_probe_scheduler`) unpickles nothing, so a server that is no scheduler cannot."""

    def __init__(self, settings: Settings, address: str, tls: Tls | None = None):
        from aligner.plumbing.errors import InputUsageError

        check_scheduler_address(address)
        import dask
        from dask.utils import parse_timedelta
        from distributed import Client

        _quiet_dask_logging()
        self.settings = settings
        self.address = address
        security = _security(address, tls)
        timeout = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="seconds")
        _probe_scheduler(address, timeout, security)
        try:
            # `timeout` bounds the connection but not Dask's handshake: _probe_scheduler does
            self._client = Client(address, timeout=timeout, security=security)
        except (OSError, TimeoutError) as e:
            raise InputUsageError(f"cannot reach the Dask scheduler: {e}", address) from None
        except (ValueError, TypeError) as e:  # e.g. tls:// without Dask's TLS settings
            raise InputUsageError(f"cannot connect to the Dask scheduler: {e}", address) from None
        self._wait_for_workers()
        # documents in flight: enough for a chunk per worker thread, and the next ones
        self.slots = max(1, sum(self._client.nthreads().values())) * CHUNK_DOCUMENTS
        self._open: _Chunk | None = None  # the chunk being filled
        self._sent = 0

    def _wait_for_workers(self) -> None:
        """Wait for a first worker: a scheduler without workers aligns nothing, and workers
        may join later, so this waits as long as it takes, saying so after WORKERS_NOTICE s."""
        with self._reporting_lost_scheduler():
            if self._client.nthreads():
                return
            try:
                self._client.wait_for_workers(1, timeout=WORKERS_NOTICE)
            except (TimeoutError, asyncio.TimeoutError):
                print(f"aligner: waiting for Dask workers at {escaped(self.address)} (none has joined the scheduler "
                      "yet) ...", file=sys.stderr, flush=True)
                self._client.wait_for_workers(1)

    @contextmanager
    def _reporting_lost_scheduler(self) -> Iterator[None]:
        """Any error of the block that comes of the lost scheduler becomes the one-line
        AlignerError that says so (Dask's own is a cancelled future or a closed client)."""
        try:
            yield
        except Exception as e:
            if self._lost(e):
                raise self._lost_error() from None
            raise

    def _lost(self, error: BaseException) -> bool:
        """Whether `error` comes of the lost connection to the scheduler (Dask cancels every
        future then, and the client tries to reconnect, then closes)."""
        return self._client.status not in ("running",) or "scheduler-connection-lost" in str(error)

    def _lost_error(self) -> Exception:
        from aligner.plumbing.errors import AlignerError

        return AlignerError("lost the connection to the Dask scheduler; finished documents are kept, "
                            "run the same command again to resume", self.address)

    def submit(self, task: Task) -> _InChunk:
        if self._open is None:
            self._open = _Chunk([])
        chunk = self._open
        chunk.tasks.append(task)
        if len(chunk.tasks) >= CHUNK_DOCUMENTS or sum(len(d) for t in chunk.tasks for d in t.data) >= CHUNK_BYTES:
            self._flush()
        return _InChunk(chunk, len(chunk.tasks) - 1)

    def _flush(self) -> None:
        if self._open is not None:
            self._open.future = self._send(self._open.tasks)
            self._open = None

    def _send(self, tasks: list[Task]) -> Any:
        self._sent += 1
        return self._client.submit(align_tasks, tasks, self.settings, pure=False,
                                   key=f"aligner-{os.getpid()}-{id(self):x}-{self._sent}")

    def wait(self, handles: list[Any]) -> list[Any]:
        from distributed import wait

        self._flush()
        futures = {h.chunk.future for h in handles}
        with self._reporting_lost_scheduler():
            done, _ = wait(list(futures), return_when="FIRST_COMPLETED")
        return [h for h in handles if h.chunk.future in done]

    def outcome(self, handle: _InChunk) -> Outcome:
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        chunk = handle.chunk
        with self._reporting_lost_scheduler():
            try:
                if chunk.outcomes is None:
                    chunk.outcomes = chunk.future.result()
                return chunk.outcomes[handle.position]
            except (KilledWorker, FutureCancelledError) as e:
                if self._lost(e):
                    raise  # not a worker's fault: nothing to send again
                if len(chunk.tasks) > 1:  # which document was it? each alone
                    try:
                        return self._send([handle.task]).result()[0]
                    except (KilledWorker, FutureCancelledError) as again:
                        e = again
                raise WorkerLost(f"{type(e).__name__}: {e}") from None

    def close(self, cancel: bool = False) -> None:
        # without a scheduler the client would wait out its reconnection timeout first
        self._client.close(timeout=self._client._timeout if self._client.status == "running" else 1)


# Seconds to wait for a first Dask worker before saying that the batch waits for one.
WORKERS_NOTICE = 5


def _quiet_dask_logging() -> None:
    """No log lines from Dask in the batch's standard error: what matters to the user (a
    lost scheduler, an unreachable one) is reported as the aligner's own one-line error."""
    import logging

    for name in list(logging.root.manager.loggerDict):
        if name == "distributed" or name.startswith("distributed."):  # levels set by Dask's config
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _probe_scheduler(address: str, timeout: float, security: Any) -> None:
    """Connect to `address` and ask who it is, all within `timeout` seconds: Dask's Client
    bounds the connection but then waits forever for the handshake of a server that is
    not Dask (an HTTP server at the port), and would take a worker for the scheduler.
    Nothing the server sends is unpickled (`deserialize=False`): a fake scheduler ran its
    code in the aligner through this very question, then was told it is not one."""
    from distributed.comm import connect

    from aligner.plumbing.errors import InputUsageError

    args = security.get_connection_args("client")

    async def ask() -> Any:
        # gives up after `timeout` (OSError)
        comm = await connect(address, timeout=timeout, deserialize=False, **args)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    answer: Any = None
    try:
        # a little longer than `connect`'s own limit, so that its error is the one reported
        answer = asyncio.run(asyncio.wait_for(ask(), timeout + 2))
    except (ValueError, TypeError) as e:  # e.g. tls:// without Dask's TLS settings
        raise InputUsageError(f"cannot connect to the Dask scheduler: {e}", address) from None
    except (asyncio.TimeoutError, TimeoutError):  # connected, but no answer (not a Dask server)
        pass
    except OSError as e:
        raise InputUsageError(f"cannot reach the Dask scheduler: {e}", address) from None
    except Exception:  # an answer that is not Dask's
        pass
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        what = (f"a Dask {answer['type']} answers there" if isinstance(answer, dict) and answer.get("type")
                else f"no Dask answer within {timeout + 2:g} s")
        raise InputUsageError(f"is not a Dask scheduler: {what}", address) from None


# At most this many local workers per CPU this process may use. Aligning is single-threaded
# Python that does not wait on the disk or the network (the batch process reads the files):
# workers beyond the CPUs add no speed, only memory and start-up time (the pool forks every
# worker at its first document: hundreds take seconds, a huge number never finish). A few per CPU are
# still allowed, as asked for (a machine whose CPUs are shared, a test of the pool on one CPU).
WORKERS_PER_CPU = 4


def workers(jobs: int, documents: int) -> int:
    """The local pool's size for `jobs` asked for and `documents` to align: no more workers
    than documents (an idle worker costs its start-up and memory), nor than
    WORKERS_PER_CPU per usable CPU; at least 1."""
    from aligner.plumbing.process import usable_cpus

    return max(1, min(jobs, documents, WORKERS_PER_CPU * usable_cpus()))


def check_scheduler_address(address: str) -> None:
    """Refuse, before any work, a --scheduler that is not an address Dask can connect to
    ('nonsense' has no port: Dask's ValueError was an internal error), and a missing Dask."""
    from aligner.plumbing.errors import InputUsageError

    try:
        from distributed.comm.addressing import parse_address, parse_host_port
        from distributed.comm.registry import get_backend
    except ImportError:
        raise InputUsageError("--scheduler needs Dask: pip install 'zh-en-aligner[dask]'") from None
    try:
        scheme, location = parse_address(address)  # no scheme: tcp
        get_backend(scheme)  # an unknown scheme is a ValueError naming the known ones
        if scheme == "inproc":
            raise ValueError("inproc:// names a cluster inside one process, not one to send documents to")
        if scheme in ("tcp", "tls", "ws", "wss"):
            if ":" in location and not location.endswith("]"):
                port = location.rsplit(":", 1)[1]
                if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
                    raise ValueError(f"the port {port!r} is not a number from 1 to 65535")
            parse_host_port(location)  # no port; an IPv6 address without brackets
    except ValueError as e:
        raise InputUsageError(f"is not a Dask scheduler address (like tcp://10.0.0.5:8786): {e}",
                              address or "''") from None


def make_executor(settings: Settings, jobs: int, scheduler: str | None, documents: int, tls: Tls | None = None):
    """Where `documents` documents are aligned: the cluster at `scheduler` (over TLS with
    `tls`), else a pool of (at most, see `workers`) `jobs` processes, else (one) this process."""
    if scheduler:
        return DaskExecutor(settings, scheduler, tls)
    jobs = workers(jobs, documents)
    if jobs <= 1:
        return InlineExecutor(settings)
    return PoolExecutor(settings, jobs)
