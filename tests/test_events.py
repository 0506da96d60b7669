"""The reference time, author and base read from the host's event record, and the deadline
verdicts they lead to when a pull request is replayed against a real Git repository."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from helpers.pr_replay import CAMPAIGN, LAST_SECOND, LATE, ON_TIME, PullRequest, add_waiver, clone, entry_text, payload, replay
from sangkien import event

SLUG = "tra-cuu-ho-so-dat-dai-qua-ma-qr"
UNIT = "tn-ct-an-binh"
ENTRY = f"entries/{CAMPAIGN}/{UNIT}/{SLUG}.md"
TITLE = "Tra cứu hồ sơ đất đai qua mã QR trên giấy biên nhận"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


# ---------------------------------------------------------------- pure: payload -> submission

def test_opened_uses_the_pr_creation_time():
    sub = event.from_github("pull_request", payload("github_pull_request_opened"))
    assert sub.at == utc("2024-06-20T03:00:00Z")
    assert sub.actor == "anbinh-demo"
    assert sub.base == "a10867b14bb761a232cd80139fbd4c0d33264240"
    assert sub.head == "6dcb09b5b57875f334f61aebed695e2e4193db5e"
    assert sub.number == 12 and sub.labels == ()
    assert "pull_request.created_at" in sub.basis


def test_synchronize_uses_the_hosts_record_of_the_push_not_a_commit_date():
    data = payload("github_pull_request_synchronize")
    data["head_commit"] = {"timestamp": "2024-06-01T00:00:00+07:00"}  # forgeable: must be ignored
    sub = event.from_github("pull_request", data)
    assert sub.at == utc("2024-06-25T17:05:12Z")
    assert sub.created_at == utc("2024-06-25T15:40:00Z")
    assert "synchronize" in sub.basis


def test_reopened_unchanged_pr_keeps_its_creation_time():
    data = payload("github_pull_request_reopened")
    assert data["pull_request"]["updated_at"] > "2024-06-26"  # reopened after the deadline
    sub = event.from_github("pull_request", data)
    assert sub.at == utc("2024-06-20T03:00:00Z")
    assert sub.action == "reopened"


def test_labeled_by_council_does_not_move_the_time_and_reports_labels():
    data = payload("github_pull_request_labeled")
    sub = event.from_github("pull_request", data)
    assert sub.at == utc("2024-06-20T03:00:00Z")
    assert sub.actor == "anbinh-demo"  # the PR's author, not the council member who labelled it
    assert data["sender"]["login"] == "hoidong-demo"
    assert sub.labels == ("da-xem-xet",)


def test_reopened_after_a_late_push_is_late():
    data = payload("github_pull_request_reopened")
    data["pull_request"]["head"]["repo"]["pushed_at"] = "2024-06-26T01:00:00Z"  # pushed while closed
    sub = event.from_github("pull_request", data)
    assert sub.at == utc("2024-06-26T01:00:00Z")
    assert "pushed_at" in sub.basis


def test_pushed_at_never_beyond_the_event_and_unix_seconds_accepted():
    data = payload("github_pull_request_labeled")
    data["pull_request"]["head"]["repo"]["pushed_at"] = int(utc("2024-07-05T00:00:00Z").timestamp())
    assert event.from_github("pull_request", data).at == utc("2024-07-01T02:00:00Z")


def test_deleted_fork_falls_back_to_the_event_time():
    data = payload("github_pull_request_labeled")
    data["pull_request"]["head"]["repo"] = None
    sub = event.from_github("pull_request", data)
    assert sub.at == utc("2024-07-01T02:00:00Z")
    assert "không còn" in sub.basis


def test_merge_group_is_not_a_submission():
    sub = event.from_github("merge_group", payload("github_merge_group"))
    assert not sub.is_submission and sub.at is None and sub.actor is None
    assert sub.head == "ec26c3e57ca3a959ca5aad62de7213c562f8c821"


@pytest.mark.parametrize("name, mutate, words", [
    ("issue_comment", lambda d: None, "issue_comment"),
    ("pull_request", lambda d: d.pop("pull_request"), "«pull_request»"),
    ("pull_request", lambda d: d["pull_request"].update(created_at="20/06/2024"), "pull_request.created_at"),
    ("pull_request", lambda d: d["pull_request"]["user"].update(login="a b; rm -rf /"), "tài khoản"),
    ("pull_request", lambda d: d["pull_request"]["base"].update(sha="main"), "pull_request.base.sha"),
])
def test_bad_payloads_are_refused_in_vietnamese(name, mutate, words):
    data = payload("github_pull_request_opened")
    mutate(data)
    with pytest.raises(event.EventError) as err:
        event.from_github(name, data)
    assert words in str(err.value)


GITLAB_ENV = {"CI_MERGE_REQUEST_IID": "7", "CI_MERGE_REQUEST_DIFF_ID": "110", "CI_PIPELINE_SOURCE": "merge_request_event",
              "CI_MERGE_REQUEST_PROJECT_ID": "4512", "CI_PROJECT_ID": "4512",
              "CI_COMMIT_SHA": "9f2c3a1d4e5b6a7980c1d2e3f4a5b6c7d8e9f012", "CI_MERGE_REQUEST_DIFF_BASE_SHA": "a10867b14bb761a232cd80139fbd4c0d33264240",
              "GITLAB_USER_LOGIN": "quan-tri-vien", "CI_PIPELINE_CREATED_AT": "2024-07-10T00:00:00Z"}


def test_gitlab_uses_the_diff_version_under_test():
    sub = event.from_gitlab(GITLAB_ENV, payload("gitlab_merge_request"), payload("gitlab_versions"))
    assert sub.at == utc("2024-06-26T01:59:58Z")
    assert sub.actor == "anbinh-demo"  # the MR's author, not whoever retried the pipeline
    assert sub.labels == ("nop-bai",)
    assert sub.base == "a10867b14bb761a232cd80139fbd4c0d33264240" and sub.number == 7
    older = {**GITLAB_ENV, "CI_MERGE_REQUEST_DIFF_ID": "104", "CI_COMMIT_SHA": "6dcb09b5b57875f334f61aebed695e2e4193db5e"}
    assert event.from_gitlab(older, payload("gitlab_merge_request"), payload("gitlab_versions")).at == utc("2024-06-20T03:00:00.456Z")


@pytest.mark.parametrize("env, mr, versions, words", [
    ({}, None, None, "không dùng người chạy pipeline"),  # no API record: no fallback to GITLAB_USER_LOGIN or the pipeline's time
    ({"CI_PROJECT_ID": "4533"}, {}, [], "bản sao (fork)"),
    ({"CI_MERGE_REQUEST_PROJECT_ID": ""}, {}, [], "không phải dự án của yêu cầu hợp nhất"),
    ({}, {"iid": 8}, [], "!8 của dự án 4512, không phải !7"),
    ({}, {"project_id": 4533}, [], "dự án 4533, không phải !7 của dự án 4512"),
    ({"CI_MERGE_REQUEST_DIFF_ID": "105"}, {}, [], "Không có phiên bản thay đổi số 105"),
    ({"CI_MERGE_REQUEST_DIFF_ID": "104"}, {}, [], "khác commit đang kiểm tra"),
    ({}, {"id": 9}, [], "thuộc yêu cầu hợp nhất khác"),
    ({}, {"author": {"username": None}}, [], "author.username"),
])
def test_gitlab_refuses_what_it_cannot_trust(env, mr, versions, words):
    record = None if mr is None else {**payload("gitlab_merge_request"), **mr}
    listed = None if versions is None else payload("gitlab_versions")
    with pytest.raises(event.EventError, match=re.escape(words)):
        event.from_gitlab({**GITLAB_ENV, **env}, record, listed)
    assert not event.from_gitlab({"CI_COMMIT_SHA": "9f2c3a1d4e5b6a7980c1d2e3f4a5b6c7d8e9f012"}).is_submission


# ---------------------------------------------------------------- the CLI step

def test_ci_event_writes_outputs_env_file_and_summary(repo, tmp_path):
    out, env_file, summary = tmp_path / "out", tmp_path / "su-kien.env", tmp_path / "summary.md"
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload("github_pull_request_labeled")), encoding="utf-8")
    done = repo.run("ci", "event", "--host", "github", "--event-path", str(path), "--event-name", "pull_request",
                    "--output", str(out), "--env-file", str(env_file), "--summary", str(summary))
    assert done.returncode == 0, done.stderr
    values = dict(line.split("=", 1) for line in out.read_text(encoding="utf-8").splitlines())
    assert values == {"mode": "pr", "base": "a10867b14bb761a232cd80139fbd4c0d33264240", "at": "2024-06-20T03:00:00Z", "actor": "anbinh-demo"}
    assert "SK_AT=2024-06-20T03:00:00Z" in env_file.read_text(encoding="utf-8")
    text = summary.read_text(encoding="utf-8")
    assert "Thời điểm tính hạn: 20/06/2024 10:00:00 (giờ Việt Nam)" in text
    assert "Nhãn: da-xem-xet" in text and "Người nộp (tác giả yêu cầu hợp nhất): anbinh-demo" in text


def test_ci_event_refuses_a_missing_or_broken_event(repo, tmp_path):
    broken = tmp_path / "event.json"
    broken.write_text("{khong phai json", encoding="utf-8")
    done = repo.run("ci", "event", "--host", "github", "--event-path", str(broken), "--event-name", "pull_request", "--output", str(tmp_path / "o"))
    assert done.returncode == 2 and "SK611" in done.stderr and "không phải JSON hợp lệ" in done.stderr
    assert "Traceback" not in done.stderr
    done = repo.run("ci", "event", "--host", "github", "--event-path", str(tmp_path / "khong-co.json"), "--event-name", "pull_request")
    assert done.returncode == 2 and "Không đọc được tệp sự kiện" in done.stderr


def test_merge_group_runs_the_whole_repository_without_pr_rules(repo, tmp_path):
    verdict = replay(repo, payload("github_merge_group"), "merge_group", tmp_path)
    assert verdict.event == {"mode": "integration", "base": "", "at": "", "actor": ""}
    assert verdict.code == 0
    assert "không xét hạn nộp" in verdict.event_stdout


# ---------------------------------------------------------------- replayed pull requests: deadlines

def new_entry(submitted: str = "2024-06-20") -> dict[str, str]:
    """The unit's entry; late cases declare an on-time `submitted` date, which proves nothing."""
    return {ENTRY: entry_text(SLUG, UNIT, submitted, TITLE)}


