"""Blocks -> entry fields + body Markdown + problems, exactly as rules.json describes.

Nothing is guessed: a field that cannot be read, or reads two ways, is a problem naming where
it looked (table N row R / paragraph N, and the label) and how to fix it. `campaign`, `unit`
and `id` are the caller's (the command line knows them, the browser's form asks for them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sangkien import vntime
from sangkien.codes import problem
from sangkien.problems import Problem
from sangkien.wordimport.blocks import Block, Image, Paragraph, Table
from sangkien.wordimport.rules import key, rules

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)*$")
_BULLET = re.compile(r"^\s*[-–•+]\s+")
_LABELLED = re.compile(r"^\s*(?:[-–•+]\s*)?([^:]{2,300}):\s*(.*)$", re.S)
IMAGE_EXT = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}


@dataclass
class Reading:
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    images: list[tuple[str, Image]] = field(default_factory=list)  # (title, image) in body order; named by the caller
    problems: list[Problem] = field(default_factory=list)
    form_found: bool = False
    sections_found: list[str] = field(default_factory=list)
    filled: int = 0  # values actually written by someone (blank-template test)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


@dataclass
class _Value:
    text: str
    where: str


def parse_number(text: str) -> float | int | None:
    """'40', '40%', '40,5', '1.234' (Vietnamese thousands) -> number; None if not a number."""
    raw = text.strip().rstrip("%").strip().replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.match(raw):
        return None
    if "," in raw and "." in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif "," in raw:
        if raw.count(",") > 1:
            return None
        raw = raw.replace(",", ".")
    elif raw.count(".") > 1 or re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", raw):
        raw = raw.replace(".", "")
    value = float(raw)
    return int(value) if value.is_integer() else value


def _fields_by_key() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for f in rules()["form"]["fields"]:
        for variant in (key(f["label"]), *f["variants"]):
            out[variant] = f
    return out


def _columns(spec: dict[str, Any], header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        k = key(cell)
        for col in spec["columns"]:
            if (k == key(col["label"]) or k in col["variants"]) and col["key"] not in found:
                found[col["key"]] = i
                break
    return found


class _Mapper:
    def __init__(self, name: str, blocks: list[Block]) -> None:
        self.name = name
        self.blocks = blocks
        self.out = Reading()
        self.by_key = _fields_by_key()
        self.values: dict[str, list[_Value]] = {}
        self.used_tables: set[int] = set()

    def say(self, code: str, where: str, what: str, fix: str | None = None, severity: str | None = None) -> None:
        self.out.problems.append(problem(code, self.name, 1, 1, f"{where}: {what}", fix, severity))

    # ---------------------------------------------------------------- finding the parts
    def body_range(self) -> tuple[int, int]:
        """(start, end) block indexes of the body; start == len(blocks) if there is none."""
        markers = set(rules()["body"]["markers"])
        for i, b in enumerate(self.blocks):
            if isinstance(b, Paragraph) and b.text.strip() and key(strip_numbering(b.text)) in markers and (b.level or b.bold or b.text.isupper()):
                level = b.level or 1
                end = next((j for j in range(i + 1, len(self.blocks)) if isinstance(self.blocks[j], Paragraph)
                            and 0 < self.blocks[j].level <= level and self.blocks[j].text.strip()), len(self.blocks))  # type: ignore[union-attr]
                return i + 1, end
        for i, b in enumerate(self.blocks):
            if isinstance(b, Paragraph) and section_of(b) is not None:
                return i, len(self.blocks)
        return len(self.blocks), len(self.blocks)

    # ---------------------------------------------------------------- the form
    def collect_form(self, start: int) -> None:
        for i, b in enumerate(self.blocks):
            if isinstance(b, Table) and self.is_form_table(b):
                self.used_tables.add(b.number)
                self.out.form_found = True
                for r, row in enumerate(b.rows, start=1):
                    f = self.by_key.get(key(row[0])) if row else None
                    if f is None:
                        continue
                    rest = [c for c in row[1:] if c.strip() and c != row[0]]
                    self.values.setdefault(f["key"], []).append(_Value(rest[-1] if rest else "", f"Bảng {b.number}, dòng {r} («{f['label']}»)"))
            elif isinstance(b, Paragraph) and i < start and (m := _LABELLED.match(b.text)):
                f = self.by_key.get(key(m.group(1)))
                if f is not None:
                    self.values.setdefault(f["key"], []).append(_Value(m.group(2), f"Đoạn {b.number} («{f['label']}»)"))
        if self.values and not self.out.form_found:
            self.out.form_found = len(self.values) >= 2

    def is_form_table(self, t: Table) -> bool:
        width = max((len(r) for r in t.rows), default=0)
        return width >= 2 and sum(1 for r in t.rows if r and key(r[0]) in self.by_key) >= 2

    def read_fields(self) -> None:
        for f in rules()["form"]["fields"]:
            found = [v for v in self.values.get(f["key"], [])]
            parsed: list[tuple[Any, _Value]] = []
            for v in found:
                value = self.read_value(f, v)
                if value is not None:
                    parsed.append((value, v))
            distinct = {repr(p[0]) for p in parsed}
            if len(distinct) > 1:
                places = "; ".join(p[1].where for p in parsed)
                self.say("SK039", places, f"mục «{f['label']}» được ghi nhiều lần với giá trị khác nhau.",
                         "Chỉ giữ một chỗ ghi mục này, xóa các chỗ còn lại.")
                continue
            if parsed:
                self.out.data[f["key"]] = parsed[0][0]
            elif f["required"] and f["key"] not in self.out.data and not any(self.has_problem_for(v) for v in found):
                where = found[0].where if found else "Bảng thông tin sáng kiến (Đơn yêu cầu công nhận sáng kiến)"
                self.say("SK036", where, f"chưa ghi «{f['label']}».",
                         f"Ghi vào ô bên phải của dòng «{f['label']}» trong bảng thông tin, hoặc thêm một đoạn «{f['label']}: …» trong đơn "
                         "(mẫu có sẵn dòng này: sangkien template).")

    def has_problem_for(self, v: _Value) -> bool:
        return any(p.message.startswith(v.where) or v.where in p.message for p in self.out.problems)

    def read_value(self, f: dict[str, Any], v: _Value) -> Any:
        text = v.text.strip()
        kind = f["type"]
        if kind in ("choice", "choices"):
            return self.read_choice(f, v)
        if not text:
            return None
        self.out.filled += 1
        flat = " ".join(text.split())
        if kind == "ignore":
            if key(flat) not in f.get("empty", []):
                self.say("SK046", v.where, f"mục «{f['label']}» không được đưa vào kho công khai nên không nhập.",
                         "Thông tin cần bảo mật gửi riêng cho Hội đồng trên bản in; không ghi vào tệp nộp.", "warning")
            return None
        if key(flat) in f.get("empty", []):
            return None
        if kind == "date":
            try:
                return vntime.parse_typed_date(flat).isoformat()
            except vntime.TypedDateError as err:
                self.say("SK037", v.where, str(err), f"Ghi «{f['label']}» theo ngày/tháng/năm, ví dụ 25/06/2024.")
                return None
        if kind == "list":
            parts = re.split("|".join(re.escape(s) for s in f.get("separators", [","])), flat)
            return [p.strip() for p in parts if p.strip()] or None
        for suffix in f.get("strip_suffix", []):
            if flat.endswith(suffix):
                flat = flat[: -len(suffix)].rstrip()
        if f.get("strip_end") and flat.endswith(f["strip_end"]):
            flat = flat[: -len(f["strip_end"])].rstrip()
        if f.get("trailing_choice"):
            flat = self.trailing_choice(f, flat, v)
        return flat or None

    def trailing_choice(self, f: dict[str, Any], text: str, v: _Value) -> str:
        target = next(x for x in rules()["form"]["fields"] if x["key"] == f["trailing_choice"])
        m = re.search(r"\(([^()]*)\)\s*$", text)
        if m:
            for c in target["choices"]:
                if key(m.group(1)) == key(c["label"]):
                    self.values.setdefault(target["key"], []).append(_Value(c["label"], v.where))
                    return text[: m.start()].rstrip()
        return text

    def read_choice(self, f: dict[str, Any], v: _Value) -> Any:
        marks = rules()["form"]["choice_marks"]
        lines = [ln.strip() for ln in re.split(r"[\n;]", v.text) if ln.strip()]
        labels = {key(c["label"]): c["code"] for c in f["choices"]}
        labels.update({key(re.sub(r"\s*\([^)]*\)", "", c["label"])): c["code"] for c in f["choices"]})
        labels.update({key(c["code"]): c["code"] for c in f["choices"]})
        matched: list[tuple[str, bool]] = []
        for line in lines:
            checked = False
            body = line
            for m in sorted(marks["checked"], key=len, reverse=True):
                if body.startswith(m):
                    checked, body = True, body[len(m):]
                    break
            else:
                for m in sorted(marks["unchecked"], key=len, reverse=True):
                    if body.startswith(m):
                        body = body[len(m):]
                        break
            code = labels.get(key(body))
            if code is None:
                self.say("SK038", v.where, f"không nhận ra lựa chọn «{line[:80]}» của mục «{f['label']}».",
                         "Chỉ đánh dấu ☒ (hoặc gõ x) trước một dòng có sẵn trong ô; không sửa chữ của các lựa chọn. Các lựa chọn: "
                         + "; ".join(c["label"] for c in f["choices"]) + ".")
                return None
            matched.append((code, checked))
        if any(c for _, c in matched):
            chosen = [code for code, c in matched if c]
        elif len(matched) == len(f["choices"]) and len(f["choices"]) > 1:
            chosen = []
        else:
            chosen = [code for code, _ in matched]
        chosen = list(dict.fromkeys(chosen))
        if not chosen:
            if f["required"]:
                self.say("SK038", v.where, f"chưa chọn «{f['label']}».",
                         "Đánh dấu ☒ (hoặc gõ x) trước lựa chọn đúng" + (" (chọn được nhiều)" if f["type"] == "choices" else " (chọn một)") + ".")
            return None
        self.out.filled += 1
        if f["type"] == "choice":
            if len(chosen) > 1:
                self.say("SK039", v.where, f"mục «{f['label']}» chỉ chọn một nhưng đang chọn {len(chosen)}.", "Bỏ dấu ở các lựa chọn thừa, chỉ giữ một.")
                return None
            return chosen[0]
        return chosen

    # ---------------------------------------------------------------- tables of people and results
    def find_table(self, part: str, required: tuple[str, ...]) -> tuple[Table, dict[str, int]] | None:
        spec = rules()[part]
        for b in self.blocks:
            if isinstance(b, Table) and b.rows and b.number not in self.used_tables:
                cols = _columns(spec, b.rows[0])
                if all(r in cols for r in required):
                    self.used_tables.add(b.number)
                    return b, cols
        return None

    def rows(self, part: str, t: Table, cols: dict[str, int]) -> list[tuple[int, dict[str, str]]]:
        spec = rules()[part]
        content = [c["key"] for c in spec["columns"] if c["type"] != "ignore" and c["key"] in cols]
        out = []
        for r, row in enumerate(t.rows[1:], start=2):
            cells = {k: " ".join((row[i] if i < len(row) else "").split()) for k, i in cols.items()}
            if any(cells.get(k) for k in content):
                out.append((r, cells))
        return out

    def read_authors(self, start: int) -> None:
        spec = rules()["authors"]
        labels = {c["key"]: c["label"] for c in spec["columns"]}
        found = self.find_table("authors", ("name", "contribution"))
        if found is None:
            self.say("SK040", "Đơn yêu cầu công nhận sáng kiến", "không tìm thấy bảng tác giả (có cột «Họ và tên» và «Tỷ lệ đóng góp (%)»).",
                     "Dùng bảng tác giả của mẫu (sangkien template): mỗi tác giả một dòng, ghi họ tên, chức vụ, nơi công tác, trình độ, tỷ lệ đóng góp.")
            return
        t, cols = found
        authors: list[dict[str, Any]] = []
        marked: list[int] = []
        ok = True
        for r, cells in self.rows("authors", t, cols):
            self.out.filled += 1
            where = f"Bảng {t.number}, dòng {r}"
            person: dict[str, Any] = {}
            for col in spec["columns"]:
                value = cells.get(col["key"], "")
                if col["type"] in ("ignore",):
                    continue
                if col["type"] == "private":
                    if value:
                        self.say("SK046", where, f"cột «{labels[col['key']]}» có ghi nhưng không được đưa vào kho công khai nên không nhập.",
                                 "Ngày sinh chỉ ghi tay trên bản in; xóa khỏi tệp nộp nếu gửi bản điện tử.", "warning")
                    continue
                if col["type"] == "mark":
                    if value and key(value) not in ("", "khong"):
                        marked.append(len(authors))
                    continue
                if not value:
                    if col["required"]:
                        ok = False
                        self.say("SK040", where, f"tác giả thứ {len(authors) + 1} chưa ghi «{labels[col['key']]}».",
                                 f"Ghi «{labels[col['key']]}» vào cột tương ứng của bảng tác giả.")
                    continue
                if col["type"] == "percent":
                    number = parse_number(value)
                    if number is None:
                        ok = False
                        self.say("SK037", where, f"tỷ lệ đóng góp «{value}» không phải là số.", "Ghi số phần trăm, ví dụ 60 hoặc 33,5 (tổng các tác giả bằng 100).")
                        continue
                    person[col["key"]] = number
                else:
                    person[col["key"]] = value
            authors.append(person)
        if not authors:
            self.say("SK040", f"Bảng {t.number}", "bảng tác giả chưa có tác giả nào.", "Ghi mỗi tác giả một dòng trong bảng tác giả.")
            return
        if not ok:
            return
        if len(authors) > 1:
            if not marked and "representative" not in cols:
                marker = key(spec["representative_marker"])
                for b in self.blocks[:start]:
                    if isinstance(b, Paragraph) and marker in key(b.text):
                        marked += [i for i, a in enumerate(authors) if key(b.text).startswith(key(str(a.get("name", ""))))]
            marked = sorted(set(marked))
            if len(marked) != 1:
                self.say("SK040", f"Bảng {t.number}", f"nhóm {len(authors)} tác giả cần đúng một người đại diện, đang có {len(marked)}.",
                         "Gõ x vào cột «Đại diện nhóm» ở dòng của đúng một tác giả.")
                return
            authors[marked[0]]["representative"] = True
        self.out.data["participation"] = "ca-nhan" if len(authors) == 1 else "nhom"
        self.out.data["authors"] = authors

    def read_participants(self) -> None:
        found = self.find_table("participants", ("name", "task"))
        if found is None:
            return
        t, cols = found
        people = []
        for r, cells in self.rows("participants", t, cols):
            person = {c["key"]: cells[c["key"]] for c in rules()["participants"]["columns"]
                      if c["type"] == "text" and cells.get(c["key"])}
            missing = [c["label"] for c in rules()["participants"]["columns"] if c["required"] and not cells.get(c["key"])]
            if missing:
                self.say("SK040", f"Bảng {t.number}, dòng {r}", f"người tham gia áp dụng lần đầu chưa ghi «{', '.join(missing)}».",
                         "Ghi đủ họ tên, chức danh, nơi công tác, hoặc xóa dòng này.")
                continue
            people.append(person)
        if people:
            self.out.data["first_application_participants"] = people

    def read_results(self) -> None:
        found = self.find_table("results", ("indicator", "baseline", "result"))
        if found is None:
            return
        t, cols = found
        words = rules()["results"]["change_words"]
        items = []
        for r, cells in self.rows("results", t, cols):
            where = f"Bảng {t.number}, dòng {r}"
            base, result = parse_number(cells.get("baseline", "")), parse_number(cells.get("result", ""))
            if not cells.get("indicator") or base is None or result is None or not cells.get("unit"):
                self.say("SK037", where, "dòng kết quả đo được thiếu chỉ tiêu, đơn vị tính, hoặc số trước/sau khi áp dụng không phải là số.",
                         "Ghi đủ chỉ tiêu, số trước và sau khi áp dụng (chỉ ghi số), đơn vị tính; hoặc xóa dòng này.")
                continue
            self.out.filled += 1
            change = key(cells.get("change", ""))
            if change:
                down, worse = words["down"] in change, words["worse"] in change
                better = "thap-hon" if down != worse else "cao-hon"
            else:
                better = "thap-hon" if result < base else "cao-hon"
            item: dict[str, Any] = {"indicator": cells["indicator"], "baseline": base, "result": result, "unit": cells["unit"], "better": better}
            if cells.get("period"):
                item["period"] = cells["period"]
            items.append(item)
        if items:
            self.out.data["results"] = items

    # ---------------------------------------------------------------- submitted
    def read_submitted(self, start: int) -> None:
        if "submitted" in self.out.data:
            return
        pattern = re.compile(rules()["form"]["signature_date"]["pattern"], re.I)
        for b in reversed(self.blocks[:start]):
            if isinstance(b, Paragraph) and (m := pattern.search(b.text)):
                try:
                    self.out.data["submitted"] = date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
                    return
                except ValueError:
                    self.say("SK037", f"Đoạn {b.number}", f"ngày ký «{m.group(0)}» không có thật.", "Sửa ngày ký của đơn cho đúng.")
                    return

    # ---------------------------------------------------------------- the body
    def read_body(self, start: int, end: int) -> None:
        out: list[str] = []
        section_level = next((b.level for b in self.blocks[start:end] if isinstance(b, Paragraph) and b.level and section_of(b)), 2)
        last_list = False
        for b in self.blocks[start:end]:
            if isinstance(b, Table):
                if b.number in self.used_tables or not any(any(c.strip() for c in r) for r in b.rows):
                    continue
                out.append(markdown_table(b.rows))
                last_list = False
            elif isinstance(b, Image):
                self.out.images.append((f"Hình {len(self.out.images) + 1}", b))
                out.append(f"\0image{len(self.out.images)}")
                last_list = False
            else:
                text = " ".join(b.text.replace("\n", " ").split())
                if not text:
                    continue
                sec = section_of(b)
                if sec is not None:
                    self.out.sections_found.append(sec["key"])
                    out.append("## " + strip_numbering(text))
                    last_list = False
                elif b.level:
                    out.append("#" * max(2, min(6, b.level - section_level + 2)) + " " + strip_numbering(text))
                    last_list = False
                else:
                    self.out.filled += 1
                    item = None
                    if b.list:
                        item = ("1. " if b.ordered else "- ") + text
                    elif _BULLET.match(text):
                        item = "- " + _BULLET.sub("", text)
                    elif re.match(r"^\d{1,3}[.)]\s", text):
                        item = text
                    if item is not None:
                        if last_list and out:
                            out[-1] += "\n" + item
                        else:
                            out.append(item)
                        last_list = True
                    else:
                        out.append(re.sub(r"^([#>])", r"\\\1", text))
                        last_list = False
        # A heading with nothing under it (before the next heading of the same or a higher level) is left out.
        kept: list[str] = []
        for n, part in enumerate(out):
            level = len(part) - len(part.lstrip("#")) if part.startswith("#") else 0
            following = next((x for x in out[n + 1:]), None)
            next_level = len(following) - len(following.lstrip("#")) if following and following.startswith("#") else 0
            if level and (following is None or 0 < next_level <= level):
                continue
            kept.append(part)
        self.out.sections_found = [k for k in self.out.sections_found if k in filled_sections(kept)]
        self.out.body = "\n\n".join(kept)
        for sec in rules()["body"]["sections"]:
            if sec["required"] and sec["key"] not in self.out.sections_found:
                self.say("SK041", "Phần nội dung sáng kiến", f"chưa có mục «{sec['heading']}» hoặc mục này chưa có nội dung.",
                         f"Thêm một đề mục «{sec['heading']}» (kiểu Heading 2 trong Word) rồi viết nội dung bên dưới.")

    def run(self) -> Reading:
        start, end = self.body_range()
        self.collect_form(start)
        has_sections = any(isinstance(b, Paragraph) and section_of(b) for b in self.blocks[start:end])
        if not self.out.form_found and not has_sections:
            self.say("SK034", "Toàn văn bản", "không có bảng thông tin sáng kiến (Đơn yêu cầu công nhận sáng kiến) và không có đề mục «Thực trạng», «Giải pháp».",
                     "Tải mẫu bằng lệnh sangkien template (hoặc nút «Tải mẫu Word» trên trang Nộp sáng kiến), chép nội dung vào mẫu rồi nộp lại.")
            return self.out
        self.read_authors(start)
        self.read_participants()
        self.read_results()
        self.read_fields()
        self.read_submitted(start)
        self.read_body(start, end)
        if self.out.filled == 0:
            self.out.problems = [problem("SK035", self.name, 1, 1, "Toàn văn bản: mẫu chưa được điền (bảng thông tin, bảng tác giả và phần nội dung đều trống).")]
        return self.out


def filled_sections(parts: list[str]) -> set[str]:
    found = set()
    for part in parts:
        if part.startswith("## "):
            b = Paragraph(part[3:], level=2)
            sec = section_of(b)
            if sec is not None:
                found.add(str(sec["key"]))
    return found


def strip_numbering(text: str) -> str:
    return re.sub(rules()["body"]["numbering"], "", text, count=1, flags=re.I).strip() or text.strip()


def section_of(b: Paragraph) -> dict[str, Any] | None:
    text = b.text.strip()
    if not text or (not b.level and (len(text) > 80 or not (b.bold or text.isupper()))):
        return None
    k = key(strip_numbering(text))
    for sec in rules()["body"]["sections"]:
        if any(k.startswith(v) for v in sec["variants"]):
            return dict(sec)
    return None


def markdown_table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)

    def cell(text: str) -> str:
        return " ".join(text.split()).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(c) for c in r + [""] * (width - len(r))) + " |" for r in rows]
    lines.insert(1, "|" + "---|" * width)
    return "\n".join(lines)


def read(name: str, blocks: list[Block]) -> Reading:
    return _Mapper(name, blocks).run()
