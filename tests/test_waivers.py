"""Late waivers are keyed by campaign, unit and entry and end on a day: replayed pull requests on a
real Git repository through the real `sangkien ci event` + `sangkien validate`, and full runs."""

from __future__ import annotations

import json

from helpers.pr_replay import CAMPAIGN, LATE, PullRequest, add_waiver, entry_text, replay

SLUG = "tra-cuu-ho-so-dat-dai-qua-ma-qr"
UNIT, OTHER = "tn-ct-an-binh", "tn-ct-thanh-long"
TITLE = "Tra cứu hồ sơ đất đai qua mã QR trên giấy biên nhận"
DECISIONS = f"entries/{CAMPAIGN}/decisions.yaml"
UNTIL = "2024-06-30"  # waiver "đến hết ngày 30/6/2024": covers up to 2024-06-30T16:59:59Z
LAST_COVERED, FIRST_AFTER = "2024-06-30T16:59:59Z", "2024-06-30T17:00:00Z"


def path_of(unit: str, slug: str = SLUG) -> str:
    return f"entries/{CAMPAIGN}/{unit}/{slug}.md"


def entry(unit: str, slug: str = SLUG, extra: str = "") -> dict[str, str]:
    text = entry_text(slug, unit, "2024-06-26", TITLE)
    if extra:
        text = text.replace("## Giải pháp", f"## Giải pháp\n\n{extra}", 1)
    return {path_of(unit, slug): text}


def waiver_on_main(repo, unit: str = UNIT, until: str = UNTIL) -> None:
    add_waiver(repo, SLUG, unit=unit, until=until)
    repo.commit("Hội đồng chấp nhận bài nộp muộn")


def mine(verdict, path: str) -> list[tuple[str, str]]:
    return [(p["code"], p["severity"]) for p in verdict.problems if p["file"] == path and p["code"].startswith("SK4")]


# ---------------------------------------------------------------- additions

def test_waiver_lets_its_unit_add_the_entry_late(repo, tmp_path):
    pr = PullRequest(repo, entry(UNIT))
    waiver_on_main(repo)
    pr.merge_commit()
    verdict = replay(repo, pr.event("opened", created=LATE), tmp=tmp_path)
    assert verdict.code == 0, verdict.problems
    assert mine(verdict, path_of(UNIT)) == [("SK405", "warning")] * 2  # the PR time (line 1) and the declared date
    assert any("được nộp, sửa đến hết ngày 30/06/2024" in m for m in verdict.messages("SK405"))


def test_waiver_is_not_reusable_by_another_unit_for_the_same_slug(repo, tmp_path):
    waiver_on_main(repo)  # for tn-ct-an-binh
    pr = PullRequest(repo, entry(OTHER), branch="thanh-long")
    pr.merge_commit()
    verdict = replay(repo, pr.event("opened", author="thanhlong-demo", created=LATE), tmp=tmp_path)
    assert verdict.code == 1
    assert "SK405" not in verdict.codes()
    messages = verdict.messages("SK407")
    assert messages and all(f"của đơn vị «{UNIT}», không phải của đơn vị «{OTHER}»" in m for m in messages)
    assert {p["file"] for p in verdict.problems if p["code"] == "SK407"} == {path_of(OTHER)}
    # The decisions file now names a unit whose folder does not hold the entry.
    [wrong] = [p for p in verdict.problems if p["code"] == "SK406"]
    assert wrong["file"] == DECISIONS and wrong["severity"] == "error" and f"entries/{CAMPAIGN}/{OTHER}/{SLUG}.md" in wrong["message"]


def test_addition_after_the_waiver_ends_is_late_again(repo, tmp_path):
    pr = PullRequest(repo, entry(UNIT))
    waiver_on_main(repo)
    pr.merge_commit()
    before = replay(repo, pr.event("opened", created=LAST_COVERED), tmp=tmp_path)
    after = replay(repo, pr.event("opened", created=FIRST_AFTER), tmp=tmp_path)
    assert before.code == 0 and ("SK405", "warning") in mine(before, path_of(UNIT)), before.problems
    assert after.code == 1
    [message] = after.messages("SK402")
    assert "01/07/2024 00:00:00 (giờ Việt Nam)" in message and "đến hết ngày 30/06/2024; thời hạn đó đã qua" in message


# ---------------------------------------------------------------- edits

def accepted_on_main(repo) -> None:
    """The late entry was accepted and merged: it is on main with its waiver."""
    for rel, text in entry(UNIT).items():
        repo.write(rel, text)
    waiver_on_main(repo)


def test_edit_before_the_waiver_ends_is_accepted_with_a_warning(repo, tmp_path):
    accepted_on_main(repo)
    pr = PullRequest(repo, entry(UNIT, extra="Đính chính số liệu."), branch="dinh-chinh")
    pr.merge_commit()
    verdict = replay(repo, pr.event("opened", created="2024-06-29T03:00:00Z"), tmp=tmp_path)
    assert verdict.code == 0, verdict.problems
    [message] = [p["message"] for p in verdict.problems if p["code"] == "SK405" and p["line"] == 1]
    assert message.startswith("Thay đổi (sửa bài) lúc 29/06/2024 10:00:00 (giờ Việt Nam)") and f"«{SLUG}» của đơn vị «{UNIT}»" in message


def test_edit_after_the_waiver_ends_is_late_sk403(repo, tmp_path):
    accepted_on_main(repo)
    pr = PullRequest(repo, entry(UNIT, extra="Đính chính số liệu."), branch="dinh-chinh")
    pr.merge_commit()
    verdict = replay(repo, pr.event("opened", created=FIRST_AFTER), tmp=tmp_path)
    assert verdict.code == 1
    [message] = verdict.messages("SK403")
    assert message.startswith("Thay đổi (sửa bài) lúc 01/07/2024 00:00:00") and "thời hạn đó đã qua" in message


