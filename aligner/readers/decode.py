"""Reading input files as text: encoding detection, BOM and line-end normalisation.

Chinese files in the wild come as UTF-8 (with or without a BOM), UTF-16 with a BOM
(Windows Notepad), GB18030/GBK (mainland Windows) or Big5 (Taiwan, Hong Kong); English
ones sometimes as Windows-1252 (Word's "ANSI" with curly quotes).  Files with a BOM or
valid UTF-8 are read as such; otherwise each legacy candidate that decodes the bytes
strictly is scored by how plausible its characters are, and the best one wins.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache

from aligner.plumbing.errors import AlignerError, InputUsageError
# every input is read through plumbing.inputs (the size cap); its names are used from here
from aligner.plumbing.inputs import STDIN, STDIN_NAME, read_bytes  # noqa: F401

# Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Tried in this order when the bytes are neither BOM-marked nor UTF-8.  A later candidate
# must beat an earlier one by _MARGIN, so GB18030 wins ties: it is by far the most common
# legacy encoding for Chinese.  cp950 is Microsoft's Big5 (a superset of plain Big5);
# big5hkscs adds the Hong Kong characters.
_LEGACY = ("gb18030", "cp950", "big5hkscs", "cp1252")
_MARGIN = 0.05
# Below this share of plausible non-ASCII characters no decoding is believed: the file is
# binary or in an encoding we do not know.  Real text scores above 0.95 (tests/test_decode.py
# measures MAC-Dev samples); random bytes and mis-decodings score far lower.
_MIN_PLAUSIBLE = 0.6
# charset-normalizer is asked only when no candidate of ours reaches this (it is slow and,
# on short Chinese texts, often wrong: see tests/test_decode.py).
_CONVINCING = 0.9
# Characters scored per candidate: plenty to decide, and keeps a 10 MB file fast.
_SAMPLE = 100_000


class UnknownEncoding(AlignerError):
    """Bytes no detected encoding reads; the message ends with what to do (align's
    `--encoding`), which a command without that option replaces (`with_hint`)."""

    def __init__(self, diagnosis: str, hint: str, path: str | None = None):
        super().__init__(f"{diagnosis}; {hint}", path)
        self.diagnosis = diagnosis

    def with_hint(self, hint: str) -> "UnknownEncoding":
        return UnknownEncoding(self.diagnosis, hint, self.path)


def read_text(path: str, encoding: str | None = None) -> str:
    """The text of a file ('-' for standard input) with LF line ends and no BOM.

    `encoding` overrides detection.  Missing, unreadable or directory paths raise
    InputUsageError; empty, binary, undecodable or too large (`plumbing.inputs`) contents
    raise AlignerError.
    """
    return decode_bytes(read_bytes(path), STDIN_NAME if path == STDIN else path, encoding)


def has_text(text: str) -> bool:
    """True when `text` has a visible character: not white space, and not a format
    character such as a zero-width space or joiner (Unicode category Cf)."""
    return any(not c.isspace() and unicodedata.category(c) != "Cf" for c in text)


def decode_bytes(data: bytes, path: str = "", encoding: str | None = None) -> str:
    """Decode a file's bytes (see read_text); `path` only labels errors."""
    if not data:
        raise AlignerError("empty file", path)
    if encoding:
        text = _decode_forced(data, path, encoding)
    else:
        name = detect_encoding(data, path)
        try:
            text = data.decode(name)
        except UnicodeDecodeError as exc:  # a byte-order mark followed by something else
            raise AlignerError(f"not valid {name} after its byte-order mark: {_where(data, exc)}", path) from None
    text = normalise_newlines(text.removeprefix("\ufeff"))
    if not has_text(text):
        raise AlignerError("empty file (only white space and invisible characters)", path)
    return text


