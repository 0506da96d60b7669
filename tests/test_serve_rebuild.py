"""`mkdocs serve` rebuilds in one process (what outlives a build there: decoded files kept in memory,
filecheck.keep_decoded; the page and export caches): after each change, every file of the rebuilt
site equals a first build of the same tree in a fresh process without any cache."""

from __future__ import annotations

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
from sangkien import filecheck
from test_scale_equivalence import NOW, _site_files

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

HELPER = ROOT / "tests" / "helpers" / "servebuild.py"


@pytest.fixture
def kho(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "kho"
    synth.generate(root, 150, words=80, git=False)
    for name in ("SANGKIEN_NO_CACHE", "SANGKIEN_JOBS", "SANGKIEN_FAST_BUILD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SANGKIEN_NOW", NOW)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("SANGKIEN_CACHE_DIR", str(tmp_path / "cache"))
    yield root
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
