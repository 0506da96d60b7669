"""The administrative document format of Nghị định 30/2020/NĐ-CP (Phụ lục I), for the council's papers.

Top to bottom: a borderless two-column header (left: the superior body, upper case; the issuing
body, upper case bold, a short rule under it; «Số: …/…». Right: the national name in bold upper
case; the motto in bold with a rule of its length under it; «<place>, ngày … tháng … năm …» in
italics), the kind of document and its summary centred in bold, «Căn cứ …» lines in italics, the
content, then a borderless two-column close: «Nơi nhận:» (bold italic, 12 pt; its list 12 pt) on
the left, the signer's authority and title (upper case bold), room for the signature and the name
on the right. Sizes: header 13 pt, motto, kind, summary and body 14 pt.

Whatever the repository cannot know (a number not yet given, a meeting date, a signer's name) is
a dotted blank to fill by hand, never a guess. Names are the units' official names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from sangkien import textnorm
from sangkien.council.docxkit import BODY_PT, put_table_property, set_widths
from sangkien.model import Campaign, Repository, Unit

HEAD_PT = 13
LIST_PT = 12
DOTS = "……………"
LONG_DOTS = "……………………………"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TEXT_WIDTH = 16.0  # cm between the margins of an A4 page (21 - 3 - 2)
LEFT_COLUMN = 6.6
HEADER_OUTSET = 0.6  # cm into each side margin
_PLACE_WORDS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường", "đặc khu")


# ---------------------------------------------------------------- texts
def vn_date(day: date | None) -> str:
    """«ngày 05 tháng 3 năm 2024»: a zero before days under 10 and months 1 and 2 (NĐ 30, Phụ lục I)."""
    if day is None:
        return "ngày …. tháng …. năm ……"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_of(camp: Campaign | None) -> str:
    return str(((camp.data.get("plan") or {}).get("place")) or "") if camp else ""


def place_from(name: str) -> str:
    """The place name in an official name: «Ủy ban nhân dân tỉnh Tây Ninh» -> «Tây Ninh»."""
    words = "|".join(re.escape(w) for w in _PLACE_WORDS)
    found = re.search(rf"\b(?:{words})\s+(.+)$", name, flags=re.IGNORECASE)
    return found.group(1).strip() if found else ""


def symbol(name: str) -> str:
    """The issuing body's abbreviation in a document number: UBND, SCT (Sở Công Thương), PNV."""
    words = "|".join(re.escape(w) for w in _PLACE_WORDS)
    core = re.split(rf"\s+(?:{words})\s+", name, maxsplit=1, flags=re.IGNORECASE)[0].strip()
    folded = textnorm.fold(core)
    if folded.startswith(("uy ban nhan dan", "ubnd")):
        return "UBND"
    if folded.startswith("hoi dong thi dua"):
        return "HĐTĐKT"
    if folded.startswith("hoi dong sang kien"):
        return "HĐSK"
    if core.isupper() and " " not in core:
        return core
    return "".join(w[0].upper() for w in re.findall(r"\w+", core)) or "…"


def official(repo: Repository, unit_id: str | None) -> tuple[Unit | None, str, str]:
    """(unit, its official name, its superior's official name) for a header."""
    unit = repo.units.get(unit_id or "")
    if unit is None:
        return None, unit_id or "", ""
    parent = repo.units.get(unit.parent or "")
    return unit, unit.official_name, parent.official_name if parent else ""


