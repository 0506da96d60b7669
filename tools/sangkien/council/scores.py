"""Read filled score sheets back into decisions.yaml `scores`, all or nothing.

Every sheet is checked before anything is written: the hidden metadata must match the campaign and
the current rubric, the visible header and entry column must be where the sheet put them, nothing
may be typed outside the table, every score must be a number in 0..max. One bad cell in one sheet
means no sheet is imported, so the council never works from half an import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sangkien import settings, textnorm, vntime
from sangkien.codes import problem
from sangkien.council import scoresheet as layout_mod
from sangkien.council import yamledit
from sangkien.council.context import decisions_path
from sangkien.council.errors import CouncilError
from sangkien.council.rubric import Rubric, show_number
from sangkien.model import Campaign, Repository
from sangkien.problems import Problem

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from sangkien.loader import Loaded

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


@dataclass
class Row:
    entry: str
    criteria: dict[str, float]
    comment: str = ""


@dataclass
class Sheet:
    file: str
    member: str
    day: date
    rows: list[Row] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)  # entries left unscored on this sheet


def _where(ws_title: str, cell: str) -> str:
    return f"Trang «{ws_title}», ô {cell}"


def _number(value: object) -> float | None:
    """A score: a number, or text that is a number written with a decimal comma ("23,5")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        m = _DMY.match(value)
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _meta(wb: Workbook) -> dict[str, Any] | None:
    if layout_mod.META not in wb.sheetnames:
        return None
    ws = wb[layout_mod.META]
    meta: dict[str, Any] = {"entries": [], "header": []}
    for row in ws.iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        if row[0] == "entry":
            at: Any = row[2]  # the entry's row, written as a number by scoresheet._meta
            meta["entries"].append((str(row[1]), int(at)))
        elif row[0] == "header":
            meta["header"] = ["" if v is None else str(v) for v in row[1:]]
            while meta["header"] and meta["header"][-1] == "":
                meta["header"].pop()
        else:
            meta[str(row[0])] = row[1]
    return meta


