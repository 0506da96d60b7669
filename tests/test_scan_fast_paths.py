"""The per-file check's fast paths (issue 14, part «scan») give exactly what their oracles give.

- the text prefilter (checks/text.py lines_to_scan, with the number, bank and « a cong » rules
  and privacy.HIDDEN in the odd-character class) = scanning every line and every string (FAST
  off), on a synthetic repository, on the hostile corpus and on targeted texts;
- text.ascii_folded (NFKD then lower case) = the first fold (NFKD, lower case, NFD), on every
  code point;
- strict YAML with the shortcuts (no duplicate-anchor pass without '&' and a second document,
  str for unresolved scalars, the merge-key test only for keys that can be `<<`, long plain
  scalars by first character) = yamlstrict.load_reference (libyaml's composer); resolve_plain's
  first-character shortcut = the first resolve_plain; the flow-depth bound = the walk;
- the compiled schema check with every local `$ref` inlined = with the references (same verdict);
- the reader skips the long-value walk (SK021) and the long-line count (SK020) only when no
  value or line can be that long: no YAML value is longer than its source;
- entry sections (SK219) are still found on '#' lines only, as HEADING reads them.
"""

from __future__ import annotations

import copy
import math
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from helpers.oracles import same_yaml, same_yaml_in_file, with_and_without_prefilter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sangkien import reader, schemas, yamlstrict
from sangkien.checks import entry as entry_rules
from sangkien.checks import text as text_rules

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

HOSTILE = sorted(p for p in (ROOT / "tests" / "hostile").rglob("*") if p.is_file() and p.stat().st_size < 600 * 1024)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("synth") / "kho"
    synth.generate(root, 60, words=500)
    return sorted((root / "entries").rglob("*.md"))


class _Places:
    def where(self, path: tuple) -> tuple[int, int]:
        return len(path) + 1, 1


def _scans(doc: reader.Document) -> tuple[list, list]:
    phones, emails = {"2838221234"}, {"x.y@tayninh.gov.vn"}
    body = list(text_rules.scan_body(doc.body, doc.body_line, doc.path, phones, emails))
    places = doc.parsed if doc.parsed.values else _Places()
    strings = list(text_rules.scan_strings(doc.data, (), places, doc.path, lambda p: str(p), phones, emails))
    return body, strings


def _same_scan(doc: reader.Document) -> int:
    """Problems found with the prefilter = without it; returns how many (to know a case bites)."""
    fast, slow = with_and_without_prefilter(lambda: _scans(doc))
    assert fast == slow, doc.path
    return len(slow[0]) + len(slow[1])


def _text_doc(text: str) -> reader.Document:
    """`text` as a body and as every kind of front-matter string."""
    doc = reader.Document("f.md", body=text, body_line=5)
    doc.parsed = yamlstrict.Parsed(data={"a": text, "b": [text, {"c": text + " x"}], "d": "ok", "e": "x " + text})
    return doc


def test_the_prefilter_is_switched_on() -> None:
    assert text_rules.FAST


def test_the_prefilter_finds_what_every_line_scan_finds_on_synthetic_entries(synthetic: list[Path]) -> None:
    for path in synthetic:
        _same_scan(reader.read_markdown(path.read_bytes(), path.name))


def test_the_prefilter_finds_what_every_line_scan_finds_on_the_hostile_corpus() -> None:
    found = 0
    for path in HOSTILE:
        raw = path.read_bytes()
        doc = reader.read_markdown(raw, path.name)
        found += _same_scan(doc)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        found += _same_scan(_text_doc(text))
    assert found > 50  # the corpus has personal data, HTML and mojibake: the comparison bites


