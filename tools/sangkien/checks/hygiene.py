"""What may sit in entries/ besides the text files: no gitlinks, and attachments an official would
attach (type by name and by first bytes, size capped per file and per unit).

Runs over the whole tree on every run (a full `validate` and `--base` alike), never per entry
and never from the validation cache: a unit's total looks at all of its files. Linear in the
number of files: one `git ls-files -s`, one os.stat and one read of the first bytes per
attachment (files are never read whole).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sangkien import gitutil
from sangkien.codes import problem
from sangkien.layout import ATTACHMENT, ENTRIES, Place
from sangkien.model import Repository
from sangkien.problems import Problem

MB = 1024 * 1024
DEFAULT_FILE_MB = 20
DEFAULT_UNIT_MB = 100
HEAD_BYTES = 64  # every signature below, and room to name what a refused file looks like
GITLINK_MODE = "160000"


def _starts(*signatures: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(signatures)


def _at4(*boxes: bytes) -> Callable[[bytes], bool]:
    """ISO base media (MP4, QuickTime): a box size, then the box type at offset 4."""
    return lambda head: len(head) >= 8 and head[4:8] in boxes


_PDF = _starts(b"%PDF-")
_OLE = _starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # Word 97-2003, Excel, PowerPoint
_ZIP = _starts(b"PK\x03\x04")  # Office Open XML and OpenDocument are ZIP packages

# extension -> (what an official calls it, does the head match)
ALLOWED: dict[str, tuple[str, Callable[[bytes], bool]]] = {
    "pdf": ("PDF", _PDF),
    "doc": ("Word", lambda h: _OLE(h) or h.startswith(b"{\\rtf")),  # Word also saves RTF under .doc
    "docx": ("Word", _ZIP),
    "xls": ("Excel", _OLE),
    "xlsx": ("Excel", _ZIP),
    "ppt": ("PowerPoint", _OLE),
    "pptx": ("PowerPoint", _ZIP),
    "odt": ("OpenDocument", _ZIP),
    "ods": ("OpenDocument", _ZIP),
    "odp": ("OpenDocument", _ZIP),
    "png": ("ảnh PNG", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("ảnh JPEG", _starts(b"\xff\xd8\xff")),
    "jpeg": ("ảnh JPEG", _starts(b"\xff\xd8\xff")),
    "gif": ("ảnh GIF", _starts(b"GIF87a", b"GIF89a")),
    "webp": ("ảnh WebP", lambda h: h.startswith(b"RIFF") and h[8:12] == b"WEBP"),
    "mp4": ("video MP4", _at4(b"ftyp")),
    "mov": ("video QuickTime", _at4(b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")),
    "webm": ("video WebM", _starts(b"\x1a\x45\xdf\xa3")),
}

# What a refused head most likely is, to say so in the message.
_LOOKS_LIKE: list[tuple[Callable[[bytes], bool], str]] = [
    (lambda h: h.lstrip().lower().startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml")), "trang web (HTML, SVG hoặc XML)"),
    (_starts(b"MZ"), "chương trình chạy được trên Windows (.exe)"),
    (_starts(b"\x7fELF"), "chương trình chạy được"),
    (_starts(b"#!"), "tệp lệnh (script)"),
    (_PDF, "PDF"),
    (_OLE, "tệp Office 97-2003"),
    (_ZIP, "tệp nén ZIP hoặc tệp Office mới"),
]


def size_text(size: int) -> str:
    """61,5 MB: Vietnamese decimal comma, one decimal."""
    return f"{size / MB:.1f}".replace(".", ",") + " MB"


def gitlinks(root: Path) -> list[str]:
    """Paths under entries/ that Git records as gitlinks (submodules, mode 160000), from the index
    (what a commit or a pull request's checkout holds, checked out or not). [] outside Git."""
    try:
        out = gitutil.staged(root, ENTRIES)
    except gitutil.GitError:
        return []
    return sorted(path for mode, path in out if mode == GITLINK_MODE)


def check_gitlinks(paths: Iterable[str]) -> Iterator[Problem]:
    for rel in paths:
        yield problem("SK015", rel, 1, 1, f"«{rel}» là một mô-đun con Git (gitlink, chế độ 160000) trỏ tới kho khác, không phải tệp thật; "
                      "nội dung của nó không được kiểm tra và không thuộc hồ sơ.",
                      f"Xóa mô-đun con khỏi kho: git rm --cached {rel} (và xóa mục tương ứng trong .gitmodules nếu có), rồi đưa tệp thật "
                      "(bài .md hoặc tệp kèm theo) vào thư mục của đơn vị.")


def limits(repo: Repository, campaign: str | None) -> tuple[int, int]:
    """(per file, per unit) caps in bytes: the campaign's attachment_limits, else the defaults."""
    camp = repo.campaigns.get(campaign or "")
    raw = camp.data.get("attachment_limits") if camp is not None else None
    raw = raw if isinstance(raw, dict) else {}
    per_file, per_unit = raw.get("file_mb", DEFAULT_FILE_MB), raw.get("unit_mb", DEFAULT_UNIT_MB)
    per_file = per_file if isinstance(per_file, (int, float)) and not isinstance(per_file, bool) and per_file > 0 else DEFAULT_FILE_MB
    per_unit = per_unit if isinstance(per_unit, (int, float)) and not isinstance(per_unit, bool) and per_unit > 0 else DEFAULT_UNIT_MB
    return int(per_file * MB), int(per_unit * MB)


def check_attachments(root: Path, repo: Repository, attachments: list[tuple[str, Place]]) -> Iterator[Problem]:
    """Type, content and size of every attachment, and each unit's total in a campaign."""
    totals: dict[tuple[str, str], list[tuple[int, str]]] = {}
    too_big: set[str] = set()
    base = str(root)
    for rel, place in attachments:
        full = f"{base}/{rel}"
        try:
            size = os.stat(full).st_size
        except OSError:
            continue
        totals.setdefault((place.campaign or "", place.unit or ""), []).append((size, rel))
        name = place.slug or ""
        if not ATTACHMENT.match(name):
            continue  # its name is reported already (SK007); the type comes once it is renamed
        ext = name.rsplit(".", 1)[1] if "." in name else ""
        if ext not in ALLOWED:
            shown = f"đuôi «.{ext}»" if ext else "không có đuôi tệp"
            yield problem("SK016", rel, 1, 1, f"Tệp kèm theo «{name}» có {shown}, không thuộc các loại được nhận.")
            continue
        kind, matches = ALLOWED[ext]
        per_file, _ = limits(repo, place.campaign)
        if size > per_file:
            too_big.add(rel)
            yield problem("SK018", rel, 1, 1, f"Tệp kèm theo «{name}» nặng {size_text(size)}, quá giới hạn {size_text(per_file)} cho mỗi tệp của đợt.")
        head = _head(full)
        if head is not None and not matches(head):
            found = "tệp rỗng" if not head else next((what for test, what in _LOOKS_LIKE if test(head)), "loại không nhận ra")
            yield problem("SK017", rel, 1, 1, f"Tệp kèm theo «{name}» mang đuôi .{ext} ({kind}) nhưng nội dung là {found}.")
    for (campaign, unit), sizes in totals.items():
        total = sum(size for size, _ in sizes)
        _, per_unit = limits(repo, campaign)
        if total > per_unit:
            ranked = sorted(sizes, key=lambda s: (-s[0], s[1]))
            size, largest = ranked[0]
            # Placed on the largest file not already refused on its own (one problem per place is shown).
            where = next((rel for _, rel in ranked if rel not in too_big), largest)
            yield problem("SK019", where, 1, 1, f"Các tệp kèm theo của đơn vị «{unit}» trong thư mục {ENTRIES}/{campaign}/{unit}/ nặng tổng cộng "
                          f"{size_text(total)} ({len(sizes)} tệp), quá giới hạn {size_text(per_unit)} cho mỗi đơn vị; tệp lớn nhất là "
                          f"«{largest.rsplit('/', 1)[-1]}» ({size_text(size)}).")


def _head(full: str) -> bytes | None:
    try:
        with open(full, "rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError:
        return None
