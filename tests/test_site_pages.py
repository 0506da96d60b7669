"""The built catalogue site (real `mkdocs build --strict` of a copy of the repository): every page
of the contract exists, links resolve, nothing is loaded from another host, content is right."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, SITE_NOW, build_site, site_copy
from sangkien import schemas, validator, vntime
from sangkien.codes import CODES
from sangkien.site.context import load_site


class Links(HTMLParser):
    """hrefs, srcs and ids of one HTML page (raw-HTML blocks included, unlike MkDocs' own check)."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, name, value))


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def model():
    return load_site(ROOT, vntime.parse_instant(SITE_NOW))


def text_of(path: Path) -> str:
    """Text of the page's content area (no navigation, no table of contents): tags removed,
    entities decoded, spaces collapsed."""
    raw = path.read_text(encoding="utf-8")
    raw = raw.split('class="md-content__inner', 1)[-1].split("<footer", 1)[0]
    raw = re.sub(r"<script.*?</script>|<style.*?</style>", " ", raw, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def test_every_contract_page_exists(built_site: Path, model) -> None:
    pages = ["", "sang-kien/", "dot/", "don-vi/", "thong-ke/", "huong-dan/cac-truong/", "huong-dan/ma-loi/",
             "tim-kiem/", "du-lieu/", "nop-sang-kien/"]
    pages += [f"sang-kien/{x.id}/" for x in model.public_entries()]
    pages += [f"dot/{x}/" for x in model.repo.campaigns]
    pages += [f"don-vi/{x}/" for x in model.repo.units]
    missing = [p for p in pages if not (built_site / p / "index.html").is_file()]
    assert not missing
    hidden = [x.id for x in model.repo.entries.values() if not model.is_public(x)]
    assert hidden and not [x for x in hidden if (built_site / "sang-kien" / x).exists()]  # tests/test_public_policy.py
    if (ROOT / "docs/huong-dan/nop-bai.md").is_file():
        assert (built_site / "huong-dan/nop-bai/index.html").is_file()
    for name in ("sang-kien.json", "sang-kien.csv", "sang-kien.xlsx", "moi-cong-nhan.xml"):
        assert (built_site / "du-lieu" / name).is_file(), name
    assert len(model.repo.entries) >= 10 and len(model.repo.replications) >= 3


@pytest.mark.parametrize("which", ["built_site", "paged_site"])
def test_internal_links_resolve_and_nothing_comes_from_another_host(which: str, request) -> None:
    built_site: Path = request.getfixturevalue(which)
    broken, foreign = [], []
    ids: dict[Path, set[str]] = {}
    pages = sorted(built_site.rglob("*.html"))
    parsed = {p: parse(p) for p in pages}
    for page, links in parsed.items():
        ids[page] = links.ids
    for page, links in parsed.items():
        for tag, attr, value in links.refs:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//"):
                # Links may leave the site; nothing may be *loaded* from elsewhere.
                if attr == "src" or (tag == "link" and parts.scheme in ("http", "https")):
                    foreign.append(f"{page.relative_to(built_site)}: <{tag} {attr}={value}>")
                continue
            if not parts.path:
                target = page
            else:
                # 404.html is served at any depth, so MkDocs writes its links from the site root.
                base = built_site if parts.path.startswith("/") else page.parent
                target = (base / unquote(parts.path).lstrip("/")).resolve()
                if target.is_dir() or parts.path.endswith("/"):
                    target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)} -> {value}")
            elif parts.fragment and target.suffix == ".html" and target in ids and unquote(parts.fragment) not in ids[target]:
                broken.append(f"{page.relative_to(built_site)} -> {value} (no such anchor)")
    assert not broken, broken[:20]
    assert not foreign, foreign[:20]
    assert len(pages) > 60