# Texts at the edges of the rules the prefilter was tightened on: numbers of 7 to 12 digits with
# and without a bank context, the obfuscated « a cong » e-mail, dates, hidden characters.
TARGETED = [
    "STK: 1234567", "STK 1234 567", "stk:12345678", "Số TK: 0123456 tại Vietcombank", "số tài khoản 1234567", "Tài khoản số: 7654321",
    "tài khoản số 12-34-567", "tk ngân hàng 9876543", "TK ngân hàng: 1234567\nsố 7654321", "Số tài khoản\n1234567", "1234567 stk",
    "STK: 123456", "ｓｔｋ １２３４５６７", "S\u200bTK 1234567", "số\u00a0tk 1234567", "Tk 1 234 567", "tài\u200bkhoản số 1234567",
    "CMND 123456789", "CMND: 123 456 789", "cmt 12345678", "0912345678", "091 234 5678", "0912 345 67", "0912.345.678",
    "+84 912 345 678", "(+84) 912345678", "84912345678", "028 3822 1234", "(028) 3822-1234", "0283822123", "02838221234",
    "079123456789", "0791 2345 6789", "2024-06-10", "10/06/2024 và 11/06/2024", "12345678", "1 2 3 4 5 6 7 8 9", "1..2..3..4..5..6..7..8..9",
    "1…2…3…4…5…6…7…8…9", "09\u200b12345678", "0\u00ad912345678", "0912\u00ad\u00ad\u00ad\u00ad345678", "0912 \u200b\u200b\u200b345 678", "zalo.me/0912345678", "tel:+84912345678", "０９１２３４５６７８",
    "١٢٣٤٥٦٧٨٩", "mã số thuế 0312345678", "MST: 0312345678-001", "https://x.vn/0912345678",
    "ten a cong gmail.com", "tên a còng gmail chấm com", "ten a cong gmail dot com", "ten  a cong gmail.com", "ten a\u00a0cong gmail.com",
    "ten a\u200b cong gmail.com", "qua Cổng dịch vụ công", "tra cứu qua cổng", "a cong", " a cong ", "ten (a) gmail.com", "ten [at] gmail.com",
    "ten＠gmail.com", "ten @ yahoo.com.vn", "Ngày sinh: 01/02/1990", "phát sinh 1234567", "sinh năm 1985", "(sinh 1985)", "SN 1985",
    "ông Lê Văn A (1985)", "Thường trú: ấp 3", "tạm trú: khu 2", "Nhà riêng: 0276 3822 123", "nơi ở hiện nay: ấp 1", "hộ khẩu: xã A",
    "Phòng TN&MT huyện", "TN&MT &amp; GD", "jav&#x61;script:alert(1)", "java\\script:", "scr&Tab;ipt", "Xin chaøo caùc baïn", "C¶i c¸ch",
    "Рhòng", "<b>x</b>", "x <img src=y>", "`<b>`", "\u200b", "\ufeff", "data:text/html;base64,xx", "Dữ liệu (data) mở",
]


def test_the_prefilter_finds_what_every_line_scan_finds_on_targeted_texts() -> None:
    found = 0
    for text in TARGETED:
        found += _same_scan(_text_doc(text))
        found += _same_scan(_text_doc("Đoạn văn bình thường.\n" + text + "\nDòng khác có 12 ngày."))
    assert found > 100


PIECES = ["STK", "stk ", "tài khoản ", "số ", "TK", "\n", " ", "-", ".", "…", "\u200b", "1", "2", "0", "9", "12", "345", "6789", "0912",
          "a cong ", " a còng ", "gmail", ".com", "chấm ", "x", "Cổng", "sinh ", "năm ", "(", ")", "19", "85", "&", "#", "<", "@"]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.sampled_from(PIECES), min_size=1, max_size=16))
def test_the_prefilter_finds_what_every_line_scan_finds_on_generated_texts(parts: list[str]) -> None:
    _same_scan(_text_doc("".join(parts)))


def test_ascii_folded_equals_the_first_fold_on_every_code_point() -> None:
    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000]
    for c in chars:
        assert text_rules.ascii_folded(c) == text_rules.ascii_folded_reference(c), hex(ord(c))
    # and on whole texts (the functions work character by character, except for ordering marks)
    for text in TARGETED + ["Σίσυφος ΣΑΣ", "İstanbul ﬁ ǅ ẞ", "".join(chars[0x300:0x400]), "Việt Nam ĐỒNG"]:
        assert text_rules.ascii_folded(text) == text_rules.ascii_folded_reference(text), text


