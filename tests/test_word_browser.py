"""A Word file (.docx) read on the submission page, in a real headless Chromium, against the
Python reader (sangkien.wordimport): the same blocks, the same refusals and the same form values
for the same file, and no request leaving the site while it is read.

The DOCX files are made as people make them: python-docx (a filled form), `sangkien dossier`
(the project's own Word out), LibreOffice (a copy saved by another program), legacy TCVN3 runs,
and broken ones (not a ZIP, an old .doc, a password-protected file, a zip bomb, a file too big).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import needs_chromium, run_sangkien, serving
from docx import Document
from docx.shared import Pt
from helpers import word
from helpers.form_site import write_form_site
from sangkien import reader, schemas
from sangkien.commands import word_import
from sangkien.wordimport import docxread, mapping
from sangkien.wordimport import rules as wr

ROOT = Path(__file__).resolve().parents[1]
ICT = dt.timezone(dt.timedelta(hours=7))
INSIDE_WINDOW = dt.datetime(2024, 6, 10, 9, 0, tzinfo=ICT)  # chau-thanh-2024 is open 15/5 – 25/6/2024
DOSSIER_ENTRY = "so-hoa-ho-so-mot-cua-xa"

pytestmark = needs_chromium


# ----------------------------------------------------------------- the files
def _tcvn3(text: str) -> str:
    """Unicode -> the characters Word stores for a .VnTime run (the inverse of rules.json tcvn3)."""
    inverse = {v: k for k, v in wr.rules()["tcvn3"].items()}
    return "".join(inverse.get(ch, ch) for ch in text)


def _form_doc(legacy: bool = False) -> Document:
    """A filled Đơn yêu cầu công nhận sáng kiến as a person writes it in Word: a labelled table,
    an authors table, the sections as headings, a list and a table in the body."""
    doc = Document()

    def para(text: str, style: str | None = None) -> None:
        p = doc.add_paragraph(style=style)
        run = p.add_run(_tcvn3(text) if legacy else text)
        if legacy:
            run.font.name = ".VnTime"
            run.font.size = Pt(14)

    def cell(c, text: str) -> None:
        c.text = ""
        run = c.paragraphs[0].add_run(_tcvn3(text) if legacy else text)
        if legacy:
            run.font.name = ".VnTime"

    para("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN")
    rows = [
        ("Tên sáng kiến", "Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Hảo Đước"),
        ("Lĩnh vực áp dụng sáng kiến", "Tiếp nhận và trả kết quả hồ sơ thủ tục hành chính cấp xã"),
        ("Lĩnh vực cải cách hành chính", "☒ Cải cách thủ tục hành chính, cơ chế một cửa\n☐ Cải cách thể chế\n"
                                         "☒ Xây dựng, phát triển chính quyền điện tử, chính quyền số"),
        ("Loại giải pháp", "Giải pháp tác nghiệp"),
        ("Tình trạng áp dụng", "Đã áp dụng"),
        ("Ngày áp dụng lần đầu hoặc áp dụng thử (ngày/tháng/năm)", "01/03/2024"),
        ("Phạm vi áp dụng", "Cấp huyện"),
        ("Tóm tắt (1–3 câu, để đăng trong danh mục)", "Quét và số hóa hồ sơ ngay tại quầy một cửa để trả kết quả trong ngày cho người dân."),
        ("Những điều kiện cần thiết để áp dụng sáng kiến", "Có máy quét tài liệu và đường truyền ổn định."),
        ("Lợi ích thu được hoặc dự kiến thu được theo ý kiến của tác giả", "Rút ngắn thời gian trả kết quả từ 2 ngày xuống trong ngày."),
        ("Từ khóa (cách nhau bằng dấu phẩy)", "một cửa, số hóa"),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    for i, (label, value) in enumerate(rows):
        cell(table.cell(i, 0), label)
        cell(table.cell(i, 1), value)
    para("Tác giả")
    authors = doc.add_table(rows=3, cols=5)
    for i, row in enumerate([("Họ và tên", "Chức vụ, chức danh", "Nơi công tác", "Tỷ lệ đóng góp (%)", "Đại diện nhóm (đánh dấu x)"),
                             ("Lê Thị Thu", "Công chức Văn phòng - Thống kê", "UBND xã Hảo Đước", "60", "x"),
                             ("Phạm Văn Nam", "Công chức Tư pháp - Hộ tịch", "UBND xã Hảo Đước", "40", "")]):
        for j, text in enumerate(row):
            cell(authors.cell(i, j), text)
    para("Thực trạng", "Heading 1")
    para("Hồ sơ giấy chuyển tay giữa các bộ phận, dễ thất lạc.")
    para("Giải pháp", "Heading 1")
    para("Quét hồ sơ ngay khi tiếp nhận.", "List Number")
    para("Lưu bản điện tử vào hệ thống một cửa.", "List Number")
    para("Khả năng nhân rộng", "Heading 1")
    para("Áp dụng được ở mọi xã có máy quét.", "List Bullet")
    return doc


def _free_form() -> Document:
    """A document not made from the template: labelled lines, bold numbered headings, odd spaces
    (no-break, U+FEFF, U+0085), a tab and a line break, merged cells, a nested table, a results
    table with a change column, a participants table, a signature date, an unchecked choice."""
    doc = Document()
    doc.add_paragraph("PHIẾU ĐĂNG KÝ SÁNG KIẾN")
    doc.add_paragraph("- Tên sáng kiến:\u00a0Sổ theo dõi\ufeff hồ sơ\u0085 dùng chung.")
    doc.add_paragraph("• Lĩnh vực áp dụng: Tư pháp – hộ tịch (Giải pháp quản lý)")
    doc.add_paragraph("Loại giải pháp: Giải pháp quản lý")
    doc.add_paragraph("Lĩnh vực cải cách hành chính: [x] Cải cách thể chế; [ ] Cải cách chế độ công vụ")
    doc.add_paragraph("Phạm vi áp dụng: Cấp xã; Cấp huyện")
    doc.add_paragraph("Ngày áp dụng lần đầu: 31/02/2024")
    doc.add_paragraph("Từ khóa: sổ; hộ tịch, dùng chung")
    doc.add_paragraph("Những thông tin cần được bảo mật (nếu có): Số điện thoại riêng")
    people = doc.add_table(rows=3, cols=4)
    for i, row in enumerate([("Họ tên", "Chức vụ", "Nơi công tác", "Tỷ lệ (%)"), ("Lê Văn Tám", "Công chức", "UBND xã", "1.234"),
                             ("Đỗ Thị Chín", "", "UBND xã", "33,5")]):
        for j, text in enumerate(row):
            people.cell(i, j).text = text
    p = doc.add_paragraph("Thái Bình, ngày 5 tháng 3 năm 2024")
    p.add_run("\tký tên").add_break()
    heading = doc.add_paragraph()
    heading.add_run("I. THỰC TRẠNG").bold = True
    doc.add_paragraph("# Không phải tiêu đề > trích dẫn")
    doc.add_paragraph("1) bước một")
    doc.add_paragraph("– bước hai")
    merged = doc.add_table(rows=2, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Gộp | hai ô"
    merged.cell(1, 2).text = "dòng\nhai"
    merged.cell(1, 0).add_table(rows=1, cols=2).cell(0, 1).text = "bảng lồng"
    heading = doc.add_paragraph()
    heading.add_run("2. Giải pháp").bold = True
    results = doc.add_table(rows=3, cols=5)
    for i, row in enumerate([("Chỉ tiêu", "Trước khi áp dụng", "Sau khi áp dụng", "Đơn vị tính", "Mức thay đổi"),
                             ("Thời gian tra cứu", "30", "5", "phút", "giảm 83%"), ("Sai sót", "không rõ", "2", "lỗi", "")]):
        for j, text in enumerate(row):
            results.cell(i, j).text = text
    helpers = doc.add_table(rows=2, cols=3)
    for i, row in enumerate([("Họ và tên", "Nơi công tác", "Nội dung công việc hỗ trợ"), ("Ngô Văn Mười", "UBND xã", "nhập liệu")]):
        for j, text in enumerate(row):
            helpers.cell(i, j).text = text
    doc.add_heading("Kết quả", level=3)
    doc.add_heading("Chi tiết", level=4)
    doc.add_paragraph("Giảm thời gian.", style="List Number")
    return doc


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b" " * 30_000_000 + b"/>")
    return buf.getvalue()


def _soffice(src: Path, out: Path) -> Path:
    """`src` opened and saved again as .docx by LibreOffice (its own profile, no network)."""
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)],
                          capture_output=True, text=True, timeout=180, check=False)
    saved = out / src.name
    assert saved.exists(), done.stdout + done.stderr
    return saved.rename(out / f"libreoffice-{src.name}")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("word-files")
    made: dict[str, Path] = {}
    _form_doc().save(folder / "don-dien-san.docx")
    made["form"] = folder / "don-dien-san.docx"
    _form_doc(legacy=True).save(folder / "don-tcvn3.docx")
    made["tcvn3"] = folder / "don-tcvn3.docx"
    done = run_sangkien("dossier", DOSSIER_ENTRY, "--out", str(folder / "dossier"), cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    (made["dossier"],) = sorted((folder / "dossier").glob("*.docx"))
    made["libreoffice"] = _soffice(made["dossier"], folder / "libreoffice")
    done = run_sangkien("template", "--campaign", "kcn-hung-yen-2024", "--out", str(folder), cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    made["template"] = word.fill(folder / "mau-sang-kien-kcn-hung-yen-2024.docx", folder / "mau-da-dien.docx", image=True)
    made["legacy"] = word.legacy_document(folder / "phong-cu.docx")
    _free_form().save(folder / "tu-soan.docx")
    made["free"] = folder / "tu-soan.docx"
    # refusals
    (folder / "hong.docx").write_bytes(made["form"].read_bytes()[:3000])
    made["corrupt"] = folder / "hong.docx"
    (folder / "cu.doc").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 4000)
    made["doc"] = folder / "cu.doc"
    (folder / "mat-khau.docx").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600)
    made["password"] = folder / "mat-khau.docx"
    (folder / "bom.docx").write_bytes(_zip_bomb())
    made["bomb"] = folder / "bom.docx"
    big = folder / "qua-lon.docx"
    with big.open("wb") as f:
        f.write(made["form"].read_bytes())
        f.write(b"\0" * (wr.rules()["limits"]["file_bytes"] + 1))
    made["big"] = big
    with (folder / "cu-qua-lon.doc").open("wb") as f:  # an old .doc above the size limit is still named for what it is
        f.write(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * (wr.rules()["limits"]["file_bytes"] + 1))
    made["big_doc"] = folder / "cu-qua-lon.doc"
    (folder / "khong-phai-word.docx").write_text("Đây là văn bản thường, không phải tệp Word.", encoding="utf-8")
    made["text"] = folder / "khong-phai-word.docx"
    return made


READABLE = ("template", "form", "tcvn3", "legacy", "free", "dossier", "libreoffice")
REFUSED = {"corrupt": "SK030", "doc": "SK031", "password": "SK032", "bomb": "SK033", "big": "SK033", "text": "SK030", "big_doc": "SK031"}


def python_blocks(path: Path) -> list[dict] | str:
    try:
        return docxread.as_json(docxread.read_blocks(path))
    except docxread.Refusal as err:
        return err.problem.code


# ----------------------------------------------------------------- the site and the browser
@pytest.fixture(scope="module")
def site(tmp_path_factory, files) -> Path:
    folder = write_form_site(tmp_path_factory.mktemp("word-site"), "entry", templates_at=INSIDE_WINDOW)
    (folder / "tep-thu").mkdir()
    for path in files.values():
        shutil.copyfile(path, folder / "tep-thu" / path.name)
    return folder


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


class WordPage:
    """The submission page in a fresh context; every request is recorded, and any request that
    is not for the site itself is refused (and then reported by the test)."""

    def __init__(self, browser, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 900})
        self.requests: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.base = base
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.clock.set_fixed_time(INSIDE_WINDOW)

    def _route(self, route) -> None:
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            route.abort()

    def open(self) -> WordPage:
        self.page.goto(self.base + "nop-sang-kien/")
        self.page.wait_for_selector("#skf-form-status")
        return self

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base) and not u.startswith("data:") and not u.startswith("blob:")]

    def js_blocks(self, name: str) -> list[dict] | str:
        return self.page.evaluate(
            """async (name) => {
                const docx = await import('../assets/sangkien/form/docx.js');
                const bytes = new Uint8Array(await (await fetch('../tep-thu/' + name)).arrayBuffer());
                const rules = JSON.parse(document.getElementById('skf-data').textContent).word.rules;
                try { return docx.asJson(await docx.readBlocks(name, bytes, rules)); }
                catch (err) { if (err instanceof docx.WordRefusal) return err.code; throw err; }
            }""", name)


    def js_reading(self, folder: str, names: list[str]) -> dict[str, dict]:
        """Blocks and reading (fields, body, problems with their messages) of each file, by the page's own scripts."""
        return self.page.evaluate(
            """async ([folder, names]) => {
                if (!window.sangkienWord) {
                  await new Promise((resolve) => { const s = document.createElement('script'); s.type = 'module';
                    s.src = '../assets/sangkien/form/wordmap.js'; s.onload = resolve; document.head.append(s); });
                }
                const ctx = JSON.parse(document.getElementById('skf-data').textContent);
                const docx = await import('../assets/sangkien/form/docx.js');
                const out = {};
                for (const name of names) {
                  const bytes = new Uint8Array(await (await fetch(folder + name)).arrayBuffer());
                  const blocks = docx.asJson(await docx.readBlocks(name, bytes, ctx.word.rules));
                  const r = await window.sangkienWord.importWord(name, bytes, ctx.word.rules, ctx.codes, { campaign: 'c', unit: 'u', today: '2024-06-10' });
                  out[name] = { blocks, data: r.data || null, body: r.body ?? null, problems: r.problems.map((p) => [p.code, p.message]) };
                }
                return out;
            }""", [folder, names])


