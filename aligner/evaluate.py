"""Score an alignment against a gold alignment: the metric behind `aligner eval`.

Sennrich & Volk (2010), exactly as implemented by Vecalign's `score.py` (and
copied into Bertalign's `eval.py`), so figures are comparable with published
ones; on Bertalign's published MAC-Dev output it gives strict P/R/F1
0.909/0.914/0.911 and lax 0.996/1.000/0.998, the published figures.

Precision looks at each distinct predicted bead (beads empty on both sides are
dropped): a strict hit if it equals a gold bead; otherwise a lax hit if one of
its source sentences is linked in gold to one of its target sentences. A
predicted 1-0 or 0-1 bead is therefore a hit only when gold has the very same
bead; otherwise it is a miss under both criteria (it links nothing).
Recall is precision with gold and prediction swapped, after removing from both
every bead with an empty side: unaligned sentences never cost recall.
P, R and F1 come from counts summed over all documents. Besides Vecalign's files it reads
alignment JSONL (`src_idx`, `tgt_idx`), as `align` writes it and the report's editor saves
it, so that a gold alignment can be made by correcting a report. Unlike Vecalign's scorer,
`read_alignment` refuses an empty bead []:[] and a sentence in two beads (or twice in
one): beads that overlap are not an alignment, and a repeated bead would count once.
"""

from __future__ import annotations

import codecs
import json
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from aligner.beads import Bead, claim_sentences, parse_bead
from aligner.plumbing.errors import AlignerError, AlignerWarning, InputUsageError
from aligner.plumbing.inputs import refusal
from aligner.readers.decode import STDIN, STDIN_NAME, UnknownEncoding, decode_bytes, read_bytes
from aligner.readers.jsonlines import json_objects
from aligner.summary import plural


@dataclass(frozen=True)
class Counts:
    """Hits among the beads under test: strict and lax, out of `total`."""

    strict: int = 0
    lax: int = 0
    total: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.strict + other.strict, self.lax + other.lax, self.total + other.total)


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0  # Vecalign's value_for_div_by_0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Scores:
    """Strict and lax precision, recall and F1, with the counts they come from."""

    strict_p: float
    strict_r: float
    strict_f: float
    lax_p: float
    lax_r: float
    lax_f: float
    precision_counts: Counts  # over predicted beads
    recall_counts: Counts  # over gold beads with both sides non-empty
    documents: int

    @classmethod
    def from_counts(cls, precision: Counts, recall: Counts, documents: int) -> Scores:
        sp, sr = _ratio(precision.strict, precision.total), _ratio(recall.strict, recall.total)
        lp, lr = _ratio(precision.lax, precision.total), _ratio(recall.lax, recall.total)
        return cls(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr), precision, recall, documents)

    def table(self, digits: int = 3) -> str:
        """A small plain-text table, e.g. for the terminal."""
        p, r = self.precision_counts, self.recall_counts
        rows = [
            ("", "P", "R", "F1"),
            ("strict", self.strict_p, self.strict_r, self.strict_f),
            ("lax", self.lax_p, self.lax_r, self.lax_f),
        ]
        lines = [
            f"{name:<7}" + "".join(f"{v:>{digits + 4}}" if isinstance(v, str) else f"{v:>{digits + 4}.{digits}f}" for v in vals)
            for name, *vals in rows
        ]
        lines.append(
            f"{self.documents} document(s); predicted beads {p.total} "
            f"(strict hits {p.strict}, lax {p.lax}); gold beads {r.total} "
            f"(strict hits {r.strict}, lax {r.lax})"
        )
        return "\n".join(lines)


def precision_counts(gold: list[Bead], pred: list[Bead]) -> Counts:
    """Vecalign's `_precision`: strict and lax hits among the distinct predicted beads."""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    pred_set = {(tuple(s), tuple(t)) for s, t in pred if s or t}
    linked: defaultdict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for i in src:
            linked[i].update(tgt)
    strict = lax = 0
    for src, tgt in pred_set:
        if (src, tgt) in gold_set:
            strict += 1
            lax += 1
        elif any(not linked[i].isdisjoint(tgt) for i in src if i in linked):
            lax += 1
    return Counts(strict, lax, len(pred_set))


def _both_sides(beads: list[Bead]) -> list[Bead]:
    return [b for b in beads if b[0] and b[1]]


