"""Novelty rules in `sangkien validate --base` and the `sangkien similar` command, on a real
Git repository in a temporary folder (the `repo` fixture) with two campaigns of our own:
tm-2023 (decided: one entry recognised, one screened out) and tm-2024 (open)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import FIXTURES, TempRepo
from sangkien.reader import read_yaml

TEXTS = read_yaml((FIXTURES / "novelty" / "pairs.yaml").read_bytes(), "pairs.yaml").data["texts"]
AT = "2024-06-10T10:00:00+07:00"  # inside tm-2024's window
SITE = "https://sangkien.example.gov.vn"


def entry(entry_id: str, campaign: str, unit: str, submitted: str, text: str, extra: str = "", body_extra: str = "") -> str:
    t = TEXTS[text]
    paragraphs = t["body"].strip().split("\n\n")
    body = "\n\n".join(f"## {h}\n\n{p}" for h, p in zip(("Thực trạng", "Giải pháp", "Cách nhân rộng"), paragraphs, strict=False))
    return f"""---
id: {entry_id}
title: "{t['title']}"
campaign: {campaign}
unit: {unit}
submitted: "{submitted}"
participation: ca-nhan
authors:
  - name: Lê Thị Thu
    position: Công chức Văn phòng - Thống kê
    workplace: UBND xã
    contribution: 100
field: Giải quyết thủ tục hành chính cấp xã
areas: [thu-tuc-hanh-chinh]
solution_type: tac-nghiep
application_status: da-ap-dung
first_applied: "2023-01-15"
scope: xa
conditions: Có máy tính, điện thoại thông minh và đường truyền Internet.
benefits_author: Người dân đi lại ít hơn, hồ sơ được giải quyết đúng hẹn hơn.
summary: "{t['summary']}"
{extra}illustrative: true
---

{body}
{body_extra}"""


DECISIONS = """campaign: tm-2023
screening:
  - entry: tm-zalo-2023
    result: dat
    date: "2023-07-05"
  - entry: tm-qr-2023
    result: khong-dat
    reason: Giải pháp chưa chứng minh được hiệu quả thực tế.
    date: "2023-07-05"
recognitions:
  - number: 45/QĐ-UBND
    date: "2023-07-20"
    issuer: UBND huyện Châu Thành
    signer: Chủ tịch UBND huyện
    level: co-so
    entries:
      - entry: tm-zalo-2023
"""

RESUBMITTED = """previous_contest:
  contest: Phát động sáng kiến cải cách hành chính năm 2023
  year: 2023
  entry: {entry}
  changes: Bổ sung kết quả áp dụng năm 2024, thêm bước tra cứu trên Zalo và cách nhân rộng cho các xã.
"""

NEW_PART = """
## Kết quả năm 2024

