"""`sangkien` command line: one subcommand per module in sangkien.commands."""

from __future__ import annotations

import argparse
import importlib
import sys

from sangkien import __version__, cli_i18n

# Each module defines register(subparsers) and a run(args) -> int set as the parser's func.
COMMANDS = ["validate", "fix", "scoresheet", "scores", "results", "report", "dossier", "decide", "ci", "codeowners", "similar", "new"]


def build_parser() -> argparse.ArgumentParser:
    cli_i18n.install()
    parser = argparse.ArgumentParser(
        prog="sangkien",
        description="Kiểm tra và quản lý kho sáng kiến, giải pháp cải cách hành chính.",
    )
    parser.add_argument("--version", action="version", version=f"sangkien {__version__}", help="hiện phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", title="các lệnh", metavar="LỆNH")
    for name in COMMANDS:
        importlib.import_module(f"sangkien.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")  # Windows consoles default to cp1258
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except Exception as err:  # last line of defence: never a traceback for a user
        print(f"Lỗi nội bộ của sangkien ({type(err).__name__}: {err}). Xin báo lỗi này cho người quản trị kho, kèm lệnh đã chạy.",
              file=sys.stderr)
        return 3
