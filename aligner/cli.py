"""The command line: a thin layer over `aligner.pipeline`, `aligner.formats` and `aligner.evaluate`."""

from __future__ import annotations

import os
import sys

import click

from aligner import __version__
from aligner.errors import AlignerError, InputUsageError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="aligner")
def cli() -> None:
    """Align a Chinese text with its English translation, sentence by sentence.

    \b
    aligner align ARTICLE -o out.tmx          one file: English translation, <hr />, Chinese original
    aligner align SOURCE TRANSLATION -o out.tsv   two files, either direction
    aligner align zh.txt en.txt --presplit --format vecalign   one sentence a line
    aligner eval GOLD PRED                    score beads against a gold alignment
    aligner segment FILE                      print the sentences, one a line

    Output formats: tmx (translation memory for OmegaT, Trados, memoQ, Phrase),
    tsv, jsonl, vecalign. Errors are reported on one line; exit status 1 for bad
    data, 2 for bad usage.
    """


@cli.command(context_settings=CONTEXT)
@click.argument("source", metavar="SOURCE")
@click.argument("translation", required=False, metavar="[TRANSLATION]")
@click.option("-o", "--output", metavar="PATH", help="Output file; '-' or absent: standard output. Its extension picks the format.")
@click.option("-f", "--format", "fmt", type=click.Choice(["tmx", "tsv", "jsonl", "vecalign"]), help="Output format (default: from the extension of -o, else tsv).")
@click.option("--presplit", is_flag=True, help="Input has one sentence a line; line i is sentence i (research setting).")
@click.option("--src-lang", metavar="CODE", help="Language code of SOURCE, e.g. zh-CN, zh-TW, en-US (default: detected).")
@click.option("--tgt-lang", metavar="CODE", help="Language code of TRANSLATION (default: detected).")
@click.option("--encoding", metavar="NAME", help="Input encoding (default: detected: UTF-8/16, GB18030, Big5).")
@click.option("--no-length", is_flag=True, help="Do not use sentence lengths.")
@click.option("--no-lexicon", is_flag=True, help="Do not use the CC-CEDICT dictionary.")
@click.option("--no-numbers", is_flag=True, help="Do not match numbers and dates.")
@click.option("--no-names", is_flag=True, help="Do not match names by their pinyin.")
@click.option("--no-punct", is_flag=True, help="Do not match punctuation cues (? ! quotes, colons, brackets).")
@click.option("--no-learn", is_flag=True, help="Do not learn word pairs from the document and realign.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on standard error.")
def align(source, translation, output, fmt, presplit, src_lang, tgt_lang, encoding,
          no_length, no_lexicon, no_numbers, no_names, no_punct, no_learn, quiet) -> None:
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
    """
    from aligner.formats.writer import format_for_path, write_output
    from aligner.pipeline import AlignOptions, align_texts, load_article, load_text

    fmt = format_for_path(output, fmt)
    options = AlignOptions(length=not no_length, lexicon=not no_lexicon, numbers=not no_numbers,
                           names=not no_names, punct=not no_punct, learn=not no_learn)
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


@cli.command("eval", context_settings=CONTEXT)
@click.argument("gold", metavar="GOLD")
@click.argument("pred", metavar="PRED")
def eval_cmd(gold, pred) -> None:
    """Score predicted beads PRED against GOLD (Vecalign '[0,1]:[2]' files, or folders of
    them matched by file name): strict and lax precision, recall and F1 over beads,
    as defined by Sennrich & Volk (2010) and used by Vecalign and Bertalign."""
    from aligner.evaluate import score_paths

    click.echo(score_paths(gold, pred).table())


@cli.command(context_settings=CONTEXT)
@click.argument("file", metavar="FILE")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of FILE (default: detected).")
@click.option("--encoding", metavar="NAME", help="Input encoding (default: detected).")
@click.option("-o", "--output", metavar="PATH", help="Output file (default: standard output).")
def segment(file, lang, encoding, output) -> None:
    """Print the sentences of FILE, one a line (paragraphs separated by blank lines).

    A bilingual article prints its Chinese sentences, then its English ones."""
    from aligner.decode import read_text
    from aligner.formats.article import is_article
    from aligner.pipeline import load_article, load_text

    if lang is None and is_article(read_text(file, encoding)):
        zh, en, _ = load_article(file, encoding)
        paragraphs = zh.paragraphs + en.paragraphs
    else:
        paragraphs = load_text(file, lang, encoding).paragraphs
    text = "".join(s + "\n" for p in paragraphs for s in p)
    if output in (None, "-"):
        click.echo(text, nl=False)
    else:
        from aligner.atomic import atomic_open

        with atomic_open(output) as fh:
            fh.write(text)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line errors, no tracebacks, exit 1 (data) or 2 (usage)."""
    try:
        cli.main(args=argv, prog_name="aligner", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aligner: interrupted; no output written", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("aligner: interrupted; no output written", err=True)
        sys.exit(130)
    except click.ClickException as e:
        click.echo(f"aligner: error: {e.format_message()}", err=True)
        sys.exit(e.exit_code)
    except AlignerError as e:
        click.echo(f"aligner: error: {e}", err=True)
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as e:  # a bug: still one line, unless ALIGNER_DEBUG asks for the traceback
        if os.environ.get("ALIGNER_DEBUG"):
            raise
        click.echo(f"aligner: internal error: {type(e).__name__}: {e} (set ALIGNER_DEBUG=1 for details)", err=True)
        sys.exit(1)
    sys.exit(0)
