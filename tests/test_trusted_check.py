"""The trusted PR check: a pull request that rewrites the validator, the job, the build or the
schemas still gets the base branch's verdict, and none of its code runs.

Each case is a real Git server repository holding this project, a pull request pushed to it
as `refs/pull/N/head`, and the real job of `.github/workflows/validate.yml`, read from the base
commit as `pull_request_target` does and run step by step (tests/helpers/actions_runner.py), with its
real `pip install` of the base into a throwaway virtual environment. The pull request's code
would write a marker file; the marker must stay absent. The job restores the validation cache
that `.github/workflows/cache.yml` saved from main (a local stand-in for the host's cache
service): it is used from outside the submission, never saved back, and a cache committed in
the pull request is never read.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, TempRepo, git
from helpers.actions_runner import Job, Runner, copy_project, make_venv, summary, workflow_at
from helpers.pr_replay import CAMPAIGN, LATE, ON_TIME, PullRequest, entry_text, payload
from sangkien import cache

WORKFLOW = ".github/workflows/validate.yml"
CACHE_WORKFLOW = ".github/workflows/cache.yml"
RESTORE = "Lấy bộ nhớ đệm kiểm tra của nhánh gốc (chỉ khôi phục)"
UNIT, OTHER_UNIT = "tn-ct-an-binh", "tn-ct-phong-tu-phap"
SLUG = "tra-cuu-ho-so-dat-dai-qua-ma-qr"
TITLE = "Tra cứu hồ sơ đất đai qua mã QR"
OWN_ENTRY = f"entries/{CAMPAIGN}/{UNIT}/{SLUG}.md"


@pytest.fixture(scope="session")
def venv(tmp_path_factory) -> Path:
    return make_venv(tmp_path_factory.mktemp("venv") / "env")


@pytest.fixture
def server(tmp_path: Path) -> TempRepo:
    """The host's repository: this project (code, schemas, data, workflows) on main."""
    dest = tmp_path / "server"
    dest.mkdir()
    copy_project(ROOT, dest, ("pyproject.toml", "README.md", "tools", "schema", "entries", ".github", ".gitlab", ".gitlab-ci.yml", "mkdocs.yml"))
    git(dest, "init", "-q", "-b", "main")
    git(dest, "config", "uploadpack.allowAnySHA1InWant", "true")  # GitHub serves any reachable commit by its id
    repo = TempRepo(dest)
    repo.commit("dự án")
    return repo


def open_pr(server: TempRepo, files: dict[str, str | None], created: str = ON_TIME, author: str = "anbinh-demo") -> tuple[PullRequest, dict]:
    pr = PullRequest(server, files)
    payload = pr.event("opened", author=author, created=created)
    git(server.path, "update-ref", f"refs/pull/{payload['number']}/head", pr.head)
    return pr, payload


def run_check(server: TempRepo, payload: dict, folder: Path, venv: Path, caches: Path | None = None) -> tuple[Runner, Job, list[dict]]:
    tip = git(server.path, "rev-parse", "main")
    workflow = workflow_at(server.path, tip, WORKFLOW)  # pull_request_target: the base branch's file
    assert set(workflow["on"]) == {"pull_request_target"}
    runner = Runner(server.path, folder, "pull_request_target", payload, venv, tip, caches=caches)
    job = runner.run_job(workflow, "kiem-tra")
    report = runner.temp / "sangkien-bao-cao.json"
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"] if report.is_file() else []
    return runner, job, problems


def codes(problems: list[dict]) -> set[str]:
    return {p["code"] for p in problems if p["severity"] == "error"}


def marker_code(marker: Path) -> str:
    return f"import pathlib; pathlib.Path({str(marker)!r}).write_text('PR code ran')\n"


def test_an_honest_submission_passes_with_the_base_branch_tools(server, tmp_path, venv):
    _, payload = open_pr(server, {OWN_ENTRY: entry_text(SLUG, UNIT, "2024-06-20", TITLE)})
    runner, job, problems = run_check(server, payload, tmp_path / "runner", venv)
    assert job.passed, job.log()
    assert codes(problems) == set() and [s.outcome for s in job.steps].count("skipped") == 0
    assert "ĐẠT" in summary(runner) and "Người nộp (tác giả yêu cầu hợp nhất): anbinh-demo" in summary(runner)
    installed = list((venv / "lib").glob("python3*/site-packages/sangkien/validator.py"))
    assert installed, "the job's pip install put the base branch's sangkien into the job's environment"
    assert job.artifacts == [runner.temp / "sangkien-bao-cao.json"]


