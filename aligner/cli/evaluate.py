"""`aligner eval`: score beads against a gold alignment."""

from __future__ import annotations

import click

from aligner.cli.common import CONTEXT, EPILOG_ERRORS, input_size_option

# eval's own exit statuses (cli.common.EPILOG_EXIT is that of the commands that align)
EPILOG_EVAL = """\b
Exit status:
  0    success (a warning, if any, on standard error)
  1    bad data: binary or undecodable file, a line that is not a bead
       (or a JSONL line without src_idx and tgt_idx), a sentence in two
       beads (or twice in one), an empty bead []:[], a gold file without
       beads, a prediction with sentences gold does not have, a gold
       document of a batch without a prediction; or standard output cannot
       be written (e.g. a full disk)
  2    bad usage: unknown option, missing or unreadable file, a file against
       a folder, no prediction for a gold file, '-' for both
  130  interrupted (Ctrl-C)
  141  standard output closed early (e.g. piped into head)
  143  terminated (SIGTERM)

""" + EPILOG_ERRORS


@click.command("eval", context_settings=CONTEXT, epilog=EPILOG_EVAL,
             short_help="Score an alignment against a gold one (strict and lax P/R/F1).")
@click.argument("gold", metavar="GOLD")
@click.argument("pred", metavar="PRED")
@input_size_option
def eval_cmd(gold, pred) -> None:
    """Score predicted beads PRED against GOLD: strict and lax precision, recall and
    F1 over beads, as defined by Sennrich & Volk (2010) and computed by Vecalign's and
    Bertalign's scorers, so figures compare with published ones.

    GOLD and PRED are files of Vecalign beads, one '[0,1]:[2]' line per bead (0-based
    sentence indices, as written by 'aligner align --format vecalign'), or alignment
    JSONL (its src_idx and tgt_idx: what 'align -o x.jsonl' writes, and what the
    report's editor saves, so a gold can be made by correcting a report), or two
    folders of such files matched by file name; counts are summed over all files. A
    JSONL of a batch holds many documents, matched by name. '-' reads one of them
    from standard input. Each sentence may be in one bead only. Rows of a gold JSONL
    marked wrong are scored as they stand, with a warning.

    A prediction that names sentences gold does not have is an error: it was made on
    another sentence split, or with source and target swapped (the message says
    which). So is a gold file without beads. One that covers fewer sentences than
    gold is scored, with a warning giving both counts: made on another split, its
    beads can hardly match (align gold's sentence files with --presplit to keep its
    split). An empty prediction scores 0 with a warning; one that scores far better
    with source and target swapped is scored, with a warning.

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
    from aligner.plumbing.stdout import open_stdout

    table = score_paths(gold, pred).table()
    with open_stdout() as out:  # a full disk or device: one line naming <stdout>, exit 1
        out.write((table + "\n").encode("utf-8"))
