"""Privacy and text hygiene: personal data, legacy-font mojibake, HTML and unsafe links.

The patterns must catch how officials really write phone numbers and IDs, and leave alone
what an initiative legitimately contains: decision numbers, statistics, the unit's switchboard.
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import FIXTURES, ROOT, run_sangkien
from sangkien.checks import text

SWITCHBOARD = "0259 3822 555"  # so-thu's official number in tests/fixtures/entries/units.yaml
ALLOWED = {"2593822555"}

FLAGGED = [
    ("Mọi thắc mắc gọi chị Hòa: 0912 345 678.", "SK501"),
    ("Điện thoại: 0912.345.678", "SK501"),
    ("Liên hệ +84 912 345 678 (Zalo).", "SK501"),
    ("SĐT 0987654321", "SK501"),
    ("Số CCCD: 079123456789", "SK503"),
    ("CCCD 079 123 456 789 cấp ngày 01/01/2021", "SK503"),
    ("Tác giả, ngày sinh: 01/02/1980, quê Tây Ninh.", "SK505"),
    ("Sinh năm 1980 tại Châu Thành.", "SK505"),
    ("Gửi bản mềm về nguyenvana.ct@gmail.com giúp em.", "SK504"),
    ("Hoặc hộp thư hoa.nguyen@yahoo.com.vn", "SK504"),
    ("Địa chỉ nhà riêng: số 12 ấp Thành Tây", "SK507"),
    ("C¶i c¸ch hµnh chÝnh lµ nhiÖm vô träng t©m", "SK510"),
    ("Xin chaøo caùc baïn, ñaây laø baøi vieát", "SK510"),
    ("<script>alert('x')</script>", "SK511"),
    ('<img src="x" onerror="alert(1)">', "SK511"),
    ("<img/src/onerror=alert(1)>", "SK511"),
    ("<img src=x onerror=alert(1)", "SK511"),
    ("hết đoạn </p và tiếp", "SK511"),
    ("<!-- ẩn -->", "SK511"),
    ("<?xml version='1.0'?>", "SK511"),
    ("Xem <https://thunghiem.gov.vn>.", "SK511"),  # an autolink is a tag to innerHTML: write [tên](https://…)
    ("Mã `<b>` rồi <i>", "SK511"),
    ("\\`<b>`", "SK511"),  # an escaped backtick opens no code span
    ("Xem [biểu mẫu](javascript:alert(1)) để biết thêm.", "SK512"),
    ("[x](JAVASCRIPT:alert(1))", "SK512"),
    ("![ảnh](data:text/html;base64,PHNjcmlwdD4=)", "SK512"),
]

CLEAN = [
    "Thực hiện Quyết định số 123/QĐ-UBND ngày 05/6/2024 của UBND huyện.",
    "Năm 2023 đã tiếp nhận 1.250 hồ sơ, giải quyết đúng hạn 99,5%.",
    "Thời gian giải quyết giảm từ 15 ngày xuống 5 ngày.",
    f"Liên hệ Văn phòng Sở qua tổng đài {SWITCHBOARD}.",
    "Theo Nghị định 13/2012/NĐ-CP và Thông tư 18/2013/TT-BKHCN.",
    "Mã hồ sơ có dạng 000.00.12.H56-240610-0001 trên Hệ thống.",
    "Kinh phí 15.000.000 đồng; tiết kiệm 2.400 giờ công mỗi năm.",
    "Hộp thư công vụ: sonoivu@thunghiem.gov.vn.",
    "Nếu x < y và y > z thì chọn phương án 2.",
    "Xem [hướng dẫn](https://dichvucong.gov.vn/huong-dan) và https://thunghiem.gov.vn.",
    "Tỷ lệ <= 3%, 2<3, <5 ngày, a <- b, << và <",
    "Ví dụ mã `<script>alert(1)</script>` và ``<b>`đậm`</b>`` trong dòng.",
    "Đường dây nóng 1900 1234 của tỉnh.",
    "Ngày 25/06/2024, mẫu số 01/2024.",
]


@pytest.mark.parametrize(("line", "code"), FLAGGED)
def test_personal_data_and_unsafe_text_are_flagged(line, code):
    found = list(text.scan(line, "a.md", 7, 1, "phần mô tả", ALLOWED, {"sonoivu@thunghiem.gov.vn"}, markup=True))
    assert [p.code for p in found if p.is_error] == [code], [p.message for p in found]
    assert found[0].line == 7 and "Dòng 7" in found[0].message and "Cách sửa:" in found[0].message


@pytest.mark.parametrize("line", CLEAN)
def test_ordinary_text_is_not_flagged(line):
    found = list(text.scan(line, "a.md", 1, 1, "phần mô tả", ALLOWED, {"sonoivu@thunghiem.gov.vn"}, markup=True))
    assert found == [], [p.message for p in found]


def test_unregistered_landline_is_an_error_and_office_mailbox_a_warning():
    """Every personal datum is an error; a mailbox of an agency's own domain that the registry
    does not list yet is only a warning (it is not personal, just not registered)."""
    found = list(text.scan("Gọi 0259 3999 111 hoặc vanthu@tayninh.gov.vn", "a.md", 1, 1, "x", ALLOWED, set(), markup=True))
    assert sorted((p.code, p.severity) for p in found) == [("SK504", "warning"), ("SK506", "error")]


def test_column_points_at_the_number():
    [found] = text.scan("Gọi chị Hòa: 0912 345 678", "a.md", 3, 5, "x", set(), set(), markup=True)
    assert found.column == 5 + len("Gọi chị Hòa: ")


def test_the_whole_entry_through_the_cli(tmp_path):
    """Body lines and front-matter fields of a real entry, one validator run, each at its line."""
    shutil.copytree(FIXTURES / "entries", tmp_path / "entries")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    rel = "entries/thu-nghiem-2025/so-thu/bai-mot.md"
    path = tmp_path / rel
    original = path.read_text(encoding="utf-8")
    head, body = original.split("\n---\n", 1)
    head = head.replace("benefits_author: Thời gian giải quyết giảm từ 15 ngày xuống 5 ngày.",
                        "benefits_author: Thời gian giảm từ 15 ngày xuống 5 ngày, hỏi thêm qua số 0912 345 678.")
    lines = [line for line, _ in FLAGGED] + CLEAN + ["```html", "<script>chỉ là ví dụ mã</script>", "```"]
    path.write_text(head + "\n---\n" + body + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    done = run_sangkien("validate", "--root", ".", "--format", "json", cwd=tmp_path)
    assert "Traceback" not in done.stderr and done.returncode == 1
    problems = [p for p in json.loads(done.stdout)["problems"] if p["severity"] == "error"]
    written = path.read_text(encoding="utf-8").split("\n")
    expected = [(written.index(line) + 1, code) for line, code in FLAGGED]
    expected.append((next(i for i, w in enumerate(written, 1) if w.startswith("benefits_author:")), "SK501"))
    assert sorted((p["line"], p["code"]) for p in problems) == sorted(expected)
    assert all(p["file"] == rel for p in problems)


def test_shipped_entries_carry_no_personal_data():
    done = run_sangkien("validate", "--format", "json", cwd=ROOT)
    codes = {p["code"] for p in json.loads(done.stdout)["problems"]}
    assert not codes & {"SK501", "SK502", "SK503", "SK504", "SK505", "SK507", "SK510", "SK511", "SK512"}


# ----------------------------------------------------------------- issue 13: HTML rule, cost, limits
def test_html_rule_is_linear_on_the_issue_input():
    """"<a" and 500 KB of spaces took about 8 minutes and found nothing; now one match at once."""
    line = "<a" + " " * 500_000
    found = [p for p in text.scan(line, "a.md", 1, 1, "phần mô tả", set(), set(), markup=True) if p.code == "SK511"]
    assert [p.column for p in found] == [1] and "«<a" in found[0].message


def test_code_spans_follow_commonmark_on_one_line():
    assert text.code_spans("a `b` c") == [(2, 5)]
    assert text.code_spans("``a ` b`` c") == [(0, 9)]
    assert text.code_spans("`a``b`") == [(0, 6)]
    assert text.code_spans("`unclosed") == []
    assert text.code_spans("\\`x`") == []  # escaped opener
    assert text.code_spans("\\\\`x`") == [(2, 5)]  # an escaped backslash, then a span
    runs = "".join("`" * (n % 200 + 1) + "<b>" for n in range(2000))  # many runs, few pairs: still fast
    assert text.code_spans(runs)


def test_html_in_code_is_only_allowed_in_the_body():
    """Fields are plain text everywhere they go (pages, search index, open data): no code spans."""
    body = list(text.scan("`<b>`", "a.md", 1, 1, "x", set(), set(), markup=True))
    field = list(text.scan("`<b>`", "a.md", 1, 1, "x", set(), set(), markup=False))
    assert [p.code for p in body] == [] and [p.code for p in field] == ["SK511"]


def test_markdown_cost_hazards():
    from sangkien.checks import mdcost

    assert mdcost.hazards("## Thực trạng\n\n[liên kết](https://a.vn) và [b] [c](d)\n\n# Một\n\n---\n") == []
    assert [h.kind for h in mdcost.hazards("[a " * 3000)] == ["brackets"]
    assert [h.kind for h in mdcost.hazards("[a](" * 3000)] == ["brackets"]
    assert [h.kind for h in mdcost.hazards("x\n" + "# a\n" * 3000)] == ["splits"]
    assert [h.kind for h in mdcost.hazards("- " * 40 + "a")] == ["nesting"]
    assert [h.kind for h in mdcost.hazards("".join("    " * i + "- a\n" for i in range(40)))] == ["nesting"]
    assert mdcost.hazards("```\n" + "[a " * 3000 + "\n```\n") == []  # fenced code is not parsed inline
    assert mdcost.hazards("\n\n".join(["[a " * 50] * 200)) == []  # many small paragraphs: linear


def test_site_renders_a_hazardous_body_as_plain_text():
    """A body that slipped past the validator never hangs nor ends the build."""
    import time

    from sangkien.site.markup import render_markdown

    for body in ("[a " * 30_000, "- " * 2_000 + "a", "x\n" + "***\n" * 20_000):
        started = time.perf_counter()
        out = render_markdown(body)
        assert out.startswith('<div class="sk-plain">') and "<a " not in out
        assert time.perf_counter() - started < 5  # denial-of-service guard (minutes before)
