"""atomic_open: the target holds either its old content or the complete new one."""

from __future__ import annotations

import os
import stat

import pytest

from aligner.plumbing.atomic import atomic_open
from aligner.plumbing.errors import InputUsageError

OLD = "哈尔滨市国营和地方国营工厂举行座谈会\tHarbin State-Owned and Local State-Owned Factories Hold a Forum\t0.93\n"


class Boom(Exception):
    pass


def test_writes_new_file(tmp_path):
    target = tmp_path / "out.tsv"
    with atomic_open(str(target)) as fh:
        fh.write(OLD)
    assert target.read_text(encoding="utf-8") == OLD
    assert os.listdir(tmp_path) == ["out.tsv"]


def test_replaces_existing_file(tmp_path):
    target = tmp_path / "out.tsv"
    target.write_text("old\n", encoding="utf-8")
    with atomic_open(str(target)) as fh:
        fh.write(OLD)
    assert target.read_text(encoding="utf-8") == OLD


def test_writes_lf_and_utf8_whatever_the_platform(tmp_path):
    target = tmp_path / "out.txt"
    with atomic_open(str(target)) as fh:
        fh.write("一\n二\n")
    assert target.read_bytes() == "一\n二\n".encode("utf-8")


def test_binary_mode(tmp_path):
    target = tmp_path / "out.bin"
    with atomic_open(str(target), "wb") as fh:
        fh.write(b"\x00\xff")
    assert target.read_bytes() == b"\x00\xff"


@pytest.mark.parametrize("exc", [Boom, KeyboardInterrupt])
def test_interrupted_write_leaves_existing_file_untouched(tmp_path, exc):
    target = tmp_path / "out.tmx"
    target.write_text(OLD, encoding="utf-8")
    with pytest.raises(exc):
        with atomic_open(str(target)) as fh:
            fh.write("<?xml version=")
            fh.flush()
            raise exc()
    assert target.read_text(encoding="utf-8") == OLD
    assert os.listdir(tmp_path) == ["out.tmx"]  # no temporary file left behind


def test_interrupted_write_creates_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with atomic_open(str(tmp_path / "new.tsv")) as fh:
            fh.write("half")
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


def test_unencodable_text_leaves_existing_file_untouched(tmp_path):
    target = tmp_path / "out.tsv"
    target.write_text(OLD, encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        with atomic_open(str(target), encoding="ascii") as fh:
            fh.write("哈尔滨")
    assert target.read_text(encoding="utf-8") == OLD
    assert os.listdir(tmp_path) == ["out.tsv"]


def test_missing_folder_names_the_path(tmp_path):
    path = str(tmp_path / "missing" / "out.tmx")
    with pytest.raises(InputUsageError) as e:
        with atomic_open(path) as fh:
            fh.write(OLD)
    assert e.value.path == path and e.value.exit_code == 2
    assert "does not exist" in e.value.message
    assert path in str(e.value)


def test_directory_as_target_is_refused(tmp_path):
    with pytest.raises(InputUsageError) as e:
        with atomic_open(str(tmp_path)):
            pass
    assert e.value.path == str(tmp_path)
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root can write anywhere")
def test_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(InputUsageError) as e:
            with atomic_open(str(folder / "out.tsv")):
                pass
        assert "not writable" in e.value.message
    finally:
        folder.chmod(stat.S_IRWXU)


def test_keeps_permissions_of_replaced_file(tmp_path):
    target = tmp_path / "out.tsv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    with atomic_open(str(target)) as fh:
        fh.write(OLD)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_gets_umask_permissions_not_temp_file_0600(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_open(str(tmp_path / "out.tsv")) as fh:
            fh.write(OLD)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.tsv").stat().st_mode) == 0o644


def test_writes_through_a_symlink(tmp_path):
    real = tmp_path / "real.tsv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.tsv"
    link.symlink_to(real)
    with atomic_open(str(link)) as fh:
        fh.write(OLD)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == OLD


def test_file_in_place_of_folder_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    path = str(tmp_path / "notes.txt" / "out.tsv")
    with pytest.raises(InputUsageError) as e:
        with atomic_open(path):
            pass
    assert e.value.path == path


def test_files_written_together_appear_together_or_not_at_all(tmp_path):
    from aligner.plumbing.atomic import written_together

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a")
    with pytest.raises(RuntimeError):
        with written_together():
            with atomic_open(str(a)) as fh:
                fh.write("new a")
            assert a.read_text() == "old a"  # complete on disk, not yet renamed
            with atomic_open(str(b)) as fh:
                fh.write("new b")
            raise RuntimeError("the third output failed")
    assert a.read_text() == "old a" and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    with written_together():
        for path in (a, b):
            with atomic_open(str(path)) as fh:
                fh.write(f"new {path.stem}")
    assert (a.read_text(), b.read_text()) == ("new a", "new b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
