"""Word tokens of one sentence, for dictionary lookup: jieba words for Chinese, word tokens for English.

Chinese words are jieba's, precise mode with its HMM (`jieba.lcut(s, HMM=True)`), word
for word; jieba 0.42.1 is the reference. jieba cuts in three steps, and each is taken
from where it is fastest while giving jieba's result:

1. Blocks: runs of Han characters (U+4E00-U+9FD5), ASCII letters and digits, and
   `+#&._%-`; any other character is a token of its own (`jieba.Tokenizer.cut`).
2. The dictionary route through each block (the most probable path of dictionary
   words), from rjieba when it is installed: jieba-rs, jieba's algorithm and
   dictionary in Rust, several times faster than jieba's Python (BENCHMARKS.md). Its dictionary is jieba's
   dict.txt (every word and frequency checked: `tests/test_tokenize.py` and
   BENCHMARKS.md) and its route jieba's (every sentence of the Bible, MAC-Dev and the
   seed article). Without rjieba, jieba's own `get_DAG` and `calc`, with its prefix
   dictionary read one first character at a time from a sharded cache
   (`aligner.plumbing.cache.Shards`): `jieba.initialize()` would load all of it (docs/decisions.md),
   and a text only ever looks up its own characters.
3. Runs of single characters that are not a dictionary word go to jieba's HMM
   (`jieba.finalseg`), with its model but our Viterbi (`_hmm_words`): jieba's copies a
   path list per character and state, which is quadratic in the run's length (a run of
   40,000 characters without punctuation took 8 s, a megabyte never ends); ours keeps
   back-pointers and is linear, with the same words. rjieba's own HMM is not used: its
   model is not exactly jieba's, which flips near-ties (常在 for jieba's 常 在 in 1 Bible
   verse of 6,301, a log-probability margin of 1.5e-7), and it keeps 2.726K whole where
   jieba splits 2.726 K.

Characters jieba-rs counts as Han and jieba does not (CJK extensions, U+9FD6-U+9FFF,
compatibility ideographs) are cut apart before rjieba sees them, as jieba does.
"""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

_HAN_DEFAULT = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")  # jieba.re_han_default
_SKIP_DEFAULT = re.compile("(\r\n|\\s)")  # jieba.re_skip_default
_HMM_HAN = re.compile("([\u4e00-\u9fd5]+)")  # jieba.finalseg.re_han
_HMM_SKIP = re.compile("([a-zA-Z0-9]+(?:\\.\\d+)?%?)")  # jieba.finalseg.re_skip
# Han to jieba-rs, other characters to jieba: split off before rjieba cuts
_RUST_ONLY_HAN = re.compile("([\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])")

_SHARDS_FORMAT = 2
MEMO_LIMIT = 500_000  # entries of a per-process memo before it starts again (the Bible fills 9,000)


def _import_jieba() -> Any:
    """Import jieba with its logging silenced, without letting it import pkg_resources
    (70 ms of its 120 ms import; it only uses it to open its own files, and falls back)."""
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


# ---------------------------------------------------------------- step 3: the HMM

_B, _M, _E, _S = 0, 1, 2, 3