def test_no_material_search_and_no_google_fonts(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home
    assert 'data-md-component="search"' not in home
    assert not (built_site / "search" / "search_index.json").exists()
    assert 'data-md-component="source"' not in home  # no stars/forks request to the Git host's API
    assert '<html lang="vi"' in home


def test_home_lists_the_open_campaign_with_deadline_and_time_left(built_site: Path, model) -> None:
    text = text_of(built_site / "index.html")
    open_part = text.split("Đợt đang nhận bài", 1)[1].split("Sắp mở", 1)[0]
    assert model.repo.campaigns["chau-thanh-2024"].title in open_part
    # het-ngay 25/6/2024: the last minute is 23:59; from 1/6 09:00 that is 24 days 15 hours away.
    assert "Hạn chót: 25/06/2024 23:59 (giờ Việt Nam) — còn 24 ngày 15 giờ" in open_part
    for other in ("ba-ria-vung-tau-2023", "kcn-hung-yen-2024", "y-te-ninh-thuan-2025"):
        assert model.repo.campaigns[other].title not in open_part
    assert "Sáng kiến mới được công nhận" in text and "Cách nộp sáng kiến" in text


def test_catalogue_lists_recognised_initiatives_only(built_site: Path, model) -> None:
    html = (built_site / "sang-kien/index.html").read_text(encoding="utf-8")
    listed = set(re.findall(r'<h3 class="sk-item__title"><a href="([^"/]+)/"', html))
    recognised = {x.id for x in model.recognised()}
    assert listed == recognised and recognised
    revoked = {x for x in model.repo.entries if model.repo.recognitions(x) and model.repo.recognition(x) is None}
    assert revoked, "the seed data should hold one revoked recognition"
    assert not revoked & listed
    for entry_id in revoked:
        assert "Đã bị thu hồi công nhận" in text_of(built_site / "sang-kien" / entry_id / "index.html")
    for facet in ("linh-vuc", "chi-so", "cap", "don-vi", "tinh", "nam", "dot", "loai", "sap-xep"):
        assert f'name="{facet}"' in html, facet
    assert 'id="sk-filters" hidden' in html  # the form appears only when the script runs


def test_entry_page_card_sections_results_contact_and_replications(built_site: Path, model) -> None:
    entry = model.repo.entries["so-hoa-ho-so-mot-cua-xa"]
    decision, _ = model.repo.recognition(entry.id)
    text = text_of(built_site / "sang-kien" / entry.id / "index.html")
    assert f"Số {decision.number} ngày {vntime.show_date(decision.day)}" in text
    assert "Bài minh họa" in text
    for label in ("Đơn vị", "Tác giả", "Lĩnh vực CCHC", "Chỉ số hướng tới", "Cấp công nhận", "Quyết định công nhận",
                  "Thực trạng", "Giải pháp", "Kết quả đo được", "Điều kiện áp dụng", "Cách nhân rộng và liên hệ", "Đơn vị đã nhân rộng"):
        assert label in text, label
    assert "Nguyễn Thị Minh Hòa" in text and "Đại diện nhóm tác giả, đóng góp 60%" in text
    assert "2 ngày → 0,5 ngày (tốt hơn 75%)" in text
    assert model.repo.units[entry.unit].contact["email"] in text
    for rec in model.replications_of(entry.id):
        assert model.unit_name(rec.unit) in text.split("Đơn vị đã nhân rộng", 1)[1]


def test_a_submission_that_is_not_recognised_has_no_page(built_site: Path, model) -> None:
    pending = [x for x in model.initiatives() if model.repo.recognition(x.id) is None and not model.repo.recognitions(x.id)]
    assert pending
    assert not (built_site / "sang-kien" / pending[0].id).exists()


def test_campaign_page_plan_windows_participation_and_results(built_site: Path, model) -> None:
    camp = model.repo.campaigns["chau-thanh-2024"]
    text = text_of(built_site / "dot/chau-thanh-2024/index.html")
    assert "Đang nhận bài" in text
    assert "15/05/2024 00:00 (giờ Việt Nam)" in text and "25/06/2024 23:59 (giờ Việt Nam)" in text
    assert "299/QĐ-UBND" in text and "UBND huyện Châu Thành" in text
    submitted = {x.unit for x in model.repo.entries_of(camp.id)}
    silent = [u for u in camp.eligible_units if u not in submitted]
    part = text.split("Tình hình tham gia của các đơn vị", 1)[1]
    assert f"/{len(camp.eligible_units)} đơn vị đã nộp đủ số bài tối thiểu" in part
    if silent:
        assert "Đơn vị chưa nộp bài:" in part
        for unit in silent:
            assert model.unit_name(unit) in part.split("Đơn vị chưa nộp bài:", 1)[1].split(".", 1)[0]
    for entry in model.repo.entries_of(camp.id):
        assert (entry.title in text) == model.is_public(entry), entry.id
    assert "Kết quả, khen thưởng" in text and "Quyết định số 1682/QĐ-UBND" in text
    hy = text_of(built_site / "dot/kcn-hung-yen-2024/index.html")
    assert "24/05/2024 23:59 (giờ Việt Nam)" in hy  # "trước ngày 25/5/2024"


def test_unit_page_lists_its_initiatives_and_replications(built_site: Path, model) -> None:
    rec = next(iter(model.repo.replications.values()))
    text = text_of(built_site / "don-vi" / rec.unit / "index.html")
    assert model.unit_name(rec.unit) in text
    assert model.repo.entries[rec.data["initiative"]].title in text
    owner = model.repo.entries[rec.data["initiative"]].unit
    assert model.repo.entries[rec.data["initiative"]].title in text_of(built_site / "don-vi" / owner / "index.html")


def test_statistics_are_inline_svg_charts(built_site: Path, model) -> None:
    html = (built_site / "thong-ke/index.html").read_text(encoding="utf-8")
    for anchor in ("linh-vuc", "cap", "nam", "don-vi", "dot", "nhan-rong"):
        assert f'id="{anchor}"' in html
    assert html.count('<svg class="sk-bar"') >= 10
    assert f"Có {len(model.recognised())} sáng kiến đã được công nhận" in text_of(built_site / "thong-ke/index.html")


def test_guides_are_generated_from_schemas_and_codes(built_site: Path) -> None:
    fields = (built_site / "huong-dan/cac-truong/index.html").read_text(encoding="utf-8")
    for kind in ("entry", "replication", "nomination", "campaign", "decisions", "units"):
        schema = schemas.load_schema(ROOT, kind)
        assert f'id="{kind}"' in fields
        for name, node in schema["properties"].items():
            assert f'id="{kind}-{name}"' in fields, (kind, name)
            title = schemas.resolve(schema, node).get("title")
            if title:
                assert title in unescape(fields), (kind, name)
    assert "Cải cách thủ tục hành chính, cơ chế một cửa" in unescape(fields)  # allowed values with labels
    codes = (built_site / "huong-dan/ma-loi/index.html").read_text(encoding="utf-8")
    for code, info in CODES.items():
        assert f'id="{code}"' in codes and info.title in unescape(codes), code


@pytest.fixture(scope="module")
def edited_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, object]:
    """A copy with quotes and '&' in an entry's title and one broken entry; built strict and not."""
    kho = site_copy(tmp_path_factory.mktemp("edited") / "kho")
    path = kho / "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md"
    text = path.read_text(encoding="utf-8")
    old = "title: Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long"
    assert old in text
    path.write_text(text.replace(old, "title: 'Số hóa \"một cửa\" & trả kết quả O''Neil tại xã Thành Long'"), encoding="utf-8")
    bad = kho / "entries/chau-thanh-2024/tn-ct-an-binh/bai-loi.md"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text("---\nid: bai-loi\ntitle: <script>alert(1)</script> tên bài đủ dài\n---\n\nNội dung <b>đậm</b>\n", encoding="utf-8")
    return kho, build_site(kho, "--strict"), build_site(kho)


