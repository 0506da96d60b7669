"""Every output format of a list of problems, in one module.

    text        one line per problem for people, then the count (`sangkien validate`, `sangkien new`,
                the council commands' refusals through `show`, the pre-commit hook)
    json        for tools (`--format json`); `read_json` reads it back (`sangkien ci report`)
    github      workflow commands the host turns into annotations; `github_annotations` keeps the first few
    summary     the Markdown job summary / pull-request comment (`summary_markdown`)

Each format writes `Problem.message`, the text with its «Dòng N: » place (problems.placed).
"""

from __future__ import annotations

import html
import json
import sys
from typing import TextIO

from sangkien.problems import Problem

SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo"}


def summary_line(problems: list[Problem], checked: int) -> str:
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    verdict = "Đạt." if errors == 0 else "Chưa đạt: cần sửa các lỗi trên."
    return f"Đã kiểm tra {checked} tệp: {errors} lỗi, {warnings} cảnh báo. {verdict}"


# ---------------------------------------------------------------- text
def line(p: Problem) -> str:
    """`file:line:column: mức CODE: message`, the way compilers and editors show a place."""
    return f"{p.file}:{p.line}:{p.column}: {SEVERITY_VI.get(p.severity, p.severity)} {p.code}: {p.message}"


def text(problems: list[Problem], checked: int) -> str:
    lines = [line(p) for p in problems]
    lines.append(summary_line(problems, checked))
    return "\n".join(lines) + "\n"


def show(problems: list[Problem], stream: TextIO | None = None) -> None:
    """The problems alone, one line each, on stderr (the council commands' refusals): the same
    lines as `sangkien validate`, so people read one format everywhere."""
    out = stream or sys.stderr
    for p in problems:
        print(line(p), file=out)


# ---------------------------------------------------------------- json
def as_json(problems: list[Problem], checked: int) -> str:
    return json.dumps({"problems": [p.as_dict() for p in problems], "checked": checked}, ensure_ascii=False, indent=2) + "\n"


def read_json(raw: str) -> tuple[list[Problem], int]:
    """The problems and file count of an `as_json` report (raises ValueError, KeyError, TypeError)."""
    data = json.loads(raw)
    problems = [Problem(str(p["code"]), str(p["severity"]), str(p["file"]), int(p["line"]), int(p["column"]), str(p["message"]))
                for p in data["problems"]]
    return problems, int(data.get("checked", 0))


# ---------------------------------------------------------------- github


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem], checked: int) -> str:
    """One workflow command per problem; the host turns them into annotations on the PR."""
    lines = []
    for p in problems:
        level = "error" if p.is_error else "warning"
        props = f"file={_escape_property(p.file)},line={p.line},col={p.column},title={_escape_property(p.code)}"
        lines.append(f"::{level} {props}::{_escape_data(p.message)}")
    lines.append(summary_line(problems, checked))
    return "\n".join(lines) + "\n"


def github_annotations(problems: list[Problem], limit: int) -> list[str]:
    """Workflow commands for the first `limit` problems, errors first, then a count of the rest."""
    ordered = sorted(problems, key=lambda p: not p.is_error)[:max(limit, 0)]
    lines = github(ordered, 0).splitlines()[:-1]  # drop the reporter's own count line
    if len(problems) > len(ordered):
        lines.append(f"Còn {len(problems) - len(ordered)} vấn đề nữa không hiện thành chú thích (máy chủ Git chỉ hiện {limit}); "
                     "xem trang tóm tắt (Summary) của lần chạy hoặc tệp báo cáo JSON.")
    return lines


# ---------------------------------------------------------------- summary (Markdown)
SUMMARY_LIMIT = 1024 * 1024  # GitHub refuses a step summary over 1 MiB
SUMMARY_BUDGET = SUMMARY_LIMIT - 16 * 1024  # room for the closing note


def _cell(value: object) -> str:
    """Table cell text: HTML escaped (the summary renders HTML), no line breaks, no pipes."""
    flat = " ".join(str(value).split())
    return html.escape(flat, quote=False).replace("|", "\\|")


def summary_markdown(problems: list[Problem], checked: int, limit: int = SUMMARY_BUDGET) -> str:
    """A Vietnamese job summary of every problem, cut to stay under the host's size limit."""
    errors = sum(1 for p in problems if p.is_error)
    head = ["## Kết quả kiểm tra: " + ("ĐẠT ✅" if errors == 0 else "CHƯA ĐẠT ❌"), "",
            _cell(summary_line(problems, checked)), ""]
    if not problems:
        return "\n".join(head) + "\n"
    head += ["| # | Mức | Mã | Tệp | Dòng | Nội dung và cách sửa |", "|---|---|---|---|---|---|"]
    out = "\n".join(head) + "\n"
    size = len(out.encode("utf-8"))
    shown = 0
    for number, p in enumerate(problems, start=1):
        row = (f"| {number} | {SEVERITY_VI.get(p.severity, p.severity)} | {p.code} | {_cell(p.file)} | {p.line} | {_cell(p.message)} |\n")
        if size + len(row.encode("utf-8")) > limit:
            break
        out += row
        size += len(row.encode("utf-8"))
        shown += 1
    if shown < len(problems):
        out += (f"\nCòn {len(problems) - shown} vấn đề nữa không hiện ở đây vì trang tóm tắt giới hạn 1 MiB. "
                "Xem toàn bộ trong tệp báo cáo JSON (mục Artifacts của lần chạy) hoặc chạy «sangkien validate» trên máy.\n")
    return out


FORMATS = {"text": text, "json": as_json, "github": github}
