"""Strict YAML: YAML 1.2 scalars, no duplicates, aliases, tags, deep nesting; positions kept."""

from __future__ import annotations

import json

import pytest
from sangkien import reader, yamlstrict


def load(text: str) -> yamlstrict.Parsed:
    return yamlstrict.load(text, "x.yaml")


def codes(parsed: yamlstrict.Parsed) -> list[tuple[str, int]]:
    return [(p.code, p.line) for p in parsed.problems]


@pytest.mark.parametrize(("text", "expected"), [
    ("012", "012"),            # YAML 1.1: octal 10
    ("0012345", "0012345"),    # an administrative code with leading zeros
    ("no", "no"),              # YAML 1.1: False
    ("yes", "yes"),
    ("on", "on"),
    ("off", "off"),
    ("y", "y"),
    ("12:30", "12:30"),        # YAML 1.1: 750 (base 60)
    ("2024-05-15", "2024-05-15"),  # YAML 1.1: a date object
    ("2024-05-15 10:00:00", "2024-05-15 10:00:00"),
    ("0x1F", "0x1F"),
    ("1_000", "1_000"),
    ("123/QĐ-UBND", "123/QĐ-UBND"),
    ("true", True),
    ("false", False),
    ("True", True),
    ("5", 5),
    ("-7", -7),
    ("0", 0),
    ("0.5", 0.5),
    ("99.5", 99.5),
    ("~", None),
    ("null", None),
    ("", None),
])
def test_plain_scalars_follow_yaml_12_and_codes_stay_strings(text, expected):
    parsed = load(f"v: {text}\n")
    assert parsed.problems == []
    value = parsed.data["v"]
    assert value == expected and type(value) is type(expected)


def test_quoted_and_block_scalars_stay_strings():
    parsed = load('a: "5"\nb: \'true\'\nc: |\n  012\nd: >-\n  no\n')
    assert parsed.data == {"a": "5", "b": "true", "c": "012\n", "d": "no"}


def test_duplicate_key_sk101_at_the_second_key():
    parsed = load("id: a\ntitle: x\nsummary: y\ntitle: z\n")
    assert codes(parsed) == [("SK101", 4)]
    assert "lần đầu ở dòng 2" in parsed.problems[0].message


def test_duplicate_key_in_a_nested_mapping():
    parsed = load("authors:\n  - name: A\n    contribution: 50\n    contribution: 60\n")
    assert codes(parsed) == [("SK101", 4)]


def test_alias_sk102():
    parsed = load("a: &x\n  b: 1\nc: *x\n")
    assert [p.code for p in parsed.problems] == ["SK102"]
    assert parsed.problems[0].line == 3


def test_undefined_alias_sk102():
    assert [p.code for p in load("a: *nothing\n").problems] == ["SK102"]


def test_merge_key_sk102():
    parsed = load("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert "SK102" in {p.code for p in parsed.problems}


def test_billion_laughs_is_refused_without_expanding():
    lines = ['lol0: &l0 "lol"']
    for i in range(1, 10):
        refs = ", ".join(f"*l{i - 1}" for _ in range(9))
        lines.append(f"lol{i}: &l{i} [{refs}]")
    parsed = load("\n".join(lines) + "\n")
    # Nothing was expanded or even built: one problem at the first alias, which counts them all.
    assert codes(parsed) == [("SK102", 2)]
    assert "81 bí danh" in parsed.problems[0].message
    assert len(json.dumps(parsed.data)) < 100


@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system ['echo hi']\n",
    "a: !!python/object:builtins.dict {x: 1}\n",
    "a: !!python/name:os.system ''\n",
    "a: !custom 5\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
])
def test_custom_and_python_tags_sk103(text):
    parsed = load(text)
    assert [p.code for p in parsed.problems] == ["SK103"]
    assert parsed.data == {"a": None}


def test_standard_tags_are_allowed():
    assert load("a: !!str 012\nb: !!int 5\n").data == {"a": "012", "b": 5}


def test_two_documents_sk104():
    parsed = load("a: 1\n---\nb: 2\n")
    assert codes(parsed) == [("SK104", 2)]


def test_deep_flow_nesting_sk105():
    deep = "[" * 30 + "]" * 30
    parsed = load(f"a: {deep}\n")
    assert [p.code for p in parsed.problems] == ["SK105"]


def test_deep_block_nesting_sk105():
    text = "".join("  " * i + f"k{i}:\n" for i in range(30)) + "  " * 30 + "v\n"
    parsed = load(text)
    assert "SK105" in {p.code for p in parsed.problems}


def test_nesting_within_the_limit_is_fine():
    text = "".join("  " * i + f"k{i}:\n" for i in range(10)) + "  " * 10 + "v\n"
    assert load(text).problems == []


def test_non_string_key_sk107():
    parsed = load("? [a, b]\n: 1\n")
    assert [p.code for p in parsed.problems] == ["SK107"]


def test_tab_indentation_sk106():
    parsed = load("a:\n\tb: 1\n")
    assert [p.code for p in parsed.problems] == ["SK106"]


@pytest.mark.parametrize(("text", "line"), [
    ("title: Quyết định: số 5\n", 1),         # unquoted colon
    ('a: "không đóng nháy\nb: 1\n', 1),
    ("a:\n  - x\n - y\n", 3),
    ("a: [1, 2\n", 2),
])
def test_syntax_errors_sk100_with_line(text, line):
    parsed = load(text)
    assert [p.code for p in parsed.problems] == ["SK100"]
    assert parsed.problems[0].line >= line
    assert "Cách sửa:" in parsed.problems[0].message


def test_line_offset_moves_positions():
    parsed = yamlstrict.load("a: 1\nb: [x, y]\n", "x.md", line_offset=1)
    assert parsed.where(("b", 1)) == (3, 8)
    assert parsed.where(("b",), key=True) == (3, 1)


def test_where_falls_back_to_the_nearest_ancestor():
    parsed = load("a:\n  b: 1\n")
    assert parsed.where(("a", "missing", "deeper")) == (2, 3)
    assert parsed.where(()) == (1, 1)


def test_markdown_front_matter_uses_the_same_rules():
    doc = reader.read_markdown(b"---\ncode: 012\nanswer: no\nwhen: 12:30\nday: 2024-05-15\nok: true\nn: 5\nf: 0.5\n---\n", "a.md")
    assert doc.problems == []
    assert doc.data == {"code": "012", "answer": "no", "when": "12:30", "day": "2024-05-15", "ok": True, "n": 5, "f": 0.5}