def normalise_newlines(text: str) -> str:
    """CRLF (Windows) and lone CR (old Mac) line ends become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_forced(data: bytes, path: str, encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputUsageError(f"unknown encoding {encoding!r}", path) from None
    try:  # base64, rot13, zlib are codecs but turn bytes into bytes; 'undefined' refuses all
        b"a".decode(name)
    except UnicodeDecodeError:
        pass  # UTF-16 wants two bytes: a text encoding
    except (LookupError, UnicodeError):
        raise InputUsageError(f"{encoding!r} is not a text encoding (e.g. utf-8, gb18030, big5)", path) from None
    if name in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode(name)
    except UnicodeDecodeError as exc:
        raise AlignerError(f"cannot decode as {encoding}: {_where(data, exc)}", path) from None
    # Detection never picks a decoding this implausible (_MIN_PLAUSIBLE), but a forced one
    # can: UTF-8 Chinese read as latin-1 scores 0.0, real text above 0.95. A few odd
    # characters (a lone 'à' scores 0) are not enough to refuse the file.
    sample = text[:100_000]
    score = plausibility(sample)
    if score < _MIN_PLAUSIBLE and sum(1 for c in sample if c > "\x7f") * (1 - score) >= 20:
        raise AlignerError(f"reading it as {encoding} gives garbled text; is --encoding right?", path)
    return text


def _where(data: bytes, exc: UnicodeDecodeError) -> str:
    line = data.count(b"\n", 0, exc.start) + 1
    return f"invalid byte 0x{data[exc.start]:02x} at offset {exc.start} (line {line})"


def detect_encoding(data: bytes, path: str = "") -> str:
    """The Python codec name that reads `data` as text; AlignerError if none does."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    if b"\x00" in data:
        raise UnknownEncoding(
            "binary file (contains NUL bytes)",
            "if it is UTF-16 without a byte-order mark, use --encoding utf-16-le (or utf-16-be)", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
        _reject_broken_utf8(data, exc, path)
    else:
        if _noise_share(text[:_SAMPLE]) > 0.05:
            raise AlignerError("binary file (control characters, not text)", path)
        return "utf-8"
    best, best_score = _best_candidate(data, _LEGACY)
    if best_score < _CONVINCING:
        guess = _charset_normalizer_guess(data)
        if guess and guess not in _LEGACY:
            best, best_score = _best_candidate(data, (best, guess) if best else (guess,))
    if best is None or best_score < _MIN_PLAUSIBLE:
        raise UnknownEncoding(
            "binary file or unknown encoding (not UTF-8, UTF-16, GB18030, Big5 or Windows-1252)",
            "use --encoding if it is text", path)
    if _single_byte(data, best) and _utf8_sequences(data) >= _MIXED_MIN:
        # Windows-1252 (or another one-byte code) reads any bytes, so a UTF-8 file with a
        # few Windows-1252 quotes pasted in would be read whole as Windows-1252, every
        # "—" turned into "â€”". Real one-byte text has no run of bytes that happens to be
        # valid UTF-8 for a plausible character: such runs are the file's true encoding.
        raise _broken_utf8_error(data, utf8_error, path)
    return best


def _best_candidate(data: bytes, names: tuple[str, ...]) -> tuple[str | None, float]:
    """The first of the best-scoring codecs that decode `data` strictly, and its score."""
    best, best_score = None, 0.0
    for name in names:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = plausibility(text[:_SAMPLE])
        if best is None or score > best_score + _MARGIN:
            best, best_score = name, score
    return best, best_score


def _charset_normalizer_guess(data: bytes) -> str | None:
    """A last candidate for encodings outside our list (e.g. Shift-JIS, KOI8-R)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    best = from_bytes(data[:65536]).best()
    if best is None:
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None


def _reject_broken_utf8(data: bytes, exc: UnicodeDecodeError, path: str) -> None:
    """A file that is UTF-8 except for a few bad bytes gets a precise error, not mojibake."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f" and c != "\ufffd")
    if good >= 10 * bad:
        raise _broken_utf8_error(data, exc, path)


def _broken_utf8_error(data: bytes, exc: UnicodeDecodeError, path: str) -> AlignerError:
    bad = data.decode("utf-8", errors="replace").count("\ufffd")
    more = f" and {bad - 1} more" if bad > 1 else ""
    return AlignerError(f"not valid UTF-8: {_where(data, exc)}{more}; the rest of the file is UTF-8", path)