# ----------------------------------------------------------------- strict YAML
SNIPPETS = ["a: 1\n", "'q': \"x\"\n", "k: |\n  t\n", "k: >-\n  a\n  b\n", "k: ! 12\n", "k: !!str 12\n", "<<: 1\n", "'<<': 2\n", "! <<: 3\n",
            "!!merge <<: 4\n", "<a: 5\n", "? <<\n: 6\n", "x: &a 1\n", "y: &a 2\n", "z: *a\n", "---\n", "...\n", "--- x\n", "k: " + "1" * 45 + "\n",
            "k: " + "<" * 45 + "\n", "k: " + "Công chức " * 6 + "\n", "k: " + "true" + "x" * 40 + "\n", "k: ~" + "y" * 41 + "\n",
            "k: '" + "a" * 41 + "'\n", "k: 0." + "0" * 40 + "1\n", "- 1" + "0" * 40 + ".5e3\n", "k: -" + "9" * 44 + "\n", "- " + "0.5" * 15 + "\n", "- [a, 'b', \"c\"]\n", "{a: 1, 'b': 2}\n", "k: &b [1]\n", "k: !foo x\n",
            "%YAML 1.2\n---\nx\n", "- &c a\n- &c b\n", "# c\n", "  k2: v\n", "\n", "k: 2024-01-01\n", "k: 0x1F\n", "k: null\n"]


def test_yaml_equals_the_composer_on_synthetic_and_hostile_files(synthetic: list[Path]) -> None:
    for path in [*synthetic, *HOSTILE]:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        same_yaml_in_file(text)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=8))
def test_yaml_equals_the_composer_on_generated_documents(parts: list[str]) -> None:
    same_yaml("".join(parts))


# ----------------------------------------------------------------- reader
YAML_CHARS = st.sampled_from(list("ab :-'\"\\|>#&*!%@`[]{},?\n\t0xuU1é") + ["\\x41", "\\u00e9", "\\U0001F600", "\\N", "\\\n", "  "])


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(YAML_CHARS, min_size=1, max_size=40))
def test_no_yaml_value_is_longer_than_its_source(parts: list[str]) -> None:
    text = "".join(parts)
    for source in (text, "k: " + text, "k: \"" + text + "\"", "k: '" + text + "'", "k: |\n  " + text.replace("\n", "\n  "),
                   "k: >+\n\n  " + text.replace("\n", "\n\n  ")):
        parsed = yamlstrict.load(source, "f")
        if not parsed.problems:
            assert all(len(value) <= len(source) for value in _strings(parsed.data)), source


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_long_values_and_lines_are_still_reported() -> None:
    long_value = "x" * (reader.MAX_STRING_CHARS + 1)
    doc = reader.read_markdown(f"---\ntitle: {long_value}\n---\nthân\n".encode(), "f.md")
    assert [p.code for p in doc.problems] == ["SK021"]
    doc = reader.read_markdown(f"---\ntitle: \"{long_value}\"\n---\n{'y' * (reader.MAX_LINE_CHARS + 1)}\n".encode(), "f.md")
    assert sorted(p.code for p in doc.problems) == ["SK020", "SK021"]
    doc = reader.read_yaml(f"title: {long_value}\n".encode(), "f.yaml")
    assert [p.code for p in doc.problems] == ["SK021"]


def test_a_long_text_of_short_values_is_walked_and_quiet() -> None:
    body = "\n".join(f"k{i}: {'v' * 90}" for i in range(200))
    assert len(body) > reader.MAX_STRING_CHARS
    assert reader.read_yaml(body.encode(), "f.yaml").problems == []



# ----------------------------------------------------------------- schema fast path
KINDS = sorted(p.name.removesuffix(".schema.json") for p in (ROOT / "schema").glob("*.schema.json"))
SCHEMA_DIR = str(schemas.schema_dir(ROOT))


def _passes(check: object, data: object) -> bool:
    try:
        check(copy.deepcopy(data))  # type: ignore[operator]
    except Exception:
        return False
    return True


def _same_schema_check(kind: str, data: object) -> bool:
    inlined, plain = schemas._fast(SCHEMA_DIR, kind), schemas._fast(SCHEMA_DIR, kind, inline=False)
    assert inlined is not None and plain is not None, kind
    verdict = _passes(inlined, data)
    assert verdict == _passes(plain, data), (kind, data)
    return verdict


def test_inlined_references_check_as_the_references_do(synthetic: list[Path]) -> None:
    valid = 0
    for path in [*synthetic, *HOSTILE, *sorted((ROOT / "entries").rglob("*.md")), *sorted((ROOT / "entries").rglob("*.yaml"))]:
        raw = path.read_bytes()
        doc = reader.read_markdown(raw, path.name) if path.suffix == ".md" else reader.read_yaml(raw, path.name)
        for kind in KINDS:
            valid += _same_schema_check(kind, doc.data)
    assert valid > 60  # the synthetic entries and the shipped files are valid for their own kind


