"""The last load of a repository, kept by a long-lived process (`mkdocs serve`) and brought up
to date from what changed since, instead of read again in full.

A serve process loads the same tree after every save, usually of one entry. Its result must be
exactly what a full load and the whole repository's rules give (loader.load, then rules.run
with no change set): the model, each file's errors, the content hashes. What can be kept rests
on the rule the incremental validator rests on (runmemo.plan): an initiative is judged from its
own bytes, the registry, the campaigns and decisions, the attachments of its folder and the
other files with its id. So when only entries, replication records, attachments or stray files
changed (added, removed or edited):

- the loader reads a part of the tree again (loader.load with `tree`): the changed files, and,
  until nothing is added, every file with the id of a file of the part (SK301, and which file
  holds the id in the model), every entry and attachment of a folder whose attachments changed
  (SK218, the unit's total SK019), the replication records naming an id of the part (SK320 to
  SK323) or sharing a record's (initiative, unit) (SK325); with them the registry, campaigns
  and decisions, which every file is checked against;
- the rules across files run on the whole new model and report on the part, on the decisions of
  every campaign a file of the part names before or after the change (the ids they may name:
  SK305, SK317, SK406), on every decisions file when a nomination is in the part (SK830, SK831),
  and on entries/federation.yaml (its paths are resolved on disk every time); each rule reports
  only on the documents it is given (CONTRIBUTING.md, "Adding a rule");
- every other file keeps its problems, its model entry and its hash.

A file counts as changed unless its stat is the one recorded and it had settled by then (the
racy-time rule of cachedir.py). Anything else changed (the registry, a campaign, decisions, the
schemas or the code (the validation cache key), a symlink, a gitlink, another tree) means a full
load; so does a reference day on the other side of a date the future-date rule compares (the
only rule that reads the time, checks/dates.py; on another day on the same side, the files whose
problem names the day are judged again). Problems of one file keep the order of a full
run (the loader's, then the rules' in registry order), so one_per_place keeps the same ones.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sangkien import cache, cachedir, layout, loader, rules, validator, vntime
from sangkien.checks import dates as date_rules
from sangkien.checks import hygiene as hygiene_rules
from sangkien.loader import Facts, Loaded
from sangkien.model import Entry, Repository
from sangkien.problems import Problem

Stat = tuple[int, int, int, int]  # size, mtime, ctime, inode

# Kinds of file whose change the part can take in; any other kind changed means a full load.
_PARTIAL_KINDS = frozenset({"entry", "replication", "attachment", "unknown"})
# What the loader reads before the entries: the part is always read with them.
_BASE_KINDS = frozenset({"units", "campaign", "decisions", "federation"})
_LOADER_ORDER = {"units": 0, "campaign": 1, "decisions": 2, "entry": 3, "replication": 3}
# A change of more files than this is loaded in full (a checkout, a merge).
MOST_CHANGED = 500
# Reading the part again until it is closed stops after this many rounds: then a full load.
_ROUNDS = 4


@dataclass
class Judged:
    """A repository read and judged: the whole model, the content hashes of the files read, and
    each file's errors as validator.one_per_place keeps them (files with errors only, by path)."""

    root: Path
    repo: Repository
    hashes: dict[str, str]
    errors: dict[str, list[Problem]]


@dataclass
class _Walk:
    files: list[str]
    links: list[str]
    stats: dict[str, Stat]
    taken_ns: int  # before the first stat
    gitlinks: list[str]


@dataclass
class _Memo:
    """The last load: its inputs (key, day, the walk) and what it gave, by file."""

    root: str
    key: str
    day: date
    walk: _Walk
    order: list[str]  # the loader's file order
    repo: Repository  # the whole model
    holders: dict[str, Entry]  # file -> its entry in the model (the files holding their id)
    facts: dict[str, Facts]  # every entry, nomination or record read into the model, holding its id or not
    by_id: dict[str, set[str]]  # id -> the files of `facts` with that id
    hashes: dict[str, str]
    problems: dict[str, list[Problem]]  # file -> its problems, in the order of a full run
    errors: dict[str, list[Problem]]  # file -> the errors one_per_place keeps, files with errors only
    folders: dict[str, list[str]] = field(default_factory=dict)  # folder -> its files (made when first asked)


