"""A problem found in a file: code, severity, place, key path and a Vietnamese message.

The message is written without its place: `detail` says what is wrong and how to fix it, `at`
says whether the user-facing text starts with the line («Dòng 7: ») or the line and column
(«Dòng 7, cột 3: »), and `message` puts the two together in this one place (`placed`).
`key` is the YAML key path of the value concerned, e.g. ("authors", 0, "name"), where known.

Problems built the old way, with the place already written at the start of the text, are read
back into `detail` + `at` when the numbers match the problem's own line and column, so every
problem has the same shape however it was made (call sites not yet converted, the cache, a
CI report read back from JSON).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

LINE = "line"  # the message starts with «Dòng N: »
COLUMN = "column"  # the message starts with «Dòng N, cột M: »

Key = tuple[str | int, ...]

_PLACED = re.compile(r"Dòng ([0-9]+)(?:, cột ([0-9]+))?: ")


def placed(line: int, column: int, at: str | None, detail: str) -> str:
    """The user-facing text: the place prefix `at` asks for, then the detail."""
    if at == LINE:
        return f"Dòng {line}: {detail}"
    if at == COLUMN:
        return f"Dòng {line}, cột {column}: {detail}"
    return detail


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    severity: str
    file: str
    line: int
    column: int
    detail: str
    at: str | None = None
    key: Key | None = None

    def __post_init__(self) -> None:
        if self.at is None and self.detail.startswith("Dòng "):
            m = _PLACED.match(self.detail)
            if m and int(m.group(1)) == self.line and (m.group(2) is None or int(m.group(2)) == self.column):
                object.__setattr__(self, "at", LINE if m.group(2) is None else COLUMN)
                object.__setattr__(self, "detail", self.detail[m.end():])

    @property
    def message(self) -> str:
        """What the user reads: «Dòng N: » (or «Dòng N, cột M: ») where the problem has a place, then the detail."""
        return placed(self.line, self.column, self.at, self.detail)

    def as_dict(self) -> dict[str, object]:
        """The JSON report's record (reporters.as_json)."""
        return {"code": self.code, "severity": self.severity, "file": self.file, "line": self.line, "column": self.column,
                "message": self.message}

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def sort_key(p: Problem) -> tuple[str, int, int, str, str]:
    return (p.file, p.line, p.column, p.code, p.message)
