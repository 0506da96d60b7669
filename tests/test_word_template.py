"""sangkien template: the Word template of a campaign, and what a person fills in comes back as a valid entry."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

from docx import Document
from helpers.cli import run_cli
from helpers.word import fill
from sangkien.wordimport.rules import rules

CAMPAIGN, UNIT = "kcn-hung-yen-2024", "hy-bql-doanh-nghiep"


def _template(kho: Path, out: Path) -> Path:
    out.mkdir(exist_ok=True)
    result = run_cli(["template", "--campaign", CAMPAIGN, "--out", str(out), "--root", str(kho)])
    assert result.code == 0, result.stdout + result.stderr
    path = out / f"mau-sang-kien-{CAMPAIGN}.docx"
    assert path.is_file()
    return path


def test_template_is_a4_times_vi_with_the_form_and_the_sections(repo, tmp_path: Path) -> None:
    doc = Document(str(_template(repo.path, tmp_path / "mau")))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    assert 'w:val="vi-VN"' in doc.styles.element.xml
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN" in text
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings == [s["heading"] for s in rules()["body"]["sections"]]
    form = doc.tables[1]
    labels = [r.cells[0].text for r in form.rows[1:]]
    assert "Tên sáng kiến" in labels and "Loại giải pháp" in labels
    choices = {r.cells[0].text: r.cells[1].text for r in form.rows[1:]}
    # choices are listed by their Vietnamese label, never by code
    assert "☐ Giải pháp quản lý" in choices["Loại giải pháp"] and "quan-ly" not in choices["Loại giải pháp"]
    assert "☐ Cải cách thủ tục hành chính, cơ chế một cửa" in choices["Lĩnh vực cải cách hành chính"]
    people = [c.text for c in doc.tables[0].rows[0].cells]
    assert "Tỷ lệ đóng góp (%)" in people and not any("sinh" in c for c in people)  # no date of birth in a public file


def test_filled_template_imports_and_validates_clean(repo, tmp_path: Path) -> None:
    filled = fill(_template(repo.path, tmp_path / "mau"), tmp_path / "bai.docx")
    result = run_cli(["import", str(filled), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 0, result.stdout
    rel = f"entries/{CAMPAIGN}/{UNIT}/mot-cua-dien-tu-cho-ho-so-dau-tu-trong-khu-cong-nghiep.md"
    text = (repo.path / rel).read_text(encoding="utf-8")
    assert "areas: [thu-tuc-hanh-chinh, chinh-quyen-so]" in text
    assert "solution_type: quan-ly" in text and "first_applied: \"2024-03-01\"" in text
    assert "representative: true" in text and "contribution: 40\n" in text
    assert "## Giải pháp\n\nCác bước:\n\n- Tiếp nhận trực tuyến.\n- Trả kết quả trực tuyến." in text
    assert "Kết quả đạt được" not in text  # an empty section of the template is left out
    check = run_cli(["validate", rel], cwd=repo.path)
    assert check.code == 0 and " 0 lỗi, 0 cảnh báo" in check.stdout, check.stdout


def test_picture_in_the_body_becomes_an_attachment(repo, tmp_path: Path) -> None:
    filled = fill(_template(repo.path, tmp_path / "mau"), tmp_path / "bai.docx", image=True)
    result = run_cli(["import", str(filled), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 0, result.stdout
    folder = repo.path / "entries" / CAMPAIGN / UNIT
    picture = folder / "mot-cua-dien-tu-cho-ho-so-dau-tu-trong-khu-cong-nghiep-hinh-1.png"
    assert picture.read_bytes().startswith(b"\x89PNG")
    text = (folder / "mot-cua-dien-tu-cho-ho-so-dau-tu-trong-khu-cong-nghiep.md").read_text(encoding="utf-8")
    assert "![Hình 1](mot-cua-dien-tu-cho-ho-so-dau-tu-trong-khu-cong-nghiep-hinh-1.png)" in text
    assert "file: mot-cua-dien-tu-cho-ho-so-dau-tu-trong-khu-cong-nghiep-hinh-1.png" in text


def test_unknown_campaign_is_a_coded_usage_error(repo, tmp_path: Path) -> None:
    result = run_cli(["template", "--campaign", "khong-co", "--out", str(tmp_path), "--root", str(repo.path)])
    assert result.code == 2 and "SK921" in result.stdout and "kcn-hung-yen-2024" in result.stdout
    assert not list(tmp_path.glob("*.docx"))


def test_site_hook_writes_one_template_per_open_campaign(repo, tmp_path: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from sangkien import validator
    from sangkien.council.wordtemplate import write_templates

    camps = list(validator.load(repo.path).repo.campaigns.values())
    at = datetime(2024, 6, 1, 9, 0, tzinfo=timezone(timedelta(hours=7)))  # only the Châu Thành window is open
    written = write_templates(camps, tmp_path / "mau", at)
    assert [p.name for p in written] == ["mau-sang-kien-chau-thanh-2024.docx"]
    assert write_templates(camps, tmp_path / "sau", datetime(2030, 1, 1, tzinfo=UTC)) == []


def test_free_form_document_with_the_headings_imports(repo, tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH").runs[0].bold = True
    table = doc.add_table(rows=2, cols=5)
    for cell, text in zip(table.rows[0].cells, ["STT", "Họ và tên", "Chức vụ", "Nơi công tác", "Tỷ lệ đóng góp (%)"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1", "Lê Văn Cường", "Công chức Tư pháp - Hộ tịch", "UBND xã Thanh Long", "100"], strict=True):
        cell.text = text
    for line in ["- Tên sáng kiến: Sổ hộ tịch điện tử tra cứu tại xã",
                 "- Lĩnh vực áp dụng sáng kiến: Hộ tịch cấp xã",
                 "- Lĩnh vực cải cách hành chính: Cải cách thủ tục hành chính, cơ chế một cửa",
                 "- Loại giải pháp: Giải pháp tác nghiệp",
                 "- Tình trạng áp dụng: Đang áp dụng",
                 "- Phạm vi áp dụng: Cấp xã",
                 "- Ngày áp dụng lần đầu: 2024-04-02",
                 "- Tóm tắt: Sổ hộ tịch được số hóa để tra cứu ngay tại bộ phận một cửa, người dân không phải chờ tìm sổ giấy.",
                 "- Điều kiện cần thiết để áp dụng: Máy quét và một máy tính tại bộ phận một cửa.",
                 "- Lợi ích theo ý kiến tác giả: Tra cứu trong vài phút thay vì nửa ngày.",
                 "Thanh Long, ngày 10 tháng 6 năm 2024"]:
        doc.add_paragraph(line)
    heading = doc.add_paragraph()
    heading.add_run("I. THỰC TRẠNG").bold = True
    doc.add_paragraph("Sổ hộ tịch giấy lưu từ năm 1990, tìm mất nhiều thời gian.")
    heading = doc.add_paragraph()
    heading.add_run("II. GIẢI PHÁP").bold = True
    doc.add_paragraph("– Quét toàn bộ sổ.")
    doc.add_paragraph("– Lập chỉ mục theo họ tên và năm.")
    doc.save(str(tmp_path / "tu-do.docx"))
    result = run_cli(["import", str(tmp_path / "tu-do.docx"), "--campaign", "chau-thanh-2024", "--unit", "tn-ct-thanh-long", "--root", str(repo.path)])
    assert result.code == 0, result.stdout
    text = (repo.path / "entries/chau-thanh-2024/tn-ct-thanh-long/so-ho-tich-dien-tu-tra-cuu-tai-xa.md").read_text(encoding="utf-8")
    assert 'submitted: "2024-06-10"' in text and "participation: ca-nhan" in text and "solution_type: tac-nghiep" in text
    assert "## THỰC TRẠNG\n\nSổ hộ tịch giấy" in text
    assert "## GIẢI PHÁP\n\n- Quét toàn bộ sổ.\n- Lập chỉ mục theo họ tên và năm." in text
