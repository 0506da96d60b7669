"""Rules on a change set (`--base`): the campaign window at the reference time.

The reference time comes from the Git host's event record (see the submission guide), never
from commit dates, which anyone can forge, nor from the runner's clock, which a re-run moves.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sangkien import vntime
from sangkien.checks import dates as date_rules
from sangkien.codes import problem
from sangkien.layout import Place, classify
from sangkien.model import Decisions, Repository, as_date
from sangkien.problems import Problem
from sangkien.reader import Document

_VERB = {"A": "thêm", "M": "sửa", "D": "xóa"}


def check(repo: Repository, docs: dict[str, Document], changes: list[tuple[str, str]], at: datetime) -> Iterator[Problem]:
    when = vntime.show_seconds(at)
    listed: dict[tuple[str, str], dict[str, set[str]]] = {}  # (campaign, unit) -> attachment -> entries listing it
    for status, path in changes:
        place = classify(path)
        if place.kind not in ("entry", "attachment"):
            continue
        camp = repo.campaigns.get(place.campaign or "")
        if camp is None or camp.opens_at is None or camp.closes_at is None:
            continue
        deadline = vntime.show(vntime.last_moment(camp.closes_at))
        dec = repo.decisions.get(camp.id)
        unit = place.unit or ""
        slug = (place.slug or "") if place.kind == "entry" else _owner(repo, listed, place)
        waiver = dec.waived(unit, slug, at) if dec and slug else None
        if place.kind == "entry" and status == "A":
            if at < camp.opens_at:
                yield problem("SK401", path, 1, 1, f"Bài được nộp lúc {when}, trước khi đợt «{camp.id}» mở nhận bài lúc {vntime.show(camp.opens_at)}.")
            elif at >= camp.closes_at and waiver:
                yield problem("SK405", path, 1, 1, f"Bài được nộp lúc {when}, sau hạn chót {deadline}; Hội đồng đã chấp nhận ngày {waiver.get('date')}: "
                              f"{waiver.get('reason')} (được nộp, sửa đến hết ngày {_day(waiver)}).")
            elif at >= camp.closes_at and (other := _other_unit(dec, unit, slug)):
                yield _for_other_unit(path, when, deadline, camp.id, slug, unit, other)
            elif at >= camp.closes_at:
                yield problem("SK402", path, 1, 1, f"Bài được nộp lúc {when}, sau hạn chót của đợt «{camp.id}» là {deadline}.{_expired(dec, unit, slug)}")
            else:
                yield from _declared_date(repo, docs, path, at)
        elif at >= camp.closes_at:
            verb = _VERB.get(status, "sửa")
            what = "bài" if place.kind == "entry" else f"tệp kèm theo «{place.slug}»"
            if waiver:
                yield problem("SK405", path, 1, 1, f"Thay đổi ({verb} {what}) lúc {when}, sau hạn chót {deadline}; Hội đồng đã chấp nhận nộp muộn bài «{slug}» "
                              f"của đơn vị «{unit}» đến hết ngày {_day(waiver)}: {waiver.get('reason')}.")
            elif place.kind == "entry" and (other := _other_unit(dec, unit, slug)):
                yield _for_other_unit(path, when, deadline, camp.id, slug, unit, other)
            else:
                yield problem("SK403", path, 1, 1, f"Thay đổi ({verb} {what}) lúc {when}, sau hạn chót của đợt «{camp.id}» là {deadline}."
                              f"{_expired(dec, unit, slug) if slug else ''}")


def _owner(repo: Repository, listed: dict[tuple[str, str], dict[str, set[str]]], place: Place) -> str:
    """The entry whose late addition an attachment belongs to: the one entry of the unit (in this
    campaign) that lists it under attachments; '' if none or several do (a shared file is no one
    entry's addition). The folder is indexed once, so a change set stays linear."""
    key = (place.campaign or "", place.unit or "")
    if key not in listed:
        index: dict[str, set[str]] = {}
        folder = f"entries/{key[0]}/{key[1]}/"
        for entry in repo.entries.values():
            if entry.path.startswith(folder):
                for item in entry.data.get("attachments") or []:
                    if isinstance(item, dict) and isinstance(item.get("file"), str):
                        index.setdefault(item["file"], set()).add(entry.path[len(folder):].removesuffix(".md"))
        listed[key] = index
    owners = listed[key].get(place.slug or "", set())
    return next(iter(owners)) if len(owners) == 1 else ""


def _day(waiver: dict[str, Any]) -> str:
    day = as_date(waiver.get("until"))
    return vntime.show_date(day) if day else "?"


def _other_unit(dec: Decisions | None, unit: str, slug: str) -> dict[str, Any] | None:
    """A waiver for the same entry name given to another unit (it does not carry over)."""
    if dec is None:
        return None
    return next((w for w in dec.waivers(slug) if w.get("unit") != unit), None)


def _for_other_unit(path: str, when: str, deadline: str, campaign: str, slug: str, unit: str, other: dict[str, Any]) -> Problem:
    return problem("SK407", path, 1, 1, f"Thay đổi lúc {when}, sau hạn chót của đợt «{campaign}» là {deadline}. Hội đồng chỉ chấp nhận nộp muộn "
                   f"bài «{slug}» của đơn vị «{other.get('unit')}», không phải của đơn vị «{unit}».")


def _expired(dec: Decisions | None, unit: str, slug: str) -> str:
    """Why a waiver that names this unit and entry does not help: it ended."""
    if dec is None:
        return ""
    ends = [w for w in dec.waivers(slug) if w.get("unit") == unit]
    if not ends:
        return ""
    last = max(ends, key=lambda w: str(w.get("until")))
    return f" Hội đồng đã chấp nhận nộp muộn bài này đến hết ngày {_day(last)}; thời hạn đó đã qua."


def _declared_date(repo: Repository, docs: dict[str, Document], path: str, at: datetime) -> Iterator[Problem]:
    entry = next((e for e in repo.entries.values() if e.path == path), None)
    day = vntime.local_date(at)
    if entry is not None and entry.submitted is not None and entry.submitted > day:
        yield date_rules.future_submitted(entry, docs[path], day)  # later than the event's day: SK409
    elif entry is not None and entry.submitted is not None and entry.submitted != day:
        line, col = docs[path].parsed.where(("submitted",))
        yield problem("SK404", path, line, col, f"Trường submitted ghi {vntime.show_date(entry.submitted)} nhưng bài được gửi ngày {vntime.show_date(day)}.",
                      f'Sửa thành submitted: "{day.isoformat()}".')
