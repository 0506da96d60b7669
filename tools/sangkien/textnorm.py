"""Vietnamese text keys: NFC for storage, a folded key for search and comparison.

Folding removes tone and vowel marks and turns đ into d, which NFD stripping alone misses;
"Hoà"/"Hòa" and "kĩ"/"kỹ" then compare equal. The original text is always kept for display.
"""

from __future__ import annotations

import re
import unicodedata

_MARKS = re.compile(r"[\u0300-\u036f]")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case, no diacritics, đ -> d. 'Điện tử Hoà' -> 'dien tu hoa'."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return _MARKS.sub("", decomposed).replace("đ", "d").replace("Đ", "d")


def slugify(text: str) -> str:
    """'Một cửa số hóa' -> 'mot-cua-so-hoa'."""
    return _NON_SLUG.sub("-", fold(text)).strip("-")[:80].strip("-")


def words(text: str) -> list[str]:
    """Folded syllables, for search and similarity."""
    return [w for w in _NON_SLUG.split(fold(text)) if w]