class _Hmm:
    """jieba.finalseg's model and cut, with a linear Viterbi; results memoised per run."""

    def __init__(self) -> None:
        _import_jieba()
        from jieba import finalseg

        self.min = finalseg.MIN_FLOAT
        self.start = tuple(finalseg.start_P[s] for s in "BMES")
        t = finalseg.trans_P
        self.trans = (t["E"]["B"], t["S"]["B"], t["M"]["M"], t["B"]["M"], t["S"]["S"], t["E"]["S"], t["B"]["E"], t["M"]["E"])
        e = finalseg.emit_P
        chars = set(e["B"]) | set(e["M"]) | set(e["E"]) | set(e["S"])
        m = self.min
        self.emit = {c: (e["B"].get(c, m), e["M"].get(c, m), e["E"].get(c, m), e["S"].get(c, m)) for c in chars}
        self.force_split = finalseg.Force_Split_Words
        self.memo: dict[str, list[str]] = {}

    def words(self, run: str) -> list[str]:
        """`list(jieba.finalseg.cut(run))`."""
        got = self.memo.get(run)
        if got is None:
            if len(self.memo) >= MEMO_LIMIT:  # a long-lived process aligning many documents
                self.memo.clear()
            got = self.memo[run] = []
            for blk in _HMM_HAN.split(run):
                if not blk:
                    continue
                if _HMM_HAN.match(blk):
                    for w in self._cut(blk):
                        if w in self.force_split:
                            got.extend(w)
                        else:
                            got.append(w)
                else:
                    got.extend(x for x in _HMM_SKIP.split(blk) if x)
        return got

    def _cut(self, text: str) -> list[str]:
        states = self.viterbi(text)
        out, begin, nexti = [], 0, 0
        for i, pos in enumerate(states):
            if pos == _B:
                begin = i
            elif pos == _E:
                out.append(text[begin : i + 1])
                nexti = i + 1
            elif pos == _S:
                out.append(text[i])
                nexti = i + 1
        if nexti < len(text):
            out.append(text[nexti:])
        return out

    def viterbi(self, obs: str) -> list[int]:
        """jieba.finalseg.viterbi's state path (B, M, E, S as 0-3), in linear time.

        The same sums in the same order, and ties broken as jieba's `max` over
        (probability, state letter) tuples breaks them: the later letter wins."""
        tEB, tSB, tMM, tBM, tSS, tES, tBE, tME = self.trans
        emit, none = self.emit, (self.min,) * 4
        eB, eM, eE, eS = emit.get(obs[0], none)
        sB, sM, sE, sS = self.start
        vB, vM, vE, vS = sB + eB, sM + eM, sE + eE, sS + eS
        # one byte per character: which predecessor each state came from
        # (bit 0: B from S, 1: M from B, 2: E from B, 3: S from E)
        back = bytearray(len(obs))
        for t in range(1, len(obs)):
            eB, eM, eE, eS = emit.get(obs[t], none)
            bit = 0
            a, b = vE + tEB + eB, vS + tSB + eB  # B from E or S
            if b >= a:
                nB, bit = b, 1
            else:
                nB = a
            a, b = vM + tMM + eM, vB + tBM + eM  # M from M or B
            if b > a:
                nM, bit = b, bit | 2
            else:
                nM = a
            a, b = vB + tBE + eE, vM + tME + eE  # E from B or M
            if a > b:
                nE, bit = a, bit | 4
            else:
                nE = b
            a, b = vS + tSS + eS, vE + tES + eS  # S from S or E
            if b > a:
                nS, bit = b, bit | 8
            else:
                nS = a
            vB, vM, vE, vS = nB, nM, nE, nS
            back[t] = bit
        state = _E if vE > vS else _S
        path = [0] * len(obs)
        for t in range(len(obs) - 1, -1, -1):
            path[t] = state
            bit = back[t]
            if state == _B:
                state = _S if bit & 1 else _E
            elif state == _M:
                state = _B if bit & 2 else _M
            elif state == _E:
                state = _B if bit & 4 else _M
            else:
                state = _E if bit & 8 else _S
        return path


# ---------------------------------------------------------------- steps 1 and 2

def _flush(buf: str, is_word: Callable[[str], bool], hmm: _Hmm, out: list[str]) -> None:
    """A run of single-character route steps, as jieba's `__cut_DAG` emits it."""
    if len(buf) == 1:
        out.append(buf)
    elif not is_word(buf):
        out.extend(hmm.words(buf))
    else:
        out.extend(buf)


def _other(text: str, out: list[str]) -> None:
    """Characters outside jieba's blocks: white space as jieba groups it, the rest one by one."""
    for x in _SKIP_DEFAULT.split(text):
        if _SKIP_DEFAULT.match(x):
            out.append(x)
        else:
            out.extend(x)


_SINGLE, _WORD, _OTHERS = 0, 1, 2


def _token_kind(w: str) -> int:
    """What a token of jieba-rs's route without HMM is to jieba's cut with HMM.

    _SINGLE: single-character steps of a block, which jieba joins into a run for its HMM.
    Without its HMM, jieba-rs joins a run of single ASCII letters and digits into one
    token (as jieba's __cut_DAG_NO_HMM does); no dictionary word is all ASCII letters
    and digits (checked on dict.txt), so such a token is always such a run.
    _WORD: a dictionary word of the route, or a character outside the blocks (kept as is).
    _OTHERS: several characters outside the blocks, which jieba splits (`_other`)."""
    if len(w) == 1 or (w.isascii() and w.isalnum()):
        return _SINGLE if _HAN_DEFAULT.match(w) else _WORD
    return _WORD if _HAN_DEFAULT.match(w) else _OTHERS


