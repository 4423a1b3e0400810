"""The state file of a batch (OUTPUT.state.jsonl): what is finished, so that a rerun after
Ctrl-C, kill -9 or a power cut skips it and writes the same output.

One JSON object a line. The first line names the settings (their fingerprint: a state
written with other settings is refused) and the batch's creation time (written into the
output's header, so a resumed run's output equals an uninterrupted one's). Then one line per
finished document, appended and flushed as each finishes: its name, its files' paths and
stamps (size, mtime: a file changed since is aligned again), its summary row and the
aligned document itself, from which the rerun writes its part of the merged output. A
line cut short by a crash is dropped when the file is opened again; a later line for the
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
from aligner.plumbing.errors import InputUsageError
from aligner.summary import DocumentSummary

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


class StateFile:
    """The state file of one batch, open for appending (and locked against a second batch
    writing the same output)."""

    def __init__(self, path: str, fingerprint: str, restart: bool = False):
        self.path = path
        self.entries: dict[str, Entry] = {}
        self._fh = _open_locked(path)
        self._reader: IO[bytes] | None = None
        self._synced = time.monotonic()
        header = None if restart else self._load(fingerprint)
        if header is None:
            self._fh.seek(0)
            self._fh.truncate()
            self.entries.clear()
            self.created = datetime.now(timezone.utc).replace(microsecond=0)
            self._append({"aligner-batch-state": FORMAT, "fingerprint": fingerprint, "created": self.created.isoformat()})
        else:
            self.created = datetime.fromisoformat(header["created"])

    def _load(self, fingerprint: str) -> dict | None:
        """Read the index of finished documents; None when the file is new or empty.
        A last line cut short by a crash is cut off."""
        self._fh.seek(0)
        header, good_end, offset = None, 0, 0
        for line in self._fh:
            try:
                record = json.loads(line) if line.endswith(b"\n") else None
            except ValueError:
                record = None
            if record is None:
                break
            if header is None:
                if record.get("aligner-batch-state") != FORMAT:
                    raise InputUsageError("is not a state file of this aligner version; remove it or use --restart", self.path)
                if record.get("fingerprint") != fingerprint:
                    raise InputUsageError(f"was written with other settings ({_difference(record.get('fingerprint', ''), fingerprint)}); "
                                          "rerun with the same options, or with --restart to start over", self.path)
                header = record
            else:
                self.entries[record["name"]] = Entry(
                    offset, tuple(record["paths"]), tuple(tuple(s) for s in record["stamps"]))
            offset += len(line)
            good_end = offset
        self._fh.seek(good_end)
        self._fh.truncate()
        return header

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
        self.entries[document.name] = Entry(offset, document.paths, outcome.stamps)

    def load(self, index: int, name: str) -> Outcome:
        """The finished document `name` as recorded, as the Outcome of input number `index`."""
        from aligner.batch.inputs import Document

        if self._reader is None:
            self._reader = open(self.path, "rb")
        self._reader.seek(self.entries[name].offset)
        record = json.loads(self._reader.readline())
        paths = record["paths"]
        document = Document(name, paths[0], paths[1] if len(paths) > 1 else None)
        parts = [Part(DocumentSummary(**p["summary"]), None if p["doc"] is None else doc_from_json(p["doc"]))
                 for p in record["parts"]]
        stamps = tuple(tuple(s) for s in record["stamps"])
        return Outcome(index, document, parts, stamps)

    def _append(self, record: dict) -> None:
        self._fh.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        self._fh.flush()
        if time.monotonic() - self._synced >= SYNC_EVERY:
            self.sync()

    def sync(self) -> None:
        os.fsync(self._fh.fileno())
        self._synced = time.monotonic()

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
        if not self._fh.closed:
            self.sync()
            _LOCKED.discard(self._fh.fileno())
            self._fh.close()  # releases the lock


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
    }


def doc_from_json(data: dict[str, Any]) -> AlignedDocument:
    return AlignedDocument(
        Text(**data["src"]),
        Text(**data["tgt"]),
        [(tuple(s), tuple(t)) for s, t in data["beads"]],
        data["scores"],
        data["metadata"],
        data["signature"],
    )
