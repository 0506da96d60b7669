"""Generated pages keyed by their inputs (site/pagekeys.py, site/offloop.py): after each change a
cached rebuild gives, file for file, what a build from scratch gives, and it draws only the pages
that show what changed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from test_scale_equivalence import NOW, _site_files

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

DRAWN = re.compile(r"Trang tự tạo ngoài vòng dựng của MkDocs: (\d+) trang được vẽ, (\d+) trang không đổi")


def _env(cache: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": NOW, "NO_MKDOCS_2_WARNING": "1",
           "SANGKIEN_CACHE_DIR": str(cache)}
    for name in ("SANGKIEN_NO_CACHE", "SANGKIEN_JOBS", "SANGKIEN_FAST_BUILD"):
        env.pop(name, None)
    return {**env, **extra}


def _build(root: Path, dest: str, cache: Path, **env: str) -> tuple[Path, tuple[int, int] | None]:
    """A build into `dest`; (pages drawn, pages reused) outside MkDocs' loop, from the build's log."""
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", dest], cwd=root, env=_env(cache, **env),
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    found = DRAWN.search(done.stdout + done.stderr)
    return root / dest, (int(found.group(1)), int(found.group(2))) if found else None


@pytest.fixture(scope="module")
def kho(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("khoatrang") / "kho"
    synth.generate(root, 260, words=120, git=False)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _rebuilt_equals_scratch(kho: Path, cache: Path, scratch: Path) -> tuple[int, int]:
    """Rebuild with the cache, then from scratch (no cache, another folder): every file the same."""
    site, counts = _build(kho, "site", cache)
    fresh, _ = _build(kho, "site-scratch", scratch, SANGKIEN_NO_CACHE="1")
    a, b = _site_files(site), _site_files(fresh)
    assert sorted(a) == sorted(b)
    different = [rel for rel in a if a[rel] != b[rel]]
    assert not different, different[:10]
    assert counts is not None
    return counts


def test_a_rebuild_redraws_only_what_shows_the_change_and_equals_a_build_from_scratch(kho: Path, tmp_path: Path) -> None:
    cache, scratch = tmp_path / "cache", tmp_path / "scratch"
    shutil.rmtree(kho / "site", ignore_errors=True)
    drawn, reused = _rebuilt_equals_scratch(kho, cache, scratch)  # cold
    total = drawn + reused
    assert reused == 0 and total > 100
    # nothing changed: only the pages that show the build time (the campaigns') are drawn
    base, reused = _rebuilt_equals_scratch(kho, cache, scratch)
    assert base == len(list((kho / "entries").glob("*/campaign.yaml"))) and reused == total - base

    entry = sorted(kho.glob("entries/chau-thanh-2024/*/bn-ct-*.md"))[3]
    _edit(entry, '\ntitle: "', '\ntitle: "Bản sửa - ')
    drawn, _ = _rebuilt_equals_scratch(kho, cache, scratch)
    # its page, its unit's page, its catalogue page (when recognised): nothing else
    assert 1 <= drawn - base <= 3, drawn

    decisions = kho / "entries" / "chau-thanh-2024" / "decisions.yaml"
    _edit(decisions, "  issuer: UBND huyện Châu Thành\n", "  issuer: UBND huyện Châu Thành (sửa)\n")
    drawn, _ = _rebuilt_equals_scratch(kho, cache, scratch)  # the pages of the initiatives this decision recognised
    assert 1 <= drawn - base < total // 2, drawn
    text = decisions.read_text(encoding="utf-8")
    line = re.search(r"\n  - entry: bn-ct-\d+\n", text[text.index("\nrecognitions:"):])
    assert line is not None
    _edit(decisions, line.group(0), "\n")  # one recognition line less: its page goes, listings shift
    _rebuilt_equals_scratch(kho, cache, scratch)

    replication = sorted((kho / "entries" / "replications").rglob("*.md"))[0]
    _edit(replication, "\nsummary: ", "\nsummary: Đã sửa. ")
    drawn, _ = _rebuilt_equals_scratch(kho, cache, scratch)  # the initiative's page and the replicating unit's page
    assert 1 <= drawn - base <= 2, drawn

    units = kho / "entries" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    name = re.search(r"\n  - id: (tn-ct-[a-z-]+)\n    name: ([^\n]+)\n", text)
    assert name is not None
    _edit(units, f"    name: {name.group(2)}\n", f"    name: {name.group(2)} (tên mới)\n")
    drawn, _ = _rebuilt_equals_scratch(kho, cache, scratch)
    assert 1 <= drawn - base < total, drawn

    config = kho / "mkdocs.yml"
    _edit(config, "\nuse_directory_urls:", "\nsite_url: https://sangkien.example.gov.vn/thu/\nuse_directory_urls:")
    drawn, reused = _rebuilt_equals_scratch(kho, cache, scratch)  # every page's canonical link
    assert reused == 0 and drawn > 100, (drawn, reused)


def test_a_page_file_altered_in_the_site_folder_is_written_again(kho: Path, tmp_path: Path) -> None:
    cache, scratch = tmp_path / "cache", tmp_path / "scratch"
    _build(kho, "site", cache)
    page = next((kho / "site" / "sang-kien").glob("bn-ct-*/index.html"))
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", " (sửa tay)</h1>", 1), encoding="utf-8")
    drawn, _ = _rebuilt_equals_scratch(kho, cache, scratch)
    base = len(list((kho / "entries").glob("*/campaign.yaml")))
    assert drawn == base + 1


def test_the_sitemap_lists_the_pages_outside_the_loop_as_mkdocs_does(tmp_path: Path) -> None:
    """With a site_url every page has a canonical address: the sitemap written from plain records
    (no MkDocs Page for the pages outside its loop) is byte for byte the one of the plain build."""
    root = tmp_path / "kho"
    synth.generate(root, 40, words=60, git=False)
    _edit(root / "mkdocs.yml", "\nuse_directory_urls:", "\nsite_url: https://sangkien.example.gov.vn/tinh\nuse_directory_urls:")
    fast, _ = _build(root, "site", tmp_path / "cache")
    plain, _ = _build(root, "site-plain", tmp_path / "plain", SANGKIEN_NO_CACHE="1", SANGKIEN_JOBS="1", SANGKIEN_FAST_BUILD="0")
    sitemap = (fast / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://sangkien.example.gov.vn/tinh/sang-kien/" in sitemap and sitemap.count("<url>") > 40
    assert (fast / "sitemap.xml").read_bytes() == (plain / "sitemap.xml").read_bytes()
    assert (fast / "sitemap.xml.gz").read_bytes() == (plain / "sitemap.xml.gz").read_bytes()
    a, b = _site_files(fast), _site_files(plain)
    assert sorted(a) == sorted(b)
    assert not [rel for rel in a if a[rel] != b[rel]]


def test_a_chrome_changed_where_no_input_shows_it_is_caught_by_the_shell(tmp_path: Path) -> None:
    """The site name from an environment variable: mkdocs.yml's bytes stay the same, so every page's
    inputs key does too, but the learned shell differs: the held pages are drawn again."""
    root = tmp_path / "kho"
    synth.generate(root, 40, words=60, git=False)
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    name = re.search(r"^site_name: (.+)$", text, re.M)
    assert name is not None
    config.write_text(text.replace(name.group(0), f'site_name: !ENV [SK_TEN_TRANG, "{name.group(1)}"]'), encoding="utf-8")
    cache, scratch = tmp_path / "cache", tmp_path / "scratch"
    _, first = _build(root, "site", cache)
    assert first is not None
    site, again = _build(root, "site", cache, SK_TEN_TRANG="Kho sáng kiến của tỉnh (tên khác)")
    fresh, _ = _build(root, "site-scratch", scratch, SANGKIEN_NO_CACHE="1", SK_TEN_TRANG="Kho sáng kiến của tỉnh (tên khác)")
    assert again is not None and again[1] == 0 and again[0] == sum(first)
    a, b = _site_files(site), _site_files(fresh)
    assert sorted(a) == sorted(b)
    assert not [rel for rel in a if a[rel] != b[rel]]
    page = next((site / "sang-kien").glob("bn-*/index.html"))
    assert "Kho sáng kiến của tỉnh (tên khác)" in page.read_text(encoding="utf-8")
