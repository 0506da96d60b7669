"""Guides generated from the sources of truth: the field reference from schema/*.schema.json and
the list of problem codes from sangkien.codes.CODES. Nothing here is written by hand twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sangkien import schemas
from sangkien.codes import CODES
from sangkien.problems import ERROR
from sangkien.site import urls
from sangkien.site.markup import a, e, num
from sangkien.site.parts import Page

# kind, where the file lives, who writes it
KINDS = [
    ("entry", "entries/<mã đợt>/<mã đơn vị>/<mã bài>.md (phần giữa hai dòng ---)", "Đơn vị nộp sáng kiến"),
    ("replication", "entries/replications/<mã đơn vị>/<mã>.md (phần giữa hai dòng ---)", "Đơn vị nhân rộng sáng kiến"),
    ("nomination", "entries/<mã phong trào>/<mã đơn vị>/<mã hồ sơ>.md, trong phong trào thi đua", "Đơn vị trình khen thưởng"),
    ("campaign", "entries/<mã đợt>/campaign.yaml", "Cơ quan tổ chức"),
    ("decisions", "entries/<mã đợt>/decisions.yaml", "Hội đồng"),
    ("units", "entries/units.yaml", "Cơ quan tổ chức"),
]
TYPES = {"string": "chữ", "number": "số", "integer": "số nguyên", "boolean": "true hoặc false", "array": "danh sách", "object": "nhóm trường"}
RANGES = [
    ("SK0", "Đọc tệp"), ("SK1", "Cú pháp YAML"), ("SK2", "Các trường thông tin"), ("SK3", "Đối chiếu giữa các tệp"),
    ("SK4", "Hạn nộp"), ("SK5", "Thông tin cá nhân và chữ viết"), ("SK6", "Quyền thay đổi tệp"), ("SK7", "Tính mới, trùng lặp"),
    ("SK8", "Công cụ của Hội đồng và cơ quan tổ chức"), ("SK9", "Cách dùng lệnh"),
]


def _type(schema: dict[str, Any], node: dict[str, Any]) -> str:
    if schemas.choices(schema, node):
        return "một giá trị trong danh sách"
    kind = node.get("type")
    if kind == "array":
        item = schemas.resolve(schema, node.get("items", {}))
        inner = "giá trị trong danh sách" if schemas.choices(schema, item) else TYPES.get(str(item.get("type")), "mục")
        return f"danh sách ({inner})"
    if node.get("format") == "date" or "\\d{4}-\\d{2}-\\d{2}" in node.get("pattern", ""):
        return 'ngày "năm-tháng-ngày"'
    if isinstance(kind, list):
        names: list[str] = kind  # JSON Schema: a list of type names
        return " hoặc ".join(TYPES.get(k, k) for k in names)
    return TYPES.get(str(kind), "giá trị")


def _limits(node: dict[str, Any]) -> list[str]:
    out = []
    if "minLength" in node or "maxLength" in node:
        out.append(f"độ dài {num(node.get('minLength', 0))}–{num(node['maxLength'])} ký tự" if "maxLength" in node else f"ít nhất {num(node['minLength'])} ký tự")
    for key, text in (("minimum", "nhỏ nhất"), ("exclusiveMinimum", "lớn hơn"), ("maximum", "lớn nhất"), ("exclusiveMaximum", "nhỏ hơn")):
        if key in node:
            out.append(f"{text} {num(node[key])}")
    if "minItems" in node:
        out.append(f"ít nhất {num(node['minItems'])} mục")
    if "maxItems" in node:
        out.append(f"tối đa {num(node['maxItems'])} mục")
    if node.get("uniqueItems"):
        out.append("không trùng mục")
    if node.get("pattern", "").startswith("^https://"):
        out.append("bắt đầu bằng https://")
    elif node.get("pattern", "") == "^[a-z0-9]+(-[a-z0-9]+)*$":
        out.append("chữ thường không dấu, số, gạch nối")
    return out


def _field(schema: dict[str, Any], kind: str, path: str, node: dict[str, Any], required: bool) -> str:
    node = schemas.resolve(schema, node)
    item = schemas.resolve(schema, node.get("items", {})) if node.get("type") == "array" else {}
    title = node.get("title") or item.get("title") or path
    desc = node.get("description") or item.get("description") or ""
    options = schemas.choices(schema, node) or schemas.choices(schema, item)
    rows = [f'<p class="sk-field-meta"><span class="sk-badge sk-badge--{"req" if required else "opt"}">{"Bắt buộc" if required else "Không bắt buộc"}</span> '
            f"Kiểu: {e(_type(schema, node))}"
            + (f" · {e('; '.join(_limits(node) + _limits(item)))}" if _limits(node) + _limits(item) else "") + "</p>"]
    if desc:
        rows.append(f"<p>{e(desc)}</p>")
    if options:
        rows.append('<ul class="sk-options">' + "".join(f"<li><code>{e(v)}</code> — {e(lab)}</li>" for v, lab in options) + "</ul>")
    if "default" in node:
        rows.append(f"<p>Mặc định: <code>{e(json.dumps(node['default'], ensure_ascii=False))}</code></p>")
    examples = node.get("examples") or item.get("examples") or []
    if examples:
        rows.append("<p>Ví dụ: " + ", ".join(f"<code>{e(json.dumps(x, ensure_ascii=False))}</code>" for x in examples[:3]) + "</p>")
    if isinstance(node.get("additionalProperties"), dict):
        rows.append("<p>Mỗi dòng có dạng «mã: giá trị».</p>")
    alternatives: list[Any] = [o.get("required") for o in node.get("oneOf", []) + item.get("oneOf", []) if isinstance(o, dict) and o.get("required") and "const" not in o]
    if alternatives:
        rows.append("<p>Ghi đúng một trong các trường: " + ", ".join(f"<code>{e(r[0])}</code>" for r in alternatives) + ".</p>")
    anchor = f"{kind}-{path.replace('[]', '').replace('.', '-')}"
    return (f'<div class="sk-ref" id="{e(anchor)}"><h4><code>{e(path)}</code> — {e(title)}</h4>{"".join(rows)}</div>')


def _walk(schema: dict[str, Any], kind: str, node: dict[str, Any], prefix: str, out: list[str], depth: int = 0) -> None:
    node = schemas.resolve(schema, node)
    required = set(node.get("required") or [])
    for name, sub in (node.get("properties") or {}).items():
        path = f"{prefix}{name}"
        out.append(_field(schema, kind, path, sub, name in required))
        sub = schemas.resolve(schema, sub)
        if depth > 4:
            continue
        if sub.get("type") == "object" and sub.get("properties"):
            _walk(schema, kind, sub, f"{path}.", out, depth + 1)
        item = schemas.resolve(schema, sub.get("items", {})) if sub.get("type") == "array" else {}
        if item.get("properties"):
            _walk(schema, kind, item, f"{path}[].", out, depth + 1)


def fields_html(root: Path) -> str:
    parts = ["<h1>Bảng tra các trường thông tin</h1>",
             "<p>Trang này được tạo tự động từ các mẫu dữ liệu (JSON Schema) trong thư mục <code>schema/</code> — cũng là các mẫu "
             "mà hệ thống kiểm tra dùng. Tên trường viết bằng chữ thường không dấu như trong tệp; <code>a.b</code> là trường "
             "<code>b</code> nằm trong nhóm <code>a</code>; <code>a[].b</code> là trường <code>b</code> của mỗi mục trong danh sách "
             "<code>a</code>. Ngày viết dạng năm-tháng-ngày trong dấu nháy, ví dụ <code>\"2024-06-25\"</code>.</p>"]
    toc = []
    sections = []
    for kind, where, who in KINDS:
        try:
            schema = schemas.load_schema(root, kind)
        except (OSError, ValueError):
            continue
        fields: list[str] = []
        _walk(schema, kind, schema, "", fields)
        toc.append(f'<li><a href="#{e(kind)}">{e(schema.get("title", kind))}</a></li>')
        sections.append(f'<section class="sk-section"><h2 id="{e(kind)}">{e(schema.get("title", kind))}</h2>'
                        f'<p>{e(schema.get("description", ""))}</p>'
                        f'<p class="sk-muted">Tệp: <code>{e(where)}</code> · Người viết: {e(who)} · Mẫu: '
                        f'{a(urls.rel(urls.FIELDS, "schema/" + kind + ".schema.json"), e(kind + ".schema.json"))}</p>{"".join(fields)}</section>')
    parts.append(f'<ul class="sk-plain">{"".join(toc)}</ul>')
    parts.extend(sections)
    return "".join(parts)


def codes_html() -> str:
    parts = ["<h1>Danh sách mã lỗi</h1>",
             "<p>Mỗi vấn đề mà hệ thống kiểm tra báo ra có một mã cố định (ví dụ <code>SK201</code>), mức độ, tệp, dòng và cách sửa. "
             "<strong>Lỗi</strong> phải sửa thì bài mới được nhận; <strong>cảnh báo</strong> nên xem lại nhưng không chặn bài. "
             "Mã không bao giờ đổi nghĩa, nên có thể tìm mã trên trang này.</p>"]
    for prefix, title in RANGES:
        codes = [(c, info) for c, info in CODES.items() if c.startswith(prefix)]
        if not codes:
            continue
        items = "".join(
            f'<div class="sk-ref" id="{e(c)}"><h3><code>{e(c)}</code> — {e(info.title)}</h3>'
            f'<p><span class="sk-badge sk-badge--{"error" if info.severity == ERROR else "warning"}">{"Lỗi" if info.severity == ERROR else "Cảnh báo"}</span></p>'
            f"<p><strong>Cách sửa:</strong> {e(info.fix)}</p></div>" for c, info in sorted(codes))
        parts.append(f'<section class="sk-section"><h2 id="nhom-{prefix.lower()}">{e(title)} ({prefix}xx)</h2>{items}</section>')
    return "".join(parts)


def guide_pages(root: Path) -> list[Page]:
    return [
        Page(urls.FIELDS, "Bảng tra các trường thông tin", "Tên, ý nghĩa, kiểu, giá trị cho phép và ví dụ của từng trường trong các tệp của kho.",
             lambda: fields_html(root)),
        Page(urls.CODES, "Danh sách mã lỗi", "Ý nghĩa và cách sửa của từng mã lỗi, cảnh báo mà hệ thống kiểm tra báo ra.", codes_html),
    ]
