"""Rules across files: references, uniqueness, validity dates, rubric, caps, decision dates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from sangkien import vntime
from sangkien.codes import problem
from sangkien.model import Campaign, Decisions, Entry, Repository, as_date
from sangkien.problems import LINE, Key, Problem
from sangkien.reader import Document


def check(repo: Repository, docs: dict[str, Document]) -> Iterator[Problem]:
    yield from _units(repo, docs)
    yield from _campaigns(repo, docs)
    yield from _entries(repo, docs)
    for dec in repo.decisions.values():
        if dec.path in docs:  # every readable one on a full run; those a reload judges again (loadmemo.py)
            yield from _decisions(repo, dec, docs[dec.path])


Where = Callable[[Key], tuple[int, int]]  # yamlstrict.Parsed.where of a document


def _at(docs: dict[str, Document], path: str, where: Key) -> tuple[int, int]:
    doc = docs.get(path)
    return doc.parsed.where(where) if doc else (1, 1)


def _units(repo: Repository, docs: dict[str, Document]) -> Iterator[Problem]:
    path = "entries/units.yaml"
    data = docs[path].data if path in docs else None
    raw = data.get("units") if isinstance(data, dict) else None
    counts = Counter(u.get("id") for u in raw or [] if isinstance(u, dict))
    for i, unit in enumerate(raw or []):
        if not isinstance(unit, dict):
            continue
        line, col = _at(docs, path, ("units", i, "id"))
        if counts[unit.get("id")] > 1:
            yield problem("SK312", path, line, col, f"mã đơn vị «{unit.get('id')}» bị trùng trong danh mục.", at=LINE, key=("units", i, "id"))
        for key in ("parent", "successor"):
            ref = unit.get(key)
            if isinstance(ref, str) and ref not in repo.units:
                kl, kc = _at(docs, path, ("units", i, key))
                yield problem("SK312", path, kl, kc, f"{key} «{ref}» của đơn vị «{unit.get('id')}» không có trong danh mục.", at=LINE, key=("units", i, key))
        start, end = as_date(unit.get("valid_from")), as_date(unit.get("valid_to"))
        if start and end and end < start:
            kl, kc = _at(docs, path, ("units", i, "valid_to"))
            yield problem("SK216", path, kl, kc, f"đơn vị «{unit.get('id')}» hết hiệu lực trước ngày bắt đầu.", at=LINE, key=("units", i, "valid_to"))


def _campaigns(repo: Repository, docs: dict[str, Document]) -> Iterator[Problem]:
    for camp in repo.campaigns.values():
        folder = camp.path.split("/")[1]
        if camp.id != folder:
            line, col = _at(docs, camp.path, ("id",))
            yield problem("SK211", camp.path, line, col, f"id của đợt là «{camp.id}» nhưng thư mục là «{folder}».", at=LINE, key=("id",))
        if camp.opens_at and camp.closes_at and camp.closes_at <= camp.opens_at:
            line, col = _at(docs, camp.path, ("window", "closes"))
            yield problem("SK216", camp.path, line, col, "hạn đóng nhận bài không sau ngày mở.", at=LINE, key=("window", "closes"))
        for i, unit in enumerate(camp.eligible_units):
            if unit not in repo.units:
                line, col = _at(docs, camp.path, ("eligible_units", i))
                yield problem("SK303", camp.path, line, col, f"đơn vị «{unit}» trong eligible_units không có trong danh mục.", at=LINE, key=("eligible_units", i))
        issuer = (camp.data.get("issuer") or {}).get("unit")
        if isinstance(issuer, str) and issuer not in repo.units:
            line, col = _at(docs, camp.path, ("issuer", "unit"))
            yield problem("SK303", camp.path, line, col, f"đơn vị ban hành «{issuer}» không có trong danh mục.", at=LINE, key=("issuer", "unit"))


def _entries(repo: Repository, docs: dict[str, Document]) -> Iterator[Problem]:
    """Each entry checked against the registry and its campaign; an entry whose document is not
    given (an incremental run did not read it again) keeps its problems from the last run."""
    for entry in repo.entries.values():
        if entry.path in docs:
            yield from _entry_refs(repo, entry, docs)


def _entry_refs(repo: Repository, entry: Entry, docs: dict[str, Document]) -> Iterator[Problem]:
    where = docs[entry.path].parsed.where
    camp = repo.campaigns.get(entry.campaign or "")
    if entry.campaign and camp is None:
        line, col = where(("campaign",))
        known = ", ".join(sorted(repo.campaigns)) or "(chưa có đợt nào)"
        yield problem("SK302", entry.path, line, col, f"đợt «{entry.campaign}» không tồn tại. Các đợt hiện có: {known}.", at=LINE, key=("campaign",))
    unit = repo.units.get(entry.unit or "")
    if entry.unit and unit is None:
        line, col = where(("unit",))
        yield problem("SK303", entry.path, line, col, f"đơn vị «{entry.unit}» không có trong danh mục entries/units.yaml.", at=LINE, key=("unit",))
    day = entry.submitted
    if unit and day and not unit.valid_on(day):
        line, col = where(("submitted",))
        span = f"{vntime.show_date(unit.valid_from) if unit.valid_from else '…'} – {vntime.show_date(unit.valid_to) if unit.valid_to else '…'}"
        successor = unit.data.get("successor")
        fix = f"Nộp dưới tên đơn vị kế thừa «{successor}»." if successor else None
        yield problem("SK304", entry.path, line, col, f"«{unit.name}» chỉ có hiệu lực {span}, không còn vào ngày nộp {vntime.show_date(day)}.", fix, at=LINE, key=("submitted",))
    if camp is None:
        return
    if camp.eligible_units and entry.unit and entry.unit not in camp.eligible_units and unit is not None:
        line, col = where(("unit",))
        yield problem("SK311", entry.path, line, col, f"đơn vị «{entry.unit}» không có trong danh sách đơn vị tham gia đợt «{camp.id}».", at=LINE, key=("unit",))
    if entry.kind == "entry":
        yield from _accepted(camp, entry, where)
    if day and camp.closes_at:
        late = vntime.start_of(day) >= camp.closes_at
        early = camp.opens_at and vntime.start_of(day) + timedelta(days=1) <= camp.opens_at
        dec = repo.decisions.get(camp.id)
        waived = repo.waived_entry(entry, vntime.start_of(day)) if late else None
        # Only a late or early entry needs the place: the validator's cache decodes positions on demand.
        if not (late or early):
            return  # on time (most entries): nothing below to say
        line, col = where(("submitted",))
        deadline = vntime.show(vntime.last_moment(camp.closes_at))
        slug, unit_id = entry.path.rsplit("/", 1)[-1].removesuffix(".md"), entry.folder_unit or ""
        mine = [w for w in dec.waivers(slug) if w.get("unit") == unit_id] if late and dec else []
        other = next((w for w in dec.waivers(slug) if w.get("unit") != unit_id), None) if late and dec and not mine else None
        if late and waived:
            yield problem("SK405", entry.path, line, col, f"nộp ngày {vntime.show_date(day)}, sau hạn {deadline}; Hội đồng đã chấp nhận ngày {waived.get('date')}: {waived.get('reason')} (được nộp, sửa đến hết ngày {_until(waived)}).", at=LINE, key=("submitted",))
        elif late and other:
            yield problem("SK407", entry.path, line, col, f"ngày nộp {vntime.show_date(day)} sau hạn chót {deadline}. Hội đồng chỉ chấp nhận nộp muộn bài «{slug}» của đơn vị «{other.get('unit')}», không phải của đơn vị «{unit_id}».", at=LINE, key=("submitted",))
        elif late:
            ended = f" Hội đồng chỉ chấp nhận nộp muộn bài này đến hết ngày {_until(max(mine, key=lambda w: str(w.get('until'))))}." if mine else ""
            yield problem("SK402", entry.path, line, col, f"ngày nộp {vntime.show_date(day)} sau hạn chót {deadline}.{ended}", at=LINE, key=("submitted",))
        elif early and camp.opens_at is not None:  # early implies it
            yield problem("SK401", entry.path, line, col, f"ngày nộp {vntime.show_date(day)} trước khi mở nhận bài {vntime.show(camp.opens_at)}.", at=LINE, key=("submitted",))


def _accepted(camp: Campaign, entry: Entry, where: Where) -> Iterator[Problem]:
    data = entry.data
    areas = {a for a in camp.data.get("areas") or [] if isinstance(a, str)}
    for i, area in enumerate(data.get("areas") or []):
        if areas and isinstance(area, str) and area not in areas:
            line, col = where(("areas", i))
            yield problem("SK310", entry.path, line, col, f"lĩnh vực «{area}» không thuộc các lĩnh vực của đợt «{camp.id}» ({', '.join(sorted(areas))}).", at=LINE, key=("areas", i))
    allowed = [a for a in camp.data.get("participation") or [] if isinstance(a, str)]
    if allowed and data.get("participation") not in allowed:
        line, col = where(("participation",))
        yield problem("SK310", entry.path, line, col, f"đợt «{camp.id}» chỉ nhận hình thức tham gia: {', '.join(allowed)}.", at=LINE, key=("participation",))
    forms = {f for f in camp.data.get("forms") or [] if isinstance(f, str)}
    for i, form in enumerate(data.get("forms") or []):
        if forms and isinstance(form, str) and form not in forms:
            line, col = where(("forms", i))
            yield problem("SK310", entry.path, line, col, f"đợt «{camp.id}» không nhận hình thức trình bày «{form}».", at=LINE, key=("forms", i))


def _decisions(repo: Repository, dec: Decisions, doc: Document) -> Iterator[Problem]:
    path, where = dec.path, doc.parsed.where
    folder = path.split("/")[1]
    if dec.campaign != folder:
        line, col = where(("campaign",))
        yield problem("SK316", path, line, col, f"campaign là «{dec.campaign}» nhưng tệp nằm trong thư mục «{folder}».", at=LINE, key=("campaign",))
    camp = repo.campaigns.get(folder)
    ids = {e.id for e in repo.entries_of(folder)}

    def ref(section: str, i: int, key_path: Key, entry_id: object) -> Iterator[Problem]:
        if isinstance(entry_id, str) and entry_id not in ids:
            line, col = where((section, i, *key_path))
            yield problem("SK305", path, line, col, f"bài «{entry_id}» không có trong đợt «{folder}».", at=LINE, key=(section, i, *key_path))

    for section in ("screening", "scores", "late_waivers"):
        for i, item in enumerate(dec.items(section)):
            yield from ref(section, i, ("entry",), item.get("entry"))
    yield from _waivers(repo, dec, doc, camp, folder)
    passed = {e for e, s in dec.screening().items() if s.get("result") == "dat"}
    criteria = {c.get("id"): c for c in (camp.rubric.get("criteria") or [])} if camp else {}
    sheets: Counter[tuple[object, object]] = Counter()
    for i, sheet in enumerate(dec.items("scores")):
        sheets[(sheet.get("member"), sheet.get("entry"))] += 1
        if sheets[(sheet.get("member"), sheet.get("entry"))] == 2:
            line, col = where(("scores", i))
            yield problem("SK306", path, line, col, f"thành viên «{sheet.get('member')}» có hai phiếu chấm cho bài «{sheet.get('entry')}».",
                          "Giữ lại một phiếu.", at=LINE, key=("scores", i))
        if sheet.get("entry") in ids and passed and sheet.get("entry") not in passed:
            line, col = where(("scores", i, "entry"))
            yield problem("SK317", path, line, col, f"bài «{sheet.get('entry')}» được chấm nhưng chưa có kết quả sơ loại đạt.", at=LINE, key=("scores", i, "entry"))
        if not criteria:
            continue
        for key, value in (sheet.get("criteria") or {}).items():
            if key in criteria and not (isinstance(value, (int, float)) and value > criteria[key].get("max", value)):
                continue  # nothing to report: no need for the place (decoded on demand from the cache)
            line, col = where(("scores", i, "criteria", key))
            if key not in criteria:
                yield problem("SK306", path, line, col, f"tiêu chí «{key}» không có trong thang điểm ({', '.join(criteria)}).", at=LINE, key=("scores", i, "criteria", key))
            elif isinstance(value, (int, float)) and value > criteria[key].get("max", value):
                yield problem("SK306", path, line, col, f"điểm {value:g} của tiêu chí «{criteria[key].get('name')}» vượt điểm tối đa {criteria[key]['max']:g}.", at=LINE, key=("scores", i, "criteria", key))
    yield from _recognitions(repo, dec, doc, camp, ids, passed)


def _until(waiver: dict[str, Any]) -> str:
    day = as_date(waiver.get("until"))
    return vntime.show_date(day) if day else "?"


def _waivers(repo: Repository, dec: Decisions, doc: Document, camp: Campaign | None, folder: str) -> Iterator[Problem]:
    """Each late waiver names the unit that may add the entry, and lasts until a day after the
    deadline: a waiver whose entry is in another unit's folder would let that unit in (SK406), one
    ending before it starts or by the deadline covers nothing (SK408)."""
    path, where = dec.path, doc.parsed.where
    waivers = dec.items("late_waivers")
    # Which unit's folder holds each entry of the campaign: only worth working out when there are waivers.
    owners = {e.path.rsplit("/", 1)[-1].removesuffix(".md"): e.folder_unit for e in repo.entries_of(folder) if e.folder_campaign == folder} if waivers else {}
    for i, waiver in enumerate(waivers):
        slug, unit = waiver.get("entry"), waiver.get("unit")
        if isinstance(unit, str) and unit not in repo.units:
            line, col = where(("late_waivers", i, "unit"))
            yield problem("SK303", path, line, col, f"đơn vị «{unit}» được chấp nhận nộp muộn không có trong danh mục entries/units.yaml.",
                          "Ghi đúng mã đơn vị nộp bài (tên thư mục entries/<mã đợt>/<mã đơn vị>/).", at=LINE, key=("late_waivers", i, "unit"))
        owner = owners.get(slug) if isinstance(slug, str) else None
        if isinstance(unit, str) and owner is not None and owner != unit:
            line, col = where(("late_waivers", i, "unit"))
            yield problem("SK406", path, line, col, f"chấp nhận nộp muộn bài «{slug}» cho đơn vị «{unit}», nhưng bài «{slug}» của đợt nằm trong "
                          f"thư mục của đơn vị «{owner}» (entries/{folder}/{owner}/{slug}.md).", at=LINE, key=("late_waivers", i, "unit"))
        until, granted = as_date(waiver.get("until")), as_date(waiver.get("date"))
        if until is None:
            continue
        if granted is not None and until < granted:
            line, col = where(("late_waivers", i, "until"))
            yield problem("SK408", path, line, col, f"thời hạn chấp nhận nộp muộn (đến hết ngày {vntime.show_date(until)}) trước ngày Hội đồng chấp nhận {vntime.show_date(granted)}.", at=LINE, key=("late_waivers", i, "until"))
        elif camp is not None and camp.closes_at is not None and vntime.window_end(until, "het-ngay") <= camp.closes_at:
            line, col = where(("late_waivers", i, "until"))
            yield problem("SK408", path, line, col, f"thời hạn chấp nhận nộp muộn (đến hết ngày {vntime.show_date(until)}) không sau hạn chót của đợt "
                          f"{vntime.show(vntime.last_moment(camp.closes_at))}, nên không có tác dụng.", at=LINE, key=("late_waivers", i, "until"))


def _recognitions(repo: Repository, dec: Decisions, doc: Document, camp: Campaign | None, ids: set[str],
                  passed: set[str]) -> Iterator[Problem]:
    path, where = dec.path, doc.parsed.where
    tiers = {t.get("id"): t for t in (camp.rubric.get("tiers") or [])} if camp else {}
    per_tier: Counter[object] = Counter()
    numbers = set()
    live_entries = set()
    revoked = {(r.get("decision"), e) for r in dec.items("revocations") for e in r.get("entries") or []}
    for i, rec in enumerate(dec.items("recognitions")):
        numbers.add(rec.get("number"))
        day = as_date(rec.get("date"))
        if camp and camp.closes_at and day and vntime.start_of(day) < camp.closes_at:
            line, col = where(("recognitions", i, "date"))
            yield problem("SK308", path, line, col, f"quyết định {rec.get('number')} ký ngày {vntime.show_date(day)}, trước khi hết hạn nhận bài {vntime.show(vntime.last_moment(camp.closes_at))}.", at=LINE, key=("recognitions", i, "date"))
        for j, line_item in enumerate(rec.get("entries") or []):
            if not isinstance(line_item, dict):
                continue
            entry_id, tier = line_item.get("entry"), line_item.get("tier")
            if isinstance(entry_id, str) and entry_id not in ids:
                line, col = where(("recognitions", i, "entries", j, "entry"))
                yield problem("SK305", path, line, col, f"bài «{entry_id}» không có trong đợt «{dec.campaign}».", at=LINE, key=("recognitions", i, "entries", j, "entry"))
                continue
            if passed and entry_id not in passed:
                line, col = where(("recognitions", i, "entries", j, "entry"))
                yield problem("SK317", path, line, col, f"bài «{entry_id}» được công nhận nhưng chưa có kết quả sơ loại đạt.", at=LINE, key=("recognitions", i, "entries", j, "entry"))
            if (rec.get("number"), entry_id) not in revoked:
                live_entries.add(entry_id)
                if tier is not None:
                    per_tier[tier] += 1
            if tier is not None and tier not in tiers:
                line, col = where(("recognitions", i, "entries", j, "tier"))
                known = ", ".join(tiers) or "(đợt chưa khai báo hạng giải)"
                yield problem("SK307", path, line, col, f"hạng giải «{tier}» không có trong thang điểm của đợt ({known}).", at=LINE, key=("recognitions", i, "entries", j, "tier"))
    for tier, count in per_tier.items():
        if tier in tiers and count > tiers[tier].get("count", count):
            line, col = where(("recognitions",))
            yield problem("SK307", path, line, col, f"có {count} bài được trao «{tiers[tier].get('name')}», số lượng tối đa là {tiers[tier]['count']}.", at=LINE, key=("recognitions",))
    cap = ((camp.data.get("award") or {}).get("cap")) if camp else None
    if isinstance(cap, int) and len(live_entries) > cap:
        line, col = where(("recognitions",))
        yield problem("SK309", path, line, col, f"có {len(live_entries)} bài, hồ sơ được công nhận, khen thưởng; kế hoạch cho tối đa {cap}.", at=LINE, key=("recognitions",))
    for i, rev in enumerate(dec.items("revocations")):
        if rev.get("decision") not in numbers:
            line, col = where(("revocations", i, "decision"))
            yield problem("SK313", path, line, col, f"quyết định «{rev.get('decision')}» không có trong danh sách quyết định công nhận của đợt.", at=LINE, key=("revocations", i, "decision"))
        for k, entry_id in enumerate(rev.get("entries") or []):
            if isinstance(entry_id, str) and entry_id not in ids:
                line, col = where(("revocations", i, "entries", k))
                yield problem("SK305", path, line, col, f"bài «{entry_id}» không có trong đợt «{dec.campaign}».", at=LINE, key=("revocations", i, "entries", k))
