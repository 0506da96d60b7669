"""`sangkien units import TỈNH`, `sangkien units add` and `sangkien units accounts`: the organiser's
registry of units (entries/units.yaml) from the official list, without hand-editing YAML. This
module asks and reports; reading, planning ids and writing the registry are in registryedit.py.

Both append new units at the end of the `units:` list by a text splice (every other byte of the
file, comments included, stays), check that the result parses to exactly the old data plus the
new units, write atomically and validate the repository again; if the registry would have an
error, the old bytes are put back and nothing changes. Existing units (same official code in
the same period, or same id) are never touched: they are reported as kept.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sangkien import adminunits, layout, reporters, schemas, settings, vntime, yamlstrict, yamlwrite
from sangkien.adminunits import LEGACY, NEW, DatasetUnavailable, Official, Period
from sangkien.codes import CODES, problem
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.registryedit import (
    Plan,
    Registry,
    UnitsError,
    check_same,
    clip_id,
    commit,
    committee_names,
    day_of,
    plan_units,
    prefix_of,
    read_registry,
    refuse,
    splice,
    unique_id,
)
from sangkien.textnorm import fold, nfc, slugify

KINDS = ["ubnd-tinh", "so-nganh", "ubnd-huyen", "phong-ban", "ubnd-xa", "don-vi-su-nghiep", "khac"]
LEVELS = ["tinh", "huyen", "xa"]
REFORM = adminunits.REFORM_DAY.isoformat()
LAST_LEGACY = adminunits.LAST_LEGACY_DAY.isoformat()
_FLOW_ACCOUNTS = re.compile(r"^(?P<pad>[ \t]+(?:- )?)accounts:[ \t]*\[[^\]#]*\][ \t]*(?P<comment>#.*)?$")


# ---------------------------------------------------------------- command line
def register(sub: Subparsers) -> None:
    p = sub.add_parser("units", help="thêm đơn vị vào danh mục (nhập xã, phường của một tỉnh; thêm một đơn vị)",
                       description="Quản lý danh mục đơn vị entries/units.yaml theo danh mục đơn vị hành chính chính thức "
                                   "(gói vietnamadminunits, đi kèm công cụ): nhập các xã, phường, đặc khu của một tỉnh, "
                                   "thêm một đơn vị kèm tài khoản. Đơn vị mới được ghi vào cuối danh sách, giữ nguyên phần còn lại "
                                   "và chú thích của tệp; chỉ ghi khi tệp vẫn hợp lệ.")
    actions = p.add_subparsers(dest="action", title="các việc", metavar="VIỆC")

    imp = actions.add_parser("import", help="nhập các xã, phường, đặc khu của một tỉnh từ danh mục chính thức (từ 01/7/2025)",
                             description="Thêm vào danh mục đơn vị UBND tỉnh (nếu chưa có) và UBND các xã, phường, đặc khu của tỉnh "
                                         "theo danh mục chính thức từ ngày 01/7/2025, kèm mã đơn vị hành chính; đơn vị đã có "
                                         "(cùng mã đơn vị hành chính, hoặc cùng mã đơn vị id) được giữ nguyên. Đơn vị mới chưa có tài khoản nộp bài "
                                         "(accounts: []): bổ sung bằng «sangkien units accounts».",
                             epilog="Ví dụ: sangkien units import \"Tây Ninh\" --dry-run\n"
                                    "       sangkien units import 80 --departments so-nganh.txt --legacy",
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    imp.add_argument("province", metavar="TỈNH", help="tên tỉnh, thành phố (có hoặc không dấu) hoặc mã 2 chữ số, ví dụ \"Tây Ninh\" hoặc 80")
    imp.add_argument("--departments", type=Path, metavar="TỆP",
                     help="tệp danh sách sở, ngành (mỗi dòng một tên, hoặc CSV với tên ở cột đầu) để thêm làm đơn vị cấp tỉnh")
    imp.add_argument("--legacy", action="store_true",
                     help="thêm cả các tỉnh và huyện trước ngày 01/7/2025 đã hợp thành tỉnh này (hết hiệu lực 30/6/2025, có đơn vị kế thừa)")
    imp.add_argument("--prefix", metavar="TIỀN_TỐ", help="tiền tố của mã đơn vị mới (mặc định: chữ cái đầu tên tỉnh, ví dụ tn)")
    imp.add_argument("--dry-run", action="store_true", help="chỉ liệt kê đơn vị sẽ thêm, không ghi tệp")
    add_root(imp)
    imp.set_defaults(func=run_import)

    add = actions.add_parser("add", help="thêm một đơn vị (kèm liên hệ, tài khoản); hỏi từng mục nếu thiếu",
                             description="Thêm một đơn vị vào cuối danh mục. Thiếu mục bắt buộc thì lệnh hỏi từng mục (bằng tiếng Việt). "
                                         "Với --admin-code, mã được đối chiếu với danh mục chính thức; tên, cấp, loại đơn vị lấy từ mã "
                                         "nếu không ghi. Ngày ghi dạng dd/mm/yyyy.",
                             epilog="Ví dụ: sangkien units add --admin-code 25588 --account haoduoc-tayninh --email ubnd-haoduoc@tayninh.gov.vn\n"
                                    "       sangkien units add --id tn-so-noi-vu --name \"Sở Nội vụ tỉnh Tây Ninh\" --kind so-nganh --level tinh "
                                    "--parent tn-ubnd-tinh-moi --account snv-tayninh",
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    add.add_argument("--id", metavar="MÃ", help="mã đơn vị (chữ thường không dấu, số, gạch nối), dùng làm tên thư mục nộp bài")
    add.add_argument("--name", metavar="TÊN", help="tên đơn vị, ví dụ \"UBND xã Hảo Đước\"")
    add.add_argument("--official-name", metavar="TÊN", help="tên chính thức trên văn bản, ví dụ \"Ủy ban nhân dân xã Hảo Đước\"")
    add.add_argument("--kind", metavar="LOẠI", help="loại đơn vị: " + ", ".join(KINDS))
    add.add_argument("--level", metavar="CẤP", help="cấp: tinh, huyen (đến 30/6/2025), xa")
    add.add_argument("--parent", metavar="MÃ", help="mã đơn vị cấp trên trong danh mục")
    add.add_argument("--admin-code", metavar="MÃ_HC", help="mã đơn vị hành chính chính thức (tỉnh 2, huyện 3, xã 5 chữ số)")
    add.add_argument("--email", metavar="HỘP_THƯ", help="hộp thư công vụ của cơ quan (không ghi hộp thư cá nhân)")
    add.add_argument("--phone", metavar="SỐ", help="số tổng đài của cơ quan")
    add.add_argument("--address", metavar="ĐỊA_CHỈ", help="địa chỉ trụ sở")
    add.add_argument("--website", metavar="URL", help="trang thông tin điện tử (https://...)")
    add.add_argument("--account", action="append", default=[], metavar="TÀI_KHOẢN",
                     help="tài khoản Git được nộp bài thay mặt đơn vị (ghi nhiều lần được)")
    add.add_argument("--valid-from", metavar="NGÀY", help="ngày bắt đầu hoạt động, dd/mm/yyyy")
    add.add_argument("--valid-to", metavar="NGÀY", help="ngày cuối cùng hoạt động, dd/mm/yyyy (ví dụ 30/06/2025)")
    add.add_argument("--successor", metavar="MÃ", help="mã đơn vị kế thừa trong danh mục")
    add.add_argument("--no-input", action="store_true", help="không hỏi: thiếu mục bắt buộc thì báo lỗi")
    add_root(add)
    add.set_defaults(func=run_add)

    acc = actions.add_parser("accounts", help="ghi tài khoản nộp bài cho một đơn vị đã có (ví dụ xã vừa nhập)",
                             description="Thêm tài khoản Git được nộp bài thay mặt một đơn vị đã có trong danh mục; chỉ sửa dòng accounts "
                                         "của đơn vị đó.",
                             epilog="Ví dụ: sangkien units accounts tn-hao-duoc haoduoc-tayninh")
    acc.add_argument("unit", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị trong danh mục")
    acc.add_argument("accounts", nargs="+", metavar="TÀI_KHOẢN", help="tài khoản cần thêm")
    add_root(acc)
    acc.set_defaults(func=run_accounts)
    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _guard(args: argparse.Namespace, body: Callable[[argparse.Namespace], int]) -> int:
    from sangkien.commands.new import NoMoreAnswers

    try:
        return int(body(args))
    except NoMoreAnswers:
        print("Đã dừng: đầu vào kết thúc trước khi trả lời hết các câu hỏi. Chưa ghi gì. "
              "Chạy lại lệnh và trả lời từng câu, hoặc ghi đủ --id, --name, --kind, --level.", file=sys.stderr)
        return 2
    except UnitsError as err:
        reporters.show(err.problems)
        return 1
    except DatasetUnavailable as err:
        reporters.show([problem("SK334", layout.UNITS_FILE, 1, 1, f"không đọc được danh mục đơn vị hành chính chính thức: {err}.")])
        return 1


def run_import(args: argparse.Namespace) -> int:
    return _guard(args, _import)


def run_add(args: argparse.Namespace) -> int:
    return _guard(args, _add)


def run_accounts(args: argparse.Namespace) -> int:
    return _guard(args, _accounts)


def _root(args: argparse.Namespace) -> Path:
    root: Path = (args.root or find_root()).resolve()
    if not (root / layout.ENTRIES).is_dir():
        raise refuse("SK901", f"không thấy thư mục entries/ trong {root}.", "Chạy lệnh trong kho sáng kiến, hoặc ghi --root <thư mục kho>.")
    return root


# ---------------------------------------------------------------- import
def _import(args: argparse.Namespace) -> int:
    root = _root(args)
    reg = read_registry(root)
    province = adminunits.find_province(args.province)
    if province is None:
        names = ", ".join(f"{p.short} ({p.code})" for p in adminunits.provinces())
        raise refuse("SK910", f"không có tỉnh, thành phố «{args.province}» trong danh mục từ ngày 01/7/2025.",
                      f"{CODES['SK910'].fix} Các tỉnh, thành phố: {names}.")
    prefix = (args.prefix or prefix_of(province)).strip()
    if not layout.SLUG.match(prefix) or len(prefix) > 20:
        raise refuse("SK911", f"tiền tố «{prefix}» không dùng được làm mã.", "Ghi --prefix bằng chữ thường không dấu, số và gạch nối, ví dụ tn.")
    departments = _read_departments(args.departments) if args.departments else []
    plan = Plan(taken=reg.ids())

    # the province's committee
    head = reg.by_code(province.code, NEW)
    if head is None:
        name, official_name = committee_names(province)
        head_id = unique_id([f"{prefix}-ubnd-tinh", f"{prefix}-ubnd-tinh-moi", f"{prefix}-ubnd-tinh-{province.code}"], plan.taken)
        head = {"id": head_id, "name": name, "official_name": official_name, "kind": "ubnd-tinh", "level": "tinh",
                "admin_code": province.code, "valid_from": REFORM, "accounts": []}
        plan.add(head, "UBND tỉnh")
    else:
        plan.kept.append((f"{province.name} (mã {province.code})", str(head["id"])))
    head_id = str(head["id"])

    def commune(official: Official, unit_id: str) -> dict[str, Any]:
        name, official_name = committee_names(official)
        return {"id": unit_id, "name": name, "official_name": official_name, "kind": "ubnd-xa", "level": "xa", "parent": head_id,
                "admin_code": official.code, "valid_from": REFORM, "accounts": []}

    plan_units(adminunits.communes(province.code), prefix, reg, plan, NEW, commune, "xã, phường, đặc khu")

    for dept in departments:
        slug = clip_id(f"{prefix}-{slugify(_without_place(dept, province))}")
        same = reg.by_id(slug)
        twin = next((u for u in reg.units if u.get("parent") == head_id and fold(str(u.get("name", ""))) == fold(dept)), None)
        if twin is None and same is not None and fold(str(same.get("name", ""))) == fold(dept):
            twin = same
        if twin is not None:
            plan.kept.append((dept, str(twin.get("id"))))
            continue
        plan.add({"id": unique_id([slug, f"{slug}-{province.code}"], plan.taken), "name": dept, "kind": "so-nganh", "level": "tinh",
                  "parent": head_id, "accounts": []}, "sở, ngành")

    if args.legacy:
        _legacy(province, head_id, reg, plan)

    heading = (f"Nhập bằng «sangkien units import» ngày {vntime.show_date(vntime.local_date(settings.now()))} từ danh mục đơn vị "
               f"hành chính chính thức (vietnamadminunits {adminunits.version()}): {province.name}.")
    expected = dict(reg.data)
    expected["units"] = [*reg.data["units"], *plan.added]
    new_text = splice(reg.text, plan.added, heading) if plan.added else reg.text
    if plan.added:
        check_same(new_text, expected)

    out = sys.stdout
    what = (f"{province.name} (mã {province.code}): {len(adminunits.communes(province.code))} xã, phường, đặc khu trong danh mục chính thức "
            "từ ngày 01/7/2025.")
    print(what, file=out)
    if args.dry_run:
        print(f"Chạy thử (--dry-run): sẽ thêm {len(plan.added)} đơn vị, giữ nguyên {len(plan.kept)} đơn vị đã có; chưa ghi gì.", file=out)
        for item in plan.added:
            code = f" — mã {item['admin_code']}" if item.get("admin_code") else ""
            until = f", đến hết ngày {vntime.show_date(date.fromisoformat(item['valid_to']))}" if item.get("valid_to") else ""
            print(f"  + {item['id']}: {item['name']}{code}{until}", file=out)
        for name, unit_id in plan.kept:
            print(f"  = {name}: đã có ({unit_id}), giữ nguyên", file=out)
        return 0
    if not plan.added:
        print(f"Không có đơn vị mới: {len(plan.kept)} đơn vị đã có trong {layout.UNITS_FILE}, giữ nguyên. Không ghi gì.", file=out)
        return 0
    warnings = commit(reg, new_text)
    parts = "; ".join(f"{n} {group}" for group, n in plan.groups.items())
    print(f"Đã thêm {len(plan.added)} đơn vị vào {layout.UNITS_FILE}: {parts}.", file=out)
    if plan.kept:
        shown = ", ".join(unit_id for _, unit_id in plan.kept[:10]) + (" …" if len(plan.kept) > 10 else "")
        print(f"Giữ nguyên {len(plan.kept)} đơn vị đã có: {shown}.", file=out)
    reporters.show(warnings, out)
    _after_write(root, out)
    print("Đơn vị mới chưa có tài khoản nộp bài (accounts: []): ghi tài khoản cho từng đơn vị bằng "
          "«sangkien units accounts <mã đơn vị> <tài khoản>», liên hệ công vụ bằng cách sửa tệp khi có.", file=out)
    return 0


def _after_write(root: Path, out: Any) -> None:
    print("Tệp vẫn hợp lệ. Nhớ commit tệp này.", file=out)
    if any((root / name).is_file() for name in (".github/CODEOWNERS", ".gitlab/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")):
        print("Kho có tệp CODEOWNERS: chạy «sangkien codeowners» để cập nhật rồi commit cùng danh mục.", file=out)


def _without_place(name: str, province: Official) -> str:
    """«Sở Nội vụ tỉnh Tây Ninh» -> «Sở Nội vụ» (the id does not repeat the province)."""
    words = name.split()
    tail = province.short.split()
    if len(words) > len(tail) and [fold(w) for w in words[-len(tail):]] == [fold(w) for w in tail]:
        words = words[:-len(tail)]
        if words and fold(words[-1]) in ("tinh", "thanh pho", "tp"):
            words = words[:-1]
        elif len(words) > 1 and fold(" ".join(words[-2:])) == "thanh pho":
            words = words[:-2]
    return " ".join(words) or name


def _read_departments(path: Path) -> list[str]:
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise refuse("SK914", f"không đọc được tệp «{shown}» ({err.strerror or err}).", file=shown) from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise refuse("SK914", f"tệp «{shown}» không phải mã UTF-8.", CODES["SK001"].fix, file=shown) from err
    names: list[str] = []
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        name = nfc(row[0]).strip() if row else ""
        if not name or name.startswith("#"):
            continue
        if n == 1 and fold(name) in ("ten", "ten don vi", "ten so nganh", "name"):
            continue  # a CSV header
        if not 2 <= len(name) <= 200 or not any(ch.isalpha() for ch in name):
            raise refuse("SK914", f"dòng {n} của tệp «{shown}»: «{name[:60]}» không phải tên sở, ngành.", file=shown, line=n)
        if fold(name) not in (fold(x) for x in names):
            names.append(name)
    if not names:
        raise refuse("SK914", f"tệp «{shown}» không có tên sở, ngành nào.", file=shown)
    return names


def _legacy(province: Official, head_id: str, reg: Registry, plan: Plan) -> None:
    """The pre-reform provinces that formed `province`, and their districts, ended 30/06/2025."""
    for old in adminunits.formed_from(province):
        prefix = prefix_of(old)
        kept = reg.by_code(old.code, LEGACY)
        if kept is not None:
            plan.kept.append((f"{old.name} (mã cũ {old.code})", str(kept.get("id"))))
            old_id = str(kept["id"])
        else:
            name, official_name = committee_names(old)
            old_id = unique_id([f"{prefix}-ubnd-tinh", f"{prefix}-ubnd-tinh-cu", f"{prefix}-ubnd-tinh-{old.code}"], plan.taken)
            plan.add({"id": old_id, "name": name, "official_name": official_name, "kind": "ubnd-tinh", "level": "tinh",
                      "admin_code": old.code, "valid_to": LAST_LEGACY, "successor": head_id, "accounts": []},
                     "UBND tỉnh trước ngày 01/7/2025")

        def district(official: Official, unit_id: str, parent: str = old_id) -> dict[str, Any]:
            name, official_name = committee_names(official)
            return {"id": unit_id, "name": name, "official_name": official_name, "kind": "ubnd-huyen", "level": "huyen",
                    "parent": parent, "admin_code": official.code, "valid_to": LAST_LEGACY, "successor": head_id, "accounts": []}

        plan_units(adminunits.districts(old.code), prefix, reg, plan, LEGACY, district, "huyện, thị xã, thành phố trước ngày 01/7/2025")


# ---------------------------------------------------------------- add
ASK = [("id", "Mã đơn vị (chữ thường không dấu, số, gạch nối, ví dụ tn-so-noi-vu)"),
       ("name", "Tên đơn vị (ví dụ Sở Nội vụ tỉnh Tây Ninh)"),
       ("kind", "Loại đơn vị"), ("level", "Cấp hành chính")]
KIND_VI = {"ubnd-tinh": "UBND tỉnh", "so-nganh": "Sở, ban, ngành cấp tỉnh", "ubnd-huyen": "UBND cấp huyện (đến 30/6/2025)",
           "phong-ban": "Phòng, ban chuyên môn", "ubnd-xa": "UBND xã, phường, đặc khu", "don-vi-su-nghiep": "Đơn vị sự nghiệp công lập",
           "khac": "Khác"}
LEVEL_VI = {"tinh": "Cấp tỉnh", "huyen": "Cấp huyện (đến 30/6/2025)", "xa": "Cấp xã"}


def _typed(value: str | None, label: str) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return vntime.parse_typed_date(value).isoformat()
    except vntime.TypedDateError as err:
        raise refuse("SK911", f"{label}: {err}") from err


def _official(code: str, valid_from: str | None, valid_to: str | None) -> tuple[Official, Period]:
    """The official unit of a typed code, in the list of the unit's period; SK911 says why not."""
    if not re.fullmatch(r"[0-9]{2,5}", code):
        raise refuse("SK911", f"mã đơn vị hành chính «{code}» phải gồm 2 (tỉnh), 3 (huyện) hoặc 5 (xã) chữ số.")
    which = adminunits.period_of(day_of(valid_from), day_of(valid_to))
    official = adminunits.lookup(code, which)
    if official is None:
        other = adminunits.lookup(code, LEGACY if which == NEW else NEW)
        hint = (f" Mã {code} là mã cũ của {other.name}: đơn vị đã kết thúc thì ghi ngày kết thúc 30/06/2025 (--valid-to)."
                if other is not None and which == NEW else f" Mã {code} là mã từ 01/7/2025 của {other.name}." if other is not None else "")
        raise refuse("SK911", f"mã {code} không có trong danh mục đơn vị hành chính "
                               f"{'từ ngày 01/7/2025' if which == NEW else 'trước ngày 01/7/2025'}.{hint}", CODES["SK330"].fix)
    return official, which


