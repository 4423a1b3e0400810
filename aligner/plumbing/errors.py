"""Errors (and warnings) the command line reports as one line, without a traceback."""

from __future__ import annotations

from aligner.plumbing.chars import escaped


def json_kind(value) -> str:
    """What JSON calls the type of a parsed value, for messages about a line that is not
    the object expected: 'array', 'string', 'number', 'boolean', 'null' (or 'object')."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {dict: "object", list: "array", str: "string"}.get(type(value), "number")


class _AboutFile:
    """A message about one file, shown as 'PATH: message', the path escaped for a terminal
    (`chars.escaped`: a file name may hold escape sequences, line ends, undecodable bytes)."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{escaped(str(self.path))}: {self.message}" if self.path else self.message


class AlignerError(_AboutFile, Exception):
    """A problem with the user's data (exit code 1): a file that cannot be aligned."""

    exit_code = 1


class InputUsageError(AlignerError):
    """A problem with how the command was called (exit code 2): missing file, bad folder, bad option."""

    exit_code = 2


class AlignerWarning(_AboutFile, UserWarning):
    """Something the user should know that does not stop the run (printed as one line)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM (kill, a service manager, a timeout) in the main process: raised where the
    program is, so that it stops as on Ctrl-C (temporary files removed, workers ended)
    and exits with 143."""
