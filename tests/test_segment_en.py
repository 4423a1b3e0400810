"""English sentence segmentation on sentences from the seed translation and MAC-Dev."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.segment import get_segmenter


def split(p: str) -> list[str]:
    return get_segmenter("en").split(p)


def test_period_ends_a_sentence():
    p = (
        "At the forum, both sides exchanged information and gained a better understanding. "
        "For example, the boiler factory introduced that the factory needed more than 270 items."
    )
    assert len(split(p)) == 2


def test_bracketed_byline_after_a_stop_is_its_own_sentence():
    p = "and solve problems in a timely manner to prevent phenomena such as mutual misunderstanding in the work. (An Min, Li Xin)"
    assert split(p) == [
        "and solve problems in a timely manner to prevent phenomena such as mutual misunderstanding in the work.",
        "(An Min, Li Xin)",
    ]


def test_closing_quote_stays_with_its_sentence():
    assert split('He said "Go." Then he left.') == ['He said "Go."', "Then he left."]
    p = "'I'll jump out and scare him off.' His thoughts ran on: 'What a fool I was just now! I should have stuffed a whole plateful in my pocket!'"
    assert split(p) == [
        "'I'll jump out and scare him off.'",
        "His thoughts ran on: 'What a fool I was just now!",
        "I should have stuffed a whole plateful in my pocket!'",
    ]


def test_lower_case_after_a_quoted_exclamation_continues_the_sentence():
    p = "'Why, he's just another scavenger like me!' thought Trinket to himself."
    assert split(p) == [p]


@pytest.mark.parametrize(
    "p",
    [
        "Mr. Wang and Mrs. Li met Dr. Chen on St. Mark's Square.",
        "The U.S. delegation arrived at 5 p.m. on Tuesday.",
        "Some factories, e.g. Songjiang Chemical Plant, can produce ammonium chloride.",
        "Output rose by 3.5 per cent in No. 2 Workshop.",
        "The book by J. K. Rowling sold well.",
        "Tools, boxes, etc. are made locally.",
    ],
)
def test_abbreviations_initials_and_decimals_do_not_end_sentences(p):
    assert split(p) == [p]


def test_no_ends_a_sentence_unless_a_number_follows():
    assert split("'No.' He shook his head.") == ["'No.'", "He shook his head."]


def test_soft_abbreviation_before_a_capital_ends_the_sentence():
    assert split("The train left at 5 p.m. The station emptied.") == ["The train left at 5 p.m.", "The station emptied."]


def test_ellipsis_before_a_capital_ends_the_sentence():
    assert split("I have forgotten the title... Which book was it?") == ["I have forgotten the title...", "Which book was it?"]
    assert split("Well... perhaps.") == ["Well... perhaps."]


def test_broken_off_speech_before_a_new_quote_ends_the_sentence():
    p = "'Come on then: let's see—' 'At you!' The two of them closed again."
    assert split(p) == ["'Come on then: let's see—'", "'At you!'", "The two of them closed again."]


def test_get_segmenter_by_base_language_and_unknown_language():
    assert get_segmenter("en-US").lang == "en"
    assert get_segmenter("EN_gb").lang == "en"
    with pytest.raises(ValueError):
        get_segmenter("fr")


@given(st.lists(st.sampled_from(["Mr.", "Go", "go", ".", "!", "?", "'", '"', "(An Min)", " ", "3.5", "...", "—", "J.", "U.S."]), max_size=30))
def test_sentences_rebuild_the_paragraph(pieces):
    p = "".join(pieces)
    out = split(p)
    assert all(s and s == s.strip() for s in out)
    assert "".join(out).replace(" ", "") == p.replace(" ", "")
