"""The JSON Schemas: where they live, and their errors turned into Vietnamese problems.

The repository's own `schema/` folder wins, so a province that edits its schemas is checked
against them; a package installed elsewhere (pre-commit) falls back to the copy it ships. The
trusted PR check (`validate --trusted`) reads a pull request's tree as data only: there the
installed copy (installed from the base branch) is used whatever the tree holds.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # jsonschema is imported when an error must be explained (a warm run never needs it)
    from collections.abc import Callable

    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError

from sangkien.codes import problem
from sangkien.problems import LINE, Key, Problem
from sangkien.yamlstrict import Parsed

Schema = dict[str, Any]  # a JSON Schema, or one of its nodes, as json.loads gives it
KINDS = ("entry", "nomination", "campaign", "units", "decisions", "replication")


def _packaged() -> Path:
    """The schemas shipped in the package (schema/ mapped to sangkien.schema_data)."""
    spec = importlib.util.find_spec("sangkien.schema_data")
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(__file__).resolve().parents[2] / "schema"  # a source checkout


PACKAGED = _packaged()
_only_packaged = False


def use_packaged_only() -> None:
    """From now on, in this process and the workers it forks, ignore every tree's own schema/."""
    global _only_packaged
    _only_packaged = True


def schema_dir(root: Path) -> Path:
    own = root / "schema"
    return own if not _only_packaged and (own / "entry.schema.json").is_file() else PACKAGED


