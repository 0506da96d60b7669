"""Helpers shared by subcommands: where the repository is, and parsing a reference time."""

from __future__ import annotations

import argparse
import subprocess
from datetime import datetime
from pathlib import Path
from typing import TypeAlias

from sangkien import vntime

# What `add_subparsers()` returns, given to each command's register(). argparse's class is not
# subscriptable at run time: a string alias, read by the type checker only.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def find_root(start: Path | None = None) -> Path:
    """The repository root: the Git top level, else the nearest folder with entries/."""
    here = (start or Path.cwd()).resolve()
    try:
        top = subprocess.run(["git", "-C", str(here), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False)
        if top.returncode == 0 and top.stdout.strip():
            return Path(top.stdout.strip())
    except OSError:
        pass
    for folder in (here, *here.parents):
        if (folder / "entries").is_dir():
            return folder
    return here


def instant(text: str) -> datetime:
    try:
        return vntime.parse_instant(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(
            f"«{text}» không phải thời điểm ISO 8601 có múi giờ, ví dụ 2024-06-25T23:59:59+07:00 (mã SK903)") from err


def add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None, help="thư mục gốc của kho (mặc định: kho Git hiện tại)")
