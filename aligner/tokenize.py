"""Word tokens of one sentence, for dictionary lookup: jieba words for Chinese, word tokens for English.

Chinese start-up. `jieba.initialize()` spends most of jieba's start-up in
`marshal.load(file)` of its whole prefix dictionary (words and all their prefixes;
BENCHMARKS.md, Chinese word tokenization). jieba's `get_DAG` and `calc` only ever look up substrings of the text
being cut, and every substring starts with one of the text's characters. So the
prefix dictionary is stored once, in the user cache folder, as one marshalled
shard per first character, and a shard is loaded the first time
its character is seen. The tokenizer then sees exactly the entries jieba would
find for that text, so its words are identical to `jieba.lcut(s, HMM=True)`
(checked on all MAC-Dev Chinese sentences in benchmarks/segmentation.py --tokenize);
an 18-sentence article loads a few percent of the dictionary. jieba is imported
without `pkg_resources` (most of jieba's import time; docs/decisions.md), which it uses
only to open its own data files and which it falls back from.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import tempfile
import threading
import unicodedata
from pathlib import Path
from functools import lru_cache
from typing import Any

_CACHE_FORMAT = 1
_MAGIC = b"aligner-jieba-shards\n"


class _ShardedJieba:
    """A jieba.Tokenizer whose prefix dictionary is filled per first character on demand."""

    def __init__(self) -> None:
        jieba = _import_jieba()
        dict_path = Path(jieba.__file__).parent / "dict.txt"
        st = dict_path.stat()
        key = (_CACHE_FORMAT, jieba.__version__, st.st_size, st.st_mtime_ns)
        loaded = _read_cache(_cache_path(), key)
        if loaded is None:
            total, index, blob = _build_shards(jieba, dict_path)
            _write_cache(_cache_path(), key, total, index, blob)
        else:
            total, index, blob = loaded
        self._index: dict[str, tuple[int, int]] = index
        self._blob = blob
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        tok = jieba.Tokenizer()
        tok.FREQ, tok.total, tok.initialized = {}, total, True
        self.tokenizer = tok

    def cut(self, sentence: str) -> list[str]:
        """jieba's precise-mode words of `sentence`, HMM on."""
        self.load(sentence)
        return self.tokenizer.lcut(sentence, HMM=True)

    def load(self, text: str) -> None:
        """Load the dictionary shards of the characters of `text` not seen yet."""
        new = set(text) - self._seen
        if new:
            with self._lock:
                freq = self.tokenizer.FREQ
                for ch in new:
                    where = self._index.get(ch)
                    if where is not None:
                        freq.update(marshal.loads(self._blob[where[0] : where[0] + where[1]]))
                self._seen |= new


def _import_jieba() -> Any:
    """Import jieba with its logging silenced, without letting it import pkg_resources."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes the import fail fast
        try:
            import jieba
        finally:
            if sys.modules.get("pkg_resources", 0) is None:
                del sys.modules["pkg_resources"]
    import jieba
    import logging

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _cache_path() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("aligner")) / "jieba-prefix-shards.bin"


def _build_shards(jieba: Any, dict_path: Path) -> tuple[int, dict[str, tuple[int, int]], bytes]:
    """jieba's prefix dictionary split by first character: (total, {char: (offset, length)}, blob)."""
    with open(dict_path, "rb") as f:
        freq, total = jieba.Tokenizer().gen_pfdict(f)
    shards: dict[str, dict[str, int]] = {}
    for word, n in freq.items():
        shards.setdefault(word[0], {})[word] = n
    index, parts, offset = {}, [], 0
    for ch, shard in shards.items():
        data = marshal.dumps(shard)
        index[ch] = (offset, len(data))
        parts.append(data)
        offset += len(data)
    return total, index, b"".join(parts)


def _read_cache(path: Path, key: tuple) -> tuple[int, dict[str, tuple[int, int]], bytes] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(_MAGIC):
        return None
    try:
        head_len = int.from_bytes(data[len(_MAGIC) : len(_MAGIC) + 8], "little")
        start = len(_MAGIC) + 8
        stored_key, total, index = marshal.loads(data[start : start + head_len])
    except (ValueError, EOFError, TypeError):
        return None
    if tuple(stored_key) != key:
        return None
    return total, index, data[start + head_len :]


def _write_cache(path: Path, key: tuple, total: int, index: dict, blob: bytes) -> None:
    """Write the shard file atomically; a cache folder we cannot write to only costs speed."""
    head = marshal.dumps((key, total, index))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + len(head).to_bytes(8, "little") + head + blob)
        os.replace(tmp, path)
    except OSError:
        pass


_JIEBA: _ShardedJieba | None = None
_JIEBA_LOCK = threading.Lock()


def _jieba() -> _ShardedJieba:
    global _JIEBA
    if _JIEBA is None:
        with _JIEBA_LOCK:
            if _JIEBA is None:
                _JIEBA = _ShardedJieba()
    return _JIEBA


def _is_word(token: str) -> bool:
    """False for tokens made only of punctuation, white space or control characters."""
    return any(unicodedata.category(c)[0] not in "PZC" for c in token)


class _IsWordMemo(dict):
    """token -> _is_word(token), filled on demand: a long text repeats its tokens
    (docs/decisions.md; `benchmarks/stages.py` times it)."""

    def __missing__(self, token: str) -> bool:
        self[token] = value = _is_word(token)
        return value


_IS_WORD = _IsWordMemo()


def preload(texts: list[str]) -> None:
    """Load what tokenising `texts` will need, e.g. before forking workers that then share it."""
    _jieba().load("".join(texts))


def zh_words(sentence: str) -> list[str]:
    """jieba words of a Chinese sentence (precise mode, HMM on), punctuation and white space removed."""
    is_word = _IS_WORD
    return [w for w in _jieba().cut(sentence) if is_word[w]]


# Numbers first so that '5th', '3.5', '1,000' and '1108:21:37' stay one token;
# dotted abbreviations (U.S., e.g.) keep their periods; words keep inner apostrophes.
_EN_TOKEN = re.compile(
    r"""
    \d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?(?![^\W\d_])
  | (?:[A-Za-z]\.){2,}
  | [^\W\d_][^\W_]*(?:['’][^\W_]+)*
  | \d+[^\W_]*
    """,
    re.VERBOSE,
)
_POSSESSIVE = re.compile(r"['’][sS]$")


def en_words(sentence: str) -> list[str]:
    """Word tokens of an English sentence: original case, no punctuation, numbers kept.

    Hyphenated words are split (state-owned → state, owned): CC-CEDICT's glosses hold
    the parts far more often than the whole (docs/decisions.md). A possessive or
    contracted 's is dropped (People's → People) and other contractions stay whole
    (didn't); ’ is written as '.
    """
    out = _EN_TOKEN.findall(sentence)
    # Most sentences have no apostrophe, and their tokens need no fixing (docs/decisions.md).
    if "'" in sentence or "’" in sentence:
        out = [t for tok in out if (t := _POSSESSIVE.sub("", tok.replace("’", "'")))]
    return out


@lru_cache(maxsize=1)
def signature() -> str:
    """The tokeniser's piece of the run's signature (jieba's words decide the lexical evidence)."""
    from importlib.metadata import version

    return f"tok:jieba-{version('jieba')}"
