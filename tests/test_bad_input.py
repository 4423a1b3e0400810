"""The command line on bad input, as a user sees it (`python -m aligner` in a fresh process):
one line on standard error naming the file and the problem, exit 1 (data) or 2 (usage),
no traceback, an existing output file left byte for byte, no temporary file left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE, INPUT, Run, cli_env, gold_en_sentences, gold_pairs, refuse_to_open, run_cli, run_main

PREVIOUS = b"<tmx>previous good content</tmx>\n"


def assert_clean_failure(run: Run, code: int, *words: str, folder: Path, before: list[str]) -> str:
    """The failure contract; returns the error line."""
    assert "Traceback" not in run.err, run.err
    assert run.code == code, run.err
    lines = run.err_lines
    assert len(lines) == 1, run.err
    line = lines[0]
    assert line.startswith("aligner: error: "), line
    for word in words:
        assert word in line, (word, line)
    assert run.out == b""
    assert (folder / "out.tmx").read_bytes() == PREVIOUS
    assert sorted(os.listdir(folder)) == before  # no temporary file left
    return line


@pytest.fixture
def work(tmp_path: Path, existing_output: Path) -> Path:
    """A folder holding out.tmx with known content; tests add inputs before running."""
    assert existing_output.read_bytes() == PREVIOUS
    return tmp_path


def fail(work: Path, code: int, args: list, *words: str, stdin: bytes | None = None) -> str:
    before = sorted(os.listdir(work))
    run = run_cli(*args, stdin=stdin, cwd=work)
    return assert_clean_failure(run, code, *words, folder=work, before=before)


def zh_en_files(work: Path) -> tuple[Path, Path]:
    """The first three gold beads as Chinese and English plain files."""
    pairs = gold_pairs()[:3]
    zh, en = work / "zh.txt", work / "en.txt"
    zh.write_text("\n".join(z for z, _ in pairs) + "\n", encoding="utf-8")
    en.write_text("\n".join(e for _, e in pairs) + "\n", encoding="utf-8")
    return zh, en


# ---------------------------------------------------------------- input files

def test_missing_file(work):
    fail(work, 2, ["align", "nosuch.txt", "-o", "out.tmx"], "nosuch.txt", "no such file")


def test_missing_translation_file(work):
    zh, _ = zh_en_files(work)
    fail(work, 2, ["align", zh, "gone.txt", "-o", "out.tmx"], "gone.txt", "no such file")


def test_directory_given_as_a_file(work):
    (work / "chapters").mkdir()
    fail(work, 2, ["align", "chapters", "-o", "out.tmx"], "chapters", "directory")


def test_unreadable_file(work, monkeypatch):
    secret = work / "secret.txt"
    shutil.copy(EXAMPLE, secret)
    if os.geteuid() != 0:
        secret.chmod(0)
        fail(work, 2, ["align", secret, "-o", work / "out.tmx"], "secret.txt", "permission denied")
        return
    # root reads any file: make reading it fail as it would for a user, through main().
    refuse_to_open(monkeypatch, secret)
    before = sorted(os.listdir(work))
    run = run_main("align", secret, "-o", work / "out.tmx")
    assert_clean_failure(run, 2, "secret.txt", "permission denied", folder=work, before=before)


def test_empty_file(work):
    fail(work, 1, ["align", INPUT / "empty.txt", "-o", "out.tmx"], "empty.txt", "empty file")


def test_whitespace_only_file(work):
    # blank.txt holds spaces, a tab, CRLF and an ideographic space
    fail(work, 1, ["align", INPUT / "blank.txt", "-o", "out.tmx"], "blank.txt", "empty file")


def test_file_of_invisible_characters_only(work):
    """Zero-width spaces and joiners, a BOM mid-text, blank lines: nothing to align, even
    with the language forced (which once aligned the Chinese against zero-width spaces)."""
    zh, _ = zh_en_files(work)
    invisible = work / "invisible.txt"
    invisible.write_text("\u200b\u200b\n\n\u200d \ufeff\n", encoding="utf-8")
    fail(work, 1, ["align", zh, invisible, "-o", "out.tmx"], "invisible.txt", "empty file")
    fail(work, 1, ["align", zh, invisible, "--tgt-lang", "en", "-o", "out.tmx"], "invisible.txt", "empty file")


def test_binary_file(work):
    fail(work, 1, ["align", INPUT / "pixel.png", "-o", "out.tmx"], "pixel.png", "binary")


def test_binary_translation_in_two_file_mode(work):
    zh, _ = zh_en_files(work)
    fail(work, 1, ["align", zh, INPUT / "pixel.png", "-o", "out.tmx"], "pixel.png", "binary")


def test_both_files_chinese(work):
    zh, _ = zh_en_files(work)
    fail(work, 1, ["align", zh, INPUT / "zh001.gb18030.txt", "-o", "out.tmx"],
         "zh001.gb18030.txt", "both files are in Chinese")


def test_both_files_english(work):
    _, en = zh_en_files(work)
    fail(work, 1, ["align", INPUT / "en.cp1252.txt", en, "-o", "out.tmx"], "en.txt", "both files are in English")


def test_single_file_that_is_not_an_article(work):
    fail(work, 1, ["align", INPUT / "zh001.utf8.txt", "-o", "out.tmx"], "zh001.utf8.txt", "not a bilingual article")


def test_article_with_its_halves_swapped(work):
    """English after 'Original:' and Chinese before '<hr />': not the layout, said so."""
    zh, en = (work / "zh.txt"), (work / "en.txt")
    zh_en_files(work)
    article = work / "swapped.txt"
    article.write_text("Title: x\n\n    " + zh.read_text(encoding="utf-8").replace("\n", "\n    ")
                       + "\n<hr />\nOriginal:\n### t\n\n    " + en.read_text(encoding="utf-8").replace("\n", "\n    "),
                       encoding="utf-8")
    fail(work, 1, ["align", article, "-o", "out.tmx"], "swapped.txt", "Chinese original", "English text")


def test_file_of_text_in_another_script(work):
    ru = work / "ru.txt"
    ru.write_text("Это текст на русском языке.\n", encoding="utf-8")
    _, en = zh_en_files(work)
    fail(work, 1, ["align", ru, en, "-o", "out.tmx"], "ru.txt", "cannot tell the language")


def test_presplit_file_of_only_empty_lines(work):
    zh, _ = zh_en_files(work)
    empty = work / "empty-lines.txt"
    empty.write_text("\n\n\n\n", encoding="utf-8")
    fail(work, 1, ["align", zh, empty, "--presplit", "-o", "out.tmx"], "empty-lines.txt", "empty")


def test_presplit_text_of_only_empty_lines_is_refused_by_load_text():
    """Empty sentences are no text, whether or not the reader drops trailing empty lines
    (the check looks at sentences: one paragraph of empty sentences is still a paragraph)."""
    from aligner.plumbing.errors import AlignerError
    from aligner.readers.load import load_text

    with pytest.raises(AlignerError, match="no text"):
        load_text("lines.txt", "zh", presplit=True, text="\n \n\u3000\n")


def test_standard_input_given_twice(work):
    fail(work, 2, ["align", "-", "-", "-o", "out.tmx"], "standard input", stdin=EXAMPLE.read_bytes())


def test_empty_standard_input(work):
    fail(work, 1, ["align", "-", "-o", "out.tmx"], "<stdin>", "empty", stdin=b"")


# ---------------------------------------------------------------- encodings

def test_bogus_encoding_name(work):
    fail(work, 2, ["align", EXAMPLE, "--encoding", "klingon-8", "-o", "out.tmx"],
         EXAMPLE.name, "unknown encoding", "klingon-8")


def test_latin1_forced_on_a_utf8_chinese_article(work):
    """UTF-8 Chinese read as latin-1 is mojibake: refused where it is decoded, for
    articles as for plain files."""
    fail(work, 1, ["align", EXAMPLE, "--encoding", "latin-1", "-o", "out.tmx"],
         EXAMPLE.name, "garbled", "latin-1")


def test_latin1_forced_on_a_utf8_chinese_file(work):
    zh, en = zh_en_files(work)
    fail(work, 1, ["align", zh, en, "--encoding", "latin-1", "-o", "out.tmx"], "zh.txt", "latin-1", "garbled")


def test_utf8_forced_on_a_gb18030_file(work):
    fail(work, 1, ["align", INPUT / "harbin.gb18030.txt", "--encoding", "utf-8", "-o", "out.tmx"],
         "harbin.gb18030.txt", "cannot decode as utf-8", "line")


def test_forced_encoding_allows_a_few_odd_characters(tmp_path):
    """A lone 'à' is implausible to the detector but must not make a forced encoding fail."""
    zh, en = zh_en_files(tmp_path)
    zh.write_bytes(zh.read_text(encoding="utf-8").encode("gb18030"))
    en.write_bytes((en.read_text(encoding="utf-8") + "It was served à la carte.\n").encode("gb18030"))
    run = run_main("align", zh, en, "--encoding", "gb18030", "-f", "vecalign")
    assert run.code == 0, run.err
    assert run.text.splitlines()[:2] == ["[0]:[0]", "[1]:[1]"]


# ---------------------------------------------------------------- output and options

def test_output_folder_does_not_exist(work):
    fail(work, 2, ["align", EXAMPLE, "-o", "missing/out.tmx"], "missing/out.tmx", "does not exist")


def test_output_path_is_a_directory(work):
    (work / "results").mkdir()
    fail(work, 2, ["align", EXAMPLE, "-o", "results"], "results", "folder")
    (work / "x.tmx").mkdir()
    fail(work, 2, ["align", EXAMPLE, "-o", "x.tmx"], "x.tmx", "folder")


def test_output_would_overwrite_an_input(work):
    zh, en = zh_en_files(work)
    before = en.read_bytes()
    run = run_cli("align", zh, en, "-o", en, cwd=work)
    assert run.code == 2 and len(run.err_lines) == 1 and "also an input" in run.err
    assert en.read_bytes() == before


def test_unknown_format(work):
    fail(work, 2, ["align", EXAMPLE, "--format", "docx", "-o", "out.tmx"], "--format", "docx")


def test_unknown_output_extension(work):
    fail(work, 2, ["align", EXAMPLE, "-o", "out.docx"], "out.docx", ".docx", "--format")


def test_unknown_option(work):
    fail(work, 2, ["align", EXAMPLE, "--fast", "-o", "out.tmx"], "--fast")


def test_language_options_with_an_article(work):
    fail(work, 2, ["align", EXAMPLE, "--src-lang", "zh-TW", "-o", "out.tmx"], EXAMPLE.name, "--src-lang")


def test_unsupported_language_code(work):
    zh, en = zh_en_files(work)
    fail(work, 2, ["align", zh, en, "--tgt-lang", "fr", "-o", "out.tmx"], "en.txt", "'fr'", "not supported")


def test_eval_missing_file(work):
    fail(work, 2, ["eval", "gold.align", "pred.align"], "gold.align", "no such file")


def test_eval_of_a_non_alignment_file(work):
    fail(work, 1, ["eval", EXAMPLE, EXAMPLE], EXAMPLE.name, "line 1")


def test_segment_missing_file(work):
    fail(work, 2, ["segment", "nosuch.txt"], "nosuch.txt", "no such file")


def test_internal_error_is_one_line_unless_debugging(monkeypatch, tmp_path):
    import aligner.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(aligner.pipeline, "align_texts", broken)
    monkeypatch.delenv("ALIGNER_DEBUG", raising=False)
    run = run_main("align", EXAMPLE)
    assert run.code == 1
    assert run.err_lines == ["aligner: internal error: RuntimeError: simulated bug (set ALIGNER_DEBUG=1 for details)"]
    monkeypatch.setenv("ALIGNER_DEBUG", "1")
    with pytest.raises(RuntimeError):
        from aligner.cli import main

        main(["align", str(EXAMPLE), "-o", str(tmp_path / "x.tmx")])


# ---------------------------------------------------------------- interruptions

def big_presplit_pair(folder: Path, copies: int = 300) -> tuple[Path, Path]:
    """The seed's gold sentences repeated: about 5,400 x 5,700 sentences, a few seconds to align."""
    zh = [z for z, _ in gold_pairs()] * copies
    en = [s for _, e in gold_pairs() for s in gold_en_sentences(e)] * copies
    zh_path, en_path = folder / "big.zh", folder / "big.en"
    zh_path.write_text("\n".join(zh) + "\n", encoding="utf-8")
    en_path.write_text("\n".join(en) + "\n", encoding="utf-8")
    return zh_path, en_path


