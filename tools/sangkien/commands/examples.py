"""`sangkien examples [--remove [--yes]]`: list, then remove, the illustrative data shipped with
the repository, so that a province's fork starts from its own campaigns only.

What is illustrative:
- a campaign whose campaign.yaml says `illustrative: true`: its whole folder (plan, council
  decisions, every unit's entries and attachments) goes, provided every entry in it is
  illustrative too (a real entry in a sample campaign stops the command: nothing is removed);
- an entry or nomination with `illustrative: true` in a campaign of the province: the file and
  the attachments it names that no other kept entry names;
- a replication record with `illustrative: true`;
- a unit of entries/units.yaml with `illustrative: true` that nothing kept refers to (by its id
  in any value of a kept file, as its folder, or as the parent or successor of a kept unit).
  If no unit would remain, one template unit (`don-vi-mau`, itself illustrative) keeps the
  registry valid until the province adds its own; a later run removes it.

The registry is spliced line by line (the comments and the kept units stay as written) and
written atomically; CODEOWNERS files that exist are regenerated from it.

Plan first, then delete: the whole result is built in a temporary copy and validated; if it would
have an error that the repository does not have now, nothing is touched. Deletions go leaves
first and the registry last, so an interrupted run leaves a valid repository that a second run
finishes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sangkien import atomic, layout, settings
from sangkien.checks.permissions import roles_from
from sangkien.commands import codeowners
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.reader import Document, read_markdown, read_yaml

TEMPLATE_ID = "don-vi-mau"
TEMPLATE_UNIT = f"""\
  # Đơn vị mẫu do «sangkien examples --remove» để lại cho danh mục hợp lệ (danh mục cần ít nhất
  # một đơn vị). Sửa thành đơn vị thật của cơ quan mình (bỏ dòng illustrative), hoặc thêm đơn vị
  # thật rồi chạy lại «sangkien examples --remove --yes» để bỏ đơn vị mẫu này.
  - id: {TEMPLATE_ID}
    name: Đơn vị mẫu (sửa thành tên đơn vị)
    kind: khac
    level: tinh
    contact:
      email: hopthu@example.gov.vn
    accounts: []
    illustrative: true
