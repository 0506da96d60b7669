"""Search in a real headless Chromium: the JS fold equals the Python fold, the page ranks like
IndexReader, reads ?q=, says when nothing is found, fits 360 px, and never leaves the local server.

The first tests use a minimal static folder (the page as Markdown renders it, the script, an
index of fixed entries); the last one builds the real site with `mkdocs build` from a copy of
the repository and searches its illustrative entries.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

import markdown
import pytest
from conftest import needs_chromium, serving
from sangkien.site import search
from sangkien.site.search import Doc, IndexReader, build_index, tokens
from sangkien.textnorm import fold
from sangkien.validator import load

ROOT = Path(__file__).resolve().parents[1]

pytestmark = needs_chromium

TRICKY = ["Đồng", "đồng", "ĐỒNG KHỞI", "Hoà", "Hòa", "HOÀ", "kĩ", "kỹ", "Kỹ thuật", "Lý", "lí", "quý", "tay", "tuy",
          unicodedata.normalize("NFD", "Đồng Khởi"), unicodedata.normalize("NFD", "Hoà Thành điện tử"), "Nghị định 13/2012/NĐ-CP",
          "PAR-INDEX; SIPAS", "Thủ tục hành chính “một cửa” – liên thông", "a\u0301", "İstanbul", "ΣΊΣΥΦΟΣ", "Ａｂｃ１２", "e\u0323\u0302",
          "ǅ", "ß", "123/QĐ-UBND", "tiếng Việt có dấu: ằ ẳ ẵ ặ ữ ự ỹ ỵ", "  nhiều   khoảng   trắng  ", "", "x_y", "Điện tử"]

DOCS = [
    Doc("mot-cua-dien-tu", "Một cửa điện tử liên thông cấp xã", "sang-kien/mot-cua-dien-tu/", "Hồ sơ tiếp nhận trên hệ thống.", "UBND xã Thành Long",
        "UBND tỉnh Tây Ninh", "2024", True),
    Doc("tom-tat", "Tổ công nghệ số cộng đồng tại ấp", "sang-kien/tom-tat/", "Hướng dẫn người dân dùng dịch vụ công điện tử.", "UBND xã Hảo Đước"),
    Doc("khac-dau", "Cải cách thủ tục đầu tư tại xã Điền", "sang-kien/khac-dau/", "Tư vấn cho doanh nghiệp.", "UBND xã Điền"),
    Doc("dong-khoi", "Ứng dụng mã QR tra cứu hồ sơ", "sang-kien/dong-khoi/", "Người dân quét mã để tra cứu.", "UBND xã Đồng Khởi", meta=["UBND xã Đồng Khởi"]),
    Doc("dong-tay", "Kết nối đông tây trong giải quyết hồ sơ", "sang-kien/dong-tay/", "Phối hợp giữa các phòng.", "Phòng Nội vụ"),
    Doc("hoa", "Giải pháp kĩ thuật cho xã Hoà Thành", "sang-kien/hoa/", "Số hóa hồ sơ hộ tịch " + "rất dài " * 60, "UBND xã Hòa Thạnh"),
]
QUERIES = ["dong", "Đồng", "điện tử", "dien tu", "tra cu", "cộng đồ", "hoa", "Hòa", "mot cua dien tu", "kỹ thuật", "ho so", "zzz", "x",
           "ung dung ma qr tra cuu ho so zzz"]


# ----------------------------------------------------------------- serving and the browser

@pytest.fixture(scope="module")
def serve() -> Iterator:
    with ExitStack() as stack:
        yield lambda folder: stack.enter_context(serving(folder))


class Page:
    """A page that records console errors and every request, and fails on a request to another host."""

    def __init__(self, browser, base: str, width: int = 1280) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 800})
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def search_url(self, q: str | None = None) -> str:
        return self.base + "tim-kiem/" + (f"?q={quote(q)}" if q is not None else "")

    def open(self, q: str | None = None) -> None:
        self.page.goto(self.search_url(q))
        self.page.wait_for_selector("#sk-search[data-ready]")
        if q:
            self.wait()

    def wait(self) -> None:
        self.page.wait_for_selector("#sk-search[data-done]")
        self.page.wait_for_function("!document.getElementById('sk-status').textContent.startsWith('Đang')")

    def type(self, q: str) -> None:
        self.page.evaluate("document.getElementById('sk-search').removeAttribute('data-done')")
        self.page.fill("#sk-q", q)
        self.page.press("#sk-q", "Enter")
        self.wait()

    def links(self) -> list[str]:
        return self.page.eval_on_selector_all("#sk-results a", "as => as.map(a => a.getAttribute('href'))")

    def close(self) -> None:
        outside = [u for u in self.requests if not u.startswith(self.base) and not u.startswith(("data:", "blob:", "about:"))]
        self.context.close()
        assert outside == [], f"requests left the local server: {outside}"
        assert self.errors == [], f"console errors: {self.errors}"


def minimal_site(folder: Path, docs: list[Doc]) -> Path:
    """The /tim-kiem/ page as MkDocs renders its Markdown, the script, the style and the index."""
    body = markdown.markdown(search.SEARCH_PAGE_MARKDOWN.split("---\n", 2)[2])
    page = ('<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="icon" href="data:,"><title>Tìm kiếm</title></head><body>{body}<script src="../{search.SEARCH_SCRIPT}"></script></body></html>')
    (folder / "tim-kiem").mkdir(parents=True, exist_ok=True)
    (folder / "tim-kiem" / "index.html").write_text(page, encoding="utf-8")
    for rel, data in build_index(docs).items():
        path = folder / search.INDEX_DIR / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for rel in (search.SEARCH_SCRIPT, search.SEARCH_STYLE):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(search.ASSETS / Path(rel).name, folder / rel)
    for d in docs:  # the result links lead somewhere
        (folder / d.url).mkdir(parents=True, exist_ok=True)
        (folder / d.url / "index.html").write_text(f"<!doctype html><meta charset=utf-8><link rel=icon href=data:,><title>{d.id}</title>", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, serve) -> tuple[Path, str]:
    folder = minimal_site(tmp_path_factory.mktemp("site"), DOCS)
    return folder, serve(folder)


# ----------------------------------------------------------------- fold and words
def test_js_fold_and_words_equal_python(browser, small) -> None:
    _folder, base = small
    page = Page(browser, base)
    page.open()
    js = page.page.evaluate("xs => xs.map(x => [sangkienSearch.fold(x), sangkienSearch.tokens(x)])", TRICKY)
    page.close()
    assert [f for f, _ in js] == [fold(x) for x in TRICKY]
    assert [[tuple(t) for t in w] for _, w in js] == [tokens(x) for x in TRICKY]
    assert js[0][0] == js[14][0][:4] == "dong"  # "Đồng" typed in NFC or NFD
    assert js[3][0] == js[4][0] == "hoa"  # old and new tone placement
    assert js[6][1] == [["kĩ", "ki"]] and js[7][1] == [["kỹ", "ki"]]  # one search key for kĩ and kỹ


# ----------------------------------------------------------------- the same results as the Python twin
def test_js_ranking_and_and_semantics_equal_index_reader(browser, small) -> None:
    folder, base = small
    page = Page(browser, base)
    page.open()
    maxwords = page.page.evaluate("sangkienSearch.maxWords")
    got = page.page.evaluate("async qs => { const out = []; for (const q of qs) out.push((await sangkienSearch.query(q)).docs); return out; }", QUERIES)
    page.close()
    assert maxwords == search.MAX_WORDS
    reader = IndexReader(folder / search.INDEX_DIR)
    expected = [reader.query(q).docs for q in QUERIES]
    assert got == expected
    named = dict(zip(QUERIES, ([DOCS[d].id for d in docs] for docs in got), strict=True))
    assert named["điện tử"] == ["mot-cua-dien-tu", "tom-tat", "khac-dau"]  # exact spelling, then title before summary
    assert named["Đồng"][0] in ("tom-tat", "dong-khoi") and named["Đồng"][-1] == "dong-tay"
    assert named["mot cua dien tu"] == ["mot-cua-dien-tu"]  # AND
    assert named["zzz"] == []


# ----------------------------------------------------------------- the page
def test_page_reads_q_renders_results_and_links(browser, small) -> None:
    _folder, base = small
    page = Page(browser, base)
    page.open("dong")
    assert page.page.input_value("#sk-q") == "dong"
    assert "Tìm thấy 3 sáng kiến" in page.page.text_content("#sk-status")
    assert page.links() == [base + "sang-kien/tom-tat/", base + "sang-kien/dong-tay/", base + "sang-kien/dong-khoi/"]
    assert "UBND xã Đồng Khởi" in page.page.text_content("#sk-results")
    page.type("một cửa")
    assert page.links() == [base + "sang-kien/mot-cua-dien-tu/"]
    assert page.page.text_content(".sk-badge") == "Bài minh họa"
    assert "q=m%E1%BB%99t+c%E1%BB%ADa" in page.page.url or "q=m%E1%BB%99t%20c%E1%BB%ADa" in page.page.url  # shareable address
    page.page.click("#sk-results a")
    page.page.wait_for_url(base + "sang-kien/mot-cua-dien-tu/")
    page.close()


def test_no_results_message_is_vietnamese(browser, small) -> None:
    _folder, base = small
    page = Page(browser, base)
    page.open("không có từ này xyzw")
    assert page.links() == []
    status = page.page.text_content("#sk-status")
    assert status.startswith("Không tìm thấy sáng kiến nào") and "«không có từ này xyzw»" in status
    page.close()


def test_typing_searches_without_submitting(browser, small) -> None:
    _folder, base = small
    page = Page(browser, base)
    page.open()
    page.page.type("#sk-q", "tra cu", delay=20)  # a partly typed last word
    page.wait()
    assert page.links() == [base + "sang-kien/dong-khoi/"]
    page.close()


def test_more_results_button(browser, tmp_path: Path, serve) -> None:
    many = [Doc(f"sk-{i:03d}", f"Sáng kiến số hóa thứ {i}", f"sang-kien/sk-{i:03d}/", "Tóm tắt.", "UBND xã") for i in range(45)]
    base = serve(minimal_site(tmp_path, many))
    page = Page(browser, base)
    page.open("so hoa")
    assert len(page.links()) == search.PAGE and page.page.is_visible("#sk-more")
    page.page.click("#sk-more")
    page.page.wait_for_function(f"document.querySelectorAll('#sk-results li').length === {2 * search.PAGE}")
    page.page.click("#sk-more")
    page.page.wait_for_function("document.querySelectorAll('#sk-results li').length === 45")
    assert page.page.is_hidden("#sk-more")
    page.close()


def test_readable_at_360px_without_horizontal_scroll(browser, small) -> None:
    _folder, base = small
    page = Page(browser, base, width=360)
    page.open("hoa")  # a long summary, clipped
    assert page.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.page.locator("#sk-q").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.page.evaluate("getComputedStyle(document.querySelector('.sk-search-row')).display") == "flex"  # the style loaded
    page.close()


def test_first_query_fetches_only_its_shards(browser, tmp_path: Path, serve, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_BYTES", 80)
    base = serve(minimal_site(tmp_path, DOCS))
    page = Page(browser, base)
    page.open("Đồng Khởi")
    prefix = base + search.INDEX_DIR + "/"
    fetched = sorted(u[len(prefix):].split("?")[0] for u in page.requests if u.startswith(prefix))
    page.close()
    assert fetched == sorted(IndexReader(tmp_path / search.INDEX_DIR).query("Đồng Khởi").fetched)
    shards = len(json.loads((tmp_path / search.INDEX_DIR / "manifest.json").read_text())["shards"])
    assert shards > 10 and len([f for f in fetched if f.startswith("t/")]) <= 2


def test_common_keys_give_the_same_results_and_fetches_as_index_reader(browser, tmp_path: Path, serve, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys stored as bitmaps (common words): search.js filters with them exactly as IndexReader does."""
    from test_search import VOCAB, _brute_force, _many_docs

    monkeypatch.setattr(search, "COMMON_BYTES", 400)
    monkeypatch.setattr(search, "SHARD_BYTES", 400)
    docs = _many_docs()
    folder = minimal_site(tmp_path, docs)
    assert json.loads((folder / search.INDEX_DIR / "manifest.json").read_text())["common"]
    queries = ["thủ tục hành chính", "cai cach thu tuc hanh chinh mot cua", "thu tuc hiếm", "hiếm cải cách", "Đồng Khởi hành chính",
               "cải cách thủ tục hành chí", "hồ sơ hiế", "hanh ch", "mot cua lien thong", "zzz hanh chinh", VOCAB[0]]
    base = serve(folder)
    page = Page(browser, base)
    page.open()
    got = page.page.evaluate("async qs => { const out = []; for (const q of qs) out.push((await sangkienSearch.query(q)).docs); return out; }", queries)
    page.close()
    reader = IndexReader(folder / search.INDEX_DIR)
    assert got == [reader.query(q).docs for q in queries]
    for q, found in zip(queries[:-4], got, strict=False):
        assert set(found) == _brute_force(docs, q), q
    for q in ("thủ tục hiếm", "cải cách thủ tục hành chí"):  # a first query: the same files as the Python twin
        first = Page(browser, base)
        first.open(q)
        prefix = base + search.INDEX_DIR + "/"
        fetched = sorted(u[len(prefix):].split("?")[0] for u in first.requests if u.startswith(prefix))
        first.close()
        assert fetched == sorted(IndexReader(folder / search.INDEX_DIR).query(q).fetched), q
        assert any(f.startswith("b/") for f in fetched)


