"""`aligner align`: one document pair in, its sentence pairs out."""

from __future__ import annotations

import os

import click

from aligner.cli.common import CONTEXT, EPILOG_EXIT, check_output, evidence_options, feedback, writer_options
from aligner.plumbing.errors import InputUsageError
from aligner.readers.decode import STDIN
from aligner.writers import FORMATS


@click.command(context_settings=CONTEXT, epilog=EPILOG_EXIT,
             short_help="Align a text with its translation and write the sentence pairs.")
@click.argument("source", metavar="SOURCE")
@click.argument("translation", required=False, metavar="[TRANSLATION]")
@click.option("-o", "--output", metavar="PATH", help="Output file, replaced only once the alignment is complete; '-' or absent: standard output. Its extension picks the format: .tmx, .tsv (.txt), .jsonl, .align (vecalign), .xlsx, .html.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), help="Output format; overrides the extension of -o (default: from the extension, else tsv).")
@click.option("--report", metavar="PATH", help="Also write an HTML report to PATH: both texts side by side, doubtful pairs marked, to read in a browser.")
@click.option("--header", is_flag=True, help="TSV output: start with a header row (source, translation, score).")
@click.option("--presplit", is_flag=True, help="Input has one sentence a line and is not segmented again: line i is sentence i, empty lines included (research setting; with an article, each body line is a sentence).")
@click.option("--src-lang", metavar="CODE", help="Language code of SOURCE, e.g. zh-CN, zh-TW, en-US (default: detected).")
@click.option("--tgt-lang", metavar="CODE", help="Language code of TRANSLATION, e.g. en-GB (default: detected).")
@click.option("--encoding", metavar="NAME", help="Encoding of the input files, e.g. gb18030, big5, utf-16-le (default: detected: UTF-8, UTF-16 with a byte-order mark, GB18030, Big5, Windows-1252).")
@evidence_options
@click.option("--one-process", is_flag=True, help="Do not fork a second process (by default a long text shares its tokenising and alignment with one; the result is the same). For running many aligners side by side.")
@click.option("-q", "--quiet", is_flag=True, help="No progress messages on standard error (errors are still reported).")
def align(source, translation, output, fmt, report, header, presplit, src_lang, tgt_lang, encoding,
          evidence, one_process, quiet) -> None:
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
      tsv       source TAB translation TAB score, no header (--header adds one)
      jsonl     one JSON object per bead: texts, sentence indices, type, score, metadata
      vecalign  [0,1]:[2] lines of 0-based sentence indices, as read by 'aligner eval'
      xlsx      a workbook to review and correct; 'aligner convert' turns it into TMX
      html      the review report (as --report)

    \b
    Examples:
      aligner align data/examples/rmrb-1954-11-23-harbin.txt -o harbin.tmx
      aligner align zh.txt en.txt | head            TSV on standard output
      cat en.txt | aligner align zh.txt - -o pairs.jsonl
      aligner align zh.txt en.txt --presplit -o run.align && aligner eval gold.align run.align
      aligner align article.txt -o pairs.xlsx --report report.html
    """
    from aligner.writers import format_for_path, write_output
    from aligner.options import AlignOptions
    from aligner.pipeline import align_texts
    from aligner.readers.load import load_article, load_text

    inputs = [source] if translation is None else [source, translation]
    if inputs.count(STDIN) > 1:
        raise InputUsageError("standard input ('-') can be given for one file only", STDIN)
    check_output(output, inputs)
    if report is not None:
        check_output(report, inputs)
        if report == STDIN or (output not in (None, STDIN) and os.path.abspath(report) == os.path.abspath(output)):
            raise InputUsageError("--report needs a file of its own, other than -o", report)
    fmt = format_for_path(output, fmt)
    output_options = writer_options(fmt, header)
    options = AlignOptions(**evidence, parallel=not one_process)
    if translation is None:
        if src_lang or tgt_lang:
            raise InputUsageError("--src-lang/--tgt-lang apply to two files; an article is Chinese to English", source)
        src, tgt, meta = load_article(source, encoding, presplit)
    else:
        src = load_text(source, src_lang, encoding, presplit)
        tgt = load_text(translation, tgt_lang, encoding, presplit)
        meta = {}
    n, m = len(src.sentences), len(tgt.sentences)
    with feedback(quiet) as bars:
        if not quiet and not bars and n * m > 4_000_000:
            click.echo(f"aligner: aligning {n} x {m} sentences...", err=True)
        doc = align_texts(src, tgt, options, meta)
    write_output(doc, output, fmt, **output_options)
    if not quiet and output not in (None, "-"):
        click.echo(f"aligner: {len(doc.beads)} beads from {n} + {m} sentences -> {output} ({fmt})", err=True)
    if report is not None:
        write_output(doc, report, "html")
        if not quiet:
            click.echo(f"aligner: report -> {report}", err=True)