def _add(args: argparse.Namespace) -> int:
    root = _root(args)
    reg = read_registry(root)
    given: dict[str, Any] = {
        "id": args.id, "name": args.name, "official_name": args.official_name, "kind": args.kind, "level": args.level,
        "parent": args.parent, "admin_code": (args.admin_code or "").strip() or None,
        "valid_from": _typed(args.valid_from, "ngày bắt đầu (--valid-from)"), "valid_to": _typed(args.valid_to, "ngày kết thúc (--valid-to)"),
        "successor": args.successor, "email": args.email, "phone": args.phone, "address": args.address, "website": args.website,
        "accounts": [a.strip().lstrip("@") for a in args.account if a.strip()]}
    official: Official | None = None
    if given["admin_code"]:
        official, which = _official(given["admin_code"], given["valid_from"], given["valid_to"])
        _from_official(official, which, reg, given)
    if not args.no_input and any(not given.get(k) for k, _ in ASK):
        official = _ask(given, reg, official)
    missing = [label for key, label in ASK if not given.get(key)]
    if missing:
        raise refuse("SK911", "thiếu " + "; ".join(m.split(" (")[0].lower() for m in missing) + ".",
                      "Ghi đủ --id, --name, --kind, --level (hoặc --admin-code để lấy từ danh mục chính thức), hoặc chạy lệnh không có --no-input để được hỏi.")
    item = _item(given, official, reg)
    if official is not None and not any(adminunits.name_matches(str(n), official) for n in (item["name"], item.get("official_name", ""))):
        print(f"Lưu ý: tên «{item['name']}» không nêu {official.name} (mã {official.code}).")
    expected = dict(reg.data)
    expected["units"] = [*reg.data["units"], item]
    new_text = splice(reg.text, [item])
    check_same(new_text, expected)
    warnings = commit(reg, new_text)
    accounts = ", ".join(item["accounts"]) if item["accounts"] else "chưa có tài khoản nộp bài"
    print(f"Đã thêm đơn vị {item['id']} ({item['name']}; {accounts}) vào {layout.UNITS_FILE}.")
    reporters.show(warnings, sys.stdout)
    _after_write(root, sys.stdout)
    return 0


