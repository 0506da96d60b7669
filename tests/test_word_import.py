"""sangkien import: Word out -> Word in (every shipped initiative's dossier), LibreOffice, legacy
fonts, folders of e-mailed files, and the coded refusals that write nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from helpers.cli import run_cli
from helpers.word import fill, legacy_document, ole, zip_bomb
from sangkien import validator
from sangkien.wordimport.docxread import read_blocks
from sangkien.wordimport.mapping import read

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN, UNIT = "kcn-hung-yen-2024", "hy-bql-doanh-nghiep"
# What the dossier's «Đơn yêu cầu công nhận sáng kiến» (TT 18/2013) does not print: a person adds them.


def _initiatives() -> list:
    repo = validator.load(ROOT).repo
    return [e for e in repo.entries.values() if e.kind == "entry" and repo.campaigns[e.campaign].kind != "thi-dua"]


def _sections(markdown: str) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    current = None
    for line in markdown.split("\n"):
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = []
        elif current is not None:
            out[current].append(line)
    plain = re.compile(r"\*\*|__|(?<!\w)[*_](?!\s)|(?<!\s)[*_](?!\w)")
    return {k: " ".join(plain.sub("", " ".join(v)).split()) for k, v in out.items()}


def _people(authors: list[dict]) -> list[dict]:
    keys = ("name", "position", "workplace", "qualification", "contribution", "representative")
    return [{k: a[k] for k in keys if a.get(k) not in (None, False)} for a in authors]


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dossiers")
    for entry in _initiatives():
        result = run_cli(["dossier", entry.id, "--out", str(out), "--root", str(ROOT)])
        assert result.code == 0, result.stdout + result.stderr
    return out


def test_every_shipped_dossier_reads_back_to_its_entry(dossiers: Path) -> None:
    entries = _initiatives()
    assert len(entries) >= 10
    for entry in entries:
        reading = read(f"{entry.id}.docx", read_blocks(dossiers / f"{entry.id}.docx"))
        for key in ("title", "field", "solution_type", "first_applied", "summary", "conditions", "benefits_author", "submitted"):
            assert reading.data.get(key) == entry.data.get(key), (entry.id, key)
        assert _people(reading.data["authors"]) == _people(entry.data["authors"]), entry.id
        assert reading.data["participation"] == entry.data["participation"], entry.id
        assert _sections(reading.body) == _sections(entry.body), entry.id
        for key in ("areas", "application_status", "scope"):  # printed beside the TT 18/2013 form for this
            assert reading.data.get(key) == entry.data.get(key), (entry.id, key)
        assert reading.problems == [], [p.message for p in reading.problems]


def test_a_dossier_imports_back_to_the_same_entry_and_validates(repo, dossiers: Path, tmp_path: Path) -> None:
    entry = next(e for e in _initiatives() if e.id == "ma-qr-tiep-nhan-phan-anh-kien-nghi-doanh-nghiep")
    original = repo.path / entry.path
    original.unlink()  # the entry comes back from its Word file
    decisions = repo.path / "entries" / CAMPAIGN / "decisions.yaml"
    word = dossiers / f"{entry.id}.docx"  # Word out -> Word in
    result = run_cli(["import", str(word), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 0, result.stdout
    written = next((repo.path / "entries" / CAMPAIGN / UNIT).glob("ma-qr-tiep-nhan-va-theo-doi*.md"))
    back = validator.load(repo.path).repo.entries[written.stem]
    for key in ("title", "unit", "areas", "solution_type", "application_status", "scope", "first_applied", "field", "results"):
        assert back.data.get(key) == entry.data.get(key), key
    assert _people(back.data["authors"]) == _people(entry.data["authors"])
    assert _sections(back.body) == _sections(entry.body)
    check = run_cli(["validate", str(written.relative_to(repo.path))], cwd=repo.path)
    assert check.code == 0, check.stdout
    assert decisions.exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_document_saved_by_libreoffice_reads_the_same(dossiers: Path, tmp_path: Path) -> None:
    source = dossiers / "so-hoa-ho-so-mot-cua-xa.docx"
    out = tmp_path / "lo"
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "docx",
                           "--outdir", str(out), str(source)], capture_output=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    saved = out / source.name
    assert saved.read_bytes() != source.read_bytes()
    first, second = read("a", read_blocks(source)), read("a", read_blocks(saved))
    assert first.data == second.data
    assert first.body == second.body
    assert [p.message for p in first.problems] == [p.message for p in second.problems]


def test_tcvn3_and_vni_runs_become_unicode(tmp_path: Path) -> None:
    reading = read("cu.docx", read_blocks(legacy_document(tmp_path / "cu.docx")))
    assert reading.data["title"] == "Cải cách thủ tục hành chính"
    assert "## THỰC TRẠNG\n\nNgười dân phải đi lại nhiều lần." in reading.body
    assert "## Giải pháp\n\nTiếp nhận hồ sơ trực tuyến." in reading.body


def test_legacy_font_import_says_what_it_converted(repo, tmp_path: Path) -> None:
    result = run_cli(["import", str(legacy_document(tmp_path / "cu.docx")), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 1  # the rest of the form is missing: reported, nothing written
    assert "SK042" in result.stdout and "TCVN3 (.VnTime) và VNI" in result.stdout
    assert "SK040" in result.stdout and "SK036" in result.stdout
    assert _untouched(repo)


def _untouched(repo) -> bool:  # type: ignore[no-untyped-def]
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo.path, capture_output=True, text=True,
                          check=True).stdout.strip() == ""


def _sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes that starts like a ZIP, without writing them (the size alone must refuse it)."""
    with path.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(size)
    return path


