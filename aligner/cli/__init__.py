"""The command line: a thin click layer over the library (`aligner.readers`, `aligner.pipeline`,
`aligner.writers`, `aligner.evaluate`), one module per command; `main` turns every
failure into one line on standard error and an exit status."""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import warnings

import click

from aligner import __version__
from aligner.cli.align import align
from aligner.cli.batch import batch
from aligner.cli.common import CONTEXT, EPILOG_EXIT, say
from aligner.cli.convert import convert
from aligner.cli.evaluate import eval_cmd
from aligner.cli.segment import segment
from aligner.plumbing.errors import AlignerError, AlignerWarning, Terminated
from aligner.plumbing.stdout import STDOUT_NAME


@click.group(context_settings=CONTEXT, epilog=EPILOG_EXIT)
@click.version_option(__version__, "-V", "--version", prog_name="aligner", message="%(prog)s %(version)s")
def cli() -> None:
    """Align a Chinese text with its English translation, sentence by sentence.

    \b
    aligner align ARTICLE -o out.tmx          one file: English translation, <hr />, Chinese original
    aligner align SOURCE TRANSLATION -o out.tsv   two files, either direction
    aligner align zh.txt en.txt --presplit --format vecalign   one sentence a line
    aligner batch FOLDER -o all.tmx --summary s.tsv   many articles, one merged output
    aligner eval GOLD PRED                    score beads against a gold alignment
    aligner segment FILE                      print the sentences, one a line
    aligner convert pairs.xlsx -o out.tmx     a reviewed table (XLSX, TSV, JSONL) back to TMX
    aligner convert memory.tmx -o pairs.xlsx  a memory (TMX) to a table or report to review

    Output formats: tmx (translation memory for OmegaT, Trados, memoQ, Phrase),
    tsv, jsonl, vecalign, xlsx (a workbook to review and correct), html (a report
    to read). Inputs are plain text, Word documents (.docx) or web pages (.html);
    their encodings are detected (UTF-8, UTF-16 with a byte-order mark, GB18030,
    Big5, Windows-1252), and so are the languages. Sentences are counted from 1 in
    what people read (messages, the report, the workbook); fields named *_idx
    (JSONL, TMX's x-src-index, Vecalign beads) are 0-based.
    'aligner COMMAND --help' describes each command.
    """


for _command in (align, batch, convert, eval_cmd, segment):
    cli.add_command(_command)


def _interrupt_main_process_only() -> dict[int, object]:
    """Ctrl-C reaches every process of the terminal's group, forked workers included
    (`fork.run_aside` children tokenise long texts and solve half of a long DP). Only this process should
    stop with KeyboardInterrupt and report it; a worker that raised it too would print its
    traceback. SIGTERM stops this process the same way (as Terminated, exit 143) instead
    of killing it where it stands, which left a temporary file and the worker behind.
    Returns the previous handlers; a signal ignored from the start stays ignored."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    if threading.current_thread() is not threading.main_thread():
        return previous
    main_pid = os.getpid()

    def on_sigint(signum, frame):
        if os.getpid() == main_pid:
            raise KeyboardInterrupt
        # a forked worker: its parent stops it and reports the interruption

    def on_sigterm(signum, frame):
        if os.getpid() == main_pid:
            raise Terminated
        # a forked child (a pool worker): die of it, as without this handler
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)

    if previous[signal.SIGINT] is signal.default_int_handler:
        signal.signal(signal.SIGINT, on_sigint)
    if previous[signal.SIGTERM] is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, on_sigterm)
    return previous


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line errors, no tracebacks, exit 1 (data) or 2 (usage),
    130 on Ctrl-C, 143 on SIGTERM, 141 when standard output is closed early."""
    previous = _interrupt_main_process_only()
    try:
        _main(sys.argv[1:] if argv is None else list(argv))
    finally:
        if threading.current_thread() is threading.main_thread():
            for sig, handler in previous.items():
                if handler is not None:
                    signal.signal(sig, handler)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Our warnings as one line on standard error, like the errors; others as Python shows them."""
    if issubclass(category, AlignerWarning):
        say(f"aligner: warning: {message}")
    else:
        _SHOW_WARNING(message, category, filename, lineno, file, line)


_SHOW_WARNING = warnings.showwarning


def _main(args: list[str]) -> None:
    try:
        # Not cli.main(): it prints a blank line on Ctrl-C and reports errors over several lines.
        with cli.make_context("aligner", args) as ctx, warnings.catch_warnings():
            warnings.simplefilter("always", AlignerWarning)
            warnings.showwarning = _show_warning
            cli.invoke(ctx)
    except click.exceptions.Exit as e:  # --help, --version
        sys.exit(e.exit_code)
    except click.exceptions.NoArgsIsHelpError as e:
        click.echo(e.ctx.get_help(), err=True)
        sys.exit(2)
    except Terminated:
        say("aligner: terminated; no output written")
        sys.exit(128 + signal.SIGTERM)
    except (KeyboardInterrupt, click.exceptions.Abort):
        # At a terminal the line break closes the '^C' it echoed.
        say(("\n" if sys.stderr.isatty() else "") + "aligner: interrupted; no output written")
        sys.exit(130)
    except click.UsageError as e:
        hint = f" (see '{e.ctx.command_path} --help')" if e.ctx else ""
        say(f"aligner: error: {e.format_message()}{hint}")
        sys.exit(e.exit_code)
    except click.ClickException as e:
        say(f"aligner: error: {e.format_message()}")
        sys.exit(e.exit_code)
    except AlignerError as e:
        say(f"aligner: error: {e}")
        if e.path == STDOUT_NAME:  # or Python fails again, over several lines, when it flushes at exit
            _drop_stdout()
        sys.exit(e.exit_code)
    except BrokenPipeError:
        # The reader went away (aligner ... | head): stop quietly, as a program killed by
        # SIGPIPE would, and keep Python from failing again when it flushes at exit.
        _drop_stdout()
        sys.exit(128 + 13)
    except Exception as e:  # a bug: still one line, unless ALIGNER_DEBUG asks for the traceback
        if os.environ.get("ALIGNER_DEBUG"):
            raise
        say(f"aligner: internal error: {type(e).__name__}: {e} (set ALIGNER_DEBUG=1 for details)")
        sys.exit(1)
    # The process ends now: the collector's last pass at exit would scan every object
    # still alive (the Bible's tokens, lexicon, tables) only to free them all; frozen
    # objects it skips (0.09 s -> 0.03 s from here to the end of the process on the Bible).
    gc.freeze()
    sys.exit(0)


def _drop_stdout() -> None:
    """Point standard output at the null device: what is left in its buffer is lost anyway."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # a test's stream has no descriptor
        pass
