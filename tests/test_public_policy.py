"""What the public sees (issue 16), on real `mkdocs build`s of a copy of the repository and in a
real headless Chromium: recognised initiatives only (revoked ones marked), never a submission
under review or turned down, a thi đua nomination, a screening reason or a score; the opt-in
listing by title; site_url for absolute links and the deploy build that requires it; the licence
of the open data; edit links in the shape of each Git host."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import ROOT, SITE_NOW, build_site, needs_chromium, serving, site_copy
from openpyxl import load_workbook
from sangkien import vntime
from sangkien.site.context import Site, Source, load_site
from sangkien.site.search import IndexReader

SITE_URL = "https://sangkien.example.gov.vn/tinh/"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def model() -> Site:
    return load_site(ROOT, vntime.parse_instant(SITE_NOW))


def _configure(kho: Path, *, site_url: str = "", extra: str = "", forge: str = "") -> None:
    config = (kho / "mkdocs.yml").read_text(encoding="utf-8")
    if site_url:
        config = config.replace("\n# site_url: https://sangkien.example.gov.vn/\n", f"\nsite_url: {site_url}\n")
        assert f"site_url: {site_url}" in config
    if forge:
        host, kind = forge.split(" ")
        config = re.sub(r"\n    host: .*\n", f"\n    host: {host}\n", config)
        config = re.sub(r"\n    forge: .*\n", f"\n    forge: {kind}\n", config)
    (kho / "mkdocs.yml").write_text(config + extra, encoding="utf-8")


def _built(tmp_path_factory: pytest.TempPathFactory, name: str, **options: str) -> Path:
    kho = site_copy(tmp_path_factory.mktemp(name) / "kho")
    _configure(kho, **options)
    done = build_site(kho, "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    return kho / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository as shipped, with a site_url (as a deploy build has)."""
    return _built(tmp_path_factory, "public", site_url=SITE_URL)


def _texts(site: Path) -> Iterator[tuple[str, str]]:
    """Every text file of the built site (pages, search index, sitemap, feed, JSON, CSV, notes) and the XLSX's cells."""
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".json", ".xml", ".csv", ".txt"):
            yield str(path.relative_to(site)), path.read_text(encoding="utf-8-sig")
    book = load_workbook(site / "du-lieu/sang-kien.xlsx", read_only=True)
    cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    yield "du-lieu/sang-kien.xlsx", cells


def _screening_reasons_and_nominees(model: Site) -> list[str]:
    secret = []
    for dec in model.repo.decisions.values():
        secret += [" ".join(str(x["reason"]).split())[:60] for x in dec.items("screening") if x.get("reason")]
    for entry in model.repo.entries.values():
        if entry.kind == "nomination":
            secret.append(str((entry.data.get("nominee") or {}).get("name")))
    return [s for s in secret if s and s != "None"]


# ----------------------------------------------------------------- the policy in the model
def test_policy_in_one_place(model: Site) -> None:
    public = model.public_entries()
    assert public and all(model.is_public(x) for x in public)
    assert {x.id for x in public} == {x.id for x in model.recognised()} | {x.id for x in model.initiatives() if model.recognitions(x.id)}
    assert not [x for x in model.repo.entries.values() if x.kind == "nomination" and model.is_public(x)]
    assert [x for x in model.initiatives() if not model.is_public(x)], "the seed data should hold submissions not recognised"
    assert all(model.publication(c) == "cong-nhan" for c in model.repo.campaigns)
    exported = model.public_repo()
    assert set(exported.entries) == {x.id for x in public}


# ----------------------------------------------------------------- the built site
def test_no_page_hit_sitemap_line_or_export_row_for_what_is_not_public(site: Path, model: Site) -> None:
    hidden = [x for x in model.repo.entries.values() if not model.is_public(x)]
    assert any(x.kind == "nomination" for x in hidden) and any(x.kind == "entry" for x in hidden)
    assert not [x.id for x in hidden if (site / "sang-kien" / x.id).exists()]
    leaks = []
    for rel, text in _texts(site):
        for entry in hidden:
            if entry.title in text or f"sang-kien/{entry.id}/" in text:
                leaks.append(f"{rel}: {entry.id}")
    assert not leaks, leaks[:20]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for entry in model.public_entries():
        assert f"{SITE_URL}sang-kien/{entry.id}/" in sitemap


