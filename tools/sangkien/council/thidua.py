"""Thi đua (plan 002): nominations of heads of units checked against the targets of their level.

A target marked `if_applicable` ("nếu có") is not failed by a missing value: the unit had nothing to
report (no public investment, no legal documents that year). Any other missing value is a failure,
since the plan asks for every target to be met. The margin of a target is how far the value is on
the good side of the threshold (value − threshold for ≥, threshold − value for ≤); the total margin
ranks those who meet every target for the award cap, which is how the plan's "ưu tiên ... vượt các
chỉ tiêu" is read here. A nomination is proposed only with a complete dossier (tờ trình, biên bản,
báo cáo thành tích), because the plan's procedure requires all three.

Pure (no openpyxl). The targets and the validator's rule on recognised nominations are in checks/thidua.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sangkien import textnorm
from sangkien.checks import thidua as targets
from sangkien.checks.thidua import DOSSIER, PLACES, TargetCheck, check_one
from sangkien.model import Campaign, Entry, Repository
from sangkien.vnnumber import show_number

LEVELS = {"tinh": "Cấp tỉnh", "huyen": "Cấp huyện", "xa": "Cấp xã"}


@dataclass
class Nomination:
    entry: Entry
    nominee: str
    position: str
    unit_name: str
    level: str
    checks: list[TargetCheck] = field(default_factory=list)
    missing_docs: list[str] = field(default_factory=list)
    rank: int | None = None
    proposed: bool = False
    ties: list[str] = field(default_factory=list)
    confirmed: str | None = None

    @property
    def failed(self) -> list[TargetCheck]:
        return [c for c in self.checks if c.status in ("khong-dat", "thieu")]

    @property
    def meets_all(self) -> bool:
        return bool(self.checks) and not self.failed

    @property
    def margin(self) -> float:
        return round(sum(c.margin for c in self.checks if c.status == "dat"), PLACES)

    @property
    def exceeds(self) -> list[TargetCheck]:
        return [c for c in self.checks if c.status == "dat" and c.margin > 0]

    @property
    def verdict(self) -> str:
        if not self.checks:
            return "Không có chỉ tiêu cho cấp này"
        return "Đạt mọi chỉ tiêu" if self.meets_all else "Chưa đạt"


@dataclass
class ThiDua:
    campaign: Campaign
    rows: list[Nomination]
    cap: int | None
    award: str

    @property
    def meeting(self) -> list[Nomination]:
        return [r for r in self.rows if r.meets_all]

    @property
    def proposed(self) -> list[Nomination]:
        return [r for r in self.rows if r.proposed]


def evaluate(repo: Repository, campaign_id: str, root: Path | None = None) -> ThiDua:
    camp = repo.campaigns[campaign_id]
    labels = targets.labels(root)
    award = camp.data.get("award") or {}
    cap = award.get("cap") if isinstance(award.get("cap"), int) else None
    rows = []
    for entry in repo.entries_of(campaign_id):
        if entry.kind != "nomination":
            continue
        nominee = entry.data.get("nominee") or {}
        unit = repo.units.get(entry.unit or "")
        dossier = entry.data.get("dossier") or {}
        row = Nomination(entry, str(nominee.get("name", "")), str(nominee.get("position", "")), unit.name if unit else (entry.unit or ""),
                         str(entry.data.get("level", "")), check_one(entry, camp, labels),
                         [name for key, name in DOSSIER if dossier.get(key) is not True])
        found = repo.recognition(entry.id)
        row.confirmed = found[0].number if found else None
        rows.append(row)
    ranked = sorted((r for r in rows if r.meets_all), key=lambda r: (-r.margin, textnorm.fold(r.nominee), r.entry.id))
    for i, row in enumerate(ranked):
        row.rank = ranked[i - 1].rank if i and ranked[i - 1].margin == row.margin else i + 1
    eligible = [r for r in ranked if not r.missing_docs]
    limit = len(eligible) if cap is None else min(cap, len(eligible))
    for row in eligible[:limit]:
        row.proposed = True
    for above, below in zip(eligible, eligible[1:], strict=False):
        if above.margin == below.margin and above.proposed != below.proposed:
            for row, other in ((above, below), (below, above)):
                row.ties.append(f"Bằng mức vượt ({show_number(row.margin)}) với «{other.nominee}» ở ranh giới số lượng khen thưởng — Hội đồng quyết định")
    rest = sorted((r for r in rows if not r.meets_all), key=lambda r: (textnorm.fold(r.unit_name), r.entry.id))
    return ThiDua(camp, ranked + rest, cap, str(award.get("name", "")))


def markdown(result: ThiDua, generated: str) -> str:
    lines = [f"# Kết quả đối chiếu chỉ tiêu thi đua (dự kiến): {result.campaign.title}", "",
             f"Bản dự kiến tạo lúc {generated}, chờ Hội đồng Thi đua - Khen thưởng xác nhận; không phải quyết định khen thưởng.", ""]
    lines += [f"Hình thức: {result.award or '(chưa ghi)'}; số lượng tối đa: {result.cap if result.cap is not None else 'không giới hạn'}. "
              f"Có {len(result.meeting)}/{len(result.rows)} hồ sơ đạt mọi chỉ tiêu; đề nghị {len(result.proposed)}.", ""]
    head = ["Thứ tự", "Họ và tên", "Chức vụ", "Đơn vị", "Cấp", "Kết quả", "Mức vượt", "Hồ sơ", "Đề nghị khen", "Đã có quyết định", "Ghi chú"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join("---" for _ in head) + "|")
    for r in result.rows:
        notes = [f"{c.label}: {c.shown}" for c in r.failed] + r.ties
        cells = [str(r.rank or ""), r.nominee, r.position, r.unit_name, LEVELS.get(r.level, r.level), r.verdict,
                 show_number(r.margin) if r.meets_all else "", "Đủ" if not r.missing_docs else "Thiếu: " + ", ".join(r.missing_docs),
                 "Có" if r.proposed else "", r.confirmed or "", "; ".join(notes)]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    lines.append("")
    return "\n".join(lines)


