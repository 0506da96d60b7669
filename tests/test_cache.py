"""The validation cache (.sangkien-cache/): what invalidates it, and that it never changes a result.

Each scenario compares the cached run with a run that uses no cache at all (SANGKIEN_NO_CACHE=1):
same problems, to the byte, in the JSON report of the real CLI. Which files were checked again is
observed in-process (filecheck._check counted) or in the cache's own rows (their check times).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, git
from sangkien import cache, filecheck, validator

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}
for _name in ("SANGKIEN_NO_CACHE", "SANGKIEN_JOBS", "SANGKIEN_CACHE_DIR"):
    ENV.pop(_name, None)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated repository of 120 entries (the seed data plus synthetic ones), made once."""
    root = tmp_path_factory.mktemp("seed") / "kho"
    synth.generate(root, 120, words=200, git=False)
    return root


@pytest.fixture
def kho(seed: Path, tmp_path: Path) -> Path:
    root = tmp_path / "kho"
    shutil.copytree(seed, root, symlinks=True)
    return root


def validate(root: Path, *args: str, cached: bool = True, **env: str) -> dict:
    full = {**ENV, **env} if cached else {**ENV, "SANGKIEN_NO_CACHE": "1", **env}
    done = subprocess.run([sys.executable, "-m", "sangkien", "validate", "--format", "json", *args], cwd=root, env=full,
                          capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def same_as_uncached(root: Path) -> dict:
    warm = validate(root)
    assert warm == validate(root, cached=False)
    return warm


def checked(root: Path, monkeypatch) -> list[str]:
    """The files validator.load checks again (in this process, one worker)."""
    seen: list[str] = []
    original = filecheck._check

    def counting(task):
        seen.append(task.rel)
        return original(task)

    monkeypatch.setenv("SANGKIEN_JOBS", "1")
    monkeypatch.delenv("SANGKIEN_NO_CACHE", raising=False)
    monkeypatch.setattr(filecheck, "_check", counting)
    validator.load(root)
    return seen


def entry_of(root: Path, n: int = 0) -> Path:
    return sorted(root.glob("entries/chau-thanh-2024/*/bn-ct-*.md"))[n]


def settle() -> None:
    time.sleep(cache.RACY_NS / 1e9 + 0.2)  # files written just now are read again until then


def test_cold_warm_and_uncached_runs_agree_and_a_warm_run_reads_nothing(kho: Path, monkeypatch) -> None:
    first = validate(kho)
    assert (kho / ".sangkien-cache" / "validate.sqlite3").is_file()
    assert (kho / ".sangkien-cache" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")  # never a change in Git
    settle()
    assert validate(kho) == first == validate(kho, cached=False)
    assert first["checked"] > 120
    assert checked(kho, monkeypatch) == []  # every file settled: taken from the cache without reading


def test_a_changed_file_is_checked_again_and_only_it(kho: Path, monkeypatch) -> None:
    validate(kho)
    settle()
    target = entry_of(kho)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("\nsummary: ", "\nsummary: Gọi 0912 345 678 để biết thêm. "), encoding="utf-8")
    report = same_as_uncached(kho)
    rel = target.relative_to(kho).as_posix()
    assert any(p["code"] == "SK501" and p["file"] == rel for p in report["problems"])
    settle()
    target.write_text(text, encoding="utf-8")  # back as it was: found clean again
    assert validate(kho) == validate(kho, cached=False)
    assert checked(kho, monkeypatch) in ([], [rel])


def test_same_size_and_time_but_other_bytes_is_still_seen(kho: Path) -> None:
    validate(kho)
    settle()
    target = entry_of(kho, 1)
    before = target.stat()
    raw = target.read_bytes()
    changed = raw.replace(b"participation: ca-nhan", b"participation: ca-nha_", 1) if b"participation: ca-nhan" in raw else \
        raw.replace(b"participation: nhom", b"participation: nho_", 1)
    assert len(changed) == len(raw) and changed != raw
    target.write_bytes(changed)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # a tool that keeps the time; the inode's ctime still moves
    report = same_as_uncached(kho)
    assert any(p["code"] == "SK204" for p in report["problems"])


def test_a_schema_change_invalidates_every_result(kho: Path, monkeypatch) -> None:
    validate(kho)
    schema_path = kho / "schema" / "entry.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["title"]["maxLength"] = 40  # most synthetic titles are longer
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    report = same_as_uncached(kho)
    assert sum(1 for p in report["problems"] if p["code"] == "SK206") > 20
    settle()
    validate(kho)  # rows recorded within a moment of a file's change are confirmed once (cache.RACY_NS)
    assert checked(kho, monkeypatch) == []  # the new schema's results are cached in turn


def test_a_code_change_invalidates_every_result(kho: Path, tmp_path: Path) -> None:
    """The key hashes the package's own source files: a copy of the package with one comment
    added gives a new key, and every row is checked again."""
    code = tmp_path / "code"
    shutil.copytree(ROOT / "tools" / "sangkien", code / "sangkien", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "schema", code / "sangkien" / "schema_data")
    first = validate(kho, PYTHONPATH=str(code))
    db = kho / ".sangkien-cache" / "validate.sqlite3"
    before = _rows(db)
    (code / "sangkien" / "codes.py").write_text((code / "sangkien" / "codes.py").read_text(encoding="utf-8") + "\n# một thay đổi\n",
                                                 encoding="utf-8")
    assert validate(kho, PYTHONPATH=str(code)) == first
    after = _rows(db)
    assert after["key"] != before["key"]
    assert all(after["checked"][p] > before["checked"][p] for p in before["checked"])


def _rows(db: Path) -> dict:
    con = sqlite3.connect(db)
    try:
        key = con.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()[0]
        return {"key": key, "checked": dict(con.execute("SELECT path, checked FROM files"))}
    finally:
        con.close()


def test_deleted_and_added_files(kho: Path) -> None:
    validate(kho)
    gone = entry_of(kho, 2)
    gone_rel = gone.relative_to(kho).as_posix()
    gone.unlink()
    twin = entry_of(kho, 3)
    copy = twin.with_name("bn-ct-99999.md")
    shutil.copy2(twin, copy)  # same id as its twin: a duplicate (SK301), across files
    report = same_as_uncached(kho)
    assert any(p["code"] == "SK301" and p["file"] == copy.relative_to(kho).as_posix() for p in report["problems"])
    assert gone_rel not in _rows(kho / ".sangkien-cache" / "validate.sqlite3")["checked"]


def test_a_registry_change_reaches_files_that_did_not_change(kho: Path) -> None:
    clean = validate(kho)
    assert not [p for p in clean["problems"] if p["severity"] == "error"]
    units = kho / "entries" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    target = entry_of(kho, 4)
    unit = target.parent.name
    # the unit's id renamed in the registry: every entry of that unit names a unit that is not there (SK303)
    units.write_text(text.replace(f"id: {unit}\n", f"id: {unit}-cu\n"), encoding="utf-8")
    report = same_as_uncached(kho)
    assert any(p["code"] == "SK303" and p["file"] == target.relative_to(kho).as_posix() for p in report["problems"])
    units.write_text(text, encoding="utf-8")
    assert same_as_uncached(kho) == clean


def test_registry_contacts_change_the_text_checks_of_unchanged_entries(kho: Path) -> None:
    """A number in an entry is personal data unless the registry publishes it as a switchboard:
    registering it changes the text checks of an entry file that did not change."""
    target = entry_of(kho, 5)
    rel = target.relative_to(kho).as_posix()
    target.write_text(target.read_text(encoding="utf-8").replace("\n## Giải pháp", "\nLiên hệ: 0276 3822 999.\n\n## Giải pháp", 1),
                      encoding="utf-8")
    report = same_as_uncached(kho)
    assert any(p["code"] == "SK506" and p["file"] == rel for p in report["problems"])
    units = kho / "entries" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    block = text.index(f"  - id: {target.parent.name}\n")
    end = text.find("\n  - id: ", block + 1)
    end = len(text) if end < 0 else end
    if "\n    contact:\n" in text[block:end]:
        at = text.index("\n    contact:\n", block) + len("\n    contact:\n")
        patched = text[:at] + '      phone: "0276 3822 999"\n' + text[at:]
    else:
        at = block + len(f"  - id: {target.parent.name}\n")
        patched = text[:at] + '    contact:\n      phone: "0276 3822 999"\n' + text[at:]
    units.write_text(patched, encoding="utf-8")
    report = same_as_uncached(kho)
    assert not any(p["code"] == "SK506" and p["file"] == rel for p in report["problems"])


@pytest.mark.parametrize("damage", ["garbage", "folder", "rows"])
def test_a_damaged_cache_is_a_cold_run_never_a_crash(kho: Path, damage: str) -> None:
    expected = validate(kho, cached=False)
    validate(kho)
    db = kho / ".sangkien-cache" / "validate.sqlite3"
    if damage == "garbage":
        db.write_bytes(b"\x00not a database\xff" * 100)
    elif damage == "folder":
        db.unlink()
        db.mkdir()
    else:
        con = sqlite3.connect(db)
        con.execute("UPDATE files SET result = '{broken', positions = '[['")
        con.execute("DROP TABLE IF EXISTS runs")
        con.commit()
        con.close()
        settle()
    assert validate(kho) == expected
    assert validate(kho) == expected


def test_positions_that_do_not_decode_come_from_the_file(kho: Path) -> None:
    """A row whose results decode but whose positions do not: the places are read again."""
    target = entry_of(kho, 6)
    target.write_text(target.read_text(encoding="utf-8").replace("\nsubmitted: ", "\nsubmitted: \"2023-01-01\"\nx_submitted: ", 1),
                      encoding="utf-8")
    expected = validate(kho, cached=False)
    validate(kho)
    con = sqlite3.connect(kho / ".sangkien-cache" / "validate.sqlite3")
    con.execute("UPDATE files SET positions = 'not json'")
    con.execute("DROP TABLE IF EXISTS runs")
    con.commit()
    con.close()
    settle()
    assert validate(kho) == expected


def test_released_positions_come_back_from_the_file(kho: Path, monkeypatch) -> None:
    """A site build forgets the positions' text once its rules ran (LazyParsed.release): asked for
    again, every position is read from the file (one file given a comment line first: its places
    move down a line; the others are the cache's)."""
    validate(kho)
    settle()
    monkeypatch.setenv("SANGKIEN_JOBS", "1")
    monkeypatch.delenv("SANGKIEN_NO_CACHE", raising=False)
    before = validator.load(kho).docs
    after = validator.load(kho).docs
    entries = sorted(rel for rel in after if rel.endswith(".md"))
    moved = kho / entries[0]
    moved.write_text(moved.read_text(encoding="utf-8").replace("---\n", "---\n# ghi chú\n", 1), encoding="utf-8")
    for rel in entries:
        parsed = after[rel].parsed
        assert isinstance(parsed, cache.LazyParsed)
        parsed.release()
        old = before[rel].parsed
        shift = 1 if rel == entries[0] else 0
        assert parsed.values and parsed.values == {k: (line + shift, col) for k, (line, col) in old.values.items()}
        assert parsed.keys == {k: (line + shift, col) for k, (line, col) in old.keys.items()}


# ----------------------------------------------------------------- a cache carried to another checkout

def reused(root: Path, monkeypatch) -> tuple[list[str], list[str]]:
    """(files checked from scratch, files whose bytes were those of a cached row) in validator.load."""
    fresh: list[str] = []
    same: list[str] = []
    original = filecheck._check

    def watching(task):
        row = original(task)
        (same if row.result == filecheck._SAME else fresh).append(task.rel)
        return row

    monkeypatch.setenv("SANGKIEN_JOBS", "1")
    monkeypatch.delenv("SANGKIEN_NO_CACHE", raising=False)
    monkeypatch.setattr(filecheck, "_check", watching)
    validator.load(root)
    return fresh, same


def test_a_cache_made_in_one_checkout_is_reused_by_a_fresh_clone(kho: Path, tmp_path: Path, monkeypatch) -> None:
    """What CI does: the main branch's run leaves its cache in SANGKIEN_CACHE_DIR; another runner
    restores it next to a fresh clone (other paths, times and inodes). Every file is hashed once,
    its row reused, and the report is the one of a run without any cache."""
    git(kho, "init", "-q", "-b", "main")
    git(kho, "add", "-A")
    git(kho, "commit", "-q", "-m", "kho")
    made = tmp_path / "may-1" / "bo-nho-dem"
    first = validate(kho, SANGKIEN_CACHE_DIR=str(made))
    assert (made / "validate.sqlite3").is_file() and (made / ".gitignore").is_file()
    assert not (kho / ".sangkien-cache").exists()  # nothing in the repository
    clone = tmp_path / "may-2" / "kho"
    git(tmp_path, "clone", "-q", str(kho), str(clone))
    carried = tmp_path / "may-2" / "bo-nho-dem"
    shutil.copytree(made, carried)
    monkeypatch.setenv("SANGKIEN_CACHE_DIR", str(carried))
    fresh, same = reused(clone, monkeypatch)
    assert fresh == [] and len(same) > 120
    uncached = validate(clone, cached=False)
    assert validate(clone, SANGKIEN_CACHE_DIR=str(carried)) == uncached
    assert uncached["problems"] == first["problems"]
    assert not (clone / ".sangkien-cache").exists()
