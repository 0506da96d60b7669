"""What every page generator reads: the model (files with errors left out), the build's "now",
labels, and where the repository lives (for links to source files). No MkDocs here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sangkien import validator, vntime
from sangkien.checks import replication as replication_rules
from sangkien.checks import repository as repository_rules
from sangkien.model import Campaign, Entry, Recognition, Repository, Unit, as_date
from sangkien.problems import Problem
from sangkien.site.labels import Labels

NOW_ENV = "SANGKIEN_NOW"


class SiteError(Exception):
    """A problem that stops the build, with a Vietnamese message."""


def build_now() -> datetime:
    """The instant the site is built for: SANGKIEN_NOW (tests, previews) or the real clock."""
    raw = os.environ.get(NOW_ENV, "").strip()
    if not raw:
        return vntime.now()
    try:
        return vntime.parse_instant(raw)
    except ValueError as err:
        raise SiteError(f"Biến môi trường {NOW_ENV}={raw!r} không phải thời điểm hợp lệ. "
                        "Ghi theo ISO 8601 có múi giờ, ví dụ 2024-06-01T09:00:00+07:00.") from err


@dataclass
class Source:
    """The Git host holding the repository (from mkdocs.yml extra.sangkien)."""

    host: str = ""
    repository: str = ""
    branch: str = "main"
    forge: str = "github"

    @property
    def base(self) -> str:
        return f"{self.host.rstrip('/')}/{self.repository.strip('/')}" if self.host and self.repository else ""

    def file_url(self, path: str) -> str:
        """Where a reader sees a file of the repository; '' when the host is unknown."""
        if not self.base:
            return ""
        middle = {"gitlab": "-/blob", "gitea": "src/branch"}.get(self.forge, "blob")
        return f"{self.base}/{middle}/{self.branch}/{path}"


@dataclass
class Site:
    repo: Repository
    root: Path
    now: datetime
    labels: Labels
    source: Source = field(default_factory=Source)
    skipped: dict[str, list[Problem]] = field(default_factory=dict)
    # Pages ask the same questions many times; the model answers each by scanning the decisions.
    _recognition: dict[str, tuple[Recognition, dict] | None] = field(default_factory=dict, repr=False)
    _history: dict[str, list] = field(default_factory=dict, repr=False)
    _replications: dict[str, list[Entry]] | None = field(default=None, repr=False)
    _by_unit: dict[str, dict[str, list]] | None = field(default=None, repr=False)
    _decided: dict[str, tuple[dict, bool, set]] = field(default_factory=dict, repr=False)

    def decision_facts(self, campaign_id: str) -> tuple[dict, bool, set] | None:
        """(screening by entry, any recognition at all, entries with a score sheet) of a campaign's
        decisions, worked out once: status() asks them for every entry (rebuilding the screening
        table each time was quadratic at 10,000 entries)."""
        dec = self.repo.decisions.get(campaign_id)
        if dec is None:
            return None
        if campaign_id not in self._decided:
            scored = {s.get("entry") for s in dec.items("scores") if isinstance(s.get("entry"), str)}
            self._decided[campaign_id] = (dec.screening(), bool(dec.items("recognitions")), scored)
        return self._decided[campaign_id]

    # ---- lookups that tolerate dangling references (a skipped file leaves some)
    def unit_name(self, unit_id: str | None) -> str:
        unit = self.repo.units.get(unit_id or "")
        return unit.name if unit else str(unit_id or "—")

    def campaign_title(self, campaign_id: str | None) -> str:
        camp = self.repo.campaigns.get(campaign_id or "")
        return camp.title if camp else str(campaign_id or "—")

    def province(self, unit_id: str | None) -> Unit | None:
        return self.repo.province_of(unit_id)

    def recognition(self, entry: Entry | str) -> tuple[Recognition, dict] | None:
        key = entry if isinstance(entry, str) else entry.id
        if key not in self._recognition:
            live = [pair for pair in self.recognitions(key) if pair[0].revoked is None]
            self._recognition[key] = live[-1] if live else None
        return self._recognition[key]

    def recognitions(self, entry_id: str) -> list[tuple[Recognition, dict]]:
        """Same answer as Repository.recognitions, from an index built in one pass over the
        decisions (asking the model entry by entry rescans every decision: quadratic)."""
        if not self._history and self.repo.decisions:
            self._history = self._index_recognitions()
        entry = self.repo.entries.get(entry_id)
        return self._history.get(f"{entry.campaign}/{entry_id}", []) if entry else []

    def _index_recognitions(self) -> dict[str, list]:
        index: dict[str, list] = {}
        for campaign_id, dec in self.repo.decisions.items():
            revoked = {(r.get("decision"), e): r for r in dec.items("revocations") for e in r.get("entries") or []}
            for rec in dec.items("recognitions"):
                for line in rec.get("entries") or []:
                    if not isinstance(line, dict) or not isinstance(line.get("entry"), str):
                        continue
                    gone = revoked.get((rec.get("number"), line["entry"]))
                    found = Recognition(str(rec.get("number")), as_date(rec.get("date")), rec, campaign_id, gone)
                    index.setdefault(f"{campaign_id}/{line['entry']}", []).append((found, line))
        for pairs in index.values():
            pairs.sort(key=lambda pair: pair[0].day or date.min)
        return index

    def initiatives(self) -> list[Entry]:
        """Initiatives (not thi đua nominations), by id."""
        return sorted((e for e in self.repo.entries.values() if e.kind == "entry"), key=lambda e: e.id)

    def recognised(self) -> list[Entry]:
        """Recognised initiatives in force, newest recognition first."""
        found = [(rec[0].day or date.min, e) for e in self.initiatives() if (rec := self.recognition(e))]
        return [e for _, e in sorted(found, key=lambda pair: (pair[0], pair[1].id), reverse=True)]

    def replications_of(self, entry_id: str) -> list[Entry]:
        if self._replications is None:
            grouped: dict[str, list[Entry]] = {}
            for rec in sorted(self.repo.replications.values(), key=lambda r: r.id):
                grouped.setdefault(str(rec.data.get("initiative")), []).append(rec)
            self._replications = grouped
        return self._replications.get(entry_id, [])

    def by_unit(self, what: str, unit_id: str) -> list:
        """entries / replications / children / predecessors / campaigns (eligible) of a unit, indexed once per build."""
        if self._by_unit is None:
            index: dict[str, dict[str, list]] = {"entries": {}, "replications": {}, "children": {}, "predecessors": {}, "campaigns": {}}
            for entry in self.repo.entries.values():
                index["entries"].setdefault(str(entry.unit), []).append(entry)
            for rec in self.repo.replications.values():
                index["replications"].setdefault(str(rec.unit), []).append(rec)
            for unit in self.repo.units.values():
                if unit.parent:
                    index["children"].setdefault(unit.parent, []).append(unit)
                if unit.data.get("successor"):
                    index["predecessors"].setdefault(str(unit.data["successor"]), []).append(unit)
            for camp in self.repo.campaigns.values():
                for eligible in set(camp.eligible_units):  # not `unit_id`: that is the unit asked about
                    index["campaigns"].setdefault(eligible, []).append(camp)
            self._by_unit = index
        return list(self._by_unit[what].get(unit_id, []))

    def tier_name(self, campaign_id: str | None, tier: str | None) -> str:
        camp = self.repo.campaigns.get(campaign_id or "")
        for t in (camp.rubric.get("tiers") or []) if camp else []:
            if isinstance(t, dict) and t.get("id") == tier:
                return str(t.get("name", tier))
        return str(tier or "")


def load_site(root: Path, now: datetime, source: Source | None = None) -> Site:
    """Load the repository; leave out every file that has an error (the site shows valid data)."""
    loaded = validator.load(root)
    problems = list(loaded.problems)
    problems.extend(repository_rules.check(loaded.repo, loaded.docs))
    problems.extend(replication_rules.check(loaded.repo, loaded.docs))
    skipped: dict[str, list[Problem]] = {}
    for p in validator.one_per_place(problems):
        if p.is_error:
            skipped.setdefault(p.file, []).append(p)
    repo = loaded.repo
    if skipped:
        repo = _without(repo, set(skipped))
    return Site(repo, loaded.root, now, Labels(loaded.root), source or Source(), skipped)


def _without(repo: Repository, bad: set[str]) -> Repository:
    units = {} if "entries/units.yaml" in bad else repo.units
    return Repository(
        units=units,
        campaigns={k: c for k, c in repo.campaigns.items() if c.path not in bad},
        entries={k: e for k, e in repo.entries.items() if e.path not in bad},
        decisions={k: d for k, d in repo.decisions.items() if d.path not in bad},
        replications={k: r for k, r in repo.replications.items() if r.path not in bad},
        organisers=repo.organisers,
        council=repo.council,
    )


# ---------------------------------------------------------------- derived facts
def campaign_state(camp: Campaign, now: datetime) -> str:
    """dang-nhan (open), sap-mo (not yet open), da-dong (closed), chua-ro (no window)."""
    start, end = camp.opens_at, camp.closes_at
    if start is None or end is None:
        return "chua-ro"
    if now < start:
        return "sap-mo"
    return "dang-nhan" if now < end else "da-dong"


def span(now: datetime, then: datetime) -> str:
    """'24 ngày 14 giờ' between two instants (then after now), coarse as a person says it."""
    seconds = max(0, int((then - now).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} ngày" + (f" {hours} giờ" if hours else "")
    if hours:
        return f"{hours} giờ" + (f" {minutes} phút" if minutes else "")
    return f"{max(minutes, 1)} phút"


def change(result: dict) -> float | None:
    """Improvement in percent of the baseline, positive when better (direction from `better`)."""
    base, after = result.get("baseline"), result.get("result")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (base, after)) or base == 0:
        return None
    delta = (after - base) / abs(base) * 100
    return -delta if result.get("better", "thap-hon") == "thap-hon" else delta


def best_gain(data: dict) -> float | None:
    gains = [g for r in data.get("results") or [] if isinstance(r, dict) and (g := change(r)) is not None]
    return max(gains) if gains else None


@dataclass
class Status:
    code: str
    label: str
    detail: str = ""


def status(site: Site, entry: Entry) -> Status:
    """Where a submission stands, from the council's decisions file."""
    repo = site.repo
    rec = site.recognition(entry)
    if rec is not None:
        decision, line = rec
        tier = f", {site.tier_name(entry.campaign, line.get('tier'))}" if line.get("tier") else ""
        return Status("cong-nhan", "Đã được công nhận",
                      f"Quyết định số {decision.number} ngày {vntime.show_date(decision.day) if decision.day else '—'}{tier}.")
    history = site.recognitions(entry.id)
    if history:
        revoked = history[-1][0].revoked or {}
        return Status("thu-hoi", "Đã bị thu hồi công nhận",
                      f"Quyết định thu hồi số {revoked.get('number', '—')}: {revoked.get('reason', '')}".strip())
    facts = site.decision_facts(entry.campaign or "")
    screening = facts[0].get(entry.id) if facts else None
    if screening and screening.get("result") == "khong-dat":
        return Status("khong-dat", "Không đạt sơ loại", str(screening.get("reason") or ""))
    decided = bool(facts and facts[1])
    if decided:
        return Status("khong-cong-nhan", "Không được công nhận", "Hội đồng đã công bố kết quả của đợt; bài không có trong quyết định công nhận.")
    if facts and entry.id in facts[2]:
        return Status("da-cham", "Đã chấm điểm, chờ quyết định")
    if screening and screening.get("result") == "dat":
        return Status("dat-so-loai", "Đạt sơ loại, đang xét")
    camp = repo.campaigns.get(entry.campaign or "")
    if camp is not None and campaign_state(camp, site.now) == "dang-nhan":
        return Status("da-nop", "Đã nộp, đợt đang nhận bài")
    return Status("cho-xet", "Đã nộp, chờ Hội đồng xét")