def _item(given: dict[str, Any], official: Official | None, reg: Registry) -> dict[str, Any]:
    """The new unit, in the order of the hand-written registry; SK911 for what cannot be right."""
    _check_given(given, reg)
    valid_from, valid_to = given.get("valid_from"), given.get("valid_to")
    if official is not None and adminunits.period_of(None, day_of(valid_to)) == NEW and not valid_from and not valid_to:
        valid_from = REFORM  # a post-reform code: the unit exists since 01/07/2025
    if valid_from and valid_to and valid_to < valid_from:
        raise refuse("SK911", "ngày kết thúc (--valid-to) trước ngày bắt đầu (--valid-from).")
    if official is not None and (twin := reg.by_code(official.code, adminunits.period_of(None, day_of(valid_to)))) is not None:
        raise refuse("SK911", f"mã đơn vị hành chính {official.code} ({official.name}) đã là mã của đơn vị «{twin.get('id')}» trong danh mục.",
                      f"Không thêm trùng; muốn thêm tài khoản cho đơn vị đó thì dùng: sangkien units accounts {twin.get('id')} <tài khoản>.")
    item: dict[str, Any] = {"id": given["id"], "name": given["name"]}
    if given.get("official_name"):
        item["official_name"] = given["official_name"]
    item["kind"], item["level"] = given["kind"], given["level"]
    if given.get("parent"):
        item["parent"] = given["parent"]
    if official is not None:
        item["admin_code"] = official.code
    if valid_from:
        item["valid_from"] = valid_from
    if valid_to:
        item["valid_to"] = valid_to
    if given.get("successor"):
        if reg.by_id(str(given["successor"])) is None:
            raise refuse("SK911", f"đơn vị kế thừa «{given['successor']}» không có trong danh mục.",
                          "Ghi --successor là mã một đơn vị đã có trong danh mục.")
        item["successor"] = given["successor"]
    contact = {k: str(given[k]).strip() for k in ("email", "phone", "address", "website") if given.get(k) and str(given[k]).strip()}
    if contact:
        if "email" not in contact:
            raise refuse("SK911", "liên hệ công vụ cần có hộp thư cơ quan (--email) khi ghi số điện thoại, địa chỉ hay trang thông tin.")
        item["contact"] = contact
    item["accounts"] = list(dict.fromkeys(given.get("accounts") or []))
    return item


