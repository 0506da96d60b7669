"""The submission form in a real headless Chromium, against the real validator.

The page is the one `sangkien.site.form` generates, served from a static folder assembled in tmp
(the same HTML block and assets the MkDocs plugin publishes at /nop-sang-kien/). The browser's
clock is fixed inside the Châu Thành 2024 window, so the form may be sent; every file the form
produces is checked with `sangkien validate` in a real Git repository.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import git, needs_chromium, run_sangkien, serving
from helpers.form_site import write_form_site
from sangkien import validator
from sangkien.checks import text as text_rules
from sangkien.textnorm import slugify

ROOT = Path(__file__).resolve().parents[1]
ICT = dt.timezone(dt.timedelta(hours=7))
INSIDE_WINDOW = dt.datetime(2024, 6, 10, 9, 0, tzinfo=ICT)  # chau-thanh-2024 is open 15/5 – 25/6/2024

pytestmark = needs_chromium


# ----------------------------------------------------------------- the site, the server, the browser

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return write_form_site(tmp_path_factory.mktemp("form-site"), "entry")


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url



class FormPage:
    """The form in a fresh browser context, with the clock fixed and every request recorded."""

    def __init__(self, browser, base: str, width: int = 1100, at: dt.datetime = INSIDE_WINDOW) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True,
                                           permissions=["clipboard-read", "clipboard-write"])
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.clock.set_fixed_time(at)

    def _route(self, route) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith(self.base):
            route.continue_()
        else:  # never leave the machine: the Git host is only ever a link
            route.abort()

    def open(self) -> FormPage:
        self.page.goto(self.base + "nop-sang-kien/")
        self.page.wait_for_selector("#skf-form-status")
        return self

    def close(self) -> None:
        self.context.close()

    # helpers
    def fill(self, path: str, value: str) -> None:
        self.page.fill(f"#skf-f-{path}", value)

    def select(self, path: str, value: str) -> None:
        self.page.select_option(f"#skf-f-{path}", value)

    def tick(self, path: str, value: str) -> None:
        self.page.check(f'[data-path="{path}"] input[value="{value}"]')

    def check(self) -> None:
        self.page.click("#skf-check")

    def codes(self, list_id: str = "skf-form-problems") -> list[tuple[str, str]]:
        found = self.page.eval_on_selector_all(
            f"#{list_id} li", "els => els.filter(e => !e.dataset.clock).map(e => [e.dataset.code, e.dataset.path])")
        return [tuple(item) for item in found]

    def valid(self) -> bool:
        return self.page.get_attribute("#skf-form-status", "data-valid") == "true"

    def output(self) -> str:
        return self.page.evaluate("window.sangkienForm.state.content")

    def load(self, text: str) -> None:
        self.page.click("#skf-load summary")
        self.page.fill("#skf-load-text", text)
        self.page.click("#skf-load-apply")


@pytest.fixture
def page(browser, base_url) -> Iterator[FormPage]:
    p = FormPage(browser, base_url).open()
    yield p
    assert not p.errors, p.errors
    p.close()


BODY = "## Thực trạng\n\nHồ sơ giấy chuyển tay giữa các bộ phận.\n\n## Giải pháp\n\nQuét hồ sơ ngay khi tiếp nhận.\n\n## Cách nhân rộng\n\nÁp dụng ở mọi xã.\n"


def fill_entry(p: FormPage, *, title: str | None, shares: tuple[int, int]) -> None:
    """A group entry of UBND xã Hảo Đước for Châu Thành 2024, filled as a person would."""
    p.select("campaign", "chau-thanh-2024")
    p.select("unit", "tn-ct-hao-duoc")
    if title is not None:
        p.fill("title", title)
    p.fill("summary", "Quét và số hóa hồ sơ ngay tại quầy một cửa để trả kết quả trong ngày cho người dân.")
    p.select("participation", "nhom")
    p.fill("authors-0-name", "Lê Thị Thu")
    p.fill("authors-0-position", "Công chức Văn phòng - Thống kê")
    p.fill("authors-0-workplace", "UBND xã Hảo Đước")
    p.fill("authors-0-contribution", str(shares[0]))
    p.page.check("#skf-f-authors-0-representative")
    p.fill("authors-1-name", "Phạm Văn Nam")
    p.fill("authors-1-position", "Công chức Tư pháp - Hộ tịch")
    p.fill("authors-1-workplace", "UBND xã Hảo Đước")
    p.fill("authors-1-contribution", str(shares[1]))
    p.fill("field", "Tiếp nhận và trả kết quả hồ sơ thủ tục hành chính cấp xã")
    p.tick("areas", "thu-tuc-hanh-chinh")
    p.tick("areas", "chinh-quyen-so")
    p.tick("indices", "SIPAS")
    p.select("solution_type", "tac-nghiep")
    p.select("application_status", "da-ap-dung")
    p.fill("first_applied", "2024-03-01")
    p.select("scope", "huyen")
    p.fill("conditions", "Có máy quét tài liệu và đường truyền ổn định.")
    p.fill("benefits_author", "Rút ngắn thời gian trả kết quả từ 2 ngày xuống trong ngày.")
    p.fill("keywords", "một cửa, số hóa")
    p.page.fill("#skf-body", BODY)


# ----------------------------------------------------------------- the scenario
def test_fill_fix_download_and_validate(page: FormPage, repo, tmp_path) -> None:
    p = page
    assert "Đang nhận bài" in p.page.inner_text("#skf-window")
    assert "25/06/2024 23:59 (giờ Việt Nam)" in p.page.inner_text("#skf-window")
    fill_entry(p, title=None, shares=(60, 30))
    p.check()
    assert not p.valid()
    codes = p.codes()
    assert ("SK201", "title") in codes
    assert ("SK214", "authors") in codes
    # each error is also shown at its own field
    assert "SK201" in p.page.inner_text('[data-path="title"] .skf-field-errors')
    assert "SK214" in p.page.inner_text('[data-path="authors"] > .skf-field-errors')
    assert "90%" in p.page.inner_text("#skf-form-problems")
    assert p.page.get_attribute("#skf-send", "aria-disabled") == "true"

    title = "Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Hảo Đước"
    p.fill("title", title)
    p.fill("authors-1-contribution", "40")
    p.check()
    assert p.codes() == []
    assert p.valid(), p.page.inner_text("#skf-form-status")
    assert p.page.inner_text("#skf-form-status").startswith("Hợp lệ")
    entry_id = slugify(title)
    assert p.page.input_value("#skf-f-id") == entry_id
    rel = f"entries/chau-thanh-2024/tn-ct-hao-duoc/{entry_id}.md"
    assert p.page.inner_text("#skf-path") == rel

    with p.page.expect_download() as info:
        p.page.click("#skf-download")
    download = info.value
    assert download.suggested_filename == f"{entry_id}.md"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    content = saved.read_text(encoding="utf-8")
    assert content.startswith("---\nid: ") and 'submitted: "2024-06-10"' in content and "## Giải pháp" in content

    repo.write(rel, content)
    done = repo.run("validate", rel)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 lỗi" in done.stdout

    href = p.page.get_attribute("#skf-send", "href")
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://github.com/demo-tinh/sangkien/new/main/entries/chau-thanh-2024/tn-ct-hao-duoc"
    query = parse_qs(parts.query)
    assert query["filename"] == [f"{entry_id}.md"]
    assert query["value"] == [content]
    assert p.page.get_attribute("#skf-send", "data-paste") == "false"


def test_window_closed_at_the_browser_clock(browser, base_url) -> None:
    late = FormPage(browser, base_url, at=dt.datetime(2024, 6, 26, 0, 0, tzinfo=ICT)).open()
    try:
        late.select("campaign", "chau-thanh-2024")
        late.check()
        text = late.page.inner_text("#skf-window")
        assert "Đã hết hạn nhận bài" in text
        problems = late.page.inner_text("#skf-form-problems")
        assert "SK402" in problems and "25/06/2024 23:59 (giờ Việt Nam)" in problems and "26/06/2024 00:00 (giờ Việt Nam)" in problems
        # an entry already in the repository may no longer be changed either (CI says SK403)
        late.load((ROOT / "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md").read_text(encoding="utf-8"))
        late.page.wait_for_function("document.getElementById('skf-load-note').textContent.includes('để sửa')")
        clock_codes = late.page.eval_on_selector_all("#skf-form-problems li[data-clock]", "els => els.map(e => e.dataset.code)")
        assert clock_codes == ["SK403"]
        assert not late.errors
    finally:
        late.close()
    early = FormPage(browser, base_url, at=dt.datetime(2024, 5, 14, 23, 59, tzinfo=ICT)).open()
    try:
        early.select("campaign", "chau-thanh-2024")
        early.check()
        assert "SK401" in early.page.inner_text("#skf-form-problems")
        assert "15/05/2024 00:00 (giờ Việt Nam)" in early.page.inner_text("#skf-window")
    finally:
        early.close()


def test_no_district_scope_in_a_campaign_opened_after_the_reform(browser, base_url) -> None:
    """«Cấp huyện» ended on 30/6/2025: the 2026 round of seed 003 does not offer it (SK336), Châu Thành 2024 does."""
    p = FormPage(browser, base_url, at=dt.datetime(2026, 12, 3, 9, 0, tzinfo=ICT)).open()
    try:
        offered = "els => els.filter(o => o.value).map(o => [o.value, o.disabled, o.textContent])"
        p.select("campaign", "y-te-ninh-thuan-2026")
        scopes = {v: (off, text) for v, off, text in p.page.eval_on_selector_all("#skf-f-scope option", offered)}
        assert scopes["huyen"] == (True, "Cấp huyện (đợt này không nhận)") and not scopes["xa"][0] and not scopes["tinh"][0]
        p.select("campaign", "chau-thanh-2024")
        scopes = {v: off for v, off, _ in p.page.eval_on_selector_all("#skf-f-scope option", offered)}
        assert scopes["huyen"] is False
        assert not p.errors
    finally:
        p.close()


# ----------------------------------------------------------------- same inputs, same codes
VALID = """---
id: lich-truc-luu-dong-chung-thuc
title: Lịch trực lưu động tiếp nhận hồ sơ chứng thực tại các ấp xa trung tâm xã
campaign: chau-thanh-2024
unit: tn-ct-hao-duoc
submitted: "2024-06-10"
participation: nhom
authors:
  - name: Lê Thị Thu
    position: Công chức Văn phòng - Thống kê
    workplace: UBND xã Hảo Đước
    contribution: 60
    representative: true
  - name: Phạm Văn Nam
    position: Công chức Tư pháp - Hộ tịch
    workplace: UBND xã Hảo Đước
    contribution: 40