def assert_same_reading(mine: dict, path: Path) -> None:
    """The page's reading of `path` equals sangkien.wordimport's: blocks, every problem message, fields, body."""
    blocks = docxread.read_blocks(path)
    reading = mapping.read(path.name, blocks)
    assert mine["blocks"] == docxread.as_json(blocks), path.name
    assert mine["problems"][:len(reading.problems)] == [[p.code, p.message] for p in reading.problems], path.name
    if any(p.code in ("SK034", "SK035") for p in reading.problems):
        assert mine["data"] is None
        return
    data, body = word_import.compose(reading, "c", "u", "2024-06-10", schemas.load_schema(ROOT, "entry"))
    assert mine["data"] == json.loads(json.dumps(data)), path.name
    assert mine["body"] == body, path.name


@pytest.fixture(scope="module")
def word_page(browser, base_url) -> Iterator[WordPage]:
    p = WordPage(browser, base_url).open()
    yield p
    assert not p.errors, p.errors
    p.context.close()


# ----------------------------------------------------------------- blocks: the intermediate model
@pytest.mark.parametrize("kind", READABLE)
def test_same_blocks_as_the_python_reader(word_page: WordPage, files, kind: str) -> None:
    expected = python_blocks(files[kind])
    assert isinstance(expected, list) and expected, expected
    got = word_page.js_blocks(files[kind].name)
    assert got == expected
    assert word_page.outside() == []


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_same_refusals_as_the_python_reader(word_page: WordPage, files, kind: str) -> None:
    assert python_blocks(files[kind]) == REFUSED[kind]
    assert word_page.js_blocks(files[kind].name) == REFUSED[kind]


