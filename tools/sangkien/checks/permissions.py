"""Who may change what in a pull request, judged on its change set and its author.

- the entries, attachments and replication records of a unit (entries/<campaign>/<unit>/...,
  entries/replications/<unit>/...): only that unit's `accounts`, one unit per pull request;
- entries/units.yaml, entries/federation.yaml, entries/<campaign>/campaign.yaml and anything
  else in entries/: the organisers;
- entries/<campaign>/decisions.yaml (screening, scores, recognition, late waivers): the council;
- everything outside entries/ (schemas, tools, workflows, docs): the organisers.

The roles come from the registry as it is at the base of the change, never from the pull
request itself: a PR that adds its author to `organisers` must not grant itself the right.
These rules run only when the validator is given the author (`--actor`, fed by CI from the
host's event record); locally nobody is checked.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from sangkien import gitutil, layout
from sangkien.codes import problem
from sangkien.event import LOGIN
from sangkien.problems import Problem
from sangkien.reader import read_yaml

UNIT, ORGANISERS, COUNCIL = "unit", "organisers", "council"


@dataclass
class Roles:
    """Accounts by role, case-folded (Git hosts treat logins case-insensitively)."""

    organisers: list[str] = field(default_factory=list)
    council: list[str] = field(default_factory=list)
    units: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # id -> (name, accounts)
    problem: Problem | None = None  # the registry at the base could not be read

    def is_organiser(self, login: str) -> bool:
        return login.casefold() in (a.casefold() for a in self.organisers)

    def is_council(self, login: str) -> bool:
        return login.casefold() in (a.casefold() for a in self.council)

    def is_account_of(self, login: str, unit: str) -> bool:
        return login.casefold() in (a.casefold() for a in self.units.get(unit, ("", []))[1])


def login(text: str) -> str:
    """argparse type for --actor: a host login, without @."""
    name = text.strip().removeprefix("@")
    if not LOGIN.match(name):
        raise argparse.ArgumentTypeError(f"«{text}» không phải tên tài khoản trên máy chủ Git, ví dụ phongnoivu-chauthanh (mã SK608)")
    return name


def _accounts(value: object) -> list[str]:
    return [a for a in value if isinstance(a, str)] if isinstance(value, list) else []


def roles_from(data: object) -> Roles:
    roles = Roles()
    if not isinstance(data, dict):
        return roles
    roles.organisers, roles.council = _accounts(data.get("organisers")), _accounts(data.get("council"))
    for item in data.get("units") or []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            roles.units.setdefault(item["id"], (str(item.get("name", item["id"])), _accounts(item.get("accounts"))))
    return roles


def roles_at(root: Path, ref: str) -> Roles:
    """The registry as committed at `ref` (the start of the change set)."""
    raw = gitutil.show(root, ref, layout.UNITS_FILE)
    if raw is None:
        return Roles(problem=problem("SK607", layout.UNITS_FILE, 1, 1, f"Nhánh gốc ({ref[:12]}) chưa có tệp {layout.UNITS_FILE}, nên không biết tài khoản nào được sửa gì."))
    doc = read_yaml(raw, layout.UNITS_FILE)
    if not doc.readable:
        return Roles(problem=problem("SK607", layout.UNITS_FILE, 1, 1, f"Tệp {layout.UNITS_FILE} ở nhánh gốc ({ref[:12]}) không đọc được."))
    return roles_from(doc.data)


def owner(path: str) -> tuple[str, str | None]:
    """Who owns a path: (UNIT, unit id), (ORGANISERS, None) or (COUNCIL, None)."""
    parts = path.split("/")
    if parts[0] != layout.ENTRIES or len(parts) < 2:
        return ORGANISERS, None
    if len(parts) >= 4:  # entries/<campaign or replications>/<unit>/<file...>
        return UNIT, parts[2]
    if len(parts) == 3 and parts[2] == layout.DECISIONS_FILE and parts[1] != layout.REPLICATIONS:
        return COUNCIL, None
    return ORGANISERS, None  # units.yaml, campaign.yaml, READMEs and stray files in entries/


def _names(accounts: list[str]) -> str:
    return ", ".join(accounts) if accounts else "(chưa khai báo tài khoản nào)"


def check(roles: Roles, actor: str, changes: list[tuple[str, str]]) -> list[Problem]:
    if not changes:
        return []
    if roles.problem is not None:
        return [roles.problem]
    out: list[Problem] = []
    by_unit: dict[str, list[str]] = {}
    for _status, path in changes:
        role, unit = owner(path)
        if role == UNIT:
            by_unit.setdefault(unit or "", []).append(path)
        elif role == COUNCIL and not roles.is_council(actor):
            out.append(problem("SK604", path, 1, 1, f"Tài khoản «{actor}» thay đổi «{path}», tệp ghi kết quả sơ loại, chấm điểm, công nhận và chấp nhận nộp muộn; "
                                                    f"chỉ tài khoản của Hội đồng được sửa tệp này: {_names(roles.council)}."))
        elif role == ORGANISERS and not roles.is_organiser(actor):
            if path in (layout.UNITS_FILE, layout.FEDERATION_FILE) or path.endswith("/" + layout.CAMPAIGN_FILE):
                what = {layout.UNITS_FILE: "danh mục đơn vị", layout.FEDERATION_FILE: "danh sách nguồn liên thông"}.get(path, "kế hoạch của đợt")
                out.append(problem("SK603", path, 1, 1, f"Tài khoản «{actor}» thay đổi «{path}» ({what}); chỉ tài khoản của cơ quan tổ chức được sửa tệp này: "
                                                        f"{_names(roles.organisers)}."))
            else:
                out.append(problem("SK605", path, 1, 1, f"Tài khoản «{actor}» thay đổi «{path}», nằm ngoài thư mục bài của đơn vị; chỉ tài khoản của cơ quan tổ chức "
                                                        f"được sửa tệp này: {_names(roles.organisers)}."))
    if len(by_unit) > 1:
        listed = ", ".join(f"«{u}»" for u in sorted(by_unit))
        for unit in sorted(by_unit):
            out.append(problem("SK601", by_unit[unit][0], 1, 1, f"Yêu cầu hợp nhất của tài khoản «{actor}» thay đổi bài của {len(by_unit)} đơn vị: {listed}."))
    for unit, paths in sorted(by_unit.items()):
        if unit not in roles.units:
            out.append(problem("SK606", paths[0], 1, 1, f"Tài khoản «{actor}» thay đổi «{paths[0]}» trong thư mục của đơn vị «{unit}», nhưng đơn vị này chưa có trong "
                                                        f"{layout.UNITS_FILE} của nhánh chính nên chưa có tài khoản nào được nộp bài cho đơn vị."))
            continue
        if roles.is_account_of(actor, unit):
            continue
        name, accounts = roles.units[unit]
        for path in paths:
            out.append(problem("SK602", path, 1, 1, f"Tài khoản «{actor}» thay đổi «{path}» của đơn vị {name} ({unit}), nhưng không phải tài khoản của đơn vị này. "
                                                    f"Tài khoản được nộp bài cho đơn vị: {_names(accounts)}."))
    return out
