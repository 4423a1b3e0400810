"""`aligner batch` refuses, before any work, inputs that would put one document twice in
the output, or give two documents one name, and outputs that are (or would become) inputs.
Every refusal is one line, exit status 2, and leaves no output and no state file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from batch_articles import make_articles
from conftest import EXAMPLE, example_bodies, run_main


@pytest.fixture
def work(tmp_path, monkeypatch) -> Path:
    """A folder `m` of two articles, a two-file document (zh.txt, en.txt), as the current folder."""
    make_articles(tmp_path / "m", 2, per_folder=2)  # m/a/000.txt, m/a/001.txt
    zh, en = example_bodies()
    (tmp_path / "zh.txt").write_text("\n\n".join(zh) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n\n".join(en) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refused(*args, out: str = "out.tsv") -> str:
    """Run the batch, which must refuse: the one line it prints."""
    run = run_main("batch", *args, "-o", out, "--jobs", "1")
    assert run.code == 2 and len(run.err_lines) == 1, run.err
    assert not Path(out + ".state.jsonl").exists()
    return run.err_lines[0]


def pairs_list(lines: list[str], name: str = "pairs.tsv") -> str:
    Path(name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return name


# ---------------------------------------------------------------- one document twice

def test_a_file_given_and_found_in_a_folder_is_refused_naming_both(work):
    err = refused("m", "m/a/001.txt")
    assert err == ("aligner: error: m/a/001.txt: the same file as m/a/001.txt (found in the folder m): "
                   "it would be aligned twice; give each file once")
    assert not Path("out.tsv").exists()


def test_a_file_given_twice_under_two_spellings_is_refused(work):
    err = refused("m/a/000.txt", "./m/a/000.txt")
    assert "./m/a/000.txt: the same file as m/a/000.txt (given as a file)" in err


def test_a_pair_written_twice_under_two_spellings_is_refused_naming_both_lines(work):
    pairs = pairs_list(["zh.txt\ten.txt", "./zh.txt\ten.txt"])
    err = refused("--pairs", pairs)
    assert err == ("aligner: error: pairs.tsv:2: the same files as pairs.tsv:1: "
                   "it would be aligned twice; give each pair once")


def test_a_pair_through_a_symlink_is_the_same_pair(work):
    os.symlink("zh.txt", "link.txt")
    err = refused("--pairs", pairs_list(["zh.txt\ten.txt\tone", "link.txt\ten.txt\ttwo"]))
    assert "pairs.tsv:2: the same files as pairs.tsv:1" in err


def test_a_pair_in_both_directions_is_two_documents(work):
    run = run_main("batch", "--pairs", pairs_list(["zh.txt\ten.txt", "en.txt\tzh.txt"]), "-o", "out.tsv",
                   "--jobs", "1", "-q")
    assert run.code == 0, run.err


# ---------------------------------------------------------------- two documents, one name

def test_a_repeated_source_without_id_says_the_document_name_is_repeated(work):
    Path("en2.txt").write_text(Path("en.txt").read_text(encoding="utf-8"), encoding="utf-8")
    err = refused("--pairs", pairs_list(["zh.txt\ten.txt", "zh.txt\ten2.txt"]))
    assert err == ("aligner: error: pairs.tsv:2: document name 'zh.txt' (the source path: the line has no id) "
                   "is already used on line 1; give the line an id (a third column)")


def test_a_pairs_id_equal_to_a_folder_documents_name_names_the_line(work):
    err = refused("m", "--pairs", pairs_list(["zh.txt\ten.txt\ta/000.txt"]))
    assert err == "aligner: error: pairs.tsv:1: id 'a/000.txt' is already used by m/a/000.txt (found in the folder m)"


def test_two_folders_with_one_relative_path_are_refused_naming_both(work):
    make_articles(work / "n", 1)
    err = refused("m", "n")
    assert err == ("aligner: error: n/a/000.txt: two documents are named 'a/000.txt' (m/a/000.txt (found in the "
                   "folder m) and n/a/000.txt (found in the folder n)); give each folder or file once, or ids in "
                   "the pairs list")


def two_articles(path: str) -> None:
    """A file of two articles one after another (an archive dump): documents PATH#1, PATH#2."""
    article = EXAMPLE.read_text(encoding="utf-8")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(article.rstrip("\n") + "\n\n" + article, encoding="utf-8")


def test_a_pairs_id_equal_to_an_article_of_a_file_of_several_is_refused_before_any_work(work):
    """The names of a file's articles are made when it is split, later than the inputs are
    read: they are checked all the same, before any output or state is written."""
    two_articles("arts/multi.txt")
    err = refused("arts/multi.txt", "--pairs", pairs_list(["zh.txt\ten.txt\tarts/multi.txt#2"]))
    assert err == ("aligner: error: pairs.tsv:1: id 'arts/multi.txt#2' is also the name of article 2 of the 2 in "
                   "arts/multi.txt (the articles of a file of several are named FILE#1, FILE#2, ...); choose another id")
    assert not Path("out.tsv").exists()


