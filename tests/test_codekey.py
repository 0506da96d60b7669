"""The code key's memo (codekey.py): a key remembered under the stat of the installed code is the
key computed from the files now, or it is not used."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from sangkien import cache, cachedir, codekey

PACKAGE = Path(cache.__file__).resolve().parent
OLD_NS = 1_600_000_000 * 10**9  # an mtime well in the past


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of a few of the package's files; no memo of this process carried in."""
    copy = tmp_path / "lib" / "sangkien"
    (copy / "checks").mkdir(parents=True)
    for name in ("__init__.py", "codekey.py", "cachedir.py", "checks/__init__.py", "checks/dates.py"):
        shutil.copyfile(PACKAGE / name, copy / name)
    monkeypatch.setattr(codekey, "_known", None)
    return copy


@pytest.fixture
def settled_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled (the racy window is cachedir's, shrunk to nothing)."""
    monkeypatch.setattr(cachedir, "RACY_NS", 0)


class Computed:
    """codekey.compute, counted."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.real = codekey.compute
        monkeypatch.setattr(codekey, "compute", self)

    def __call__(self, package: Path) -> str:
        self.calls += 1
        return self.real(package)


def _forget_process() -> None:
    codekey._known = None  # as a new process: only the memo in the cache folder


def test_a_remembered_key_is_the_computed_one_and_is_not_computed_again(package, tmp_path, settled_now, monkeypatch):
    computed = Computed(monkeypatch)
    folder = tmp_path / "bo-nho-dem"
    first = codekey.remembered(package, folder)
    assert first == codekey.compute(package) and len(first) == 32
    assert (folder / codekey.MEMO).is_file() and (folder / ".gitignore").is_file()
    computed.calls = 0
    _forget_process()
    assert codekey.remembered(package, folder) == first  # from the cache folder
    assert codekey.remembered(package, folder) == first  # from the process
    assert computed.calls == 0


@pytest.mark.parametrize("change", ["edit", "add", "add_folder", "remove"])
def test_a_changed_source_changes_the_key(package, tmp_path, settled_now, monkeypatch, change):
    folder = tmp_path / "bo-nho-dem"
    before = codekey.remembered(package, folder)
    target = package / "checks" / "dates.py"
    if change == "edit":  # same size, mtime put back: only the inode's change time moves
        raw = target.read_bytes()
        os.utime(target, ns=(OLD_NS, OLD_NS))
        recorded = target.stat()
        target.write_bytes(raw.replace(b"def ", b"def_", 1)[: len(raw)])
        os.utime(target, ns=(recorded.st_atime_ns, recorded.st_mtime_ns))
    elif change == "add":
        (package / "checks" / "moi.py").write_text("X = 1\n", encoding="utf-8")
    elif change == "add_folder":
        (package / "checks" / "con").mkdir()
        (package / "checks" / "con" / "moi.py").write_text("X = 1\n", encoding="utf-8")
    else:
        target.unlink()
    for process_memo in (True, False):  # this process's memo and the cache folder's both see it
        if not process_memo:
            _forget_process()
        after = codekey.remembered(package, folder)
        assert after != before and after == codekey.compute(package)


def test_the_same_stat_within_the_racy_window_is_not_trusted(package, tmp_path, monkeypatch):
    """Files changed just before the key was computed: nothing is remembered (a second change in
    the same instant would keep the stat), and a memo claiming otherwise is not believed."""
    computed = Computed(monkeypatch)
    folder = tmp_path / "bo-nho-dem"
    key = codekey.remembered(package, folder)  # the copy was written a moment ago
    assert not (folder / codekey.MEMO).exists()
    _forget_process()
    assert codekey.remembered(package, folder) == key and computed.calls == 2
    # A memo written as if the stats had settled, with a record time inside the window.
    monkeypatch.setattr(cachedir, "RACY_NS", 0)
    _forget_process()
    codekey.remembered(package, folder)
    memo = folder / codekey.MEMO
    record = json.loads(memo.read_text(encoding="utf-8"))
    monkeypatch.setattr(cachedir, "RACY_NS", 3_000_000_000)
    record["recorded"] = max(max(s[1], s[2]) for s in record["stats"] if s is not None) + 1
    memo.write_text(json.dumps(record), encoding="utf-8")
    _forget_process()
    calls = computed.calls
    assert codekey.remembered(package, folder) == key and computed.calls == calls + 1


def test_a_library_folder_that_changes_or_appears_is_a_miss(package, tmp_path, settled_now, monkeypatch):
    """An install, upgrade or removal changes a folder of the import path, where the libraries'
    versions are read: the key is computed again."""
    computed = Computed(monkeypatch)
    site = tmp_path / "site-packages"
    site.mkdir()
    later = tmp_path / "user-site"  # on the path, not made yet
    monkeypatch.setattr(sys, "path", [*sys.path, str(site), str(later)])
    folder = tmp_path / "bo-nho-dem"
    codekey.remembered(package, folder)
    for change in (lambda: (site / "PyYAML-99.0.dist-info").mkdir(), lambda: later.mkdir()):
        change()
        _forget_process()
        calls = computed.calls
        codekey.remembered(package, folder)
        assert computed.calls == calls + 1


def test_the_working_folder_is_not_part_of_the_memo_or_the_key(package, tmp_path, settled_now, monkeypatch):
    """`python -m` puts the working folder (the judged repository) first on the import path: the
    libraries are looked up, and the memo is keyed, without it."""
    judged = tmp_path / "kho"
    judged.mkdir()
    monkeypatch.chdir(judged)
    monkeypatch.setattr(sys, "path", [str(judged), "", *sys.path])
    folder = tmp_path / "bo-nho-dem"
    key = codekey.remembered(package, folder)
    record = json.loads((folder / codekey.MEMO).read_text(encoding="utf-8"))
    assert str(judged) not in record["paths"] and str(judged) not in record["path"] and "" not in record["path"]
    (judged / "PyYAML-99.0.dist-info").mkdir()
    (judged / "PyYAML-99.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: PyYAML\nVersion: 99.0\n", encoding="utf-8")
    _forget_process()
    assert codekey.remembered(package, folder) == key == codekey.compute(package)


@pytest.mark.parametrize("damage", ["not json", "[]", '{"format": "sangkien-code-key-1"}', "key"])
def test_a_damaged_or_forged_memo_is_a_miss(package, tmp_path, settled_now, monkeypatch, damage):
    folder = tmp_path / "bo-nho-dem"
    key = codekey.remembered(package, folder)
    memo = folder / codekey.MEMO
    if damage == "key":  # another key under the right stats is believed only as far as the stats go:
        record = json.loads(memo.read_text(encoding="utf-8"))
        record["stats"][1][0] += 1  # a stat that is not the file's
        record["key"] = "0" * 32
        memo.write_text(json.dumps(record), encoding="utf-8")
    else:
        memo.write_text(damage, encoding="utf-8")
    _forget_process()
    assert codekey.remembered(package, folder) == key


def test_the_cache_key_of_the_installed_package_is_the_computed_one(tmp_path, monkeypatch):
    monkeypatch.setattr(codekey, "_known", None)
    assert cache.code_key(tmp_path / "bo-nho-dem") == codekey.compute(PACKAGE) == cache.code_key()
