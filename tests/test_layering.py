"""The package's layers, read from its sources with `ast` (nothing is imported or executed).

- core (everything outside council/, novelty/, site/, commands/ and the CLI modules) never
  imports council, novelty, site or commands, at module level or inside a function;
- council, novelty and site never import commands; site imports council only through ALLOWED;
- only the plugin's modules (site/plugin.py and site/plugin_*.py) import mkdocs or material;
- no module uses another sangkien module's private name (`from x import _y`, `x._y`).

A lazy import by dotted string (importlib) is not an import here: the rule registry names the
novelty rule that way on purpose."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "tools" / "sangkien"
FEATURES = ("council", "novelty", "site", "commands")
CLI_MODULES = {"sangkien.cli", "sangkien.__main__", "sangkien.cli_i18n"}

# Edges that cross a layer on purpose: (importing module or package prefix, imported module) -> reason.
ALLOWED = {
    ("sangkien.site", "sangkien.council.participation"):
        "the campaign page publishes the participation table that the council's tally computes",
    ("sangkien.site", "sangkien.council.wordtemplate"):
        "the submission page links the Word template of each open campaign, made with the dossier's page setup",
}


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    target: str  # the sangkien module (or third-party top-level module) imported
    name: str | None  # the name taken from it by `from target import name`, when not a module
    text: str

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}: {self.text}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


SOURCES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_module(name: str) -> bool:
    return name in SOURCES


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def absolute(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of `from <node.module> import ...` written inside `module`."""
    if not node.level:
        return node.module or ""
    package = module if SOURCES[module].name == "__init__.py" else module.rpartition(".")[0]
    base = package.split(".")
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(module: str) -> list[Import]:
    path = SOURCES[module]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(path, node.lineno, alias.name, None, f"import {alias.name}"))
        elif isinstance(node, ast.ImportFrom):
            source = absolute(module, node)
            for alias in node.names:
                text = f"from {'.' * node.level}{node.module or ''} import {alias.name}"
                if is_module(f"{source}.{alias.name}"):
                    found.append(Import(path, node.lineno, f"{source}.{alias.name}", None, text))
                else:
                    found.append(Import(path, node.lineno, source, alias.name, text))
    return found


def private_attributes(module: str) -> list[Import]:
    """`m._name` where m is bound to a sangkien module by an import in this file."""
    path = SOURCES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if in_package(alias.name, "sangkien"):
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        bound[alias.name.partition(".")[0]] = alias.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom):
            source = absolute(module, node)
            for alias in node.names:
                if is_module(f"{source}.{alias.name}"):
                    bound[alias.asname or alias.name] = f"{source}.{alias.name}"

    def dotted(expr: ast.expr) -> str | None:
        if isinstance(expr, ast.Name):
            return bound.get(expr.id)
        if isinstance(expr, ast.Attribute):
            base = dotted(expr.value)
            return f"{base}.{expr.attr}" if base and is_module(f"{base}.{expr.attr}") else None
        return None

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            target = dotted(node.value)
            if target and target != module:
                found.append(Import(path, node.lineno, target, node.attr, f"{ast.unparse(node.value)}.{node.attr}"))
    return found


def layer(module: str) -> str:
    if module in CLI_MODULES:
        return "cli"
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in FEATURES else "core"


def allowed(module: str, target: str) -> bool:
    return any(in_package(module, src) and in_package(target, dst) for src, dst in ALLOWED)


def report(violations: list[Import], rule: str) -> str:
    return f"{rule} ({len(violations)}):\n" + "\n".join("  " + v.where() for v in violations)


def test_the_sources_are_found() -> None:
    assert {"sangkien.validator", "sangkien.site.plugin", "sangkien.council.participation", "sangkien.cli"} <= set(SOURCES)
    assert layer("sangkien.checks.text") == "core" and layer("sangkien.site.plugin") == "site" and layer("sangkien.cli") == "cli"


def test_core_never_imports_a_feature_package() -> None:
    violations = [
        imp for module in SOURCES if layer(module) == "core"
        for imp in imports(module)
        if any(in_package(imp.target, f"sangkien.{feature}") for feature in FEATURES)
    ]
    assert not violations, report(violations, "core modules import council/novelty/site/commands")


