"""The draft results workbook (ket-qua-du-kien-<đợt>.xlsx) the council reviews before it decides."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sangkien.council import xlsx
from sangkien.council.results import Results, combine_text
from sangkien.council.rubric import show_number
from sangkien.council.thidua import LEVELS, ThiDua

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def _notice(ws: Worksheet, row: int, text: str, last_col: int) -> None:
    xlsx.title_row(ws, row, text, last_col, 11, bold=False)
    ws.row_dimensions[row].height = 30


def scores_workbook(results: Results, generated: str) -> Workbook:
    wb = xlsx.new_workbook()
    ws = xlsx.first_sheet(wb)
    ws.title = "Kết quả dự kiến"
    crit = results.rubric.criteria
    labels = ["Hạng", "Mã bài", "Tên sáng kiến, giải pháp", "Đơn vị"] + [f"{c.name} (tối đa {show_number(c.max)})" for c in crit]
    labels += ["Tổng điểm", "Kết quả", "Lý do không đạt", "Giải / đề nghị", "Đã có quyết định", "Cần Hội đồng xem lại"]
    last = len(labels)
    xlsx.title_row(ws, 1, "KẾT QUẢ CHẤM ĐIỂM DỰ KIẾN", last, 14)
    xlsx.title_row(ws, 2, results.campaign.title, last, 12, bold=False)
    cap = f" Số lượng tối đa: {results.cap}." if results.cap is not None else ""
    _notice(ws, 3, f"Bản dự kiến tạo lúc {generated}, chờ Hội đồng xác nhận; không phải quyết định công nhận. "
                   f"Tổng điểm để đạt: {show_number(results.rubric.pass_total)}; cách tổng hợp: {combine_text(results.rubric.combine)}.{cap}", last)
    rows = []
    for r in results.rows:
        rows.append([r.rank, r.entry.id, r.entry.title, r.unit_name] + [r.criteria.get(c.id) for c in crit]
                    + [r.total, r.verdict, "; ".join(r.reasons) if r.total is not None else "", r.award, r.confirmed or "", "; ".join(r.flags)])
    formats = {5 + i: "0.00" for i in range(len(crit) + 1)}
    xlsx.table(ws, 5, labels, rows, [6, 18, 32, 22] + [11] * len(crit) + [9, 10, 24, 14, 18, 32], formats)
    xlsx.a4(ws, landscape=True, header_row=5)
    ws2 = wb.create_sheet("Điểm từng thành viên")
    labels2 = ["Mã bài", "Thành viên", *[c.name for c in crit], "Tổng", "Được tính", "Nhận xét"]
    rows2 = []
    for r in results.rows:
        for s in sorted(r.sheets, key=lambda s: s.member):
            rows2.append([r.entry.id, s.member] + [s.criteria[c.id] for c in crit] + [s.total, "Có" if s.member in r.used else "Không", s.comment])
    xlsx.table(ws2, 1, labels2, rows2, [30, 24] + [12] * len(crit) + [10, 10, 50])
    xlsx.a4(ws2, landscape=True, header_row=1)
    return wb


def thidua_workbook(result: ThiDua, generated: str) -> Workbook:
    wb = xlsx.new_workbook()
    ws = xlsx.first_sheet(wb)
    ws.title = "Đối chiếu chỉ tiêu"
    labels = ["Thứ tự", "Họ và tên", "Chức vụ", "Đơn vị", "Cấp", "Kết quả", "Tổng mức vượt", "Chỉ tiêu chưa đạt",
              "Tờ trình", "Biên bản họp HĐ TĐKT", "Báo cáo thành tích (Mẫu 07)", "Đề nghị khen", "Đã có quyết định", "Ghi chú"]
    last = len(labels)
    xlsx.title_row(ws, 1, "KẾT QUẢ ĐỐI CHIẾU CHỈ TIÊU THI ĐUA (DỰ KIẾN)", last, 14)
    xlsx.title_row(ws, 2, result.campaign.title, last, 12, bold=False)
    cap = result.cap if result.cap is not None else "không giới hạn"
    _notice(ws, 3, f"Bản dự kiến tạo lúc {generated}, chờ Hội đồng Thi đua - Khen thưởng xác nhận. Hình thức: {result.award}; số lượng tối đa: {cap}. "
                   f"Đạt mọi chỉ tiêu: {len(result.meeting)}/{len(result.rows)}; đề nghị: {len(result.proposed)}.", last)
    rows = []
    for r in result.rows:
        dossier = r.entry.data.get("dossier") or {}
        rows.append([r.rank, r.nominee, r.position, r.unit_name, LEVELS.get(r.level, r.level), r.verdict, r.margin if r.meets_all else None,
                     "; ".join(f"{c.label}: {c.shown}" for c in r.failed)]
                    + ["Có" if dossier.get(k) is True else "Thiếu" for k in ("to_trinh", "bien_ban", "bao_cao_thanh_tich")]
                    + ["Có" if r.proposed else "", r.confirmed or "", "; ".join(r.ties)])
    xlsx.table(ws, 5, labels, rows, [7, 20, 22, 24, 9, 13, 9, 30, 8, 11, 12, 9, 15, 24], {7: "0.00"})
    xlsx.a4(ws, landscape=True, header_row=5)
    ws2 = wb.create_sheet("Chi tiết chỉ tiêu")
    rows2 = [[r.nominee, r.unit_name, c.label, c.op, c.threshold, c.value, {"dat": "Đạt", "khong-dat": "Chưa đạt", "thieu": "Thiếu số liệu",
                                                                            "khong-ap-dung": "Không áp dụng (nếu có)"}[c.status], c.margin if c.status == "dat" else None]
             for r in result.rows for c in r.checks]
    xlsx.table(ws2, 1, ["Họ và tên", "Đơn vị", "Chỉ tiêu", "Phép so sánh", "Ngưỡng", "Kết quả", "Đánh giá", "Mức vượt"], rows2, [24, 30, 44, 10, 10, 10, 20, 10])
    xlsx.a4(ws2, landscape=True, header_row=1)
    return wb


def save(wb: Workbook, path: Path) -> int:
    return xlsx.save(wb, path)
