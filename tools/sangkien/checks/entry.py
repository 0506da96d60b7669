"""Rules for one entry, nomination or replication file that a schema cannot express."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from sangkien.codes import problem
from sangkien.layout import ATTACHMENT, SLUG, Place
from sangkien.model import as_date
from sangkien.problems import LINE, Problem
from sangkien.reader import Document
from sangkien.textnorm import fold

HEADING = re.compile(r"^#{1,3}\s+(.+?)\s*#*\s*$")
SECTIONS = {"thuc trang": ("thuc trang", "van de", "hien trang"), "giai phap": ("giai phap", "noi dung giai phap")}


def check_place(doc: Document, place: Place) -> Iterator[Problem]:
    """The file's own name and folders must agree with what it declares."""
    data = doc.data if isinstance(doc.data, dict) else {}
    name = doc.path.rsplit("/", 1)[-1]
    if place.slug is not None and not SLUG.match(place.slug):
        yield problem("SK007", doc.path, 1, 1, f"Tên tệp «{name}» có chữ hoa, dấu tiếng Việt, dấu cách hoặc ký tự lạ.",
                      f"Đổi tên tệp thành «{data.get('id') or 'ma-bai'}.md» (chữ thường không dấu, số, gạch nối).")
    elif isinstance(data.get("id"), str) and data["id"] != place.slug:
        line, col = doc.parsed.where(("id",))
        yield problem("SK210", doc.path, line, col, f"id là «{data['id']}» nhưng tên tệp là «{name}».", at=LINE, key=("id",))
    for folder, key, code in ((place.campaign, "campaign", "SK211"), (place.unit, "unit", "SK212")):
        if folder is None:
            continue
        if not SLUG.match(folder):
            yield problem("SK007", doc.path, 1, 1, f"Tên thư mục «{folder}» có chữ hoa, dấu tiếng Việt, dấu cách hoặc ký tự lạ.")
        elif isinstance(data.get(key), str) and data[key] != folder:
            line, col = doc.parsed.where((key,))
            yield problem(code, doc.path, line, col, f"{key} là «{data[key]}» nhưng tệp nằm trong thư mục «{folder}».", at=LINE, key=(key,))


def _fields(doc: Document) -> dict[str, Any]:
    """The front matter of an entry, which these rules read as a mapping (as the schema says)."""
    return cast(dict[str, Any], doc.data)


def check_entry(doc: Document, root: Path) -> Iterator[Problem]:
    yield from check_alone(doc)
    yield from check_attachments(doc, root)


def check_alone(doc: Document) -> Iterator[Problem]:
    """The rules that read nothing but the file itself (the validator keeps their result in its
    cache); check_attachments looks at other files and always runs."""
    data = _fields(doc)
    where = doc.parsed.where
    authors = [a for a in data.get("authors") or [] if isinstance(a, dict)]
    participation = data.get("participation")
    line, col = where(("participation",))
    if participation == "ca-nhan" and len(authors) > 1:
        yield problem("SK213", doc.path, line, col, f"hình thức cá nhân nhưng có {len(authors)} tác giả.",
                      "Đổi participation thành «nhom», hoặc chỉ giữ một tác giả.", at=LINE, key=("participation",))
    if participation == "nhom":
        reps = [a for a in authors if a.get("representative") is True]
        if len(authors) < 2:
            yield problem("SK213", doc.path, line, col, f"nhóm tác giả cần từ 02 người trở lên, đang có {len(authors)}.", at=LINE, key=("participation",))
        elif len(reps) != 1:
            yield problem("SK213", doc.path, line, col, f"nhóm tác giả cần đúng một người đại diện, đang có {len(reps)}.",
                          "Ghi «representative: true» cho đúng một tác giả.", at=LINE, key=("participation",))
    shares: list[Any] = [a.get("contribution") for a in authors]
    if authors and all(isinstance(s, (int, float)) and not isinstance(s, bool) for s in shares):
        total = sum(shares)
        if abs(total - 100) > 0.01:
            aline, acol = where(("authors",))
            yield problem("SK214", doc.path, aline, acol, f"tổng tỷ lệ đóng góp của các tác giả là {total:g}%, phải bằng 100%.", at=LINE, key=("authors",))
    first, submitted = as_date(data.get("first_applied")), as_date(data.get("submitted"))
    if first and submitted and first > submitted and data.get("application_status") != "chua-ap-dung":
        fline, fcol = where(("first_applied",))
        yield problem("SK216", doc.path, fline, fcol, f"ngày áp dụng lần đầu {first:%d/%m/%Y} sau ngày nộp {submitted:%d/%m/%Y}.", at=LINE, key=("first_applied",))
    yield from check_body(doc)


def check_body(doc: Document) -> Iterator[Problem]:
    if not doc.body.strip():
        yield problem("SK217", doc.path, doc.body_line, 1, "Sau dòng --- thứ hai chưa có phần mô tả bản chất sáng kiến.")
        return
    headings = [fold(m.group(1)) for line in doc.body.split("\n") if line[:1] == "#" and (m := HEADING.match(line))]
    for name, variants in SECTIONS.items():
        if not any(h.startswith(variants) for h in headings):
            title = {"thuc trang": "## Thực trạng", "giai phap": "## Giải pháp"}[name]
            yield problem("SK219", doc.path, doc.body_line, 1, f"Phần mô tả chưa có mục «{title}».",
                          f"Thêm dòng «{title}» rồi viết nội dung bên dưới; trang công khai dùng mục này để trình bày.")


def check_attachments(doc: Document, root: Path) -> Iterator[Problem]:
    folder = (root / doc.path).parent
    for i, item in enumerate(_fields(doc).get("attachments") or []):
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            continue
        name = item["file"]
        line, col = doc.parsed.where(("attachments", i, "file"))
        if not ATTACHMENT.match(name) or ".." in name:
            yield problem("SK218", doc.path, line, col, f"tệp kèm theo «{name}» phải nằm cùng thư mục với bài.", at=LINE, key=("attachments", i, "file"))
        elif (folder / name).is_symlink():
            yield problem("SK218", doc.path, line, col, f"tệp kèm theo «{name}» là liên kết tượng trưng (symlink), không phải tệp thật.",
                          "Thay liên kết bằng chính tệp đó, đặt cùng thư mục với bài.", at=LINE, key=("attachments", i, "file"))
        elif not (folder / name).is_file():
            yield problem("SK218", doc.path, line, col, f"không tìm thấy tệp kèm theo «{name}» trong thư mục {folder.relative_to(root).as_posix()}/.",
                          "Thêm tệp vào cùng thư mục với bài, hoặc sửa tên tệp cho đúng.", at=LINE, key=("attachments", i, "file"))
