"""The command line on good input, run as a user runs it: outputs of every format on the seed
article against its hand-checked gold, two-file mode both ways, presplit input, eval, segment, help."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import (DATA, EXAMPLE, example_bodies, gold_en_sentences, gold_pairs, run_cli,
                      run_main)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def tsv_pairs(text: str) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")[:2]) for line in text.splitlines()]


@pytest.fixture(scope="module")
def example_tsv() -> str:
    """Default output of the seed article: TSV on standard output, from a fresh process."""
    run = run_cli("align", EXAMPLE)
    assert run.code == 0, run.err
    return run.text


def test_article_reproduces_every_gold_bead(example_tsv):
    gold = gold_pairs()
    assert len(gold) == 18
    assert tsv_pairs(example_tsv) == gold
    scores = [float(line.split("\t")[2]) for line in example_tsv.splitlines()]
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_tmx_output_holds_the_gold_pairs(tmp_path):
    out = tmp_path / "x.tmx"
    run = run_main("align", EXAMPLE, "-o", out)
    assert run.code == 0, run.err
    assert "x.tmx" in run.err  # the summary line names the file
    root = ET.parse(out).getroot()
    assert root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "zh-CN"
    pairs = []
    for tu in root.iter("tu"):
        segs = {tuv.get(XML_LANG): tuv.find("seg").text for tuv in tu.iter("tuv")}
        pairs.append((segs["zh-CN"], segs["en-US"]))
    assert pairs == gold_pairs()


def test_jsonl_output_holds_the_gold_pairs(tmp_path):
    out = tmp_path / "x.jsonl"
    assert run_main("align", EXAMPLE, "-o", out, "-q").code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["src"], r["tgt"]) for r in records] == gold_pairs()


def test_vecalign_output_indexes_the_sentences_that_segment_prints(tmp_path):
    """Beads of `-o x.align`, mapped through the sentences `aligner segment` prints, give the gold pairs."""
    out = tmp_path / "x.align"
    assert run_main("align", EXAMPLE, "-o", out, "-q").code == 0
    seg = run_main("segment", EXAMPLE)
    assert seg.code == 0
    sentences = seg.text.splitlines()
    zh, en = sentences[:18], sentences[18:]
    pairs = []
    for line in out.read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"\[([\d,]*)\]:\[([\d,]*)\]", line)
        assert m, line
        src = [int(i) for i in m.group(1).split(",") if i]
        tgt = [int(i) for i in m.group(2).split(",") if i]
        pairs.append(("".join(zh[i] for i in src), " ".join(en[j] for j in tgt)))
    assert pairs == gold_pairs()


def test_format_option_overrides_the_extension(tmp_path):
    out = tmp_path / "x.tmx"
    assert run_main("align", EXAMPLE, "-o", out, "--format", "jsonl", "-q").code == 0
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(first)["tgt"] == gold_pairs()[0][1]
    out = tmp_path / "pairs.txt"
    assert run_main("align", EXAMPLE, "-o", out, "-f", "vecalign", "-q").code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "[0]:[0]"


def test_output_dash_is_standard_output():
    run = run_main("align", EXAMPLE, "-o", "-")
    assert (run.code, run.err) == (0, "")  # no summary line when writing to standard output
    assert tsv_pairs(run.text) == gold_pairs()


@pytest.fixture(scope="module")
def bodies(tmp_path_factory) -> tuple[Path, Path]:
    """The seed article's Chinese and English bodies as two plain files, blank line between paragraphs."""
    folder = tmp_path_factory.mktemp("bodies")
    zh, en = example_bodies()
    zh_path, en_path = folder / "zh.txt", folder / "en.txt"
    zh_path.write_text("\n\n".join(zh) + "\n", encoding="utf-8")
    en_path.write_text("\n\n".join(en) + "\n", encoding="utf-8")
    return zh_path, en_path


def test_two_files_chinese_to_english(bodies):
    zh, en = bodies
    run = run_main("align", zh, en)
    assert run.code == 0, run.err
    assert tsv_pairs(run.text) == gold_pairs()


def test_two_files_english_to_chinese_gives_the_same_beads_swapped(bodies):
    zh, en = bodies
    run = run_main("align", en, zh)
    assert run.code == 0, run.err
    assert tsv_pairs(run.text) == [(e, z) for z, e in gold_pairs()]


def test_one_side_from_standard_input(bodies, tmp_path):
    """`cat en.txt | aligner align zh.txt - -o pairs.tmx`, in a fresh process."""
    zh, en = bodies
    out = tmp_path / "pairs.tmx"
    run = run_cli("align", zh, "-", "-o", out, stdin=en.read_bytes())
    assert run.code == 0, run.err
    root = ET.parse(out).getroot()
    assert root.find("header").get("srclang") == "zh-CN"
    assert len(list(root.iter("tu"))) == 18


