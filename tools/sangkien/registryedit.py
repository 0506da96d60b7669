"""Editing the organiser's registry of units (entries/units.yaml) without hand-editing YAML: read
it as it is, plan new units from the official list with stable, readable ids, append them at the
end of the `units:` list by a text splice (every other byte of the file, comments included,
stays), check that the result parses to exactly the old data plus the new units, write
atomically and validate again; if the registry would have an error, the old bytes are put back.

Used by `sangkien units import / add / accounts` (commands/units.py asks, plans and reports).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sangkien import adminunits, atomic, layout, yamlstrict, yamlwrite
from sangkien.adminunits import Official, Period
from sangkien.codes import CODES, problem
from sangkien.problems import Problem
from sangkien.textnorm import slugify
from sangkien.validator import validate

_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?P<rest>[ \t].*|)$")


class UnitsError(Exception):
    """A refusal: coded Vietnamese problems, printed as `sangkien validate` prints them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def refuse(code: str, what: str, fix: str | None = None, file: str = layout.UNITS_FILE, line: int = 1) -> UnitsError:
    return UnitsError([problem(code, file, line, 1, what, fix)])


# ---------------------------------------------------------------- the registry as it is
@dataclass
class Registry:
    root: Path
    text: str
    original: bytes
    data: dict[str, Any]
    units: list[dict[str, Any]]

    def ids(self) -> set[str]:
        return {str(u.get("id")) for u in self.units}

    def by_id(self, unit_id: str) -> dict[str, Any] | None:
        return next((u for u in self.units if u.get("id") == unit_id), None)

    def by_code(self, code: str, which: Period) -> dict[str, Any] | None:
        for unit in self.units:
            if unit.get("admin_code") == code and adminunits.period_of(None, day_of(unit.get("valid_to"))) == which:
                return unit
        return None


