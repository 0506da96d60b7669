"""Reading a repository: discover the files under entries/, check each on its own (filecheck.py),
build the model from what could be read, and the problems found so far.

Flow: discover -> registry, campaigns and decisions first (what an entry is checked as depends
on its campaign; which contacts are official on the registry) -> every entry at once, from the
cache or in parallel -> the model (model.Repository) -> per-entry problems in serial order.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, cast

from sangkien import atomic, cache, filecheck, layout, schemas
from sangkien.checks import entry as entry_rules
from sangkien.checks import hygiene as hygiene_rules
from sangkien.codes import problem
from sangkien.model import Entry, Repository
from sangkien.problems import LINE, Problem
from sangkien.reader import Document


@dataclass
class Loaded:
    """Everything read from a repository: documents, what they are, the model, the problems."""

    root: Path
    docs: dict[str, Document] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # path -> schema kind
    repo: Repository = field(default_factory=Repository)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # content hash of each file read ('' if unreadable)
    gitlinks: list[str] = field(default_factory=list)  # submodules Git records under entries/
    stamps: dict[str, str] = field(default_factory=dict)  # attachment -> its stat, taken before it was checked
    facts: dict[str, Facts] = field(default_factory=dict)  # entry, nomination or replication file -> what others refer to


class Facts(NamedTuple):
    """What the rules across files read of an entry, nomination or replication record (its id,
    kind and a few fields): kept with a full run's record so that a later run can put a file it
    does not check again into the model without reading it (runmemo.py). A tuple: a run makes
    one for each of 10,000 entries."""

    id: str
    kind: str
    fields: dict[str, Any]

    @classmethod
    def of(cls, entry: Entry) -> Facts:
        data = entry.data
        if isinstance(data, FactData):
            return cls(entry.id, entry.kind, data.facts)
        return cls(entry.id, entry.kind, {k: data[k] for k in FACT_KEYS if k in data})


# The fields an entry's Facts hold (when the file has them).
FACT_KEYS = ("id", "title", "campaign", "unit", "submitted", "previous_contest", "illustrative", "initiative", "since")
_FACT_KEYS = frozenset(FACT_KEYS)


class Skipped(NamedTuple):
    """A file this run does not check: unchanged since the last full run, and nothing it is
    judged against changed (runmemo.plan). Its facts (None if it could not be read then) put it
    into the model; its problems are the last run's."""

    hash: str
    facts: Facts | None


# What every file of a kind shares in a run (filecheck.task), made once.
_TaskMemo = dict[tuple[str, frozenset[str], frozenset[str]], filecheck.Task]


