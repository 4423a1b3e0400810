"""Reading input files into Texts: the one-file bilingual article, or one side per file.

Decoding (`decode`), language detection (`langid`), the article's layout (`article`)
and plain paragraphs (`plain`) are each a module of this package; this one puts them
together and segments the paragraphs into sentences.
"""

from __future__ import annotations

import warnings

from aligner.document import LANG_NAMES, Added, Text, base_lang
from aligner.plumbing.errors import AlignerError, AlignerWarning, InputUsageError


def load_article(
    path: str, encoding: str | None = None, presplit: bool = False, text: str | None = None,
) -> tuple[Text, Text, dict[str, str]]:
    """The one-file bilingual article: Chinese original (source) and English translation.

    `text` is the file's content when the caller has read it already (standard input
    can be read only once); `path` then only labels errors.
    """
    from aligner.readers.article import parse_article
    from aligner.readers.formats import read_document
    from aligner.readers.langid import detect_lang, lang_code

    if text is None:
        text = read_document(path, encoding)
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
    warn_other_language(" ".join(art.en_paragraphs), path, "the translation before '<hr />'")
    zh_paragraphs = _segment(art.zh_paragraphs, "zh", presplit)
    en_paragraphs = _segment(art.en_paragraphs, "en", presplit)
    zh_starts, en_starts = _starts(zh_paragraphs), _starts(en_paragraphs)
    solo = {i: reason for k, reason in art.zh_solo.items() for i in range(zh_starts[k], zh_starts[k + 1])}
    added = [Added(en_starts[block.before], block.text, block.reason) for block in art.en_added]
    zh = Text(lang_code(" ".join(art.zh_paragraphs), "zh"), zh_paragraphs, path, art.zh_metadata, solo=solo)
    en = Text("en-US", en_paragraphs, path, art.metadata, added=added)
    return zh, en, dict(art.metadata)


def _starts(paragraphs: list[list[str]]) -> list[int]:
    """Index of each paragraph's first sentence, and the sentence count at the end."""
    starts = [0]
    for p in paragraphs:
        starts.append(starts[-1] + len(p))
    return starts


#: ends the warning for a forced language the text contradicts (cut when the warning is
#: folded into an error it explains)
AS_GIVEN = "; using it as given"


def load_text(
    path: str, lang: str | None = None, encoding: str | None = None, presplit: bool = False,
    text: str | None = None,
) -> Text:
    """One side from its own file; `lang` forces the language code, else it is detected.

    `text` is the file's content when the caller has read it already (see load_article).
    """
    from aligner.readers.decode import has_text
    from aligner.readers.formats import read_document
    from aligner.readers.plain import read_presplit, split_paragraphs
    from aligner.readers.langid import detect_lang, lang_code

    if text is None:
        text = read_document(path, encoding)
    detected = detect_lang(text)  # counts a bounded sample: cheap even when lang is given
    if lang is None:
        if detected is None:
            raise AlignerError("cannot tell the language (no Chinese or English text found)", path)
        lang = lang_code(text, detected)
    elif detected is not None and base_lang(lang) in LANG_NAMES and detected != base_lang(lang):
        warnings.warn(AlignerWarning(
            f"the language is given as {lang}, but the text looks {LANG_NAMES[detected]}{AS_GIVEN}", path))
    check_lang(lang, path)
    if base_lang(lang) == "en":
        warn_other_language(text, path)
    if presplit:
        paragraphs = [read_presplit(text)]
    else:
        paragraphs = _segment(split_paragraphs(text), base_lang(lang), False)
    # Check sentences, not paragraphs: a presplit file of empty lines is one paragraph of
    # empty sentences, which `any(paragraphs)` takes for text.
    if not any(has_text(s) for p in paragraphs for s in p):
        raise AlignerError("no text to align (only empty lines)", path)
    return Text(lang, paragraphs, path)


def sentence_text(sentences: list[str], lang: str | None = None, label: str = "") -> Text:
    """One side given as its sentences (the Python API's `align_sentences`): used as they
    are, sentence i at index i; `lang` forces the language code, else it is detected.
    `label` names the side in errors."""
    from aligner.readers.decode import has_text
    from aligner.readers.langid import detect_lang, lang_code

    if isinstance(sentences, str) or not all(isinstance(s, str) for s in sentences):
        raise TypeError("sentences must be a list of strings (to align two texts, use aligner.align)")
    text = "\n".join(sentences)
    if not any(has_text(s) for s in sentences):
        raise AlignerError("no text to align (no sentence has text)", label)
    if lang is None:
        detected = detect_lang(text)
        if detected is None:
            raise AlignerError("cannot tell the language (no Chinese or English text found)", label)
        lang = lang_code(text, detected)
    check_lang(lang, label)
    if base_lang(lang) == "en":
        warn_other_language(text, label)
    return Text(lang, [list(sentences)], label)


def warn_other_language(text: str, path: str, what: str = "the text") -> None:
    """A one-line warning when an English side is in another Latin-script language (a French
    translation): it is aligned, but the dictionary, names and numbers are English."""
    from aligner.readers.langid import latin_language

    other = latin_language(text)
    if other is not None:
        warnings.warn(AlignerWarning(
            f"{what} looks {other}, not English: aligner pairs Chinese with English, so expect poor pairs", path))


def check_lang(lang: str, path: str) -> None:
    """Refuse a language code given on the command line (--src-lang, --tgt-lang) that is
    neither Chinese nor English: the error names `path`, the file it was given for."""
    if base_lang(lang) not in LANG_NAMES:
        raise InputUsageError(f"language {lang!r} is not supported (Chinese and English only)", path)


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
