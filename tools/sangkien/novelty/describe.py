"""How a matched entry is named to people: its standing, its catalogue link, a shared passage."""

from __future__ import annotations

import re
from pathlib import Path

from sangkien import vntime
from sangkien.model import Entry, Repository

RECOGNISED, UNSUCCESSFUL, PENDING = "recognised", "unsuccessful", "pending"
_SITE_URL = re.compile(r"^site_url:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)


def standing(repo: Repository, entry: Entry) -> tuple[str, str]:
    """(recognised | unsuccessful | pending, Vietnamese description)."""
    found = repo.recognition(entry.id)
    if found is not None:
        rec, _ = found
        day = f" ngày {vntime.show_date(rec.day)}" if rec.day else ""
        return RECOGNISED, f"đã được công nhận theo Quyết định số {rec.number}{day}"
    dec = repo.decisions.get(entry.campaign or "")
    if dec is not None:
        screened = dec.screening().get(entry.id)
        if screened and screened.get("result") == "khong-dat":
            return UNSUCCESSFUL, f"không đạt sơ loại ở đợt «{entry.campaign}»"
        if dec.items("recognitions"):
            return UNSUCCESSFUL, f"không được công nhận ở đợt «{entry.campaign}»"
    return PENDING, f"bài dự thi đợt «{entry.campaign}», chưa có kết quả"


def site_url(root: Path) -> str:
    """The site's address from mkdocs.yml (read as text: the file may hold Python tags)."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    m = _SITE_URL.search(text)
    return m.group(1).rstrip("/") if m and m.group(1).startswith(("http://", "https://")) else ""


def link(base: str, entry_id: str) -> str:
    return f"{base}/sang-kien/{entry_id}/"


def snippet(text: str, start: int, end: int, limit: int = 160) -> str:
    """One passage on one line; a long one keeps its first and last words around « … »."""
    words = text[start:end].split()
    passage = " ".join(words)
    if len(passage) <= limit:
        return passage
    head: list[str] = []
    tail: list[str] = []
    size = 0
    for i in range(len(words) // 2):
        size += len(words[i]) + len(words[-1 - i]) + 2
        if size > limit:
            break
        head.append(words[i])
        tail.insert(0, words[-1 - i])
    return " ".join(head) + " … " + " ".join(tail)
