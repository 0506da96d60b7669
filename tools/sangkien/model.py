"""The catalogue model: units, campaigns, entries, decisions. Plain Python, no MkDocs.

Built from documents that the reader parsed; used by the validator's cross-file rules, the
site generator, the council tools and the exports. A generator switch must not touch this.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sangkien import vntime


def as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass
class Unit:
    id: str
    data: dict[str, Any]
    path: str = ""

    @property
    def name(self) -> str:
        return str(self.data.get("name", self.id))

    @property
    def official_name(self) -> str:
        """The name on administrative documents (NĐ 30/2020): `name` may carry a reader's note."""
        return str(self.data.get("official_name") or self.name)

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
    def contact(self) -> dict[str, Any]:
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
    data: dict[str, Any]
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
        return _instant(d.day, d.rule, start=True) if d else None

    @property
    def closes_at(self) -> datetime | None:
        """First instant that is too late."""
        d = self.closes
        return _instant(d.day, d.rule, start=False) if d else None

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
    def rubric(self) -> dict[str, Any]:
        return dict(self.data.get("rubric") or {})

    @property
    def eligible_units(self) -> list[str]:
        return list(self.data.get("eligible_units") or [])

    @property
    def eligible_levels(self) -> list[str]:
        return list(self.data.get("eligible_levels") or [])

    @property
    def min_entries(self) -> int:
        value = self.data.get("min_entries_per_unit", 0)
        return value if isinstance(value, int) else 0


@functools.lru_cache(maxsize=1024)
def _instant(day: date, rule: str, start: bool) -> datetime:
    """The instant a window's opening (start) or closing deadline stands for. Asked for tens of
    thousands of times per run (every entry against its campaign): worked out once per (date, rule)."""
    return vntime.window_start(day, rule) if start else vntime.window_end(day, rule)


@dataclass
class Entry:
    """An initiative, a thi đua nomination, or a replication record."""

    id: str
    kind: str  # entry | nomination | replication
    data: dict[str, Any]
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
    data: dict[str, Any]
    campaign: str
    revoked: dict[str, Any] | None = None  # the revocation that ended it for an entry, if any

    @property
    def level(self) -> str | None:
        return self.data.get("level")


@dataclass
class Decisions:
    campaign: str
    data: dict[str, Any]
    path: str = ""
    _index: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def items(self, key: str) -> list[dict[str, Any]]:
        return [x for x in (self.data.get(key) or []) if isinstance(x, dict)]

    def screening(self) -> dict[str, dict[str, Any]]:
        return {x["entry"]: x for x in self.items("screening") if isinstance(x.get("entry"), str)}

    def recognitions_by_entry(self) -> dict[str, list[tuple[Recognition, dict[str, Any]]]]:
        """entry id -> its recognitions (date order, revoked ones marked); built once, since a
        catalogue asks for every entry and a per-entry scan would be quadratic."""
        if self._index is None:
            revoked = {(r.get("decision"), e): r for r in self.items("revocations") for e in r.get("entries") or [] if isinstance(e, str)}
            index: dict[str, list[tuple[Recognition, dict[str, Any]]]] = {}
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

    def waivers(self, slug: str) -> list[dict[str, Any]]:
        """Every late waiver of this campaign that names the entry `slug`, whichever unit it names."""
        return [w for w in self.items("late_waivers") if w.get("entry") == slug]

    def waived(self, unit: str, slug: str, at: datetime) -> dict[str, Any] | None:
        """The waiver that lets `unit` add (or change) its entry `slug` in this campaign late at `at`.

        A waiver names the campaign (its file's own), the unit and the entry, and lasts "đến hết
        ngày" `until` (Vietnam time): another unit's entry of the same slug is not covered, nor is
        any change at or after the end. Of several covering lines, the one lasting longest."""
        live = [w for w in self.waivers(slug) if w.get("unit") == unit and (end := waiver_end(w)) is not None and at < end]
        return max(live, key=lambda w: waiver_end(w) or at, default=None)


def waiver_end(waiver: dict[str, Any]) -> datetime | None:
    """First instant a waiver no longer covers: the end of its `until` day, Vietnam time (None if unreadable)."""
    day = as_date(waiver.get("until"))
    return vntime.window_end(day, "het-ngay") if day else None