Năm 2024 giải pháp được mở rộng: người dân nhận thông báo qua ứng dụng VNeID và Zalo, tra cứu lịch sử xử lý
hồ sơ trong 12 tháng, đánh giá mức độ hài lòng ngay trên trang tra cứu. Chi nhánh Văn phòng đăng ký đất đai
gắn thêm bản đồ thửa đất số hóa; công chức địa chính xã được tập huấn để hướng dẫn người dân tại nhà văn hóa ấp.
Tỷ lệ hồ sơ đất đai trả đúng hẹn tăng từ 82% lên 97%, số lượt người dân đến hỏi giảm 60% so với năm 2023.
Cách làm đã được ba xã lân cận học tập và áp dụng, chi phí duy trì khoảng 5 triệu đồng mỗi năm cho tên miền.
"""


@pytest.fixture
def kho(repo: TempRepo) -> TempRepo:
    camp = repo.read("entries/chau-thanh-2024/campaign.yaml")
    for cid, opens, closes in (("tm-2023", "2023-05-02", "2023-06-30"), ("tm-2024", "2024-05-02", "2024-06-30")):
        text = camp.replace("id: chau-thanh-2024", f"id: {cid}").replace('"2024-05-15"', f'"{opens}"').replace('"2024-06-25"', f'"{closes}"')
        repo.write(f"entries/{cid}/campaign.yaml", text)
    repo.write("entries/tm-2023/decisions.yaml", DECISIONS)
    repo.write("entries/tm-2023/tn-ct-thanh-long/tm-zalo-2023.md", entry("tm-zalo-2023", "tm-2023", "tn-ct-thanh-long", "2023-06-01", "zalo-bao-ket-qua"))
    repo.write("entries/tm-2023/tn-ct-hao-duoc/tm-qr-2023.md", entry("tm-qr-2023", "tm-2023", "tn-ct-hao-duoc", "2023-06-02", "qr-ho-so-dat-dai"))
    repo.write("entries/tm-2024/tn-ct-thi-tran/tm-kpi-2024.md", entry("tm-kpi-2024", "tm-2024", "tn-ct-thi-tran", "2024-06-03", "danh-gia-kpi-hang-thang"))
    mkdocs = repo.path / "mkdocs.yml"
    mkdocs.write_text(f"site_url: {SITE}/\n" + (mkdocs.read_text(encoding="utf-8") if mkdocs.exists() else "site_name: Thử\n"), encoding="utf-8")
    repo.commit("hai đợt thử nghiệm")
    return repo


def check(kho: TempRepo, *paths: str) -> tuple[int, list[dict]]:
    done = kho.run("validate", "--base", "HEAD", "--at", AT, "--format", "json", *paths)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)["problems"]


def codes(problems: list[dict], path: str) -> list[str]:
    return [p["code"] for p in problems if p["file"] == path and p["code"].startswith("SK7")]


NEW = "entries/tm-2024/tn-ct-thanh-long/bai-moi.md"


def test_the_base_data_is_valid(kho: TempRepo):
    done = kho.run("validate", "--format", "json")
    problems = json.loads(done.stdout)["problems"]
    assert [p for p in problems if p["file"].startswith(("entries/tm-2023", "entries/tm-2024")) and p["severity"] == "error"] == []


def test_paraphrase_of_a_recognised_initiative_warns_with_title_and_link(kho: TempRepo):
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "zalo-bao-ket-qua-dien-dat-lai"))
    status, problems = check(kho)
    assert codes(problems, NEW) == ["SK701"]
    message = next(p["message"] for p in problems if p["code"] == "SK701")
    assert "«Thông báo kết quả giải quyết hồ sơ qua Zalo OA của UBND xã»" in message
    assert f"{SITE}/sang-kien/tm-zalo-2023/" in message
    assert "Quyết định số 45/QĐ-UBND" in message
    assert status == 0  # a warning does not fail the check


def test_copy_of_another_submission_warns_and_shows_the_shared_passage(kho: TempRepo):
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "danh-gia-kpi-hang-thang-viet-tat"))
    _, problems = check(kho)
    assert "SK702" in codes(problems, NEW)
    message = next(p["message"] for p in problems if p["code"] == "SK702" and "tm-kpi-2024" in p["message"])
    assert "Đoạn trùng dài nhất: «" in message and "Trùng câu chữ 100%" in message
    # the earlier entry is not warned about the later copy: only the new file is checked
    assert codes(problems, "entries/tm-2024/tn-ct-thi-tran/tm-kpi-2024.md") == []


def test_undeclared_copy_of_an_unsuccessful_entry_is_an_error(kho: TempRepo):
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "qr-ho-so-dat-dai-viet-tat"))
    status, problems = check(kho)
    assert codes(problems, NEW) == ["SK703"]
    message = next(p["message"] for p in problems if p["code"] == "SK703")
    assert "không đạt sơ loại ở đợt «tm-2023»" in message and "previous_contest" in message
    assert status == 1


def test_undeclared_paraphrase_of_an_unsuccessful_entry_is_a_warning(kho: TempRepo):
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "qr-ho-so-dat-dai-dien-dat-lai"))
    status, problems = check(kho)
    assert codes(problems, NEW) == ["SK704"]


def test_declared_resubmission_with_the_text_unchanged_is_an_error(kho: TempRepo):
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "qr-ho-so-dat-dai", RESUBMITTED.format(entry="tm-qr-2023")))
    status, problems = check(kho)
    assert codes(problems, NEW) == ["SK705"]
    problem = next(p for p in problems if p["code"] == "SK705")
    assert "nội dung mới chỉ chiếm 0%" in problem["message"]
    assert status == 1


def test_declared_and_revised_resubmission_passes(kho: TempRepo):
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "qr-ho-so-dat-dai", RESUBMITTED.format(entry="tm-qr-2023"), NEW_PART))
    _, problems = check(kho)
    assert codes(problems, NEW) == []


def test_declared_resubmission_without_naming_the_entry_is_checked_against_the_closest(kho: TempRepo):
    declared = RESUBMITTED.replace("  entry: {entry}\n", "")
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "qr-ho-so-dat-dai-ban-sao", declared))
    _, problems = check(kho)
    assert codes(problems, NEW) == ["SK705"]


def test_declared_entry_must_exist(kho: TempRepo):
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "dat-lich-kham-benh", RESUBMITTED.format(entry="khong-co-bai-nay")))
    status, problems = check(kho)
    assert codes(problems, NEW) == ["SK706"]
    assert status == 1


def test_the_campaign_threshold_is_used(kho: TempRepo):
    camp = kho.read("entries/tm-2024/campaign.yaml")
    kho.write("entries/tm-2024/campaign.yaml", camp + "novelty:\n  warn: 95\n  error: 98\n")
    kho.commit("ngưỡng cao")
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "zalo-bao-ket-qua-dien-dat-lai"))
    _, problems = check(kho)
    assert codes(problems, NEW) == []  # the paraphrase (about 80%) is under this campaign's 95%


def test_inconsistent_thresholds_are_an_error(kho: TempRepo):
    camp = kho.read("entries/tm-2024/campaign.yaml")
    kho.write("entries/tm-2024/campaign.yaml", camp + "novelty:\n  warn: 80\n  error: 70\n")
    status, problems = check(kho)
    assert [p["code"] for p in problems if p["file"] == "entries/tm-2024/campaign.yaml"] == ["SK710"]
    assert status == 1


def test_unchanged_entries_are_not_checked(kho: TempRepo):
    _, problems = check(kho)
    assert [p for p in problems if p["code"].startswith("SK7")] == []


def test_abbreviations_override_is_validated_against_its_schema(kho: TempRepo):
    kho.write("entries/abbreviations.yaml", "abbreviations:\n  PVHCC: phục vụ hành chính công\n  sai: chữ thường\n")
    done = kho.run("validate", "--format", "json", "entries/abbreviations.yaml")
    problems = json.loads(done.stdout)["problems"]
    assert done.returncode == 1 and [p["file"] for p in problems] == ["entries/abbreviations.yaml"]
    kho.write("entries/abbreviations.yaml", "abbreviations:\n  PVHCC: phục vụ hành chính công\n")
    done = kho.run("validate", "entries/abbreviations.yaml")
    assert done.returncode == 0, done.stdout


# ----------------------------------------------------------------- sangkien similar
def test_similar_lists_the_closest_entries_with_marked_passages(kho: TempRepo):
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "qr-ho-so-dat-dai-viet-tat"))
    done = kho.run("similar", NEW, "--top", "2")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith(f"{NEW} — «")
    assert re.search(r"  1\. (9\d|100)% \(vượt ngưỡng cảnh báo 65%\) «In mã QR tra cứu tình trạng hồ sơ đất đai", out), out
    assert "không đạt sơ loại ở đợt «tm-2023»" in out and f"{SITE}/sang-kien/tm-qr-2023/" in out
    assert "«" in out and "\x1b[" not in out  # not a terminal: passages marked with «»
    assert " 3. " not in out  # --top 2
    by_id = kho.run("similar", "bai-moi", "--top", "1")
    assert by_id.stdout.splitlines()[:2] == out.splitlines()[:2]


def test_similar_without_entries_scans_the_repository(kho: TempRepo):
    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "zalo-bao-ket-qua-ban-sao"))
    done = kho.run("similar")
    assert done.returncode == 0, done.stderr
    assert f"{NEW} — «" in done.stdout and "tm-zalo-2023" in done.stdout
    assert "entries/tm-2023/tn-ct-thanh-long/tm-zalo-2023.md — «" not in done.stdout  # the earlier one has no earlier match
    assert done.stdout.strip().splitlines()[-1].startswith("Đã so sánh ")


def test_similar_explains_an_unknown_entry(kho: TempRepo):
    done = kho.run("similar", "khong-co-bai-nay")
    assert done.returncode == 1 and "Không tìm thấy bài «khong-co-bai-nay»" in done.stderr and "Traceback" not in done.stderr


def test_similar_colours_passages_only_on_a_terminal(kho: TempRepo):
    import os
    import pty
    import subprocess
    import sys

    kho.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "qr-ho-so-dat-dai-viet-tat"))
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "sangkien", "similar", NEW, "--top", "1"], cwd=kho.path, stdout=slave, stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait()
    os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0 and "\x1b[1;33m" in out and "«In mã QR" in out  # titles keep «», passages are coloured


def test_broken_entries_in_the_change_set_do_not_break_the_check(kho: TempRepo):
    kho.write(NEW, "---\nid: bai-moi\ntitle: [không, phải, chữ]\ncampaign: tm-2024\nsummary: 12\nprevious_contest: có\n---\n")
    kho.write("entries/tm-2024/tn-ct-thanh-long/rong.md", "---\nid: rong\ncampaign: tm-2024\n---\n")
    kho.write("entries/abbreviations.yaml", "abbreviations: [UBND]\n")
    status, problems = check(kho)
    assert status == 1 and problems  # schema errors, reported as problems, not a crash
