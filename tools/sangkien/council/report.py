"""Participation report: per eligible unit against the minimum, and the list of entries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sangkien import vntime
from sangkien.council import xlsx
from sangkien.council.participation import UnitParticipation, is_late, waived_late
from sangkien.model import Campaign, Repository

if TYPE_CHECKING:
    from openpyxl import Workbook

UNIT_HEAD = ["STT", "Đơn vị", "Số bài đã nộp", "Tối thiểu", "Đủ số bài", "Qua sơ loại", "Không đạt sơ loại", "Nộp muộn", "Ghi chú"]
SCREENING_TEXT: dict[object, str] = {"dat": "Đạt", "khong-dat": "Không đạt"}  # decisions.yaml screening result -> cell
ENTRY_HEAD = ["STT", "Mã bài", "Tên bài", "Đơn vị", "Ngày nộp", "Sơ loại", "Nộp muộn"]


def unit_rows(rows: list[UnitParticipation]) -> list[list[xlsx.CellValue]]:
    out: list[list[xlsx.CellValue]] = []
    for n, r in enumerate(rows, start=1):
        note = "" if r.eligible else "Không thuộc diện phải tham gia"
        late = f"{r.late} (đã chấp nhận {r.waived})" if r.waived else r.late
        out.append([n, r.unit_name, r.submitted, r.minimum, "Đủ" if r.meets_minimum else "Chưa đủ", r.passed_screening, r.screened_out, late, note])
    return out


def entry_rows(repo: Repository, camp: Campaign) -> list[list[xlsx.CellValue]]:
    dec = repo.decisions.get(camp.id)
    screening = dec.screening() if dec else {}
    out: list[list[xlsx.CellValue]] = []
    for n, e in enumerate(sorted(repo.entries_of(camp.id), key=lambda e: (e.unit or "", e.id)), start=1):
        unit = repo.units.get(e.unit or "")
        result = (screening.get(e.id) or {}).get("result")
        late = is_late(e, camp.closes_at)
        late_text = ("Muộn, đã được chấp nhận" if waived_late(repo, e) else "Muộn") if late else ""
        out.append([n, e.id, e.title, unit.name if unit else e.unit, vntime.show_date(e.submitted) if e.submitted else "",
                    SCREENING_TEXT.get(result, "Chưa sơ loại"), late_text])
    return out


def summary(rows: list[UnitParticipation]) -> str:
    eligible = [r for r in rows if r.eligible]
    short = [r for r in eligible if not r.meets_minimum]
    total = sum(r.submitted for r in rows)
    text = f"{len(eligible) - len(short)}/{len(eligible)} đơn vị đủ số bài tối thiểu; tổng {total} bài, {sum(r.passed_screening for r in rows)} bài qua sơ loại, {sum(r.late for r in rows)} bài nộp muộn."
    if short:
        text += " Chưa đủ: " + ", ".join(r.unit_name for r in short) + "."
    return text


def workbook(repo: Repository, camp: Campaign, rows: list[UnitParticipation], generated: str) -> Workbook:
    wb = xlsx.new_workbook()
    ws = xlsx.first_sheet(wb)
    ws.title = "Theo đơn vị"
    xlsx.title_row(ws, 1, "BÁO CÁO THAM GIA THEO ĐƠN VỊ", len(UNIT_HEAD), 14)
    xlsx.title_row(ws, 2, camp.title, len(UNIT_HEAD), 12, bold=False)
    xlsx.title_row(ws, 3, f"Số liệu lúc {generated}. {summary(rows)}", len(UNIT_HEAD), 11, bold=False)
    ws.row_dimensions[3].height = 45
    xlsx.table(ws, 5, UNIT_HEAD, unit_rows(rows), [6, 44, 12, 10, 11, 11, 12, 16, 28])
    xlsx.a4(ws, landscape=True, header_row=5)
    ws2 = wb.create_sheet("Danh sách bài")
    xlsx.table(ws2, 1, ENTRY_HEAD, entry_rows(repo, camp), [6, 34, 50, 34, 12, 14, 22])
    xlsx.a4(ws2, landscape=True, header_row=1)
    return wb