# ----------------------------------------------------------------- the real site
@pytest.fixture(scope="module")
def real_site(built_site: Path, serve) -> tuple[Path, str]:
    """The session's real `mkdocs build --strict` of a copy of the repository (conftest): the copy
    (for the right answers, read from its entries) and the served site."""
    assert (built_site / "tim-kiem" / "index.html").is_file() and (built_site / search.INDEX_DIR / "manifest.json").is_file()
    return built_site.parent, serve(built_site)


def _recognised_with(kho: Path, phrase: str) -> set[str]:
    """Recognised initiatives whose title or summary contains the folded phrase (the right answers)."""

    found = set()
    for entry, _rec, _line in load(kho).repo.recognised_initiatives():
        text = " ".join(w for _f, w in tokens(entry.title + " . " + str(entry.data.get("summary", ""))))
        if f" {phrase} " in f" {text} ":
            found.add(entry.id)
    return found


def test_real_site_finds_illustrative_entries(browser, real_site) -> None:
    kho, base = real_site
    page = Page(browser, base, width=360)
    page.open("cai cach mot cua")
    mot_cua = _recognised_with(kho, "mot cua")
    assert mot_cua, "the repository should have a recognised initiative about «một cửa»"
    top = [u.rstrip("/").rsplit("/", 1)[-1] for u in page.links()]
    assert set(top[: len(mot_cua)]) == mot_cua  # the «một cửa» initiatives come first
    assert page.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.type("dien tu")
    dien_tu = _recognised_with(kho, "dien tu")
    top = [u.rstrip("/").rsplit("/", 1)[-1] for u in page.links()]
    assert dien_tu and set(top[: len(dien_tu)]) == dien_tu

    page.type("dong")
    repo = load(kho).repo
    dong_khoi = {e.id for e in repo.recognised() if "Đồng Khởi" in e.title + repo.units[e.unit].name}
    top = [u.rstrip("/").rsplit("/", 1)[-1] for u in page.links()]
    assert dong_khoi and dong_khoi <= set(top)
    page.type("Đồng")
    top = [u.rstrip("/").rsplit("/", 1)[-1] for u in page.links()]
    assert top[0] in dong_khoi  # the exact spelling first
    # every result link is a real page of the built site
    for link in page.links():
        assert (kho / "site" / link[len(base):] / "index.html").is_file(), link
    page.close()
