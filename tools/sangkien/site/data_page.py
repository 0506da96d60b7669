"""The open-data page: what the exports written by opendata.py contain and where they are."""

from __future__ import annotations

from pathlib import Path

from sangkien import schemas
from sangkien.site import urls
from sangkien.site.markup import a, e
from sangkien.site.parts import Page

EXPORTS = [
    ("sang-kien.json", "JSON", "Toàn bộ sáng kiến đã được công nhận (còn hiệu lực) với thông tin, quyết định công nhận, kết quả đo được "
     "và đường dẫn tới trang của từng sáng kiến; theo mẫu catalogue.schema.json."),
    ("sang-kien.csv", "CSV", "Cùng dữ liệu, mỗi sáng kiến một dòng; mã UTF-8 có BOM để Excel hiển thị đúng tiếng Việt."),
    ("sang-kien.xlsx", "Excel (XLSX)", "Cùng dữ liệu dạng bảng tính, kèm trang kết quả đo được."),
    ("moi-cong-nhan.xml", "Atom", "Nguồn tin các sáng kiến mới được công nhận, dùng với trình đọc tin (RSS/Atom)."),
]


def data_html(root: Path) -> str:
    here = urls.DATA
    items = "".join(f"<li>{a(name, e(fmt))} — <code>{e(name)}</code><br>{e(desc)}</li>" for name, fmt, desc in EXPORTS)
    folder = schemas.schema_dir(root)
    schema_items = []
    for path in sorted(folder.glob("*.schema.json")):
        try:
            title = schemas.load_schema(root, path.name.removesuffix(".schema.json")).get("title", path.name)
        except (OSError, ValueError):
            title = path.name
        schema_items.append(f"<li>{a(urls.rel(here, 'schema/' + path.name), f'<code>{e(path.name)}</code>')} — {e(title)}</li>")
    return ("<h1>Dữ liệu mở</h1>"
            "<p>Dữ liệu của danh mục được xuất lại mỗi lần dựng trang, cùng lúc với các trang. Đường dẫn dưới đây cố định, "
            "có thể dùng trực tiếp trong phần mềm khác. Chỉ gồm sáng kiến đã được công nhận còn hiệu lực; không có thông tin "
            "cá nhân ngoài họ tên, chức vụ, nơi công tác của tác giả như trong quyết định công nhận.</p>"
            f'<h2 id="tai-ve">Tải về</h2><ul class="sk-plain">{items}</ul>'
            '<h2 id="mau-du-lieu">Mẫu dữ liệu (JSON Schema)</h2>'
            "<p>Các mẫu mà hệ thống kiểm tra dùng cho từng loại tệp trong kho, và mẫu của tệp JSON xuất ra. "
            f"Giải thích từng trường: {a(urls.rel(here, urls.FIELDS), 'Bảng tra các trường')}.</p>"
            f'<ul class="sk-plain">{"".join(schema_items)}</ul>')


def data_page(root: Path) -> Page:
    return Page(urls.DATA, "Dữ liệu mở", "Tải danh mục sáng kiến đã công nhận dạng JSON, CSV, Excel, Atom và các mẫu dữ liệu JSON Schema.",
                lambda: data_html(root))
