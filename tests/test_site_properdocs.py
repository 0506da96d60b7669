"""ProperDocs (the maintained MkDocs fork) builds the site with the sangkien plugin, file for file
what MkDocs builds (the generator tag aside), and builds the folder written by `sangkien site`."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import properdocs  # noqa: F401  # the test extra pins it: a missing install fails here, not silently
import pytest
from conftest import SITE_NOW, build_site, site_copy
from helpers.cli import run_cli

GENERATOR = b'<meta name="generator" content="'


def _properdocs(folder: Path, dest: str) -> Path:
    env = {**os.environ, "SANGKIEN_NOW": SITE_NOW, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "properdocs", "build", "-q", "-d", dest], cwd=folder, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder / dest


def _content(path: Path) -> bytes:
    """A file as compared: the generator tag out of pages, Office files by their member names and
    contents without the document's creation times."""
    data = path.read_bytes()
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as book:
            return b"\1".join(name.encode() + b"\0" + (b"" if name == "docProps/core.xml" else book.read(name))
                              for name in sorted(book.namelist()))
    if path.suffix == ".html":
        return b"\n".join(line for line in data.split(b"\n") if GENERATOR not in line)
    return data


@pytest.fixture(scope="module")
def kho(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_copy(tmp_path_factory.mktemp("properdocs") / "kho")


def test_properdocs_builds_what_mkdocs_builds(kho: Path) -> None:
    done = build_site(kho)
    assert done.returncode == 0, done.stderr
    mk, pd = kho / "site", _properdocs(kho, "site-properdocs")
    a = sorted(p.relative_to(mk).as_posix() for p in mk.rglob("*") if p.is_file())
    b = sorted(p.relative_to(pd).as_posix() for p in pd.rglob("*") if p.is_file())
    assert a == b and "sang-kien/so-hoa-ho-so-mot-cua-xa/index.html" in a
    different = [rel for rel in a if _content(mk / rel) != _content(pd / rel)]
    assert not different, different[:10]
    assert b"ProperDocs" in (pd / "index.html").read_bytes()  # really ProperDocs' build


def test_properdocs_builds_the_exported_catalogue(kho: Path, tmp_path: Path) -> None:
    env = {**os.environ, "SANGKIEN_NOW": SITE_NOW, "PYTHONIOENCODING": "utf-8"}
    result = run_cli(["site", "--out", str(tmp_path / "xuat")], cwd=kho, env=env)
    assert result.code == 0, result.stdout + result.stderr
    site = _properdocs(tmp_path / "xuat", "site")
    page = (site / "sang-kien" / "so-hoa-ho-so-mot-cua-xa" / "index.html").read_text(encoding="utf-8")
    assert "Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long</h1>" in page
    assert (site / "du-lieu" / "sang-kien.json").is_file() and any((site / "tim-kiem" / "chi-muc").iterdir())
