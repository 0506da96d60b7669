"""The CI definitions: linters report nothing, the structure keeps its promises, the report
step trims annotations and summary, CODEOWNERS is generated and checked, GitLab's job runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+(?:\.\d+){0,2}\s*$")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as a boolean
    return data


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: pip install -e '.[test]' installs it")
    return found


# ---------------------------------------------------------------- linters

def test_actionlint_reports_nothing():
    done = subprocess.run([tool("actionlint"), "-no-color"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_actionlint_and_zizmor_do_catch_a_bad_workflow(tmp_path):
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text("on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: actions/checkout@v4\n      - run: echo \"${{ github.event.pull_request.title }}\" $UNQUOTED\n", encoding="utf-8")
    lint = subprocess.run([tool("actionlint"), "-no-color", str(bad)], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert lint.returncode == 1 and "github.event.pull_request.title" in lint.stdout and "shellcheck" in lint.stdout
    audit = subprocess.run([tool("zizmor"), "--offline", str(bad.parent)], capture_output=True, text=True, check=False)
    assert audit.returncode != 0
    assert "template-injection" in audit.stdout and "dangerous-triggers" in audit.stdout and "unpinned-uses" in audit.stdout


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_reports_nothing(persona):
    done = subprocess.run([tool("zizmor"), "--offline", "--persona", persona, str(WORKFLOWS)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings" in done.stdout


# ---------------------------------------------------------------- structure

def test_every_action_is_pinned_by_commit_with_a_version_comment():
    uses = [line for path in WORKFLOWS.glob("*.yml") for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert len(uses) >= 6
    for line in uses:
        assert PINNED.match(line), line


def test_no_job_runs_code_from_the_pull_request():
    """Static half of the trust model (tests/test_trusted_check.py replays it): the PR head is
    checked out only as data, after the base branch's tools are installed, and no step runs in it."""
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        assert "workflow_run" not in text
        wf = load(path)
        for job in wf["jobs"].values():
            for step in job["steps"]:
                assert "${{" not in step.get("run", ""), (path.name, step)  # values come in through env:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (path.name, step)
                assert not step.get("uses", "").startswith("./"), "no local action: it would come from the checked-out tree"
        if "pull_request_target" not in wf["on"]:
            continue
        assert wf["permissions"] == {"contents": "read"} and all("permissions" not in job for job in wf["jobs"].values())
        assert "# zizmor: ignore[dangerous-triggers] -- " in text  # justified inline, not silenced globally
        steps = wf["jobs"]["kiem-tra"]["steps"]
        checkouts = [(i, s) for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/checkout@")]
        [(trusted_at, trusted), (data_at, data)] = checkouts
        assert "ref" not in trusted["with"] and trusted["with"]["path"] == "ma-kiem-tra"  # the base branch's commit
        assert data["with"]["ref"] == "${{ github.event.pull_request.head.sha }}" and data["with"]["path"] == "bai-nop"
        install = [i for i, s in enumerate(steps) if "pip install" in s.get("run", "")]
        assert install and all(trusted_at < i < data_at for i in install), "install from the base before the PR is on disk"
        assert all("./ma-kiem-tra" in steps[i]["run"] and "bai-nop" not in steps[i]["run"] for i in install)
        for step in steps[data_at + 1:]:
            assert "working-directory" not in step
            run = step.get("run", "")
            for line in run.splitlines():
                if "bai-nop" in line:  # only git and the installed sangkien touch it, as data
                    assert re.search(r"(?:^|\s)(?:git -C bai-nop|--root bai-nop)(?:\s|$)", line), line
        assert job_env(wf)["PYTHONSAFEPATH"] == "1"


def job_env(wf: dict) -> dict:
    return wf["jobs"]["kiem-tra"].get("env") or {}


def test_validate_workflow():
    wf = load(WORKFLOWS / "validate.yml")
    assert set(wf["on"]) == {"pull_request_target"}
    assert not any(isinstance(v, dict) and ("paths" in v or "paths-ignore" in v) for v in wf["on"].values() if v)
    assert "github.event.pull_request.number" in wf["concurrency"]["group"] and wf["concurrency"]["cancel-in-progress"] is True
    [(name, job)] = wf["jobs"].items()
    assert name == job["name"] == "kiem-tra" and "permissions" not in job
    steps = job["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "sangkien ci event --root bai-nop" in runs and 'sangkien ci report "$RUNNER_TEMP/sangkien-bao-cao.json"' in runs
    assert "sangkien codeowners --check --root bai-nop" in runs
    assert 'sangkien validate --trusted --root bai-nop --base "$SK_BASE" --at "$SK_AT" --actor "$SK_ACTOR"' in runs
    assert '--format json > "$RUNNER_TEMP/sangkien-bao-cao.json"' in runs  # outside the submission: not a change of the PR
    check = next(s for s in steps if "sangkien validate" in s.get("run", ""))
    assert check["env"]["SK_AT"] == "${{ steps.event.outputs.at }}"
    upload = steps[-1]
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"] == "${{ runner.temp }}/sangkien-bao-cao.json"
    assert upload["if"] == "${{ !cancelled() }}"


CACHE_PATH = "${{ runner.temp }}/sangkien-cache"


def cache_steps(wf: dict) -> list[tuple[int, dict]]:
    return [(i, s) for job in wf["jobs"].values() for i, s in enumerate(job["steps"]) if s.get("uses", "").startswith("actions/cache")]


def test_pull_request_workflows_only_restore_the_cache():
    """pull_request_target runs in the base branch's cache scope: a save from it would let a pull
    request poison main's cache. Only restore (which never saves) is allowed there."""
    for path in WORKFLOWS.glob("*.yml"):
        wf = load(path)
        if not any(name.startswith("pull_request") for name in wf["on"]):
            continue
        for _, step in cache_steps(wf):
            assert step["uses"].startswith("actions/cache/restore@"), (path.name, step)  # actions/cache@ saves in its post step


def test_the_trusted_check_restores_mains_cache_outside_the_submission():
    wf = load(WORKFLOWS / "validate.yml")
    steps = wf["jobs"]["kiem-tra"]["steps"]
    [(at, restore)] = cache_steps(wf)
    checkouts = [i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/checkout@")]
    install = next(i for i, s in enumerate(steps) if "pip install" in s.get("run", ""))
    assert checkouts[0] < at < install < checkouts[1]  # keyed on the base's files, before the install adds any, before the PR is on disk
    options = restore["with"]
    assert options["path"] == CACHE_PATH and "bai-nop" not in str(options)
    key, prefixes = options["key"], options["restore-keys"].splitlines()
    assert key.startswith("sangkien-validate-") and key.endswith("-${{ github.sha }}")  # github.sha: the base branch's tip
    hashed = re.findall(r"hashFiles\((.*?)\)", key)
    assert hashed and all(p.strip().strip("'").startswith("ma-kiem-tra/") for h in hashed for p in h.split(","))
    assert prefixes == [key.removesuffix("${{ github.sha }}")]
    check = next(s for s in steps if "sangkien validate --trusted" in s.get("run", ""))
    assert check["env"]["SANGKIEN_CACHE_DIR"] == CACHE_PATH
    assert all("SANGKIEN_CACHE_DIR" not in (s.get("env") or {}) for s in steps if s is not check)


def test_only_the_main_branch_saves_the_cache_with_the_key_the_check_looks_for():
    wf = load(WORKFLOWS / "cache.yml")
    assert wf["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert wf["permissions"] == {"contents": "read"} and all("permissions" not in job for job in wf["jobs"].values())
    [(name, job)] = wf["jobs"].items()
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and "ref" not in steps[0]["with"]
    assert steps[0]["with"]["path"] == "ma-kiem-tra"  # the same file names as the trusted check's hashFiles
    [(at, restore), (save_at, save)] = cache_steps(wf)
    install = next(i for i, s in enumerate(steps) if "pip install" in s.get("run", ""))
    check = next(i for i, s in enumerate(steps) if "sangkien validate" in s.get("run", ""))
    assert at < install < check < save_at == len(steps) - 1
    assert restore["uses"].startswith("actions/cache/restore@") and save["uses"].startswith("actions/cache/save@")
    trusted = load(WORKFLOWS / "validate.yml")
    [(_, looked_for)] = cache_steps(trusted)
    assert restore["with"] == looked_for["with"]  # same key, same prefix, same path (the path is part of the cache's version)
    assert save["with"] == {"path": CACHE_PATH, "key": f"${{{{ steps.{restore['id']}.outputs.cache-primary-key }}}}"}
    assert steps[check]["env"]["SANGKIEN_CACHE_DIR"] == CACHE_PATH and "--root ma-kiem-tra" in steps[check]["run"]
    python = [s["with"]["python-version"] for s in steps if s.get("uses", "").startswith("actions/setup-python@")]
    assert python == [s["with"]["python-version"] for s in trusted["jobs"]["kiem-tra"]["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
    assert job_env(trusted)["PYTHONSAFEPATH"] == job["env"]["PYTHONSAFEPATH"] == "1"


def test_deploy_workflow_grants_pages_rights_to_the_deploy_job_only():
    wf = load(WORKFLOWS / "pages.yml")
    assert wf["on"]["push"] == {"branches": ["main"]}
    assert wf["permissions"] == {"contents": "read"}
    build, deploy = wf["jobs"]["dung-trang"], wf["jobs"]["xuat-ban"]
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"} and deploy["needs"] == "dung-trang"
    runs = [s.get("run", "") for s in build["steps"]]
    assert "sangkien validate" in runs and any(r.startswith("mkdocs build --strict") for r in runs)
    assert build["steps"][0]["with"]["persist-credentials"] is False
    assert build["steps"][-1]["uses"].startswith("actions/upload-pages-artifact@")
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@") and deploy["environment"]["name"] == "github-pages"


def test_pull_request_template_is_a_vietnamese_checklist():
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert text.count("<!--") == text.count("-->")
    assert text.count("- [ ]") >= 6
    for words in ("một** đơn vị", "thông tin cá nhân", "decisions.yaml", "kiem-tra", "Cách sửa"):
        assert words in text


# ---------------------------------------------------------------- ci report

def problem(n: int, severity: str = "error", message: str | None = None) -> dict:
    return {"code": "SK201" if severity == "error" else "SK219", "severity": severity, "file": f"entries/d/u/bai-{n}.md",
            "line": n, "column": 1, "message": message or f"Thiếu trường title ở bài {n}. Cách sửa: Thêm trường còn thiếu."}


def report(repo, tmp_path, problems: list[dict]):
    path, summary = tmp_path / "bao-cao.json", tmp_path / "summary.md"
    path.write_text(json.dumps({"problems": problems, "checked": 40}, ensure_ascii=False), encoding="utf-8")
    summary.write_text("", encoding="utf-8")
    done = repo.run("ci", "report", str(path), "--summary", str(summary))
    return done, summary.read_text(encoding="utf-8")


def test_report_keeps_ten_annotations_errors_first_and_counts_the_rest(repo, tmp_path):
    problems = [problem(n, "warning") for n in range(1, 6)] + [problem(n) for n in range(6, 26)]
    done, summary = report(repo, tmp_path, problems)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    commands = [line for line in lines if line.startswith(("::error ", "::warning "))]
    assert len(commands) == 10 and all(c.startswith("::error ") for c in commands)
    assert "Còn 15 vấn đề nữa không hiện thành chú thích (máy chủ Git chỉ hiện 10)" in done.stdout
    stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[stop].split("::")[2]
    assert lines[-1] == f"::{token}::" and len(token) == 32
    assert "Đã kiểm tra 40 tệp: 20 lỗi, 5 cảnh báo." in done.stdout
    assert summary.startswith("## Kết quả kiểm tra: CHƯA ĐẠT")
    assert summary.count("\n| ") == 26  # header + every problem


def test_report_passes_with_warnings_only(repo, tmp_path):
    done, summary = report(repo, tmp_path, [problem(1, "warning")])
    assert done.returncode == 0 and "ĐẠT ✅" in summary and "cảnh báo" in summary


def test_summary_escapes_user_text_and_stays_under_one_mebibyte(repo, tmp_path):
    sly = "Giá trị «<img src=x onerror=alert(1)> | a\n::error::giả mạo» không hợp lệ. Cách sửa: Sửa lại."
    long = "Thiếu trường. " * 40
    problems = [problem(0, message=sly)] + [problem(n, message=long + str(n)) for n in range(1, 4001)]
    done, summary = report(repo, tmp_path, problems)
    assert done.returncode == 1
    assert len(summary.encode("utf-8")) < 1024 * 1024
    assert "&lt;img src=x onerror=alert(1)&gt; \\| a ::error::giả mạo" in summary and "<img" not in summary
    assert re.search(r"Còn \d+ vấn đề nữa không hiện ở đây vì trang tóm tắt giới hạn 1 MiB", summary)
    annotation = next(line for line in done.stdout.splitlines() if "giả mạo" in line and line.startswith("::error "))
    assert "%0A::error::giả mạo" in annotation  # the newline cannot start a new command
    stop = done.stdout.index("::stop-commands::")
    assert done.stdout.index("\n::error::giả mạo") > stop  # in the full list, commands are off


def test_report_that_is_missing_or_broken(repo, tmp_path):
    done = repo.run("ci", "report", str(tmp_path / "khong-co.json"))
    assert done.returncode == 2 and "SK612" in done.stderr and "Traceback" not in done.stderr
    (tmp_path / "hong.json").write_text('{"problems": [{"code": 1}]}', encoding="utf-8")
    assert repo.run("ci", "report", str(tmp_path / "hong.json")).returncode == 2


# ---------------------------------------------------------------- CODEOWNERS

def test_codeowners_generated_checked_and_regenerated(repo):
    assert repo.run("codeowners", "--check").returncode == 1
    done = repo.run("codeowners")
    assert done.returncode == 0 and "Đã ghi .github/CODEOWNERS" in done.stdout
    text = repo.read(".github/CODEOWNERS")
    lines = text.splitlines()
    assert lines[0].startswith("# Tệp này do lệnh «sangkien codeowners» tạo ra")
    assert "* @sonoivu-demo" in lines
    assert "/entries/*/tn-ct-an-binh/ @anbinh-demo @sonoivu-demo" in lines
    assert "/entries/units.yaml @sonoivu-demo" in lines and "/entries/*/campaign.yaml @sonoivu-demo" in lines
    assert lines[-1] == "/entries/*/decisions.yaml @hoidong-demo"  # last match wins: decisions stay with the council
    assert lines.index("* @sonoivu-demo") < lines.index("/entries/*/tn-ct-an-binh/ @anbinh-demo @sonoivu-demo")
    assert repo.run("codeowners", "--check").returncode == 0
    assert "không cần ghi lại" in repo.run("codeowners").stdout
    registry = repo.read("entries/units.yaml").replace("accounts: [anbinh-demo]", "accounts: [anbinh-demo, anbinh-vanthu]", 1)
    assert "anbinh-vanthu" in registry
    repo.write("entries/units.yaml", registry)
    stale = repo.run("codeowners", "--check")
    assert stale.returncode == 1
    assert "Lỗi SK610: tệp .github/CODEOWNERS chưa khớp với danh mục đơn vị (entries/units.yaml)" in stale.stdout
    assert "+/entries/*/tn-ct-an-binh/ @anbinh-demo @anbinh-vanthu @sonoivu-demo" in stale.stdout
    assert repo.read(".github/CODEOWNERS") == text  # --check never writes
    assert repo.run("codeowners").returncode == 0 and repo.run("codeowners", "--check").returncode == 0
    assert repo.run("codeowners", "--output", ".gitlab/CODEOWNERS").returncode == 0
    assert repo.read(".gitlab/CODEOWNERS") == repo.read(".github/CODEOWNERS")


def test_codeowners_refuses_a_broken_registry(repo):
    repo.write("entries/units.yaml", "organisers: [a\n")
    done = repo.run("codeowners")
    assert done.returncode == 2 and "sangkien validate entries/units.yaml" in done.stderr
    assert not (repo.path / ".github" / "CODEOWNERS").exists()


# ---------------------------------------------------------------- GitLab

def test_gitlab_ci_structure():
    """The trusted job lives in .gitlab/ci/kiem-tra.yml (read from main through the project's CI
    configuration path); the root .gitlab-ci.yml, read from the submitter's branch, only fails."""
    ci = yaml.safe_load((ROOT / ".gitlab" / "ci" / "kiem-tra.yml").read_text(encoding="utf-8"))
    assert ci["workflow"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    job = ci["kiem-tra"]
    assert job["variables"]["GIT_DEPTH"] == "0" and job["variables"]["GIT_SUBMODULE_STRATEGY"] == "none"
    script = "\n".join(job["script"])
    for words in ("sangkien ci event --host gitlab", "/versions", "$CI_MERGE_REQUEST_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID",
                  'sangkien validate --trusted --root "$data"', '--actor "$SK_ACTOR"', 'sangkien codeowners --check --root "$data"',
                  'python -m pip install --quiet ./ma-kiem-tra'):
        assert words in script, words
    assert "CI_PROJECT_ID/" not in script and "GITLAB_USER_LOGIN" not in script
    assert job["artifacts"]["when"] == "always"
    stub = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    [name] = [k for k in stub if k != "workflow"]
    assert stub[name]["script"][-1] == "exit 1" and "SK614" in stub[name]["script"][0] and "pip install" not in str(stub)


# ---------------------------------------------------------------- the guides

def test_guides_example_entry_is_valid_and_rules_are_documented(repo):
    guide = (ROOT / "docs" / "huong-dan" / "nop-bai.md").read_text(encoding="utf-8")
    example = re.search(r"```markdown\n(.*?)```", guide, re.S).group(1)
    rel = "entries/chau-thanh-2024/tn-ct-an-binh/tra-cuu-ho-so-dat-dai-qua-ma-qr.md"
    repo.write(rel, example)
    done = repo.run("validate", rel)
    assert done.returncode == 0 and "0 lỗi, 0 cảnh báo" in done.stdout, done.stdout
    for words in ("Fork", "Create fork", "Create new file", "Create pull request", "Details", "Commit directly to",
                  "thời điểm tạo yêu cầu hợp nhất", "sau hạn chót không sửa bài nữa", "quy-trinh-kiem-tra.md"):
        assert words in guide, words
    process = (ROOT / "docs" / "huong-dan" / "quy-trinh-kiem-tra.md").read_text(encoding="utf-8")
    for words in ("pull_request.created_at", "pull_request.updated_at", "head.repo.pushed_at", "head_commit.timestamp",
                  "late_waivers:", "Require review from Code Owners", "kiem-tra", "base_commit_sha",
                  "CI_MERGE_REQUEST_IID", "CI_MERGE_REQUEST_DIFF_ID", "SANGKIEN_API_TOKEN", "Gitea", "Forgejo", "sangkien codeowners",
                  # the trust model and the settings that hold it up
                  "## Phép kiểm tra tin cậy", "pull_request_target", "zizmor: ignore[dangerous-triggers]", "--trusted",
                  ".gitlab/ci/kiem-tra.yml@<nhóm>/<dự án>:main", "CI_MERGE_REQUEST_PROJECT_ID", "Minimum role to use pipeline variables",
                  "Protected file patterns", "không thay được người duyệt", "Require workflows to pass before merging",
                  # the warm cache: where it comes from, why a pull request never writes it
                  ".github/workflows/cache.yml", "actions/cache/restore", "SANGKIEN_CACHE_DIR", "**không bao giờ lưu**"):
        assert words in process, words


def test_repository_codeowners_is_up_to_date():
    """The shipped .github/CODEOWNERS matches the shipped registry (CI checks it on every PR too)."""
    from conftest import ROOT, run_sangkien

    done = run_sangkien("codeowners", "--check", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
