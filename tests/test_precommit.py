"""The published pre-commit hooks, run by the real pre-commit client against this repository
from a consumer repository that has only entries/ (no schema/: the installed copy's schemas)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import virtualenv
import yaml
from conftest import ROOT, git
from helpers.pr_replay import entry_text

GOOD = "entries/chau-thanh-2024/tn-ct-an-binh/tra-cuu-ho-so-dat-dai-qua-ma-qr.md"
BAD = "entries/chau-thanh-2024/tn-ct-an-binh/phieu-hen-dien-tu.md"


def pre_commit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True, check=False, env=_env())


def _env() -> dict[str, str]:
    """try-repo builds a fresh virtualenv and pip-installs the hook repository into it each time.
    Offline and fast: the venv sees this interpreter's packages (the dependencies are already
    installed here), and the build backend (setuptools) comes from virtualenv's own seed wheels.
    Set SANGKIEN_TEST_PRECOMMIT_ONLINE=1 to install everything from the package index instead."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GITHUB_", "GITLAB_"))}
    env.update(PYTHONIOENCODING="utf-8", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_COMPILE="1")
    embed = Path(virtualenv.__file__).parent / "seed" / "wheels" / "embed"
    if not os.environ.get("SANGKIEN_TEST_PRECOMMIT_ONLINE") and any(embed.glob("setuptools-*.whl")):
        env.update(VIRTUALENV_SYSTEM_SITE_PACKAGES="1", PIP_NO_INDEX="1", PIP_FIND_LINKS=str(embed))
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[str, str]:
    """This repository at its current commit; a committed snapshot of its working tree when it
    is not a Git checkout with the hooks file (a source archive, say)."""
    try:
        sha = git(ROOT, "rev-parse", "HEAD")
        git(ROOT, "cat-file", "-e", f"{sha}:.pre-commit-hooks.yaml")
        return str(ROOT), sha
    except subprocess.CalledProcessError:
        snap = tmp_path_factory.mktemp("sangkien-snapshot")
        for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "LICENSE"):
            if (ROOT / name).exists():
                shutil.copy2(ROOT / name, snap / name)
        for name in ("tools", "schema"):
            shutil.copytree(ROOT / name, snap / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        git(snap, "init", "-q", "-b", "main")
        git(snap, "add", "-A")
        git(snap, "commit", "-q", "-m", "snapshot")
        return str(snap), git(snap, "rev-parse", "HEAD")


@pytest.fixture
def consumer(tmp_path) -> Path:
    """A unit's or a province's repository: the registry, one campaign, one good entry."""
    dest = tmp_path / "kho-tinh"
    (dest / "entries" / "chau-thanh-2024").mkdir(parents=True)
    shutil.copy2(ROOT / "entries" / "units.yaml", dest / "entries" / "units.yaml")
    shutil.copy2(ROOT / "entries" / "chau-thanh-2024" / "campaign.yaml", dest / "entries" / "chau-thanh-2024" / "campaign.yaml")
    good = dest / GOOD
    good.parent.mkdir(parents=True)
    good.write_text(entry_text(good.stem, "tn-ct-an-binh", "2024-06-20", "Tra cứu hồ sơ đất đai qua mã QR trên giấy biên nhận"), encoding="utf-8")
    (dest / "README.md").write_text("# Kho sáng kiến của tỉnh\n", encoding="utf-8")
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "kho ban đầu")
    return dest


def test_hook_manifest_and_this_repositorys_config_are_valid():
    assert pre_commit("validate-manifest", ".pre-commit-hooks.yaml", cwd=ROOT).returncode == 0
    assert pre_commit("validate-config", ".pre-commit-config.yaml", cwd=ROOT).returncode == 0
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["sangkien-validate"]["files"] == "^entries/" and hooks["sangkien-validate"].get("pass_filenames", True)
    assert hooks["sangkien-validate-all"]["always_run"] is True and hooks["sangkien-validate-all"]["pass_filenames"] is False
    assert all(h["language"] == "python" and h["entry"] == "sangkien validate" for h in hooks.values())
    local = next(r for r in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"] if r["repo"] == "local")
    for hook in local["hooks"]:
        if hook["id"] in hooks:  # the same entry points as the published hooks
            assert hook["entry"] == hooks[hook["id"]]["entry"] and hook.get("files") == hooks[hook["id"]].get("files")


def test_try_repo_passes_a_good_entry(hook_repo, consumer):
    path, sha = hook_repo
    done = pre_commit("try-repo", path, "--ref", sha, "--all-files", cwd=consumer)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sangkien: kiểm tra các bài vừa thay đổi" in done.stdout and "sangkien: kiểm tra toàn bộ kho" in done.stdout
    assert done.stdout.count("Passed") == 2


def test_try_repo_fails_a_bad_entry_and_always_rechecks_everything(hook_repo, consumer):
    path, sha = hook_repo
    text = entry_text("phieu-hen-dien-tu", "tn-ct-an-binh", "2024-06-20", "Phiếu hẹn điện tử gửi qua Zalo")
    (consumer / BAD).write_text(text.replace("participation: ca-nhan", "participation: ca nhan").replace("contribution: 100", "contribution: 90"),
                                encoding="utf-8")
    (consumer / "README.md").write_text("# Kho sáng kiến của tỉnh\n\nĐã thêm bài.\n", encoding="utf-8")
    git(consumer, "add", "-A")
    git(consumer, "commit", "-q", "-m", "thêm bài")
    done = pre_commit("try-repo", path, "--ref", sha, "--files", "README.md", cwd=consumer)  # a change that is not an entry
    assert done.returncode == 1
    out = done.stdout
    assert "sangkien: kiểm tra các bài vừa thay đổi" in out and "(no files to check)" in out
    assert "sangkien: kiểm tra toàn bộ kho" in out and "Failed" in out
    assert f"{BAD}:7:16: lỗi SK204: Dòng 7: «Hình thức tham gia» (participation) có giá trị «ca nhan» không nằm trong danh sách cho phép." in out
    assert "SK214" in out and "Có phải ý bạn là «ca-nhan»?" in out
    assert GOOD not in out
