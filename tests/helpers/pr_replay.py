"""Replay a pull request as the host would run its check: a branch, the host's test merge
commit checked out, an event payload, then the real `sangkien ci event` and `sangkien validate`.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

from conftest import TempRepo, git

EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "events"
CAMPAIGN = "chau-thanh-2024"  # closes "đến hết ngày 25/6/2024": late from 2024-06-25T17:00:00Z
ON_TIME = "2024-06-20T03:00:00Z"
LAST_SECOND = "2024-06-25T16:59:59Z"
LATE = "2024-06-25T17:00:00Z"


def payload(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


def entry_text(slug: str, unit: str, submitted: str, title: str) -> str:
    """A complete, valid entry of the Châu Thành campaign (the guide's example, shortened)."""
    return f"""---
id: {slug}
title: {title}
campaign: {CAMPAIGN}
unit: {unit}
submitted: "{submitted}"
participation: ca-nhan
authors:
  - name: Lê Thị Thu Trang
    position: Công chức Địa chính - Xây dựng
    workplace: UBND xã
    contribution: 100
    representative: true
field: Tra cứu tình trạng hồ sơ đất đai tại xã
areas: [thu-tuc-hanh-chinh]
indices: [SIPAS]
solution_type: tac-nghiep
application_status: da-ap-dung
first_applied: "2024-03-01"
scope: xa
forms: [bai-viet]
conditions: Máy in tem dán mã QR và trang tra cứu của xã.
benefits_author: Người dân tự tra cứu tình trạng hồ sơ, không phải đến xã hỏi.
summary: Dán mã QR lên giấy biên nhận để người dân tự xem hồ sơ đất đai đang ở bước nào.
illustrative: true
---

## Thực trạng

Người dân thường phải đến trụ sở xã nhiều lần chỉ để hỏi hồ sơ cấp giấy chứng nhận quyền sử dụng
đất đã giải quyết đến đâu.

## Giải pháp

Mỗi giấy biên nhận được in kèm một mã QR dẫn tới trang tra cứu; công chức cập nhật bước xử lý
ngay khi chuyển hồ sơ.

## Cách nhân rộng

Xã nào có máy in tem đều áp dụng được trong một tuần.
"""


def add_waiver(repo: TempRepo, slug: str, unit: str = "tn-ct-an-binh", until: str = "2024-06-30", campaign: str = CAMPAIGN) -> None:
    """The council records a late waiver in the campaign's decisions file, on main: `unit` may add
    (and change) its entry `slug` until the end of the day `until` (Vietnam time)."""
    rel = f"entries/{campaign}/decisions.yaml"
    item = (f"  - entry: {slug}\n    unit: {unit}\n"
            f"    reason: Đơn vị gửi văn bản giấy đúng hạn; bản điện tử đến muộn do sự cố đường truyền.\n"
            f"    date: \"2024-06-27\"\n    until: \"{until}\"\n")
    text, key = repo.read(rel), "\nlate_waivers:\n"
    repo.write(rel, text.replace(key, key + item, 1) if key in text else text.rstrip("\n") + key + item)


@dataclass
class Verdict:
    code: int
    problems: list[dict]
    event: dict[str, str]
    event_stdout: str

    def codes(self) -> list[str]:
        return [p["code"] for p in self.problems]

    def messages(self, code: str) -> list[str]:
        return [p["message"] for p in self.problems if p["code"] == code]


class PullRequest:
    """A branch with the unit's change, checked out as the host's merge commit."""

    def __init__(self, repo: TempRepo, files: dict[str, str | None], branch: str = "nop-bai", commit_date: str | None = None) -> None:
        self.repo = repo
        self.base = git(repo.path, "rev-parse", "main")
        git(repo.path, "checkout", "-q", "-b", branch, "main")
        for rel, text in files.items():
            if text is None:
                (repo.path / rel).unlink()
            else:
                repo.write(rel, text)
        git(repo.path, "add", "-A")
        # The commit date is the submitter's to write: date it well before any deadline to show
        # that nothing reads it.
        date = commit_date or "2024-05-20T08:00:00+07:00"
        git(repo.path, "commit", "-q", "-m", "Nộp bài", env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
        self.head = git(repo.path, "rev-parse", "HEAD")
        self.branch = branch
        git(repo.path, "checkout", "-q", "main")

    def on_main(self, files: dict[str, str], message: str = "thay đổi trên main") -> None:
        """Someone else's change lands on main after the branch was made (the payload's base.sha goes stale)."""
        for rel, text in files.items():
            self.repo.write(rel, text)
        self.repo.commit(message)

    def merge_commit(self) -> str:
        """Check out what actions/checkout gets for a pull_request event: refs/pull/N/merge."""
        git(self.repo.path, "checkout", "-q", "--detach", "main")
        git(self.repo.path, "merge", "-q", "--no-ff", "--no-edit", "-m", "Merge test", self.head)
        return git(self.repo.path, "rev-parse", "HEAD")

    def event(self, action: str = "opened", author: str = "anbinh-demo", created: str = ON_TIME, updated: str | None = None,
              pushed: str | None = None, labels: tuple[str, ...] = ()) -> dict:
        data = payload(f"github_pull_request_{action}")
        pr = data["pull_request"]
        pr["user"] = {**pr["user"], "login": author}
        pr["head"]["sha"], pr["base"]["sha"] = self.head, self.base
        pr["created_at"], pr["updated_at"] = created, updated or created
        pr["head"]["repo"]["pushed_at"] = pushed or "2024-05-20T01:00:00Z"
        pr["labels"] = [{"id": 1, "name": name, "color": "0e8a16", "default": False} for name in labels]
        if action == "synchronize":
            data["after"] = self.head
        return data


def replay(repo: TempRepo, data: dict, event_name: str = "pull_request", tmp: Path | None = None) -> Verdict:
    """What the workflow does: `sangkien ci event`, then `sangkien validate` with its outputs."""
    folder = tmp or repo.path.parent
    event_path = folder / "event.json"
    event_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    output, summary = folder / "github_output", folder / "summary.md"
    for f in (output, summary):
        f.write_text("", encoding="utf-8")
    done = repo.run("ci", "event", "--host", "github", "--event-path", str(event_path), "--event-name", event_name,
                    "--output", str(output), "--summary", str(summary))
    assert done.returncode == 0, done.stderr
    values = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    args = ["--base", values["base"], "--at", values["at"], "--actor", values["actor"]] if values["mode"] == "pr" else []
    checked = repo.run("validate", *args, "--format", "json")
    assert checked.returncode in (0, 1), checked.stderr
    return Verdict(checked.returncode, json.loads(checked.stdout)["problems"], values, done.stdout)


def clone(data: dict) -> dict:
    return copy.deepcopy(data)
