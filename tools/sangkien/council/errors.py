"""One error type for the council tools: it carries coded Vietnamese problems, never a traceback."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from sangkien import reporters
from sangkien.codes import problem
from sangkien.problems import Problem


class CouncilError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, code: str, file: str, what: str, line: int = 1, column: int = 1, fix: str | None = None) -> CouncilError:
        return cls([problem(code, file, line, column, what, fix)])


show = reporters.show  # the problems the way `sangkien validate` prints them


def guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Wrap a command's run(args): coded problems are printed and give exit status 1."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except CouncilError as err:
            show(err.problems)
            return 1

    wrapper.__doc__ = run.__doc__
    return wrapper