def test_front_matter_text_is_escaped(edited_build) -> None:
    """Quotes and ampersands from an entry are escaped once, in the page and in <title>."""
    kho, _strict, done = edited_build
    assert done.returncode == 0, done.stderr
    html = (kho / "site/sang-kien/so-hoa-ho-so-mot-cua-xa/index.html").read_text(encoding="utf-8")
    assert "<h1>Số hóa &quot;một cửa&quot; &amp; trả kết quả O&#x27;Neil tại xã Thành Long</h1>" in html
    assert "<title>Số hóa &quot;một cửa&quot; &amp; trả kết quả O&#x27;Neil tại xã Thành Long - " in html
    assert "&amp;amp;" not in html


def test_files_with_errors_are_reported_in_vietnamese_and_left_out(edited_build) -> None:
    kho, strict, done = edited_build
    assert strict.returncode != 0  # CI's strict build stops on it
    assert done.returncode == 0, done.stderr
    assert "Bỏ qua entries/chau-thanh-2024/tn-ct-an-binh/bai-loi.md khi dựng trang" in done.stderr
    assert "sangkien validate entries/chau-thanh-2024/tn-ct-an-binh/bai-loi.md" in done.stderr
    assert not (kho / "site/sang-kien/bai-loi").exists()
    assert "alert(1)" not in (kho / "site/sang-kien/index.html").read_text(encoding="utf-8")
    assert (kho / "site/sang-kien/so-hoa-ho-so-mot-cua-xa/index.html").is_file()


