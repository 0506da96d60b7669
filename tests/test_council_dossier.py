"""The paper dossier: A4, Times New Roman 14, page numbers, cover, national form, body, results; PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm, Pt
from helpers.council_kit import CAMPAIGN, make_repo, run
from sangkien.cli import main


@pytest.fixture(scope="module")
def kho(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("dossier"))


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_entry_dossier(kho: Path, tmp_path: Path) -> None:
    assert main(["dossier", "mot-cua-so-hoa", "--out", str(tmp_path), "--root", str(kho)]) == 0
    doc = Document(str(tmp_path / "mot-cua-so-hoa.docx"))
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    texts = _texts(doc)
    start = texts.index("NỘI DUNG SÁNG KIẾN")
    body = [p for p in doc.paragraphs[start + 1:] if p.text.strip() and p.style.name == "Normal"]
    assert body and any("Quét hồ sơ ngay tại quầy" in p.text for p in body)
    for p in body:
        for r in p.runs:
            assert r.font.size in (None, Pt(14)) and r.font.name in (None, "Times New Roman"), (p.text, r.text)
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    cover = "\n".join(texts[:start])
    for text in ("SỐ HÓA HỒ SƠ NGAY TẠI BỘ PHẬN MỘT CỬA XÃ AN HÒA", "Nguyễn Thị Hòa", "Công chức Tư pháp - Hộ tịch", "Trần Văn Phú",
                 "Công chức Văn phòng - Thống kê", "UBND XÃ AN HÒA", "Đơn vị: UBND xã An Hòa", "UBND HUYỆN THỬ NGHIỆM"):
        assert text in cover, text
    for text in ("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN", "Kính gửi: UBND huyện Thử Nghiệm (qua Phòng Nội vụ)", "15/01/2024",
                 "Thử Nghiệm, ngày 15 tháng 3 năm 2024"):
        assert any(text in t for t in texts), text
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    authors = next(t for t in tables if t[0][-1].startswith("Tỷ lệ (%)"))
    assert authors[1][1] == "Nguyễn Thị Hòa" and authors[1][-1] == "70%" and authors[1][2] == "" and authors[2][-1] == "30%"
    results = next(t for t in tables if t[0][1] == "Chỉ tiêu")
    assert results[1][5] == "giảm 75%" and results[2][5] == "tăng 63 điểm phần trăm"
    participants = next(t for t in tables if t[0][-1] == "Nội dung công việc hỗ trợ")
    assert participants[1][1] == "Hoàng Văn Sơn"
    assert any(t[0] == ["Bước", "Thời gian"] for t in tables), "the Markdown table of the body"


def test_unit_bundle_and_refusals(kho: Path, tmp_path: Path, capsys) -> None:
    assert main(["dossier", CAMPAIGN, "--unit", "thu-xa-an-hoa", "--out", str(tmp_path), "--root", str(kho)]) == 0
    out = capsys.readouterr().out
    assert "[1/2] mot-cua-so-hoa" in out and "[2/2] tra-cuu-ho-so-qr" in out
    doc = Document(str(tmp_path / f"ho-so-{CAMPAIGN}-thu-xa-an-hoa.docx"))
    texts = "\n".join(_texts(doc))
    assert "Gồm 2 sáng kiến, giải pháp:" in texts and texts.count("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN") == 2
    assert "TRA CỨU TÌNH TRẠNG HỒ SƠ BẰNG MÃ QR" in texts
    assert main(["dossier", "khen-an-hoa", "--submission", "--out", str(tmp_path), "--root", str(kho)]) == 1
    assert "SK845" in capsys.readouterr().err
    assert main(["dossier", "khong-co", "--out", str(tmp_path), "--root", str(kho)]) == 1
    assert "SK840" in capsys.readouterr().err
    assert main(["dossier", "mot-cua-so-hoa", "--out", str(kho / "entries"), "--root", str(kho)]) == 1
    assert "SK841" in capsys.readouterr().err


def test_without_libreoffice_the_docx_is_kept(kho: Path, tmp_path: Path) -> None:
    empty = tmp_path / "khong-co-gi"
    empty.mkdir()
    done = run(kho, "dossier", "so-tay-tu-phap", "--pdf", "--out", str(tmp_path), env={"PATH": str(empty)})
    assert done.returncode == 1
    assert "SK842" in done.stderr and "LibreOffice" in done.stderr and "Word" in done.stderr
    assert (tmp_path / "so-tay-tu-phap.docx").is_file() and not (tmp_path / "so-tay-tu-phap.pdf").exists()


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None, reason="LibreOffice không có trên máy này")
def test_pdf_with_libreoffice(kho: Path, tmp_path: Path) -> None:
    done = run(kho, "dossier", "mot-cua-so-hoa", "--pdf", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    pdf = (tmp_path / "mot-cua-so-hoa.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages >= 4, pages  # cover, form (two pages), body with results
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
    assert boxes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes), "A4 is 595 x 842 points"
