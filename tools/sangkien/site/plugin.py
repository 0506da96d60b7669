"""The MkDocs plugin `sangkien`: its hooks. The modules site/plugin*.py are the only ones of the
site that import MkDocs: plugin_config.py (the options), plugin_render.py (pages drawn through
the theme), plugin_fast.py (the generated pages taken out of MkDocs' loop).

on_config   reads extra.sangkien (Git host, repository, branch) and adds the site's CSS/JS;
on_files    loads the model (files with errors are reported and left out) and adds one
            generated page per entry, campaign, unit and index page, plus the search and form pages;
on_env      gives the theme's Jinja environment the templates compiled by the last build (site/jinjamemo.py);
on_page_content  swaps in the HTML drawn by the generators (no Markdown pass over it);
on_post_build    writes the generated pages outside the navigation (plugin_fast.py), the sitemap
                 with every page, the search index, the open data and the form's assets (in
                 `mkdocs serve` the search index and the open data follow on a thread: serve_exports.py);
on_serve    watches entries/ and schema/ so `mkdocs serve` reloads when an entry changes;
on_shutdown waits for the last exports of the server.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage

from sangkien import codes, schemas, settings
from sangkien.site import buildcache, exports, federation, form, jinjamemo, national, offloop, pagekeys, search, urls
from sangkien.site.context import Site, SiteError, Source, build_now, load_site
from sangkien.site.licence import Licence, LicenceError, licence_of
from sangkien.site.pages import generate
from sangkien.site.parts import Page
from sangkien.site.plugin_config import CatalogueConfig
from sangkien.site.plugin_fast import FastBuild, background_exports, front_matter, relpath, threaded_exports
from sangkien.site.plugin_render import Renderer, table
from sangkien.site.serve_exports import ServeExports
from sangkien.site.serve_watch import NativeWatch
from sangkien.site.word_templates import WordTemplates

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation

__all__ = ["CatalogueConfig", "CataloguePlugin"]

log = get_plugin_logger("sangkien")
NAV_PAGES = {urls.HOME, urls.CATALOGUE, urls.CAMPAIGNS, urls.UNITS, urls.STATS, urls.FIELDS, urls.CODES, urls.DATA}


class CataloguePlugin(BasePlugin[CatalogueConfig]):  # type: ignore[no-untyped-call]  # mkdocs' __init_subclass__ is unannotated
    def __init__(self) -> None:
        super().__init__()
        self.site: Site | None = None
        self.pages: dict[str, Page] = {}
        self.meta: dict[str, dict[str, str]] = {}  # src -> the generated page's meta (title, description)
        self.root = Path.cwd()
        self.source = Source()
        self.licence: Licence = licence_of(None)
        self.docs_rel: str | None = None
        self.serving = False
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None
        self.doc_files: Sequence[File] = []
        self.fast = FastBuild(self)
        self.exports: exports.Background[list[str]] | None = None
        self.serve_exports = ServeExports()  # `mkdocs serve`: the exports written on a thread after the pages
        self.threaded = False  # this build's exports go to that thread
        self.watch: NativeWatch | None = None  # `mkdocs serve`: the data folders watched by the system's notifications
        self.word_templates = WordTemplates()  # written in on_files, copied in on_post_build
        self.national: Path | None = None  # national mode: the search indexes the harvested catalogues of this root

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this object across the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"
        # The server remembers page keys (and the like) by signature between its rebuilds; not without caches.
        keep = self.serving and buildcache.enabled()
        pagekeys.keep(keep)
        self.fast.keep = keep

    def on_shutdown(self) -> None:
        self.serve_exports.settle()  # the last exports finished before the server removes the site
        pagekeys.keep(False)
        if self.watch is not None:
            self.watch.stop()
            self.watch = None

    def settle(self) -> None:
        """Wait for what the last build left running (the exports of a `mkdocs serve` rebuild)."""
        self.serve_exports.settle()

    # ---------------------------------------------------------------- config
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        if not config.use_directory_urls:
            raise PluginError("sangkien: trang danh mục cần use_directory_urls: true trong mkdocs.yml (đường dẫn dạng /sang-kien/<mã>/).")
        extra = config.extra.get("sangkien") or {}
        self.source = Source(str(extra.get("host") or ""), str(extra.get("repository") or ""),
                             str(extra.get("branch") or "main"), str(extra.get("forge") or "github"))
        try:
            self.licence = licence_of(extra.get("licence"))
        except LicenceError as err:
            raise PluginError(f"sangkien: {err}") from err
        if settings.deploy() and not config.site_url and not self.serving:
            info = codes.CODES["SK920"]
            raise PluginError(f"sangkien: [SK920] {info.title}: biến môi trường {settings.DEPLOY}=1 báo đây là bản dựng để công bố, "
                              f"nhưng mkdocs.yml chưa có dòng site_url. Cách sửa: {info.fix}")
        # No English on a public page: Material's footer «Made with Material for MkDocs» is off
        # unless mkdocs.yml asks for it (extra.generator: true).
        config.extra.setdefault("generator", False)
        if not config.repo_url and self.source.base:
            config.repo_url = self.source.base
        self.docs_rel = _relative(Path(config.docs_dir), self.root)
        if urls.CSS not in config.extra_css:
            config.extra_css.append(urls.CSS)
        if search.SEARCH_SCRIPT not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(search.SEARCH_SCRIPT)
        return config

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
        # The data folders through native notifications and one polled signal file (site/serve_watch.py);
        # a folder the system cannot watch is polled by the server itself, as MkDocs does.
        self.watch = self.watch or NativeWatch()
        native = False
        for name in ("entries", "schema"):
            folder = self.root / name
            if folder.is_dir():
                if self.watch.add(folder):
                    native = True
                else:
                    server.watch(str(folder))
        if native:
            server.watch(str(self.watch.folder))
        return server

    def on_pre_build(self, config: MkDocsConfig) -> None:
        self.nav, self.env, self.doc_files = None, None, []
        if self.serving:
            self.serve_exports.hold(Path(config.site_dir))
        self.fast.start(config, self.root)

    # ---------------------------------------------------------------- pages
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            now = build_now()
            self.site = site = load_site(self.root, now, self.source, recorded=not self.serving)
        except SiteError as err:
            raise PluginError(str(err)) from err
        site.site_url, site.licence = str(config.site_url or ""), self.licence
        self.national = self.root if national.enabled(config.extra.get("sangkien")) else None
        self.exports = None
        self.threaded = self.serving and threaded_exports(files)
        if not self.threaded and background_exports(files):  # written by another process while this one draws the pages; on_post_build waits
            self.exports = exports.Background(exports.write_exports, site.public_repo(), Path(config.site_dir), config.site_url or "",
                                              schemas.schema_dir(self.root), self.licence, self.national, self._export_cache())
        for path, problems in sorted(site.skipped.items()):
            first = problems[0]
            log.warning(f"Bỏ qua {path} khi dựng trang: có {len(problems)} lỗi, ví dụ {first.code} dòng {first.line}: {first.message} "
                        f"Chạy «sangkien validate {path}» để xem đủ.")
        self.pages, self.meta = {}, {}
        pagekeys.new_build()
        output = generate(site, config.site_name, self.config.catalogue_page_size)
        generated = [*output.pages, *federation.pages(self.root, now)]  # the status page of harvested catalogues, if any
        if self.national is not None:  # the harvested catalogues alone
            generated = national.pages(self.root, now, home=urls.HOME) + federation.pages(self.root, now)
            output.files = {}
        for path, text in output.files.items():
            files.append(File.generated(config, path, content=text))
        known = files.src_uris  # MkDocs' own mapping, kept up to date as files are appended
        cwd = os.getcwd()
        for page in generated:
            src = urls.src_uri(page.url)
            if (known.get(src) if posixpath.normpath(src) == src else files.get_file_from_path(src)) is not None:
                log.info(f"docs/{src} có sẵn nên được dùng thay cho trang tự tạo.")
                continue
            title, description, content = front_matter(page.title, page.description)
            meta = {"title": title, "description": description}
            # Entries are never in the nav (quadratic builds); NOT_IN_NAV keeps MkDocs from listing them.
            inclusion = InclusionLevel.INCLUDED if page.url in NAV_PAGES else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, src, content=content, inclusion=inclusion)
            # The edit button of an entry page opens the entry's own file in the repository.
            file.edit_uri = relpath(page.source, self.docs_rel, cwd) if page.source and self.docs_rel is not None else None
            files.append(file)
            self.pages[src], self.meta[src] = page, meta
        if files.get_file_from_path(urls.src_uri(urls.SEARCH)) is None:
            files.append(File.generated(config, urls.src_uri(urls.SEARCH), content=search.SEARCH_PAGE_MARKDOWN))
        try:
            templates = self.word_templates.write(site.repo.campaigns.values(), now)
        except Exception as err:
            raise PluginError(f"sangkien: không tạo được mẫu Word của đợt đang nhận bài ({type(err).__name__}: {err}).") from err
        for kind, form_page in form.PAGES.items():  # Nộp sáng kiến, Ghi nhận nhân rộng
            if files.get_file_from_path(form_page.src) is None:
                content = form.page_markdown(kind, site.repo, self.root, config.extra.get("sangkien") or None,
                                             urls.rel(form_page.url, ""), templates)
                files.append(File.generated(config, form_page.src, content=content))
        edit_inputs = [self.source.base, config.repo_url, config.edit_uri, config.edit_uri_template, self.docs_rel]
        low_memory = len(self.pages) >= self.config.low_memory_from_pages
        if low_memory:
            log.info(f"Bản dựng lớn ({len(self.pages)} trang tự tạo, từ {self.config.low_memory_from_pages} trang): chỉ mục tìm kiếm "
                     "và dữ liệu mở được ghi xong trước khi vẽ trang, trang vẽ xong được giữ ở dạng nén, để đỡ tốn bộ nhớ.")
            if self.exports is not None:  # its copy of the model is gone before the drawing workers make theirs
                try:
                    self.exports.result()  # kept for on_post_build
                except exports.ExportError as err:
                    raise PluginError(str(err)) from err
        self.fast.take(files, config, self.root, self.pages, self.meta, NAV_PAGES, edit_inputs, packed=low_memory)
        return files

    def _export_cache(self) -> Path | None:
        """Where the exports keep what spares the next build their unchanged work (None: no cache)."""
        return buildcache.location(self.root) if buildcache.enabled() else None

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    @event_priority(-100)  # after every other plugin's env changes: the pages are drawn with the final env
    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if env.bytecode_cache is None:  # unless another plugin gave it one
            env.bytecode_cache = jinjamemo.MEMO
        self.env = env
        inclusion = InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included
        self.doc_files = files.documentation_pages(inclusion=inclusion)
        return env

    def on_pre_page(self, page: MkPage, config: MkDocsConfig, files: Files) -> MkPage:
        # «Chỉnh sửa» opens the page's own file in the host's editor, in the host's URL shape
        # (extra.sangkien.forge); a generated page without a file of its own has no edit button.
        generated = self.pages.get(page.file.src_uri)
        if self.source.base:
            if generated is not None:
                page.edit_url = self.source.edit_url(generated.source) if generated.source else None
            elif not page.file.generated_by and self.docs_rel is not None:
                page.edit_url = self.source.edit_url(posixpath.normpath(f"{self.docs_rel}/{page.file.src_uri}"))
        return page

    def on_page_content(self, html_text: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html_text
        out = self.fast.content(page.file.src_uri)
        if out is None:
            out = generated.html()
        page.toc = table(offloop.toc_of(out))
        return out

    def on_build_error(self, error: Exception) -> None:
        if self.serving and self.fast.site_dir:
            self.serve_exports.drop(Path(self.fast.site_dir))
        if self.exports is not None:
            self.exports.stop()
            self.exports = None
        self.fast.abort()

    # ---------------------------------------------------------------- end of the build
    def on_post_build(self, config: MkDocsConfig) -> None:
        renderer = Renderer(config, self.env, self.nav, self.doc_files) if self.env is not None and self.nav is not None else None
        self.fast.write(renderer, self.root, self.pages, self.meta, self.source, log.info)
        if self.site is None:
            return
        site_dir = Path(config.site_dir)
        try:
            if self.threaded:  # the page is served at once, the exports follow (site/serve_exports.py)
                repo, site_url, schema_dir = self.site.public_repo(), config.site_url or "", schemas.schema_dir(self.root)
                licence, national_root, cache_dir = self.licence, self.national, self._export_cache()
                self.serve_exports.start(site_dir, lambda out: exports.write_exports(repo, out, site_url, schema_dir, licence, national_root, cache_dir),
                                         log.info, log.error, exports.ExportError)
                messages = []
            elif self.exports is not None:  # started in on_files, in another process
                background, self.exports = self.exports, None
                messages = background.result()
            else:
                messages = exports.write_exports(self.site.public_repo(), site_dir, config.site_url or "", schemas.schema_dir(self.root),
                                                 self.licence, self.national, self._export_cache())
        except exports.ExportError as err:
            raise PluginError(str(err)) from err
        for message in messages:
            log.info(message)
        try:
            form.write_form_assets(site_dir)
            self.word_templates.copy_to(site_dir)  # the Word templates the submission page links to
        except Exception as err:
            raise PluginError(f"sangkien: không chép được tệp của biểu mẫu nộp bài ({type(err).__name__}: {err}).") from err


def _relative(docs_dir: Path, root: Path) -> str | None:
    try:
        return Path(os.path.relpath(docs_dir.resolve(), root)).as_posix()
    except ValueError:
        return None
