"""The fast paths give exactly what the plain ones give.

- strict YAML from libyaml's events = the composer-based reference (yamlstrict.load_reference);
- the text checks' line prefilter = scanning every line (and it is switched on: reviewed);
- the compiled schema check (fastjsonschema) is never laxer than jsonschema;
- validation in parallel, with or without the cache = serial, without it (problems JSON);
- the site built fast (pages drawn ahead, kept pages, cached pages) = the plain MkDocs build,
  file for file, through changes of an entry and of a campaign and a tampered cache (the Excel
  export differs only by its creation timestamps).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from helpers.oracles import same_yaml, same_yaml_in_file, with_and_without_prefilter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sangkien import schemas
from sangkien.checks import text as text_rules
from sangkien.reader import read_markdown

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

NOW = "2025-01-10T09:00:00+07:00"
CORPUS = sorted(p for p in [*(ROOT / "tests").rglob("*.md"), *(ROOT / "tests").rglob("*.yaml"), *(ROOT / "entries").rglob("*")]
                if p.is_file() and p.stat().st_size < 64 * 1024)


def _texts() -> list[str]:
    out = []
    for path in CORPUS:
        try:
            out.append(path.read_text(encoding="utf-8"))
        except UnicodeError:
            continue
    return out


# ----------------------------------------------------------------- strict YAML
SNIPPETS = ["a: 1\n", "- x\n", "  - y\n", "b: [1, 2]\n", "c: {d: e}\n", "&x v\n", "*x\n", "!!str 12\n", "! 12\n", "k: !foo bar\n", "<<: 1\n",
            "? [a]\n: b\n", "---\n", "...\n", "'q'\n", "\"e\\q\"\n", "k: |\n  t\n", "a: 1e5\n", "a: -.5\n", "a: 012\n", "a: yes\n",
            "a: 2024-01-01\n", "dup: 1\ndup: 2\n", "x: &a 1\ny: &a 2\n", "- - - - a\n", "\t- a\n", "a: b: c\n", "k: !!map {a: 1}\n",
            "k: !!seq {a: 1}\n", "!!merge x: 1\n", "'<<': 2\n", "[{a: [b, {c: d}]}]\n", ": x\n", "? a\n", "- !!binary aGk=\n", "k: ~\n",
            "k:\n", "%YAML 1.2\n---\nx\n", "  k2: v\n", "    - [a, {b: c}]\n", "- &q [1]\n", "! {a: 1}\n", "!!str\n", "k: ! x\n",
            "{? [a]: b, c: d}\n", "[a, b]: c\n", "k: !!int 3\n", "k: !!float '1'\n", "--- &a x\n", "- ? a\n  : b\n", "tiêu đề: Số hóa\n",
            "k: \"a\\u00e9\"\n", "k: 'it''s'\n", "k: >-\n  gấp\n  dòng\n", "# chú thích\n", "k: 1.50\n", "k: .inf\n", "k: 0x1F\n"]


def test_yaml_from_events_equals_the_composer_on_every_stored_file() -> None:
    for text in _texts():
        same_yaml_in_file(text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=8))
def test_yaml_from_events_equals_the_composer_on_generated_documents(parts: list[str]) -> None:
    same_yaml("".join(parts))


# ----------------------------------------------------------------- text checks
FRAGMENTS = ["0912 345 678", "+84 912.345.678", "(+84) 912345678", "028 3822 1234", "0 (28) 3822 1234", "079123456789", "079 123 456 789",
             "abc@gmail.com", "x.y@tayninh.gov.vn", "<b>", "< b", "<!-- x -->", "<svg/onload=x>", "javascript:", "java\nscript:", "JAVASCRİPT:",
             "ſcript:", "data:text/html;base64,", "jav&#x61;script:", "&#106;avascript:", "java\\script:", "&colon;", "TN&MT", "&amp;", "\\",
             "Ngày sinh: 01/02/1990", "ngay\nsinh 1990", "sinh năm 1985", "D.O.B", "Thường trú: ấp 3", "hộ khẩu:", "nơi ở hiện nay:",
             "chỗ ở hiện nay -", "Địa chỉ nhà riêng:", "C¶i c¸ch", "Xin chaøo", "caùc", "Vieät", "chöùc", "Ñoàng", "Рhòng", "αβγ", "\u200b",
             "\ufeff", "\x07", "ı", "\u212a", "Đồng Khởi", "một cửa", "12 ngày", "45%", " ", "\n", "\n\n", "```\n", "~~~\n", "sinh viên",
             "phát sinh", "hộ tịch", "dữ liệu", "data", "scr", "ipt", "&#x6a;ava&#x73;\ncript:", "aâ", "oâ", "eâ", "1", "2", "3", "-", ".", "(",
             ")", "scr ipt:", "d a t a:text/html,",
             # privacy.py's view: full-width and hidden characters, lone marks, obfuscations, context words
             "０９１２", "３４５", "\u200b", "\u00ad", "\u0301", "…", "–", "\u00a0", "zalo.me/", "tel:", "CMND ", "STK ", "mã số thuế ", "[at]", "( a )",
             "［ａｔ］", "＠", " a còng ", "[dot]", "gmail", ".com", "SN 1985", "ｓｎ", "(1985)", "( 1985)", "ông Lê Văn A ", "Nhà riêng:", "nhà riêng ",
             "tạm trú:", "nơi ở -", "Ｓinh năm", "sinh\u00a0năm", "1980", "84", "+84", "(+84)", "0"]


class _Places:
    def where(self, path: tuple) -> tuple[int, int]:
        return len(path) + 1, 1


def _scans(text: str) -> tuple:
    body = list(text_rules.scan_body(text, 5, "f", {"2838221234"}, {"x.y@tayninh.gov.vn"}))
    data = {"a": text, "b": [text, {"c": text + " x"}], "d": "ok"}
    strings = list(text_rules.scan_strings(data, (), _Places(), "f", lambda p: str(p), set(), set()))
    return body, strings


def _same_scan(text: str) -> None:
    fast, slow = with_and_without_prefilter(lambda: _scans(text))
    assert fast == slow, text


def test_the_text_prefilter_is_reviewed_for_the_checks_as_written() -> None:
    assert text_rules.FAST, (
        "sangkien/checks/text.py changed (scan(), _deobfuscated() or a pattern): its line prefilter switched itself off, so the "
        "validator is slower but still right. Check that the list above lines_to_scan() still names what every check needs, then "
        f"set _REVIEWED = {text_rules._scan_fingerprint()!r}.")


def test_the_text_prefilter_finds_what_every_line_scan_finds_on_stored_files() -> None:
    for text in _texts():
        _same_scan(text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(["", " ", "x", "\n"])), min_size=1, max_size=12))
def test_the_text_prefilter_finds_what_every_line_scan_finds_on_generated_text(parts) -> None:
    _same_scan("".join(a + b for a, b in parts))


# ----------------------------------------------------------------- schema fast path
def _entry() -> dict:
    doc = read_markdown(next((ROOT / "entries" / "chau-thanh-2024").glob("*/*.md")).read_bytes(), "x.md")
    return doc.data


VALUES = [None, True, False, 0, 1, -1, 1.0, 1.5, 100, 101, "", "x", "2024-02-30", "2024-06-18", "30/06/2024", "ca-nhan", "nhom", "thu-tuc-hanh-chinh",
          "http://x", "a" * 400, [], ["x"], [1], {}, {"name": "A"}, {"baseline": 1, "result": 2}]


@settings(max_examples=400, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, 200), st.sampled_from(["set", "delete", "append"]), st.sampled_from(VALUES)), min_size=1, max_size=4))
def test_the_compiled_schema_check_is_never_laxer_than_jsonschema(edits) -> None:
    data = copy.deepcopy(_entry())
    for where, action, value in edits:
        paths = _paths(data)
        path = paths[where % len(paths)]
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1] if path else None
        if action == "delete" and path and isinstance(parent, dict):
            parent.pop(last, None)
        elif action == "append" and path and isinstance(parent.get(last) if isinstance(parent, dict) else None, list):
            parent[last].append(copy.deepcopy(value))
        elif path:
            parent[last] = copy.deepcopy(value)
    if schemas.fast_valid(ROOT, "entry", data):
        assert not list(schemas.validator(ROOT, "entry").iter_errors(data)), data


def _paths(value, path=()) -> list[tuple]:
    found = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, path + (i,))
    return found or [()]


def test_the_fast_path_is_off_for_keywords_it_could_read_differently() -> None:
    for keyword, value in (("prefixItems", [{"type": "string"}]), ("unevaluatedProperties", False), ("dependentRequired", {"a": ["b"]})):
        with pytest.raises(ValueError):
            schemas._fast_form({"type": "object", keyword: value}, set())
    # $ref with siblings (applied in 2020-12, ignored by draft 7) is rewritten, so the sibling still checks.
    form = schemas._fast_form({"$defs": {"s": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/s", "minLength": 3}}}, set())
    assert form["properties"]["x"] == {"minLength": 3, "allOf": [{"$ref": "#/$defs/s"}]}


# ----------------------------------------------------------------- whole runs
@pytest.fixture(scope="module")
def kho(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """260 synthetic entries (enough for the worker processes) and a few faulty ones."""
    root = tmp_path_factory.mktemp("tuongduong") / "kho"
    paths = synth.generate(root, 260, words=160, git=False)
    faults = {
        paths[0]: ("\nsummary: ", "\nsummary: Liên hệ 0912 345 678. "),
        paths[1]: ("\nparticipation: ", "\nparticipation: tap-the\nx_participation: "),
        paths[2]: ("\n## Giải pháp", "\nLiên hệ nhà riêng, thường trú: ấp 3.\n\n## Giải pháp"),
        paths[3]: ("\nsubmitted: ", "\nsubmitted: \"2030-01-01\"\nx_submitted: "),
    }
    for rel, (old, new) in faults.items():
        target = root / rel
        target.write_text(target.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    shutil.copy2(root / paths[5], (root / paths[5]).with_name("bn-ct-trung-ma.md"))
    return root


def _env(**extra: str) -> dict:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": NOW, "NO_MKDOCS_2_WARNING": "1"}
    for name in ("SANGKIEN_NO_CACHE", "SANGKIEN_JOBS", "SANGKIEN_FAST_BUILD"):
        env.pop(name, None)
    return {**env, **extra}


PLAIN = {"SANGKIEN_NO_CACHE": "1", "SANGKIEN_JOBS": "1", "SANGKIEN_FAST_BUILD": "0"}


def _validate(root: Path, **env: str) -> str:
    done = subprocess.run([sys.executable, "-m", "sangkien", "validate", "--format", "json"], cwd=root, env=_env(**env),
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    return done.stdout


def test_parallel_and_cached_validation_equals_serial_uncached(kho: Path) -> None:
    shutil.rmtree(kho / ".sangkien-cache", ignore_errors=True)
    serial = _validate(kho, **PLAIN)
    codes = {p["code"] for p in json.loads(serial)["problems"]}
    assert {"SK501", "SK204", "SK507", "SK301"} <= codes
    assert _validate(kho, SANGKIEN_NO_CACHE="1") == serial  # parallel, no cache
    assert _validate(kho) == serial  # parallel, cache filled
    assert _validate(kho) == serial  # from the cache


def _build(root: Path, dest: str, **env: str) -> Path:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", dest], cwd=root, env=_env(**env),
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / dest


def _site_files(site: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            out[rel] = _xlsx_without_times(path) if path.suffix == ".xlsx" else path.read_bytes()
    return out


def _xlsx_without_times(path: Path) -> bytes:
    """The workbook's members, its creation and modification times taken out (the one documented difference)."""
    with zipfile.ZipFile(path) as book:
        members = []
        for name in sorted(book.namelist()):
            data = book.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\1", data)
            members.append(name.encode() + b"\0" + data)
    return b"\1".join(members)