def test_screening_reasons_scores_and_nominees_are_never_published(site: Path, model: Site) -> None:
    secrets = _screening_reasons_and_nominees(model)
    assert len(secrets) >= 10
    found = [f"{rel}: {s[:40]}" for rel, text in _texts(site) for s in secrets if s in " ".join(text.split())]
    assert not found, found[:20]
    for rel, text in _texts(site):
        for label in ("Không đạt sơ loại", "Đạt sơ loại", "Đã chấm điểm", "Không được công nhận", "Tổng điểm:"):
            assert label not in text, (rel, label)


def test_counts_per_campaign_and_unit_remain(site: Path, model: Site) -> None:
    camp = "chau-thanh-2024"
    entries = model.repo.entries_of(camp)
    public = [x for x in entries if model.is_public(x)]
    page = (site / f"dot/{camp}/index.html").read_text(encoding="utf-8")
    assert f"Đã nộp {len(entries)} bài; {len(public)} sáng kiến được công nhận" in page
    assert "không công bố" in page
    revoked = [x for x in public if not model.recognition(x)]
    assert revoked
    text = (site / f"sang-kien/{revoked[0].id}/index.html").read_text(encoding="utf-8")
    assert "Đã bị thu hồi công nhận" in text
    assert revoked[0].id not in (site / "sang-kien/index.html").read_text(encoding="utf-8")
    unit = next(x.unit for x in entries if not model.is_public(x))
    assert "Bài đã nộp (" in (site / f"don-vi/{unit}/index.html").read_text(encoding="utf-8")


def test_search_indexes_labels_of_type_area_index_and_level(site: Path, model: Site) -> None:
    reader = IndexReader(site / "tim-kiem/chi-muc")
    titles = {row[0] for row in (reader.record(d) for d in reader.query("kỹ thuật", shown=100).docs)}
    wanted = {x.title for x in model.recognised() if x.data.get("solution_type") == "ung-dung-tien-bo-ky-thuat"}
    assert wanted and wanted <= titles
    assert reader.query("giải pháp tác nghiệp").docs
    assert reader.query("cấp cơ sở").docs
    assert reader.query("chính quyền số").docs and reader.query("PAR INDEX").docs
    assert reader.manifest["count"] == len(model.recognised())


