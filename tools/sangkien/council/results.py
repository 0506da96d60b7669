"""Combine the members' sheets as the rubric says, rank, assign tiers, and flag what needs the council.

How the three combine rules are read (no national rule fixes them; councils write "điểm trung bình",
"trung vị", "bỏ điểm cao nhất và thấp nhất"): they apply to the members' TOTALS, which decide
whose sheets count; each criterion is then the mean of those same sheets, so the criteria always
add up to the total shown and the per-criterion minimum is checked on the sheets that made the total.
- mean: every complete sheet;
- median: the middle sheet by total (the two middle ones, averaged, for an even count);
- trimmed-mean: drop the highest and the lowest total (with three sheets or more), average the rest.

Pure computation: no openpyxl here (the draft workbook is written by `draft.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sangkien import textnorm
from sangkien.council.rubric import Rubric, Tier, show_number
from sangkien.model import Campaign, Entry, Repository

PLACES = 4  # combined scores are compared after rounding to this many decimals (float noise)


@dataclass
class MemberSheet:
    member: str
    criteria: dict[str, float]
    total: float
    comment: str = ""


@dataclass
class EntryResult:
    entry: Entry
    unit_name: str
    sheets: list[MemberSheet] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)  # members whose sheet misses a criterion
    used: list[str] = field(default_factory=list)  # members whose sheets made the score
    criteria: dict[str, float] = field(default_factory=dict)
    total: float | None = None
    passed: bool = False
    reasons: list[str] = field(default_factory=list)  # why it did not pass
    rank: int | None = None
    tier: Tier | None = None
    proposed: bool = False  # within the tiers / the award cap
    divergence: tuple[MemberSheet, MemberSheet] | None = None
    ties: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # council members without a sheet for this entry
    notes: list[str] = field(default_factory=list)
    confirmed: str | None = None  # the recognition in force, "123/QĐ-UBND (Giải Nhất)"

    @property
    def flags(self) -> list[str]:
        out = []
        if self.divergence:
            high, low = self.divergence
            out.append(f"Lệch điểm {show_number(high.total - low.total)}: {high.member} {show_number(high.total)}, "
                       f"{low.member} {show_number(low.total)} — cần người chấm thứ ba")
        out.extend(self.ties)
        if self.missing:
            out.append("Thiếu phiếu của: " + ", ".join(self.missing))
        if self.incomplete:
            out.append("Phiếu chưa đủ tiêu chí (không tính): " + ", ".join(self.incomplete))
        out.extend(self.notes)
        return out

    @property
    def verdict(self) -> str:
        if self.total is None:
            return "Chưa chấm"
        return "Đạt" if self.passed else "Không đạt"

    @property
    def award(self) -> str:
        if self.tier is not None:
            return self.tier.name
        return "Đề nghị công nhận" if self.proposed else ""


@dataclass
class Results:
    campaign: Campaign
    rubric: Rubric
    rows: list[EntryResult]
    members: list[str]
    cap: int | None
    unscored_outside: list[str] = field(default_factory=list)  # scores for entries that did not pass screening

    @property
    def flagged(self) -> list[EntryResult]:
        return [r for r in self.rows if r.flags]


def _r(value: float) -> float:
    return round(value, PLACES)


def select(sheets: list[MemberSheet], combine: str) -> tuple[list[MemberSheet], str]:
    """The sheets that make the score under the rule, and a note when the rule could not apply."""
    ordered = sorted(sheets, key=lambda s: (s.total, textnorm.fold(s.member)))
    n = len(ordered)
    if combine == "median" and n:
        mid = n // 2
        return (ordered[mid:mid + 1] if n % 2 else ordered[mid - 1:mid + 1]), ""
    if combine == "trimmed-mean":
        if n >= 3:
            return ordered[1:-1], ""
        return ordered, f"Chỉ có {n} phiếu nên chưa bỏ được điểm cao nhất, thấp nhất: lấy trung bình cộng."
    return ordered, ""


def compute(repo: Repository, camp: Campaign, rubric: Rubric) -> Results:
    dec = repo.decisions.get(camp.id)
    screening = dec.screening() if dec else {}
    passed_ids = {e for e, s in screening.items() if s.get("result") == "dat"}
    entries = [e for e in repo.entries_of(camp.id) if e.id in passed_ids]
    ids = [c.id for c in rubric.criteria]
    rows: dict[str, EntryResult] = {}
    for e in entries:
        unit = repo.units.get(e.unit or "")
        rows[e.id] = EntryResult(e, unit.name if unit else (e.unit or ""))
    members: dict[str, str] = {}
    outside = set()
    for item in dec.items("scores") if dec else []:
        entry_id, member = item.get("entry"), str(item.get("member", "")).strip()
        if entry_id not in rows:
            outside.add(str(entry_id))
            continue
        members.setdefault(textnorm.fold(member), member)
        raw = item.get("criteria") or {}
        values = {k: float(raw[k]) for k in ids if isinstance(raw.get(k), (int, float)) and not isinstance(raw.get(k), bool)}
        if len(values) < len(ids):
            rows[entry_id].incomplete.append(member)
            continue
        rows[entry_id].sheets.append(MemberSheet(member, values, sum(values.values()), str(item.get("comment", ""))))
    for row in rows.values():
        _score(row, rubric, members)
    ranked = _rank(list(rows.values()))
    cap = (camp.data.get("award") or {}).get("cap")
    cap = cap if isinstance(cap, int) else None
    _assign(ranked, rubric.tiers, cap)
    for row in rows.values():
        row.confirmed = confirmed(repo, row.entry.id, rubric.tiers)
    order = ranked + sorted((r for r in rows.values() if not r.passed), key=lambda r: (r.total is None, -(r.total or 0), r.entry.id))
    return Results(camp, rubric, order, sorted(members.values(), key=textnorm.fold), cap, sorted(outside))


def confirmed(repo: Repository, entry_id: str, tiers: list[Tier]) -> str | None:
    """The recognition in force as «123/QĐ-UBND (Giải Nhất)», or the revoked one marked as such."""
    shown = []
    for rec, line in repo.recognitions(entry_id):
        tier = next((t.name for t in tiers if t.id == line.get("tier")), line.get("tier"))
        text = rec.number + (f" ({tier})" if tier else "")
        shown.append(text + (f", đã thu hồi theo {rec.revoked.get('number')}" if rec.revoked else ""))
    return "; ".join(shown) or None


def _score(row: EntryResult, rubric: Rubric, members: dict[str, str]) -> None:
    have = {textnorm.fold(s.member) for s in row.sheets} | {textnorm.fold(m) for m in row.incomplete}
    row.missing = [name for key, name in sorted(members.items()) if key not in have]
    if not row.sheets:
        row.reasons.append("chưa có phiếu chấm đủ tiêu chí")
        return
    used, note = select(row.sheets, rubric.combine)
    if note:
        row.notes.append(note)
    row.used = [s.member for s in used]
    row.criteria = {c.id: _r(sum(s.criteria[c.id] for s in used) / len(used)) for c in rubric.criteria}
    row.total = _r(sum(s.total for s in used) / len(used))
    for c in rubric.criteria:
        if c.min is not None and row.criteria[c.id] < c.min:
            row.reasons.append(f"«{c.name}» {show_number(row.criteria[c.id])} dưới mức tối thiểu {show_number(c.min)}")
    if row.total < rubric.pass_total:
        row.reasons.append(f"tổng {show_number(row.total)} dưới {show_number(rubric.pass_total)}")
    row.passed = not row.reasons
    high = max(row.sheets, key=lambda s: (s.total, textnorm.fold(s.member)))
    low = min(row.sheets, key=lambda s: (s.total, textnorm.fold(s.member)))
    if _r(high.total - low.total) > rubric.divergence_gap:
        row.divergence = (high, low)


def _rank(rows: list[EntryResult]) -> list[EntryResult]:
    """Passing entries by total, highest first; equal totals share a rank (1, 2, 2, 4)."""
    ranked = sorted((r for r in rows if r.passed), key=lambda r: (-(r.total or 0), r.entry.id))
    for i, row in enumerate(ranked):
        row.rank = ranked[i - 1].rank if i and ranked[i - 1].total == row.total else i + 1
    return ranked


def _assign(ranked: list[EntryResult], tiers: list[Tier], cap: int | None) -> None:
    """Fill the tiers in order within their counts, minimum totals and the award cap; then flag
    equal totals that the boundary splits (the council must decide between them)."""
    limit = len(ranked) if cap is None else min(cap, len(ranked))
    if not tiers:
        for row in ranked[:limit]:
            row.proposed = True
    else:
        pos = 0
        for tier in tiers:
            slots = tier.count
            while slots > 0 and pos < limit:
                row = ranked[pos]
                if tier.min_total is not None and (row.total or 0) < tier.min_total:
                    break
                row.tier, row.proposed = tier, True
                slots -= 1
                pos += 1
    for above, below in zip(ranked, ranked[1:], strict=False):
        if above.total == below.total and (above.tier, above.proposed) != (below.tier, below.proposed):
            what = f"«{above.award or 'không giải'}» và «{below.award or 'không giải'}»"
            for row, other in ((above, below), (below, above)):
                row.ties.append(f"Bằng điểm ({show_number(row.total or 0)}) với «{other.entry.id}» ở ranh giới giữa {what} — Hội đồng quyết định")


def markdown(results: Results, generated: str) -> str:
    """The draft as Markdown: a table the terminal shows and the council can read in any editor."""
    rubric = results.rubric
    crit = rubric.criteria
    lines = [f"# Kết quả chấm dự kiến: {results.campaign.title}", "",
             f"Bản dự kiến tạo lúc {generated}, chờ Hội đồng xác nhận; không phải quyết định công nhận. "
             f"Tổng điểm để đạt: {show_number(rubric.pass_total)}/{show_number(rubric.max_total)}; cách tổng hợp: {combine_text(rubric.combine)}.",
             ""]
    if results.cap is not None:
        lines += [f"Số lượng khen thưởng tối đa: {results.cap}.", ""]
    head = ["Hạng", "Mã bài", "Đơn vị"] + [c.name for c in crit] + ["Tổng", "Kết quả", "Giải / đề nghị", "Đã có quyết định", "Cần xem lại"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join("---" for _ in head) + "|")
    for r in results.rows:
        cells = [str(r.rank or ""), r.entry.id, r.unit_name] + [show_number(r.criteria[c.id]) if c.id in r.criteria else "" for c in crit]
        cells += [show_number(r.total) if r.total is not None else "", r.verdict + (f" ({'; '.join(r.reasons)})" if r.reasons and r.total is not None else ""),
                  r.award, r.confirmed or "", "; ".join(r.flags)]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    lines.append("")
    if results.members:
        lines += [f"Thành viên đã chấm: {', '.join(results.members)}.", ""]
    if results.unscored_outside:
        lines += ["Có phiếu chấm cho bài chưa qua sơ loại (không tính): " + ", ".join(results.unscored_outside) + ".", ""]
    return "\n".join(lines)


def combine_text(combine: str) -> str:
    return {"mean": "trung bình cộng các phiếu", "median": "trung vị tổng điểm các phiếu",
            "trimmed-mean": "bỏ tổng điểm cao nhất và thấp nhất rồi lấy trung bình"}.get(combine, combine)
