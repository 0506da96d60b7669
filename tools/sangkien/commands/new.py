"""`sangkien new`: create an entry by answering questions in the terminal, in Vietnamese;
`sangkien new --nhan-rong`: a replication record (another unit applied a recognised initiative).

The terminal twin of the forms at /nop-sang-kien/ and /ghi-nhan-nhan-rong/: choices are numbered lists with the schema's
Vietnamese labels; every answer is checked at once with the validator's own rules (the entry
schema through `schemas.schema_problems`, the entry and cross-file rules, the privacy scan) and
asked again when wrong. Dates are typed day first, dd/mm/yyyy (vntime.parse_typed_date, the
form's rule too). The file is written atomically where it belongs, entries/<campaign>/<unit>/<id>.md
or entries/replications/<unit>/<id>.md, never over an existing file, then validated like CI would.
Works with piped answers (one per line), which is how the tests drive it.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from sangkien import atomic, layout, reporters, schemas, settings, validator, vntime, yamlwrite
from sangkien.checks import entry as entry_rules
from sangkien.checks import replication as replication_rules
from sangkien.checks import repository as repository_rules
from sangkien.checks import text as text_rules
from sangkien.commands.common import add_root, find_root
from sangkien.model import Campaign, Entry
from sangkien.problems import Problem
from sangkien.reader import Document
from sangkien.textnorm import nfc, slugify
from sangkien.yamlstrict import Parsed

SKELETON_BODY = "## Thực trạng\n\n## Giải pháp\n"
YES = {"c", "co", "có", "y", "yes", "u", "ừ", "vâng"}
NO = {"k", "khong", "không", "n", "no"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("new", help="tạo bài sáng kiến mới (hoặc ghi nhận nhân rộng) bằng cách trả lời câu hỏi",
                       description="Hỏi lần lượt các thông tin của bài sáng kiến, kiểm tra từng câu trả lời, "
                                   "rồi ghi tệp vào đúng thư mục entries/<mã đợt>/<mã đơn vị>/ và kiểm tra tệp. "
                                   "Với --nhan-rong: ghi nhận một đơn vị đã áp dụng lại sáng kiến đã được công nhận, "
                                   "tệp ghi vào entries/replications/<mã đơn vị>/. Ngày ghi theo ngày/tháng/năm, ví dụ 25/06/2024.")
    p.add_argument("--campaign", metavar="MÃ_ĐỢT", help="mã đợt phát động (không hỏi lại)")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="mã đơn vị nộp bài, hoặc đơn vị nhân rộng (không hỏi lại)")
    p.add_argument("--nhan-rong", dest="replication", action="store_true",
                   help="ghi nhận nhân rộng: đơn vị đã áp dụng lại một sáng kiến đã được công nhận")
    p.add_argument("--sang-kien", dest="initiative", metavar="MÃ_SÁNG_KIẾN", help="với --nhan-rong: mã sáng kiến được nhân rộng (không hỏi lại)")
    add_root(p)
    p.set_defaults(func=run)


# ----------------------------------------------------------------- the file (same rules as the form's entryfile.js)
def render_entry(data: dict[str, Any], body: str) -> str:
    """Front matter + body, byte for byte what the form writes for the same data."""
    text = re.sub(r"\s+$", "", re.sub(r"^\n+", "", body.replace("\r\n", "\n").replace("\r", "\n")))
    return nfc("---\n" + "\n".join(yamlwrite.mapping_lines(data)) + "\n---\n\n" + text + "\n")


# ----------------------------------------------------------------- asking
class NoMoreAnswers(Exception):
    """Standard input ended before every question was answered."""


class Asker:
    """Questions on stdout, answers from stdin, one line each."""

    def __init__(self, out: TextIO | None = None, inp: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.inp = inp or sys.stdin

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def line(self, prompt: str, strip: bool = True) -> str:
        self.out.write(prompt)
        self.out.flush()
        raw = self.inp.readline()
        if not raw:
            self.out.write("\n")
            raise NoMoreAnswers
        text = nfc(raw.rstrip("\r\n"))
        return text.strip() if strip else text.rstrip()

    def wrong(self, problems: list[Problem] | str) -> None:
        if not isinstance(problems, str) and any(p.code == "SK205" for p in problems):
            problems = [p for p in problems if p.code != "SK215"]  # a date in the wrong shape is not also "impossible"
        items = [problems] if isinstance(problems, str) else [f"{p.code}: {p.detail}" for p in problems]  # no «Dòng N:»: asked field by field
        for item in items:
            self.say(f"  ✗ {item}")
        self.say("  Mời nhập lại.")

    def yes_no(self, question: str, default: bool | None = None) -> bool:
        hint = {True: " [C/k]", False: " [c/K]", None: " [c/k]"}[default]
        while True:
            answer = self.line(f"{question}{hint}: ").lower()
            if not answer and default is not None:
                return default
            if answer in YES:
                return True
            if answer in NO:
                return False
            self.wrong("Trả lời «c» (có) hoặc «k» (không).")

    def choose(self, title: str, options: list[tuple[str, str]], *, many: bool = False, optional: bool = False,
               default: list[str] | None = None) -> list[str]:
        """Numbered choices; answers are numbers (or codes), comma-separated when `many`."""
        self.say(f"{title}:")
        for i, (value, label) in enumerate(options, start=1):
            self.say(f"  {i}. {label}" + ("" if value.isdigit() else f" ({value})"))
        hint = "các số, cách nhau bằng dấu phẩy" if many else "một số"
        extra = f", Enter để giữ {', '.join(default)}" if default else ", Enter để bỏ qua" if optional else ""
        while True:
            answer = self.line(f"Chọn {hint}{extra}: ")
            if not answer:
                if default:
                    return list(default)
                if optional:
                    return []
                self.wrong("Cần chọn ít nhất một mục.")
                continue
            picked, bad = [], []
            for part in [p.strip() for p in answer.split(",")] if many else [answer]:
                values = [v for v, _ in options]
                if part.isdigit() and 1 <= int(part) <= len(options):
                    picked.append(options[int(part) - 1][0])
                elif part in values:
                    picked.append(part)
                elif part:
                    bad.append(part)
            if bad:
                self.wrong(f"«{', '.join(bad)}» không có trong danh sách; chọn số từ 1 đến {len(options)}.")
                continue
            if picked:
                return list(dict.fromkeys(picked))


def _date(text: str) -> str:
    """A typed date, day first (25/06/2024), as the file stores it (2024-06-25); raises
    vntime.TypedDateError with the Vietnamese reason, and the question is asked again."""
    return vntime.parse_typed_date(text).isoformat()


def _number(text: str) -> object:
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    if re.fullmatch(r"[-+]?\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    return text


# ----------------------------------------------------------------- the session
class NewEntry:
    KIND = "entry"  # the schema: entry | replication
    PAGE = "Nộp sáng kiến"  # the web form that does the same

    def __init__(self, root: Path, asker: Asker, now: datetime) -> None:
        self.root = root
        self.ask = asker
        self.now = now
        self.loaded = validator.load(root)
        self.repo = self.loaded.repo
        self.schema = schemas.load_schema(root, self.KIND)
        self.phones, self.emails = self.repo.official_contacts()  # the validator's list of official contacts
        self.data: dict[str, Any] = {}
        self.body = ""

    # ---- checks, with the validator's own rules
    def schema_problems(self, key: str, value: object) -> list[Problem]:
        """Problems of one answer: the schema on {key: value} (missing other fields ignored), then privacy."""
        parsed = Parsed(data={key: value})
        found = [p for p in schemas.schema_problems(self.root, self.KIND, parsed, "") if p.code != "SK201"]
        found += [p for p in text_rules.scan_strings({key: value}, (), parsed, "", lambda path: schemas.label(self.schema, path),
                                                     self.phones, self.emails) if p.is_error]
        return found

    def entry_problems(self, codes: set[str]) -> list[Problem]:
        doc = Document("", parsed=Parsed(data=self.data), body=SKELETON_BODY)
        return [p for p in entry_rules.check_entry(doc, self.root) if p.code in codes]

    def repository_problems(self, codes: set[str]) -> list[Problem]:
        rel = self.path()
        entries = {**self.repo.entries, str(self.data.get("id")): Entry(str(self.data.get("id")), "entry", self.data, rel)}
        docs = {**self.loaded.docs, rel: Document(rel, parsed=Parsed(data=self.data))}
        repo = dataclasses.replace(self.repo, entries=entries)
        return [p for p in repository_rules.check(repo, docs) if p.file == rel and p.code in codes and p.is_error]

    def path(self) -> str:
        return layout.entry_path(self.data.get("campaign", ""), self.data.get("unit", ""), self.data.get("id", ""))

    # ---- one field
    def text(self, key: str, *, required: bool = True, default: str | None = None, convert: Callable[[str], object] | None = None,
             path_check: Callable[[Any], list[Problem]] | None = None) -> None:
        node = schemas.subschema(self.schema, (key,))
        title = node.get("title", key)
        help_ = node.get("description", "")
        example = (node.get("examples") or [None])[0]
        is_date = convert is _date
        if is_date:  # the schema tells file writers yyyy-mm-dd; people type day first
            help_, example = f"{help_} Ghi theo {vntime.TYPED_DATE_HINT}.".strip(), None
        self.ask.say(f"\n{title}{' (bắt buộc)' if required else ' (không bắt buộc, Enter để bỏ qua)'}")
        if help_:
            self.ask.say(f"  {help_}" + (f" Ví dụ: {example}" if example is not None and not isinstance(example, dict | list) else ""))
        while True:
            answer = self.ask.line(f"{title}{f' [{default}]' if default else ''}: ") or (default or "")
            if not answer:
                if required:
                    self.ask.wrong(f"SK201: «{title}» là trường bắt buộc.")
                    continue
                self.data.pop(key, None)
                return
            try:
                value = convert(answer) if convert else answer
            except vntime.TypedDateError as err:
                self.ask.wrong(str(err))
                continue
            problems = self.schema_problems(key, value)
            if not problems and path_check:
                problems = path_check(value)
            if problems:
                self.ask.wrong(problems)
                continue
            self.data[key] = value
            return

    def choice(self, key: str, *, many: bool = False, required: bool = True, allowed: list[str] | None = None,
               default: list[str] | None = None) -> None:
        node = schemas.subschema(self.schema, (key,))
        options = schemas.choices(self.schema, node.get("items", {}) if many else node)
        if allowed:
            options = [o for o in options if o[0] in allowed] or options
        self.ask.say("")
        picked = self.ask.choose(node.get("title", key), options, many=many, optional=not required, default=default)
        if picked:
            self.data[key] = picked if many else picked[0]
        else:
            self.data.pop(key, None)

    # ---- the questions
    def campaign(self, given: str | None) -> bool:
        camps = [c for c in self.repo.campaigns.values() if c.kind != "thi-dua"]
        if given:
            camp = self.repo.campaigns.get(given)
            if camp is None:
                known = ", ".join(sorted(c.id for c in camps)) or "(chưa có đợt nào)"
                self.ask.say(f"Lỗi SK302: đợt «{given}» không tồn tại. Các đợt hiện có: {known}.")
                return False
            if camp.kind == "thi-dua":
                self.ask.say(f"Đợt «{given}» là phong trào thi đua: hồ sơ đề nghị khen thưởng dùng mẫu khác, lệnh này chỉ tạo bài sáng kiến.")
                return False
            self.data["campaign"] = given
            return True
        if not camps:
            self.ask.say("Kho chưa có đợt phát động nào nhận bài sáng kiến (entries/<mã đợt>/campaign.yaml).")
            return False
        camps.sort(key=lambda c: (c.opens_at is None, c.opens_at), reverse=True)
        self.data["campaign"] = self.ask.choose("Đợt phát động", [(c.id, f"{c.title} — {self.window(c)}") for c in camps])[0]
        return True

    def window(self, camp: Campaign) -> str:
        if camp.opens_at is None or camp.closes_at is None:
            return "chưa rõ thời hạn"
        if self.now < camp.opens_at:
            return f"chưa mở, nhận bài từ {vntime.show(camp.opens_at)}"
        if self.now < camp.closes_at:
            return f"đang nhận bài đến {vntime.show(vntime.last_moment(camp.closes_at))}"
        return f"đã hết hạn lúc {vntime.show(vntime.last_moment(camp.closes_at))}"

    def unit(self, given: str | None) -> bool:
        camp = self.repo.campaigns[self.data["campaign"]]
        today = vntime.local_date(self.now)
        if given:
            if given not in self.repo.units:
                self.ask.say(f"Lỗi SK303: đơn vị «{given}» không có trong danh mục entries/units.yaml.")
                return False
            if camp.eligible_units and given not in camp.eligible_units:
                self.ask.say(f"Lưu ý SK311: đơn vị «{given}» không có trong danh sách đơn vị tham gia đợt «{camp.id}».")
            self.data["unit"] = given
            return True
        units = [self.repo.units[u] for u in camp.eligible_units if u in self.repo.units] if camp.eligible_units else \
            sorted((u for u in self.repo.units.values() if u.valid_on(today)), key=lambda u: u.name)
        self.ask.say("")
        self.data["unit"] = self.ask.choose("Đơn vị nộp", [(u.id, u.name) for u in units])[0]
        return True

    def unique_id(self, value: str) -> list[Problem]:
        other = self.repo.entries.get(value) or self.repo.replications.get(value)
        if other is not None:
            return [_problem("SK301", f"mã «{value}» đã dùng cho {other.path}.", "Đặt mã khác.")]
        target = self.root / layout.entry_path(self.data["campaign"], self.data["unit"], value)
        if target.exists():
            return [_problem("SK301", f"đã có tệp {target.relative_to(self.root).as_posix()}.", "Đặt mã khác; lệnh này không ghi đè tệp có sẵn.")]
        return []

    def dates(self, value: str) -> list[Problem]:
        self.data["submitted"] = value
        found = self.repository_problems({"SK304", "SK401", "SK402"})
        today = vntime.local_date(self.now)
        if not found and date.fromisoformat(value) > today:  # the validator's SK409 (checks/dates.py), asked again
            found = [_problem("SK409", f"ngày nộp {vntime.show_date(date.fromisoformat(value))} là ngày chưa tới (hôm nay là {vntime.show_date(today)}).",
                              f"Ghi ngày gửi bài, không sau hôm nay, theo {vntime.TYPED_DATE_HINT}; Enter để lấy ngày hôm nay.")]
        return found

    def first_applied(self, value: str) -> list[Problem]:
        self.data["first_applied"] = value
        found = self.entry_problems({"SK216"})
        if found:
            del self.data["first_applied"]
        return found

    def authors(self) -> None:
        group = self.data.get("participation") == "nhom"
        self.ask.say("\nTác giả" + (" (nhóm: từ 02 người trở lên, một người đại diện)" if group else ""))
        self.ask.say("  Không ghi ngày sinh, số điện thoại, địa chỉ nhà riêng, số CCCD.")
        authors: list[dict[str, Any]] = []
        while True:
            self.ask.say(f"\nTác giả {len(authors) + 1}")
            author: dict[str, Any] = {}
            for key, required in (("name", True), ("position", True), ("workplace", True), ("qualification", False)):
                self.nested(author, ("authors", 0, key), required)
            if not group:
                author["contribution"] = 100
                authors.append(author)
                break
            authors.append(author)
            if len(authors) >= 2 and not self.ask.yes_no("Thêm tác giả khác?", default=False):
                break
        if group:
            while True:
                self.ask.say("\nTỷ lệ đóng góp (%) của từng tác giả; tổng phải bằng 100.")
                for author in authors:
                    author.pop("contribution", None)
                    self.nested(author, ("authors", 0, "contribution"), True, label=f"{author['name']}: tỷ lệ đóng góp (%)", convert=_number)
                self.data["authors"] = authors
                problems = self.entry_problems({"SK214"})
                if not problems:
                    break
                self.ask.wrong(problems)
            self.ask.say("")
            rep = self.ask.choose("Người đại diện nhóm", [(str(i), a["name"]) for i, a in enumerate(authors, start=1)])[0]
            for i, author in enumerate(authors, start=1):
                if str(i) == rep:
                    author["representative"] = True
        self.data["authors"] = authors

    def nested(self, target: dict[str, Any], path: tuple[Any, ...], required: bool, *, label: str | None = None,
               convert: Callable[[str], object] | None = None) -> None:
        """One field of an item of a list (author, result, attachment...), checked against its schema."""
        node = schemas.subschema(self.schema, path)
        title = label or node.get("title", path[-1])
        while True:
            answer = self.ask.line(f"{title}{'' if required else ' (Enter để bỏ qua)'}: ")
            if not answer:
                if required:
                    self.ask.wrong(f"SK201: «{title}» là trường bắt buộc.")
                    continue
                return
            value = convert(answer) if convert else answer
            # what this answer adds to the problems of the item so far (an attachment still lacks its url...)
            def probe(item: dict[str, Any]) -> list[Problem]:
                return self.schema_problems(path[0], [item] if len(path) == 3 else item)

            before = {(p.code, p.message) for p in probe(target)}
            problems = [p for p in probe({**target, path[-1]: value}) if (p.code, p.message) not in before]
            if problems:
                self.ask.wrong(problems)
                continue
            target[path[-1]] = value
            return

    def items(self, key: str, fields: list[tuple[str, bool]], question: str, *, required: bool = False) -> None:
        node = schemas.subschema(self.schema, (key,))
        found: list[dict[str, Any]] = []
        if required:
            self.ask.say(f"\n{question.rstrip('?')}: cần ít nhất một mục.")
        while (required and not found) or self.ask.yes_no(
                f"\n{question}" if not found else f"Thêm {str(node.get('items', {}).get('title', 'mục')).lower()} khác?", default=False):
            item: dict[str, Any] = {}
            for field, required in fields:
                sub = schemas.subschema(self.schema, (key, 0, field))
                options = schemas.choices(self.schema, sub)
                if options:
                    picked = self.ask.choose(sub.get("title", field), options, optional=not required)
                    if picked:
                        item[field] = picked[0]
                    continue
                convert = _number if sub.get("type") in ("number", "integer") else None
                self.nested(item, (key, 0, field), required, convert=convert)
            found.append(item)
        if found:
            self.data[key] = found

    def attachments(self) -> None:
        found: list[dict[str, Any]] = []
        while self.ask.yes_no("\nCó tài liệu kèm theo (video, phần mềm, hình ảnh…)?" if not found else "Thêm tài liệu khác?", default=False):
            item: dict[str, Any] = {}
            kind = schemas.subschema(self.schema, ("attachments", 0, "kind"))
            item["kind"] = self.ask.choose(kind.get("title", "kind"), schemas.choices(self.schema, kind))[0]
            self.nested(item, ("attachments", 0, "title"), True)
            while True:
                where = self.ask.line("Đường dẫn https://… (hoặc tên tệp đặt cùng thư mục với bài): ")
                key = "url" if where.startswith(("http://", "https://")) else "file"
                problems = self.schema_problems("attachments", [{**item, key: where}])
                if problems or not where:
                    self.ask.wrong(problems or "SK201: cần đường dẫn hoặc tên tệp.")
                    continue
                item[key] = where
                if key == "file":
                    self.ask.say(f"  Nhớ đặt tệp «{where}» vào thư mục {self.path().rsplit('/', 1)[0]}/ trước khi nộp (nếu không sẽ có lỗi SK218).")
                break
            found.append(item)
        if found:
            self.data["attachments"] = found

    def previous_contest(self) -> None:
        if not self.ask.yes_no("\nBài đã tham gia cuộc thi khác nhưng không đạt giải?", default=False):
            return
        item: dict[str, Any] = {}
        for field, required in (("contest", True), ("year", True), ("entry", False), ("changes", True)):
            convert = _number if field == "year" else None
            self.nested(item, ("previous_contest", field), required, convert=convert)
        self.data["previous_contest"] = item

    def section(self, title: str, required: bool) -> str:
        self.ask.say(f"\nMục «{title}» của phần mô tả{' (bắt buộc)' if required else ' (không bắt buộc)'}: "
                     "viết nhiều dòng, kết thúc bằng một dòng trống.")
        while True:
            lines: list[str] = []
            while True:
                line = self.ask.line("> ", strip=False)
                if not line.strip():
                    break
                lines.append(line)
            text = "\n".join(lines)
            if not text and required:
                self.ask.wrong(f"Mục «{title}» cần có nội dung.")
                continue
            problems = [p for p in text_rules.scan_body(text, 1, "", self.phones, self.emails) if p.is_error]
            if problems:
                self.ask.wrong(problems)
                continue
            return text

    def run(self, campaign: str | None, unit: str | None) -> int:
        ask = self.ask
        ask.say("Tạo bài sáng kiến mới. Trả lời từng câu hỏi rồi nhấn Enter; chưa có gì được ghi cho đến bước cuối.")
        if not self.campaign(campaign) or not self.unit(unit):
            return 2
        camp = self.repo.campaigns[self.data["campaign"]]
        ask.say(f"Đợt «{camp.id}»: {self.window(camp)}.")
        if camp.closes_at is not None and self.now >= camp.closes_at:
            ask.say("  Lưu ý: bài gửi lên kho sau hạn chót sẽ bị hệ thống kiểm tra báo lỗi SK402, trừ khi Hội đồng chấp nhận nộp muộn.")
        self.text("title")
        self.text("id", default=slugify(self.data["title"]), path_check=self.unique_id)
        self.text("summary")
        self.text("submitted", default=vntime.typed_date(vntime.local_date(self.now)), convert=_date, path_check=self.dates)
        self.choice("participation", allowed=list(camp.data.get("participation") or []))
        self.authors()
        self.text("investor", required=False)
        self.text("field")
        self.choice("areas", many=True, allowed=list(camp.data.get("areas") or []))
        self.choice("indices", many=True, required=False)
        self.choice("solution_type")
        self.choice("application_status")
        self.text("first_applied", convert=_date, path_check=self.first_applied)
        self.choice("scope")
        forms = list(camp.data.get("forms") or [])
        self.choice("forms", many=True, allowed=forms, default=["bai-viet"] if not forms or "bai-viet" in forms else None)
        self.text("conditions")
        self.text("benefits_author")
        self.text("benefits_appliers", required=False)
        self.items("first_application_participants", [("name", True), ("position", True), ("workplace", True), ("task", False)],
                   "Có người tham gia áp dụng lần đầu cần ghi tên?")
        self.items("results", [("indicator", True), ("baseline", True), ("result", True), ("unit", True), ("better", False), ("period", False)],
                   "Có kết quả đo được trước và sau khi áp dụng (ví dụ thời gian giải quyết 15 ngày xuống 5 ngày)?")
        self.attachments()
        self.previous_contest()
        self.text("keywords", required=False, convert=lambda s: [k.strip() for k in s.split(",") if k.strip()])
        sections = [("Thực trạng", True), ("Giải pháp", True), ("Cách nhân rộng", False)]
        self.body = "\n\n".join(f"## {title}\n\n{text}".rstrip() for title, required in sections if (text := self.section(title, required)) or required)
        return self.write()

    def write(self) -> int:
        rel = self.path()
        target = self.root / rel
        if target.exists():
            self.ask.say(f"Không ghi: đã có tệp {rel}. Lệnh này không ghi đè tệp có sẵn; hãy chạy lại với mã bài khác.")
            return 1
        text = render_entry(schemas.ordered(self.data, self.schema, self.schema), self.body)
        atomic.write_text(target, text)
        self.ask.say(f"\nĐã tạo tệp {rel}.")
        report = validator.validate(self.root, [str(target)])
        self.ask.say(reporters.text(report.problems, report.checked).rstrip())
        if not report.errors:
            self.ask.say("Bước tiếp theo: đưa tệp lên kho (git add, commit, push rồi mở đề nghị hợp nhất), "
                         f"hoặc gửi qua trang «{self.PAGE}» (mở tệp đã có để sửa).")
        return 1 if report.errors else 0


class NewReplication(NewEntry):
    """`sangkien new --nhan-rong`: a unit records that it applied a recognised initiative, with its
    results (schema/replication.schema.json, the rules of checks/replication.py)."""

    KIND = "replication"
    PAGE = "Ghi nhận nhân rộng"

    def path(self) -> str:
        return f"{layout.ENTRIES}/{layout.REPLICATIONS}/{self.data.get('unit', '')}/{self.data.get('id', '')}.md"

    def replication_problems(self) -> list[Problem]:
        """checks/replication.py on this record among the repository's own (SK320-SK325)."""
        rel = self.path()
        record = Entry(str(self.data.get("id")), "replication", self.data, rel)
        others = {k: r for k, r in self.repo.replications.items() if k != record.id}
        repo = dataclasses.replace(self.repo, replications={**others, record.id: record})
        docs = {**self.loaded.docs, rel: Document(rel, parsed=Parsed(data=self.data))}
        # SK325 depends on which file sorts first: a record already in the repository for the same
        # initiative and unit is reported here, on the new one, whatever its name
        found = [p for p in replication_rules.check(repo, docs) if p.file == rel and p.is_error and p.code != "SK325"]
        for other in others.values():
            if other.data.get("initiative") == self.data.get("initiative") and other.unit == self.data.get("unit") and self.data.get("unit"):
                found.append(_problem("SK325", f"đơn vị «{other.unit}» đã ghi nhận nhân rộng sáng kiến «{other.data.get('initiative')}» "
                                               f"tại {other.path}.", "Sửa tệp đã có thay vì tạo tệp mới."))
        return found

    def initiative(self, given: str | None) -> bool:
        recognised = sorted((e for e in self.repo.entries.values() if e.kind == "entry" and self.repo.recognition(e.id) is not None),
                            key=lambda e: e.title)
        if given:
            self.data["initiative"] = given
            problems = [p for p in self.replication_problems() if p.code in ("SK320", "SK321")]
            if problems:
                self.ask.say(f"Lỗi {problems[0].code}: {problems[0].detail}")
                return False
            return True
        if not recognised:
            self.ask.say("Kho chưa có sáng kiến nào được công nhận (còn hiệu lực) để ghi nhận nhân rộng.")
            return False
        options = []
        for e in recognised:
            unit = self.repo.units.get(e.unit or "")
            options.append((e.id, f"{e.title} — {unit.name if unit else e.unit}"))
        self.ask.say("")
        self.data["initiative"] = self.ask.choose("Sáng kiến được nhân rộng (đã được công nhận)", options)[0]
        return True

    def replication_unit(self, given: str | None) -> bool:
        today = vntime.local_date(self.now)
        target = self.repo.entries[self.data["initiative"]]
        if given:
            if given not in self.repo.units:
                self.ask.say(f"Lỗi SK303: đơn vị «{given}» không có trong danh mục entries/units.yaml.")
                return False
            if given == target.unit:
                self.ask.say(f"Lỗi SK322: «{given}» là đơn vị đã nộp sáng kiến «{target.id}»; đơn vị nộp không tự ghi nhận nhân rộng.")
                return False
            self.data["unit"] = given
            return True
        units = sorted((u for u in self.repo.units.values() if u.valid_on(today) and u.id != target.unit), key=lambda u: u.name)
        self.ask.say("")
        self.data["unit"] = self.ask.choose("Đơn vị nhân rộng (đơn vị đã áp dụng lại sáng kiến)", [(u.id, u.name) for u in units])[0]
        return True

    def since(self, value: str) -> list[Problem]:
        self.data["since"] = value
        found = [p for p in self.replication_problems() if p.code in ("SK323", "SK324")]
        if found:
            del self.data["since"]
        return found

    def unique_record(self, value: str) -> list[Problem]:
        other = self.repo.entries.get(value) or self.repo.replications.get(value)
        if other is not None:
            return [_problem("SK301", f"mã «{value}» đã dùng cho {other.path}.", "Đặt mã khác.")]
        target = self.root / layout.ENTRIES / layout.REPLICATIONS / self.data["unit"] / f"{value}.md"
        if target.exists():
            return [_problem("SK301", f"đã có tệp {target.relative_to(self.root).as_posix()}.", "Đặt mã khác; lệnh này không ghi đè tệp có sẵn.")]
        return []

    def run_replication(self, initiative: str | None, unit: str | None) -> int:
        ask = self.ask
        ask.say("Ghi nhận nhân rộng: đơn vị đã áp dụng lại một sáng kiến đã được công nhận. "
                "Trả lời từng câu hỏi rồi nhấn Enter; chưa có gì được ghi cho đến bước cuối.")
        if not self.initiative(initiative) or not self.replication_unit(unit):
            return 2
        twice = [p for p in self.replication_problems() if p.code == "SK325"]
        if twice:
            ask.say(f"Lỗi SK325: {twice[0].detail} Mỗi đơn vị ghi nhận một sáng kiến một lần: hãy sửa tệp đã có "
                    f"(trang «{self.PAGE}», mục «Mở ghi nhận đã có để sửa»).")
            return 2
        target = self.repo.entries[self.data["initiative"]]
        recognition = self.repo.recognition(target.id)
        if recognition is not None and recognition[0].day is not None:
            ask.say(f"Sáng kiến «{target.title}» được công nhận theo quyết định {recognition[0].number} "
                    f"ngày {vntime.show_date(recognition[0].day)}.")
        self.text("since", convert=_date, path_check=self.since)
        self.text("id", default=replication_id(self.data["initiative"], self.data["unit"]), path_check=self.unique_record)
        self.text("summary")
        self.text("adapted")
        self.items("results", [("indicator", True), ("baseline", True), ("result", True), ("unit", True), ("better", False), ("period", False)],
                   "Ghi kết quả đo được tại đơn vị, trước và sau khi áp dụng (ví dụ thời gian giải quyết 15 ngày xuống 5 ngày)?",
                   required=True)
        self.text("evidence")
        self.body = self.section("Cách triển khai", False)
        self.body = f"## Cách triển khai\n\n{self.body}" if self.body else ""
        return self.write()


