"""`sangkien` command line: one subcommand per module in sangkien.commands."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import importlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any, NoReturn, TypeAlias

from sangkien import __version__, cli_i18n, settings
from sangkien.codes import CODES

# Each module defines register(subparsers) and a run(args) -> int set as the parser's func.
COMMANDS = ["validate", "fix", "scoresheet", "scores", "results", "report", "dossier", "decide", "ci", "codeowners", "similar", "new", "examples", "units", "campaign", "screen", "harvest", "word_import", "template", "site"]
# The name a module's subcommand has on the command line, where it differs from the module's.
RENAMED = {"import": "word_import"}
# Commands whose objects all live until the process ends (validate: the model of 10,000 entries):
# no cycle collection from the start, imports included (numpy's and the rules' make ~10^5 objects
# the collector would only walk again and again).
UNCOLLECTED = {"validate"}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only` (a module of COMMANDS) that subcommand alone: a
    command given by name parses the same either way, without importing the other nineteen."""
    cli_i18n.install()
    parser = argparse.ArgumentParser(
        prog="sangkien",
        description="Kiểm tra và quản lý kho sáng kiến, giải pháp cải cách hành chính.",
    )
    parser.add_argument("--version", action="version", version=f"sangkien {__version__}", help="hiện phiên bản rồi thoát")
    sub = parser.add_subparsers(dest="command", title="các lệnh", metavar="LỆNH")
    for name in COMMANDS if only is None else [only]:
        importlib.import_module(f"sangkien.commands.{name}").register(sub)
    return parser


_OS_REASONS = {
    errno.ENOSPC: "ổ đĩa đã đầy", errno.EDQUOT: "đã hết dung lượng được cấp", errno.EACCES: "không có quyền",
    errno.EPERM: "không có quyền", errno.EROFS: "ổ đĩa chỉ cho đọc", errno.ENOENT: "không tìm thấy tệp hoặc thư mục",
    errno.EISDIR: "đây là một thư mục", errno.EBUSY: "tệp đang được chương trình khác dùng", errno.EIO: "lỗi đọc ghi của ổ đĩa",
}


# What signal.signal() takes and gives back: a function, SIG_DFL/SIG_IGN (ints) or None.
_Handler: TypeAlias = "Callable[[int, FrameType | None], Any] | int | None"


def _stop(signum: int, frame: FrameType | None) -> NoReturn:
    raise KeyboardInterrupt


def _on_sigterm(handler: _Handler) -> _Handler:
    """CI cancellations and `kill` send SIGTERM, which by default ends Python without running
    cleanup; as KeyboardInterrupt, an atomic write in progress removes its temporary file.
    Returns the previous handler (main() puts it back: tests call main() in-process)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")  # Windows consoles default to cp1258
    words = sys.argv[1:] if argv is None else argv
    named = RENAMED.get(words[0], words[0]) if words and words[0] not in RENAMED.values() else None
    collecting = gc.isenabled()
    if named in UNCOLLECTED:
        gc.disable()
    try:
        return _run(argv, named)
    finally:
        if collecting:
            gc.enable()


def _run(argv: list[str] | None, named: str | None) -> int:
    parser = build_parser(named if named in COMMANDS else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    previous = _on_sigterm(_stop)
    try:
        code = int(args.func(args))
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except settings.SettingError as err:  # a SANGKIEN_* variable that cannot be used, whichever command read it
        print(f"{err} Mã SK903.", file=sys.stderr)
        return 2
    except OSError as err:  # disk full, no permission, file locked by Excel: the user's to fix, not a bug
        where = f" «{err.filename}»" if err.filename else ""
        reason = _OS_REASONS.get(err.errno or 0, "lỗi của hệ điều hành")
        print(f"Không đọc hoặc ghi được tệp{where}: {reason} ({err.strerror or err}). Mã SK014. {CODES['SK014'].fix}", file=sys.stderr)
        return 1
    except Exception as err:  # last line of defence: never a traceback for a user
        print(f"Lỗi nội bộ của sangkien ({type(err).__name__}: {err}). Xin báo lỗi này cho người quản trị kho, kèm lệnh đã chạy.",
              file=sys.stderr)
        return 3
    finally:
        if previous is not None:
            _on_sigterm(previous)
    if argv is None and getattr(args, "exit_at_once", False) and sys.gettrace() is None and sys.getprofile() is None:
        _exit_at_once(code)  # not under a profiler or coverage tool: they write their results at a normal exit
    return code


def _exit_at_once(code: int) -> NoReturn:
    """End the process (the command line's own, never a caller's: main() was given no argv) as
    soon as a command that asks for it is done. Its output is flushed, its caches committed and
    its threads joined; what is left is freeing, object by object, the model of 10,000 entries
    and every module, which costs a warm `validate --base` a tenth of its time."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone (| head): as at a normal exit, nothing more to say
            stream.flush()
    os._exit(code)
