"""Score sheets: one protected XLSX per council member, one row per entry that passed screening.

The hidden sheet `_sangkien` records what the import needs to trust a returned file: campaign,
member, rubric fingerprint, the column of each criterion and the row of each entry. The import
compares the visible sheet against it, so a moved column or an inserted row is refused instead
of silently shifting scores onto the wrong entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from sangkien import textnorm, vntime
from sangkien.council import xlsx
from sangkien.council.rubric import Rubric, show_number
from sangkien.model import Campaign, Entry, Repository

FORMAT = "sangkien-phieu-cham/1"
SHEET = "Phiếu chấm"
GUIDE = "Thang điểm"
META = "_sangkien"
MEMBER_CELL = "C3"
DATE_CELL = "C4"
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
FIXED = ["STT", "Mã bài", "Tên sáng kiến, giải pháp", "Đơn vị"]
UNLOCKED = Protection(locked=False)
COLUMN_WIDTHS = [5, 18, 36, 22, 9, 32]  # STT, mã bài, tên, đơn vị | tổng, nhận xét: fits A4 landscape with 3-5 criteria
CRITERION_WIDTH = 12


@dataclass
class Layout:
    """Where things are on a sheet, derived from the rubric alone (generation and import agree)."""

    criteria_ids: list[str]

    @property
    def first_criterion_col(self) -> int:
        return len(FIXED) + 1

    def criterion_col(self, index: int) -> int:
        return self.first_criterion_col + index

    @property
    def total_col(self) -> int:
        return self.first_criterion_col + len(self.criteria_ids)

    @property
    def comment_col(self) -> int:
        return self.total_col + 1

    @property
    def last_col(self) -> int:
        return self.comment_col


def criterion_label(rubric: Rubric, index: int) -> str:
    c = rubric.criteria[index]
    low = f"; tối thiểu {show_number(c.min)}" if c.min is not None else ""
    return f"{c.name}\n(tối đa {show_number(c.max)}{low})"


def header_labels(rubric: Rubric) -> list[str]:
    labels = list(FIXED) + [criterion_label(rubric, i) for i in range(len(rubric.criteria))]
    return labels + [f"Tổng điểm\n(tối đa {show_number(rubric.max_total)})", "Nhận xét"]


def file_name(campaign_id: str, member: str) -> str:
    return f"phieu-cham-{campaign_id}-{textnorm.slugify(member) or 'thanh-vien'}.xlsx"


def _clip(text: str, limit: int) -> str:
    """Excel refuses validation prompts over 255 and error texts over 225 characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build(repo: Repository, camp: Campaign, rubric: Rubric, entries: list[Entry], member: str, at: datetime | None = None) -> Workbook:
    """The workbook for one member (member may be empty: the member then types the name)."""
    wb = xlsx.new_workbook()
    ws = xlsx.first_sheet(wb)
    ws.title = SHEET
    layout = Layout([c.id for c in rubric.criteria])
    last = layout.last_col
    xlsx.title_row(ws, 1, "PHIẾU CHẤM ĐIỂM SÁNG KIẾN, GIẢI PHÁP CẢI CÁCH HÀNH CHÍNH", last, 14)
    xlsx.title_row(ws, 2, camp.title, last, 12, bold=False)
    ws.row_dimensions[2].height = 32
    for row, label in ((3, "Thành viên Hội đồng:"), (4, "Ngày chấm (ngày/tháng/năm):")):
        ws.cell(row=row, column=1, value=label).font = xlsx.font(12, bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
    ws[MEMBER_CELL] = member or None
    ws[MEMBER_CELL].font = xlsx.font(12, bold=True)
    ws[DATE_CELL].font = xlsx.font(12)
    ws[DATE_CELL].number_format = "DD/MM/YYYY"
    ws[DATE_CELL].alignment = Alignment(horizontal="left")
    ws[DATE_CELL].protection = UNLOCKED
    ws[DATE_CELL].fill = xlsx.INPUT_FILL
    if not member:
        ws[MEMBER_CELL].protection = UNLOCKED
        ws[MEMBER_CELL].fill = xlsx.INPUT_FILL
    note = (f"Ô màu vàng là ô chấm. Điểm từng tiêu chí từ 0 đến điểm tối đa ghi ở tiêu đề cột (đưa chuột vào tiêu đề để xem khung điểm). "
            f"Bài được công nhận khi tổng điểm từ {show_number(rubric.pass_total)} trở lên và mỗi tiêu chí đạt điểm tối thiểu. "
            f"Không chấm bài nào thì để trống cả dòng. Không thêm, xóa hay di chuyển dòng, cột.")
    xlsx.title_row(ws, 5, note, last, 11, bold=False)
    ws.cell(row=5, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[5].height = 48
    labels = header_labels(rubric)
    xlsx.header(ws, HEADER_ROW, labels, height=max(xlsx.fit_height(labels, COLUMN_WIDTHS[:4] + [CRITERION_WIDTH] * len(rubric.criteria)), 60))
    for i, c in enumerate(rubric.criteria):
        text = f"{c.name}: tối đa {show_number(c.max)} điểm" + (f", tối thiểu {show_number(c.min)} điểm để đạt." if c.min is not None else ".")
        if c.bands:
            text += "\nKhung điểm:\n" + c.bands_text()
        comment = Comment(text, "sangkien")
        comment.width, comment.height = 320, 40 + 20 * (len(c.bands) + 2)
        ws.cell(row=HEADER_ROW, column=layout.criterion_col(i)).comment = comment
    for n, entry in enumerate(entries, start=1):
        row = HEADER_ROW + n
        unit = repo.units.get(entry.unit or "")
        xlsx.body_cell(ws, row, 1, n, center=True)
        xlsx.body_cell(ws, row, 2, entry.id)
        xlsx.body_cell(ws, row, 3, entry.title)
        xlsx.body_cell(ws, row, 4, unit.name if unit else entry.unit)
        for i in range(len(rubric.criteria)):
            cell = xlsx.body_cell(ws, row, layout.criterion_col(i), None, "0.##", center=True)
            cell.protection, cell.fill = UNLOCKED, xlsx.INPUT_FILL
        first, last_crit = (get_column_letter(layout.criterion_col(0)), get_column_letter(layout.criterion_col(len(rubric.criteria) - 1)))
        span = f"{first}{row}:{last_crit}{row}"
        xlsx.body_cell(ws, row, layout.total_col, f'=IF(COUNT({span})=0,"",SUM({span}))', "0.##", center=True)
        cell = xlsx.body_cell(ws, row, layout.comment_col, None)
        cell.protection, cell.fill = UNLOCKED, xlsx.INPUT_FILL
        ws.row_dimensions[row].height = max(xlsx.fit_height([None, entry.id, entry.title, unit.name if unit else entry.unit], COLUMN_WIDTHS), 36)
    last_row = HEADER_ROW + len(entries)
    for i, c in enumerate(rubric.criteria):
        col = get_column_letter(layout.criterion_col(i))
        rule = DataValidation(type="decimal", operator="between", formula1="0", formula2=show_number(c.max).replace(",", "."),
                              allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="stop")
        rule.errorTitle = "Điểm không hợp lệ"
        rule.error = _clip(f"Điểm tiêu chí «{c.name}» phải là số từ 0 đến {show_number(c.max)}.", 225)
        rule.promptTitle = _clip(c.name, 32)
        rule.prompt = _clip(f"Từ 0 đến {show_number(c.max)} điểm." + ("\n" + c.bands_text() if c.bands else ""), 255)
        rule.add(f"{col}{FIRST_ROW}:{col}{last_row}")
        ws.add_data_validation(rule)
    sign_row = last_row + 2
    ws.cell(row=sign_row, column=layout.total_col, value="NGƯỜI CHẤM").font = xlsx.font(12, bold=True)
    ws.cell(row=sign_row + 1, column=layout.total_col, value="(Ký, ghi rõ họ tên)").font = xlsx.font(11, italic=True)
    xlsx.widths(ws, COLUMN_WIDTHS[:4] + [CRITERION_WIDTH] * len(rubric.criteria) + COLUMN_WIDTHS[4:])
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3).coordinate
    xlsx.a4(ws, landscape=True, header_row=HEADER_ROW)
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # members may widen columns and rows to read long titles
    ws.protection.formatRows = False
    _guide(wb, camp, rubric)
    _meta(wb, camp, rubric, layout, entries, member, at or vntime.now(), sign_row)
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def _guide(wb: Workbook, camp: Campaign, rubric: Rubric) -> None:
    ws = wb.create_sheet(GUIDE)
    xlsx.title_row(ws, 1, "THANG ĐIỂM CỦA HỘI ĐỒNG", 4, 14)
    xlsx.title_row(ws, 2, camp.title, 4, 12, bold=False)
    rows = [[c.name, c.max, c.min if c.min is not None else "", c.bands_text()] for c in rubric.criteria]
    end = xlsx.table(ws, 4, ["Tiêu chí", "Điểm tối đa", "Điểm tối thiểu để đạt", "Khung điểm"], rows, [40, 14, 16, 60])
    combine = {"mean": "trung bình cộng điểm của các thành viên",
               "median": "trung vị tổng điểm của các thành viên",
               "trimmed-mean": "bỏ tổng điểm cao nhất và thấp nhất rồi lấy trung bình"}.get(rubric.combine, rubric.combine)
    lines = [f"Tổng điểm tối đa: {show_number(rubric.max_total)}; tổng điểm để được công nhận: từ {show_number(rubric.pass_total)} trở lên.",
             f"Cách tổng hợp: {combine}.",
             f"Khi tổng điểm của hai thành viên lệch nhau quá {show_number(rubric.divergence_gap)} điểm, Hội đồng cử người chấm thứ ba."]
    if rubric.tiers:
        lines.append("Giải thưởng: " + "; ".join(f"{t.name}: {t.count} giải" + (f" (từ {show_number(t.min_total)} điểm)" if t.min_total is not None else "")
                                                 for t in rubric.tiers) + ".")
    if rubric.source:
        lines.append(f"Nguồn thang điểm: {rubric.source}.")
    for i, text in enumerate(lines, start=end + 2):
        ws.cell(row=i, column=1, value=text).font = xlsx.font(12)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=4)
        ws.cell(row=i, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[i].height = 32
    xlsx.a4(ws, landscape=False, header_row=4)
    ws.protection.sheet = True


def _meta(wb: Workbook, camp: Campaign, rubric: Rubric, layout: Layout, entries: list[Entry], member: str, at: datetime, sign_row: int) -> None:
    ws = wb.create_sheet(META)
    pairs = [("format", FORMAT), ("campaign", camp.id), ("member", member), ("rubric", rubric.fingerprint()),
             ("criteria", ",".join(layout.criteria_ids)), ("header_row", HEADER_ROW), ("sign_row", sign_row),
             ("generated", at.astimezone(vntime.ICT).isoformat(timespec="seconds"))]
    for row, (key, value) in enumerate(pairs, start=1):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value)
    header_at = len(pairs) + 1
    ws.cell(row=header_at, column=1, value="header")
    for col, label in enumerate(header_labels(rubric), start=2):
        ws.cell(row=header_at, column=col, value=label)
    pairs.append(("header", ""))
    for n, entry in enumerate(entries):
        ws.cell(row=len(pairs) + 1 + n, column=1, value="entry")
        ws.cell(row=len(pairs) + 1 + n, column=2, value=entry.id)
        ws.cell(row=len(pairs) + 1 + n, column=3, value=HEADER_ROW + 1 + n)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def write(path: Path, repo: Repository, camp: Campaign, rubric: Rubric, entries: list[Entry], member: str,
          at: datetime | None = None) -> int:
    return xlsx.save(build(repo, camp, rubric, entries, member, at), path)