field: Tiếp nhận và trả kết quả hồ sơ thủ tục hành chính cấp xã
areas: [thu-tuc-hanh-chinh, chinh-quyen-so]
solution_type: tac-nghiep
application_status: da-ap-dung
first_applied: "2024-03-01"
scope: huyen
forms: [bai-viet]
conditions: Có máy quét tài liệu và đường truyền ổn định.
benefits_author: Rút ngắn thời gian trả kết quả từ 2 ngày xuống trong ngày.
attachments:
  - kind: video
    title: Video giới thiệu quy trình
    url: https://example.gov.vn/video.mp4
summary: Quét và số hóa hồ sơ ngay tại quầy một cửa để trả kết quả trong ngày cho người dân.
---

""" + BODY

CASES = {
    "valid": [],
    "missing-title": [("title: Lịch trực lưu động tiếp nhận hồ sơ chứng thực tại các ấp xa trung tâm xã\n", "")],
    "missing-several": [("field: Tiếp nhận và trả kết quả hồ sơ thủ tục hành chính cấp xã\n", ""), ("scope: huyen\n", "")],
    "shares-90": [("contribution: 40", "contribution: 30")],
    "share-as-text": [("contribution: 40", 'contribution: "bốn mươi"')],
    "share-zero": [("contribution: 40", "contribution: 0"), ("contribution: 60", "contribution: 100")],
    "title-short": [("title: Lịch trực lưu động tiếp nhận hồ sơ chứng thực tại các ấp xa trung tâm xã", "title: Lịch trực")],
    "group-of-one": [("  - name: Phạm Văn Nam\n    position: Công chức Tư pháp - Hộ tịch\n    workplace: UBND xã Hảo Đước\n    contribution: 40\n", ""),
                     ("contribution: 60", "contribution: 100")],
    "two-representatives": [("    contribution: 40\n", "    contribution: 40\n    representative: true\n")],
    "unknown-area": [("[thu-tuc-hanh-chinh, chinh-quyen-so]", "[thu-tuc-hanh-chinh, cai-cach-khac]")],
    "area-not-in-campaign": [("[thu-tuc-hanh-chinh, chinh-quyen-so]", "[chi-dao-dieu-hanh]")],
    "unknown-field": [("scope: huyen\n", "scope: huyen\nghi_chu: Bài nộp lần đầu\n")],
    "personal-field": [("scope: huyen\n", 'scope: huyen\nngay_sinh: "1980-01-01"\n')],
    "date-dmy": [('first_applied: "2024-03-01"', 'first_applied: "01/03/2024"')],
    "date-impossible": [('first_applied: "2024-03-01"', 'first_applied: "2024-02-30"')],
    "applied-after-submitted": [('first_applied: "2024-03-01"', 'first_applied: "2024-06-20"')],
    "submitted-late": [('submitted: "2024-06-10"', 'submitted: "2024-06-26"')],
    "attachment-http": [("url: https://example.gov.vn/video.mp4", "url: http://example.gov.vn/video.mp4")],
    "attachment-url-and-file": [("url: https://example.gov.vn/video.mp4", "url: https://example.gov.vn/video.mp4\n    file: video.mp4")],
    "mobile-in-summary": [("cho người dân.", "cho người dân, liên hệ 0912 345 678.")],
    "citizen-id": [("đường truyền ổn định.", "đường truyền ổn định, người phụ trách CCCD 079 201 001 234.")],
    "gmail": [("xuống trong ngày.", "xuống trong ngày. Góp ý gửi thu.le@gmail.com")],
    "official-mail-unknown": [("xuống trong ngày.", "xuống trong ngày. Góp ý gửi vanthu@haoduoc.gov.vn")],
    "birth-in-body": [("Quét hồ sơ ngay khi tiếp nhận.", "Người phụ trách: Lê Thị Thu, ngày sinh: 12/03/1980.")],
    "html-and-script-link": [("Áp dụng ở mọi xã.", "Áp dụng ở <b>mọi xã</b>, xem [tại đây](javascript:alert(1)).")],
    "mojibake": [("Hồ sơ giấy chuyển tay", "C¶i c¸ch hµnh chÝnh hå s¬")],
    "no-solution-heading": [("## Giải pháp", "## Nội dung")],
    "empty-body": [(BODY, "")],
    "not-eligible-unit": [("unit: tn-ct-hao-duoc", "unit: tn-chau-thanh")],
    "duplicate-id": [("id: lich-truc-luu-dong-chung-thuc", "id: so-hoa-ho-so-mot-cua-xa"), ("unit: tn-ct-hao-duoc", "unit: tn-ct-van-phong")],
    "old-id-card": [("Quét hồ sơ ngay khi tiếp nhận.", "Người phụ trách có CMND: 025123456.")],
    "bank-account": [("xuống trong ngày.", "xuống trong ngày. Thưởng chuyển vào STK 0123456789 Vietcombank.")],
    "zalo-link-full-width": [("cho người dân.", "cho người dân, nhắn zalo.me/０９１２３４５６７８.")],
    "obfuscated-mail": [("Áp dụng ở mọi xã.", "Áp dụng ở mọi xã; góp ý gửi thu.le [at] gmail [dot] com.")],
    "birth-year-after-name": [("Quét hồ sơ ngay khi tiếp nhận.", "Bà Lê Thị Thu (1980) quét hồ sơ ngay khi tiếp nhận.")],
    "valid-tax-code-and-hotline": [("Quét hồ sơ ngay khi tiếp nhận.", "Doanh nghiệp mã số thuế 0301234567 hỗ trợ; đường dây nóng 1900 1234.")],
}


def _variant(changes: list[tuple[str, str]]) -> str:
    text = VALID
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _repository(folder: Path) -> Path:
    """A copy of this repository's data in a fresh Git repository (as the `repo` fixture makes)."""
    folder.mkdir(parents=True)
    for name in ("entries", "schema"):
        shutil.copytree(ROOT / name, folder / name)
    git(folder, "init", "-q", "-b", "main")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "dữ liệu ban đầu")
    return folder


