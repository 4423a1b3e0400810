"""`aligner eval`: score beads against a gold alignment."""

from __future__ import annotations

import click

from aligner.cli.common import CONTEXT, EPILOG_EXIT


@click.command("eval", context_settings=CONTEXT, epilog=EPILOG_EXIT,
             short_help="Score an alignment against a gold one (strict and lax P/R/F1).")
@click.argument("gold", metavar="GOLD")
@click.argument("pred", metavar="PRED")
def eval_cmd(gold, pred) -> None:
    """Score predicted beads PRED against GOLD: strict and lax precision, recall and
    F1 over beads, as defined by Sennrich & Volk (2010) and computed by Vecalign's and
    Bertalign's scorers, so figures compare with published ones.

    GOLD and PRED are files of Vecalign beads, one '[0,1]:[2]' line per bead (0-based
    sentence indices, as written by 'aligner align --format vecalign'), or two folders
    of such files matched by file name; counts are summed over all files. '-' reads
    one of them from standard input. A gold file without beads is an error; an empty
    prediction, or one that scores far better with its sides swapped, gets a warning.

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
