"""Read a Git host's record of an event: when the submission happened, who made it, against what.

The deadline rules need a reference time that nobody taking part can move:
- never a commit date: the author writes it (`git commit --date`), so it proves nothing;
- never the runner's clock: a first-time contributor's run may wait for approval until after
  the deadline, and a re-run happens later still.
Only times that the host itself recorded in the event payload are used, so re-running a job
(same payload) gives the same verdict.

GitHub `pull_request_target` (the trusted check: the workflow and the code come from the base
branch, the pull request is only data) and `pull_request` carry the same payload; Gitea and
Forgejo send it too:
- opened: `pull_request.created_at`, the moment the PR (and its content) arrived;
- synchronize: `pull_request.updated_at`, the moment the host recorded the new push. A push
  changes what is submitted, so it counts from then, for new and existing entries alike
  (otherwise a placeholder opened on time could be filled in after the deadline). Not
  `head_commit.timestamp`: that is a commit date, written by the pusher;
- reopened, labeled and every other action: the payload does not say when the last push
  was, and these actions must not move the time of an unchanged PR. The host's record of the
  head repository's last push (`head.repo.pushed_at`) bounds it: if the head repository was
  not pushed after the PR was created, the content is still the opened one -> `created_at`;
  otherwise the later of `created_at` and that push (never after the event itself). The bound
  can be late (a push to another branch of the same fork counts) but never early, so closing
  and reopening cannot hide a late push. A head repository that is gone -> the event time.
`merge_group` and `push` are not submissions: the job checks the whole repository without a
reference time (each PR was judged on its own run).

GitLab merge requests: the time of the merge-request diff version under test (its
`created_at` in the API's `versions` list, matched on `CI_MERGE_REQUEST_DIFF_ID` and on the
head under test), the author from the merge request's record; no record, no verdict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sangkien import vntime

# GitHub logins (and the `[bot]` suffix of apps); GitLab usernames also allow . and _.
LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,254}(\[bot\])?$")
SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
NOT_SUBMISSIONS = ("merge_group", "push", "workflow_dispatch", "schedule")
PULL_REQUEST_EVENTS = ("pull_request_target", "pull_request")


class EventError(ValueError):
    """The payload cannot give a trustworthy answer; the message is Vietnamese, for the log."""


@dataclass(frozen=True)
class Submission:
    """What the validator needs from one event. `at` is None when the event is no submission."""

    host: str
    event: str
    action: str | None = None
    at: datetime | None = None
    basis: str = ""  # which host record gave `at`, in Vietnamese, for the job summary
    actor: str | None = None
    labels: tuple[str, ...] = field(default_factory=tuple)
    base: str | None = None
    head: str | None = None
    number: int | None = None
    created_at: datetime | None = None

    @property
    def is_submission(self) -> bool:
        return self.at is not None


def _instant(value: object, what: str) -> datetime:
    """A host timestamp: ISO 8601 text (`Z` or offset) or Unix seconds (GitHub's push payloads)."""
    if isinstance(value, bool):
        raise EventError(f"Giá trị thời điểm «{what}» trong sự kiện không hợp lệ: {value!r}.")
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            return vntime.parse_instant(value)
        except ValueError:
            pass
    raise EventError(f"Giá trị thời điểm «{what}» trong sự kiện không hợp lệ: {value!r}.")


def _optional_instant(value: object, what: str) -> datetime | None:
    return None if value is None else _instant(value, what)


def _login(value: object, what: str) -> str:
    if not isinstance(value, str) or not LOGIN.match(value):
        raise EventError(f"Sự kiện không có tên tài khoản hợp lệ ở «{what}» (giá trị: {value!r}).")
    return value


def _sha(value: object, what: str) -> str:
    if not isinstance(value, str) or not SHA.match(value):
        raise EventError(f"Sự kiện không có mã commit hợp lệ ở «{what}» (giá trị: {value!r}).")
    return value


def _labels(items: object) -> tuple[str, ...]:
    names = [x.get("name") for x in items if isinstance(x, dict)] if isinstance(items, list) else []
    return tuple(sorted(n for n in names if isinstance(n, str)))


def _dig(data: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def last_push(pr: Mapping[str, Any]) -> tuple[datetime, str]:
    """When the PR's current content was recorded, for an action that carries no push time."""
    created = _instant(pr.get("created_at"), "pull_request.created_at")
    updated = _optional_instant(pr.get("updated_at"), "pull_request.updated_at") or created
    head_repo = _dig(pr, "head", "repo")
    if not isinstance(head_repo, dict) or head_repo.get("pushed_at") is None:
        return max(updated, created), ("thời điểm của sự kiện (pull_request.updated_at), vì kho chứa nhánh nộp bài không còn "
                                       "nên không biết lần đẩy gần nhất")
    pushed = _instant(head_repo.get("pushed_at"), "pull_request.head.repo.pushed_at")
    if pushed <= created:
        return created, "thời điểm tạo yêu cầu hợp nhất (pull_request.created_at); từ đó chưa có lần đẩy (push) mới"
    return max(created, min(pushed, updated)), ("lần đẩy (push) gần nhất lên kho chứa nhánh nộp bài do máy chủ Git ghi nhận "
                                                "(pull_request.head.repo.pushed_at)")


def from_github(event_name: str, payload: object) -> Submission:
    """Map a GitHub (or Gitea/Forgejo) event payload to the submission it records."""
    if not isinstance(payload, dict):
        raise EventError("Tệp sự kiện không phải một đối tượng JSON.")
    if event_name in NOT_SUBMISSIONS:
        group = payload.get("merge_group") if event_name == "merge_group" else None
        base = _dig(group, "base_sha") if group else payload.get("before")
        head = _dig(group, "head_sha") if group else payload.get("after")
        return Submission("github", event_name, base=base if isinstance(base, str) and SHA.match(base) else None,
                          head=head if isinstance(head, str) and SHA.match(head) else None)
    if event_name not in PULL_REQUEST_EVENTS:
        raise EventError(f"Sự kiện «{event_name}» không dùng để nộp bài; quy trình kiểm tra chỉ chạy với pull_request_target "
                         "(hoặc pull_request) và merge_group.")
    pr = payload.get("pull_request")
    if not isinstance(pr, dict):
        raise EventError("Sự kiện pull_request không có mục «pull_request».")
    action = payload.get("action") if isinstance(payload.get("action"), str) else None
    created = _instant(pr.get("created_at"), "pull_request.created_at")
    if action == "opened":
        at, basis = created, "thời điểm tạo yêu cầu hợp nhất (pull_request.created_at)"
    elif action in ("synchronize", "synchronized"):  # Gitea's webhooks spell it "synchronized"
        pushed = _instant(pr.get("updated_at"), "pull_request.updated_at")
        at, basis = max(created, pushed), "thời điểm máy chủ Git ghi nhận lần đẩy (push) mới (pull_request.updated_at của sự kiện synchronize)"
    else:
        at, basis = last_push(pr)
    number = pr.get("number", payload.get("number"))
    return Submission(
        host="github", event=event_name, action=action, at=at, basis=basis,
        actor=_login(_dig(pr, "user", "login"), "pull_request.user.login"),
        labels=_labels(pr.get("labels")),
        base=_sha(_dig(pr, "base", "sha"), "pull_request.base.sha"),
        head=_sha(_dig(pr, "head", "sha"), "pull_request.head.sha"),
        number=number if isinstance(number, int) and not isinstance(number, bool) else None,
        created_at=created,
    )


def from_gitlab(env: Mapping[str, str], mr: object = None, versions: object = None) -> Submission:
    """Map GitLab CI variables and the merge request's records from the API to the submission.

    Pipeline variables can be overridden by whoever starts a pipeline, so every value that the
    verdict rests on is taken from the API records and cross-checked: the pipeline must run in
    the merge request's own project (not a fork's), the record must be the merge request named
    by the pipeline (iid and project), and the diff version must be the one under test (its id
    and its head). Nothing falls back to the user who pressed "Run pipeline": a council member
    re-running a unit's pipeline must not make the unit's change theirs."""
    iid = env.get("CI_MERGE_REQUEST_IID")
    event = env.get("CI_PIPELINE_SOURCE") or "push"
    if not iid:
        sha = env.get("CI_COMMIT_SHA")
        return Submission("gitlab", event, head=sha if sha and SHA.match(sha) else None)
    project = env.get("CI_MERGE_REQUEST_PROJECT_ID") or ""
    if not project or env.get("CI_PROJECT_ID") != project:
        raise EventError(f"Pipeline chạy trong dự án {env.get('CI_PROJECT_ID') or '(không rõ)'}, không phải dự án của yêu cầu hợp nhất "
                         f"({project or 'không rõ'}): pipeline của bản sao (fork) do chủ bản sao cấu hình nên không được tin cậy. "
                         "Thành viên dự án gốc bấm «Run pipeline» trên thẻ Pipelines của yêu cầu hợp nhất để chạy trong dự án gốc.")
    if not isinstance(mr, dict) or not isinstance(versions, list):
        raise EventError("Không có bản ghi yêu cầu hợp nhất và các phiên bản thay đổi từ API của GitLab, nên không biết chắc tác giả và "
                         "thời điểm nộp (không dùng người chạy pipeline thay cho tác giả).")
    if str(mr.get("iid")) != iid or str(mr.get("project_id")) != project:
        raise EventError(f"Bản ghi từ API là yêu cầu hợp nhất !{mr.get('iid')} của dự án {mr.get('project_id')}, không phải "
                         f"!{iid} của dự án {project} mà pipeline đang kiểm tra.")
    # Merged-results pipelines test a merge commit; the MR's own head is the source branch's.
    source = env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA")
    head = _sha(source, "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA") if source else _sha(env.get("CI_COMMIT_SHA"), "CI_COMMIT_SHA")
    diff_id = env.get("CI_MERGE_REQUEST_DIFF_ID") or ""
    version = next((v for v in versions if isinstance(v, dict) and str(v.get("id")) == diff_id), None)
    if version is None:
        raise EventError(f"Không có phiên bản thay đổi số {diff_id or '(trống)'} (CI_MERGE_REQUEST_DIFF_ID) trong danh sách phiên bản của "
                         f"yêu cầu hợp nhất !{iid}.")
    if version.get("head_commit_sha") != head:
        raise EventError(f"Phiên bản thay đổi số {diff_id} có đầu nhánh {str(version.get('head_commit_sha'))[:12]}, khác commit đang kiểm tra "
                         f"{head[:12]}.")
    if mr.get("id") is not None and version.get("merge_request_id") is not None and version.get("merge_request_id") != mr.get("id"):
        raise EventError(f"Phiên bản thay đổi số {diff_id} thuộc yêu cầu hợp nhất khác (merge_request_id {version.get('merge_request_id')}).")
    at = _instant(version.get("created_at"), "versions[].created_at")
    basis = "thời điểm GitLab ghi nhận phiên bản thay đổi đang kiểm tra (merge request diff version, created_at)"
    actor = _login(_dig(mr, "author", "username"), "author.username")
    raw_labels = mr.get("labels")
    labels: list[Any] = raw_labels if isinstance(raw_labels, list) else []
    created = _optional_instant(mr.get("created_at"), "created_at")
    return Submission(
        host="gitlab", event="merge_request_event", action=None, at=at, basis=basis, actor=actor,
        labels=tuple(sorted(x.strip() for x in labels if isinstance(x, str) and x.strip())),
        base=_sha(version.get("base_commit_sha"), "versions[].base_commit_sha"),
        head=head, number=int(iid) if iid.isdigit() else None, created_at=created,
    )
