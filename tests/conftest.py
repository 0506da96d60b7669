"""Shared fixtures: the repository itself, throw-away Git copies of it, and the real CLI."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


# ----------------------------------------------------------------- the built catalogue site
SITE_NOW = "2024-06-01T09:00:00+07:00"  # inside the Châu Thành window: exactly one campaign is open


def site_copy(dest: Path) -> Path:
    """What `mkdocs build` reads (entries, schema, docs, mkdocs.yml) copied to `dest`; tools/ is
    linked because mkdocs.yml names the theme overrides under it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("entries", "schema", "docs"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "tools").symlink_to(ROOT / "tools", target_is_directory=True)
    return dest


def build_site(kho: Path, *args: str, now: str = SITE_NOW) -> subprocess.CompletedProcess:
    """The real `mkdocs build` in a separate process, into kho/site."""
    env = {**os.environ, "SANGKIEN_NOW": now, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *args, "-d", str(kho / "site")], cwd=kho, env=env,
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once per session with `mkdocs build --strict` from a copy of the repository."""
    kho = site_copy(tmp_path_factory.mktemp("site") / "kho")
    done = build_site(kho, "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    return kho / "site"


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same site with three initiatives per catalogue page, to exercise the paged catalogue."""
    kho = site_copy(tmp_path_factory.mktemp("paged") / "kho")
    config = (kho / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  - sangkien\n" in config
    (kho / "mkdocs.yml").write_text(config.replace("\n  - sangkien\n", "\n  - sangkien:\n      catalogue_page_size: 3\n"), encoding="utf-8")
    done = build_site(kho, "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    return kho / "site"


# ----------------------------------------------------------------- the browser and a static server
CHROMIUM = "/usr/bin/chromium"  # Debian's package; browsers cannot be downloaded here
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Browser tests are skipped on a developer machine without Chromium, never in CI.
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                    reason="cần /usr/bin/chromium (apt-get install chromium); trong CI luôn chạy")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve a built site from `folder` on 127.0.0.1 (a free port) for the duration of the block."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole session; each test opens its own context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