def test_a_pr_that_disables_a_rule_in_the_validator_still_fails(server, tmp_path, venv):
    marker = tmp_path / "marker"
    init = (ROOT / "tools/sangkien/__init__.py").read_text(encoding="utf-8")
    permissions = (ROOT / "tools/sangkien/checks/permissions.py").read_text(encoding="utf-8")
    disabled = permissions.replace("def check(roles: Roles, actor: str, changes: list[tuple[str, str]]) -> list[Problem]:\n",
                                   "def check(roles: Roles, actor: str, changes: list[tuple[str, str]]) -> list[Problem]:\n    return []\n")
    assert disabled != permissions
    other = f"entries/{CAMPAIGN}/{OTHER_UNIT}/{SLUG}.md"
    _, payload = open_pr(server, {other: entry_text(SLUG, OTHER_UNIT, "2024-06-20", TITLE),
                                  "tools/sangkien/__init__.py": marker_code(marker) + init,
                                  "tools/sangkien/checks/permissions.py": disabled})
    runner, job, problems = run_check(server, payload, tmp_path / "runner", venv)
    assert not job.passed and job.step("Báo cáo kết quả").returncode == 1, job.log()
    assert {"SK602", "SK605"} <= codes(problems), problems
    assert not marker.exists()
    # The marker is live: importing the pull request's package is what would have written it.
    subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, 'bai-nop/tools'); import sangkien"], cwd=runner.workspace, check=True)
    assert marker.read_text(encoding="utf-8") == "PR code ran"


def test_a_pr_that_replaces_the_job_still_gets_the_base_branch_job(server, tmp_path, venv):
    marker = tmp_path / "marker"
    fake = ("name: Kiểm tra bài nộp\non:\n  pull_request_target:\npermissions: {}\njobs:\n  kiem-tra:\n    name: kiem-tra\n"
            f"    runs-on: ubuntu-latest\n    steps:\n      - run: python3 -c \"{marker_code(marker).strip()}\"\n")
    pr, payload = open_pr(server, {OWN_ENTRY: entry_text(SLUG, UNIT, "2024-06-26", TITLE), WORKFLOW: fake}, created=LATE)
    assert workflow_at(server.path, pr.head, WORKFLOW)["jobs"]["kiem-tra"]["steps"] != workflow_at(server.path, "main", WORKFLOW)["jobs"]["kiem-tra"]["steps"]
    _, job, problems = run_check(server, payload, tmp_path / "runner", venv)
    assert not job.passed, job.log()
    assert {"SK402", "SK605"} <= codes(problems), problems
    assert not marker.exists()


def test_a_pr_with_its_own_build_backend_or_setup_py_runs_nothing(server, tmp_path, venv):
    marker = tmp_path / "marker"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    hijacked = pyproject.replace('build-backend = "setuptools.build_meta"', 'build-backend = "xay_dung"\nbackend-path = ["."]')
    assert hijacked != pyproject
    body = entry_text(SLUG, UNIT, "2024-06-20", TITLE).replace("## Cách nhân rộng", "Liên hệ chị Trang: 0912 345 678.\n\n## Cách nhân rộng")
    _, payload = open_pr(server, {OWN_ENTRY: body, "pyproject.toml": hijacked,
                                  "xay_dung.py": marker_code(marker) + "from setuptools.build_meta import *  # noqa\n",
                                  "setup.py": marker_code(marker) + "from setuptools import setup\nsetup()\n"})
    runner, job, problems = run_check(server, payload, tmp_path / "runner", venv)
    assert not job.passed, job.log()
    assert {"SK501", "SK605"} <= codes(problems), problems
    assert not marker.exists()
    subprocess.run([sys.executable, "bai-nop/setup.py", "--name"], cwd=runner.workspace, capture_output=True, check=False)
    assert marker.exists()  # what an install of the pull request (the old job did `pip install -e .`) would have run