"""
CODEOWNERS_FILES = (Path(".github/CODEOWNERS"), Path(".gitlab/CODEOWNERS"))
CONFIRM_WORDS = {"có", "co", "c", "yes", "y"}


def register(sub: Subparsers) -> None:
    p = sub.add_parser("examples", help="liệt kê hoặc xóa dữ liệu minh họa đi kèm kho",
                       description="Liệt kê dữ liệu minh họa (các đợt, bài, hồ sơ nhân rộng, đơn vị ghi illustrative: true). "
                                   "Với --remove: xóa tất cả, để kho chỉ còn dữ liệu của cơ quan mình.")
    p.add_argument("--remove", action="store_true", help="xóa dữ liệu minh họa (hỏi xác nhận trước khi xóa)")
    p.add_argument("--yes", action="store_true", help="không hỏi lại: xóa ngay (dùng cùng --remove)")
    add_root(p)
    p.set_defaults(func=run)


# ---------------------------------------------------------------- the plan

@dataclass
class Plan:
    campaigns: dict[str, list[str]] = field(default_factory=dict)  # sample campaign -> its files
    titles: dict[str, str] = field(default_factory=dict)  # sample campaign -> title
    files: list[str] = field(default_factory=list)  # other files to delete (entries, attachments, replications)
    units: list[str] = field(default_factory=list)  # unit ids removed from the registry
    kept_units: list[str] = field(default_factory=list)  # sample units kept because something kept names them
    template: bool = False  # the template unit is written (no unit would remain otherwise)
    template_left: bool = False  # the template unit is all the registry has, and stays
    registry: str | None = None  # the new entries/units.yaml (None: unchanged)
    blockers: list[str] = field(default_factory=list)  # why nothing can be removed

    @property
    def deleted(self) -> list[str]:
        return sorted([*self.files, *(f for files in self.campaigns.values() for f in files)])

    @property
    def empty(self) -> bool:
        return not self.campaigns and not self.files and self.registry is None


def _read(root: Path, rel: str) -> Document | None:
    try:
        raw = (root / rel).read_bytes()
    except OSError:
        return None
    doc = read_markdown(raw, rel) if rel.endswith(".md") else read_yaml(raw, rel)
    return doc if doc.readable else None


def _data(doc: Document | None) -> dict[str, Any]:
    data = doc.data if doc is not None else None
    return data if isinstance(data, dict) else {}


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def make_plan(root: Path) -> Plan:
    plan = Plan()
    files, _links = layout.discover(root)
    places = {rel: layout.classify(rel) for rel in files}
    data: dict[str, dict[str, Any]] = {}
    for rel, place in places.items():
        if place.kind in ("campaign", "entry", "replication", "decisions", "abbreviations"):
            data[rel] = _data(_read(root, rel))

    sample_campaigns = {p.campaign for rel, p in places.items()
                        if p.kind == "campaign" and p.campaign and data[rel].get("illustrative") is True}
    doomed: set[str] = set()
    for campaign in sorted(sample_campaigns):
        inside = [rel for rel, p in places.items() if p.campaign == campaign and rel.startswith(f"{layout.ENTRIES}/{campaign}/")]
        real = [rel for rel in inside if places[rel].kind == "entry" and data[rel].get("illustrative") is not True]
        if real:
            plan.blockers += [f"Đợt {campaign} là đợt minh họa nhưng có bài không ghi illustrative: true: {rel}. "
                              "Cách sửa: chuyển bài sang đợt của cơ quan mình (hoặc xóa tay nếu cũng là bài mẫu), rồi chạy lại."
                              for rel in real]
            continue
        plan.campaigns[campaign] = sorted(inside)
        plan.titles[campaign] = str(data[f"{layout.ENTRIES}/{campaign}/{layout.CAMPAIGN_FILE}"].get("title", ""))
        doomed.update(inside)

    # Illustrative entries of the province's own campaigns, with the attachments only they name.
    named: dict[str, set[str]] = {}  # attachment path -> entries naming it
    for rel, place in places.items():
        if place.kind != "entry" or rel in doomed:
            continue
        folder = rel.rsplit("/", 1)[0]
        for item in data[rel].get("attachments") or []:
            if isinstance(item, dict) and isinstance(item.get("file"), str):
                named.setdefault(f"{folder}/{item['file']}", set()).add(rel)
    sample_entries = {rel for rel, p in places.items()
                      if p.kind in ("entry", "replication") and rel not in doomed and data[rel].get("illustrative") is True}
    for rel in sorted(sample_entries):
        plan.files.append(rel)
    for attachment, owners in sorted(named.items()):
        if attachment in places and owners <= sample_entries:
            plan.files.append(attachment)
    doomed.update(plan.files)

    _plan_units(root, plan, places, data, doomed)
    return plan


def _plan_units(root: Path, plan: Plan, places: dict[str, layout.Place], data: dict[str, dict[str, Any]], doomed: set[str]) -> None:
    registry_path = root / layout.UNITS_FILE
    try:
        text = registry_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        plan.blockers.append(f"Không đọc được {layout.UNITS_FILE}. Cách sửa: chạy «sangkien validate {layout.UNITS_FILE}» và sửa lỗi, rồi chạy lại.")
        return
    registry = _data(read_yaml(text.encode("utf-8"), layout.UNITS_FILE))
    units = [u for u in registry.get("units") or [] if isinstance(u, dict)]
    if not units:
        plan.blockers.append(f"{layout.UNITS_FILE} chưa đọc được hoặc không có mục units. Cách sửa: chạy «sangkien validate {layout.UNITS_FILE}» và sửa lỗi.")
        return
    # What the kept files name: every string value, and the unit folder of each kept file.
    named: set[str] = set()
    for rel, place in places.items():
        if rel in doomed or place.kind == "units":
            continue
        if place.unit:
            named.add(place.unit)
        named.update(_strings(data.get(rel, {})))
    sample = {str(u.get("id")) for u in units if u.get("illustrative") is True}
    kept = [u for u in units if str(u.get("id")) not in sample]
    # A sample unit named by a kept unit (parent, successor) or a kept file stays; to a fixed point.
    keep: set[str] = set()
    while True:
        names = set(named)
        for unit in kept + [u for u in units if str(u.get("id")) in keep]:
            names.update(s for key, value in unit.items() if key != "id" for s in _strings(value))
        more = {uid for uid in sample if uid in names} - keep
        if not more:
            break
        keep |= more
    removed = [str(u.get("id")) for u in units if str(u.get("id")) in sample - keep]
    if not removed:
        return
    plan.units = removed
    plan.kept_units = sorted(keep)
    plan.template = not kept and not keep
    if plan.template and removed == [TEMPLATE_ID]:  # only the template is left: nothing to do
        plan.units, plan.template, plan.template_left = [], False, True
        return
    new_text = splice_units(text, set(removed), TEMPLATE_UNIT if plan.template else None)
    if new_text is None:
        plan.blockers.append(f"Không sửa tự động được {layout.UNITS_FILE} (mục units không viết dạng danh sách «- id: …»). "
                             "Cách sửa: xóa tay các đơn vị ghi illustrative: true, rồi chạy lại.")
        return
    plan.registry = new_text


def splice_units(text: str, removed: set[str], template: str | None) -> str | None:
    """The registry without the units in `removed`, every other line as written. Comment lines
    above a unit belong to it. None if the units are not a block sequence at the top level."""
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    key, seq = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "units"), (None, None))
    if key is None or not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value:
        return None
    lines = text.splitlines(keepends=True)

    def content_end(start: int, stop: int) -> int:
        """The line after the last line of [start, stop) that is not blank or a comment."""
        last = start
        for i in range(start, stop):
            stripped = lines[i].strip()
            if stripped and not stripped.startswith("#"):
                last = i
        return last + 1

    starts = [item.start_mark.line for item in seq.value]
    seq_end = len(lines) if seq.end_mark.line >= len(lines) else seq.end_mark.line
    # Each item spans from the end of the previous item's content to the end of its own content.
    spans: list[tuple[int, int]] = []
    previous_end = starts[0]
    for index, start in enumerate(starts):
        stop = starts[index + 1] if index + 1 < len(starts) else seq_end
        end = content_end(start, stop)
        begin = previous_end if index else _leading_comments(lines, start)
        spans.append((begin, end))
        previous_end = end
    drop: set[int] = set()
    for item, (begin, end) in zip(seq.value, spans, strict=True):
        ident = next((v.value for k, v in item.value if isinstance(k, yaml.ScalarNode) and k.value == "id"
                      and isinstance(v, yaml.ScalarNode)), None) if isinstance(item, yaml.MappingNode) else None
        if ident in removed:
            drop.update(range(begin, end))
    out = [line for i, line in enumerate(lines) if i not in drop]
    if template is not None:
        out.insert(key.start_mark.line + 1, template)  # every dropped line comes after the key «units:»
    result = "".join(out)
    return result if result.endswith("\n") else result + "\n"


def _leading_comments(lines: list[str], start: int) -> int:
    """The first line of the comment block right above line `start` (the item's own comments)."""
    begin = start
    while begin > 0 and lines[begin - 1].strip().startswith("#"):
        begin -= 1
    return begin


# ---------------------------------------------------------------- applying it

def apply(root: Path, plan: Plan) -> list[str]:
    """Delete, leaves first, the registry last; returns the CODEOWNERS files rewritten."""
    for rel in sorted(plan.files, reverse=True):
        path = root / rel
        path.unlink(missing_ok=True)
        _prune(root, path.parent)
    for campaign in plan.campaigns:
        shutil.rmtree(root / layout.ENTRIES / campaign, ignore_errors=False)
    written: list[str] = []
    if plan.registry is not None:
        atomic.write_text(root / layout.UNITS_FILE, plan.registry)
        roles = roles_from(read_yaml(plan.registry.encode("utf-8"), layout.UNITS_FILE).data)
        for target in CODEOWNERS_FILES:
            if (root / target).exists():
                atomic.write_text(root / target, codeowners.render(roles))
                written.append(target.as_posix())
    return written


def _prune(root: Path, folder: Path) -> None:
    """Remove folders left empty under entries/ (a unit's folder, a replication folder)."""
    top = (root / layout.ENTRIES).resolve()
    folder = folder.resolve()
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def check_result(root: Path, plan: Plan) -> list[str]:
    """Errors the repository would have after the plan and does not have now (empty: safe)."""
    from sangkien import validator  # the whole pipeline: imported only when a plan is checked

    with tempfile.TemporaryDirectory(prefix="sangkien-minh-hoa-") as tmp:
        copy = Path(tmp)
        shutil.copytree(root / layout.ENTRIES, copy / layout.ENTRIES, symlinks=True)
        if (root / "schema").is_dir():
            shutil.copytree(root / "schema", copy / "schema")
        apply(copy, plan)
        before = {(p.code, p.file) for p in validator.validate(root).errors}
        was_on = settings.cache_enabled()
        settings.disable_cache()  # the copy is thrown away: no cache written for it or read from elsewhere
        try:
            after = validator.validate(copy).errors
        finally:
            if was_on:
                settings.enable_cache()
    return [f"{p.file}: {p.code} {p.message}" for p in after if (p.code, p.file) not in before]


# ---------------------------------------------------------------- the command

def describe(plan: Plan) -> list[str]:
    lines: list[str] = []
    for campaign, files in plan.campaigns.items():
        entries = sum(1 for f in files if f.endswith(".md"))
        title = f" — {plan.titles[campaign]}" if plan.titles.get(campaign) else ""
        lines.append(f"  • Đợt minh họa {campaign}{title}: cả thư mục {layout.ENTRIES}/{campaign}/ ({len(files)} tệp, trong đó {entries} bài)")
    if plan.files:
        lines.append(f"  • {len(plan.files)} tệp minh họa khác (bài, tệp kèm theo, hồ sơ nhân rộng):")
        lines += [f"      {rel}" for rel in sorted(plan.files)]
    if plan.units:
        shown = ", ".join(plan.units[:12]) + (f" và {len(plan.units) - 12} đơn vị khác" if len(plan.units) > 12 else "")
        lines.append(f"  • {len(plan.units)} đơn vị minh họa trong {layout.UNITS_FILE}: {shown}")
    if plan.kept_units:
        lines.append(f"  • Giữ lại {len(plan.kept_units)} đơn vị minh họa vì dữ liệu còn lại nhắc tới: {', '.join(plan.kept_units)}")
    if plan.template:
        lines.append(f"  • Danh mục không còn đơn vị thật nào: thêm một đơn vị mẫu «{TEMPLATE_ID}» để danh mục hợp lệ "
                     "(sửa thành đơn vị của cơ quan mình, hoặc thêm đơn vị thật rồi chạy lại lệnh này)")
    return lines


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        answer = input("Xóa các dữ liệu trên? Gõ «có» rồi Enter để xóa, Enter để thôi: ")
    except EOFError:
        return False
    return answer.strip().casefold() in CONFIRM_WORDS


def _demo_accounts(root: Path) -> list[str]:
    data = _data(_read(root, layout.UNITS_FILE))
    found: list[str] = []
    for key in ("organisers", "council"):
        found += [f"{a} ({key})" for a in data.get(key) or [] if isinstance(a, str) and a.casefold().endswith("-demo")]
    return found


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    if not (root / layout.ENTRIES).is_dir():
        print(f"Không thấy thư mục {layout.ENTRIES}/ ở {root}. Cách sửa: chạy lệnh ở thư mục gốc của kho, hoặc dùng --root.", file=sys.stderr)
        return 2
    if args.yes and not args.remove:
        print("--yes chỉ dùng cùng --remove: «sangkien examples --remove --yes».", file=sys.stderr)
        return 2
    plan = make_plan(root)
    if plan.blockers:
        print("Chưa xóa gì: dữ liệu minh họa lẫn với dữ liệu thật.", file=sys.stderr)
        for line in plan.blockers:
            print(f"  • {line}", file=sys.stderr)
        return 1
    if plan.empty:
        left = f" (chỉ còn đơn vị mẫu «{TEMPLATE_ID}» trong {layout.UNITS_FILE}, giữ cho đến khi có đơn vị thật)" if plan.template_left else ""
        print(f"Kho không còn dữ liệu minh họa nào{left}.")
        return 0
    print(f"Dữ liệu minh họa trong kho ({len(plan.deleted)} tệp):" if plan.deleted else "Dữ liệu minh họa trong kho:")
    print("\n".join(describe(plan)))
    if not args.remove:
        print("\nĐể xóa: sangkien examples --remove (hỏi xác nhận) hoặc sangkien examples --remove --yes.")
        return 0
    problems = check_result(root, plan)
    if problems:
        print("\nChưa xóa gì: sau khi xóa, kho sẽ có lỗi mới (dữ liệu còn lại nhắc tới dữ liệu minh họa):", file=sys.stderr)
        for line in problems[:20]:
            print(f"  • {line}", file=sys.stderr)
        if len(problems) > 20:
            print(f"  … và {len(problems) - 20} lỗi khác.", file=sys.stderr)
        print("Cách sửa: bỏ các chỗ nhắc tới bài, đợt hay đơn vị minh họa trong dữ liệu của cơ quan mình, rồi chạy lại.", file=sys.stderr)
        return 1
    if not args.yes and not _confirmed():
        print("\nChưa xóa gì. Xác nhận bằng cách chạy lại với --yes: sangkien examples --remove --yes")
        return 1
    written = apply(root, plan)
    print(f"\nĐã xóa {len(plan.deleted)} tệp minh họa" + (f" và {len(plan.units)} đơn vị minh họa khỏi {layout.UNITS_FILE}" if plan.units else "") + ".")
    for target in written:
        print(f"Đã ghi lại {target} theo danh mục đơn vị mới.")
    accounts = _demo_accounts(root)
    if accounts:
        print(f"Còn phải làm: thay các tài khoản minh họa trong {layout.UNITS_FILE} bằng tài khoản thật: {', '.join(accounts)}"
              + (", rồi chạy «sangkien codeowners»." if written else "."))
    print("Kiểm tra lại: sangkien validate && mkdocs build; rồi đưa thay đổi vào Git (git add -A entries .github .gitlab && git commit).")
    return 0
