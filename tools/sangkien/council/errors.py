"""One error type for the council tools: it carries coded Vietnamese problems, never a traceback."""

from __future__ import annotations

import sys

from sangkien.codes import problem
from sangkien.problems import Problem
from sangkien.reporters import SEVERITY_VI


class CouncilError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, code: str, file: str, what: str, line: int = 1, column: int = 1, fix: str | None = None) -> CouncilError:
        return cls([problem(code, file, line, column, what, fix)])


def show(problems: list[Problem], stream=None) -> None:
    """Print problems the way `sangkien validate` does, so people read one format everywhere."""
    out = stream or sys.stderr
    for p in problems:
        print(f"{p.file}:{p.line}:{p.column}: {SEVERITY_VI.get(p.severity, p.severity)} {p.code}: {p.message}", file=out)


def guarded(run):
    """Wrap a command's run(args): coded problems are printed and give exit status 1."""

    def wrapper(args) -> int:
        try:
            return run(args)
        except CouncilError as err:
            show(err.problems)
            return 1

    wrapper.__doc__ = run.__doc__
    return wrapper
