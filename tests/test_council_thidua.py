"""Thi đua: nominations against the targets of their level, the dossier checklist, the award cap."""

from __future__ import annotations

from pathlib import Path

from helpers.council_kit import ROOT, make_repo, run
from openpyxl import load_workbook
from sangkien.council.thidua import evaluate
from sangkien.validator import load, validate


def test_targets_if_applicable_dossier_and_cap(tmp_path: Path) -> None:
    kho = make_repo(tmp_path)
    result = evaluate(load(kho).repo, "td-thu-2023", kho)
    by_id = {r.entry.id: r for r in result.rows}
    assert {r.entry.id for r in result.meeting} == {"khen-an-hoa", "khen-binh-minh", "khen-cat-tien", "khen-phu-tho"}
    binh_minh = {c.indicator: c.status for c in by_id["khen-binh-minh"].checks}
    assert binh_minh["legal_documents_on_time"] == "khong-ap-dung", "a missing «nếu có» value is not a failure"
    dong_tam = by_id["khen-dong-tam"]
    assert not dong_tam.meets_all and [c.indicator for c in dong_tam.failed] == ["online_dossiers"]
    assert by_id["khen-cat-tien"].rank == 1 and by_id["khen-cat-tien"].margin == 20
    assert by_id["khen-cat-tien"].missing_docs == ["Biên bản họp Hội đồng Thi đua - Khen thưởng"] and not by_id["khen-cat-tien"].proposed
    assert [r.entry.id for r in result.proposed] == ["khen-an-hoa", "khen-binh-minh", "khen-phu-tho"]
    assert len(result.proposed) <= result.cap == 3
    assert by_id["khen-an-hoa"].margin == 16 and by_id["khen-binh-minh"].margin == 7 and by_id["khen-phu-tho"].margin == 1


def test_validator_warns_about_recognised_nominations(tmp_path: Path) -> None:
    kho = make_repo(tmp_path)
    found = [p for p in validate(kho).problems if p.file == "entries/td-thu-2023/decisions.yaml"]
    codes = sorted((p.code, p.line) for p in found)
    assert codes == [("SK830", 12), ("SK831", 11)], found
    assert all(not p.is_error for p in found)
    assert any("Phạm Thị Bốn" in p.message and "70 (yêu cầu ≥ 80)" in p.message for p in found)


def test_results_command_thi_dua(tmp_path: Path) -> None:
    kho = make_repo(tmp_path)
    done = run(kho, "results", "td-thu-2023", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "4 người đạt mọi chỉ tiêu; đề nghị khen 3 (tối đa 3)" in done.stdout
    ws = load_workbook(tmp_path / "ket-qua-du-kien-td-thu-2023.xlsx")["Đối chiếu chỉ tiêu"]
    rows = [r for r in ws.iter_rows(min_row=6, values_only=True) if r[1]]
    assert [r[1] for r in rows if r[11] == "Có"] == ["Nguyễn Văn Một", "Trần Thị Hai", "Hoàng Văn Năm"]
    assert next(r for r in rows if r[1] == "Lê Văn Ba")[9] == "Thiếu"


def test_seed_campaign_ba_ria_vung_tau() -> None:
    """The shipped illustrative nominations of plan 002: 11 of 13 meet every target, 10 are proposed
    (the cap), and they are the ones the illustrative decision recognises."""
    loaded = load(ROOT)
    result = evaluate(loaded.repo, "ba-ria-vung-tau-2023", ROOT)
    assert len(result.rows) == 13
    assert len(result.meeting) == 11
    assert result.cap == 10 and len(result.proposed) == 10
    recognised = {line["entry"] for rec in loaded.repo.decisions["ba-ria-vung-tau-2023"].items("recognitions") for line in rec["entries"]}
    assert {r.entry.id for r in result.proposed} == recognised
    for row in result.rows:
        if not row.meets_all:
            assert row.failed and all(c.status in ("khong-dat", "thieu") for c in row.failed)
    assert not [p for p in validate(ROOT).problems if p.code in ("SK830", "SK831")]
