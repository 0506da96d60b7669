"""What every page generator reads: the model (files with errors left out), the build's "now",
labels, and where the repository lives (for links to source files). No MkDocs here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeGuard

from sangkien import loader, rules, settings, validator, vntime
from sangkien.model import Campaign, Entry, Recognition, Repository, Unit
from sangkien.problems import Problem
from sangkien.site.labels import Labels


class SiteError(Exception):
    """A problem that stops the build, with a Vietnamese message."""


def build_now() -> datetime:
    """The instant the site is built for: SANGKIEN_NOW (tests, previews) or the real clock."""
    try:
        return settings.now()
    except settings.SettingError as err:
        raise SiteError(str(err)) from err


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
    _decided: dict[str, tuple[dict[str, Any], bool, set[str]]] = field(default_factory=dict, repr=False)

    def decision_facts(self, campaign_id: str) -> tuple[dict[str, Any], bool, set[str]] | None:
        """(screening by entry, any recognition at all, entries with a score sheet) of a campaign's
        decisions, worked out once: status() asks them for every entry (rebuilding the screening
        table each time was quadratic at 10,000 entries)."""
        dec = self.repo.decisions.get(campaign_id)
        if dec is None:
            return None
        if campaign_id not in self._decided:
            scored = {s["entry"] for s in dec.items("scores") if isinstance(s.get("entry"), str)}
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

    # ---- the model's indexes (model.Repository), under the names the pages use
    def recognition(self, entry: Entry | str) -> tuple[Recognition, dict[str, Any]] | None:
        return self.repo.recognition(entry if isinstance(entry, str) else entry.id)

    def recognitions(self, entry_id: str) -> list[tuple[Recognition, dict[str, Any]]]:
        return self.repo.recognitions(entry_id)

    def initiatives(self) -> list[Entry]:
        """Initiatives (not thi đua nominations), by id."""
        return sorted((e for e in self.repo.entries.values() if e.kind == "entry"), key=lambda e: e.id)

    def recognised(self) -> list[Entry]:
        """Recognised initiatives in force, newest recognition first."""
        return [entry for entry, _, _ in self.repo.recognised_initiatives()]

    def replications_of(self, entry_id: str) -> list[Entry]:
        return self.repo.replications_of(entry_id)

    def by_unit(self, what: str, unit_id: str) -> list[Any]:
        """entries / replications / children / predecessors / campaigns (eligible) of a unit."""
        return self.repo.by_unit(what, unit_id)

    def tier_name(self, campaign_id: str | None, tier: str | None) -> str:
        camp = self.repo.campaigns.get(campaign_id or "")
        for t in (camp.rubric.get("tiers") or []) if camp else []:
            if isinstance(t, dict) and t.get("id") == tier:
                return str(t.get("name", tier))
        return str(tier or "")


def load_site(root: Path, now: datetime, source: Source | None = None) -> Site:
    """Load the repository; leave out every file that has an error (the site shows valid data).

    The errors are those of the registry's rules on the repository as it is (no change set),
    the same the validator gives on a full run."""
    loaded = loader.load(root)
    skipped: dict[str, list[Problem]] = {}
    for p in validator.one_per_place(rules.run(loaded, None, now, rules.whole_repository())):
        if p.is_error:
            skipped.setdefault(p.file, []).append(p)
    repo = loaded.repo.without(set(skipped)) if skipped else loaded.repo
    return Site(repo, loaded.root, now, Labels(loaded.root), source or Source(), skipped)


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


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def change(result: dict[str, Any]) -> float | None:
    """Improvement in percent of the baseline, positive when better (direction from `better`)."""
    base, after = result.get("baseline"), result.get("result")
    if not (_is_number(base) and _is_number(after)) or base == 0:
        return None
    delta = float(after - base) / abs(base) * 100
    return -delta if result.get("better", "thap-hon") == "thap-hon" else delta


def best_gain(data: dict[str, Any]) -> float | None:
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
