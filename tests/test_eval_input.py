"""`aligner eval` on awkward input (issue 9, item 11): an empty gold file, a byte-order
mark, standard input and process substitution, an empty prediction, and gold and
prediction aligned in opposite directions."""

from __future__ import annotations

import codecs
import os
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run, cli_argv, cli_env, run_cli

MAC_ALIGN = Path(__file__).parent / "data" / "mac-dev-align"
GOLD, PRED = MAC_ALIGN / "gold" / "001.align", MAC_ALIGN / "bertalign" / "001.align"
TABLE = run_cli("eval", GOLD, PRED).text  # Bertalign's chapter 001 against its gold


def swapped(path: Path, out: Path) -> Path:
    """The same beads with source and target exchanged ('[0,1]:[0]' -> '[0]:[0,1]')."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out.write_text("".join(":".join(reversed(line.split(":"))) + "\n" for line in lines), encoding="utf-8")
    return out


def test_empty_gold_is_blamed_not_the_prediction(tmp_path):
    """It said the prediction's sentence 0 'is not in the gold alignment (which ends at -1)'."""
    empty = tmp_path / "gold.align"
    empty.write_bytes(b"\n")
    run = run_cli("eval", empty, PRED)
    assert (run.code, run.out) == (1, b"")
    assert run.err_lines == [f"aligner: error: {empty}: no beads in the gold alignment: nothing to score against"]


def test_byte_order_mark_is_not_a_bead(tmp_path):
    for name, source in (("gold.align", GOLD), ("pred.align", PRED)):
        (tmp_path / name).write_bytes(codecs.BOM_UTF8 + source.read_bytes())
    run = run_cli("eval", tmp_path / "gold.align", tmp_path / "pred.align")
    assert (run.code, run.err, run.text) == (0, "", TABLE)


def test_prediction_from_standard_input():
    run = run_cli("eval", GOLD, "-", stdin=PRED.read_bytes())
    assert (run.code, run.err, run.text) == (0, "", TABLE)
    run = run_cli("eval", "-", PRED, stdin=GOLD.read_bytes())
    assert (run.code, run.err, run.text) == (0, "", TABLE)


def test_standard_input_for_both_is_refused():
    run = run_cli("eval", "-", "-", stdin=GOLD.read_bytes())
    assert run.code == 2 and len(run.err_lines) == 1 and "one file only" in run.err


@pytest.mark.skipif(not shutil.which("bash") or not Path("/dev/fd").exists(), reason="needs bash and /dev/fd")
def test_process_substitution():
    """`aligner eval <(cat gold) <(cat pred)`: the paths are pipes (/dev/fd/63), not regular files."""
    script = f'exec "$0" -m aligner eval <(cat "{GOLD}") <(cat "{PRED}")'
    proc = subprocess.run(["bash", "-c", script, sys.executable], capture_output=True, env=cli_env(), timeout=60)
    run = Run(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))
    assert (run.code, run.err, run.text) == (0, "", TABLE)


def test_empty_prediction_scores_zero_with_a_warning(tmp_path):
    empty = tmp_path / "pred.align"
    empty.write_bytes(b"")
    run = run_cli("eval", GOLD, empty)
    assert run.code == 0
    assert run.err_lines == [f"aligner: warning: {empty}: no beads in the prediction: it scores 0"]
    assert run.text.splitlines()[1].split() == ["strict", "0.000", "0.000", "0.000"]


def test_prediction_aligned_the_other_way_past_gold_says_so(tmp_path):
    """Chapter 001 has more English than Chinese sentences: the swapped prediction names
    target sentences gold does not have; the error says the sides look swapped."""
    run = run_cli("eval", GOLD, swapped(PRED, tmp_path / "pred.align"))
    assert run.code == 1 and len(run.err_lines) == 1
    assert "is not in the gold alignment" in run.err and "with source and target swapped it fits" in run.err


