"""«Ghi nhận nhân rộng» in a real headless Chromium, against the real validator.

The page is the one `sangkien.site.form` generates from schema/replication.schema.json. A person
fills it, downloads the file, and `sangkien validate` accepts that file in a copy of the
repository; files with mistakes get the same codes in the browser as from the validator.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import git, needs_chromium, run_sangkien, serving
from helpers.form_site import SOURCE, write_form_site
from sangkien import validator
from sangkien.site import form

ROOT = Path(__file__).resolve().parents[1]
ICT = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2024, 11, 4, 9, 0, tzinfo=ICT)

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return write_form_site(tmp_path_factory.mktemp("replication-site"), "replication")


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


class Page:
    def __init__(self, browser, base: str, locale: str = "vi-VN") -> None:
        self.context = browser.new_context(locale=locale, accept_downloads=True, viewport={"width": 1100, "height": 900})
        self.context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.clock.set_fixed_time(NOW)
        self.page.goto(base + form.REPLICATION_URL)
        self.page.wait_for_selector("#skf-form-status")

    def fill(self, path: str, value: str) -> None:
        self.page.fill(f"#skf-f-{path}", value)

    def select(self, path: str, value: str) -> None:
        self.page.select_option(f"#skf-f-{path}", value)

    def check(self) -> None:
        self.page.click("#skf-check")

    def valid(self) -> bool:
        return self.page.get_attribute("#skf-form-status", "data-valid") == "true"

    def codes(self) -> set[str]:
        return set(self.page.eval_on_selector_all("#skf-form-problems li, #skf-form-warnings li", "els => els.map(e => e.dataset.code)"))

    def output(self) -> str:
        return self.page.evaluate("window.sangkienForm.state.content")

    def load(self, text: str) -> None:
        self.page.evaluate("document.getElementById('skf-load-note').textContent = ''")
        self.page.evaluate("document.getElementById('skf-load').open = true")
        self.page.fill("#skf-load-text", text)
        self.page.click("#skf-load-apply")
        self.page.wait_for_function("document.getElementById('skf-load-note').textContent !== ''")

    def close(self) -> None:
        self.context.close()


def _repository(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("entries", "schema"):
        shutil.copytree(ROOT / name, folder / name)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "dữ liệu ban đầu")
    return folder


def fill_record(p: Page) -> None:
    p.select("initiative", "so-hoa-ho-so-mot-cua-xa")
    p.fill("since", "15/10/2024")
    p.select("unit", "tn-ct-an-binh")
    p.fill("summary", "Xã An Bình quét hồ sơ ngay tại quầy Một cửa; thời gian trả bản sao chứng thực giảm từ 2 ngày xuống 1 ngày.")
    p.fill("adapted", "Dùng máy quét sẵn có; chỉ áp dụng cho hồ sơ chứng thực trong tháng đầu.")
    p.fill("results-0-indicator", "Thời gian trả kết quả chứng thực bản sao")
    p.fill("results-0-baseline", "2")
    p.fill("results-0-result", "1")
    p.fill("results-0-unit", "ngày")
    p.fill("evidence", "https://example.gov.vn/an-binh-bao-cao-cchc-quy-iv-2024.pdf")
    p.page.fill("#skf-body", "## Cách triển khai\n\nTập huấn một buổi cho công chức Một cửa.")


def test_fill_download_and_validate(browser, base_url, tmp_path) -> None:
    p = Page(browser, base_url)
    try:
        labels = p.page.inner_text("#skf-form")
        for label in ("Sáng kiến được nhân rộng", "Đơn vị nhân rộng", "Áp dụng từ ngày", "Kết quả đo được", "Đường dẫn minh chứng"):
            assert label in labels, label
        assert p.page.locator("#skf-f-since").get_attribute("type") == "text"
        assert "ngày/tháng/năm, ví dụ 25/06/2024" in p.page.inner_text('[data-path="since"]')
        # only recognised initiatives are offered
        offered = p.page.eval_on_selector_all("#skf-f-initiative option", "os => os.map(o => o.value).filter(Boolean)")
        repo = validator.load(ROOT).repo
        assert set(offered) == {e.id for e in repo.entries.values() if e.kind == "entry" and repo.recognition(e.id)}

        p.check()
        assert not p.valid()
        assert "SK201" in p.codes()
        fill_record(p)
        p.check()
        assert p.valid(), p.page.inner_text("#skf-form-problems")
        entry_id = "so-hoa-ho-so-mot-cua-xa-tn-ct-an-binh"
        assert p.page.input_value("#skf-f-id") == entry_id
        rel = f"entries/replications/tn-ct-an-binh/{entry_id}.md"
        assert p.page.inner_text("#skf-path") == rel
        content = p.output()
        assert 'since: "2024-10-15"' in content and "initiative: so-hoa-ho-so-mot-cua-xa" in content

        href = p.page.get_attribute("#skf-send", "href")
        parts = urlsplit(href)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://github.com/demo-tinh/sangkien/new/main/entries/replications/tn-ct-an-binh"
        assert parse_qs(parts.query) == {"filename": [f"{entry_id}.md"], "value": [content]}

        with p.page.expect_download() as info:
            p.page.click("#skf-download")
        assert info.value.suggested_filename == f"{entry_id}.md"
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        assert saved.read_text(encoding="utf-8") == content

        kho = _repository(tmp_path / "kho")
        (kho / rel).parent.mkdir(parents=True, exist_ok=True)
        (kho / rel).write_text(content, encoding="utf-8")
        done = run_sangkien("validate", rel, cwd=kho)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "0 lỗi" in done.stdout

        # the draft is kept in this tab and offered after a reload
        p.page.reload()
        p.page.wait_for_selector("#skf-open-draft")
        assert p.page.input_value("#skf-f-summary") == ""
        p.page.click("#skf-open-draft")
        assert p.page.input_value("#skf-f-id") == entry_id and p.page.input_value("#skf-f-since") == "15/10/2024"
        keys = p.page.evaluate("Object.keys(sessionStorage)")
        assert keys == ["sangkien.replication.v2|https://github.com/demo-tinh/sangkien|"]
        assert not p.errors, p.errors
    finally:
        p.close()


VALID = """---
id: so-hoa-ho-so-mot-cua-xa-tn-ct-an-binh
initiative: so-hoa-ho-so-mot-cua-xa
unit: tn-ct-an-binh
since: "2024-10-15"
adapted: Dùng máy quét sẵn có; chỉ áp dụng cho hồ sơ chứng thực trong tháng đầu.
results:
  - indicator: Thời gian trả kết quả chứng thực bản sao
    baseline: 2
    result: 1
    unit: ngày
