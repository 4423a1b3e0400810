"""The real archive as it is (issue 20): files of `yeoksayeou/baokan-files` (rmrb/YYYY.MM/*.md,
public; small ones copied into tests/data/archive/, two cut down to an excerpt of their
own lines), one test per layout variant and per kind of text the translation added."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from aligner.document import Text
from aligner.pipeline import align_texts
from aligner.readers.article import parse_article
from aligner.readers.load import load_article
from conftest import run_main

ARCHIVE = Path(__file__).parent / "data" / "archive"
HAN = re.compile(r"[\u4e00-\u9fff]")


def path(name: str) -> Path:
    return next(ARCHIVE.glob(f"{name}*.md"))


def article(name: str):
    return parse_article(path(name).read_text(encoding="utf-8"))


def aligned(name: str):
    zh, en, meta = load_article(str(path(name)))
    return align_texts(zh, en, metadata=meta)


def units(doc) -> list[tuple[str, str]]:
    return [(s, t) for s, t, _, _ in doc.pairs() if s and t]


# ---------------------------------------------------------------- 1. reading the archive

def test_edition_is_a_header_field_not_a_unit():
    """1946-1968 files say `Edition: N` for `Page: N`; it was paired with the Chinese headline."""
    art = article("1946-05-17")
    assert art.metadata["page"] == "2" and art.en_paragraphs[0] == "Inauguration of Jining Daily"
    doc = aligned("1946-05-17")
    assert not any("Edition" in t for _, t in units(doc))
    assert units(doc)[0] == ("济宁日报创刊", "Inauguration of Jining Daily")


def test_header_with_blank_lines_and_a_dateline_after_it():
    """1953-03-02: the dateline `Xinhua News Agency, March 1st:` follows `Page: 1` without a
    blank line: it is text (the translation of 【新华社一日讯】), not a header field."""
    art = article("1953-03-02")
    assert art.metadata == {"title": "China and Vietnam to Exchange Mail Starting Tomorrow",
                            "date": "1953-03-02", "page": "1"}
    assert art.en_paragraphs[0] == "Xinhua News Agency, March 1st:"


def test_verse_wrapped_by_the_ocr_is_joined_and_its_lines_stay_segments():
    """1949-10-02: the OCR broke 长大 and 人们 over two lines, and the English copied the
    break (`of the whole` / `world`); the other verse lines stay lines."""
    art = article("1949-10-02")
    assert "我们就不能很好地长大。" in art.zh_paragraphs and "全世界爱好和平的人们" in art.zh_paragraphs
    assert "Peace-loving people of the whole world" in art.en_paragraphs
    assert "红旗招展，" in art.zh_paragraphs and "金星闪闪。" in art.zh_paragraphs
    assert ("全世界爱好和平的人们", "Peace-loving people of the whole world") in units(aligned("1949-10-02"))


def test_hard_wraps_with_a_shallow_indent_are_joined():
    """1966-05-03: the Chinese (and in places the English) is hard-wrapped, each wrapped
    line indented 2 spaces under paragraphs indented 4 or 6."""
    art = article("1966-05-03_wu-han")
    joined = next(p for p in art.zh_paragraphs if p.startswith("这时候"))
    assert joined.endswith("反革命内战。") and "法西斯统治。美蒋反动派" in joined
    assert "丁伟志\u3000王正萍" in art.zh_paragraphs  # a byline stays a line: `提　要` is no wrap
    assert any(p.startswith("提\u3000要") for p in art.zh_paragraphs)


def test_a_byline_glued_to_the_verse_is_split_and_speakers_start_lines():
    """1968-01-01 (数来宝): `王佩琈甲：毛泽东思想红旗飘，`, the header's author glued on; and
    `甲：…，乙：…，` dialogue lines run together by the OCR."""
    art = article("1968-01-01")
    assert art.zh_paragraphs[1:3] == ["王佩琈", "甲：毛泽东思想红旗飘，"]
    assert "乙：毛主席支持我支持，" in art.zh_paragraphs and "甲：毛主席指示我照办，" in art.zh_paragraphs
    doc = aligned("1968-01-01")
    assert ("乙：毛主席支持我支持，", "B: I support Chairman Mao, I support him,") in units(doc)


def test_verse_wrapped_inside_a_quotation_is_joined():
    """1968-01-01: `合：（白）毛主席说：“全国` / `的无产阶级文化大革` / `命形势大好，不是小` / `好。…`:
    the OCR's narrow column cut a quotation into pieces of words."""
    art = article("1968-01-01")
    assert "合：（白）毛主席说：“全国的无产阶级文化大革命形势大好，不是小好。整个形势比以往任何时候都好。”" in art.zh_paragraphs
    assert "“坚决打倒走资派，" in art.zh_paragraphs  # a verse line ending in a comma stays a line


