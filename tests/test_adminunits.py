"""The official administrative-units list (adminunits.py) and the validator's rules on it
(checks/units.py): codes against the list of their period, names against codes, and campaigns
opening after 01/07/2025 that name an abolished unit or offer the district level."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TempRepo
from sangkien import adminunits
from sangkien.adminunits import LEGACY, NEW
from sangkien.validator import validate

UNITS = "entries/units.yaml"


# ---------------------------------------------------------------- the dataset
def test_the_lists_have_the_official_counts() -> None:
    assert len(adminunits.provinces(NEW)) == 34
    assert sum(len(adminunits.communes(p.code)) for p in adminunits.provinces(NEW)) == 3321
    assert len(adminunits.provinces(LEGACY)) == 63
    assert len({u.code for u in adminunits.period(NEW).units.values()}) == 34 + 3321


def test_codes_are_the_statistics_office_codes_of_each_period() -> None:
    assert adminunits.lookup("01", NEW).name == "Thành phố Hà Nội"
    assert adminunits.lookup("80", NEW).name == "Tỉnh Tây Ninh"      # the merged province took Long An's code
    assert adminunits.lookup("80", LEGACY).name == "Tỉnh Long An"
    assert adminunits.lookup("72", LEGACY).name == "Tỉnh Tây Ninh"
    assert adminunits.lookup("72", NEW) is None
    chau_thanh = adminunits.lookup("708", LEGACY)
    assert (chau_thanh.name, chau_thanh.level, chau_thanh.province) == ("Huyện Châu Thành", "huyen", "72")
    hao_duoc = adminunits.lookup("25588", NEW)
    assert (hao_duoc.short, hao_duoc.type, hao_duoc.level, hao_duoc.province) == ("Hảo Đước", "Xã", "xa", "80")
    # a code can name another commune after the reform
    assert adminunits.lookup("25621", LEGACY).short == "Thành Long" and adminunits.lookup("25621", NEW).short == "Ninh Điền"
    assert {u.type for u in adminunits.communes("91")} == {"Xã", "Phường", "Đặc khu"}


def test_lookup_many_reads_the_same_units_as_the_whole_list() -> None:
    codes = {"01", "80", "25588", "00004", "99999", "708"}
    for which in (NEW, LEGACY):
        assert adminunits.lookup_many(codes, which) == {c: u for c in codes if (u := adminunits.lookup(c, which)) is not None}


@pytest.mark.parametrize(("typed", "code"), [("Tây Ninh", "80"), ("tay ninh", "80"), ("Tỉnh Tây Ninh", "80"), ("80", "80"),
                                             ("khanh hoa", "56"), ("Khánh Hoà", "56"), ("TP Hồ Chí Minh", "79"), ("hcm", "79"),
                                             ("Thành phố Huế", "46"), ("1", "01")])
def test_a_province_is_found_by_name_folded_name_or_code(typed: str, code: str) -> None:
    assert adminunits.find_province(typed).code == code


def test_abolished_provinces_are_not_post_reform_provinces() -> None:
    assert adminunits.find_province("Long An") is None and adminunits.find_province("72") is None
    assert adminunits.find_province("Long An", LEGACY).code == "80"


def test_a_merged_province_knows_the_provinces_it_was_formed_from() -> None:
    assert [p.name for p in adminunits.formed_from(adminunits.lookup("80", NEW))] == ["Tỉnh Tây Ninh", "Tỉnh Long An"]
    assert [p.name for p in adminunits.formed_from(adminunits.lookup("56", NEW))] == ["Tỉnh Khánh Hòa", "Tỉnh Ninh Thuận"]
    assert [p.code for p in adminunits.formed_from(adminunits.lookup("01", NEW))] == ["01"]


def test_reading_the_list_never_imports_the_package_or_its_geometry_libraries() -> None:
    code = ("import sys; from sangkien import adminunits as a; a.period('new'); a.period('legacy'); a.formed_from(a.lookup('80', 'new')); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('vietnamadminunits', 'shapely', 'geopy', 'pandas')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------- the validator's rules
def _problems(repo: TempRepo, rel: str | None = None) -> list:
    report = validate(repo.path, [str(repo.path / rel)] if rel else None)
    return [p for p in report.problems if p.code.startswith("SK33")]


def _set(repo: TempRepo, old: str, new: str, rel: str = UNITS) -> int:
    text = repo.read(rel)
    assert text.count(old) == 1, old
    repo.write(rel, text.replace(old, new))
    return text[:text.index(old)].count("\n") + 1


def test_shipped_registry_is_judged_correctly(repo: TempRepo) -> None:
    # legacy units carry pre-reform codes (Tây Ninh 72, Châu Thành 708, Hảo Đước 25588), merged ones the new codes (80)
    assert _problems(repo) == []


def test_a_fake_code_is_an_error_at_its_line(repo: TempRepo) -> None:
    line = _set(repo, 'admin_code: "25621"', 'admin_code: "25622"')
    found = _problems(repo, UNITS)
    assert [(p.code, p.severity, p.line) for p in found] == [("SK330", "error", line)]
    assert "25622" in found[0].message and "tn-ct-thanh-long" in found[0].message and "trước ngày 01/7/2025" in found[0].message
    assert "Cách sửa:" in found[0].message


def test_a_pre_reform_code_on_a_unit_still_in_force_says_how_to_fix_it(repo: TempRepo) -> None:
    line = _set(repo, 'admin_code: "80"', 'admin_code: "72"')  # tn-ubnd-tinh-moi, in force since 01/07/2025
    found = _problems(repo, UNITS)
    assert [(p.code, p.line) for p in found] == [("SK330", line)]
    assert "mã cũ của Tỉnh Tây Ninh" in found[0].message and 'valid_to: "2025-06-30"' in found[0].message


def test_a_name_that_does_not_match_its_code_is_a_warning(repo: TempRepo) -> None:
    line = _set(repo, 'admin_code: "25588"', 'admin_code: "25594"')  # Hảo Đước's entry with Đồng Khởi's code
    found = _problems(repo, UNITS)
    assert [(p.code, p.severity, p.line) for p in found] == [("SK331", "warning", line)]
    assert "Xã Đồng Khởi" in found[0].message and "Ủy ban nhân dân xã Hảo Đước" in found[0].message  # its official name


def test_a_code_of_another_level_is_an_error(repo: TempRepo) -> None:
    line = _set(repo, 'admin_code: "708"', 'admin_code: "72"')  # a district with a province's code
    found = _problems(repo, UNITS)
    assert [(p.code, p.line) for p in found] == [("SK335", line)]
    assert "cấp tỉnh" in found[0].message and "cấp huyện" in found[0].message


CAMPAIGN_2027 = "entries/chau-thanh-2027/campaign.yaml"


def _campaign_2027(repo: TempRepo, opens: str = "2027-05-15") -> str:
    text = repo.read("entries/chau-thanh-2024/campaign.yaml")
    text = text.replace("id: chau-thanh-2024", "id: chau-thanh-2027").replace('date: "2024-05-15"', f'date: "{opens}"')
    text = text.replace('date: "2024-06-25"', f'date: "{opens[:4]}-06-25"')
    text = text.replace("  - tn-ct-phong-noi-vu\n", "  - tn-ct-phong-noi-vu\n  - tn-ubnd-tinh-moi\n")
    text = text.replace("min_entries_per_unit: 1\n", "eligible_levels: [xa, huyen]\nmin_entries_per_unit: 1\n")
    repo.write(CAMPAIGN_2027, text)
    return text


def test_a_campaign_after_the_reform_warns_about_abolished_units_and_the_district_level(repo: TempRepo) -> None:
    text = _campaign_2027(repo)
    found = _problems(repo, CAMPAIGN_2027)
    lines = text.split("\n")
    abolished = [p for p in found if p.code == "SK332"]
    # the nine units of huyện Châu Thành ended on 30/06/2025; the merged province did not
    assert len(abolished) == 9 and all(p.severity == "warning" for p in abolished)
    first = lines[abolished[0].line - 1]
    assert first.strip() == "- tn-ct-phong-noi-vu"
    assert "15/05/2027" in abolished[0].message and "30/06/2025" in abolished[0].message
    district = [p for p in found if p.code == "SK333"]
    assert len(district) == 1 and lines[district[0].line - 1].startswith("eligible_levels:")
    assert not any("tn-ubnd-tinh-moi" in p.message for p in found)


def test_the_warning_names_the_successor(repo: TempRepo) -> None:
    _campaign_2027(repo)
    _set(repo, "    parent: tn-ubnd-tinh\n    valid_to: \"2025-06-30\"\n    contact:\n      email: chauthanh@",
         "    parent: tn-ubnd-tinh\n    valid_to: \"2025-06-30\"\n    successor: tn-ubnd-tinh-moi\n    contact:\n      email: chauthanh@")
    text = repo.read(CAMPAIGN_2027).replace("  - tn-ct-phong-noi-vu\n", "  - tn-ct-phong-noi-vu\n  - tn-chau-thanh\n")
    repo.write(CAMPAIGN_2027, text)
    found = [p for p in _problems(repo, CAMPAIGN_2027) if "«tn-chau-thanh»" in p.message]
    assert [p.code for p in found] == ["SK332"]
    assert "đơn vị kế thừa «tn-ubnd-tinh-moi»" in found[0].message


def test_a_campaign_before_the_reform_is_left_alone(repo: TempRepo) -> None:
    _campaign_2027(repo, opens="2025-06-01")
    assert _problems(repo, CAMPAIGN_2027) == []


def test_without_the_dataset_the_codes_are_not_checked_and_it_says_so(repo: TempRepo, tmp_path: Path) -> None:
    # an interpreter where the distribution cannot be found: a warning, never a traceback
    code = ("import sys, importlib.util; real = importlib.util.find_spec; "
            "importlib.util.find_spec = lambda name, *a: None if name == 'vietnamadminunits' else real(name, *a); "
            "from sangkien.validator import validate; from pathlib import Path; "
            f"r = validate(Path({str(repo.path)!r})); print(sorted({{p.code for p in r.problems}}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "SANGKIEN_NO_CACHE": "1", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['SK334']"


def test_a_post_reform_entry_or_recognition_at_district_level_is_a_warning(repo: TempRepo) -> None:
    """The 2026 round of seed 003 opens on 01/12/2026: «cấp huyện» no longer exists for it."""
    source = "entries/y-te-ninh-thuan-2025/kh-cdc-moi/dang-ky-quan-trac-moi-truong-lao-dong-truc-tuyen.md"
    rel = "entries/y-te-ninh-thuan-2026/kh-cdc-moi/quan-trac-truc-tuyen-2026.md"
    text = repo.read(source).replace("campaign: y-te-ninh-thuan-2025", "campaign: y-te-ninh-thuan-2026")
    text = text.replace("id: dang-ky-quan-trac-moi-truong-lao-dong-truc-tuyen", "id: quan-trac-truc-tuyen-2026")
    text = text.replace('submitted: "2025-12-0', 'submitted: "2026-12-0')
    assert "\nscope: " in text
    text = "\n".join("scope: huyen" if line.startswith("scope: ") else line for line in text.split("\n"))
    repo.write(rel, text)
    decisions = "entries/y-te-ninh-thuan-2026/decisions.yaml"
    repo.write(decisions, "campaign: y-te-ninh-thuan-2026\nrecognitions:\n  - number: 9/QĐ-SYT\n    date: \"2026-12-20\"\n"
                          "    issuer: Sở Y tế tỉnh Khánh Hòa\n    level: huyen\n    title: Quyết định công nhận sáng kiến\n"
                          "    entries:\n      - entry: quan-trac-truc-tuyen-2026\n")
    found = {p.code: p for p in _problems(repo) if p.code in ("SK336", "SK337")}
    assert set(found) == {"SK336", "SK337"} and all(p.severity == "warning" for p in found.values())
    assert found["SK336"].file == rel and repo.read(rel).split("\n")[found["SK336"].line - 1] == "scope: huyen"
    assert found["SK337"].file == decisions and found["SK337"].line == 6 and "01/12/2026" in found["SK337"].message
    # A pre-reform campaign keeps its district scope: Châu Thành 2024 opened on 15/05/2024.
    old = "entries/chau-thanh-2024/tn-ct-hao-duoc/may-tra-cuu-tthc-tai-nha-van-hoa-ap.md"
    repo.write(old, repo.read(old).replace("scope: xa", "scope: huyen"))
    assert not [p for p in _problems(repo) if p.file == old]
