"""A campaign's plan (entries/<id>/campaign.yaml) built from answers, or derived from the last round.

Used by `sangkien campaign new` and `sangkien campaign next` (commands/campaign.py), which only ask
and report; everything that decides what goes into the file lives here:

- the shipped templates (campaign_templates/*.yaml, package data): rubric, conditions, legal
  basis, targets and award caps of the usual kinds of campaign;
- the window and stage deadlines as the schema stores them, with the words a plan uses;
- which units may be named on a day (the registry's validity dates and successors);
- `next_round`: the same campaign one period later (`recurrence: {every: nam}`);
- `write`: a new file only, atomically, with a Vietnamese comment header, validated by the one
  validator; if the validator finds an error the file (and a folder made for it) is removed.

Core module: imports no feature package.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sangkien import atomic, layout, schemas, validator, vntime, yamlstrict, yamlwrite
from sangkien.codes import problem
from sangkien.model import Repository, Unit, as_date
from sangkien.problems import LINE, Problem
from sangkien.textnorm import nfc, slugify

TEMPLATE_DIR = Path(__file__).resolve().parent / "campaign_templates"
# The template a kind of campaign starts from when none is named.
DEFAULT_TEMPLATE = {"sang-kien": "sang-kien-nd13", "y-tuong": "cuoc-thi-y-tuong", "thi-dua": "thi-dua-nguoi-dung-dau"}
COMMAND_LINE = "(dòng lệnh)"  # the place of a problem in what was typed, not in a file
REFORM_DAY = date(2025, 7, 1)  # districts ceased to exist (Nghị quyết 202/2025/QH15)
_YEAR = re.compile(r"(?<![0-9])(19|20)([0-9]{2})(?![0-9])")


class PlanError(Exception):
    """Coded Vietnamese problems that stop a campaign from being written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, code: str, what: str, fix: str | None = None, file: str = COMMAND_LINE, line: int = 1) -> PlanError:
        return cls([problem(code, file, line, 1, what[:1].upper() + what[1:], fix)])


# ----------------------------------------------------------------- templates
@dataclass(frozen=True)
class Template:
    id: str
    label: str
    kind: str
    data: dict[str, Any]


def templates() -> dict[str, Template]:
    """The shipped templates by id (file name without .yaml), in name order."""
    found: dict[str, Template] = {}
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        parsed = yamlstrict.load(path.read_text(encoding="utf-8"), path.name)
        data = parsed.data if isinstance(parsed.data, dict) else {}
        found[path.stem] = Template(path.stem, str(data.get("label", path.stem)), str(data.get("kind", "sang-kien")),
                                    dict(data.get("campaign") or {}))
    return found


def template(name: str) -> Template:
    known = templates()
    if name not in known:
        listed = "; ".join(f"{t.id} ({t.label})" for t in known.values())
        raise PlanError.one("SK222", f"không có mẫu «{name}».", f"Chọn một trong các mẫu: {listed}.")
    return known[name]


# ----------------------------------------------------------------- pieces of the file
def iso(day: date) -> str:
    return day.isoformat()


def window(opens: date, closes: date, note: str | None = None) -> dict[str, Any]:
    """The window as stored: open from the start of `opens`, until the end of `closes` (Vietnam time)."""
    out: dict[str, Any] = {
        "opens": {"date": iso(opens), "rule": "tu-ngay", "text": f"từ ngày {vntime.show_date(opens)}"},
        "closes": {"date": iso(closes), "rule": "het-ngay", "text": f"đến hết ngày {vntime.show_date(closes)}"},
    }
    if note:
        out["note"] = note
    return out


def stage(name: str, deadline: date, responsible: str | None = None, taken: set[str] | None = None) -> dict[str, Any]:
    """A step after the window with its deadline (until the end of that day); its id is made from the name."""
    base = (slugify(name)[:60].strip("-") or "buoc")
    sid, n = base, 2
    while taken is not None and sid in taken:
        sid, n = f"{base}-{n}", n + 1
    if taken is not None:
        taken.add(sid)
    out: dict[str, Any] = {"id": sid, "name": name, "deadline": {"date": iso(deadline), "rule": "het-ngay",
                                                                "text": f"đến hết ngày {vntime.show_date(deadline)}"}}
    if responsible:
        out["responsible"] = responsible
    return out