def test_the_rest_of_a_title_glued_to_the_verse_is_split():
    """1967-01-01: `（藏族民歌二首）东方升起了红太阳，…`: the title's last part on the verse."""
    art = article("1967-01-01")
    assert art.zh_paragraphs[:3] == ["红太阳照雪山", "（藏族民歌二首）", art.zh_paragraphs[2]]
    assert art.zh_paragraphs[2].startswith("东方升起了红太阳")


def test_an_author_glued_to_the_text_is_split_from_it():
    """1960-01-01 (迎新曲): `徐迟夜班工人欢呼了，…`, the author of the header glued on."""
    art = article("1960-01-01")
    assert art.zh_paragraphs[:3] == ["迎新曲", "徐迟", art.zh_paragraphs[2]]
    assert ("徐迟", "Xu Chi") in units(aligned("1960-01-01"))


def test_a_headline_the_english_body_leaves_out_stands_alone():
    """1966-05-01: the English body starts with the dateline (the headline is in `Title:`,
    metadata): the Chinese headline is a Chinese row without translation, with its note,
    not glued onto the first sentence's pair."""
    doc = aligned("1966-05-01")
    assert doc.beads[0] == ((0,), ()) and doc.note(0).startswith("headline not repeated")
    assert units(doc)[0][0].startswith("新华社三十日讯")


def test_an_attribution_repeating_the_title_stands_alone():
    """1967-01-04: a quotation, then its source `《…公报》` (the title); the English has the quotation only."""
    doc = aligned("1967-01-04")
    assert units(doc) == [("林彪同志号召人民解放军在全军展开学习毛泽东同志著作的群众运动，为全党全国树立了光辉的榜样。",
                           "Comrade Lin Biao has called on the People's Liberation Army to launch a mass movement "
                           "throughout the military to study the works of Comrade Mao Zedong, setting a brilliant "
                           "example for the entire Party and the nation.")]


def test_a_headline_the_english_body_repeats_is_paired():
    """1989-05-31 (魂): headline and byline in both bodies: pairs, nothing stands alone."""
    doc = aligned("1989-05-31")
    assert units(doc)[:2] == [("魂", "Soul"), ("马光复", "Ma Guangfu")]
    assert not doc.src.solo


def test_numbered_english_lines_keep_their_number():
    from aligner.segment.en import EnglishSegmenter

    split = EnglishSegmenter().split
    assert split("IV. East Shuncheng Street of Qianmen will be closed.") == [
        "IV. East Shuncheng Street of Qianmen will be closed."]
    assert split("2. Where the total population is small. It has one.") == [
        "2. Where the total population is small.", "It has one."]
    assert split("He said so. I. K. Rowling came.") == ["He said so.", "I.", "K. Rowling came."]


def test_a_law_section_heading_glued_to_its_article_is_split():
    from aligner.readers.article import body_paragraphs

    assert body_paragraphs(["    第一节\u3000乡、镇第九条\u3000乡、镇人民代表大会代表名额：人口在二千以下者，选代表十五人。",
                            "    根据本法第十二条规定办理。"], "zh") == [
        "第一节\u3000乡、镇", "第九条\u3000乡、镇人民代表大会代表名额：人口在二千以下者，选代表十五人。",
        "根据本法第十二条规定办理。"]


# ---------------------------------------------------------------- 2. what the model added

