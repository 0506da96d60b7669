"""Participation per eligible unit: submitted entries against the campaign's minimum.

Pure: reads the model only (no openpyxl, no I/O), so the site generator and `sangkien report`
share one computation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sangkien import vntime
from sangkien.model import Entry, Repository


@dataclass
class UnitParticipation:
    unit_id: str
    unit_name: str
    submitted: int  # entries of this unit in the campaign (up to `at` when given)
    minimum: int
    meets_minimum: bool
    passed_screening: int  # screening result "dat"
    late: int  # submitted after the deadline (waived or not)
    waived: int = 0  # late entries the council accepted (late_waivers)
    screened_out: int = 0  # screening result "khong-dat"
    eligible: bool = True  # False: the unit submitted but is not in eligible_units
    entries: list[str] = field(default_factory=list)


def is_late(entry: Entry, closes_at: datetime | None) -> bool:
    """The submission day starts at or after the first instant that is too late."""
    day = entry.submitted
    return bool(day and closes_at and vntime.start_of(day) >= closes_at)


def waived_late(repo: Repository, entry: Entry) -> bool:
    """The council accepted this late entry: a waiver for its campaign, unit and slug that lasts
    past the day the entry says it was submitted."""
    day = entry.submitted
    return day is not None and repo.waived_entry(entry, vntime.start_of(day)) is not None


def participation(repo: Repository, campaign_id: str, at: datetime | None = None) -> list[UnitParticipation]:
    """One row per eligible unit (in the campaign's order), then any other unit that submitted.

    `at` counts only entries submitted on or before that instant's day (Vietnam time), to show the
    situation as it was on a given day; None counts everything in the repository.
    """
    camp = repo.campaigns.get(campaign_id)
    if camp is None:
        return []
    entries = repo.entries_of(campaign_id)
    if at is not None:
        last_day = vntime.local_date(at)
        entries = [e for e in entries if e.submitted is None or e.submitted <= last_day]
    dec = repo.decisions.get(campaign_id)
    screening = dec.screening() if dec else {}
    by_unit: dict[str, list[Entry]] = {}
    for entry in entries:
        by_unit.setdefault(entry.unit or "", []).append(entry)
    order = list(camp.eligible_units) + sorted(u for u in by_unit if u and u not in camp.eligible_units)
    rows = []
    for unit_id in order:
        mine = by_unit.get(unit_id, [])
        late = [e for e in mine if is_late(e, camp.closes_at)]
        unit = repo.units.get(unit_id)
        eligible = unit_id in camp.eligible_units
        minimum = camp.min_entries if eligible else 0
        rows.append(UnitParticipation(
            unit_id=unit_id,
            unit_name=unit.name if unit else unit_id,
            submitted=len(mine),
            minimum=minimum,
            meets_minimum=len(mine) >= minimum,
            passed_screening=sum(1 for e in mine if (screening.get(e.id) or {}).get("result") == "dat"),
            late=len(late),
            waived=sum(1 for e in late if waived_late(repo, e)),
            screened_out=sum(1 for e in mine if (screening.get(e.id) or {}).get("result") == "khong-dat"),
            eligible=eligible,
            entries=[e.id for e in mine],
        ))
    return rows