def test_on_time_submission_passes(repo, tmp_path):
    pr = PullRequest(repo, new_entry())
    pr.merge_commit()
    verdict = replay(repo, pr.event("opened", created=ON_TIME), tmp=tmp_path)
    assert verdict.event["at"] == ON_TIME and verdict.event["actor"] == "anbinh-demo"
    assert verdict.code == 0, verdict.problems
    assert not [c for c in verdict.codes() if c.startswith(("SK4", "SK6"))]


def test_last_second_is_on_time_and_next_second_is_late(repo, tmp_path):
    pr = PullRequest(repo, new_entry("2024-06-25"))
    pr.merge_commit()
    assert replay(repo, pr.event("opened", created=LAST_SECOND), tmp=tmp_path).code == 0
    late = replay(repo, pr.event("opened", created=LATE), tmp=tmp_path)
    assert late.code == 1 and late.codes().count("SK402") == 1


def test_late_submission_fails_even_with_an_on_time_commit_date(repo, tmp_path):
    pr = PullRequest(repo, new_entry("2024-06-24"), commit_date="2024-06-24T09:00:00+07:00")
    pr.merge_commit()
    verdict = replay(repo, pr.event("opened", created="2024-06-26T02:00:00Z"), tmp=tmp_path)
    assert verdict.code == 1
    [message] = verdict.messages("SK402")
    assert "Bài được nộp lúc 26/06/2024 09:00:00 (giờ Việt Nam), sau hạn chót của đợt «chau-thanh-2024» là 25/06/2024 23:59" in message
    assert "chỉ Hội đồng mới có thể chấp nhận bài nộp muộn (late_waivers)" in message


