"""The council's papers (NĐ 30/2020 format): báo cáo thành tích, tờ trình, biên bản, quyết định.

Run on a copy of the shipped seed data (seed 002, thi đua; Châu Thành, sáng kiến) with one unit
given an official name different from its display name, and on the council kit's repository.
The structure is read back with python-docx; the rendering test prints every kind of paper with
LibreOffice and rasterises the pages with pdftoppm into tests/artefacts/papers/ (or
$SANGKIEN_TEST_ARTEFACTS/papers) so a person can look at them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm, Pt
from helpers.cli import run_cli
from helpers.council_kit import make_repo

ROOT = Path(__file__).resolve().parents[1]
THIDUA = "ba-ria-vung-tau-2023"
SANGKIEN = "chau-thanh-2024"
OFFICIAL = "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"
RECOGNISED_412 = ["khen-giam-doc-so-cong-thuong-2023", "khen-chu-tich-ubnd-phuong-thang-tam-2023", "khen-chu-tich-ubnd-tp-vung-tau-2023",
                  "khen-giam-doc-so-tu-phap-2023", "khen-chu-tich-ubnd-phuong-phuoc-trung-2023", "khen-giam-doc-so-tai-chinh-2023",
                  "khen-chu-tich-ubnd-tp-ba-ria-2023", "khen-chu-tich-ubnd-thi-tran-long-hai-2023", "khen-chu-tich-ubnd-huyen-xuyen-moc-2023",
                  "khen-chu-tich-ubnd-tx-phu-my-2023"]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Path:
    """The shipped entries and schemas; the province's committee gets an official name."""
    root = tmp_path_factory.mktemp("papers") / "kho"
    shutil.copytree(ROOT / "entries", root / "entries")
    shutil.copytree(ROOT / "schema", root / "schema")
    units = root / "entries" / "units.yaml"
    text = units.read_text(encoding="utf-8")
    anchor = "  - id: brvt-ubnd-tinh\n    name: UBND tỉnh Bà Rịa – Vũng Tàu\n"
    assert anchor in text
    units.write_text(text.replace(anchor, anchor + f"    official_name: {OFFICIAL}\n"), encoding="utf-8")
    return root


