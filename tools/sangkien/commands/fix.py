"""`sangkien fix FILE ...`: repair what can be repaired without judgement, atomically.

Only when asked: NFC normalisation, BOM removal and CRLF -> LF. Every other problem needs a
person. The file is replaced in one rename, so an interruption leaves the old or the new file.
"""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

from sangkien.atomic import write_bytes
from sangkien.commands.common import Subparsers


def register(sub: Subparsers) -> None:
    p = sub.add_parser("fix", help="sửa tự động: chuẩn hóa dấu tiếng Việt (NFC), bỏ BOM, xuống dòng",
                       description="Chỉ sửa các tệp được ghi; ghi đè an toàn (không mất dữ liệu nếu bị ngắt giữa chừng).")
    p.add_argument("files", nargs="+", metavar="TỆP", help="tệp cần sửa")
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
        elif new == raw:
            print(f"{name}: không cần sửa.")
        else:
            write_bytes(path, new)
            print(f"{name}: đã chuẩn hóa (NFC, bỏ BOM, xuống dòng kiểu LF).")
    return status
