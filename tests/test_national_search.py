"""National search (issue 18): in national mode the search page indexes the harvested initiatives,
not the local repository, and each result links back to the initiative's page at its source.

Catalogues are harvested from the local HTTP server of test_federation.py (127.0.0.1 only); the
site is built with the real `mkdocs build` and searched in headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

from conftest import TempRepo, build_site, needs_chromium, serving, site_copy
from helpers.cli import run_cli
from sangkien.site import search
from sangkien.site.national import search_docs
from sangkien.site.search import IndexReader
from test_federation import DONG_NAI, T0, T1, Catalogues, catalogue, row, server, sources  # noqa: F401 (server: the fixture)
from test_novelty_validate import TEXTS

DONG_NAI_SITE = "https://sangkien.dongnai.example.gov.vn"
NAV = "nav:\n  - Toàn quốc: index.md\n  - Tìm kiếm: tim-kiem/index.md\n\nextra:"


def national_config(copy: Path) -> None:
    config = (copy / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nnav:\n.*?\n\nextra:", "\n" + NAV, config, flags=re.S)
    assert "\n  sangkien:\n" in config
    (copy / "mkdocs.yml").write_text(config.replace("\n  sangkien:\n", "\n  sangkien:\n    national: true\n", 1), encoding="utf-8")


def test_search_docs_are_the_harvested_initiatives_with_safe_links_back_to_their_source(repo: TempRepo):
    relative = row("tuong-doi", "phong-hop-khong-giay", province="UBND tỉnh Bến Tre") | {"url": "sang-kien/tuong-doi/"}
    script = row("la", "dat-lich-kham-benh", province="UBND tỉnh Bến Tre") | {"url": "javascript:alert(1)"}
    newer = row("moi", "chi-tra-khong-tien-mat", province="UBND tỉnh Bến Tre")
    newer["decision"] = {**newer["decision"], "date": "2026-01-15"}
    older = row("cu", "lien-thong-khai-sinh", province="UBND tỉnh Bến Tre") | {"areas": [], "keywords": ["một cửa liên thông"]}
    repo.write("du-lieu-nhan/ben-tre.json", catalogue([relative, script, older, newer]))
    repo.write("entries/federation.yaml", "sources:\n  - id: ben-tre\n    name: Sáng kiến tỉnh Bến Tre\n    path: du-lieu-nhan/ben-tre.json\n"
                                          "    site: https://sangkien.bentre.example.gov.vn/\n")
    done = run_cli(["harvest"], cwd=repo.path, env={**os.environ, "SANGKIEN_NOW": T0, "PYTHONIOENCODING": "utf-8"})
    assert done.code == 0, done.stderr
    docs = search_docs(repo.path)
    assert [d.id for d in docs] == ["ben-tre/moi", "ben-tre/tuong-doi", "ben-tre/la", "ben-tre/cu"]  # newest recognition first
    by_id = {d.id: d for d in docs}
    assert by_id["ben-tre/tuong-doi"].url == "https://sangkien.bentre.example.gov.vn/sang-kien/tuong-doi/"  # relative: at the source's home
    assert by_id["ben-tre/la"].url == "toan-quoc/ben-tre/"  # never a javascript: link; the source's page on this site
    moi = by_id["ben-tre/moi"]
    assert moi.url == "https://sangkien.tayninh.example.gov.vn/sang-kien/moi/" and moi.year == "2026"
    assert (moi.title, moi.unit, moi.province) == (TEXTS["chi-tra-khong-tien-mat"]["title"], "UBND xã A", "UBND tỉnh Bến Tre")
    assert "Sáng kiến tỉnh Bến Tre" in moi.meta and "Cải cách thủ tục hành chính, cơ chế một cửa" in moi.meta
    # the index built from them finds a harvested initiative by its source's name or a keyword, typed without tones
    folder = repo.path / "chi-muc"
    search.write_index(docs, folder)
    reader = IndexReader(folder / search.INDEX_DIR)
    assert sorted(reader.query("sang kien tinh ben tre").docs) == [0, 1, 2, 3]
    found = reader.query("mot cua lien thong").docs
    assert 3 in found and reader.record(3)[1] == "https://sangkien.tayninh.example.gov.vn/sang-kien/cu/"
    # without a usable sources file there is nothing to index
    repo.write("entries/federation.yaml", "sources: khong-phai-danh-sach\n")
    assert search_docs(repo.path) == []


@needs_chromium
def test_the_national_search_finds_another_provinces_initiative_and_links_to_its_source(tmp_path: Path, server: str, browser):  # noqa: F811
    Catalogues.files["dong-nai.json"] = DONG_NAI
    copy = site_copy(tmp_path / "kho")
    shutil.rmtree(copy / "docs" / "huong-dan")  # the province's guides link to its own generated pages
    (copy / "entries" / "federation.yaml").write_text(
        sources(server) + f"  - id: dong-nai\n    name: Sáng kiến cải cách hành chính tỉnh Đồng Nai\n    url: {server}/dong-nai.json\n", encoding="utf-8")
    assert run_cli(["harvest"], cwd=copy, env={**os.environ, "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": T0}).code == 1  # «hong» is refused
    national_config(copy)
    done = build_site(copy, "--strict", now=T1)
    assert done.returncode == 0, done.stdout + done.stderr
    site = copy / "site"
    manifest = json.loads((site / search.INDEX_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["count"] == 5  # Tây Ninh 2, Khánh Hòa 1, Đồng Nai 2: the harvested initiatives, none of the local repository
    title = TEXTS["dat-lich-kham-benh"]["title"]
    with serving(site) as base:
        context = browser.new_context()
        page = context.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(base + "tim-kiem/")
        page.wait_for_selector("#sk-search[data-ready]")
        page.fill("#sk-q", "dat lich kham benh")  # typed without tones
        page.press("#sk-q", "Enter")
        page.wait_for_selector("#sk-search[data-done]")
        page.wait_for_function("!document.getElementById('sk-status').textContent.startsWith('Đang')")
        hits = page.locator("#sk-results li.sk-hit")
        assert hits.count() == 1
        link = hits.first.locator("a.sk-hit-title")
        assert link.inner_text() == title
        assert link.get_attribute("href") == f"{DONG_NAI_SITE}/sang-kien/dat-lich-kham-benh/"  # the page at its source, as written
        assert link.get_attribute("rel") == "nofollow noopener"
        assert "UBND tỉnh Đồng Nai" in hits.first.locator(".sk-hit-meta").inner_text()
        # the source's name finds its initiatives too; a local initiative is not in the national index
        page.goto(base + "tim-kiem/?q=" + quote("khanh hoa"))
        page.wait_for_selector("#sk-search[data-done]")
        page.wait_for_function("!document.getElementById('sk-status').textContent.startsWith('Đang')")
        hrefs = page.eval_on_selector_all("#sk-results a", "as => as.map(a => a.getAttribute('href'))")
        assert hrefs == ["https://sangkien.khanhhoa.example.gov.vn/sang-kien/phong-hop-khong-giay/"]
        context.close()
    outside = [u for u in requests if not u.startswith(base) and not u.startswith(("data:", "blob:", "about:"))]
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert errors == []


def test_a_sources_initiatives_are_paged(repo: TempRepo, monkeypatch):
    from datetime import datetime

    from sangkien.site import national

    names = ["lien-thong-khai-sinh", "chi-tra-khong-tien-mat", "phong-hop-khong-giay", "dat-lich-kham-benh", "tai-san-cong-ma-vach"]
    repo.write("du-lieu-nhan/ben-tre.json", catalogue([row(f"sk-{n}", name) for n, name in enumerate(names)]))
    repo.write("entries/federation.yaml", "sources:\n  - id: ben-tre\n    name: Sáng kiến tỉnh Bến Tre\n    path: du-lieu-nhan/ben-tre.json\n")
    assert run_cli(["harvest"], cwd=repo.path, env={**os.environ, "SANGKIEN_NOW": T0, "PYTHONIOENCODING": "utf-8"}).code == 0
    monkeypatch.setattr(national, "PAGE_SIZE", 2)
    pages = {p.url: p for p in national.pages(repo.path, datetime.fromisoformat(T1))}
    listed = [u for u in pages if u.startswith("toan-quoc/ben-tre/")]
    assert listed == ["toan-quoc/ben-tre/", "toan-quoc/ben-tre/trang/2/", "toan-quoc/ben-tre/trang/3/"]
    titles = sorted(TEXTS[n]["title"] for n in names)
    second = pages["toan-quoc/ben-tre/trang/2/"]
    assert second.title == "Sáng kiến tỉnh Bến Tre — trang 2"
    body = second.html()
    assert "Sáng kiến thứ 3–4 trên 5, xếp theo tên." in body
    shown = re.findall(r'rel="nofollow noopener">([^<]+)</a></li>', body)
    assert shown == [t.replace('"', "&quot;") for t in titles[2:4]]
    # the pager links every page from here, relative to this page; the overview (toan-quoc/ when the site is not national)
    assert '<a href="../../">1</a>' in body and '<strong aria-current="page">2</strong>' in body and '<a href="../3/">3</a>' in body
    assert '<a href="../../../../toan-quoc/">Tất cả địa phương</a>' in body
    first = pages["toan-quoc/ben-tre/"].html()
    assert '<a href="trang/2/">2</a>' in first and "<h1>Sáng kiến tỉnh Bến Tre</h1>" in first


def test_the_exported_national_catalogue_searches_the_harvested_initiatives(repo: TempRepo, tmp_path: Path):
    """`sangkien site --out` indexes what the plugin indexes: in national mode, the harvested initiatives."""
    repo.write("du-lieu-nhan/ben-tre.json", catalogue([row("moi", "chi-tra-khong-tien-mat", province="UBND tỉnh Bến Tre"),
                                                       row("cu", "lien-thong-khai-sinh", province="UBND tỉnh Bến Tre")]))
    repo.write("entries/federation.yaml", "sources:\n  - id: ben-tre\n    name: Sáng kiến tỉnh Bến Tre\n    path: du-lieu-nhan/ben-tre.json\n")
    env = {**os.environ, "SANGKIEN_NOW": T0, "PYTHONIOENCODING": "utf-8"}
    assert run_cli(["harvest"], cwd=repo.path, env=env).code == 0
    national_config(repo.path)
    out = tmp_path / "xuat"
    done = run_cli(["site", "--out", str(out), "--root", str(repo.path)], cwd=repo.path, env={**env, "SANGKIEN_NOW": T1})
    assert done.code == 0, done.stdout + done.stderr
    manifest = json.loads((out / "docs" / search.INDEX_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["count"] == 2  # the two harvested initiatives, none of the repository's own
    reader = IndexReader(out / "docs" / search.INDEX_DIR)
    assert reader.record(reader.query("ben tre").docs[0])[1].startswith("https://")
