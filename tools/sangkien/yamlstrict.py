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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias, cast

import yaml

from sangkien.codes import problem
from sangkien.problems import COLUMN, LINE, Problem

try:  # libyaml is the fast path; the pure-Python loader gives the same nodes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

if TYPE_CHECKING:
    from yaml._yaml import Mark as _CMark

Path = tuple[str | int, ...]
# Where libyaml's events and errors start: its own Mark (CSafeLoader) or the pure-Python one.
_Mark: TypeAlias = "yaml.Mark | _CMark"
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


# Every null, bool and number above starts with one of these (or is empty): other plain
# scalars (most of them: words, codes) are strings without a lookup.
_TYPED_FIRST = frozenset("~nNtTfF-+.0123456789")


def resolve_plain(text: str) -> object:
    """YAML 1.2 core schema for an unquoted scalar, except that `012` stays a string."""
    if text and text[0] not in _TYPED_FIRST:
        return text
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
    openers = text.count("[") + text.count("{")
    if openers <= MAX_DEPTH:  # nesting never passes the number of openers: no need to follow them
        return openers
    depth = best = 0
    for m in _BRACKETS.finditer(text):  # only the brackets: a front matter has a handful
        if m.group() in "[{":
            depth += 1
            best = max(best, depth)
        else:
            depth = max(depth - 1, 0)
    return best


_BRACKETS = re.compile(r"[\[\]{}]")


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
            return problem(code, file, line, col, what, at=COLUMN)
    return problem("SK100", file, line, col, "phần thông tin không đọc được theo cú pháp YAML.", at=COLUMN)


def load(text: str, file: str, line_offset: int = 0) -> Parsed:
    """Parse one YAML document. `line_offset` is the number of lines before it in the file.

    One pass of libyaml's parser: the values are built from its events. `load_reference` (two
    passes: events, then libyaml's composer) gives exactly the same result and is kept as the
    oracle of tests/test_scale_equivalence.py; the composer pass cost most of the parse time.
    """
    out = Parsed()
    if max_flow_depth(text) > MAX_DEPTH:
        out.problems.append(problem("SK105", file, 1 + line_offset, 1, f"Phần thông tin lồng nhau quá {MAX_DEPTH} tầng."))
        return out
    try:
        events, aliases, deep, documents = _events(text)
        if deep is not None:  # libyaml's composer recurses in C: thousands of `- - -` levels overflow its stack
            line = deep.line + 1 + line_offset
            out.problems.append(problem("SK105", file, line, deep.column + 1, f"phần thông tin lồng nhau quá {MAX_DEPTH} tầng.", at=LINE))
            return out
        if aliases:  # the composer would hand back the anchored node, without the alias's place
            line, col = aliases[0].line + 1 + line_offset, aliases[0].column + 1
            more = f" (tệp có {len(aliases)} bí danh)" if len(aliases) > 1 else ""
            out.problems.append(problem("SK102", file, line, col, f"có bí danh YAML (*) lặp lại một giá trị đã neo (&){more}.", at=LINE))
            return out
        if documents > 1 or "&" in text:  # else there is neither a second document nor an anchor to refuse
            _compose_errors(events)  # what the composer refuses: duplicate anchors, a second document
    except yaml.YAMLError as err:
        out.problems.append(_translate(err, file, line_offset, text))
        return out
    except (ValueError, RecursionError, MemoryError):  # libyaml refusing odd input
        out.problems.append(problem("SK100", file, 1 + line_offset, 1, "Phần thông tin không đọc được theo cú pháp YAML."))
        return out
    _EventBuilder(out, file, line_offset, events).build()
    return out