def test_a_pr_that_loosens_the_schema_is_judged_by_the_base_schema(server, tmp_path, venv):
    loose = json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"})
    text = entry_text(SLUG, UNIT, "2024-06-20", TITLE).replace(f"title: {TITLE}\n", "")
    _, payload = open_pr(server, {OWN_ENTRY: text, "schema/entry.schema.json": loose})
    runner, job, problems = run_check(server, payload, tmp_path / "runner", venv)
    assert not job.passed, job.log()
    assert {"SK201", "SK605"} <= codes(problems), problems
    assert any(p["code"] == "SK201" and p["file"] == OWN_ENTRY for p in problems)
    # Without --trusted the tree's own schema would have hidden the missing title.
    loose_run = subprocess.run([str(venv / "bin" / "sangkien"), "validate", "--root", "bai-nop", OWN_ENTRY, "--format", "json"],
                               cwd=runner.workspace, capture_output=True, text=True, check=False)
    assert "SK201" not in {p["code"] for p in json.loads(loose_run.stdout)["problems"]}


def test_a_forged_cache_in_the_pr_is_not_read(server, tmp_path, venv):
    """A committed .sangkien-cache/ could vouch for files; the trusted check never opens it."""
    body = entry_text(SLUG, UNIT, "2024-06-20", TITLE).replace("## Cách nhân rộng", "Gọi 0912 345 678.\n\n## Cách nhân rộng")
    _, payload = open_pr(server, {OWN_ENTRY: body, ".sangkien-cache/validate.sqlite3": "không phải cơ sở dữ liệu"})
    runner, job, problems = run_check(server, payload, tmp_path / "runner", venv)
    assert {"SK501", "SK605"} <= codes(problems), problems
    assert git(runner.workspace / "bai-nop", "status", "--porcelain") == ""  # nothing written into the submission


def run_cache_job(server: TempRepo, folder: Path, venv: Path, caches: Path) -> Job:
    """The job of cache.yml on a push to main, saving into `caches`."""
    tip = git(server.path, "rev-parse", "main")
    workflow = workflow_at(server.path, tip, CACHE_WORKFLOW)
    runner = Runner(server.path, folder, "push", {"ref": "refs/heads/main", "after": tip}, venv, tip, caches=caches)
    return runner.run_job(workflow, "bo-nho-dem")


TRACE = "DẤU VẾT: kết quả này lấy từ bộ nhớ đệm của nhánh gốc."


