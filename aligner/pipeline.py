"""From two Texts to an AlignedDocument: sentence features -> bead costs -> search, twice.

Reading files into Texts is `aligner.readers`; writing the result is `aligner.writers`;
what to do is `aligner.options.AlignOptions`. `align_texts` is a function of two Texts
and options.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from aligner.beads import Bead
from aligner.document import AlignedDocument, Text, base_lang
from aligner.features import build_sides
from aligner.lexicon.learn import learn_pairs
from aligner.notes import align_around_solo, annotate
from aligner.status import lexical_evidence
from aligner.options import AlignOptions
from aligner.plumbing.process import gc_paused, usable_cpus
from aligner.readers.load import check_languages
from aligner.scoring.base import BeadCost
from aligner.scoring.confidence import confidences
from aligner.scoring.length import LengthCost
from aligner.scoring.lexical import EnKey, KeyTable, LexicalCost, ZhKeys, no_en_key, no_zh_keys
from aligner.scoring.prior import DEFAULT_PRIOR, ShapePrior
from aligner.scoring.rates import WordRates, word_rates
from aligner.scoring.skip import SkipCost, unpack_skips
from aligner.search.align import BandBoundReached, align_with_posteriors
from aligner.signature import signature


def build_costs(options: AlignOptions, keys: KeyTable, rates: WordRates | None = None) -> list[BeadCost]:
    """The bead costs `options` ask for; `keys` is the document's key table (lexical evidence),
    `rates` its words' rates of translation learned from a first pass (None: q for every word)."""
    w = options.weights
    costs: list[BeadCost] = [ShapePrior(weight=w.prior, prior=dict(options.prior_table or DEFAULT_PRIOR)),
                             SkipCost(weight=w.prior, open_zh=w.skip_zh, open_en=w.skip_en, extend=w.skip_extend)]
    if options.length:
        costs.append(LengthCost(weight=w.length, variance=w.length_variance))
    if options.lexical:
        costs.append(LexicalCost(keys, weight=w.lexical, q=w.q, rates=rates))
    if options.embed:
        from aligner.scoring.embed import EmbedCost

        costs.append(EmbedCost(weight=w.embed, size_power=w.embed_size))
    return costs


def key_functions(options: AlignOptions) -> tuple[ZhKeys, EnKey]:
    """Which English keys a Chinese word and an English token have: CC-CEDICT's, or none
    with the dictionary switched off (numbers, names, cues and learned pairs still match)."""
    if not options.lexicon:
        return no_zh_keys, no_en_key
    from aligner.lexicon import load_lexicon

    lexicon = load_lexicon()
    return lexicon.zh_keys, lexicon.en_key


def align_sentences(
    zh: list[str], en: list[str], options: AlignOptions | None = None,
    zh_par: list[int] | None = None, en_par: list[int] | None = None,
) -> tuple[list[Bead], list[float]]:
    """Align Chinese and English sentence lists; beads are (Chinese indices, English indices),
    each with its confidence: the calibrated probability that it is exactly right
    (scoring/confidence.py)."""
    found = align_detailed(zh, en, options, zh_par, en_par)
    return found.beads, found.confidences


@dataclass
class Alignment:
    """Beads in document order with, for each, its cost, its posterior in the final band
    (forward-backward) and its confidence (the calibrated probability that it is right)."""

    beads: list[Bead]
    costs: list[float]
    posteriors: list[float]
    confidences: list[float]
    #: how much better than chance the pairs' words find their translations (status.lexical_evidence);
    #: NaN without lexical evidence
    evidence: float = float("nan")


def align_detailed(
    zh: list[str], en: list[str], options: AlignOptions | None = None,
    zh_par: list[int] | None = None, en_par: list[int] | None = None,
) -> Alignment:
    """`align_sentences` with each bead's cost and posterior as well."""
    with gc_paused():
        return _align_sentences(zh, en, options or AlignOptions(), zh_par, en_par)


