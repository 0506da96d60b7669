"""Dates typed by people: one rule (vntime.parse_typed_date) and its JavaScript twin (dates.js).

The same inputs go to both, the JavaScript running in the real Chromium page, and the results
(the ISO date or the Vietnamese refusal) must be identical. The form's date fields are text boxes
with a visible hint: they give the same file under a Vietnamese and an American browser locale,
where the native date box used to turn «01/03/2024» into 3 January.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import needs_chromium, serving
from helpers.form_site import write_form_site
from sangkien import vntime

ROOT = Path(__file__).resolve().parents[1]
ICT = dt.timezone(dt.timedelta(hours=7))
INSIDE_WINDOW = dt.datetime(2024, 6, 10, 9, 0, tzinfo=ICT)

INPUTS = [
    # accepted, day first
    "25/06/2024", "5/6/2024", "05/06/2024", "1/3/2024", "01/03/2024", "01-03-2024", "01.03.2024", "1.3.2024",
    "25 / 06 / 2024", " 25/06/2024 ", "\u00a025/06/2024\t", "29/02/2024", "31/12/2199", "01/01/1900", "25/06-2024",
    # accepted, 4-digit year first
    "2024-06-25", "2024-6-5", "2024/06/25", "2024.06.25",
    # refused
    "", "   ", "31/02/2024", "29/02/2023", "30/02/2000", "31/04/2024", "0/3/2024", "00/00/2024", "06/25/2024",
    "12/13/2024", "1/0/2024", "25/06/24", "5/6/24", "24/06/25", "2024-02-30", "2024-13-01", "2024-06-250",
    "31/12/1899", "01/01/2200", "25062024", "25/06/2024 10:00", "ngày 25/06/2024", "25 tháng 6 2024", "abc",
    "25//06/2024", "25/06/20245", "１２/０６/２０２４", "٢٥/٠٦/٢٠٢٤", "25/06/2024/1", "2024-06", "x" * 60, "-1/06/2024",
    "25,06,2024", "25\\06\\2024", "2024-06-25T00:00", "06/2024",
]


def python_result(text: str) -> dict[str, str]:
    try:
        return {"iso": vntime.parse_typed_date(text).isoformat()}
    except vntime.TypedDateError as err:
        return {"error": str(err)}


def test_the_rule_in_python() -> None:
    assert vntime.parse_typed_date("01/03/2024") == dt.date(2024, 3, 1)  # 1 March, never 3 January
    assert vntime.parse_typed_date("5.6.2024") == dt.date(2024, 6, 5)
    assert vntime.parse_typed_date("2024-06-25") == dt.date(2024, 6, 25)
    with pytest.raises(vntime.TypedDateError, match="chỉ có 29 ngày"):
        vntime.parse_typed_date("31/02/2024")
    with pytest.raises(vntime.TypedDateError, match="4 chữ số"):
        vntime.parse_typed_date("25/06/24")
    with pytest.raises(vntime.TypedDateError, match="không có tháng 25"):
        vntime.parse_typed_date("06/25/2024")
    for text in INPUTS:
        result = python_result(text)
        if "error" in result:  # every refusal says how to write a date
            assert "ngày/tháng/năm, ví dụ 25/06/2024" in result["error"], text
            assert not any(word in result["error"] for word in ("invalid", "format", "true", "None")), result
    assert vntime.typed_date(dt.date(2024, 3, 1)) == "01/03/2024"
    assert sum("iso" in python_result(t) for t in INPUTS) >= 18 and sum("error" in python_result(t) for t in INPUTS) >= 30


# ----------------------------------------------------------------- the same rule in the browser
@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return write_form_site(tmp_path_factory.mktemp("dates-site"), "entry")


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


def open_form(browser, base_url: str, locale: str):
    context = browser.new_context(locale=locale, timezone_id="America/New_York" if locale == "en-US" else "Asia/Ho_Chi_Minh")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.clock.set_fixed_time(INSIDE_WINDOW)
    page.goto(base_url + "nop-sang-kien/")
    page.wait_for_selector("#skf-form-status")
    return context, page, errors


@needs_chromium
@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_same_results_in_python_and_javascript(browser, base_url, locale: str) -> None:
    context, page, errors = open_form(browser, base_url, locale)
    try:
        got = page.evaluate(
            "async texts => { const m = await import('../assets/sangkien/form/dates.js'); return texts.map(m.parseTypedDate); }", INPUTS)
        assert got == [python_result(t) for t in INPUTS]
        assert page.evaluate("navigator.language") == locale
        assert not errors, errors
    finally:
        context.close()


FIRST_APPLIED = "#skf-f-first_applied"


def _typed(page, selector: str, text: str) -> None:
    page.fill(selector, text)
    page.locator(selector).blur()
    page.click("#skf-check")


def _first_applied_in_file(page) -> str | None:
    content = page.evaluate("window.sangkienForm.state.content")
    for line in content.splitlines():
        if line.startswith("first_applied: "):
            return line.removeprefix("first_applied: ")
    return None


@needs_chromium
@pytest.mark.parametrize("locale", ["vi-VN", "en-US"])
def test_form_dates_do_not_depend_on_the_browser_locale(browser, base_url, locale: str) -> None:
    context, page, errors = open_form(browser, base_url, locale)
    try:
        box = page.locator(FIRST_APPLIED)
        assert box.get_attribute("type") == "text"  # never the browser's own date box
        assert page.locator("input[type=date]").count() == 0
        hint = page.inner_text('[data-path="first_applied"] .skf-date-hint')
        assert "ngày/tháng/năm, ví dụ 25/06/2024" in hint
        # the submission date proposed for today is shown day first
        assert page.input_value("#skf-f-submitted") == "10/06/2024"
        assert 'submitted: "2024-06-10"' in page.evaluate("window.sangkienForm.state.content")

        _typed(page, FIRST_APPLIED, "01/03/2024")
        assert _first_applied_in_file(page) == '"2024-03-01"'  # 1 March 2024, in both locales
        assert page.locator('[data-path="first_applied"] .skf-field-errors li').count() == 0
        _typed(page, FIRST_APPLIED, "5.6.2024")
        assert _first_applied_in_file(page) == '"2024-06-05"'
        _typed(page, FIRST_APPLIED, "2024-03-01")
        assert _first_applied_in_file(page) == '"2024-03-01"'

        refusals = {
            "31/02/2024": "tháng 2 năm 2024 chỉ có 29 ngày",
            "25/06/24": "năm phải ghi đủ 4 chữ số",
            "06/25/2024": "không có tháng 25",
            "hôm qua": "không phải ngày",
        }
        for text, why in refusals.items():
            _typed(page, FIRST_APPLIED, text)
            shown = page.inner_text('[data-path="first_applied"] .skf-field-errors')
            assert "SK205" in shown and why in shown and "ngày/tháng/năm, ví dụ 25/06/2024" in shown, (text, shown)
            assert "«Ngày áp dụng lần đầu»" in shown  # the field as the form labels it
            assert "first_applied" not in shown and "định dạng yêu cầu" not in shown
            assert page.get_attribute("#skf-form-status", "data-valid") == "false"
        assert not errors, errors
    finally:
        context.close()


@needs_chromium
def test_a_loaded_file_with_a_day_first_date_is_reported_not_silently_changed(browser, base_url) -> None:
    """A file that says first_applied: "01/03/2024" is what CI refuses (SK205): the form keeps the
    value as written until the person types it again, and says how to write it."""
    context, page, errors = open_form(browser, base_url, "en-US")
    try:
        text = (ROOT / "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md").read_text(encoding="utf-8")
        text, n = re.subn(r'first_applied: "(\d{4})-(\d{2})-(\d{2})"', lambda m: f'first_applied: "{m[3]}/{m[2]}/{m[1]}"', text)
        assert n == 1
        page.click("#skf-load summary")
        page.fill("#skf-load-text", text)
        page.click("#skf-load-apply")
        page.wait_for_function("document.getElementById('skf-load-note').textContent !== ''")
        problems = page.inner_text("#skf-form-problems")
        assert "SK205" in problems and "năm-tháng-ngày" in problems
        note = page.inner_text('[data-path="first_applied"] .skf-note')
        assert "ngày/tháng/năm" in note
        value = page.input_value(FIRST_APPLIED)
        _typed(page, FIRST_APPLIED, value)  # typed again in the box: now read day first
        assert "SK205" not in page.inner_text("#skf-form-problems")
        assert not errors, errors
    finally:
        context.close()
