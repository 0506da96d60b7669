"""Publishing the catalogue from a province's fork: the GitHub Pages workflow, the GitLab Pages
job and how it is included without weakening the trusted check, the documented Gitea/Forgejo job,
and the «Triển khai cho tỉnh» guide that ties them together."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, site_copy
from test_workflows import PINNED, WORKFLOWS, load, tool

PAGES = WORKFLOWS / "pages.yml"
GITLAB = ROOT / ".gitlab" / "ci"
GUIDE = ROOT / "docs" / "huong-dan" / "trien-khai-cho-tinh.md"


# ---------------------------------------------------------------- GitHub Pages

def test_pages_workflow_lints_clean_on_its_own(tmp_path):
    """test_workflows.py lints the whole folder; here the file alone, so a finding names it."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "pages.yml").write_bytes(PAGES.read_bytes())
    lint = subprocess.run([tool("actionlint"), "-no-color", str(folder / "pages.yml")], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert lint.returncode == 0 and lint.stdout == "", lint.stdout + lint.stderr
    for persona in ("regular", "pedantic"):
        audit = subprocess.run([tool("zizmor"), "--offline", "--persona", persona, str(folder)], capture_output=True, text=True, check=False)
        assert audit.returncode == 0 and "No findings" in audit.stdout, audit.stdout + audit.stderr


def test_pages_workflow_structure():
    wf = load(PAGES)
    assert wf["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert wf["permissions"] == {"contents": "read"}
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = wf["jobs"]["dung-trang"], wf["jobs"]["xuat-ban"]
    assert "permissions" not in build  # the build reads only
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"} and deploy["needs"] == "dung-trang"
    assert deploy["environment"]["name"] == "github-pages"
    [step] = deploy["steps"]
    assert step["uses"].startswith("actions/deploy-pages@")
    # Gitea and Forgejo read .github/workflows/ too, and have no Pages: the build job skips there.
    assert build["if"] == "${{ github.server_url == 'https://github.com' }}"
    steps = build["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"] == {"persist-credentials": False}
    runs = [s.get("run", "") for s in steps]
    install = runs.index("python -m pip install --quiet .")  # the repository's own package, as a user installs it
    check = runs.index("sangkien validate")
    build_at = next(i for i, r in enumerate(runs) if r.startswith("mkdocs build"))
    assert install < check < build_at
    assert steps[build_at]["env"] == {"SANGKIEN_DEPLOY": "1"}
    site_dir = re.search(r"--site-dir (\S+)", runs[build_at]).group(1)
    upload = steps[-1]
    assert upload["uses"].startswith("actions/upload-pages-artifact@") and upload["with"] == {"path": site_dir}
    assert build["env"]["PYTHONSAFEPATH"] == "1"
    for line in PAGES.read_text(encoding="utf-8").splitlines():
        if "uses:" in line:
            assert PINNED.match(line), line


def run_step(kho: Path, command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A workflow's shell line as the host runs it (bash -eo pipefail), with the step's variables."""
    full = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8", **env}
    full.pop("SANGKIEN_NOW", None)
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command], cwd=kho, env=full,
                          capture_output=True, text=True, check=False)


@pytest.fixture
def kho(tmp_path: Path) -> Path:
    return site_copy(tmp_path / "kho")


def with_site_url(kho: Path, url: str) -> None:
    config = kho / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^site_url:.*\n", "", text)
    if url:
        text = text.replace("site_name:", f"site_url: {url}\nsite_name:", 1)
    config.write_text(text, encoding="utf-8")


def test_the_deploy_build_needs_site_url_and_then_writes_absolute_links(kho):
    """The workflow's own build step (read from the file) refuses a build without site_url,
    in Vietnamese, and with it writes a sitemap of absolute addresses."""
    steps = load(PAGES)["jobs"]["dung-trang"]["steps"]
    step = next(s for s in steps if s.get("run", "").startswith("mkdocs build"))
    with_site_url(kho, "")  # no site_url line at all, as in a fresh fork
    refused = run_step(kho, step["run"], step["env"])
    assert refused.returncode != 0
    assert "site_url" in refused.stderr + refused.stdout and "Cách sửa" in refused.stderr + refused.stdout
    assert not (kho / "_site" / "index.html").exists()

    with_site_url(kho, "https://sangkien.example.gov.vn/")
    done = run_step(kho, step["run"], step["env"])
    assert done.returncode == 0, done.stdout + done.stderr
    sitemap = (kho / "_site" / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locations and all(loc.startswith("https://sangkien.example.gov.vn/") for loc in locations)


# ---------------------------------------------------------------- GitLab Pages

def gitlab(name: str) -> dict:
    return yaml.safe_load((GITLAB / name).read_text(encoding="utf-8"))


def _condition(expr: str, env: dict[str, str]) -> bool:
    """GitLab's `rules:if` for the forms these files use: $VAR, "…", ==, !=, &&, ||, parentheses."""
    python = re.sub(r"\$([A-Z_]+)", lambda m: repr(env.get(m.group(1))), expr)
    python = python.replace("&&", " and ").replace("||", " or ")
    return bool(eval(python, {"__builtins__": {}}, {}))  # noqa: S307 - our own files, a fixed grammar


def _runs(rules: list[dict] | None, env: dict[str, str]) -> bool:
    if rules is None:
        return True
    for rule in rules:
        if _condition(rule["if"], env):
            return rule.get("when", "on_success") != "never"
    return False


def pipeline(env: dict[str, str]) -> set[str] | None:
    """The jobs GitLab would create from the configuration the project points at: the included
    files first, then the file's own keys merged over them (as GitLab does); None: no pipeline."""
    top = gitlab("kiem-tra-va-trang.yml")
    merged: dict = {}
    [include] = top["include"]
    for name in include["file"]:
        for key, value in yaml.safe_load((ROOT / name).read_text(encoding="utf-8")).items():
            merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
    for key, value in top.items():
        if key != "include":
            merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
    if not _runs(merged["workflow"]["rules"], env):
        return None
    return {name for name, job in merged.items() if isinstance(job, dict) and "script" in job and _runs(job.get("rules"), env)}


MR = {"CI_PIPELINE_SOURCE": "merge_request_event", "CI_DEFAULT_BRANCH": "main", "CI_MERGE_REQUEST_IID": "7"}


def test_gitlab_pipelines_check_merge_requests_and_publish_main_only():
    assert pipeline(MR) == {"kiem-tra"}
    assert pipeline({**MR, "CI_COMMIT_BRANCH": None}) == {"kiem-tra"}
    push_main = {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main"}
    assert pipeline(push_main) == {"pages"}
    assert pipeline({**push_main, "CI_PIPELINE_SOURCE": "web"}) == {"pages"}
    assert pipeline({**push_main, "CI_COMMIT_BRANCH": "nop-bai"}) is None  # a unit's branch never publishes
    assert pipeline({**push_main, "CI_PIPELINE_SOURCE": "schedule"}) is None


def test_gitlab_includes_come_from_main_never_from_the_submission():
    """The trusted check's design: the configuration is read from main through the project's CI
    configuration path. Files it includes must come from main too: include:project with ref main,
    never include:local (depending on the GitLab version, that reads the commit being tested)."""
    top = gitlab("kiem-tra-va-trang.yml")
    [include] = top["include"]
    assert set(include) == {"project", "ref", "file"} and include["ref"] == "main" and include["project"] == "$CI_PROJECT_PATH"
    assert include["file"] == [".gitlab/ci/kiem-tra.yml", ".gitlab/ci/trang.yml"]
    for name in ("kiem-tra-va-trang.yml", "trang.yml", "kiem-tra.yml"):
        assert "local:" not in (GITLAB / name).read_text(encoding="utf-8"), name
    # The entry file only narrows the trusted job to merge requests; it changes nothing else of it.
    assert top["kiem-tra"] == {"rules": [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]}
    text = (GITLAB / "kiem-tra-va-trang.yml").read_text(encoding="utf-8")
    assert ".gitlab/ci/kiem-tra-va-trang.yml@<nhóm>/<dự án>:main" in text and "No one allowed" in text


def test_gitlab_pages_job():
    job = gitlab("trang.yml")["pages"]
    assert set(gitlab("trang.yml")) == {"pages"}  # no workflow of its own: the including file decides
    assert job["artifacts"]["paths"] == ["public"] and job["stage"] == "deploy"
    assert job["variables"]["SANGKIEN_DEPLOY"] == "1" and job["variables"]["PYTHONSAFEPATH"] == "1"
    assert job["script"] == ["python -m pip install --quiet .", "sangkien validate", "mkdocs build --strict --site-dir public"]
    assert job["rules"][0] == {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"', "when": "never"}


def test_gitlab_pages_build_refuses_a_fork_without_site_url(kho):
    job = gitlab("trang.yml")["pages"]
    with_site_url(kho, "")
    done = run_step(kho, job["script"][-1], {k: str(v) for k, v in job["variables"].items()})
    assert done.returncode != 0 and "site_url" in done.stdout + done.stderr
    assert not (kho / "public" / "index.html").exists()


# ---------------------------------------------------------------- Gitea / Forgejo

def test_no_gitea_workflow_folder():
    """Gitea reads .gitea/workflows/ INSTEAD of .github/workflows/ when the folder exists: one
    file there would silently drop the trusted check (validate.yml) on Gitea. The Gitea job is
    documented in the guide, to be saved under .github/workflows/."""
    assert not (ROOT / ".gitea" / "workflows").exists()
    assert not (ROOT / ".forgejo" / "workflows").exists()


def documented_gitea_workflow() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    found = re.search(r"<!-- quy-trinh-gitea -->\n```yaml\n(.*?)```", text, re.S)
    assert found, "the guide shows the Gitea/Forgejo workflow in a ```yaml block after <!-- quy-trinh-gitea -->"
    return found.group(1)


def test_documented_gitea_workflow_lints_clean(tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    path = folder / "trang-gitea.yml"
    path.write_text(documented_gitea_workflow(), encoding="utf-8")
    lint = subprocess.run([tool("actionlint"), "-no-color", str(path)], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert lint.returncode == 0 and lint.stdout == "", lint.stdout + lint.stderr
    for persona in ("regular", "pedantic"):
        audit = subprocess.run([tool("zizmor"), "--offline", "--persona", persona, str(folder)], capture_output=True, text=True, check=False)
        assert audit.returncode == 0 and "No findings" in audit.stdout, audit.stdout + audit.stderr
    wf = load(path)
    assert wf["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None} and wf["permissions"] == {"contents": "read"}
    [job] = wf["jobs"].values()
    runs = "\n".join(s.get("run", "") for s in job["steps"])
    assert "mkdocs build --strict" in runs and "rsync" in runs and "${{" not in runs
    assert any((s.get("env") or {}).get("SANGKIEN_DEPLOY") == "1" for s in job["steps"])
    assert "if" not in job  # unlike pages.yml, it runs on any host
    for line in documented_gitea_workflow().splitlines():
        if "uses:" in line:
            assert PINNED.match(line), line


# ---------------------------------------------------------------- the guide

def test_guide_is_in_the_nav_and_names_the_settings():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "huong-dan/trien-khai-cho-tinh.md" in nav
    text = GUIDE.read_text(encoding="utf-8").replace("**", "")  # UI labels are in bold
    for words in (
        # the repository and the site address
        "site_url", "extra.sangkien", "forge", "host", "repository", "branch", "SANGKIEN_DEPLOY",
        # the data
        "entries/units.yaml", "organisers", "council", "sangkien examples --remove", "sangkien codeowners",
        # the hosts' own words
        "Import repository", "Fork", "Settings → Pages", "GitHub Actions", "Rulesets", "Require review from Code Owners",
        "CI/CD configuration file", ".gitlab/ci/kiem-tra-va-trang.yml@<nhóm>/<dự án>:main", "Protected branches",
        "Deploy → Pages", "Migrate", "Enable Repository Actions", "Protected file patterns", ".gitea/workflows",
        # links to the trusted check and the README's commands
        "quy-trinh-kiem-tra.md", 'pip install -e . && mkdocs build', 'pip install -e ".[test]" && python -m pytest',
    ):
        assert words in text, words
