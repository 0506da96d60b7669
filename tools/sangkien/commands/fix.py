"""`sangkien fix FILE ...`: repair what can be repaired without judgement, atomically.

Only when asked: NFC normalisation, BOM removal and CRLF -> LF; with --legacy-font, text pasted
from old TCVN3 (.VnTime) or VNI documents converted to Unicode, line by line, only where that is
unambiguous (wordimport.legacy says how), then the file checked again by the validator. Every
other problem needs a person. The file is replaced in one rename, so an interruption leaves the
old or the new file.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

from sangkien import reporters, validator
from sangkien.atomic import write_bytes
from sangkien.codes import problem
from sangkien.commands.common import Subparsers, find_root
from sangkien.wordimport import legacy


def register(sub: Subparsers) -> None:
    p = sub.add_parser("fix", help="sửa tự động: chuẩn hóa dấu tiếng Việt (NFC), bỏ BOM, xuống dòng",
                       description="Chỉ sửa các tệp được ghi; ghi đè an toàn (không mất dữ liệu nếu bị ngắt giữa chừng).")
    p.add_argument("files", nargs="+", metavar="TỆP", help="tệp cần sửa")
    p.add_argument("--legacy-font", action="store_true",
                   help="chuyển chữ dán từ văn bản phông cũ TCVN3 (.VnTime) hoặc VNI sang Unicode; chỉ chuyển những dòng chắc chắn, "
                        "dòng không chắc được nêu ra để sửa tay")
    p.set_defaults(func=run)


def fixed(raw: bytes) -> bytes | None:
    """The repaired bytes, or None if the file is not UTF-8 text (left untouched)."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.encode("utf-8")


def run(args: argparse.Namespace) -> int:
    status = 0
    for name in args.files:
        path = Path(name)
        if not path.is_file() or path.is_symlink():
            print(f"{name}: không tìm thấy tệp (hoặc là liên kết tượng trưng), bỏ qua. Mã SK901.")
            status = 1
            continue
        raw = path.read_bytes()
        new = fixed(raw)
        if new is None:
            print(f"{name}: tệp không phải mã UTF-8 nên không tự sửa được; lưu lại bằng Notepad với mã UTF-8. Mã SK001.")
            status = 1
            continue
        notes: list[str] = []
        found: list[legacy.Change] = []
        if getattr(args, "legacy_font", False):
            text, found = legacy.converted(new.decode("utf-8"))
            new = text.encode("utf-8")
            for c in found:
                if c.table is None:
                    notes.append(reporters.line(problem("SK048", name, c.line, 1, f"dòng này có dấu hiệu chữ phông cũ nhưng không chắc chắn "
                                                        f"(«{c.old.strip()[:60]}»), nên giữ nguyên.", at="line")))
                    status = 1
                else:
                    notes.append(f"{name}:{c.line}: đã chuyển chữ phông {legacy.LABEL[c.table]} sang Unicode: «{c.new.strip()[:80]}»")
        if new == raw:
            print(f"{name}: không cần sửa.")
        else:
            write_bytes(path, new)
            print(f"{name}: đã chuẩn hóa (NFC, bỏ BOM, xuống dòng kiểu LF)." if not any(c.table for c in found)
                  else f"{name}: đã chuẩn hóa và chuyển chữ phông cũ sang Unicode.")
        for note in notes:
            print(note)
        if getattr(args, "legacy_font", False) and new != raw:
            status = max(status, _recheck(path))
    return status


def _recheck(path: Path) -> int:
    """The file checked again by the one validator, when it lies in a repository."""
    root = find_root(path.resolve().parent)
    if not (root / "entries").is_dir():
        return 0
    report = validator.validate(root, [str(path.resolve())])
    reporters.show(report.problems, sys.stdout)
    if report.errors:
        print(f"{path}: còn {len(report.errors)} lỗi cần sửa tay (nêu trên).")
        return 1
    return 0