@pytest.mark.parametrize("kind", READABLE)
def test_same_reading_as_the_python_mapping(word_page: WordPage, files, kind: str) -> None:
    mine = word_page.js_reading("../tep-thu/", [files[kind].name])[files[kind].name]
    assert_same_reading(mine, files[kind])


def test_tcvn3_runs_read_as_unicode(word_page: WordPage, files) -> None:
    blocks = word_page.js_blocks(files["tcvn3"].name)
    texts = [b["text"] for b in blocks if b["kind"] == "paragraph"]
    assert "Hồ sơ giấy chuyển tay giữa các bộ phận, dễ thất lạc." in texts
    form = next(b for b in blocks if b["kind"] == "table")
    assert form["rows"][0] == ["Tên sáng kiến", "Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Hảo Đước"]
    assert json.dumps(blocks, ensure_ascii=False).count("¸") == 0


# ----------------------------------------------------------------- the form filled from a Word file
CAMPAIGN = "chau-thanh-2024"
WHO = {"template": ("kcn-hung-yen-2024", "hy-bql-doanh-nghiep"), "form": (CAMPAIGN, "tn-ct-hao-duoc"), "tcvn3": (CAMPAIGN, "tn-ct-hao-duoc"),
       "legacy": (CAMPAIGN, "tn-ct-hao-duoc"), "free": (CAMPAIGN, "tn-ct-hao-duoc"), "dossier": (CAMPAIGN, "tn-ct-thanh-long"), "libreoffice": (CAMPAIGN, "tn-ct-thanh-long")}


