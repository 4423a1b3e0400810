"""TMX output: valid TMX 1.4, clean segments, readable by translate-toolkit."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import aligner
from aligner.document import AlignedDocument, Text
from aligner.writers import render
from test_writers import harbin_doc, nasty_docs, with_gaps

DTD = etree.DTD(str(Path(__file__).parent / "data" / "tmx14.dtd"))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# XML 1.0 Char production, negated.
NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def parse(text: str) -> etree._Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return etree.fromstring(text.encode("utf-8"))


def assert_valid(root: etree._Element) -> None:
    assert DTD.validate(root), DTD.error_log.filter_from_errors()


def props(elem: etree._Element) -> dict[str, str]:
    return {p.get("type"): p.text for p in elem.findall("prop")}


def segs(tu: etree._Element) -> list[tuple[str, str]]:
    return [(tuv.get(XML_LANG), tuv.findtext("seg")) for tuv in tu.findall("tuv")]


def test_header_has_every_required_attribute():
    before = datetime.now(timezone.utc).replace(microsecond=0)
    root = parse(render(harbin_doc(), "tmx"))
    after = datetime.now(timezone.utc)
    assert_valid(root)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert {k: v for k, v in header.attrib.items() if k != "creationdate"} == {
        "creationtool": "aligner",
        "creationtoolversion": aligner.__version__,
        "segtype": "sentence",
        "o-tmf": "aligner",
        "adminlang": "en-US",
        "srclang": "zh-CN",
        "datatype": "plaintext",
    }
    date = header.get("creationdate")
    assert re.fullmatch(r"\d{8}T\d{6}Z", date)
    created = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert before <= created <= after


def test_creationdate_is_converted_to_utc():
    beijing = timezone(timedelta(hours=8))
    text = render(harbin_doc(), "tmx", created=datetime(2026, 11, 26, 16, 15, 0, tzinfo=beijing))
    assert parse(text).find("header").get("creationdate") == "20261126T081500Z"


def test_metadata_signature_and_figures_are_header_props():
    doc = with_gaps(harbin_doc())  # 18 units, one Chinese and one English sentence unpaired
    header = parse(render(doc, "tmx")).find("header")
    mean = sum(doc.scores[:18]) / 18
    assert props(header) == {
        "x-title": doc.metadata["title"],
        "x-date": "1954-11-23",
        "x-page": "2",
        "x-aligner-signature": doc.signature,
        "x-src-sentences": "19",
        "x-tgt-sentences": "20",
        "x-units": "18",
        "x-src-unpaired": "1",
        "x-tgt-unpaired": "1",
        "x-mean-confidence": f"{mean:.2f}",
        "x-status": "ok",
    }


def test_figures_given_with_a_filtered_document_describe_the_whole_alignment():
    from aligner.filtering import split_beads
    from aligner.summary import DocumentSummary

    doc = with_gaps(harbin_doc())
    kept = split_beads(doc, 0.9).kept
    header = props(parse(render_with_summary(kept, DocumentSummary.of(doc, "x"))).find("header"))
    assert (header["x-units"], header["x-src-unpaired"], header["x-tgt-unpaired"]) == ("18", "1", "1")
    root = parse(render_with_summary(kept, DocumentSummary.of(doc, "x")))
    assert len(root.find("body").findall("tu")) == len(kept.beads) < 18


def render_with_summary(doc, summary) -> str:
    import io

    from aligner.writers.tmx import TmxWriter

    out = io.BytesIO()
    writer = TmxWriter(out)
    writer.add(doc, summary=summary)
    writer.close()
    return out.getvalue().decode("utf-8")


def test_one_tu_per_bead_with_both_sides():
    doc = with_gaps(harbin_doc())
    root = parse(render(doc, "tmx"))
    assert_valid(root)
    tus = root.find("body").findall("tu")
    full = [p for p in doc.pairs() if p[0] and p[1]]
    assert len(full) == 18 and len(tus) == 18  # the 1-0 and 0-1 beads are left out
    for tu, (src, tgt, score, bead) in zip(tus, full):
        assert segs(tu) == [("zh-CN", src), ("en-US", tgt)]
        p = props(tu)
        assert float(p["x-score"]) == pytest.approx(score, abs=0.005 + 1e-9)
        assert p["x-bead"] == f"{len(bead[0])}-{len(bead[1])}"
        assert p["x-src-index"] == ",".join(map(str, bead[0]))
        assert p["x-tgt-index"] == ",".join(map(str, bead[1]))


def test_is_pretty_one_element_per_line():
    lines = render(harbin_doc(), "tmx").splitlines()
    assert lines[1] == '<tmx version="1.4">'
    assert "      <tuv xml:lang=\"zh-CN\">" in lines
    assert all(line.count("<seg>") <= 1 for line in lines)


def test_forced_language_codes_are_written_as_given():
    doc = harbin_doc()
    doc = AlignedDocument(Text("zh-TW", doc.src.paragraphs), Text("en", doc.tgt.paragraphs), doc.beads, doc.scores)
    root = parse(render(doc, "tmx"))
    assert root.find("header").get("srclang") == "zh-TW"
    assert [lang for lang, _ in segs(root.find("body/tu"))] == ["zh-TW", "en"]


def test_escaping_and_forbidden_characters():
    src = ["\u3000\u3000《人民日报》说：“A&B <c> 'd'”\x0b\x00\ufffe。 "]
    tgt = ['\t"People\'s Daily" says: A&B <c>\x0c\x1b tail\r\n ']
    doc = AlignedDocument(Text("zh-CN", [src]), Text("en-US", [tgt]), [((0,), (0,))], [0.93], {"title": "a\x01b & c"})
    text = render(doc, "tmx")
    assert "&amp;" in text and "&lt;c&gt;" in text
    root = parse(text)
    assert_valid(root)
    assert segs(root.find("body/tu")) == [
        ("zh-CN", "《人民日报》说：“A&B <c> 'd'”。"),
        ("en-US", '"People\'s Daily" says: A&B <c> tail'),
    ]
    assert props(root.find("header"))["x-title"] == "ab & c"


def test_bead_whose_text_is_only_forbidden_characters_is_left_out():
    doc = AlignedDocument(
        Text("zh-CN", [["\x00\x0b ", "你好。"]]), Text("en-US", [["Nothing.", "Hello."]]),
        [((0,), (0,)), ((1,), (1,))], [0.5, 0.9],
    )
    root = parse(render(doc, "tmx"))
    assert_valid(root)
    assert [segs(tu) for tu in root.iter("tu")] == [[("zh-CN", "你好。"), ("en-US", "Hello.")]]


def test_empty_document_is_valid():
    doc = AlignedDocument(Text("zh-CN", [[]]), Text("en-US", [[]]), [], [])
    assert_valid(parse(render(doc, "tmx")))


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nasty_docs())
def test_any_text_gives_valid_tmx_with_clean_segments(doc):
    root = parse(render(doc, "tmx"))
    assert_valid(root)
    pairs = doc.pairs()
    tus = root.findall("body/tu")
    numbers = [int(tu.get("tuid")) for tu in tus]
    assert numbers == sorted(set(numbers)) and len(tus) <= len(pairs)
    for tu in tus:
        src, tgt, _, bead = pairs[int(tu.get("tuid")) - 1]
        assert bead[0] and bead[1]
        for (_, seg), original in zip(segs(tu), (src, tgt)):
            assert seg and seg == seg.strip()
            assert not NOT_XML_CHAR.search(seg)
            # Nothing added, nothing reordered: the seg is the original less some characters.
            assert _is_subsequence(seg, original.replace("\r", "\n"))
    # A bead whose sides both hold a letter is never dropped.
    letter = re.compile(r"[^\W_]")
    kept = {int(tu.get("tuid")) for tu in tus}
    for number, (src, tgt, _, _) in enumerate(pairs, start=1):
        if letter.search(src) and letter.search(tgt):
            assert number in kept


def test_translate_toolkit_reads_every_unit():
    from translate.storage import tmx as ttk_tmx

    doc = with_gaps(harbin_doc())
    store = ttk_tmx.tmxfile.parsestring(render(doc, "tmx").encode("utf-8"))
    units = [u for u in store.units if not u.isheader()]
    expected = [(s, t) for s, t, _, _ in doc.pairs() if s and t]
    assert [(u.source, u.target) for u in units] == expected


def test_translate_toolkit_reads_escaped_text():
    from translate.storage import tmx as ttk_tmx

    src, tgt = "“A&B”<c>。", 'Fish & "chips" <b>'
    doc = AlignedDocument(Text("zh-CN", [[src]]), Text("en-US", [[tgt]]), [((0,), (0,))], [1.0])
    store = ttk_tmx.tmxfile.parsestring(render(doc, "tmx").encode("utf-8"))
    assert [(u.source, u.target) for u in store.units] == [(src, tgt)]
