"""The one validator that CI, pre-commit, the CLI and the form's rules all go through.

Flow: discover files under entries/ -> read each (reader) -> check it against its schema and
its own rules -> build the model -> cross-file rules -> (with a base) rules on the change set
-> keep the problems of the files asked about.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sangkien import atomic, gitutil, layout, schemas, vntime
from sangkien.checks import changes as change_rules
from sangkien.checks import entry as entry_rules
from sangkien.checks import replication as replication_rules
from sangkien.checks import repository as repository_rules
from sangkien.checks import text as text_rules
from sangkien.codes import problem
from sangkien.council import thidua as thidua_rules
from sangkien.model import Campaign, Decisions, Entry, Repository, Unit
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


def _read(root: Path, rel: str, markdown: bool, problems: list[Problem]) -> Document:
    try:
        raw = (root / rel).read_bytes()
    except OSError as err:
        problems.append(problem("SK005", rel, 1, 1, f"Không đọc được tệp ({err.strerror})."))
        return Document(rel)
    return read_markdown(raw, rel) if markdown else read_yaml(raw, rel)


def load(root: Path) -> Loaded:
    """Read and check every file on its own, then build the model from what could be read."""
    root = root.resolve()
    out = Loaded(root)
    files, links = layout.discover(root)
    out.files = files
    for link in links:
        out.problems.append(problem("SK008", link, 1, 1, f"«{link}» là liên kết tượng trưng (symlink)."))
    places = {rel: layout.classify(rel) for rel in files}
    order = {"units": 0, "campaign": 1, "decisions": 2, "entry": 3, "replication": 3}
    repo = out.repo
    for rel in sorted(files, key=lambda r: (order.get(places[r].kind, 9), r)):
        place = places[rel]
        if place.kind in ("ignored",):
            continue
        if atomic.TEMP_NAME.match(rel.rsplit("/", 1)[-1]):
            target = atomic.TEMP_NAME.match(rel.rsplit("/", 1)[-1]).group("target")
            out.problems.append(problem("SK009", rel, 1, 1, f"«{rel}» là tệp tạm của một lần ghi «{target}» bị ngắt giữa chừng."))
            continue
        if place.kind == "attachment":
            if not layout.ATTACHMENT.match(place.slug or ""):
                out.problems.append(problem("SK007", rel, 1, 1, f"Tên tệp kèm theo «{place.slug}» có chữ hoa, dấu, dấu cách hoặc ký tự lạ."))
            continue
        if place.kind == "unknown":
            out.problems.append(problem("SK314", rel, 1, 1, f"Tệp «{rel}» không nằm đúng chỗ của một loại tệp nào trong entries/."))
            continue
        kind = place.kind
        if kind == "entry" and repo.campaigns.get(place.campaign or "") is not None and repo.campaigns[place.campaign].kind == "thi-dua":
            kind = "nomination"
        doc = _read(root, rel, kind in SCANNED, out.problems)
        out.docs[rel], out.kinds[rel] = doc, kind
        out.problems.extend(doc.problems)
        if not doc.readable:
            continue
        found = schemas.schema_problems(root, kind, doc.parsed, rel) if _has_schema(root, kind) else []
        out.problems.extend(found)
        if found:  # rules and the model below only see well-typed values
            schemas.prune_invalid(root, kind, doc.data)
        if kind != "abbreviations":  # read by the novelty check, not part of the model
            _add_to_model(out, rel, place, kind, doc)
    allowed_phones, allowed_emails = _official_contacts(repo)
    for rel, kind in out.kinds.items():
        doc = out.docs[rel]
        if kind not in SCANNED or not doc.readable:
            continue
        place = places[rel]
        out.problems.extend(entry_rules.check_place(doc, place))
        if place.campaign and place.kind == "entry" and place.campaign not in repo.campaigns:
            out.problems.append(problem("SK315", rel, 1, 1, f"Thư mục đợt «{place.campaign}» chưa có tệp campaign.yaml."))
        if kind == "entry":
            out.problems.extend(entry_rules.check_entry(doc, root))
        schema = schemas.load_schema(root, kind) if _has_schema(root, kind) else {}
        out.problems.extend(text_rules.scan_strings(doc.data, (), doc.parsed, rel, lambda p, s=schema: schemas.label(s, p),
                                                    allowed_phones, allowed_emails))
        out.problems.extend(text_rules.scan_body(doc.body, doc.body_line, rel, allowed_phones, allowed_emails))
    return out


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
        item = Entry(entry_id, kind, data, rel, doc.body, doc.body_line)
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
    loaded = load(root)
    root = loaded.root
    problems = list(loaded.problems)
    general: list[Problem] = []  # about the run, not a file: kept whatever paths were asked for
    if not (root / layout.ENTRIES).is_dir():
        general.append(problem("SK901", layout.ENTRIES, 1, 1, f"Không tìm thấy thư mục entries/ trong «{root}», nên không có gì để kiểm tra.",
                               "Chạy lệnh trong thư mục của kho sáng kiến (nơi có thư mục entries/), hoặc ghi --root <thư mục kho>."))
    problems.extend(repository_rules.check(loaded.repo, loaded.docs))
    problems.extend(thidua_rules.check(loaded.repo, loaded.docs, root))
    problems.extend(replication_rules.check(loaded.repo, loaded.docs))
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