def blank_number(number: str) -> str:
    """The number of a plan not yet issued: its symbol only, «/KH-UBND» (how the schema says to write it)."""
    symbol = number[number.index("/"):] if "/" in number else ""
    return symbol if len(symbol) >= 2 else "/KH"


# ----------------------------------------------------------------- units on a day
def unit_on(repo: Repository, unit_id: str, day: date) -> tuple[Unit | None, list[str]]:
    """The unit to name on `day`: the unit itself if in force, else its successor (followed to
    one in force). Returns the unit (None if none) and the chain of ids followed."""
    chain = [unit_id]
    unit = repo.units.get(unit_id)
    while unit is not None and not unit.valid_on(day):
        nxt = unit.data.get("successor")
        if not isinstance(nxt, str) or nxt in chain:
            return None, chain
        chain.append(nxt)
        unit = repo.units.get(nxt)
    return unit, chain


def check_unit(repo: Repository, unit_id: str, day: date, what: str, flag: str) -> Unit:
    """A unit named in a new campaign: in the registry and in force on the opening day."""
    unit = repo.units.get(unit_id)
    if unit is None:
        raise PlanError.one("SK327", f"{what} «{unit_id}» không có trong danh mục đơn vị (entries/units.yaml).",
                            f"Ghi đúng mã đơn vị ở {flag} (xem entries/units.yaml), hoặc bổ sung đơn vị vào danh mục trước.")
    if not unit.valid_on(day):
        successor, _ = unit_on(repo, unit_id, day)
        hint = f" Đơn vị kế thừa: «{successor.id}» ({successor.name})." if successor is not None else ""
        raise PlanError.one("SK327", f"{what} «{unit_id}» ({unit.name}) không còn hiệu lực vào ngày mở nhận bài {vntime.show_date(day)}.{hint}",
                            f"Ghi mã đơn vị còn hiệu lực ở {flag}.")
    return unit


def units_in_force(repo: Repository, day: date) -> list[Unit]:
    return sorted((u for u in repo.units.values() if u.valid_on(day)), key=lambda u: (u.level or "", u.name))


def levels_on(schema: dict[str, Any], day: date) -> list[tuple[str, str]]:
    """The administrative levels a campaign opening on `day` may name (no district level from 01/7/2025)."""
    options = schemas.choices(schema, schemas.subschema(schema, ("eligible_levels", 0)))
    return [o for o in options if not (o[0] == "huyen" and day >= REFORM_DAY)]


# ----------------------------------------------------------------- the file
def _wrap(text: str, width: int = 100) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            if current and len(current) + 1 + len(word) > width - 2:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
    return [f"# {line}".rstrip() for line in lines]


FLOW_WIDTH = 100  # a list of scalars fits on one line up to this width, else one item per line


def block_lines(obj: dict[str, Any], indent: int = 0) -> list[str]:
    """A mapping in block style as people write campaign files: like yamlwrite.mapping_lines (its
    scalars and keys), but a list of scalars that does not fit on one line gets one item per line."""
    pad, lines = " " * indent, []
    for name, value in obj.items():
        head = f"{pad}{yamlwrite.key(name)}:"
        if isinstance(value, dict) and value:
            lines += [head, *block_lines(value, indent + 2)]
        elif isinstance(value, list) and value and all(not isinstance(v, dict | list) for v in value):
            one = f"{head} {yamlwrite.flow(value)}"
            lines += [one] if len(one) <= FLOW_WIDTH else [head, *(f"{pad}  - {yamlwrite.scalar(v)}" for v in value)]
        elif isinstance(value, list) and value:
            lines.append(head)
            for item in value:
                inner = block_lines(item, indent + 4) if isinstance(item, dict) and item else \
                    [f"{pad}    {yamlwrite.flow(item) if isinstance(item, dict | list) else yamlwrite.scalar(item)}"]
                lines.append(f"{pad}  - {inner[0][indent + 4:]}")
                lines += inner[1:]
        else:
            lines.append(f"{head} {yamlwrite.flow(value) if isinstance(value, dict | list) else yamlwrite.scalar(value)}")
    return lines


