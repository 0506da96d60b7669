"""Property-based tests (hypothesis) of the reader, strict YAML, text checks and the validator.

The central property: any byte string gives either a parsed document or coded problems, never
an exception. Inputs are random bytes and, more usefully, YAML-ish documents generated from a
grammar of what people actually type (unquoted dates, yes/no, 012, 1:20, anchors, tags, tabs,
flow and block nesting, Vietnamese text, HTML, phone numbers). The long run of the same checks
is tests/fuzz_reader.py (dev/fuzzing.md); a short bounded run of it is the last test here.
"""

from __future__ import annotations

import importlib.util
import math
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from fuzz_reader import Workspace, check_document, check_problems, one_input, per_file
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from sangkien import yamlstrict
from sangkien.checks import text as text_rules
from sangkien.commands.fix import fixed
from sangkien.reader import read_markdown, read_yaml

HERE = Path(__file__).resolve().parent
ENTRY = "entries/thu-nghiem-2025/so-thu/bai-mot.md"
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                          HealthCheck.function_scoped_fixture])

# ----------------------------------------------------------------- a grammar of YAML-ish text
KEYS = ["id", "title", "campaign", "unit", "submitted", "participation", "authors", "name", "position", "workplace",
        "contribution", "representative", "field", "areas", "indices", "solution_type", "application_status",
        "first_applied", "scope", "forms", "conditions", "benefits_author", "summary", "keywords", "illustrative",
        "attachments", "file", "url", "kind", "results", "baseline", "result", "phone", "birth_date", "Tên", "ngày"]
VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐ "
ODD_SCALARS = ["2024-06-25", "2024-02-30", "25/06/2024", "yes", "no", "on", "off", "y", "n", "~", "null", "true", "False",
               "012", "0o17", "0x1F", "1:20", "190:20:30", "1_000", ".inf", "-.nan", "1e999", "9" * 40, "0.5", "-0", "+12",
               "100", "da-ap-dung", "ca-nhan", "thu-nghiem-2025", "so-thu", "bai-mot", "\"quoted: text\"", "'single ''q'''",
               "\"\\x41\\u00e9\\t\"", "\"bad \\q escape\"", "&anchor value", "*anchor", "!!python/object/apply:os.system ['id']",
               "!tag value", "!!str 12", "!!binary aGk=", "<script>alert(1)</script>", "[x](javascript:alert(1))",
               "0912 345 678", "+84 912.345.678", "079123456789", "ai@gmail.com", "C¶i c¸ch", "Xin chaøo", "Аn Bình",
               "|", ">-", "- item", "? key", "key: value", "#comment", "%YAML 1.2", "---", "...", "@reserved", "`tick"]


def scalars() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(ODD_SCALARS), st.text(alphabet=VIET, min_size=1, max_size=30).map(str.strip).filter(bool),
                     st.integers(-10**6, 10**6).map(str), st.text(max_size=12).map(lambda s: s.replace("\n", " ")))


def flow(depth: int) -> st.SearchStrategy[str]:
    if depth <= 0:
        return scalars()
    inner = flow(depth - 1)
    return st.one_of(scalars(), st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
                     st.lists(st.tuples(st.sampled_from(KEYS), inner), max_size=3).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"))


@st.composite
def block(draw, indent: int = 0, depth: int = 3) -> str:
    """A block mapping or sequence, with the indentation mistakes people make now and then."""
    pad = " " * indent
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["scalar", "scalar", "flow", "map", "seq", "literal", "comment", "odd"]))
        key = draw(st.sampled_from(KEYS))
        if kind == "scalar":
            lines.append(f"{pad}{key}: {draw(scalars())}")
        elif kind == "flow":
            lines.append(f"{pad}{key}: {draw(flow(3))}")
        elif kind == "map" and depth > 0:
            lines.append(f"{pad}{key}:")
            lines.append(draw(block(indent + draw(st.sampled_from([2, 2, 4, 1])), depth - 1)))
        elif kind == "seq" and depth > 0:
            lines.append(f"{pad}{key}:")
            for _ in range(draw(st.integers(1, 3))):
                item = draw(st.one_of(scalars(), block(indent + 4, depth - 1).map(lambda b: b.lstrip())))
                lines.append(f"{pad}  - {item}")
        elif kind == "literal":
            lines.append(f"{pad}{key}: {draw(st.sampled_from(['|', '>-', '|+']))}")
            lines.extend(f"{pad}  {draw(scalars())}" for _ in range(draw(st.integers(1, 3))))
        elif kind == "comment":
            lines.append(f"{pad}# {draw(scalars())}")
        else:
            lines.append(draw(st.sampled_from([f"{pad}\t{key}: x", f"{pad}{key}:x", f"{pad}{key}: &a [1]", f"{pad}{key}: *a",
                                               f"{pad}<<: *a", f"{pad}{key}: {key}: x", f"{pad}- orphan", f"{pad}{key}: '",
                                               "---", "...", f"{pad}{key}: " + "[" * 30, f"{pad}? [a]", f"{pad}: x"])))
    return "\n".join(lines)


