"""`aligner batch`: many documents in, one merged output, in parallel, resumable."""

from __future__ import annotations

import os

import click

from aligner.cli.common import (
    CONTEXT, check_embedding, check_output, check_side_outputs, embedding_options, evidence_options, input_size_option,
    quiet_option, reading_options, report_options, say,
)
from aligner.plumbing.errors import AlignerError, InputUsageError
from aligner.readers.decode import STDIN
from aligner.summary import plural
from aligner.writers import EXTENSIONS, FORMATS, WRITERS

MERGEABLE = tuple(f for f in FORMATS if WRITERS[f].mergeable)
# the first extension of each format batch writes, for -o's help: .tmx, .tsv, .jsonl, ...
MERGEABLE_EXTENSIONS = ", ".join(next(e for e, f in EXTENSIONS.items() if f == fmt) for fmt in MERGEABLE)

EPILOG_BATCH = """\b
Exit status:
  0    at least one document aligned (failed ones are rows of the summary)
  1    no document aligned; or, with --strict, any document failed; or the
       Dask scheduler was lost mid-batch (rerun to resume)
  2    bad usage: unknown option, missing input, bad pairs list (the line is
       named; a path outside the list's folder without --pairs-root), two
       documents with one name or one document given twice, an output that
       is an input, output folder missing, state file written with other
       options or damaged (the line is named), TLS files that cannot be used
  130  interrupted (Ctrl-C): outputs left as they were; rerun to resume
  143  terminated (SIGTERM): the same"""


