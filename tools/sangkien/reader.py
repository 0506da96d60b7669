"""Read a file the way the validator needs it: bytes -> text -> front matter + body.

Every way a file can be unreadable becomes a coded problem; nothing here raises on bad input.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from sangkien import yamlstrict
from sangkien.codes import problem
from sangkien.problems import COLUMN, LINE, Problem

MAX_FILE_BYTES = 512 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
# A paragraph pasted from Word is one line: a few thousand characters at most. Far longer lines are
# generated or hostile; every rule is linear, but a limit keeps each message and each scan small.
MAX_LINE_CHARS = 20_000
MAX_STRING_CHARS = 10_000  # one value of the front matter or of a data file (schemas allow 3,000 at most)
FENCE = "---"


@dataclass
class Document:
    """One file as read: its data with positions, the Markdown body and the reading problems."""

    path: str
    text: str = ""
    parsed: yamlstrict.Parsed = field(default_factory=yamlstrict.Parsed)
    body: str = ""
    body_line: int = 1  # 1-based line where the body starts
    problems: list[Problem] = field(default_factory=list)

    @property
    def data(self) -> object:
        return self.parsed.data

    @property
    def readable(self) -> bool:
        return isinstance(self.parsed.data, dict)


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 only, a BOM accepted with a warning, CRLF folded, NFC checked."""
    problems: list[Problem] = []
    if len(raw) > MAX_FILE_BYTES:
        kb = len(raw) // 1024
        return None, [problem("SK004", path, 1, 1, f"Tệp nặng {kb} KB, vượt giới hạn {MAX_FILE_BYTES // 1024} KB.")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        return None, [problem("SK006", path, 1, 1, "Tệp được lưu bằng mã UTF-16 (Unicode của Word/Notepad cũ), không phải UTF-8.")]
    if b"\x00" in raw:
        return None, [problem("SK005", path, 1, 1, "Tệp chứa dữ liệu nhị phân (ký tự NUL), không phải văn bản.")]
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(problem("SK002", path, 1, 1, "Tệp bắt đầu bằng dấu BOM của UTF-8."))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        start = raw.rfind(b"\n", 0, err.start) + 1
        col = len(raw[start:err.start].decode("utf-8", "replace")) + 1  # characters, as an editor counts
        problems.append(problem("SK001", path, line, col, "có byte không hợp lệ trong mã UTF-8 (thường do lưu bằng mã Windows-1258 hoặc TCVN3).", at=COLUMN))
        return None, problems
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        line = _first_non_nfc_line(text)
        problems.append(problem("SK003", path, line, 1, "chữ có dấu được gõ theo kiểu tổ hợp (NFD), khác dạng dựng sẵn (NFC) nên tìm kiếm và so trùng sẽ sai.", at=LINE))
    return text, problems


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a BOM: ASCII text with a NUL after (LE) or before (BE) every character."""
    head = raw[:2]
    return len(head) == 2 and (head[0] == 0) != (head[1] == 0)


def _first_non_nfc_line(text: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if not unicodedata.is_normalized("NFC", line):
            return number
    return 1


def read_markdown(raw: bytes, path: str) -> Document:
    """A Markdown file with YAML front matter between two `---` lines."""
    doc = Document(path)
    text, doc.problems = decode(raw, path)
    if text is None:
        return doc
    doc.text = text
    lines = text.split("\n")
    if len(text) > MAX_LINE_CHARS:  # else no line can be longer
        doc.problems.extend(_long_lines(lines, path))
    if not lines or lines[0].rstrip() != FENCE:
        first = lines[0][:40] if lines else ""
        doc.problems.append(problem("SK010", path, 1, 1, f"Dòng 1 là «{first}» chứ không phải ---."))
        return doc
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if close is None:
        doc.problems.append(problem("SK011", path, len(lines), 1, "Không tìm thấy dòng --- kết thúc phần thông tin."))
        return doc
    front = "\n".join(lines[1:close])
    if len(front) * 4 > MAX_FRONT_MATTER_BYTES and len(front.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:  # 4 bytes a character at most
        doc.problems.append(problem("SK004", path, 2, 1, f"Phần thông tin vượt {MAX_FRONT_MATTER_BYTES // 1024} KB."))
        return doc
    doc.body = "\n".join(lines[close + 1:])
    doc.body_line = close + 2
    _parse(doc, front, line_offset=1, empty_line=close + 1)
    return doc


def read_yaml(raw: bytes, path: str) -> Document:
    """A plain YAML data file (unit registry, campaign, decisions)."""
    doc = Document(path)
    text, doc.problems = decode(raw, path)
    if text is None:
        return doc
    doc.text = text
    if len(text) > MAX_LINE_CHARS:  # else no line can be longer
        doc.problems.extend(_long_lines(text.split("\n"), path))
    _parse(doc, text, line_offset=0, empty_line=1)
    return doc


def _n(number: int) -> str:
    """12.345: thousands grouped the Vietnamese way."""
    return f"{number:,}".replace(",", ".")


def _long_lines(lines: list[str], path: str) -> list[Problem]:
    """SK020 at the first line over MAX_LINE_CHARS, saying how many there are."""
    long = [number for number, line in enumerate(lines, start=1) if len(line) > MAX_LINE_CHARS]
    if not long:
        return []
    first = long[0]
    more = f" (tệp có {len(long)} dòng như vậy)" if len(long) > 1 else ""
    return [problem("SK020", path, first, MAX_LINE_CHARS + 1,
                    f"Dòng {first} dài {_n(len(lines[first - 1]))} ký tự, vượt giới hạn {_n(MAX_LINE_CHARS)} ký tự một dòng{more}.")]


def _long_strings(data: object, parsed: yamlstrict.Parsed, path: str) -> list[Problem]:
    """SK021 for every value longer than MAX_STRING_CHARS (a walk over the values: linear)."""
    out: list[Problem] = []
    stack: list[tuple[yamlstrict.Path, object]] = [((), data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((where + (k,), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((where + (i,), v) for i, v in enumerate(value))
        elif isinstance(value, str) and len(value) > MAX_STRING_CHARS:
            line, col = parsed.where(where)
            name = ".".join(str(part) for part in where) or "giá trị"
            out.append(problem("SK021", path, line, col, f"trường «{name}» dài {_n(len(value))} ký tự, vượt giới hạn "
                               f"{_n(MAX_STRING_CHARS)} ký tự.", at=LINE))
    return sorted(out, key=lambda p: (p.line, p.column))


def _parse(doc: Document, text: str, line_offset: int, empty_line: int) -> None:
    if "\t" in text:
        for number, line in enumerate(text.split("\n"), start=1 + line_offset):
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent:
                doc.problems.append(problem("SK106", doc.path, number, indent.index("\t") + 1, "thụt lề bằng phím Tab.", at=LINE))
                return
    parsed = yamlstrict.load(text, doc.path, line_offset)
    doc.parsed = parsed
    doc.problems.extend(parsed.problems)
    if parsed.problems:
        return
    if len(text) > MAX_STRING_CHARS:  # no YAML scalar is longer than its source: shorter texts need no walk
        doc.problems.extend(_long_strings(parsed.data, parsed, doc.path))
    if parsed.data is None:
        doc.problems.append(problem("SK012", doc.path, empty_line, 1, "Không có trường nào."))
    elif not isinstance(parsed.data, dict):
        doc.problems.append(problem("SK013", doc.path, 1 + line_offset, 1, "Phần thông tin là một giá trị đơn hoặc danh sách, không phải các dòng «tên_trường: giá trị»."))
        parsed.data = None
