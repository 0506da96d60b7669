"""`sangkien campaign new` and `sangkien campaign next`: the real CLI on a copy of the repository.

The shipped 2026 round of seed 003 is exactly what `campaign next` makes; flags and piped answers
write a campaign the validator accepts; wrong answers are asked again, wrong flags and missing ones
are coded refusals; nothing is overwritten or left behind; the built site lists the 2026 round as
open inside its window (home page, and the submission form in a browser whose clock is set)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, build_site, needs_chromium, serving, site_copy
from helpers.cli import run_cli
from sangkien import campaignplan, validator, yamlstrict
from sangkien.campaignplan import PlanError

SHIPPED = "entries/y-te-ninh-thuan-2026/campaign.yaml"
MADE_AT = "2026-12-05T20:00:00+07:00"  # when the shipped round was made (its header says 05/12/2026)
NOTE_2026 = ("Kế hoạch ghi thời gian Sở Y tế gửi hồ sơ (01 bộ) về Sở Nội vụ từ ngày 01 tháng 12 đến ngày 05 tháng 12 hàng năm; "
             "đợt năm 2026 nhận đến hết ngày 05/12/2026 (giờ Việt Nam). Từ ngày 01/7/2025, Sở Y tế và Sở Nội vụ là các sở "
             "của tỉnh Khánh Hòa (sau hợp nhất).")
BEFORE_2027 = "2026-11-20T09:00:00+07:00"


def cli(repo, *args: str, now: str = BEFORE_2027):
    return run_cli(["campaign", *args], cwd=repo.path, env={**os.environ, "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": now})


def load(path: Path) -> dict:
    parsed = yamlstrict.load(path.read_text(encoding="utf-8"), path.name)
    assert parsed.problems == []
    return parsed.data


FULL = ["new", "--yes", "--kind", "sang-kien", "--title", "Phát động sáng kiến cải cách hành chính năm 2027 trên địa bàn tỉnh",
        "--id", "kh-sang-kien-2027", "--issuer", "kh-ubnd-tinh-moi", "--signer", "KT. Chủ tịch, Phó Chủ tịch",
        "--plan-number", "/KH-UBND", "--plan-date", "15/01/2027", "--place", "Khánh Hòa",
        "--legal-basis", "76/NQ-CP|15/07/2021|Nghị quyết của Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030",
        "--opens", "01/03/2027", "--closes", "30/06/2027", "--levels", "tinh,xa", "--min-entries", "1",
        "--stage", "Sơ loại bài dự thi|15/07/2027|Hội đồng sáng kiến tỉnh", "--stage", "Chấm điểm, công nhận|2027-08-31",
        "--receiver", "UBND tỉnh (qua Sở Nội vụ)", "--method", "Gửi qua kho sáng kiến của tỉnh", "--email", "snv@khanhhoa.gov.vn",
        "--yearly", "co"]


# ----------------------------------------------------------------- campaign next
def test_the_shipped_2026_round_is_what_campaign_next_makes(repo) -> None:
    shipped = (repo.path / SHIPPED).read_bytes()
    shutil.rmtree(repo.path / "entries/y-te-ninh-thuan-2026")
    done = cli(repo, "next", "y-te-ninh-thuan-2025", "--note", NOTE_2026, now=MADE_AT)
    assert done.code == 0, done.stdout + done.stderr
    assert (repo.path / SHIPPED).read_bytes() == shipped
    assert "Nhận bài từ 01/12/2026 00:00 (giờ Việt Nam) đến 05/12/2026 23:59 (giờ Việt Nam)." in done.stdout
    assert "SK326" in done.stdout and "«kh-so-y-te-moi»" in done.stdout  # Ninh Thuận's Sở Y tế -> Khánh Hòa's


def test_next_round_shifts_the_window_clears_the_plan_and_names_units_in_force() -> None:
    data = load(ROOT / SHIPPED)
    old = load(ROOT / "entries/y-te-ninh-thuan-2025/campaign.yaml")
    assert data["id"] == "y-te-ninh-thuan-2026" and data["title"].endswith("năm 2026")
    assert data["window"]["opens"]["date"] == "2026-12-01" and data["window"]["closes"]["date"] == "2026-12-05"
    assert data["plan"] == {"number": "/KH-SYT", "year": 2026}  # a new document: no number, no date yet
    assert data["issuer"] == {"name": "Sở Y tế tỉnh Khánh Hòa", "unit": "kh-so-y-te-moi"}  # its official name; signer of the old Sở dropped
    assert data["recurrence"] == old["recurrence"] == {"every": "nam", "text": "từ ngày 01 tháng 12 đến ngày 05 tháng 12 hàng năm"}
    assert data["rubric"] == old["rubric"] and data["conditions"] == old["conditions"] and "source" not in data
    repo = validator.load(ROOT).repo
    day = date(2026, 12, 1)
    assert all(repo.units[u].valid_on(day) for u in [data["issuer"]["unit"], *data["eligible_units"]])
    text = (ROOT / SHIPPED).read_text(encoding="utf-8")
    assert text.startswith("# Chuyên đề phát huy sáng kiến") and "sangkien campaign next y-te-ninh-thuan-2025" in text
    assert "nt-so-y-te → kh-so-y-te-moi" in text


def test_next_refuses_an_existing_round_and_a_campaign_that_does_not_recur(repo) -> None:
    before = (repo.path / SHIPPED).read_bytes()
    done = cli(repo, "next", "y-te-ninh-thuan-2025")
    assert done.code == 1 and "lỗi SK221" in done.stderr and "Traceback" not in done.stderr
    assert (repo.path / SHIPPED).read_bytes() == before
    done = cli(repo, "next", "chau-thanh-2024")
    assert done.code == 1 and "entries/chau-thanh-2024/campaign.yaml:1:1: lỗi SK223" in done.stderr
    assert not (repo.path / "entries/chau-thanh-2025").exists()
    done = cli(repo, "next", "khong-co-dot")
    assert done.code == 1 and "SK907" in done.stderr and "y-te-ninh-thuan-2025" in done.stderr


def test_next_with_flags_takes_the_new_plan(repo) -> None:
    done = cli(repo, "next", "y-te-ninh-thuan-2026", "--plan-number", "250/KH-SYT", "--plan-date", "10/11/2027",
               "--signer", "KT. Giám đốc, Phó Giám đốc", now="2027-11-12T08:00:00+07:00")
    assert done.code == 0, done.stderr
    data = load(repo.path / "entries/y-te-ninh-thuan-2027/campaign.yaml")
    assert data["plan"] == {"number": "250/KH-SYT", "date": "2027-11-10", "year": 2027}
    assert data["issuer"]["signer"] == "KT. Giám đốc, Phó Giám đốc" and data["window"]["closes"]["date"] == "2027-12-05"
    assert "note" not in data["window"] and "không được chép sang" in done.stdout  # the 2026 note speaks of 2026
    assert "Số kế hoạch: 250/KH-SYT, ngày 10/11/2027." in done.stdout
    bad = cli(repo, "next", "y-te-ninh-thuan-2026", "--id", "Sai Mã", "--plan-date", "10/11/2027")
    assert bad.code == 1 and "SK905" in bad.stderr


def test_next_round_moves_stages_and_rewrites_words_that_name_the_old_year(repo) -> None:
    rel = "entries/kcn-hung-yen-2024/campaign.yaml"
    text = repo.read(rel)
    repo.write(rel, text.replace("participation: [ca-nhan, nhom]\n", "recurrence:\n  every: nam\nparticipation: [ca-nhan, nhom]\n", 1))
    done = cli(repo, "next", "kcn-hung-yen-2024")
    assert done.code == 0, done.stdout + done.stderr
    data = load(repo.path / "entries/kcn-hung-yen-2025/campaign.yaml")
    win = data["window"]
    # the plan quoted another document's date for the opening: the words are written anew, not moved
    assert win["opens"] == {"date": "2025-04-15", "rule": "tu-ngay", "text": "từ ngày 15/04/2025"}
    assert win["closes"] == {"date": "2025-05-25", "rule": "truoc-ngay", "text": "trước ngày 25/05/2025"}
    assert [(s["id"], s["deadline"]["date"], s["deadline"]["text"]) for s in data["stages"]] == [
        ("so-loai", "2025-05-31", "trước ngày 31/05/2025"), ("gui-so-noi-vu", "2025-06-15", "trước ngày 15/06/2025")]
    assert "note" not in win and "không được chép sang" in done.stdout  # the 2024 note spoke of 2024's dates
    assert "Nhận bài từ 15/04/2025 00:00 (giờ Việt Nam) đến 24/05/2025 23:59 (giờ Việt Nam)." in done.stdout  # «trước ngày 25/05»
    assert "Hội đồng sáng kiến Ban đánh giá, sơ loại bài dự thi: hạn chót 30/05/2025 23:59 (giờ Việt Nam)." in done.stdout
    assert data["title"].count("2025") == 1 and "2024" not in data["title"]
    assert data["min_entries_per_unit"] == 1 and data["eligible_units"] == load(repo.path / rel)["eligible_units"]


def test_next_id_and_one_year_later() -> None:
    assert campaignplan.next_id("y-te-ninh-thuan-2025", 2025) == "y-te-ninh-thuan-2026"
    assert campaignplan.next_id("ke-hoach-2021-2025-dot-2024", 2024) == "ke-hoach-2021-2025-dot-2025"
    assert campaignplan.next_id("khong-co-nam", 2025) is None
    assert campaignplan.shift_year(date(2028, 2, 29)) == date(2029, 2, 28)
    assert campaignplan.blank_number("123/KH-UBND") == "/KH-UBND" and campaignplan.blank_number("") == "/KH"


def test_next_needs_an_id_when_the_old_one_has_no_year(repo) -> None:
    old = load(repo.path / "entries/y-te-ninh-thuan-2025/campaign.yaml")
    with pytest.raises(PlanError) as err:
        campaignplan.next_round(validator.load(repo.path).repo, {**old, "id": "y-te-ninh-thuan"}, "x")
    assert err.value.problems[0].code == "SK224"


# ----------------------------------------------------------------- campaign new, flags
def test_new_from_flags_writes_a_valid_campaign(repo) -> None:
    done = cli(repo, *FULL)
    assert done.code == 0, done.stdout + done.stderr
    rel = "entries/kh-sang-kien-2027/campaign.yaml"
    assert f"Đã tạo tệp {rel}" in done.stdout and "Nhận bài từ 01/03/2027 00:00 (giờ Việt Nam) đến 30/06/2027 23:59" in done.stdout
    assert "Chấm điểm, công nhận: hạn chót 31/08/2027 23:59 (giờ Việt Nam)." in done.stdout
    data = load(repo.path / rel)
    assert list(data)[:5] == ["id", "title", "kind", "issuer", "plan"]  # the schema's order
    assert data["issuer"] == {"name": "Ủy ban nhân dân tỉnh Khánh Hòa", "unit": "kh-ubnd-tinh-moi",
                              "signer": "KT. Chủ tịch, Phó Chủ tịch"}
    assert data["plan"] == {"number": "/KH-UBND", "date": "2027-01-15", "year": 2027, "place": "Khánh Hòa"}
    assert [b["number"] for b in data["legal_basis"]] == ["13/2012/NĐ-CP", "18/2013/TT-BKHCN", "76/NQ-CP"]
    assert data["window"]["opens"] == {"date": "2027-03-01", "rule": "tu-ngay", "text": "từ ngày 01/03/2027"}
    assert data["window"]["closes"] == {"date": "2027-06-30", "rule": "het-ngay", "text": "đến hết ngày 30/06/2027"}
    assert [s["id"] for s in data["stages"]] == ["so-loai-bai-du-thi", "cham-diem-cong-nhan"]
    assert data["eligible_levels"] == ["tinh", "xa"] and data["min_entries_per_unit"] == 1
    assert [c["id"] for c in data["rubric"]["criteria"]] == ["tinh-moi", "kha-thi", "hieu-qua"] and len(data["conditions"]) == 3
    assert data["recurrence"]["every"] == "nam" and data["channel"]["email"] == "snv@khanhhoa.gov.vn"
    check = repo.run("validate", rel)
    assert check.returncode == 0 and "0 lỗi" in check.stdout, check.stdout
    again = cli(repo, *FULL)
    assert again.code == 1 and "SK221" in again.stderr


def test_thi_dua_template_brings_targets_and_the_award_cap(repo) -> None:
    args = ["new", "--yes", "--kind", "thi-dua", "--title", "Thi đua nâng cao trách nhiệm người đứng đầu năm 2027", "--id", "kh-thi-dua-2027",
            "--issuer", "kh-ubnd-tinh-moi", "--plan-number", "/KH-UBND", "--opens", "01/01/2027", "--closes", "31/12/2027",
            "--levels", "tinh,xa", "--receiver", "UBND tỉnh (qua Sở Nội vụ)", "--method", "Hồ sơ đề nghị khen thưởng", "--cap", "8"]
    done = cli(repo, *args)
    assert done.code == 0, done.stderr
    data = load(repo.path / "entries/kh-thi-dua-2027/campaign.yaml")
    assert data["kind"] == "thi-dua" and sorted(data["targets"]) == ["tinh", "xa"]  # no district level after 01/7/2025
    assert data["award"] == {"name": "Bằng khen của Chủ tịch UBND tỉnh", "cap": 8} and "rubric" not in data


@pytest.mark.parametrize(("change", "code", "words"), [
    ({"--opens": None}, "SK904", "Thiếu tham số --opens"),
    ({"--receiver": None}, "SK904", "Thiếu tham số --receiver"),
    ({"--closes": "31/02/2027"}, "SK905", "--closes: «31/02/2027»: ngày không có thật"),
    ({"--closes": "28/02/2027"}, "SK909", "--closes «28/02/2027»: ngày 28/02/2027 trước ngày mở nhận bài 01/03/2027"),
    ({"--issuer": "nt-so-y-te"}, "SK327", "Đơn vị kế thừa: «kh-so-y-te-moi»"),
    ({"--issuer": "khong-co"}, "SK327", "không có trong danh mục"),
    ({"--levels": "huyen,xa"}, "SK329", "không còn cấp huyện"),
    ({"--template": "khong-co"}, "SK222", "sang-kien-nd13"),
    ({"--id": "Mã Sai"}, "SK905", "SK205"),
    ({"--areas": "the-che,khong-co"}, "SK905", "«khong-co» không có trong danh sách"),
    ({"--stage": "Sơ loại|01/01/2027"}, "SK909", "trước ngày mở nhận bài"),
    ({"--legal-basis": "76/NQ-CP|Nghị quyết"}, "SK905", "ba phần"),
    ({"--email": "khong-phai-hop-thu"}, "SK905", "Hộp thư công vụ"),
])
def test_new_refuses_with_a_code_and_writes_nothing(repo, change: dict, code: str, words: str) -> None:
    args = list(FULL)
    for flag, value in change.items():
        i = args.index(flag) if flag in args else None
        if value is None:
            del args[i:i + 2]
        elif i is None:
            args += [flag, value]
        else:
            args[i + 1] = value
    done = cli(repo, *args)
    assert done.code == 1, done.stdout
    assert f"(dòng lệnh):1:1: lỗi {code}:" in done.stderr and words in done.stderr, done.stderr
    assert "Cách sửa:" in done.stderr and "Traceback" not in done.stderr
    assert not (repo.path / "entries/kh-sang-kien-2027").exists()


def test_a_campaign_the_validator_refuses_leaves_nothing_behind(repo) -> None:
    data = {"id": "dot-thu-2027", "title": "Một đợt thiếu lĩnh vực và kênh nhận", "kind": "sang-kien", "issuer": {"name": "UBND tỉnh"},
            "plan": {"number": "/KH-UBND", "year": 2027}, "window": campaignplan.window(date(2027, 3, 1), date(2027, 6, 30)),
            "participation": ["ca-nhan"]}
    with pytest.raises(PlanError) as err:
        campaignplan.write(repo.path, data, "Thử")
    codes = [p.code for p in err.value.problems]
    assert codes[0] == "SK906" and "SK201" in codes
    assert not (repo.path / "entries/dot-thu-2027").exists()


def test_written_yaml_reads_back_the_same(tmp_path: Path) -> None:
    tricky = ["yes", "no", "012", "2024-06-10", "a: b", "#x", "[x]", "123/QĐ-UBND", "100%", "dòng 1\ndòng 2", "Quyết định: số 5"]
    data = {"id": "x", "conditions": tricky, "short": ["a", "b"], "items": [{"name": v, "n": 1.5} for v in tricky], "empty": [], "obj": {},
            "nested": {"list": [["a"], {}]}}
    schema = {"type": "object", "properties": {}}
    text = campaignplan.render(data, "Dòng chú thích đầu tệp: «sangkien campaign new».", schema)
    parsed = yamlstrict.load(text, "campaign.yaml")
    assert parsed.problems == [] and parsed.data == data
    assert text.startswith("# Dòng chú thích") and "short: [a, b]" in text and "conditions:\n  - yes" not in text


# ----------------------------------------------------------------- campaign new, questions
SESSION = """
4                                        # kind: not in the list
1                                        # sáng kiến
                                         # template: Enter keeps sang-kien-nd13