def test_the_check_starts_from_mains_cache_never_saves_and_never_reads_one_in_the_pr(server, tmp_path, venv):
    caches = tmp_path / "caches"
    warmup = run_cache_job(server, tmp_path / "main-runner", venv, caches)
    assert warmup.passed and warmup.step("Lưu bộ nhớ đệm").outcome == "success", warmup.log()
    [key] = json.loads((caches / "index.json").read_text(encoding="utf-8"))
    saved = caches / "0" / "validate.sqlite3"
    assert (caches / "0" / "novelty-cache.npz").is_file()  # every entry's features, by content hash, for the PR's novelty check
    db = sqlite3.connect(saved)
    try:
        rows = dict(db.execute("SELECT path, result FROM files"))
        # One unchanged entry's row carries a trace: seen in the report only if main's row was reused.
        traced = next(rel for rel in sorted(rows) if rel.startswith("entries/") and rel.endswith(".md") and "/README" not in rel)
        result = json.loads(rows[traced])
        result["text"].append(["SK219", "warning", traced, 1, 1, TRACE, None, None])  # cache.problems_out: detail, place, key path
        db.execute("UPDATE files SET result = ? WHERE path = ?", (json.dumps(result, ensure_ascii=False), traced))
        db.execute("DROP TABLE IF EXISTS runs")
        db.commit()
    finally:
        db.close()
    assert len(rows) > 10

    # The pull request commits its own cache: main's rows plus one vouching for its bad entry.
    body = entry_text(SLUG, UNIT, "2024-06-20", TITLE).replace("## Cách nhân rộng", "Gọi 0912 345 678.\n\n## Cách nhân rộng")
    forged = tmp_path / "forged.sqlite3"
    shutil.copy2(saved, forged)
    db = sqlite3.connect(forged)
    try:
        db.execute("INSERT INTO files SELECT ?, size, mtime, ctime, ino, checked, ?, context, result, positions FROM files WHERE path = ?",
                   (OWN_ENTRY, cache.digest(body.encode("utf-8")), traced))
        db.commit()
    finally:
        db.close()
    _, payload = open_pr(server, {OWN_ENTRY: body, ".sangkien-cache/validate.sqlite3": forged.read_bytes()})

    runner, job, warm = run_check(server, payload, tmp_path / "runner", venv, caches)
    restore = job.step(RESTORE)
    assert restore.outputs["cache-hit"] == "true" and restore.outputs["cache-matched-key"] == key, job.log()
    assert {"SK501", "SK605"} <= codes(warm), warm  # the forged row would have hidden SK501
    assert [p["file"] for p in warm if p["message"] == TRACE] == [traced]  # main's rows were reused
    _, cold_job, cold = run_check(server, payload, tmp_path / "cold-runner", venv, tmp_path / "no-caches")
    assert cold_job.step(RESTORE).outputs["cache-hit"] == "false"
    assert [p for p in warm if p["message"] != TRACE] == cold  # otherwise the very same verdict as without a cache
    assert json.loads((caches / "index.json").read_text(encoding="utf-8")) == [key]  # the pull request saved nothing
    assert (runner.temp / "sangkien-cache" / "validate.sqlite3").is_file()  # the job used the folder outside the submission
    assert git(runner.workspace / "bai-nop", "status", "--porcelain") == ""


def test_a_pr_that_conflicts_with_main_fails_with_a_vietnamese_reason(server, tmp_path, venv):
    rel = f"entries/{CAMPAIGN}/{UNIT}/README.md"
    pr, payload = open_pr(server, {rel: "bản của đơn vị\n"})
    pr.on_main({rel: "bản trên nhánh chính\n"})
    _, job, _ = run_check(server, payload, tmp_path / "runner", venv)
    step = job.step("Ghép thử bài nộp với nhánh gốc")
    assert step.outcome == "failure" and "title=SK613::" in step.stdout and "xung đột" in step.stdout
    assert job.step("Kiểm tra").outcome == "skipped"


# ---------------------------------------------------------------- GitLab: the trusted job, run as the runner would

GITLAB_CONFIG = ".gitlab/ci/kiem-tra.yml"
PROJECT = "4512"