@pytest.mark.parametrize(("make", "code", "words"), [
    (lambda d: ole(d / "cu.doc", encrypted=False), "SK031", "Lưu thành .docx"),
    (lambda d: ole(d / "mat-khau.docx", encrypted=True), "SK032", "mật khẩu"),
    (lambda d: (d / "hong.docx").write_bytes(b"PK\x03\x04 not really a zip") and d / "hong.docx", "SK030", "bị hỏng"),
    (lambda d: (d / "anh.docx").write_bytes(b"\xff\xd8\xff\xe0 a jpeg") and d / "anh.docx", "SK030", "không phải tệp Word"),
    (lambda d: zip_bomb(d / "bom.docx"), "SK033", "bom nén"),
    (lambda d: _sparse(d / "lon.docx", 25_000_000), "SK033", "vượt giới hạn 20,0 MB"),
])
def test_refusals_are_coded_and_write_nothing(repo, tmp_path: Path, make, code: str, words: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    result = run_cli(["import", str(path), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 1
    assert f"lỗi {code}:" in result.stdout and words in result.stdout, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert _untouched(repo)


def test_document_without_form_or_headings_is_refused(repo, tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Kính gửi Phòng Nội vụ, chúng tôi gửi bài dự thi.")
    doc.add_paragraph("Nội dung: làm tốt công việc.")
    doc.save(str(tmp_path / "thu.docx"))
    result = run_cli(["import", str(tmp_path / "thu.docx"), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 1 and "lỗi SK034:" in result.stdout and "sangkien template" in result.stdout
    assert _untouched(repo)


def test_folder_of_emailed_files_gets_one_report(repo, tmp_path: Path) -> None:
    inbox = tmp_path / "thu-den"
    inbox.mkdir()
    template = tmp_path / "mau"
    template.mkdir()
    assert run_cli(["template", "--campaign", CAMPAIGN, "--out", str(template), "--root", str(repo.path)]).code == 0
    blank = template / f"mau-sang-kien-{CAMPAIGN}.docx"
    fill(blank, inbox / "1-day-du.docx")
    shutil.copy(blank, inbox / "2-mau-trong.docx")
    fill(blank, inbox / "3-thieu.docx", fields={"Tên sáng kiến": "Sổ theo dõi hồ sơ điện tử của phòng"}, ticked={})
    ole(inbox / "4-cu.doc", encrypted=False)
    result = run_cli(["import", str(inbox), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 1
    out = result.stdout
    for name in ("1-day-du.docx", "2-mau-trong.docx", "3-thieu.docx", "4-cu.doc"):
        assert f"── {inbox / name}" in out
    assert "Đã nhập" in out and "lỗi SK035:" in out and "lỗi SK031:" in out
    assert "chưa ghi «Lĩnh vực áp dụng sáng kiến»" in out and "chưa chọn «Loại giải pháp»" in out
    assert "Đã đọc 4 tệp Word: 1 tệp đã nhập, 3 tệp chưa nhập được." in out
    written = sorted(p.name for p in (repo.path / "entries" / CAMPAIGN / UNIT).iterdir())
    assert "mot-cua-dien-tu-cho-ho-so-dau-tu-trong-khu-cong-nghiep.md" in written
    assert not any(n.startswith("so-theo-doi") for n in written)


def test_same_title_twice_is_refused(repo, tmp_path: Path) -> None:
    template = tmp_path / "mau"
    template.mkdir()
    assert run_cli(["template", "--campaign", CAMPAIGN, "--out", str(template), "--root", str(repo.path)]).code == 0
    word = fill(template / f"mau-sang-kien-{CAMPAIGN}.docx", tmp_path / "bai.docx")
    args = ["import", str(word), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)]
    assert run_cli(args).code == 0
    before = (repo.path / "entries" / CAMPAIGN / UNIT / "mot-cua-dien-tu-cho-ho-so-dau-tu-trong-khu-cong-nghiep.md").read_bytes()
    again = run_cli(args)
    assert again.code == 1 and "lỗi SK043:" in again.stdout
    assert (repo.path / "entries" / CAMPAIGN / UNIT / "mot-cua-dien-tu-cho-ho-so-dau-tu-trong-khu-cong-nghiep.md").read_bytes() == before


def test_entry_the_validator_rejects_is_not_written(repo, tmp_path: Path) -> None:
    template = tmp_path / "mau"
    template.mkdir()
    assert run_cli(["template", "--campaign", CAMPAIGN, "--out", str(template), "--root", str(repo.path)]).code == 0
    # contributions that do not add up to 100 are read fine, and the validator refuses them (SK214)
    people = [["Nguyễn Văn An", "Chuyên viên", "Ban Quản lý", "Cử nhân", "70", "x"], ["Trần Thị Bình", "Chuyên viên", "Ban Quản lý", "Cử nhân", "40", ""]]
    word = fill(template / f"mau-sang-kien-{CAMPAIGN}.docx", tmp_path / "bai.docx", authors=people)
    result = run_cli(["import", str(word), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 1 and "lỗi SK044:" in result.stdout and "SK214" in result.stdout
    assert _untouched(repo)


def test_unknown_unit_and_missing_file_are_usage_errors(repo, tmp_path: Path) -> None:
    result = run_cli(["import", str(tmp_path / "khong-co.docx"), "--campaign", CAMPAIGN, "--unit", "khong-co", "--root", str(repo.path)])
    assert result.code == 2 and "SK921" in result.stdout and "Chưa nhập tệp nào." in result.stdout
    assert _untouched(repo)


def _filled(repo, tmp_path: Path, **changes) -> Path:  # type: ignore[no-untyped-def]
    template = tmp_path / "mau"
    template.mkdir(exist_ok=True)
    assert run_cli(["template", "--campaign", CAMPAIGN, "--out", str(template), "--root", str(repo.path)]).code == 0
    return fill(template / f"mau-sang-kien-{CAMPAIGN}.docx", tmp_path / "bai.docx", **changes)


def test_problems_say_where_they_looked_and_nothing_is_guessed(repo, tmp_path: Path) -> None:
    from helpers.word import FILLED, TICKED

    fields = {**FILLED, "Ngày áp dụng lần đầu hoặc áp dụng thử (ngày/tháng/năm)": "31/02/2024"}
    ticked = {**TICKED, "Loại giải pháp": ["Giải pháp quản lý", "Giải pháp tác nghiệp"]}
    word = _filled(repo, tmp_path, fields=fields, ticked=ticked)
    result = run_cli(["import", str(word), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 1
    lines = result.stdout.splitlines()
    # the form table is table 2 of the template (after the authors); its rows count from the header
    date = next(line for line in lines if "SK037" in line)
    assert "Bảng 2, dòng 8 («Ngày áp dụng lần đầu hoặc áp dụng thử (ngày/tháng/năm)»)" in date and "tháng 2 năm 2024 chỉ có 29 ngày" in date
    two = next(line for line in lines if "SK039" in line)
    assert "Bảng 2, dòng 6 («Loại giải pháp»)" in two and "chỉ chọn một nhưng đang chọn 2" in two
    assert _untouched(repo)


def test_group_without_one_representative_is_not_guessed(repo, tmp_path: Path) -> None:
    people = [["Nguyễn Văn An", "Chuyên viên", "Ban Quản lý", "Cử nhân", "60", ""], ["Trần Thị Bình", "Chuyên viên", "Ban Quản lý", "Cử nhân", "40", ""]]
    word = _filled(repo, tmp_path, authors=people)
    result = run_cli(["import", str(word), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 1 and "lỗi SK040: Bảng 1: nhóm 2 tác giả cần đúng một người đại diện, đang có 0." in result.stdout
    assert _untouched(repo)


def test_entity_declarations_are_refused_before_parsing(repo, tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "thuc-the.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><d>&b;</d>')
    result = run_cli(["import", str(path), "--campaign", CAMPAIGN, "--unit", UNIT, "--root", str(repo.path)])
    assert result.code == 1 and "lỗi SK030:" in result.stdout and "DOCTYPE" in result.stdout
    assert _untouched(repo)
