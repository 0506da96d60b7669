"""The generated catalogue as plain files, for any static site generator (`sangkien site --out DIR`).

DIR/docs/ holds the hand-written pages (a copy of docs/), one Markdown page per generated page
(front matter title and description, the page's HTML as its body: Markdown passes raw HTML
through), the Word templates, the site's style and scripts, and the files the plugin writes after
a build (search index, open data, the form's assets). DIR/mkdocs.yml is the repository's
mkdocs.yml without the `sangkien` plugin, so MkDocs, ProperDocs or Zensical build DIR as they
build any documentation folder.

What needs the plugin is left out: the «Chỉnh sửa» button of a generated page opens nothing
(front matter cannot name another file to edit). No MkDocs here.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from sangkien import schemas, yamlwrite
from sangkien.site import exports, federation, form, national, search, urls
from sangkien.site.context import Site, Source, load_site
from sangkien.site.licence import licence_of
from sangkien.site.pages import generate
from sangkien.site.parts import Page

THEME = Path(__file__).parent / "theme"


class StandaloneError(Exception):
    """A problem that stops the export, with a Vietnamese message (and the code to report)."""

    def __init__(self, code: str, where: str, message: str) -> None:
        super().__init__(message)
        self.code, self.where = code, where


@dataclass
class Written:
    pages: int = 0
    files: list[str] = field(default_factory=list)


def stub(page: Page, body: str) -> str:
    """The Markdown of a generated page: the same front matter as the plugin's pages, then the HTML."""
    import html

    meta = {"title": html.escape(page.title), "description": html.escape(" ".join(page.description.split())[:300])}
    head = "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items()) + "---\n"
    return head + "\n" + body + "\n"


def read_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as data (its !!python tags, used by some Markdown extensions, are not read: StandaloneError)."""
    path = root / "mkdocs.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise StandaloneError("SK941", "mkdocs.yml", f"Không đọc được mkdocs.yml ({err.strerror or err}).") from err
    except yaml.YAMLError as err:
        raise StandaloneError("SK941", "mkdocs.yml", f"mkdocs.yml có dòng không đọc được ({str(err).splitlines()[0]}).") from err
    if not isinstance(data, dict):
        raise StandaloneError("SK941", "mkdocs.yml", "mkdocs.yml không phải một bảng khóa: giá trị.")
    return data


def _outside_config(config: dict[str, Any]) -> dict[str, Any]:
    """mkdocs.yml for DIR: no sangkien plugin, docs/ in DIR, the theme overrides copied in."""
    out = dict(config)
    plugins = [p for p in (config.get("plugins") or []) if not (p == "sangkien" or (isinstance(p, dict) and "sangkien" in p))]
    out["plugins"] = plugins
    out["docs_dir"] = "docs"
    out["edit_uri"] = ""  # a generated page has no file of its own here: no edit button pointing nowhere
    theme = dict(config.get("theme") or {"name": "material"}) if isinstance(config.get("theme"), dict) else {"name": config.get("theme")}
    theme["custom_dir"] = "overrides"
    out["theme"] = theme
    out["extra_css"] = [*(config.get("extra_css") or []), *([urls.CSS] if urls.CSS not in (config.get("extra_css") or []) else [])]
    scripts = [str(s) for s in (config.get("extra_javascript") or [])]
    out["extra_javascript"] = [*scripts, *([search.SEARCH_SCRIPT] if search.SEARCH_SCRIPT not in scripts else [])]
    extra = dict(config.get("extra") or {})
    extra.setdefault("generator", False)
    out["extra"] = extra
    return out


def write(root: Path, out: Path, now: datetime) -> Written:
    """Write the catalogue of the repository at `root` into the empty or new folder `out`."""
    config = read_config(root)
    extra = (config.get("extra") or {}).get("sangkien") or {}
    source = Source(str(extra.get("host") or ""), str(extra.get("repository") or ""), str(extra.get("branch") or "main"),
                    str(extra.get("forge") or "github"))
    try:
        licence = licence_of(extra.get("licence"))
    except Exception as err:
        raise StandaloneError("SK941", "mkdocs.yml", f"extra.sangkien.licence: {err}") from err
    site: Site = load_site(root, now, source)
    site.site_url, site.licence = str(config.get("site_url") or ""), licence
    docs = out / "docs"
    hand = root / str(config.get("docs_dir") or "docs")
    if hand.is_dir():
        shutil.copytree(hand, docs, dirs_exist_ok=True)
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copytree(THEME, out / "overrides", dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(THEME / "assets", docs / "assets", dirs_exist_ok=True)
    written = Written()
    output = generate(site, str(config.get("site_name") or ""))
    generated = [*output.pages, *federation.pages(root, now)]
    if national.enabled(extra):
        generated = national.pages(root, now, home=urls.HOME) + federation.pages(root, now)
        output.files = {}
    for rel, text in output.files.items():
        _put(docs / rel, text, written)
    for page in generated:
        target = docs / urls.src_uri(page.url)
        if (hand / urls.src_uri(page.url)).is_file():  # a hand-written page of the same address wins, as in the plugin
            continue
        _put(target, stub(page, page.html()), written)
        written.pages += 1
    if not (hand / urls.src_uri(urls.SEARCH)).is_file():
        _put(docs / urls.src_uri(urls.SEARCH), search.SEARCH_PAGE_MARKDOWN, written)
    from sangkien.council import wordtemplate

    templates = wordtemplate.write_templates(list(site.repo.campaigns.values()), docs / form.PAGE_URL, now)
    names = {p.name for p in templates}
    offered = [(c, wordtemplate.file_name(c.id)) for c in site.repo.campaigns.values() if wordtemplate.file_name(c.id) in names]
    for kind, page_ in form.PAGES.items():
        if not (hand / page_.src).is_file():
            _put(docs / page_.src, form.page_markdown(kind, site.repo, root, extra or None, urls.rel(page_.url, ""), offered), written)
    # the harvested initiatives are indexed in national mode, as the plugin does
    exports.write_exports(site.public_repo(), docs, site.site_url, schemas.schema_dir(root), licence, root if national.enabled(extra) else None)
    form.write_form_assets(docs)
    text = "\n".join(yamlwrite.mapping_lines(_outside_config(config))) + "\n"
    _put(out / "mkdocs.yml", "# Danh mục do «sangkien site» xuất ra: dựng bằng mkdocs build, properdocs build hoặc zensical build.\n" + text,
         written)
    return written


def _put(path: Path, text: str, written: Written) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    written.files.append(path.as_posix())