BODY_LINES = ["## Thực trạng", "## Giải pháp", "## Cách nhân rộng", "Nội dung bình thường của sáng kiến.",
              "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))", "[a]: jav&#x61;script:x",
              "![ảnh](data:text/html;base64,AAAA)", "```", "Gọi 0912 345 678", "(0276) 3822 212", "CCCD 079123456789",
              "sinh ngày 01/02/1980", "Quyết định số 123/QĐ-UBND", "1.250.000 đồng", "98,5%", "C¶i c¸ch hµnh chÝnh",
              "Xin chaøo caùc baïn", "ai@gmail.com", "\u200b", "---", "| a | b |", "- [ ] việc", "&#" + "0" * 50 + ";"]


@st.composite
def yamlish_documents(draw) -> str:
    """A Markdown entry whose front matter comes from the grammar (often invalid, sometimes not)."""
    front = draw(block())
    body = "\n".join(draw(st.lists(st.one_of(st.sampled_from(BODY_LINES), st.text(max_size=40)), max_size=8)))
    opening = draw(st.sampled_from(["---\n", "---\n", "---\n", "--- \n", "", "\ufeff---\n"]))
    closing = draw(st.sampled_from(["\n---\n", "\n---\n", "\n...\n", "\n", "\n---"]))
    return opening + front + closing + body


# ----------------------------------------------------------------- never an exception
@FAST
@given(st.binary(max_size=2048))
@example(b"")
@example(b"---\n---\n")
@example(b"\xff\xfe-\x00-\x00-\x00")
@example(b"---\na: " + b"9" * 5000 + b"\n---\n")
@example(b"---\nkeywords: " + b"- " * 30000 + b"x\n---\n")
def test_any_bytes_read_as_markdown_or_yaml_give_a_document_or_coded_problems(raw: bytes) -> None:
    check_document(read_markdown(raw, ENTRY))
    check_document(read_yaml(raw, "entries/units.yaml"))


@FAST
@given(yamlish_documents())
def test_grammar_documents_give_a_document_or_coded_problems(text: str) -> None:
    raw = text.encode("utf-8")
    doc = read_markdown(raw, ENTRY)
    check_document(doc)
    check_problems(yamlstrict.load(text, "x.yaml").problems)
    if doc.readable:  # every value keeps a position inside the file
        lines = text.count("\n") + 1
        assert all(1 <= line <= lines for line, _ in doc.parsed.values.values())


@pytest.fixture(scope="module")
def space() -> Workspace:
    return Workspace()


@SLOW
@given(raw=st.one_of(yamlish_documents().map(lambda t: t.encode("utf-8")), st.binary(max_size=512)))
def test_the_whole_validator_on_generated_files_never_raises(raw: bytes, space: Workspace) -> None:
    """Placed as an entry, a campaign, a decisions file or the unit registry of a small real repository."""
    one_input(raw, space, full=True)


@FAST
@given(yamlish_documents())
def test_per_file_rules_see_only_well_typed_values(text: str) -> None:
    doc = read_markdown(text.encode("utf-8"), ENTRY)
    check_problems(per_file(HERE.parent, doc))


# ----------------------------------------------------------------- strict YAML semantics
plain_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
              st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8), inner, max_size=4)),
    max_leaves=20,
)


@FAST
@given(st.dictionaries(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8), plain_values, max_size=6))
def test_what_a_yaml_writer_dumps_reads_back_the_same(data: dict) -> None:
    """PyYAML quotes every string that YAML 1.1 would read as something else, so the strict 1.2
    reader must give back exactly the values written (no 'no' -> False, no '012' -> 10)."""
    import yaml

    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assume("\t" not in text)
    parsed = yamlstrict.load(text, "x.yaml")
    if _depth(data) > yamlstrict.MAX_DEPTH:
        assert parsed.problems
        return
    assert not parsed.problems, parsed.problems
    assert _same(parsed.data, data)


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _same(a: object, b: object) -> bool:
    if isinstance(b, float) and not isinstance(a, bool):
        return isinstance(a, (int, float)) and math.isclose(a, b, rel_tol=1e-12, abs_tol=0)
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in b)
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@FAST
@given(st.sampled_from(["2024-06-25", "yes", "no", "on", "off", "012", "0o14", "1:20", "0x1F", "1_000", "1e999", "9" * 40]))
def test_plain_scalars_that_yaml_11_would_convert_stay_text(word: str) -> None:
    parsed = yamlstrict.load(f"a: {word}\n", "x.yaml")
    assert parsed.data == {"a": word}