def read_sheet(path: Path, shown: str, repo: Repository, camp: Campaign, rubric: Rubric, passed: set[str],
               default_day: date) -> tuple[Sheet | None, list[Problem]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)  # cached values: a formula typed in a score cell counts as its result
    except Exception as err:  # openpyxl raises many types for a non-XLSX file
        return None, [problem("SK804", shown, 1, 1, f"Không mở được tệp «{shown}» như một sổ tính XLSX ({type(err).__name__}).")]
    meta = _meta(wb)
    if meta is None or meta.get("format") != layout_mod.FORMAT or layout_mod.SHEET not in wb.sheetnames:
        return None, [problem("SK804", shown, 1, 1, f"Tệp «{shown}» không có phần thông tin ẩn của phiếu chấm sangkien (có thể đã được chép sang sổ tính khác).")]
    if meta.get("campaign") != camp.id:
        return None, [problem("SK805", shown, 1, 1, f"Tệp «{shown}» là phiếu chấm của đợt «{meta.get('campaign')}», không phải đợt «{camp.id}».")]
    ws = wb[layout_mod.SHEET]
    title = ws.title
    problems: list[Problem] = []
    ids = [c.id for c in rubric.criteria]
    if meta.get("rubric") != rubric.fingerprint() or str(meta.get("criteria", "")).split(",") != ids:
        problems.append(problem("SK806", shown, 1, 1, f"Phiếu «{shown}» được tạo theo thang điểm khác với thang điểm hiện tại của đợt "
                                                      f"(tiêu chí hoặc điểm tối đa đã thay đổi)."))
        return None, problems
    layout = layout_mod.Layout(ids)
    header_row = int(meta.get("header_row", layout_mod.HEADER_ROW))
    expected = meta["header"]
    for col in range(1, max(len(expected), layout.last_col) + 2):
        got = ws.cell(row=header_row, column=col).value
        want = expected[col - 1] if col - 1 < len(expected) else None
        if _norm(got) != _norm(want):
            cell = ws.cell(row=header_row, column=col).coordinate
            problems.append(problem("SK806", shown, header_row, col, f"{_where(title, cell)}: tiêu đề cột là «{_norm(got) or '(trống)'}», "
                                                                     f"phiếu gốc là «{_norm(want) or '(trống)'}» (cột đã bị chèn, xóa hoặc di chuyển)."))
            return None, problems
    rows = meta["entries"]
    last_row = rows[-1][1] if rows else header_row
    for entry_id, row in rows:
        got = ws.cell(row=row, column=2).value
        if _norm(got) != entry_id:
            cell = ws.cell(row=row, column=2).coordinate
            problems.append(problem("SK806", shown, row, 2, f"{_where(title, cell)}: mã bài là «{_norm(got) or '(trống)'}», phiếu gốc ghi «{entry_id}» ở dòng này "
                                                            f"(dòng đã bị chèn, xóa hoặc sắp xếp lại)."))
            return None, problems
    problems.extend(_outside(ws, shown, layout, header_row, last_row, int(meta.get("sign_row", last_row + 2))))
    if problems:
        return None, problems
    member = str(meta.get("member") or "").strip() or _norm(ws[layout_mod.MEMBER_CELL].value)
    if not member:
        cell = layout_mod.MEMBER_CELL
        problems.append(problem("SK814", shown, ws[cell].row, ws[cell].column, f"{_where(title, cell)}: phiếu chưa ghi tên thành viên Hội đồng."))
    raw_day = ws[layout_mod.DATE_CELL].value
    day = default_day if _blank(raw_day) else _day(raw_day)
    if day is None:
        cell = layout_mod.DATE_CELL
        problems.append(problem("SK813", shown, ws[cell].row, ws[cell].column, f"{_where(title, cell)}: ngày chấm «{raw_day}» không đọc được."))
    sheet = Sheet(shown, textnorm.nfc(member), day or default_day)
    known = {e.id for e in repo.entries_of(camp.id)}
    for entry_id, row in rows:
        values = [ws.cell(row=row, column=layout.criterion_col(i)).value for i in range(len(ids))]
        comment = ws.cell(row=row, column=layout.comment_col).value
        if all(_blank(v) for v in values) and _blank(comment):
            sheet.blank.append(entry_id)
            continue
        if entry_id not in known:
            problems.append(problem("SK808", shown, row, 2, f"{_where(title, f'B{row}')}: bài «{entry_id}» không có trong đợt «{camp.id}»."))
            continue
        if entry_id not in passed:
            problems.append(problem("SK808", shown, row, 2, f"{_where(title, f'B{row}')}: bài «{entry_id}» không còn trong danh sách qua sơ loại của đợt."))
            continue
        scores: dict[str, float] = {}
        for i, (crit, value) in enumerate(zip(rubric.criteria, values, strict=True)):
            col = layout.criterion_col(i)
            cell = ws.cell(row=row, column=col).coordinate
            if _blank(value):
                problems.append(problem("SK810", shown, row, col, f"{_where(title, cell)}: bài «{entry_id}» chưa có điểm tiêu chí «{crit.name}»."))
                continue
            number = _number(value)
            if number is None:
                problems.append(problem("SK807", shown, row, col, f"{_where(title, cell)}: «{value}» không phải là số (tiêu chí «{crit.name}», bài «{entry_id}»)."))
            elif number < 0 or number > crit.max:
                problems.append(problem("SK807", shown, row, col, f"{_where(title, cell)}: điểm {show_number(number)} của tiêu chí «{crit.name}» (bài «{entry_id}») "
                                                                   f"nằm ngoài khoảng 0 đến {show_number(crit.max)}."))
            else:
                scores[crit.id] = int(number) if number.is_integer() else number
        sheet.rows.append(Row(entry_id, scores, "" if _blank(comment) else textnorm.nfc(str(comment).strip())))
    return (None if problems else sheet), problems


