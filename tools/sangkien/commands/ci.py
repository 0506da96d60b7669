"""`sangkien ci`: the two steps a CI job needs around `sangkien validate`.

    sangkien ci event    read the host's event record -> base, reference time, author
    sangkien ci report   the validator's JSON report -> at most 10 annotations, a job summary
                         (all three formats written by sangkien.reporters)

The values go to the next step through the host's output file ($GITHUB_OUTPUT) or a
shell-sourceable file (--env-file), never through `${{ }}` inside a script: the workflow then
has no template that a pull request's title or branch name could inject into.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sangkien import event, reporters, vntime
from sangkien.codes import CODES
from sangkien.commands.common import add_root, find_root

MAX_ANNOTATIONS = 10  # what the host shows per step; more would be dropped silently


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ci", help="dùng trong CI: đọc sự kiện của máy chủ Git, tóm tắt kết quả kiểm tra",
                       description="Các bước của quy trình kiểm tra tự động (GitHub Actions, Gitea/Forgejo Actions, GitLab CI).")
    steps = p.add_subparsers(dest="step", title="các bước", metavar="BƯỚC", required=True)
    ev = steps.add_parser("event", help="đọc thời điểm nộp, người nộp, nhánh gốc từ sự kiện của máy chủ Git",
                          description="Đọc sự kiện (GitHub: $GITHUB_EVENT_PATH; GitLab: biến CI_MERGE_REQUEST_*) và ghi ra base, at, actor, mode.")
    ev.add_argument("--host", choices=["auto", "github", "gitlab"], default="auto", help="máy chủ Git (mặc định: tự nhận biết)")
    ev.add_argument("--event-path", type=Path, help="tệp JSON của sự kiện (mặc định: $GITHUB_EVENT_PATH)")
    ev.add_argument("--event-name", help="tên sự kiện (mặc định: $GITHUB_EVENT_NAME)")
    ev.add_argument("--mr-json", type=Path, help="GitLab: tệp JSON của yêu cầu hợp nhất lấy từ API")
    ev.add_argument("--versions-json", type=Path, help="GitLab: tệp JSON các phiên bản thay đổi (versions) lấy từ API")
    ev.add_argument("--output", type=Path, help="ghi thêm key=value vào tệp này (mặc định: $GITHUB_OUTPUT nếu có)")
    ev.add_argument("--env-file", type=Path, help="ghi SK_BASE, SK_AT, SK_ACTOR, SK_MODE dạng biến shell vào tệp này")
    ev.add_argument("--summary", type=Path, help="ghi phần giải thích vào tệp tóm tắt (mặc định: $GITHUB_STEP_SUMMARY nếu có)")
    add_root(ev)
    ev.set_defaults(func=run_event)
    rp = steps.add_parser("report", help="chú thích lỗi (tối đa 10) và trang tóm tắt từ báo cáo JSON",
                          description="Đọc báo cáo của «sangkien validate --format json», in tối đa 10 chú thích, ghi trang tóm tắt tiếng Việt; "
                                      "trả mã 1 nếu có lỗi.")
    rp.add_argument("report", type=Path, metavar="BÁO_CÁO", help="tệp JSON do sangkien validate --format json ghi ra")
    rp.add_argument("--max-annotations", type=int, default=MAX_ANNOTATIONS, metavar="SỐ", help="số chú thích tối đa (mặc định 10)")
    rp.add_argument("--summary", type=Path, help="tệp tóm tắt (mặc định: $GITHUB_STEP_SUMMARY nếu có)")
    rp.set_defaults(func=run_report)


# ---------------------------------------------------------------- event

def _load_json(path: Path, what: str) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise event.EventError(f"Không đọc được {what} «{path}» ({err.strerror}).") from err
    except ValueError as err:
        raise event.EventError(f"{what.capitalize()} «{path}» không phải JSON hợp lệ ({err}).") from err


def _submission(args: argparse.Namespace) -> event.Submission:
    host = args.host
    if host == "auto":
        host = "gitlab" if os.environ.get("GITLAB_CI") else "github"
    if host == "gitlab":
        mr = _load_json(args.mr_json, "tệp yêu cầu hợp nhất") if args.mr_json else None
        versions = _load_json(args.versions_json, "tệp phiên bản") if args.versions_json else None
        return event.from_gitlab(os.environ, mr, versions)
    path = args.event_path or (Path(os.environ["GITHUB_EVENT_PATH"]) if os.environ.get("GITHUB_EVENT_PATH") else None)
    name = args.event_name or os.environ.get("GITHUB_EVENT_NAME")
    if path is None or not name:
        raise event.EventError("Không có sự kiện để đọc: thiếu $GITHUB_EVENT_PATH/$GITHUB_EVENT_NAME (hoặc --event-path/--event-name).")
    return event.from_github(name, _load_json(path, "tệp sự kiện"))


def merge_parent(root: Path, head: str | None) -> str | None:
    """The base as it is now, when the job checked out the host's test merge of the PR.

    `pull_request.base.sha` is the base branch's tip when the PR was opened (or last pushed);
    the branch may have moved since. The host's merge commit has the current tip as first
    parent and the PR head as second: diffing against the first parent gives exactly the
    PR's own changes, on top of everything merged since (e.g. the council's late waiver).
    """
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-list", "--parents", "-n", "1", "HEAD"],
                              capture_output=True, text=True, check=False)
    except OSError:
        return None
    shas = done.stdout.split() if done.returncode == 0 else []
    return shas[1] if len(shas) == 3 and head and shas[2] == head else None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def run_event(args: argparse.Namespace) -> int:
    try:
        sub = _submission(args)
    except event.EventError as err:
        print(f"Lỗi SK611: {err} Cách sửa: {CODES['SK611'].fix}", file=sys.stderr)
        return 2
    root = (args.root or find_root()).resolve()
    base = sub.base
    if sub.is_submission:
        base = merge_parent(root, sub.head) or base
    values = {
        "mode": "pr" if sub.is_submission else "integration",
        "base": base if sub.is_submission and base else "",
        "at": _iso(sub.at) if sub.at else "",
        "actor": sub.actor or "",
    }
    for key, value in values.items():
        print(f"{key}={value}")
    lines = _explain(sub, values["base"])
    print("\n".join(lines))
    out = args.output or (Path(os.environ["GITHUB_OUTPUT"]) if os.environ.get("GITHUB_OUTPUT") else None)
    if out is not None:  # the host's protocol: append key=value lines; values hold no newline
        with out.open("a", encoding="utf-8") as handle:
            handle.writelines(f"{k}={v}\n" for k, v in values.items())
    if args.env_file is not None:
        args.env_file.write_text("".join(f"SK_{k.upper()}={shlex.quote(v)}\n" for k, v in values.items()), encoding="utf-8")
    summary = args.summary or (Path(os.environ["GITHUB_STEP_SUMMARY"]) if os.environ.get("GITHUB_STEP_SUMMARY") else None)
    if summary is not None:
        with summary.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(["### Thông tin nộp bài", "", *[f"- {line}" for line in lines], ""]) + "\n")
    return 0


def _explain(sub: event.Submission, base: str) -> list[str]:
    if not sub.is_submission:
        return [f"Sự kiện «{sub.event}» không phải lần nộp bài: kiểm tra toàn bộ kho, không xét hạn nộp và quyền sửa "
                "(mỗi yêu cầu hợp nhất đã được xét trong lần kiểm tra của nó)."]
    lines = [f"Người nộp (tác giả yêu cầu hợp nhất): {sub.actor}",
             f"Thời điểm tính hạn: {vntime.show_seconds(sub.at) if sub.at else '(không rõ)'} — lấy từ {sub.basis}.",
             "Không dùng ngày ghi trong commit (người nộp tự ghi được) hay đồng hồ của máy chạy kiểm tra; chạy lại vẫn cho cùng kết quả."]
    if sub.action:
        lines.insert(0, f"Sự kiện: {sub.event} ({sub.action})" + (f", yêu cầu hợp nhất số {sub.number}" if sub.number else ""))
    if base:
        lines.append(f"So sánh với nhánh gốc tại commit {base[:12]}.")
    if sub.labels:
        lines.append("Nhãn: " + ", ".join(sub.labels) + " (nhãn không thay đổi kết quả; chấp nhận nộp muộn chỉ ghi trong decisions.yaml).")
    return lines


# ---------------------------------------------------------------- report

def run_report(args: argparse.Namespace) -> int:
    try:
        problems, checked = reporters.read_json(args.report.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as err:
        print(f"Lỗi SK612: không đọc được báo cáo «{args.report}» ({type(err).__name__}: {err}). Cách sửa: {CODES['SK612'].fix}", file=sys.stderr)
        return 2
    out = reporters.github_annotations(problems, args.max_annotations)
    # The full list, for the log, with workflow commands switched off: a message quoting a
    # user's text must not be read as a command by the host.
    token = secrets.token_hex(16)
    out.append(f"::stop-commands::{token}")
    out.extend(reporters.text(problems, checked).splitlines())
    out.append(f"::{token}::")
    sys.stdout.write("\n".join(line.replace("\r", " ") for line in out) + "\n")
    summary = args.summary or (Path(os.environ["GITHUB_STEP_SUMMARY"]) if os.environ.get("GITHUB_STEP_SUMMARY") else None)
    if summary is not None:
        with summary.open("a", encoding="utf-8") as handle:
            handle.write(reporters.summary_markdown(problems, checked))
    return 1 if any(p.is_error for p in problems) else 0
