"""rules.json, loaded once, and the two text functions every side needs: the label key and the
legacy-font conversion (TCVN3 / VNI -> Unicode)."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from sangkien.textnorm import fold

RULES_FILE = Path(__file__).with_name("rules.json")
_NON_KEY = re.compile(r"[^a-z0-9]+")

TCVN3, VNI = "tcvn3", "vni"


@cache
def rules() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    return data


def key(text: str) -> str:
    """The label key: 'Tỷ lệ (%) đóng góp:' -> 'ty le dong gop'."""
    return _NON_KEY.sub(" ", fold(unicodedata.normalize("NFC", text))).strip()


def legacy_of(font: str | None) -> tuple[str, bool] | None:
    """(table, upper) for a legacy Vietnamese font name, None for a Unicode font."""
    if not font:
        return None
    name = font.strip().lower()
    fonts = rules()["fonts"]
    if name.startswith(tuple(fonts["tcvn3"]["prefixes"])):
        return TCVN3, name.endswith(fonts["tcvn3"]["upper_suffix"])
    if name.startswith(tuple(fonts["vni"]["prefixes"])):
        return VNI, False
    return None


def convert(text: str, table: str, upper: bool = False) -> str:
    """Legacy-font text (as Word stores it: each byte as the Latin-1 character) -> Unicode NFC."""
    if table == TCVN3:
        mapping: dict[str, str] = rules()["tcvn3"]
        out = "".join(mapping.get(ch, ch) for ch in text)
    else:
        pairs: dict[str, str] = rules()["vni"]
        parts: list[str] = []
        i = 0
        while i < len(text):
            two = text[i:i + 2]
            if len(two) == 2 and two in pairs:
                parts.append(pairs[two])
                i += 2
            else:
                parts.append(pairs.get(text[i], text[i]))
                i += 1
        out = "".join(parts)
    out = unicodedata.normalize("NFC", out)
    return out.upper() if upper else out
