"""`aligner convert`: a reviewed alignment table (XLSX, TSV, JSONL) back into TMX or any
other output format, keeping the reviewer's edits; or a translation memory (TMX) into a
table or a report to review it."""

from __future__ import annotations

import warnings

import click

from aligner.cli.common import (
    CONTEXT, EPILOG_ERRORS, FORMAT_HELP, check_output, check_report, input_size_option, say, writer_options,
)
from aligner.writers import FORMATS

EPILOG_CONVERT = """\b
Exit status:
  0    success
  1    bad data: empty, binary or undecodable file, not an alignment table
       or a TMX (the row or unit at fault is named), a status other than ok
       or wrong, a sentence in two rows, a language that cannot be detected
       or is not a language code, every row emptied, vecalign output of a
       table without indices (a TSV), a file larger than --max-input-size, a
       workbook beyond a spreadsheet's limits (rows, columns, cell length,
       inflated size) or with a formula without its value (the cell is
       named), metadata naming a property aligner writes itself
  2    bad usage: unknown option or format, a language code other than
       Chinese or English, missing or unreadable file, folder given as a
       file, output folder missing, output is the input, --header without
       TSV output, several documents to vecalign output
  130  interrupted (Ctrl-C); an existing output file is left as it was
  141  standard output closed early (e.g. piped into head)
  143  terminated (SIGTERM); an existing output file is left as it was

""" + EPILOG_ERRORS


@click.command(context_settings=CONTEXT, epilog=EPILOG_CONVERT,
               short_help="Turn a reviewed table (XLSX, TSV, JSONL) into TMX, or a TMX into a table to review.")
@click.argument("table", metavar="INPUT")
@click.option("-o", "--output", metavar="PATH", help="Output file, replaced only once complete; '-' or absent: standard output. Its extension picks the format: .tmx, .tsv (.txt), .jsonl, .align (vecalign), .xlsx, .html. Rows marked wrong go to PATH.rejects.tsv.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), help=FORMAT_HELP)
@click.option("--report", metavar="PATH", help="Also write the HTML report of the pairs to PATH, to read in a browser.")
@click.option("--src-lang", metavar="CODE", help="Language code of the source column, e.g. zh-CN (default: as the table records it; a TSV records none, so it is detected).")
@click.option("--tgt-lang", metavar="CODE", help="Language code of the translation column, e.g. en-US (default: as recorded, else detected).")
@click.option("--header", is_flag=True, help="TSV output: start with a header row (source, translation, score, note); the last column holds each row's machine note.")
@click.option("-q", "--quiet", is_flag=True, help="No message on standard error when done (errors are still reported).")
@input_size_option
def convert(table, output, fmt, report, src_lang, tgt_lang, header, quiet) -> None:
    """Write the pairs of a reviewed alignment table INPUT as TMX (or another format).

    INPUT is a table 'aligner align' wrote and a reviewer may have corrected: the XLSX
    workbook, a TSV (with or without --header's row) or JSONL; or a translation memory
    (TMX), to review it as a workbook or a report. '-' reads standard input. The kind
    is told from the content. What the reviewer did is kept:

    \b
      edited text           written as it stands
      a deleted row         gone
      status 'wrong'        left out of the output, written to OUTPUT.rejects.tsv
      one side emptied      the other becomes an unpaired sentence: left out of TMX
      both sides emptied    no unit, but the row keeps its place and indices
      empty score           the reviewer's own pair: score 1

    The workbook and JSONL keep the sentences' places (TMX x-src-index, x-tgt-index,
    x-bead): the workbook's src_no and tgt_no count sentences from 1 (older workbooks'
    src_idx and tgt_idx, from 0, are read too), JSONL's src_idx and tgt_idx from 0. A
    TSV has none, so they are left out. A TMX unit's x-score is its score (none: 1, a
    pair a person made). A table with a document column (a batch) gives one merged
    output that names each pair's document.

    \b
    Examples:
      aligner align article.txt -o pairs.xlsx --report report.html
      (correct pairs.xlsx in a spreadsheet, mark wrong pairs, save it)
      aligner convert pairs.xlsx -o memory.tmx
      aligner convert pairs.tsv -o memory.tmx --src-lang zh-TW
      aligner convert project.tmx -o review.xlsx --report review.html
    """
    from aligner.filtering import REJECTS_SUFFIX, rejects_path, split_wrong
    from aligner.outputs import open_outputs
    from aligner.plumbing.errors import AlignerError, AlignerWarning, InputUsageError
    from aligner.readers.decode import STDIN, STDIN_NAME
    from aligner.summary import plural
    from aligner.readers.load import check_lang
    from aligner.readers.table import read_table_file
    from aligner.writers import format_for_path, writer_class

    check_output(output, [table])
    fmt = format_for_path(output, fmt)
    options = writer_options(fmt, header)
    name = STDIN_NAME if table == STDIN else table
    written = [] if output in (None, STDIN) else [output, rejects_path(output)]
    for path in written[1:]:
        check_output(path, [table])
    check_report(report, [table], written, "the output and its rejects")
    for lang in (src_lang, tgt_lang):
        if lang is not None:  # '' too: it was silently ignored
            check_lang(lang, name)
    result = read_table_file(table, src_lang, tgt_lang)
    if len(result.documents) > 1 and not writer_class(fmt).mergeable:
        raise InputUsageError(f"{fmt} output holds one document; this table has {len(result.documents)}", name)
    if fmt == "vecalign" and not all(doc.indexed for _, doc in result.documents):
        if result.kind == "tsv":
            raise AlignerError("has no sentence indices (a TSV has none), which vecalign output needs; "
                               "convert the XLSX or JSONL instead", name)
        rows = "line" if result.kind == "jsonl" else "row"
        raise AlignerError(f"not every {rows} has sentence indices (src_idx and tgt_idx), which vecalign "
                           "output needs", name)
    splits = [(document, split_wrong(doc)) for document, doc in result.documents]
    wrong = sum(len(split.rejected.beads) for _, split in splits)
    # the output, its rejects and the report: each complete, all or none; rows marked wrong
    # are no part of the documents the output and the report show
    with open_outputs(output, fmt, batch=result.batch, writer_options=options, rejects=bool(wrong and written),
                      report=report) as outputs:
        for document, split in splits:
            outputs.add(split.kept, name=document, split=split)
    if wrong and not written:
        warnings.warn(AlignerWarning(f"{plural(wrong, 'row')} marked wrong left out of the output (with -o FILE "
                                     f"they go to FILE{REJECTS_SUFFIX})", name))
    if not quiet and written:
        pairs = sum(len(split.kept.beads) for _, split in splits)
        rejected = f", {wrong} marked wrong -> {rejects_path(output)}" if wrong else ""
        say(f"aligner: {pairs} rows of {plural(len(splits), 'document')} -> {output} ({fmt}){rejected}")
    if report is not None and not quiet:
        say(f"aligner: report -> {report}")