def load_reference(text: str, file: str, line_offset: int = 0) -> Parsed:
    """The two-pass parse (events, then libyaml's composer and a node walk): slower, same result
    as `load`. Kept as the oracle that the equivalence tests compare `load` with."""
    out = Parsed()
    if max_flow_depth(text) > MAX_DEPTH:
        out.problems.append(problem("SK105", file, 1 + line_offset, 1, f"Phần thông tin lồng nhau quá {MAX_DEPTH} tầng."))
        return out
    try:
        aliases, deep = _scan(text)
        if deep is not None:
            line = deep.line + 1 + line_offset
            out.problems.append(problem("SK105", file, line, deep.column + 1, f"phần thông tin lồng nhau quá {MAX_DEPTH} tầng.", at=LINE))
            return out
        if aliases:
            line, col = aliases[0].line + 1 + line_offset, aliases[0].column + 1
            more = f" (tệp có {len(aliases)} bí danh)" if len(aliases) > 1 else ""
            out.problems.append(problem("SK102", file, line, col, f"có bí danh YAML (*) lặp lại một giá trị đã neo (&){more}.", at=LINE))
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


def _start(event: yaml.Event) -> _Mark:
    """Where `event` starts: the parser gives every event its start mark."""
    mark = event.start_mark
    assert mark is not None
    return mark


def _events(text: str) -> tuple[list[yaml.Event], list[_Mark], _Mark | None, int]:
    """Every event of the stream (parsing them is iterative: no recursion, no alias expansion),
    where aliases are written, where nesting first passes MAX_DEPTH (then parsing stops), and
    how many documents started."""
    events: list[yaml.Event] = []
    aliases: list[_Mark] = []
    depth = 0
    documents = 0
    loader = _Loader(text)
    try:
        get = loader.get_event  # what yaml.parse() iterates, without its generator
        while True:
            event = get()
            assert event is not None  # None only after StreamEnd, where the loop has returned
            kind = type(event)
            events.append(event)
            if kind is yaml.ScalarEvent:
                continue
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    return events, aliases, event.start_mark, documents
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
            elif kind is yaml.AliasEvent:
                aliases.append(_start(event))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
            elif kind is yaml.StreamEndEvent:
                return events, aliases, None, documents
    finally:
        loader.dispose()


def _compose_errors(events: list[yaml.Event]) -> None:
    """Raise what libyaml's composer raises on an alias-free stream (same messages and marks):
    an anchor defined twice in the first document, then a second document."""
    anchors: dict[str, _Mark] = {}
    documents = 0
    root: _Mark | None = None
    for event in events:
        kind = type(event)
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents == 2:
                # cast: the stubs name only the pure-Python Mark; libyaml's composer raises with its own
                raise yaml.composer.ComposerError("expected a single document in the stream", cast("yaml.Mark | None", root),
                                                  "but found another document", cast("yaml.Mark | None", event.start_mark))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent or kind is yaml.DocumentEndEvent:
            continue
        elif documents == 1 and kind is not yaml.StreamEndEvent:
            if root is None:
                root = event.start_mark  # the composer names the root node's start
            assert isinstance(event, yaml.NodeEvent)  # a scalar, alias or collection start
            anchor = event.anchor
            if anchor is not None:
                if anchor in anchors:
                    raise yaml.composer.ComposerError("found duplicate anchor; first occurrence", cast("yaml.Mark", anchors[anchor]),
                                                      "second occurrence", cast("yaml.Mark | None", event.start_mark))
                anchors[anchor] = _start(event)


def _scan(text: str) -> tuple[list[_Mark], _Mark | None]:
    """Where every alias (*name) is written, and where nesting first passes MAX_DEPTH.

    Parsing events is iterative (no recursion, no alias expansion), so it is safe on any input.
    """
    aliases: list[_Mark] = []
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return aliases, event.start_mark
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases.append(_start(event))
    return aliases, None


