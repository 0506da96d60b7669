"""The open data is checked against `schema/catalogue.schema.json` before anything is written.

Every row is checked (not a sample): each one on its own against the schema's item definition,
compiled once with fastjsonschema, and a row the last build already checked (the same JSON
text, the same schema, the same code: exportcache.valid_rows) is not checked again. jsonschema
runs on the document's head and on the rows the fast check refused, and it alone decides and
explains: the fast check may only be stricter. No MkDocs here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from sangkien import schemas

CATALOGUE_SCHEMA = "catalogue.schema.json"
JSON_PATH = "du-lieu/sang-kien.json"


class OpenDataError(Exception):
    """Raised with a Vietnamese message when the published data would not match its schema."""


def schema_bytes(schema_dir: Path | None) -> bytes:
    directory = Path(schema_dir) if schema_dir and (Path(schema_dir) / CATALOGUE_SCHEMA).is_file() else schemas.PACKAGED
    return (directory / CATALOGUE_SCHEMA).read_bytes()


def check_key(schema_dir: Path | None) -> bytes:
    """What decides whether a row is accepted, besides the row and the code: the schema's bytes and
    the formats jsonschema's checker can check here (some need optional packages)."""
    return schema_bytes(schema_dir) + b"\0" + ",".join(sorted(FormatChecker().checkers)).encode()


# Keywords that fastjsonschema (draft 7) reads as Draft 2020-12 does, when a `$ref` has only
# annotations beside it; a schema with any other keyword is checked by jsonschema alone.
_SAME_IN_BOTH = {"type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "minLength",
                 "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern", "format", "enum",
                 "const", "oneOf", "anyOf", "allOf", "not", "$ref", "$defs"}
_ANNOTATIONS = {"title", "description", "examples", "default", "$comment", "deprecated", "$schema", "$id"}


def _plain(node: object) -> bool:
    """Whether fastjsonschema would read this schema node exactly as jsonschema does."""
    if isinstance(node, bool):
        return True
    if not isinstance(node, dict) or set(node) - _SAME_IN_BOTH - _ANNOTATIONS:
        return False
    if "$ref" in node and (set(node) - {"$ref", "$defs"} - _ANNOTATIONS or not str(node["$ref"]).startswith("#/$defs/")):
        return False
    if isinstance(node.get("items"), list):
        return False
    subs: list[object] = [*node.get("properties", {}).values(), *node.get("$defs", {}).values()]
    subs += [node[k] for k in ("additionalProperties", "items", "not") if k in node]
    subs += [s for k in ("oneOf", "anyOf", "allOf") for s in node.get(k, [])]
    return all(_plain(s) for s in subs)


@lru_cache(maxsize=4)
def _row_check(raw: bytes) -> Callable[[Any], bool]:
    """row -> valid? for the item definition of the catalogue schema `raw`."""
    schema = json.loads(raw)
    item = {**schema.get("properties", {}).get("entries", {}).get("items", {}), "$defs": schema.get("$defs", {})}
    item.pop("$schema", None)
    item.pop("$id", None)
    checker = FormatChecker()
    slow = Draft202012Validator(item, format_checker=checker)
    try:
        import fastjsonschema

        if not _plain(item):
            raise ValueError("schema outside the keywords both validators read alike")
        formats = _formats(item)
        # the formats jsonschema's checker checks (the same functions), every other one an annotation
        compiled = fastjsonschema.compile(item, formats={name: _conforms(checker, name) for name in formats}, use_default=False)
    except Exception:  # a schema fastjsonschema cannot take: jsonschema for every row
        return slow.is_valid

    def fast(row: Any) -> bool:
        try:
            compiled(row)
        except Exception:  # refused (or anything odd): jsonschema decides
            return False
        return True

    return fast


def _conforms(checker: FormatChecker, name: str) -> Callable[[Any], bool]:
    return lambda value: checker.conforms(value, name)


def _formats(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {str(node["format"])} if "format" in node else set()
        for value in node.values():
            found |= _formats(value)
        return found
    if isinstance(node, list):
        return set().union(*(_formats(v) for v in node)) if node else set()
    return set()


def check_document(document: dict[str, Any], schema_dir: Path | None = None, known: Collection[int] = ()) -> None:
    """Refuse to publish a document that its own schema rejects. `known`: positions of rows
    already accepted by the same schema (not checked again)."""
    raw = schema_bytes(schema_dir)
    found = document.get("entries")
    rows: list[Any] = found if isinstance(found, list) else []
    skip = set(known)
    todo = [i for i in range(len(rows)) if i not in skip]
    fast = _row_check(raw) if todo else None  # compiled only when a row needs it (~0.1 s)
    refused = [i for i in todo if fast is not None and not fast(rows[i])]
    shown = {**document, "entries": [rows[i] for i in refused]}
    errors = sorted(Draft202012Validator(json.loads(raw), format_checker=FormatChecker()).iter_errors(shown),
                    key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        first = errors[0]
        path = list(first.absolute_path)
        entry = ""
        if len(path) > 1 and path[0] == "entries" and isinstance(path[1], int):
            path[1] = refused[path[1]]
            entry = f" (bài «{rows[path[1]].get('id')}»)" if isinstance(rows[path[1]], dict) else ""
        where = "/".join(str(p) for p in path) or "(gốc)"
        raise OpenDataError(f"Dữ liệu mở {JSON_PATH} không khớp lược đồ {CATALOGUE_SCHEMA} tại «{where}»{entry}: {first.message}. "
                            f"Có {len(errors)} lỗi; kiểm tra lại lược đồ schema/{CATALOGUE_SCHEMA} hoặc dữ liệu của bài tương ứng.")
