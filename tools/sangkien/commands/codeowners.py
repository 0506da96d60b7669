"""`sangkien codeowners [--check]`: .github/CODEOWNERS generated from the unit registry.

The host then asks the right people to review each change (and, with "require review from
Code Owners" in branch protection, waits for them):
- every file not listed below (tools, schemas, workflows, docs)   -> organisers
- entries/*/<unit>/ (the unit's entries in every campaign, and its replication records)
                                                                  -> the unit's accounts and the organisers
- entries/units.yaml, entries/*/campaign.yaml                     -> organisers
- entries/*/decisions.yaml                                        -> council
The organisers are co-owners of the unit folders because a unit with one account could
otherwise never get a code owner's approval (nobody approves their own pull request).
The last matching line wins, so the specific lines come after the catch-all.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from sangkien import atomic, layout
from sangkien.checks.permissions import Roles, roles_from
from sangkien.codes import CODES
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.reader import read_yaml

TARGET = Path(".github/CODEOWNERS")


def register(sub: Subparsers) -> None:
    p = sub.add_parser("codeowners", help="tạo tệp .github/CODEOWNERS từ danh mục đơn vị",
                       description="Tạo tệp CODEOWNERS (ai duyệt thay đổi của thư mục nào) từ entries/units.yaml. "
                                   "Với --check: chỉ kiểm tra tệp đã khớp chưa, không ghi.")
    p.add_argument("--check", action="store_true", help="chỉ kiểm tra; trả mã 1 nếu tệp chưa khớp danh mục đơn vị")
    p.add_argument("--output", type=Path, default=None,
                   help="tệp cần ghi, tính từ gốc kho (mặc định .github/CODEOWNERS; GitLab dùng .gitlab/CODEOWNERS)")
    add_root(p)
    p.set_defaults(func=run)


def _owners(accounts: list[str]) -> str:
    seen: list[str] = []
    for account in accounts:
        if account.casefold() not in (s.casefold() for s in seen):
            seen.append(account)
    return " ".join(f"@{a}" for a in seen)


def render(roles: Roles) -> str:
    org = _owners(roles.organisers)
    lines = [
        "# Tệp này do lệnh «sangkien codeowners» tạo ra từ entries/units.yaml. Không sửa tay:",
        "# sửa danh mục đơn vị, chạy lại «sangkien codeowners» và đưa cả hai tệp vào cùng một yêu cầu hợp nhất.",
        "# Mỗi dòng: đường dẫn, rồi các tài khoản duyệt thay đổi ở đó. Dòng khớp sau cùng được áp dụng.",
        "",
        "# Mọi tệp khác (công cụ, mẫu, quy trình kiểm tra, tài liệu): cơ quan tổ chức",
        f"* {org}",
        "",
        "# Bài, tệp kèm theo và hồ sơ nhân rộng của từng đơn vị (mọi đợt): tài khoản của đơn vị và cơ quan tổ chức",
    ]
    for unit_id in sorted(roles.units):
        name, accounts = roles.units[unit_id]
        if not layout.SLUG.match(unit_id):
            continue  # the validator reports a bad id; a pattern built from it could match too much
        lines.append(f"/{layout.ENTRIES}/*/{unit_id}/ {_owners([*accounts, *roles.organisers])}")
    lines += [
        "",
        "# Danh mục đơn vị và kế hoạch các đợt: cơ quan tổ chức",
        f"/{layout.UNITS_FILE} {org}",
        f"/{layout.ENTRIES}/*/{layout.CAMPAIGN_FILE} {org}",
        "",
        "# Quyết định của Hội đồng (sơ loại, chấm điểm, công nhận, chấp nhận nộp muộn): Hội đồng",
        f"/{layout.ENTRIES}/*/{layout.DECISIONS_FILE} {_owners(roles.council)}",
    ]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    registry = root / layout.UNITS_FILE
    try:
        doc = read_yaml(registry.read_bytes(), layout.UNITS_FILE)
    except OSError as err:
        print(f"Không đọc được {layout.UNITS_FILE} ({err.strerror}). Cách sửa: chạy lệnh ở thư mục gốc của kho, hoặc dùng --root.", file=sys.stderr)
        return 2
    roles = roles_from(doc.data)
    if not doc.readable or not roles.organisers or not roles.council:
        print(f"{layout.UNITS_FILE} chưa đọc được hoặc thiếu organisers/council. Cách sửa: chạy «sangkien validate {layout.UNITS_FILE}» và sửa các lỗi được nêu.",
              file=sys.stderr)
        return 2
    target = root / (args.output or TARGET)
    shown = (args.output or TARGET).as_posix()
    wanted = render(roles)
    try:
        current = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = None
    if args.check:
        if current == wanted:
            print(f"{shown} khớp với danh mục đơn vị ({len(roles.units)} đơn vị).")
            return 0
        what = "chưa có" if current is None else "chưa khớp với danh mục đơn vị (entries/units.yaml)"
        print(f"Lỗi SK610: tệp {shown} {what}. Cách sửa: {CODES['SK610'].fix.replace('.github/CODEOWNERS', shown)}")
        if current is not None:
            diff = list(difflib.unified_diff(current.splitlines(), wanted.splitlines(), f"{shown} (hiện có)", f"{shown} (cần có)", lineterm="", n=0))
            print("\n".join(diff[:40] + ([f"... và {len(diff) - 40} dòng khác nhau nữa"] if len(diff) > 40 else [])))
        return 1
    if current == wanted:
        print(f"{shown} đã khớp với danh mục đơn vị, không cần ghi lại.")
        return 0
    atomic.write_text(target, wanted)
    print(f"Đã ghi {shown}: {len(roles.units)} đơn vị, {len(roles.organisers)} tài khoản cơ quan tổ chức, {len(roles.council)} tài khoản Hội đồng.")
    return 0
