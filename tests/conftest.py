"""Shared helpers for the tests: run `aligner` as a user does, the seed article's gold, and
the shared evaluation data (MAC-Dev, the Bible) when it is there."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
INPUT = DATA / "input"
EXAMPLE = ROOT / "data" / "examples" / "rmrb-1954-11-23-harbin.txt"
GOLD_TSV = DATA / "harbin.gold.tsv"
# The shared evaluation data (MAC-Dev, the Bible, the seed article with its gold): beside
# the checkout, not in the repository (too large, other licences). Tests that need it skip
# without it; tests/data/ holds the small copies every run has.
SHARED = ROOT.parent / "shared" / "data"


def shared_data(name: str) -> Path:
    """SHARED / name, or skip the calling test, saying what it needs."""
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"needs ../shared/data/{name} (the shared evaluation data)")
    return path


def mac_dev_chapter(chapter: str) -> tuple[list[str], list[str], list]:
    """A MAC-Dev chapter ('001' .. '006'): its Chinese and English sentences (one a line) and
    its gold beads; skips without the shared data."""
    from aligner.evaluate import read_alignment

    root = shared_data("mac-dev")
    zh = (root / "zh" / chapter).read_text(encoding="utf-8").splitlines()
    en = (root / "en" / chapter).read_text(encoding="utf-8").splitlines()
    return zh, en, read_alignment(root / "gold" / f"{chapter}.align")


@dataclass
class Run:
    """What a user sees: exit code, standard output (bytes) and standard error (text)."""

    code: int
    out: bytes
    err: str

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ALIGNER_DEBUG", None)  # tracebacks must not be asked for
    env["PYTHONIOENCODING"] = "utf-8"
    # this checkout's package, whatever the working folder and whichever checkout is installed
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def cli_argv(*args) -> list[str]:
    """The command line of `python -m aligner ARGS` (run with `cli_env()`)."""
    return [sys.executable, "-m", "aligner", *map(str, args)]


def file_size_limit(limit: int):
    """A `preexec_fn` for a child process: its writes past `limit` bytes in any file fail
    with EFBIG, as they would on a full disk (the machine's own disks stay untouched)."""
    import resource
    import signal

    def limit_writes():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_writes


def run_cli(*args, stdin: bytes | None = None, cwd: Path | None = None, timeout: float = 120) -> Run:
    """`python -m aligner ARGS` in a fresh process, as from a shell."""
    proc = subprocess.run(
        cli_argv(*args),
        input=stdin if stdin is not None else b"",
        capture_output=True, cwd=cwd, env=cli_env(), timeout=timeout,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))


def run_main(*args, stdin: bytes = b"") -> Run:
    """`aligner.cli.main(ARGS)` in this process (same wrapper as the console script, no start-up cost)."""
    from aligner.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    streams = (io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
               io.TextIOWrapper(out, encoding="utf-8", write_through=True),
               io.TextIOWrapper(err, encoding="utf-8", write_through=True))
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for stream in streams:
            stream.flush()
            stream.detach()  # keep the BytesIO open when the wrapper is collected
    return Run(code, out.getvalue(), err.getvalue().decode("utf-8"))


def gold_pairs() -> list[tuple[str, str]]:
    """The 18 hand-checked (Chinese, English) beads of the seed article."""
    lines = GOLD_TSV.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")[:2]) for line in lines]


def gold_en_sentences(bead_en: str) -> list[str]:
    """The English sentences of one gold bead (the gold has one two-sentence bead)."""
    return re.split(r"(?<=[.!?])\s+(?=[A-Z(])", bead_en)


def example_bodies() -> tuple[list[str], list[str]]:
    """Chinese and English body paragraphs of the seed article, read without the package:
    the indented lines after 'Original:' and before '<hr />'."""
    text = EXAMPLE.read_text(encoding="utf-8")
    en_part, zh_part = re.split(r"\n<hr />\s*\n", text, maxsplit=1)
    zh_part = zh_part.split("Original:", 1)[1]

    def indented(part: str) -> list[str]:
        return [line.strip() for line in part.splitlines() if line[:1].isspace() and line.strip()]

    return indented(zh_part), indented(en_part)


def refuse_to_open(monkeypatch, path: Path) -> None:
    """Make opening `path` fail with 'Permission denied', as chmod 0 does for a user (root
    reads any file); every input is opened with os.open (plumbing.inputs.read_bytes)."""
    real_open = os.open

    def refuse(name, *args, **kwargs):
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)


@pytest.fixture
def existing_output(tmp_path: Path) -> Path:
    """An output file with known content that a failing run must leave byte for byte."""
    out = tmp_path / "out.tmx"
    out.write_bytes(b"<tmx>previous good content</tmx>\n")
    return out
