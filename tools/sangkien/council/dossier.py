"""The paper dossier of an initiative: cover, the national application form, the body, the results.

Built with python-docx. Layout follows what the plans ask (A4, Times New Roman 14, numbered pages,
a cover with title, authors' names, positions and unit) and the margins of Nghị định 30/2020/NĐ-CP
(top and bottom 2 cm, left 3 cm, right 2 cm). The form is the "Đơn yêu cầu công nhận sáng kiến"
of Thông tư 18/2013/TT-BKHCN. Dates of birth and confidential information are never in the
repository, so the form leaves those places blank to be filled in by hand on the printed copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown as md
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from sangkien import schemas, vntime
from sangkien.council.adminpaper import place_of, vn_date
from sangkien.council.docxkit import applicant_signs, new_document
from sangkien.council.docxkit import labelled as _labelled
from sangkien.council.docxkit import page_break as _page_break
from sangkien.council.docxkit import para as _para
from sangkien.council.docxkit import save as save
from sangkien.council.docxkit import table as _table
from sangkien.council.rubric import show_number
from sangkien.model import Campaign, Entry, Repository


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
    return (parent.official_name if parent else ""), unit.official_name


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
    place = place_of(camp)
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
    # Not in the TT 18/2013 form, but in the entry: printed so the dossier reads back into it (sangkien import).
    for key, label in (("areas", "Lĩnh vực cải cách hành chính"), ("application_status", "Tình trạng áp dụng"), ("scope", "Phạm vi áp dụng")):
        node = schemas.subschema(entry_schema, (key,))
        titles = dict(schemas.choices(entry_schema, node.get("items", node)))
        value = data.get(key)
        _labelled(doc, f"- {label}", "; ".join(titles.get(str(v), str(v)) for v in value) if isinstance(value, list) else titles.get(str(value), ""))
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
    applicant_signs(doc, f"{place_of(camp) or '……………'}, {vn_date(entry.submitted)}")
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
    name = unit.official_name if unit else unit_id
    parent = repo.units.get(unit.parent or "") if unit else None
    if parent:
        _para(doc, parent.official_name.upper(), align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
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
