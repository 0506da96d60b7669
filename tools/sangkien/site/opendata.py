"""Open data of the catalogue: every recognised initiative as JSON, CSV, XLSX and an Atom feed.

The JSON is the reference and is checked against `schema/catalogue.schema.json` before anything
is written, so what is published always matches the schema published beside it. CSV and XLSX
carry the same rows, flattened, with Vietnamese headers (opendata_tables.py); the feed lists the
newest recognitions. Each row is known by the digest of its JSON text: with the site build's
cache, the check of a row, its CSV lines and XLSX rows are reused while that text, the schema
and the code stay the same (exportcache.py). No MkDocs here: the exports process calls
`write_open_data` (site/exports.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sangkien import schemas, settings, vntime
from sangkien.model import Entry, Repository
from sangkien.site import opendata_tables as tables
from sangkien.site.exportcache import DIGEST, ExportCache
from sangkien.site.licence import DEFAULT as DEFAULT_LICENCE
from sangkien.site.licence import Licence
from sangkien.site.opendata_check import CATALOGUE_SCHEMA, OpenDataError, check_document, check_key
from sangkien.site.opendata_tables import COLUMNS, RESULT_COLUMNS, csv_bytes

__all__ = ["COLUMNS", "RESULT_COLUMNS", "CATALOGUE_SCHEMA", "OpenDataError", "check_document", "csv_bytes", "write_open_data"]

OUT_DIR = "du-lieu"
JSON_FILE, CSV_FILE, XLSX_FILE, FEED_FILE = "sang-kien.json", "sang-kien.csv", "sang-kien.xlsx", "moi-cong-nhan.xml"
NOTE_FILE = "doc-truoc.txt"  # beside the CSV: licence, encoding and separator (the CSV itself keeps one header row)
SCHEMA_ID = "urn:sangkien:schema:catalogue:1"
FEED_LIMIT = 500  # newest recognitions in the feed; readers poll it, they do not archive from it
ATOM = "http://www.w3.org/2005/Atom"


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


def catalogue_json(document: dict[str, Any], fragments: Sequence[bytes]) -> bytes:
    """The document as json.dumps(document, ensure_ascii=False, separators=(",", ":")) writes it, plus
    a line end, from the rows' JSON texts already made (`entries` is the document's last key)."""
    head = {k: v for k, v in document.items() if k != "entries"}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return text[:-1] + b',"entries":[' + b",".join(fragments) + b"]}\n"


def xlsx_bytes(rows: Sequence[dict[str, Any]], generated: str, licence: Licence | None = None, site_url: str = "",
               digests: Sequence[bytes] | None = None, store: ExportCache | None = None) -> bytes:
    """The workbook of the rows (opendata_tables.xlsx_bytes), its «Thông tin» sheet naming the schema."""
    return tables.xlsx_bytes(rows, generated, licence, site_url, digests, store, _page_url(site_url, f"schema/{CATALOGUE_SCHEMA}"))


def _licence_key(licence: Licence | None) -> str:
    terms = licence or DEFAULT_LICENCE
    return f"{terms.id}\0{terms.name}\0{terms.url}"


def write_open_data(repo: Repository, site_dir: Path, url_of: Callable[[Entry], str], site_url: str, schema_dir: Path,
                    licence: Licence | None = None, cache_dir: Path | None = None) -> list[str]:
    """Write the exports and the schema copies under `site_dir`; return their site-relative paths.
    With `cache_dir` (this export's own folder) the work whose inputs did not change since the
    last build is taken from there (exportcache.py); the files are the same either way."""
    site_dir, site_url = Path(site_dir), site_url or ""
    document = catalogue_document(repo, url_of, site_url, schema_dir, licence=licence)
    rows, generated = document["entries"], document["generated"]
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one encoder: json.dumps makes one per call
    fragments = [encode(r).encode("utf-8") for r in rows]
    digests = [hashlib.blake2b(f, digest_size=DIGEST).digest() for f in fragments]  # a row is known by its JSON text
    store = ExportCache(cache_dir)
    schema = check_key(schema_dir)
    accepted = store.valid_rows(schema)
    check_document(document, schema_dir, known=[i for i, d in enumerate(digests) if d in accepted])
    store.remember_valid(schema, digests, accepted)
    terms = _licence_key(licence)
    shown = rows[:FEED_LIMIT]
    feed_inputs: list[bytes | str] = [site_url, terms, *digests[:FEED_LIMIT]]
    if not shown or not all(r["decision"]["date"] for r in shown):
        feed_inputs.append(generated)  # the feed's dates fall back on the build time
    files = {
        f"{OUT_DIR}/{JSON_FILE}": catalogue_json(document, fragments),
        f"{OUT_DIR}/{CSV_FILE}": tables.csv_bytes(rows, digests, store),
        f"{OUT_DIR}/{NOTE_FILE}": csv_note(licence, generated, len(rows), site_url),
        f"{OUT_DIR}/{XLSX_FILE}": xlsx_bytes(rows, generated, licence, site_url, digests, store),
        f"{OUT_DIR}/{FEED_FILE}": store.output(FEED_FILE, feed_inputs, lambda: feed_bytes(rows, site_url, generated, licence)),
    }
    for rel, data in files.items():
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    store.finish()
    written = list(files)
    for source in sorted(Path(schema_dir).glob("*.schema.json")):
        target = site_dir / "schema" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(f"schema/{source.name}")
    return written
