"""The paper dossier of an initiative: cover, the national application form, the body, the results.

Built with python-docx. Layout follows what the plans ask (A4, Times New Roman 14, numbered pages,
a cover with title, authors' names, positions and unit) and the margins of Nghị định 30/2020/NĐ-CP
(top and bottom 2 cm, left 3 cm, right 2 cm). The form is the "Đơn yêu cầu công nhận sáng kiến"
of Thông tư 18/2013/TT-BKHCN. Dates of birth and confidential information are never in the
repository, so the form leaves those places blank to be filled in by hand on the printed copy.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown as md
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.styles.style import CharacterStyle
from docx.table import Table
from docx.text.paragraph import Paragraph

from sangkien import schemas, vntime
from sangkien.council import files
from sangkien.council.rubric import show_number
from sangkien.model import Campaign, Entry, Repository

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12


# ---------------------------------------------------------------- document setup
def _font(style: CharacterStyle, size: float, bold: bool | None = None, italic: bool | None = None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = None
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)  # Word picks the font per script; Vietnamese must not fall back to Calibri
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def new_document(title: str) -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.footer_distance = Cm(1)
    section.different_first_page_header_footer = True  # no page number on the cover
    normal = doc.styles["Normal"]
    _font(normal, BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for level in range(1, 4):
        heading = doc.styles[f"Heading {level}"]
        _font(heading, BODY_PT, bold=True, italic=level == 3)
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
    for name in ("Title", "Footer"):
        _font(doc.styles[name], BODY_PT if name == "Title" else 12)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)
    props = doc.core_properties
    props.title, props.author, props.language, props.comments = title, "sangkien", "vi-VN", "Tạo bằng lệnh sangkien dossier"
    return doc


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field: Word and LibreOffice print the page number there."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _para(doc: DocumentObject, text: str = "", bold: bool = False, italic: bool = False, align: WD_ALIGN_PARAGRAPH | None = None,
          size: float | None = None, space_after: float | None = None, indent_first: bool = False) -> Paragraph:
    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if indent_first:
        p.paragraph_format.first_line_indent = Cm(1)
    return p


def _labelled(doc: DocumentObject, label: str, value: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.add_run(f"{label}: ").bold = True
    p.add_run(value)


def _page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _table(doc: DocumentObject, head: list[str], rows: list[list[str]], widths: list[float] | None = None) -> Table:
    table: Table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cells, values, bold in ((table.rows[0].cells, head, True), *((table.add_row().cells, r, False) for r in rows)):  # type: ignore[no-untyped-call]  # python-docx's Table.add_row is unannotated
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(value))
            run.bold = bold or None
            run.font.size = Pt(TABLE_PT)
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
            if bold:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if widths:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)  # the grid: LibreOffice reads this one
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)  # the cells: Word reads these
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    return table


# ---------------------------------------------------------------- Markdown body
class _Body(HTMLParser):
    """The small HTML that Python-Markdown makes from an entry body, turned into Word paragraphs."""

    def __init__(self, doc: DocumentObject) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.p: Paragraph | None = None
        self.bold = self.italic = self.code = 0
        self.lists: list[list[Any]] = []  # [kind, counter]
        self.href: str | None = None
        self.link_text = ""
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.quote = 0

    def _new(self, style: str | None = None) -> Paragraph:
        p = self.p = self.doc.add_paragraph(style=style)
        if style is None:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if self.quote:
                p.paragraph_format.left_indent = Cm(1)
            elif not self.lists:
                p.paragraph_format.first_line_indent = Cm(1)
        return p

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._new(f"Heading {min(int(tag[1]), 3)}")
        elif tag == "p":
            if not (self.lists and self.p is not None and not self.p.text):
                self._new()
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            kind, n = self.lists[-1]
            p = self._new()
            p.paragraph_format.left_indent = Cm(0.75 * len(self.lists))
            p.paragraph_format.first_line_indent = Cm(-0.5)
            p.add_run(f"{n}. " if kind == "ol" else "– ")
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "br" and self.p is not None:
            self.p.add_run().add_break()
        elif tag == "a":
            self.href, self.link_text = dict(attrs).get("href"), ""
        elif tag == "table":
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
        elif tag == "blockquote":
            self.quote += 1
            self.italic += 1
        elif tag == "img":
            self._text(f"[Hình: {dict(attrs).get('alt') or ''}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("strong", "b"):
            self.bold -= 1
        elif tag in ("em", "i"):
            self.italic -= 1
        elif tag == "code":
            self.code -= 1
        elif tag == "a":
            if self.href and self.href.rstrip("/") != self.link_text.strip().rstrip("/"):
                self._text(f" ({self.href})")
            self.href = None
        elif tag in ("td", "th") and self.table is not None and self.cell is not None:
            self.table[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table" and self.table:
            width = max(len(r) for r in self.table)
            rows = [r + [""] * (width - len(r)) for r in self.table]
            _table(self.doc, rows[0], rows[1:])
            self.table, self.p = None, None
        elif tag == "blockquote":
            self.quote -= 1
            self.italic -= 1
        elif tag in ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.p = None if tag != "p" or not self.lists else self.p

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
            return
        text = re.sub(r"\s+", " ", data)
        if not text.strip() and (self.p is None or not self.p.text):
            return
        if self.href is not None:
            self.link_text += text
        self._text(text)

    def _text(self, text: str) -> None:
        p = self.p if self.p is not None else self._new()
        run = p.add_run(text)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None
        if self.code:
            run.font.name = "Courier New"


def add_body(doc: DocumentObject, body: str) -> None:
    html = md.markdown(body, extensions=["tables", "sane_lists"])
    parser = _Body(doc)
    parser.feed(html)
    parser.close()


# ---------------------------------------------------------------- the parts
def _unit_line(repo: Repository, entry: Entry) -> tuple[str, str]:
    """(parent body, unit) names for the cover heading."""
    unit = repo.units.get(entry.unit or "")
    if unit is None:
        return "", entry.unit or ""
    parent = repo.units.get(unit.parent or "")
    return (parent.name if parent else ""), unit.name


def _place(camp: Campaign | None) -> str:
    return str(((camp.data.get("plan") or {}).get("place")) or "") if camp else ""


def _vn_date(day: date | None) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}" if day else "ngày …… tháng …… năm ……"


def cover(doc: DocumentObject, repo: Repository, entry: Entry, camp: Campaign | None) -> None:
    parent, unit = _unit_line(repo, entry)
    if parent:
        _para(doc, parent.upper(), align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(doc, unit.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(5):
        _para(doc, space_after=0)
    kind = {"y-tuong": "Ý TƯỞNG, GIẢI PHÁP CẢI CÁCH HÀNH CHÍNH"}.get(camp.kind if camp else "", "SÁNG KIẾN, GIẢI PHÁP CẢI CÁCH HÀNH CHÍNH")
    _para(doc, kind, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=15)
    _para(doc, entry.title.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=18, space_after=24)
    if camp is not None:
        _para(doc, f"({camp.title})", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=36)
    authors = [a for a in entry.data.get("authors") or [] if isinstance(a, dict)]
    _para(doc, "Tác giả:" if len(authors) < 2 else "Nhóm tác giả:", bold=True, space_after=0).paragraph_format.left_indent = Cm(2)
    for a in authors:
        p = _para(doc, space_after=0)
        p.paragraph_format.left_indent = Cm(2)
        p.add_run(str(a.get("name", ""))).bold = True
        p.add_run(f" – {a.get('position', '')}" + (" (đại diện nhóm)" if a.get("representative") and len(authors) > 1 else ""))
    p = _para(doc, space_after=0)
    p.paragraph_format.left_indent = Cm(2)
    p.paragraph_format.space_before = Pt(12)
    p.add_run("Đơn vị: ").bold = True
    p.add_run(unit)
    for _ in range(6):
        _para(doc, space_after=0)
    day = entry.submitted
    place = _place(camp)
    when = f"tháng {day.month} năm {day.year}" if day else ""
    _para(doc, ", ".join(x for x in (place, when) if x), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def application_form(doc: DocumentObject, root: Path, repo: Repository, entry: Entry, camp: Campaign | None) -> None:
    data = entry.data
    _para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13, space_after=0)
    _para(doc, "Độc lập - Tự do - Hạnh phúc", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(doc, "―――――――――――", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _para(doc, "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=15, space_after=12)
    receiver = ((camp.data.get("channel") or {}).get("receiver") or (camp.data.get("issuer") or {}).get("name")) if camp else None
    _para(doc, f"Kính gửi: {receiver or '……………………………………'}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    authors = [a for a in data.get("authors") or [] if isinstance(a, dict)]
    _para(doc, "Tôi (chúng tôi) ghi tên dưới đây:" if len(authors) < 2 else "Chúng tôi ghi tên dưới đây:")
    rows = [[str(n), str(a.get("name", "")), "", str(a.get("workplace", "")), str(a.get("position", "")), str(a.get("qualification", "")),
             f"{show_number(float(a['contribution']))}%" if isinstance(a.get("contribution"), (int, float)) else ""]
            for n, a in enumerate(authors, start=1)]
    _table(doc, ["Số TT", "Họ và tên", "Ngày tháng năm sinh", "Nơi công tác (hoặc nơi thường trú)", "Chức danh", "Trình độ chuyên môn",
                 "Tỷ lệ (%) đóng góp vào việc tạo ra sáng kiến"], rows, [1.0, 3.2, 1.9, 2.9, 2.5, 2.3, 2.2])
    _para(doc, "(Ngày sinh không lưu trong kho công khai; tác giả ghi tay trên bản in.)", italic=True, size=12)
    _para(doc, f"Là tác giả (nhóm tác giả) đề nghị xét công nhận sáng kiến: {entry.title}.", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    investor = data.get("investor")
    _labelled(doc, "- Chủ đầu tư tạo ra sáng kiến", str(investor) if investor else "Tác giả đồng thời là chủ đầu tư tạo ra sáng kiến.")
    entry_schema = schemas.load_schema(root, "entry")
    solution = dict(schemas.choices(entry_schema, schemas.subschema(entry_schema, ("solution_type",)))).get(str(data.get("solution_type")), "")
    field = str(data.get("field", ""))
    _labelled(doc, "- Lĩnh vực áp dụng sáng kiến", field + (f" ({solution.lower()})" if solution else ""))
    first = data.get("first_applied")
    first_day = None
    if isinstance(first, str):
        from sangkien.model import as_date

        first_day = as_date(first)
    _labelled(doc, "- Ngày sáng kiến được áp dụng lần đầu hoặc áp dụng thử", vntime.show_date(first_day) if first_day else "……/……/………")
    _labelled(doc, "- Mô tả bản chất của sáng kiến", f"{data.get('summary', '')} Nội dung chi tiết trình bày tại phần «Nội dung sáng kiến» kèm theo.")
    _labelled(doc, "- Những thông tin cần được bảo mật (nếu có)", "(Không lưu trong kho công khai; nếu có, tác giả ghi trên bản in.)")
    _labelled(doc, "- Những điều kiện cần thiết để áp dụng sáng kiến", str(data.get("conditions", "")))
    _labelled(doc, "- Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng kiến theo ý kiến của tác giả",
              str(data.get("benefits_author", "")))
    _labelled(doc, "- Đánh giá lợi ích thu được hoặc dự kiến có thể thu được do áp dụng sáng kiến theo ý kiến của tổ chức, cá nhân đã tham gia "
                   "áp dụng sáng kiến lần đầu, kể cả áp dụng thử (nếu có)", str(data.get("benefits_appliers") or "Không có."))
    people = [p for p in data.get("first_application_participants") or [] if isinstance(p, dict)]
    _labelled(doc, "- Danh sách những người đã tham gia áp dụng thử hoặc áp dụng sáng kiến lần đầu (nếu có)", "" if people else "Không có.")
    if people:
        _table(doc, ["Số TT", "Họ và tên", "Ngày tháng năm sinh", "Nơi công tác (hoặc nơi thường trú)", "Chức danh", "Nội dung công việc hỗ trợ"],
               [[str(n), str(p.get("name", "")), "", str(p.get("workplace", "")), str(p.get("position", "")), str(p.get("task", ""))]
                for n, p in enumerate(people, start=1)], [1.2, 3.4, 2.2, 3.4, 2.8, 3.0])
    _para(doc, "Tôi (chúng tôi) xin cam đoan mọi thông tin nêu trong đơn là trung thực, đúng sự thật và hoàn toàn chịu trách nhiệm trước pháp luật.",
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_first=True)
    place = _place(camp) or "……………"
    _para(doc, f"{place}, {_vn_date(entry.submitted)}", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=0)
    _para(doc, "Người nộp đơn", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=0)
    _para(doc, "(Ký và ghi rõ họ tên)", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=48)
    rep = next((a for a in authors if a.get("representative")), authors[0] if authors else None)
    if rep:
        _para(doc, str(rep.get("name", "")), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _change(item: dict[str, Any]) -> str:
    base, result, unit = item.get("baseline"), item.get("result"), str(item.get("unit", ""))
    if not isinstance(base, (int, float)) or not isinstance(result, (int, float)):
        return ""
    better_low = item.get("better", "thap-hon") == "thap-hon"
    diff = result - base
    if diff == 0:
        return "Không đổi"
    word = "giảm" if diff < 0 else "tăng"
    good = (diff < 0) == better_low
    if unit.strip() == "%":
        text = f"{word} {show_number(abs(diff))} điểm phần trăm"
    elif base:
        text = f"{word} {show_number(abs(diff) / abs(base) * 100)}%"
    else:
        text = f"{word} {show_number(abs(diff))} {unit}"
    return text + ("" if good else " (kém đi)")


def results_section(doc: DocumentObject, repo: Repository, entry: Entry, heading: bool = True) -> None:
    items = [r for r in entry.data.get("results") or [] if isinstance(r, dict)]
    if heading:
        doc.add_paragraph("KẾT QUẢ ĐẠT ĐƯỢC", style="Heading 1")
    if items:
        _table(doc, ["STT", "Chỉ tiêu", "Trước khi áp dụng", "Sau khi áp dụng", "Đơn vị tính", "Mức thay đổi", "Thời gian đo"],
               [[str(n), str(r.get("indicator", "")), show_number(float(r["baseline"])) if isinstance(r.get("baseline"), (int, float)) else "",
                 show_number(float(r["result"])) if isinstance(r.get("result"), (int, float)) else "", str(r.get("unit", "")), _change(r),
                 str(r.get("period", ""))] for n, r in enumerate(items, start=1)],
               [1.1, 4.2, 1.9, 1.9, 1.7, 2.5, 2.7])
    else:
        _para(doc, "Bài chưa nêu kết quả đo được trước và sau khi áp dụng.", italic=True)
    attachments = [a for a in entry.data.get("attachments") or [] if isinstance(a, dict)]
    if attachments:
        _para(doc, "Tài liệu kèm theo:", bold=True)
        for a in attachments:
            _para(doc, f"– {a.get('title', '')}: {a.get('url') or a.get('file') or ''}")
    found = repo.recognition(entry.id)
    if found:
        rec, line = found
        tier = f", {line.get('tier')}" if line.get("tier") else ""
        day = vntime.show_date(rec.day) if rec.day else ""
        _para(doc, f"Sáng kiến đã được công nhận theo Quyết định số {rec.number} ngày {day} của {rec.data.get('issuer', '')}{tier}.", italic=True)


def add_entry(doc: DocumentObject, root: Path, repo: Repository, entry: Entry, first: bool = True) -> None:
    camp = repo.campaigns.get(entry.campaign or "")
    if not first:
        _page_break(doc)
    cover(doc, repo, entry, camp)
    _page_break(doc)
    application_form(doc, root, repo, entry, camp)
    _page_break(doc)
    doc.add_paragraph("NỘI DUNG SÁNG KIẾN", style="Heading 1")
    add_body(doc, entry.body)
    results_section(doc, repo, entry)


def bundle_cover(doc: DocumentObject, repo: Repository, camp: Campaign, unit_id: str, entries: list[Entry]) -> None:
    unit = repo.units.get(unit_id)
    name = unit.name if unit else unit_id
    parent = repo.units.get(unit.parent or "") if unit else None
    if parent:
        _para(doc, parent.name.upper(), align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(doc, name.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(5):
        _para(doc, space_after=0)
    _para(doc, "HỒ SƠ SÁNG KIẾN, GIẢI PHÁP CẢI CÁCH HÀNH CHÍNH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=18, space_after=12)
    _para(doc, f"({camp.title})", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=36)
    _para(doc, f"Gồm {len(entries)} sáng kiến, giải pháp:", bold=True)
    for n, e in enumerate(entries, start=1):
        authors = ", ".join(str(a.get("name", "")) for a in e.data.get("authors") or [] if isinstance(a, dict))
        _para(doc, f"{n}. {e.title} (tác giả: {authors})", align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def build_entry(root: Path, repo: Repository, entry: Entry) -> DocumentObject:
    doc = new_document(entry.title)
    add_entry(doc, root, repo, entry)
    return doc


def build_bundle(root: Path, repo: Repository, camp: Campaign, unit_id: str, entries: list[Entry],
                 progress: Callable[[str], object] = print) -> DocumentObject:
    unit = repo.units.get(unit_id)
    doc = new_document(f"Hồ sơ sáng kiến – {unit.name if unit else unit_id}")
    bundle_cover(doc, repo, camp, unit_id, entries)
    for n, entry in enumerate(entries, start=1):
        progress(f"  [{n}/{len(entries)}] {entry.id}")
        add_entry(doc, root, repo, entry, first=False)
    return doc


def save(doc: DocumentObject, path: Path) -> int:
    buffer = io.BytesIO()
    doc.save(buffer)
    return files.write_bytes(path, buffer.getvalue())