evidence: https://example.gov.vn/an-binh-bao-cao-cchc-quy-iv-2024.pdf
summary: Xã An Bình quét hồ sơ ngay tại quầy Một cửa; thời gian trả bản sao chứng thực giảm từ 2 ngày xuống 1 ngày.
---
"""

CASES = {
    "valid": [],
    "own-unit": [("unit: tn-ct-an-binh", "unit: tn-ct-thanh-long")],
    "before-recognition": [('since: "2024-10-15"', 'since: "2024-07-01"')],
    "unknown-initiative": [("initiative: so-hoa-ho-so-mot-cua-xa", "initiative: khong-co-sang-kien-nay")],
    "not-recognised": [("initiative: so-hoa-ho-so-mot-cua-xa", "initiative: may-tra-cuu-tthc-tai-nha-van-hoa-ap")],
    "already-recorded": [("unit: tn-ct-an-binh", "unit: tn-ct-hao-duoc")],
    "unit-gone": [("unit: tn-ct-an-binh", "unit: tn-ct-phong-noi-vu"), ('since: "2024-10-15"', 'since: "2025-08-01"')],
    "unknown-unit": [("unit: tn-ct-an-binh", "unit: khong-co-don-vi")],
    "mobile-in-summary": [("xuống 1 ngày.", "xuống 1 ngày, liên hệ 0912 345 678.")],
    "http-evidence": [("evidence: https://", "evidence: http://")],
    "no-results": [("""results:
  - indicator: Thời gian trả kết quả chứng thực bản sao
    baseline: 2
    result: 1
    unit: ngày
