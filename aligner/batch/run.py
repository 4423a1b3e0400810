"""A batch from start to end: documents out to an executor, results merged in input order
into one streamed output, the summary, the rejects, and the state file.

Order and memory: at most `window` documents are in flight or finished but not yet
written; each is written as soon as every document before it is, so the output is in
input order whatever the number of workers, and memory does not grow with the number of
documents. Every finished document goes to the state file at once (not when written), so
an interruption loses only the documents in flight. Outputs are written to temporary
files and replaced at the end (`plumbing.atomic`): an interrupted batch leaves the old
output, and its rerun writes exactly what an uninterrupted run would.
"""

from __future__ import annotations

import glob
import os
from collections import deque
from dataclasses import dataclass, field

from aligner.batch.executors import Tls, WorkerLost, make_executor
from aligner.batch.inputs import Document
from aligner.batch.job import Outcome, Part, Settings, Task, digest, failed, read_document, read_task
from aligner.batch.state import StateFile, state_path
from aligner.filtering import split_beads
from aligner.outputs import Outputs, Written, open_outputs
from aligner.plumbing.errors import AlignerError
from aligner.plumbing.progress import Progress
from aligner.summary import DocumentSummary

# Documents in flight or waiting to be written, per worker: enough to keep the workers busy
# while a slow document holds up the writing, few enough that memory stays small.
WINDOW_PER_WORKER = 4


@dataclass
class Totals:
    """Counts over the batch, for its last line and its exit status."""

    documents: int = 0  # aligned or failed: an input, or each article of a file that holds several
    ok: int = 0
    partial: int = 0  # aligned, but the translation covers only part of the source (aligner.status)
    suspect: int = 0  # aligned, but the sides do not read as translations of each other
    failed: int = 0
    resumed: int = 0  # of those, read back from the state file (finished by an earlier run)
    units: int = 0
    src_unpaired: int = 0
    tgt_unpaired: int = 0
    incomplete: int = 0  # documents with a sentence left unpaired
    rejected: int = 0
    failures: list[str] = field(default_factory=list)  # the first few 'name: reason'

    def add(self, part: Part, units: int, resumed: bool = False) -> None:
        s = part.summary
        self.documents += 1
        self.resumed += resumed
        if s.aligned:
            self.ok += s.status == "ok"
            self.partial += s.status == "partial"
            self.suspect += s.status == "suspect"
            self.units += units
            self.src_unpaired += s.src_unpaired
            self.tgt_unpaired += s.tgt_unpaired
            self.incomplete += bool(s.src_unpaired or s.tgt_unpaired)
        else:
            self.failed += 1
            if len(self.failures) < 3:
                self.failures.append(f"{s.document}: {s.message}")

    @property
    def aligned(self) -> int:
        """Documents aligned, whatever their status but 'failed'."""
        return self.ok + self.partial + self.suspect


@dataclass
class Batch:
    """What to do: the documents, how to align them, where the results go."""

    documents: list[Document]
    settings: Settings
    output: str
    fmt: str
    jobs: int = 1
    scheduler: str | None = None
    summary: str | None = None
    min_confidence: float | None = None
    restart: bool = False
    tls: Tls | None = None  # Dask's TLS files, for a tls:// scheduler


def run_batch(batch: Batch, progress_for=None) -> Totals:
    """Run the batch; `progress_for(total, done)` gives the Progress to report to (default
    silent). Returns the totals; raises on interruption, leaving the outputs as they were
    and the state file with every finished document (no state file when none had finished).
    When no document could be aligned, the output is left as it was, and so is the state
    file unless it held only failures: it is then removed."""
    totals = Totals()
    executor = state = None
    complete = none_aligned = False
    try:
        state = StateFile(state_path(batch.output), batch.settings.fingerprint(), batch.restart)
        _remove_stale_temporaries(batch)
        resumed = _finished(batch.documents, state)
        # the pool after the state, to size it by the documents left to align (its workers,
        # forked later, do not keep the state's lock: state._close_locked_in_child)
        executor = make_executor(batch.settings, batch.jobs, batch.scheduler, len(batch.documents) - len(resumed),
                                 batch.tls)
        progress = progress_for(len(batch.documents), len(resumed)) if progress_for else Progress()
        # output, rejects and summary replace their old versions together, or none does
        with progress, open_outputs(batch.output, batch.fmt, batch=True, created=state.created,
                                    rejects=batch.min_confidence is not None, summary=batch.summary) as outputs:
            _merge(batch, executor, state, resumed, _Sink(outputs, batch.min_confidence, totals), progress)
            if totals.aligned == 0:  # the output is left as it was; the summary says why
                outputs.abandon()
        none_aligned = outputs.abandoned
        complete = True
    finally:
        if executor is not None:
            executor.close(cancel=not complete)
        if state is not None:
            # No state file that holds nothing to resume: none when interrupted before any
            # document finished; none when every document failed, as a rerun would skip the
            # failures (and refuse other options, which might align them, without --restart).
            state.close(remove=(not state.aligned) if none_aligned else (not complete and not state.entries))
    return totals