def day_of(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def read_registry(root: Path) -> Registry:
    path = root / layout.UNITS_FILE
    if not path.is_file():
        raise refuse("SK901", f"chưa có tệp {layout.UNITS_FILE}.", "Tạo danh mục đơn vị (sao chép từ kho mẫu) rồi chạy lại lệnh.")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as err:
        raise refuse("SK912", "tệp không phải mã UTF-8.", CODES["SK001"].fix) from err
    parsed = yamlstrict.load(text, layout.UNITS_FILE)
    if parsed.problems or not isinstance(parsed.data, dict) or not isinstance(parsed.data.get("units"), list):
        raise UnitsError([problem("SK912", layout.UNITS_FILE, 1, 1, "tệp đang có lỗi hoặc thiếu danh sách units:, nên chưa ghi gì."),
                          *parsed.problems])
    units = [u for u in parsed.data["units"] if isinstance(u, dict)]
    return Registry(root, text, raw, parsed.data, units)


# ---------------------------------------------------------------- writing
def splice(text: str, items: list[dict[str, Any]], heading: str | None = None) -> str:
    """The text with `items` appended at the end of the top-level `units:` block list."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    starts = [i for i, line in enumerate(lines) if _KEY.match(line)]
    here = next((i for i in starts if _key_of(lines[i]) == ("units", True)), None)
    if here is None:
        raise refuse("SK912", "không tìm thấy danh sách units: viết dạng gạch đầu dòng ở cấp ngoài cùng của tệp.")
    end = next((i for i in starts if i > here), len(lines))
    while end > here + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1  # blank lines and column-0 comments belong to what follows
    indent = 2
    for line in lines[here + 1:end]:
        stripped = line.lstrip(" ")
        if stripped.startswith("- "):
            indent = len(line) - len(stripped)
            break
    new: list[str] = []
    if heading:
        new.append(" " * indent + "# " + heading)
    for item in items:
        new.extend(yamlwrite.item_lines(item, indent))
    lines[end:end] = new
    return "\n".join(lines) + "\n"


def _key_of(line: str) -> tuple[str, bool] | None:
    """A top-level key line: (key, whether its value is a block below it)."""
    m = _KEY.match(line)
    if m is None:
        return None
    rest = m.group("rest").strip()
    return m.group("key"), rest == "" or rest.startswith("#")


def _encode_like(text: str, original: bytes) -> bytes:
    if b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if original.startswith(b"\xef\xbb\xbf") else data


def check_same(new_text: str, expected: dict[str, Any]) -> None:
    parsed = yamlstrict.load(new_text, layout.UNITS_FILE)
    if parsed.problems or parsed.data != expected:
        raise refuse("SK912", "sau khi ghép, nội dung danh mục không còn đúng như dự kiến (có thể do cách viết thụt lề hay "
                               "danh sách dạng [ ... ] nhiều dòng), nên chưa ghi gì.")


def commit(reg: Registry, new_text: str) -> list[Problem]:
    """Write atomically, validate again, put the old bytes back if the registry has an error.
    Returns the warnings about the registry that remain."""
    path = reg.root / layout.UNITS_FILE
    atomic.write_bytes(path, _encode_like(new_text, reg.original))
    found = [p for p in validate(reg.root, [str(path)]).problems if p.file == layout.UNITS_FILE]
    errors = [p for p in found if p.is_error]
    if errors:
        atomic.write_bytes(path, reg.original)
        head = problem("SK913", layout.UNITS_FILE, 1, 1,
                       f"nếu ghi, tệp {layout.UNITS_FILE} sẽ có {len(errors)} lỗi (nêu dưới đây); tệp được giữ nguyên như trước khi chạy lệnh.")
        raise UnitsError([head, *errors])
    return found


# ---------------------------------------------------------------- ids and names
def prefix_of(province: Official) -> str:
    """«Tây Ninh» -> tn, «Hồ Chí Minh» -> hcm, «Huế» -> hue."""
    words = [w for w in slugify(province.short).split("-") if w]
    return "".join(w[0] for w in words) if len(words) > 1 else (words[0] if words else "dv")


def _lower_type(kind: str) -> str:
    return kind[:1].lower() + kind[1:]


def committee_names(unit: Official) -> tuple[str, str]:
    """(name, official name) of the people's committee of an official unit:
    («UBND xã Hảo Đước», «Ủy ban nhân dân xã Hảo Đước»)."""
    place = f"{_lower_type(unit.type)} {unit.short}"
    return f"UBND {place}", f"Ủy ban nhân dân {place}"


def unique_id(candidates: list[str], taken: set[str]) -> str:
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    base, n = candidates[-1], 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def clip_id(slug: str) -> str:
    return slug[:80].strip("-")


@dataclass
class Plan:
    added: list[dict[str, Any]] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (what the dataset or list names, the unit kept)
    taken: set[str] = field(default_factory=set)
    groups: Counter[str] = field(default_factory=Counter)  # what was added, by group (for the summary)

    def add(self, item: dict[str, Any], group: str) -> None:
        self.added.append(item)
        self.taken.add(str(item["id"]))
        self.groups[group] += 1


def plan_units(officials: Iterable[Official], prefix: str, reg: Registry, plan: Plan, which: Period,
              make: Callable[[Official, str], dict[str, Any]], group: str) -> None:
    """Plan one new unit per official unit not yet in the registry; ids `prefix-name`, or
    `prefix-type-name` when two units of the batch share a name, then `-code` if still taken."""
    officials = list(officials)
    names = Counter(slugify(o.short) for o in officials)
    for official in officials:
        kept = reg.by_code(official.code, which)
        if kept is not None:
            plan.kept.append((f"{official.name} (mã {official.code})", str(kept.get("id"))))
            continue
        short = slugify(official.short)
        typed = clip_id(f"{prefix}-{slugify(official.type)}-{short}")
        first = clip_id(f"{prefix}-{short}") if names[short] == 1 else typed
        same = reg.by_id(first)
        if same is not None and not same.get("admin_code") and adminunits.name_matches(str(same.get("name", "")), official):
            plan.kept.append((f"{official.name} (mã {official.code})", first))
            continue
        unit_id = unique_id([first, typed, clip_id(f"{first}-{official.code}")], plan.taken)
        plan.add(make(official, unit_id), group)