@pytest.fixture(scope="module")
def kho(tmp_path_factory) -> Path:
    """A copy of the repository's data without the shipped initiative whose dossier is imported
    back (its id would be taken), for `sangkien import`."""
    dest = tmp_path_factory.mktemp("kho")
    for name in ("entries", "schema"):
        shutil.copytree(ROOT / name, dest / name)
    (dest / "entries" / CAMPAIGN / "tn-ct-thanh-long" / f"{DOSSIER_ENTRY}.md").unlink()
    return dest


def cli_import(kho: Path, path: Path, campaign: str, unit: str, out: Path) -> tuple[dict | None, str, str]:
    """(front matter, body) of the entry `sangkien import` writes for `path`, or None; and its output."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": INSIDE_WINDOW.isoformat()}
    done = subprocess.run([sys.executable, "-m", "sangkien", "import", str(path), "--campaign", campaign, "--unit", unit,
                           "--out", str(out), "--root", str(kho)], cwd=kho, capture_output=True, text=True, env=env, check=False)
    written = sorted(out.glob("*.md"))
    if not written:
        return None, "", done.stdout + done.stderr
    doc = reader.read_markdown(written[0].read_bytes(), written[0].name)
    return doc.data, doc.body, done.stdout + done.stderr


def form_import(p: WordPage, path: Path, campaign: str, unit: str) -> dict:
    p.page.select_option("#skf-f-campaign", campaign)
    p.page.select_option("#skf-f-unit", unit)
    p.page.evaluate("document.getElementById('skf-word-note').dataset.state = ''")
    p.page.set_input_files("#skf-word-file", str(path))
    p.page.wait_for_selector("#skf-word-note[data-state='done'], #skf-word-note[data-state='refused']")
    return p.page.evaluate("""() => {
        const { data, body } = window.sangkienForm.collect();
        const state = document.getElementById('skf-word-note').dataset.state;
        const problems = [...document.querySelectorAll('#skf-word-problems li[data-code]')].map((li) => li.dataset.code);
        return { data, body, state, problems };
    }""")


@pytest.fixture
def fresh_page(browser, base_url) -> Iterator[WordPage]:
    p = WordPage(browser, base_url).open()
    yield p
    assert not p.errors, p.errors
    assert p.outside() == []
    p.context.close()


def cli_codes(said: str) -> list[str]:
    """The codes `sangkien import` reports about the Word file itself, in order (those of the
    validator's check of the composed entry, after SK044, are the form's own checks' business)."""
    codes = re.findall(r": (?:lỗi|cảnh báo) (SK\d{3}):", said)
    return codes[:codes.index("SK044")] if "SK044" in codes else codes


def partial_entry(path: Path, campaign: str, unit: str) -> tuple[dict, str]:
    """What the command line read from a file it did not write (reading errors): the same compose()."""
    reading = mapping.read(path.name, docxread.read_blocks(path))
    schema = schemas.load_schema(ROOT, "entry")
    data, body = word_import.compose(reading, campaign, unit, INSIDE_WINDOW.date().isoformat(), schema)
    return json.loads(json.dumps(data)), body


@pytest.mark.parametrize("kind", READABLE)
def test_word_file_fills_the_form_as_the_cli_reads_it(fresh_page: WordPage, files, kho, tmp_path, kind: str) -> None:
    campaign, unit = WHO[kind]
    data, body, said = cli_import(kho, files[kind], campaign, unit, tmp_path / "out")
    if data is None:  # read with problems: the form shows what was read and lists the same problems
        data, body = partial_entry(files[kind], campaign, unit)
    # the page stays light: the reader is fetched (from the site) only once a file is chosen
    assert not any(u.endswith(("/docx.js", "/wordmap.js")) for u in fresh_page.requests)
    got = form_import(fresh_page, files[kind], campaign, unit)
    assert got["state"] == "done"
    assert any(u.endswith("/wordmap.js") for u in fresh_page.requests)
    if kind == "template":  # the filled template is complete: the command line wrote it, with its picture
        assert data["authors"][0]["representative"] is True and data["attachments"][0]["file"].endswith("-hinh-1.png")
        link = fresh_page.page.get_attribute("#skf-word-problems a[download]", "download")
        assert link == data["attachments"][0]["file"]
    assert got["problems"] == cli_codes(said)
    assert got["data"] == data
    assert got["body"].strip() == body.strip()
    # nothing was sent: the page made no request beyond its own files, and the usual checks ran
    assert all(u.startswith(fresh_page.base) for u in fresh_page.requests)
    assert fresh_page.page.get_attribute("#skf-form-status", "data-valid") in ("true", "false")
    if kind == "form":  # complete and inside its window: valid, and «Gửi» hands the file to the Git host
        assert fresh_page.page.get_attribute("#skf-form-status", "data-valid") == "true", fresh_page.page.inner_text("#skf-verdict")
        href = fresh_page.page.get_attribute("#skf-send", "href") or ""
        assert href.startswith(f"https://github.com/demo-tinh/sangkien/new/main/entries/{campaign}/{unit}")


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_refused_word_file_leaves_the_form_as_it_was(fresh_page: WordPage, files, kho, tmp_path, kind: str) -> None:
    data, _, said = cli_import(kho, files[kind], CAMPAIGN, "tn-ct-hao-duoc", tmp_path / "out")
    assert data is None and REFUSED[kind] in said, said
    fresh_page.page.select_option("#skf-f-campaign", CAMPAIGN)
    fresh_page.page.select_option("#skf-f-unit", "tn-ct-hao-duoc")
    before = fresh_page.page.evaluate("window.sangkienForm.collect()")
    got = form_import(fresh_page, files[kind], CAMPAIGN, "tn-ct-hao-duoc")
    assert got["state"] == "refused"
    assert got["problems"] == [REFUSED[kind]]
    assert {"data": got["data"], "body": got["body"]} == before  # the form keeps what it had
    assert "Cách sửa" in fresh_page.page.inner_text("#skf-word-problems")


def test_dropping_the_file_fills_the_form_as_the_cli_reads_it(fresh_page: WordPage, files, kho, tmp_path) -> None:
    """The file dragged from the desktop onto the page (a real drop event with a File, on a field of the form)."""
    campaign, unit = WHO["template"]
    data, body, said = cli_import(kho, files["template"], campaign, unit, tmp_path / "out")
    assert data is not None, said
    p = fresh_page.page
    p.select_option("#skf-f-campaign", campaign)
    p.select_option("#skf-f-unit", unit)
    p.evaluate("""async (name) => {
        const bytes = await (await fetch('../tep-thu/' + name)).arrayBuffer();
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }));
        const zone = document.getElementById('skf-f-title');  // anywhere on the page, here on the title box
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }""", files["template"].name)
    p.wait_for_selector("#skf-word-note[data-state='done']")
    got = p.evaluate("window.sangkienForm.collect()")
    assert got["data"] == data
    assert got["body"].strip() == body.strip()
    assert "mau-da-dien.docx" in p.inner_text("#skf-word-note")


# ----------------------------------------------------------------- every shipped dossier, field by field
SHIPPED_CAMPAIGNS = ("chau-thanh-2024", "kcn-hung-yen-2024", "y-te-ninh-thuan-2025")


@pytest.fixture(scope="module")
def dossiers(site: Path) -> list[Path]:
    """The dossier DOCX of every shipped initiative (`sangkien dossier <campaign>`), served by the site."""
    folder = site / "tep-thu" / "ho-so"
    for campaign in SHIPPED_CAMPAIGNS:
        done = run_sangkien("dossier", campaign, "--out", str(folder), cwd=ROOT)
        assert done.returncode == 0, done.stdout + done.stderr
    found = sorted(folder.glob("*.docx"))
    assert len(found) >= 10
    return found


def test_every_shipped_dossier_reads_the_same_in_the_browser(word_page: WordPage, dossiers: list[Path]) -> None:
    """Blocks, fields, body and every problem message (with its fix) equal to the Python side's."""
    got = word_page.js_reading("../tep-thu/ho-so/", [p.name for p in dossiers])
    for path in dossiers:
        assert_same_reading(got[path.name], path)


# ----------------------------------------------------------------- the Word template on the page
def test_template_link_of_the_open_campaign_and_a_blank_template_refused(fresh_page: WordPage, site: Path, kho, tmp_path) -> None:
    p = fresh_page.page
    links = p.eval_on_selector_all("a.skf-word-template", "els => els.map((a) => [a.dataset.campaign, a.getAttribute('href')])")
    assert links == [["chau-thanh-2024", "mau-sang-kien-chau-thanh-2024.docx"]]  # the only initiative campaign open on 10/06/2024
    with p.expect_download() as info:
        p.click("a.skf-word-template")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "mau-sang-kien-chau-thanh-2024.docx"
    assert saved.read_bytes() == (site / "nop-sang-kien" / saved.name).read_bytes()
    # the template as downloaded, not filled in: refused with the command line's code, the form kept
    _, _, said = cli_import(kho, saved, CAMPAIGN, "tn-ct-hao-duoc", tmp_path / "out")
    got = form_import(fresh_page, saved, CAMPAIGN, "tn-ct-hao-duoc")
    assert got["state"] == "refused"
    assert got["problems"] == cli_codes(said) == ["SK035"]
