"""Who may change what: the rules on their own, and replayed pull requests in a real repository."""

from __future__ import annotations

from helpers.pr_replay import CAMPAIGN, ON_TIME, PullRequest, entry_text, replay
from sangkien.checks import permissions
from sangkien.checks.permissions import COUNCIL, ORGANISERS, UNIT, Roles, check, owner

ROLES = Roles(organisers=["sonoivu-demo"], council=["hoidong-demo"],
              units={"tn-ct-an-binh": ("UBND xã An Bình", ["anbinh-demo", "AnBinh-VanThu"]),
                     "tn-ct-thanh-long": ("UBND xã Thành Long", ["thanhlong-demo"]),
                     "tn-ct-hao-duoc": ("UBND xã Hảo Đước", [])})
AN_BINH = f"entries/{CAMPAIGN}/tn-ct-an-binh/tra-cuu-ho-so-dat-dai-qua-ma-qr.md"


# ---------------------------------------------------------------- the rules on their own

def test_owner_of_each_kind_of_path():
    assert owner(AN_BINH) == (UNIT, "tn-ct-an-binh")
    assert owner(f"entries/{CAMPAIGN}/tn-ct-an-binh/so-lieu.xlsx") == (UNIT, "tn-ct-an-binh")
    assert owner("entries/replications/tn-ct-an-binh/ap-dung-mot-cua.md") == (UNIT, "tn-ct-an-binh")
    assert owner("entries/units.yaml") == (ORGANISERS, None)
    assert owner(f"entries/{CAMPAIGN}/campaign.yaml") == (ORGANISERS, None)
    assert owner(f"entries/{CAMPAIGN}/decisions.yaml") == (COUNCIL, None)
    assert owner("entries/README.md") == (ORGANISERS, None)
    assert owner("schema/entry.schema.json") == (ORGANISERS, None)
    assert owner(".github/workflows/validate.yml") == (ORGANISERS, None)


def test_unit_account_may_change_its_own_entries_case_insensitively():
    assert check(ROLES, "anbinh-demo", [("A", AN_BINH)]) == []
    assert check(ROLES, "anbinh-vanthu", [("M", AN_BINH), ("D", f"entries/{CAMPAIGN}/tn-ct-an-binh/cu.md")]) == []


def test_no_change_no_problem_even_without_a_registry():
    assert check(Roles(problem=None), "ai-do", []) == []


def test_unit_without_accounts_cannot_be_submitted_for():
    [p] = check(ROLES, "anbinh-demo", [("A", f"entries/{CAMPAIGN}/tn-ct-hao-duoc/bai.md")])
    assert p.code == "SK602" and "(chưa khai báo tài khoản nào)" in p.message


def test_council_and_organisers_stay_in_their_files():
    decisions, campaign = f"entries/{CAMPAIGN}/decisions.yaml", f"entries/{CAMPAIGN}/campaign.yaml"
    assert check(ROLES, "hoidong-demo", [("M", decisions)]) == []
    assert check(ROLES, "sonoivu-demo", [("M", "entries/units.yaml"), ("M", campaign), ("M", "schema/entry.schema.json")]) == []
    assert [p.code for p in check(ROLES, "sonoivu-demo", [("M", decisions)])] == ["SK604"]
    assert [p.code for p in check(ROLES, "hoidong-demo", [("M", campaign)])] == ["SK603"]
    assert [p.code for p in check(ROLES, "sonoivu-demo", [("A", AN_BINH)])] == ["SK602"]  # not a unit account


# ---------------------------------------------------------------- replayed pull requests

def entry(unit: str, slug: str = "tra-cuu-ho-so-dat-dai-qua-ma-qr") -> dict[str, str]:
    return {f"entries/{CAMPAIGN}/{unit}/{slug}.md": entry_text(slug, unit, "2024-06-20", "Tra cứu hồ sơ đất đai qua mã QR trên giấy biên nhận")}


def opened(repo, tmp_path, files: dict, author: str):
    pr = PullRequest(repo, files)
    pr.merge_commit()
    return replay(repo, pr.event("opened", author=author, created=ON_TIME), tmp=tmp_path)


def test_wrong_unit_folder_is_refused(repo, tmp_path):
    verdict = opened(repo, tmp_path, entry("tn-ct-thanh-long"), "anbinh-demo")
    assert verdict.code == 1
    [message] = verdict.messages("SK602")
    assert message.startswith(f"Tài khoản «anbinh-demo» thay đổi «entries/{CAMPAIGN}/tn-ct-thanh-long/tra-cuu-ho-so-dat-dai-qua-ma-qr.md» "
                              "của đơn vị UBND xã Thành Long (tn-ct-thanh-long), nhưng không phải tài khoản của đơn vị này.")
    assert "Tài khoản được nộp bài cho đơn vị: thanhlong-demo." in message
    assert "đề nghị cơ quan tổ chức bổ sung vào mục accounts" in message


def test_foreign_account_is_refused(repo, tmp_path):
    verdict = opened(repo, tmp_path, entry("tn-ct-an-binh"), "nguoi-la-2024")
    assert verdict.code == 1
    [message] = verdict.messages("SK602")
    assert "Tài khoản «nguoi-la-2024»" in message and "Tài khoản được nộp bài cho đơn vị: anbinh-demo." in message


def test_the_units_own_account_passes(repo, tmp_path):
    verdict = opened(repo, tmp_path, entry("tn-ct-an-binh"), "AnBinh-Demo")  # hosts ignore case in logins
    assert verdict.code == 0, verdict.problems
    assert not [c for c in verdict.codes() if c.startswith("SK6")]


