"""The work on one document, the same wherever it runs (this process, a pool worker, a Dask
worker): bytes in, an aligned document or the reason it failed out.

The submitting process reads the files (`read_task`, capped and regular files only, as
`plumbing.inputs` reads every input), so a worker needs no access to them; `align_task` decodes, parses, segments and aligns. A failure is an Outcome, never an
exception: the batch goes on. Everything here is plain, picklable data.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from dataclasses import dataclass, field

from aligner.batch.inputs import Document
from aligner.document import AlignedDocument
from aligner.options import AlignOptions
from aligner.plumbing.errors import AlignerError, InputUsageError
from aligner.summary import DocumentSummary

#: what an input file held when it was read: a hash of its content (`digest`)
Stamp = str


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
class Part:
    """One aligned document of an input, its figures and, when 'ok', the alignment. An
    input is one part, or one part per article of a file that holds several (an archive
    dump: `readers.article.split_articles`), named 'path#1', 'path#2'..."""

    summary: DocumentSummary
    doc: AlignedDocument | None = None


@dataclass
class Outcome:
    """What became of an input: its parts, in order."""

    index: int
    document: Document
    parts: list[Part]
    stamps: tuple[Stamp, ...] = ()

    @property
    def units(self) -> int:
        return sum(p.summary.units for p in self.parts)

    @property
    def failures(self) -> int:
        return sum(not p.summary.aligned for p in self.parts)


def digest(data: bytes) -> Stamp:
    """The stamp of a file's content. A resumed batch skips a document only when its files
    hash the same: size and modification time were trusted before, and an edit of the same
    size with its time restored (as tar and unzip restore times) reused the old alignment.
    Hashing costs little next to aligning (docs/decisions.md, Reading)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_document(document: Document) -> tuple[bytes, ...]:
    """The bytes of the document's files, read as every input is (`plumbing.inputs`:
    capped, regular files only); AlignerError naming the file that cannot be."""
    from aligner.plumbing.inputs import read_bytes

    if document.refused is not None:
        raise AlignerError(document.refused, document.source)
    return tuple(read_bytes(path, regular_only=True) for path in document.paths)


def read_task(index: int, document: Document) -> Task:
    """The document's files read, with their stamps (to tell later whether they changed)."""
    try:
        data = read_document(document)
    except AlignerError as e:  # InputUsageError too: a file gone since the scan fails its document only
        return Task(index, document, failure=_message(e, document))
    return Task(index, document, data, tuple(digest(d) for d in data))


def failed(task: Task, message: str) -> Outcome:
    return Outcome(task.index, task.document, [Part(DocumentSummary.failed(task.document.name, message))], task.stamps)


def align_task(task: Task, settings: Settings) -> Outcome:
    """Align one input; data problems and internal errors become failed parts (with the
    one-line message `aligner align` would print), warnings their message."""
    if task.failure is not None:
        return failed(task, task.failure)
    document = task.document
    try:
        pieces = _pieces(task, settings)
    except AlignerError as e:
        return failed(task, _message(e, document))
    return Outcome(task.index, document, [_aligned(name, piece, document, settings) for name, piece in pieces],
                   task.stamps)


def _message(e: AlignerError, document: Document) -> str:
    # an article's own path is the document's name already; a pair says which file
    return e.message if document.translation is None and e.path == document.source else str(e)


def _pieces(task: Task, settings: Settings) -> list[tuple[str, tuple[str, ...]]]:
    """The texts to align, each under its document name: the input's decoded files, or each
    article of a file that holds several."""
    from aligner.readers.article import split_articles
    from aligner.readers.formats import document_text

    document, s = task.document, settings
    texts = tuple(document_text(data, path, s.encoding) for data, path in zip(task.data, document.paths))
    if document.translation is not None:
        return [(document.name, texts)]
    articles = split_articles(texts[0])
    if len(articles) == 1:
        return [(document.name, texts)]
    return [(article_name(document.name, k), (part.text,)) for k, part in enumerate(articles, start=1)]


def article_name(name: str, k: int) -> str:
    """The name of the k-th article (from 1) of the file of several named `name`."""
    return f"{name}#{k}"


def check_article_names(documents: list[Document], encoding: str | None) -> None:
    """Names are final only when a file is split into its articles (`_pieces`, where it is
    aligned): a file of several gives NAME#1, NAME#2, ..., which `find_documents` cannot
    check against the other documents' names. Refuse, before any work, a document named
    like one of them (a pairs id 'arts/multi.txt#1'); only the files whose article names
    another document takes are read (as `_pieces` reads them) to count their articles."""
    from aligner.batch.inputs import name_of

    articles = {doc.name: doc for doc in documents if doc.translation is None and doc.refused is None}
    counts: dict[str, int] = {}
    for doc in documents:
        base, _, number = doc.name.rpartition("#")
        if base not in articles or not (number.isascii() and number.isdigit()) or number != str(int(number)):
            continue
        if base not in counts:
            counts[base] = _article_count(articles[base].source, encoding)
        k, count = int(number), counts[base]
        if not (count > 1 and 1 <= k <= count):
            continue
        if doc.translation is None and _article_count(doc.source, encoding) > 1:
            continue  # itself a file of several: its articles are named NAME#k#1, ...
        raise InputUsageError(
            f"{name_of(doc)} is also the name of article {k} of the {count} in {articles[base].source} "
            f"(the articles of a file of several are named FILE#1, FILE#2, ...); choose another "
            f"{'id' if doc.named == 'id' else 'name'}", doc.location)


def _article_count(path: str, encoding: str | None) -> int:
    """How many documents an article file gives (0 when it cannot be read or decoded: it is
    then a failed document, of no name but its own)."""
    from aligner.readers.article import split_articles
    from aligner.plumbing.inputs import read_bytes
    from aligner.readers.formats import document_text

    try:
        return len(split_articles(document_text(read_bytes(path, regular_only=True), path, encoding)))
    except AlignerError:
        return 0


def _aligned(name: str, texts: tuple[str, ...], document: Document, settings: Settings) -> Part:
    from aligner.pipeline import align_texts
    from aligner.readers.load import load_article, load_text

    s = settings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if document.translation is None:
                src, tgt, meta = load_article(document.source, s.encoding, s.presplit, text=texts[0])
            else:
                src = load_text(document.source, s.src_lang, s.encoding, s.presplit, text=texts[0])
                tgt = load_text(document.translation, s.tgt_lang, s.encoding, s.presplit, text=texts[1])
                meta = {}
            doc = align_texts(src, tgt, s.options, meta)
        except AlignerError as e:
            return Part(DocumentSummary.failed(name, _message(e, document)))
        except Exception as e:  # noqa: BLE001 - a bug on one document must not stop the batch
            return Part(DocumentSummary.failed(name, f"internal error: {type(e).__name__}: {e}"))
    notes = "; ".join(f"warning: {w.message}" for w in caught)
    return Part(DocumentSummary.of(doc, name, notes), doc)


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
