"""`aligner align`: one document pair in, its sentence pairs out."""

from __future__ import annotations

import click

from aligner.cli.common import (
    CONTEXT, EPILOG_EXIT, FORMAT_HELP, check_embedding, check_output, check_report, check_side_outputs, embedding_options, evidence_options,
    feedback, input_size_option, quiet_option, reading_options, report_options, say, writer_options,
)
from aligner.plumbing.chars import escaped
from aligner.plumbing.errors import InputUsageError
from aligner.readers.decode import STDIN, STDIN_NAME
from aligner.summary import DocumentSummary, hidden_note, unpaired_notes
from aligner.writers import FORMATS


@click.command(context_settings=CONTEXT, epilog=EPILOG_EXIT,
             short_help="Align a text with its translation and write the sentence pairs.")
@click.argument("source", metavar="SOURCE")
@click.argument("translation", required=False, metavar="[TRANSLATION]")
@click.option("-o", "--output", metavar="PATH", help="Output file, replaced only once the alignment is complete; '-' or absent: standard output. Its extension picks the format: .tmx, .tsv (.txt), .jsonl, .align (vecalign), .xlsx, .html.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), help=FORMAT_HELP)
@click.option("--report", metavar="PATH", help="Also write an HTML report to PATH: both texts side by side, doubtful pairs marked, to read in a browser.")
@click.option("--header", is_flag=True, help="TSV output: start with a header row (source, translation, score, note) and give each row its machine note (why it is one-sided or flagged) in the last column.")
@reading_options
@evidence_options
@embedding_options
@report_options
@click.option("--one-process", is_flag=True, help="Do not fork a second process (by default a long text shares its tokenising and alignment with one; the result is the same). For running many aligners side by side.")
@quiet_option
@input_size_option
def align(source, translation, output, fmt, report, header, presplit, src_lang, tgt_lang, encoding,
          evidence, embed, threads, summary, min_confidence, one_process, quiet) -> None:
    """Align SOURCE with TRANSLATION and write the sentence pairs.

    With one file, SOURCE is a bilingual article: an English header (Title:,
    Author:, Date:, Page: or Edition:), the English body, a line '<hr />',
    'Original:', then the Chinese header and body. The Chinese original is the
    source; header fields become metadata. Text a machine translation added to the
    English (a glossary, the original copied, a repeated header) is not aligned: it
    is a one-sided row with its reason. With two files, the first is the source and the second its
    translation, Chinese to English or English to Chinese. Paragraphs are separated
    by blank lines (or one paragraph a line). A file may also be a Word document
    (.docx) or a web page (.html); a PDF, .doc, .rtf or .odt is refused: save it as
    .docx or text. '-' reads standard input.

    Each pair's score is its confidence: the calibrated probability that the pair
    is exactly right. Sentences left without a counterpart are reported on standard
    error, counted from 1 as in the report and the workbook: '3 Chinese sentences
    have no translation: 4-6' (the output's 0-based src_idx and x-src-index are one
    less). With --min-confidence P, pairs scored below P and those sentences go to
    OUTPUT.rejects.tsv instead of the output: together the two hold every sentence.
    A pair whose English keeps Chinese text is flagged: a note, and its score below
    0.5.

    The document's status (--summary, the TMX header, the report): ok; partial
    (the translation covers only part of the source: 'English stops after 57% of
    the Chinese'); suspect (the two sides do not read as translations of each
    other: with --min-confidence, all its pairs go to the rejects).

    \b
    Formats (from -o's extension or --format; standard output is TSV):
      tmx       TMX 1.4, one <tu> per pair with x-score and x-bead properties;
                pairs with an empty side are left out; the header has the
                document's metadata and figures (x-units, x-src-unpaired, ...)
      tsv       source TAB translation TAB score, no header (--header adds one,
                and a last column: each row's note)
      jsonl     one JSON object per bead: texts, 0-based sentence indices (src_idx,
                tgt_idx), type, score, metadata
      vecalign  [0,1]:[2] lines of 0-based sentence indices, as read by 'aligner eval'
      xlsx      a workbook to review and correct (a status column to mark a pair
                wrong, sentences numbered from 1); 'aligner convert' turns it into TMX
      html      the review report (as --report)

    \b
    Examples:
      aligner align data/examples/rmrb-1954-11-23-harbin.txt -o harbin.tmx
      aligner align zh.txt en.txt | head            TSV on standard output
      cat en.txt | aligner align zh.txt - -o pairs.jsonl
      aligner align zh.txt en.txt --presplit -o run.align && aligner eval gold.align run.align
      aligner align article.txt -o pairs.xlsx --report report.html
      aligner align original.docx translation.docx -o memory.tmx
      aligner align article.txt -o tm.tmx --min-confidence 0.5 --summary figures.tsv
    """
    from aligner.filtering import split_beads
    from aligner.options import AlignOptions
    from aligner.outputs import open_outputs
    from aligner.pipeline import align_texts
    from aligner.readers.load import load_article
    from aligner.writers import format_for_path

    inputs = [source] if translation is None else [source, translation]
    if inputs.count(STDIN) > 1:
        raise InputUsageError("standard input ('-') can be given for one file only", STDIN)
    check_output(output, inputs)
    fmt = format_for_path(output, fmt)
    outputs = check_side_outputs(output, fmt, summary, min_confidence, inputs)
    check_report(report, inputs, outputs, "the other outputs")
    output_options = writer_options(fmt, header)
    check_embedding(embed, threads)
    options = AlignOptions(**evidence, parallel=not one_process, embed=embed, threads=threads, progress=not quiet)
    if translation is None:
        if src_lang or tgt_lang:
            raise InputUsageError("--src-lang/--tgt-lang apply to two files; an article is Chinese to English", source)
        src, tgt, meta = load_article(source, encoding, presplit)
    else:
        src, tgt = load_pair(source, translation, src_lang, tgt_lang, encoding, presplit)
        meta = {}
    n, m = len(src.sentences), len(tgt.sentences)
    with feedback(quiet) as bars:
        if not quiet and not bars and n * m > 4_000_000:
            say(f"aligner: aligning {n} x {m} sentences...")
        doc = align_texts(src, tgt, options, meta)
    name = STDIN_NAME if source == STDIN else escaped(source)  # as in a batch: one safe line
    figures = DocumentSummary.of(doc, name)
    # the output, its rejects, the summary and the report: each complete, all or none
    split = None if min_confidence is None else split_beads(doc, min_confidence)
    with open_outputs(output, fmt, writer_options=output_options, rejects=split is not None, summary=summary,
                      report=report) as outputs:
        written = outputs.add(doc, figures, split=split)
    if not quiet:
        for note in [*unpaired_notes(doc), hidden_note(figures.hidden)]:
            if note:
                say(f"aligner: {note}")
        if doc.status is not None and doc.status.status != "ok":
            say(f"aligner: {doc.status.status}: {doc.status.message}")
    if not quiet and output not in (None, "-"):
        kept = "" if min_confidence is None else f", {written.units} kept at {min_confidence:g} or more"
        say(f"aligner: {len(doc.beads)} beads from {n} + {m} sentences{kept} -> {output} ({fmt})")
    if report is not None and not quiet:
        say(f"aligner: report -> {report}")


def load_pair(source: str, translation: str, src_lang: str | None, tgt_lang: str | None, encoding: str | None,
               presplit: bool):
    """Both sides of a two-file alignment. A language forced against what a text looks like
    is a warning; when it also leaves both sides in one language, it is folded into that
    error, so the user reads one line that says why."""
    import warnings

    from aligner.plumbing.errors import AlignerError, AlignerWarning
    from aligner.readers.load import AS_GIVEN, check_languages, load_text

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AlignerWarning)
        src = load_text(source, src_lang, encoding, presplit)
        tgt = load_text(translation, tgt_lang, encoding, presplit)
    forced = [w.message for w in caught if isinstance(w.message, AlignerWarning)]
    try:
        check_languages(src, tgt)
    except AlignerError as e:
        if forced:
            e.message += "".join(f" ({w.path}: {w.message.removesuffix(AS_GIVEN)})" for w in forced)
        raise
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return src, tgt