@pytest.mark.parametrize("feature", ["council", "novelty", "site"])
def test_features_never_import_commands(feature: str) -> None:
    violations = [
        imp for module in SOURCES if layer(module) == feature
        for imp in imports(module)
        if in_package(imp.target, "sangkien.commands")
    ]
    assert not violations, report(violations, f"{feature} imports sangkien.commands")


def test_site_imports_council_only_through_the_allowed_edges() -> None:
    violations = [
        imp for module in SOURCES if layer(module) == "site"
        for imp in imports(module)
        if in_package(imp.target, "sangkien.council") and not allowed(module, imp.target)
    ]
    assert not violations, report(violations, "site imports council outside ALLOWED")


def is_plugin(module: str) -> bool:
    """The MkDocs plugin: its hooks (site/plugin.py) and the modules named after it (site/plugin_*.py)."""
    return module == "sangkien.site.plugin" or module.startswith("sangkien.site.plugin_")


def test_only_the_plugin_imports_mkdocs_or_material() -> None:
    assert is_plugin("sangkien.site.plugin_render") and not is_plugin("sangkien.site.pluginx") and not is_plugin("sangkien.site.pages")
    violations = [
        imp for module in SOURCES if not is_plugin(module)
        for imp in imports(module)
        if imp.target.partition(".")[0] in ("mkdocs", "material")
    ]
    assert not violations, report(violations, "modules other than site/plugin.py and site/plugin_*.py import mkdocs/material")


def test_no_module_uses_another_modules_private_names() -> None:
    violations = [
        imp for module in SOURCES
        for imp in imports(module)
        if in_package(imp.target, "sangkien") and imp.target != module and imp.name and is_private(imp.name)
    ]
    violations += [imp for module in SOURCES for imp in private_attributes(module)]
    assert not violations, report(sorted(violations, key=Import.where), "imports of another module's private name")


def _site_sources() -> dict[str, Path]:
    return {p.relative_to(PACKAGE).as_posix(): p for p in sorted((PACKAGE / "site").rglob("*.py"))}


def test_the_site_uses_no_private_mkdocs_name_and_patches_nothing() -> None:
    """site/ reaches MkDocs through its public API only: no `_name` imported from mkdocs or
    material, no `_name` attribute read or set (config._current_page, page._title_from_render),
    nothing of mkdocs replaced (mkdocs.utils.clean_directory = ..., page.render = ...)."""
    violations: list[str] = []
    for rel, path in _site_sources().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        mkdocs_names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").partition(".")[0] in ("mkdocs", "material"):
                for alias in node.names:
                    if alias.name.startswith("_"):
                        violations.append(f"{rel}:{node.lineno}: from {node.module} import {alias.name}")
                    mkdocs_names.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.partition(".")[0] in ("mkdocs", "material"):
                        mkdocs_names.add((alias.asname or alias.name).partition(".")[0])
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                base = node.value
                is_self = isinstance(base, ast.Name) and base.id in ("self", "cls")
                if not is_self:
                    violations.append(f"{rel}:{node.lineno}: ._{node.attr[1:]} read or set on an object that is not this module's own")
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else []
            for target in targets:
                root = target
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(target, ast.Attribute) and isinstance(root, ast.Name) and root.id in mkdocs_names:
                    violations.append(f"{rel}:{node.lineno}: assigns {ast.unparse(target)} (patches mkdocs)")
                if isinstance(target, ast.Attribute) and target.attr in ("render", "read_source"):
                    violations.append(f"{rel}:{node.lineno}: replaces a method: {ast.unparse(target)}")
    for path in sorted((PACKAGE / "site").glob("plugin*.py")):
        plugin = path.read_text(encoding="utf-8")
        for needle in ("clean_directory", "_current_page", "_title_from_render", "addFilter"):
            if needle in plugin:
                violations.append(f"site/{path.name} mentions {needle}")
    assert not violations, "\n".join(violations)
