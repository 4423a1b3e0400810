"""JSON Lines as alignment files hold them: one object per line, blank lines skipped; read by
`aligner convert` (readers/table.py) and `aligner eval` (evaluate.py) with the same errors."""

from __future__ import annotations

import json
from collections.abc import Iterator

from aligner.plumbing.errors import AlignerError, json_kind


def json_objects(text: str, path: str, holds: str) -> Iterator[tuple[int, dict]]:
    """Each non-blank line of `text` as (its 1-based line number, the JSON object on it); a
    line that is not JSON, or not an object, is a one-line error naming it and saying what
    a line `holds` ('src and tgt')."""
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise AlignerError(f"line {number}: not JSON ({e.msg} at column {e.colno})", path) from None
        if not isinstance(record, dict):
            raise AlignerError(f"line {number}: a JSON {json_kind(record)}, not an object; each line of an "
                               f"alignment JSONL is an object with {holds}", path)
        yield number, record
