"""Every encoding, byte-order mark and line-end copy of the seed article aligns exactly like the
UTF-8 original, through the command line; so do Chinese files in each encoding against one translation."""

from __future__ import annotations

import codecs
import xml.etree.ElementTree as ET

import pytest

from conftest import EXAMPLE, INPUT, run_cli, run_main

# Each copy, and what its bytes must show for the test to mean anything.
COPIES = {
    "harbin.gb18030.txt": lambda b: not b.startswith(codecs.BOM_UTF8) and b"\xb9\xfe\xb6\xfb\xb1\xf5" in b,  # 哈尔滨
    "harbin.utf8bom.txt": lambda b: b.startswith(codecs.BOM_UTF8),
    "harbin.utf16.txt": lambda b: b.startswith(codecs.BOM_UTF16_LE) or b.startswith(codecs.BOM_UTF16_BE),
    "harbin.crlf.txt": lambda b: b.count(b"\r\n") > 10 and b.count(b"\n") == b.count(b"\r\n"),
}


@pytest.fixture(scope="module")
def original_tsv() -> bytes:
    run = run_cli("align", EXAMPLE)
    assert run.code == 0, run.err
    assert len(run.text.splitlines()) == 18
    return run.out


@pytest.mark.parametrize("name", sorted(COPIES))
def test_copy_gives_the_same_tsv(name, original_tsv):
    data = (INPUT / name).read_bytes()
    assert COPIES[name](data), f"{name} is not the kind of copy this test needs"
    run = run_main("align", INPUT / name)
    assert run.code == 0, run.err
    assert run.out == original_tsv


def test_gb18030_copy_from_standard_input_and_forced_encoding(original_tsv):
    data = (INPUT / "harbin.gb18030.txt").read_bytes()
    run = run_main("align", "-", stdin=data)
    assert run.code == 0, run.err
    assert run.out == original_tsv
    forced = run_main("align", INPUT / "harbin.gb18030.txt", "--encoding", "gb18030")
    assert forced.out == original_tsv


def test_utf16_copy_in_a_fresh_process(original_tsv):
    """The console path end to end (stdout bytes as written by the process)."""
    run = run_cli("align", INPUT / "harbin.utf16.txt")
    assert run.code == 0, run.err
    assert run.out == original_tsv


# Our own translation of the three sentences in tests/data/input/zh001.*.
ZH001_EN = (
    "I did not get away that night.\n"
    "Chen Qingyang held me back and asked me to stay in the name of our great friendship.\n"
    "She admitted it was wrong to hit me and that she had not treated me well, but she said my "
    "great friendship was fake, and that I had lured her out only to study her structure.\n"
)


@pytest.fixture(scope="module")
def zh001_en(tmp_path_factory):
    path = tmp_path_factory.mktemp("zh001") / "en.txt"
    path.write_text(ZH001_EN, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def zh001_tsv(zh001_en) -> bytes:
    run = run_main("align", INPUT / "zh001.utf8.txt", zh001_en)
    assert run.code == 0, run.err
    assert len(run.text.splitlines()) == 3
    return run.out


@pytest.mark.parametrize("name", ["zh001.gb18030.txt", "zh001.utf8bom.txt", "zh001.utf16le.txt",
                                  "zh001.utf16be.txt", "zh001.crlf.txt", "zh001.cr.txt"])
def test_two_file_mode_reads_every_copy_alike(name, zh001_en, zh001_tsv):
    run = run_main("align", INPUT / name, zh001_en)
    assert run.code == 0, run.err
    assert run.out == zh001_tsv


def test_big5_traditional_file_is_zh_tw_in_tmx(tmp_path):
    en = tmp_path / "en.txt"
    en.write_text(
        "Last night we ate at a small restaurant in Taipei.\n"
        "The beef noodles here are very famous, and visitors from everywhere come especially to taste them.\n"
        "After dinner we walked along the river and talked a lot about school and work.\n",
        encoding="utf-8")
    out = tmp_path / "x.tmx"
    run = run_main("align", INPUT / "trad.big5.txt", en, "-o", out, "-q")
    assert run.code == 0, run.err
    root = ET.parse(out).getroot()
    assert root.find("header").get("srclang") == "zh-TW"
    segs = [seg.text for seg in root.iter("seg")]
    assert segs[0] == "昨天晚上我們在臺北的一家小館子吃飯。"
    assert len(list(root.iter("tu"))) == 3
