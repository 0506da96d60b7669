"""Record a recognition or a revocation in decisions.yaml: appended, never edited in place.

A decision once recorded is a legal act with a number; changing it would rewrite history. So a
number that is already in the file is refused, and the only way to undo a recognition is a
revocation that names it, with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sangkien import schemas, settings, textnorm
from sangkien.codes import problem
from sangkien.council import yamledit
from sangkien.council.context import decisions_path, decisions_to_edit
from sangkien.council.errors import CouncilError
from sangkien.council.screen import typed_day
from sangkien.model import Campaign
from sangkien.problems import LINE, Problem

if TYPE_CHECKING:
    from sangkien.loader import Loaded


@dataclass
class Request:
    number: str
    day: str
    entries: list[tuple[str, str | None]]
    issuer: str | None = None
    signer: str | None = None
    level: str | None = None
    title: str | None = None
    revoke: str | None = None
    reason: str | None = None


def _pattern(root: Path) -> re.Pattern[str]:
    schema = schemas.load_schema(root, "decisions")
    return re.compile(schemas.subschema(schema, ("recognitions", 0, "number"))["pattern"])


def levels(root: Path) -> list[tuple[str, str]]:
    schema = schemas.load_schema(root, "decisions")
    return schemas.choices(schema, schemas.subschema(schema, ("recognitions", 0, "level")))


def parse_entries(values: list[str]) -> list[tuple[str, str | None]]:
    out = []
    for raw in values:
        entry, _, tier = raw.partition(":")
        out.append((entry.strip(), tier.strip() or None))
    return out


def _check(root: Path, loaded: Loaded, camp: Campaign, req: Request, now: datetime) -> list[Problem]:
    rel = decisions_path(camp.id)
    bad: list[Problem] = []

    def no(code: str, what: str, fix: str | None = None) -> None:
        bad.append(problem(code, rel, 1, 1, what, fix))

    if not _pattern(root).match(req.number):
        no("SK822", f"Số quyết định «{req.number}» không đúng dạng (ví dụ 123/QĐ-UBND).")
    label = "quyết định thu hồi" if req.revoke is not None else "quyết định công nhận"
    day, problems = typed_day(req.day, now, rel, label)
    if day is not None:
        req.day = day.isoformat()  # typed dd/mm/yyyy (or ISO), stored ISO
    bad.extend(problems)
    dec = loaded.repo.decisions.get(camp.id)
    doc = loaded.docs.get(rel)
    where = doc.parsed.where if doc else (lambda path: (1, 1))
    for section in ("recognitions", "revocations"):
        for i, item in enumerate(dec.items(section) if dec else []):
            if textnorm.fold(str(item.get("number", ""))) == textnorm.fold(req.number):
                line, col = where((section, i, "number"))
                bad.append(problem("SK820", rel, line, col, f"quyết định số {req.number} đã được ghi; lệnh không sửa quyết định đã ghi.", at=LINE, key=(section, i, "number")))
    ids = {e.id for e in loaded.repo.entries_of(camp.id)}
    tiers: set[Any] = {t.get("id") for t in camp.rubric.get("tiers") or [] if isinstance(t, dict)}
    if not req.entries:
        no("SK822", "Chưa ghi bài nào (--entry MÃ_BÀI).")
    seen = set()
    for entry, tier in req.entries:
        if entry in seen:
            no("SK822", f"Bài «{entry}» được ghi hai lần.")
        seen.add(entry)
        if entry not in ids:
            no("SK822", f"Bài «{entry}» không có trong đợt «{camp.id}».")
        if tier is not None and req.revoke is None and tier not in tiers:
            no("SK822", f"Hạng giải «{tier}» của bài «{entry}» không có trong thang điểm của đợt ({', '.join(sorted(tiers)) or 'đợt không có hạng giải'}).")
    if req.revoke is not None:
        target = next((r for r in (dec.items("recognitions") if dec else []) if r.get("number") == req.revoke), None)
        if target is None:
            bad.append(problem("SK821", rel, 1, 1, f"Không có quyết định công nhận số {req.revoke} trong {rel}."))
        else:
            assert dec is not None  # the recognition was found in it
            named = {x.get("entry") for x in target.get("entries") or [] if isinstance(x, dict)}
            done = {e for r in dec.items("revocations") if r.get("decision") == req.revoke for e in r.get("entries") or []}
            for entry, _ in req.entries:
                if entry not in named:
                    bad.append(problem("SK821", rel, 1, 1, f"Bài «{entry}» không có trong quyết định {req.revoke}."))
                elif entry in done:
                    bad.append(problem("SK821", rel, 1, 1, f"Công nhận bài «{entry}» theo quyết định {req.revoke} đã bị thu hồi trước đó."))
        if not req.reason or len(req.reason.strip()) < 5:
            no("SK822", "Thu hồi phải ghi lý do (--reason \"…\", ít nhất 5 ký tự).")
    elif req.level not in {v for v, _ in levels(root)}:
        known = ", ".join(f"{v} ({label})" for v, label in levels(root))
        no("SK822", (f"Cấp công nhận «{req.level}» không hợp lệ" if req.level else "Chưa ghi cấp công nhận (--level)") + f"; chọn một trong: {known}.")
    return bad


def item_of(req: Request, camp: Campaign) -> tuple[str, dict[str, Any]]:
    if req.revoke is not None:
        return "revocations", {"number": req.number, "date": req.day, "decision": req.revoke, "entries": [e for e, _ in req.entries],
                               "reason": textnorm.nfc(" ".join((req.reason or "").split()))}
    issuer = camp.data.get("issuer") or {}
    item: dict[str, Any] = {"number": req.number, "date": req.day, "issuer": req.issuer or str(issuer.get("name", "")),
                  "signer": req.signer or str(issuer.get("signer", "")), "level": req.level}
    if req.title:
        item["title"] = textnorm.nfc(req.title)
    item["entries"] = [{"entry": e, **({"tier": t} if t else {})} for e, t in req.entries]
    return "recognitions", item


def record(root: Path, loaded: Loaded, camp: Campaign, req: Request, now: datetime | None = None) -> tuple[str, dict[str, Any], list[Problem]]:
    """Check the request, splice the item in, write atomically and validate again. `req.day` is
    the date as typed (dd/mm/yyyy or ISO; not after today, `now` defaulting to settings.now())."""
    if not req.day.strip():
        raise CouncilError.one("SK915", decisions_path(camp.id), "Chưa ghi ngày ký quyết định (--date).")
    bad = _check(root, loaded, camp, req, now or settings.now())
    if bad:
        raise CouncilError(bad)
    key, item = item_of(req, camp)
    rel, text, original, data = decisions_to_edit(root, loaded, camp, "decide")
    existing = [x for x in data.get(key) or []]
    expected = dict(data)
    expected[key] = existing + [item]
    new_text = yamledit.append_items(text, key, existing, [item])
    yamledit.check_same(new_text, rel, expected)
    warnings = yamledit.commit(root, rel, new_text, original)
    return key, item, warnings
