"""The built catalogue in a real headless Chromium (Debian's, driven by Playwright), served by
`http.server` on 127.0.0.1: open campaign on the home page, facet filters, decision on the entry
page, 360 px without horizontal scroll, no console errors, no request leaving the local server,
entry page weight."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, SITE_NOW, needs_chromium, serving
from sangkien import vntime
from sangkien.site.context import load_site

pytestmark = needs_chromium
ENTRY = "so-hoa-ho-so-mot-cua-xa"
PAGES = ["", "sang-kien/", f"sang-kien/{ENTRY}/", "dot/chau-thanh-2024/", "don-vi/tn-ct-thanh-long/", "thong-ke/",
         "huong-dan/cac-truong/", "huong-dan/ma-loi/", "du-lieu/"]



@pytest.fixture(scope="module")
def base(built_site: Path) -> Iterator[str]:
    with serving(built_site) as url:
        yield url



class Watched:
    """A page whose console errors, failed responses and every requested URL are recorded."""

    def __init__(self, browser, width: int = 1280, javascript: bool = True) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.responses: list = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", lambda r: self.responses.append(r))

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def model():
    return load_site(ROOT, vntime.parse_instant(SITE_NOW))


def test_home_lists_the_open_campaign(browser, base, model) -> None:
    w = Watched(browser)
    w.open(base)
    open_list = w.page.locator("#dang-nhan + ul")
    assert model.repo.campaigns["chau-thanh-2024"].title in open_list.inner_text()
    assert "25/06/2024 23:59 (giờ Việt Nam)" in open_list.locator(".sk-deadline").inner_text()
    assert open_list.locator("li").count() == 1
    w.close()


def test_facet_filter_narrows_the_catalogue_and_sorting_reorders_it(browser, base, model) -> None:
    w = Watched(browser)
    w.open(base + "sang-kien/")
    items = w.page.locator("#sk-catalogue > li")
    total = items.count()
    assert total == len(model.recognised()) and total > 3
    assert w.page.locator("#sk-filters").is_visible()
    w.page.select_option("select[name=dot]", "chau-thanh-2024")
    visible = w.page.locator("#sk-catalogue > li:not([hidden])")
    expected = [x.id for x in model.recognised() if x.campaign == "chau-thanh-2024"]
    assert 0 < visible.count() == len(expected) < total
    assert "chau-thanh-2024" in w.page.url  # the filtered view can be shared
    assert f"Đang hiện {len(expected)} trên {total} sáng kiến." in w.page.locator("#sk-count").inner_text()
    # A second facet combines with the first (AND); an area no Châu Thành initiative has empties the list.
    areas = [v for v in w.page.locator("select[name=linh-vuc] option").evaluate_all("os => os.map(o => o.value)") if v]
    for area in areas:
        w.page.select_option("select[name=linh-vuc]", area)
        both = [x for x in model.recognised() if x.campaign == "chau-thanh-2024" and area in x.data.get("areas", [])]
        assert visible.count() == len(both), area
        assert w.page.locator("#sk-empty").is_visible() == (not both)
    w.page.click("button[type=reset]")
    w.page.wait_for_function(f"document.querySelectorAll('#sk-catalogue > li:not([hidden])').length === {total}")
    w.page.select_option("select[name=sap-xep]", "nhan-rong")
    first = w.page.locator("#sk-catalogue > li").first.get_attribute("data-reps")
    assert int(first) == max(len(model.replications_of(x.id)) for x in model.recognised()) > 0
    assert not w.errors
    w.close()


def test_catalogue_is_readable_without_javascript(browser, base, model) -> None:
    w = Watched(browser, javascript=False)
    w.open(base + "sang-kien/")
    assert w.page.locator("#sk-catalogue > li").count() == len(model.recognised())
    assert not w.page.locator("#sk-filters").is_visible()
    assert w.page.locator("#sk-catalogue > li").first.is_visible()
    w.close()


def test_entry_page_shows_its_decision(browser, base, model) -> None:
    w = Watched(browser)
    w.open(base + f"sang-kien/{ENTRY}/")
    decision, _ = model.repo.recognition(ENTRY)
    assert decision.number in w.page.locator(".sk-decision").first.inner_text()
    assert "Đã được công nhận" in w.page.locator(".sk-status").inner_text()
    assert w.page.locator(".sk-banner--demo").is_visible()
    assert w.page.locator(".sk-replication").count() == len(model.replications_of(ENTRY)) > 0
    w.close()


def test_pages_at_360px_no_horizontal_scroll_no_console_errors_no_foreign_request(browser, base) -> None:
    w = Watched(browser, width=360)
    wide = {}
    for path in PAGES + ["tim-kiem/", "nop-sang-kien/"]:
        w.open(base + path)
        width = w.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if width[0] > width[1]:
            wide[path] = width
    assert not wide
    assert not w.errors, w.errors[:5]
    failed = [f"{r.status} {r.url}" for r in w.responses if r.status >= 400]
    assert not failed
    hosts = {urlsplit(u).hostname for u in w.requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, hosts
    w.close()


def test_entry_page_weighs_at_most_100_kb_gzipped_on_first_load(browser, base) -> None:
    w = Watched(browser)
    w.open(base + f"sang-kien/{ENTRY}/")
    total = 0
    for response in w.responses:
        if response.status == 200:
            total += len(gzip.compress(response.body(), 6))
    assert not w.errors
    assert 20_000 < total <= 100_000, total
    w.close()


@pytest.fixture(scope="module")
def paged_base(paged_site: Path) -> Iterator[str]:
    with serving(paged_site) as url:
        yield url


def test_paged_catalogue_filters_all_pages_through_its_data_file(browser, paged_base, model) -> None:
    w = Watched(browser)
    w.open(paged_base + "sang-kien/")
    assert w.page.locator("#sk-catalogue > li").count() == 3 and w.page.locator("#sk-pager").is_visible()
    camp = "kcn-hung-yen-2024"
    expected = [x.id for x in model.recognised() if x.campaign == camp]
    w.page.select_option("select[name=dot]", camp)
    w.page.wait_for_function(f"document.querySelectorAll('#sk-catalogue > li').length === {len(expected)}")
    hrefs = w.page.locator("#sk-catalogue h3 a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs == [f"{x}/" for x in expected]
    assert not w.page.locator("#sk-pager").is_visible()
    assert any(r.endswith("/sang-kien/danh-muc.json") for r in w.requests)
    w.page.select_option("select[name=sap-xep]", "nhan-rong")
    top = w.page.locator("#sk-catalogue h3 a").first.get_attribute("href").rstrip("/")
    assert len(model.replications_of(top)) == max(len(model.replications_of(x)) for x in expected)
    w.page.locator("#sk-catalogue h3 a").first.click()
    w.page.wait_for_load_state("networkidle")
    assert w.page.url.endswith(f"/sang-kien/{top}/") and model.repo.entries[top].title in w.page.locator("h1").inner_text()
    w.page.go_back()
    w.page.wait_for_load_state("networkidle")
    w.page.click("button[type=reset]")
    w.page.wait_for_function("document.querySelectorAll('#sk-catalogue > li').length === 3")
    assert w.page.locator("#sk-pager").is_visible()
    assert not w.errors
    w.close()