def replication_id(initiative: str, unit: str) -> str:
    """The proposed id of a replication record: <initiative>-<unit>, at most 80 characters
    (the form's replicationId)."""
    room = 80 - len(unit) - 1
    head = initiative if len(initiative) <= room else re.sub(r"-+$", "", re.sub(r"-+[^-]*$", "", initiative[:room]))
    return f"{head}-{unit}" if head else unit


def _problem(code: str, what: str, fix: str) -> Problem:
    from sangkien.codes import problem

    return problem(code, "", 1, 1, what[:1].upper() + what[1:], fix)


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    if not (root / layout.ENTRIES).is_dir():
        print(f"Không thấy thư mục entries/ trong {root}. Chạy lệnh trong kho sáng kiến, hoặc ghi --root. Mã SK901.")
        return 2
    now = settings.now()
    if not sys.stdin.isatty() and hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")  # piped answers: UTF-8 whatever the locale says
    replication = bool(getattr(args, "replication", False))
    session = NewReplication(root, Asker(), now) if replication else NewEntry(root, Asker(), now)
    try:
        if isinstance(session, NewReplication):
            return session.run_replication(getattr(args, "initiative", None), args.unit)
        return session.run(args.campaign, args.unit)
    except NoMoreAnswers:
        print("Đã dừng: đầu vào kết thúc trước khi trả lời hết các câu hỏi. Chưa ghi tệp nào.")
        return 2
    except KeyboardInterrupt:
        print("\nĐã dừng theo yêu cầu. Chưa ghi tệp nào.")
        return 130