Ngắn                                     # title too short -> SK206
Phát động sáng kiến cải cách hành chính năm 2027 trên địa bàn tỉnh
31/02/2027                               # impossible date
01/03/2027
28/02/2027                               # before the opening -> SK909
30/06/2027
ninh thuan                               # two units match: asked again
ubnd tinh khanh hoa
                                         # id: Enter keeps the proposed kh-ubnd-tinh-moi-2027
KT. Chủ tịch, Phó Chủ tịch
/KH-UBND
15/01/2027
Khánh Hòa
c                                        # one more legal basis
76/NQ-CP
15/07/2021
Nghị quyết của Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà nước
k
Phát huy sáng kiến cải cách hành chính của các sở, ngành và xã, phường trên địa bàn tỉnh.
                                         # eligibility: skipped
1                                        # by level
3                                        # no third level after 01/7/2025
1,2
1
                                         # window note: skipped
c                                        # a stage
Sơ loại bài dự thi
15/07/2027
Hội đồng sáng kiến tỉnh
k
c                                        # yearly
                                         # participation: template's
                                         # forms: template's
2,3,7
                                         # indices: template's
                                         # receiver is required
UBND tỉnh (qua Sở Nội vụ)
Gửi qua kho sáng kiến của tỉnh
                                         # e-mail: skipped
