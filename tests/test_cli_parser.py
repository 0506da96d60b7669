"""A subcommand named on the command line is parsed by a parser holding it alone (cli.py imports
only its module): its help, its usage errors and what it parses must be those of the whole
command line's parser."""

from __future__ import annotations

import contextlib
import io

import pytest
from helpers.cli import run_cli
from sangkien import cli

# The name each module's subcommand has on the command line.
NAMES = [next((name for name, module in cli.RENAMED.items() if module == m), m) for m in cli.COMMANDS]


def whole(args: list[str]) -> tuple[int, str, str]:
    """What the parser of every subcommand prints and exits with for `args` (it stops at parsing)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.build_parser().parse_args(args)
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_every_command_module_is_named() -> None:
    assert len(set(NAMES)) == len(cli.COMMANDS) == 20 and "import" in NAMES and "word_import" not in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_a_named_command_parses_as_the_whole_command_line_does(name: str) -> None:
    for args in ([name, "--help"], [name, "--khong-co-tham-so-nay"]):
        alone = run_cli(args)
        assert (alone.code, alone.stdout, alone.stderr) == whole(args), args
        assert alone.stdout or alone.stderr


@pytest.mark.parametrize("args", [["word_import"], ["khong-co-lenh"], ["--version"], ["-h"]])
def test_a_word_that_is_not_a_command_gets_the_whole_command_line(args: list[str]) -> None:
    alone = run_cli(args)
    assert (alone.code, alone.stdout, alone.stderr) == whole(args)