def _from_official(official: Official, which: Period, reg: Registry, given: dict[str, Any]) -> None:
    """Fill what the official unit says and the person did not give: names, kind, level, parent, id."""
    name, official_name = committee_names(official)
    kind = {"tinh": "ubnd-tinh", "huyen": "ubnd-huyen", "xa": "ubnd-xa"}[official.level]
    given["kind"] = given.get("kind") or kind
    given["level"] = given.get("level") or official.level
    if given.get("kind") == kind:
        given["name"] = given.get("name") or name
        given["official_name"] = given.get("official_name") or official_name
    if not given.get("parent") and official.level != "tinh":
        parent_code = official.district if official.level == "xa" and official.district else official.province
        parent = reg.by_code(parent_code, which) or reg.by_code(official.province, which)
        if parent is not None:
            given["parent"] = parent.get("id")
    if not given.get("id") and given.get("kind") == kind:
        province = adminunits.lookup(official.province, which)
        prefix = prefix_of(province) if province is not None else "dv"
        own = "ubnd-tinh" if official.level == "tinh" else slugify(official.short)
        given["id"] = unique_id([clip_id(f"{prefix}-{own}"), clip_id(f"{prefix}-{slugify(official.type)}-{slugify(official.short)}"),
                               clip_id(f"{prefix}-{own}-{official.code}")], reg.ids())


