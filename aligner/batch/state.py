"""The state file of a batch (OUTPUT.state.jsonl): what is finished, so that a rerun after
Ctrl-C, kill -9 or a power cut skips it and writes the same output.

One JSON object a line. The first line names the settings (their fingerprint: a state
written with other settings is refused) and the batch's creation time (written into the
output's header, so a resumed run's output equals an uninterrupted one's). Then one line per
finished document, appended and flushed as each finishes: its name, its files' paths and
stamps (a hash of each file's content: a file changed since is aligned again), its summary
row and the aligned document itself, from which the rerun writes its part of the merged
output. A line cut short by a crash (no line end, or not JSON) is dropped, with any after
it, when the file is opened again; a line that is JSON but not a record of this shape is
an error naming the line (the file was edited or is not ours), not a crash: every field is
checked (types, sentence indices within their texts, one finite score in [0, 1] per bead)
before anything of it is written. A later line for the same name wins.

The file sits beside the output's real file (`state_path`: symbolic links followed), so
the lock that keeps a second batch off an output holds however the output is named.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import IO, Any

from aligner.batch.job import Outcome, Part, Stamp
from aligner.document import AlignedDocument, Text
from aligner.plumbing.errors import InputUsageError, json_kind
from aligner.summary import ALIGNED, DocumentSummary

# 2: stamps are content hashes (1 had size and modification time)
FORMAT = 2
STATE_SUFFIX = ".state.jsonl"
# fsync at most this often (seconds): a power cut then costs at most this much work, and
# 30 documents a second do not each wait for the disk (the flush per document is enough
# for Ctrl-C and kill -9).
SYNC_EVERY = 1.0


def state_path(output: str) -> str:
    """OUTPUT.state.jsonl beside the output's real file: a batch writing to a symbolic link
    and one writing to its target share one state file, and so one lock (each had its
    own, and the second deleted the first's temporary output)."""
    return (os.path.realpath(output) if os.path.islink(output) else output) + STATE_SUFFIX


@dataclass(frozen=True)
class Entry:
    """Where a finished document's line is, and what its files were."""

    offset: int
    paths: tuple[str, ...]
    stamps: tuple[Stamp, ...]
    line: int = 0  # its line number, for errors
    aligned: bool = True  # any of its parts 'ok' (not a failure only)


class StateFile:
    """The state file of one batch, open for appending (and locked against a second batch
    writing the same output)."""

    def __init__(self, path: str, fingerprint: str, restart: bool = False):
        self.path = path
        self.entries: dict[str, Entry] = {}
        self._fh = _open_locked(path)
        self._reader: IO[bytes] | None = None
        self._synced = time.monotonic()
        self._lines = 0
        try:
            header = None if restart else self._load(fingerprint)
        except BaseException:  # a damaged file (or Ctrl-C while reading it): not left locked
            self._release()
            raise
        if header is None:
            self._fh.seek(0)
            self._fh.truncate()
            self.entries.clear()
            self.created = datetime.now(timezone.utc).replace(microsecond=0)
            self._append({"aligner-batch-state": FORMAT, "fingerprint": fingerprint, "created": self.created.isoformat()})
            self._lines = 1
        else:
            self.created = datetime.fromisoformat(header["created"])

    def _load(self, fingerprint: str) -> dict | None:
        """Read the index of finished documents; None when the file is new or empty.
        What a crash left cut short at the end is cut off; a line of another shape is an
        InputUsageError naming it."""
        self._fh.seek(0)
        header, good_end, offset = None, 0, 0
        for number, line in enumerate(self._fh, 1):
            try:
                record = json.loads(line) if line.endswith(b"\n") else _CUT
            except ValueError:
                record = _CUT
            if record is _CUT:
                break
            if header is None:
                header = self._check_header(record, fingerprint)
            else:
                where = f"{self.path}:{number}"
                name, paths, stamps, parts = _check_record(record, where)
                self.entries[name] = Entry(offset, paths, stamps, number, _any_ok(parts))
            offset += len(line)
            good_end = offset
            self._lines = number
        self._fh.seek(good_end)
        self._fh.truncate()
        return header

    def _check_header(self, record: Any, fingerprint: str) -> dict:
        if not isinstance(record, dict) or record.get("aligner-batch-state") != FORMAT:
            raise InputUsageError("is not a state file of this aligner version; remove it or use --restart", self.path)
        if record.get("fingerprint") != fingerprint:
            raise InputUsageError(f"was written with other settings ({_difference(str(record.get('fingerprint', '')), fingerprint)}); "
                                  "rerun with the same options, or with --restart to start over", self.path)
        try:
            datetime.fromisoformat(record["created"])
        except (KeyError, TypeError, ValueError):
            raise InputUsageError("damaged state header (no valid 'created' time); rerun with --restart to start over",
                                  f"{self.path}:1") from None
        return record

    def finished(self, name: str, paths: tuple[str, ...], stamps: tuple[Stamp, ...]) -> bool:
        """Whether the document is done already, from these very files."""
        entry = self.entries.get(name)
        return entry is not None and entry.paths == paths and entry.stamps == stamps

    def record(self, outcome: Outcome) -> None:
        """Append a finished document (flushed now, on disk within SYNC_EVERY seconds)."""
        offset = self._fh.tell()
        document = outcome.document
        self._append({
            "name": document.name,
            "paths": list(document.paths),
            "stamps": list(outcome.stamps),
            "parts": [{"summary": asdict(p.summary), "doc": None if p.doc is None else doc_to_json(p.doc)}
                      for p in outcome.parts],
        })
        self._lines += 1
        self.entries[document.name] = Entry(offset, document.paths, outcome.stamps, self._lines, _any_ok(outcome.parts))

    @property
    def aligned(self) -> bool:
        """Whether a document recorded here was aligned: failures alone are not worth
        keeping (a rerun skips them, failing them again, unless their files changed)."""
        return any(entry.aligned for entry in self.entries.values())

    def load(self, index: int, name: str) -> Outcome:
        """The finished document `name` as recorded, as the Outcome of input number `index`."""
        from aligner.batch.inputs import Document

        if self._reader is None:
            self._reader = open(self.path, "rb")
        entry = self.entries[name]
        self._reader.seek(entry.offset)
        try:
            record = json.loads(self._reader.readline())
        except ValueError:
            record = None
        _, paths, stamps, parts = _check_record(record, f"{self.path}:{entry.line}")
        document = Document(name, paths[0], paths[1] if len(paths) > 1 else None)
        return Outcome(index, document, parts, stamps)

    def _append(self, record: dict) -> None:
        line = json.dumps(record, ensure_ascii=False)
        try:
            data = line.encode("utf-8")
        except UnicodeEncodeError:  # a path that is not UTF-8 (surrogate escapes): as JSON escapes
            data = json.dumps(record).encode("ascii")
        self._fh.write(data + b"\n")
        self._fh.flush()
        if time.monotonic() - self._synced >= SYNC_EVERY:
            self.sync()

    def sync(self) -> None:
        os.fsync(self._fh.fileno())
        self._synced = time.monotonic()

    def close(self, remove: bool = False) -> None:
        """Close the file and release its lock; `remove`: delete it first (while locked,
        so that no other batch has it open to write)."""
        if self._reader is not None:
            self._reader.close()
        if not self._fh.closed:
            if remove:
                try:
                    os.unlink(self.path)
                except OSError:
                    pass
            else:
                self.sync()
            self._release()

    def _release(self) -> None:
        _LOCKED.discard(self._fh.fileno())
        self._fh.close()  # releases the lock


_CUT = object()  # a line a crash cut short


def _check_record(record: Any, where: str) -> tuple[str, tuple[str, ...], tuple[Stamp, ...], list[Part]]:
    """A finished document's line, checked and read: its name, paths, stamps and parts.
    Anything else is an InputUsageError naming the line (`where`: 'PATH:LINE')."""
    def damaged(problem: str) -> InputUsageError:
        return InputUsageError(f"damaged state record ({problem}); rerun with --restart to align every document again", where)

    if not isinstance(record, dict):
        raise damaged(f"a JSON {json_kind(record)}, not an object")
    for key in ("name", "paths", "stamps", "parts"):
        if key not in record:
            raise damaged(f"no {key!r}")
    name, paths, stamps, parts = record["name"], record["paths"], record["stamps"], record["parts"]
    if not isinstance(name, str) or not name:
        raise damaged("'name' is not a document name")
    if not (isinstance(paths, list) and len(paths) in (1, 2) and all(isinstance(p, str) and p for p in paths)):
        raise damaged("'paths' is not a list of one or two paths")
    if not (isinstance(stamps, list) and len(stamps) in (0, len(paths))
            and all(isinstance(s, str) and _HASH.fullmatch(s) for s in stamps)):
        raise damaged("'stamps' is not a content hash for each path")
    if not (isinstance(parts, list) and parts):
        raise damaged("'parts' is not a list of aligned documents")
    read = []
    for number, part in enumerate(parts, 1):
        if not (isinstance(part, dict) and set(part) == {"summary", "doc"}):
            raise damaged(f"part {number} is not a summary and an aligned document")
        try:
            summary = summary_from_json(part["summary"])
            doc = None if part["doc"] is None else doc_from_json(part["doc"])
        except ValueError as e:
            raise damaged(f"part {number}: {e}") from None
        if summary.aligned != (doc is not None):
            raise damaged(f"part {number}: its status {summary.status!r} does not match its document")
        read.append(Part(summary, doc))
    return name, tuple(paths), tuple(stamps), read


def _any_ok(parts: list[Part]) -> bool:
    return any(part.summary.aligned for part in parts)


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


_HASH = re.compile(r"[0-9a-f]{32}")


def holds_records(path: str) -> bool:
    """Whether the state file `path` exists and records a finished document (a whole line
    after its header)."""
    try:
        with open(path, "rb") as fh:
            return fh.readline().endswith(b"\n") and fh.readline().endswith(b"\n")
    except OSError:
        return False


def _open_locked(path: str) -> IO[bytes]:
    """Open (or create) the state file for reading and appending, locked: two batches
    writing one output would interleave their records."""
    try:
        fh = open(path, "a+b")
    except OSError as e:
        raise InputUsageError(f"cannot open the state file: {e.strerror or e}", path) from None
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one batch per output is then up to the user
        return fh
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise InputUsageError("is in use by another aligner batch writing the same output", path) from None
    _LOCKED.add(fh.fileno())
    return fh


# Locked state files of this process. A forked pool worker gets a copy of each descriptor,
# and a lock lasts while any copy is open: after kill -9 of the batch its workers (which
# leave within a second) would still hold it, and the rerun be refused. Forked children
# close their copies at once.
_LOCKED: set[int] = set()


def _close_locked_in_child() -> None:
    # /dev/null over the descriptor rather than closing it: the number stays taken, so
    # the child's copy of the file object can never close something else opened later
    if not _LOCKED:
        return
    devnull = os.open(os.devnull, os.O_RDONLY)
    for fd in _LOCKED:
        try:
            os.dup2(devnull, fd)
        except OSError:
            pass
    os.close(devnull)
    _LOCKED.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_locked_in_child)


