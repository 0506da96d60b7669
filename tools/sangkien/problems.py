"""A problem found in a file: code, severity, place and a Vietnamese message."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    severity: str
    file: str
    line: int
    column: int
    message: str

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def sort_key(p: Problem) -> tuple:
    return (p.file, p.line, p.column, p.code, p.message)