def test_prediction_aligned_the_other_way_within_gold_gets_a_warning(tmp_path):
    """When the swapped indices fit, the scores show it: 0 against 1 swapped."""
    gold = tmp_path / "gold.align"
    gold.write_text("[0]:[0,1]\n[1,2]:[2]\n[3]:[3,4]\n[4,5]:[5]\n", encoding="utf-8")
    pred = swapped(gold, tmp_path / "pred.align")
    run = run_cli("eval", gold, pred)
    assert run.code == 0
    assert run.err_lines == [f"aligner: warning: {pred}: it scores far better with source and target swapped "
                             "(strict F1 1.000 against 0.000): was one aligned in the other direction?"]


# -- standard output that cannot be written ------------------------------------------------


def eval_to(stdout, unbuffered: str, fsize: int | None = None) -> Run:
    """`aligner eval GOLD PRED` with standard output the open file `stdout`; with `fsize`,
    no file written beyond that many bytes (what a full disk does to a write)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    proc = subprocess.run(cli_argv("eval", GOLD, PRED), stdin=subprocess.DEVNULL, stdout=stdout,
                          stderr=subprocess.PIPE, env={**cli_env(), "PYTHONUNBUFFERED": unbuffered},
                          preexec_fn=limit if fsize else None, timeout=120)
    return Run(proc.returncode, b"", proc.stderr.decode("utf-8", "replace"))


def assert_stdout_error(run: Run, reason: str) -> None:
    assert "Traceback" not in run.err and "Exception ignored" not in run.err, run.err
    assert run.code == 1 and len(run.err_lines) == 1, run.err
    assert run.err.startswith("aligner: error: <stdout>: cannot write: ") and reason in run.err, run.err


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_full_device_as_standard_output(tmp_path, unbuffered):
    """`aligner eval ... > /dev/full`, on a private node of the kernel's full device: it was
    'internal error: OSError: [Errno 28] No space left on device'."""
    full = tmp_path / "full"
    try:
        os.mknod(full, stat.S_IFCHR | 0o600, os.makedev(1, 7))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    with open(full, "wb") as out:
        assert_stdout_error(eval_to(out, unbuffered), "No space left on device")


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_disk_filling_up_under_standard_output(tmp_path, unbuffered):
    """Standard output a file on a disk that fills up halfway through the table."""
    with open(tmp_path / "out", "wb") as out:
        assert_stdout_error(eval_to(out, unbuffered, fsize=len(TABLE) // 2), "File too large")


# -- how the files are decoded: as every input file is -----------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_byte_order_mark_is_read(tmp_path, encoding):
    """Windows Notepad's 'Unicode': it was "'utf-8' codec can't decode byte 0xff"."""
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    for name, source in (("gold.align", GOLD), ("pred.align", PRED)):
        (tmp_path / name).write_bytes(bom + source.read_text(encoding="utf-8").encode(encoding))
    run = run_cli("eval", tmp_path / "gold.align", tmp_path / "pred.align")
    assert (run.code, run.err, run.text) == (0, "", TABLE)
    run = run_cli("eval", GOLD, "-", stdin=(tmp_path / "pred.align").read_bytes())
    assert (run.code, run.err, run.text) == (0, "", TABLE)


@pytest.mark.parametrize("content", [
    b"[0]:[0]\n\x00\x01\x02\x03binary\x00",  # NUL bytes
    bytes(range(0x80, 0x100)) * 8,  # no encoding reads it as text
    b"[0]:[0]\n[1]:[1] \xe2\x80\x94 \xe2\x80\x9cquoted\xe2\x80\x9d \xff\n",  # UTF-8 but one byte
], ids=["nul", "undecodable", "broken-utf8"])
@pytest.mark.parametrize("side", ["gold", "pred"])
def test_binary_or_undecodable_file_gets_the_error_align_gives(tmp_path, content, side):
    """It gave Python's codec message ("'utf-8' codec can't decode byte 0xd0 in position 24")
    or, for NUL bytes, "not a bead: '...'"; now the diagnosis align gives for the same file,
    with a hint of eval's own instead of align's --encoding, which eval does not have."""
    bad = tmp_path / f"{side}.align"
    bad.write_bytes(content)
    align = run_cli("segment", bad)  # the one-line error of every command that reads text
    assert align.code == 1 and len(align.err_lines) == 1 and str(bad) in align.err
    run = run_cli("eval", *((bad, PRED) if side == "gold" else (GOLD, bad)))
    assert (run.code, run.out) == (1, b"") and len(run.err_lines) == 1 and "--encoding" not in run.err
    diagnosis = align.err.split("; use --encoding")[0].split("; if it is UTF-16")[0]
    assert run.err.startswith(diagnosis), (run.err, align.err)



