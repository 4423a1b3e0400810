"""`aligner segment`: the sentences of a file, as the aligner sees them."""

from __future__ import annotations

import click

from aligner.cli.common import CONTEXT, EPILOG_ERRORS, check_output, input_size_option

EPILOG_SEGMENT = """\b
Exit status:
  0    success
  1    bad data: empty, binary or undecodable file, a language that cannot
       be detected, a failed write
  2    bad usage: unknown option, missing or unreadable file, folder given as
       a file, unknown or non-text --encoding, output folder missing, output
       is the input
  130  interrupted (Ctrl-C); an existing output file is left as it was
  141  standard output closed early (e.g. piped into head)
  143  terminated (SIGTERM); an existing output file is left as it was

""" + EPILOG_ERRORS


@click.command(context_settings=CONTEXT, epilog=EPILOG_SEGMENT,
             short_help="Print the sentences of a file, one a line.")
@click.argument("file", metavar="FILE")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of FILE: zh or en (default: detected). Forces a plain-text reading even of an article.")
@click.option("--encoding", metavar="NAME", help="Encoding of FILE, e.g. gb18030 (default: detected).")
@click.option("-o", "--output", metavar="PATH", help="Output file, replaced only once complete (default: standard output).")
@input_size_option
def segment(file, lang, encoding, output) -> None:
    """Print the sentences of FILE, one a line, as 'aligner align' sees them.

    Paragraphs are separated by blank lines (or one paragraph a line); a Word
    document (.docx) or a web page (.html) gives its paragraphs. A bilingual article
    prints its Chinese sentences, then its English ones; its headers are left out.
    '-' reads standard input.
    """
    from aligner.readers.formats import read_document
    from aligner.readers.article import is_article
    from aligner.readers.load import load_article, load_text

    check_output(output, [file])
    content = read_document(file, encoding)
    if lang is None and is_article(content):
        zh, en, _ = load_article(file, encoding, text=content)
        paragraphs = zh.paragraphs + en.paragraphs
    else:
        paragraphs = load_text(file, lang, encoding, text=content).paragraphs
    from aligner.plumbing.chars import clean  # as every output: no escape codes reach a terminal

    text = "".join(clean(s) + "\n" for p in paragraphs for s in p)
    if output in (None, "-"):
        from aligner.plumbing.stdout import open_stdout
        from aligner.writers.base import utf8_safe

        with open_stdout() as out:
            out.write(utf8_safe(text).encode("utf-8"))
    else:
        from aligner.plumbing.atomic import atomic_open

        with atomic_open(output) as fh:
            fh.write(text)