def render(data: dict[str, Any], header: str, schema: dict[str, Any]) -> str:
    """The campaign file: a comment header, then the fields in the schema's order."""
    body = block_lines(schemas.ordered(data, schema, schema))
    return nfc("\n".join([*_wrap(header), *body]) + "\n")


def path_of(campaign_id: str) -> str:
    return f"{layout.ENTRIES}/{campaign_id}/campaign.yaml"


def refuse_existing(root: Path, campaign_id: str) -> None:
    folder = root / layout.ENTRIES / campaign_id
    if (folder / "campaign.yaml").exists() or (folder.exists() and any(folder.iterdir())):
        raise PlanError.one("SK221", f"đã có đợt «{campaign_id}» (thư mục {layout.ENTRIES}/{campaign_id}/). Lệnh không ghi đè đợt có sẵn.",
                            file=path_of(campaign_id) if (folder / "campaign.yaml").exists() else COMMAND_LINE)


def write(root: Path, data: dict[str, Any], header: str) -> list[Problem]:
    """Write entries/<id>/campaign.yaml (a new file only), then validate it with the one validator.
    Returns its warnings; on an error the file and the folder made for it are removed and
    PlanError carries SK906 then the validator's problems."""
    campaign_id = str(data.get("id", ""))
    refuse_existing(root, campaign_id)
    schema = schemas.load_schema(root, "campaign")
    rel = path_of(campaign_id)
    target = root / rel
    folder_made = not target.parent.exists()
    atomic.write_text(target, render(data, header, schema))
    try:
        report = validator.validate(root, [str(target)])
    except BaseException:
        _remove(target, folder_made)
        raise
    if report.errors:
        _remove(target, folder_made)
        head = problem("SK906", rel, 1, 1, f"Tệp đợt «{campaign_id}» tạo ra có {len(report.errors)} lỗi nên đã không được ghi lại.")
        raise PlanError([head, *report.errors])
    return report.warnings


def _remove(target: Path, folder_made: bool) -> None:
    target.unlink(missing_ok=True)
    if folder_made:
        with contextlib.suppress(OSError):
            target.parent.rmdir()


# ----------------------------------------------------------------- the next round
def shift_year(day: date, years: int = 1) -> date:
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def next_id(campaign_id: str, opens_year: int | None) -> str | None:
    """The id with its year advanced (the round's opening year if the id has it, else its last year)."""
    years = list(_YEAR.finditer(campaign_id))
    if not years:
        return None
    pick = next((m for m in reversed(years) if opens_year is not None and int(m.group(0)) == opens_year), years[-1])
    return campaign_id[:pick.start()] + str(int(pick.group(0)) + 1) + campaign_id[pick.end():]


_RULE_WORDS = {"tu-ngay": "từ ngày", "het-ngay": "đến hết ngày", "truoc-ngay": "trước ngày"}


def _mentions_year(text: str, years: set[int]) -> bool:
    return any(re.search(rf"(?<![0-9]){year}(?![0-9])", text) for year in years)


def _moved_deadline(raw: object) -> object:
    """A deadline one year later. Its words («Nguyên văn») stay when they name no year (a rule
    such as «đến ngày 05 tháng 12 hằng năm»); words naming the old year are written anew from the
    rule («đến hết ngày 05/12/2026»): they may quote another document's date, which does not move."""
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    day = as_date(out.get("date"))
    if day is None:
        return out
    new = shift_year(day)
    out["date"] = iso(new)
    if isinstance(out.get("text"), str) and _mentions_year(out["text"], {day.year}):
        out["text"] = f"{_RULE_WORDS.get(str(out.get('rule')), 'ngày')} {vntime.show_date(new)}"
    return out


def _year_in_title(title: str, old: int, new: int) -> str:
    """The round's year in the title, not a year inside a period such as 2021-2025."""
    return re.sub(rf"(?<![0-9\-–/]){old}(?![0-9\-–/])", str(new), title)