def _difference(old: str, new: str) -> str:
    """The first piece of two fingerprints that differs: 'evidence:length+... now evidence:...'."""
    for a, b in zip(old.split("|"), new.split("|")):
        if a != b:
            return f"{a} then, {b} now"
    return "different settings"


def doc_to_json(doc: AlignedDocument) -> dict[str, Any]:
    return {
        "src": asdict(doc.src),
        "tgt": asdict(doc.tgt),
        "beads": [[list(s), list(t)] for s, t in doc.beads],
        "scores": [float(x) for x in doc.scores],
        "metadata": doc.metadata,
        "signature": doc.signature,
        "notes": doc.notes,
        "status": None if doc.status is None else asdict(doc.status),
    }


def doc_from_json(data: Any) -> AlignedDocument:
    """The aligned document a record holds, every field checked: ValueError saying what is
    wrong (a hand-edited NaN score, a short list of scores, a negative or too large index,
    a field of the wrong type), so that nothing damaged reaches a writer."""
    from aligner.document import DocumentStatus

    _fields(data, "the document", ("src", "tgt", "beads", "scores", "metadata", "signature", "notes", "status"))
    src, tgt = _text_from_json(data["src"], "src"), _text_from_json(data["tgt"], "tgt")
    beads, scores = data["beads"], data["scores"]
    if not isinstance(beads, list):
        raise ValueError("'beads' is not a list")
    if not (isinstance(scores, list) and len(scores) == len(beads)):
        raise ValueError(f"'scores' is not a list of one score per bead ({len(beads)})")
    sizes = (len(src.sentences), len(tgt.sentences))
    read = []
    for bead in beads:
        if not (isinstance(bead, list) and len(bead) == 2 and all(isinstance(side, list) for side in bead)
                and all(_is_int(i) and 0 <= i < size for side, size in zip(bead, sizes) for i in side)):
            raise ValueError(f"bead {json.dumps(bead)[:40]} is not two lists of sentence indices of its texts "
                             f"({sizes[0]} and {sizes[1]} sentences)")
        read.append((tuple(bead[0]), tuple(bead[1])))
    for score in scores:
        if not _is_score(score):
            raise ValueError(f"score {json.dumps(score)[:40]} is not a number from 0 to 1")
    notes, status = data["notes"], data["status"]
    if not (isinstance(notes, list) and len(notes) <= len(beads) and all(isinstance(n, str) for n in notes)):
        raise ValueError("'notes' is not a list of at most one note per bead")
    if status is not None:
        _fields(status, "'status'", ("status", "message", "covered", "evidence"))
        if status["status"] not in ALIGNED or not isinstance(status["message"], str) or not all(
                isinstance(status[k], (int, float)) and not isinstance(status[k], bool) for k in ("covered", "evidence")):
            raise ValueError(f"'status' is not one of {', '.join(ALIGNED)} with its message and figures")
        status = DocumentStatus(**status)
    return AlignedDocument(src, tgt, read, [float(x) for x in scores], _strings(data["metadata"], "metadata"),
                           _string(data["signature"], "signature"), notes=notes, status=status)