def _ask(given: dict[str, Any], reg: Registry, official: Official | None) -> Official | None:
    """Ask, one line each, what the flags did not give: the official code first (which fills the
    names, kind, level, parent and id), then the required fields, then the optional ones."""
    from sangkien.commands.new import Asker

    asker = Asker()
    if official is None and not given.get("admin_code"):
        given["admin_code"] = asker.line("Mã đơn vị hành chính (UBND tỉnh 2 chữ số, xã 5 chữ số; Enter để bỏ qua): ") or None
    while official is None and given.get("admin_code"):
        try:
            official, which = _official(str(given["admin_code"]), given.get("valid_from"), given.get("valid_to"))
        except UnitsError as err:
            other = adminunits.lookup(str(given["admin_code"]), LEGACY) if not given.get("valid_to") else None
            if other is not None and asker.yes_no(f"  Mã {given['admin_code']} là mã cũ của {other.name}. Đơn vị đã kết thúc ngày 30/06/2025?", False):
                given["valid_to"] = LAST_LEGACY
                continue
            asker.wrong(err.problems[0].detail)
            given["admin_code"] = asker.line("Mã đơn vị hành chính (Enter để bỏ qua): ") or None
            continue
        asker.say(f"  → {official.name} ({'từ 01/7/2025' if which == NEW else 'trước 01/7/2025'}).")
        _from_official(official, which, reg, given)
        break
    if not given.get("id"):
        while not layout.SLUG.match(answer := asker.line(f"{ASK[0][1]}: ")) or reg.by_id(answer) is not None:
            asker.wrong(f"Mã «{answer}» đã có trong danh mục." if reg.by_id(answer) is not None
                        else "Mã chỉ gồm chữ thường không dấu, số và gạch nối, ví dụ tn-so-noi-vu.")
        given["id"] = answer
    if not given.get("name"):
        while len(answer := asker.line(f"{ASK[1][1]}: ")) < 2:
            asker.wrong("Ghi tên đầy đủ của đơn vị.")
        given["name"] = answer
    if not given.get("official_name"):
        given["official_name"] = asker.line("Tên chính thức trên văn bản, ví dụ Ủy ban nhân dân xã Hảo Đước (Enter để dùng tên đơn vị): ") or None
    if not given.get("kind"):
        given["kind"] = asker.choose(ASK[2][1], [(k, KIND_VI[k]) for k in KINDS])[0]
    if not given.get("level"):
        given["level"] = asker.choose(ASK[3][1], [(k, LEVEL_VI[k]) for k in LEVELS])[0]
    if not given.get("parent"):
        while (answer := asker.line("Mã đơn vị cấp trên (Enter để bỏ qua): ")) and reg.by_id(answer) is None:
            asker.wrong(f"«{answer}» không có trong danh mục; ghi mã (id) một đơn vị đã có.")
        given["parent"] = answer or None
    if not given.get("email"):
        given["email"] = asker.line("Hộp thư công vụ của cơ quan (Enter để bỏ qua): ") or None
    if not given.get("accounts"):
        answer = asker.line("Tài khoản Git được nộp bài, cách nhau bằng dấu phẩy (Enter nếu chưa có): ")
        given["accounts"] = [a.strip().lstrip("@") for a in answer.split(",") if a.strip()]
    for key, label in (("valid_from", "Ngày bắt đầu hoạt động"), ("valid_to", "Ngày cuối cùng hoạt động")):
        if given.get(key) or (key == "valid_from" and official is not None):
            continue
        while True:
            answer = asker.line(f"{label}, dd/mm/yyyy (Enter để bỏ qua): ")
            try:
                given[key] = vntime.parse_typed_date(answer).isoformat() if answer else None
                break
            except vntime.TypedDateError as err:
                asker.wrong(str(err))
    if given.get("valid_to") and not given.get("successor"):
        while (answer := asker.line("Mã đơn vị kế thừa (Enter để bỏ qua): ")) and reg.by_id(answer) is None:
            asker.wrong(f"«{answer}» không có trong danh mục; ghi mã (id) một đơn vị đã có.")
        given["successor"] = answer or None
    return official