@dataclass
class Renewal:
    data: dict[str, Any]
    notes: list[Problem]  # warnings for the organiser: units replaced or dropped
    replaced: list[tuple[str, str]]  # (old unit, successor)
    note_dropped: bool = False  # the old window note spoke of the old round's dates: not copied


def next_round(repo: Repository, old: dict[str, Any], source: str, *, new_id: str | None = None, plan_number: str | None = None,
               plan_date: date | None = None, signer: str | None = None, place: str | None = None, title: str | None = None,
               note: str | None = None, where: yamlstrict.Parsed | None = None) -> Renewal:
    """The next round of a recurring campaign: one period later, a new plan, units in force.
    `where`: the old file as read, to place the notes on its lines."""

    def note_at(code: str, key: tuple[str | int, ...], what: str) -> Problem:
        line = where.where(key)[0] if where is not None else 1
        return problem(code, source, line, 1, what[:1].upper() + what[1:], at=LINE if where is not None else None, key=key)
    old_id = str(old.get("id", ""))
    recurrence = old.get("recurrence")
    if not isinstance(recurrence, dict) or recurrence.get("every") != "nam":
        raise PlanError.one("SK223", f"đợt «{old_id}» không có mục lặp lại (recurrence) nên không tạo được đợt kế tiếp.",
                            "Thêm vào campaign.yaml của đợt hai dòng «recurrence:» và «  every: nam» (đợt tổ chức hằng năm, cùng ngày, tháng), "
                            "hoặc tạo đợt mới bằng sangkien campaign new.", file=source)
    win = old.get("window") or {}
    opens = as_date((win.get("opens") or {}).get("date"))
    closes = as_date((win.get("closes") or {}).get("date"))
    if opens is None or closes is None:
        raise PlanError.one("SK907", f"đợt «{old_id}» chưa có ngày mở và ngày đóng nhận bài hợp lệ.",
                            "Sửa window.opens.date và window.closes.date của đợt (sangkien validate để xem lỗi).", file=source)
    campaign_id = new_id or next_id(old_id, opens.year)
    if campaign_id is None:
        raise PlanError.one("SK224", f"mã đợt «{old_id}» không có năm nên không tự đặt được mã cho đợt kế tiếp.",
                            "Ghi mã đợt mới bằng --id, ví dụ: --id ten-dot-2027.")
    data: dict[str, Any] = {k: v for k, v in old.items() if k not in ("source", "plan")}
    data["id"] = campaign_id
    new_opens = shift_year(opens)
    years = {opens.year, closes.year}
    stages = []
    for item in old.get("stages") or []:
        item = dict(item)
        deadline = item.get("deadline")
        day = as_date(deadline.get("date")) if isinstance(deadline, dict) else None
        if day is not None:
            years.add(day.year)
        item["deadline"] = _moved_deadline(deadline)
        stages.append(item)
    if stages:
        data["stages"] = stages
    new_win: dict[str, Any] = {key: _moved_deadline(value) for key, value in win.items() if key != "note"}
    old_note = win.get("note")
    note_dropped = note is None and isinstance(old_note, str) and _mentions_year(old_note, years)
    if note:
        new_win["note"] = note
    elif isinstance(old_note, str) and old_note and not note_dropped:
        new_win["note"] = old_note
    data["window"] = new_win
    data["title"] = title or _year_in_title(str(old.get("title", "")), opens.year, new_opens.year)

    notes: list[Problem] = []
    replaced: list[tuple[str, str]] = []
    issuer = dict(old.get("issuer") or {})
    old_plan = dict(old.get("plan") or {})
    unit_id = issuer.get("unit")
    keep_place = True
    if isinstance(unit_id, str):
        unit, chain = unit_on(repo, unit_id, new_opens)
        if unit is not None and unit.id != unit_id:
            issuer = {"name": unit.official_name, "unit": unit.id}
            keep_place = False
            replaced.append((unit_id, unit.id))
            notes.append(note_at("SK326", ("issuer", "unit"), f"đơn vị ban hành «{unit_id}» không còn hiệu lực vào ngày {vntime.show_date(new_opens)}; "
                                                        f"đợt mới do đơn vị kế thừa «{unit.id}» ({unit.name}) ban hành, người ký để trống."))
        elif unit is None and unit_id in repo.units:
            notes.append(note_at("SK328", ("issuer", "unit"), f"đơn vị ban hành «{unit_id}» không còn hiệu lực vào ngày {vntime.show_date(new_opens)} "
                                                        "và không có đơn vị kế thừa trong danh mục."))
    if signer is not None:
        issuer["signer"] = signer
    data["issuer"] = issuer
    plan: dict[str, Any] = {"number": plan_number or blank_number(str(old_plan.get("number", "")))}
    if plan_date is not None:
        plan["date"] = iso(plan_date)
    old_year = old_plan.get("year")
    plan["year"] = plan_date.year if plan_date is not None else (old_year + 1 if isinstance(old_year, int) else new_opens.year)
    if place or (keep_place and old_plan.get("place")):
        plan["place"] = place or old_plan.get("place")
    data["plan"] = plan

    units: list[str] = []
    for i, uid in enumerate(old.get("eligible_units") or []):
        unit, chain = unit_on(repo, uid, new_opens)
        if uid not in repo.units:
            units.append(uid)  # the validator says what is wrong with it
        elif unit is None:
            notes.append(note_at("SK328", ("eligible_units", i), f"đơn vị «{uid}» không còn hiệu lực vào ngày {vntime.show_date(new_opens)} và không có đơn vị "
                                                        "kế thừa: đã bỏ khỏi danh sách đơn vị tham gia (eligible_units)."))
        else:
            if unit.id != uid:
                replaced.append((uid, unit.id))
                notes.append(note_at("SK326", ("eligible_units", i), f"đơn vị «{uid}» không còn hiệu lực vào ngày {vntime.show_date(new_opens)}; "
                                                            f"thay bằng đơn vị kế thừa «{unit.id}» ({unit.name})."))
            if unit.id not in units:
                units.append(unit.id)
    if "eligible_units" in old:
        data["eligible_units"] = units
        if not units:
            del data["eligible_units"]
    levels = [lv for lv in old.get("eligible_levels") or [] if not (lv == "huyen" and new_opens >= REFORM_DAY)]
    if "eligible_levels" in old:
        if levels:
            data["eligible_levels"] = levels
        else:
            del data["eligible_levels"]
        if len(levels) < len(old.get("eligible_levels") or []):
            notes.append(note_at("SK328", ("eligible_levels",), "cấp huyện không còn từ ngày 01/7/2025: đã bỏ khỏi các cấp được tham gia (eligible_levels)."))
    return Renewal(data, notes, replaced, note_dropped)


