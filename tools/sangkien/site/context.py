"""What every page generator reads: the model (files with errors left out), the build's "now",
labels, and where the repository lives (for links to source files). No MkDocs here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeGuard

from sangkien import cache, filecheck, loader, loadmemo, rules, runmemo, settings, validator, vntime
from sangkien.model import Campaign, Entry, Recognition, Repository, Unit
from sangkien.problems import Problem
from sangkien.site.labels import Labels
from sangkien.site.licence import DEFAULT as DEFAULT_LICENCE
from sangkien.site.licence import Licence

PUBLICATIONS = ("cong-nhan", "ten-bai")
DEFAULT_PUBLICATION = "cong-nhan"
REVOKED_LABEL = "Đã bị thu hồi công nhận"


class SiteError(Exception):
    """A problem that stops the build, with a Vietnamese message."""


def build_now() -> datetime:
    """The instant the site is built for: SANGKIEN_NOW (tests, previews) or the real clock."""
    try:
        return settings.now()
    except settings.SettingError as err:
        raise SiteError(str(err)) from err


# forge -> (where a file is read, where it is edited), each followed by /<branch>/<path>
FORGE_PATHS = {
    "github": ("blob", "edit"),
    "gitlab": ("-/blob", "-/edit"),
    "gitea": ("src/branch", "_edit"),
    "forgejo": ("src/branch", "_edit"),
}


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

    def _url(self, which: int, path: str) -> str:
        if not self.base:
            return ""
        middle = FORGE_PATHS.get(self.forge.lower(), FORGE_PATHS["github"])[which]
        return f"{self.base}/{middle}/{self.branch}/{path.lstrip('/')}"

    def file_url(self, path: str) -> str:
        """Where a reader sees a file of the repository; '' when the host is unknown."""
        return self._url(0, path)

    def edit_url(self, path: str) -> str:
        """Where a file of the repository is edited in the browser (GitHub /edit/, GitLab /-/edit/,
        Gitea and Forgejo /_edit/); '' when the host is unknown."""
        return self._url(1, path)


@dataclass
class Site:
    repo: Repository
    root: Path
    now: datetime
    labels: Labels
    source: Source = field(default_factory=Source)
    skipped: dict[str, list[Problem]] = field(default_factory=dict)
    site_url: str = ""  # mkdocs.yml site_url ('' when unset): absolute links in exports and feeds
    licence: Licence = DEFAULT_LICENCE  # of the open data (mkdocs.yml extra.sangkien.licence)
    hashes: dict[str, str] = field(default_factory=dict)  # content hash of each file the model was read from (loader.Loaded)

    # ---- the publishing policy: the one place that decides what the public sees
    def publication(self, campaign_id: str | None) -> str:
        """The campaign's `publication`: cong-nhan (default) or ten-bai (titles of all submissions)."""
        camp = self.repo.campaigns.get(campaign_id or "")
        value = camp.data.get("publication") if camp else None
        return value if value in PUBLICATIONS else DEFAULT_PUBLICATION

    def is_public(self, entry: Entry) -> bool:
        """Whether an entry gets a page, a search hit, a sitemap line and an export row: an
        initiative that was recognised (in force, or revoked and shown as such). Never a thi đua
        nomination (a judgement of a named head of unit), never a submission still under review or
        turned down."""
        return entry.kind == "entry" and bool(self.recognitions(entry.id))

    def public_entries(self) -> list[Entry]:
        """Every entry that is public (is_public), by id."""
        return [x for x in self.initiatives() if self.is_public(x)]

    def titles_listed(self, campaign_id: str | None) -> bool:
        """Whether the campaign lists every submission by title (publication: ten-bai)."""
        return self.publication(campaign_id) == "ten-bai"

    def public_repo(self) -> Repository:
        """The model without the entries that are not public: what the exports and the search read."""
        hidden = {x.path for x in self.repo.entries.values() if not self.is_public(x)}
        return self.repo.without(hidden) if hidden else self.repo

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