class _Builder:
    def __init__(self, out: Parsed, file: str, line_offset: int) -> None:
        self.out = out
        self.file = file
        self.offset = line_offset
        self.seen: set[int] = set()

    def _pos(self, node: yaml.Node | yaml.Event) -> tuple[int, int]:
        mark = node.start_mark
        assert mark is not None  # the composer and the parser give every node and event its start
        return mark.line + 1 + self.offset, mark.column + 1

    def _fail(self, code: str, node: yaml.Node | yaml.Event, what: str) -> None:
        line, col = self._pos(node)
        self.out.problems.append(problem(code, self.file, line, col, f"{what}", at=LINE))

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
        assert isinstance(node, yaml.MappingNode)  # the composer makes scalars, sequences and mappings
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

    def _mapping(self, node: yaml.MappingNode, path: Path, depth: int) -> dict[str, object]:
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


# The loader's resolver is untyped in the stubs: (node class, value, implicit) -> tag.
_RESOLVE: Callable[[type[yaml.Node], str | None, tuple[bool, bool] | bool], str] = _Loader("").resolve  # the loader's own YAML 1.1 implicit resolver, as its composer calls it
_STR, _MERGE = _STD + "str", _STD + "merge"
_TAGS: dict[tuple[str, tuple[bool, bool]], str] = {}
# A scalar not resolved implicitly (implicit[0] False: quoted, block, `!`) gets the default str
# tag when the loader has no path resolvers (it has none: they are a PyYAML feature nobody here adds).
_UNRESOLVED_IS_STR = not _Loader.yaml_path_resolvers and _RESOLVE(yaml.ScalarNode, "0", (False, True)) == _STR
# The first characters under which the loader files implicit resolvers; None (any scalar) must
# not be among them for the shortcut in _scalar_tag.
_IMPLICIT_FIRST = frozenset(_Loader.yaml_implicit_resolvers)
_FILED_BY_FIRST = _UNRESOLVED_IS_STR and None not in _IMPLICIT_FIRST
# The first characters of the plain scalars the loader's implicit resolvers can tag as a merge
# key (None: any scalar). Only these are resolved when a mapping key is checked for `<<`.
_MERGE_FIRST = frozenset(first for first, pairs in _Loader.yaml_implicit_resolvers.items() for tag, _ in pairs if tag == _MERGE)


def _scalar_tag(value: str, implicit: tuple[bool, bool]) -> str:
    """`_RESOLVE(ScalarNode, value, implicit)`, remembered for short values (field names and
    codes repeat in every file). The loader's resolver tables are fixed once PyYAML is loaded:
    nothing adds implicit resolvers to it (other tools subclass their own loaders)."""
    if len(value) > 40:
        if _FILED_BY_FIRST and value[0] not in _IMPLICIT_FIRST:  # no implicit resolver is filed under its first character
            return _STR
        return _RESOLVE(yaml.ScalarNode, value, implicit)
    key = (value, implicit)
    tag = _TAGS.get(key)
    if tag is None:
        if len(_TAGS) > 4096:
            _TAGS.clear()
        tag = _TAGS[key] = _RESOLVE(yaml.ScalarNode, value, implicit)
    return tag


