"""`sangkien site --out DIR`: the catalogue as files that MkDocs builds without the sangkien plugin,
with the same page content, search index and open data as the plugin's build."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SITE_NOW, build_site, site_copy
from helpers.cli import run_cli

ENTRY = "sang-kien/so-hoa-ho-so-mot-cua-xa/index.html"
EDIT = re.compile(r'<a href="[^"]*" title="Chỉnh sửa".*?</a>', re.S)


def _article(html: str) -> str:
    found = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>\s*</div>', html, re.S)
    assert found is not None
    # Markdown puts a line break between the top-level elements of a raw HTML body: the same page.
    return re.sub(r">\n+<", "><", EDIT.sub("", found.group(1)).strip())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("standalone")
    kho = site_copy(base / "kho")
    done = build_site(kho)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "SANGKIEN_NOW": SITE_NOW, "PYTHONIOENCODING": "utf-8"}
    result = run_cli(["site", "--out", str(base / "xuat")], cwd=kho, env=env)
    assert result.code == 0, result.stdout + result.stderr
    assert "Đã ghi danh mục vào" in result.stdout
    # MkDocs from the exported folder alone: its mkdocs.yml names no sangkien plugin.
    config = (base / "xuat" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "sangkien\n" not in config.split("plugins:", 1)[1].split("\n", 1)[0] and "plugins: []" in config
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], cwd=base / "xuat",
                          env={**env, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return kho / "site", base / "xuat" / "site"


def test_every_generated_page_is_built_from_the_exported_folder(built: tuple[Path, Path]) -> None:
    plugin, outside = built
    pages = sorted(p.relative_to(plugin).as_posix() for p in plugin.rglob("index.html"))
    assert ENTRY in pages and len(pages) > 50
    missing = [p for p in pages if not (outside / p).is_file()]
    assert not missing, missing[:10]
    different = [p for p in pages if p.startswith(("sang-kien/", "dot/", "don-vi/", "thong-ke/"))
                 and _article((plugin / p).read_text(encoding="utf-8")) != _article((outside / p).read_text(encoding="utf-8"))]
    assert not different, different[:10]


def test_the_search_index_and_open_data_are_the_plugins(built: tuple[Path, Path]) -> None:
    plugin, outside = built
    for rel in ("du-lieu/sang-kien.json", "du-lieu/sang-kien.csv", "assets/sangkien/site.css", "assets/sangkien/search.js"):
        assert (outside / rel).read_bytes() == (plugin / rel).read_bytes(), rel
    index = sorted(p.relative_to(plugin).as_posix() for p in (plugin / "tim-kiem" / "chi-muc").rglob("*") if p.is_file())
    assert index and all((outside / rel).read_bytes() == (plugin / rel).read_bytes() for rel in index)
    assert json.loads((outside / "du-lieu" / "sang-kien.json").read_text(encoding="utf-8"))
    # The open campaign's Word template sits beside the submission page, as in the plugin's build.
    assert sorted(p.name for p in (outside / "nop-sang-kien").glob("*.docx")) == sorted(p.name for p in (plugin / "nop-sang-kien").glob("*.docx"))


def test_a_folder_with_files_is_refused(tmp_path: Path) -> None:
    kho = site_copy(tmp_path / "kho")
    (tmp_path / "co-tep").mkdir()
    (tmp_path / "co-tep" / "ghi-chu.txt").write_text("giữ nguyên", encoding="utf-8")
    env = {**os.environ, "SANGKIEN_NOW": SITE_NOW, "PYTHONIOENCODING": "utf-8"}
    result = run_cli(["site", "--out", str(tmp_path / "co-tep")], cwd=kho, env=env)
    assert result.code == 2
    assert "SK940" in result.stdout and "không ghi đè" in result.stdout
    assert sorted(p.name for p in (tmp_path / "co-tep").iterdir()) == ["ghi-chu.txt"]


def test_an_unreadable_mkdocs_yml_and_a_bad_build_time_are_reported(tmp_path: Path) -> None:
    kho = site_copy(tmp_path / "kho")
    env = {**os.environ, "SANGKIEN_NOW": SITE_NOW, "PYTHONIOENCODING": "utf-8"}
    (kho / "mkdocs.yml").write_text("site_name: [Kho\n", encoding="utf-8")
    result = run_cli(["site", "--out", str(tmp_path / "a")], cwd=kho, env=env)
    assert result.code == 2 and "SK941" in result.stdout and "mkdocs.yml" in result.stdout and "Traceback" not in result.stderr
    site_copy(tmp_path / "kho2")
    result = run_cli(["site", "--out", str(tmp_path / "b")], cwd=tmp_path / "kho2", env={**env, "SANGKIEN_NOW": "hôm qua"})
    assert result.code == 2 and "SK942" in result.stdout and "SANGKIEN_NOW" in result.stdout
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").iterdir())
