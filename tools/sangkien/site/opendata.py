"""Open data of the catalogue: every recognised initiative as JSON, CSV, XLSX and an Atom feed.

The JSON is the reference and is checked against `schema/catalogue.schema.json` before anything
is written, so what is published always matches the schema published beside it. CSV and XLSX
carry the same rows, flattened, with Vietnamese headers; the feed lists the newest recognitions.
No MkDocs here: the plugin calls `write_open_data` after the build.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator, FormatChecker
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from sangkien import schemas, settings, vntime
from sangkien.model import Entry, Repository
from sangkien.site.licence import DEFAULT as DEFAULT_LICENCE
from sangkien.site.licence import Licence

OUT_DIR = "du-lieu"
JSON_FILE, CSV_FILE, XLSX_FILE, FEED_FILE = "sang-kien.json", "sang-kien.csv", "sang-kien.xlsx", "moi-cong-nhan.xml"
NOTE_FILE = "doc-truoc.txt"  # beside the CSV: licence, encoding and separator (the CSV itself keeps one header row)
CATALOGUE_SCHEMA = "catalogue.schema.json"
SCHEMA_ID = "urn:sangkien:schema:catalogue:1"
CHECK_ALL = 2000  # rows checked against the schema before publishing (all of them up to this many)
FEED_LIMIT = 500  # newest recognitions in the feed; readers poll it, they do not archive from it
ATOM = "http://www.w3.org/2005/Atom"


class OpenDataError(Exception):
    """Raised with a Vietnamese message when the published data would not match its schema."""


# ----------------------------------------------------------------- what is published
@lru_cache(maxsize=16)
def _schema_file(directory: str, kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((Path(directory) / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return schema


def enum_labels(kind: str, defname: str, schema_dir: Path | None = None) -> dict[str, str]:
    """code -> Vietnamese title of an enumeration in `$defs` of a schema ('entry', 'area')."""
    directory = Path(schema_dir) if schema_dir and (Path(schema_dir) / f"{kind}.schema.json").is_file() else schemas.PACKAGED
    schema = _schema_file(str(directory), kind)
    return dict(schemas.choices(schema, schema.get("$defs", {}).get(defname, {})))


def generated_at() -> datetime:
    """Build time, Vietnam time; SANGKIEN_NOW (ISO 8601 with offset) wins so builds are reproducible."""
    try:
        at = settings.now()
    except settings.SettingError as err:
        raise OpenDataError(str(err)) from err
    return at.astimezone(vntime.ICT).replace(microsecond=0)


def _page_url(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + path if site_url else path


def _listed(value: object) -> list[Any]:
    """A list field, or nothing: an entry with schema errors still reaches the model."""
    return value if isinstance(value, list) else []


def _coded(code: object, labels: dict[str, str]) -> dict[str, str] | None:
    return {"code": str(code), "label": labels.get(str(code), str(code))} if code else None


def catalogue_rows(repo: Repository, url_of: Callable[[Entry], str], site_url: str = "", schema_dir: Path | None = None) -> list[dict[str, Any]]:
    areas = enum_labels("entry", "area", schema_dir)
    indices = enum_labels("entry", "index", schema_dir)
    types = enum_labels("entry", "solution_type", schema_dir)
    levels = enum_labels("decisions", "recognition_level", schema_dir)
    rows: list[dict[str, Any]] = []
    for entry, rec, line in repo.recognised_initiatives():
        data = entry.data
        unit = repo.units.get(entry.unit or "")
        province = repo.province_of(entry.unit)
        campaign = repo.campaigns.get(entry.campaign or "")
        rubric = campaign.data.get("rubric") if campaign else None
        tiers = {str(t.get("id")): str(t.get("name")) for t in _listed(rubric.get("tiers") if isinstance(rubric, dict) else None) if isinstance(t, dict)}
        decision = {"number": rec.number, "date": rec.day.isoformat() if rec.day else None,
                    "issuer": str(rec.data.get("issuer") or ""), "signer": str(rec.data.get("signer") or ""),
                    "tier": _coded(line.get("tier"), tiers)}
        results: list[dict[str, Any]] = []
        for r in _listed(data.get("results")):
            if isinstance(r, dict):
                results.append({"indicator": str(r.get("indicator", "")), "baseline": r.get("baseline"), "result": r.get("result"),
                                "unit": str(r.get("unit", "")), "better": str(r.get("better") or "thap-hon"),
                                "period": str(r["period"]) if r.get("period") else None})
        rows.append({
            "id": entry.id,
            "title": entry.title,
            "summary": str(data.get("summary") or ""),
            "field": str(data.get("field") or ""),
            "keywords": [str(k) for k in _listed(data.get("keywords"))],
            "campaign": {"id": str(entry.campaign or ""), "title": campaign.title if campaign else str(entry.campaign or "")},
            "unit": {"id": str(entry.unit or ""), "name": unit.name if unit else str(entry.unit or "")},
            "province": {"id": province.id, "name": province.name} if province else None,
            "areas": [_coded(a, areas) for a in _listed(data.get("areas")) if a],
            "indices": [_coded(i, indices) for i in _listed(data.get("indices")) if i],
            "solution_type": _coded(data.get("solution_type"), types),
            "level": _coded(rec.level, levels),
            "decision": decision,
            "submitted": entry.submitted.isoformat() if entry.submitted else None,
            "first_applied": data.get("first_applied") if isinstance(data.get("first_applied"), str) else None,
            "results": results,
            "replications": len(repo.replications_of(entry.id)),
            "url": _page_url(site_url, url_of(entry)),
            "illustrative": entry.illustrative,
        })
    return rows


def catalogue_document(repo: Repository, url_of: Callable[[Entry], str], site_url: str = "", schema_dir: Path | None = None,
                       at: datetime | None = None, licence: Licence | None = None) -> dict[str, Any]:
    rows = catalogue_rows(repo, url_of, site_url, schema_dir)
    terms = licence or DEFAULT_LICENCE
    return {
        "schema": _page_url(site_url, f"schema/{CATALOGUE_SCHEMA}") if site_url else f"../schema/{CATALOGUE_SCHEMA}",
        "title": "Danh mục sáng kiến, giải pháp cải cách hành chính đã được công nhận",
        "generated": (at or generated_at()).isoformat(),
        "licence": {"id": terms.id, "name": terms.name, "url": terms.url},
        "count": len(rows),
        "entries": rows,
    }


def check_document(document: dict[str, Any], schema_dir: Path | None = None) -> None:
    """Refuse to publish a document that its own schema rejects.

    jsonschema needs ~2-3 ms per row; above CHECK_ALL rows an evenly spread sample is checked
    (the rows are all made by catalogue_rows, so a shape error shows in any of them)."""
    directory = Path(schema_dir) if schema_dir and (Path(schema_dir) / CATALOGUE_SCHEMA).is_file() else schemas.PACKAGED
    schema = json.loads((directory / CATALOGUE_SCHEMA).read_text(encoding="utf-8"))
    found = document.get("entries")
    rows: list[Any] = found if isinstance(found, list) else []
    picked = list(range(len(rows)))
    if len(picked) > CHECK_ALL:
        picked = [int(i * len(rows) / CHECK_ALL) for i in range(CHECK_ALL)]
        document = {**document, "entries": [rows[i] for i in picked], "count": CHECK_ALL}
    errors = sorted(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        first = errors[0]
        path = list(first.absolute_path)
        entry = ""
        if len(path) > 1 and path[0] == "entries" and isinstance(path[1], int):
            path[1] = picked[path[1]]
            entry = f" (bài «{rows[path[1]].get('id')}»)" if isinstance(rows[path[1]], dict) else ""
        where = "/".join(str(p) for p in path) or "(gốc)"
        raise OpenDataError(f"Dữ liệu mở du-lieu/{JSON_FILE} không khớp lược đồ {CATALOGUE_SCHEMA} tại «{where}»{entry}: {first.message}. "
                            f"Có {len(errors)} lỗi; kiểm tra lại lược đồ schema/{CATALOGUE_SCHEMA} hoặc dữ liệu của bài tương ứng.")


# ----------------------------------------------------------------- flat tables (CSV, XLSX)
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


COLUMNS: list[tuple[str, int, Callable[[dict[str, Any]], object]]] = [
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


def _safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _w, _get in COLUMNS])
    for row in rows:
        writer.writerow([_safe_cell(get(row)) for _name, _w, get in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def xlsx_bytes(rows: list[dict[str, Any]], generated: str, licence: Licence | None = None, site_url: str = "") -> bytes:
    # write-only mode streams rows: the normal mode slows down quadratically at thousands of rows
    terms = licence or DEFAULT_LICENCE
    book = Workbook(write_only=True)
    book.properties.title = "Danh mục sáng kiến cải cách hành chính đã được công nhận"
    book.properties.description = f"Giấy phép: {terms.line()}"
    book.properties.language = "vi"
    names = [n for n, _w, _g in COLUMNS]
    url_col, date_col = names.index("Đường dẫn"), names.index("Ngày quyết định")

    def entry_cells(sheet: WriteOnlyWorksheet, row: dict[str, Any]) -> list[object]:
        cells = [_text_cell(get(row)) for _n, _w, get in COLUMNS]
        if row["url"].startswith(("https://", "http://")):
            link = WriteOnlyCell(sheet, value=cast(str, cells[url_col]))  # the URL, a string that _text_cell left as it was
            link.hyperlink = row["url"]
            cells[url_col] = link
        if row["decision"]["date"]:
            # openpyxl writes a date; the stub of WriteOnlyCell allows only datetime
            day = WriteOnlyCell(sheet, value=date.fromisoformat(row["decision"]["date"]))  # type: ignore[arg-type]
            day.number_format = "DD/MM/YYYY"
            cells[date_col] = day
        return cells

    sheet = _table(book, "Sáng kiến", [(n, w) for n, w, _g in COLUMNS], len(rows))
    for row in rows:
        sheet.append(entry_cells(sheet, row))
    measured = [(r, x) for r in rows for x in r["results"]]
    results = _table(book, "Kết quả đo được", RESULT_COLUMNS, len(measured))
    for r, x in measured:
        results.append([_text_cell(v) for v in (r["id"], r["title"], x["indicator"], x["baseline"], x["result"], x["unit"],
                                                          BETTER.get(x["better"], x["better"]), x["period"] or "")])
    about = book.create_sheet("Thông tin")
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 22, 80
    for line in (("Nội dung", "Danh mục sáng kiến, giải pháp cải cách hành chính đã được công nhận"),
                 ("Thời điểm tạo", generated), ("Số sáng kiến", len(rows)),
                 ("Giấy phép", terms.name), ("Văn bản giấy phép", terms.url),
                 ("Lược đồ dữ liệu", _page_url(site_url, f"schema/{CATALOGUE_SCHEMA}"))):
        about.append([_text_cell(v) for v in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(value: object) -> object:
    """A plain value is cheapest; text is made safe: no formula, no control character XLSX refuses."""
    if not isinstance(value, str):
        return value
    return _safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))  # after _safe_cell nothing starts with "=": never a formula


def _table(book: Workbook, title: str, columns: list[tuple[str, int]], count: int) -> WriteOnlyWorksheet:
    """A sheet with a bold, wrapped header row that stays in view, column widths and a filter."""
    # Any in the stubs; in write-only mode a WriteOnlyWorksheet, which has Worksheet's column_dimensions and
    # auto_filter (its stub does not list them)
    sheet = book.create_sheet(title)
    for i, (_name, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    if count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    header = []
    for name, _w in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    return cast(WriteOnlyWorksheet, sheet)


# ----------------------------------------------------------------- Atom feed
def _instant(day: str | None, fallback: str) -> str:
    return vntime.start_of(date.fromisoformat(day)).isoformat() if day else fallback


def feed_bytes(rows: list[dict[str, Any]], site_url: str, generated: str, licence: Licence | None = None) -> bytes:
    """Atom 1.0 (RFC 4287): newest recognitions first, at most FEED_LIMIT entries."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    shown = rows[:FEED_LIMIT]
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "vi"})
    sub(feed, "id", _page_url(site_url, f"{OUT_DIR}/{FEED_FILE}") if site_url else "urn:sangkien:feed:moi-cong-nhan")
    sub(feed, "title", "Sáng kiến cải cách hành chính mới được công nhận")
    sub(feed, "subtitle", "Các sáng kiến, giải pháp cải cách hành chính vừa có quyết định công nhận, mới nhất trước.")
    sub(feed, "updated", max((_instant(r["decision"]["date"], generated) for r in shown), default=generated))
    sub(sub(feed, "author"), "name", "Cơ quan tổ chức phong trào sáng kiến cải cách hành chính")
    sub(feed, "generator", "sangkien")
    sub(feed, "rights", f"Giấy phép: {(licence or DEFAULT_LICENCE).line()}", type="text")
    if site_url:
        sub(feed, "link", rel="self", type="application/atom+xml", href=_page_url(site_url, f"{OUT_DIR}/{FEED_FILE}"))
        sub(feed, "link", rel="alternate", type="text/html", href=_page_url(site_url, "sang-kien/"))
    for row in shown:
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:sangkien:sang-kien:{row['id']}")
        sub(entry, "title", row["title"])
        # without a site URL the link is relative to the feed, which sits in du-lieu/
        sub(entry, "link", rel="alternate", type="text/html", href=row["url"] if site_url else "../" + row["url"])
        when = _instant(row["decision"]["date"], generated)
        sub(entry, "published", when)
        sub(entry, "updated", when)
        if row["decision"]["issuer"]:
            sub(sub(entry, "author"), "name", row["decision"]["issuer"])
        place = ", ".join(x for x in (row["unit"]["name"], row["province"]["name"] if row["province"] else "") if x)
        level = f", {row['level']['label'].lower()}" if row["level"] else ""
        decision = f"Công nhận theo Quyết định số {row['decision']['number']}{level}. "
        sub(entry, "summary", f"{place}. {decision}{row['summary']}", type="text")
        for area in row["areas"]:
            sub(entry, "category", term=area["code"], label=area["label"])
    tree = ET.ElementTree(feed)
    ET.indent(tree)
    out = io.BytesIO()
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return out.getvalue()


