"""`mkdocs serve` rebuilds in one process (what outlives a build there: decoded files kept in memory,
filecheck.keep_decoded; the page and export caches): after each change, every file of the rebuilt
site equals a first build of the same tree in a fresh process without any cache."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from helpers.servebuild import Server
from sangkien import filecheck, loader
from test_scale_equivalence import NOW, _site_files

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

HELPER = ROOT / "tests" / "helpers" / "servebuild.py"


def serve_kho(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 150-entry synthetic repository and the environment of a server's builds (own cache folder)."""
    root = tmp_path / "kho"
    synth.generate(root, 150, words=80, git=False)
    for name in ("SANGKIEN_NO_CACHE", "SANGKIEN_JOBS", "SANGKIEN_FAST_BUILD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SANGKIEN_NOW", NOW)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SANGKIEN_CACHE_DIR", str(tmp_path / "cache"))
    return root


@pytest.fixture
def kho(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield serve_kho(tmp_path, monkeypatch)
    filecheck.keep_decoded(False)  # this test's process is not a server once it ends


def _fresh(root: Path, dest: Path) -> Path:
    """The same tree built by a new server process with no cache at all."""
    env = {**os.environ, "SANGKIEN_NO_CACHE": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("SANGKIEN_CACHE_DIR", None)
    shutil.rmtree(dest, ignore_errors=True)
    done = subprocess.run([sys.executable, str(HELPER), str(root), str(dest)], cwd=root, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return dest


def _same(site: Path, fresh: Path) -> None:
    a, b = _site_files(site), _site_files(fresh)
    assert sorted(a) == sorted(b), sorted(set(a) ^ set(b))[:10]
    different = [rel for rel in a if a[rel] != b[rel]]
    assert not different, different[:10]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _recognised(root: Path) -> Path:
    """An initiative file that a decision recognises (it has a page)."""
    decisions = (root / "entries" / "chau-thanh-2024" / "decisions.yaml").read_text(encoding="utf-8")
    ids = re.findall(r"\n  - entry: (bn-ct-\d+)\n", decisions)
    assert ids
    return next(root.glob(f"entries/chau-thanh-2024/*/{ids[0]}.md"))


def test_serve_rebuilds_after_each_change_equal_a_fresh_first_build(kho: Path, tmp_path: Path) -> None:
    server = Server(kho, tmp_path / "served")
    try:
        server.build()
        _same(server.site_dir, _fresh(kho, tmp_path / "fresh"))
        entry = _recognised(kho)
        steps = [
            ("retitled entry", lambda: _edit(entry, '\ntitle: "', '\ntitle: "Bản sửa khi xem trực tiếp - ')),
            ("decision issuer", lambda: _edit(kho / "entries" / "chau-thanh-2024" / "decisions.yaml",
                                              "  issuer: UBND huyện Châu Thành\n", "  issuer: UBND huyện Châu Thành (sửa)\n")),
            ("unit name", lambda: _rename_unit(kho / "entries" / "units.yaml")),
            ("entry with an error", lambda: _edit(entry, "\nsubmitted: ", "\nsubmitted: 2024-13-45\nsubmitted_old: ")),
            ("error fixed", lambda: _edit(entry, "\nsubmitted: 2024-13-45\nsubmitted_old: ", "\nsubmitted: ")),
            ("entry deleted", lambda: entry.unlink()),
        ]
        for name, change in steps:
            change()
            server.build()
            _same(server.site_dir, _fresh(kho, tmp_path / "fresh"))
            assert name
    finally:
        server.close()


def _rename_unit(units: Path) -> None:
    text = units.read_text(encoding="utf-8")
    found = re.search(r"\n  - id: (tn-ct-[a-z-]+)\n    name: ([^\n]+)\n", text)
    assert found is not None
    _edit(units, f"    name: {found.group(2)}\n", f"    name: {found.group(2)} (tên mới)\n")


SNAPSHOT = """
import json, sys
from pathlib import Path
from sangkien import loader
loaded = loader.load(Path(sys.argv[1]))
problems = sorted([p.file, p.code, p.line, p.column, p.message] for p in loaded.problems)
entries = [[e.path, e.body, sorted(e.data.items())] for _, e in sorted(loaded.repo.entries.items())]
print(json.dumps([problems, entries], ensure_ascii=False, default=str))
"""


def _loaded(root: Path) -> object:
    """What a load gives (problems, every entry's data and body), as JSON: here, in this process."""
    loaded = loader.load(root)
    problems = sorted([p.file, p.code, p.line, p.column, p.message] for p in loaded.problems)
    entries = [[e.path, e.body, sorted(e.data.items())] for _, e in sorted(loaded.repo.entries.items())]
    return json.loads(json.dumps([problems, entries], ensure_ascii=False, default=str))


def _loaded_afresh(root: Path) -> object:
    """The same from a new process, which keeps nothing in memory."""
    done = subprocess.run([sys.executable, "-c", SNAPSHOT, str(root)], capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_decoded_files_kept_between_loads_give_what_a_load_without_them_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry edited, then put back to its earlier bytes after its body was read: each load with
    decoded files kept equals a load in a process that keeps nothing."""
    root = tmp_path / "kho"
    synth.generate(root, 30, words=40, git=False)
    other = tmp_path / "khac"
    synth.generate(other, 10, words=20, git=False)
    monkeypatch.setenv("SANGKIEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SANGKIEN_NO_CACHE", raising=False)
    entry = next(root.glob("entries/chau-thanh-2024/*/bn-ct-*.md"))
    before = entry.read_text(encoding="utf-8")
    edits = [before.replace("\ntitle: ", "\ntitle: Sửa - ", 1) + "\nMột đoạn thêm vào thân bài.\n", before,
             before.replace("\nsubmitted: ", "\nsubmitted: 2024-02-30\nsubmitted_old: ", 1), before]
    try:
        filecheck.keep_decoded(True)
        _loaded(other)  # another tree first: its files are forgotten when this one loads, not mixed in
        assert _loaded(root) == _loaded_afresh(root)
        for text in edits:
            entry.write_text(text, encoding="utf-8")
            assert _loaded(root) == _loaded_afresh(root)
    finally:
        filecheck.keep_decoded(False)