def score(gold: list[list[Bead]], pred: list[list[Bead]]) -> Scores:
    """Scores summed over documents; gold[i] and pred[i] are the same document."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold documents but {len(pred)} predicted")
    p, r = Counts(), Counts()
    for g, t in zip(gold, pred):
        p += precision_counts(g, t)
        r += precision_counts(_both_sides(t), _both_sides(g))
    return Scores.from_counts(p, r, len(gold))


def read_alignment(path: str | Path) -> list[Bead]:
    """Beads of a Vecalign file ('[0,1]:[2]' a line; '-' is standard input) or of an
    alignment JSONL of one document; see `read_documents`."""
    documents = read_documents(path).documents
    if len(documents) > 1:
        raise AlignerError(f"{len(documents)} documents in one file, where one was expected",
                           STDIN_NAME if str(path) == STDIN else str(path))
    return documents[0][1]


@dataclass(frozen=True)
class AlignmentFile:
    """What an alignment file holds: its documents, each (name or None, beads), and how
    many of its rows a reviewer marked wrong (a JSONL's `status`)."""

    documents: list[tuple[str | None, list[Bead]]]
    wrong: int = 0


def read_documents(path: str | Path) -> AlignmentFile:
    """The documents of an alignment file ('-' is standard input), each (name, beads): a
    Vecalign file ('[0,1]:[2]' a line, blank lines skipped) is one unnamed document; an
    alignment JSONL (a line per bead with `src_idx` and `tgt_idx`, as `align -o x.jsonl`
    and the report's editor write it) one document per `document` name, in order of
    first appearance. The file is decoded as every input file is (a byte-order mark,
    UTF-16), with the same one-line errors for a binary or undecodable one; an empty
    file is one document without beads."""
    name = STDIN_NAME if str(path) == STDIN else str(path)
    data = read_bytes(str(path))  # the errors and size cap of every input file ('-': standard input)
    try:
        text = decode_bytes(data, name) if data.removeprefix(codecs.BOM_UTF8).strip() else ""
    except UnknownEncoding as e:  # eval has no --encoding: aligner writes beads in ASCII
        raise e.with_hint("beads are ASCII text, '[0,1]:[2]' a line") from None
    if text.lstrip().startswith("{"):
        return _jsonl_documents(text, name)
    beads = []
    lines: tuple[dict[int, int], dict[int, int]] = ({}, {})  # each side: sentence -> line of its bead
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            bead = parse_bead(line)
            _check_overlap(bead, number, lines)
        except ValueError as e:
            raise AlignerError(f"line {number}: {e}", path=name) from e
        beads.append(bead)
    return AlignmentFile([(None, beads)])


def _jsonl_documents(text: str, name: str) -> AlignmentFile:
    """The beads of an alignment JSONL by document. A line marked `"status": "wrong"` is
    scored as it stands, with a warning when it is in the gold (`score_paths`); a row of
    text the translation added (type 'added': a glossary, in no bead) is no bead."""
    from aligner.writers.jsonl import ADDED_TYPE

    documents: dict[str | None, list[Bead]] = {}
    claimed: dict[str | None, tuple[dict[int, int], dict[int, int]]] = {}
    wrong = 0
    for number, record in json_objects(text, name, "src_idx and tgt_idx"):
        if record.get("type") == ADDED_TYPE:  # text the translation added (a glossary): in no bead
            continue
        bead = tuple(_json_side(record, key, number, name) for key in ("src_idx", "tgt_idx"))
        document = record.get("document")
        document = None if document is None else str(document)
        try:
            _check_overlap(bead, number, claimed.setdefault(document, ({}, {})))
        except ValueError as e:
            raise AlignerError(f"line {number}: {e}", path=name) from e
        documents.setdefault(document, []).append(bead)
        wrong += str(record.get("status") or "").strip().lower() == "wrong"
    if not documents:
        documents[None] = []
    return AlignmentFile(list(documents.items()), wrong)


def _json_side(record: dict, key: str, number: int, name: str) -> tuple[int, ...]:
    value = record.get(key)
    if value is None:
        raise AlignerError(f"line {number}: no {key}: eval needs each line's sentence indices (a table converted "
                           "from a TSV has none)", path=name)
    if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in value):
        raise AlignerError(f"line {number}: '{key}' must be a list of sentence indices, not {json.dumps(value)[:40]}",
                           path=name)
    return tuple(value)