@lru_cache(maxsize=32)
def _load(directory: str, kind: str) -> Schema:
    schema: Schema = json.loads((Path(directory) / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return schema


def load_schema(root: Path, kind: str) -> Schema:
    return _load(str(schema_dir(root)), kind)


@lru_cache(maxsize=32)
def _validator(directory: str, kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_load(directory, kind), format_checker=_format_checker())


# A date must exist and fall in years the tools can compute with (deadline arithmetic and
# Vietnam time overflow near year 1 and 9999); no record of a reform initiative lies outside.
FIRST_YEAR, LAST_YEAR = 1900, 2199


@lru_cache(maxsize=1)
def _format_checker() -> FormatChecker:
    """Only "date" is checked (with _date; a ValueError from it means "not a date")."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=[])
    checker.checks("date", raises=ValueError)(_date)
    return checker


def _date(value: object) -> bool:
    return not isinstance(value, str) or FIRST_YEAR <= date.fromisoformat(value).year <= LAST_YEAR


def validator(root: Path, kind: str) -> Draft202012Validator:
    return _validator(str(schema_dir(root)), kind)


# ----------------------------------------------------------------- fast path
# A compiled validator (fastjsonschema) answers "valid?" about 7 times faster than jsonschema;
# jsonschema still finds and explains every error. The fast path may only ever be stricter than
# jsonschema (a file it refuses is handed to jsonschema), never laxer, so it is used only for
# schemas whose every keyword fastjsonschema's draft 7 checks the way Draft 2020-12 does:
# - `$ref` with sibling keywords (applied in 2020-12, ignored by draft 7) is rewritten as allOf;
# - formats are checked as our FormatChecker does (only "date", with the same function);
# - defaults are never filled in (fastjsonschema would write them into the data);
# - any other keyword (prefixItems, unevaluatedProperties, dependentRequired, $dynamicRef...)
#   turns the fast path off for that schema.
_FAST_KEYWORDS = {
    "type", "properties", "required", "additionalProperties", "patternProperties", "propertyNames", "items",
    "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "pattern", "format", "enum", "const", "oneOf", "anyOf", "allOf", "not",
    "if", "then", "else", "minProperties", "maxProperties", "$ref", "$defs", "definitions",
    # annotations: no effect on validity
    "title", "description", "examples", "default", "$comment", "deprecated", "readOnly", "writeOnly", "$schema", "$id",
}
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")
_SUBSCHEMA_ONE = ("additionalProperties", "propertyNames", "items", "not", "if", "then", "else")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def _fast_form(node: object, formats: set[str]) -> Schema | bool:
    """A copy of a schema node that fastjsonschema's draft 7 reads as 2020-12 does; raises
    ValueError for a keyword it might read differently."""
    if isinstance(node, bool):
        return node
    if not isinstance(node, dict):
        raise ValueError("schema node is not an object")
    unknown = set(node) - _FAST_KEYWORDS
    if unknown:
        raise ValueError(f"keywords {sorted(unknown)}")
    out: Schema = {}
    for key, value in node.items():
        if key in ("$schema", "$id"):
            continue  # local $refs only; never let a validator fetch or switch drafts
        if key in _SUBSCHEMA_MAPS:
            out[key] = {k: _fast_form(v, formats) for k, v in value.items()}
        elif key in _SUBSCHEMA_ONE:
            if key == "items" and isinstance(value, list):
                raise ValueError("items as a list (tuple validation) differs between drafts")
            out[key] = _fast_form(value, formats)
        elif key in _SUBSCHEMA_LISTS:
            out[key] = [_fast_form(v, formats) for v in value]
        elif key == "$ref":
            if not isinstance(value, str) or not value.startswith("#"):
                raise ValueError("only local references")
            out[key] = value
        else:
            out[key] = value
            if key == "format":
                formats.add(str(value))
    if "$ref" in out and any(k not in ("$ref", "title", "description", "examples", "default", "$comment", "$defs", "definitions") for k in out):
        ref = out.pop("$ref")
        out["allOf"] = [{"$ref": ref}, *out.get("allOf", [])]
    for key in ("oneOf", "anyOf"):
        # An enumeration written as oneOf/anyOf of {const, title}: "one of these distinct strings"
        # is `enum`, which fastjsonschema checks in one step instead of one exception per option.
        options = out.get(key)
        if (isinstance(options, list) and options and key in node and all(_bare_const(o) for o in options)
                and len({o["const"] for o in options}) == len(options)):
            del out[key]
            out["allOf"] = [*out.get("allOf", []), {"enum": [o["const"] for o in options]}]
    return out


def _bare_const(option: object) -> bool:
    """{const: "a string", title...}: nothing else that validates."""
    return (isinstance(option, dict) and isinstance(option.get("const"), str)
            and set(option) <= {"const", "title", "description", "examples", "$comment", "deprecated"})


def _date_ok(value: object) -> bool:
    try:
        return _date(value)
    except ValueError:
        return False


def _inlined(node: object, root: Schema, expanding: tuple[str, ...] = ()) -> object:
    """`node` with every local `$ref` replaced by a copy of what it points to (a reference met
    again inside its own expansion stays a `$ref`). Draft 7 ignores a `$ref`'s siblings, and
    _fast_form moved the ones that validate into allOf, so the result validates as `node` does;
    fastjsonschema then checks it inline instead of calling a function per reference, each call
    formatting its path with `locals()` (a fifth of the check of an entry)."""
    if isinstance(node, list):
        return [_inlined(item, root, expanding) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/") and ref not in expanding:
        target: object = root
        for part in ref[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(target, dict) else None
        if isinstance(target, (dict, bool)):
            return _inlined(target, root, (*expanding, ref))
    return {key: (value if key in ("enum", "const", "examples", "default") else _inlined(value, root, expanding))
            for key, value in node.items()}


@lru_cache(maxsize=32)
def _fast(directory: str, kind: str, inline: bool = True) -> Callable[[Any], Any] | None:
    """The compiled validator of a schema, or None when the fast path cannot be trusted for it.
    `inline=False`: the references left as they are (the oracle of the inlined form)."""
    try:
        import fastjsonschema
    except ImportError:  # pragma: no cover - a runtime dependency; jsonschema alone still works
        return None
    formats: set[str] = set()
    try:
        schema = _fast_form(_load(directory, kind), formats)
        if inline and isinstance(schema, dict):
            schema = cast(Schema, _inlined(schema, schema))
    except (ValueError, AttributeError, TypeError, RecursionError):
        return None
    # Our FormatChecker checks "date" only; every other format is an annotation, as in jsonschema.
    checks = {name: (_date_ok if name == "date" else (lambda value: True)) for name in formats}
    try:
        return fastjsonschema.compile(schema, formats=checks, use_default=False)
    except Exception:  # a schema fastjsonschema cannot compile goes the slow way
        return None


def fast_valid(root: Path, kind: str, data: object) -> bool:
    """True only when the data is valid; False means "ask jsonschema" (it may still be valid)."""
    check = _fast(str(schema_dir(root)), kind)
    if check is None:
        return False
    try:
        check(data)
    except Exception:  # JsonSchemaException, or anything odd: let jsonschema decide
        return False
    return True


# ----------------------------------------------------------------- schema walking
def resolve(schema: Schema, node: Schema) -> Schema:
    """Follow a local `$ref` (the schemas only use `#/$defs/...`)."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 10:
        target = schema
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target.get(part, {})
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


def subschema(schema: Schema, path: Key) -> Schema:
    """The schema that describes the value at `path` of an instance."""
    node = resolve(schema, schema)
    for part in path:
        if isinstance(part, int):
            node = resolve(schema, node.get("items", {}))
        else:
            props = node.get("properties", {})
            node = resolve(schema, props.get(part, node.get("additionalProperties") if isinstance(node.get("additionalProperties"), dict) else {}))
    return node


def choices(schema: Schema, node: Schema) -> list[tuple[str, str]]:
    """(value, label) pairs of an enumeration written as enum or oneOf of const/title."""
    node = resolve(schema, node)
    if "enum" in node:
        return [(str(v), str(v)) for v in node["enum"]]
    options = node.get("oneOf", [])
    if options and all("const" in o for o in options):
        return [(str(o["const"]), o.get("title", str(o["const"]))) for o in options]
    return []


def label(schema: Schema, path: Key) -> str:
    """«Vietnamese title» (dotted.path) for messages."""
    dotted = display_path(path)
    title = subschema(schema, path).get("title") if path else None
    return f"«{title}» ({dotted})" if title else f"({dotted})" if dotted else "phần thông tin"


def display_path(path: Key) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# ----------------------------------------------------------------- errors -> problems
_TYPES = {
    "string": "chữ (văn bản)",
    "number": "số",
    "integer": "số nguyên",
    "boolean": "true hoặc false",
    "array": "danh sách (mỗi mục một dòng bắt đầu bằng «- »)",
    "object": "nhóm trường (các dòng «tên: giá trị» thụt lề bên dưới)",
    "null": "để trống",
}
_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
PERSONAL_KEYS = re.compile(r"(birth|dob|ngay_?sinh|nam_?sinh|phone|mobile|dien_?thoai|sdt|cccd|cmnd|citizen|id_?card|home|dia_?chi_?nha|address)", re.I)


def schema_problems(root: Path, kind: str, parsed: Parsed, file: str) -> list[Problem]:
    if fast_valid(root, kind, parsed.data):  # most files are valid: no error to explain
        return []
    schema = load_schema(root, kind)
    found: list[Problem] = []
    seen: set[tuple[str, int, str]] = set()
    for error in validator(root, kind).iter_errors(parsed.data):
        for p in _translate(schema, error, parsed, file):
            key = (p.code, p.line, p.message)
            if key not in seen:
                seen.add(key)
                found.append(p)
    return found


# Errors about what a value is (its type or form), not about its size: such a value is taken out
# once reported, so rules and the model only ever meet the types the schema promises.
_PRUNED = {"type", "enum", "const", "oneOf", "anyOf", "pattern", "format"}


def prune_invalid(root: Path, kind: str, data: object) -> None:
    """Delete (in mappings) or blank to None (in lists, so positions stay) every value of the
    wrong type or form. Call after schema_problems reported them."""
    paths = {tuple(e.absolute_path) for e in validator(root, kind).iter_errors(data) if e.validator in _PRUNED}
    for path in sorted(paths, key=len, reverse=True):
        parent = data
        for part in path[:-1]:
            parent = parent[part] if isinstance(parent, (dict, list)) and _has(parent, part) else None
        if path and isinstance(parent, dict) and path[-1] in parent:
            del parent[path[-1]]
        elif path and isinstance(parent, list) and _has(parent, path[-1]):
            parent[path[-1]] = None


def _has(container: dict[Any, Any] | list[Any], key: object) -> bool:
    if isinstance(container, dict):
        return key in container
    return isinstance(key, int) and 0 <= key < len(container)


def _type_names(expected: object) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " hoặc ".join(_TYPES.get(str(n), str(n)) for n in names)


def _translate(schema: Schema, error: ValidationError, parsed: Parsed, file: str) -> list[Problem]:
    path = tuple(error.absolute_path)
    v = error.validator
    value = error.instance
    # The schema node whose keyword failed: a JSON object wherever a keyword fired (the stubs also
    # allow a boolean schema and jsonschema's unset marker).
    node = cast(Schema, error.schema)
    # What the failed keyword holds (a list of names for "required", of subschemas for "oneOf").
    held: Any = error.validator_value
    line, col = parsed.where(path)
    where = label(schema, path)

    if v == "required":
        missing = [k for k in held if not isinstance(value, dict) or k not in value]
        out = []
        for key in missing:
            what = label(schema, path + (key,))
            parent = f" trong {where}" if path else ""
            out.append(problem("SK201", file, line, col, f"thiếu trường bắt buộc {what}{parent}.",
                               f"Thêm dòng «{key}: …» vào {'nhóm ' + where if path else 'phần thông tin giữa hai dòng ---'}.", at=LINE,
                               key=path + (key,)))
        return out
    if v in ("additionalProperties", "unevaluatedProperties"):
        allowed = list(resolve(schema, node).get("properties", {}))
        extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        out = []
        for key in extras:
            kl, kc = parsed.where(path + (key,), key=True)
            if PERSONAL_KEYS.search(key):
                out.append(problem("SK502", file, kl, kc, f"trường «{key}» chứa thông tin cá nhân, không được đưa lên kho công khai.", at=LINE,
                                   key=path + (key,)))
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            fix = f"Có phải ý bạn là «{close[0]}»? Sửa lại tên trường." if close else f"Xóa trường này. Các trường được phép: {', '.join(allowed)}."
            out.append(problem("SK202", file, kl, kc, f"trường «{key}» không có trong mẫu{' của ' + where if path else ''}.", fix, at=LINE,
                               key=path + (key,)))
        return out
    if v in ("oneOf", "anyOf", "enum", "const") and choices(schema, node):
        options = choices(schema, node)
        allowed = [c for c, _ in options]
        close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.5)
        listing = "; ".join(f"{c} ({lab})" for c, lab in options)
        fix = (f"Có phải ý bạn là «{close[0]}»? " if close else "") + f"Giá trị được phép: {listing}."
        return [problem("SK204", file, line, col, f"{where} có giá trị «{value}» không nằm trong danh sách cho phép.", fix, at=LINE, key=path)]
    if v == "oneOf":
        keys = sorted({k for o in held for k in o.get("required", [])})
        if keys:
            return [problem("SK208", file, line, col, f"{where} phải có đúng một trong các trường: {', '.join(keys)}.",
                            f"Giữ lại một trong các trường {', '.join(keys)}.", at=LINE, key=path)]
    if v == "type":
        expected = _type_names(error.validator_value)
        fix = f"Ghi giá trị dạng {expected}."
        if error.validator_value == "string" and not isinstance(value, (dict, list)):
            fix = f'Đặt giá trị trong dấu nháy kép, ví dụ: "{_shown(value)}".'
        return [problem("SK203", file, line, col, f"{where} phải là {expected}, nhưng đang là «{_shown(value)}».", fix, at=LINE, key=path)]
    if v in ("pattern", "format"):
        return [_pattern_problem(schema, path, value, error, file, line, col, where)]
    if v in ("minLength", "maxLength"):
        n = error.validator_value
        size = len(value) if isinstance(value, str) else 0
        what = f"quá ngắn ({size} ký tự, cần ít nhất {n})" if v == "minLength" else f"quá dài ({size} ký tự, tối đa {n})"
        return [problem("SK206", file, line, col, f"{where} {what}.", at=LINE, key=path)]
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        rel = {"minimum": "không nhỏ hơn", "maximum": "không lớn hơn", "exclusiveMinimum": "lớn hơn", "exclusiveMaximum": "nhỏ hơn"}[v]
        return [problem("SK206", file, line, col, f"{where} bằng {value}, phải {rel} {error.validator_value}.", at=LINE, key=path)]
    if v in ("minItems", "maxItems", "uniqueItems"):
        what = {"minItems": f"cần ít nhất {error.validator_value} mục", "maxItems": f"tối đa {error.validator_value} mục",
                "uniqueItems": "có mục bị trùng"}[v]
        return [problem("SK207", file, line, col, f"danh sách {where} {what}.", at=LINE, key=path)]
    return [problem("SK208", file, line, col, f"{where} không hợp lệ theo mẫu.", at=LINE, key=path)]


def _real_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _shown(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _pattern_problem(schema: Schema, path: Key, value: object, error: ValidationError, file: str, line: int, col: int,
                     where: str) -> Problem:
    node = subschema(schema, path)
    is_date = node.get("format") == "date" or "\\d{4}-\\d{2}-\\d{2}" in node.get("pattern", "")
    if is_date:
        m = _DMY.match(str(value))
        if m:
            day, month, year = m.groups()
            iso = f"{year}-{int(month):02d}-{int(day):02d}"
            return problem("SK205", file, line, col, f"{where} viết «{value}» theo kiểu ngày/tháng/năm.",
                           f'Viết theo dạng năm-tháng-ngày trong dấu nháy: "{iso}".', at=LINE, key=path)
        if error.validator == "format":
            year = str(value)[:4]
            if year.isdigit() and not FIRST_YEAR <= int(year) <= LAST_YEAR and _real_date(str(value)):
                return problem("SK215", file, line, col, f"{where} là «{value}», năm {int(year)} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}.",
                               "Kiểm tra lại năm (viết đủ 4 chữ số, ví dụ 2024).", at=LINE, key=path)
            return problem("SK215", file, line, col, f"{where} là «{value}», không phải ngày có thật.", at=LINE, key=path)
        return problem("SK205", file, line, col, f"{where} là «{_shown(value)}», không đúng dạng ngày.",
                       'Viết theo dạng năm-tháng-ngày trong dấu nháy, ví dụ: "2024-06-25".', at=LINE, key=path)
    if node.get("pattern", "").startswith("^[a-z0-9]+(-[a-z0-9]+)*$"):
        from sangkien.textnorm import slugify

        return problem("SK205", file, line, col, f"{where} là «{_shown(value)}», mã chỉ gồm chữ thường không dấu, số và gạch nối.",
                       f"Ví dụ: «{slugify(str(value)) or 'mot-cua-so-hoa'}».", at=LINE, key=path)
    example = node.get("examples", [None])[0]
    description = node.get("description", "Viết lại giá trị theo đúng định dạng.")
    hint = f" Ví dụ: «{example}»." if example and str(example) not in description else ""
    return problem("SK205", file, line, col, f"{where} là «{_shown(value)}», không đúng định dạng.",
                   f"{description}{hint}", at=LINE, key=path)


def ordered(value: object, node: dict[str, Any], schema: dict[str, Any]) -> Any:
    """`value` with keys in the schema's order, unknown keys after them (recursively): how the
    shipped files are written, and the order of `sangkien new`, the form (entryfile.js),
    `sangkien import` and `sangkien campaign new`."""
    node = resolve(schema, node or {})
    if isinstance(value, list):
        return [ordered(v, node.get("items", {}), schema) for v in value]
    if not isinstance(value, dict):
        return value
    props = node.get("properties", {})
    out = {k: ordered(value[k], props[k], schema) for k in props if k in value}
    out.update({k: v for k, v in value.items() if k not in props})
    return out
