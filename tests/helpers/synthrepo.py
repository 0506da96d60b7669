"""Synthetic repositories for the tests of caches and incremental runs: generated once per module
(benchmarks/synth.py), then copied fresh for each test with the caches in their default place."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402


def generate(factory: pytest.TempPathFactory, entries: int, words: int) -> Path:
    """A repository of `entries` synthetic entries (the seed data plus generated ones), under Git."""
    root = factory.mktemp("seed") / "kho"
    synth.generate(root, entries, words=words)
    return root


def fresh_copy(seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of `seed` in `tmp_path`, its caches in the repository (.sangkien-cache/, not
    SANGKIEN_CACHE_DIR, on) and one process, so runs are comparable."""
    root = tmp_path / "kho"
    shutil.copytree(seed, root, symlinks=True)
    for name in ("SANGKIEN_NO_CACHE", "SANGKIEN_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SANGKIEN_JOBS", "1")
    return root


def fixtures(entries: int, words: int) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The two fixtures a test module takes: `seed`, generated once per module, and `kho`, a
    fresh copy of it per test. Use: `seed, kho = synthrepo.fixtures(40, words=60)`."""

    @pytest.fixture(scope="module")
    def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
        return generate(tmp_path_factory, entries, words=words)

    @pytest.fixture
    def kho(seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        return fresh_copy(seed, tmp_path, monkeypatch)

    return seed, kho