def _same_site(fast: Path, plain: Path) -> None:
    a, b = _site_files(fast), _site_files(plain)
    assert sorted(a) == sorted(b)
    different = [rel for rel in a if a[rel] != b[rel]]
    assert not different, different[:10]


def test_fast_builds_equal_the_plain_build_through_changes(kho: Path, tmp_path: Path) -> None:
    shutil.rmtree(kho / ".sangkien-cache", ignore_errors=True)
    for dest in ("site", "site-plain"):
        shutil.rmtree(kho / dest, ignore_errors=True)
    _same_site(_build(kho, "site"), _build(kho, "site-plain", **PLAIN))  # cold: nothing cached
    entry = sorted(kho.glob("entries/chau-thanh-2024/*/bn-ct-*.md"))[10]
    entry.write_text(entry.read_text(encoding="utf-8").replace('\ntitle: "', '\ntitle: "Bản sửa - ', 1), encoding="utf-8")
    _same_site(_build(kho, "site"), _build(kho, "site-plain", **PLAIN))  # one entry changed: the others kept
    campaign = kho / "entries" / "chau-thanh-2024" / "campaign.yaml"
    campaign.write_text(campaign.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Đợt ", 1), encoding="utf-8")
    _same_site(_build(kho, "site"), _build(kho, "site-plain", **PLAIN))  # every page of the campaign changes
    # A cache that lies: every stored page altered. The canary page is drawn again, differs, and
    # the store is not used; a page file altered in the site folder is not kept either.
    for page in (kho / ".sangkien-cache" / "site" / "pages").rglob("*.html"):
        page.write_text(page.read_text(encoding="utf-8") + "<!-- sửa trái phép -->", encoding="utf-8")
    kept = kho / "site" / "sang-kien" / entry.stem / "index.html"
    kept.write_text(kept.read_text(encoding="utf-8").replace("</h1>", " (sửa)</h1>", 1), encoding="utf-8")
    _same_site(_build(kho, "site"), _build(kho, "site-plain", **PLAIN))


def test_a_low_memory_build_equals_the_plain_build(kho: Path) -> None:
    """From low_memory_from_pages on (1 here: every build), the exports finish before the pages
    are drawn and the drawn pages wait compressed: the same site, byte for byte."""
    config = kho / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    assert "\n  - sangkien\n" in original
    shutil.rmtree(kho / ".sangkien-cache", ignore_errors=True)
    for dest in ("site-lean", "site-plain"):
        shutil.rmtree(kho / dest, ignore_errors=True)
    try:
        config.write_text(original.replace("\n  - sangkien\n", "\n  - sangkien:\n      low_memory_from_pages: 1\n"), encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "site-lean"], cwd=kho, env=_env(),
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Bản dựng lớn (" in done.stderr, done.stderr[-3000:]
    finally:
        config.write_text(original, encoding="utf-8")
    _same_site(kho / "site-lean", _build(kho, "site-plain", **PLAIN))
