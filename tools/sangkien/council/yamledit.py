"""Update one top-level list of a hand-edited decisions.yaml without touching anything else.

Why a text splice and not a YAML round-trip library: ruamel.yaml keeps comments, but it re-indents
sequences, rewraps long lines and may requote scalars across the whole file, so a council
secretary's careful layout would change in places the command never meant to touch (and the
Git diff would show it). Here the file is cut at its top-level keys (lines starting in column 0):
only the block of the one key is replaced (`scores`) or extended at its end (`recognitions`,
`revocations`); every other byte stays. Comment lines in column 0 just before the next key stay
with that key. The result is then parsed again with the strict reader and must equal the old data
with exactly the intended change, or nothing is written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sangkien import atomic, yamlstrict, yamlwrite
from sangkien.codes import problem
from sangkien.council.errors import CouncilError
from sangkien.problems import Problem
from sangkien.validator import validate

ORDER = ["campaign", "screening", "scores", "late_waivers", "recognitions", "revocations"]
_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*|\"[^\"]+\"|'[^']+')[ \t]*:(?P<rest>[ \t].*|)$")


# ---------------------------------------------------------------- emitting (sangkien.yamlwrite)
scalar = yamlwrite.scalar
item_lines = yamlwrite.item_lines
block = yamlwrite.block


# ---------------------------------------------------------------- splicing
def _spans(lines: list[str]) -> dict[str, tuple[int, int, str]]:
    """Top-level key -> (first line, end line exclusive, rest of the key line)."""
    starts: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        m = _KEY.match(line)
        if m:
            starts.append((i, m.group("key").strip("\"'"), m.group("rest")))
    out: dict[str, tuple[int, int, str]] = {}
    for n, (start, key, rest) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1  # blank lines and column-0 comments belong to what follows
        out[key] = (start, end, rest)
    return out


def _is_block(rest: str) -> bool:
    value = rest.strip()
    return value == "" or value.startswith("#")


def _insert_at(lines: list[str], spans: dict[str, tuple[int, int, str]], key: str) -> int:
    later = ORDER[ORDER.index(key) + 1:] if key in ORDER else []
    for other in later:
        if other in spans:
            start = spans[other][0]
            while start > 0 and lines[start - 1].startswith("#"):
                start -= 1  # keep a heading comment with its key
            return start
    return len(lines)


def _indent_of(lines: list[str], start: int, end: int) -> int:
    for line in lines[start + 1:end]:
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") or stripped == "-":
            return len(line) - len(stripped)
    return 2


def replace_list(text: str, key: str, items: list[dict[str, Any]]) -> str:
    lines = text.split("\n")
    trailing = lines and lines[-1] == ""
    if trailing:
        lines = lines[:-1]
    spans = _spans(lines)
    if key in spans:
        start, end, _ = spans[key]
        lines[start:end] = block(key, items, _indent_of(lines, start, end))
    else:
        at = _insert_at(lines, spans, key)
        new = block(key, items)
        if at == len(lines):
            lines.extend(([""] if lines and lines[-1].strip() else []) + new)
        else:
            lines[at:at] = [*new, ""]
    return "\n".join(lines) + "\n"


def append_items(text: str, key: str, existing: list[dict[str, Any]], items: list[dict[str, Any]]) -> str:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    spans = _spans(lines)
    if key in spans and _is_block(spans[key][2]) and existing:
        start, end, _ = spans[key]
        indent = _indent_of(lines, start, end)
        new = [line for item in items for line in item_lines(item, indent)]
        lines[end:end] = new
        return "\n".join(lines) + "\n"
    return replace_list(text, key, existing + items)


# ---------------------------------------------------------------- safe write
def read_text(path: Path) -> tuple[str, bytes | None]:
    """The file's text (LF line ends) and its original bytes (None if it does not exist)."""
    if not path.exists():
        return "", None
    raw = path.read_bytes()
    return raw.decode("utf-8-sig").replace("\r\n", "\n"), raw


def encode_like(text: str, original: bytes | None) -> bytes:
    if original and b"\r\n" in original:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if original and original.startswith(b"\xef\xbb\xbf") else data


def check_same(new_text: str, rel: str, expected: dict[str, Any]) -> None:
    """Refuse unless the spliced text parses to exactly the intended data."""
    parsed = yamlstrict.load(new_text, rel)
    if parsed.problems or parsed.data != expected:
        raise CouncilError.one("SK812", rel, "Sau khi ghép, nội dung decisions.yaml không còn đúng như dự kiến (có thể do cách viết thụt lề, "
                                             "danh sách dạng [ ... ] nhiều dòng, hay dấu --- trong tệp), nên chưa ghi gì.")


def commit(root: Path, rel: str, new_text: str, original: bytes | None) -> list[Problem]:
    """Write atomically, re-validate the file, and put the old bytes back if it is not valid.
    Returns the warnings the validator still has about the file (the caller shows them)."""
    path = root / rel
    atomic.write_bytes(path, encode_like(new_text, original))
    found = [p for p in validate(root, [str(path)]).problems if p.file == rel]
    errors = [p for p in found if p.is_error]
    if errors:
        if original is None:
            path.unlink(missing_ok=True)
        else:
            atomic.write_bytes(path, original)
        raise CouncilError(_refused(rel, errors))
    return found


def _refused(rel: str, errors: list[Problem]) -> list[Problem]:
    head = problem("SK811", rel, 1, 1, f"Nếu ghi, tệp {rel} sẽ có {len(errors)} lỗi (nêu dưới đây); tệp được giữ nguyên như trước khi chạy lệnh.")
    return [head, *errors]