def renewal_header(data: dict[str, Any], old_id: str, today: date, replaced: list[tuple[str, str]]) -> str:
    win = data.get("window") or {}
    opens = as_date((win.get("opens") or {}).get("date"))
    closes = as_date((win.get("closes") or {}).get("date"))
    when = f"từ {vntime.show_date(opens)} đến hết {vntime.show_date(closes)}" if opens and closes else ""
    lines = [
        f"{data.get('title', '')}.",
        f"Đợt kế tiếp của đợt «{old_id}» (entries/{old_id}/campaign.yaml), tạo bằng lệnh «sangkien campaign next {old_id}» "
        f"ngày {vntime.show_date(today)}: nhận bài {when} (giờ Việt Nam), các bước lùi một năm. "
        "Kế hoạch của đợt này là văn bản mới: ghi số, ngày khi đã ban hành.",
    ]
    if replaced:
        lines.append("Đơn vị đã thay bằng đơn vị kế thừa: " + "; ".join(f"{a} → {b}" for a, b in replaced) + ".")
    return "\n".join(lines)


def new_header(data: dict[str, Any], today: date, template_id: str | None) -> str:
    lines = [f"{data.get('title', '')}.",
             f"Tạo bằng lệnh «sangkien campaign new» ngày {vntime.show_date(today)}"
             + (f" từ mẫu «{template_id}» (thang điểm, điều kiện, chỉ tiêu của mẫu: cơ quan tổ chức sửa lại theo kế hoạch ban hành)." if template_id else ".")]
    return "\n".join(lines)