def test_waiver_does_not_allow_edits_of_the_units_other_files(repo, tmp_path):
    accepted_on_main(repo)
    other = path_of(UNIT, "tra-cuu-lich-tiep-dan")
    repo.write(other, entry_text("tra-cuu-lich-tiep-dan", UNIT, "2024-06-20", "Tra cứu lịch tiếp dân của xã qua mã QR"))
    repo.commit("bài nộp đúng hạn")
    text = repo.read(other).replace("## Giải pháp", "## Giải pháp\n\nBổ sung sau hạn.", 1)
    pr = PullRequest(repo, {other: text}, branch="sua-bai-khac")
    pr.merge_commit()
    verdict = replay(repo, pr.event("opened", created="2024-06-29T03:00:00Z"), tmp=tmp_path)
    assert verdict.code == 1
    assert [p["file"] for p in verdict.problems if p["code"] == "SK403"] == [other]


def test_attachment_of_the_waived_entry_is_covered_and_another_is_not(repo, tmp_path):
    accepted_on_main(repo)
    folder = f"entries/{CAMPAIGN}/{UNIT}"
    text = repo.read(path_of(UNIT)).replace("illustrative: true\n", "attachments:\n  - kind: tai-lieu\n    title: Báo cáo kết quả\n    file: bao-cao.pdf\nillustrative: true\n", 1)
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
    pr = PullRequest(repo, {path_of(UNIT): text, f"{folder}/bao-cao.pdf": pdf, f"{folder}/phu-luc.pdf": pdf}, branch="kem-theo")  # type: ignore[dict-item]
    pr.merge_commit()
    verdict = replay(repo, pr.event("opened", created="2024-06-29T03:00:00Z"), tmp=tmp_path)
    assert [c for c, _ in mine(verdict, f"{folder}/bao-cao.pdf")] == ["SK405"], verdict.problems
    assert [c for c, _ in mine(verdict, f"{folder}/phu-luc.pdf")] == ["SK403"]


# ---------------------------------------------------------------- the decisions file, full runs

def validate(repo) -> tuple[int, list[dict]]:
    done = repo.run("validate", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)["problems"]


def test_waiver_ending_by_the_deadline_or_before_its_date_is_refused_sk408(repo):
    add_waiver(repo, "so-hoa-ho-so-mot-cua-xa", unit=OTHER, until="2024-06-25")  # the deadline's own day: covers nothing
    add_waiver(repo, "so-hoa-ho-so-mot-cua-xa", unit=OTHER, until="2024-06-26")  # after the deadline but before its date (27/6)
    add_waiver(repo, "so-hoa-ho-so-mot-cua-xa", unit=OTHER, until="2024-06-27")  # fine
    status, problems = validate(repo)
    lines = repo.read(DECISIONS).splitlines()
    found = [(p["code"], lines[p["line"] - 1].strip()) for p in problems if p["file"] == DECISIONS]
    assert status == 1
    assert sorted(found) == [("SK408", 'until: "2024-06-25"'), ("SK408", 'until: "2024-06-26"')], problems


def test_waiver_naming_the_wrong_or_an_unknown_unit(repo):
    add_waiver(repo, "so-hoa-ho-so-mot-cua-xa", unit=UNIT)  # that entry is in tn-ct-thanh-long's folder
    add_waiver(repo, "so-hoa-ho-so-mot-cua-xa", unit="xa-khong-co")
    status, problems = validate(repo)
    found = sorted((p["code"], p["message"].split("Cách sửa:")[0]) for p in problems if p["file"] == DECISIONS)
    # One code per place: the unknown unit is reported as such (SK303), not also as the wrong one.
    assert status == 1 and [c for c, _ in found] == ["SK303", "SK406"], found
    assert f"cho đơn vị «{UNIT}», nhưng bài «so-hoa-ho-so-mot-cua-xa» của đợt nằm trong thư mục của đơn vị «{OTHER}»" in found[1][1]


def test_full_run_uses_the_declared_date_against_unit_and_end(repo):
    rel = path_of(UNIT)
    repo.write(rel, entry_text(SLUG, UNIT, "2024-06-30", TITLE))
    add_waiver(repo, SLUG, unit=UNIT, until=UNTIL)
    assert [(p["code"], p["severity"]) for p in validate(repo)[1] if p["file"] == rel and p["code"].startswith("SK4")] == [("SK405", "warning")]
    repo.write(rel, entry_text(SLUG, UNIT, "2024-07-01", TITLE))
    status, problems = validate(repo)
    [late] = [p for p in problems if p["file"] == rel and p["code"].startswith("SK4")]
    assert status == 1 and late["code"] == "SK402" and "đến hết ngày 30/06/2024" in late["message"]


def test_council_report_counts_only_covered_waivers(repo, tmp_path):
    from sangkien.council.participation import participation
    from sangkien.validator import load

    repo.write(path_of(UNIT), entry_text(SLUG, UNIT, "2024-06-28", TITLE))
    repo.write(path_of(OTHER, "bai-muon-khac"), entry_text("bai-muon-khac", OTHER, "2024-06-28", "Bài nộp muộn khác của Thạnh Long"))
    add_waiver(repo, SLUG, unit=UNIT)
    add_waiver(repo, "bai-muon-khac", unit=UNIT)  # the wrong unit: not counted as accepted
    rows = {r.unit_id: r for r in participation(load(repo.path).repo, CAMPAIGN)}
    assert (rows[UNIT].late, rows[UNIT].waived) == (1, 1)
    assert (rows[OTHER].late, rows[OTHER].waived) == (1, 0)
