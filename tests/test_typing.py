"""The package type-checks: mypy --strict on tools/sangkien, with pyproject.toml's [tool.mypy].

Run in-process (mypy.api) so that `python -m pytest` in CI checks types as well; the same check
runs as the `mypy` pre-commit hook. Incremental: mypy keeps its cache in .mypy_cache/."""

from __future__ import annotations

import pytest
from conftest import ROOT
from mypy import api


def test_package_is_strictly_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # [tool.mypy] names its files relative to the repository root
    stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), "--no-color-output"])
    assert status == 0, f"mypy --strict reports type errors in tools/sangkien:\n{stdout}{stderr}"