# Plausible UTF-8 characters that make a file UTF-8 (with bad bytes) rather than Windows-1252.
_MIXED_MIN = 2


def _single_byte(data: bytes, name: str) -> bool:
    """True when `name` reads every byte of `data` as one character (Windows-1252, Latin-1)."""
    return len(data[:_SAMPLE].decode(name, errors="replace")) == len(data[:_SAMPLE])


_UTF8_MULTI = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _utf8_sequences(data: bytes) -> int:
    """How many characters written as valid multi-byte UTF-8 in `data` are plausible text
    (an em dash, a curly quote, a frequent Han character, an accented letter in a word),
    counted up to _MIXED_MIN."""
    found = 0
    for m in _UTF8_MULTI.finditer(data):
        try:
            c = m.group().decode("utf-8")
        except UnicodeDecodeError:  # an overlong form or a surrogate
            continue
        before, after = data[m.start() - 1:m.start()], data[m.end():m.end() + 1]
        if _is_plausible(c) or (_is_latin_letter(c) and (before.isalpha() or after.isalpha())):
            found += 1
            if found >= _MIXED_MIN:
                break
    return found


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters that are likely in real Chinese or English text.

    ASCII decodes the same in every candidate, so only the other characters tell them
    apart: frequent Han characters, CJK and general punctuation, full-width forms, and
    accented Latin letters inside a word (café) count; rare Han characters, kana, box
    drawing, private use, control characters and runs of accented letters (ÄÇÌìÍí, what
    GB18030 bytes look like in Windows-1252) do not.
    """
    total = good = 0
    for i, c in enumerate(text):
        if c <= "\x7f":
            continue
        total += 1
        if _is_plausible(c):
            good += 1
        elif _is_latin_letter(c) and _ascii_letter_beside(text, i):
            good += 1
    return good / total if total else 1.0


def _is_plausible(c: str) -> bool:
    o = ord(c)
    if 0x4E00 <= o <= 0x9FFF:
        return c in _frequent_han()
    if 0x3000 <= o <= 0x3003 or 0x3008 <= o <= 0x3011 or 0xFF01 <= o <= 0xFF5E:
        return True  # ideographic space, 、。〃, brackets 《》「」【】, full-width ，：！？
    return 0x2010 <= o <= 0x2027  # dashes, curly quotes, bullet, ellipsis


def _is_latin_letter(c: str) -> bool:
    return unicodedata.category(c) in ("Ll", "Lu") and "LATIN" in unicodedata.name(c, "")


def _ascii_letter_beside(text: str, i: int) -> bool:
    return (i > 0 and text[i - 1].isascii() and text[i - 1].isalpha()) or (
        i + 1 < len(text) and text[i + 1].isascii() and text[i + 1].isalpha())


@cache
def _frequent_han() -> frozenset[str]:
    """Level-1 characters of GB2312 (3,755) and Big5 (5,401): both standards put the
    frequent characters there.  99.9% of the Han characters of MAC-Dev 001.zh are GB2312
    level 1, while mis-decoded bytes land in level 2, the GBK extensions or CJK Extension A."""
    chars = set()
    for o in range(0x4E00, 0xA000):
        c = chr(o)
        try:
            gb = c.encode("gb2312")
        except UnicodeEncodeError:
            gb = b""
        try:
            b5 = c.encode("big5")
        except UnicodeEncodeError:
            b5 = b""
        if len(gb) == 2 and 0xB0 <= gb[0] <= 0xD7:
            chars.add(c)
        elif len(b5) == 2 and (0xA440 <= int.from_bytes(b5, "big") <= 0xC67E):
            chars.add(c)
    return frozenset(chars)


def _noise_share(text: str) -> float:
    """Share of control, private-use and unassigned characters (tab and line ends excepted)."""
    if not text:
        return 0.0
    # judged once per distinct character (a text of 100,000 characters has a few thousand):
    # per character it took 70 ms of every long file's start-up
    noisy = [c for c in set(text) if c not in "\t\n\r\f\v" and unicodedata.category(c) in ("Cc", "Co", "Cn", "Cs")]
    return sum(text.count(c) for c in noisy) / len(text)
