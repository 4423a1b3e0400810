"""The state file of a batch (OUTPUT.state.jsonl): what is finished, so that a rerun after
Ctrl-C, kill -9 or a power cut skips it and writes the same output.

One JSON object a line. The first line names the settings (their fingerprint: a state
written with other settings is refused) and the batch's creation time (written into the
output's header, so a resumed run's output equals an uninterrupted one's). Then one line per
finished document, appended and flushed as each finishes: its name, its files' paths and
stamps (size, mtime: a file changed since is aligned again), its summary row and the
aligned document itself, from which the rerun writes its part of the merged output. A
line cut short by a crash (no line end, or not JSON) is dropped, with any after it, when
the file is opened again; a line that is JSON but not a record of this shape is an error
naming the line (the file was edited or is not ours), not a crash. A later line for the
same name wins.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import IO, Any

from aligner.batch.job import Outcome, Part, Stamp
from aligner.document import AlignedDocument, Text
from aligner.plumbing.errors import InputUsageError, json_kind
from aligner.summary import ALIGNED, DocumentSummary

FORMAT = 1
STATE_SUFFIX = ".state.jsonl"
# fsync at most this often (seconds): a power cut then costs at most this much work, and
# 30 documents a second do not each wait for the disk (the flush per document is enough
# for Ctrl-C and kill -9).
SYNC_EVERY = 1.0


def state_path(output: str) -> str:
    return output + STATE_SUFFIX


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
            "stamps": [list(s) for s in outcome.stamps],
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
        self._fh.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
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
            and all(isinstance(s, list) and len(s) == 2 and all(_is_int(x) for x in s) for s in stamps)):
        raise damaged("'stamps' is not a [size, time] pair for each path")
    if not (isinstance(parts, list) and parts):
        raise damaged("'parts' is not a list of aligned documents")
    read = []
    for part in parts:
        try:
            summary = DocumentSummary(**part["summary"])
            doc = None if part["doc"] is None else doc_from_json(part["doc"])
        except (KeyError, TypeError, ValueError, AttributeError):
            raise damaged("a part is not a summary and an aligned document") from None
        if summary.status not in (*ALIGNED, "failed") or summary.aligned != (doc is not None):
            raise damaged(f"a part's status {summary.status!r} does not match its document")
        read.append(Part(summary, doc))
    return name, tuple(paths), tuple((s[0], s[1]) for s in stamps), read


def _any_ok(parts: list[Part]) -> bool:
    return any(part.summary.aligned for part in parts)


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


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


def doc_from_json(data: dict[str, Any]) -> AlignedDocument:
    from aligner.status import DocumentStatus

    status = data.get("status")
    return AlignedDocument(
        Text(**data["src"]),
        Text(**data["tgt"]),
        [(tuple(s), tuple(t)) for s, t in data["beads"]],
        data["scores"],
        data["metadata"],
        data["signature"],
        notes=list(data.get("notes") or []),
        status=None if status is None else DocumentStatus(**status),
    )