# -- beads that overlap ------------------------------------------------------------------


@pytest.mark.parametrize("side", ["gold", "pred"])
@pytest.mark.parametrize("beads, problem", [
    ("[0]:[0]\n[1]:[1]\n\n[0]:[0]\n", "line 4: source sentence 0 is already in line 1"),
    ("[0]:[0]\n[1,2]:[1]\n[3]:[1,2]\n", "line 3: target sentence 1 is already in line 2"),
    ("[0,0,0]:[1]\n", "line 1: source sentence 0 is twice in this bead"),
    ("[0]:[0]\n[]:[]\n", "line 2: empty bead []:[]"),
    ("[]:[]\n", "line 1: empty bead []:[]"),
], ids=["repeated-bead", "shared-target", "repeated-index", "empty-bead", "only-empty-bead"])
def test_overlapping_or_empty_bead_is_refused(tmp_path, side, beads, problem):
    """They were scored (a repeated bead counted once) or, for a gold of '[]:[]' only,
    blamed on the prediction: 'sentence 0 is not in the gold alignment (which ends at -1)'."""
    bad = tmp_path / f"{side}.align"
    bad.write_text(beads, encoding="utf-8")
    other = tmp_path / "other.align"
    other.write_text("[0]:[0]\n[1,2]:[1,2]\n[3]:[3]\n", encoding="utf-8")
    run = run_cli("eval", *((bad, other) if side == "gold" else (other, bad)))
    assert (run.code, run.out) == (1, b"")
    assert run.err_lines == [f"aligner: error: {bad}: {problem}"]


def test_sentences_out_of_order_or_apart_are_scored(tmp_path):
    """Beads need not follow the text, nor a bead's sentences be neighbours (the format
    allows it, as Vecalign's scorer does): only a sentence in two beads is refused."""
    gold = tmp_path / "gold.align"
    gold.write_text("[1]:[1]\n[0,2]:[0]\n[]:[2]\n", encoding="utf-8")
    run = run_cli("eval", gold, gold)
    assert run.code == 0 and run.err == ""
    assert run.text.splitlines()[1].split() == ["strict", "1.000", "1.000", "1.000"]


def test_gold_without_target_sentences_is_said_so(tmp_path):
    """A gold of deletions only: the error said gold 'ends at -1'."""
    gold, pred = tmp_path / "gold.align", tmp_path / "pred.align"
    gold.write_text("[0]:[]\n[1]:[]\n", encoding="utf-8")
    pred.write_text("[0]:[0]\n", encoding="utf-8")
    run = run_cli("eval", gold, pred)
    assert run.code == 1 and len(run.err_lines) == 1
    assert run.err.startswith(f"aligner: error: {pred}: target sentence 0 is not in the gold alignment "
                              "(which has no target sentences);"), run.err


# -- what --help promises ------------------------------------------------------------------


def test_help_says_what_happens_to_a_swapped_prediction():
    """It said a prediction that scores far better swapped 'gets a warning'; one that names
    sentences gold does not have is an error (with a hint when swapping would fit)."""
    text = " ".join(run_cli("eval", "--help").text.split())
    assert "gets a warning" not in text
    assert "A prediction that names sentences gold does not have is an error" in text
    assert "swapped (the message says which)" in text
    assert "scores far better with source and target swapped is scored, with a warning" in text


def test_help_exit_status_is_eval_s_own():
    """It showed align's: 'not a bilingual article, both files in the same language'."""
    text = run_cli("eval", "--help").text
    status = text[text.index("Exit status:"):]
    for align_only in ("bilingual article", "same language", "output folder", "convert"):
        assert align_only not in status, align_only
    codes = [line.split()[0] for line in status.splitlines() if line.split()[:1] and line.split()[0].isdigit()]
    assert codes == ["0", "1", "2", "130", "141", "143"]
    for words in ("not a bead", "twice", "standard output cannot be written"):
        assert words in " ".join(status.split()), words