def test_one_unit_per_pull_request(repo, tmp_path):
    files = {**entry("tn-ct-an-binh"), **entry("tn-ct-thanh-long", "phieu-hen-dien-tu")}
    verdict = opened(repo, tmp_path, files, "anbinh-demo")
    assert verdict.code == 1
    messages = verdict.messages("SK601")
    assert len(messages) == 2
    assert "thay đổi bài của 2 đơn vị: «tn-ct-an-binh», «tn-ct-thanh-long»" in messages[0]
    assert "Tách thành các yêu cầu hợp nhất riêng" in messages[0]


def test_unit_edits_decisions_is_refused(repo, tmp_path):
    rel = f"entries/{CAMPAIGN}/decisions.yaml"
    text = (repo.path / rel).read_text(encoding="utf-8")
    waiver = ("late_waivers:\n  - entry: tra-cuu-ho-so-dat-dai-qua-ma-qr\n    unit: tn-ct-an-binh\n    reason: Tự ghi chấp nhận nộp muộn.\n"
              "    date: \"2024-06-27\"\n    until: \"2024-06-30\"\n")
    verdict = opened(repo, tmp_path, {rel: text.rstrip("\n") + "\n" + waiver, **entry("tn-ct-an-binh")}, "anbinh-demo")
    assert verdict.code == 1
    [message] = verdict.messages("SK604")
    assert message.startswith(f"Tài khoản «anbinh-demo» thay đổi «{rel}», tệp ghi kết quả sơ loại, chấm điểm, công nhận và chấp nhận nộp muộn; "
                              "chỉ tài khoản của Hội đồng được sửa tệp này: hoidong-demo.")
    assert "đơn vị không tự ghi kết quả" in message


def test_unit_cannot_set_a_status_or_score_in_its_entry(repo, tmp_path):
    files = entry("tn-ct-an-binh")
    [(rel, text)] = files.items()
    verdict = opened(repo, tmp_path, {rel: text.replace("illustrative: true\n", "illustrative: true\nstatus: cong-nhan\nscore: 95\n", 1)}, "anbinh-demo")
    assert verdict.code == 1
    assert verdict.codes().count("SK202") == 2  # the entry form has no field for what the council decides


def test_unit_changing_campaign_schema_or_workflow_is_refused(repo, tmp_path):
    campaign = f"entries/{CAMPAIGN}/campaign.yaml"
    files = {campaign: repo.read(campaign).replace('date: "2024-06-25"', 'date: "2024-07-25"', 1),
             "schema/entry.schema.json": repo.read("schema/entry.schema.json").replace('"minLength": 5', '"minLength": 1', 1),
             ".github/workflows/validate.yml": "name: tat kiem tra\n"}
    verdict = opened(repo, tmp_path, files, "anbinh-demo")
    assert verdict.code == 1
    [camp] = verdict.messages("SK603")
    assert f"Tài khoản «anbinh-demo» thay đổi «{campaign}» (kế hoạch của đợt); chỉ tài khoản của cơ quan tổ chức được sửa tệp này: sonoivu-demo." in camp
    others = verdict.messages("SK605")
    assert len(others) == 2 and all("nằm ngoài thư mục bài của đơn vị" in m for m in others)


def test_registry_change_cannot_grant_its_own_author_a_role(repo, tmp_path):
    rel = "entries/units.yaml"
    text = repo.read(rel).replace("organisers:\n  - sonoivu-demo\n", "organisers:\n  - sonoivu-demo\n  - anbinh-demo\n", 1)
    assert "  - anbinh-demo\n" in text
    verdict = opened(repo, tmp_path, {rel: text}, "anbinh-demo")
    assert verdict.code == 1
    [message] = verdict.messages("SK603")
    assert "(danh mục đơn vị)" in message and "sonoivu-demo" in message


def test_organiser_and_council_changes_pass(repo, tmp_path):
    rel = f"entries/{CAMPAIGN}/campaign.yaml"
    verdict = opened(repo, tmp_path, {rel: repo.read(rel).replace("illustrative: true", "illustrative: true\n# ghi chú của cơ quan tổ chức", 1)},
                     "sonoivu-demo")
    assert not [c for c in verdict.codes() if c.startswith("SK6")], verdict.problems


def test_actor_flag_needs_a_base_and_a_valid_login(repo):
    done = repo.run("validate", "--actor", "anbinh-demo")
    assert done.returncode == 2 and "--actor cần đi cùng --base" in done.stderr
    done = repo.run("validate", "--base", "HEAD", "--actor", "ai đó; rm")
    assert done.returncode == 2 and "không phải tên tài khoản" in done.stderr and "SK608" in done.stderr
    assert permissions.login("@anbinh-demo") == "anbinh-demo"


def test_without_actor_the_rules_do_not_run(repo):
    files = entry("tn-ct-thanh-long")
    for rel, text in files.items():
        repo.write(rel, text)
    done = repo.run("validate", "--base", "HEAD", "--at", "2024-06-20T10:00:00+07:00", "--format", "json")
    assert done.returncode == 0, done.stdout
    assert '"SK6' not in done.stdout


def test_registry_missing_at_the_base(repo, tmp_path):
    from conftest import git
    git(repo.path, "rm", "-q", "entries/units.yaml")
    repo.commit("xóa danh mục")
    verdict = opened(repo, tmp_path, entry("tn-ct-an-binh"), "anbinh-demo")
    assert verdict.code == 1
    assert any("chưa có tệp entries/units.yaml" in m for m in verdict.messages("SK607"))