def load(root: Path, skip: dict[str, Skipped] | None = None, gitlinks: list[str] | None = None,
         discovered: tuple[list[str], list[str]] | None = None, tree: Collection[str] | None = None) -> Loaded:
    """Read and check every file on its own, then build the model from what could be read.

    What a file gives on its own (reading, schema, its own rules, text checks) comes from
    filecheck.py, from the cache or computed. The problems keep the order of a serial run: first what
    each file gave when read (units, campaigns, decisions, then entries, then the rest), then
    each entry's place, entry and text problems, because one_per_place keeps the first error at
    a place.

    Files in `skip` are not checked: they enter the model from their facts, and their full data
    is read only if a rule asks for a field the facts do not hold. `gitlinks`: those this run
    already asked Git for (runmemo.tree), not asked again; `discovered`: layout.discover's answer
    this run already has (runmemo.tree walked the tree), not walked again. `tree`: every file of
    the tree, when `discovered` is only a part of it (loadmemo.py reads again what changed, with
    what it is checked against): the cache's rows are fetched one by one, and only those of files
    no longer in the tree are forgotten.
    """
    skip = skip or {}
    root = root.resolve()
    out = Loaded(root)
    files, links = discovered if discovered is not None else layout.discover(root)
    out.files, out.links = list(files), list(links)
    for link in links:
        out.problems.append(problem("SK008", link, 1, 1, f"«{link}» là liên kết tượng trưng (symlink)."))
    places = {rel: layout.classify(rel) for rel in files}
    order = {"units": 0, "campaign": 1, "decisions": 2, "entry": 3, "replication": 3}
    repo = out.repo
    ordered = sorted(files, key=lambda r: (order.get(places[r].kind, 9), r))
    store = cache.Store.open(root, cache_key(root), lazy=bool(skip) or tree is not None)
    late: dict[str, filecheck.Checked] = {}  # what each entry gave on its own, for the second pass
    contacts: tuple[frozenset[str], frozenset[str]] | None = None
    done: set[str] = set()
    memo: _TaskMemo = {}
    attachments: list[tuple[str, layout.Place]] = []
    for rel in ordered:
        place = places[rel]
        if rel in done:
            continue
        if place.kind in ("entry", "replication") and contacts is None:
            # Every registry file is in: the entries can be checked, all at once.
            phones, emails = repo.official_contacts()
            contacts = (frozenset(phones), frozenset(emails))
            batch = [r for r in ordered if places[r].kind in ("entry", "replication")]
            tasks = [filecheck.task(root, kind_of(repo, places[r]), r, contacts, memo) for r in batch if r not in skip]
            checked = iter(filecheck.check_all(root, store, tasks))
            for r in batch:  # in file order, checked or not: the first file of an id keeps it
                done.add(r)
                if r in skip:
                    _add_skipped(out, r, skip[r], _Later(root, store, (repo, places[r], r, contacts, memo)))
                    continue
                item = next(checked)
                late[item.rel] = item
                _take(out, item, places[item.rel])
            continue
        if place.kind in ("ignored",):
            continue
        if temporary := atomic.TEMP_NAME.match(rel.rsplit("/", 1)[-1]):
            target = temporary.group("target")
            out.problems.append(problem("SK009", rel, 1, 1, f"«{rel}» là tệp tạm của một lần ghi «{target}» bị ngắt giữa chừng."))
            continue
        if place.kind == "attachment":
            if not layout.ATTACHMENT.match(place.slug or ""):
                out.problems.append(problem("SK007", rel, 1, 1, f"Tên tệp kèm theo «{place.slug}» có chữ hoa, dấu, dấu cách hoặc ký tự lạ."))
            attachments.append((rel, place))
            continue
        if place.kind == "unknown":
            out.problems.append(problem("SK314", rel, 1, 1, f"Tệp «{rel}» không nằm đúng chỗ của một loại tệp nào trong entries/."))
            continue
        for item in filecheck.check_all(root, store, [filecheck.task(root, kind_of(repo, place), rel, None, memo)]):
            _take(out, item, place)
    store.save(set(out.docs) | set(skip) | set(tree or ()))
    # Gitlinks and attachments: the whole tree on every run, never cached per file (a unit's total
    # looks at all its files); a full run's memo is keyed on their list and stats (_run_key).
    out.gitlinks = hygiene_rules.gitlinks(root) if gitlinks is None else list(gitlinks)
    out.stamps = attachment_stamps(root, [rel for rel, _ in attachments])
    out.problems.extend(hygiene_rules.check_gitlinks(out.gitlinks))
    out.problems.extend(hygiene_rules.check_attachments(root, repo, attachments))
    for rel, kind in out.kinds.items():
        doc = out.docs[rel]
        if kind not in filecheck.SCANNED or not doc.readable:
            continue
        place = places[rel]
        item = late[rel]
        out.problems.extend(item.place)
        if place.campaign and place.kind == "entry" and place.campaign not in repo.campaigns:
            out.problems.append(problem("SK315", rel, 1, 1, f"Thư mục đợt «{place.campaign}» chưa có tệp campaign.yaml."))
        if kind == "entry":
            out.problems.extend(item.alone)
            out.problems.extend(entry_rules.check_attachments(doc, root))
        out.problems.extend(item.text)
    return out


def _take(out: Loaded, item: filecheck.Checked, place: layout.Place) -> None:
    """What the first pass of a serial run does with a file once read and checked."""
    doc, rel = item.doc, item.rel
    out.hashes[rel] = item.hash
    kind = kind_of(out.repo, place)
    out.docs[rel], out.kinds[rel] = doc, kind
    out.problems.extend(item.io)
    out.problems.extend(doc.problems)
    if not doc.readable:
        return
    out.problems.extend(item.schema)
    if kind not in ("abbreviations", "federation"):  # read by the novelty check and by harvest, not part of the model
        _add_to_model(out, rel, place, kind, doc)


def kind_of(repo: Repository, place: layout.Place) -> str:
    """What a file is checked as: an entry of a thi đua campaign is a nomination."""
    camp = repo.campaigns.get(place.campaign or "") if place.kind == "entry" else None
    if camp is not None and camp.kind == "thi-dua":
        return "nomination"
    return place.kind


def cache_key(root: Path) -> str:
    """What every cached result depends on besides its file: the code and the schemas."""
    global _CODE_KEY
    if _CODE_KEY is None:
        _CODE_KEY = cache.code_key()
    return cache.words_key(_CODE_KEY, cache.folder_key(schemas.schema_dir(root)))


_CODE_KEY: str | None = None


