"""Administrative abbreviations: the shipped table plus the repository's own override.

Councils extend the table in `entries/abbreviations.yaml` (same shape as the shipped file);
its entries win over the shipped ones. Keys are matched on UPPER-CASE text only, so a council
adding "DA" (dự án) cannot swallow the ordinary syllable "da".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sangkien import layout, textnorm
from sangkien.reader import read_yaml

DEFAULT_FILE = Path(__file__).with_name("abbreviations.yaml")
OVERRIDE_FILE = layout.ABBREVIATIONS_FILE
_TOKEN = re.compile(r"[^\W_]+")


def fold_tokens(text: str) -> tuple[str, ...]:
    return tuple(textnorm.fold(t) for t in _TOKEN.findall(textnorm.nfc(text)))


@dataclass
class Abbreviations:
    """Folded key tokens -> folded expansion tokens, e.g. ('ubnd',) -> ('uy', 'ban', 'nhan', 'dan')."""

    table: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # "UBND" -> "Ủy ban nhân dân", for people

    @property
    def longest(self) -> int:
        return max((len(k) for k in self.table), default=1)

    def add(self, short: str, long: str) -> None:
        key, value = fold_tokens(short), fold_tokens(long)
        if key and value and key != value:
            self.table[key] = value
            self.display[short] = long

    def fingerprint(self) -> str:
        """Changes whenever the table changes: prepared texts cached under an old table are stale."""
        text = "\n".join(f"{' '.join(k)}={' '.join(v)}" for k, v in sorted(self.table.items()))
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _mapping(raw: bytes, rel: str) -> dict[str, str]:
    doc = read_yaml(raw, rel)
    data = doc.data if doc.readable else None
    table = data.get("abbreviations") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, str)}


@lru_cache(maxsize=1)
def _default() -> tuple[tuple[str, str], ...]:
    return tuple(_mapping(DEFAULT_FILE.read_bytes(), "abbreviations.yaml").items())


def load(root: Path | None = None) -> Abbreviations:
    """The shipped table, then the repository's override (invalid items are skipped here;
    `sangkien validate` reports them against the schema)."""
    out = Abbreviations()
    for short, long in _default():
        out.add(short, long)
    override = (root / OVERRIDE_FILE) if root is not None else None
    if override is not None and override.is_file() and not override.is_symlink():
        try:
            raw = override.read_bytes()
        except OSError:
            raw = b""
        for short, long in _mapping(raw, OVERRIDE_FILE).items():
            out.add(short, long)
    return out