def summary_from_json(data: Any) -> DocumentSummary:
    """A part's summary row, checked as doc_from_json checks its document."""
    from dataclasses import fields

    names = tuple(f.name for f in fields(DocumentSummary))
    _fields(data, "the summary", names)
    for name in ("document", "status", "message"):
        _string(data[name], name)
    if data["status"] not in (*ALIGNED, "failed"):
        raise ValueError(f"status {json.dumps(data['status'])[:40]} is not one of {', '.join(ALIGNED)}, failed")
    for name in ("src_sentences", "tgt_sentences", "units", "src_unpaired", "tgt_unpaired", "added", "flagged"):
        if not (_is_int(data[name]) and data[name] >= 0):
            raise ValueError(f"'{name}' is not a count")
    if data["mean_confidence"] is not None and not _is_score(data["mean_confidence"]):
        raise ValueError("'mean_confidence' is not a number from 0 to 1")
    return DocumentSummary(**data)


def _fields(data: Any, what: str, names: tuple[str, ...]) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"{what} is a JSON {json_kind(data)}, not an object")
    if set(data) != set(names):
        raise ValueError(f"{what} has fields {', '.join(sorted(map(str, data)))}, not {', '.join(names)}")


def _text_from_json(data: Any, side: str) -> Text:
    _fields(data, f"'{side}'", ("lang", "paragraphs", "path", "metadata", "added", "solo"))
    paragraphs, added, solo = data["paragraphs"], data["added"], data["solo"]
    if not (isinstance(paragraphs, list) and all(isinstance(p, list) and all(isinstance(x, str) for x in p)
                                                  for p in paragraphs)):
        raise ValueError(f"'{side}' paragraphs are not lists of sentences")
    size = sum(len(p) for p in paragraphs)
    if not (isinstance(added, list) and all(
            isinstance(a, dict) and set(a) == {"at", "text", "reason"} and _is_int(a["at"]) and 0 <= a["at"] <= size
            and isinstance(a["text"], str) and isinstance(a["reason"], str) for a in added)):
        raise ValueError(f"'{side}' added text is not a list of texts with their place and reason")
    if not (isinstance(solo, dict) and all(k.isascii() and k.isdigit() and int(k) < size and isinstance(v, str)
                                           for k, v in solo.items())):
        raise ValueError(f"'{side}' sentences standing alone are not sentence numbers with a reason")
    return Text(_string(data["lang"], f"{side} lang"), paragraphs, _string(data["path"], f"{side} path"),
                _strings(data["metadata"], f"{side} metadata"), added, solo)


def _string(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"'{name}' is not text")
    return value


def _strings(value: Any, name: str) -> dict[str, str]:
    if not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
        raise ValueError(f"'{name}' is not a table of texts")
    return value


def _is_score(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and 0 <= x <= 1