@dataclass
class Repository:
    """The catalogue read from entries/. Built by `add_*` (the loader calls them in file order),
    then only read: the indexes below are worked out once on first use, and again only if a
    table has grown since (a model built by hand in a test stays correct)."""

    units: dict[str, Unit] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    decisions: dict[str, Decisions] = field(default_factory=dict)
    replications: dict[str, Entry] = field(default_factory=dict)
    organisers: list[str] = field(default_factory=list)
    council: list[str] = field(default_factory=list)
    _indexes: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _built_for: tuple[int, ...] = field(default=(), repr=False, compare=False)

    # ---- building
    def add_registry(self, data: dict[str, Any], path: str) -> None:
        """entries/units.yaml: units (first of an id wins), organisers and council accounts."""
        self.organisers = [a for a in data.get("organisers") or [] if isinstance(a, str)]
        self.council = [a for a in data.get("council") or [] if isinstance(a, str)]
        for item in data.get("units") or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                self.units.setdefault(item["id"], Unit(item["id"], item, path))

    def add_campaign(self, folder: str, data: dict[str, Any], path: str) -> None:
        self.campaigns[folder] = Campaign(str(data.get("id", folder)), data, path)

    def add_decisions(self, folder: str, data: dict[str, Any], path: str) -> None:
        self.decisions[folder] = Decisions(str(data.get("campaign", folder)), data, path)

    def add_entry(self, item: Entry) -> Entry | None:
        """Add an initiative, nomination or replication; if its id is taken, keep the first and
        return the one holding it (the loader reports both files)."""
        other = self.entries.get(item.id) or self.replications.get(item.id)
        if other is not None:
            return other
        (self.replications if item.kind == "replication" else self.entries)[item.id] = item
        return None

    def copy(self) -> Repository:
        """New tables of the same units, campaigns, entries and decisions, with the indexes worked
        out so far (a kept model handed out again, loadmemo.py: a caller may add to its tables)."""
        out = Repository(dict(self.units), dict(self.campaigns), dict(self.entries), dict(self.decisions), dict(self.replications),
                         list(self.organisers), list(self.council))
        out._indexes, out._built_for = dict(self._indexes), self._built_for
        return out

    def without(self, bad: set[str]) -> Repository:
        """The same repository without the files in `bad` (the site leaves out files with errors)."""
        return Repository(
            units={} if any(u.path in bad for u in self.units.values()) else self.units,
            campaigns={k: c for k, c in self.campaigns.items() if c.path not in bad},
            entries={k: e for k, e in self.entries.items() if e.path not in bad},
            decisions={k: d for k, d in self.decisions.items() if d.path not in bad},
            replications={k: r for k, r in self.replications.items() if r.path not in bad},
            organisers=self.organisers,
            council=self.council,
        )

    # ---- indexes: one pass each, so that asking per entry stays linear at 10,000 entries
    def _index(self, name: str, build: Callable[[], Any]) -> Any:
        size = (len(self.units), len(self.campaigns), len(self.entries), len(self.decisions), len(self.replications))
        if size != self._built_for:
            self._indexes.clear()
            self._built_for = size
        if name not in self._indexes:
            self._indexes[name] = build()
        return self._indexes[name]

    def _grouped(self) -> dict[str, dict[str, list[Any]]]:
        def build() -> dict[str, dict[str, list[Any]]]:
            index: dict[str, dict[str, list[Any]]] = {
                "entries": {}, "replications": {}, "children": {}, "predecessors": {}, "campaigns": {},
                "by_campaign": {}, "replicating": {}}
            for entry in sorted(self.entries.values(), key=lambda e: e.id):
                index["entries"].setdefault(str(entry.unit), []).append(entry)
                if isinstance(entry.campaign, str):
                    index["by_campaign"].setdefault(entry.campaign, []).append(entry)
            for rec in sorted(self.replications.values(), key=lambda r: r.id):
                index["replications"].setdefault(str(rec.unit), []).append(rec)
                if isinstance(rec.data.get("initiative"), str):
                    index["replicating"].setdefault(rec.data["initiative"], []).append(rec)
            for unit in self.units.values():
                if unit.parent:
                    index["children"].setdefault(unit.parent, []).append(unit)
                if unit.data.get("successor"):
                    index["predecessors"].setdefault(str(unit.data["successor"]), []).append(unit)
            for camp in self.campaigns.values():
                for eligible in set(camp.eligible_units):
                    index["campaigns"].setdefault(eligible, []).append(camp)
            return index

        grouped: dict[str, dict[str, list[Any]]] = self._index("grouped", build)
        return grouped

    def by_unit(self, what: str, unit_id: str) -> list[Any]:
        """entries / replications / children / predecessors / campaigns (where eligible) of a unit."""
        return list(self._grouped()[what].get(unit_id, []))

    def entries_of(self, campaign_id: str) -> list[Entry]:
        """Entries (initiatives or nominations) that name the campaign, by id."""
        return list(self._grouped()["by_campaign"].get(campaign_id, []))

    def replications_of(self, entry_id: str) -> list[Entry]:
        """Replication records of an initiative, by id."""
        return list(self._grouped()["replicating"].get(entry_id, []))

    # ---- recognitions
    def recognitions(self, entry_id: str) -> list[tuple[Recognition, dict[str, Any]]]:
        """Every recognition naming the entry, with its line, in date order; revoked ones marked."""
        entry = self.entries.get(entry_id)
        if entry is None or entry.campaign not in self.decisions:
            return []
        return self.decisions[entry.campaign].recognitions_by_entry().get(entry_id, [])

    def recognition(self, entry_id: str) -> tuple[Recognition, dict[str, Any]] | None:
        """The latest recognition in force (not revoked), with the entry's line (tier)."""
        def build() -> dict[str, tuple[Recognition, dict[str, Any]]]:
            # From the decisions' side: the few entries they name, not all 10,000 entries.
            found = {}
            for folder, dec in self.decisions.items():
                for key, pairs in dec.recognitions_by_entry().items():
                    entry = self.entries.get(key)
                    if entry is None or entry.campaign != folder:
                        continue  # recognitions(key) reads the decisions of the entry's own campaign
                    live = [pair for pair in pairs if pair[0].revoked is None]
                    if live:
                        found[key] = live[-1]
            return found

        in_force: dict[str, tuple[Recognition, dict[str, Any]]] = self._index("in_force", build)
        return in_force.get(entry_id)

    def recognised(self) -> list[Entry]:
        """Entries (initiatives and nominations) with a recognition in force, by id."""
        return sorted((e for e in self.entries.values() if self.recognition(e.id) is not None), key=lambda e: e.id)

    def recognised_initiatives(self) -> list[tuple[Entry, Recognition, dict[str, Any]]]:
        """Initiatives (not thi đua nominations) with a recognition in force, newest decision
        first, then by id: what the public catalogue, the search and the open data list."""
        found = [(e, *pair) for e in self.entries.values() if e.kind == "entry" and (pair := self.recognition(e.id)) is not None]
        found.sort(key=lambda t: t[0].id)
        found.sort(key=lambda t: t[1].day or date.min, reverse=True)
        return found

    def waiver(self, campaign: str, unit: str, slug: str, at: datetime) -> dict[str, Any] | None:
        """The council's waiver that lets `unit` add its entry `slug` to `campaign` late at `at`."""
        dec = self.decisions.get(campaign)
        return dec.waived(unit, slug, at) if dec is not None else None

    def waived_entry(self, entry: Entry, at: datetime) -> dict[str, Any] | None:
        """The waiver covering an entry at `at`, keyed by the campaign and unit of its folder."""
        slug = entry.path.rsplit("/", 1)[-1].removesuffix(".md")
        return self.waiver(entry.folder_campaign or "", entry.folder_unit or "", slug, at)

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

    def official_contacts(self) -> tuple[set[str], set[str]]:
        """Switchboards (digits, without 0 or 84 in front) and mailboxes (lower case) that the
        registry and the campaigns publish: these are not personal data. One definition, used
        by the validator's text checks, the form and `sangkien new`."""
        phones, emails = set(), set()
        for unit in self.units.values():
            contact = unit.contact
            if isinstance(contact.get("phone"), str):
                phones.add("".join(ch for ch in contact["phone"] if ch.isdigit()).removeprefix("84").lstrip("0"))
            if isinstance(contact.get("email"), str):
                emails.add(contact["email"].lower())
        for camp in self.campaigns.values():
            email = (camp.data.get("channel") or {}).get("email")
            if isinstance(email, str):
                emails.add(email.lower())
        return phones, emails