# ----------------------------------------------------------------- reader invariances
@FAST
@given(st.dictionaries(st.sampled_from(KEYS), plain_values, min_size=1, max_size=6),
       st.lists(st.one_of(st.sampled_from(BODY_LINES), st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)), max_size=6))
def test_line_endings_and_a_bom_do_not_change_what_is_read(data: dict, body: list[str]) -> None:
    import yaml

    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + "\n".join(body)
    base = read_markdown(text.encode("utf-8"), ENTRY)
    assume(base.readable)
    for raw in (text.replace("\n", "\r\n").encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8")):
        other = read_markdown(raw, ENTRY)
        assert other.data == base.data and other.body == base.body


@FAST
@given(st.text(alphabet=VIET + "\n:-", max_size=200))
def test_nfd_text_is_flagged_and_fix_makes_it_nfc_idempotently(text: str) -> None:
    raw = ("---\ntitle: x\n---\n" + unicodedata.normalize("NFD", text)).encode("utf-8")
    codes = {p.code for p in read_markdown(raw, ENTRY).problems}
    assert ("SK003" in codes) == (not unicodedata.is_normalized("NFC", raw.decode("utf-8")))
    once = fixed(raw)
    assert once is not None and fixed(once) == once
    assert "SK003" not in {p.code for p in read_markdown(once, ENTRY).problems}


# ----------------------------------------------------------------- privacy patterns
SEPARATORS = st.sampled_from([" ", ".", "-", ""])


@st.composite
def mobile_numbers(draw) -> str:
    prefix = draw(st.sampled_from(["0", "+84 ", "+84", "(+84) ", "84"]))
    digits = draw(st.sampled_from("35789")) + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8)))
    sep = draw(SEPARATORS)
    grouped = draw(st.sampled_from([(3, 3, 3), (2, 3, 4), (3, 2, 2, 2), (9,)]))
    parts, i = [], 0
    for size in grouped:
        parts.append(digits[i:i + size])
        i += size
    return prefix + sep.join(parts)


@FAST
@given(mobile_numbers(), st.sampled_from(["Liên hệ anh Bình: {}.", "SĐT {} (Zalo)", "{}", "Gọi số {} ngoài giờ"]))
def test_every_written_form_of_a_mobile_number_is_flagged(number: str, sentence: str) -> None:
    found = {p.code for p in text_rules.scan(sentence.format(number), "a.md", 1, 1, "phần mô tả", set(), set(), True)}
    assert found & {"SK501", "SK503"}, number


@FAST
@given(st.integers(1, 9999), st.sampled_from(["QĐ-UBND", "KH-UBND", "NĐ-CP", "TT-BKHCN", "HD-SNV", "QĐ-BQL"]),
       st.integers(2000, 2030), st.integers(1, 999_999_999), st.integers(0, 1000), st.integers(1, 28), st.integers(1, 12))
def test_decision_numbers_statistics_and_dates_are_not_personal(num: int, kind: str, year: int, money: int, pct: int,
                                                                day: int, month: int) -> None:
    grouped = f"{money:,}".replace(",", ".")
    lines = [f"Quyết định số {num}/{kind} ngày {day:02d}/{month:02d}/{year}", f"Số {num:02d}/{year}/{kind}",
             f"Kinh phí {grouped} đồng", f"Tiếp nhận {grouped} hồ sơ", f"Tỷ lệ {pct / 10:.1f}%".replace(".", ","),
             f"Ngày {day:02d}/{month:02d}/{year}", f"Năm {year} có {grouped} lượt"]
    for line in lines:
        found = {p.code for p in text_rules.scan(line, "a.md", 1, 1, "phần mô tả", set(), set(), True)}
        assert not found & {"SK501", "SK503", "SK505", "SK506"}, line


@FAST
@given(st.text(max_size=300))
def test_text_scan_never_raises_on_any_text(value: str) -> None:
    check_problems(list(text_rules.scan(value, "a.md", 1, 1, "phần mô tả", set(), set(), True)))


# ----------------------------------------------------------------- the standalone fuzzer, bounded
def test_fuzz_script_runs_a_short_bounded_session() -> None:
    """The README's test command runs this short version; dev/fuzzing.md has the long one."""
    script = str(HERE / "fuzz_reader.py")
    if importlib.util.find_spec("atheris") is not None:
        cmd = [sys.executable, script, "--only-sangkien", "-runs=400", "-timeout=10", "-max_len=4096", "-print_final_stats=1"]
    else:
        cmd = [sys.executable, script, "--hypothesis", "150"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-3000:]
    assert "Traceback" not in out and "ERROR" not in out, out[-3000:]
    assert re.search(r"Done \d+ runs", out) or "no failure" in out, out[-3000:]