def _validate_all(folder: Path, files: dict[str, str]) -> dict[str, set[str]]:
    """`sangkien validate --format json` once over all files; codes per file."""
    for rel, content in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(content, encoding="utf-8")
    done = run_sangkien("validate", "--format", "json", *files, cwd=folder)
    found: dict[str, set[str]] = {rel: set() for rel in files}
    for p in json.loads(done.stdout)["problems"]:
        if not p["code"].startswith("SK7"):  # novelty is judged against the whole catalogue, not by the form
            found[p["file"]].add(p["code"])
    return found


@pytest.fixture(scope="module")
def verdicts(browser, base_url, tmp_path_factory) -> dict[str, tuple[set[str], set[str], set[str], list[str]]]:
    """Each case opened in the form (codes, produced file) and both files checked by the CLI."""
    p = FormPage(browser, base_url).open()
    originals, produced, seen = {}, {}, {}
    try:
        for case in sorted(CASES):
            text = _variant(CASES[case])
            if case != "duplicate-id":  # one repository holds every case: each needs its own id
                text = text.replace("id: lich-truc-luu-dong-chung-thuc", f"id: lich-truc-{case}", 1)
            p.load(text)
            p.page.wait_for_function("document.getElementById('skf-load-note').textContent !== ''")
            codes = {c for c, _ in p.codes()} | {c for c, _ in p.codes("skf-form-warnings")}
            lines = dict(line.split(": ", 1) for line in text.split("---")[1].splitlines() if line[:1].isalpha() and ": " in line)
            rel = f"entries/chau-thanh-2024/{lines['unit']}/{lines['id']}.md"
            originals[rel], produced[rel] = text, p.output()
            seen[case] = (rel, codes)
            p.page.evaluate("sessionStorage.clear(); localStorage.clear()")
        errors = list(p.errors)
    finally:
        p.close()
    base = tmp_path_factory.mktemp("same-codes")
    from_file = _validate_all(_repository(base / "as-written"), originals)
    from_form = _validate_all(_repository(base / "as-produced"), produced)
    return {case: (codes, from_file[rel], from_form[rel], errors) for case, (rel, codes) in seen.items()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_codes_in_browser_and_validator(case: str, verdicts) -> None:
    in_browser, from_file, from_form, errors = verdicts[case]
    assert not errors, errors
    assert in_browser == from_file, (in_browser, from_file)
    assert from_form == from_file, (from_form, from_file)
    assert bool(in_browser) == (not case.startswith("valid"))


@pytest.fixture(scope="module")
def shared_page(browser, base_url) -> Iterator[FormPage]:
    p = FormPage(browser, base_url).open()
    yield p
    p.close()


# ----------------------------------------------------------------- twins of the Python rules
PRIVACY_TEXTS = [
    "Liên hệ 0912 345 678 hoặc 0912.345.678, +84 912 345 678, 84912345678.",
    "Tổng đài 0276 3876 103 và số bàn 028 3822 1234; mã 123/QĐ-UBND ngày 0912345678x.",
    "Số CCCD 079201001234 và 079 201 001 234; số 079.201.001.234 và 1079201001234.",
    "Thư phongnv-cth@tayninh.gov.vn, a.b+c@gmail.com, x@vanthu.gov.vn, Lan@Yahoo.Com.Vn",
    "Ngày sinh: 12/03/1980; năm sinh 1980; sinh ngày 1/1/1990; D.O.B 1990; sinh nhật vui.",
    "Địa chỉ nhà riêng: số 5; Thường trú - ấp 3; nơi ở hiện nay: x",
    "C¶i c¸ch hµnh chÝnh hå s¬ và Xin chaøo",
    "Dùng <b>đậm</b>, <!-- chú thích -->, 3 < 5 > 2, <a href=x>",
    "Liên kết javascript:alert(1) và JaVa Script : x, data:text/html;base64, &#x6a;",
    "Chữ lẫn Кирилл và Hoà Thành; Αθήνα; cаfé (а Kirin)",
    "Ký tự vô hình\u200bở đây và\ufeff",
    "Thời gian 15 ngày xuống 5 ngày; tỷ lệ 98%; năm 2024; 1.234.567 đồng",
    "",
    "09123456789 0123456789 +84 (28) 3822 1234 (028) 38221234",
    unicodedata.normalize("NFC", "Ngày Sinh : 1980 và NĂM SINH: 1979"),
    "số0912345678 và ố079201001234 nhưng ĐT:0912345678 và (0912345678) và ngàysinh 1980",
]


def test_privacy_scan_is_the_python_scan(shared_page: FormPage) -> None:
    repo = validator.load(ROOT).repo
    phones, emails = repo.official_contacts()
    expected = []
    for text in PRIVACY_TEXTS:
        found = text_rules.scan(text, "f", 1, 1, "x", phones, emails, markup=False)
        expected.append(sorted([p.code, p.column - 1, p.severity] for p in found))
    got = shared_page.page.evaluate(
        "texts => texts.map(t => window.sangkienForm.checker.scan(t, 'x', [], s => s)"
        ".map(p => [p.code, p.place, p.severity]).sort())", PRIVACY_TEXTS)
    got = [sorted([c, int(place), s] for c, place, s in row) for row in got]
    assert got == expected
    assert any(row for row in expected)  # the corpus does trigger the rules


def _corpus(name: str) -> list[dict]:
    return yaml.safe_load((ROOT / "tests" / "fixtures" / "privacy" / name).read_text(encoding="utf-8"))["cases"]


def test_privacy_corpora_same_verdict_in_the_browser(shared_page: FormPage) -> None:
    """tests/fixtures/privacy/: every case gets the same codes, columns, severities and masked
    messages from the form's privacy.js as from checks/privacy.py, and the expected verdict."""
    cases = [(c["text"], c.get("code")) for c in _corpus("personal.yaml") + _corpus("legitimate.yaml")]
    repo = validator.load(ROOT).repo
    phones, emails = repo.official_contacts()
    expected = []
    for line, _ in cases:
        found = text_rules.scan(line, "f", 1, 1, "x", phones, emails, markup=False)
        expected.append(sorted([p.code, p.column - 1, p.severity, p.message.split(" Cách sửa:")[0].removeprefix("Dòng 1: x ")] for p in found))
    got = shared_page.page.evaluate(
        "texts => texts.map(t => window.sangkienForm.checker.scan(t, 'x', [], s => s)"
        ".map(p => [p.code, p.place, p.severity, p.message.replace(/^x /, '')]).sort())", [line for line, _ in cases])
    got = [sorted([c, int(place), s, m] for c, place, s, m in row) for row in got]
    assert got == expected
    privacy_codes = {"SK501", "SK503", "SK504", "SK505", "SK506", "SK507", "SK508", "SK509"}
    for (line, code), row in zip(cases, got, strict=True):
        verdict = [(c, s) for c, _, s, _ in row if c in privacy_codes]
        assert verdict == ([(code, "error")] if code else []), (line, row)


HTML_TEXTS = [
    "<a" + " " * 20_000, "<img/src/onerror=alert(1)>", "<img src=x onerror=alert(1)", "hết </p và", "<!-- x -->", "<?xml?>",
    "<https://thunghiem.gov.vn>", "x < y và y > z", "<= 3 và 2<3, <5, a <- b, <<", "`<b>` rồi <i>", "``<b>`x`</b>`` và `<s>",
    "\\`<b>`", "\\\\`<b>`", "`a``<b>`", "``a`<b>", "<Span title='" + "x" * 60 + "'>", "Cải cách <Đ", "",
    "".join("`" * (n % 7 + 1) + "<b>" for n in range(50)),
]


def test_html_rule_is_the_python_rule(shared_page: FormPage) -> None:
    """SK511 in fields (plain text) and body lines (code spans exempt): same place, same excerpt."""
    expected = []
    for markup in (False, True):
        for t in HTML_TEXTS:
            found = [p for p in text_rules.scan(t, "f", 1, 1, "x", set(), set(), markup=markup) if p.code == "SK511"]
            expected.append([[p.column - 1, p.message.split("«", 1)[1].split("»")[0]] for p in found])
    got = shared_page.page.evaluate(
        """texts => [false, true].flatMap(markup => texts.map(t => window.sangkienForm.checker.scan(t, 'x', [], s => s, markup)
             .filter(p => p.code === 'SK511').map(p => [Number(p.place), p.message.split('«')[1].split('»')[0]])))""", HTML_TEXTS)
    assert got == expected
    assert sum(1 for row in expected if row) >= 20 and sum(1 for row in expected if not row) >= 6


TITLES = ["Một cửa số hóa", "ĐỒNG KHỞI điện tử – liên thông", "Hoà/Hòa  kĩ,kỹ!!", "  --x--  ", "Ứng dụng QR 2024", "",
          "İstanbul ß ǅ Ａｂｃ", "a" * 100 + " b", unicodedata.normalize("NFD", "Thủ tục hành chính"), "đ Đ ơ ư"]


def test_slug_rule_is_the_python_rule(shared_page: FormPage) -> None:
    got = shared_page.page.evaluate(
        "async titles => { const m = await import('../assets/sangkien/form/textnorm.js'); return titles.map(m.slugify); }", TITLES)
    assert got == [slugify(t) for t in TITLES]


TRICKY_VALUES = ["yes", "no", "on", "null", "~", "012", "1e3", "2024-06-10", "12:30", "- gạch", "a: b", "a #b", "#x", "x:",
                 "'nháy đơn'", '"nháy kép"', "[danh sách]", "{nhóm}", "a, b", "&neo", "*bí danh", "!thẻ", "|", ">", "%", "@", "`",
                 "dòng 1\ndòng 2", "tab\there", " cách đầu", "cuối ", "ký tự\u200bvô hình", "\\ gạch chéo", "Quyết định 123/QĐ-UBND",
                 "100%", "true", "True", ".5", "-1", "+1", "0x1F", "=", "<<", "ngày 10/6"]


def test_written_yaml_reads_back_the_same(shared_page: FormPage) -> None:
    from sangkien.reader import read_markdown

    data = {"id": "thu", "title": TRICKY_VALUES[0], "keywords": TRICKY_VALUES, "authors": [{"name": v, "contribution": 12.5} for v in TRICKY_VALUES],
            "previous_contest": {"contest": "a: b", "year": 2023}, "ghi chú": "khóa có dấu cách", "empty": [], "obj": {}}
    text = shared_page.page.evaluate(
        "async data => { const m = await import('../assets/sangkien/form/entryfile.js'); return m.renderEntry(data, 'Thân bài'); }", data)
    doc = read_markdown(text.encode("utf-8"), "entries/a/b/thu.md")
    assert [p.code for p in doc.problems] == []
    assert doc.data == data
    assert doc.body.strip() == "Thân bài"


def test_form_and_terminal_write_the_same_file(shared_page: FormPage) -> None:
    from sangkien.commands.new import render_entry

    data = {"id": "thu", "title": "Tiêu đề: có dấu hai chấm", "keywords": TRICKY_VALUES, "authors": [{"name": "A", "contribution": 12.5}],
            "results": [{"indicator": "Thời gian", "baseline": 15, "result": 5, "unit": "ngày"}], "previous_contest": {"year": 2023}}
    body = "\n## Thực trạng\n\nx\n\n"
    js = shared_page.page.evaluate(
        "async ([data, body]) => { const m = await import('../assets/sangkien/form/entryfile.js'); return m.renderEntry(data, body); }", [data, body])
    assert js == render_entry(data, body)


XSS = [
    "<script>alert(1)</script>",
    "[bấm](javascript:alert(1))",
    "[bấm](JaVaScRiPt:alert(1))",
    "[bấm]( java\tscript:alert(1))",
    "[bấm](data:text/html;base64,PHNjcmlwdD4=)",
    "[bấm](vbscript:msgbox)",
    '[x](https://a.vn/" onmouseover="alert(1))',
    "<img src=x onerror=alert(1)>",
    "![ảnh](https://example.com/a.png)",
    "**đậm** _nghiêng_ `<b>mã</b>`",
    "```\n<script>x</script>\n```",
    "&lt;script&gt; &#106;avascript:",
]


def test_markdown_preview_is_safe(shared_page: FormPage) -> None:
    html = shared_page.page.evaluate(
        "async items => { const m = await import('../assets/sangkien/form/markdown.js'); return items.map(m.renderMarkdown); }", XSS)
    joined = "\n".join(html)
    assert "<script" not in joined and "<img" not in joined
    assert 'href="javascript' not in joined.lower() and 'href="data:' not in joined and 'href="vbscript' not in joined.lower()
    # parse each rendering in the page: no element may carry an event handler or an unsafe link
    bad = shared_page.page.evaluate(
        """items => items.flatMap(h => { const d = document.createElement('div'); d.innerHTML = h;
            return [...d.querySelectorAll('*')].flatMap(e => [...e.attributes]
              .filter(a => a.name.startsWith('on') || (a.name === 'href' && !/^(https?:|mailto:|[^:]*$)/i.test(a.value)) || a.name === 'src')
              .map(a => e.tagName + ' ' + a.name + '=' + a.value)); })""", html)
    assert bad == []
    assert "<strong>đậm</strong>" in html[9] and "<em>nghiêng</em>" in html[9] and "&lt;b&gt;mã&lt;/b&gt;" in html[9]
    assert "liên kết bị chặn" in html[1] and "liên kết bị chặn" in html[2] and "liên kết bị chặn" in html[4]
    shared_page.page.click("#skf-load summary")  # the preview tab renders the body with the same function
    shared_page.page.fill("#skf-body", "## Thực trạng\n\n<script>window.pwned = 1</script> [x](javascript:window.pwned=2)")
    shared_page.page.click("#skf-preview-tab")
    assert shared_page.page.evaluate("window.pwned") is None
    assert "<script>" in shared_page.page.inner_text("#skf-preview")
    shared_page.page.click("#skf-write-tab")


# ----------------------------------------------------------------- drafts, editing, long content
def test_draft_is_offered_after_a_reload_never_read_back_by_itself(browser, base_url) -> None:
    p = FormPage(browser, base_url).open()
    try:
        p.select("campaign", "chau-thanh-2024")
        p.fill("title", "Bản nháp: tổ công nghệ số cộng đồng tại ấp")
        p.fill("authors-0-name", "Nguyễn Văn Bình")
        p.page.fill("#skf-body", "## Thực trạng\n\nBản nháp.")
        p.check()
        stored = p.page.evaluate("({s: Object.keys(sessionStorage), l: Object.keys(localStorage)})")
        assert stored["l"] == []  # nothing another page of the origin could read later
        assert stored["s"] == ["sangkien.form.v2|https://github.com/demo-tinh/sangkien|chau-thanh-2024"]
        p.page.reload()
        p.page.wait_for_selector("#skf-form-status")
        p.page.wait_for_timeout(400)  # past the debounce: opening the page must not overwrite the draft
        assert p.page.input_value("#skf-f-title") == ""  # not filled until the user chooses it
        assert "Mở bản nháp đã lưu" in p.page.inner_text("#skf-notice")
        p.page.click("#skf-open-draft")
        assert p.page.input_value("#skf-f-title") == "Bản nháp: tổ công nghệ số cộng đồng tại ấp"
        assert p.page.input_value("#skf-f-authors-0-name") == "Nguyễn Văn Bình"
        assert p.page.input_value("#skf-body") == "## Thực trạng\n\nBản nháp."
        assert "bản nháp" in p.page.inner_text("#skf-notice")
        assert not p.errors, p.errors
    finally:
        p.close()


def test_drafts_of_other_pages_are_ignored_and_old_drafts_leave_local_storage(browser, base_url) -> None:
    """Every fork on one *.github.io shares the origin: a draft another repository's page wrote, or
    a malformed one, is never offered; the v1 draft in localStorage is moved to this tab and removed."""
    p = FormPage(browser, base_url)
    try:
        p.page.goto(base_url + "nop-sang-kien/")
        p.page.wait_for_selector("#skf-form-status")
        p.page.evaluate("""() => {
            sessionStorage.setItem('sangkien.form.v2|https://github.com/ke-khac/sangkien|chau-thanh-2024',
              JSON.stringify({v: 2, repository: 'https://github.com/ke-khac/sangkien', campaign: 'chau-thanh-2024', saved: 1, data: {title: 'giả'}, body: ''}));
            sessionStorage.setItem('sangkien.form.v2|https://github.com/demo-tinh/sangkien|x', '{"v": 2, "data": "<img src=x onerror=alert(1)>"}');
            sessionStorage.setItem('sangkien.form.v2|https://github.com/demo-tinh/sangkien|', 'không phải JSON');
        }""")
        p.page.reload()
        p.page.wait_for_selector("#skf-form-status")
        assert p.page.query_selector("#skf-open-draft") is None
        p.page.evaluate("""() => { sessionStorage.clear(); localStorage.setItem('sangkien.form.v1:demo-tinh/sangkien',
            JSON.stringify({v: 1, saved: Date.now(), data: {campaign: 'chau-thanh-2024', title: 'Bài cũ trong localStorage'}, body: 'x'})); }""")
        p.page.reload()
        p.page.wait_for_selector("#skf-open-draft")
        assert p.page.evaluate("Object.keys(localStorage)") == []
        assert p.page.input_value("#skf-f-title") == ""
        p.page.click("#skf-open-draft")
        assert p.page.input_value("#skf-f-title") == "Bài cũ trong localStorage"
        assert not p.errors, p.errors
    finally:
        p.close()


def test_open_existing_entry_to_edit(page: FormPage) -> None:
    rel = "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md"
    with page.page.expect_file_chooser() as chooser:
        page.page.click("#skf-load summary")
        page.page.click("#skf-load-file")
    chooser.value.set_files(str(ROOT / rel))
    page.page.wait_for_function("document.getElementById('skf-load-note').textContent.includes('để sửa')")
    assert page.page.input_value("#skf-f-title").startswith("Số hóa hồ sơ")
    assert page.page.input_value("#skf-f-authors-1-name") == "Trần Văn Phúc"
    page.check()
    assert page.valid(), page.page.inner_text("#skf-form-problems")
    href = page.page.get_attribute("#skf-send", "href")
    assert href == f"https://github.com/demo-tinh/sangkien/edit/main/{rel}"
    assert page.page.get_attribute("#skf-send", "data-paste") == "true"
    original = validator.load(ROOT).repo.entries["so-hoa-ho-so-mot-cua-xa"].data
    from sangkien.reader import read_markdown

    assert read_markdown(page.output().encode(), rel).data == original


def test_long_content_goes_through_the_clipboard(page: FormPage) -> None:
    fill_entry(page, title="Số hóa hồ sơ ngay khi tiếp nhận tại quầy một cửa xã", shares=(60, 40))
    page.page.fill("#skf-body", BODY + "\n" + "Nội dung chi tiết của giải pháp, từng bước thực hiện. " * 200)
    page.check()
    assert page.valid(), page.page.inner_text("#skf-form-problems")
    href = page.page.get_attribute("#skf-send", "href")
    assert "value=" not in href and "/new/main/entries/chau-thanh-2024/tn-ct-hao-duoc?filename=" in href
    assert page.page.get_attribute("#skf-send", "data-paste") == "true"
    with page.context.expect_page() as opened:
        page.page.click("#skf-send")
    opened.value.close()  # the Git host's page: its request was aborted by the route above
    page.page.wait_for_function("document.getElementById('skf-send-note').textContent.includes('bộ nhớ tạm')")
    assert "Tải về" in page.page.inner_text("#skf-send-note")  # the other way: download, then upload to the folder
    assert page.page.evaluate("navigator.clipboard.readText()") == page.output()


def test_narrow_screen_and_no_network_after_load(browser, base_url, repo, tmp_path) -> None:
    p = FormPage(browser, base_url, width=360).open()
    try:
        loaded = len(p.requests)
        p.context.set_offline(True)
        fill_entry(p, title="Tổ công nghệ số cộng đồng hỗ trợ dịch vụ công tại ấp", shares=(50, 50))
        p.page.click("#skf-preview-tab")
        assert "Thực trạng" in p.page.inner_text("#skf-preview")
        p.check()
        assert p.valid(), p.page.inner_text("#skf-form-problems")
        overflow = p.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        for selector in ("#skf-f-title", "#skf-f-unit", "#skf-send", "#skf-download", "#skf-f-authors-1-contribution"):
            box = p.page.locator(selector).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, (selector, box)
        with p.page.expect_download() as info:
            p.page.click("#skf-download")
        saved = tmp_path / "bai.md"
        info.value.save_as(saved)
        assert p.requests[loaded:] == [] or all(u.startswith("blob:") for u in p.requests[loaded:])
        rel = "entries/chau-thanh-2024/tn-ct-hao-duoc/" + info.value.suggested_filename
        repo.write(rel, saved.read_text(encoding="utf-8"))
        assert repo.run("validate", rel).returncode == 0
        assert not p.errors, p.errors
    finally:
        p.close()


# ----------------------------------------------------------------- the page in the real MkDocs site
@pytest.fixture(scope="module")
def real_site(built_site: Path) -> Iterator[tuple[Path, str]]:
    """The session's real `mkdocs build --strict` of the repository (conftest), served on 127.0.0.1."""
    assert (built_site / "nop-sang-kien" / "index.html").is_file()
    with serving(built_site) as url:
        yield built_site, url


def test_real_site_form_page(browser, real_site, repo, tmp_path) -> None:
    site, base = real_site
    p = FormPage(browser, base, width=360).open()
    try:
        assert p.page.title().startswith("Nộp sáng kiến")
        extra = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["sangkien"]
        p.context.set_offline(True)
        fill_entry(p, title="Lịch trực lưu động tiếp nhận hồ sơ chứng thực tại các ấp xa trung tâm xã", shares=(70, 30))
        p.check()
        assert p.valid(), p.page.inner_text("#skf-form-problems")
        href = p.page.get_attribute("#skf-send", "href")
        assert href.startswith(f"{extra['host']}/{extra['repository']}/new/{extra['branch']}/entries/chau-thanh-2024/tn-ct-hao-duoc?filename=")
        with p.page.expect_download() as info:
            p.page.click("#skf-download")
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        rel = "entries/chau-thanh-2024/tn-ct-hao-duoc/" + saved.name
        repo.write(rel, saved.read_text(encoding="utf-8"))
        assert repo.run("validate", rel).returncode == 0
        assert p.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        others = [u for u in p.requests if not u.startswith(base) and not u.startswith(("data:", "blob:"))]
        assert others == []  # nothing from a third-party host, not even fonts
        assert not p.errors, p.errors
        # what a visitor downloads for this page, gzipped (reported by the benchmark too)
        loaded = sorted({u for u in p.requests if u.startswith(base)})
        sizes = {u[len(base):]: len(gzip.compress(_local(site, u[len(base):]).read_bytes(), 9)) for u in loaded}
        total = sum(sizes.values())
        print(f"form page payload (gzip): {total / 1024:.1f} KB over {len(sizes)} files: {sizes}")
        assert total < 400 * 1024
    finally:
        p.close()


def _local(site: Path, rel: str) -> Path:
    rel = rel.split("?", 1)[0].split("#", 1)[0]
    path = site / rel
    return path / "index.html" if path.is_dir() or rel.endswith("/") or rel == "" else path
