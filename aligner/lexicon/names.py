"""Transliterated names: Chinese words matched to capitalised English words by pinyin.

A dictionary cannot list the people and small places of a novel or an article,
but their English form is usually the pinyin (陈清扬 -> Chen Qingyang,
松江 -> Songjiang). For one document, Chinese words that look like names are
compared with the capitalised English words and runs of two or three of them by
a fuzzy string ratio of the toneless pinyin.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Iterable

from aligner.lexicon.stem import en_key

# rapidfuzz ratio (0-100) of pinyin against the lowercased English name: below it wrong
# matches grow fast, above it right ones are lost (benchmarks/names.py on MAC-Dev gold
# beads; docs/decisions.md).
DEFAULT_THRESHOLD = 85.0

_HAN_NAME = re.compile(r"^[\u3400-\u9fff]{2,4}$")
_ADMIN_SUFFIXES = set("市省县区镇乡村")  # city, province, county, district, town, township, village
_CAPITAL = re.compile(r"^[A-ZÜ][a-zü]+(?:['\u2019-][A-Za-zü]+)*$")


def preload() -> None:
    """Load the pinyin table and rapidfuzz now (a pipeline does it while a worker tokenises)."""
    _char_pinyin()
    from rapidfuzz import process  # noqa: F401


def pinyin_key(word: str) -> str:
    """Toneless pinyin of a Chinese word, syllables joined, lowercase, 'ü' as 'v': 陈清扬 -> 'chenqingyang'.

    Characters are read one by one with their most common reading in CC-CEDICT (names
    are matched fuzzily, so a polyphone read the other way costs little); a character
    CC-CEDICT lacks is kept as it is.
    """
    table = _char_pinyin()
    return "".join(table.get(ch, ch) for ch in word)


@lru_cache(maxsize=1)
def _char_pinyin() -> dict[str, str]:
    """Character -> toneless pinyin, from the single-character entries of CC-CEDICT
    (shipped with the package, or built once and cached: `aligner.plumbing.cache`).

    Read from the dictionary the lexicon already ships rather than from pypinyin, whose
    import would slow every start-up (docs/decisions.md)."""
    from aligner.plumbing.cache import cached

    return cached("cedict-pinyin", _pinyin_tag(), _build_char_pinyin)


def _pinyin_tag() -> str:
    from aligner.plumbing.cache import code_tag, make_tag
    from aligner.lexicon.cedict import source_tag

    return make_tag("cedict-pinyin", 4, source_tag(), code_tag(__name__))


def _build_char_pinyin() -> dict[str, str]:
    import gzip
    from collections import Counter

    from aligner.lexicon.cedict import cedict_path

    # the reading a character has in the most dictionary words is its common one
    # (广 is guang in 300 words, yan in none; 女 nv, not ru)
    counts: Counter[tuple[str, str]] = Counter()
    with gzip.open(cedict_path(), "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ", 2)
            if line.startswith("#") or len(parts) < 3 or not parts[2].startswith("["):
                continue
            syllables = parts[2][1 : parts[2].find("]")].lower().replace("u:", "v").split()
            for word in {parts[0], parts[1]}:
                if len(word) == len(syllables):
                    for ch, syl in zip(word, syllables):
                        syl = syl.rstrip("012345")
                        if syl.isalpha() and syl != "r":  # 'r' is the erhua suffix, not 儿's reading
                            counts[ch, syl] += 1
    best: dict[str, tuple[int, str]] = {}
    for (ch, syl), c in counts.items():
        if c > best.get(ch, (0, ""))[0]:
            best[ch] = (c, syl)
    return {ch: syl for ch, (_, syl) in best.items()}


def write_shipped(folder: Path) -> Path | None:
    """Write the pinyin table into `folder` as the package build ships it (setup.py)."""
    import marshal

    from aligner.plumbing.cache import write

    return write("cedict-pinyin", _pinyin_tag(), marshal.dumps(_build_char_pinyin()), folder)


def _name_form(token: str) -> str:
    """Lowercase letters only, ü as u: "Xi'an" -> 'xian', 'Qing-yang' -> 'qingyang'."""
    return re.sub(r"[^a-z]", "", token.lower().replace("ü", "u"))


def _en_candidates(en_sentences: Iterable[list[str]]) -> dict[str, tuple[str, ...]]:
    """Joined lowercase form -> the capitalised tokens it is made of (single words and runs
    of 2-3 inside a sentence)."""
    en_sentences = list(en_sentences)
    # judged once per distinct token: a long text repeats its words (the Bible's English
    # has about ten tokens for each distinct one)
    capital = {t: bool(_CAPITAL.match(t)) and en_key(t) is not None
               for t in dict.fromkeys(chain.from_iterable(en_sentences))}
    # and each distinct run of capitalised words read once, in order of first appearance
    # (the Bible's 6,560 runs are 2,900 distinct), which gives the same first part per form
    runs: dict[tuple[str, ...], None] = {}
    for toks in en_sentences:
        run: list[str] = []
        for tok in toks:
            if capital[tok]:
                run.append(tok)
            elif run:
                runs[tuple(run)] = None
                run = []
        if run:
            runs[tuple(run)] = None
    forms = {t: _name_form(t) for t in capital if capital[t]}
    out: dict[str, tuple[str, ...]] = {}
    for run_ in runs:
        for size in (1, 2, 3):
            for i in range(len(run_) - size + 1):
                part = run_[i : i + size]
                form = "".join([forms[t] for t in part])
                if len(form) >= 2:
                    out.setdefault(form, part)
    return out


def name_candidates(zh_words: Iterable[str], known: "set[str] | None" = None) -> list[str]:
    """Distinct Chinese words that could be transliterated names: 2-4 Han characters, not in `known`."""
    known = known or set()
    return sorted(w for w in set(zh_words) if _HAN_NAME.match(w) and w not in known)


def match_names(
    zh_words: Iterable[str],
    en_sentences: Iterable[list[str]],
    threshold: float = DEFAULT_THRESHOLD,
    known: "set[str] | None" = None,
) -> dict[str, set[str]]:
    """For one document: Chinese word -> en_key()s of the English words its pinyin matches.

    `en_sentences` are the word tokens of the document's English sentences (runs of
    capitalised words are names: 'Chen Qingyang' gives both 'chen' and 'qingyang'). `known` holds
    Chinese words to leave out, e.g. dictionary headwords that already have a
    translation; by default every 2-4 character Han word is tried.
    """
    zh = name_candidates(zh_words, known)
    en = _en_candidates(en_sentences)
    if not zh or not en:
        return {}
    import numpy as np
    from rapidfuzz import fuzz, process

    forms = list(en)
    row_words, pinyins = [], []
    for w in zh:
        for part in _name_parts(w):
            row_words.append(w)
            pinyins.append(pinyin_key(part).replace("v", "u"))  # English writes 吕 as Lu or Lü
    # whole-number scores (0 below the cutoff, which no score at or above it rounds to):
    # the Bible's 4,300 x 1,233 matrix takes 5 MB instead of 21 MB, and is scanned faster
    scores = process.cdist(pinyins, forms, scorer=fuzz.ratio, score_cutoff=threshold, workers=1, dtype=np.uint8)
    out: dict[str, set[str]] = {}
    rows, cols = scores.nonzero()
    for r, c in zip(rows.tolist(), cols.tolist()):
        keys = {k for t in en[forms[c]] if (k := en_key(t))}
        if keys:
            out.setdefault(row_words[r], set()).update(keys)
    return out


def _name_parts(word: str) -> list[str]:
    """The word, and without an administrative suffix that English drops (哈尔滨市 -> 哈尔滨)."""
    if len(word) >= 3 and word[-1] in _ADMIN_SUFFIXES:
        return [word, word[:-1]]
    return [word]