def test_site_url_makes_every_link_absolute(site: Path) -> None:
    locs = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert locs and all(x.startswith(SITE_URL) for x in locs)
    feed = ET.parse(site / "du-lieu/moi-cong-nhan.xml").getroot()
    hrefs = [x.get("href") or "" for x in feed.iter(f"{ATOM}link")]
    assert hrefs and all(h.startswith(SITE_URL) for h in hrefs), hrefs
    assert (feed.findtext(f"{ATOM}id") or "").startswith(SITE_URL)
    document = json.loads((site / "du-lieu/sang-kien.json").read_text(encoding="utf-8"))
    assert document["schema"].startswith(SITE_URL) and all(r["url"].startswith(SITE_URL) for r in document["entries"])
    rows = list(csv.DictReader(io.StringIO((site / "du-lieu/sang-kien.csv").read_text(encoding="utf-8-sig"))))
    assert rows and all(r["Đường dẫn"].startswith(SITE_URL) for r in rows)
    book = load_workbook(site / "du-lieu/sang-kien.xlsx", read_only=True)
    sheet = book["Sáng kiến"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    urls = [row[header.index("Đường dẫn")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert urls and all(str(u).startswith(SITE_URL) for u in urls)
    about = {r[0]: r[1] for r in book["Thông tin"].iter_rows(values_only=True)}
    assert str(about["Lược đồ dữ liệu"]).startswith(SITE_URL)
    page = (site / "sang-kien/so-hoa-ho-so-mot-cua-xa/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}sang-kien/so-hoa-ho-so-mot-cua-xa/">' in page


def test_licence_is_stated_on_the_data_page_and_in_every_export(site: Path) -> None:
    name = "Giấy phép Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0)"
    url = "https://creativecommons.org/licenses/by/4.0/deed.vi"
    page = (site / "du-lieu/index.html").read_text(encoding="utf-8")
    assert name in page and url in page
    assert "dấu chấm phẩy (;)" in page and "65001: Unicode (UTF-8)" in page and "doc-truoc.txt" in page
    document = json.loads((site / "du-lieu/sang-kien.json").read_text(encoding="utf-8"))
    assert document["licence"] == {"id": "CC-BY-4.0", "name": name, "url": url}
    about = {r[0]: r[1] for r in load_workbook(site / "du-lieu/sang-kien.xlsx", read_only=True)["Thông tin"].iter_rows(values_only=True)}
    assert about["Giấy phép"] == name and about["Văn bản giấy phép"] == url
    feed = ET.parse(site / "du-lieu/moi-cong-nhan.xml").getroot()
    assert url in (feed.findtext(f"{ATOM}rights") or "")
    note = (site / "du-lieu/doc-truoc.txt").read_text(encoding="utf-8-sig")
    assert name in note and url in note and "UTF-8" in note and "(;)" in note
    first = (site / "du-lieu/sang-kien.csv").read_text(encoding="utf-8-sig").split("\r\n", 1)[0]
    assert first.startswith("Mã sáng kiến,Tên sáng kiến,")  # the header row stays the first line


def test_a_chosen_licence_and_an_unknown_one(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    site = _built(tmp_path_factory, "cc-by")  # shipped config: cc-by-4.0
    assert json.loads((site / "du-lieu/sang-kien.json").read_text(encoding="utf-8"))["licence"]["id"] == "CC-BY-4.0"
    kho = site_copy(tmp_path / "kho")
    config = (kho / "mkdocs.yml").read_text(encoding="utf-8").replace("licence: cc-by-4.0", "licence: cc0-1.0")
    (kho / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert build_site(kho).returncode == 0
    assert json.loads((kho / "site/du-lieu/sang-kien.json").read_text(encoding="utf-8"))["licence"]["id"] == "CC0-1.0"
    (kho / "mkdocs.yml").write_text(config.replace("licence: cc0-1.0", "licence: tu-do"), encoding="utf-8")
    done = build_site(kho)
    assert done.returncode != 0 and "không phải giấy phép đã biết" in done.stderr


def test_opt_in_lists_titles_without_any_council_remark(tmp_path_factory: pytest.TempPathFactory, model: Site) -> None:
    kho = site_copy(tmp_path_factory.mktemp("ten-bai") / "kho")
    campaign = kho / "entries/chau-thanh-2024/campaign.yaml"
    campaign.write_text(campaign.read_text(encoding="utf-8").rstrip("\n") + "\npublication: ten-bai\n", encoding="utf-8")
    done = build_site(kho, "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    site = kho / "site"
    page = (site / "dot/chau-thanh-2024/index.html").read_text(encoding="utf-8")
    hidden = [x for x in model.repo.entries_of("chau-thanh-2024") if not model.is_public(x)]
    assert hidden
    for entry in hidden:
        assert entry.title in page and not (site / "sang-kien" / entry.id).exists()
        assert f"sang-kien/{entry.id}/" not in page
    for secret in _screening_reasons_and_nominees(model):
        assert secret not in " ".join(page.split())
    other = (site / "dot/kcn-hung-yen-2024/index.html").read_text(encoding="utf-8")
    assert not [x.title for x in model.repo.entries_of("kcn-hung-yen-2024") if not model.is_public(x) and x.title in other]


# ----------------------------------------------------------------- deploy builds
def test_a_deploy_build_without_site_url_stops_with_a_vietnamese_error(tmp_path: Path) -> None:
    kho = site_copy(tmp_path / "kho")
    env_build = [sys.executable, "-m", "mkdocs", "build", "-d", str(kho / "site")]
    env = {**os.environ, "SANGKIEN_NOW": SITE_NOW, "SANGKIEN_DEPLOY": "1", "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(env_build, cwd=kho, env=env, capture_output=True, text=True, check=False)
    assert done.returncode != 0
    assert "SK920" in done.stderr and "site_url" in done.stderr and "mkdocs.yml" in done.stderr and "Cách sửa" in done.stderr
    _configure(kho, site_url=SITE_URL)
    done = subprocess.run(env_build, cwd=kho, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_settings_deploy(monkeypatch: pytest.MonkeyPatch) -> None:
    from sangkien import settings

    for value, expected in (("", False), ("0", False), ("1", True), ("true", True)):
        monkeypatch.setenv("SANGKIEN_DEPLOY", value)
        assert settings.deploy() is expected


# ----------------------------------------------------------------- edit links per host
@pytest.mark.parametrize(("forge", "read", "edit"), [
    ("github", "https://h.example/o/r/blob/main/entries/a.md", "https://h.example/o/r/edit/main/entries/a.md"),
    ("gitlab", "https://h.example/o/r/-/blob/main/entries/a.md", "https://h.example/o/r/-/edit/main/entries/a.md"),
    ("gitea", "https://h.example/o/r/src/branch/main/entries/a.md", "https://h.example/o/r/_edit/main/entries/a.md"),
    ("forgejo", "https://h.example/o/r/src/branch/main/entries/a.md", "https://h.example/o/r/_edit/main/entries/a.md"),
])
def test_source_links_follow_the_forge(forge: str, read: str, edit: str) -> None:
    source = Source("https://h.example/", "o/r", "main", forge)
    assert source.file_url("entries/a.md") == read and source.edit_url("entries/a.md") == edit
    assert Source().edit_url("entries/a.md") == ""


@pytest.mark.parametrize(("forge", "edit"), [
    ("https://github.com github", "https://github.com/sangkien-vn/sangkien/edit/main/"),
    ("https://gitlab.example.gov.vn gitlab", "https://gitlab.example.gov.vn/sangkien-vn/sangkien/-/edit/main/"),
    ("https://git.example.gov.vn gitea", "https://git.example.gov.vn/sangkien-vn/sangkien/_edit/main/"),
])
def test_edit_buttons_of_a_built_site_follow_the_forge(forge: str, edit: str, tmp_path_factory: pytest.TempPathFactory, model: Site) -> None:
    site = _built(tmp_path_factory, "forge", forge=forge)
    entry = model.repo.entries["so-hoa-ho-so-mot-cua-xa"]
    page = (site / f"sang-kien/{entry.id}/index.html").read_text(encoding="utf-8")
    buttons = re.findall(r'<a href="([^"]+)" title="Chỉnh sửa"', page)
    assert buttons == [edit + entry.path], buttons
    assert "/blob/" not in edit or "/blob/main/" in page
    guide = (site / "huong-dan/nop-bai/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)" title="Chỉnh sửa"', guide) == [edit + "docs/huong-dan/nop-bai.md"]


# ----------------------------------------------------------------- in a real Chromium
@needs_chromium
def test_in_chromium_the_search_finds_recognised_and_never_hidden_entries(browser, site: Path, model: Site) -> None:
    hidden = [x for x in model.repo.entries.values() if not model.is_public(x)]
    with serving(site) as base:
        context = browser.new_context()
        page = context.new_page()
        try:
            def results(q: str) -> list[str]:
                page.goto(f"{base}tim-kiem/?q={quote(q)}")
                page.wait_for_selector("#sk-search[data-done]")
                page.wait_for_function("!document.getElementById('sk-status').textContent.startsWith('Đang')")
                return page.eval_on_selector_all("#sk-results a", "as => as.map(a => a.textContent)")

            found = results("kỹ thuật")
            assert {x.title for x in model.recognised() if x.data.get("solution_type") == "ung-dung-tien-bo-ky-thuat"} <= set(found)
            assert "Giải pháp ứng dụng tiến bộ kỹ thuật" not in found
            for entry in hidden[:8]:
                shown = results(entry.title)
                assert entry.title not in shown, entry.id
            response = page.goto(f"{base}sang-kien/{hidden[0].id}/")
            assert response is not None and response.status == 404
        finally:
            context.close()
