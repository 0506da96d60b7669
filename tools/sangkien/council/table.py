"""Plain aligned tables for the terminal (Vietnamese NFC text is one column per character)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if _width(text) <= limit else text[: limit - 1] + "…"


def render(headers: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 36) -> str:
    table: list[Sequence[object]] = [headers, *rows]
    cells = [[_clip("" if v is None else str(v), max_width) for v in row] for row in table]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
