"""The MkDocs plugin `sangkien`: the only module of the site that imports MkDocs.

on_config   reads extra.sangkien (Git host, repository, branch) and adds the site's CSS/JS;
on_files    loads the model (files with errors are reported and left out) and adds one
            generated page per entry, campaign, unit and index page, plus the search and form pages;
on_page_content  swaps in the HTML drawn by the generators (no Markdown pass over it);
on_post_build    writes the generated pages outside the navigation (site/offloop.py: reused from the
                 last build when their inputs did not change, site/pagekeys.py; else filled into
                 the theme's chrome, site/shell.py), the sitemap with every page, the search
                 index, the open data and the form's assets;
on_serve    watches entries/ and schema/ so `mkdocs serve` reloads when an entry changes.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jinja2
from mkdocs import utils as mkdocs_utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import TableOfContents, get_toc

from sangkien import cache, codes, parallel, schemas, settings
from sangkien.model import Campaign
from sangkien.site import buildcache, exports, federation, form, markup, national, offloop, search, shell, urls
from sangkien.site.catalogue import PAGE_SIZE
from sangkien.site.context import Site, SiteError, Source, build_now, load_site
from sangkien.site.licence import Licence, LicenceError, licence_of
from sangkien.site.pages import generate
from sangkien.site.parts import Page

if TYPE_CHECKING:
    from datetime import datetime

    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation


log = get_plugin_logger("sangkien")
NAV_PAGES = {urls.HOME, urls.CATALOGUE, urls.CAMPAIGNS, urls.UNITS, urls.STATS, urls.FIELDS, urls.CODES, urls.DATA}


class CatalogueConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs' Config.__init_subclass__ is unannotated
    # Initiatives per catalogue page once the catalogue outgrows one page.
    catalogue_page_size = c.Type(int, default=PAGE_SIZE)


class CataloguePlugin(BasePlugin[CatalogueConfig]):  # type: ignore[no-untyped-call]  # mkdocs' __init_subclass__ is unannotated
    def __init__(self) -> None:
        super().__init__()
        self.site: Site | None = None
        self.pages: dict[str, Page] = {}
        self.root = Path.cwd()
        self.source = Source()
        self.licence: Licence = licence_of(None)
        self.docs_rel: str | None = None
        self.serving = False
        self.meta: dict[str, dict[str, str]] = {}  # src -> the generated page's meta (title, description)
        self.inner: dict[str, str] = {}  # src -> the generated page's HTML, drawn ahead (in parallel)
        self.nav: Navigation | None = None
        self.memo: buildcache.Memo | None = None
        self.exports: exports.Background[list[str]] | None = None
        self.offloop: dict[str, File] = {}  # src -> generated page written by on_post_build, outside MkDocs' loop
        self.items: list[offloop.Item] = []  # those pages, with their inputs keys
        self.reused = 0  # how many of them the last on_post_build took from the build before
        self.all_files: list[File] = []  # every file, in MkDocs' order, the pages outside its loop too (for the sitemap)
        self.env: jinja2.Environment | None = None
        self.doc_files: Sequence[File] = []
        self.kept: dict[str, buildcache.Kept] = {}  # site-relative page file -> what the last build recorded, put aside by on_pre_build
        self.site_dir = ""
        self.word_templates: tempfile.TemporaryDirectory[str] | None = None  # written in on_files, copied in on_post_build
        self.national: Path | None = None  # national mode: the search indexes the harvested catalogues of this root

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this object across the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"

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
        for name in ("entries", "schema"):
            if (self.root / name).is_dir():
                server.watch(str(self.root / name))
        return server

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
        if FAST and parallel.cores() > 1 and parallel.can_fork() and not exports.collides([f.dest_uri for f in files]):
            # The search index and the open data need only the model: written by another process
            # while this one draws the pages (MkDocs has already emptied the site folder; they
            # write files no page is written to). on_post_build waits for them.
            self.exports = exports.Background(exports.write_exports, site.public_repo(), Path(config.site_dir), config.site_url or "",
                                              schemas.schema_dir(self.root), self.licence, self.national, self._export_cache())
        for path, problems in sorted(site.skipped.items()):
            first = problems[0]
            log.warning(f"Bỏ qua {path} khi dựng trang: có {len(problems)} lỗi, ví dụ {first.code} dòng {first.line}: {first.message} "
                        f"Chạy «sangkien validate {path}» để xem đủ.")
        self.pages, self.meta = {}, {}
        output = generate(site, config.site_name, self.config.catalogue_page_size)
        generated = output.pages
        generated = [*generated, *federation.pages(self.root, now)]  # the status page of harvested catalogues, if any
        if self.national is not None:  # the harvested catalogues alone
            generated = national.pages(self.root, now, home=urls.HOME) + federation.pages(self.root, now)
            output.files = {}
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
            self.meta[src] = meta
        if files.get_file_from_path(urls.src_uri(urls.SEARCH)) is None:
            files.append(File.generated(config, urls.src_uri(urls.SEARCH), content=search.SEARCH_PAGE_MARKDOWN))
        templates = self._write_word_templates(site, now)
        for kind, form_page in form.PAGES.items():  # Nộp sáng kiến, Ghi nhận nhân rộng
            if files.get_file_from_path(form_page.src) is None:
                content = form.page_markdown(kind, site.repo, self.root, config.extra.get("sangkien") or None,
                                             urls.rel(form_page.url, ""), templates)
                files.append(File.generated(config, form_page.src, content=content))
        self.inner = {}
        if FAST and _only_us(config):
            # Pages outside the navigation are written by on_post_build, not by MkDocs' page loop.
            self.all_files = list(files)
            in_nav = set(offloop.nav_paths(config.nav))  # a generated page named in mkdocs.yml's nav stays in MkDocs' loop
            self.offloop = {src: file for src, file in ((f.src_uri, f) for f in files) if src in self.pages and src not in in_nav
                            and self.pages[src].url not in NAV_PAGES and file.inclusion == InclusionLevel.NOT_IN_NAV}
            for file in self.offloop.values():
                files.remove(file)
            self.items = self._items(config)
        if FAST:
            # Drawn ahead on all cores: every generated page but those whose file of the last build can be reused.
            skip = {item.src for item in self.items if offloop.reusable(item, self.kept)}
            srcs = [src for src in self.pages if src not in skip]
            self.memo = buildcache.Memo(self.root, cache.code_key())
            self.inner = dict(zip(srcs, offloop.draw_ahead([self.pages[src] for src in srcs], self.memo), strict=True))
        return files

    def _items(self, config: MkDocsConfig) -> list[offloop.Item]:
        """The pages outside MkDocs' loop, each with the key of all that decides its bytes but the shell."""
        custom = config.theme.custom_dir
        chrome = offloop.chrome_hint(config.config_file_path, [config.docs_dir, *([custom] if custom else [])])
        edit_inputs = [self.source.base, config.repo_url, config.edit_uri, config.edit_uri_template, self.docs_rel]
        items = []
        for src, file in self.offloop.items():
            page, meta = self.pages[src], self.meta[src]
            key = page.key() if page.key is not None and buildcache.enabled() else None
            items.append(offloop.Item(src, file.dest_uri, file.url, meta["title"], meta["description"],
                                      offloop.inputs(key, meta, file.url, page.source, edit_inputs, chrome)))
        return items

    def _export_cache(self) -> Path | None:
        """Where the exports keep what spares the next build their unchanged work (None: no cache)."""
        return buildcache.location(self.root) if buildcache.enabled() else None

    def _write_word_templates(self, site: Site, now: datetime) -> list[tuple[Campaign, str]]:
        """The Word template of each initiative campaign open at build time (`sangkien template`),
        written now into a scratch folder and copied beside the submission page by on_post_build."""
        from sangkien.council import wordtemplate

        if self.word_templates is not None:
            self.word_templates.cleanup()
        self.word_templates = tempfile.TemporaryDirectory(prefix="sangkien-mau-word-")
        try:
            written = wordtemplate.write_templates(list(site.repo.campaigns.values()), Path(self.word_templates.name), now)
        except Exception as err:
            raise PluginError(f"sangkien: không tạo được mẫu Word của đợt đang nhận bài ({type(err).__name__}: {err}).") from err
        names = {p.name for p in written}
        return [(c, wordtemplate.file_name(c.id)) for c in site.repo.campaigns.values() if wordtemplate.file_name(c.id) in names]

    def on_page_content(self, html_text: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is None:
            return html_text
        out = self.inner.get(page.file.src_uri)
        if out is None:
            out = generated.html()
        page.toc = _table(offloop.toc_of(out))
        return out

    # ---------------------------------------------------------------- build speed
    # MkDocs builds the hand-written pages and the navigation pages. The other generated pages
    # (entries, units, campaigns, listing pages) are drawn ahead on all cores, unless the last
    # build's file of the page can be reused (site/offloop.py, keys from site/pagekeys.py), and
    # written by on_post_build into the theme's chrome, which the theme draws once per page shape
    # (site/shell.py). None of this changes a byte of the site (tests/test_scale_equivalence.py
    # builds with SANGKIEN_FAST_BUILD=0, every page through MkDocs, and compares every file).
    def on_pre_build(self, config: MkDocsConfig) -> None:
        markup.MEMO = None
        self.offloop, self.items, self.all_files, self.env, self.doc_files = {}, [], [], None, []
        # The page files of the last build that are still as it wrote them are put aside in a
        # hidden folder of the site: on_post_build moves back those it reuses.
        self.kept, self.site_dir = {}, config.site_dir
        offloop.drop_hold(Path(config.site_dir))
        if FAST and buildcache.enabled() and _only_us(config):
            self.kept = offloop.hold(Path(config.site_dir), buildcache.kept_pages(self.root, config.site_dir))

    def on_build_error(self, error: Exception) -> None:
        if self.exports is not None:
            self.exports.stop()
            self.exports = None
        if self.site_dir:
            offloop.drop_hold(Path(self.site_dir))

    def _edit_url(self, page: MkPage) -> None:
        # «Chỉnh sửa» opens the page's own file in the host's editor, in the host's URL shape
        # (extra.sangkien.forge); a generated page without a file of its own has no edit button.
        generated = self.pages.get(page.file.src_uri)
        if self.source.base:
            if generated is not None:
                page.edit_url = self.source.edit_url(generated.source) if generated.source else None
            elif not page.file.generated_by and self.docs_rel is not None:
                page.edit_url = self.source.edit_url(posixpath.normpath(f"{self.docs_rel}/{page.file.src_uri}"))

    def _edit_of(self, item: offloop.Item, config: MkDocsConfig) -> str | None:
        """The edit link of a page outside the loop, without a Page when the Git host is known."""
        if self.source.base:
            source = self.pages[item.src].source
            return self.source.edit_url(source) if source else None
        return MkPage(None, self.offloop[item.src], config).edit_url

    def on_pre_page(self, page: MkPage, config: MkDocsConfig, files: Files) -> MkPage:
        self._edit_url(page)
        return page

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    @event_priority(-100)  # after every other plugin's env changes: the pages are drawn with the final env
    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        self.env = env
        inclusion = InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included
        self.doc_files = files.documentation_pages(inclusion=inclusion)
        return env

    def _render(self, page: MkPage, config: MkDocsConfig) -> str:
        """A page through the theme's template, as MkDocs draws one (public API only)."""
        assert self.env is not None and self.nav is not None  # on_env ran before on_post_build
        page.active = True
        try:
            context = mkdocs_build.get_context(self.nav, self.doc_files, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
            return template.render(context)
        finally:
            page.active = False

    def _probe(self, config: MkDocsConfig, folder: str) -> Callable[[shell.Probe], str]:
        def render(probe: shell.Probe) -> str:
            file = File.generated(config, f"{folder}{probe.segment}/index.md", content="", inclusion=InclusionLevel.NOT_IN_NAV)
            page = MkPage(None, file, config)
            page.markdown, page.meta, page.content = "", {"title": probe.title, "description": probe.description}, probe.content
            page.toc = _table(probe.toc)
            page.edit_url = probe.edit
            return self._render(page, config)
        return render

    def _write_offloop(self, config: MkDocsConfig) -> None:
        """The generated pages outside MkDocs' loop (site/offloop.py): reused, or filled shells."""
        def learn(shape: offloop.Shape) -> shell.Shell | None:
            folder, edit, description, has_toc, h1 = shape
            return shell.build(self._probe(config, folder), edit=edit, description=description, toc=has_toc, h1=h1)

        def render(item: offloop.Item, content: str, toc: list[tuple[str, str]], edit: str | None) -> str:
            page = MkPage(None, self.offloop[item.src], config)
            page.markdown, page.meta, page.content = "", dict(self.meta[item.src]), content
            page.toc, page.edit_url = _table(toc), edit
            return self._render(page, config)

        def content(item: offloop.Item) -> str:
            found = self.inner.get(item.src)
            return found if found is not None else self.pages[item.src].html()

        site_dir = Path(config.site_dir)
        writer = offloop.Writer(site_dir, self.kept, learn, render, log.info)
        written = writer.write_all(self.items, content, lambda item: self._edit_of(item, config))
        self.reused = len(self.items) - writer.drawn
        log.info(f"Trang tự tạo ngoài vòng dựng của MkDocs: {writer.drawn} trang được vẽ, {self.reused} trang không đổi lấy lại từ lần dựng trước.")
        offloop.drop_hold(site_dir)
        self.kept = {}
        if buildcache.enabled():
            buildcache.record_pages(self.root, config.site_dir, written)

    def _write_sitemap(self, config: MkDocsConfig) -> None:
        """The sitemap MkDocs wrote listed only its own pages: written again with every page, as
        MkDocs draws it (the pages outside its loop as plain records, no Page built for them)."""
        assert self.env is not None and self.nav is not None
        date = mkdocs_utils.get_build_date()
        pages: list[Any] = []
        for file in self.all_files:
            if file.src_uri in self.offloop:
                pages.append(offloop.sitemap_file(file.url, config.site_url, date))
            elif file.is_documentation_page() and file.inclusion.is_included() and file.page is not None:  # type: ignore[no-untyped-call]
                pages.append(file)
        try:
            template = self.env.get_template("sitemap.xml")
        except jinja2.TemplateNotFound:
            return
        output = template.render(mkdocs_build.get_context(self.nav, pages, config, base_url="."))
        if not output.strip():
            return
        path = Path(config.site_dir) / "sitemap.xml"
        path.write_bytes(output.encode("utf-8"))
        timestamp = mkdocs_utils.get_build_timestamp(pages=[p.page for p in pages])
        gz_name = f"{path}.gz"
        with open(gz_name, "wb") as f, gzip.GzipFile(fileobj=f, filename=gz_name, mode="wb", mtime=timestamp) as gz:
            gz.write(output.encode("utf-8"))

    # ---------------------------------------------------------------- exports
    def on_post_build(self, config: MkDocsConfig) -> None:
        self.reused = 0
        if self.offloop:
            self._write_offloop(config)
            self._write_sitemap(config)
            self.offloop, self.items, self.all_files = {}, [], []
        if self.memo is not None:
            # Unused renderings are dropped only after a build that drew every page (a reused
            # page's body is still needed the day it is drawn again).
            self.memo.save(used=self.memo.used if not self.reused else None)
        if self.site is None:
            return
        site_dir = Path(config.site_dir)
        try:
            if self.exports is not None:  # started in on_files, in another process
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
            if self.word_templates is not None:  # the Word templates the submission page links to
                for path in sorted(Path(self.word_templates.name).glob("*.docx")):
                    (site_dir / form.PAGE_URL).mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, site_dir / form.PAGE_URL / path.name)
                self.word_templates.cleanup()
                self.word_templates = None
        except Exception as err:
            raise PluginError(f"sangkien: không chép được tệp của biểu mẫu nộp bài ({type(err).__name__}: {err}).") from err


def _relative(docs_dir: Path, root: Path) -> str | None:
    try:
        return Path(os.path.relpath(docs_dir.resolve(), root)).as_posix()
    except ValueError:
        return None


# ---------------------------------------------------------------- build speed: helpers
FAST = settings.fast_build()  # SANGKIEN_FAST_BUILD=0: MkDocs' own page pipeline (to compare)


def _table(headings: list[tuple[str, str]]) -> TableOfContents:
    """MkDocs' table of contents of level-2 headings (anchor, text)."""
    return get_toc(cast(Any, [{"level": 2, "id": i, "name": n, "children": []} for i, n in headings]))


def _only_us(config: MkDocsConfig) -> bool:
    """Pages are drawn ahead only if no other plugin takes part in drawing a page (its hooks would
    run in another process, or see the page twice)."""
    for event in ("page_context", "post_page", "pre_page", "page_markdown", "page_content", "pre_template", "template_context",
                  "post_template"):
        for method in config.plugins.events.get(event, []):
            if not isinstance(getattr(method, "__self__", None), CataloguePlugin):
                return False
    return True
