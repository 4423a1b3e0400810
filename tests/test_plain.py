"""Plain-text paragraphs and pre-split sentence files."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.readers.decode import read_text
from aligner.readers.plain import join_lines, read_presplit, split_paragraphs

DATA = Path(__file__).parent / "data" / "input"
ZH = read_text(str(DATA / "zh001.utf8.txt")).splitlines()  # 3 sentences of MAC-Dev 001.zh, one a line
EN = [  # MAC-Dev 001.en, the translation of the same passage
    "I did not leave that night—Chen Qingyang caught me and asked me to stay in the name of our great friendship.",
    "She admitted that she'd been wrong to slap me, and that she hadn't treated me well.",
    "But she said my great friendship was phony, and the reason I had tricked her into coming was to study "
    "her anatomy.",
]


def test_one_paragraph_per_line_without_blank_lines():
    assert split_paragraphs("\n".join(ZH) + "\n") == ZH
    assert split_paragraphs("\n".join(EN)) == EN


def test_blank_lines_separate_paragraphs():
    assert split_paragraphs("\n\n".join(EN) + "\n\n\n") == EN
    assert split_paragraphs("\n\n  \n".join(ZH)) == ZH


def test_hard_wrapped_english_is_joined_with_spaces():
    paragraphs = [" ".join(EN[:2]), EN[2]]
    wrapped = "\n\n".join(textwrap.fill(p, 40) for p in paragraphs)
    assert wrapped.count("\n") >= 6
    assert split_paragraphs(wrapped) == paragraphs


def test_hard_wrapped_chinese_is_joined_without_spaces():
    paragraphs = ["".join(ZH[:2]), ZH[2]]
    wrapped = "\n\n".join("\n".join(textwrap.wrap(p, 12)) for p in paragraphs)
    assert split_paragraphs(wrapped) == paragraphs


def test_one_paragraph_per_line_with_blank_lines_between_sections():
    text = "\n".join(ZH[:2]) + "\n\n" + ZH[2] + "\n\n" + "\n".join(EN)
    assert split_paragraphs(text) == ZH + EN


def test_indented_line_starts_a_paragraph_inside_a_block():
    text = "\u3000\u3000" + ZH[0] + "\n\u3000\u3000" + ZH[1] + "\n" + ZH[2] + "\n\nThe end"
    # ZH[1] does not end the block's lines by itself; the indentation marks the paragraph start
    assert split_paragraphs(text)[:1] == [ZH[0]]


def test_join_lines():
    assert join_lines("那天晚上", "我没走掉。") == "那天晚上我没走掉。"
    assert join_lines("great", "friendship.") == "great friendship."
    assert join_lines("a well-", "known tale") == "a well-known tale"
    assert join_lines("他说：", "“OK。”") == "他说：“OK。”"
    assert join_lines("用Python", "编程") == "用Python 编程"
    assert join_lines("she said—", "“No.”") == "she said— “No.”"


def test_whitespace_only_text_has_no_paragraphs():
    assert split_paragraphs(" \n\t\n\u3000\n") == []


def test_read_presplit_keeps_line_numbers():
    text = "\n".join(ZH) + "\n"
    assert read_presplit(text) == ZH
    with_gap = ZH[0] + "\n\n" + ZH[1] + "\n   \n" + ZH[2] + "\n\n\n"
    assert read_presplit(with_gap) == [ZH[0], "", ZH[1], "", ZH[2]]
    assert read_presplit("\n" + EN[0]) == ["", EN[0]]


def test_read_presplit_strips_only_surrounding_white_space():
    assert read_presplit("  He said:  “No.”  \t\n\u3000她说。\n") == ["He said:  “No.”", "她说。"]


def test_read_presplit_from_crlf_file():
    assert read_presplit(read_text(str(DATA / "zh001.crlf.txt"))) == ZH


# ------------------------------------------------------------------ properties

_squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
_PIECES = st.sampled_from(list("那天晚上我没走掉。，“”abc XYZ.?!-\u3000\t\n") + ["\n\n", "  ", "\n  "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=200).map("".join))
def test_paragraphs_are_trimmed_non_empty_and_keep_all_text(text):
    paragraphs = split_paragraphs(text)
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    assert _squash("".join(paragraphs)) == _squash(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("那天晚上我没走掉。，ab c.")), min_size=1, max_size=40)
                .map(str.strip).filter(bool), min_size=1, max_size=8))
def test_blank_line_separated_single_lines_come_back(paragraphs):
    assert split_paragraphs("\n\n".join(paragraphs)) == paragraphs
    assert split_paragraphs("\n".join(paragraphs)) == paragraphs


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("我没走掉。ab c.")), max_size=20).map(str.strip), min_size=1, max_size=10)
       .filter(lambda lines: lines[-1]))
def test_presplit_line_i_is_sentence_i(lines):
    assert read_presplit("\n".join(lines) + "\n") == lines