class _RustCut:
    """Steps 1-2 from rjieba (route without HMM), step 3 from `_Hmm`."""

    name = "rjieba"

    def __init__(self) -> None:
        import rjieba  # builds jieba-rs's dictionary: about 0.15 s

        self._cut = rjieba.cut
        self._has_word = rjieba.has_word
        self.hmm = _Hmm()
        self._kinds: dict[str, int] = {}  # token -> _token_kind(token), for the tokens seen

    def cut(self, sentence: str) -> list[str]:
        out: list[str] = []
        if _RUST_ONLY_HAN.search(sentence):
            for piece in _RUST_ONLY_HAN.split(sentence):
                if len(piece) == 1 and _RUST_ONLY_HAN.match(piece):
                    out.append(piece)
                elif piece:
                    self._cut_into(piece, out)
        else:
            self._cut_into(sentence, out)
        return out

    def _cut_into(self, text: str, out: list[str]) -> None:
        buf = ""
        kinds = self._kinds
        for w in self._cut(text, False):
            kind = kinds.get(w)
            if kind is None:
                if len(kinds) >= MEMO_LIMIT:
                    kinds.clear()
                kind = kinds[w] = _token_kind(w)
            if kind == _SINGLE:
                buf += w
                continue
            if buf:
                _flush(buf, self._has_word, self.hmm, out)
                buf = ""
            if kind == _OTHERS:
                _other(w, out)
            else:
                out.append(w)
        if buf:
            _flush(buf, self._has_word, self.hmm, out)

    def load(self, text: str) -> None:
        """Nothing to load: jieba-rs holds its whole dictionary."""


class _ShardedJieba:
    """Steps 1-2 from jieba's Tokenizer, whose prefix dictionary is filled per first
    character on demand; step 3 from `_Hmm`."""

    name = "jieba"

    def __init__(self) -> None:
        from aligner.plumbing.cache import cached_shards, file_tag, make_tag

        jieba = _import_jieba()
        dict_path = Path(jieba.__file__).parent / "dict.txt"
        tag = make_tag("jieba-prefix", _SHARDS_FORMAT, jieba.__version__, file_tag(dict_path))
        shards = cached_shards("jieba-prefix", tag, lambda: _prefix_dict(jieba, dict_path))
        self._shards = shards
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        tok = jieba.Tokenizer()
        tok.FREQ, tok.total, tok.initialized = {}, shards.meta, True
        self.tokenizer = tok
        self.hmm = _Hmm()

    def load(self, text: str) -> None:
        """Load the dictionary shards of the characters of `text` not seen yet."""
        new = set(text) - self._seen
        if new:
            with self._lock:
                freq = self.tokenizer.FREQ
                for ch in new:
                    freq.update(self._shards.shard(ch))
                self._seen |= new

    def cut(self, sentence: str) -> list[str]:
        self.load(sentence)
        tok, out = self.tokenizer, []
        is_word = tok.FREQ.get
        for blk in _HAN_DEFAULT.split(sentence):
            if not blk:
                continue
            if not _HAN_DEFAULT.match(blk):
                _other(blk, out)
                continue
            route: dict[int, tuple[float, int]] = {}
            tok.calc(blk, tok.get_DAG(blk), route)
            x, n, buf = 0, len(blk), ""
            while x < n:
                y = route[x][1] + 1
                if y - x == 1:
                    buf += blk[x]
                else:
                    if buf:
                        _flush(buf, is_word, self.hmm, out)
                        buf = ""
                    out.append(blk[x:y])
                x = y
            if buf:
                _flush(buf, is_word, self.hmm, out)
        return out


def _prefix_dict(jieba: Any, dict_path: Path) -> tuple[int, dict[str, int]]:
    """jieba's prefix dictionary (words and their prefixes -> frequency) and its total."""
    with open(dict_path, "rb") as f:
        freq, total = jieba.Tokenizer().gen_pfdict(f)
    return total, freq


# ---------------------------------------------------------------- choosing the route's source

_CUTTER: Any = None
_CUTTER_LOCK = threading.Lock()
_FORCED: str | None = None


def use(backend: str | None) -> None:
    """Force the route's source, 'rjieba' or 'jieba' (benchmarks and tests; the words are
    the same); None: rjieba when it can be imported."""
    global _CUTTER, _FORCED
    if backend not in (None, "rjieba", "jieba"):
        raise ValueError(f"unknown tokenizer backend {backend!r}")
    with _CUTTER_LOCK:
        _FORCED, _CUTTER = backend, None


def _cutter() -> Any:
    global _CUTTER
    if _CUTTER is None:
        with _CUTTER_LOCK:
            if _CUTTER is None:
                if _FORCED != "jieba":
                    try:
                        _CUTTER = _RustCut()
                    except ImportError:
                        if _FORCED == "rjieba":
                            raise
                if _CUTTER is None:
                    _CUTTER = _ShardedJieba()
    return _CUTTER


def backend() -> str:
    """'rjieba' or 'jieba': where the dictionary route comes from in this process."""
    return _cutter().name


def cut(sentence: str) -> list[str]:
    """`jieba.lcut(sentence, HMM=True)`: every token, punctuation and white space included."""
    return _cutter().cut(sentence)


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
    _cutter().load("".join(texts))


def zh_words(sentence: str) -> list[str]:
    """jieba words of a Chinese sentence (precise mode, HMM on), punctuation and white space removed."""
    is_word = _IS_WORD
    return [w for w in _cutter().cut(sentence) if is_word[w]]


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
