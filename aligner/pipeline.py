"""From two sentence lists to beads, and from two Texts to an AlignedDocument.

    sentences -> evidence (features of both sides, key table, vectors)    `document_evidence`
              -> costs (from the options alone)                          `scoring.costs.build_costs`
              -> search (first pass)                                     `search.strategy.search`
              -> evidence with learned pairs and rates                   `_second_pass`
              -> search around the first pass, with posteriors
              -> confidences                                             `scoring.confidence`

`align_sentences` is the alignment core, a pure function of two sentence lists and the
options (which choose the bead costs); `align_texts` is the same for two Texts, with the
run's signature. Reading files into Texts is `aligner.readers`; writing the result is
`aligner.writers`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from aligner.beads import Bead, unpaired_beads
from aligner.document import AlignedDocument, DocumentStatus, Text, base_lang
from aligner.features import build_sides
from aligner.lexicon.learn import learn_pairs
from aligner.notes import align_around_solo, annotate
from aligner.options import AlignOptions
from aligner.plumbing import progress
from aligner.plumbing.process import gc_paused, usable_cpus
from aligner.readers.load import check_languages
from aligner.scoring.confidence import confidences
from aligner.scoring.costs import build_costs
from aligner.scoring.evidence import Evidence
from aligner.scoring.keys import EnKey, KeyTable, ZhKeys, no_en_key, no_zh_keys
from aligner.scoring.rates import word_rates
from aligner.scoring.skip import unpack_skips
from aligner.search.strategy import BandBoundReached, search
from aligner.signature import signature
from aligner.status import lexical_evidence


@dataclass
class Alignment:
    """Beads in document order with, for each, its cost, its posterior in the final band
    (forward-backward; None without a temperature) and its confidence (the calibrated
    probability that it is exactly right, scoring/confidence.py; NaN without posteriors)."""

    beads: list[Bead]
    costs: list[float]
    posteriors: list[float] | None
    confidences: list[float]
    #: how much better than chance the pairs' words find their translations (status.lexical_evidence);
    #: NaN without lexical evidence
    evidence: float = float("nan")


def align_texts(src: Text, tgt: Text, options: AlignOptions | None = None, metadata: dict[str, str] | None = None) -> AlignedDocument:
    """Align a source Text with its translation (either may be the Chinese one)."""
    options = options or AlignOptions()
    check_languages(src, tgt)
    zh, en = (src, tgt) if base_lang(src.lang) == "zh" else (tgt, src)
    # sentences known to have no translation (a headline: `Text.solo`) stay out of the search
    try:
        found = align_around_solo(zh, en, lambda z, e, zp, ep: align_sentences(z, e, options, zp, ep))
    except BandBoundReached as e:  # reported rather than searched without limit (search.strategy)
        return _unaligned(src, tgt, options, metadata, str(e))
    beads = found.beads if zh is src else [(t, s) for s, t in found.beads]
    doc = AlignedDocument(src, tgt, beads, found.confidences, dict(metadata or {}), signature(options))
    return annotate(doc, found.evidence)


def align_sentences(
    zh: list[str], en: list[str], options: AlignOptions | None = None,
    zh_par: list[int] | None = None, en_par: list[int] | None = None,
) -> Alignment:
    """Align Chinese and English sentence lists; `zh_par` / `en_par` are the paragraph start
    indices of each side plus its total, if known. Beads are (Chinese indices, English
    indices)."""
    options = options or AlignOptions()
    with gc_paused():
        workers = min(2, usable_cpus()) if options.parallel else 1
        evidence = first = document_evidence(zh, en, options, workers)
        costs = build_costs(options)
        cfg = replace(options.search, workers=workers)
        paragraphs = (zh_par, en_par) if zh_par and en_par else None
        learn = options.learn and options.lexical
        with progress.bar("aligning  ", len(zh) * (2 if learn else 1)) as advance:
            # posteriors come from the final pass only (its band is narrow around the first pass)
            found = search(evidence, costs, cfg, paragraphs, temperature=None if learn else options.temperature,
                           rows_done=advance)
            if learn:
                evidence = _second_pass(evidence, found.beads, options)
                found = search(evidence, costs, cfg, paragraphs, guide=found.beads, temperature=options.temperature,
                               rows_done=advance)
        # measured with the keys known before the alignment: pairs learned from it would flatter it
        measured = float("nan")
        if options.lexical:
            measured = lexical_evidence(first.entries("zh"), first.entries("en"), found.beads)
        beads, bead_costs, post = unpack_skips(found.beads, found.costs, found.posteriors)
        return Alignment(beads, bead_costs, post, confidences(beads, bead_costs, post), measured)


def document_evidence(zh: list[str], en: list[str], options: AlignOptions, workers: int = 1) -> Evidence:
    """The first pass's evidence of a document: both sides' features (tokenised in `workers`
    processes), the names matched by pinyin in its key table, and with --embed its
    sentence vectors."""
    from aligner.lexicon import load_lexicon, match_names

    with progress.bar("tokenising", len(zh) + len(en)) as advance:
        zs, es = build_sides(zh, en, options.lexical, workers, meanwhile=_meanwhile(zh, options), advance=advance)
    if not (options.numbers and options.punct):
        zs = zs.without(numbers=not options.numbers, cues=not options.punct)
        es = es.without(numbers=not options.numbers, cues=not options.punct)
    vectors = None
    if options.embed:
        from aligner.embed.model import sentence_vectors
        from aligner.scoring.embed import document_vectors

        zv, ev = sentence_vectors([("zh", zh), ("en", en)], options.threads, options.progress)
        vectors = (document_vectors(zv, zs.lengths), document_vectors(ev, es.lengths))
    names: dict[str, set[str]] = {}
    if options.names:
        dictionary = load_lexicon() if options.lexicon else {}
        words = [u for t in zs.words for u in t]
        names = match_names(words, es.words, known={u for u in set(words) if u in dictionary})
    return Evidence(zs, es, KeyTable(*key_functions(options), names), vectors=vectors)


def key_functions(options: AlignOptions) -> tuple[ZhKeys, EnKey]:
    """Which English keys a Chinese word and an English token have: CC-CEDICT's, or none
    with the dictionary switched off (numbers, names, cues and learned pairs still match)."""
    if not options.lexicon:
        return no_zh_keys, no_en_key
    from aligner.lexicon import load_lexicon

    lexicon = load_lexicon()
    return lexicon.zh_keys, lexicon.en_key


def _second_pass(first: Evidence, beads: list[Bead], options: AlignOptions) -> Evidence:
    """The first pass's evidence with the word pairs learned from its `beads` and each word's
    rate of translation in them (none with `Weights.rate_strength` None)."""
    keys = first.keys
    second = first.with_pairs(learn_pairs(first.zh.words, first.en.words, beads, keys.zh_keys, keys.en_key))
    strength = options.weights.rate_strength
    if strength is None:
        return second
    rates = word_rates(second.entries("zh"), second.entries("en"), second.keys.size, beads, options.weights.q, strength)
    return second.with_rates(rates)


def _meanwhile(zh: list[str], options: AlignOptions) -> Callable[[], None]:
    """What this process does while a worker tokenises Chinese (`build_sides`), all of which
    the steps after it would otherwise load piece by piece with the other core idle: the
    lexicon (load_lexicon keeps it for the later calls) and the entries of the text's
    characters, the pinyin table and rapidfuzz for the names, and the pieces of the run's
    signature that read installed packages' metadata (importlib.metadata is slow to import)."""

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


def _unaligned(src: Text, tgt: Text, options: AlignOptions, metadata: dict[str, str] | None,
               why: str) -> AlignedDocument:
    """The document when the search reached its bound: no pair, every sentence one-sided
    (no path the search found is worth a reviewer's time), status 'suspect' saying why."""
    n, m = len(src.sentences), len(tgt.sentences)
    beads = unpaired_beads(n, m)
    message = (f"{why} ({n} x {m} sentences): the two sides do not seem to correspond (the translation of another "
               "text, out of order, or with long passages the other does not have)")
    return AlignedDocument(src, tgt, beads, [0.0] * len(beads), dict(metadata or {}), signature(options),
                           status=DocumentStatus("suspect", message, 0.0, float("nan")))