def _check_overlap(bead: Bead, number: int, lines: tuple[dict[int, int], dict[int, int]]) -> None:
    """Refuse a bead that is empty or has a sentence twice, or a sentence of an earlier
    bead (whose line `lines` gives); then record its sentences as on line `number`.
    Out of order and non-adjacent sentences are allowed, as Vecalign's scorer allows them."""
    if not bead[0] and not bead[1]:
        raise ValueError("empty bead []:[]")
    claim_sentences(bead, number, lines)


def _check_same_sentences(gold: list[Bead], pred: list[Bead], pred_path: str) -> None:
    """Refuse a prediction that mentions sentences gold does not have.

    Such a prediction was made on a different sentence split, and its score
    would mean nothing. Gaps (a filtered alignment) are allowed: they only cost recall.
    """
    beyond = _beyond_gold(gold, pred)
    if beyond:
        name, pred_max, gold_max = beyond
        hint = ("; with source and target swapped it fits: was one aligned in the other direction?"
                if not _beyond_gold(gold, _swapped(pred)) else "; were both made on the same sentence split?")
        gold_end = f"which has no {name} sentences" if gold_max < 0 else f"which ends at {gold_max}"
        raise AlignerError(f"{name} sentence {pred_max} is not in the gold alignment ({gold_end}){hint}",
                           path=pred_path)


def _warn_other_split(gold: list[Bead], pred: list[Bead], pred_path: str) -> None:
    """Warn when the prediction covers fewer sentences than gold on a side (it cannot cover
    more: `_check_same_sentences`): it was most likely made on another sentence split, and
    its beads can hardly match gold's, whatever the alignment."""
    short = []
    for side, name in ((0, "source"), (1, "target")):
        gold_count, pred_count = _last(gold, side) + 1, _last(pred, side) + 1
        if pred_count and pred_count < gold_count:
            short.append((name, pred_count, gold_count))
    if short:
        counts = " and ".join(f"{plural(p, name + ' sentence')} (gold {g})" for name, p, g in short)
        warnings.warn(AlignerWarning(
            f"the prediction covers {counts}: if it was made on another sentence split, few of its beads can "
            "match gold's; align the gold's own sentence files (one a line) with --presplit to keep its split "
            "(--presplit on files of paragraphs takes each paragraph for a sentence)", pred_path))


def _beyond_gold(gold: list[Bead], pred: list[Bead]) -> tuple[str, int, int] | None:
    """(side, highest predicted index, gold's highest) for the first side where the
    prediction goes past gold; None when it stays within."""
    for side, name in ((0, "source"), (1, "target")):
        gold_max, pred_max = _last(gold, side), _last(pred, side)
        if pred_max > gold_max:
            return name, pred_max, gold_max
    return None


def _last(beads: list[Bead], side: int) -> int:
    """The highest sentence index on one side (0 source, 1 target) of `beads`; -1 for none."""
    return max((i for b in beads for i in b[side]), default=-1)


def _swapped(beads: list[Bead]) -> list[Bead]:
    return [(t, s) for s, t in beads]


def _is_file(p: str) -> bool:
    """A file to read: '-' (standard input), a regular file, or a pipe such as bash's
    process substitution `<(...)` (/dev/fd/63)."""
    return p == STDIN or (Path(p).exists() and not Path(p).is_dir())


def _pair_files(gold: str, pred: str) -> list[tuple[str, str]]:
    if gold == pred == STDIN:
        raise InputUsageError("standard input ('-') can be given for one file only", path=STDIN)
    if _is_file(gold) and _is_file(pred):
        return [(gold, pred)]
    g, p = Path(gold), Path(pred)
    if g.is_dir() and p.is_dir():
        gold_files = sorted(f for f in g.iterdir() if f.is_file() and not f.name.startswith("."))
        if not gold_files:
            raise InputUsageError("no gold alignment files in folder", path=gold)
        missing = [f.name for f in gold_files if not (p / f.name).is_file()]
        if missing:
            raise InputUsageError(
                f"no prediction for gold file(s): {', '.join(missing)}", path=pred
            )
        for f in gold_files:  # files a folder holds, as a batch's folder scan reads them
            for folder, path in ((gold, f), (pred, p / f.name)):
                problem = refusal(str(path), folder)
                if problem is not None:
                    raise InputUsageError(f"not read: {problem}", path=str(path))
        return [(str(f), str(p / f.name)) for f in gold_files]
    for path in (gold, pred):
        if path != STDIN and not Path(path).exists():
            raise InputUsageError("no such file or folder", path=path)
    raise InputUsageError("gold and prediction must both be files or both be folders", path=pred)