def gitlab_job(server: TempRepo, folder: Path, venv: Path, head: str, *, env: dict | None = None, mr: dict | None = None,
               version: dict | None = None, api: bool = True) -> subprocess.CompletedProcess:
    """The job of the CI configuration file as committed on main (the project's configuration
    path points there), in a checkout of the merge request's head, with a curl that answers the
    API from the fixtures (or fails, with api=False)."""
    tip = git(server.path, "rev-parse", "main")
    config = yaml.safe_load(git(server.path, "show", f"{tip}:{GITLAB_CONFIG}"))
    job = config["kiem-tra"]
    data = folder / "builds" / "kho"
    data.mkdir(parents=True)
    for args in (["init", "-q"], ["remote", "add", "origin", server.path.as_uri()], ["fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*"],
                 ["fetch", "-q", "origin", head], ["checkout", "-q", "--detach", head]):
        git(data, *args)
    answers = folder / "api"
    answers.mkdir()
    record = {**payload("gitlab_merge_request"), **(mr or {})}
    versions = payload("gitlab_versions")
    versions[0].update(head_commit_sha=head, base_commit_sha=git(server.path, "merge-base", "main", head), created_at="2024-06-20T10:00:00.000+07:00")
    versions[0].update(version or {})
    (answers / "mr.json").write_text(json.dumps(record), encoding="utf-8")
    (answers / "versions.json").write_text(json.dumps(versions), encoding="utf-8")
    fake = folder / "bin"
    fake.mkdir()
    (fake / "curl").write_text(f"""#!/usr/bin/env bash
out=""; url=""
while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2;; --header) shift 2;; -*) shift;; *) url="$1"; shift;; esac; done
echo "$url" >> "{answers}/asked"
{"" if api else 'echo "curl: (22) The requested URL returned error: 404" >&2; exit 22'}
case "$url" in */versions) cp "{answers}/versions.json" "$out";; *) cp "{answers}/mr.json" "$out";; esac
""", encoding="utf-8")
    (fake / "curl").chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GITLAB_", "CI_", "SANGKIEN_", "PIP_", "VIRTUAL_ENV"))}
    full = {**clean, "PATH": f"{fake}{os.pathsep}{venv / 'bin'}{os.pathsep}{clean['PATH']}", "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0",
            "PYTHONIOENCODING": "utf-8", **{k: str(v) for k, v in job["variables"].items()},
            "GITLAB_CI": "true", "CI_PROJECT_DIR": str(data), "CI_DEFAULT_BRANCH": "main", "CI_PIPELINE_SOURCE": "merge_request_event",
            "CI_MERGE_REQUEST_IID": "7", "CI_MERGE_REQUEST_PROJECT_ID": PROJECT, "CI_PROJECT_ID": PROJECT, "CI_MERGE_REQUEST_DIFF_ID": "110",
            "CI_API_V4_URL": "https://gitlab.tinh.invalid/api/v4", "CI_COMMIT_SHA": head, "GITLAB_USER_LOGIN": "hoidong-demo",
            **(env or {})}
    return subprocess.run(["bash", "-eo", "pipefail", "-c", "\n".join(job["script"])], cwd=data, env=full, capture_output=True, text=True, check=False)


def gitlab_report(folder: Path) -> set[str]:
    report = folder / "builds" / "kho" / ".sangkien-ci" / "bao-cao.json"
    return codes(json.loads(report.read_text(encoding="utf-8"))["problems"])


def test_gitlab_on_time_merge_request_passes_and_asks_the_mr_project(server, tmp_path, venv):
    pr = PullRequest(server, {OWN_ENTRY: entry_text(SLUG, UNIT, "2024-06-20", TITLE)})
    done = gitlab_job(server, tmp_path, venv, pr.head)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"at={ON_TIME}" in done.stdout and "actor=anbinh-demo" in done.stdout
    asked = (tmp_path / "api" / "asked").read_text(encoding="utf-8").split()
    assert asked == [f"https://gitlab.tinh.invalid/api/v4/projects/{PROJECT}/merge_requests/7",
                     f"https://gitlab.tinh.invalid/api/v4/projects/{PROJECT}/merge_requests/7/versions"]
    assert gitlab_report(tmp_path) == set()


def test_gitlab_late_merge_request_fails(server, tmp_path, venv):
    pr = PullRequest(server, {OWN_ENTRY: entry_text(SLUG, UNIT, "2024-06-26", TITLE)})
    done = gitlab_job(server, tmp_path, venv, pr.head, version={"created_at": "2024-06-26T08:59:58.000+07:00"})
    assert done.returncode == 1 and "SK402" in done.stdout and "26/06/2024 08:59:58 (giờ Việt Nam)" in done.stdout
    assert "SK402" in gitlab_report(tmp_path)


def test_gitlab_council_rerun_does_not_make_a_units_change_its_own(server, tmp_path, venv):
    """A unit edits decisions.yaml; a council member presses "Run pipeline": the author is still the unit."""
    rel = f"entries/{CAMPAIGN}/decisions.yaml"
    pr = PullRequest(server, {rel: server.read(rel) + "# sửa của đơn vị\n"})
    done = gitlab_job(server, tmp_path, venv, pr.head, env={"GITLAB_USER_LOGIN": "hoidong-demo"})
    assert done.returncode == 1 and "actor=anbinh-demo" in done.stdout
    assert "SK604" in gitlab_report(tmp_path)


def test_gitlab_without_the_api_record_refuses_instead_of_guessing(server, tmp_path, venv):
    pr = PullRequest(server, {OWN_ENTRY: entry_text(SLUG, UNIT, "2024-06-20", TITLE)})
    done = gitlab_job(server, tmp_path, venv, pr.head, api=False)
    assert done.returncode == 1 and "Lỗi SK611" in done.stdout and "SANGKIEN_API_TOKEN" in done.stdout
    assert "actor=" not in done.stdout