class _EventBuilder(_Builder):
    """The values of `_Builder`, walking libyaml's events instead of the composed nodes.

    Tags are resolved the way the composer resolves them (an explicit tag is kept; no tag or
    the non-specific `!` goes through the loader's implicit resolver), so every check of
    `_Builder` sees the same tag, value, style and mark.
    """

    def __init__(self, out: Parsed, file: str, line_offset: int, events: list[yaml.Event]) -> None:
        super().__init__(out, file, line_offset)
        self.events = events
        self.i = 0

    def build(self) -> None:  # type: ignore[override]
        events = self.events
        # StreamStart, then (if the stream has a document) DocumentStart and its root node.
        if len(events) > 2 and isinstance(events[1], yaml.DocumentStartEvent):
            self.i = 2
            self.out.data = self._event_value((), 0)

    @staticmethod
    def _tag(event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> str:
        tag = event.tag
        if tag is not None and tag != "!":
            return tag
        if isinstance(event, yaml.ScalarEvent):
            return _scalar_tag(event.value, event.implicit)
        kind = yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingNode
        return _RESOLVE(kind, None, event.implicit)

    def _skip(self) -> None:
        """Step over the node at self.i without looking at it (the composer's value is dropped)."""
        depth = 0
        while True:
            event = self.events[self.i]
            self.i += 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if depth == 0:
                return

    def _event_value(self, path: Path, depth: int) -> object:
        events = self.events
        event = events[self.i]
        if depth > MAX_DEPTH:
            self._fail("SK105", event, f"lồng nhau quá {MAX_DEPTH} tầng.")
            self._skip()
            return None
        offset = self.offset
        values = self.out.values
        mark = event.start_mark
        assert mark is not None
        values[path] = (mark.line + 1 + offset, mark.column + 1)
        if type(event) is yaml.ScalarEvent:
            self.i += 1
            return self._scalar_event(event)
        assert isinstance(event, yaml.CollectionStartEvent)  # no aliases: load() refused them
        tag = self._tag(event)
        if tag not in _COLLECTION_TAGS:
            self._fail("SK103", event, f"có thẻ YAML không được phép ({tag}).")
            self._skip()
            return None
        self.i += 1
        scalar = yaml.ScalarEvent
        if type(event) is yaml.SequenceStartEvent:
            items: list[object] = []
            while True:
                item = events[self.i]
                kind = type(item)
                if kind is yaml.SequenceEndEvent:
                    break
                if type(item) is scalar:  # inline the common case: a scalar item
                    mark = item.start_mark
                    assert mark is not None
                    values[path + (len(items),)] = (mark.line + 1 + offset, mark.column + 1)
                    self.i += 1
                    items.append(self._scalar_event(item))
                else:
                    items.append(self._event_value(path + (len(items),), depth + 1))
            self.i += 1
            return items
        result: dict[str, object] = {}
        keys = self.out.keys
        while True:
            key_event = events[self.i]
            kind = type(key_event)
            if kind is yaml.MappingEndEvent:
                break
            if type(key_event) is not scalar:
                self._fail("SK107", key_event, "tên trường phải là chữ, không phải danh sách hay nhóm.")
                self._skip()
                self._skip()
                continue
            self.i += 1
            key_tag = key_event.tag
            may_merge = (key_tag is not None and key_tag != "!") or None in _MERGE_FIRST or key_event.value[:1] in _MERGE_FIRST
            if may_merge and self._tag(key_event) == _MERGE:
                self._fail("SK102", key_event, "có khóa gộp YAML (<<).")
                self._skip()
                continue
            key = key_event.value
            if key in result:
                first = keys.get(path + (key,), (0, 0))[0]
                self._fail("SK101", key_event, f"trường «{key}» xuất hiện lần nữa (lần đầu ở dòng {first}).")
                self._skip()
                continue
            here = path + (key,)
            mark = key_event.start_mark
            assert mark is not None
            keys[here] = (mark.line + 1 + offset, mark.column + 1)
            item = events[self.i]
            if type(item) is scalar:  # inline the common case: a scalar value
                mark = item.start_mark
                assert mark is not None
                values[here] = (mark.line + 1 + offset, mark.column + 1)
                self.i += 1
                result[key] = self._scalar_event(item)
            else:
                result[key] = self._event_value(here, depth + 1)
        self.i += 1
        return result

    def _scalar_event(self, event: yaml.ScalarEvent) -> object:
        """The value of a scalar whose position is recorded (as `_Builder._scalar`)."""
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0] and _UNRESOLVED_IS_STR:  # quoted, block or `!`: str, as the resolver says
                return event.value
            tag = _scalar_tag(event.value, event.implicit)
        if tag not in _PLAIN_TAGS:
            self._fail("SK103", event, f"có thẻ YAML không được phép ({tag}).")
            return None
        if tag == _MERGE:
            self._fail("SK102", event, "có khóa gộp YAML (<<).")
            return None
        if event.style or tag == _STR:  # quoted or block (libyaml gives "" for plain)
            return event.value
        return resolve_plain(event.value)
