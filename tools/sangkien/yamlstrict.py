"""Strict YAML: libyaml composes the node tree, we build the values and keep positions.

Why not yaml.safe_load: it follows YAML 1.1, so `no` becomes False, `012` becomes 10, `12:30`
becomes 750 and unquoted dates become datetime objects; it also silently keeps the last of two
duplicate keys and expands aliases (billion laughs). Here every plain scalar is resolved with
YAML 1.2 core rules where numbers keep no leading zeros, dates stay strings, duplicates,
aliases and tags are coded problems, and every value keeps its line and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import yaml

from sangkien.codes import problem
from sangkien.problems import Problem

try:  # libyaml is the fast path; the pure-Python loader gives the same nodes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]
MAX_DEPTH = 20

_STD = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge")}
_COLLECTION_TAGS = {_STD + "map", _STD + "seq"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


@dataclass
class Parsed:
    """Values with the (line, column) of every value and every mapping key, 1-based."""

    data: object = None
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def where(self, path: Path, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


def resolve_plain(text: str) -> object:
    """YAML 1.2 core schema for an unquoted scalar, except that `012` stays a string."""
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text) if len(text) <= 30 else text  # int() refuses over 4300 digits; no field needs 30
    if _FLOAT.fullmatch(text):
        number = float(text)
        return number if math.isfinite(number) else text  # 1e999 would be inf: not a JSON number
    return text


def max_flow_depth(text: str) -> int:
    """Cheap upper bound of [ { nesting, checked before libyaml recurses into it."""
    depth = best = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            best = max(best, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return best


_YAML_HINTS = (
    ("found character '\\t'", "SK106", "Có ký tự Tab dùng để thụt lề."),
    ("found a tab character", "SK106", "Có ký tự Tab dùng để thụt lề."),
    ("mapping values are not allowed", "SK100", "Có dấu hai chấm (:) ở chỗ không được phép; thường do giá trị chứa dấu hai chấm mà không đặt trong dấu nháy kép."),
    ("could not find expected ':'", "SK100", "Thiếu dấu hai chấm sau tên trường, hoặc một dòng bị xuống hàng sai."),
    ("did not find expected key", "SK100", "Thụt lề không thẳng hàng với các trường cùng cấp."),
    ("did not find expected '-' indicator", "SK100", "Các mục của danh sách (bắt đầu bằng '- ') không thẳng hàng."),
    ("found unexpected end of stream", "SK100", "Thiếu dấu nháy đóng hoặc ngoặc đóng."),
    ("found undefined alias", "SK102", "Có bí danh (*) không được định nghĩa."),
    ("expected a single document", "SK104", "Có nhiều hơn một tài liệu YAML."),
    ("while scanning a quoted scalar", "SK100", "Thiếu dấu nháy đóng của một giá trị."),
    ("found unknown escape character", "SK100", "Có dấu \\ không hợp lệ trong chuỗi đặt trong nháy kép; dùng nháy đơn hoặc viết \\\\."),
    ("control characters are not allowed", "SK100", "Có ký tự điều khiển không được phép trong tệp."),
)


def _translate(err: yaml.YAMLError, file: str, line_offset: int, source: str = "") -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = (mark.line + 1 + line_offset) if mark else 1 + line_offset
    col = (mark.column + 1) if mark else 1
    text = str(err)
    lines = source.split("\n")
    if mark and mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t":
        text = "found character '\\t'"  # libyaml only says "cannot start any token"
    for needle, code, what in _YAML_HINTS:
        if needle in text:
            return problem(code, file, line, col, f"Dòng {line}, cột {col}: {what}")
    return problem("SK100", file, line, col, f"Dòng {line}, cột {col}: phần thông tin không đọc được theo cú pháp YAML.")


def load(text: str, file: str, line_offset: int = 0) -> Parsed:
    """Parse one YAML document. `line_offset` is the number of lines before it in the file."""
    out = Parsed()
    if max_flow_depth(text) > MAX_DEPTH:
        out.problems.append(problem("SK105", file, 1 + line_offset, 1, f"Phần thông tin lồng nhau quá {MAX_DEPTH} tầng."))
        return out
    try:
        aliases, deep = _scan(text)
        if deep is not None:  # libyaml's composer recurses in C: thousands of `- - -` levels overflow its stack
            line = deep.line + 1 + line_offset
            out.problems.append(problem("SK105", file, line, deep.column + 1, f"Dòng {line}: phần thông tin lồng nhau quá {MAX_DEPTH} tầng."))
            return out
        if aliases:  # the composer would hand back the anchored node, without the alias's place
            line, col = aliases[0].line + 1 + line_offset, aliases[0].column + 1
            more = f" (tệp có {len(aliases)} bí danh)" if len(aliases) > 1 else ""
            out.problems.append(problem("SK102", file, line, col, f"Dòng {line}: có bí danh YAML (*) lặp lại một giá trị đã neo (&){more}."))
            return out
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as err:
        out.problems.append(_translate(err, file, line_offset, text))
        return out
    except (ValueError, RecursionError, MemoryError):  # libyaml refusing odd input
        out.problems.append(problem("SK100", file, 1 + line_offset, 1, "Phần thông tin không đọc được theo cú pháp YAML."))
        return out
    if node is None:
        return out
    _Builder(out, file, line_offset).build(node)
    return out


def _scan(text: str) -> tuple[list[yaml.Mark], yaml.Mark | None]:
    """Where every alias (*name) is written, and where nesting first passes MAX_DEPTH.

    Parsing events is iterative (no recursion, no alias expansion), so it is safe on any input.
    """
    aliases: list[yaml.Mark] = []
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return aliases, event.start_mark
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases.append(event.start_mark)
    return aliases, None


class _Builder:
    def __init__(self, out: Parsed, file: str, line_offset: int) -> None:
        self.out = out
        self.file = file
        self.offset = line_offset
        self.seen: set[int] = set()

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.offset, node.start_mark.column + 1

    def _fail(self, code: str, node: yaml.Node, what: str) -> None:
        line, col = self._pos(node)
        self.out.problems.append(problem(code, self.file, line, col, f"Dòng {line}: {what}"))

    def build(self, root: yaml.Node) -> None:
        self.out.data = self._value(root, (), 0)

    def _value(self, node: yaml.Node, path: Path, depth: int) -> object:
        if depth > MAX_DEPTH:
            self._fail("SK105", node, f"lồng nhau quá {MAX_DEPTH} tầng.")
            return None
        if id(node) in self.seen:
            self._fail("SK102", node, "có bí danh YAML (*) lặp lại một nhóm giá trị.")
            return None
        self.seen.add(id(node))
        self.out.values[path] = self._pos(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if node.tag not in _COLLECTION_TAGS:
            self._fail("SK103", node, f"có thẻ YAML không được phép ({node.tag}).")
            return None
        if isinstance(node, yaml.SequenceNode):
            return [self._value(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._mapping(node, path, depth)

    def _scalar(self, node: yaml.ScalarNode) -> object:
        if node.tag not in _PLAIN_TAGS:
            self._fail("SK103", node, f"có thẻ YAML không được phép ({node.tag}).")
            return None
        if node.tag == _STD + "merge":
            self._fail("SK102", node, "có khóa gộp YAML (<<).")
            return None
        if node.style or node.tag == _STD + "str":  # quoted or block (libyaml gives "" for plain)
            return node.value
        return resolve_plain(node.value)

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict:
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail("SK107", key_node, "tên trường phải là chữ, không phải danh sách hay nhóm.")
                continue
            if key_node.tag == _STD + "merge":
                self._fail("SK102", key_node, "có khóa gộp YAML (<<).")
                continue
            key = key_node.value
            if key in result:
                first = self.out.keys.get(path + (key,), (0, 0))[0]
                self._fail("SK101", key_node, f"trường «{key}» xuất hiện lần nữa (lần đầu ở dòng {first}).")
                continue
            self.out.keys[path + (key,)] = self._pos(key_node)
            result[key] = self._value(value_node, path + (key,), depth + 1)
        return result