def score_paths(gold: str | Path, pred: str | Path) -> Scores:
    """Score a predicted alignment file (or folder, matched by file name) against gold;
    '-' reads one of them from standard input. Files are Vecalign beads or alignment
    JSONL; in a JSONL of a batch the documents are matched by name.

    A gold file without beads is an error; a prediction without beads scores 0 with a
    warning, and so does one that scores far better with its sides swapped."""
    golds, preds = [], []
    for gold_file, pred_file in _pair_files(str(gold), str(pred)):
        gold_read, pred_read = read_documents(gold_file), read_documents(pred_file)
        gold_file_name = STDIN_NAME if gold_file == STDIN else gold_file
        pred_file_name = STDIN_NAME if pred_file == STDIN else pred_file
        if gold_read.wrong:
            warnings.warn(AlignerWarning(
                f"{plural(gold_read.wrong, 'row')} of the gold marked wrong, scored as they stand: a gold "
                "alignment has every row right", gold_file_name))
        for document, g, t in _pair_documents(gold_read, pred_read, gold_file_name, pred_file_name):
            pred_name = _named(pred_file_name, document)
            if not g:
                raise AlignerError("no beads in the gold alignment: nothing to score against",
                                   path=_named(gold_file_name, document))
            if not t:
                warnings.warn(AlignerWarning("no beads in the prediction: it scores 0", pred_name))
            _check_same_sentences(g, t, pred_name)
            _warn_other_split(g, t, pred_name)
            golds.append(g)
            preds.append(t)
    scores = score(golds, preds)
    swapped = score(golds, [_swapped(t) for t in preds])
    if swapped.strict_f >= max(2 * scores.strict_f, 0.5):
        warnings.warn(AlignerWarning(
            f"it scores far better with source and target swapped (strict F1 {swapped.strict_f:.3f} "
            f"against {scores.strict_f:.3f}): was one aligned in the other direction?",
            STDIN_NAME if str(pred) == STDIN else str(pred)))
    return scores


def _named(path: str, document: str | None) -> str:
    """How messages name a file, or a document of a batch's JSONL: 'pairs.jsonl [a/001.txt]'."""
    return path if document is None else f"{path} [{document}]"


def _pair_documents(gold: AlignmentFile, pred: AlignmentFile, gold_name: str,
                    pred_name: str) -> list[tuple[str | None, list[Bead], list[Bead]]]:
    """Gold's documents, each with its prediction: (name, gold beads, predicted beads).
    One document against one is a pair whatever their names (a Vecalign file has none);
    a batch's documents are matched by name, and a gold document without a prediction is
    an error, as a gold file without one is in folders."""
    if len(gold.documents) == 1 and len(pred.documents) == 1:
        (gold_doc, g), (pred_doc, t) = gold.documents[0], pred.documents[0]
        if gold_doc is None or pred_doc is None or gold_doc == pred_doc:
            return [(gold_doc if gold_doc is not None else pred_doc, g, t)]
    predicted = dict(pred.documents)
    if None in predicted or any(name is None for name, _ in gold.documents):
        unnamed = pred_name if None in predicted else gold_name
        raise AlignerError(f"{plural(len(gold.documents), 'gold document')} against "
                           f"{plural(len(pred.documents), 'predicted document')}, and one has no name to match it "
                           "by (a batch's JSONL names each line's document)", unnamed)
    missing = [name for name, _ in gold.documents if name not in predicted]
    if missing:
        shown = ", ".join(missing[:3]) + (", ..." if len(missing) > 3 else "")
        raise AlignerError(f"no prediction for {plural(len(missing), 'gold document')}: {shown}", pred_name)
    extra = len(predicted) - len(gold.documents)
    if extra:
        warnings.warn(AlignerWarning(f"{plural(extra, 'document')} not in the gold left unscored", pred_name))
    return [(name, g, predicted[name]) for name, g in gold.documents]
