"""Derived data on disk (aligner/cache.py): a file per tag, never a rebuild by another
install of the same version, one write routine, and the one-time build announced."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aligner import cache
from aligner.cache import Shards, cached, cached_shards


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
