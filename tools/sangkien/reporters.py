"""Print a report as text for people, JSON for tools, or GitHub workflow commands."""

from __future__ import annotations

import json

from sangkien.problems import Problem

SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo"}


def summary_line(problems: list[Problem], checked: int) -> str:
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    verdict = "Đạt." if errors == 0 else "Chưa đạt: cần sửa các lỗi trên."
    return f"Đã kiểm tra {checked} tệp: {errors} lỗi, {warnings} cảnh báo. {verdict}"


def text(problems: list[Problem], checked: int) -> str:
    lines = [f"{p.file}:{p.line}:{p.column}: {SEVERITY_VI.get(p.severity, p.severity)} {p.code}: {p.message}" for p in problems]
    lines.append(summary_line(problems, checked))
    return "\n".join(lines) + "\n"


def as_json(problems: list[Problem], checked: int) -> str:
    return json.dumps({"problems": [p.as_dict() for p in problems], "checked": checked}, ensure_ascii=False, indent=2) + "\n"


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


FORMATS = {"text": text, "json": as_json, "github": github}