def test_presplit_vecalign_gives_the_gold_beads(tmp_path):
    """Line i is sentence i: gold sentences one a line give exactly the gold beads."""
    zh_lines, en_lines, expected = [], [], []
    for zh, en in gold_pairs():
        ens = gold_en_sentences(en)
        expected.append(f"[{len(zh_lines)}]:[{','.join(str(len(en_lines) + k) for k in range(len(ens)))}]")
        zh_lines.append(zh)
        en_lines.extend(ens)
    assert len(en_lines) == 19  # one gold bead holds two English sentences
    (tmp_path / "zh.txt").write_text("\n".join(zh_lines) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(en_lines) + "\n", encoding="utf-8")
    run = run_main("align", tmp_path / "zh.txt", tmp_path / "en.txt", "--presplit", "--format", "vecalign")
    assert run.code == 0, run.err
    assert run.text.splitlines() == expected


def test_presplit_keeps_empty_lines_as_sentences(tmp_path):
    """An empty line inside a presplit file is a sentence: indices after it do not shift."""
    (tmp_path / "zh.txt").write_text("那天晚上我没走掉。\n\n她承认打我不对。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("I did not get away that night.\nShe admitted she was wrong to hit me.\n", encoding="utf-8")
    run = run_main("align", tmp_path / "zh.txt", tmp_path / "en.txt", "--presplit", "-f", "vecalign")
    assert run.code == 0, run.err
    beads = run.text.splitlines()
    covered = sorted(int(i) for b in beads for i in re.match(r"\[([\d,]*)\]", b).group(1).split(",") if i)
    assert covered == [0, 1, 2]
    assert "[2]:[1]" in beads


# ---------------------------------------------------------------- eval

def test_eval_reproduces_bertalign_published_scores():
    run = run_cli("eval", DATA / "mac-dev-align" / "gold", DATA / "mac-dev-align" / "bertalign")
    assert run.code == 0, run.err
    rows = {line.split()[0]: line.split()[1:] for line in run.text.splitlines()[1:3]}
    assert rows["strict"] == ["0.909", "0.914", "0.911"]
    assert rows["lax"] == ["0.996", "1.000", "0.998"]


def test_eval_of_our_own_vecalign_output_against_itself_is_perfect(tmp_path):
    out = tmp_path / "x.align"
    assert run_main("align", EXAMPLE, "-o", out, "-q").code == 0
    run = run_main("eval", out, out)
    assert run.code == 0
    assert run.text.splitlines()[1].split()[1:] == ["1.000", "1.000", "1.000"]


# ---------------------------------------------------------------- segment

def test_segment_article_prints_chinese_then_english_gold_sentences():
    run = run_cli("segment", EXAMPLE)
    assert run.code == 0, run.err
    zh = [z for z, _ in gold_pairs()]
    en = [s for _, e in gold_pairs() for s in gold_en_sentences(e)]
    assert run.text.splitlines() == zh + en
    assert (len(zh), len(en)) == (18, 19)


def test_segment_plain_file_and_lang_option(tmp_path):
    zh, en = example_bodies()
    path = tmp_path / "en.txt"
    path.write_text("\n\n".join(en) + "\n", encoding="utf-8")
    run = run_main("segment", path)
    assert run.code == 0, run.err
    expected = [s for _, e in gold_pairs() for s in gold_en_sentences(e)]
    assert run.text.splitlines() == expected
    # --lang forces the segmenter: Chinese rules split at 。 only, so the English text
    # stays one line per paragraph.
    forced = run_main("segment", path, "--lang", "zh")
    assert forced.code == 0
    assert forced.text.splitlines() == en


def test_segment_reads_standard_input_once():
    """'-' is read once, even though an article is recognised before it is parsed."""
    run = run_main("segment", "-", stdin=EXAMPLE.read_bytes())
    assert run.code == 0, run.err
    assert len(run.text.splitlines()) == 37


def test_segment_to_a_file(tmp_path):
    out = tmp_path / "sentences.txt"
    run = run_main("segment", EXAMPLE, "-o", out)
    assert run.code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == gold_pairs()[0][0]


# ---------------------------------------------------------------- help and version

def _options_of(command) -> list:
    return [p for p in command.params if p.param_type_name == "option"]


@pytest.mark.parametrize("args", [[], ["align"], ["batch"], ["eval"], ["segment"]])
def test_help_documents_every_option(args):
    from aligner.cli import cli

    run = run_cli(*args, "--help")
    assert run.code == 0
    assert run.err == ""
    text = run.text
    assert text.startswith(f"Usage: aligner {' '.join(args)}".rstrip() + " ")
    command = cli.commands[args[0]] if args else cli
    for option in _options_of(command):
        name = max(option.opts, key=len)
        assert name in text, name
        assert option.help and len(option.help) > 15, f"{name} has no real help text"
    # Like a man page: what it does, how it exits.
    assert "Exit status" in text
    assert "-h, --help" in text


def test_help_of_align_has_examples_and_formats():
    text = run_main("align", "-h").text
    assert "Examples:" in text
    for fmt in ("tmx", "tsv", "jsonl", "vecalign"):
        assert fmt in text


def test_top_level_help_lists_commands_in_full_sentences():
    text = run_main("--help").text
    for command in ("align", "eval", "segment"):
        line = next(l for l in text.splitlines() if l.strip().startswith(command + " "))
        assert not line.rstrip().endswith("..."), line


def test_version():
    from aligner import __version__

    for flag in ("--version", "-V"):
        run = run_cli(flag)
        assert run.code == 0
        assert run.text.strip() == f"aligner {__version__}"


def test_no_arguments_shows_help_on_stderr_with_usage_status():
    run = run_main()
    assert run.code == 2
    assert run.out == b""
    assert run.err.startswith("Usage: aligner")


def test_one_process_gives_the_same_beads_and_forks_nothing(tmp_path, monkeypatch):
    """A text long enough to fork (2,000+ Chinese sentences: tokenising; 1,000+ rows: the
    DP halves) gives the same beads with --one-process, and then asks for no child."""
    import aligner.search.strategy
    import aligner.plumbing.fork

    zh_lines = [zh for zh, _ in gold_pairs()] * 112
    en_lines = [s for _, en in gold_pairs() for s in gold_en_sentences(en)] * 112
    assert len(zh_lines) >= 2000
    (tmp_path / "zh.txt").write_text("\n".join(zh_lines) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(en_lines) + "\n", encoding="utf-8")
    asked: list[bool] = []
    real = aligner.plumbing.fork.run_aside

    def recording(fn, parallel=True):
        asked.append(parallel)
        return real(fn, parallel)

    monkeypatch.setattr(aligner.plumbing.fork, "run_aside", recording)
    monkeypatch.setattr(aligner.search.strategy, "run_aside", recording)
    args = ("align", tmp_path / "zh.txt", tmp_path / "en.txt", "--presplit", "-f", "vecalign", "-q")
    default = run_main(*args)
    assert default.code == 0, default.err
    assert True in asked  # the default does use a second process on this text
    asked.clear()
    single = run_main(*args, "--one-process")
    assert single.code == 0, single.err
    assert single.text == default.text
    assert asked and not any(asked)


def test_a_forced_language_the_text_contradicts_is_warned_about_in_one_line(bodies):
    """--src-lang en-GB on the Chinese file: taken as asked (the user may know better).
    When that leaves both sides English, the error says why in its one line (it was a
    warning line and then the error); when the run goes on, one warning line per file
    names it; a language that agrees gives no warning."""
    zh, en = bodies
    run = run_main("align", zh, en, "--src-lang", "en-GB", "-f", "vecalign")
    assert run.code == 1 and len(run.err_lines) == 1, run.err
    assert "both files are in English" in run.err and f"({zh}: the language is given as en-GB, but the text looks Chinese)" in run.err
    swapped = run_main("align", zh, en, "--src-lang", "en", "--tgt-lang", "zh", "-f", "vecalign")
    warnings = [line for line in swapped.err_lines if "warning" in line]
    assert swapped.code == 0 and len(warnings) == 2, swapped.err
    assert all(w.startswith("aligner: warning: ") and w.endswith("; using it as given") for w in warnings)
    assert str(zh) in warnings[0] and "looks Chinese" in warnings[0] and str(en) in warnings[1]
    agreeing = run_main("align", zh, en, "--src-lang", "zh-TW", "--tgt-lang", "en-GB", "-f", "vecalign")
    assert agreeing.code == 0 and "warning" not in agreeing.err


def test_segment_help_lists_its_own_exit_statuses(tmp_path):
    """segment showed align's list ('not a bilingual article', 'both files in the same
    language'); its own list is checked here against what segment does."""
    help_text = run_main("segment", "--help").text
    assert "both files" not in help_text and "alignment table" not in help_text
    assert "143  terminated" in help_text
    empty, text = tmp_path / "empty.txt", tmp_path / "zh.txt"
    empty.write_bytes(b"")
    text.write_text("工人在工厂里工作。\n", encoding="utf-8")
    assert run_main("segment", empty).code == 1  # bad data
    assert run_main("segment", tmp_path / "missing.txt").code == 2  # missing file
    assert run_main("segment", text, "-o", text).code == 2  # output is the input
    assert run_main("segment", text, "--encoding", "rot13").code == 2  # not a text encoding


def test_the_report_needs_a_file_of_its_own(tmp_path):
    """align and convert refuse a --report path that another output of the run takes (one
    check, cli.common.check_report), before writing anything."""
    same = tmp_path / "same.html"
    run = run_cli("align", EXAMPLE, "-o", same, "--report", same)
    assert (run.code, run.err) == (2, f"aligner: error: {same}: --report needs a file of its own, other than the "
                                      "other outputs\n")
    table = tmp_path / "pairs.tsv"
    assert run_cli("align", EXAMPLE, "-o", table, "-q").code == 0
    memory = tmp_path / "memory.tmx"
    rejects = tmp_path / "memory.tmx.rejects.tsv"
    run = run_cli("convert", table, "-o", memory, "--report", rejects)
    assert (run.code, run.err) == (2, f"aligner: error: {rejects}: --report needs a file of its own, other than the "
                                      "output and its rejects\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.tsv"]
