"""Every output format comes from sangkien.reporters, and the «Dòng N: » place from problems.placed."""

from __future__ import annotations

import io
import json

from sangkien import reporters
from sangkien.codes import problem
from sangkien.council import errors
from sangkien.problems import COLUMN, LINE, Problem, placed


def sample() -> list[Problem]:
    return [
        problem("SK204", "entries/a/b/c.md", 7, 3, "lĩnh vực có giá trị «x» không nằm trong danh sách cho phép.", "Chọn một giá trị.",
                at=LINE, key=("areas", 0)),
        problem("SK100", "entries/a/b/d.md", 2, 9, "phần thông tin không đọc được theo cú pháp YAML.", at=COLUMN),
        problem("SK219", "entries/a/b/c.md", 1, 1, "Phần mô tả thiếu mục «## Giải pháp»."),
        problem("SK501", "entries/a/b/c.md", 12, 5, "trường tóm tắt có số «0912 | 345 678»,\nvà <b>",
                at=LINE, key=("summary",)),
    ]


def test_the_place_is_written_in_one_place() -> None:
    assert placed(7, 3, LINE, "x") == "Dòng 7: x"
    assert placed(7, 3, COLUMN, "x") == "Dòng 7, cột 3: x"
    assert placed(7, 3, None, "x") == "x"
    p = sample()[0]
    assert p.message == "Dòng 7: lĩnh vực có giá trị «x» không nằm trong danh sách cho phép. Cách sửa: Chọn một giá trị."
    assert p.detail.startswith("lĩnh vực") and p.at == LINE and p.key == ("areas", 0)
    assert sample()[1].message.startswith("Dòng 2, cột 9: phần thông tin")


def test_a_message_written_the_old_way_is_the_same_problem() -> None:
    """Call sites not yet converted (and the cache, and a JSON report read back) give the place in the text."""
    old = problem("SK204", "entries/a/b/c.md", 7, 3, "Dòng 7: lĩnh vực có giá trị «x» không nằm trong danh sách cho phép.", "Chọn một giá trị.")
    new = sample()[0]
    assert old.message == new.message and old.detail == new.detail and old.at == LINE
    assert Problem("SK100", "error", "f", 2, 9, "Dòng 2, cột 9: lỗi.").at == COLUMN
    # A text that names another line is left alone: it is not this problem's place.
    other = Problem("SK101", "error", "f", 5, 1, "Dòng 3: trường lặp.")
    assert other.at is None and other.message == "Dòng 3: trường lặp."
    assert Problem("SK101", "error", "f", 5, 2, "Dòng 5, cột 1: x").at is None


def test_text_and_council_listing() -> None:
    problems = sample()
    expected_lines = [
        "entries/a/b/c.md:7:3: lỗi SK204: Dòng 7: lĩnh vực có giá trị «x» không nằm trong danh sách cho phép. Cách sửa: Chọn một giá trị.",
        "entries/a/b/d.md:2:9: lỗi SK100: Dòng 2, cột 9: phần thông tin không đọc được theo cú pháp YAML. Cách sửa: "
        "Kiểm tra thụt lề bằng dấu cách (không dùng phím Tab) và đặt giá trị có dấu hai chấm trong dấu nháy kép.",
    ]
    out = reporters.text(problems, 3)
    assert out.startswith("\n".join(expected_lines) + "\n")
    assert out.endswith("Đã kiểm tra 3 tệp: 3 lỗi, 1 cảnh báo. Chưa đạt: cần sửa các lỗi trên.\n")
    stream = io.StringIO()
    errors.show(problems, stream)
    assert stream.getvalue() == "".join(reporters.line(p) + "\n" for p in problems) == out.rsplit("Đã kiểm tra", 1)[0]


def test_json_keeps_its_shape_and_reads_back() -> None:
    problems = sample()
    raw = reporters.as_json(problems, 3)
    data = json.loads(raw)
    assert list(data) == ["problems", "checked"]
    assert list(data["problems"][0]) == ["code", "severity", "file", "line", "column", "message"]
    assert data["problems"][0]["message"].startswith("Dòng 7: lĩnh vực")
    again, checked = reporters.read_json(raw)
    assert checked == 3 and [p.message for p in again] == [p.message for p in problems]
    assert [(p.detail, p.at) for p in again] == [(p.detail, p.at) for p in problems]


def test_github_commands_and_annotations() -> None:
    problems = sample()
    out = reporters.github(problems, 3).splitlines()
    assert out[0] == ("::error file=entries/a/b/c.md,line=7,col=3,title=SK204::Dòng 7: lĩnh vực có giá trị «x» không nằm trong danh sách cho phép. "
                      "Cách sửa: Chọn một giá trị.")
    assert out[2].startswith("::warning file=entries/a/b/c.md,line=1,col=1,title=SK219::")
    assert "%0Avà <b>" in out[3]
    kept = reporters.github_annotations(problems, 2)
    assert kept[:2] == out[:2] and kept[2].startswith("Còn 2 vấn đề nữa không hiện thành chú thích (máy chủ Git chỉ hiện 2)")


def test_summary_markdown() -> None:
    problems = sample()
    text = reporters.summary_markdown(problems, 3)
    assert text.startswith("## Kết quả kiểm tra: CHƯA ĐẠT ❌\n\nĐã kiểm tra 3 tệp: 3 lỗi, 1 cảnh báo. Chưa đạt: cần sửa các lỗi trên.\n\n"
                           "| # | Mức | Mã | Tệp | Dòng | Nội dung và cách sửa |\n|---|---|---|---|---|---|\n")
    assert "| 4 | lỗi | SK501 | entries/a/b/c.md | 12 | Dòng 12: trường tóm tắt có số «0912 \\| 345 678», và &lt;b&gt; Cách sửa: " in text
    assert reporters.summary_markdown([], 5) == "## Kết quả kiểm tra: ĐẠT ✅\n\nĐã kiểm tra 5 tệp: 0 lỗi, 0 cảnh báo. Đạt.\n\n"
    cut = reporters.summary_markdown(problems, 3, limit=400)
    assert len(cut.encode("utf-8")) < 400 + 300 and "vấn đề nữa không hiện ở đây" in cut
