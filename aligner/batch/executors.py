"""Where documents are aligned: in this process, in a local pool of processes, or on a Dask
cluster. All three run `job.align_task` on the same Tasks and hand back Outcomes; the
batch (`run.py`) decides the order of writing, so the output does not depend on this.

An executor has `submit(task) -> handle`, `wait(handles) -> the finished ones`,
`outcome(handle)`, and `close()`. A worker that dies (killed, out of memory) makes
`outcome` raise WorkerLost; the batch then retries its documents one at a time.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from typing import Any

from aligner.batch.job import Outcome, Settings, Task, align_in_worker, align_task, start_worker, warm_up


class WorkerLost(Exception):
    """The process aligning a document ended without an answer."""


class _Done:
    """The handle of a document aligned at once (hashable by identity, as a future is)."""

    def __init__(self, outcome: Outcome):
        self.outcome = outcome


class InlineExecutor:
    """--jobs 1: each document aligned here, when submitted (no pool, no pickling)."""

    slots = 1

    def __init__(self, settings: Settings):
        self.settings = settings
        warm_up(settings)

    def submit(self, task: Task) -> _Done:
        return _Done(align_task(task, self.settings))

    def wait(self, handles: list[Any]) -> list[Any]:
        return list(handles)

    def outcome(self, handle: _Done) -> Outcome:
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
        return self._pool.submit(align_in_worker, task)

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
                if process.is_alive():
                    os.kill(process.pid, signal.SIGKILL)
        self._pool.shutdown(wait=True, cancel_futures=cancel)


def _freeze_heap() -> None:
    """Move what is loaded so far out of the collector's reach, so that collections in the
    forked workers do not write to (and so copy) the pages they share with this process."""
    import gc

    gc.collect()
    if hasattr(gc, "freeze"):
        gc.freeze()


class DaskExecutor:
    """--scheduler ADDRESS: the documents go, with their bytes, to the workers of a running
    Dask cluster (the workers need the aligner installed, not the input files). A worker
    loads the dictionary and jieba with its first document and keeps them."""

    def __init__(self, settings: Settings, address: str):
        try:
            from distributed import Client
        except ImportError:
            from aligner.plumbing.errors import InputUsageError

            raise InputUsageError("--scheduler needs Dask: pip install 'aligner[dask]'") from None
        self.settings = settings
        try:
            self._client = Client(address)  # waits distributed.comm.timeouts.connect (30 s) for it
        except (OSError, TimeoutError) as e:
            from aligner.plumbing.errors import InputUsageError

            raise InputUsageError(f"cannot reach the Dask scheduler: {e}", address) from None
        # documents in flight: enough to keep every worker thread busy while results come back
        self.slots = max(1, sum(self._client.nthreads().values()))

    def submit(self, task: Task):
        return self._client.submit(align_task, task, self.settings, pure=False,
                                   key=f"aligner-{task.index}-{os.getpid()}-{id(task):x}")

    def wait(self, handles: list[Any]) -> list[Any]:
        from distributed import wait

        done, _ = wait(handles, return_when="FIRST_COMPLETED")
        return list(done)

    def outcome(self, handle) -> Outcome:
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        try:
            return handle.result()
        except (KilledWorker, FutureCancelledError) as e:
            raise WorkerLost(f"{type(e).__name__}: {e}") from None

    def close(self, cancel: bool = False) -> None:
        self._client.close()


def make_executor(settings: Settings, jobs: int, scheduler: str | None):
    if scheduler:
        return DaskExecutor(settings, scheduler)
    if jobs <= 1:
        return InlineExecutor(settings)
    return PoolExecutor(settings, jobs)
