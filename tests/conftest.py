"""Shared fixtures: the repository itself, throw-away Git copies of it, and the real CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def git(cwd: Path, *args: str, env: dict | None = None) -> str:
    full_env = {**os.environ, "GIT_AUTHOR_NAME": "Thử nghiệm", "GIT_AUTHOR_EMAIL": "test@example.invalid",
                "GIT_COMMITTER_NAME": "Thử nghiệm", "GIT_COMMITTER_EMAIL": "test@example.invalid", **(env or {})}
    done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, env=full_env, check=True)
    return done.stdout.strip()


class TempRepo:
    """A real Git repository in a temporary folder, seeded with this project's data."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, rel: str, text: str | bytes) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")
        return target

    def read(self, rel: str) -> str:
        return (self.path / rel).read_text(encoding="utf-8")

    def commit(self, message: str = "thay đổi") -> str:
        git(self.path, "add", "-A")
        git(self.path, "commit", "-q", "--allow-empty", "-m", message)
        return git(self.path, "rev-parse", "HEAD")

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return run_sangkien(*args, cwd=self.path)


def run_sangkien(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real command line, in a separate process, as a user would run it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "sangkien", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)


@pytest.fixture
def repo(tmp_path: Path) -> TempRepo:
    """A copy of this repository's data and configuration in a fresh Git repository."""
    dest = tmp_path / "kho"
    dest.mkdir()
    for name in ("entries", "schema", "docs"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name)
    for name in ("mkdocs.yml",):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)
    git(dest, "init", "-q", "-b", "main")
    repo = TempRepo(dest)
    repo.commit("dữ liệu ban đầu")
    return repo