def dossier(root: Path, out: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli(["dossier", *args, "--out", str(out), "--root", str(root)])
    return done.code, done.stdout, done.stderr


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def header_of(doc) -> tuple[list[str], list[str]]:
    """The first borderless two-column table: (left lines, right lines)."""
    left, right = doc.tables[0].rows[0].cells
    return [p.text for p in left.paragraphs if p.text], [p.text for p in right.paragraphs if p.text]


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def assert_page_and_language(path: Path) -> None:
    doc = Document(str(path))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    assert abs(section.left_margin - Cm(3)) < Cm(0.05) and abs(section.right_margin - Cm(2)) < Cm(0.05)
    assert abs(section.top_margin - Cm(2)) < Cm(0.05) and abs(section.bottom_margin - Cm(2)) < Cm(0.05)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert "en-US" not in styles and "en-US" not in settings
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
    assert defaults and 'w:val="vi-VN"' in defaults.group(0) and 'w:eastAsia="vi-VN"' in defaults.group(0)
    assert re.search(r'<w:themeFontLang w:val="vi-VN"', settings)
    assert doc.core_properties.language == "vi-VN"


# ---------------------------------------------------------------- báo cáo thành tích
def test_seed_002_yields_a_report_for_each_proposed_head(seeds: Path, tmp_path: Path) -> None:
    code, out, err = dossier(seeds, tmp_path, THIDUA)
    assert code == 0, err
    made = sorted(p.name for p in tmp_path.glob("bao-cao-thanh-tich-*.docx"))
    assert made == sorted(f"bao-cao-thanh-tich-{e}.docx" for e in RECOGNISED_412), made
    assert "[10/10]" in out
    for name in made:
        assert_page_and_language(tmp_path / name)
        doc = Document(str(tmp_path / name))
        left, right = header_of(doc)
        assert len(left) == 2 and all(line == line.upper() for line in left), left  # superior, then the unit
        assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
        assert right[2].endswith("ngày …. tháng …. năm ……")  # the report's date is left to write
        lines = texts(doc)
        assert lines[0].startswith("Mẫu số 07 (Nghị định số 91/2017/NĐ-CP)")
        for heading in ("BÁO CÁO THÀNH TÍCH", "ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ TỊCH UBND TỈNH", "I. THÔNG TIN CHUNG", "II. THÀNH TÍCH ĐẠT ĐƯỢC"):
            assert heading in lines, heading
        assert "- Sinh ngày, tháng, năm: ……………………………" in lines
        targets = next(cells(t) for t in doc.tables if t.rows[0].cells[1].text == "Chỉ tiêu thi đua")
        assert targets[0] == ["STT", "Chỉ tiêu thi đua", "Chỉ tiêu kế hoạch", "Kết quả đạt được", "Đánh giá"]
        assert len(targets) - 1 in (8, 9)  # commune level has 8 targets, province and district 9
        assert all(row[4].startswith(("Đạt", "Không áp dụng")) for row in targets[1:]), targets
        names = [t for t in doc.tables[-1].rows[1].cells[1].paragraphs if t.text]
        assert names and names[-1].text  # the author's name under «NGƯỜI BÁO CÁO THÀNH TÍCH»

    doc = Document(str(tmp_path / "bao-cao-thanh-tich-khen-giam-doc-so-cong-thuong-2023.docx"))
    left, _ = header_of(doc)
    assert left[0] == OFFICIAL.upper()  # the superior's official name, not its display name «UBND TỈNH …»
    assert left[1] == "SỞ CÔNG THƯƠNG TỈNH BÀ RỊA – VŨNG TÀU" and "Lê Quang Vinh, Giám đốc Sở Công Thương" in "\n".join(texts(doc))
    targets = next(cells(t) for t in doc.tables if t.rows[0].cells[1].text == "Chỉ tiêu thi đua")
    online = next(r for r in targets if r[1].startswith("Giải quyết hồ sơ dịch vụ công trực tuyến"))
    assert online[2:] == ["≥ 90%", "98,7%", "Đạt, vượt 8,7 điểm %"]
    discipline = next(r for r in targets if "kỷ luật" in r[1])
    assert discipline[2:] == ["Không có", "0", "Đạt"]
    signers = doc.tables[-1]
    assert "NGƯỜI BÁO CÁO THÀNH TÍCH" in signers.rows[0].cells[1].text and "Lê Quang Vinh" in signers.rows[1].cells[1].text
    assert "NHẬN XÉT, XÁC NHẬN" in signers.rows[0].cells[0].text


def test_one_nomination_and_a_commune_head(seeds: Path, tmp_path: Path) -> None:
    code, _, err = dossier(seeds, tmp_path, "khen-chu-tich-ubnd-xa-binh-chau-2023", "--date", "18/12/2023")
    assert code == 0, err
    doc = Document(str(tmp_path / "bao-cao-thanh-tich-khen-chu-tich-ubnd-xa-binh-chau-2023.docx"))
    _, right = header_of(doc)
    assert right[2].endswith("ngày 18 tháng 12 năm 2023")
    targets = next(cells(t) for t in doc.tables if t.rows[0].cells[1].text == "Chỉ tiêu thi đua")
    assert len(targets) == 1 + 8  # cấp xã
    assert "1. Kết quả thực hiện các chỉ tiêu thi đua đối với cấp xã" in texts(doc)


def test_default_form_is_the_decree_in_force(tmp_path: Path) -> None:
    kho = make_repo(tmp_path)
    code, _, err = dossier(kho, tmp_path, "khen-an-hoa")
    assert code == 0, err
    doc = Document(str(tmp_path / "bao-cao-thanh-tich-khen-an-hoa.docx"))
    assert "Nghị định số 98/2023/NĐ-CP" in texts(doc)[0]
    left, _ = header_of(doc)
    assert left[:2] == ["UBND HUYỆN THỬ NGHIỆM", "UBND XÃ AN HÒA"]


# ---------------------------------------------------------------- tờ trình, biên bản, quyết định: thi đua
def test_seed_002_submission_minutes_and_decision(seeds: Path, tmp_path: Path) -> None:
    code, out, err = dossier(seeds, tmp_path, THIDUA, "--submission", "--minutes", "--decision", "--date", "16/01/2024",
                             "--chair", "Trần Văn Chủ", "--secretary", "Lê Thị Thư", "--present", "Phạm Văn Một", "Ngô Thị Hai",
                             "--absent", "Đỗ Văn Ba")
    assert code == 0, err
    for kind in ("to-trinh", "bien-ban", "quyet-dinh"):
        assert_page_and_language(tmp_path / f"{kind}-{THIDUA}.docx")

    doc = Document(str(tmp_path / f"to-trinh-{THIDUA}.docx"))
    left, right = header_of(doc)
    assert left == [OFFICIAL.upper(), "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "Số: ……/TTr-HĐTĐKT"]
    assert right[2] == "Bà Rịa - Vũng Tàu, ngày 16 tháng 01 năm 2024"
    lines = texts(doc)
    assert "TỜ TRÌNH" in lines and f"Kính gửi: Chủ tịch {OFFICIAL}" in lines
    assert any(t.startswith("Căn cứ Kế hoạch số ……/KH-UBND năm 2023 của " + OFFICIAL) for t in lines)
    proposal = next(cells(t) for t in doc.tables if t.rows[0].cells[0].text == "STT")
    assert len(proposal) == 11 and proposal[0] == ["STT", "Họ và tên", "Chức vụ, đơn vị", "Thành tích (đối chiếu chỉ tiêu)"]
    assert {r[1] for r in proposal[1:]} >= {"Lê Quang Vinh"}
    close = doc.tables[-1]
    assert close.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in close.rows[0].cells[1].paragraphs if p.text][:2] == ["TM. HỘI ĐỒNG", "CHỦ TỊCH"]
    assert "Trần Văn Chủ" in close.rows[0].cells[1].text

    doc = Document(str(tmp_path / f"bien-ban-{THIDUA}.docx"))
    left, _ = header_of(doc)
    assert left[-1] == "Số: ……/BB-HĐTĐKT"
    lines = texts(doc)
    assert "BIÊN BẢN" in lines and "Thời gian: vào lúc …… giờ …… phút, ngày 16 tháng 01 năm 2024." in lines
    members = next(cells(t) for t in doc.tables if t.rows[0].cells[-1].text == "Ghi chú" and t.rows[0].cells[1].text == "Họ và tên")
    attendance = {r[1]: r[2] for r in members[1:]}
    assert attendance == {"Trần Văn Chủ": "Có mặt", "Lê Thị Thư": "Có mặt", "Phạm Văn Một": "Có mặt", "Ngô Thị Hai": "Có mặt", "Đỗ Văn Ba": "Vắng mặt"}
    assert "Có mặt 4/5 thành viên; vắng mặt 1." in lines
    screening = next(cells(t) for t in doc.tables if t.rows[0].cells[1].text == "Hồ sơ")
    assert len(screening) == 1 + 13
    assert sum(1 for r in screening[1:] if r[3] == "Không đạt") == 2
    votes = next(cells(t) for t in doc.tables if t.rows[0].cells[-1].text == "Không đồng ý")
    assert len(votes) == 11 and all(r[2] == "……/……" for r in votes[1:])  # votes are written by hand, never invented
    signers = doc.tables[-1]
    assert "THƯ KÝ" in signers.rows[0].cells[0].text and "Lê Thị Thư" in signers.rows[1].cells[0].text
    assert "CHỦ TRÌ" in signers.rows[0].cells[1].text and "Trần Văn Chủ" in signers.rows[1].cells[1].text

    doc = Document(str(tmp_path / f"quyet-dinh-{THIDUA}.docx"))
    left, right = header_of(doc)
    assert left == [OFFICIAL.upper(), "Số: 412/QĐ-UBND"]
    assert right[2] == "Bà Rịa - Vũng Tàu, ngày 23 tháng 02 năm 2024"
    lines = texts(doc)
    assert "QUYẾT ĐỊNH" in lines and f"CHỦ TỊCH {OFFICIAL.upper()}" in lines and "QUYẾT ĐỊNH:" in lines
    assert any(t.startswith("Điều 1. Tặng Bằng khen của Chủ tịch UBND tỉnh cho 10 cá nhân") for t in lines)
    assert any(t.startswith("Căn cứ Nghị quyết số 76/NQ-CP ngày 15/07/2021 của Chính phủ") for t in lines)
    assert f"(Kèm theo Quyết định số 412/QĐ-UBND ngày 23 tháng 02 năm 2024 của Chủ tịch {OFFICIAL})" in lines
    annex = cells(doc.tables[-1])
    assert annex[0] == ["STT", "Họ và tên", "Chức vụ, đơn vị", "Thành tích"] and len(annex) == 11
    assert annex[1][1] == "Lê Quang Vinh" and annex[1][3].startswith("Đạt mọi chỉ tiêu cấp tỉnh")
    sign = [p.text for p in doc.tables[-2].rows[0].cells[1].paragraphs if p.text]
    assert sign[0] == "CHỦ TỊCH"  # «Chủ tịch UBND tỉnh» in decisions.yaml: the title only


def test_a_units_own_submission(seeds: Path, tmp_path: Path) -> None:
    code, _, err = dossier(seeds, tmp_path, THIDUA, "--submission", "--unit", "brvt-so-cong-thuong")
    assert code == 0, err
    doc = Document(str(tmp_path / f"to-trinh-{THIDUA}-brvt-so-cong-thuong.docx"))
    left, _ = header_of(doc)
    assert left == [OFFICIAL.upper(), "SỞ CÔNG THƯƠNG TỈNH BÀ RỊA – VŨNG TÀU", "Số: ……/TTr-SCT"]
    assert "Kính gửi: UBND tỉnh (qua Sở Nội vụ - Ban Thi đua - Khen thưởng tỉnh)" in texts(doc)
    proposal = next(cells(t) for t in doc.tables if t.rows[0].cells[0].text == "STT")
    assert [r[1] for r in proposal[1:]] == ["Lê Quang Vinh"]


# ---------------------------------------------------------------- sáng kiến
def test_sang_kien_minutes_and_decision(seeds: Path, tmp_path: Path) -> None:
    code, _, err = dossier(seeds, tmp_path, SANGKIEN, "--minutes", "--decision", "--submission")
    assert code == 0, err
    doc = Document(str(tmp_path / f"bien-ban-{SANGKIEN}.docx"))
    left, right = header_of(doc)
    assert left[-1] == "Số: ……/BB-HĐSK" and right[2] == "Châu Thành, ngày …. tháng …. năm ……"
    scores = next(cells(t) for t in doc.tables if t.rows[0].cells[-2].text == "Điểm tổng hợp")
    assert scores[0][2:5] == ["Nguyễn Thị Thu Hà", "Phạm Quốc Khánh", "Võ Thanh Tâm"]
    first = scores[1]
    assert first[2:5] == ["90", "86", "87"] and first[5] == "87,67" and first[6] == "Đạt"
    members = next(cells(t) for t in doc.tables if t.rows[0].cells[1].text == "Họ và tên")
    assert [r[2] for r in members[1:]] == ["……"] * 3  # attendance not given: left to fill
    assert "Có mặt ……/…… thành viên; vắng mặt …… (ghi rõ lý do)." in texts(doc)

    doc = Document(str(tmp_path / f"quyet-dinh-{SANGKIEN}.docx"))
    left, right = header_of(doc)
    assert left[-1] == "Số: 1682/QĐ-UBND" and right[2] == "Châu Thành, ngày 25 tháng 7 năm 2024"
    sign = [p.text for p in doc.tables[-2].rows[0].cells[1].paragraphs if p.text]
    assert sign[:2] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    annex = cells(doc.tables[-1])
    assert annex[0] == ["STT", "Tên sáng kiến, giải pháp", "Tác giả", "Đơn vị", "Hạng"] and len(annex) == 4

    doc = Document(str(tmp_path / f"to-trinh-{SANGKIEN}.docx"))
    proposal = next(cells(t) for t in doc.tables if t.rows[0].cells[0].text == "STT")
    assert proposal[0][-2:] == ["Điểm (/100)", "Đề nghị"] and len(proposal) == 4
    assert proposal[1][-2:] == ["87,67", "Công nhận"]


def test_a_draft_decision_without_a_recorded_one(tmp_path: Path) -> None:
    kho = make_repo(tmp_path)
    code, _, err = dossier(kho, tmp_path, "td-thu-2023", "--decision", "--number", "7/QĐ-UBND", "--date", "05/02/2024")
    assert code == 0, err
    doc = Document(str(tmp_path / "quyet-dinh-td-thu-2023.docx"))
    left, right = header_of(doc)
    assert left[-1] == "Số: 7/QĐ-UBND" and right[2].endswith("ngày 05 tháng 02 năm 2024")
    annex = cells(doc.tables[-1])
    assert [r[1] for r in annex[1:]] == ["Nguyễn Văn Một", "Trần Thị Hai", "Hoàng Văn Năm"]  # the proposal (cap 3), not decision 20/QĐ


# ---------------------------------------------------------------- refusals
def test_refusals_have_codes_places_and_fixes(seeds: Path, tmp_path: Path) -> None:
    kho = make_repo(tmp_path)
    cases = [
        ((THIDUA, "--minutes", "--date", "31/02/2024"), seeds, "SK844", "--date"),
        ((THIDUA, "--submission", "--unit", "khong-co"), seeds, "SK846", "khong-co"),
        (("khen-giam-doc-so-y-te-2023", "--minutes"), seeds, "SK845", "sangkien dossier ba-ria-vung-tau-2023 --minutes"),
        (("khong-co-ma-nay",), seeds, "SK840", "khong-co-ma-nay"),
        (("sk-thu-2024", "--submission"), kho, "SK847", "sangkien results"),
    ]
    for args, root, code, text in cases:
        status, _, err = dossier(root, tmp_path, *args)
        assert status == 1 and code in err and text in err and "Cách sửa:" in err and "Traceback" not in err, (args, err)
    assert not list(tmp_path.glob("*.docx"))


# ---------------------------------------------------------------- rendering
def artefacts() -> Path:
    base = os.environ.get("SANGKIEN_TEST_ARTEFACTS")
    folder = (Path(base) if base else ROOT / "tests" / "artefacts") / "papers"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="LibreOffice hoặc pdftoppm không có trên máy này")
