"""The package ships everything it needs: an installed copy (pre-commit, pip) has no source tree."""

from __future__ import annotations

import tomllib

from conftest import ROOT


def test_every_subpackage_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {".".join(p.parent.relative_to(ROOT / "tools").parts) for p in (ROOT / "tools" / "sangkien").rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "sangkien.schema_data" in listed and config["package-dir"]["sangkien.schema_data"] == "schema"


def test_every_schema_is_shipped_as_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "*.json" in config["package-data"]["sangkien.schema_data"]
    assert sorted(p.name for p in (ROOT / "schema").glob("*.schema.json"))  # the folder the mapping ships
