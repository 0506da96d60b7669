"""Score sheets round trip: generate per member, fill with openpyxl, import into decisions.yaml, combine."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from helpers.council_kit import CAMPAIGN, DECISIONS, entry_rows, fill, make_repo, run
from openpyxl import load_workbook
from sangkien import yamlstrict
from sangkien.cli import main
from sangkien.validator import validate

MEMBERS = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường"]
SHEETS = {
    "Nguyễn Văn An": {"mot-cua-so-hoa": (36, 27, 26), "tra-cuu-ho-so-qr": (30, 24, 22), "so-tay-tu-phap": (25, 20, 18), "lich-tiep-dan-truc-tuyen": (18, 20, 20)},
    "Trần Thị Bình": {"mot-cua-so-hoa": (34, 26, 25), "tra-cuu-ho-so-qr": (31, 25, 24), "so-tay-tu-phap": (24, 21, 19), "lich-tiep-dan-truc-tuyen": (22, 18, 18)},
    # the divergent reader: 54 for tra-cuu-ho-so-qr where Bình gives 80 (gap 26 > divergence_gap 15)
    "Lê Hoàng Cường": {"mot-cua-so-hoa": (35, 28, 27), "tra-cuu-ho-so-qr": (20, 18, 16), "so-tay-tu-phap": (26, 22, 20), "lich-tiep-dan-truc-tuyen": (20, 19, 19)},
}
# Worked by hand from SHEETS with the fixture rubric (mean; minima 20/15/10; pass 60; tiers
# Nhất ≥80 ×1, Nhì ≥72 ×1, Ba ≥65 ×2; cap 3):
# mot-cua-so-hoa   35 + 27 + 26 = 88          -> 1, Giải Nhất
# tra-cuu-ho-so-qr 27 + 22,33 + 20,67 = 70    -> 2, below Nhì's 72 -> Giải Ba, divergent (80 vs 54)
# so-tay-tu-phap   25 + 21 + 19 = 65          -> 3, Giải Ba (cap 3 reached)
# lich-tiep-dan    20 + 19 + 19 = 58          -> not passed (total under 60)
EXPECTED = {
    "mot-cua-so-hoa": (1, 35, 27, 26, 88, "Đạt", "Giải Nhất"),
    "tra-cuu-ho-so-qr": (2, 27, 22.3333, 20.6667, 70, "Đạt", "Giải Ba"),
    "so-tay-tu-phap": (3, 25, 21, 19, 65, "Đạt", "Giải Ba"),
    "lich-tiep-dan-truc-tuyen": (None, 20, 19, 19, 58, "Không đạt", None),
}


def _sheet(out: Path, member: str) -> Path:
    from sangkien.council.scoresheet import file_name

    return out / file_name(CAMPAIGN, member)


@pytest.fixture
def kho(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def test_round_trip_three_members(kho: Path, tmp_path: Path) -> None:
    out = tmp_path / "phieu"
    args = [a for m in MEMBERS for a in ("--member", m)]
    done = run(kho, "scoresheet", CAMPAIGN, *args, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "[3/3] Lê Hoàng Cường" in done.stdout and "4 bài qua sơ loại" in done.stdout
    for member in MEMBERS:
        fill(_sheet(out, member), SHEETS[member], {"mot-cua-so-hoa": f"Nhận xét của {member}: rõ ràng, có số liệu."}, "10/04/2024")
    bad_row = entry_rows(_sheet(out, "Trần Thị Bình"))["so-tay-tu-phap"]
    fill(_sheet(out, "Trần Thị Bình"), {"so-tay-tu-phap": (45, 21, 19)})  # over the maximum of 40
    before = (kho / DECISIONS).read_bytes()

    refused = run(kho, "scores", "import", CAMPAIGN, *(str(_sheet(out, m)) for m in MEMBERS))
    assert refused.returncode == 1
    assert f"ô E{bad_row}" in refused.stderr and "SK807" in refused.stderr and "45" in refused.stderr and "Trang «Phiếu chấm»" in refused.stderr
    assert (kho / DECISIONS).read_bytes() == before, "nothing may be written while one sheet is bad"

    fill(_sheet(out, "Trần Thị Bình"), {"so-tay-tu-phap": SHEETS["Trần Thị Bình"]["so-tay-tu-phap"]})
    done = run(kho, "scores", "import", CAMPAIGN, *(str(_sheet(out, m)) for m in MEMBERS))
    assert done.returncode == 0, done.stderr
    assert "thêm 12" in done.stdout

    after = (kho / DECISIONS).read_text(encoding="utf-8")
    ops = {op for op, *_ in difflib.SequenceMatcher(None, before.decode().splitlines(), after.splitlines()).get_opcodes()}
    assert ops == {"equal", "insert"}, "the import only adds the scores block; every other line stays"
    assert "# Chú thích này phải còn nguyên sau khi nhập phiếu chấm." in after and "campaign: sk-thu-2024   # mã đợt" in after
    data = yamlstrict.load(after, DECISIONS).data
    scored = {(s["member"], s["entry"]): s for s in data["scores"]}
    assert scored[("Lê Hoàng Cường", "tra-cuu-ho-so-qr")]["criteria"] == {"tinh-moi": 20, "kha-thi": 18, "hieu-qua": 16}
    assert scored[("Nguyễn Văn An", "mot-cua-so-hoa")]["comment"].startswith("Nhận xét của Nguyễn Văn An")
    assert scored[("Nguyễn Văn An", "mot-cua-so-hoa")]["date"] == "2024-04-10"
    assert not validate(kho).errors

    draft = tmp_path / "du-kien"
    done = run(kho, "results", CAMPAIGN, "--out", str(draft))
    assert done.returncode == 0, done.stderr
    assert (kho / DECISIONS).read_text(encoding="utf-8") == after, "results never touch the decisions file"
    ws = load_workbook(draft / f"ket-qua-du-kien-{CAMPAIGN}.xlsx")["Kết quả dự kiến"]
    head = [c.value for c in ws[5]]
    rows = {r[1]: r for r in ws.iter_rows(min_row=6, values_only=True) if r[1]}
    for entry, (rank, a, b, c, total, verdict, award) in EXPECTED.items():
        row = dict(zip(head, rows[entry], strict=True))
        assert row["Hạng"] == rank, entry
        assert [round(row[h], 4) for h in head[4:7]] == pytest.approx([a, b, c], abs=1e-4), entry
        assert row["Tổng điểm"] == pytest.approx(total), entry
        assert row["Kết quả"] == verdict and (row["Giải / đề nghị"] or None) == award, entry
    flags = dict(zip(head, rows["tra-cuu-ho-so-qr"], strict=True))["Cần Hội đồng xem lại"]
    assert "Lệch điểm 26" in flags and "Trần Thị Bình 80" in flags and "Lê Hoàng Cường 54" in flags and "người chấm thứ ba" in flags
    assert not dict(zip(head, rows["mot-cua-so-hoa"], strict=True))["Cần Hội đồng xem lại"]
    md = (draft / f"ket-qua-du-kien-{CAMPAIGN}.md").read_text(encoding="utf-8")
    assert "| 1 | mot-cua-so-hoa |" in md and "Giải Nhất" in md and "không phải quyết định công nhận" in md
    assert "tổng 58 dưới 60" in done.stdout or "Không đạt" in done.stdout


def test_sheet_layout(kho: Path, tmp_path: Path) -> None:
    assert main(["scoresheet", CAMPAIGN, "--member", "Nguyễn Văn An", "--out", str(tmp_path), "--root", str(kho)]) == 0
    wb = load_workbook(_sheet(tmp_path, "Nguyễn Văn An"))
    assert wb.sheetnames == ["Phiếu chấm", "Thang điểm", "_sangkien"]
    assert wb["_sangkien"].sheet_state == "veryHidden"
    ws = wb["Phiếu chấm"]
    assert ws.protection.sheet is True
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$6:$6"
    assert ws["E6"].value.startswith("Tính mới") and "tối đa 40" in ws["E6"].value
    assert "Hoàn toàn mới" in ws["E6"].comment.text
    rows = entry_rows(_sheet(tmp_path, "Nguyễn Văn An"))
    assert set(rows) == {"mot-cua-so-hoa", "tra-cuu-ho-so-qr", "so-tay-tu-phap", "lich-tiep-dan-truc-tuyen"}, "only entries that passed screening"
    first, last = min(rows.values()), max(rows.values())
    rules = {str(dv.sqref): (dv.type, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert rules[f"E{first}:E{last}"] == ("decimal", "0", "40") and rules[f"F{first}:F{last}"] == ("decimal", "0", "30")
    assert ws[f"E{first}"].protection.locked is False and ws[f"I{first}"].protection.locked is False
    assert ws[f"B{first}"].protection.locked is not False and ws[f"H{first}"].protection.locked is not False


def test_refusals_name_sheet_cell_and_reason(kho: Path, tmp_path: Path, capsys) -> None:
    assert main(["scoresheet", CAMPAIGN, "--member", "Nguyễn Văn An", "--member", "Trần Thị Bình", "--out", str(tmp_path), "--root", str(kho)]) == 0
    an, binh = _sheet(tmp_path, "Nguyễn Văn An"), _sheet(tmp_path, "Trần Thị Bình")
    fill(an, SHEETS["Nguyễn Văn An"])
    fill(binh, SHEETS["Trần Thị Bình"])
    twin = tmp_path / "ban-sao-cua-an.xlsx"
    shutil.copy(an, twin)
    moved = tmp_path / "chen-dong.xlsx"
    shutil.copy(binh, moved)
    wb = load_workbook(moved)
    wb["Phiếu chấm"].insert_rows(8)
    wb.save(moved)
    notxlsx = tmp_path / "khong-phai.xlsx"
    notxlsx.write_text("không phải sổ tính", encoding="utf-8")
    partial = tmp_path / "thieu.xlsx"
    shutil.copy(binh, partial)
    row = entry_rows(partial)["so-tay-tu-phap"]
    wb = load_workbook(partial)
    wb["Phiếu chấm"][f"G{row}"] = None
    wb["Phiếu chấm"][f"F{row}"] = "hai mươi"
    wb.save(partial)
    before = (kho / DECISIONS).read_bytes()
    capsys.readouterr()
    assert main(["scores", "import", CAMPAIGN, str(an), str(twin), str(moved), str(notxlsx), "--root", str(kho)]) == 1
    err = capsys.readouterr().err
    assert "SK809" in err and "ban-sao-cua-an.xlsx" in err and "Nguyễn Văn An" in err
    assert "SK806" in err and "chen-dong.xlsx" in err and "ô B8" in err
    assert "SK804" in err and "khong-phai.xlsx" in err
    assert main(["scores", "import", CAMPAIGN, str(partial), "--root", str(kho)]) == 1
    err = capsys.readouterr().err
    assert f"ô G{row}" in err and "SK810" in err and f"ô F{row}" in err and "«hai mươi» không phải là số" in err
    assert (kho / DECISIONS).read_bytes() == before


def test_changed_rubric_and_screening_are_refused(kho: Path, tmp_path: Path, capsys) -> None:
    assert main(["scoresheet", CAMPAIGN, "--member", "Nguyễn Văn An", "--out", str(tmp_path), "--root", str(kho)]) == 0
    sheet = _sheet(tmp_path, "Nguyễn Văn An")
    fill(sheet, SHEETS["Nguyễn Văn An"])
    decisions = kho / DECISIONS
    original = decisions.read_text(encoding="utf-8")
    decisions.write_text(original.replace("  - entry: so-tay-tu-phap\n    result: dat\n",
                                          "  - entry: so-tay-tu-phap\n    result: khong-dat\n    reason: Trùng giải pháp đã có.\n"), encoding="utf-8")
    capsys.readouterr()
    assert main(["scores", "import", CAMPAIGN, str(sheet), "--root", str(kho)]) == 1
    err = capsys.readouterr().err
    assert "SK808" in err and "so-tay-tu-phap" in err and "sơ loại" in err
    decisions.write_text(original, encoding="utf-8")
    campaign = kho / f"entries/{CAMPAIGN}/campaign.yaml"
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("      max: 40\n", "      max: 50\n"), encoding="utf-8")
    assert main(["scores", "import", CAMPAIGN, str(sheet), "--root", str(kho)]) == 1
    err = capsys.readouterr().err
    assert "SK806" in err and "thang điểm" in err
    assert decisions.read_text(encoding="utf-8") == original


def test_blank_sheet_needs_a_name_and_reimport_replaces(kho: Path, tmp_path: Path, capsys) -> None:
    assert main(["scoresheet", CAMPAIGN, "--out", str(tmp_path), "--root", str(kho)]) == 0
    blank = tmp_path / f"phieu-cham-{CAMPAIGN}-thanh-vien.xlsx"
    fill(blank, {"mot-cua-so-hoa": (30, 20, 20)})
    capsys.readouterr()
    assert main(["scores", "import", CAMPAIGN, str(blank), "--root", str(kho)]) == 1
    assert "SK814" in capsys.readouterr().err
    wb = load_workbook(blank)
    wb["Phiếu chấm"]["C3"] = "Đặng Thu Hà"
    wb.save(blank)
    assert main(["scores", "import", CAMPAIGN, str(blank), "--date", "2024-04-12", "--root", str(kho)]) == 0
    assert "3 bài để trống" in capsys.readouterr().out
    fill(blank, {"mot-cua-so-hoa": (31.5, 20, 20)})
    assert main(["scores", "import", CAMPAIGN, str(blank), "--date", "2024-04-13", "--root", str(kho)]) == 0
    assert "thay 1" in capsys.readouterr().out
    scores = yamlstrict.load((kho / DECISIONS).read_text(encoding="utf-8"), DECISIONS).data["scores"]
    assert scores == [{"member": "Đặng Thu Hà", "entry": "mot-cua-so-hoa", "date": "2024-04-13",
                       "criteria": {"tinh-moi": 31.5, "kha-thi": 20, "hieu-qua": 20}}]


def test_no_screening_means_no_sheets(kho: Path, tmp_path: Path, capsys) -> None:
    decisions = kho / DECISIONS
    text = decisions.read_text(encoding="utf-8")
    decisions.write_text(text[: text.index("screening:")] + text[text.index("late_waivers:"):], encoding="utf-8")
    assert main(["scoresheet", CAMPAIGN, "--member", "A B", "--out", str(tmp_path), "--root", str(kho)]) == 1
    err = capsys.readouterr().err
    assert "SK803" in err and "chưa có kết quả sơ loại" in err
    assert not list(tmp_path.glob("*.xlsx"))


CALC = Path("/usr/lib/libreoffice/program/libsclo.so")


@pytest.mark.skipif(shutil.which("soffice") is None or not CALC.exists(), reason="LibreOffice Calc không có trên máy này")
def test_sheet_saved_again_by_libreoffice_calc_imports(kho: Path, tmp_path: Path, capsys) -> None:
    """A member who opens the sheet in LibreOffice Calc and saves it: the import must still trust it."""
    import subprocess

    assert main(["scoresheet", CAMPAIGN, "--member", "Nguyễn Văn An", "--out", str(tmp_path / "in"), "--root", str(kho)]) == 0
    sheet = _sheet(tmp_path / "in", "Nguyễn Văn An")
    fill(sheet, {"mot-cua-so-hoa": (36, 27, 26.5)}, {"mot-cua-so-hoa": "Tốt"}, "10/04/2024")
    out = tmp_path / "out"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
                    "--outdir", str(out), str(sheet)], capture_output=True, timeout=240, check=True)
    assert main(["scores", "import", CAMPAIGN, str(out / sheet.name), "--root", str(kho)]) == 0
    scores = yamlstrict.load((kho / DECISIONS).read_text(encoding="utf-8"), DECISIONS).data["scores"]
    assert scores == [{"member": "Nguyễn Văn An", "entry": "mot-cua-so-hoa", "date": "2024-04-10",
                       "criteria": {"tinh-moi": 36, "kha-thi": 27, "hieu-qua": 26.5}, "comment": "Tốt"}]
