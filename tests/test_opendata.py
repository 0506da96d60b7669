"""Open data: JSON valid against its published schema, CSV with BOM, XLSX, Atom, schema copies."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openpyxl import load_workbook
from sangkien.site import opendata
from sangkien.site.opendata import OpenDataError, write_open_data
from sangkien.validator import load

ROOT = Path(__file__).resolve().parents[1]
ATOM = "{http://www.w3.org/2005/Atom}"
NOW = "2024-09-15T10:00:00+07:00"

DECISIONS = """\
campaign: chau-thanh-2024
recognitions:
  - number: 1500/QĐ-UBND
    date: "2024-08-01"
    issuer: UBND huyện Châu Thành
    signer: KT. Chủ tịch, Phó Chủ tịch
    level: co-so
    entries:
      - entry: so-hoa-ho-so-mot-cua-xa
      - entry: cong-thuc-excel
revocations:
  - number: 1600/QĐ-UBND
    date: "2024-09-01"
    issuer: UBND huyện Châu Thành
    signer: Chủ tịch
    decision: 1500/QĐ-UBND
    entries: [bi-thu-hoi]
    reason: Trùng với sáng kiến đã được công nhận trước đó.
"""


def _entry(source: str, eid: str, title: str) -> str:
    text = source.replace("id: so-hoa-ho-so-mot-cua-xa", f"id: {eid}")
    return text.replace("title: Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long", f"title: {title}")


@pytest.fixture(scope="module")
def kho(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's units and first campaign, with one entry recognised, one revoked, one not decided."""
    root = tmp_path_factory.mktemp("kho")
    shutil.copytree(ROOT / "schema", root / "schema")
    (root / "entries" / "chau-thanh-2024").mkdir(parents=True)
    shutil.copy2(ROOT / "entries" / "units.yaml", root / "entries" / "units.yaml")
    shutil.copy2(ROOT / "entries" / "chau-thanh-2024" / "campaign.yaml", root / "entries" / "chau-thanh-2024" / "campaign.yaml")
    source = (ROOT / "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md").read_text(encoding="utf-8")
    folder = root / "entries/chau-thanh-2024/tn-ct-thanh-long"
    folder.mkdir()
    (folder / "so-hoa-ho-so-mot-cua-xa.md").write_text(source, encoding="utf-8")
    # a title that a spreadsheet would take for a formula
    (folder / "cong-thuc-excel.md").write_text(_entry(source, "cong-thuc-excel", '"=HYPERLINK(\\"http://x.invalid\\",\\"bấm vào đây\\")"'), encoding="utf-8")
    (folder / "bi-thu-hoi.md").write_text(_entry(source, "bi-thu-hoi", "Sáng kiến có quyết định công nhận đã bị thu hồi"), encoding="utf-8")
    (folder / "chua-xet.md").write_text(_entry(source, "chua-xet", "Sáng kiến chưa được Hội đồng xét công nhận"), encoding="utf-8")
    (root / "entries/chau-thanh-2024/decisions.yaml").write_text(DECISIONS.replace(
        "      - entry: cong-thuc-excel\n", "      - entry: cong-thuc-excel\n      - entry: bi-thu-hoi\n"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(kho: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    site = tmp_path_factory.mktemp("site")
    mp = pytest.MonkeyPatch()
    mp.setenv("SANGKIEN_NOW", NOW)
    try:
        written = write_open_data(load(kho).repo, site, lambda e: f"sang-kien/{e.id}/", "https://sangkien.example.gov.vn/", kho / "schema")
    finally:
        mp.undo()
    return site, written


def test_writes_exactly_the_contracted_files(built: tuple[Path, list[str]], kho: Path) -> None:
    site, written = built
    schemas = sorted(f"schema/{p.name}" for p in (kho / "schema").glob("*.schema.json"))
    assert written == ["du-lieu/sang-kien.json", "du-lieu/sang-kien.csv", "du-lieu/doc-truoc.txt", "du-lieu/sang-kien.xlsx",
                       "du-lieu/moi-cong-nhan.xml", *schemas]
    assert "schema/catalogue.schema.json" in schemas and "schema/entry.schema.json" in schemas
    for rel in written:
        assert (site / rel).is_file(), rel
    for rel in schemas:
        assert (site / rel).read_bytes() == (kho / rel).read_bytes()


def test_json_validates_against_published_schema(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    document = json.loads((site / "du-lieu/sang-kien.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "schema/catalogue.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"] == "urn:sangkien:schema:catalogue:1"
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(document)
    assert document["generated"] == NOW and document["count"] == 2
    assert document["schema"] == "https://sangkien.example.gov.vn/schema/catalogue.schema.json"
    rows = {r["id"]: r for r in document["entries"]}
    assert set(rows) == {"so-hoa-ho-so-mot-cua-xa", "cong-thuc-excel"}  # revoked and undecided are left out
    row = rows["so-hoa-ho-so-mot-cua-xa"]
    assert row["unit"] == {"id": "tn-ct-thanh-long", "name": "UBND xã Thành Long"}
    assert row["province"]["name"] == "UBND tỉnh Tây Ninh"
    assert row["campaign"]["id"] == "chau-thanh-2024"
    assert {"code": "thu-tuc-hanh-chinh", "label": "Cải cách thủ tục hành chính, cơ chế một cửa"} in row["areas"]
    assert row["indices"][0]["code"] == "PAR-INDEX" and "PAR INDEX" in row["indices"][0]["label"]
    assert row["solution_type"] == {"code": "tac-nghiep", "label": "Giải pháp tác nghiệp"}
    assert row["level"] == {"code": "co-so", "label": "Cấp cơ sở"}
    assert row["decision"] == {"number": "1500/QĐ-UBND", "date": "2024-08-01", "issuer": "UBND huyện Châu Thành",
                               "signer": "KT. Chủ tịch, Phó Chủ tịch", "tier": None}
    assert row["results"][0] == {"indicator": "Thời gian trả kết quả chứng thực bản sao", "baseline": 2, "result": 0.5, "unit": "ngày",
                                 "better": "thap-hon", "period": "Quý I/2024 so với quý IV/2023"}
    assert row["replications"] == 0 and row["illustrative"] is True
    assert row["url"] == "https://sangkien.example.gov.vn/sang-kien/so-hoa-ho-so-mot-cua-xa/"


def test_catalogue_schema_is_vietnamese_everywhere() -> None:
    schema = json.loads((ROOT / "schema/catalogue.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    missing = []

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            if any(k in node for k in ("type", "$ref", "oneOf", "anyOf", "const")):
                for key in ("title", "description"):
                    if not str(node.get(key, "")).strip():
                        missing.append(f"{path}: {key}")
            for key, value in node.items():
                if key in ("properties", "$defs"):
                    for name, sub in value.items():
                        walk(sub, f"{path}/{name}")
                elif key in ("items", "anyOf", "oneOf"):
                    for i, sub in enumerate(value if isinstance(value, list) else [value]):
                        walk(sub, f"{path}/{key}[{i}]")

    walk(schema, "")
    assert missing == []
    assert any(ch in schema["title"] for ch in "ạảãáàâấầẩẫậăắằẳẵặđêếềểễệôốồổỗộơớờởỡợưứừửữự")


def test_csv_has_bom_vietnamese_headers_and_parses(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    raw = (site / "du-lieu/sang-kien.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2
    by_id = {r["Mã sáng kiến"]: r for r in rows}
    row = by_id["so-hoa-ho-so-mot-cua-xa"]
    assert row["Tên sáng kiến"] == "Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long"
    assert row["Số quyết định"] == "1500/QĐ-UBND" and row["Ngày quyết định"] == "2024-08-01"
    assert "2 → 0,5 ngày" in row["Kết quả đo được (trước → sau)"]
    assert row["Bài minh họa"] == "Có"
    # a formula-like title is published as text, not run by Excel
    assert by_id["cong-thuc-excel"]["Tên sáng kiến"].startswith("'=HYPERLINK(")


def test_xlsx_opens_with_rows_frozen_header_and_widths(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    book = load_workbook(site / "du-lieu/sang-kien.xlsx")
    assert book.sheetnames == ["Sáng kiến", "Kết quả đo được", "Thông tin"]
    sheet = book["Sáng kiến"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Mã sáng kiến", "Tên sáng kiến", "Tóm tắt"] and "Số quyết định" in headers
    assert sheet.freeze_panes == "A2" and sheet[1][0].font.bold
    assert sheet.column_dimensions["B"].width == 60
    assert sheet.max_row == 3
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    row = values["so-hoa-ho-so-mot-cua-xa"]
    assert row[1] == "Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long"
    assert row[headers.index("Ngày quyết định")].date() == date(2024, 8, 1)
    url_col = headers.index("Đường dẫn")
    linked = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "so-hoa-ho-so-mot-cua-xa"][0][url_col]
    assert linked.hyperlink.target == "https://sangkien.example.gov.vn/sang-kien/so-hoa-ho-so-mot-cua-xa/"
    formula = sheet.cell(row=[r[0].value for r in sheet.iter_rows(min_row=1)].index("cong-thuc-excel") + 1, column=2)
    assert formula.data_type == "s" and formula.value.startswith("'=")
    results = list(book["Kết quả đo được"].iter_rows(min_row=2, values_only=True))
    assert ("so-hoa-ho-so-mot-cua-xa", "Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long",
            "Thời gian trả kết quả chứng thực bản sao", 2, 0.5, "ngày", "Thấp hơn là tốt hơn", "Quý I/2024 so với quý IV/2023") in results


def test_atom_feed_is_valid_with_one_entry_per_recognised_initiative(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    raw = (site / "du-lieu/moi-cong-nhan.xml").read_bytes()
    assert raw.startswith(b"<?xml")
    feed = ET.fromstring(raw)
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://sangkien.example.gov.vn/du-lieu/moi-cong-nhan.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = set()
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{ATOM}{tag}") or "").strip(), tag
        assert entry.find(f"{ATOM}link").get("href").startswith("https://sangkien.example.gov.vn/sang-kien/")
        assert entry.findtext(f"{ATOM}updated") == "2024-08-01T00:00:00+07:00"
        ids.add(entry.findtext(f"{ATOM}id"))
    assert ids == {"urn:sangkien:sang-kien:so-hoa-ho-so-mot-cua-xa", "urn:sangkien:sang-kien:cong-thuc-excel"}
    assert feed.findtext(f"{ATOM}updated") == "2024-08-01T00:00:00+07:00"
    # the formula-like title is plain text in XML (escaped, not interpreted)
    assert any(e.findtext(f"{ATOM}title").startswith("=HYPERLINK(") for e in entries)


def test_without_site_url_links_are_relative(kho: Path, tmp_path: Path) -> None:
    write_open_data(load(kho).repo, tmp_path, lambda e: f"sang-kien/{e.id}/", "", kho / "schema")
    document = json.loads((tmp_path / "du-lieu/sang-kien.json").read_text(encoding="utf-8"))
    assert document["entries"][0]["url"].startswith("sang-kien/")
    feed = ET.fromstring((tmp_path / "du-lieu/moi-cong-nhan.xml").read_bytes())
    assert feed.findtext(f"{ATOM}id") == "urn:sangkien:feed:moi-cong-nhan"
    assert all(e.find(f"{ATOM}link").get("href").startswith("../sang-kien/") for e in feed.findall(f"{ATOM}entry"))


def test_data_not_matching_the_schema_is_refused_in_vietnamese(kho: Path, tmp_path: Path) -> None:
    schema_dir = tmp_path / "schema"
    shutil.copytree(kho / "schema", schema_dir)
    schema = json.loads((schema_dir / "catalogue.schema.json").read_text(encoding="utf-8"))
    schema["$defs"]["entry"]["properties"]["title"]["maxLength"] = 5  # a stricter schema than the data
    (schema_dir / "catalogue.schema.json").write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(OpenDataError, match="không khớp lược đồ catalogue.schema.json tại «entries/0/title» \\(bài «"):
        write_open_data(load(kho).repo, tmp_path / "site", lambda e: f"sang-kien/{e.id}/", "", schema_dir)
    assert not (tmp_path / "site" / "du-lieu").exists()


def test_every_row_is_checked_and_the_refused_row_is_named(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    document = json.loads((site / "du-lieu/sang-kien.json").read_text(encoding="utf-8"))
    rows = [{**document["entries"][0], "id": f"sk-{i}"} for i in range(10)]
    document = {**document, "entries": rows, "count": 10}
    opendata.check_document(document)
    rows[7] = {**rows[7], "title": 123}
    with pytest.raises(OpenDataError, match="tại «entries/7/title» \\(bài «sk-7»\\)"):
        opendata.check_document(document)
    opendata.check_document(document, known=[7])  # a row accepted by the last build is not checked again
    document["count"] = "mười"  # the document's head is always checked
    with pytest.raises(OpenDataError, match="tại «count»"):
        opendata.check_document(document, known=[7])


def test_the_build_time_is_checked_as_a_date_time_on_every_install(built: tuple[Path, list[str]]) -> None:
    """rfc3339-validator is a dependency: without it jsonschema would pass any text as a date-time."""
    site, _ = built
    document = json.loads((site / "du-lieu/sang-kien.json").read_text(encoding="utf-8"))
    assert "date-time" in FormatChecker().checkers
    opendata.check_document(document)
    with pytest.raises(OpenDataError, match="tại «generated»"):
        opendata.check_document({**document, "generated": "06/12/2026 10:00"})


def test_xlsx_drops_control_characters_that_excel_refuses(built: tuple[Path, list[str]]) -> None:
    site, _ = built
    row = json.loads((site / "du-lieu/sang-kien.json").read_text(encoding="utf-8"))["entries"][0]
    data = opendata.xlsx_bytes([{**row, "title": "Một\x07 cửa\x0b số"}], NOW)
    assert load_workbook(io.BytesIO(data))["Sáng kiến"]["B2"].value == "Một cửa số"


def test_entry_with_schema_errors_is_refused_with_its_name_not_a_traceback(kho: Path, tmp_path: Path) -> None:
    repo = load(kho).repo
    repo.entries["so-hoa-ho-so-mot-cua-xa"].data.update(areas=[{"sai": 1}], keywords="một cửa",
                                                        results=[{"indicator": "Thời gian", "baseline": "hai", "result": 1, "unit": "ngày"}])
    repo.campaigns["chau-thanh-2024"].data["rubric"] = "không phải thang điểm"
    with pytest.raises(OpenDataError, match="bài «so-hoa-ho-so-mot-cua-xa»"):
        write_open_data(repo, tmp_path, lambda e: f"sang-kien/{e.id}/", "", kho / "schema")


def test_bad_build_time_is_a_vietnamese_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANGKIEN_NOW", "25/06/2024")
    with pytest.raises(OpenDataError, match="SANGKIEN_NOW='25/06/2024' không phải thời điểm hợp lệ"):
        opendata.generated_at()
    monkeypatch.setenv("SANGKIEN_NOW", "2024-06-25T17:00:00Z")
    assert opendata.generated_at().isoformat() == "2024-06-26T00:00:00+07:00"


def test_the_repository_itself_exports_valid_data(tmp_path: Path) -> None:
    loaded = load(ROOT)
    written = write_open_data(loaded.repo, tmp_path, lambda e: f"sang-kien/{e.id}/", "", ROOT / "schema")
    document = json.loads((tmp_path / written[0]).read_text(encoding="utf-8"))
    assert document["count"] == len(loaded.repo.recognised_initiatives())
    assert all(r["illustrative"] for r in document["entries"])  # the seed data is all illustrative


def test_export_schema_says_every_field_is_plain_text_and_site_scripts_never_parse_data_as_html():
    """Issue 13: consumers are told to insert values as text; the site's own scripts do so."""
    schema = json.loads((ROOT / "schema" / "catalogue.schema.json").read_text(encoding="utf-8"))
    assert "văn bản thuần" in schema["description"] and "textContent" in schema["description"]
    assets = ROOT / "tools" / "sangkien" / "site" / "assets"
    for script in sorted(assets.rglob("*.js")):
        if "vendor" in script.parts:
            continue
        for number, line in enumerate(script.read_text(encoding="utf-8").split("\n"), start=1):
            if re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", line):
                # the form's preview is the only one: the body through markdown.js's escaping renderer (test_form_browser)
                assert script.name == "form.js" and "renderMarkdown(" in line, f"{script.name}:{number}: {line.strip()}"