def _finished(documents: list[Document], state: StateFile) -> set[int]:
    """Inputs done by an earlier run from files of the very same content (hashed)."""
    done = set()
    for k, doc in enumerate(documents):
        if doc.name in state.entries:
            try:
                stamps = tuple(digest(data) for data in read_document(doc))
            except AlignerError:  # not readable now: aligned again, and failed as it cannot be read
                continue
            if state.finished(doc.name, doc.paths, stamps):
                done.add(k)
    return done


class _Sink:
    """The batch's outputs (`outputs.Outputs`), fed each part of each document in input
    order, and its totals."""

    def __init__(self, outputs: Outputs, min_confidence: float | None, totals: Totals):
        self.outputs, self.min_confidence, self.totals = outputs, min_confidence, totals

    def write(self, outcome: Outcome, resumed: bool = False) -> None:
        """`resumed`: finished by an earlier run (read back from the state file)."""
        for part in outcome.parts:
            self._write(part, resumed)

    def _write(self, part: Part, resumed: bool) -> None:
        written = Written()
        if part.doc is not None:
            try:
                split = None if self.min_confidence is None else split_beads(part.doc, self.min_confidence)
                written = self.outputs.add(part.doc, part.summary, split=split)
            except AlignerError as e:
                # the format cannot hold this document (a segment too long for TMX, a cell
                # for XLSX): the writers refuse it before writing any of it, so the batch
                # goes on without it, a failed row
                part = Part(DocumentSummary.failed(part.summary.document, e.message))
        if part.doc is None:
            self.outputs.add_failure(part.summary)  # its row, and the report's index lists it
        self.totals.rejected += written.rejected
        self.totals.add(part, written.units, resumed)


def _merge(batch: Batch, executor, state: StateFile, resumed: set[int], sink: _Sink, progress: Progress):
    """The scheduling loop: submit in input order, record what finishes, write in order."""
    documents = batch.documents
    window = max(1, executor.slots) * WINDOW_PER_WORKER
    in_flight: dict[object, Task] = {}
    ready: dict[int, Outcome | None] = {}  # None: finished by an earlier run, read back when written
    suspects: deque[Task] = deque()  # in flight when a worker died: retried one at a time
    alone: Task | None = None  # the suspect now running by itself
    next_doc = next_write = units = failures = 0
    while next_write < len(documents):
        if next_write in ready:
            outcome = ready.pop(next_write)
            if outcome is None:
                sink.write(state.load(next_write, documents[next_write].name), resumed=True)
            else:
                sink.write(outcome)
            next_write += 1
            continue
        if suspects:
            if not in_flight:
                alone = suspects.popleft()
                in_flight[executor.submit(alone)] = alone
        else:
            while next_doc < len(documents) and len(in_flight) + len(ready) < window:
                if next_doc in resumed:
                    ready[next_doc] = None
                else:
                    task = read_task(next_doc, documents[next_doc])
                    in_flight[executor.submit(task)] = task
                next_doc += 1
            if next_write in ready:
                continue
        for handle in executor.wait(list(in_flight)):
            task = in_flight.pop(handle)
            try:
                outcome = executor.outcome(handle)
            except WorkerLost as e:
                restart = getattr(executor, "restart", None)  # a broken pool takes no more work
                if restart is not None:
                    restart()
                if task is not alone and restart is not None:
                    # the pool broke as a whole: every document in flight is a suspect
                    suspects.extend([task, *in_flight.values()])
                    in_flight.clear()
                    break
                outcome = failed(task, f"the worker process aligning it died ({e})")
                alone = None
            else:
                state.record(outcome)
                if task is alone:
                    alone = None
            ready[outcome.index] = outcome
            units += outcome.units
            failures += outcome.failures
            progress.note(units=units, failed=failures)
            progress.advance()


def _remove_stale_temporaries(batch: Batch) -> None:
    """Temporary outputs a killed run left beside the outputs (atomic_open names them
    .NAME.XXXX.tmp). Safe: the state file's lock says no other batch writes this output."""
    from aligner.filtering import rejects_path

    for path in filter(None, (batch.output, batch.summary, rejects_path(batch.output))):
        folder, name = os.path.split(os.path.realpath(path))
        for stale in glob.glob(os.path.join(glob.escape(folder), f".{glob.escape(name)}.*.tmp")):
            try:
                os.unlink(stale)
            except OSError:
                pass