@pytest.mark.parametrize("name, lines", [
    ("1946-05-17", 3),  # **Named Entities**, blank lines, tab-separated
    ("1966-05-01", 12),  # separated by runs of spaces
    ("1966-05-03_international", 17),
])
def test_a_glossary_is_kept_out_of_the_alignment(name, lines):
    art = article(name)
    assert len(art.en_added) == 1
    block = art.en_added[0]
    assert block.reason.startswith("added by the translation: a glossary")
    assert block.text.splitlines()[0] == "Named Entities" and len(block.text.splitlines()) == lines + 1
    assert not any(HAN.search(p) for p in art.en_paragraphs)
    doc = aligned(name)
    assert not any(HAN.search(t) for _, t in units(doc))
    rows = doc.rows()
    added = [r for r in rows if r.added]
    assert len(added) == 1 and added[0] is rows[-1] and added[0].src == "" and added[0].note == block.reason


def test_the_original_copied_into_the_translation_is_added_text():
    """1946-05-16: the English side opens with the Chinese original, copied, then translates it."""
    art = article("1946-05-16")
    assert [b.reason for b in art.en_added] == ["Chinese text in the translation, not translated",
                                                "added by the translation: a glossary, not a translation"]
    assert art.en_added[0].before == 0 and art.en_added[0].text.startswith("致本报贺电一束\n")
    doc = aligned("1946-05-16")
    assert units(doc)[0] == ("致本报贺电一束", "A Collection of Congratulatory Telegrams to This Newspaper")
    assert doc.rows()[0].added


def test_the_seam_of_a_translation_in_parts_is_added_text():
    """1956-01-01 (excerpt): `<hr />`, `<h3>File continued from previous part</h3>` and a
    header the model invented (Title, Author 赫鲁晓夫, Date 1956-01-31) in the English body."""
    art = article("1956-01-01_khrushchev")
    assert len(art.en_added) == 1
    text = art.en_added[0].text
    assert "File continued from previous part" in text and "Author: 赫鲁晓夫" in text and "Page: 1" in text
    assert art.en_added[0].reason.endswith("where a translation in parts was joined")
    doc = aligned("1956-01-01_khrushchev")
    assert not any("Title:" in t or "continued" in t or "赫鲁晓夫" in t for _, t in units(doc))


def test_chinese_left_in_an_english_sentence_is_flagged():
    """1966-05-03: `ran down the "mountain,"妄想trying to seize`: the pair is noted, its
    confidence below the doubtful mark, and every output says so."""
    doc = aligned("1966-05-03_wu-han")
    flagged = [k for k in range(len(doc.beads)) if doc.note(k)]
    assert len(flagged) == 1
    k = flagged[0]
    assert doc.note(k) == "Chinese left in the translation: 妄想" and doc.scores[k] < 0.5
    assert "妄想" in doc.pairs()[k][1]


def test_notes_read_the_sentences_once_not_once_a_bead(monkeypatch):
    """`Text.sentences` joins the paragraphs each time it is read: the notes once read it for
    every bead, which made annotating quadratic (the Bible pair took a third longer)."""
    from aligner import notes

    zh, en, meta = load_article(str(Path(__file__).parents[1] / "data" / "examples" / "rmrb-1954-11-23-harbin.txt"))
    doc = align_texts(zh, en, metadata=meta)
    reads = []
    joined = Text.sentences.fget
    monkeypatch.setattr(Text, "sentences", property(lambda self: reads.append(1) or joined(self)))
    again = notes.annotate(doc)
    assert len(doc.beads) == 18 and len(reads) < 10
    assert again.notes == doc.notes