def test_every_paper_renders_to_a4_pages(seeds: Path, tmp_path: Path) -> None:
    """LibreOffice -> PDF -> PNG: each page exists, is A4-shaped and not blank; kept for a person to look at."""
    code, _, err = dossier(seeds, tmp_path, "khen-giam-doc-so-cong-thuong-2023", "--pdf")
    assert code == 0, err
    code, _, err = dossier(seeds, tmp_path, THIDUA, "--submission", "--minutes", "--decision", "--pdf", "--date", "16/01/2024")
    assert code == 0, err
    code, _, err = dossier(seeds, tmp_path, SANGKIEN, "--submission", "--minutes", "--decision", "--pdf")
    assert code == 0, err
    expected_pages = {"bao-cao-thanh-tich-khen-giam-doc-so-cong-thuong-2023": (2, 5), f"to-trinh-{THIDUA}": (1, 4),
                      f"bien-ban-{THIDUA}": (2, 6), f"quyet-dinh-{THIDUA}": (2, 5), f"to-trinh-{SANGKIEN}": (1, 4),
                      f"bien-ban-{SANGKIEN}": (2, 6), f"quyet-dinh-{SANGKIEN}": (2, 5)}
    folder = artefacts()
    for stem, (low, high) in expected_pages.items():
        pdf = tmp_path / f"{stem}.pdf"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        for old in folder.glob(f"{stem}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(folder / stem)], check=True, capture_output=True)
        pages = sorted(folder.glob(f"{stem}-*.png"))
        assert low <= len(pages) <= high, (stem, len(pages))
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        assert re.search(rf"^Pages:\s+{len(pages)}$", info, re.M), info
        assert re.search(r"Page size:\s+595(\.\d+)? x 841(\.\d+)? pts \(A4\)", info), info
        for png in pages:
            head = png.read_bytes()[:24]
            width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            assert (width, height) in ((413, 585), (414, 585), (413, 584)), (png.name, width, height)
            assert png.stat().st_size > 3000, png.name  # a page with text on it, not a blank sheet


def test_the_initiative_dossier_is_vietnamese_too(tmp_path: Path) -> None:
    """The older paper (cover, application form) shares the document setup: vi-VN, A4, page numbers."""
    kho = make_repo(tmp_path)
    code, _, err = dossier(kho, tmp_path, "mot-cua-so-hoa")
    assert code == 0, err
    assert_page_and_language(tmp_path / "mot-cua-so-hoa.docx")