def _norm(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def _outside(ws: Worksheet, shown: str, layout: layout_mod.Layout, header_row: int, last_row: int, sign_row: int) -> list[Problem]:
    """Anything typed outside the table means someone unprotected the sheet and added rows or columns."""
    allowed = {(sign_row, layout.total_col), (sign_row + 1, layout.total_col)}
    for row in ws.iter_rows(min_row=header_row, max_row=max(ws.max_row, last_row + 1)):
        for cell in row:
            if _blank(cell.value) or (cell.row, cell.column) in allowed:
                continue
            assert cell.row is not None and cell.column is not None  # iter_rows gives every cell its place
            if cell.row > last_row or cell.column > layout.last_col:
                return [problem("SK806", shown, cell.row, cell.column, f"{_where(ws.title, cell.coordinate)}: có nội dung «{_norm(cell.value)[:40]}» ngoài bảng chấm "
                                                                       f"(dòng hoặc cột đã được thêm vào).")]
    return []


def merge(existing: list[Any], sheets: list[Sheet], rubric: Rubric) -> tuple[list[Any], int, int]:
    """Existing scores with each (member, entry) of the sheets replaced in place or appended."""
    out = list(existing)
    index = {(textnorm.fold(str(x.get("member", ""))), x.get("entry")): i for i, x in enumerate(out) if isinstance(x, dict)}
    added = replaced = 0
    order = [c.id for c in rubric.criteria]
    for sheet in sheets:
        for row in sheet.rows:
            item: dict[str, Any] = {"member": sheet.member, "entry": row.entry, "date": sheet.day.isoformat(),
                          "criteria": {k: row.criteria[k] for k in order if k in row.criteria}}
            if row.comment:
                item["comment"] = row.comment
            key = (textnorm.fold(sheet.member), row.entry)
            if key in index:
                out[index[key]] = item
                replaced += 1
            else:
                index[key] = len(out)
                out.append(item)
                added += 1
    return out, added, replaced


def import_sheets(root: Path, loaded: Loaded, camp: Campaign, rubric: Rubric, files: list[str], default_day: date | None = None,
                  progress: Callable[[str], object] = print) -> tuple[list[Sheet], int, int]:
    rel = decisions_path(camp.id)
    dec = loaded.repo.decisions.get(camp.id)
    if dec is None or rel not in loaded.docs:
        raise CouncilError.one("SK803", rel, f"Đợt «{camp.id}» chưa có tệp {rel} với kết quả sơ loại.")
    passed = {e for e, s in dec.screening().items() if s.get("result") == "dat"}
    day = default_day or vntime.local_date(settings.now())
    problems: list[Problem] = []
    sheets: list[Sheet] = []
    seen: dict[str, str] = {}
    for n, name in enumerate(files, start=1):
        path = Path(name)
        if not path.is_file():
            problems.append(problem("SK901", name, 1, 1, f"Không tìm thấy tệp «{name}»."))
            continue
        sheet, found = read_sheet(path, name, loaded.repo, camp, rubric, passed, day)
        problems.extend(found)
        if sheet is None:
            progress(f"[{n}/{len(files)}] {name}: có lỗi.")
            continue
        key = textnorm.fold(sheet.member)
        if key in seen:
            problems.append(problem("SK809", name, 1, 1, f"Tệp «{name}» và tệp «{seen[key]}» đều là phiếu của thành viên «{sheet.member}»."))
            continue
        seen[key] = name
        sheets.append(sheet)
        progress(f"[{n}/{len(files)}] {name}: {sheet.member}, {len(sheet.rows)} bài đã chấm" + (f", {len(sheet.blank)} bài để trống." if sheet.blank else "."))
    if problems:
        raise CouncilError(problems)
    if not any(s.rows for s in sheets):
        raise CouncilError.one("SK810", files[0], "Các phiếu chưa có điểm nào: không có gì để nhập.", fix="Chấm điểm vào các ô màu vàng rồi nhập lại.")
    text, original = yamledit.read_text(root / rel)
    data = loaded.docs[rel].data
    assert isinstance(data, dict)  # a decisions file that is not a mapping has no Decisions (dec above)
    new_scores, added, replaced = merge(list(data.get("scores") or []), sheets, rubric)
    expected = dict(data)
    expected["scores"] = new_scores
    new_text = yamledit.replace_list(text, "scores", new_scores)
    yamledit.check_same(new_text, rel, expected)
    yamledit.commit(root, rel, new_text, original)
    return sheets, added, replaced