@pytest.mark.parametrize(("env", "mr", "version", "words"), [
    ({"CI_PROJECT_ID": "4533"}, None, None, "bản sao (fork)"),  # the fork's own pipeline
    (None, {"iid": 8}, None, "không phải !7"),  # an MR record that is another request
    (None, {"project_id": 4533}, None, "không phải !7 của dự án 4512"),
    ({"CI_MERGE_REQUEST_DIFF_ID": "999"}, None, None, "Không có phiên bản thay đổi số 999"),
    (None, None, {"head_commit_sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e"}, "khác commit đang kiểm tra"),
])
def test_gitlab_refuses_records_that_do_not_match_the_pipeline(server, tmp_path, venv, env, mr, version, words):
    pr = PullRequest(server, {OWN_ENTRY: entry_text(SLUG, UNIT, "2024-06-20", TITLE)})
    done = gitlab_job(server, tmp_path, venv, pr.head, env=env, mr=mr, version=version)
    assert done.returncode == 2 and "Lỗi SK611" in done.stderr and words in done.stderr, done.stdout + done.stderr


def test_gitlab_merge_request_that_edits_the_tools_runs_none_of_them(server, tmp_path, venv):
    marker = tmp_path / "marker"
    init = (ROOT / "tools/sangkien/__init__.py").read_text(encoding="utf-8")
    other = f"entries/{CAMPAIGN}/{OTHER_UNIT}/{SLUG}.md"
    pr = PullRequest(server, {other: entry_text(SLUG, OTHER_UNIT, "2024-06-20", TITLE), "tools/sangkien/__init__.py": marker_code(marker) + init,
                              GITLAB_CONFIG: "kiem-tra:\n  script:\n    - exit 0\n", "setup.py": marker_code(marker)})
    done = gitlab_job(server, tmp_path, venv, pr.head)
    assert done.returncode == 1, done.stdout + done.stderr
    assert {"SK602", "SK605"} <= gitlab_report(tmp_path)
    assert not marker.exists()


# ---------------------------------------------------------------- Gitea and Forgejo: the same workflow, their payload

def gitea_payload(pr: PullRequest, action: str, created: str, updated: str) -> dict:
    data = payload("gitea_pull_request_synchronized")
    data["action"] = action
    body = data["pull_request"]
    body["head"]["sha"], body["base"]["sha"] = pr.head, pr.base
    body["created_at"], body["updated_at"] = created, updated
    return data


def test_gitea_synchronized_push_after_the_deadline_is_late_and_runs_no_pr_code(server, tmp_path, venv):
    marker = tmp_path / "marker"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pr = PullRequest(server, {OWN_ENTRY: entry_text(SLUG, UNIT, "2024-06-20", TITLE), "setup.py": marker_code(marker),
                              "pyproject.toml": pyproject.replace('build-backend = "setuptools.build_meta"', 'build-backend = "setup"\nbackend-path = ["."]')})
    data = gitea_payload(pr, "synchronized", created=ON_TIME, updated=LATE)
    git(server.path, "update-ref", f"refs/pull/{data['number']}/head", pr.head)
    runner, job, problems = run_check(server, data, tmp_path / "runner", venv)
    assert not job.passed, job.log()
    assert {"SK402", "SK605"} <= codes(problems), problems
    assert "Người nộp (tác giả yêu cầu hợp nhất): anbinh-demo" in summary(runner)
    assert not marker.exists()


def test_gitea_opened_on_time_passes(server, tmp_path, venv):
    pr = PullRequest(server, {OWN_ENTRY: entry_text(SLUG, UNIT, "2024-06-20", TITLE)})
    data = gitea_payload(pr, "opened", created=ON_TIME, updated=ON_TIME)
    git(server.path, "update-ref", f"refs/pull/{data['number']}/head", pr.head)
    _, job, problems = run_check(server, data, tmp_path / "runner", venv)
    assert job.passed and codes(problems) == set(), job.log()