def test_notes_and_added_rows_in_every_output(tmp_path):
    source = path("1966-05-01")
    tsv, jsonl, tmx, html, summary = (tmp_path / f"out.{e}" for e in ("tsv", "jsonl", "tmx", "html", "summary.tsv"))
    assert run_main("align", source, "-o", tsv, "--header", "--summary", summary, "-q").code == 0
    rows = [line.split("\t") for line in tsv.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["source", "translation", "score", "note"]
    assert rows[1][0] == "刘主席接见越南劳动青年团代表团" and rows[1][1] == "" and rows[1][3].startswith("headline")
    assert rows[-1][0] == "" and rows[-1][1].startswith("Named Entities 刘少奇") and "glossary" in rows[-1][3]
    figures = dict(zip(*(line.split("\t") for line in summary.read_text(encoding="utf-8").splitlines())))
    assert (figures["status"], figures["added"], figures["flagged"], figures["units"]) == ("ok", "1", "0", "4")

    plain = tmp_path / "plain.tsv"
    assert run_main("align", source, "-o", plain, "-q").code == 0
    assert {len(line.split("\t")) for line in plain.read_text(encoding="utf-8").splitlines()} == {3}

    assert run_main("align", source, "-o", jsonl, "-q").code == 0
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["type"] == "added" and records[-1]["src_idx"] == [] and "glossary" in records[-1]["note"]
    assert "note" not in records[1]

    assert run_main("align", source, "-o", tmx, "-q").code == 0
    text = tmx.read_text(encoding="utf-8")
    assert '<prop type="x-status">ok</prop>' in text and '<prop type="x-added">1</prop>' in text
    assert "Named Entities" not in text and "Edition" not in text

    assert run_main("align", source, "-o", html, "-q").code == 0
    page = html.read_text(encoding="utf-8")
    assert 'data-type="added"' in page and 'data-note="added by the translation: a glossary' in page

    # convert reads the noted TSV and JSONL back: the added row is in no unit
    back = tmp_path / "back.tmx"
    for table in (tsv, jsonl):
        assert run_main("convert", table, "-o", back, "-q").code == 0
        assert back.read_text(encoding="utf-8").count("<tu ") == 4


def test_flagged_pair_in_tmx_and_summary(tmp_path):
    tmx, summary = tmp_path / "out.tmx", tmp_path / "s.tsv"
    assert run_main("align", path("1966-05-03_wu-han"), "-o", tmx, "--summary", summary, "-q").code == 0
    assert '<prop type="x-note">Chinese left in the translation: 妄想</prop>' in tmx.read_text(encoding="utf-8")
    figures = dict(zip(*(line.split("\t") for line in summary.read_text(encoding="utf-8").splitlines())))
    assert figures["flagged"] == "1"


def test_added_text_goes_to_the_rejects(tmp_path):
    out = tmp_path / "out.tmx"
    assert run_main("align", path("1946-05-17"), "-o", out, "--min-confidence", "0.5", "-q").code == 0
    rejects = [line.split("\t") for line in Path(str(out) + ".rejects.tsv").read_text(encoding="utf-8").splitlines()]
    assert rejects[0][-1] == "note"
    assert [r[3] for r in rejects[1:]] == ["added"] and rejects[1][0] == "" and "glossary" in rejects[1][-1]


# ---------------------------------------------------------------- 3. the document's status

def _cut_english(name: str, keep: float, tmp_path) -> Path:
    """The article with its English body cut after `keep` of its lines, in the middle of
    the next line (a translation that stops early: the model's output ran out mid-sentence)."""
    text = path(name).read_text(encoding="utf-8")
    english, rest = text.split("<hr />", 1)
    head, body = english.split("\n\n", 1)
    lines = body.rstrip("\n").split("\n")
    k = int(len(lines) * keep)
    words = lines[k].split(" ")
    half = " ".join(words[:max(1, len(words) // 2)]).rstrip(".!?\"")
    cut = tmp_path / f"{name}-cut.md"
    cut.write_text(head + "\n\n" + "\n".join([*lines[:k], half]) + "\n\n<hr />" + rest, encoding="utf-8")
    return cut


def test_a_translation_that_stops_early_is_partial(tmp_path):
    cut = _cut_english("1989-05-31_soul", 0.5, tmp_path)
    zh, en, meta = load_article(str(cut))
    doc = align_texts(zh, en, metadata=meta)
    assert doc.status.status == "partial"
    share = int(re.fullmatch(r"English stops after (\d+)% of the Chinese", doc.status.message).group(1))
    assert 40 <= share <= 60
    # its last English sentence, pulled by the search to a like sentence at the end of the
    # Chinese ('if people had souls', 人是有魂儿的), is left unpaired with a note
    assert any(doc.note(k).startswith("paired alone after the untranslated end") for k in range(len(doc.beads)))


def test_true_pairs_are_ok():
    for name in ("1946-05-17", "1949-10-02", "1953-03-02", "1966-05-01", "1968-01-01", "1989-05-31"):
        doc = aligned(name)
        assert doc.status.status == "ok", (name, doc.status)


def _mismatched(zh_name: str, en_name: str) -> tuple[Text, Text]:
    zh, _, _ = load_article(str(path(zh_name)))
    _, en, _ = load_article(str(path(en_name)))
    return zh, en


@pytest.mark.parametrize("zh_name, en_name", [
    ("1989-05-31", "1968-01-01"),  # a story against a dialogue in verse
    ("1953-03-02", "1966-05-03_international"),  # two news items of about one length
    ("1966-05-01", "1946-05-16"),  # two short ones
])
def test_a_text_that_is_no_translation_is_suspect(zh_name, en_name):
    zh, en = _mismatched(zh_name, en_name)
    doc = align_texts(zh, en)
    assert doc.status.status == "suspect", doc.status
    assert doc.status.message.startswith("the two sides do not read as translations of each other")


def test_min_confidence_rejects_every_pair_of_a_suspect_document(tmp_path):
    text_zh = path("1989-05-31").read_text(encoding="utf-8")
    text_en = path("1968-01-01").read_text(encoding="utf-8")
    mixed = tmp_path / "mixed.md"
    mixed.write_text(text_en.split("<hr />")[0] + "<hr />" + text_zh.split("<hr />", 1)[1], encoding="utf-8")
    out, summary = tmp_path / "out.tmx", tmp_path / "s.tsv"
    run = run_main("align", mixed, "-o", out, "--min-confidence", "0.1", "--summary", summary, "-q")
    assert run.code == 0, run.err
    assert "<tu " not in out.read_text(encoding="utf-8")
    assert '<prop type="x-status">suspect</prop>' in out.read_text(encoding="utf-8")
    rejects = Path(str(out) + ".rejects.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert rejects and all(line.split("\t")[-1].startswith("the document is suspect") or
                           line.split("\t")[3] in ("1-0", "0-1") for line in rejects)
    assert any(line.split("\t")[3] not in ("1-0", "0-1") for line in rejects)


# ---------------------------------------------------------------- batch over the archive's layout

def test_batch_takes_a_folder_of_md_files_and_says_their_statuses(tmp_path):
    folder = tmp_path / "rmrb" / "1966.05"
    folder.mkdir(parents=True)
    for name in ("1966-05-01", "1968-01-01", "1967-01-04"):
        (folder / path(name).name).write_bytes(path(name).read_bytes())
    cut = _cut_english("1989-05-31_soul", 0.4, tmp_path)
    (folder / cut.name).write_bytes(cut.read_bytes())
    out, summary = tmp_path / "all.tsv", tmp_path / "s.tsv"
    run = run_main("batch", tmp_path / "rmrb", "-o", out, "--summary", summary, "--jobs", "1")
    assert run.code == 0, run.err
    assert "4 documents: 3 ok, 1 partial, 0 failed" in run.err_lines[-1]
    rows = [line.split("\t") for line in summary.read_text(encoding="utf-8").splitlines()[1:]]
    assert {r[0]: r[1] for r in rows}["1966.05/" + cut.name] == "partial"


def test_notes_added_text_and_status_survive_the_batch_state_file():
    """A resumed batch writes its finished documents from OUTPUT.state.jsonl: their notes,
    added text, stood-alone headlines and status must come back as they were."""
    import json as _json

    from aligner.batch.state import doc_from_json, doc_to_json

    for name in ("1966-05-01", "1966-05-03_wu-han", "1953-03-02"):
        doc = aligned(name)
        back = doc_from_json(_json.loads(_json.dumps(doc_to_json(doc), ensure_ascii=False)))
        assert back.rows() == doc.rows() and back.status == doc.status and back.src.solo == doc.src.solo
