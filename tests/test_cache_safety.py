"""Nothing a cache holds is ever executed: no module of the package reads data with a format that
can run code (pickle and its kin), and numpy arrays are always loaded with allow_pickle=False.
A cache folder can come from elsewhere (CI restores one; a pull request can add files)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "sangkien"
UNSAFE = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib"}


def _modules() -> list[tuple[str, ast.Module]]:
    return [(p.relative_to(PACKAGE).as_posix(), ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))]


def test_no_module_imports_a_format_that_runs_code() -> None:
    found = []
    for rel, tree in _modules():
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{rel}:{node.lineno} {name}" for name in names if name.split(".")[0] in UNSAFE]
    assert found == []


def test_numpy_loads_name_allow_pickle_false() -> None:
    found = []
    for rel, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "load" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "np":
                flags = [k for k in node.keywords if k.arg == "allow_pickle"]
                if not (flags and isinstance(flags[0].value, ast.Constant) and flags[0].value.value is False):
                    found.append(f"{rel}:{node.lineno}")
    assert found == []
    assert any("np.load(" in p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))  # the check looks at real calls
