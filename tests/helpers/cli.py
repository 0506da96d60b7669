"""The `sangkien` command line run in this process: `sangkien.cli.main(args)` with its own stdout,
stderr, working folder and environment, all put back afterwards.

Much faster than a subprocess (no interpreter start, no re-import of numpy and the schemas). Use
a subprocess instead (conftest.run_sangkien) when the point is the installed console script, the
exit status of a real process, or isolation from this process's global state."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sangkien.cli import main


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def returncode(self) -> int:
        """The name subprocess.CompletedProcess uses, so a test reads the same either way."""
        return self.code


class _Capture(io.TextIOWrapper):
    """A real text stream over bytes (with .buffer and .reconfigure), as a console's would be."""

    def __init__(self) -> None:
        self.raw_bytes = io.BytesIO()
        super().__init__(self.raw_bytes, encoding="utf-8", write_through=True)

    def text(self) -> str:
        self.flush()
        # What subprocess.run(text=True) reads: universal newlines.
        return self.raw_bytes.getvalue().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def run_cli(args: Sequence[str], cwd: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Result:
    """Run `sangkien *args` in `cwd` (default: the current folder) with exactly the environment
    `env` (default: this process's, with PYTHONIOENCODING=utf-8 as run_sangkien sets it).
    An exception that escapes main() is a bug: it propagates, as a traceback would end a process."""
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    out, err = _Capture(), _Capture()
    try:
        os.environ.clear()
        os.environ.update(env if env is not None else {**saved_env, "PYTHONIOENCODING": "utf-8"})
        if cwd is not None:
            os.chdir(Path(cwd))
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
        try:
            code = main(list(args))
        except SystemExit as exit_:  # as `python -m sangkien` would end
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        return Result(code, out.text(), err.text())
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
