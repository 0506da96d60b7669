"""The catalogue model: units, campaigns, entries, decisions. Plain Python, no MkDocs.

Built from documents that the reader parsed; used by the validator's cross-file rules, the
site generator, the council tools and the exports. A generator switch must not touch this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sangkien import vntime


def as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass
class Unit:
    id: str
    data: dict
    path: str = ""

    @property
    def name(self) -> str:
        return str(self.data.get("name", self.id))

    @property
    def level(self) -> str | None:
        return self.data.get("level")

    @property
    def parent(self) -> str | None:
        return self.data.get("parent")

    @property
    def accounts(self) -> list[str]:
        return list(self.data.get("accounts") or [])

    @property
    def contact(self) -> dict:
        return dict(self.data.get("contact") or {})

    @property
    def valid_from(self) -> date | None:
        return as_date(self.data.get("valid_from"))

    @property
    def valid_to(self) -> date | None:
        return as_date(self.data.get("valid_to"))

    def valid_on(self, day: date) -> bool:
        start, end = self.valid_from, self.valid_to
        return (start is None or start <= day) and (end is None or day <= end)


@dataclass
class Deadline:
    day: date
    rule: str
    text: str = ""


@dataclass
class Campaign:
    id: str
    data: dict
    path: str = ""

    @property
    def title(self) -> str:
        return str(self.data.get("title", self.id))

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", "sang-kien"))

    def _deadline(self, raw: object) -> Deadline | None:
        if not isinstance(raw, dict):
            return None
        day = as_date(raw.get("date"))
        return Deadline(day, str(raw.get("rule", "het-ngay")), str(raw.get("text", ""))) if day else None

    @property
    def opens(self) -> Deadline | None:
        return self._deadline((self.data.get("window") or {}).get("opens"))

    @property
    def closes(self) -> Deadline | None:
        return self._deadline((self.data.get("window") or {}).get("closes"))

    @property
    def opens_at(self) -> datetime | None:
        d = self.opens
        return vntime.window_start(d.day, d.rule) if d else None

    @property
    def closes_at(self) -> datetime | None:
        """First instant that is too late."""
        d = self.closes
        return vntime.window_end(d.day, d.rule) if d else None

    def is_open(self, at: datetime) -> bool:
        start, end = self.opens_at, self.closes_at
        return start is not None and end is not None and start <= at < end

    @property
    def stages(self) -> list[tuple[str, str, datetime]]:
        out = []
        for stage in self.data.get("stages") or []:
            d = self._deadline(stage.get("deadline")) if isinstance(stage, dict) else None
            if d:
                out.append((str(stage.get("id")), str(stage.get("name")), vntime.window_end(d.day, d.rule)))
        return out

    @property
    def rubric(self) -> dict:
        return dict(self.data.get("rubric") or {})

    @property
    def eligible_units(self) -> list[str]:
        return list(self.data.get("eligible_units") or [])

    @property
    def min_entries(self) -> int:
        value = self.data.get("min_entries_per_unit", 0)
        return value if isinstance(value, int) else 0


@dataclass
class Entry:
    """An initiative, a thi đua nomination, or a replication record."""

    id: str
    kind: str  # entry | nomination | replication
    data: dict
    path: str
    body: str = ""
    body_line: int = 1

    @property
    def title(self) -> str:
        return str(self.data.get("title", self.id))

    @property
    def campaign(self) -> str | None:
        return self.data.get("campaign")

    @property
    def unit(self) -> str | None:
        return self.data.get("unit")

    @property
    def submitted(self) -> date | None:
        return as_date(self.data.get("submitted"))

    @property
    def folder_campaign(self) -> str | None:
        """The campaign of the folder the file is in (entries/<campaign>/<unit>/<id>.md): ownership is the path."""
        parts = self.path.split("/")
        return parts[1] if len(parts) == 4 else None

    @property
    def folder_unit(self) -> str | None:
        parts = self.path.split("/")
        return parts[2] if len(parts) == 4 else None

    @property
    def illustrative(self) -> bool:
        return bool(self.data.get("illustrative"))


@dataclass
class Recognition:
    number: str
    day: date | None
    data: dict
    campaign: str
    revoked: dict | None = None  # the revocation that ended it for an entry, if any

    @property
    def level(self) -> str | None:
        return self.data.get("level")


@dataclass
class Decisions:
    campaign: str
    data: dict
    path: str = ""
    _index: dict | None = field(default=None, repr=False, compare=False)

    def items(self, key: str) -> list[dict]:
        return [x for x in (self.data.get(key) or []) if isinstance(x, dict)]

    def screening(self) -> dict[str, dict]:
        return {x.get("entry"): x for x in self.items("screening")}

    def recognitions_by_entry(self) -> dict[str, list[tuple[Recognition, dict]]]:
        """entry id -> its recognitions (date order, revoked ones marked); built once, since a
        catalogue asks for every entry and a per-entry scan would be quadratic."""
        if self._index is None:
            revoked = {(r.get("decision"), e): r for r in self.items("revocations") for e in r.get("entries") or [] if isinstance(e, str)}
            index: dict[str, list[tuple[Recognition, dict]]] = {}
            for rec in self.items("recognitions"):
                for line in rec.get("entries") or []:
                    if isinstance(line, dict) and isinstance(line.get("entry"), str):
                        entry_id = line["entry"]
                        found = Recognition(str(rec.get("number")), as_date(rec.get("date")), rec, self.campaign,
                                            revoked.get((rec.get("number"), entry_id)))
                        index.setdefault(entry_id, []).append((found, line))
            for pairs in index.values():
                pairs.sort(key=lambda pair: pair[0].day or date.min)
            self._index = index
        return self._index

    def waivers(self, slug: str) -> list[dict]:
        """Every late waiver of this campaign that names the entry `slug`, whichever unit it names."""
        return [w for w in self.items("late_waivers") if w.get("entry") == slug]

    def waived(self, unit: str, slug: str, at: datetime) -> dict | None:
        """The waiver that lets `unit` add (or change) its entry `slug` in this campaign late at `at`.

        A waiver names the campaign (its file's own), the unit and the entry, and lasts "đến hết
        ngày" `until` (Vietnam time): another unit's entry of the same slug is not covered, nor is
        any change at or after the end. Of several covering lines, the one lasting longest."""
        live = [w for w in self.waivers(slug) if w.get("unit") == unit and (end := waiver_end(w)) is not None and at < end]
        return max(live, key=lambda w: waiver_end(w) or at, default=None)


def waiver_end(waiver: dict) -> datetime | None:
    """First instant a waiver no longer covers: the end of its `until` day, Vietnam time (None if unreadable)."""
    day = as_date(waiver.get("until"))
    return vntime.window_end(day, "het-ngay") if day else None


@dataclass
class Repository:
    units: dict[str, Unit] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    decisions: dict[str, Decisions] = field(default_factory=dict)
    replications: dict[str, Entry] = field(default_factory=dict)
    organisers: list[str] = field(default_factory=list)
    council: list[str] = field(default_factory=list)

    # ---- recognitions
    def recognitions(self, entry_id: str) -> list[tuple[Recognition, dict]]:
        """Every recognition naming the entry, with its line, in date order; revoked ones marked."""
        entry = self.entries.get(entry_id)
        if entry is None or entry.campaign not in self.decisions:
            return []
        return self.decisions[entry.campaign].recognitions_by_entry().get(entry_id, [])

    def recognition(self, entry_id: str) -> tuple[Recognition, dict] | None:
        """The latest recognition in force (not revoked), with the entry's line (tier)."""
        live = [pair for pair in self.recognitions(entry_id) if pair[0].revoked is None]
        return live[-1] if live else None

    def waiver(self, campaign: str, unit: str, slug: str, at: datetime) -> dict | None:
        """The council's waiver that lets `unit` add its entry `slug` to `campaign` late at `at`."""
        dec = self.decisions.get(campaign)
        return dec.waived(unit, slug, at) if dec is not None else None

    def waived_entry(self, entry: Entry, at: datetime) -> dict | None:
        """The waiver covering an entry at `at`, keyed by the campaign and unit of its folder."""
        slug = entry.path.rsplit("/", 1)[-1].removesuffix(".md")
        return self.waiver(entry.folder_campaign or "", entry.folder_unit or "", slug, at)

    def recognised(self) -> list[Entry]:
        return [e for e in self.entries.values() if self.recognition(e.id) is not None]

    # ---- units
    def province_of(self, unit_id: str | None) -> Unit | None:
        seen = set()
        unit = self.units.get(unit_id or "")
        while unit is not None and unit.id not in seen:
            seen.add(unit.id)
            if unit.data.get("kind") == "ubnd-tinh":
                return unit
            unit = self.units.get(unit.parent or "")
        return None

    def unit_accounts(self, unit_id: str) -> list[str]:
        unit = self.units.get(unit_id)
        return unit.accounts if unit else []

    def entries_of(self, campaign_id: str) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.campaign == campaign_id), key=lambda e: e.id)

    def replications_of(self, entry_id: str) -> list[Entry]:
        return sorted((r for r in self.replications.values() if r.data.get("initiative") == entry_id), key=lambda r: r.id)
