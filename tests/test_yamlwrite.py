"""The one YAML writer: whatever it writes, the strict reader (and YAML 1.1) reads back the same."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sangkien import yamlstrict, yamlwrite
from sangkien.reader import read_markdown

# Pieces that make YAML mean something else, mixed with Vietnamese words.
PIECES = ["yes", "no", "No", "on", "OFF", "y", "null", "~", "true", "False", "012", "1e3", "0x1F", "+1", "-1", ".5", "12:30",
          "2024-06-25", "2024-06-25 10:00", "100%", "2/QĐ-UBND", "15 ngày", ":", ": ", " #", "#", "'", '"', "\\", "-", "- ",
          "?", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "<<", "=", ".", " ", "  ", "\n", "\t", "\r",
          "\u0085", "\u2028", "\u200b", "\ufeff", "Nguyễn Văn A", "Quyết định", "thủ tục hành chính", "một cửa", "đ", "Ư", "ạ",
          "---", "...", ".inf", ".NaN", "0o7", "0b1", "1_000", "1:20:30", "1.5e+3", "x:", "a,b", "ngày 10/6"]


def vietnamese_text() -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(PIECES), st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậ0123456789 :#'\"-,.", max_size=6))
    return st.lists(piece, max_size=5).map("".join)


def scalars() -> st.SearchStrategy[object]:
    return st.one_of(vietnamese_text(), st.booleans(), st.none(), st.integers(-10**6, 10**6),
                     st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(vietnamese_text())
@example("yes")
@example("null")
@example("012")
@example("2024-06-25")
@example(" đầu")
@example("a: b")
@example("dòng 1\ndòng 2")
@example("2/QĐ-UBND")
@example("100%")
@example("x\u2028y")
@example("\r")
def test_scalar_reads_back_as_the_same_string(text: str) -> None:
    for written in (yamlwrite.scalar(text), f"[{yamlwrite.scalar(text, flow=True)}]"):
        loaded = yamlstrict.load(f"k: {written}\n", "x")
        assert loaded.problems == [], (text, written)
        value = loaded.data["k"]
        assert (value[0] if written.startswith("[") else value) == text, (text, written)
    assert yaml.safe_load(f"k: {yamlwrite.scalar(text)}\n") == {"k": text}  # YAML 1.1 tools too


@settings(max_examples=400)
@given(vietnamese_text(), st.booleans())
def test_the_written_rule_never_needs_the_readers(text: str, flow: bool) -> None:
    """Whatever the character rule lets through, both readers read as the string: the form's
    entryfile.js, which has only the rule, writes the same bytes as Python."""
    if yamlwrite.looks_plain(text, flow):
        assert yamlwrite.reads_back(text), text


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.one_of(st.sampled_from(["id", "title", "yes", "on", "ghi chú", "1", "null"]), vietnamese_text()),
                       st.one_of(scalars(), st.lists(scalars(), max_size=4),
                                 st.lists(st.dictionaries(st.sampled_from(["name", "unit", "y"]), scalars(), min_size=1, max_size=3), max_size=3),
                                 st.dictionaries(st.sampled_from(["contest", "year", "no"]), scalars(), max_size=3)),
                       min_size=1, max_size=6))
def test_front_matter_reads_back(data: dict) -> None:
    text = "---\n" + "\n".join(yamlwrite.mapping_lines(data)) + "\n---\n\nThân bài\n"
    doc = read_markdown(text.encode("utf-8"), "entries/a/b/thu.md")
    assert [p.code for p in doc.problems if p.code.startswith("SK1")] == [], text
    assert doc.data == data, text


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({"entry": vietnamese_text()},
                                      optional={"date": vietnamese_text(), "criteria": st.dictionaries(vietnamese_text(), scalars(), min_size=1, max_size=3),
                                                "entries": st.lists(st.fixed_dictionaries({"entry": vietnamese_text()}, optional={"tier": scalars()}),
                                                                    min_size=1, max_size=3),
                                                "keywords": st.lists(scalars(), max_size=3), "comment": vietnamese_text()}),
                max_size=3))
@example([{"entry": "", "entries": [{"entry": "x:?", "tier": 5e-324}]}])  # libyaml: `{entry: x:?}` does not parse
def test_decisions_block_reads_back(items: list[dict]) -> None:
    text = "campaign: x-y\n" + "\n".join(yamlwrite.block("recognitions", items)) + "\n"
    loaded = yamlstrict.load(text, "x")
    assert loaded.problems == [], text
    assert loaded.data == {"campaign": "x-y", "recognitions": items}, text


def test_layouts() -> None:
    assert yamlwrite.mapping_lines({"id": "a", "keywords": ["x", "yes", "a, b"], "authors": [{"name": "A", "contribution": 100.0}],
                                    "obj": {}, "on": 1}) == [
        "id: a", 'keywords: [x, "yes", "a, b"]', "authors:", "  - name: A", "    contribution: 100", "obj: {}", '"on": 1']
    assert yamlwrite.block("recognitions", [{"number": "2/QĐ-UBND", "date": "2024-08-02", "entries": [{"entry": "a-b", "tier": "a, b"}],
                                             "criteria": {"m": 35, "n": 22.5}, "reason": "Lý do a, b"}]) == [
        "recognitions:", "  - number: 2/QĐ-UBND", '    date: "2024-08-02"', "    entries:", '      - {entry: a-b, tier: "a, b"}',
        "    criteria:", "      m: 35", '      "n": 22.5', "    reason: Lý do a, b"]
    assert yamlwrite.block("scores", []) == ["scores: []"]


def test_quoting_escapes_every_invisible_character() -> None:
    assert yamlwrite.scalar("a\u2028b\u0085c\rd\te\nf\"g\\") == '"a\\u2028b\\u0085c\\u000dd\\te\\nf\\"g\\\\"'
    assert yamlwrite.scalar(None) == "null" and yamlwrite.scalar(True) == "true" and yamlwrite.scalar(12.5) == "12.5"
    assert yamlwrite.scalar(1e-05) == "1.0e-05" and yamlstrict.load("k: 1.0e-05\n", "x").data == {"k": 1e-05}