def test_ctrl_c_leaves_the_output_untouched(work):
    zh, en = big_presplit_pair(work)
    before = sorted(os.listdir(work))
    # A terminal sends SIGINT to the whole process group (worker processes included).
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "align", zh, en, "--presplit", "-q", "-o", "out.tmx"],
                            cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(),
                            start_new_session=True)
    time.sleep(1.5)  # past start-up (imports take ~0.1 s), well before the ~5 s alignment ends
    assert proc.poll() is None, "input too small: finished before Ctrl-C"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    run = Run(proc.returncode, out, err.decode("utf-8", "replace"))
    assert "Traceback" not in run.err, run.err
    assert run.code == 130
    assert run.err_lines == ["aligner: interrupted; no output written"]
    assert (work / "out.tmx").read_bytes() == PREVIOUS
    assert sorted(os.listdir(work)) == before


def test_standard_output_closed_early():
    """`aligner align x | head -1`: the reader is gone before we write; stop quietly."""
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "align", str(EXAMPLE)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env())
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert (proc.wait(timeout=60), err) == (141, "")


def test_big_input_reports_progress_then_the_interruption(work):
    """Past 4 million sentence pairs a progress line comes first; Ctrl-C after it adds one line."""
    zh, en = big_presplit_pair(work)
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "align", zh, en, "--presplit", "-o", "out.tmx"],
                            cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(),
                            start_new_session=True)
    first = proc.stderr.readline().decode("utf-8")
    assert first == "aligner: aligning 5400 x 5700 sentences...\n"
    time.sleep(0.3)
    assert proc.poll() is None
    os.killpg(proc.pid, signal.SIGINT)
    _, rest = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert rest.decode("utf-8") == "aligner: interrupted; no output written\n"
    assert (work / "out.tmx").read_bytes() == PREVIOUS