def test_push_after_the_deadline_to_an_open_pr_is_late(repo, tmp_path):
    pr = PullRequest(repo, new_entry("2024-06-25"))
    pr.merge_commit()
    verdict = replay(repo, pr.event("synchronize", created="2024-06-25T15:40:00Z", updated="2024-06-25T17:05:12Z"), tmp=tmp_path)
    assert verdict.event["at"] == "2024-06-25T17:05:12Z"
    assert verdict.code == 1 and "26/06/2024 00:05:12" in verdict.messages("SK402")[0]


def test_late_edit_of_an_accepted_entry_fails(repo, tmp_path):
    entry = next((repo.path / "entries" / CAMPAIGN / "tn-ct-thanh-long").glob("*.md"))
    rel = entry.relative_to(repo.path).as_posix()
    pr = PullRequest(repo, {rel: entry.read_text(encoding="utf-8").replace("## Giải pháp", "## Giải pháp\n\nBổ sung sau hạn.", 1)})
    pr.merge_commit()
    verdict = replay(repo, pr.event("synchronize", author="thanhlong-demo", created="2024-06-25T17:30:00Z"), tmp=tmp_path)
    assert verdict.code == 1
    [message] = verdict.messages("SK403")
    assert message.startswith("Thay đổi (sửa bài) lúc 26/06/2024 00:30:00 (giờ Việt Nam), sau hạn chót")
    assert "Không sửa, xóa bài sau hạn" in message
    assert "SK602" not in verdict.codes()  # the unit's own account: only the deadline is in the way


