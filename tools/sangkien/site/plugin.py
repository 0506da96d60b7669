"""The MkDocs plugin `sangkien`: the only module of the site that imports MkDocs.

on_config   reads extra.sangkien (Git host, repository, branch) and adds the site's CSS/JS;
on_files    loads the model (files with errors are reported and left out) and adds one
            generated page per entry, campaign, unit and index page, plus the search and form pages;
on_page_content  swaps in the HTML drawn by the generators (no Markdown pass over it);
on_post_build    writes the search index, the open data and the form's assets;
on_serve    watches entries/ and schema/ so `mkdocs serve` reloads when an entry changes.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import json
import os
import posixpath
import re
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import get_toc

from sangkien import schemas
from sangkien.model import Entry
from sangkien.site import urls
from sangkien.site.catalogue import PAGE_SIZE
from sangkien.site.context import Site, SiteError, Source, build_now, load_site
from sangkien.site.pages import generate
from sangkien.site.parts import Page

log = get_plugin_logger("sangkien")
NAV_PAGES = {urls.HOME, urls.CATALOGUE, urls.CAMPAIGNS, urls.UNITS, urls.STATS, urls.FIELDS, urls.CODES, urls.DATA}
H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)


def url_of(entry: Entry) -> str:
    return urls.entry(entry.id)


def _optional(name: str):
    """search.py / opendata.py are written by another developer; build without them if absent."""
    return importlib.import_module(name) if importlib.util.find_spec(name) is not None else None


class CatalogueConfig(Config):
    # Initiatives per catalogue page once the catalogue outgrows one page.
    catalogue_page_size = c.Type(int, default=PAGE_SIZE)


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.site: Site | None = None
        self.pages: dict[str, Page] = {}
        self.root = Path.cwd()
        self.source = Source()

    # ---------------------------------------------------------------- config
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        if not config.use_directory_urls:
            raise PluginError("sangkien: trang danh mục cần use_directory_urls: true trong mkdocs.yml (đường dẫn dạng /sang-kien/<mã>/).")
        extra = config.extra.get("sangkien") or {}
        self.source = Source(str(extra.get("host") or ""), str(extra.get("repository") or ""),
                             str(extra.get("branch") or "main"), str(extra.get("forge") or "github"))
        if urls.CSS not in config.extra_css:
            config.extra_css.append(urls.CSS)
        search = _optional("sangkien.site.search")
        if search is not None and search.SEARCH_SCRIPT not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(search.SEARCH_SCRIPT)
        return config

    def on_serve(self, server, config: MkDocsConfig, builder):
        for name in ("entries", "schema"):
            if (self.root / name).is_dir():
                server.watch(str(self.root / name))
        return server

    # ---------------------------------------------------------------- pages
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            now = build_now()
            self.site = site = load_site(self.root, now, self.source)
        except SiteError as err:
            raise PluginError(str(err)) from err
        for path, problems in sorted(site.skipped.items()):
            first = problems[0]
            log.warning(f"Bỏ qua {path} khi dựng trang: có {len(problems)} lỗi, ví dụ {first.code} dòng {first.line}: {first.message} "
                        f"Chạy «sangkien validate {path}» để xem đủ.")
        self.pages = {}
        output = generate(site, config.site_name, self.config.catalogue_page_size)
        generated = output.pages
        for path, text in output.files.items():
            files.append(File.generated(config, path, content=text))
        docs_rel = _relative(Path(config.docs_dir), self.root)
        for page in generated:
            src = urls.src_uri(page.url)
            if files.get_file_from_path(src) is not None:
                log.info(f"docs/{src} có sẵn nên được dùng thay cho trang tự tạo.")
                continue
            meta = {"title": html.escape(page.title), "description": html.escape(" ".join(page.description.split())[:300])}
            content = "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items()) + "---\n"
            # Entries are never in the nav (quadratic builds); NOT_IN_NAV keeps MkDocs from listing them.
            inclusion = InclusionLevel.INCLUDED if page.url in NAV_PAGES else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, src, content=content, inclusion=inclusion)
            # The edit button of an entry page opens the entry's own file in the repository.
            file.edit_uri = posixpath.relpath(page.source, docs_rel) if page.source and docs_rel is not None else None
            files.append(file)
            self.pages[src] = page
        search = _optional("sangkien.site.search")
        if search is not None and files.get_file_from_path(urls.src_uri(urls.SEARCH)) is None:
            files.append(File.generated(config, urls.src_uri(urls.SEARCH), content=search.SEARCH_PAGE_MARKDOWN))
        form = _optional("sangkien.site.form")
        if form is not None and files.get_file_from_path(form.PAGE_SRC) is None:
            content = form.form_markdown(site.repo, self.root, config.extra.get("sangkien") or None, urls.rel(form.PAGE_URL, ""))
            files.append(File.generated(config, form.PAGE_SRC, content=content))
        return files

    def on_page_content(self, html_text: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html_text
        out = generated.html()
        tokens = [{"level": 2, "id": m.group(1), "name": re.sub(r"<[^>]+>", "", m.group(2)), "children": []} for m in H2.finditer(out)]
        page.toc = get_toc(tokens)
        return out

    # ---------------------------------------------------------------- exports
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.site is None:
            return
        site_dir = Path(config.site_dir)
        search = _optional("sangkien.site.search")
        if search is not None:
            try:
                figures = search.write_search(self.site.repo, site_dir, url_of)
            except Exception as err:  # a broken index must stop the build, with a readable reason
                raise PluginError(f"sangkien: không tạo được chỉ mục tìm kiếm ({type(err).__name__}: {err}).") from err
            log.info(f"Chỉ mục tìm kiếm: {figures}")
        else:
            log.info("Chưa có sangkien.site.search: bỏ qua chỉ mục tìm kiếm.")
        opendata = _optional("sangkien.site.opendata")
        if opendata is not None:
            try:
                written = opendata.write_open_data(self.site.repo, site_dir, url_of, config.site_url or "", schemas.schema_dir(self.root))
            except Exception as err:
                raise PluginError(f"sangkien: không xuất được dữ liệu mở ({type(err).__name__}: {err}).") from err
            log.info(f"Dữ liệu mở: {len(written)} tệp.")
        else:
            log.info("Chưa có sangkien.site.opendata: bỏ qua dữ liệu mở.")
        form = _optional("sangkien.site.form")
        if form is not None:
            try:
                form.write_form_assets(site_dir)
            except Exception as err:
                raise PluginError(f"sangkien: không chép được tệp của biểu mẫu nộp bài ({type(err).__name__}: {err}).") from err


def _relative(docs_dir: Path, root: Path) -> str | None:
    try:
        return Path(os.path.relpath(docs_dir.resolve(), root)).as_posix()
    except ValueError:
        return None
