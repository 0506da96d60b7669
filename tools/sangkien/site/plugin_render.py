"""Pages drawn through the theme's templates as MkDocs draws them, with MkDocs' public API only
(`get_context`, `Page`, `File`, `get_toc`, the build's Jinja environment): a generated page outside
MkDocs' loop, the probe pages from which site/shell.py learns a shell, and the sitemap with every
page. Nothing of MkDocs is replaced or patched.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import jinja2
from mkdocs import utils as mkdocs_utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page as MkPage
from mkdocs.structure.toc import TableOfContents, get_toc

from sangkien.site import offloop, shell

if TYPE_CHECKING:
    from mkdocs.structure.nav import Navigation

Headings = list[tuple[str, str]]  # (anchor id, text) of the level-2 headings


def table(headings: Headings) -> TableOfContents:
    """MkDocs' table of contents of level-2 headings (anchor, text)."""
    return get_toc(cast(Any, [{"level": 2, "id": i, "name": n, "children": []} for i, n in headings]))


def edit_url(file: File, config: MkDocsConfig) -> str | None:
    """The edit link MkDocs gives a page of this file."""
    return MkPage(None, file, config).edit_url


class Renderer:
    """The theme's drawing of one build (after on_env: its environment, navigation and pages)."""

    def __init__(self, config: MkDocsConfig, env: jinja2.Environment, nav: Navigation, doc_files: Sequence[File]) -> None:
        self.config, self.env, self.nav, self.doc_files = config, env, nav, doc_files

    def render(self, page: MkPage) -> str:
        """A page through the theme's template, as MkDocs draws one."""
        page.active = True
        try:
            context = mkdocs_build.get_context(self.nav, self.doc_files, self.config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = self.config.plugins.on_page_context(context, page=page, config=self.config, nav=self.nav)
            return template.render(context)
        finally:
            page.active = False

    def generated(self, file: File, meta: dict[str, str], content: str, toc: Headings, edit: str | None) -> str:
        """A generated page: its meta (title, description) and HTML content given, no Markdown pass."""
        page = MkPage(None, file, self.config)
        page.markdown, page.meta, page.content = "", dict(meta), content
        page.toc, page.edit_url = table(toc), edit
        return self.render(page)

    def probe(self, folder: str) -> Callable[[shell.Probe], str]:
        """How site/shell.py asks the theme to draw a probe page in `folder`."""
        def render(probe: shell.Probe) -> str:
            file = File.generated(self.config, f"{folder}{probe.segment}/index.md", content="", inclusion=InclusionLevel.NOT_IN_NAV)
            return self.generated(file, {"title": probe.title, "description": probe.description}, probe.content, probe.toc, probe.edit)
        return render

    def sitemap(self, all_files: Sequence[File], outside: Collection[str]) -> None:
        """The sitemap written again with every page, as MkDocs draws it: MkDocs' own listed only
        the pages of its loop; those outside it (`outside`: their src) go in as plain records."""
        date = mkdocs_utils.get_build_date()
        pages: list[Any] = []
        for file in all_files:
            if file.src_uri in outside:
                pages.append(offloop.sitemap_file(file.url, self.config.site_url, date))
            elif file.is_documentation_page() and file.inclusion.is_included() and file.page is not None:  # type: ignore[no-untyped-call]
                pages.append(file)
        try:
            template = self.env.get_template("sitemap.xml")
        except jinja2.TemplateNotFound:
            return
        output = template.render(mkdocs_build.get_context(self.nav, pages, self.config, base_url="."))
        if not output.strip():
            return
        path = Path(self.config.site_dir) / "sitemap.xml"
        path.write_bytes(output.encode("utf-8"))
        timestamp = mkdocs_utils.get_build_timestamp(pages=[p.page for p in pages])
        gz_name = f"{path}.gz"
        with open(gz_name, "wb") as f, gzip.GzipFile(fileobj=f, filename=gz_name, mode="wb", mtime=timestamp) as gz:
            gz.write(output.encode("utf-8"))
