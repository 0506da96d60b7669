"""`sangkien validate` as its own process ends at once when done (cli._exit_at_once): the same
exit status, the whole output through a pipe, the caches written as by a normal exit; a
caller of cli.main(argv) in-process keeps running. And numpy's BLAS is kept to one thread
unless the user says otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import TempRepo, run_sangkien
from helpers.cli import run_cli
from sangkien.commands import validate as validate_command

BAD = "entries/chau-thanh-2024/tn-ct-an-binh/bai-loi-{n:03d}.md"


def _break_many(repo: TempRepo, count: int) -> None:
    """Entries with a schema error each: an output longer than a pipe's buffer."""
    for n in range(count):
        repo.write(BAD.format(n=n), f"---\nid: bai-loi-{n:03d}\ntitle: 5\n---\nNội dung.\n")


def _env(**extra: str) -> dict[str, str]:
    """A process whose standard output is buffered, as a user's is (not PYTHONUNBUFFERED)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **extra}
    for name in ("PYTHONUNBUFFERED", "SANGKIEN_NO_CACHE"):
        env.pop(name, None)
    return env


def test_exit_status_and_whole_output_as_a_process(repo: TempRepo, tmp_path: Path) -> None:
    _break_many(repo, 400)
    cache = tmp_path / "cache"
    env = _env(SANGKIEN_CACHE_DIR=str(cache))
    done = subprocess.run([sys.executable, "-m", "sangkien", "validate"], cwd=repo.path, capture_output=True, env=env, check=False)
    inside = run_cli(["validate"], cwd=repo.path, env={**env, "SANGKIEN_CACHE_DIR": str(tmp_path / "cache-in")})
    assert done.returncode == inside.code == 1
    out = done.stdout.decode("utf-8")
    assert len(out.encode("utf-8")) > 1 << 16  # more than a pipe holds: flushed before the end
    assert out == inside.stdout
    assert out.rstrip().splitlines()[-1].startswith("Đã kiểm tra")
    assert (cache / "validate.sqlite3").is_file()  # written before the process ended
    again = subprocess.run([sys.executable, "-m", "sangkien", "validate"], cwd=repo.path, capture_output=True, env=env, check=False)
    assert again.returncode == 1 and again.stdout == done.stdout


def test_short_output_and_passing_repository(repo: TempRepo) -> None:
    done = subprocess.run([sys.executable, "-m", "sangkien", "validate"], cwd=repo.path, capture_output=True, text=True, env=_env(),
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == run_sangkien("validate", cwd=repo.path).stdout
    assert "Đạt" in done.stdout.rstrip().splitlines()[-1]  # a few bytes left in the buffer: flushed too


def test_in_process_caller_keeps_running(repo: TempRepo) -> None:
    _break_many(repo, 2)
    first = run_cli(["validate"], cwd=repo.path)
    second = run_cli(["validate"], cwd=repo.path)  # still here: main(argv) returned
    assert first.code == second.code == 1 and first.stdout == second.stdout


def test_blas_kept_to_one_thread_unless_set(repo: TempRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []
    real = validate_command.validate

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(os.environ.get("OPENBLAS_NUM_THREADS"))  # what numpy reads when the novelty check loads it
        return real(*args, **kwargs)

    monkeypatch.setattr(validate_command, "validate", spy)
    env = _env()
    env.pop("OPENBLAS_NUM_THREADS", None)
    run_cli(["validate"], cwd=repo.path, env=env)
    run_cli(["validate"], cwd=repo.path, env={**env, "OPENBLAS_NUM_THREADS": "2"})
    assert seen == ["1", "2"]


def test_a_profiler_around_the_command_still_gets_its_results(repo: TempRepo, tmp_path: Path) -> None:
    """cProfile (and coverage tools) write what they measured at a normal exit: under one, the
    command ends normally."""
    out = tmp_path / "validate.prof"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), "-m", "sangkien", "validate"], cwd=repo.path,
                          capture_output=True, text=True, env=_env(), check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Đạt" in done.stdout
    assert out.is_file() and out.stat().st_size > 0
