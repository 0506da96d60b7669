"""Helpers for the council tool tests: a throw-away repository built from tests/fixtures/council/kho.

The fixture repository has its own units, a scored campaign (sk-thu-2024: rubric, tiers, cap, a
late entry with a waiver, one entry screened out) and a thi đua campaign (td-thu-2023), so these
tests do not depend on the numbers of the shipped illustrative data.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
KHO = ROOT / "tests" / "fixtures" / "council" / "kho"
CAMPAIGN = "sk-thu-2024"
DECISIONS = f"entries/{CAMPAIGN}/decisions.yaml"


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Thử nghiệm", "GIT_AUTHOR_EMAIL": "test@example.invalid",
           "GIT_COMMITTER_NAME": "Thử nghiệm", "GIT_COMMITTER_EMAIL": "test@example.invalid"}
    return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, env=env, check=True).stdout


def make_repo(tmp_path: Path) -> Path:
    dest = tmp_path / "kho"
    shutil.copytree(KHO, dest)
    shutil.copytree(ROOT / "schema", dest / "schema")
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "dữ liệu thử")
    return dest


def run(root: Path, *args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real command line in its own process, with --root pointing at the test repository."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "sangkien", *args, "--root", str(root)], cwd=cwd or root.parent,
                          capture_output=True, text=True, env=full_env, check=False)


def entry_rows(path: Path) -> dict[str, int]:
    """Entry id -> row on the visible sheet, read from the sheet itself (column B)."""
    ws = load_workbook(path)["Phiếu chấm"]
    return {ws.cell(row=r, column=2).value: r for r in range(7, ws.max_row + 1) if ws.cell(row=r, column=2).value}


def fill(path: Path, scores: dict[str, tuple], comments: dict[str, str] | None = None, day: str | None = None) -> None:
    """Type scores into columns E.. as a council member would, and save with openpyxl."""
    wb = load_workbook(path)
    ws = wb["Phiếu chấm"]
    rows = {ws.cell(row=r, column=2).value: r for r in range(7, ws.max_row + 1)}
    for entry, values in scores.items():
        for i, value in enumerate(values):
            ws.cell(row=rows[entry], column=5 + i, value=value)
    for entry, text in (comments or {}).items():
        ws.cell(row=rows[entry], column=5 + 4, value=text)
    if day:
        ws["C4"] = day
    wb.save(path)