def test_council_waiver_on_main_accepts_a_late_entry_even_with_a_stale_base_sha(repo, tmp_path):
    pr = PullRequest(repo, new_entry("2024-06-25"))
    add_waiver(repo, SLUG)  # the council's change lands on main after the branch was made
    repo.commit("Hội đồng chấp nhận bài nộp muộn")
    pr.merge_commit()
    data = pr.event("opened", created="2024-06-26T02:00:00Z")
    assert data["pull_request"]["base"]["sha"] != verdict_base(repo)  # the payload's base is stale
    verdict = replay(repo, data, tmp=tmp_path)
    assert verdict.event["base"] == verdict_base(repo)  # the merge commit's first parent
    assert verdict.code == 0, verdict.problems
    [message] = verdict.messages("SK405")
    assert "Hội đồng đã chấp nhận ngày 2024-06-27: Đơn vị gửi văn bản giấy đúng hạn" in message
    assert "SK604" not in verdict.codes()  # main's decisions change is not counted as the unit's


def verdict_base(repo) -> str:
    from conftest import git
    return git(repo.path, "rev-parse", "main")


def test_reopened_and_labeled_after_the_deadline_keep_an_on_time_verdict(repo, tmp_path):
    pr = PullRequest(repo, new_entry())
    pr.merge_commit()
    for action, updated in (("reopened", "2024-06-28T08:15:00Z"), ("labeled", "2024-07-01T02:00:00Z")):
        verdict = replay(repo, pr.event(action, created=ON_TIME, updated=updated, labels=("da-xem-xet",)), tmp=tmp_path)
        assert verdict.event["at"] == ON_TIME, action
        assert verdict.code == 0, (action, verdict.problems)


def test_reopening_cannot_hide_a_late_push(repo, tmp_path):
    pr = PullRequest(repo, new_entry("2024-06-25"))
    pr.merge_commit()
    verdict = replay(repo, pr.event("reopened", created=ON_TIME, updated="2024-06-28T08:15:00Z", pushed="2024-06-26T01:00:00Z"), tmp=tmp_path)
    assert verdict.event["at"] == "2024-06-26T01:00:00Z"
    assert verdict.code == 1 and verdict.codes().count("SK402") == 1


def test_rerun_with_the_same_payload_gives_the_same_verdict(repo, tmp_path):
    pr = PullRequest(repo, new_entry("2024-06-25"))
    pr.merge_commit()
    data = pr.event("opened", created="2024-06-26T02:00:00Z")
    first, again = replay(repo, clone(data), tmp=tmp_path), replay(repo, clone(data), tmp=tmp_path)
    assert (first.code, first.problems, first.event) == (again.code, again.problems, again.event)
    # The runner's clock plays no part: the reference time is the payload's, years ago.
    assert first.event["at"] == "2024-06-26T02:00:00Z" and first.code == 1


def test_gitea_spelling_of_synchronize():
    data = payload("github_pull_request_synchronize")
    data["action"] = "synchronized"
    assert event.from_github("pull_request", data).at == utc("2024-06-25T17:05:12Z")


def test_gitlab_merged_results_pipeline_matches_the_source_head():
    env = {**GITLAB_ENV, "CI_COMMIT_SHA": "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
           "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA": "9f2c3a1d4e5b6a7980c1d2e3f4a5b6c7d8e9f012"}
    sub = event.from_gitlab(env, payload("gitlab_merge_request"), payload("gitlab_versions"))
    assert sub.head == "9f2c3a1d4e5b6a7980c1d2e3f4a5b6c7d8e9f012"  # so the merge commit's first parent becomes the base
    assert sub.at == utc("2024-06-26T01:59:58Z")


def test_pull_request_target_reads_the_same_payload_as_pull_request():
    data = payload("github_pull_request_opened")
    target, plain = event.from_github("pull_request_target", data), event.from_github("pull_request", data)
    assert target.event == "pull_request_target" and (target.at, target.actor, target.base, target.head) == (plain.at, plain.actor, plain.base, plain.head)
