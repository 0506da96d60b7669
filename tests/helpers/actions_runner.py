"""Run one job of a GitHub Actions workflow on this machine, as the host would, for tests.

The steps are the workflow file's own (parsed, never copied into a test). What the host does,
this does too:
- `pull_request_target` reads the workflow from the base branch's commit (`github.sha`), not
  from the pull request;
- `${{ … }}` in `with:`, `env:` and `if:` is evaluated from the event payload, `github.sha`,
  `runner.temp` and earlier steps' outputs and outcomes;
- `actions/checkout` fetches `ref` (default `github.sha`) from the server repository, where the
  pull request's head is `refs/pull/N/head` as on GitHub, into `path`, `fetch-depth` deep;
- `run:` runs as the host's default shell, `bash --noprofile --norc -eo pipefail`, in the
  workspace, with $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, $GITHUB_EVENT_PATH and $RUNNER_TEMP;
- a step without `if:` runs only while every earlier step succeeded.
- `hashFiles('pattern', …)` hashes the workspace's files that match (sha256 of the sha256 of
  each file, in path order: not the host's digest, but equal inputs give equal keys).
Stand-ins: `actions/setup-python` (the caller's virtual environment is first on PATH, so the
job's `pip install` installs into it for real, offline), `actions/upload-artifact` (the
path is recorded) and `actions/cache/restore` / `actions/cache/save`, backed by a local folder
that several runners can share (`caches`): an exact key, else the newest key starting with
one of the `restore-keys` lines; a key is saved once and never replaced, as on the host.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
HASH_FILES = re.compile(r"hashFiles\((.*)\)")


@dataclass
class Step:
    name: str
    outcome: str  # success | failure | skipped
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class Job:
    steps: list[Step] = field(default_factory=list)
    artifacts: list[Path] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(s.outcome != "failure" for s in self.steps)

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    def log(self) -> str:
        return "\n".join(f"== {s.name}: {s.outcome} ({s.returncode})\n{s.stdout}{s.stderr}" for s in self.steps)


def workflow_at(server: Path, commit: str, rel: str) -> dict:
    """A workflow file as committed at `commit` (YAML 1.1 reads the key `on` as True)."""
    text = subprocess.run(["git", "-C", str(server), "show", f"{commit}:{rel}"], capture_output=True, text=True, check=True).stdout
    data = yaml.safe_load(text)
    data["on"] = data.pop(True, data.get("on"))
    return data


class Runner:
    def __init__(self, server: Path, folder: Path, event_name: str, payload: dict, venv: Path, base_tip: str,
                 caches: Path | None = None) -> None:
        self.server = server
        self.caches = caches if caches is not None else folder / "caches"  # the host's cache service
        self.workspace = folder / "work"
        self.temp = folder / "temp"
        for path in (self.workspace, self.temp):
            path.mkdir(parents=True, exist_ok=True)
        self.event_path = folder / "event.json"
        self.event_path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        self.context = {"github": {"event": payload, "event_name": event_name, "sha": base_tip, "workspace": str(self.workspace)},
                        "runner": {"temp": str(self.temp), "os": "Linux"}, "steps": {}}
        self.venv = venv
        self.event_name = event_name
        self.ok = True  # no step has failed yet

    # ---------------------------------------------------------------- expressions
    def value(self, expr: str) -> object:
        expr = expr.strip()
        if expr.startswith("'") and expr.endswith("'"):
            return expr[1:-1]
        found = HASH_FILES.fullmatch(expr)
        if found:
            return self.hash_files(re.findall(r"'([^']*)'", found.group(1)))
        node: object = self.context
        for part in expr.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node

    def condition(self, text: str) -> bool:
        inner = EXPRESSION.fullmatch(text.strip())
        expr = inner.group(1) if inner else text
        results = []
        for term in expr.split("&&"):
            term = term.strip()
            if term == "!cancelled()":
                results.append(True)
            elif term in ("success()",):
                results.append(self.ok)
            elif term == "always()":
                results.append(True)
            elif "!=" in term:
                left, right = term.split("!=", 1)
                results.append(self.value(left) != self.value(right))
            elif "==" in term:
                left, right = term.split("==", 1)
                results.append(self.value(left) == self.value(right))
            else:
                raise AssertionError(f"expression not understood by the test runner: {term!r}")
        return all(results)

    def expand(self, text: object) -> object:
        if not isinstance(text, str):
            return text
        return EXPRESSION.sub(lambda m: str(self.value(m.group(1)) if self.value(m.group(1)) is not None else ""), text)

    # ---------------------------------------------------------------- steps
    def run_job(self, workflow: dict, job_id: str) -> Job:
        job = workflow["jobs"][job_id]
        out = Job()
        self.ok = True
        job_env = {k: str(self.expand(v)) for k, v in (job.get("env") or {}).items()}
        for number, step in enumerate(job["steps"]):
            name = step.get("name") or step.get("uses") or f"step {number}"
            if ("if" in step and not self.condition(str(step["if"]))) or ("if" not in step and not self.ok):
                out.steps.append(Step(name, "skipped"))
                continue
            if "uses" in step:
                result = self.action(step["uses"], {k: self.expand(v) for k, v in (step.get("with") or {}).items()}, out)
            else:
                result = self.shell(step, job_env, number)
            result.name = name
            out.steps.append(result)
            if step.get("id"):
                self.context["steps"][step["id"]] = {"outcome": result.outcome, "outputs": result.outputs}
            if result.outcome == "failure":
                self.ok = False
        return out

    def action(self, uses: str, options: dict, job: Job) -> Step:
        name = uses.split("@", 1)[0]
        if name == "actions/checkout":
            return self.checkout(options)
        if name == "actions/setup-python":
            return Step(uses, "success")
        if name == "actions/upload-artifact":
            job.artifacts.append(Path(str(options["path"])))
            return Step(uses, "success")
        if name == "actions/cache/restore":
            return self.restore_cache(options)
        if name == "actions/cache/save":
            return self.save_cache(options)
        raise AssertionError(f"the test runner does not stand in for {uses}")

    def checkout(self, options: dict) -> Step:
        assert options.get("persist-credentials") is False, "every checkout must drop the token"
        target = self.workspace / str(options.get("path") or "")
        ref = str(options.get("ref") or self.context["github"]["sha"])
        depth = int(options.get("fetch-depth", 1))
        target.mkdir(parents=True, exist_ok=True)
        commands = [["init", "-q"], ["remote", "add", "origin", self.server.as_uri()]]
        if depth == 0:
            commands.append(["fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*"])
            commands.append(["fetch", "-q", "origin", ref])
        else:
            commands.append(["fetch", "-q", f"--depth={depth}", "origin", ref])
        commands.append(["checkout", "-q", "--detach", "FETCH_HEAD"])
        for args in commands:
            done = subprocess.run(["git", "-C", str(target), *args], capture_output=True, text=True, check=False)
            if done.returncode != 0:
                return Step("checkout", "failure", done.returncode, done.stdout, done.stderr)
        return Step("checkout", "success", 0)

    # ---------------------------------------------------------------- the cache service
    def hash_files(self, patterns: list[str]) -> str:
        chosen: set[str] = set()
        for pattern in patterns:
            matched = {p for p in glob.glob(str(self.workspace / pattern.lstrip("!")), recursive=True) if os.path.isfile(p)}
            chosen = chosen - matched if pattern.startswith("!") else chosen | matched
        if not chosen:
            return ""
        h = hashlib.sha256()
        for path in sorted(chosen):
            h.update(hashlib.sha256(Path(path).read_bytes()).digest())
        return h.hexdigest()

    def saved_caches(self) -> list[str]:
        index = self.caches / "index.json"
        return json.loads(index.read_text(encoding="utf-8")) if index.is_file() else []

    def restore_cache(self, options: dict) -> Step:
        key, target = str(options["key"]), Path(str(options["path"]))
        prefixes = [line.strip() for line in str(options.get("restore-keys") or "").splitlines() if line.strip()]
        saved = self.saved_caches()
        matched = key if key in saved else next((k for prefix in prefixes for k in reversed(saved) if k.startswith(prefix)), None)
        step = Step("actions/cache/restore", "success", 0, outputs={"cache-primary-key": key, "cache-hit": str(matched == key).lower()})
        if matched is not None:
            shutil.copytree(self.caches / str(saved.index(matched)), target, dirs_exist_ok=True)
            step.outputs["cache-matched-key"] = matched
            step.stdout = f"Cache restored from key: {matched}\n"
        return step

    def save_cache(self, options: dict) -> Step:
        key, source = str(options["key"]), Path(str(options["path"]))
        saved = self.saved_caches()
        if key in saved:  # the host refuses to replace a key (a warning, not a failure)
            return Step("actions/cache/save", "success", 0, stdout=f"Cache already exists: {key}\n")
        self.caches.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, self.caches / str(len(saved)))
        (self.caches / "index.json").write_text(json.dumps([*saved, key]), encoding="utf-8")
        return Step("actions/cache/save", "success", 0, stdout=f"Cache saved with key: {key}\n")

    def shell(self, step: dict, job_env: dict[str, str], number: int) -> Step:
        output = self.temp / f"output-{number}"
        output.write_text("", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GITLAB_", "CI_", "RUNNER_", "SANGKIEN_", "PIP_", "VIRTUAL_ENV"))}
        env.update(PATH=f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", PYTHONIOENCODING="utf-8",
                   # offline: the job's pip install builds from local sources with the build tools already here
                   PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0",
                   GITHUB_ACTIONS="true", GITHUB_EVENT_NAME=self.event_name, GITHUB_EVENT_PATH=str(self.event_path),
                   GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(self.temp / f"summary-{number}.md"),
                   GITHUB_WORKSPACE=str(self.workspace), GITHUB_SHA=str(self.context["github"]["sha"]), RUNNER_TEMP=str(self.temp))
        env.update(job_env)
        env.update({k: str(self.expand(v)) for k, v in (step.get("env") or {}).items()})
        cwd = self.workspace / str(step.get("working-directory") or "")
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=cwd, env=env,
                              capture_output=True, text=True, check=False)
        result = Step("run", "success" if done.returncode == 0 else "failure", done.returncode, done.stdout, done.stderr)
        result.outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
        return result


def make_venv(folder: Path) -> Path:
    """A virtual environment that sees this machine's libraries (no downloads) but installs into
    itself: the job's `pip install` puts the checked-out sangkien there, shadowing the one under test."""
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(folder)], check=True)
    return folder


def summary(runner: Runner) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(runner.temp.glob("summary-*.md")))


def copy_project(root: Path, dest: Path, names: tuple[str, ...]) -> None:
    for name in names:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".sangkien-cache", "*.egg-info"))
        elif source.exists():
            shutil.copy2(source, dest / name)