# ---------------------------------------------------------------- low-level layout
def _borderless(grid: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    put_table_property(grid, borders)


def _line(cell: _Cell, text: str, bold: bool = False, italic: bool = False, size: float = HEAD_PT, first: bool = False,
          align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER, space_after: float = 0) -> Paragraph:
    p: Paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    run.font.size = Pt(size)
    p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.line_spacing = 1.0
    return p


def _rule(cell: _Cell, width: float, column: float) -> Paragraph:
    """A centred horizontal line `width` cm long: an empty 2 pt paragraph with a top border."""
    p: Paragraph = cell.add_paragraph()
    side = max((column - width) / 2, 0)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(side)
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.line_spacing = 1.0
    _top_border(p)
    return p


def _keep_whole(grid: Table) -> None:
    """Rows that never break across pages: a signature stays with its title."""
    for row in grid.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def two_columns(doc: DocumentObject, left: float = LEFT_COLUMN, outset: float = 0.0) -> tuple[_Cell, _Cell]:
    """A borderless two-column row; `outset` cm reaches into each side margin (the header needs
    it: the national name in 13 pt bold is wider than the usual right column)."""
    grid = doc.add_table(rows=1, cols=2)
    if outset:
        indent = OxmlElement("w:tblInd")
        indent.set(qn("w:w"), str(-round(outset / 2.54 * 1440)))
        indent.set(qn("w:type"), "dxa")
        put_table_property(grid, indent)
    else:
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borderless(grid)
    _keep_whole(grid)
    set_widths(grid, [left, TEXT_WIDTH + 2 * outset - left])
    return grid.rows[0].cells[0], grid.rows[0].cells[1]


# ---------------------------------------------------------------- the parts
@dataclass
class Header:
    issuer: str  # cơ quan ban hành
    superior: str = ""  # cơ quan chủ quản
    number: str | None = None  # «…/TTr-UBND»; None: the paper has no number line
    place: str = ""
    day: date | None = None


def header(doc: DocumentObject, h: Header) -> None:
    left, right = two_columns(doc, LEFT_COLUMN, HEADER_OUTSET)
    first = True
    if h.superior:
        _line(left, h.superior.upper(), first=True)
        first = False
    _line(left, h.issuer.upper(), bold=True, first=first)
    _rule(left, 2.5, LEFT_COLUMN)
    if h.number is not None:
        _line(left, f"Số: {h.number}")
    _line(right, NATION, bold=True, first=True)
    _line(right, MOTTO, bold=True, size=BODY_PT)
    _rule(right, 6.2, TEXT_WIDTH + 2 * HEADER_OUTSET - LEFT_COLUMN)
    _line(right, f"{h.place or DOTS}, {vn_date(h.day)}", italic=True, size=BODY_PT)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def number(symbol_kind: str, issuer_symbol: str, given: str | None = None) -> str:
    """«412/QĐ-UBND» when known, else «……/QĐ-UBND» to fill when the paper is numbered."""
    return given or f"……/{symbol_kind}-{issuer_symbol}"


def title(doc: DocumentObject, kind: str, *summary: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(6)
    run = p.add_run(kind.upper())
    run.bold = True
    run.font.size = Pt(BODY_PT)
    for line in summary:
        q = doc.add_paragraph()
        q.alignment = WD_ALIGN_PARAGRAPH.CENTER
        q.paragraph_format.space_after = Pt(0)
        r = q.add_run(line)
        r.bold = True
        r.font.size = Pt(BODY_PT)
    cell_doc = doc.add_paragraph()
    cell_doc.paragraph_format.space_after = Pt(12)
    _page_rule(cell_doc, 4.0)


def _page_rule(p: Paragraph, width: float) -> None:
    side = (TEXT_WIDTH - width) / 2
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(side)
    _top_border(p)


def _top_border(p: Paragraph) -> None:
    """The short horizontal rule of NĐ 30/2020 (under the issuer's name, the motto, the signature
    block): an empty 2 pt paragraph whose top border is the line, centred by its indents."""
    p.add_run().font.size = Pt(2)
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        top.set(qn(key), value)
    border.append(top)
    ppr.append(border)


def body(doc: DocumentObject, text: str, bold: bool = False, italic: bool = False, indent: bool = True) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    run = p.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    return p


def bases(doc: DocumentObject, lines: list[str]) -> None:
    """«Căn cứ …;» in italics, the last one ending with a full stop."""
    for n, line in enumerate(lines):
        text = line.rstrip(" ;.") + ("." if n == len(lines) - 1 else ";")
        body(doc, text if text.startswith("Căn cứ") else f"Căn cứ {text}", italic=True)


@dataclass
class Signer:
    authority: list[str] = field(default_factory=list)  # «KT. CHỦ TỊCH», «TM. HỘI ĐỒNG»
    title: str = ""  # «PHÓ CHỦ TỊCH»
    name: str = ""  # «Đặng Minh Thông»; empty: a dotted blank
    hint: str = ""  # «(Ký, ghi rõ họ và tên)»


_TITLES = ("Phó Chủ tịch", "Chủ tịch", "Phó Giám đốc", "Giám đốc", "Phó Trưởng ban", "Trưởng ban", "Phó Trưởng phòng", "Trưởng phòng",
           "Chánh Văn phòng", "Thủ trưởng", "Bí thư")
_TITLE_TAIL = ("UBND", "Ủy", "Uỷ", "Sở", "Phòng", "Hội", "Ban", "tỉnh", "huyện", "xã", "phường", "thành", "thị", "đơn", "cơ")


def parse_signer(text: str, name: str = "") -> Signer:
    """«KT. Chủ tịch, Phó Chủ tịch Đặng Minh Thông» -> authority KT. CHỦ TỊCH, title PHÓ CHỦ TỊCH,
    name Đặng Minh Thông. A name is only taken when the words after a known title are not part of
    the title (UBND …, Sở …); `name` given by the user wins."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return Signer(name=name)
    last = parts[-1]
    found = ""
    for t in _TITLES:
        if last.startswith(t):
            rest = last[len(t):].strip()
            if rest and rest.split()[0] not in _TITLE_TAIL:
                found = rest
            last = t  # the body after a title («Chủ tịch UBND tỉnh») is not printed above a signature
            break
    return Signer([p.upper() for p in parts[:-1]], last.upper(), name or found)


def _sign_head(cell: _Cell, signer: Signer, first: bool) -> None:
    lines = [*signer.authority, signer.title] if signer.title or signer.authority else [LONG_DOTS]
    for n, line in enumerate(lines):
        _line(cell, line, bold=True, size=BODY_PT, first=first and n == 0)
    if signer.hint:
        _line(cell, signer.hint, italic=True, size=BODY_PT)


def _sign_name(cell: _Cell, signer: Signer, first: bool) -> None:
    for n in range(4):
        _line(cell, "", size=BODY_PT, first=first and n == 0)
    _line(cell, signer.name or LONG_DOTS, bold=bool(signer.name), size=BODY_PT)


def _sign(cell: _Cell, signer: Signer, first: bool) -> None:
    _sign_head(cell, signer, first)
    _sign_name(cell, signer, False)


def closing(doc: DocumentObject, recipients: list[str], signer: Signer) -> None:
    """«Nơi nhận:» on the left, the signature on the right; the last paragraph keeps it company
    so a signature never starts a page alone."""
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.keep_with_next = True
    left, right = two_columns(doc, 7.5)
    _line(left, "Nơi nhận:", bold=True, italic=True, size=LIST_PT, first=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for n, item in enumerate(recipients):
        text = f"- {item}" + ("." if n == len(recipients) - 1 else ";")
        _line(left, text, size=LIST_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    _sign(right, signer, first=True)


def signatures(doc: DocumentObject, left: Signer, right: Signer) -> None:
    """Two signatures side by side (minutes: secretary and chair; a report: certifier and author),
    titles on one row and names on the next, so the names line up."""
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    grid = doc.add_table(rows=2, cols=2)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borderless(grid)
    _keep_whole(grid)
    set_widths(grid, [TEXT_WIDTH / 2, TEXT_WIDTH / 2])
    for column, signer in enumerate((left, right)):
        _sign_head(grid.rows[0].cells[column], signer, True)
        _sign_name(grid.rows[1].cells[column], signer, True)
