"""The one validator that CI, pre-commit, the CLI and the form's rules all go through.

Flow: discover files under entries/ -> read each (reader) -> check it against its schema and
its own rules -> build the model -> cross-file rules -> (with a base) rules on the change set
-> keep the problems of the files asked about.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sangkien import atomic, cache, gitutil, layout, parallel, schemas, vntime
from sangkien.checks import changes as change_rules
from sangkien.checks import entry as entry_rules
from sangkien.checks import hygiene as hygiene_rules
from sangkien.checks import replication as replication_rules
from sangkien.checks import repository as repository_rules
from sangkien.checks import text as text_rules
from sangkien.codes import problem
from sangkien.council import thidua as thidua_rules
from sangkien.model import Campaign, Decisions, Repository, Unit
from sangkien.problems import Problem, sort_key
from sangkien.reader import Document, read_markdown, read_yaml

SCANNED = ("entry", "nomination", "replication")


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


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


def _read(root: Path, rel: str, markdown: bool, problems: list[Problem]) -> Document:
    try:
        raw = (root / rel).read_bytes()
    except OSError as err:
        problems.append(problem("SK005", rel, 1, 1, f"Không đọc được tệp ({err.strerror})."))
        return Document(rel)
    return read_markdown(raw, rel) if markdown else read_yaml(raw, rel)


def load(root: Path) -> Loaded:
    """Read and check every file on its own, then build the model from what could be read.

    What a file gives on its own (reading, schema, its own rules, text checks) comes from the
    validation cache when the file, the schemas and the code are unchanged (cache.py), and is
    computed on every core when many files changed (parallel.py); either way it is exactly what
    checking the file here would give. The problems keep the order of a serial run: first what
    each file gave when read (units, campaigns, decisions, then entries, then the rest), then
    each entry's place, entry and text problems, because one_per_place keeps the first error at
    a place.
    """
    root = root.resolve()
    out = Loaded(root)
    files, links = layout.discover(root)
    out.files, out.links = files, links
    for link in links:
        out.problems.append(problem("SK008", link, 1, 1, f"«{link}» là liên kết tượng trưng (symlink)."))
    places = {rel: layout.classify(rel) for rel in files}
    order = {"units": 0, "campaign": 1, "decisions": 2, "entry": 3, "replication": 3}
    repo = out.repo
    ordered = sorted(files, key=lambda r: (order.get(places[r].kind, 9), r))
    store = cache.Store.open(root, _cache_key(root))
    late: dict[str, _Checked] = {}  # what each entry gave on its own, for the second pass
    contacts: tuple[frozenset[str], frozenset[str]] | None = None
    done: set[str] = set()
    memo: dict = {}
    attachments: list[tuple[str, layout.Place]] = []
    for rel in ordered:
        place = places[rel]
        if rel in done:
            continue
        if place.kind in ("entry", "replication") and contacts is None:
            # Every registry file is in: the entries can be checked, all at once.
            phones, emails = _official_contacts(repo)
            contacts = (frozenset(phones), frozenset(emails))
            batch = [r for r in ordered if places[r].kind in ("entry", "replication")]
            for item in _check_all(root, store, [_task(root, repo, r, places[r], contacts, memo) for r in batch]):
                late[item.rel] = item
                _take(out, item, places[item.rel])
                done.add(item.rel)
            continue
        if place.kind in ("ignored",):
            continue
        if atomic.TEMP_NAME.match(rel.rsplit("/", 1)[-1]):
            target = atomic.TEMP_NAME.match(rel.rsplit("/", 1)[-1]).group("target")
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
        for item in _check_all(root, store, [_task(root, repo, rel, place, None, memo)]):
            _take(out, item, place)
    store.save({rel for rel in out.docs})
    # Gitlinks and attachments: the whole tree on every run, never cached per file (a unit's total
    # looks at all its files); a full run's memo is keyed on their list and stats (_run_key).
    out.gitlinks = hygiene_rules.gitlinks(root)
    out.stamps = _attachment_stamps(root, [rel for rel, _ in attachments])
    out.problems.extend(hygiene_rules.check_gitlinks(out.gitlinks))
    out.problems.extend(hygiene_rules.check_attachments(root, repo, attachments))
    allowed_phones, allowed_emails = _official_contacts(repo)
    for rel, kind in out.kinds.items():
        doc = out.docs[rel]
        if kind not in SCANNED or not doc.readable:
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


# ----------------------------------------------------------------- one file on its own
@dataclass(frozen=True)
class _Task:
    root: str
    rel: str
    kind: str
    markdown: bool
    has_schema: bool
    scanned: bool
    phones: frozenset[str]
    emails: frozenset[str]
    context: str  # everything besides the bytes that the result depends on (the cache row's context)
    known: str = ""  # content hash of the cached row, if any: unchanged bytes are not checked again


@dataclass
class _Checked:
    """What one file gave on its own, decoded for this run."""

    rel: str
    hash: str
    doc: Document
    io: list[Problem]
    schema: list[Problem]
    place: list[Problem]
    alone: list[Problem]
    text: list[Problem]


def _task(root: Path, repo: Repository, rel: str, place: layout.Place, contacts, memo: dict) -> _Task:
    kind = _kind_of(repo, place)
    scanned = kind in SCANNED
    phones, emails = contacts if scanned and contacts is not None else (frozenset(), frozenset())
    base = memo.get((kind, phones, emails))
    if base is None:  # what every file of a kind shares: once per run, not once per file
        has_schema = _has_schema(root, kind)
        context = cache.words_key(kind, scanned, has_schema, sorted(phones), sorted(emails))
        base = memo[(kind, phones, emails)] = _Task(str(root), "", kind, markdown=scanned, has_schema=has_schema, scanned=scanned,
                                                   phones=phones, emails=emails, context=context)
    return replace(base, rel=rel)


def _check_all(root: Path, store: cache.Store, tasks: list[_Task]) -> list[_Checked]:
    """Each task's result: from the cache when its file is unchanged, else computed (in parallel
    when there are many), then decoded the same way whichever way it came. A cached row that
    does not decode is computed again."""
    found: dict[str, _Checked] = {}
    todo: list[_Task] = []
    base = str(root)
    for task in tasks:
        row = store.get(task.rel, cache.Stat.of(f"{base}/{task.rel}"), task.context)
        if row is not None:
            item = _decode_cached(root, task, row)
            if item is not None:
                found[task.rel] = item
                continue
        old = store.rows.get(task.rel)
        todo.append(replace(task, known=old.hash) if old is not None and old.context == task.context else task)
    by_rel = {task.rel: task for task in todo}
    for row in parallel.map_chunks(_check_chunk, todo):
        task = by_rel[row.path]
        if row.result == _SAME:  # bytes unchanged since the cached row: only the stat moved
            cached = store.rows[row.path]
            item = _decode_cached(root, task, cached)
            if item is not None:
                store.put(replace(cached, stat=row.stat, checked_ns=row.checked_ns))
                found[row.path] = item
                continue
            row = _check(replace(task, known=""))
        if row.hash:
            store.put(row)
        found[row.path] = _decode(root, task, row)
    return [found[task.rel] for task in tasks]


def _decode_cached(root: Path, task: _Task, row: cache.Row) -> _Checked | None:
    try:
        return _decode(root, task, row)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):  # a damaged row: check the file again
        return None


_SAME = "="


def _check_chunk(tasks) -> list[cache.Row]:
    return [_check(task) for task in tasks]


def _check(task: _Task) -> cache.Row:
    """Check one file on its own, as the serial validator does, and encode the result."""
    root, rel = Path(task.root), task.rel
    full = f"{task.root}/{rel}"
    checked_ns = time.time_ns()
    stat = cache.Stat.of(full) or cache.Stat(-1, -1, -1, -1)
    io: list[Problem] = []
    try:
        with open(full, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        io.append(problem("SK005", rel, 1, 1, f"Không đọc được tệp ({err.strerror})."))
        raw, doc = None, Document(rel)
    else:
        digest = cache.digest(raw)
        if task.known and digest == task.known:
            return cache.Row(rel, stat, checked_ns, digest, task.context, _SAME, "")
        doc = read_markdown(raw, rel) if task.markdown else read_yaml(raw, rel)
    found: list[Problem] = []
    place: list[Problem] = []
    alone: list[Problem] = []
    text: list[Problem] = []
    if doc.readable:
        found = schemas.schema_problems(root, task.kind, doc.parsed, rel) if task.has_schema else []
        if found:  # rules and the model below only see well-typed values
            schemas.prune_invalid(root, task.kind, doc.data)
        if task.scanned:
            place = list(entry_rules.check_place(doc, layout.classify(rel)))
            if task.kind == "entry":
                alone = list(entry_rules.check_alone(doc))
            schema = schemas.load_schema(root, task.kind) if task.has_schema else {}
            text = list(text_rules.scan_strings(doc.data, (), doc.parsed, rel, lambda p, s=schema: schemas.label(s, p),
                                                set(task.phones), set(task.emails)))
            text.extend(text_rules.scan_body(doc.body, doc.body_line, rel, set(task.phones), set(task.emails)))
    result = {"io": cache.problems_out(io), "doc": cache.problems_out(doc.problems), "parse": cache.problems_out(doc.parsed.problems),
              "schema": cache.problems_out(found), "place": cache.problems_out(place), "alone": cache.problems_out(alone),
              "text": cache.problems_out(text), "data": doc.parsed.data, "body_line": doc.body_line, "read": raw is not None}
    encoded = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
    return cache.Row(rel, stat, checked_ns, cache.digest(raw) if raw is not None else "", task.context, encoded, cache.positions_out(doc.parsed))


def _decode(root: Path, task: _Task, row: cache.Row) -> _Checked:
    r = json.loads(row.result)
    if not isinstance(r, dict) or not isinstance(r["body_line"], int):
        raise ValueError("result")
    parsed = cache.LazyParsed(r["data"], cache.problems_in(r["parse"]), row.positions,
                              lambda: _reparse(root, task.rel, task.markdown))
    doc = cache.LazyDocument(task.rel, parsed, r["body_line"], cache.problems_in(r["doc"]), f"{root}/{task.rel}", task.markdown,
                             bool(r["read"]), r["body_line"] > 1)
    return _Checked(task.rel, row.hash, doc, cache.problems_in(r["io"]), cache.problems_in(r["schema"]), cache.problems_in(r["place"]),
                    cache.problems_in(r["alone"]), cache.problems_in(r["text"]))


def _reparse(root: Path, rel: str, markdown: bool):
    """Positions again from the file, if the cached ones cannot be read."""
    return _read(root, rel, markdown, []).parsed


def _take(out: Loaded, item: _Checked, place: layout.Place) -> None:
    """What the first pass of a serial run does with a file once read and checked."""
    doc, rel = item.doc, item.rel
    out.hashes[rel] = item.hash
    kind = _kind_of(out.repo, place)
    out.docs[rel], out.kinds[rel] = doc, kind
    out.problems.extend(item.io)
    out.problems.extend(doc.problems)
    if not doc.readable:
        return
    out.problems.extend(item.schema)
    if kind != "abbreviations":  # read by the novelty check, not part of the model
        _add_to_model(out, rel, place, kind, doc)


def _kind_of(repo: Repository, place: layout.Place) -> str:
    if place.kind == "entry" and repo.campaigns.get(place.campaign or "") is not None and repo.campaigns[place.campaign].kind == "thi-dua":
        return "nomination"
    return place.kind


def _cache_key(root: Path) -> str:
    """What every cached result depends on besides its file: the code and the schemas."""
    global _CODE_KEY
    if _CODE_KEY is None:
        _CODE_KEY = cache.code_key()
    return cache.words_key(_CODE_KEY, cache.folder_key(schemas.schema_dir(root)))


_CODE_KEY: str | None = None


def _has_schema(root: Path, kind: str) -> bool:
    return (schemas.schema_dir(root) / f"{kind}.schema.json").is_file()


def _add_to_model(out: Loaded, rel: str, place: layout.Place, kind: str, doc: Document) -> None:
    repo, data = out.repo, doc.data
    if kind == "units":
        repo.organisers = [a for a in data.get("organisers") or [] if isinstance(a, str)]
        repo.council = [a for a in data.get("council") or [] if isinstance(a, str)]
        for item in data.get("units") or []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                repo.units.setdefault(item["id"], Unit(item["id"], item, rel))
    elif kind == "campaign":
        repo.campaigns[place.campaign] = Campaign(str(data.get("id", place.campaign)), data, rel)
    elif kind == "decisions":
        repo.decisions[place.campaign] = Decisions(str(data.get("campaign", place.campaign)), data, rel)
    else:
        entry_id = data.get("id") if isinstance(data.get("id"), str) else place.slug
        item = cache.entry_of(entry_id, kind, data, rel, doc)  # the body is read only if asked for
        table = repo.replications if kind == "replication" else repo.entries
        other = repo.entries.get(entry_id) or repo.replications.get(entry_id)
        if other is not None:
            # Blame both files, so that validating either one alone (a PR's new file) fails too.
            for mine, theirs in ((doc, other.path), (out.docs.get(other.path), rel)):
                if mine is not None:
                    line, col = mine.parsed.where(("id",))
                    out.problems.append(problem("SK301", mine.path, line, col, f"Dòng {line}: mã «{entry_id}» đã dùng cho {theirs}."))
            return
        table[entry_id] = item


def _official_contacts(repo: Repository) -> tuple[set[str], set[str]]:
    """Switchboards and mailboxes that the registry publishes: these are not personal data."""
    phones, emails = set(), set()
    for unit in repo.units.values():
        contact = unit.contact
        if isinstance(contact.get("phone"), str):
            phones.add("".join(ch for ch in contact["phone"] if ch.isdigit()).removeprefix("84").lstrip("0"))
        if isinstance(contact.get("email"), str):
            emails.add(contact["email"].lower())
    for camp in repo.campaigns.values():
        email = (camp.data.get("channel") or {}).get("email")
        if isinstance(email, str):
            emails.add(email.lower())
    return phones, emails


def validate(root: Path, paths: list[str] | None = None, base: str | None = None, at: datetime | None = None,
             extra_rules=None) -> Report:
    """Validate the repository at `root`; keep the problems of `paths` (all files if none).

    `extra_rules(loaded, changes, at)` lets the PR-flow rules (who may change what) add problems
    computed from the same loaded repository and change set.
    """
    full_run = base is None and extra_rules is None
    remembered = _remembered(root.resolve()) if full_run else None
    if remembered is not None:  # nothing changed since a full run: its problems, without reading a file
        root, files, problems = remembered
        loaded = Loaded(root, files=files)
    else:
        loaded = load(root)
        root = loaded.root
        problems = list(loaded.problems)
    general: list[Problem] = []  # about the run, not a file: kept whatever paths were asked for
    if not (root / layout.ENTRIES).is_dir():
        general.append(problem("SK901", layout.ENTRIES, 1, 1, f"Không tìm thấy thư mục entries/ trong «{root}», nên không có gì để kiểm tra.",
                               "Chạy lệnh trong thư mục của kho sáng kiến (nơi có thư mục entries/), hoặc ghi --root <thư mục kho>."))
    if remembered is None:
        problems.extend(repository_rules.check(loaded.repo, loaded.docs))
        problems.extend(thidua_rules.check(loaded.repo, loaded.docs, root))
        problems.extend(replication_rules.check(loaded.repo, loaded.docs))
        if full_run:
            _remember(loaded, problems)
    if base is not None:
        at = at or vntime.now()
        try:
            changes = gitutil.changed_files(root, base)
        except gitutil.GitError as err:
            general.append(problem("SK902", ".", 1, 1, f"Không so sánh được với «{base}»: {err}"))
            changes = []
        problems.extend(change_rules.check(loaded.repo, loaded.docs, changes, at))
        from sangkien.novelty import rules as novelty_rules  # numpy and scipy: imported only for a change set

        problems.extend(novelty_rules.check(loaded, changes))
        if extra_rules is not None:
            problems.extend(extra_rules(loaded, changes, at))
    scope, missing = _scope(root, paths)
    if scope is not None:
        problems = [p for p in problems if _in_scope(p.file, scope)]
        checked = sum(1 for f in loaded.files if _in_scope(f, scope)) + sum(1 for s in scope if not s.startswith(layout.ENTRIES))
    else:
        checked = len(loaded.files)
    problems.extend(missing + general)  # after the filter: a path that is not there is outside every scope
    return Report(one_per_place(problems), checked)


# ----------------------------------------------------------------- whole runs
# The problems of a full run (no --base, no extra rules) depend only on the code, the schemas, the
# list of files under entries/, the bytes of each file read, the stat of each attachment (its type,
# first bytes and size are checked) and the gitlinks Git records under entries/. Their digest keys
# the last full run's problems in the cache, so a run over an unchanged repository only walks it,
# reads the recorded hashes (files whose stat moved are hashed again), stats the attachments and
# asks Git for its gitlinks. Any difference means a complete run, which records its result in turn.
MEMO_UNSETTLED = 200  # more unsettled files than this (a fresh checkout): skip straight to a full run


def _is_attachment(rel: str) -> bool:
    """An attachment that load() checks (type, content, size): not a stale temporary file."""
    return layout.classify(rel).kind == "attachment" and not atomic.TEMP_NAME.match(rel.rsplit("/", 1)[-1])


def _reads(rel: str, place: layout.Place) -> bool:
    """Whether load() reads this file (the others count by their name only)."""
    return place.kind not in ("ignored", "attachment", "unknown") and not atomic.TEMP_NAME.match(rel.rsplit("/", 1)[-1])


def _run_key(root: Path, files: list[str], links: list[str], hashes: dict[str, str], stamps: dict[str, str], gitlinks: list[str]) -> str | None:
    """Digest of a full run's inputs; `hashes` has the content hash of every file read. An
    attachment counts by its stat (its size and first bytes are checked, never its hash), a
    gitlink by its path."""
    if not all(hashes.values()):
        return None  # a file that could not be read: nothing to key on
    h = hashlib.blake2b(_cache_key(root).encode(), digest_size=16)
    h.update("\n".join(f"{rel}\0{hashes.get(rel) or stamps.get(rel, '')}" for rel in files).encode())
    h.update("\n".join(links).encode())
    h.update(("\n\0gitlinks\0" + "\n".join(gitlinks)).encode())
    return h.hexdigest()


def _attachment_stamps(root: Path, rels: list[str]) -> dict[str, str]:
    out = {}
    for rel in rels:
        stat = cache.Stat.of(f"{root}/{rel}")
        out[rel] = "-" if stat is None else f"{stat.size}:{stat.mtime_ns}:{stat.ctime_ns}:{stat.ino}"
    return out


def _remember(loaded: Loaded, problems: list[Problem]) -> None:
    key = _run_key(loaded.root, loaded.files, loaded.links, loaded.hashes, loaded.stamps, loaded.gitlinks)
    if key is not None:
        cache.Store(loaded.root / cache.DIR / cache.NAME if cache.enabled() else None, _cache_key(loaded.root)).remember(key, problems)


def _remembered(root: Path) -> tuple[Path, list[str], list[Problem]] | None:
    if not cache.enabled():
        return None
    store = cache.Store(root / cache.DIR / cache.NAME, _cache_key(root))
    stamps = store.stamps()
    if not stamps:
        return None
    files, links = layout.discover(root)
    hashes: dict[str, str] = {}
    moved: list[tuple[str, cache.Stat, int]] = []  # read again, same bytes: their rows get the new stat
    for rel in files:
        if not _reads(rel, layout.classify(rel)):
            continue
        stamp = stamps.get(rel)
        stat = cache.Stat.of(f"{root}/{rel}")
        if stamp is not None and stat is not None and cache.settled(stamp, stat):
            hashes[rel] = str(stamp[5])
            continue
        if len(moved) >= MEMO_UNSETTLED or stat is None:
            return None
        checked_ns = time.time_ns()
        try:
            with open(f"{root}/{rel}", "rb") as handle:
                hashes[rel] = cache.digest(handle.read())
        except OSError:
            return None
        if stamp is not None and hashes[rel] == stamp[5]:
            moved.append((rel, stat, checked_ns))
    stamps = _attachment_stamps(root, [rel for rel in files if _is_attachment(rel)])
    key = _run_key(root, files, links, hashes, stamps, hygiene_rules.gitlinks(root))
    problems = store.remembered(key) if key is not None else None
    if problems is None:
        return None
    store.restamp(moved)
    return root, files, problems


def one_per_place(problems: list[Problem]) -> list[Problem]:
    """At each file:line:column keep the errors of the first code found there: a later stage
    repeating the same fault under another code (a misspelt area is also 'not accepted by the
    campaign') would only add noise, while several faults of one kind at one place (three
    missing fields reported at the mapping's start) are all kept."""
    kept, first_code = [], {}
    for p in problems:
        place = (p.file, p.line, p.column)
        if p.is_error and first_code.setdefault(place, p.code) != p.code:
            continue
        kept.append(p)
    return sorted(set(kept), key=sort_key)


def _scope(root: Path, paths: list[str] | None) -> tuple[list[str] | None, list[Problem]]:
    if not paths:
        return None, []
    scope, missing = [], []
    for raw in paths:
        full = Path(raw) if os.path.isabs(raw) else Path.cwd() / raw
        if not full.exists():
            missing.append(problem("SK901", raw, 1, 1, f"Không tìm thấy «{raw}»."))
            continue
        try:
            rel = full.resolve().relative_to(root).as_posix()
        except ValueError:
            missing.append(problem("SK314", raw, 1, 1, f"«{raw}» nằm ngoài kho đang kiểm tra ({root})."))
            continue
        scope.append("" if rel == "." else rel)
        if not rel.startswith(layout.ENTRIES) and full.is_file():
            missing.append(problem("SK314", rel, 1, 1, f"Tệp «{rel}» không nằm trong thư mục entries/."))
    return scope, missing


def _in_scope(file: str, scope: list[str]) -> bool:
    return any(s == "" or file == s or file.startswith(s.rstrip("/") + "/") for s in scope)
