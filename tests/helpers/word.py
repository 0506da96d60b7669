"""Word files for the import tests: a template filled in as a person would (python-docx, typing
into the cells, ticking ☐ -> ☒, writing under the headings), legacy-font runs, broken files."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm


def _png() -> bytes:
    """A real 1x1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\0\xff\x00\x00")) + chunk(b"IEND", b"")


PNG = _png()

FILLED = {
    "Tên sáng kiến": "Một cửa điện tử cho hồ sơ đầu tư trong khu công nghiệp",
    "Lĩnh vực áp dụng sáng kiến": "Giải quyết thủ tục đầu tư",
    "Ngày áp dụng lần đầu hoặc áp dụng thử (ngày/tháng/năm)": "01/03/2024",
    "Tóm tắt (1–3 câu, để đăng trong danh mục)": "Hồ sơ đầu tư được nhận và trả qua một cửa điện tử, thời gian giải quyết giảm từ 15 ngày xuống 5 ngày.",
    "Những điều kiện cần thiết để áp dụng sáng kiến": "Có phần mềm một cửa điện tử và cán bộ được tập huấn.",
    "Lợi ích thu được hoặc dự kiến thu được theo ý kiến của tác giả": "Doanh nghiệp không phải đi lại, hồ sơ được theo dõi trực tuyến.",
    "Từ khóa (cách nhau bằng dấu phẩy)": "một cửa, đầu tư",
    "Ngày nộp (ngày/tháng/năm)": "20/05/2024",
}
TICKED = {
    "Lĩnh vực cải cách hành chính": ["Cải cách thủ tục hành chính, cơ chế một cửa", "Xây dựng, phát triển chính quyền điện tử, chính quyền số"],
    "Loại giải pháp": ["Giải pháp quản lý"],
    "Tình trạng áp dụng": ["Đã áp dụng"],
    "Phạm vi áp dụng": ["Toàn tỉnh"],
}
AUTHORS = [["Nguyễn Văn An", "Chuyên viên", "Ban Quản lý các khu công nghiệp tỉnh Hưng Yên", "Cử nhân Luật", "60", "x"],
           ["Trần Thị Bình", "Phó Trưởng phòng", "Ban Quản lý các khu công nghiệp tỉnh Hưng Yên", "Thạc sĩ Quản lý công", "40 %", ""]]


def _under(doc: Document, heading: str, texts: list[str], style: str | None = None) -> None:
    paras = doc.paragraphs
    at = next(i for i, p in enumerate(paras) if p.text == heading and p.style.name.startswith("Heading"))
    blank = paras[at + 1]
    blank.text = texts[0]
    follower = paras[at + 2] if at + 2 < len(paras) else None
    for text in texts[1:]:
        if follower is not None:
            follower.insert_paragraph_before(text, style=style)
        else:
            doc.add_paragraph(text, style=style)


def fill(template: Path, dest: Path, *, fields: dict[str, str] | None = None, ticked: dict[str, list[str]] | None = None,
         authors: list[list[str]] | None = None, image: bool = False) -> Path:
    doc = Document(str(template))
    people, form, results = doc.tables[0], doc.tables[1], doc.tables[2]
    for row, values in zip(people.rows[1:], authors if authors is not None else AUTHORS, strict=False):
        for cell, value in zip(row.cells[1:], values, strict=True):
            cell.text = value
    values = FILLED if fields is None else fields
    ticks = TICKED if ticked is None else ticked
    for row in form.rows[1:]:
        label = row.cells[0].text
        if label in values:
            row.cells[1].text = values[label]
        for p in row.cells[1].paragraphs:
            if p.text[2:] in ticks.get(label, []):
                p.runs[0].text = "☒" + p.runs[0].text[1:]
    for cell, value in zip(results.rows[1].cells[1:], ["Thời gian giải quyết hồ sơ", "15", "5", "ngày", "Quý I/2024"], strict=True):
        cell.text = value
    _under(doc, "Thực trạng", ["Hồ sơ đầu tư nộp giấy, doanh nghiệp đi lại nhiều lần."])
    _under(doc, "Giải pháp", ["Các bước:", "Tiếp nhận trực tuyến.", "Trả kết quả trực tuyến."], style="List Bullet")
    if image:
        at = next(p for p in doc.paragraphs if p.text == "Các bước:")
        at.add_run().add_picture(io.BytesIO(PNG), width=Cm(1))
    doc.save(str(dest))
    return dest


def legacy_document(dest: Path) -> Path:
    """Headings and text in TCVN3 (.VnTime, .VnTimeH) and VNI runs, as old Word files have them."""
    doc = Document()

    def run(paragraph, text: str, font: str) -> None:  # type: ignore[no-untyped-def]
        r = paragraph.add_run(text)
        r.font.name = font
        fonts = r._r.get_or_add_rPr().find(qn("w:rFonts"))
        fonts.set(qn("w:hAnsi"), font)

    p = doc.add_paragraph()
    run(p, "Tªn s¸ng kiÕn: C¶i c¸ch thñ tôc hµnh chÝnh", ".VnTime")
    heading = doc.add_paragraph("", style="Heading 2")
    run(heading, "thùc tr¹ng", ".VnTimeH")
    body = doc.add_paragraph()
    run(body, "Ng\xadêi d©n ph¶i ®i l¹i nhiÒu lÇn.", ".VnTime")
    h2 = doc.add_paragraph("", style="Heading 2")
    run(h2, "Giaûi phaùp", "VNI-Times")
    b2 = doc.add_paragraph()
    run(b2, "Tieáp nhaän hoà sô tröïc tuyeán.", "VNI-Times")
    doc.save(str(dest))
    return dest


def ole(dest: Path, encrypted: bool) -> Path:
    """An OLE compound file's first sector: old .doc, or a password-protected .docx."""
    head = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504
    directory = ("EncryptedPackage" if encrypted else "WordDocument").encode("utf-16-le")
    dest.write_bytes(head + directory + b"\0" * 2000)
    return dest


def zip_bomb(dest: Path) -> Path:
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document/>" + b" " * 3_000_000)
    return dest