@click.command(context_settings=CONTEXT, epilog=EPILOG_BATCH,
               short_help="Align many documents into one merged output, in parallel, resumable.")
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option("-o", "--output", required=True, metavar="PATH", help=f"The merged output file ({MERGEABLE_EXTENSIONS}), replaced only when the batch is complete. Beside it: PATH.state.jsonl (what is done) and, with --min-confidence, PATH.rejects.tsv.")
@click.option("-f", "--format", "fmt", type=click.Choice(MERGEABLE), help="Output format; overrides the extension of -o.")
@click.option("--pairs", metavar="LIST", help="A TSV file of two-file documents: source<TAB>translation[<TAB>id] a line, paths relative to the list's folder and inside it (see --pairs-root).")
@click.option("--pairs-root", metavar="FOLDER", help="Let the paths of --pairs lead anywhere inside FOLDER (default: the list's folder; '/' for anywhere). A list that came with an archive cannot read files outside it unless you say so.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N", help="Worker processes (default: the CPUs this process may use; never more than the documents to align, nor 4 per CPU).")
@click.option("--scheduler", metavar="ADDRESS", help="Send the documents to the workers of a running Dask cluster, e.g. tcp://10.0.0.5:8786 or tls://... (pip install 'zh-en-aligner[dask]'); --jobs is then ignored. The scheduler can run code in this process (Dask's model): use only one you trust, over TLS across a network.")
@click.option("--tls-ca-file", type=click.Path(exists=True, dir_okay=False), metavar="FILE", help="With a tls:// --scheduler: the certificate authority that signed the scheduler's certificate (PEM).")
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False), metavar="FILE", help="With a tls:// --scheduler: this client's certificate (PEM; it may hold the key too).")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False), metavar="FILE", help="With a tls:// --scheduler: the key of --tls-cert, when it is a file of its own.")
@click.option("--restart", is_flag=True, help="Ignore the state file of an earlier run: align every document again.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any document failed (default: 0 if at least one was aligned).")
@reading_options
@evidence_options
@embedding_options
@report_options
@quiet_option
@input_size_option
def batch(inputs, output, fmt, pairs, pairs_root, jobs, scheduler, tls_ca_file, tls_cert, tls_key, restart, strict, presplit, src_lang, tgt_lang, encoding,
          evidence, embed, threads, summary, min_confidence, quiet) -> None:
    """Align every document of INPUT... into one output.

    INPUT is a folder, searched recursively for bilingual articles (*.txt or *.md,
    as for 'aligner align ARTICLE'; hidden files are skipped), or an article file
    (text, .docx or .html); --pairs adds two-file documents (each file text, .docx
    or .html). Documents are aligned in parallel and written in input order (each
    folder's files sorted by path), so every run gives the same file.

    \b
    In the output each pair names its document: TMX units have an x-document
    property (the path relative to its folder, or the pairs list's id) and the
    article's metadata (x-title, x-date, ...) and run-on tuids; TSV has the
    document as a 4th column; JSONL a "document" field; XLSX a document column;
    the HTML report a section per document, with an index.

    A document that cannot be aligned (binary, undecodable, a PDF, not bilingual,
    empty side, larger than --max-input-size) is a 'failed' row of the --summary
    table and the batch goes on; so is a file a folder holds that is not read: a
    link out of the folder, a device, a FIFO. Finished
    documents are recorded in OUTPUT.state.jsonl as they finish: after Ctrl-C, kill
    or a power cut, the same command skips them and writes exactly the output an
    uninterrupted run would have written (a file is done when its content hashes the
    same).

    A Dask scheduler can run code in this process (Dask's model): use only one you
    trust, and over a network a tls:// address with the --tls-* options.

    \b
    Examples:
      aligner batch archive/ -o archive.tmx --summary archive.tsv
      aligner batch a.txt b.txt --pairs books.tsv -o all.jsonl --jobs 4
      aligner batch archive/ -o archive.tmx --scheduler tcp://scheduler:8786
    """
    from aligner.batch.inputs import check_outputs, find_documents
    from aligner.batch.job import Settings, check_article_names
    from aligner.batch.state import holds_records, state_path
    from aligner.options import AlignOptions
    from aligner.plumbing.process import usable_cpus
    from aligner.writers import format_for_path

    if not inputs and pairs is None:
        raise click.UsageError("give at least one INPUT folder or file, or --pairs LIST")
    if STDIN in inputs:
        raise InputUsageError(f"batch does not read documents from standard input ({STDIN!r}): "
                              "give article files or folders, or --pairs LIST")
    if output == STDIN:
        raise InputUsageError("batch output must be a file (its state file goes beside it)", output)
    if (src_lang or tgt_lang) and pairs is None:
        raise InputUsageError("--src-lang/--tgt-lang apply to --pairs documents; an article is Chinese to English")
    tls = None
    if scheduler is not None:
        from aligner.batch.executors import check_scheduler_address

        check_scheduler_address(scheduler)
    if tls_ca_file or tls_cert or tls_key:
        from aligner.batch.executors import Tls

        if scheduler is None or not scheduler.startswith("tls://"):
            raise InputUsageError("--tls-ca-file, --tls-cert and --tls-key apply to a --scheduler tls://... address")
        if not (tls_ca_file and tls_cert):
            raise InputUsageError("TLS needs --tls-ca-file (who signed the scheduler's certificate) and --tls-cert "
                                  "(this client's certificate, which Dask's servers ask for)")
        tls = Tls(tls_ca_file, tls_cert, tls_key)
    fmt = format_for_path(output, fmt)
    if fmt not in MERGEABLE:
        raise InputUsageError(f"{fmt} output holds one document; choose one of {', '.join(MERGEABLE)}", output)
    check_output(output, list(inputs))
    side = check_side_outputs(output, fmt, summary, min_confidence, list(inputs))
    check_output(state_path(output), list(inputs))
    if pairs_root is not None:
        if pairs is None:
            raise InputUsageError("--pairs-root applies to the paths of --pairs LIST")
        if not os.path.isdir(pairs_root):
            raise InputUsageError("is not a folder (--pairs-root)", pairs_root)
    documents = find_documents(list(inputs), pairs, pairs_root)
    check_article_names(documents, encoding)
    check_outputs([*side, state_path(output)], list(inputs), pairs, documents)

    from aligner.batch.run import Batch, run_batch
    from aligner.plumbing.progress import progress

    check_embedding(embed, threads)
    options = AlignOptions(**evidence, parallel=False, embed=embed, threads=threads)
    settings = Settings(options, encoding, presplit, src_lang, tgt_lang)
    job = Batch(documents, settings, output, fmt, jobs or usable_cpus(), scheduler, summary, min_confidence, restart,
                tls)
    try:
        totals = run_batch(job, lambda total, done: progress(total, "doc", quiet, done))
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (Terminated)
        if holds_records(state_path(output)):
            say(f"aligner: finished documents are kept in {state_path(output)}; run the same command again to go on")
        else:
            say("aligner: no document had finished: there is nothing to resume")
        raise
    if not quiet:
        for failure in totals.failures:
            say(f"aligner: failed: {failure}")
        if totals.failed > len(totals.failures):
            say(f"aligner: ... {totals.failed - len(totals.failures)} more failed"
                + (f" (see {summary})" if summary else " (--summary lists them)"))
        say(f"aligner: {summary_line(totals)}" + (f" -> {output}" if totals.aligned else ""))
    if totals.aligned == 0:
        none = "the document could not" if totals.documents == 1 else f"none of the {totals.documents} documents could"
        raise AlignerError(f"{none} be aligned; {output} is left as it was")
    if strict and totals.failed:
        raise AlignerError(f"{totals.failed} of {plural(totals.documents, 'document')} failed (--strict)")


def summary_line(totals) -> str:
    """'2000 documents (120 done by an earlier run): 1990 ok, 6 partial, 2 suspect, 2 failed; 31234 units;
    412 source and 15 target sentences left unpaired in 120 documents'. Every count is of
    documents as the summary table has them (an input file of several articles is several),
    and those done by an earlier run are among the ok and failed ones."""
    resumed = f" ({totals.resumed} done by an earlier run)" if totals.resumed else ""
    statuses = "".join(f", {count} {name}" for name, count in (("partial", totals.partial), ("suspect", totals.suspect))
                       if count)
    parts = [f"{plural(totals.documents, 'document')}{resumed}: {totals.ok} ok{statuses}, {totals.failed} failed",
             plural(totals.units, "unit")]
    if totals.rejected:
        parts[-1] += f" ({plural(totals.rejected, 'pair')} to the rejects file)"
    if totals.incomplete:
        parts.append(f"{totals.src_unpaired} source and {plural(totals.tgt_unpaired, 'target sentence')} left unpaired "
                     f"in {plural(totals.incomplete, 'document')}")
    return "; ".join(parts)
