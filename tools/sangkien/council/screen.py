"""Record screening (sơ loại) verdicts in decisions.yaml: one line per entry, passed or failed.

A new verdict is appended at the end of the `screening` list (every other byte of the file
stays, comments included, as `decide` does); a verdict the council changes (`--replace`) is
rewritten where it stands, its neighbours and the comments around it untouched. The spliced
text must parse to exactly the intended data, then it is written atomically and validated
again with the one validator: on any problem the old bytes stay (council/yamledit.py).

Screening is the council's internal step: the reason of a failed entry is never published
(site/context.py shows recognised initiatives only; tests/test_public_policy.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sangkien import textnorm, vntime
from sangkien.checks import dates as date_rules
from sangkien.codes import problem
from sangkien.council import yamledit
from sangkien.council.context import decisions_path, decisions_to_edit
from sangkien.council.errors import CouncilError
from sangkien.model import Campaign
from sangkien.problems import LINE, Problem

if TYPE_CHECKING:
    from sangkien.loader import Loaded

PASS, FAIL = "dat", "khong-dat"
SHOWN = {PASS: "đạt", FAIL: "không đạt"}


@dataclass
class Request:
    entries: list[str]
    result: str | None  # PASS, FAIL, or None when neither --pass nor --fail was given
    reason: str | None = None
    day: str | None = None  # as typed (dd/mm/yyyy or ISO); None: today in Vietnam
    by: str | None = None
    replace: bool = False
    both: bool = False  # --pass and --fail together


@dataclass
class Outcome:
    day: date
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def typed_day(text: str | None, now: datetime, rel: str, label: str) -> tuple[date | None, list[Problem]]:
    """A date a person typed for a council decision: dd/mm/yyyy or ISO, not after today (SK410);
    None typed means today. Shared by `screen` and `decide`."""
    today = vntime.local_date(now)
    if text is None or not text.strip():
        return today, []
    try:
        day = vntime.parse_typed_date(text)
    except vntime.TypedDateError as err:
        return None, [problem("SK915", rel, 1, 1, f"Ngày (--date) {err}")]
    if day > today:
        return None, [problem("SK410", rel, 1, 1, date_rules.future_decision(label, day) + f" Hôm nay là {vntime.show_date(today)}.")]
    return day, []


def _check(loaded: Loaded, camp: Campaign, req: Request, now: datetime) -> tuple[date | None, list[Problem]]:
    rel = decisions_path(camp.id)
    bad: list[Problem] = []

    def no(code: str, what: str, fix: str | None = None) -> None:
        bad.append(problem(code, rel, 1, 1, what, fix))

    if req.both:
        no("SK855", "Đã ghi cả --pass và --fail; mỗi lần chạy chỉ ghi một kết quả.")
    elif req.result is None:
        no("SK855", "Chưa ghi kết quả sơ loại: thêm --pass (đạt) hoặc --fail (không đạt).")
    reason = " ".join((req.reason or "").split())
    if req.result == FAIL and len(reason) < 2:
        no("SK852", "Bài không đạt sơ loại phải có lý do (--reason).")
    if req.by is not None and len(" ".join(req.by.split())) < 2:
        no("SK855", "Người, bộ phận sơ loại (--by) phải có ít nhất 2 ký tự.")
    day, problems = typed_day(req.day, now, rel, "kết quả sơ loại")
    bad.extend(problems)
    if not req.entries:
        no("SK855", "Chưa ghi mã bài nào (sangkien screen MÃ_ĐỢT MÃ_BÀI ...).")
    mine = {e.id for e in loaded.repo.entries_of(camp.id)}
    dec = loaded.repo.decisions.get(camp.id)
    recognised = {line.get("entry"): rec.get("number") for rec in (dec.items("recognitions") if dec else [])
                  for line in rec.get("entries") or [] if isinstance(line, dict)}
    screened = dec.screening() if dec else {}
    doc = loaded.docs.get(rel)
    seen: set[str] = set()
    for entry in req.entries:
        if entry in seen:
            no("SK855", f"Bài «{entry}» được ghi hai lần trong lệnh.", "Ghi mỗi mã bài một lần.")
            continue
        seen.add(entry)
        if entry not in mine:
            other = loaded.repo.entries.get(entry)
            if other is not None and other.campaign:
                no("SK853", f"Bài «{entry}» thuộc đợt «{other.campaign}», không thuộc đợt «{camp.id}».",
                   f"Sơ loại bài này trong đợt của nó: sangkien screen {other.campaign} {entry} ...")
            else:
                known = sorted(mine)
                listed = ", ".join(known[:8]) + (", …" if len(known) > 8 else "") if known else "đợt chưa có bài nào"
                no("SK853", f"Không có bài «{entry}» trong đợt «{camp.id}» (các bài của đợt: {listed}).")
            continue
        if entry in recognised:
            no("SK854", f"Bài «{entry}» đã được công nhận theo quyết định {recognised[entry]}; không ghi lại kết quả sơ loại.")
            continue
        if entry in screened and not req.replace:
            old = screened[entry]
            index = next(i for i, x in enumerate(dec.items("screening") if dec else []) if x.get("entry") == entry)
            line, col = doc.parsed.where(("screening", index, "result")) if doc else (1, 1)
            bad.append(problem("SK851", rel, line, col,
                               f"bài «{entry}» đã có kết quả sơ loại «{SHOWN.get(str(old.get('result')), old.get('result'))}» "
                               f"ngày {_shown_day(old.get('date'))}.", at=LINE, key=("screening", index, "result")))
    return day, bad


def _shown_day(value: object) -> str:
    day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    return vntime.show_date(day) if day else str(value)


def item_of(entry: str, req: Request, day: date) -> dict[str, Any]:
    item: dict[str, Any] = {"entry": entry, "result": req.result}
    reason = textnorm.nfc(" ".join((req.reason or "").split()))
    if reason:
        item["reason"] = reason
    item["date"] = day.isoformat()
    if req.by:
        item["by"] = textnorm.nfc(" ".join(req.by.split()))
    return item


def replace_item(text: str, starts: list[int], index: int, item: dict[str, Any], column: int) -> str:
    """Rewrite list item `index` where it stands. `starts` are the 1-based lines where each item
    of the list begins, `column` the 1-based column of the item's first key (after "- "). The
    item ends before the next one, or at the last line indented deeper than its dash; blank
    lines and comments just before the next item stay with it."""
    lines = text.split("\n")
    first = starts[index] - 1
    dash = max(column - 3, 0)
    if index + 1 < len(starts):
        end = starts[index + 1] - 1
    else:
        end = first + 1
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip(" ")) > dash):
            end += 1
    while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip(" ").startswith("#")):
        end -= 1
    lines[first:end] = yamledit.item_lines(item, dash)
    return "\n".join(lines)


def record(root: Path, loaded: Loaded, camp: Campaign, req: Request, now: datetime) -> Outcome:
    day, bad = _check(loaded, camp, req, now)
    if bad or day is None:
        raise CouncilError(bad)
    rel, text, original, data = decisions_to_edit(root, loaded, camp, "screen")
    existing: list[Any] = list(data.get("screening") or [])
    position = {x.get("entry"): i for i, x in enumerate(existing) if isinstance(x, dict)}
    out = Outcome(day)
    result = list(existing)
    new: list[dict[str, Any]] = []
    changed: list[tuple[int, dict[str, Any]]] = []
    for entry in req.entries:
        item = item_of(entry, req, day)
        if entry in position:
            result[position[entry]] = item
            changed.append((position[entry], item))
            out.replaced.append(entry)
        else:
            new.append(item)
            out.added.append(entry)
    if changed:
        doc = loaded.docs.get(rel)
        assert doc is not None  # an entry already screened was read from the file
        starts = [doc.parsed.where(("screening", i))[0] for i in range(len(existing))]
        column = doc.parsed.where(("screening", 0))[1]
        for index, item in sorted(changed, key=lambda pair: -pair[0]):  # bottom up: earlier lines keep their numbers
            text = replace_item(text, starts, index, item, column)
    if new:
        text = yamledit.append_items(text, "screening", result, new)
    expected = dict(data)
    expected["screening"] = result + new
    yamledit.check_same(text, rel, expected)
    out.warnings = yamledit.commit(root, rel, text, original)
    return out
