"""sangkien template: the Word template of a campaign, and what a person fills in comes back as a valid entry."""

from __future__ import annotations

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
