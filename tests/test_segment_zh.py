"""Chinese sentence segmentation, one test per rule, on sentences from the seed article and MAC-Dev."""

from hypothesis import given
from hypothesis import strategies as st

from aligner.segment import get_segmenter
from aligner.segment.zh import ChineseSegmenter


def split(p: str) -> list[str]:
    return get_segmenter("zh").split(p)


def test_full_stop_ends_a_sentence():
    p = (
        "黑龙江省人民政府计划委员会在十一月五日召开了哈尔滨市国营和地方国营工业企业座谈会。"
        "会上以批评和自我批评的精神，检查了过去在配合协作上存在的缺点和问题，并互相交换了情况。"
    )
    assert split(p) == [
        "黑龙江省人民政府计划委员会在十一月五日召开了哈尔滨市国营和地方国营工业企业座谈会。",
        "会上以批评和自我批评的精神，检查了过去在配合协作上存在的缺点和问题，并互相交换了情况。",
    ]


def test_semicolon_and_colon_are_not_boundaries():
    p = (
        "有的虽在地方加工订货，事前也很少及时提出计划；一般的是现用现加工，使得地方工业在生产上很难安排。"
        "会上一致认为：必须对全体工作人员说明国营和地方国营工厂配合协作的意义。"
    )
    assert len(split(p)) == 2


def test_byline_in_brackets_after_the_last_stop_is_its_own_sentence():
    p = "发现问题及时解决，以防止在工作中互不了解、互相瞒怨和互不协调等现象发生。（安民　励新）"
    assert split(p) == [
        "发现问题及时解决，以防止在工作中互不了解、互相瞒怨和互不协调等现象发生。",
        "（安民　励新）",
    ]


def test_closing_quote_stays_with_its_sentence():
    p = "那男孩道：“呸，你不会摔交。”韦小宝道：“谁说不会？”跃起身来。"
    assert split(p) == ["那男孩道：“呸，你不会摔交。”", "韦小宝道：“谁说不会？”", "跃起身来。"]


def test_closing_quote_after_a_stray_space_stays_with_its_sentence():
    # MAC-Dev 002 has "摔交。 ”韦小宝道" with a space before the closing quote.
    p = "那男孩道：“呸，你不会摔交。 ”韦小宝道：“谁说不会？”"
    assert split(p)[0] == "那男孩道：“呸，你不会摔交。 ”"


def test_question_and_exclamation_run_is_one_boundary():
    p = "你却想在今天晚上发现它百分之五的波动？！知道这意味着什么吗？"
    assert split(p) == ["你却想在今天晚上发现它百分之五的波动？！", "知道这意味着什么吗？"]


def test_half_width_marks_end_chinese_sentences():
    p = "刘老老说道：“谁叫你去打劫呢?也到底大家想个方法儿才好!”"
    assert split(p) == ["刘老老说道：“谁叫你去打劫呢?", "也到底大家想个方法儿才好!”"]


def test_no_boundary_inside_book_title():
    p = "他读过《谁动了我的奶酪？》这本书。后来又读了一遍。"
    assert split(p) == ["他读过《谁动了我的奶酪？》这本书。", "后来又读了一遍。"]


def test_no_boundary_inside_a_number():
    p = "今年产量增长了3.5%，成本下降了2.1%。明年还要增长。"
    assert split(p) == ["今年产量增长了3.5%，成本下降了2.1%。", "明年还要增长。"]


def test_ellipsis_inside_a_sentence_is_not_a_boundary():
    p = "那男孩略一迟疑，道：“我叫…… 叫小玄子。”"
    assert split(p) == [p]


def test_ellipsis_before_a_closing_quote_ends_the_sentence():
    p = "兄弟还不出钱来，自会乘皇上不在……”韦小宝道：“皇上？”"
    assert split(p) == ["兄弟还不出钱来，自会乘皇上不在……”", "韦小宝道：“皇上？”"]
    assert ChineseSegmenter(ellipsis="never").split(p)[0] != "兄弟还不出钱来，自会乘皇上不在……”"


def test_dash_before_a_closing_quote_ends_the_sentence():
    p = "袭人也含着羞悄悄的笑问道：“你为什么——”说到这里，把眼又往四下里瞧了瞧。"
    assert split(p) == ["袭人也含着羞悄悄的笑问道：“你为什么——”", "说到这里，把眼又往四下里瞧了瞧。"]


def test_get_segmenter_by_base_language():
    for code in ("zh", "zh-CN", "zh-TW", "zh_Hant"):
        assert get_segmenter(code).lang == "zh"


_PIECES = st.lists(
    st.sampled_from(["会上", "座谈会", "。", "！", "？", "”", "“", "《", "》", "……", "——", "；", "3.5%", " ", "（安民　励新）", "!"]),
    max_size=30,
)


@given(_PIECES)
def test_sentences_rebuild_the_paragraph(pieces):
    p = "".join(pieces)
    out = split(p)
    assert all(s and s == s.strip() for s in out)
    assert "".join(out).replace(" ", "").replace("\u3000", "") == p.replace(" ", "").replace("\u3000", "")