""", "")],
    "day-first-date": [('since: "2024-10-15"', 'since: "15/10/2024"')],
    "impossible-date": [('since: "2024-10-15"', 'since: "2024-02-30"')],
    "id-of-an-initiative": [("id: so-hoa-ho-so-mot-cua-xa-tn-ct-an-binh", "id: cham-diem-san-pham-cong-viec-hang-thang")],
}


def _variant(case: str) -> str:
    text = VALID
    for old, new in CASES[case]:
        assert old in text, old
        text = text.replace(old, new, 1)
    if case not in ("id-of-an-initiative",):  # each case its own id (one repository holds them all)
        text = text.replace("id: so-hoa-ho-so-mot-cua-xa-tn-ct-an-binh", f"id: zz-{case}", 1)
    return text


@pytest.fixture(scope="module")
def verdicts(browser, base_url, tmp_path_factory) -> dict[str, tuple[set[str], set[str]]]:
    p = Page(browser, base_url)
    seen: dict[str, tuple[str, set[str]]] = {}
    files: dict[str, str] = {}
    try:
        for case in sorted(CASES):
            text = _variant(case)
            p.load(text)
            fields = dict(line.split(": ", 1) for line in text.split("---")[1].splitlines() if line[:1].isalpha() and ": " in line)
            rel = f"entries/replications/{fields['unit']}/{fields['id']}.md"
            seen[case] = (rel, p.codes())
            files[rel] = text
        assert not p.errors, p.errors
    finally:
        p.close()
    # one file at a time in the same copy (two records of one unit for one initiative would be SK325)
    kho = _repository(tmp_path_factory.mktemp("replications") / "kho")
    found: dict[str, set[str]] = {}
    for rel, text in files.items():
        target = kho / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        report = validator.validate(kho, [str(target)])
        found[rel] = {p.code for p in report.problems if p.file == rel}
        target.unlink()
    return {case: (codes, found[rel]) for case, (rel, codes) in seen.items()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_codes_in_browser_and_validator(case: str, verdicts) -> None:
    in_browser, from_validator = verdicts[case]
    assert in_browser == from_validator
    assert bool(in_browser) == (case != "valid")


def test_gitlab_and_gitea_links(browser, tmp_path) -> None:
    """The same page built for GitLab and for Gitea/Forgejo sends to the host's own new-file page."""
    repo = validator.load(ROOT).repo
    expected = {
        "gitlab": ("https://gitlab.tinh.gov.vn/snv/sangkien/-/new/main/entries/replications/tn-ct-an-binh", "file_name", "content"),
        "gitea": ("https://git.tinh.gov.vn/snv/sangkien/_new/main/entries/replications/tn-ct-an-binh", "filename", "value"),
        "forgejo": ("https://git.tinh.gov.vn/snv/sangkien/_new/main/entries/replications/tn-ct-an-binh", "filename", "value"),
    }
    for forge, (where, name_key, value_key) in expected.items():
        folder = tmp_path / forge
        host = "https://gitlab.tinh.gov.vn" if forge == "gitlab" else "https://git.tinh.gov.vn"
        page = folder / form.REPLICATION_URL / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(form.standalone_html(repo, ROOT, {"host": host, "repository": "snv/sangkien", "forge": forge}, kind="replication"),
                        encoding="utf-8")
        form.write_form_assets(folder)
        with serving(folder) as url:
            p = Page(browser, url, locale="vi-VN" if forge == "gitlab" else "en-US")
            try:
                fill_record(p)
                p.check()
                assert p.valid(), p.page.inner_text("#skf-form-problems")
                parts = urlsplit(p.page.get_attribute("#skf-send", "href"))
                assert f"{parts.scheme}://{parts.netloc}{parts.path}" == where
                assert parse_qs(parts.query) == {name_key: ["so-hoa-ho-so-mot-cua-xa-tn-ct-an-binh.md"], value_key: [p.output()]}
                assert not p.errors, p.errors
            finally:
                p.close()


# ----------------------------------------------------------------- plain Vietnamese, no field paths
ENGLISH_OR_PATHS = [
    r"\b(?:true|false|null|None)\b",  # YAML/JSON words
    r"\b[a-z]+_[a-z_]+\b",  # field names such as late_waivers, first_applied
    r"[a-z]\[\d+\]",  # authors[3]
    r"\b(?:authors|results|attachments|campaign|unit|participation|representative|contribution|initiative|evidence)\b",
    r"\b(?:invalid|required|format|pattern|must|should)\b",
]


def _english_or_paths(text: str) -> list[str]:
    import re

    return [m.group(0) for rx in ENGLISH_OR_PATHS for m in re.finditer(rx, text)]


