"""A built package ships the CC-CEDICT tables where the installed code looks for them,
so its first run builds nothing (issue 12; setup.py, aligner/plumbing/cache.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from aligner.plumbing import cache

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples" / "rmrb-1954-11-23-harbin.txt"


def test_the_shipped_folder_is_the_package_data_folder():
    import aligner

    assert cache.SHIPPED == Path(aligner.__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package built as a wheel (pip, build isolation as a user gets it) and unpacked."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "aligner", src / "aligner", ignore=shutil.ignore_patterns("__pycache__", "data"))
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(src)],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    (wheel,) = (tmp / "dist").glob("zh_en_aligner-*.whl")
    site = tmp / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return site


def test_a_built_package_ships_the_tables_and_its_first_run_builds_nothing(installed, tmp_path):
    shipped = sorted(p.name for p in (installed / "aligner" / "data").glob("*.bin"))
    assert any(n.startswith("cedict-keys-") for n in shipped) and any(n.startswith("cedict-pinyin-") for n in shipped)
    out = tmp_path / "harbin.tsv"
    env = dict(os.environ, PYTHONPATH=str(installed), XDG_CACHE_HOME=str(tmp_path / "empty-cache"))
    res = subprocess.run([sys.executable, "-m", "aligner", "align", str(EXAMPLE), "-o", str(out)],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert res.returncode == 0, res.stderr
    assert cache.BUILD_MESSAGE not in res.stderr
    assert "18 beads" in res.stderr and len(out.read_text(encoding="utf-8").splitlines()) == 18
    built = list((tmp_path / "empty-cache").rglob("cedict-*.bin"))
    assert built == []  # read from the package, nothing written to the user cache


def test_a_built_package_writes_the_report_with_its_editor(installed, tmp_path):
    """The report's script and style are package data (aligner/writers/report.js, .css),
    inlined at write time: a wheel that left them out would fail at --report."""
    shipped = sorted(p.name for p in (installed / "aligner" / "writers").glob("report.*"))
    assert shipped == ["report.css", "report.js"]
    report = tmp_path / "report.html"
    env = dict(os.environ, PYTHONPATH=str(installed), XDG_CACHE_HOME=str(tmp_path / "cache"))
    res = subprocess.run([sys.executable, "-m", "aligner", "align", str(EXAMPLE), "-o", str(report), "-q"],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert res.returncode == 0, res.stderr
    page = report.read_text(encoding="utf-8")
    for part in ("report.js", "report.css"):
        assert (ROOT / "aligner" / "writers" / part).read_text(encoding="utf-8") in page
    assert "window.alignerReview" in page
