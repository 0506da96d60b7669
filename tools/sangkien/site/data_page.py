"""The open-data page: what the exports written by opendata.py contain and where they are."""

from __future__ import annotations

from pathlib import Path

from sangkien import schemas
from sangkien.site import urls
from sangkien.site.licence import DEFAULT as DEFAULT_LICENCE
from sangkien.site.licence import Licence
from sangkien.site.markup import a, e, external
from sangkien.site.parts import Page

EXPORTS = [
    ("sang-kien.json", "JSON", "Toàn bộ sáng kiến đã được công nhận (còn hiệu lực) với thông tin, quyết định công nhận, kết quả đo được "
     "và đường dẫn tới trang của từng sáng kiến; theo mẫu catalogue.schema.json."),
    ("sang-kien.csv", "CSV", "Cùng dữ liệu, mỗi sáng kiến một dòng, các cột ngăn bằng dấu phẩy; mã UTF-8 có BOM. "
     "Dành cho phần mềm xử lý dữ liệu (xem mục «Mở bằng Excel» bên dưới)."),
    ("doc-truoc.txt", "Ghi chú kèm tệp CSV", "Giấy phép, mã ký tự, dấu ngăn cột và cách mở tệp CSV bằng Excel."),
    ("sang-kien.xlsx", "Excel (XLSX)", "Cùng dữ liệu dạng bảng tính, kèm trang kết quả đo được và trang «Thông tin» ghi giấy phép; "
     "mở thẳng bằng Excel, không cần chọn mã ký tự hay dấu ngăn cột."),
    ("moi-cong-nhan.xml", "Atom", "Nguồn tin các sáng kiến mới được công nhận, dùng với trình đọc tin (RSS/Atom)."),
]


def _licence(licence: Licence) -> str:
    return ('<h2 id="giay-phep">Giấy phép</h2>'
            f"<p>Dữ liệu mở của kho được công bố theo {external(licence.url, e(licence.name))}. Được sao chép, phân phối, "
            "chỉnh sửa và dùng cho mọi mục đích, với điều kiện ghi rõ nguồn (cơ quan tổ chức và đường dẫn trang của sáng kiến) "
            "và theo đúng điều khoản của giấy phép. Giấy phép cũng được ghi trong từng tệp: trường <code>licence</code> của tệp JSON, "
            "trang «Thông tin» của tệp Excel, thẻ <code>rights</code> của nguồn tin Atom và tệp ghi chú kèm tệp CSV.</p>")


EXCEL = ('<h2 id="mo-bang-excel">Mở bằng Excel: CSV hay XLSX?</h2>'
         "<p><strong>Dùng Excel thì tải tệp XLSX.</strong> Tệp CSV theo chuẩn chung: mã UTF-8, các cột ngăn bằng "
         "<strong>dấu phẩy (,)</strong>. Trên máy Windows đặt vùng Việt Nam, Excel lại dùng <strong>dấu chấm phẩy (;)</strong> "
         "để ngăn cột (vì dấu phẩy là dấu thập phân), nên bấm đúp mở tệp CSV có thể dồn cả dòng vào một cột.</p>"
         "<p>Nếu cần mở tệp CSV bằng Excel: mở Excel, chọn <em>Dữ liệu</em> › <em>Từ Văn bản/CSV</em>, chọn tệp "
         "<code>sang-kien.csv</code>, mục <em>Nguồn tệp</em> chọn <em>65001: Unicode (UTF-8)</em>, mục <em>Dấu tách</em> chọn "
         "<em>Dấu phẩy</em>, rồi <em>Tải</em>. Phần mềm thống kê, Python, R, LibreOffice đọc thẳng tệp CSV.</p>"
         "<p>Số thập phân trong cột kết quả ghi dấu phẩy thập phân kiểu Việt Nam (0,5); tệp JSON và XLSX giữ số dạng số.</p>")


def data_html(root: Path, licence: Licence = DEFAULT_LICENCE) -> str:
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
            f"{_licence(licence)}{EXCEL}"
            '<h2 id="mau-du-lieu">Mẫu dữ liệu (JSON Schema)</h2>'
            "<p>Các mẫu mà hệ thống kiểm tra dùng cho từng loại tệp trong kho, và mẫu của tệp JSON xuất ra. "
            f"Giải thích từng trường: {a(urls.rel(here, urls.FIELDS), 'Bảng tra các trường')}.</p>"
            f'<ul class="sk-plain">{"".join(schema_items)}</ul>')


def data_page(root: Path, licence: Licence = DEFAULT_LICENCE) -> Page:
    return Page(urls.DATA, "Dữ liệu mở", "Tải danh mục sáng kiến đã công nhận dạng JSON, CSV, Excel, Atom và các mẫu dữ liệu JSON Schema.",
                lambda: data_html(root, licence))