def load_site(root: Path, now: datetime, source: Source | None = None, recorded: bool = True) -> Site:
    """Load the repository; leave out every file that has an error (the site shows valid data).

    The errors are those of the registry's rules on the repository as it is (no change set),
    the same the validator gives on a full run. Dates not come yet (checks/dates.py) are judged
    at the later of `now` and the real clock: a date after today is never published, while a
    preview pinned in the past (SANGKIEN_NOW) still shows the decisions made since.

    `recorded`: take the problems from the validator's record of its last full run when nothing
    changed since (a build right after CI's check). `mkdocs serve` passes False: it rebuilds
    because something changed, and looking the record up (~0.15 s at 10,000 entries) would be lost;
    it loads the same tree again and again, so the last load stays in memory and is brought up to
    date from the files that changed (loadmemo.py), and the files' decoded results stay too
    (filecheck.keep_decoded: a file read again but unchanged is not decoded again)."""
    at = max(now, vntime.now())
    if not recorded:
        filecheck.keep_decoded(True)
        judged = loadmemo.load(root, at)
        repo = judged.repo.without(set(judged.errors)) if judged.errors else judged.repo
        return Site(repo, judged.root, now, Labels(judged.root), source or Source(), judged.errors, hashes=judged.hashes)
    loaded, problems = _judged(root.resolve(), at)
    shared: dict[str, str] | None = {} if len(loaded.docs) >= SHARE_FROM_FILES else None
    for doc in loaded.docs.values():
        if isinstance(doc.parsed, cache.LazyParsed):  # judged: the pages never place a value (100,000 entries: ~260 MB of positions)
            doc.parsed.release()
        if shared is not None:
            _share_strings(doc.data, shared)
    skipped: dict[str, list[Problem]] = {}
    for p in validator.one_per_place(problems):
        if p.is_error:
            skipped.setdefault(p.file, []).append(p)
    repo = loaded.repo.without(set(skipped)) if skipped else loaded.repo
    return Site(repo, loaded.root, now, Labels(loaded.root), source or Source(), skipped, hashes=loaded.hashes)


# Short values (ids, units, dates, codes) repeat from entry to entry, each decoded as its own string.
# From SHARE_FROM_FILES files they are made one object each before the build forks its workers
# (100,000 entries: peak 4.39 -> 4.15 GB); below, the walk (~9 µs an entry) buys little.
SHARE_FROM_FILES = 20_000
_SHARED_UP_TO = 64


def _share_strings(value: object, shared: dict[str, str]) -> None:
    """Make equal short strings inside `value` (dicts and lists, changed in place) one object:
    every value stays equal to what it was, so nothing that reads them sees a change."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if isinstance(item, str):
                    if len(item) <= _SHARED_UP_TO:
                        node[key] = shared.setdefault(item, item)
                elif isinstance(item, (dict, list)):
                    stack.append(item)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, str):
                    if len(item) <= _SHARED_UP_TO:
                        node[i] = shared.setdefault(item, item)
                elif isinstance(item, (dict, list)):
                    stack.append(item)


def _judged(root: Path, at: datetime) -> tuple[loader.Loaded, list[Problem]]:
    """The model and the whole repository's problems judged at `at`, as validator.validate finds
    them on a full run. When nothing changed since its last full run (and `at` is on the same
    side of every date it compared), its recorded problems are taken and the rules are not run;
    the model is still read in full. Otherwise the rules run (and the result is recorded when
    there was no usable record, as the validator's own full run does). (An incremental plan is not
    used: its model holds the unchanged entries from their facts, and a build reading every
    entry's data from there costs more than the rules it saves.)"""
    last = runmemo.last_run(root)
    if last is not None and not last.holds_at(at):
        last = None  # judged on a day on the other side of a date the future-date rule compared
    tree = runmemo.tree(root) if last is not None else None
    if tree is not None:
        runmemo.restamp(tree)
    if tree is not None and last is not None and tree.key == last.key:
        return loader.load(root, None, tree.gitlinks), list(last.worded_at(at).problems)
    loaded = loader.load(root, None, tree.gitlinks if tree is not None else None)
    problems = rules.run(loaded, None, at, rules.whole_repository())
    if last is None:
        # No record to answer from (or one judged on the other side of a date): this run's is
        # the next build's. A record that merely differs is left for the validator to replace:
        # writing 10,000 entries' facts at every build after a change costs more than it saves.
        runmemo.remember(loaded, problems, at)
    return loaded, problems


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


SUBMITTED = Status("da-nop", "Đã nộp")


def status(site: Site, entry: Entry) -> Status:
    """What the public may know of where a submission stands: recognised (decision), revoked
    (revocation decision), or only that it was submitted. Screening results and reasons, scores
    and "not recognised" are the council's working papers and never leave the repository."""
    rec = site.recognition(entry)
    if rec is not None:
        decision, line = rec
        tier = f", {site.tier_name(entry.campaign, line.get('tier'))}" if line.get("tier") else ""
        return Status("cong-nhan", "Đã được công nhận",
                      f"Quyết định số {decision.number} ngày {vntime.show_date(decision.day) if decision.day else '—'}{tier}.")
    history = site.recognitions(entry.id)
    if history:
        revoked = history[-1][0].revoked or {}
        return Status("thu-hoi", REVOKED_LABEL,
                      f"Quyết định thu hồi số {revoked.get('number', '—')}: {revoked.get('reason', '')}".strip())
    return SUBMITTED
