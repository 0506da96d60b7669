"""The Word template of an entry, generated from rules.json (itself checked against the entry schema).

Cover page; the «Đơn yêu cầu công nhận sáng kiến» (Thông tư 18/2013/TT-BKHCN) as an authors
table and a two-column table with one labelled row per field (choices listed with ☐ before
their Vietnamese label, so nobody types a code); an optional table of measured results; then
«NỘI DUNG SÁNG KIẾN» and its sections as Heading 2. A4, Times New Roman 14, vi-VN (docxkit).
What `sangkien import` and the submission page read back is exactly what is written here: the
labels are rules.json's, the page setup is the dossier's.

`write_templates` is what the site calls at build time: one file per campaign open at `at`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from sangkien.council.adminpaper import place_of
from sangkien.council.docxkit import applicant_signs, new_document, page_break, para, save, set_widths, table
from sangkien.model import Campaign
from sangkien.wordimport.rules import rules

UNCHECKED = "☐"
HINT_PT = 11


def file_name(campaign_id: str) -> str:
    return f"mau-sang-kien-{campaign_id}.docx"


def _cover(doc: DocumentObject, camp: Campaign) -> None:
    para(doc, "TÊN CƠ QUAN CẤP TRÊN", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    para(doc, "TÊN ĐƠN VỊ NỘP BÀI", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(5):
        para(doc, space_after=0)
    kind = "Ý TƯỞNG, GIẢI PHÁP CẢI CÁCH HÀNH CHÍNH" if camp.kind == "y-tuong" else "SÁNG KIẾN, GIẢI PHÁP CẢI CÁCH HÀNH CHÍNH"
    para(doc, kind, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=15)
    para(doc, "TÊN SÁNG KIẾN (ghi giống dòng «Tên sáng kiến» trong đơn)", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=16, space_after=24)
    para(doc, f"({camp.title})", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=36)
    para(doc, "Tác giả (nhóm tác giả): họ tên, chức vụ", space_after=0)
    para(doc, "Đơn vị: tên đơn vị nộp bài", space_after=0)
    for _ in range(6):
        para(doc, space_after=0)
    place = place_of(camp)
    para(doc, f"{place + ', ' if place else ''}tháng …… năm ……", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _hint(doc: DocumentObject, text: str) -> None:
    para(doc, text, italic=True, size=HINT_PT, space_after=4)


def _form(doc: DocumentObject, camp: Campaign) -> None:
    para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13, space_after=0)
    para(doc, "Độc lập - Tự do - Hạnh phúc", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    para(doc, "―――――――――――", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    para(doc, "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=15, space_after=12)
    receiver = (camp.data.get("channel") or {}).get("receiver") or (camp.data.get("issuer") or {}).get("name")
    para(doc, f"Kính gửi: {receiver or '……………………………………'}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _hint(doc, "Cách điền: ghi vào các ô trống; ở các mục có ô ☐, thay ☐ bằng ☒ (hoặc gõ x trước dòng) cho lựa chọn đúng. "
               "Không đổi chữ ở cột bên trái và tên các cột. Ngày ghi theo ngày/tháng/năm, ví dụ 25/06/2024. "
               "Không ghi ngày sinh, số điện thoại, địa chỉ nhà riêng, số CCCD: bài được đăng công khai.")
    para(doc, "Tôi (chúng tôi) ghi tên dưới đây:")
    authors = rules()["authors"]["columns"]
    table(doc, [c["label"] for c in authors if c["type"] != "private"], [[str(n)] + [""] * (len(authors) - 2) for n in range(1, 4)],
          [1.1, 3.2, 2.6, 3.0, 2.3, 1.9, 1.9])
    _hint(doc, "Thêm dòng nếu nhiều tác giả hơn (chuột phải → Chèn → Chèn hàng bên dưới); xóa dòng thừa. Tổng tỷ lệ đóng góp bằng 100. "
               "Nhóm tác giả: gõ x ở cột «Đại diện nhóm» của đúng một người.")
    para(doc, "Là tác giả (nhóm tác giả) đề nghị xét công nhận sáng kiến với các thông tin sau:")
    fields = [f for f in rules()["form"]["fields"] if f["type"] != "ignore"]
    rows = [[f["label"], "\n".join(f"{UNCHECKED} {c['label']}" for c in f.get("choices", []))]
            for f in fields]
    grid = table(doc, ["Mục", "Nội dung"], rows, [5.4, 10.6])
    for row, f in zip(grid.rows[1:], fields, strict=True):
        if f["type"] in ("choice", "choices"):
            cell = row.cells[1]
            text = cell.text
            cell.text = ""
            first = True
            for line in text.split("\n"):
                p = cell.paragraphs[0] if first else cell.add_paragraph()
                first = False
                run = p.add_run(line)
                run.font.size = Pt(12)
                p.paragraph_format.space_after = Pt(0)
    _hint(doc, "Mục «Lĩnh vực cải cách hành chính» và «Chỉ số hướng tới» chọn được nhiều; «Loại giải pháp», «Tình trạng áp dụng», "
               "«Phạm vi áp dụng» chọn một. Những thông tin cần được bảo mật (nếu có) không ghi vào tệp này, chỉ ghi trên bản in gửi Hội đồng.")
    para(doc, "Kết quả đo được trước và sau khi áp dụng (nếu có):")
    results = [c for c in rules()["results"]["columns"] if c["type"] != "change"]
    res = table(doc, [c["label"] for c in results], [["1"] + [""] * (len(results) - 1), ["2"] + [""] * (len(results) - 1)],
                [1.1, 5.0, 2.2, 2.2, 2.0, 3.5])
    set_widths(res, [1.1, 5.0, 2.2, 2.2, 2.0, 3.5])
    _hint(doc, "Chỉ ghi số ở cột «Trước khi áp dụng», «Sau khi áp dụng» (ví dụ 15 và 5, đơn vị tính «ngày»).")
    applicant_signs(doc, f"{place_of(camp) or '……………'}, ngày …. tháng …. năm ……")


def _body(doc: DocumentObject) -> None:
    doc.add_paragraph("NỘI DUNG SÁNG KIẾN", style="Heading 1")
    for section in rules()["body"]["sections"]:
        doc.add_paragraph(section["heading"], style="Heading 2")
        doc.add_paragraph()


def build(camp: Campaign) -> DocumentObject:
    doc = new_document(f"Mẫu bài sáng kiến – {camp.title}")
    doc.core_properties.comments = "Mẫu tạo bằng lệnh sangkien template; điền rồi nộp (sangkien import hoặc trang Nộp sáng kiến)"
    _cover(doc, camp)
    page_break(doc)
    _form(doc, camp)
    page_break(doc)
    _body(doc)
    return doc


def write(camp: Campaign, folder: Path) -> Path:
    path = folder / file_name(camp.id)
    save(build(camp), path)
    return path


def write_templates(campaigns: list[Campaign], folder: Path, at: datetime) -> list[Path]:
    """The template of every initiative campaign open at `at` (the site's submission page links them)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [write(c, folder) for c in sorted(campaigns, key=lambda c: c.id) if c.kind != "thi-dua" and c.is_open(at)]
