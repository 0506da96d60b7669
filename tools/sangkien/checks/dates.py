"""Dates that have not come yet: an entry's `submitted` day and the council's decision dates.

A submission cannot be dated after the moment it is judged at, nor a decision signed after
today: such a date is a typing slip (25/06/2027 for 25/06/2024) that would otherwise be
published. The reference is the day, in Vietnam time, of the run's reference time `at` (the Git
host's event time with `--at`, else `settings.now()`), so both comparisons are whole days:
a date is future when it is later than that day.

The result depends on the time, so it is never part of a file's cached result (filecheck.py).
The last full run's memo (runmemo.py) holds these problems too; it records the day it was
computed for and every date compared (`moments`), and is given back only while the reference
day stays on the same side of each of them (`same_side`): a date that was future yesterday is
fine today, and a run pinned to an earlier time sees the dates that are future then.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from sangkien import vntime
from sangkien.codes import problem
from sangkien.model import Entry, Repository, as_date
from sangkien.problems import LINE, Problem
from sangkien.reader import Document

if TYPE_CHECKING:
    from sangkien.loader import Loaded
    from sangkien.rules import ChangeSet

# decisions.yaml: the sections whose items carry the date the council decided on (a late
# waiver's `until` is a deadline, which may well lie ahead, and is not one of them).
DECISION_SECTIONS: dict[str, str] = {
    "screening": "kết quả sơ loại",
    "scores": "phiếu chấm",
    "late_waivers": "chấp nhận nộp muộn",
    "recognitions": "quyết định công nhận",
    "revocations": "quyết định thu hồi",
}


# The codes whose message names the reference day (SK409's fix gives it as the example to write):
# same_side keeps which problems there are, not these words.
DAY_NAMED = frozenset({"SK409"})


def reference_day(at: datetime) -> date:
    return vntime.local_date(at)


def is_future(day: date, at: datetime) -> bool:
    return day > reference_day(at)


def rule(loaded: Loaded, changes: ChangeSet | None, at: datetime) -> Iterator[Problem]:
    """The registry's entry point (rules.py names it as "sangkien.checks.dates:rule")."""
    return check(loaded.repo, loaded.docs, at)


def check(repo: Repository, docs: dict[str, Document], at: datetime) -> Iterator[Problem]:
    """Future dates in the documents given (an incremental run gives those it read again)."""
    today = reference_day(at)
    for entry in repo.entries.values():
        doc = docs.get(entry.path)
        if doc is not None and entry.submitted is not None and entry.submitted > today:
            yield future_submitted(entry, doc, today)
    for dec in repo.decisions.values():
        doc = docs.get(dec.path)
        if doc is None:
            continue
        for section, label in DECISION_SECTIONS.items():
            for i, item in enumerate(dec.items(section)):
                day = as_date(item.get("date"))
                if day is None or day <= today:
                    continue
                line, col = doc.parsed.where((section, i, "date"))
                yield problem("SK410", dec.path, line, col, future_decision(label, day, _about(item)), at=LINE, key=(section, i, "date"))


def future_submitted(entry: Entry, doc: Document, today: date) -> Problem:
    """SK409 for an entry whose `submitted` is later than `today` (also used by the change-set
    rule of checks/changes.py, where `today` is the day of the Git host's event)."""
    day = entry.submitted
    line, col = doc.parsed.where(("submitted",))
    what = "Ngày trình hồ sơ" if entry.kind == "nomination" else "Ngày nộp"
    return problem("SK409", entry.path, line, col,
                   f"{what} (submitted) ghi {vntime.show_date(day) if day else '?'}, là ngày chưa tới: bài chỉ được ghi ngày đã gửi thật.",
                   f'Ghi ngày đã gửi bài (không sau ngày kiểm tra), dạng năm-tháng-ngày trong dấu nháy, ví dụ submitted: '
                   f'{_example(today)}', at=LINE, key=("submitted",))


def _example(today: date) -> str:
    """How SK409's fix ends: the reference day, as the example to write."""
    return f'"{today.isoformat()}" cho ngày {vntime.show_date(today)}.'


def redated(problems: list[Problem], judged: date, today: date) -> list[Problem]:
    """The problems of a run judged on `judged`, worded as a run on `today` words them, when the
    two days are on the same side of every date compared (same_side): the same problems, but
    those of DAY_NAMED name the reference day in their fix."""
    if judged == today:
        return problems
    old, new = _example(judged), _example(today)
    return [replace(p, detail=p.detail[:-len(old)] + new) if p.code in DAY_NAMED and p.detail.endswith(old) else p for p in problems]


def future_decision(label: str, day: date, about: str = "") -> str:
    """The message for a decision dated after today, shared with the commands that record one."""
    return f"Ngày {label}{about} ghi {vntime.show_date(day)}, là ngày chưa tới: Hội đồng chỉ ghi ngày đã quyết định."


def _about(item: dict[str, object]) -> str:
    if isinstance(item.get("number"), str):
        return f" số {item['number']}"
    if isinstance(item.get("entry"), str):
        return f" của bài «{item['entry']}»"
    return ""


def moments(repo: Repository) -> list[str]:
    """Every date the rule compares with the reference day (ISO, sorted): the run memo keeps the
    problems of a day only for the days on the same side of each of them."""
    found: set[date] = {e.submitted for e in repo.entries.values() if e.submitted is not None}
    for dec in repo.decisions.values():
        for section in DECISION_SECTIONS:
            found.update(day for item in dec.items(section) if (day := as_date(item.get("date"))) is not None)
    return sorted(day.isoformat() for day in found)


def same_side(dates: Iterable[str], before: date, now: date) -> bool:
    """Whether every date is future on both days or on neither (then the rule's result is the same)."""
    low, high = min(before, now), max(before, now)
    return not any(low < day <= high for day in (as_date(d) for d in dates) if day is not None)
