"""`sangkien examples --remove`: the shipped illustrative data goes in one command, the registry
stays valid, the validator accepts the result and `mkdocs build --strict` builds it; nothing is
touched before confirmation, or when the rest of the data still needs a sample."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, build_site, git, site_copy
from helpers.cli import run_cli
from sangkien.commands.examples import TEMPLATE_ID, splice_units

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
SAMPLE_CAMPAIGNS = ("ba-ria-vung-tau-2023", "chau-thanh-2024", "kcn-hung-yen-2024", "y-te-ninh-thuan-2025", "y-te-ninh-thuan-2026")

REAL_UNITS = """\
  # ---------------------------------------------------------------- Sở Nội vụ của tỉnh
  - id: snv-tinh
    name: Sở Nội vụ tỉnh Khánh Hòa
    kind: so-nganh
    level: tinh
    contact:
      email: snv@khanhhoa.gov.vn
    accounts: [snv-khanhhoa]
  - id: snv-phong-cchc
    name: Phòng Cải cách hành chính, Sở Nội vụ
    kind: phong-ban
    level: tinh
    parent: snv-tinh
    contact:
      email: cchc.snv@khanhhoa.gov.vn
    accounts: [cchc-khanhhoa]
"""


@pytest.fixture
def kho(tmp_path: Path) -> Path:
    """What a province forks: data, schemas, docs, mkdocs.yml and CODEOWNERS, in a real Git repository."""
    dest = site_copy(tmp_path / "kho")
    (dest / ".github").mkdir()
    (dest / ".github" / "CODEOWNERS").write_bytes((ROOT / ".github" / "CODEOWNERS").read_bytes())
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "bản sao của tỉnh")
    return dest


def sangkien(kho: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli(list(args), cwd=kho)
    return done.code, done.stdout, done.stderr


def tracked_changes(kho: Path) -> str:
    return git(kho, "status", "--porcelain")


def add_real_units(kho: Path) -> None:
    registry = kho / "entries" / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("units:\n", "units:\n" + REAL_UNITS, 1), encoding="utf-8")


def test_listing_and_an_unconfirmed_removal_touch_nothing(kho):
    code, out, _ = sangkien(kho, "examples")
    assert code == 0
    for campaign in SAMPLE_CAMPAIGNS:
        assert f"Đợt minh họa {campaign}" in out
    assert "entries/replications/tn-ct-an-binh/to-cong-nghe-so-ho-tro-dich-vu-cong-tai-ap-an-binh.md" in out
    assert "52 đơn vị minh họa trong entries/units.yaml" in out
    assert "sangkien examples --remove --yes" in out
    code, out, _ = sangkien(kho, "examples", "--remove")  # no terminal to answer: not confirmed
    assert code == 1 and "Chưa xóa gì" in out and "--yes" in out
    assert tracked_changes(kho) == ""
    code, _, err = sangkien(kho, "examples", "--yes")
    assert code == 2 and "--remove" in err and tracked_changes(kho) == ""


def test_removal_leaves_a_valid_repository_that_builds(kho):
    code, out, err = sangkien(kho, "examples", "--remove", "--yes")
    assert code == 0, out + err
    assert "Đã xóa 42 tệp minh họa và 52 đơn vị minh họa khỏi entries/units.yaml." in out
    assert "Đã ghi lại .github/CODEOWNERS" in out
    assert "sonoivu-demo (organisers), hoidong-demo (council)" in out  # what the province still has to replace
    left = sorted(p.relative_to(kho).as_posix() for p in (kho / "entries").rglob("*"))
    assert left == ["entries/federation.yaml", "entries/units.yaml"]  # empty unit and campaign folders go too; the organiser's files stay
    registry = (kho / "entries" / "units.yaml").read_text(encoding="utf-8")
    assert f"- id: {TEMPLATE_ID}" in registry and "illustrative: true" in registry
    assert registry.startswith("# Danh mục đơn vị: do cơ quan tổ chức")  # the header comments stay
    assert "Tây Ninh" not in registry and "tn-ct-an-binh" not in registry

    validate = subprocess.run(["sangkien", "validate"], cwd=kho, capture_output=True, text=True, check=False)
    assert validate.returncode == 0 and "0 lỗi" in validate.stdout, validate.stdout + validate.stderr
    assert sangkien(kho, "codeowners", "--check")[0] == 0

    built = build_site(kho, "--strict")
    assert built.returncode == 0, built.stdout + built.stderr
    catalogue = (kho / "site" / "sang-kien" / "index.html").read_text(encoding="utf-8")
    assert "Chưa có sáng kiến nào được công nhận." in catalogue
    assert "Chưa có đợt phát động nào." in (kho / "site" / "dot" / "index.html").read_text(encoding="utf-8")
    stats = (kho / "site" / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert "Chưa có bài, hồ sơ nào được nộp" in stats and "<strong>0</strong>" not in stats  # not «0 of 0 in 0 campaigns»
    units = (kho / "site" / "don-vi" / "index.html").read_text(encoding="utf-8")
    assert "Đơn vị cấp huyện kết thúc hoạt động" not in units  # the note on abolished districts only where there are districts

    code, out, _ = sangkien(kho, "examples", "--remove", "--yes")  # a second run has nothing to do
    assert code == 0 and "Kho không còn dữ liệu minh họa nào" in out and TEMPLATE_ID in out


def test_the_provinces_own_units_replace_the_samples_and_the_template(kho):
    add_real_units(kho)
    code, out, err = sangkien(kho, "examples", "--remove", "--yes")
    assert code == 0, out + err
    assert "đơn vị mẫu" not in out
    registry = (kho / "entries" / "units.yaml").read_text(encoding="utf-8")
    assert REAL_UNITS in registry and TEMPLATE_ID not in registry and "illustrative" not in registry
    assert sangkien(kho, "validate")[0] == 0
    owners = (kho / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/entries/*/snv-phong-cchc/ @cchc-khanhhoa @sonoivu-demo" in owners and "tn-ct-an-binh" not in owners


def test_the_template_goes_once_real_units_are_added(kho):
    assert sangkien(kho, "examples", "--remove", "--yes")[0] == 0
    add_real_units(kho)
    code, out, _ = sangkien(kho, "examples")
    assert code == 0 and f"1 đơn vị minh họa trong entries/units.yaml: {TEMPLATE_ID}" in out
    assert sangkien(kho, "examples", "--remove", "--yes")[0] == 0
    assert TEMPLATE_ID not in (kho / "entries" / "units.yaml").read_text(encoding="utf-8")
    assert sangkien(kho, "validate")[0] == 0


def test_a_sample_unit_that_real_data_names_is_kept(kho):
    add_real_units(kho)
    registry = kho / "entries" / "units.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("    parent: snv-tinh\n", "    parent: tn-ubnd-tinh-moi\n", 1),
                        encoding="utf-8")
    code, out, err = sangkien(kho, "examples", "--remove", "--yes")
    assert code == 0, out + err
    assert "Giữ lại 1 đơn vị minh họa vì dữ liệu còn lại nhắc tới: tn-ubnd-tinh-moi" in out
    assert "- id: tn-ubnd-tinh-moi" in registry.read_text(encoding="utf-8")
    assert sangkien(kho, "validate")[0] == 0


def test_an_illustrative_entry_in_the_provinces_campaign_goes_with_its_attachment(kho):
    add_real_units(kho)
    source = kho / "entries" / "chau-thanh-2024"
    own = kho / "entries" / "tinh-2026"
    (own / "tn-ct-thanh-long").mkdir(parents=True)
    (own / "campaign.yaml").write_text((source / "campaign.yaml").read_text(encoding="utf-8")
                                       .replace("id: chau-thanh-2024", "id: tinh-2026").replace("illustrative: true\n", ""), encoding="utf-8")
    entry = (source / "tn-ct-thanh-long" / "so-hoa-ho-so-mot-cua-xa.md").read_text(encoding="utf-8")
    entry = entry.replace("campaign: chau-thanh-2024", "campaign: tinh-2026").replace("id: so-hoa-ho-so-mot-cua-xa", "id: so-hoa-tinh").replace(
        "illustrative: true\n", "attachments:\n  - kind: tai-lieu\n    title: Quy trình\n    file: quy-trinh.pdf\nillustrative: true\n")
    (own / "tn-ct-thanh-long" / "so-hoa-tinh.md").write_text(entry, encoding="utf-8")
    (own / "tn-ct-thanh-long" / "quy-trinh.pdf").write_bytes(PDF)
    (own / "tn-ct-thanh-long" / "bang-gia.pdf").write_bytes(PDF)  # a file no entry names
    assert sangkien(kho, "validate")[0] == 0
    code, out, err = sangkien(kho, "examples")
    assert "entries/tinh-2026/tn-ct-thanh-long/so-hoa-tinh.md" in out and "entries/tinh-2026/tn-ct-thanh-long/quy-trinh.pdf" in out
    code, out, err = sangkien(kho, "examples", "--remove", "--yes")
    assert code == 0, out + err
    assert (own / "campaign.yaml").exists()  # the province's campaign stays
    assert sorted(p.name for p in (own / "tn-ct-thanh-long").iterdir()) == ["bang-gia.pdf"]  # what no sample names stays
    assert "Giữ lại" in out and "tn-ct-thanh-long" in out  # units its campaign.yaml names (eligible_units) stay
    assert sangkien(kho, "validate")[0] == 0


def test_a_real_entry_in_a_sample_campaign_stops_everything(kho):
    entry = next((kho / "entries" / "chau-thanh-2024").rglob("*.md"))
    entry.write_text(entry.read_text(encoding="utf-8").replace("illustrative: true\n", ""), encoding="utf-8")
    git(kho, "commit", "-q", "-am", "một bài thật")
    code, out, err = sangkien(kho, "examples", "--remove", "--yes")
    assert code == 1 and "Chưa xóa gì" in err and entry.relative_to(kho).as_posix() in err
    assert tracked_changes(kho) == ""


def test_real_data_that_needs_a_sample_stops_everything(kho):
    """A replication of the province's own that names a sample initiative would be left
    pointing at nothing: the plan is validated first, and nothing is deleted."""
    add_real_units(kho)
    sample = kho / "entries" / "replications" / "tn-ct-an-binh" / "to-cong-nghe-so-ho-tro-dich-vu-cong-tai-ap-an-binh.md"
    own = kho / "entries" / "replications" / "snv-tinh" / "to-cong-nghe-so-tai-so-noi-vu.md"
    own.parent.mkdir(parents=True)
    own.write_text(sample.read_text(encoding="utf-8").replace("illustrative: true\n", "")
                   .replace("id: to-cong-nghe-so-ho-tro-dich-vu-cong-tai-ap-an-binh", "id: to-cong-nghe-so-tai-so-noi-vu")
                   .replace("unit: tn-ct-an-binh", "unit: snv-tinh"), encoding="utf-8")
    before = sangkien(kho, "validate")
    assert before[0] == 0, before[1]
    git(kho, "add", "-A")
    git(kho, "commit", "-q", "-m", "nhân rộng của tỉnh")
    code, out, err = sangkien(kho, "examples", "--remove", "--yes")
    assert code == 1 and "Chưa xóa gì" in err and "to-cong-nghe-so-tai-so-noi-vu.md" in err
    assert tracked_changes(kho) == ""


def test_splice_keeps_comments_and_other_keys():
    text = ("# đầu tệp\norganisers: [a]\nunits:\n  # nhóm 1\n  - id: mot\n    name: Một\n\n  # nhóm 2\n  - id: hai\n"
            "    name: Hai  # ghi chú\n    # trong mục\n    kind: khac\n  - id: ba\n    name: Ba\n# cuối danh sách\ncouncil: [b]\n")
    assert splice_units(text, {"hai"}, None) == ("# đầu tệp\norganisers: [a]\nunits:\n  # nhóm 1\n  - id: mot\n    name: Một\n"
                                                 "  - id: ba\n    name: Ba\n# cuối danh sách\ncouncil: [b]\n")
    assert splice_units(text, {"mot"}, None).startswith("# đầu tệp\norganisers: [a]\nunits:\n\n  # nhóm 2\n  - id: hai\n")
    assert splice_units(text, {"mot", "hai", "ba"}, "  - id: mau\n") == ("# đầu tệp\norganisers: [a]\nunits:\n  - id: mau\n"
                                                                          "# cuối danh sách\ncouncil: [b]\n")
    assert splice_units("units: [{id: a}]\n", {"a"}, None) is None  # flow style: not spliced by hand
