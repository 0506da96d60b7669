"""Combining sheets (mean, median, trimmed mean), tiers within counts and the cap, ties, divergence."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.council_kit import CAMPAIGN, DECISIONS, make_repo
from sangkien.cli import main
from sangkien.council import results as R
from sangkien.council.rubric import Rubric, Tier, rubric_of
from sangkien.model import Entry
from sangkien.validator import load


def sheet(member: str, a: float, b: float) -> R.MemberSheet:
    return R.MemberSheet(member, {"a": a, "b": b}, a + b)


def test_select_rules() -> None:
    sheets = [sheet("An", 30, 30), sheet("Bình", 20, 20), sheet("Cường", 40, 40), sheet("Dung", 25, 25)]
    used, note = R.select(sheets, "mean")
    assert len(used) == 4 and not note
    used, _ = R.select(sheets, "median")  # totals 40, 50, 60, 80: the two middle sheets
    assert sorted(s.member for s in used) == ["An", "Dung"]
    used, _ = R.select(sheets[:3], "median")
    assert [s.member for s in used] == ["An"]
    used, _ = R.select(sheets, "trimmed-mean")  # drop 40 (Bình) and 80 (Cường)
    assert sorted(s.member for s in used) == ["An", "Dung"]
    used, note = R.select(sheets[:2], "trimmed-mean")
    assert len(used) == 2 and "Chỉ có 2 phiếu" in note


def _row(entry_id: str, total: float) -> R.EntryResult:
    row = R.EntryResult(Entry(entry_id, "entry", {}, f"entries/x/u/{entry_id}.md"), "Đơn vị")
    row.total, row.passed = total, True
    return row


def test_tiers_counts_minimum_cap_and_boundary_ties() -> None:
    tiers = [Tier("nhat", "Giải Nhất", 1, 85), Tier("nhi", "Giải Nhì", 2, 75), Tier("ba", "Giải Ba", 3, None)]
    rows = R._rank([_row("a", 90), _row("b", 80), _row("c", 80), _row("d", 80), _row("e", 70), _row("f", 60)])
    R._assign(rows, tiers, cap=5)
    got = {r.entry.id: (r.rank, r.tier.id if r.tier else None) for r in rows}
    assert got == {"a": (1, "nhat"), "b": (2, "nhi"), "c": (2, "nhi"), "d": (2, "ba"), "e": (5, "ba"), "f": (6, None)}
    c, d = rows[2], rows[3]
    assert c.ties and d.ties and "«d»" in c.ties[0] and "Hội đồng quyết định" in d.ties[0]
    assert not rows[0].ties and not rows[4].ties
    cut = R._rank([_row("a", 90), _row("b", 70), _row("c", 70)])
    R._assign(cut, [], cap=2)
    assert [r.proposed for r in cut] == [True, True, False] and cut[2].ties, "cap boundary between equal totals is flagged"


def test_minimum_per_criterion_and_divergence(tmp_path: Path) -> None:
    kho = make_repo(tmp_path)
    text = (kho / DECISIONS).read_text(encoding="utf-8")
    scores = """scores:
  - {member: An, entry: mot-cua-so-hoa, criteria: {tinh-moi: 18, kha-thi: 30, hieu-qua: 30}}
  - {member: Bình, entry: mot-cua-so-hoa, criteria: {tinh-moi: 19, kha-thi: 30, hieu-qua: 30}}
  - {member: An, entry: so-tay-tu-phap, criteria: {tinh-moi: 40, kha-thi: 30, hieu-qua: 30}}
  - {member: Bình, entry: so-tay-tu-phap, criteria: {tinh-moi: 20, kha-thi: 20, hieu-qua: 20}}
  - {member: An, entry: tra-cuu-ho-so-qr, criteria: {tinh-moi: 30, kha-thi: 20}}
"""
    (kho / DECISIONS).write_text(text.replace("late_waivers:", scores + "late_waivers:"), encoding="utf-8")
    loaded = load(kho)
    camp = loaded.repo.campaigns[CAMPAIGN]
    res = {r.entry.id: r for r in R.compute(loaded.repo, camp, rubric_of(camp)).rows}
    low = res["mot-cua-so-hoa"]
    assert low.total == pytest.approx(78.5) and not low.passed and "dưới mức tối thiểu 20" in low.reasons[0]
    split = res["so-tay-tu-phap"]
    assert split.total == 80 and split.passed and split.divergence is not None and split.tier.id == "nhat"
    assert "Lệch điểm 40" in split.flags[0]
    partial = res["tra-cuu-ho-so-qr"]
    assert partial.total is None and partial.verdict == "Chưa chấm" and "An" in partial.incomplete
    assert res["lich-tiep-dan-truc-tuyen"].missing == ["An", "Bình"]


def test_results_refuse_to_write_into_entries_and_keep_decisions(tmp_path: Path, capsys) -> None:
    kho = make_repo(tmp_path)
    before = (kho / DECISIONS).read_bytes()
    assert main(["results", CAMPAIGN, "--out", str(kho / "entries" / CAMPAIGN), "--root", str(kho)]) == 1
    assert "SK850" in capsys.readouterr().err
    assert main(["results", CAMPAIGN, "--out", str(tmp_path / "ket-qua.xlsx"), "--root", str(kho)]) == 0
    assert (tmp_path / "ket-qua.xlsx").is_file() and (tmp_path / "ket-qua.md").is_file()
    assert (kho / DECISIONS).read_bytes() == before


def test_rubric_fingerprint_ignores_wording() -> None:
    from sangkien.council.rubric import Criterion

    one = Rubric([Criterion("a", "Tính mới", 40)], 50, "mean", 20)
    two = Rubric([Criterion("a", "Tính mới, sáng tạo", 40)], 60, "median", 10)
    three = Rubric([Criterion("a", "Tính mới", 50)], 50, "mean", 20)
    assert one.fingerprint() == two.fingerprint() != three.fingerprint()
