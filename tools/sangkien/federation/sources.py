"""The sources of a federation: entries/federation.yaml, read and cross-checked.

The schema (schema/federation.schema.json) is checked by the one validator like every file in
entries/; harvest reads the file again here and refuses to run on a file with errors, so it never
fetches from a half-written list. Cross-checks the schema cannot express: ids are unique (SK340),
a local path stays inside the repository and exists (SK341).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sangkien import layout, schemas
from sangkien.codes import problem
from sangkien.problems import LINE, Problem
from sangkien.reader import Document, read_yaml

if TYPE_CHECKING:
    from datetime import datetime

    from sangkien.loader import Loaded
    from sangkien.rules import ChangeSet

DEFAULT_STALE_DAYS = 7


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    url: str | None = None
    path: str | None = None
    site: str | None = None
    publisher: str | None = None
    line: int = 1

    @property
    def location(self) -> str:
        """Where it is fetched from, as shown to people and recorded in the provenance."""
        return self.url or self.path or ""

    @property
    def home(self) -> str:
        """The source catalogue's home page: `site`, else the export's address without du-lieu/sang-kien.json."""
        if self.site:
            return self.site
        if self.url:
            parts = urlsplit(self.url)
            folder = parts.path.rsplit("/", 1)[0]
            folder = folder[: -len("/du-lieu")] if folder.endswith("/du-lieu") else folder
            return f"{parts.scheme}://{parts.netloc}{folder}/"
        return ""


@dataclass
class Federation:
    sources: list[Source]
    stale_after_days: int = DEFAULT_STALE_DAYS
    problems: list[Problem] | None = None  # errors that stop a harvest; None or [] when usable
    present: bool = True  # False: the repository has no entries/federation.yaml


def load(root: Path) -> Federation:
    """The sources, or the problems that stop a harvest (unreadable, schema errors, cross-checks)."""
    rel = layout.FEDERATION_FILE
    full = root / rel
    if not full.is_file():
        return Federation([], present=False)
    try:
        raw = full.read_bytes()
    except OSError as err:
        return Federation([], problems=[problem("SK930", rel, 1, 1, f"Không đọc được tệp {rel} ({err.strerror}).")])
    doc = read_yaml(raw, rel)
    found = [p for p in doc.problems if p.severity == "error"]
    if doc.readable:
        found += schemas.schema_problems(root, "federation", doc.parsed, rel)
    if found or not doc.readable or not isinstance(doc.data, dict):
        return Federation([], problems=found or [problem("SK930", rel, 1, 1, f"Tệp {rel} không đọc được.")])
    data = doc.data
    out, problems = cross_check(root, doc)
    days = data.get("stale_after_days")
    return Federation(out, days if isinstance(days, int) else DEFAULT_STALE_DAYS, problems)


def cross_check(root: Path, doc: Document) -> tuple[list[Source], list[Problem]]:
    """The sources of a parsed file and what the schema cannot say: a repeated id (SK340), a
    local path outside the repository (SK341). Items the schema refuses are left to it."""
    rel = layout.FEDERATION_FILE
    data = doc.data if isinstance(doc.data, dict) else {}
    out: list[Source] = []
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for n, item in enumerate(data.get("sources") or []):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        line, col = doc.parsed.where(("sources", n, "id"))
        sid = item["id"]
        if sid in seen:
            problems.append(problem("SK340", rel, line, col, f"mã nguồn «{sid}» đã dùng ở dòng {seen[sid]}.", at=LINE, key=("sources", n, "id")))
            continue
        seen[sid] = line
        path = item.get("path")
        if isinstance(path, str):
            pline, pcol = doc.parsed.where(("sources", n, "path"))
            target = (root / path).resolve()
            if not target.is_relative_to(root.resolve()) or ".." in Path(path).parts:
                problems.append(problem("SK341", rel, pline, pcol, f"đường dẫn «{path}» của nguồn «{sid}» ra ngoài thư mục của kho.", at=LINE, key=("sources", n, "path")))
                continue
        out.append(Source(sid, str(item.get("name", sid)), item.get("url"), path, item.get("site"), item.get("publisher"), line))
    return out, problems


def rule(loaded: Loaded, changes: ChangeSet | None, at: datetime) -> list[Problem]:
    """The registry's entry point (rules.py names it as "sangkien.federation.sources:rule"): the
    cross-checks of entries/federation.yaml whenever the validator read it."""
    doc = loaded.docs.get(layout.FEDERATION_FILE)
    if doc is None or not doc.readable:
        return []
    return cross_check(loaded.root, doc)[1]
