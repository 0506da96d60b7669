"""Participation per eligible unit: minimum, screening, late entries; terminal table and XLSX."""

from __future__ import annotations

from pathlib import Path

from helpers.council_kit import CAMPAIGN, make_repo, run
from openpyxl import load_workbook
from sangkien import vntime
from sangkien.council.participation import participation
from sangkien.validator import load


def test_participation_rows(tmp_path: Path) -> None:
    kho = make_repo(tmp_path)
    repo = load(kho).repo
    rows = {r.unit_id: r for r in participation(repo, CAMPAIGN)}
    assert list(rows) == ["thu-noi-vu", "thu-tu-phap", "thu-xa-an-hoa", "thu-xa-binh-minh", "thu-xa-cat-tien"]
    assert (rows["thu-xa-an-hoa"].submitted, rows["thu-xa-an-hoa"].passed_screening, rows["thu-xa-an-hoa"].meets_minimum) == (2, 2, True)
    assert (rows["thu-noi-vu"].late, rows["thu-noi-vu"].waived) == (1, 1)
    assert (rows["thu-xa-binh-minh"].passed_screening, rows["thu-xa-binh-minh"].screened_out) == (0, 1)
    assert rows["thu-xa-cat-tien"].submitted == 0 and not rows["thu-xa-cat-tien"].meets_minimum and rows["thu-xa-cat-tien"].minimum == 1
    earlier = {r.unit_id: r.submitted for r in participation(repo, CAMPAIGN, vntime.parse_instant("2024-03-20T12:00:00+07:00"))}
    assert earlier["thu-xa-an-hoa"] == 1 and earlier["thu-tu-phap"] == 1 and earlier["thu-noi-vu"] == 0


def test_report_command(tmp_path: Path) -> None:
    kho = make_repo(tmp_path)
    target = tmp_path / "bao-cao.xlsx"
    done = run(kho, "report", CAMPAIGN, "--xlsx", str(target))
    assert done.returncode == 0, done.stderr
    assert "4/5 đơn vị đủ số bài tối thiểu" in done.stdout and "Chưa đủ: UBND xã Cát Tiên" in done.stdout
    assert "Muộn, đã được chấp nhận" in done.stdout
    wb = load_workbook(target)
    assert wb.sheetnames == ["Theo đơn vị", "Danh sách bài"]
    units = [r for r in wb["Theo đơn vị"].iter_rows(min_row=6, values_only=True)]
    assert units[-1][1] == "UBND xã Cát Tiên" and units[-1][4] == "Chưa đủ"
    entries = {r[1]: r for r in wb["Danh sách bài"].iter_rows(min_row=2, values_only=True)}
    assert entries["bang-tin-xa"][5] == "Không đạt" and entries["lich-tiep-dan-truc-tuyen"][6] == "Muộn, đã được chấp nhận"