"""


def answers(script: str) -> str:
    return "\n".join(line.split("  #", 1)[0].rstrip() for line in script.lstrip("\n").split("\n")) + "\n"


def run_piped(repo, stdin: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": BEFORE_2027}
    return subprocess.run([sys.executable, "-m", "sangkien", "campaign", "new", *args], cwd=repo.path, input=stdin, capture_output=True,
                          text=True, env=env, check=False, timeout=120)


def test_questions_ask_again_until_right_and_write_the_campaign(repo) -> None:
    done = run_piped(repo, answers(SESSION))
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "1. Phát động sáng kiến, giải pháp (sang-kien)" in out  # the schema's Vietnamese labels
    assert "«4» không có trong danh sách" in out and "✗ SK206" in out and "ngày không có thật" in out
    assert "✗ SK909: ngày 28/02/2027 trước ngày mở nhận bài 01/03/2027." in out
    assert "có 2 đơn vị khớp với «ninh thuan»" in out
    assert "Cấp huyện" not in out.split("Cấp đơn vị được tham gia:")[1].split("Chọn")[0]
    assert "✗ SK904: «Cơ quan nhận» là thông tin bắt buộc." in out and out.count("Mời nhập lại.") == 7
    rel = "entries/kh-ubnd-tinh-moi-2027/campaign.yaml"
    assert f"Đã tạo tệp {rel}" in out
    data = load(repo.path / rel)
    assert data["eligible_levels"] == ["tinh", "xa"] and data["areas"] == ["the-che", "thu-tuc-hanh-chinh", "chinh-quyen-so"]
    assert data["stages"][0]["deadline"]["date"] == "2027-07-15" and data["recurrence"]["every"] == "nam"
    assert data["legal_basis"][-1] == {"number": "76/NQ-CP", "date": "2021-07-15",
                                       "title": "Nghị quyết của Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà nước"}
    assert data["participation"] == ["ca-nhan", "nhom"] and data["forms"] == ["bai-viet"]


def test_input_ending_early_writes_nothing(repo) -> None:
    done = run_piped(repo, "1\n\nPhát động sáng kiến năm 2027 của tỉnh\n")
    assert done.returncode == 2 and "SK908" in done.stderr and "Traceback" not in done.stderr
    assert not [p for p in (repo.path / "entries").iterdir() if "2027" in p.name]


# ----------------------------------------------------------------- the site inside the 2026 window
OPEN_NOW = "2026-12-03T10:00:00+07:00"


@pytest.fixture(scope="module")
def site_2026(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kho = site_copy(tmp_path_factory.mktemp("dot2026") / "kho")
    done = build_site(kho, "--strict", now=OPEN_NOW)
    assert done.returncode == 0, done.stdout + done.stderr
    return kho / "site"


def test_home_page_lists_the_2026_round_as_open(site_2026: Path) -> None:
    home = (site_2026 / "index.html").read_text(encoding="utf-8")
    open_part = home.split('id="dang-nhan"')[1].split("<h2")[0]
    assert "Chuyên đề phát huy sáng kiến về công tác cải cách hành chính Ngành Y tế năm 2026" in open_part
    assert "05/12/2026" in open_part and "Ngành Y tế năm 2025" not in open_part
    guide = (site_2026 / "huong-dan" / "phat-dong-dot" / "index.html").read_text(encoding="utf-8")
    assert "Phát động đợt mới" in guide and "sangkien campaign next y-te-ninh-thuan-2025" in guide


def test_form_page_offers_the_2026_round_open(site_2026: Path) -> None:
    page = (site_2026 / "nop-sang-kien" / "index.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="skf-data">(.*?)</script>', page, re.S)
    assert m
    camps = {c["id"]: c for c in json.loads(m.group(1))["campaigns"]}
    camp = camps["y-te-ninh-thuan-2026"]
    assert camp["opens_at"] == "2026-12-01T00:00:00+07:00" and camp["closes_at"] == "2026-12-06T00:00:00+07:00"
    assert set(camp["eligible_units"]) == {"kh-bvdk-ninh-thuan", "kh-cdc-moi", "kh-ttyt-kv-ninh-phuoc", "kh-so-y-te-moi"}


@needs_chromium
def test_form_in_a_browser_picks_the_open_round(site_2026: Path, browser) -> None:
    """The form's own rule (form.js: the one open campaign is chosen) with the browser's clock inside the window."""
    with serving(site_2026) as base:
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.clock.set_fixed_time("2026-12-03T03:00:00Z")
            page.goto(base + "nop-sang-kien/")
            page.wait_for_selector(".skf-window-open")
            assert page.input_value("#skf-f-campaign") == "y-te-ninh-thuan-2026"
            assert "Đang nhận bài" in page.inner_text(".skf-window-open")
            assert not errors, errors
        finally:
            context.close()