def _add_skipped(out: Loaded, rel: str, skipped: Skipped, later: _Later) -> None:
    out.hashes[rel] = skipped.hash
    facts = skipped.facts
    if facts is None:
        return  # unreadable when last checked, and unchanged: not in the model
    out.facts[rel] = facts
    entry = cache.LazyEntry.unread(facts.id, facts.kind, FactData(facts.fields, later), rel, cast(Document, later))
    other = out.repo.add_entry(entry)
    if other is not None and (theirs := out.docs.get(other.path)) is not None:
        line, col = theirs.parsed.where(("id",))
        out.problems.append(problem("SK301", theirs.path, line, col, f"mã «{facts.id}» đã dùng cho {rel}.", at=LINE, key=("id",)))


class _Later:
    """The document of a file the run did not check, read (from the cache, or checked) only if a
    rule asks for more than its facts."""

    def __init__(self, root: Path, store: cache.Store,
                 task: tuple[Repository, layout.Place, str, tuple[frozenset[str], frozenset[str]] | None, _TaskMemo]) -> None:
        # filecheck.task's arguments, the kind still to work out (the campaigns are all in by then): made only if asked for
        self._root, self._store, self._task = root, store, task
        self._doc: Document | None = None

    def document(self) -> Document:
        if self._doc is None:
            repo, place, rel, contacts, memo = self._task
            task = filecheck.task(self._root, kind_of(repo, place), rel, contacts, memo)
            self._doc = filecheck.check_all(self._root, self._store, [task])[0].doc
        return self._doc

    @property
    def body(self) -> str:
        return self.document().body


class FactData(dict[str, Any]):
    """An entry's data that holds only its facts until a rule asks for another field; then the
    whole document is read and the mapping is complete. A field among FACT_KEYS that the facts
    do not hold is absent from the file: asking for it reads nothing."""

    def __init__(self, facts: dict[str, Any], later: _Later) -> None:
        super().__init__(facts)
        self.facts = facts
        self._later: _Later | None = later

    def _fill(self, key: object = None) -> None:
        if self._later is None or key in _FACT_KEYS:
            return
        data = self._later.document().data
        self._later = None
        dict.clear(self)
        dict.update(self, data if isinstance(data, dict) else {})

    # Until filled the mapping holds only keys among FACT_KEYS: any other key is absent and fills
    # it, a fact key is answered as it is (these three run for every entry of every run).
    def __getitem__(self, key: str) -> Any:
        if self._later is not None and key not in _FACT_KEYS:
            self._fill(key)
        return dict.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        if self._later is not None and key not in _FACT_KEYS:
            self._fill(key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        if self._later is not None and key not in _FACT_KEYS:
            self._fill(key)
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[str]:
        self._fill()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._fill()
        return dict.__len__(self)

    def keys(self) -> Any:
        self._fill()
        return dict.keys(self)

    def values(self) -> Any:
        self._fill()
        return dict.values(self)

    def items(self) -> Any:
        self._fill()
        return dict.items(self)

    def copy(self) -> dict[str, Any]:
        self._fill()
        return dict(dict.items(self))

    def __eq__(self, other: object) -> bool:
        self._fill()
        return dict.__eq__(self, other)

    __hash__ = None

    def __repr__(self) -> str:
        self._fill()
        return dict.__repr__(self)


def _add_to_model(out: Loaded, rel: str, place: layout.Place, kind: str, doc: Document) -> None:
    repo, data = out.repo, doc.data
    if not isinstance(data, dict):  # a readable document is a mapping; this tells the type checker
        return
    if kind == "units":
        repo.add_registry(data, rel)
    elif kind == "campaign":
        repo.add_campaign(place.campaign or "", data, rel)
    elif kind == "decisions":
        repo.add_decisions(place.campaign or "", data, rel)
    else:
        entry_id = data["id"] if isinstance(data.get("id"), str) else place.slug or rel
        entry = cache.entry_of(entry_id, kind, data, rel, doc)  # the body is read only if asked for
        out.facts[rel] = Facts.of(entry)
        other = repo.add_entry(entry)
        if other is not None:
            # Blame both files, so that validating either one alone (a PR's new file) fails too.
            for mine, theirs in ((doc, other.path), (out.docs.get(other.path), rel)):
                if mine is not None:
                    line, col = mine.parsed.where(("id",))
                    out.problems.append(problem("SK301", mine.path, line, col, f"mã «{entry_id}» đã dùng cho {theirs}.", at=LINE, key=("id",)))


def attachment_stamps(root: Path, rels: list[str]) -> dict[str, str]:
    """Each attachment's stat, taken before it is checked (a full run's memo is keyed on them)."""
    out = {}
    for rel in rels:
        stat = cache.Stat.of(f"{root}/{rel}")
        out[rel] = "-" if stat is None else f"{stat.size}:{stat.mtime_ns}:{stat.ctime_ns}:{stat.ino}"
    return out
