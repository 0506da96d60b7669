"""The privacy corpora (tests/fixtures/privacy/) through the real `sangkien validate`.

personal.yaml: personal data in the shapes officials really type (spaced, full-width, zero-width,
inside Zalo/tel: links, obfuscated e-mail, «SN 1985», «(1985)» after a name, «Nhà riêng:»);
each case must be refused with exactly its code, as an error, at its line, and the message must
show the datum masked. legitimate.yaml: decision numbers, tax codes, statistics, money, hotlines,
the registry's switchboards, public URLs: no privacy rule may fire. Each case is a whole entry
(a shipped one with the case written into its body or a field) in one copy of the repository.
The same corpora go through the form in Chromium in tests/test_form_browser.py.
"""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest
import yaml
from conftest import FIXTURES, ROOT, run_sangkien
from sangkien.checks import privacy, text

CORPUS = FIXTURES / "privacy"
PERSONAL: list[dict] = yaml.safe_load((CORPUS / "personal.yaml").read_text(encoding="utf-8"))["cases"]
LEGITIMATE: list[dict] = yaml.safe_load((CORPUS / "legitimate.yaml").read_text(encoding="utf-8"))["cases"]
PRIVACY_CODES = {"SK501", "SK503", "SK504", "SK505", "SK506", "SK507", "SK508", "SK509"}
TEMPLATE = ROOT / "entries" / "chau-thanh-2024" / "tn-ct-dong-khoi" / "to-cong-nghe-so-ho-tro-dich-vu-cong-tai-ap.md"
UNIT_DIR = "entries/chau-thanh-2024/tn-ct-dong-khoi"


def entry_with(case: dict, kind: str) -> tuple[str, str, int]:
    """(path, content, line of the case) for one case written into a copy of a shipped entry."""
    original = TEMPLATE.read_text(encoding="utf-8")
    name = f"pv-{kind}-{case['id']}"
    content = re.sub(r"(?m)^id: .*$", f"id: {name}", original, count=1)
    if "field" in case:
        content, count = re.subn(rf"(?m)^{case['field']}: .*$", f"{case['field']}: {json.dumps(case['text'], ensure_ascii=False)}", content,
                                 count=1)
        assert count == 1, case
        line = next(i for i, w in enumerate(content.split("\n"), 1) if w.startswith(f"{case['field']}: "))
    else:
        content = content.rstrip("\n") + "\n\n" + case["text"] + "\n"
        line = content.count("\n")
    return f"{UNIT_DIR}/{name}.md", content, line


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> dict[str, list[dict]]:
    root = tmp_path_factory.mktemp("privacy") / "kho"
    root.mkdir()
    for name in ("entries", "schema"):
        shutil.copytree(ROOT / name, root / name)
    for kind, cases in (("p", PERSONAL), ("l", LEGITIMATE)):
        for case in cases:
            rel, content, _ = entry_with(case, kind)
            (root / rel).write_text(content, encoding="utf-8")
    done = run_sangkien("validate", "--format", "json", "--root", str(root), cwd=root)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    by_file: dict[str, list[dict]] = {}
    for p in json.loads(done.stdout)["problems"]:
        by_file.setdefault(p["file"], []).append(p)
    return by_file


def test_corpora_are_big_enough_and_well_formed() -> None:
    assert len(PERSONAL) >= 30 and len(LEGITIMATE) >= 30
    for cases in (PERSONAL, LEGITIMATE):
        ids = [c["id"] for c in cases]
        assert len(ids) == len(set(ids))
    assert {c["code"] for c in PERSONAL} == PRIVACY_CODES
    assert all("code" not in c for c in LEGITIMATE)


@pytest.mark.parametrize("case", PERSONAL, ids=[c["id"] for c in PERSONAL])
def test_personal_data_is_refused_with_its_code(case: dict, outcome) -> None:
    rel, _, line = entry_with(case, "p")
    found = [p for p in outcome.get(rel, []) if p["code"] in PRIVACY_CODES]
    assert [(p["code"], p["severity"], p["line"]) for p in found] == [(case["code"], "error", line)], found
    message = found[0]["message"]
    assert "Cách sửa:" in message and f"Dòng {line}:" in message
    for run in re.findall(r"\d[\d .\-]{5,}\d", case["text"]):  # the datum itself is never echoed
        assert re.sub(r"\D", "", run) not in re.sub(r"\D", "", message.split("Cách sửa:")[0].replace(f"Dòng {line}", "")), message


@pytest.mark.parametrize("case", LEGITIMATE, ids=[c["id"] for c in LEGITIMATE])
def test_legitimate_text_is_left_alone(case: dict, outcome) -> None:
    rel, _, _ = entry_with(case, "l")
    found = [p for p in outcome.get(rel, []) if p["code"] in PRIVACY_CODES or p["severity"] == "error"]
    assert found == [], found


def test_masks() -> None:
    none: set[str] = set()
    [mobile] = privacy.findings("Gọi 0912 345 678", none, none)
    assert mobile[2] == "09•• ••• •78"
    [cccd] = privacy.findings("CCCD 079201001234", none, none)
    assert cccd[2] == "0792•••••234"
    [mail] = privacy.findings("ten [at] gmail [dot] com", none, none)
    assert mail[2] == "t•••@gmail.com"


def test_columns_point_into_the_original_text() -> None:
    line = "Ｔên: Ｌê　Ｔhu, ＳĐＴ ０９１２\u200b３４５\u200b６７８"
    [found] = [p for p in text.scan(line, "a.md", 1, 1, "x", set(), set(), markup=True) if p.code == "SK501"]
    assert found.column - 1 == line.index("０")


# Near misses of every rule, 500 KB on one line: each must take well under a second (the rules
# are linear; an unbounded or nested repetition would take minutes here).
NEAR_MISSES = ["0912 345 67x ", "0912.345.6", "079 201 001 23 ", "CMND 02512345 ", "STK 012345 ", "ten [at] gmail [dot] ", "a" * 70 + " @ ",
               "x(a)y ", "SN 198 ", "sinh năm x ", "ông Nguyễn Văn A (198) ", "Nhà riêng ", "thường trú ", "zalo.me/09123 ", "tel:+84 ",
               "https://x.gov.vn/" + "1" * 30 + " ", "mã số thuế 0301 ", "０９１２\u200b３４５ ", "ư\u0301" * 5, "1.234.567 ", "(+84) (+84) "]


@pytest.mark.parametrize("piece", NEAR_MISSES)
def test_a_500_kb_line_of_near_misses_is_fast(piece: str) -> None:
    line = (piece * (500_000 // len(piece) + 1))[:500_000]
    started = time.perf_counter()
    found = list(privacy.findings(line, set(), set()))
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, (piece, elapsed, len(found))