def _align_sentences(
    zh: list[str], en: list[str], options: AlignOptions, zh_par: list[int] | None, en_par: list[int] | None,
) -> Alignment:
    lexical = options.lexical
    workers = min(2, usable_cpus()) if options.parallel else 1
    from aligner.plumbing import progress
    from aligner.lexicon import load_lexicon, match_names

    with progress.bar("tokenising", len(zh) + len(en)) as advance:
        zs, es = build_sides(zh, en, lexical, workers, meanwhile=_meanwhile(zh, options), advance=advance)
    if not (options.numbers and options.punct):
        zs = zs.without(numbers=not options.numbers, cues=not options.punct)
        es = es.without(numbers=not options.numbers, cues=not options.punct)
    if options.embed:
        from aligner.embed.model import sentence_vectors
        from aligner.scoring.embed import document_vectors

        zv, ev = sentence_vectors([("zh", zh), ("en", en)], options.threads, options.progress)
        zs, es = replace(zs, vectors=document_vectors(zv, zs.lengths)), replace(es, vectors=document_vectors(ev, es.lengths))
    extra: dict[str, set[str]] = {}
    if options.names:
        dictionary = load_lexicon() if options.lexicon else {}
        words = [u for t in zs.words for u in t]
        extra = match_names(words, es.words, known={u for u in set(words) if u in dictionary})
    zh_keys, en_key = key_functions(options)
    keys = KeyTable(zh_keys, en_key, extra)
    known = keys  # the keys known before the alignment (pairs learned from it would flatter it)
    search = replace(options.search, workers=workers)
    temperature = options.temperature
    learn = options.learn and lexical
    with progress.bar("aligning  ", len(zh) * (2 if learn else 1)) as advance:
        first = progress.watch_rows(build_costs(options, keys), advance, len(zh), search.split_rows, workers)
        # posteriors come from the final pass only (its band is narrow around the first pass)
        beads, costs, post = align_with_posteriors(zs, es, first, search, zh_par, en_par,
                                                   temperature=None if learn else temperature)
        if learn:
            learned = learn_pairs(zs, es, beads, zh_keys, en_key)
            second = first  # nothing learned: the second pass only adds the posteriors
            if learned:
                for u, ws in extra.items():
                    learned.setdefault(u, set()).update(ws)
                keys = keys.with_extra(learned)
            strength = options.weights.rate_strength
            rates = None if strength is None else word_rates(keys, zs, es, beads, options.weights.q, strength)
            if learned or rates is not None:
                second = progress.watch_rows(build_costs(options, keys, rates), advance, len(zh),
                                             search.split_rows, workers)
            beads, costs, post = align_with_posteriors(zs, es, second, search, zh_par, en_par, guide=beads,
                                                       temperature=temperature)
    evidence = lexical_evidence(known.zh_entries(zs), known.en_entries(es), beads) if lexical else float("nan")
    beads, costs, post = unpack_skips(beads, costs, post)
    return Alignment(beads, costs, post, confidences(beads, costs, post), evidence)


def _meanwhile(zh: list[str], options: AlignOptions) -> Callable[[], None]:
    """What this process does while a worker tokenises Chinese (`build_sides`), all of which
    the steps after it would otherwise load piece by piece with the other core idle: the
    lexicon (load_lexicon keeps it for the later calls) and the entries of the text's
    characters, the pinyin table and rapidfuzz for the names, and the pieces of the run's
    signature that read installed packages' metadata (importlib.metadata alone takes 0.02 s
    to import) (together about 0.1 s on the Bible, half of it saved: the two processes
    share the tokenising that remains)."""

    def run() -> None:
        from aligner import tokenize
        from aligner.lexicon import cedict, load_lexicon, names

        if options.lexicon:
            lexicon = load_lexicon()
            cedict.signature()
            if options.lexical:
                lexicon.preload("".join(zh))
        if options.lexical:
            tokenize.signature()
        if options.names and options.lexical:
            names.preload()

    return run


def align_texts(src: Text, tgt: Text, options: AlignOptions | None = None, metadata: dict[str, str] | None = None) -> AlignedDocument:
    """Align a source Text with its translation (either may be the Chinese one)."""
    options = options or AlignOptions()
    check_languages(src, tgt)
    zh, en = (src, tgt) if base_lang(src.lang) == "zh" else (tgt, src)
    try:
        found = align_around_solo(zh, en, lambda z, e, zp, ep: align_detailed(z, e, options, zp, ep))
    except BandBoundReached as e:  # reported rather than searched without limit (search.align)
        return _unaligned(src, tgt, options, metadata, str(e))
    beads = found.beads if zh is src else [(t, s) for s, t in found.beads]
    doc = AlignedDocument(src, tgt, beads, found.confidences, dict(metadata or {}), signature(options))
    return annotate(doc, found.evidence)


def _unaligned(src: Text, tgt: Text, options: AlignOptions, metadata: dict[str, str] | None,
               why: str) -> AlignedDocument:
    """The document when the search reached its bound: no pair, every sentence one-sided
    (no path the search found is worth a reviewer's time), status 'suspect' saying why."""
    from aligner.status import DocumentStatus

    n, m = len(src.sentences), len(tgt.sentences)
    beads = [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]
    message = (f"{why} ({n} x {m} sentences): the two sides do not seem to correspond (the translation of another "
               "text, out of order, or with long passages the other does not have)")
    return AlignedDocument(src, tgt, beads, [0.0] * len(beads), dict(metadata or {}), signature(options),
                           status=DocumentStatus("suspect", message, 0.0, float("nan")))