def test_labels_help_and_messages_are_plain_vietnamese(browser, base_url, tmp_path) -> None:
    # the replication page, every error shown
    p = Page(browser, base_url)
    try:
        p.select("unit", "tn-ct-an-binh")
        p.fill("since", "31/02/2024")
        p.fill("evidence", "http://x")
        p.fill("results-0-baseline", "hai")
        p.check()
        text = p.page.inner_text("#skf-app")
        assert "«Kết quả đo được 1 – Trước khi áp dụng»" in text
        assert _english_or_paths(text) == [], _english_or_paths(text)
    finally:
        p.close()
    # the submission form: a group without a representative, wrong values everywhere
    repo = validator.load(ROOT).repo
    folder = tmp_path / "entry-site"
    page = folder / form.PAGE_URL / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(form.standalone_html(repo, ROOT, SOURCE), encoding="utf-8")
    form.write_form_assets(folder)
    with serving(folder) as url:
        context = browser.new_context(locale="vi-VN")
        try:
            pg = context.new_page()
            pg.clock.set_fixed_time(dt.datetime(2024, 6, 10, 9, 0, tzinfo=ICT))
            pg.goto(url + form.PAGE_URL)
            pg.wait_for_selector("#skf-form-status")
            pg.select_option("#skf-f-campaign", "chau-thanh-2024")
            pg.select_option("#skf-f-participation", "nhom")
            pg.fill("#skf-f-authors-0-contribution", "60")
            pg.fill("#skf-f-authors-1-contribution", "30")  # 90 %: SK214
            pg.select_option("#skf-f-unit", "tn-ct-hao-duoc")
            pg.fill("#skf-f-submitted", "hôm nay")
            pg.fill("#skf-f-keywords", "a")
            pg.fill("#skf-f-first_applied", "25/06/24")
            pg.click("#skf-check")
            text = pg.inner_text("#skf-app")
            assert "Người đại diện" in text
            codes = set(pg.eval_on_selector_all("#skf-form-problems li", "els => els.map(e => e.dataset.code)"))
            assert {"SK213", "SK214", "SK205", "SK201"} <= codes, codes
            assert _english_or_paths(text) == [], _english_or_paths(text)
        finally:
            context.close()


HOSTS = {
    "github": ("https://github.com/snv/sangkien/new/main/entries/a/b?filename=c.md", "value",
               "https://github.com/snv/sangkien/edit/main/entries/a/b/c.md"),
    "gitlab": ("https://gitlab.com/snv/sangkien/-/new/main/entries/a/b?file_name=c.md", "content",
               "https://gitlab.com/snv/sangkien/-/edit/main/entries/a/b/c.md"),
    "gitea": ("https://git.tinh.gov.vn/snv/sangkien/_new/main/entries/a/b?filename=c.md", "value",
              "https://git.tinh.gov.vn/snv/sangkien/_edit/main/entries/a/b/c.md"),
    "forgejo": ("https://git.tinh.gov.vn/snv/sangkien/_new/main/entries/a/b?filename=c.md", "value",
                "https://git.tinh.gov.vn/snv/sangkien/_edit/main/entries/a/b/c.md"),
}


@pytest.mark.parametrize("forge", sorted(HOSTS))
def test_host_link_shapes(browser, base_url, forge: str) -> None:
    """New-file link with the content where it fits, the name only (and a paste or upload) where the
    link would pass the limit, and the host's own edit link."""
    new_link, value_key, edit_link = HOSTS[forge]
    host = new_link.split("/snv/")[0]
    git = {"host": host, "repository": "snv/sangkien", "branch": "main", "forge": forge}
    p = Page(browser, base_url)
    try:
        short, long, edit = p.page.evaluate(
            """([git, text]) => [window.sangkienForm.hostLinks(git, 'entries/a/b/c.md', text, { limit: 8000 }),
                                 window.sangkienForm.hostLinks(git, 'entries/a/b/c.md', text.repeat(400), { limit: 8000 }),
                                 window.sangkienForm.hostLinks(git, 'entries/a/b/c.md', text, { editing: true })]""",
            [git, "---\ntitle: Một cửa & số hóa #1\n---\n"])
        assert short == {"url": f"{new_link}&{value_key}=---%0Atitle%3A%20M%E1%BB%99t%20c%E1%BB%ADa%20%26%20s%E1%BB%91%20h%C3%B3a%20%231%0A---%0A",
                         "paste": False, **({"check": True} if forge == "gitlab" else {})}
        assert long == {"url": new_link, "paste": True, "long": True}
        assert edit == {"url": edit_link, "paste": True, "editing": True}
    finally:
        p.close()


def test_the_built_site_has_the_replication_page(built_site: Path) -> None:
    """Registered like the submission form: the real `mkdocs build --strict` writes /ghi-nhan-nhan-rong/."""
    page = (built_site / form.REPLICATION_URL / "index.html").read_text(encoding="utf-8")
    assert "<title>Ghi nhận nhân rộng" in page and 'data-kind="replication"' in page
    assert 'id="skf-data"' in page and "../assets/sangkien/form/form.js" in page
    assert (built_site / form.SITE_ASSETS / "dates.js").is_file()
