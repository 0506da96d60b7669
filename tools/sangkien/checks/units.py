"""Rules across files about administrative units: the registry's codes against the official list
(adminunits.py), and campaigns that open after the reform of 01/07/2025 but still name an
abolished unit or offer the district level.

The official list is read only when the registry has an `admin_code` to check, and then only the
rows of those codes. A rule across files reports on the documents it is given: the registry's
codes when entries/units.yaml was read, a campaign's lists when its campaign.yaml was.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sangkien import adminunits, layout, vntime
from sangkien.adminunits import LEGACY, NEW, DatasetUnavailable, Period
from sangkien.codes import problem
from sangkien.model import Campaign, Repository, Unit, as_date
from sangkien.problems import LINE, Key, Problem
from sangkien.reader import Document

LEVEL_VI = {"tinh": "cấp tỉnh", "huyen": "cấp huyện", "xa": "cấp xã"}
PERIOD_VI = {NEW: "danh mục từ ngày 01/7/2025 (34 tỉnh, thành phố; 3.321 xã, phường, đặc khu)",
             LEGACY: "danh mục trước ngày 01/7/2025 (63 tỉnh, thành phố và các huyện, xã khi đó)"}


def check(repo: Repository, docs: dict[str, Document]) -> Iterator[Problem]:
    yield from _codes(docs)
    for camp in sorted(repo.campaigns.values(), key=lambda c: c.path):
        if camp.path in docs:
            yield from _campaign(repo, camp, docs[camp.path])
    yield from _district_scope(repo, docs)
    yield from _district_recognitions(repo, docs)


def _where(doc: Document, key: Key) -> tuple[int, int]:
    return doc.parsed.where(key)


# ---------------------------------------------------------------- the registry's codes
def _codes(docs: dict[str, Document]) -> Iterator[Problem]:
    path = layout.UNITS_FILE
    doc = docs.get(path)
    raw = doc.data.get("units") if doc is not None and isinstance(doc.data, dict) else None
    if doc is None or not isinstance(raw, list):
        return
    coded: list[tuple[int, dict[str, Any], str, Period]] = []
    for i, unit in enumerate(raw):
        code = unit.get("admin_code") if isinstance(unit, dict) else None
        if isinstance(unit, dict) and isinstance(code, str) and code.isdigit():
            coded.append((i, unit, code, adminunits.period_of(as_date(unit.get("valid_from")), as_date(unit.get("valid_to")))))
    if not coded:
        return
    try:
        found = {which: adminunits.lookup_many({c for _, _, c, p in coded if p == which}, which) for which in (NEW, LEGACY)}
    except DatasetUnavailable as err:
        line, col = _where(doc, ("units", coded[0][0], "admin_code"))
        yield problem("SK334", path, line, col, f"chưa kiểm tra được mã đơn vị hành chính với danh mục chính thức: {err}.",
                      at=LINE, key=("units", coded[0][0], "admin_code"))
        return
    for i, unit, code, which in coded:
        key: Key = ("units", i, "admin_code")
        line, col = _where(doc, key)
        official = found[which].get(code)
        label = f"đơn vị «{unit.get('id')}»"
        if official is None:
            yield from _unknown(path, line, col, key, label, code, which)
            continue
        level = unit.get("level")
        if isinstance(level, str) and level != official.level:
            yield problem("SK335", path, line, col,
                          f"mã {code} của {label} là mã của {official.name} ({LEVEL_VI[official.level]}, {PERIOD_VI[which]}), "
                          f"còn đơn vị ghi level: {level} ({LEVEL_VI.get(level, level)}).", at=LINE, key=key)
            continue
        names = [n for n in (unit.get("name"), unit.get("official_name")) if isinstance(n, str)]
        name = names[-1] if names else None
        if name is not None and not any(adminunits.name_matches(n, official) for n in names):
            yield problem("SK331", path, line, col,
                          f"{label} tên «{name}» nhưng mã {code} là của {official.name} trong {PERIOD_VI[which]}.", at=LINE, key=key)


def _unknown(path: str, line: int, col: int, key: Key, label: str, code: str, which: Period) -> Iterator[Problem]:
    other = LEGACY if which == NEW else NEW
    elsewhere = adminunits.lookup_many({code}, other).get(code)
    what = f"mã {code} của {label} không có trong {PERIOD_VI[which]}"
    if elsewhere is not None and which == NEW:
        fix = (f"Mã {code} là mã cũ của {elsewhere.name} (trước ngày 01/7/2025). Nếu đơn vị đã kết thúc hoạt động, ghi "
               f'valid_to: "2025-06-30" và successor (đơn vị kế thừa); nếu đơn vị vẫn hoạt động, ghi mã mới theo danh mục từ 01/7/2025 '
               f"(tra bằng: sangkien units import <tỉnh> --dry-run).")
    elif elsewhere is not None:
        fix = (f"Mã {code} chỉ có trong danh mục từ 01/7/2025 ({elsewhere.name}); đơn vị đã kết thúc trước ngày đó nên ghi mã cũ, "
               f"hoặc sửa valid_to nếu đơn vị vẫn hoạt động sau ngày 30/6/2025.")
    else:
        fix = ("Sửa admin_code theo mã chính thức (tỉnh 2 chữ số, huyện 3 chữ số, xã 5 chữ số, ghi trong dấu nháy), tra bằng: "
               "sangkien units import <tỉnh> --dry-run; không biết mã thì xóa dòng admin_code.")
    yield problem("SK330", path, line, col, what + ".", fix, at=LINE, key=key)


# ---------------------------------------------------------------- campaigns after the reform
def _opening_day(camp: Campaign) -> date | None:
    start = camp.opens_at
    return vntime.local_date(start) if start is not None else None


def _campaign(repo: Repository, camp: Campaign, doc: Document) -> Iterator[Problem]:
    day = _opening_day(camp)
    if day is None or day < adminunits.REFORM_DAY:
        return
    shown = vntime.show_date(day)
    for i, unit_id in enumerate(camp.eligible_units):
        unit = repo.units.get(unit_id) if isinstance(unit_id, str) else None
        if unit is None or unit.valid_to is None or unit.valid_to >= day:
            continue
        key: Key = ("eligible_units", i)
        line, col = _where(doc, key)
        heir = _successor(repo, unit, day)
        fix = (f"Thay «{unit_id}» bằng đơn vị kế thừa «{heir.id}» ({heir.name})." if heir is not None else
               "Thay bằng đơn vị đang hoạt động (cơ quan tổ chức ghi successor cho đơn vị cũ trong entries/units.yaml, "
               "hoặc thêm đơn vị mới bằng: sangkien units add).")
        yield problem("SK332", camp.path, line, col,
                      f"đợt mở nhận bài ngày {shown} nhưng eligible_units có «{unit_id}» ({unit.name}), đơn vị đã kết thúc hoạt động "
                      f"ngày {vntime.show_date(unit.valid_to)}.", fix, at=LINE, key=key)
    for i, level in enumerate(camp.eligible_levels):
        if level == "huyen":
            key = ("eligible_levels", i)
            line, col = _where(doc, key)
            yield problem("SK333", camp.path, line, col,
                          f"đợt mở nhận bài ngày {shown} nhưng eligible_levels có cấp huyện; cấp huyện đã kết thúc từ ngày 01/7/2025.",
                          at=LINE, key=key)


def _after_reform(repo: Repository, campaign: object) -> date | None:
    """The opening day of the campaign named, if it opens on or after 01/07/2025."""
    camp = repo.campaigns.get(campaign) if isinstance(campaign, str) else None
    day = _opening_day(camp) if camp is not None else None
    return day if day is not None and day >= adminunits.REFORM_DAY else None


def _district_scope(repo: Repository, docs: dict[str, Document]) -> Iterator[Problem]:
    """An initiative of a post-reform campaign whose scope is the district level."""
    for entry in repo.entries.values():
        doc = docs.get(entry.path)
        if doc is None or not isinstance(entry.data, dict) or entry.data.get("scope") != "huyen":
            continue
        day = _after_reform(repo, entry.campaign)
        if day is None:
            continue
        line, col = _where(doc, ("scope",))
        yield problem("SK336", entry.path, line, col,
                      f"phạm vi áp dụng là cấp huyện nhưng đợt «{entry.campaign}» mở nhận bài ngày {vntime.show_date(day)}, "
                      "khi cấp huyện đã kết thúc (từ ngày 01/7/2025).", at=LINE, key=("scope",))


def _district_recognitions(repo: Repository, docs: dict[str, Document]) -> Iterator[Problem]:
    """A recognition at district level in a post-reform campaign's decisions."""
    for folder, decisions in sorted(repo.decisions.items()):
        doc = docs.get(decisions.path)
        day = _after_reform(repo, folder)
        if doc is None or day is None:
            continue
        for i, item in enumerate(decisions.data.get("recognitions") or []):
            if isinstance(item, dict) and item.get("level") == "huyen":
                key: Key = ("recognitions", i, "level")
                line, col = _where(doc, key)
                yield problem("SK337", decisions.path, line, col,
                              f"quyết định số {item.get('number', '?')} công nhận ở cấp huyện nhưng đợt mở nhận bài ngày "
                              f"{vntime.show_date(day)}, khi cấp huyện đã kết thúc (từ ngày 01/7/2025).", at=LINE, key=key)


def _successor(repo: Repository, unit: Unit, day: date) -> Unit | None:
    """The unit that took over from `unit`, following successors to one in force on `day` (or
    the last one named, if none is)."""
    seen = {unit.id}
    current, last = unit, None
    while isinstance(current.data.get("successor"), str) and current.data["successor"] in repo.units:
        current = repo.units[current.data["successor"]]
        if current.id in seen:
            break
        seen.add(current.id)
        last = current
        if current.valid_on(day):
            return current
    return last

