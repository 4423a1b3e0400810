"""The work on one document, the same wherever it runs (this process, a pool worker, a Dask
worker): bytes in, an aligned document or the reason it failed out.

The submitting process reads the files (`read_task`), so a worker needs no access to
them; `align_task` decodes, parses, segments and aligns. A failure is an Outcome, never an
exception: the batch goes on. Everything here is plain, picklable data.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field

from aligner.batch.inputs import Document
from aligner.document import AlignedDocument
from aligner.options import AlignOptions
from aligner.plumbing.errors import AlignerError
from aligner.summary import DocumentSummary

#: (size, modification time in ns) of an input file when it was read
Stamp = tuple[int, int]


@dataclass(frozen=True)
class Settings:
    """What every document of a batch is aligned with (the options of `aligner align`)."""

    options: AlignOptions = field(default_factory=lambda: AlignOptions(parallel=False))
    encoding: str | None = None
    presplit: bool = False
    src_lang: str | None = None  # for pairs; an article is Chinese to English
    tgt_lang: str | None = None

    def fingerprint(self) -> str:
        """Everything that can change a document's beads: a state file written with another
        fingerprint cannot be resumed."""
        from aligner.signature import signature

        return (f"{signature(self.options)}|presplit={self.presplit}|encoding={self.encoding}"
                f"|src-lang={self.src_lang}|tgt-lang={self.tgt_lang}")


@dataclass
class Task:
    """A document with its files' bytes (None where reading failed: `failure` says why)."""

    index: int
    document: Document
    data: tuple[bytes, ...] = ()
    stamps: tuple[Stamp, ...] = ()
    failure: str | None = None


@dataclass
class Outcome:
    """What became of a document: its figures, and the aligned document when it is 'ok'."""

    index: int
    document: Document
    summary: DocumentSummary
    doc: AlignedDocument | None = None
    stamps: tuple[Stamp, ...] = ()


def stamp(path: str) -> Stamp:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def read_task(index: int, document: Document) -> Task:
    """The document's files read, with their stamps (to tell later whether they changed)."""
    data, stamps = [], []
    for path in document.paths:
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                data.append(fh.read())
        except OSError as e:
            return Task(index, document, failure=f"{path}: cannot read: {e.strerror or e}")
        stamps.append((st.st_size, st.st_mtime_ns))
    return Task(index, document, tuple(data), tuple(stamps))


def failed(task: Task, message: str) -> Outcome:
    return Outcome(task.index, task.document, DocumentSummary.failed(task.document.name, message), None, task.stamps)


def align_task(task: Task, settings: Settings) -> Outcome:
    """Align one document; data problems and internal errors become a failed Outcome
    (with the one-line message `aligner align` would print), warnings its message."""
    if task.failure is not None:
        return failed(task, task.failure)
    document = task.document
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            doc = _align(task, settings)
        except AlignerError as e:
            # an article's own path is the document's name already; a pair says which file
            return failed(task, e.message if document.translation is None and e.path == document.source else str(e))
        except Exception as e:  # noqa: BLE001 - a bug on one document must not stop the batch
            return failed(task, f"internal error: {type(e).__name__}: {e}")
    notes = "; ".join(f"warning: {w.message}" for w in caught)
    return Outcome(task.index, document, DocumentSummary.of(doc, document.name, notes), doc, task.stamps)


def _align(task: Task, settings: Settings) -> AlignedDocument:
    from aligner.pipeline import align_texts
    from aligner.readers.decode import decode_bytes
    from aligner.readers.load import load_article, load_text

    document, s = task.document, settings
    texts = [decode_bytes(data, path, s.encoding) for data, path in zip(task.data, document.paths)]
    if document.translation is None:
        src, tgt, meta = load_article(document.source, s.encoding, s.presplit, text=texts[0])
    else:
        src = load_text(document.source, s.src_lang, s.encoding, s.presplit, text=texts[0])
        tgt = load_text(document.translation, s.tgt_lang, s.encoding, s.presplit, text=texts[1])
        meta = {}
    return align_texts(src, tgt, s.options, meta)


# ------------------------------------------------------------------ in a worker process

_SETTINGS: Settings | None = None


def start_worker(settings: Settings) -> None:
    """Pool initializer: keep the settings and load what every document needs (the
    dictionary, jieba) once per worker, not once per document."""
    global _SETTINGS
    _SETTINGS = settings
    _exit_with_parent()
    warm_up(settings)


def _exit_with_parent(every: float = 1.0) -> None:
    """End this worker when the batch that started it is gone (kill -9 leaves a pool's
    workers waiting for work that never comes, holding memory and the output's files)."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="aligner-parent-watch", daemon=True).start()


def warm_up(settings: Settings) -> None:
    """Load the lexicon and jieba now (a no-op when already loaded, e.g. before a fork)."""
    import aligner.pipeline  # noqa: F401 - imports NumPy and the scoring modules
    from aligner.tokenize import preload

    if settings.options.lexicon:
        from aligner.lexicon import load_lexicon

        load_lexicon()
    if settings.options.lexical:
        preload([])


def align_in_worker(task: Task) -> Outcome:
    """align_task with the settings the worker was started with."""
    assert _SETTINGS is not None, "start_worker was not run in this process"
    return align_task(task, _SETTINGS)