_LAST: _Memo | None = None


def forget() -> None:
    """Drop the kept load (a process that stops serving)."""
    global _LAST
    _LAST = None


def load(root: Path, at: datetime) -> Judged:
    """The repository at `root` read and judged at `at` by the whole repository's rules, from the
    last load of the same tree brought up to date when it can be, else in full (and kept)."""
    global _LAST
    root = root.resolve()
    last, _LAST = _LAST, None  # whatever happens below, a half-updated memo is never kept
    if not cache.enabled():  # the plain path: nothing kept, as every other cache is off
        return _judged(_full(root, at, "", _walk(root)))
    key = loader.cache_key(root)
    walk = _walk(root)
    memo = None
    if last is not None and last.root == str(root) and last.key == key and _holds(last, vntime.local_date(at)):
        memo = _update(last, root, at, walk)
    if memo is None:
        memo = _full(root, at, key, walk)
    _LAST = memo
    return _judged(memo)


def _holds(memo: _Memo, day: date) -> bool:
    """Whether the last load's problems also hold on `day` (checks/dates.py is the one rule that
    reads the time, and only the day of it)."""
    return day == memo.day or date_rules.same_side(date_rules.moments(memo.repo), memo.day, day)


def _walk(root: Path) -> _Walk:
    """The tree as the loader discovers it, each file's stat, and the gitlinks (Git is asked on
    another thread meanwhile)."""
    with ThreadPoolExecutor(max_workers=1) as background:
        asked = background.submit(hygiene_rules.gitlinks, root)
        taken_ns = time.time_ns()
        files, links = layout.discover(root)
        stats: dict[str, Stat] = {}
        base = str(root)
        for rel in files:
            try:
                st = os.stat(f"{base}/{rel}")
            except OSError:
                stats[rel] = (-1, -1, -1, -1)  # gone while walking: never equal to a recorded stat
                continue
            stats[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        return _Walk(files, links, stats, taken_ns, asked.result())


def _judged(memo: _Memo) -> Judged:
    """What a caller gets: fresh containers around the kept objects (a caller may add to them)."""
    return Judged(Path(memo.root), memo.repo.copy(), dict(memo.hashes), {rel: list(memo.errors[rel]) for rel in sorted(memo.errors)})


def _order(files: Iterable[str]) -> list[str]:
    """The loader's order: registry, campaigns, decisions, then entries and records, then the rest."""
    return sorted(files, key=lambda rel: (_LOADER_ORDER.get(layout.classify(rel).kind, 9), rel))


def _grouped(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    out: dict[str, list[Problem]] = {}
    for p in problems:
        out.setdefault(p.file, []).append(p)
    return out


def _errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in validator.one_per_place(problems) if p.is_error]


def _by_id(facts: dict[str, Facts]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for rel, f in facts.items():
        out.setdefault(f.id, set()).add(rel)
    return out


def _holders(repo: Repository) -> dict[str, Entry]:
    return {e.path: e for e in (*repo.entries.values(), *repo.replications.values())}


# ---------------------------------------------------------------- the full load
def _full(root: Path, at: datetime, key: str, walk: _Walk) -> _Memo:
    loaded = loader.load(root, None, walk.gitlinks, (walk.files, walk.links))
    problems = _grouped(rules.run(loaded, None, at, rules.whole_repository()))
    errors = {rel: found for rel, ps in problems.items() if (found := _errors(ps))}
    return _Memo(str(root), key, vntime.local_date(at), walk, _order(walk.files), loaded.repo, _holders(loaded.repo),
                 dict(loaded.facts), _by_id(loaded.facts), loaded.hashes, problems, errors)


# ---------------------------------------------------------------- the update
def _update(memo: _Memo, root: Path, at: datetime, walk: _Walk) -> _Memo | None:
    """The last load brought up to the tree `walk` found, or None when it must be loaded in full."""
    before = memo.walk
    if walk.links != before.links or walk.gitlinks != before.gitlinks:
        return None
    changed = [rel for rel in walk.files if _changed(memo, root, rel, walk.stats[rel])]
    same_files = walk.files == before.files
    gone = [] if same_files else sorted(set(before.files) - set(walk.files))
    moved = [rel for rel in changed + gone if layout.classify(rel).kind != "ignored"]
    if len(moved) > MOST_CHANGED or any(layout.classify(rel).kind not in _PARTIAL_KINDS for rel in moved):
        return None
    day = vntime.local_date(at)
    # Judged on another day on the same side of every date compared (_holds): the same problems,
    # but a few name the day they were judged on, so their files are judged again.
    redated = [rel for rel, found in memo.problems.items() if any(p.code in date_rules.DAY_NAMED for p in found)] if day != memo.day else []
    if not moved and not redated:  # nothing a load reads has changed
        return _replace(memo, walk, day)
    order = memo.order if same_files else _order(walk.files)
    folders = memo.folders if same_files else {}
    present = set(walk.stats) if not same_files else None
    part = {rel for rel in changed if layout.classify(rel).kind in _PARTIAL_KINDS}
    part.update(rel for rel in redated if rel in walk.stats)
    for folder in {rel.rsplit("/", 1)[0] for rel in moved if layout.classify(rel).kind == "attachment"}:
        part.update(_folder(folders, walk.files, folder))
    base = [rel for rel in order if layout.classify(rel).kind in _BASE_KINDS]
    new_facts: dict[str, Facts] = {}
    for _ in range(_ROUNDS):
        part |= _closure(memo, part, gone, new_facts, present)
        sub = loader.load(root, None, walk.gitlinks, (sorted(part) + base, walk.links), tree=walk.files)
        new_facts = {rel: sub.facts[rel] for rel in part if rel in sub.facts}
        if _closure(memo, part, gone, new_facts, present) <= part:
            break
    else:
        return None
    return _merge(memo, root, at, walk, day, order, folders, part, gone, sub)


def _changed(memo: _Memo, root: Path, rel: str, stat: Stat) -> bool:
    """Whether the file may differ from what the last load read: its stat moved, or it had not
    settled when that was taken (cachedir.py's racy-time rule). A registry, campaign or decisions
    file in the second case is compared by its bytes (one edited just before a full load would
    otherwise mean a full load again for a few seconds); an entry is simply read again, which is
    cheap, and gives it a new model entry (whose body is read from the file now, if asked for)."""
    before = memo.walk
    if stat != before.stats.get(rel):
        return True
    if cachedir.settled(stat[1], stat[2], before.taken_ns, cache.RACY_NS):
        return False
    if layout.classify(rel).kind in _PARTIAL_KINDS or rel not in memo.hashes:
        return True
    try:
        with open(f"{root}/{rel}", "rb") as handle:
            return cache.digest(handle.read()) != memo.hashes[rel]
    except OSError:
        return True


def _folder(folders: dict[str, list[str]], files: list[str], folder: str) -> list[str]:
    """The files directly in `folder` (entries and attachments of one unit in one campaign)."""
    if not folders:
        for rel in files:
            folders.setdefault(rel.rsplit("/", 1)[0], []).append(rel)
    return folders.get(folder, [])


def _closure(memo: _Memo, part: set[str], gone: list[str], new: dict[str, Facts], present: set[str] | None) -> set[str]:
    """The files a full run judges together with the part (see the module's docstring): those
    with an id of the part, before or after the change, and the records naming one of them or
    sharing a record's (initiative, unit). `new`: the facts of the part as read this time."""
    facts = [memo.facts[rel] for rel in (*part, *gone) if rel in memo.facts] + list(new.values())
    ids = {f.id for f in facts}
    keys = {_record_key(f) for f in facts if f.kind == "replication"}
    found = {rel for i in ids for rel in memo.by_id.get(i, ())}
    for rel, f in memo.facts.items():
        if f.kind == "replication" and (_record_key(f) in keys or (isinstance(i := f.fields.get("initiative"), str) and i in ids)):
            found.add(rel)
    return {rel for rel in found if present is None or rel in present} - part


def _record_key(f: Facts) -> tuple[str, str]:
    """What makes two replication records the same adoption (checks/replication.py, SK325)."""
    return str(f.fields.get("initiative")), str(f.fields.get("unit"))


def _merge(memo: _Memo, root: Path, at: datetime, walk: _Walk, day: date, order: list[str], folders: dict[str, list[str]],
           part: set[str], gone: list[str], sub: Loaded) -> _Memo:
    """The new load: the part as read again, every other file as kept; the rules run again on the
    files whose problems the part can change."""
    # facts, ids and holders: the part's replace theirs (an id group lies wholly in the part or wholly out of it)
    facts = dict(memo.facts)
    by_id = {i: set(rels) for i, rels in memo.by_id.items()}
    for rel in (*part, *gone):
        old = facts.pop(rel, None)
        if old is not None:
            by_id[old.id].discard(rel)
        if rel in sub.facts:
            facts[rel] = sub.facts[rel]
            by_id.setdefault(sub.facts[rel].id, set()).add(rel)
    holders = dict(memo.holders)
    for rel in (*part, *gone):
        holders.pop(rel, None)
    holders.update(_holders(sub.repo))
    # The registry, campaigns and decisions are unchanged (else no update): the kept ones, with what
    # they worked out already (Decisions.recognitions_by_entry).
    kept = memo.repo
    repo = Repository(kept.units, kept.campaigns, {}, kept.decisions, {}, kept.organisers, kept.council)
    for rel in order:
        entry = holders.get(rel)
        if entry is not None:
            (repo.replications if entry.kind == "replication" else repo.entries)[entry.id] = entry
    # the rules across files, on the whole model, reporting on what the part can change
    before = [memo.facts[rel] for rel in (*part, *gone) if rel in memo.facts]
    named = {c for f in (*before, *(facts[rel] for rel in part if rel in facts)) if isinstance(c := f.fields.get("campaign"), str)}
    named.update(c for rel in (*part, *gone) if (c := layout.classify(rel).campaign) is not None)
    nominations = any(f.kind == "nomination" for f in (*before, *(facts[rel] for rel in part if rel in facts)))
    judged = set(part)
    judged.update(dec.path for folder, dec in repo.decisions.items() if nominations or folder in named)
    if layout.FEDERATION_FILE in sub.docs:
        judged.add(layout.FEDERATION_FILE)
    docs = {rel: sub.docs[rel] for rel in judged if rel in sub.docs}
    found = rules.run(Loaded(root, docs=docs, repo=repo), None, at, rules.whole_repository())
    by_rules = _grouped(p for p in found if p.file in judged)
    by_loader = _grouped(p for p in sub.problems if p.file in judged)
    problems = dict(memo.problems)
    errors = dict(memo.errors)
    for rel in gone:
        problems.pop(rel, None)
        errors.pop(rel, None)
    for rel in judged:
        mine = by_loader.get(rel, []) + by_rules.get(rel, [])
        problems.pop(rel, None)
        errors.pop(rel, None)
        if mine:
            problems[rel] = mine
            if wrong := _errors(mine):
                errors[rel] = wrong
    hashes = dict(memo.hashes) if not gone and all(rel in memo.hashes for rel in sub.hashes if rel in part) else {}
    if hashes:
        hashes.update((rel, sub.hashes[rel]) for rel in part if rel in sub.hashes)
    else:  # files came or went: the loader's order
        hashes = {rel: sub.hashes[rel] if rel in part else memo.hashes[rel] for rel in order
                  if (rel in part and rel in sub.hashes) or (rel not in part and rel in memo.hashes)}
    return _Memo(memo.root, memo.key, day, walk, order, repo, holders, facts, by_id, hashes, problems, errors, folders)


def _replace(memo: _Memo, walk: _Walk, day: date) -> _Memo:
    """Nothing read has changed: the same load, under the new walk and day."""
    return _Memo(memo.root, memo.key, day, walk, memo.order, memo.repo, memo.holders, memo.facts, memo.by_id, memo.hashes,
                 memo.problems, memo.errors, memo.folders)
