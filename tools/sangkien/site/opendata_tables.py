"""The open data as flat tables: the CSV and the XLSX, with Vietnamese column headers.

Both are made from runs of catalogue rows: a run ends after a row whose digest (that of its
JSON text) starts with a byte below RUN_CUT (or at RUN_MAX rows, which content this long almost
never reaches), so the runs depend on the rows' content and not on their positions, and an
inserted, removed or changed row changes one run (or two, when it was or becomes a cut). A
run's CSV lines and deflated XLSX rows are kept by exportcache under the digests of its rows;
the files are the runs joined, between a head and a tail made at each build. No MkDocs here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sangkien.site import xlsxwrite
from sangkien.site.exportcache import DIGEST, ExportCache
from sangkien.site.licence import DEFAULT as DEFAULT_LICENCE
from sangkien.site.licence import Licence

RUN_CUT, RUN_MAX = 4, 256  # about 64 rows a run on average
Row = dict[str, Any]


def _number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",")  # Vietnamese decimal comma


def _result_text(r: dict[str, Any]) -> str:
    text = f"{r['indicator']}: {_number(r['baseline'])} → {_number(r['result'])} {r['unit']}"
    return text + (f" ({r['period']})" if r.get("period") else "")


def _labels_of(items: list[dict[str, Any]]) -> str:
    return "; ".join(i["label"] for i in items)


COLUMNS: list[tuple[str, int, Callable[[Row], object]]] = [
    ("Mã sáng kiến", 28, lambda r: r["id"]),
    ("Tên sáng kiến", 60, lambda r: r["title"]),
    ("Tóm tắt", 80, lambda r: r["summary"]),
    ("Lĩnh vực áp dụng", 40, lambda r: r["field"]),
    ("Mã đợt", 22, lambda r: r["campaign"]["id"]),
    ("Đợt phát động", 50, lambda r: r["campaign"]["title"]),
    ("Mã đơn vị", 22, lambda r: r["unit"]["id"]),
    ("Đơn vị", 40, lambda r: r["unit"]["name"]),
    ("Tỉnh", 30, lambda r: r["province"]["name"] if r["province"] else ""),
    ("Lĩnh vực cải cách hành chính", 50, lambda r: _labels_of(r["areas"])),
    ("Chỉ số hướng tới", 40, lambda r: _labels_of(r["indices"])),
    ("Loại giải pháp", 28, lambda r: r["solution_type"]["label"] if r["solution_type"] else ""),
    ("Cấp công nhận", 22, lambda r: r["level"]["label"] if r["level"] else ""),
    ("Số quyết định", 20, lambda r: r["decision"]["number"]),
    ("Ngày quyết định", 16, lambda r: r["decision"]["date"] or ""),
    ("Cơ quan ban hành", 36, lambda r: r["decision"]["issuer"]),
    ("Hạng giải", 18, lambda r: r["decision"]["tier"]["label"] if r["decision"]["tier"] else ""),
    ("Kết quả đo được (trước → sau)", 70, lambda r: "; ".join(_result_text(x) for x in r["results"])),
    ("Số đơn vị nhân rộng", 14, lambda r: r["replications"]),
    ("Từ khóa", 30, lambda r: "; ".join(r["keywords"])),
    ("Đường dẫn", 50, lambda r: r["url"]),
    ("Bài minh họa", 12, lambda r: "Có" if r["illustrative"] else "Không"),
]
RESULT_COLUMNS = [("Mã sáng kiến", 28), ("Tên sáng kiến", 50), ("Chỉ tiêu", 50), ("Trước khi áp dụng", 16),
                  ("Sau khi áp dụng", 16), ("Đơn vị tính", 14), ("Chiều tốt hơn", 20), ("Thời gian đo", 36)]
BETTER = {"thap-hon": "Thấp hơn là tốt hơn", "cao-hon": "Cao hơn là tốt hơn"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NAMES = [n for n, _w, _g in COLUMNS]
_URL_COL, _DATE_COL = _NAMES.index("Đường dẫn"), _NAMES.index("Ngày quyết định")
BOOK_TITLE = "Danh mục sáng kiến cải cách hành chính đã được công nhận"


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _text_cell(value: object) -> object:
    """A plain value is cheapest; text is made safe: no formula, no control character XLSX refuses."""
    if not isinstance(value, str):
        return value
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))  # after safe_cell nothing starts with "=": never a formula


def runs(digests: Sequence[bytes]) -> list[tuple[int, int]]:
    """[start, end) of each run of rows, cut where the content says (see the module's docstring)."""
    out, start = [], 0
    for i, d in enumerate(digests):
        if d[0] < RUN_CUT or i + 1 - start >= RUN_MAX:
            out.append((start, i + 1))
            start = i + 1
    if start < len(digests):
        out.append((start, len(digests)))
    return out


def _digests_of(rows: Sequence[Row]) -> list[bytes]:
    """As opendata.write_open_data knows its rows: the digest of each one's JSON text."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return [hashlib.blake2b(encode(r).encode("utf-8"), digest_size=DIGEST).digest() for r in rows]


# ----------------------------------------------------------------- CSV
def _csv_lines(rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_bytes(rows: Sequence[Row], digests: Sequence[bytes] | None = None, store: ExportCache | None = None) -> bytes:
    """UTF-8 with a BOM (which makes Excel read UTF-8), one header row, one line per row."""
    digests = _digests_of(rows) if digests is None else digests
    store = store or ExportCache(None)
    parts = [b"\xef\xbb\xbf" + _csv_lines([_NAMES])]
    for start, end in runs(digests):
        parts.append(store.text("csv", digests[start:end], partial(_csv_run, rows[start:end])))
    return b"".join(parts)


def _csv_run(rows: Sequence[Row]) -> bytes:
    return _csv_lines([[safe_cell(get(row)) for _n, _w, get in COLUMNS] for row in rows])


# ----------------------------------------------------------------- XLSX
def _entry_row(row: Row) -> str:
    cells = [xlsxwrite.cell(_text_cell(get(row))) for _n, _w, get in COLUMNS]
    if row["decision"]["date"]:
        cells[_DATE_COL] = xlsxwrite.cell(date.fromisoformat(row["decision"]["date"]), xlsxwrite.DAY)
    return xlsxwrite.row(cells)


def _result_rows(row: Row) -> str:
    return "".join(xlsxwrite.row(xlsxwrite.cell(_text_cell(v)) for v in (
        row["id"], row["title"], x["indicator"], x["baseline"], x["result"], x["unit"], BETTER.get(x["better"], x["better"]), x["period"] or ""))
        for x in row["results"])


def _deflated(xml: Callable[[Row], str], rows: Sequence[Row]) -> xlsxwrite.Piece:
    return xlsxwrite.deflate("".join(xml(r) for r in rows).encode())


def _header(names: Sequence[str]) -> xlsxwrite.Piece:
    return xlsxwrite.deflate(xlsxwrite.row(xlsxwrite.cell(n, xlsxwrite.HEADER) for n in names).encode())


def xlsx_bytes(rows: Sequence[Row], generated: str, licence: Licence | None = None, site_url: str = "",
               digests: Sequence[bytes] | None = None, store: ExportCache | None = None, schema_url: str = "") -> bytes:
    """Three sheets: the initiatives (a link on each address), their measured results, and «Thông tin»
    (what the file is, when it was made, its licence and schema)."""
    terms = licence or DEFAULT_LICENCE
    digests = _digests_of(rows) if digests is None else digests
    store = store or ExportCache(None)
    entries, results = [_header(_NAMES)], [_header([n for n, _w in RESULT_COLUMNS])]
    for start, end in runs(digests):
        entries.append(store.piece("xlsx-entries", digests[start:end], partial(_deflated, _entry_row, rows[start:end])))
        results.append(store.piece("xlsx-results", digests[start:end], partial(_deflated, _result_rows, rows[start:end])))
    links = [(i, _URL_COL + 1, str(r["url"])) for i, r in enumerate(rows, start=2) if str(r["url"]).startswith(("https://", "http://"))]
    measured = sum(len(r["results"]) for r in rows)
    about = [("Nội dung", "Danh mục sáng kiến, giải pháp cải cách hành chính đã được công nhận"),
             ("Thời điểm tạo", generated), ("Số sáng kiến", len(rows)),
             ("Giấy phép", terms.name), ("Văn bản giấy phép", terms.url), ("Lược đồ dữ liệu", schema_url)]
    about_rows = "".join(xlsxwrite.row(xlsxwrite.cell(_text_cell(v)) for v in line) for line in about)
    sheets = [
        xlsxwrite.Sheet("Sáng kiến", xlsxwrite.SheetFrame([w for _n, w, _g in COLUMNS], rows=len(rows), links=links), entries),
        xlsxwrite.Sheet("Kết quả đo được", xlsxwrite.SheetFrame([w for _n, w in RESULT_COLUMNS], rows=measured), results),
        xlsxwrite.Sheet("Thông tin", xlsxwrite.SheetFrame([22, 80], frozen_header=False), [xlsxwrite.deflate(about_rows.encode())]),
    ]
    return xlsxwrite.workbook(sheets, BOOK_TITLE, f"Giấy phép: {terms.line()}", "vi", datetime.fromisoformat(generated))