@pytest.mark.parametrize("name", ["arts/multi.txt#3", "arts/multi.txt#02", "arts/one.txt#1"])
def test_a_name_no_article_takes_is_accepted(work, name):
    two_articles("arts/multi.txt")
    Path("arts/one.txt").write_bytes(EXAMPLE.read_bytes())  # one article: named arts/one.txt
    pairs = pairs_list([f"zh.txt\ten.txt\t{name}"])
    run = run_main("batch", "arts/multi.txt", "arts/one.txt", "--pairs", pairs, "-o", "out.tsv", "--jobs", "1", "-q")
    assert run.code == 0, run.err
    names = [line.split("\t")[3] for line in Path("out.tsv").read_text(encoding="utf-8").splitlines()]
    assert list(dict.fromkeys(names)) == ["arts/multi.txt#1", "arts/multi.txt#2", "arts/one.txt", name]


def test_a_file_named_like_an_article_that_holds_several_itself_is_accepted(work):
    """Its own articles are NAME#2#1, NAME#2#2: no name is taken twice."""
    two_articles("arts/multi.txt")
    two_articles("arts/multi.txt#2")
    run = run_main("batch", "arts/multi.txt", "arts/multi.txt#2", "-o", "out.tsv", "--jobs", "1", "-q")
    assert run.code == 0, run.err
    names = [line.split("\t")[3] for line in Path("out.tsv").read_text(encoding="utf-8").splitlines()]
    assert list(dict.fromkeys(names)) == ["arts/multi.txt#1", "arts/multi.txt#2", "arts/multi.txt#2#1",
                                          "arts/multi.txt#2#2"]


# ---------------------------------------------------------------- outputs that are inputs

@pytest.mark.parametrize("option", ["-o", "--summary"])
def test_an_output_that_is_an_article_of_an_input_folder_is_refused_and_kept(work, option):
    article = Path("m/a/000.txt")
    before = article.read_bytes()
    args = ["-f", "tsv", "-o", "./m/a/../a/000.txt"] if option == "-o" else ["-o", "out.tsv", "--summary", str(article)]
    run = run_main("batch", "m", *args, "--jobs", "1")
    assert run.code == 2 and len(run.err_lines) == 1, run.err
    assert "is also an input file (an article found in the folder m); choose another output file" in run.err
    assert article.read_bytes() == before
    assert not Path("out.tsv").exists() and not list(Path("m").rglob("*.state.jsonl"))


def test_an_output_that_a_rerun_would_find_in_an_input_folder_is_refused(work):
    err = refused("m", "-f", "tsv", out="m/all.txt")
    assert err == ("aligner: error: m/all.txt: is inside the input folder m and would be read as an article "
                   "(*.txt or *.md) by the next run; choose another output file")
    assert not Path("m/all.txt").exists()


@pytest.mark.parametrize("output, what", [
    ("pairs.tsv", "the pairs list"),
    ("./en.txt", "the translation on pairs.tsv:1"),
    ("zh.txt", "the source on pairs.tsv:1"),
    ("hard.txt", "the translation on pairs.tsv:1"),  # a hard link to en.txt
])
def test_an_output_that_is_a_file_of_the_pairs_list_is_refused_and_kept(work, output, what):
    pairs = pairs_list(["zh.txt\ten.txt\tx"])
    os.link("en.txt", "hard.txt")
    before = {p: Path(p).read_bytes() for p in ("pairs.tsv", "zh.txt", "en.txt")}
    run = run_main("batch", "--pairs", pairs, "-f", "tsv", "-o", output, "--jobs", "1")
    assert run.code == 2 and run.err_lines == [f"aligner: error: {output}: is also an input file ({what}); "
                                               "choose another output file"], run.err
    assert {p: Path(p).read_bytes() for p in before} == before


@pytest.mark.parametrize("side", ["--summary", "rejects", "state"])
def test_a_side_output_that_is_a_file_of_the_pairs_list_is_refused(work, side):
    """The summary, the rejects (OUTPUT.rejects.tsv) and the state file (OUTPUT.state.jsonl)
    are outputs too."""
    if side == "--summary":
        pairs, args = pairs_list(["zh.txt\ten.txt\tx"]), ["-o", "out.tsv", "--summary", "pairs.tsv"]
    else:
        suffix = ".rejects.tsv" if side == "rejects" else ".state.jsonl"
        pairs, args = pairs_list(["zh.txt\ten.txt\tx"], name="out.tsv" + suffix), ["-o", "out.tsv"]
        args += ["--min-confidence", "0.5"] if side == "rejects" else []
    before = Path(pairs).read_bytes()
    run = run_main("batch", "--pairs", pairs, *args, "--jobs", "1")
    assert run.code == 2 and len(run.err_lines) == 1, run.err
    assert f"{pairs}: is also an input file (the pairs list)" in run.err
    assert Path(pairs).read_bytes() == before


@pytest.mark.parametrize("summary", ["out.tsv.state.jsonl", "./out.tsv.state.jsonl"])
def test_a_summary_onto_the_state_file_is_refused(work, summary):
    """It replaced the state file at the end: the next run found no state and started over."""
    err = refused("m", "--summary", summary)
    assert err == ("aligner: error: out.tsv.state.jsonl: is given as two of the outputs "
                   "(the state file is OUTPUT.state.jsonl)")
    assert not Path("out.tsv").exists()
