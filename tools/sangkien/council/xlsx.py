"""Shared look of the workbooks the council prints: Times New Roman, A4, bordered tables.

openpyxl is imported here and only here at module level; callers import this module lazily.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TypeAlias

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sangkien.council import files

# What a cell may hold (openpyxl's own set of types, less rich text and formulas objects).
CellValue: TypeAlias = "str | int | float | datetime | date | None"

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")  # cells a member fills stand out on screen
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def font(size: float = 12, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def title_row(ws: Worksheet, row: int, text: str, last_col: int, size: float = 14, bold: bool = True) -> None:
    ws.cell(row=row, column=1, value=text).font = font(size, bold=bold)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if last_col > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)


def header(ws: Worksheet, row: int, labels: Sequence[str], height: float = 45) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = font(12, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER
    ws.row_dimensions[row].height = height


def body_cell(ws: Worksheet, row: int, col: int, value: CellValue, number_format: str | None = None, center: bool = False) -> Cell:
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = font(12)
    cell.border = BORDER
    cell.alignment = CENTER if center else WRAP
    if number_format:
        cell.number_format = number_format
    return cell


def widths(ws: Worksheet, values: Sequence[float]) -> None:
    for col, width in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def a4(ws: Worksheet, landscape: bool = True, header_row: int | None = None) -> None:
    """A4, fit to page width, header row repeated on every printed page, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is not None  # openpyxl gives every worksheet one
    setup.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    footer = ws.oddFooter
    assert footer is not None  # openpyxl gives every worksheet one
    footer.center.text = "Trang &P/&N"
    footer.center.font = FONT


def fit_height(values: Sequence[object], col_widths: Sequence[float], size: float = 12) -> float:
    """Row height for wrapped text: neither Excel nor LibreOffice grows a row on opening a file,
    so a cell with three lines would print one line unless the height is set."""
    lines = 1
    for value, width in zip(values, col_widths, strict=False):
        if value is None:
            continue
        per_line = max(int(width * 1.15 * 12 / size), 1)
        lines = max(lines, sum(max(1, -(-len(part) // per_line)) for part in str(value).split("\n")))
    return min(lines * size * 1.3 + 4, 409)


def table(ws: Worksheet, start_row: int, labels: Sequence[str], rows: Sequence[Sequence[CellValue]], col_widths: Sequence[float],
          formats: dict[int, str] | None = None) -> int:
    """A plain bordered table; returns the last row written."""
    header(ws, start_row, labels, height=max(fit_height(labels, col_widths), 30))
    for i, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            body_cell(ws, start_row + i, col, value, (formats or {}).get(col), center=isinstance(value, (int, float)))
        ws.row_dimensions[start_row + i].height = fit_height(values, col_widths)
    widths(ws, col_widths)
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1).coordinate
    return start_row + len(rows)


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.properties.creator = "sangkien"
    wb.properties.language = "vi-VN"
    return wb


def first_sheet(wb: Workbook) -> Worksheet:
    """The worksheet a new workbook starts with (openpyxl types `active` loosely)."""
    ws = wb.active
    assert isinstance(ws, Worksheet)
    return ws


def save(wb: Workbook, path: Path) -> int:
    """Write atomically; returns the size in bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return files.write_bytes(path, buffer.getvalue())