def _check_given(given: dict[str, Any], reg: Registry) -> None:
    unit_id = str(given["id"])
    if not layout.SLUG.match(unit_id) or not 2 <= len(unit_id) <= 80:
        raise refuse("SK911", f"mã đơn vị «{unit_id}» không hợp lệ.")
    if reg.by_id(unit_id) is not None:
        raise refuse("SK911", f"mã đơn vị «{unit_id}» đã có trong danh mục.",
                      "Chọn mã khác; muốn thêm tài khoản cho đơn vị đã có thì dùng: sangkien units accounts " + unit_id + " <tài khoản>.")
    if given["kind"] not in KINDS:
        raise refuse("SK911", f"loại đơn vị «{given['kind']}» không có trong danh sách.", "Chọn một trong: " + ", ".join(KINDS) + ".")
    if given["level"] not in LEVELS:
        raise refuse("SK911", f"cấp «{given['level']}» không có trong danh sách.", "Chọn một trong: tinh, huyen, xa.")
    parent = given.get("parent")
    if parent and reg.by_id(str(parent)) is None:
        raise refuse("SK911", f"đơn vị cấp trên «{parent}» không có trong danh mục.", "Ghi --parent là mã một đơn vị đã có trong danh mục.")


# ---------------------------------------------------------------- accounts
def _accounts(args: argparse.Namespace) -> int:
    root = _root(args)
    reg = read_registry(root)
    index = next((i for i, u in enumerate(reg.data["units"]) if isinstance(u, dict) and u.get("id") == args.unit), None)
    if index is None:
        raise refuse("SK911", f"đơn vị «{args.unit}» không có trong danh mục.", "Ghi đúng mã đơn vị (id) trong entries/units.yaml.")
    pattern = re.compile(schemas.load_schema(root, "units")["$defs"]["account"]["pattern"])
    wanted = [a.strip().lstrip("@") for a in args.accounts]
    bad = [a for a in wanted if not pattern.fullmatch(a)]
    if bad:
        raise refuse("SK911", f"tài khoản «{', '.join(bad)}» không hợp lệ.", "Ghi tên tài khoản trên máy chủ Git, không có @, ví dụ haoduoc-tayninh.")
    unit = reg.data["units"][index]
    current = [str(a) for a in unit.get("accounts") or []]
    fresh = [a for a in dict.fromkeys(wanted) if a.casefold() not in {c.casefold() for c in current}]
    if not fresh:
        print(f"Đơn vị {args.unit} đã có các tài khoản này; không ghi gì.")
        return 0
    parsed = yamlstrict.load(reg.text, layout.UNITS_FILE)
    line = parsed.where(("units", index, "accounts"))[0] if "accounts" in unit else 0
    lines = reg.text.split("\n")
    m = _FLOW_ACCOUNTS.match(lines[line - 1]) if line else None
    if m is None:
        raise refuse("SK912", f"dòng accounts của đơn vị «{args.unit}» không viết dạng một dòng accounts: [ ... ], nên chưa ghi gì.",
                      "Sửa tay trong tệp, hoặc viết lại dòng accounts dạng: accounts: [tai-khoan-1, tai-khoan-2] rồi chạy lại lệnh.")
    pad = m.group("pad")
    comment = f"  {m.group('comment')}" if m.group("comment") else ""
    lines[line - 1] = f"{pad}accounts: {yamlwrite.flow([*current, *fresh])}{comment}"
    new_text = "\n".join(lines)
    expected = dict(reg.data)
    expected["units"] = [dict(u) if i != index else {**u, "accounts": [*current, *fresh]} for i, u in enumerate(reg.data["units"])]
    check_same(new_text, expected)
    warnings = commit(reg, new_text)
    print(f"Đã ghi tài khoản {', '.join(fresh)} cho đơn vị {args.unit} vào {layout.UNITS_FILE}.")
    reporters.show(warnings, sys.stdout)
    _after_write(root, sys.stdout)
    return 0