VALUES = [None, True, 0, 1.5, 101, "", "x", "2024-02-30", "2024-06-18", "ca-nhan", "nhom", "thu-tuc-hanh-chinh", "PCI", "bai-viet", "a" * 400,
          [], ["x"], ["PCI", "PCI"], [1], {}, {"name": "A"}, {"name": "Lê Văn A", "position": "CV", "workplace": "UBND", "contribution": 100}]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 300), st.sampled_from(["set", "delete", "append"]), st.sampled_from(VALUES)), min_size=1, max_size=4),
       which=st.integers(0, 10_000))
def test_inlined_references_check_as_the_references_do_on_edited_entries(synthetic: list[Path], edits: list, which: int) -> None:
    path = synthetic[which % len(synthetic)]
    data = reader.read_markdown(path.read_bytes(), path.name).data
    for where, action, value in edits:
        paths = _paths(data)
        target = paths[where % len(paths)]
        parent: Any = data
        for part in target[:-1]:
            parent = parent[part]
        last = target[-1]
        if action == "delete" and isinstance(parent, dict):
            parent.pop(last, None)
        elif action == "append" and isinstance(parent, dict) and isinstance(parent.get(last), list):
            parent[last].append(copy.deepcopy(value))
        else:
            parent[last] = copy.deepcopy(value)
    for kind in ("entry", "nomination", "replication"):
        _same_schema_check(kind, data)


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*path, i))
    return found


def _flow_depth_walked(text: str) -> int:
    depth = best = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            best = max(best, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return best


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.sampled_from(["[", "{", "]", "}", "a", ", ", "\n"]), min_size=0, max_size=80))
def test_flow_depth_bound_refuses_exactly_what_the_walk_refuses(parts: list[str]) -> None:
    for text in ("".join(parts), "[" * 21 + "".join(parts), "[" * 20 + "".join(parts), "{" * 10 + "[" * 11):
        assert (yamlstrict.max_flow_depth(text) > yamlstrict.MAX_DEPTH) == (_flow_depth_walked(text) > yamlstrict.MAX_DEPTH), text


def test_entry_sections_are_found_at_line_start_only() -> None:
    def codes(body: str) -> list[str]:
        return [p.code for p in entry_rules.check_body(reader.Document("f.md", body=body, body_line=3))]

    assert codes("## Thực trạng\nx\n\n## Giải pháp\ny\n") == []
    assert codes("# Thực trạng\n### Nội dung giải pháp ##\n") == []
    assert codes(" ## Thực trạng\n## Giải pháp\n") == ["SK219"]
    assert codes("Thực trạng\n#Giải pháp\n") == ["SK219", "SK219"]


def _resolve_plain_reference(text: str) -> object:
    """yamlstrict.resolve_plain as first written (no first-character shortcut)."""
    if text in {"", "~", "null", "Null", "NULL"}:
        return None
    if text in {"true", "True", "TRUE"}:
        return True
    if text in {"false", "False", "FALSE"}:
        return False
    if re.fullmatch(r"[-+]?(0|[1-9][0-9]*)", text):
        return int(text) if len(text) <= 30 else text
    if re.fullmatch(r"[-+]?(\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?)([eE][-+]?[0-9]+)?", text):
        number = float(text)
        return number if math.isfinite(number) else text
    return text


@settings(max_examples=1500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("~nNulLtTrRuUeEfFaAsS-+.0123456789eExXoO_: ") + ["é", "١"]), max_size=12))
def test_plain_scalars_resolve_as_before(text: str) -> None:
    assert repr(yamlstrict.resolve_plain(text)) == repr(_resolve_plain_reference(text))


def test_plain_scalars_resolve_as_before_on_every_first_character() -> None:
    for i in range(0x3000):
        for text in (chr(i), chr(i) + "1", chr(i) + "ull", chr(i) + "rue", chr(i) + "alse", chr(i) + "5e3"):
            assert repr(yamlstrict.resolve_plain(text)) == repr(_resolve_plain_reference(text)), text