def test_shipped_repository_validates(built_site: Path) -> None:
    report = validator.validate(ROOT)
    assert not report.errors, [p.message for p in report.errors][:5]


def test_a_large_catalogue_is_paged_with_a_data_file_for_the_filters(paged_site: Path, model) -> None:
    import json

    recognised = [x.id for x in model.recognised()]
    pages = -(-len(recognised) // 3)
    assert pages >= 3
    seen = []
    for n in range(1, pages + 1):
        path = paged_site / ("sang-kien/index.html" if n == 1 else f"sang-kien/trang/{n}/index.html")
        html = path.read_text(encoding="utf-8")
        seen += re.findall(r'<h3 class="sk-item__title"><a href="(?:\.\./\.\./)?([^"/]+)/"', html)
        assert 'id="sk-pager"' in html
    assert seen == recognised  # every initiative once, newest recognition first
    assert not (paged_site / f"sang-kien/trang/{pages + 1}").exists()
    data = json.loads((paged_site / "sang-kien/danh-muc.json").read_text(encoding="utf-8"))
    assert data["total"] == len(recognised) and [row["i"] for row in data["items"]] == recognised
    first = (paged_site / "sang-kien/index.html").read_text(encoding="utf-8")
    assert 'data-source="danh-muc.json"' in first and 'id="sk-filters"' in first


def test_a_yearly_campaign_says_it_recurs(built_site: Path) -> None:
    page = (built_site / "dot" / "y-te-ninh-thuan-2025" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    assert re.search(r"Tổ chức lại\s+Hằng năm \(cùng ngày, tháng\)\s+\(«từ ngày 01 tháng 12", text)
    once = re.sub(r"<[^>]+>", " ", (built_site / "dot" / "chau-thanh-2024" / "index.html").read_text(encoding="utf-8"))
    assert "Tổ chức lại" not in once


def test_the_submission_page_links_the_word_template_of_the_open_campaign(built_site: Path) -> None:
    from docx import Document

    page = (built_site / "nop-sang-kien" / "index.html").read_text(encoding="utf-8")
    assert "mau-sang-kien-chau-thanh-2024.docx" in page and "Tải mẫu Word" in page
    template = built_site / "nop-sang-kien" / "mau-sang-kien-chau-thanh-2024.docx"
    words = "\n".join(p.text for p in Document(str(template)).paragraphs)
    assert "Thực trạng" in words and "Giải pháp" in words
    assert not list((built_site / "nop-sang-kien").glob("mau-sang-kien-kcn-hung-yen-2024.docx"))  # closed campaigns: none
