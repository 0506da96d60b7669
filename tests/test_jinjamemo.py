"""The theme's templates compiled once per process (site/jinjamemo.py): a template is compiled
again only when its source or what its compiled code depends on changed, and every page is drawn
exactly as without the memo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from sangkien.site import jinjamemo
from sangkien.site.jinjamemo import CompiledTemplates
from sangkien.site.plugin import CataloguePlugin

TEMPLATES = {
    "base.html": "<title>{% block title %}{{ title|f }}{% endblock %}</title>{% block body %}{% endblock %}",
    "main.html": '{% extends "base.html" %}{% block body %}{{ "hằng số"|f }} {{ "<b>" }} {{ body }}\n'
                 "{% trans %}Xin chào{% endtrans %} {% trans n=2 %}Trang {{ n }}: 100%{% endtrans %}\n{% if x %}  có  {% endif %}\n{% endblock %}",
}


def _write(folder: Path, templates: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")


def _one(value: object) -> str:
    return f"một:{value}"


def _two(value: object) -> str:
    return f"hai:{value}"


def _env(folder: Path, memo: jinja2.BytecodeCache | None, word: str = "một", **options: Any) -> jinja2.Environment:
    """A new environment, as MkDocs makes one per build (with a filter of its own, as MkDocs' `url`)."""
    newstyle = options.pop("newstyle", False)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), bytecode_cache=memo, extensions=["jinja2.ext.i18n"], **options)
    env.filters["f"] = _one if word == "một" else _two
    env.install_null_translations(newstyle=newstyle)  # type: ignore[attr-defined]  # added by the i18n extension
    return env


def _draw(env: jinja2.Environment) -> str:
    return env.get_template("main.html").render(title="Tiêu đề", body="<i>nội dung</i>", x=True)


def _module_code(memo: CompiledTemplates, env: jinja2.Environment, name: str) -> Any:
    """The code object the memo holds for a template of `env`."""
    key = memo.get_cache_key(name, str(Path(env.loader.searchpath[0]) / name))  # type: ignore[union-attr]
    return memo.codes[key][2]


def _from_memo(memo: CompiledTemplates, env: jinja2.Environment, name: str) -> bool:
    """Whether `env`'s template runs the code object the memo holds (its render function is one of that code's constants)."""
    code = env.get_template(name).root_render_func.__code__
    return any(code is const for const in _module_code(memo, env, name).co_consts)


def _held(memo: CompiledTemplates) -> dict[str, int]:
    """The identity of each code object held (equal code objects compiled twice are not the same object)."""
    return {key: id(code) for key, (_, _, code) in memo.codes.items()}


def test_the_next_environment_runs_the_code_compiled_by_the_first(tmp_path: Path) -> None:
    _write(tmp_path, TEMPLATES)
    memo = CompiledTemplates()
    first = _env(tmp_path, memo)
    drawn = _draw(first)
    held = _held(memo)
    assert len(held) == 2
    second = _env(tmp_path, memo)
    assert _draw(second) == drawn == _draw(_env(tmp_path, None))
    assert _held(memo) == held  # nothing compiled again (the memo keeps the code objects alive: ids are not reused)
    assert _from_memo(memo, second, "main.html") and _from_memo(memo, second, "base.html")


def test_a_changed_template_is_compiled_again_and_the_others_are_not(tmp_path: Path) -> None:
    _write(tmp_path, TEMPLATES)
    memo = CompiledTemplates()
    _draw(_env(tmp_path, memo))
    base, main = _module_code(memo, _env(tmp_path, memo), "base.html"), _module_code(memo, _env(tmp_path, memo), "main.html")
    _write(tmp_path, {"main.html": TEMPLATES["main.html"].replace("có", "có đổi")})
    env = _env(tmp_path, memo)
    assert _draw(env) == _draw(_env(tmp_path, None)) and "có đổi" in _draw(env)
    assert len(memo.codes) == 2  # one entry per template: the old code of main.html is dropped
    assert _module_code(memo, env, "base.html") is base and _module_code(memo, env, "main.html") is not main


def test_environments_that_compile_differently_never_share_code(tmp_path: Path) -> None:
    """Jinja calls a filter on a constant at compile time and bakes in the environment's syntax,
    escaping and gettext style: a memo keyed by template and source alone would draw «một:hằng số»
    with the filter of the second build."""
    _write(tmp_path, TEMPLATES)
    memo = CompiledTemplates()
    variants: list[dict[str, Any]] = [{}, {"word": "hai"}, {"autoescape": True}, {"newstyle": True}, {"trim_blocks": True},
                                      {"lstrip_blocks": True, "keep_trailing_newline": True}, {"optimized": False}]
    for _ in range(2):
        for options in variants:
            with_memo, without = _draw(_env(tmp_path, memo, **options)), _draw(_env(tmp_path, None, **options))
            assert with_memo == without, options
    assert "hai:hằng số" in _draw(_env(tmp_path, memo, word="hai"))
    assert "&lt;b&gt;" in _draw(_env(tmp_path, memo, autoescape=True)) and "<b>" in _draw(_env(tmp_path, memo))


def test_the_plugin_gives_the_memo_only_to_an_environment_without_a_bytecode_cache(tmp_path: Path) -> None:
    plugin, config = CataloguePlugin(), MkDocsConfig()
    bare = jinja2.Environment()
    assert plugin.on_env(bare, config, Files([])).bytecode_cache is jinjamemo.MEMO
    theirs = jinja2.FileSystemBytecodeCache(str(tmp_path))
    other = jinja2.Environment(bytecode_cache=theirs)
    assert plugin.on_env(other, config, Files([])).bytecode_cache is theirs