# ----------------------------------------------------------------- writing
def csv_note(licence: Licence | None, generated: str, count: int, site_url: str = "") -> bytes:
    """The note published beside the CSV (the CSV keeps its single header row)."""
    terms = licence or DEFAULT_LICENCE
    lines = [
        "Danh mục sáng kiến, giải pháp cải cách hành chính đã được công nhận",
        f"Tệp dữ liệu: {_page_url(site_url, f'{OUT_DIR}/{CSV_FILE}')} ({count} sáng kiến, tạo lúc {generated})",
        f"Giấy phép: {terms.name}",
        f"Văn bản giấy phép: {terms.url}",
        "Khi dùng lại dữ liệu, ghi rõ nguồn là cơ quan tổ chức và đường dẫn trang của từng sáng kiến.",
        "",
        "Mã ký tự UTF-8 (có BOM), các cột ngăn bằng dấu phẩy (,), mỗi sáng kiến một dòng, dòng đầu là tên cột.",
        "Excel trên Windows cài đặt vùng Việt Nam dùng dấu chấm phẩy (;) để ngăn cột: mở tệp CSV bằng cách bấm đúp có thể",
        "dồn cả dòng vào một cột. Khi đó dùng tệp sang-kien.xlsx, hoặc trong Excel chọn Dữ liệu > Từ Văn bản/CSV,",
        "chọn Mã hóa 65001: Unicode (UTF-8) và Dấu tách: Dấu phẩy.",
        f"Mẫu dữ liệu: {_page_url(site_url, f'schema/{CATALOGUE_SCHEMA}')}",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def write_open_data(repo: Repository, site_dir: Path, url_of: Callable[[Entry], str], site_url: str, schema_dir: Path,
                    licence: Licence | None = None) -> list[str]:
    """Write the exports and the schema copies under `site_dir`; return their site-relative paths."""
    site_dir = Path(site_dir)
    document = catalogue_document(repo, url_of, site_url or "", schema_dir, licence=licence)
    check_document(document, schema_dir)
    rows, generated = document["entries"], document["generated"]
    files = {
        f"{OUT_DIR}/{JSON_FILE}": json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n",
        f"{OUT_DIR}/{CSV_FILE}": csv_bytes(rows),
        f"{OUT_DIR}/{NOTE_FILE}": csv_note(licence, generated, len(rows), site_url or ""),
        f"{OUT_DIR}/{XLSX_FILE}": xlsx_bytes(rows, generated, licence, site_url or ""),
        f"{OUT_DIR}/{FEED_FILE}": feed_bytes(rows, site_url or "", generated, licence),
    }
    for rel, data in files.items():
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    written = list(files)
    for source in sorted(Path(schema_dir).glob("*.schema.json")):
        target = site_dir / "schema" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(f"schema/{source.name}")
    return written
