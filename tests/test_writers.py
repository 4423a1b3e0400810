"""Each output format, parsed back, carries the beads of a real aligned article."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.beads import parse_bead
from aligner.cleaning import clean_document
from aligner.document import AlignedDocument, Text
from aligner.plumbing.errors import InputUsageError
from aligner.writers import FORMATS, format_for_path, render, render_bytes, write_output
from conftest import EXAMPLE, cli_argv, cli_env

GOLD = Path(__file__).parent / "data" / "harbin.gold.tsv"


def harbin_doc() -> AlignedDocument:
    """The People's Daily article with its hand-checked alignment (18 beads, one of them 1-2).

    The English side of a gold line with two sentences is split so that the document
    has real multi-sentence beads, as the aligner produces them.
    """
    zh, en, beads = [], [], []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        z, e = line.split("\t")
        parts = re.split(r"(?<=\.) (?=[A-Z])", e)
        beads.append(((len(zh),), tuple(range(len(en), len(en) + len(parts)))))
        zh.append(z)
        en.extend(parts)
    scores = [round(0.5 + i / 40, 3) for i in range(len(beads))]
    return AlignedDocument(
        Text("zh-CN", [zh]),
        Text("en-US", [en]),
        beads,
        scores,
        {"title": "哈尔滨市国营和地方国营工厂举行座谈会", "date": "1954-11-23", "page": "2"},
        "aligner test|evidence:gold",
    )


def with_gaps(doc: AlignedDocument) -> AlignedDocument:
    """The same document with a deleted source sentence and an added target sentence."""
    zh, en = doc.src.sentences, doc.tgt.sentences
    beads = [*doc.beads, ((len(zh),), ()), ((), (len(en),))]
    return AlignedDocument(
        Text("zh-CN", [zh + ["（新华社）"]]),
        Text("en-US", [en + ["(Xinhua)"]]),
        beads,
        [*doc.scores, 0.1, 0.2],
        doc.metadata,
        doc.signature,
    )


def test_gold_document_has_a_multi_sentence_bead():
    doc = harbin_doc()
    assert len(doc.beads) == 18 and len(doc.tgt.sentences) == 19
    assert any(len(b[1]) == 2 for b in doc.beads)


def test_tsv_round_trip():
    doc = with_gaps(harbin_doc())
    lines = render(doc, "tsv").splitlines()
    assert len(lines) == len(doc.beads)
    for line, (src, tgt, score, _) in zip(lines, doc.pairs()):
        fields = line.split("\t")
        assert fields[:2] == [src, tgt]
        assert re.fullmatch(r"\d\.\d\d", fields[2]) and abs(float(fields[2]) - score) <= 0.005 + 1e-9
    assert lines[-2].split("\t")[1] == "" and lines[-1].split("\t")[0] == ""


def test_tsv_two_sentence_bead_joins_english_with_one_space():
    fields = render(harbin_doc(), "tsv").splitlines()[14].split("\t")
    assert fields[0].startswith("如量具刃具厂需要")
    assert "found. Finally, Harbin" in fields[1]


def test_jsonl_round_trip():
    doc = with_gaps(harbin_doc())
    records = [json.loads(line) for line in render(doc, "jsonl").splitlines()]
    assert len(records) == len(doc.beads)
    for rec, (src, tgt, score, bead) in zip(records, doc.pairs()):
        assert (rec["src"], rec["tgt"]) == (src, tgt)
        assert (tuple(rec["src_idx"]), tuple(rec["tgt_idx"])) == bead
        assert rec["type"] == f"{len(bead[0])}-{len(bead[1])}"
        assert rec["score"] == pytest.approx(score, abs=1e-4)
        assert (rec["src_lang"], rec["tgt_lang"]) == ("zh-CN", "en-US")
        assert rec["meta"] == doc.metadata
    assert records[14]["type"] == "1-2" and records[-1]["src_idx"] == []


def test_jsonl_keeps_chinese_readable():
    assert "哈尔滨市" in render(harbin_doc(), "jsonl").splitlines()[0]


def test_vecalign_round_trip():
    doc = with_gaps(harbin_doc())
    lines = render(doc, "vecalign").splitlines()
    assert [parse_bead(line) for line in lines] == doc.beads
    assert lines[14] == "[14]:[14,15]" and lines[-2:] == ["[18]:[]", "[]:[19]"]


@pytest.mark.parametrize(
    "path, explicit, expected",
    [
        ("out.tmx", None, "tmx"),
        ("OUT.TMX", None, "tmx"),
        ("out.tsv", None, "tsv"),
        ("out.txt", None, "tsv"),
        ("dir.v2/out.jsonl", None, "jsonl"),
        ("out.align", None, "vecalign"),
        ("-", None, "tsv"),
        (None, None, "tsv"),
        ("out.tmx", "jsonl", "jsonl"),
        ("out", "TMX", "tmx"),
        ("-", "vecalign", "vecalign"),
        ("pairs.xlsx", None, "xlsx"),
        ("report.HTML", None, "html"),
    ],
)
def test_format_for_path(path, explicit, expected):
    assert format_for_path(path, explicit) == expected


@pytest.mark.parametrize("path, explicit", [("out.docx", None), ("out", None), ("out.tmx", "xliff")])
def test_format_for_path_rejects_unknown(path, explicit):
    with pytest.raises(InputUsageError) as e:
        format_for_path(path, explicit)
    assert e.value.exit_code == 2
    assert e.value.path == path


def test_render_rejects_unknown_format():
    with pytest.raises(InputUsageError):
        render(harbin_doc(), "xliff")


@pytest.mark.parametrize("fmt", FORMATS)
def test_write_output_file_equals_render(tmp_path, fmt):
    doc = harbin_doc()
    out = tmp_path / f"out.{fmt}"
    when = datetime(2026, 11, 30, 12, 0, 0, tzinfo=timezone.utc)  # TMX's creationdate
    write_output(doc, str(out), fmt, created=when)
    assert out.read_bytes() == render_bytes(doc, fmt, created=when)  # xlsx too: its zip is stamped `when`
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_write_output_stdout_is_utf8(capfdbinary):
    doc = harbin_doc()
    write_output(doc, "-", "vecalign")
    write_output(doc, None, "tsv")
    out = capfdbinary.readouterr().out.decode("utf-8")
    assert out == render(doc, "vecalign") + render(doc, "tsv")


def test_write_output_missing_folder(tmp_path):
    target = tmp_path / "no-such-folder" / "out.tmx"
    with pytest.raises(InputUsageError) as e:
        write_output(harbin_doc(), str(target), "tmx")
    assert e.value.path == str(target)


# Text that breaks naive writers: TSV separators and line breaks of every kind,
# XML specials, characters XML forbids, lone surrogates, outer white space.
NASTY = st.text(
    st.one_of(
        st.characters(blacklist_categories=()),
        st.sampled_from(list("\t\n\r\x0b\x0c\x1c\x85\u2028\u2029 \u3000&<>\"'\x00\ufffe\uffff\ud800")),
    ),
    max_size=30,
)


@st.composite
def nasty_docs(draw) -> AlignedDocument:
    shapes = draw(st.lists(st.sampled_from([(1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (2, 2)]), max_size=6))
    beads, i, j = [], 0, 0
    for a, b in shapes:
        beads.append((tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    src = draw(st.lists(NASTY, min_size=i, max_size=i))
    tgt = draw(st.lists(NASTY, min_size=j, max_size=j))
    scores = draw(st.lists(st.floats(0, 1), min_size=len(beads), max_size=len(beads)))
    meta = draw(st.dictionaries(st.sampled_from(["title", "author", "Date Published"]), NASTY, max_size=3))
    return AlignedDocument(Text("zh-CN", [src]), Text("en-US", [tgt]), beads, scores, meta, draw(NASTY))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nasty_docs())
def test_tsv_always_three_fields_one_line_per_bead(doc):
    out = render(doc, "tsv")
    lines = out.splitlines()
    assert len(lines) == len(doc.beads)
    out.encode("utf-8")  # raises if not writable as UTF-8
    for line, score in zip(lines, doc.scores):
        fields = line.split("\t")
        assert len(fields) == 3
        assert abs(float(fields[2]) - score) <= 0.005 + 1e-9


@settings(max_examples=100, deadline=None)
@given(nasty_docs())
def test_jsonl_and_vecalign_one_record_per_bead(doc):
    # splitlines() also breaks on U+2028, U+0085...: JSONL must survive readers that use it.
    records = [json.loads(line) for line in render(doc, "jsonl").splitlines()]
    assert [(tuple(r["src_idx"]), tuple(r["tgt_idx"])) for r in records] == doc.beads
    fffd = lambda text: re.sub("[\ud800-\udfff]", "\ufffd", text)  # lone surrogates can't be UTF-8
    # the texts as every writer has them: without controls and invisible characters
    assert [(r["src"], r["tgt"]) for r in records] == [(fffd(s), fffd(t)) for s, t, _, _ in clean_document(doc).pairs()]
    render(doc, "jsonl").encode("utf-8")
    assert [parse_bead(line) for line in render(doc, "vecalign").splitlines()] == doc.beads


def test_an_extensionless_stream_is_written_as_tsv_like_standard_output(tmp_path):
    """`-o /dev/null`, `-o /dev/stdout`, a FIFO: no extension to go by, so TSV as on standard
    output; a private device node and FIFO stand in for the machine's own."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert format_for_path(str(fifo), None) == "tsv"
    if os.geteuid() == 0:
        null = tmp_path / "null"
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        assert format_for_path(str(null), None) == "tsv"
    link = tmp_path / "link"
    link.symlink_to(fifo)
    assert format_for_path(str(link), None) == "tsv"
    regular = tmp_path / "out"
    regular.write_text("old")
    with pytest.raises(InputUsageError):
        format_for_path(str(regular), None)  # an ordinary file still needs its extension


def test_align_onto_an_extensionless_fifo_gives_its_reader_tsv(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # the reader and a spare writer are opened first, so that a run that never opens the
    # FIFO fails the test instead of blocking it; the TSV fits in the pipe's buffer
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    spare = os.open(fifo, os.O_WRONLY)
    try:
        proc = subprocess.run(cli_argv("align", EXAMPLE, "-o", fifo, "-q"), stdin=subprocess.DEVNULL,
                              capture_output=True, env=cli_env(), timeout=120)
        os.close(spare)
        spare = -1
        data = b""
        while chunk := os.read(reader, 65536):
            data += chunk
    finally:
        if spare >= 0:
            os.close(spare)
        os.close(reader)
    assert proc.returncode == 0, proc.stderr.decode()
    rows = data.decode("utf-8").splitlines()
    assert len(rows) == 18 and all(row.count("\t") == 2 for row in rows)  # source, translation, score
    assert fifo.exists() and stat.S_ISFIFO(fifo.stat().st_mode)
