"""Cross-file rules and robustness of the validator, on a small fixture repository.

tests/fixtures/entries/ is a complete, valid repository (units, one campaign with a rubric and
tiers, three entries, council decisions); each test copies it and breaks one thing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from sangkien import validator

CAMP = "entries/thu-nghiem-2025"
MOT = f"{CAMP}/so-thu/bai-mot.md"
HAI = f"{CAMP}/so-thu/bai-hai.md"
BA = f"{CAMP}/huyen-thu/bai-ba.md"
DECISIONS = f"{CAMP}/decisions.yaml"


class Mini:
    def __init__(self, root: Path) -> None:
        self.root = root

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (self.root / rel).write_text(text, encoding="utf-8")

    def replace(self, rel: str, old: str, new: str) -> str:
        text = self.read(rel)
        assert text.count(old) == 1, old
        self.write(rel, text.replace(old, new))
        return self.read(rel)

    def errors(self) -> list[tuple[str, str, int]]:
        report = validator.validate(self.root)
        return [(p.code, p.file, p.line) for p in report.errors]

    def problems(self):
        return validator.validate(self.root).problems


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    return [i for i, line in enumerate(text.split("\n"), start=1) if needle in line][occurrence - 1]


@pytest.fixture
def mini(tmp_path: Path) -> Mini:
    shutil.copytree(FIXTURES / "entries", tmp_path / "entries")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    return Mini(tmp_path)


def test_fixture_repository_is_valid(mini):
    assert mini.problems() == []


def test_duplicate_entry_id_sk301(mini):
    text = mini.read(MOT).replace("unit: so-thu", "unit: huyen-thu")
    mini.write(f"{CAMP}/huyen-thu/bai-mot.md", text)
    errors = mini.errors()
    # Both files are blamed, so validating either one alone fails too.
    line = line_of(text, "id: bai-mot")
    assert sorted(e for e in errors if e[0] == "SK301") == [("SK301", f"{CAMP}/huyen-thu/bai-mot.md", line), ("SK301", MOT, line)]
    messages = {p.file: p.message for p in mini.problems() if p.code == "SK301"}
    assert f"{CAMP}/huyen-thu/bai-mot.md" in messages[MOT] and MOT in messages[f"{CAMP}/huyen-thu/bai-mot.md"]


def test_unknown_campaign_sk302(mini):
    text = mini.read(MOT).replace("campaign: thu-nghiem-2025", "campaign: khong-co-dot").replace("id: bai-mot", "id: bai-lac")
    mini.write("entries/khong-co-dot/so-thu/bai-lac.md", text)
    errors = mini.errors()
    assert ("SK302", "entries/khong-co-dot/so-thu/bai-lac.md", line_of(text, "campaign:")) in errors
    message = next(p.message for p in mini.problems() if p.code == "SK302")
    assert "thu-nghiem-2025" in message  # names the campaigns that exist


def test_unknown_unit_sk303(mini):
    text = mini.read(MOT).replace("unit: so-thu", "unit: so-khong-co").replace("id: bai-mot", "id: bai-bon")
    mini.write(f"{CAMP}/so-khong-co/bai-bon.md", text)
    assert mini.errors() == [("SK303", f"{CAMP}/so-khong-co/bai-bon.md", line_of(text, "unit:"))]


def test_unit_not_valid_on_submission_date_sk304(mini):
    text = mini.replace(BA, 'submitted: "2025-06-20"', 'submitted: "2025-07-02"')
    assert mini.errors() == [("SK304", BA, line_of(text, "submitted:"))]
    message = next(p.message for p in mini.problems() if p.code == "SK304")
    assert "30/06/2025" in message and "02/07/2025" in message and "tinh-thu" in message


def test_unit_valid_on_its_last_day(mini):
    mini.replace(BA, 'submitted: "2025-06-20"', 'submitted: "2025-06-30"')
    assert mini.errors() == []


def test_decision_refers_to_unknown_entry_sk305(mini):
    text = mini.replace(DECISIONS, "- {entry: bai-hai, tier: nhi}", "- {entry: bai-khong-co, tier: nhi}")
    assert mini.errors() == [("SK305", DECISIONS, line_of(text, "bai-khong-co"))]


def test_screening_refers_to_unknown_entry_sk305(mini):
    text = mini.replace(DECISIONS, '- {entry: bai-ba, result: dat, date: "2026-01-05"}', '- {entry: bai-nam, result: dat, date: "2026-01-05"}')
    assert ("SK305", DECISIONS, line_of(text, "bai-nam")) in mini.errors()


def test_score_above_the_rubric_maximum_sk306(mini):
    text = mini.replace(DECISIONS, "criteria: {tinh-moi: 35, kha-thi: 25, hieu-qua: 28}", "criteria: {tinh-moi: 45, kha-thi: 25, hieu-qua: 28}")
    assert mini.errors() == [("SK306", DECISIONS, line_of(text, "tinh-moi: 45"))]
    message = next(p.message for p in mini.problems() if p.code == "SK306")
    assert "45" in message and "40" in message


def test_score_for_an_unknown_criterion_sk306(mini):
    mini.replace(DECISIONS, "kha-thi: 25, hieu-qua: 28}", "kha-thi: 25, hieu-qua: 28, trinh-bay: 5}")
    assert [e[0] for e in mini.errors()] == ["SK306"]


def test_score_at_the_maximum_is_fine(mini):
    mini.replace(DECISIONS, "criteria: {tinh-moi: 35, kha-thi: 25, hieu-qua: 28}", "criteria: {tinh-moi: 40, kha-thi: 30, hieu-qua: 30}")
    assert mini.errors() == []


def test_tier_count_over_its_cap_sk307(mini):
    text = mini.replace(DECISIONS, "- {entry: bai-hai, tier: nhi}", "- {entry: bai-hai, tier: nhat}")
    assert mini.errors() == [("SK307", DECISIONS, line_of(text, "- number: 5/QĐ-UBND"))]
    assert "Giải Nhất" in next(p.message for p in mini.problems() if p.code == "SK307")


def test_revoked_recognition_does_not_count_against_the_cap(mini):
    mini.replace(DECISIONS, "- {entry: bai-hai, tier: nhi}", "- {entry: bai-hai, tier: nhat}")
    mini.write(DECISIONS, mini.read(DECISIONS) + "revocations:\n  - number: 9/QĐ-UBND\n    date: \"2026-03-01\"\n"
               "    decision: 5/QĐ-UBND\n    entries: [bai-hai]\n    reason: Phát hiện trùng với giải pháp đã có.\n")
    assert mini.errors() == []


def test_unknown_tier_sk307(mini):
    mini.replace(DECISIONS, "- {entry: bai-hai, tier: nhi}", "- {entry: bai-hai, tier: dac-biet}")
    assert [e[0] for e in mini.errors()] == ["SK307"]


def test_decision_dated_before_the_window_closed_sk308(mini):
    text = mini.replace(DECISIONS, 'date: "2026-01-20"', 'date: "2025-12-31"')
    assert mini.errors() == [("SK308", DECISIONS, line_of(text, '"2025-12-31"'))]
    assert "31/12/2025 23:59 (giờ Việt Nam)" in next(p.message for p in mini.problems() if p.code == "SK308")


def test_decision_dated_the_day_after_the_close_is_fine(mini):
    mini.replace(DECISIONS, 'date: "2026-01-20"', 'date: "2026-01-01"')
    assert mini.errors() == []


def test_contribution_sum_90_sk214(mini):
    text = mini.replace(HAI, "contribution: 40", "contribution: 30")
    assert mini.errors() == [("SK214", HAI, line_of(text, "authors:") + 1)]
    assert "90%" in next(p.message for p in mini.problems() if p.code == "SK214")


def test_group_without_representative_sk213(mini):
    text = mini.replace(HAI, "    representative: true\n", "")
    assert mini.errors() == [("SK213", HAI, line_of(text, "participation:"))]


def test_group_with_one_author_sk213(mini):
    mini.replace(MOT, "participation: ca-nhan", "participation: nhom")
    assert [e[0] for e in mini.errors()] == ["SK213"]


def test_individual_with_two_authors_sk213(mini):
    mini.replace(HAI, "participation: nhom", "participation: ca-nhan")
    assert [e[0] for e in mini.errors()] == ["SK213"]


def test_id_must_match_the_file_name_sk210(mini):
    text = mini.replace(MOT, "id: bai-mot", "id: bai-mot-khac")
    assert ("SK210", MOT, line_of(text, "id:")) in mini.errors()


def test_entry_in_the_wrong_unit_folder_sk212(mini):
    text = mini.replace(MOT, "unit: so-thu", "unit: huyen-thu")
    assert mini.errors() == [("SK212", MOT, line_of(text, "unit:"))]


def test_paths_limit_the_report_to_those_files(mini, monkeypatch):
    mini.replace(HAI, "contribution: 40", "contribution: 30")
    mini.replace(BA, 'submitted: "2025-06-20"', 'submitted: "2025-07-02"')
    monkeypatch.chdir(mini.root)
    report = validator.validate(mini.root, [HAI])
    assert [p.code for p in report.errors] == ["SK214"] and report.checked == 1
    report = validator.validate(mini.root, [f"{CAMP}/huyen-thu"])
    assert [p.code for p in report.errors] == ["SK304"]


# ------------------------------------------------------------------ robustness
WRONG_VALUES = {"list": "[1, 2]", "mapping": "{a: 1}", "number": "5", "empty": "", "boolean": "true", "text": "chữ"}
ENTRY_FIELDS = ["id", "title", "campaign", "unit", "submitted", "participation", "authors", "field", "areas", "indices",
                "solution_type", "application_status", "first_applied", "scope", "forms", "conditions", "results",
                "attachments", "previous_contest", "summary", "keywords", "illustrative"]


def _set_field(text: str, field: str, value: str) -> str:
    """Replace the whole value of a top-level field of YAML (or add it)."""
    lines = text.split("\n")
    out, skipping, done = [], False, False
    for line in lines:
        if line.startswith(f"{field}:"):
            out.append(f"{field}: {value}".rstrip())
            skipping, done = True, True
            continue
        if skipping and (line.startswith((" ", "-")) or line == ""):
            if line == "":
                skipping = False
                out.append(line)
            continue
        skipping = False
        out.append(line)
    if not done:
        fence = out.index("---", 1) if out[0] == "---" else len(out)
        out.insert(fence, f"{field}: {value}".rstrip())
    return "\n".join(out)


@pytest.mark.parametrize("field", ENTRY_FIELDS)
def test_wrong_types_in_an_entry_are_problems_not_crashes(mini, field):
    original = mini.read(HAI)
    for kind, value in WRONG_VALUES.items():
        mini.write(HAI, _set_field(original, field, value))
        report = validator.validate(mini.root)  # must not raise
        assert all(p.message and p.line >= 1 for p in report.problems), (field, kind)


@pytest.mark.parametrize(("rel", "fields"), [
    ("entries/units.yaml", ["organisers", "council", "units"]),
    (f"{CAMP}/campaign.yaml", ["id", "kind", "issuer", "plan", "window", "participation", "forms", "areas", "channel",
                               "rubric", "eligible_units", "min_entries_per_unit", "award", "targets", "stages"]),
    (DECISIONS, ["campaign", "screening", "scores", "late_waivers", "recognitions", "revocations"]),
])
def test_wrong_types_in_data_files_are_problems_not_crashes(mini, rel, fields):
    original = mini.read(rel)
    for field in fields:
        for kind, value in WRONG_VALUES.items():
            mini.write(rel, _set_field(original, field, value))
            report = validator.validate(mini.root)  # must not raise
            assert all(p.message and p.line >= 1 for p in report.problems), (rel, field, kind)


@pytest.mark.parametrize("value", ["[1, 2]", "{a: 1}", "5", "", "chữ"])
def test_wrong_types_inside_nested_items_are_problems_not_crashes(mini, value):
    mini.replace(HAI, "    contribution: 40", f"    contribution: {value}" if value else "    contribution:")
    mini.replace(DECISIONS, "- {entry: bai-hai, tier: nhi}", f"- {{entry: bai-hai, tier: {value or 'null'}}}")
    camp = f"{CAMP}/campaign.yaml"
    mini.replace(camp, "{id: nhi, name: Giải Nhì, count: 1}", f"{{id: nhi, name: Giải Nhì, count: {value or 'null'}}}")
    mini.replace(camp, 'date: "2025-12-31"', f"date: {value}")
    mini.replace("entries/units.yaml", 'valid_to: "2025-06-30"', f"valid_to: {value}")
    report = validator.validate(mini.root)
    assert report.errors


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_dates_outside_computable_years_are_sk215_not_crashes(mini, day):
    camp = f"{CAMP}/campaign.yaml"
    texts = {
        BA: mini.replace(BA, 'submitted: "2025-06-20"', f'submitted: "{day}"'),
        camp: mini.replace(camp, '"2025-12-31"', f'"{day}"'),
        DECISIONS: mini.replace(DECISIONS, '"2026-01-20"', f'"{day}"'),
        "entries/units.yaml": mini.replace("entries/units.yaml", '"2025-06-30"', f'"{day}"'),
    }
    expected = sorted(("SK215", rel, line_of(text, day)) for rel, text in texts.items())
    assert sorted(mini.errors()) == expected
    assert all("1900–2199" in p.message for p in mini.problems())
