"""The last full run's problems, kept in the validation cache and given back without reading a
file when nothing it depends on has changed.

The problems of a full run (no --base, no extra rules) depend only on the code, the schemas, the
list of files under entries/, the bytes of each file read, the stat of each attachment (its type,
first bytes and size are checked) and the gitlinks Git records under entries/. Their digest keys
the last full run's problems in the cache, so a run over an unchanged repository only walks it,
reads the recorded hashes (files whose stat moved are hashed again), stats the attachments and
asks Git for its gitlinks. Any difference means a complete run, which records its result in turn.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sangkien import atomic, cache, cachedir, layout, loader, vntime
from sangkien.checks import dates as date_rules
from sangkien.checks import hygiene as hygiene_rules
from sangkien.problems import Problem
from sangkien.reader import read_markdown


def _is_attachment(rel: str) -> bool:
    """An attachment that load() checks (type, content, size): not a stale temporary file."""
    return layout.classify(rel).kind == "attachment" and not _temporary(rel)


def _reads(rel: str, place: layout.Place) -> bool:
    """Whether load() reads this file (the others count by their name only)."""
    return place.kind not in ("ignored", "attachment", "unknown") and not _temporary(rel)


def _temporary(rel: str) -> bool:
    """A temporary file of an interrupted atomic write (atomic.TEMP_NAME, whose names end in
    `.tmp`, or `.tmp` and a newline as `$` allows): the suffix is tested first, the pattern
    only then, for 10,000 names a run."""
    return rel.endswith((".tmp", ".tmp\n")) and atomic.TEMP_NAME.match(rel.rsplit("/", 1)[-1]) is not None


def _key(root: Path, files: list[str], links: list[str], hashes: dict[str, str], stamps: dict[str, str], gitlinks: list[str]) -> str | None:
    """Digest of a full run's inputs; `hashes` has the content hash of every file read. An
    attachment counts by its stat (its size and first bytes are checked, never its hash), a
    gitlink by its path."""
    if not all(hashes.values()):
        return None  # a file that could not be read: nothing to key on
    h = hashlib.blake2b(loader.cache_key(root).encode(), digest_size=16)
    h.update("\n".join(f"{rel}\0{hashes.get(rel) or stamps.get(rel, '')}" for rel in files).encode())
    h.update("\n".join(links).encode())
    h.update(("\n\0gitlinks\0" + "\n".join(gitlinks)).encode())
    return h.hexdigest()


@dataclass
class Tree:
    """The repository as it is now, without checking anything: its files, the content hash of
    each file the loader reads (from the cache's record when the stat says it is unchanged),
    the stat of each attachment and the gitlinks."""

    root: Path
    files: list[str]
    links: list[str]
    hashes: dict[str, str]
    attachments: dict[str, str]
    gitlinks: list[str]
    moved: list[tuple[str, cache.Stat, int]]  # read again, same bytes: their records get the new stat

    @property
    def key(self) -> str | None:
        return _key(self.root, self.files, self.links, self.hashes, self.attachments, self.gitlinks)


@dataclass
class LastRun:
    """The last full run recorded in the cache: its key, its problems, and its inputs."""

    key: str
    problems: list[Problem]
    files: list[str]
    links: list[str]
    gitlinks: list[str]
    hashes: dict[str, str]
    attachments: dict[str, str]
    facts: dict[str, loader.Facts]
    day: date | None = None  # the reference day (Vietnam time) its time-dependent rules judged at
    moments: list[str] = field(default_factory=list)  # every date those rules compared with it

    def holds_at(self, at: datetime) -> bool:
        """Whether its problems are also those of a run at `at`: the reference day is on the same
        side of every date the future-date rule compared (checks/dates.py)."""
        return self.day is not None and date_rules.same_side(self.moments, self.day, vntime.local_date(at))

    def worded_at(self, at: datetime) -> LastRun:
        """This record with its problems worded as a run at `at` words them (for a record that
        holds_at(at)): the same problems, but a few name the day they were judged on."""
        day = vntime.local_date(at)
        if self.day is None or self.day == day:
            return self
        return replace(self, problems=date_rules.redated(self.problems, self.day, day))


@dataclass
class Plan:
    """An incremental run: the files not to check again, and the last run's problems in them."""

    skip: dict[str, loader.Skipped]
    kept: list[Problem]


def _store(root: Path) -> cache.Store | None:
    return cache.Store(cache.location(root), loader.cache_key(root)) if cache.enabled() else None


def tree(root: Path, gitlinks: Callable[[], list[str]] | None = None) -> Tree | None:
    """None without a cache (nothing to compare with) or if a file cannot be read. `gitlinks`
    gives hygiene.gitlinks(root) (asked on another thread while the tree is walked)."""
    store = _store(root)
    if store is None:
        return None
    stamps = store.stamps()
    files, links = layout.discover(root)
    hashes: dict[str, str] = {}
    moved: list[tuple[str, cache.Stat, int]] = []
    attached: list[str] = []
    base = str(root)
    for rel in files:
        if not _reads(rel, layout.classify(rel)):
            if _is_attachment(rel):
                attached.append(rel)
            continue
        stamp = stamps.get(rel)
        try:
            st = os.stat(f"{base}/{rel}")
        except OSError:
            return None
        # cache.settled(stamp, Stat.of(...)) without an object per file: 10,000 of them each run; the
        # racy-time rule stays cachedir's own
        if (stamp is not None and st.st_size == stamp[0] and st.st_mtime_ns == stamp[1] and st.st_ctime_ns == stamp[2]
                and st.st_ino == stamp[3] and cachedir.settled(st.st_mtime_ns, st.st_ctime_ns, stamp[4], cache.RACY_NS)):
            hashes[rel] = str(stamp[5])
            continue
        stat = cache.Stat(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        checked_ns = time.time_ns()
        try:
            with open(f"{root}/{rel}", "rb") as handle:
                hashes[rel] = cache.digest(handle.read())
        except OSError:
            return None
        if stamp is not None and hashes[rel] == stamp[5]:
            moved.append((rel, stat, checked_ns))
    attachments = loader.attachment_stamps(root, attached)
    return Tree(root, files, links, hashes, attachments, gitlinks() if gitlinks is not None else hygiene_rules.gitlinks(root), moved)


def last_run(root: Path) -> LastRun | None:
    if cache.enabled():
        # A run starts here: the code key from its memo in the cache folder, when the installed
        # code has not moved since (codekey.py); every store of the run asks for it.
        cache.code_key(cachedir.folder(root))
    store = _store(root)
    found = store.last_run() if store is not None else None
    if found is None:
        return None
    key, problems, raw = found
    try:
        inputs = json.loads(raw)
        if inputs.get("format") != RECORD:
            return None
        files = [str(rel) for rel in inputs["files"]]
        hashes = {rel: str(h) for rel, h in zip(files, inputs["hashes"], strict=True) if h is not None}
        facts = {files[n]: loader.Facts(str(f["id"] if i is None else i), str(k), f if isinstance(f, dict) else dict(f))
                 for n, i, k, f in inputs["facts"]}
        day = date.fromisoformat(inputs["day"]) if isinstance(inputs.get("day"), str) else None
        return LastRun(key, problems, files, list(inputs["links"]), list(inputs["gitlinks"]), hashes,
                       dict(inputs["attachments"]), facts, day, [str(d) for d in inputs.get("moments") or []])
    except (ValueError, TypeError, KeyError, IndexError):
        return None  # an older record, or damaged: no incremental run from it


# The record's layout: columns by position in `files` (each path is written once, and read once:
# a warm `validate --base` decodes it for 10,000 entries on every run).
RECORD = "runmemo-2"


def restamp(now: Tree) -> None:
    store = _store(now.root)
    if store is not None:
        store.restamp(now.moved)


def remember(loaded: loader.Loaded, problems: list[Problem], at: datetime) -> None:
    """Record a full run judged at `at`: its key, its problems, and what an incremental run needs
    from it (with the reference day and the dates its problems depend on)."""
    key = _key(loaded.root, loaded.files, loaded.links, loaded.hashes, loaded.stamps, loaded.gitlinks)
    store = _store(loaded.root)
    if key is None or store is None:
        return
    position = {rel: n for n, rel in enumerate(loaded.files)}
    try:
        # an entry's id is its `id` field but where that is missing or not text (then its name): written only then
        facts = [[position[rel], None if f.fields.get("id") == f.id else f.id, f.kind, f.fields] for rel, f in loaded.facts.items()]
        inputs = {"format": RECORD, "files": loaded.files, "links": loaded.links, "gitlinks": loaded.gitlinks,
                  "hashes": [loaded.hashes.get(rel) for rel in loaded.files], "attachments": loaded.stamps, "facts": facts,
                  "day": vntime.local_date(at).isoformat(), "moments": date_rules.moments(loaded.repo)}
        encoded = json.dumps(inputs, ensure_ascii=False, separators=(",", ":"), default=str)
    except (TypeError, ValueError, KeyError):
        encoded = ""  # no record of the inputs: the next run is a full one
    store.remember(key, problems, encoded)


# A change of more files than this is checked in full: the plan's bookkeeping would cost more.
MOST_CHANGED = 500


def plan(now: Tree, last: LastRun, judged: set[str] | frozenset[str] = frozenset()) -> Plan | None:
    """Which files need not be checked again, if the repository differs from the last full run
    only in entries, replication records and attachments.

    An initiative is judged from its own bytes, the registry, the campaigns and the decisions,
    the attachments of its folder and the other files with its id. When none of these changed,
    its problems are those of the last run and it is not checked: it enters the model from its
    facts. Everything else (the registry, campaigns, decisions, nominations, replication
    records, attachments) is checked again; there are few of them. A change to anything the
    whole repository is judged against means a full run (None). Files in `judged` (a change
    set's) are always checked."""
    if now.links != last.links or now.gitlinks != last.gitlinks:
        return None
    before, after = set(last.files), set(now.files)
    changed = before ^ after
    # files in both whose hash or stat differs (or is in one run only): from the differing items, without a lookup per file
    differ = {rel for rel, _ in now.hashes.items() ^ last.hashes.items()} | {rel for rel, _ in now.attachments.items() ^ last.attachments.items()}
    changed.update(differ & before & after)
    if len(changed) > MOST_CHANGED:
        return None
    ids: set[str] = set()
    folders: set[str] = set()
    for rel in changed:
        place = layout.classify(rel)
        if place.kind in ("entry", "replication"):
            if rel in last.facts:
                ids.add(last.facts[rel].id)
            if rel in after:
                ids.update(_possible_ids(now.root, rel, place))
        elif place.kind == "attachment":
            folders.add(rel.rsplit("/", 1)[0])
        elif place.kind != "ignored":
            return None
    skip: dict[str, loader.Skipped] = {}
    for rel in after - changed:
        facts = last.facts.get(rel)
        if (facts is not None and facts.kind == "entry" and facts.id not in ids and rel not in judged
                and (not folders or rel.rsplit("/", 1)[0] not in folders)):
            skip[rel] = loader.Skipped(now.hashes[rel], facts)
    kept = [p for p in last.problems if p.file in skip]
    return Plan(skip, kept)


def _possible_ids(root: Path, rel: str, place: layout.Place) -> set[str]:
    """Every id the file could take in the model: the id it declares, else its name. Reading
    the front matter is enough to find it; a candidate too many only checks a file again."""
    found = {place.slug or rel, rel}
    try:
        doc = read_markdown((root / rel).read_bytes(), rel)
    except OSError:
        return found
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        found.add(data["id"])
    return found
