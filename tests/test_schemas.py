"""The JSON Schemas: metaschema, Vietnamese titles, labelled enumerations, fixtures, and a
second opinion from another tool (check-jsonschema) on the fixtures and on every shipped file."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from jsonschema import Draft202012Validator, FormatChecker
from sangkien import reader, schemas, validator

SCHEMA_DIR = ROOT / "schema"
KINDS = ("entry", "nomination", "campaign", "units", "decisions")
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)
EXPECT = re.compile(r"^# expect: (SK\d{3}) line (\d+)$", re.M)


def load(kind: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def fixtures(kind: str, prefix: str) -> list[Path]:
    return sorted(p for p in (FIXTURES / "schemas" / kind).iterdir() if p.name.startswith(prefix))


def read(path: Path) -> reader.Document:
    raw = path.read_bytes()
    return reader.read_markdown(raw, path.name) if path.suffix == ".md" else reader.read_yaml(raw, path.name)


def fields(schema: dict, node: dict, path: tuple = ()):
    """Every field a user can write: named properties, list items, free-named values."""
    node = schemas.resolve(schema, node)
    for name, sub in node.get("properties", {}).items():
        yield path + (name,), schemas.resolve(schema, sub)
        yield from fields(schema, sub, path + (name,))
    for key in ("items", "additionalProperties"):
        sub = node.get(key)
        if isinstance(sub, dict):
            yield path + (f"<{key}>",), schemas.resolve(schema, sub)
            yield from fields(schema, sub, path + (f"<{key}>",))
    for key in ("oneOf", "anyOf", "allOf"):
        for sub in node.get(key, []):
            if "const" not in sub:
                yield from fields(schema, sub, path)


def nodes(value: object, path: tuple = ()):
    """Every dict inside a JSON document, with its JSON path."""
    if isinstance(value, dict):
        yield path, value
        for key, sub in value.items():
            yield from nodes(sub, path + (key,))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from nodes(sub, path + (i,))


def check_jsonschema(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    return subprocess.run([exe, *args], capture_output=True, text=True, check=False)


# ------------------------------------------------------------------ the schemas themselves
@pytest.mark.parametrize("kind", KINDS)
def test_schema_passes_the_2020_12_metaschema(kind):
    schema = load(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:sangkien:schema:{kind}:1"
    Draft202012Validator.check_schema(schema)


def test_metaschema_check_by_another_tool():
    every = sorted(SCHEMA_DIR.glob("*.schema.json"))
    assert len(every) >= len(KINDS)
    done = check_jsonschema("--check-metaschema", *map(str, every))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_a_vietnamese_title_and_description(kind):
    schema = load(kind)
    assert VIETNAMESE.search(schema["title"]) and VIETNAMESE.search(schema["description"])
    missing, english = [], []
    for path, node in fields(schema, schema):
        title, description = node.get("title"), node.get("description")
        if not (isinstance(title, str) and title.strip() and isinstance(description, str) and description.strip()):
            missing.append(".".join(path))
        elif not VIETNAMESE.search(title + description):
            english.append(".".join(path))
    assert missing == [], f"fields without title/description in {kind}: {missing}"
    assert english == [], f"fields whose title and description are not Vietnamese in {kind}: {english}"


@pytest.mark.parametrize("kind", KINDS)
def test_enumerations_have_vietnamese_labels(kind):
    schema = load(kind)
    bare, unlabelled = [], []
    for path, node in nodes(schema):
        if "enum" in node and len(node["enum"]) > 1:
            bare.append(".".join(map(str, path)))
        options = node.get("oneOf", [])
        if options and any("const" in o for o in options):
            consts = [o.get("const") for o in options]
            assert len(set(map(str, consts))) == len(consts), f"duplicate value in {path}"
            unlabelled += [f"{'.'.join(map(str, path))}={o.get('const')}" for o in options if not o.get("title")]
    assert bare == [], f"enumerations without labels (use oneOf of const/title) in {kind}: {bare}"
    assert unlabelled == [], f"values without a label in {kind}: {unlabelled}"


def test_labels_are_what_messages_show():
    entry = load("entry")
    assert ("tac-nghiep", "Giải pháp tác nghiệp") in schemas.choices(entry, entry["$defs"]["solution_type"])
    assert schemas.label(entry, ("authors", 0, "contribution")) == "«Tỷ lệ đóng góp (%)» (authors[1].contribution)"


def test_shared_definitions_are_identical_across_schemas():
    seen: dict[str, tuple[str, dict]] = {}
    shared = set()
    # Every schema of a file users write (schemas.KINDS, also kinds added later).
    for kind in [k for k in schemas.KINDS if (SCHEMA_DIR / f"{k}.schema.json").is_file()]:
        for name, definition in load(kind).get("$defs", {}).items():
            if name in seen:
                shared.add(name)
                assert definition == seen[name][1], f"$defs/{name} differs between {seen[name][0]} and {kind}"
            else:
                seen[name] = (kind, definition)
    assert {"slug", "date", "area", "index", "form", "participation", "level"} <= shared


@pytest.mark.parametrize("kind", KINDS)
def test_examples_in_the_schema_are_valid(kind):
    schema = load(kind)
    for example in schema.get("examples", []):
        assert list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(example)) == []
    for path, node in fields(schema, schema):
        check = Draft202012Validator({**node, "$defs": schema.get("$defs", {})}, format_checker=FormatChecker())
        for example in node.get("examples", []):
            assert list(check.iter_errors(example)) == [], f"{kind}: example {example!r} of {'.'.join(path)}"


# ------------------------------------------------------------------ fixtures
@pytest.mark.parametrize("kind", KINDS)
def test_positive_fixtures_validate(kind):
    files = fixtures(kind, "valid-")
    assert files, f"no positive fixture for {kind}"
    for path in files:
        doc = read(path)
        assert doc.problems == [], path.name
        assert schemas.schema_problems(ROOT, kind, doc.parsed, path.name) == [], path.name


NEGATIVE = [(kind, p) for kind in KINDS for p in fixtures(kind, "invalid-")]


@pytest.mark.parametrize(("kind", "path"), NEGATIVE, ids=[f"{k}/{p.stem}" for k, p in NEGATIVE])
def test_negative_fixture_fails_with_its_code_at_its_line(kind, path):
    code, line = EXPECT.search(path.read_text(encoding="utf-8")).groups()
    assert path.name.startswith(f"invalid-{code}-")
    doc = read(path)
    assert doc.problems == [] and doc.readable
    found = schemas.schema_problems(ROOT, kind, doc.parsed, path.name)
    assert [(p.code, p.line) for p in found] == [(code, int(line))], [p.message for p in found]
    assert all("Cách sửa:" in p.message and VIETNAMESE.search(p.message) for p in found)
    assert all(p.message.count("Ví dụ") <= 1 for p in found), found[0].message  # no example said twice


def test_every_kind_has_negative_fixtures():
    assert {kind for kind, _ in NEGATIVE} == set(KINDS)


def _as_json(path: Path, dest: Path) -> Path:
    """Front matter of a Markdown file, as our reader sees it (YAML 1.2: dates stay strings)."""
    doc = reader.read_markdown(path.read_bytes(), str(path))
    assert doc.readable, [p.message for p in doc.problems]
    out = dest / (path.as_posix().replace("/", "__") + ".json")
    out.write_text(json.dumps(doc.data, ensure_ascii=False), encoding="utf-8")
    return out


def _failing(kind: str, files: list[Path]) -> set[str]:
    done = check_jsonschema("-o", "json", "--schemafile", str(SCHEMA_DIR / f"{kind}.schema.json"), *map(str, files))
    report = json.loads(done.stdout)
    assert report.get("parse_errors", []) == [], report["parse_errors"]
    return {e["filename"] for e in report["errors"]}


@pytest.mark.parametrize("kind", KINDS)
def test_fixtures_agree_with_check_jsonschema(kind, tmp_path):
    files = {p: (_as_json(p, tmp_path) if p.suffix == ".md" else p) for p in fixtures(kind, "")}
    failing = _failing(kind, list(files.values()))
    for source, checked in files.items():
        assert (str(checked) in failing) == source.name.startswith("invalid-"), source.name


# ------------------------------------------------------------------ the shipped data
def test_every_shipped_file_validates_with_check_jsonschema(tmp_path):
    loaded = validator.load(ROOT)
    by_kind: dict[str, list[Path]] = {}
    for rel, kind in loaded.kinds.items():
        if (SCHEMA_DIR / f"{kind}.schema.json").is_file():
            path = ROOT / rel
            by_kind.setdefault(kind, []).append(_as_json(path, tmp_path) if path.suffix == ".md" else path)
    assert {"units", "campaign", "entry"} <= set(by_kind)
    for kind, files in by_kind.items():
        assert _failing(kind, files) == set(), kind


def test_shipped_repository_validates_with_zero_errors():
    report = validator.validate(ROOT)
    assert report.errors == [], [f"{p.file}:{p.line} {p.code} {p.message}" for p in report.errors]
