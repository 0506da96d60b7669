"""The build's fast page path, on MkDocs' side.

MkDocs builds the hand-written pages and the navigation pages. The other generated pages
(entries, units, campaigns, listing pages) are taken out of its loop: drawn ahead on all cores,
unless the last build's file of the page can be reused (site/offloop.py, keys from
site/pagekeys.py), and written at the end of the build into the theme's chrome, which the theme
draws once per page shape (site/shell.py, through site/plugin_render.py). None of this changes a
byte of the site: tests/test_scale_equivalence.py builds with SANGKIEN_FAST_BUILD=0, every page
through MkDocs, and compares every file.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from sangkien import cache, parallel, settings
from sangkien.site import buildcache, exports, markup, offloop, shell
from sangkien.site.context import Source
from sangkien.site.parts import Page
from sangkien.site.plugin_render import Renderer, edit_url

FAST = settings.fast_build()  # SANGKIEN_FAST_BUILD=0: MkDocs' own page pipeline (to compare)
PAGE_EVENTS = ("page_context", "post_page", "pre_page", "page_markdown", "page_content", "pre_template", "template_context", "post_template")


def background_exports(files: Files) -> bool:
    """Whether the search index and the open data, which need only the model, are written by a
    forked process while this one draws the pages (MkDocs has already emptied the site folder;
    they write files no page is written to)."""
    return FAST and parallel.cores() > 1 and parallel.can_fork() and not exports.collides([f.dest_uri for f in files])


def threaded_exports(files: Files) -> bool:
    """Whether a `mkdocs serve` rebuild writes the exports on a thread after the pages
    (site/serve_exports.py; it cannot fork there): not when a file MkDocs writes could be theirs."""
    return FAST and not exports.collides([f.dest_uri for f in files])


def only_us(config: MkDocsConfig, owner: object) -> bool:
    """Pages are taken out of MkDocs' loop only if no other plugin takes part in drawing a page
    (its hooks would run in another process, or see the page twice)."""
    return all(isinstance(getattr(method, "__self__", None), type(owner)) for event in PAGE_EVENTS for method in config.plugins.events.get(event, []))


class FastBuild:
    """One build's pages outside MkDocs' loop, the contents drawn ahead and the pages held from the last build."""

    def __init__(self, owner: object) -> None:
        self.owner = owner  # the plugin: its own page hooks do not stop the fast path
        self.files: dict[str, File] = {}  # src -> generated page written at the end, outside MkDocs' loop
        self.items: list[offloop.Item] = []  # those pages, with their inputs keys
        self.all_files: list[File] = []  # every file, in MkDocs' order, the pages outside its loop too (for the sitemap)
        self.inner: dict[str, offloop.Drawn] = {}  # src -> a generated page's HTML (or compressed), drawn ahead
        self.kept: dict[str, buildcache.Kept] = {}  # site-relative page file -> what the last build recorded, put aside
        self.memo: buildcache.Memo | None = None
        self.site_dir = ""
        self.reused = 0  # how many pages the last build took from the build before
        # `mkdocs serve` (keep): the Markdown memo stays in memory, and each page's inputs key with what it was made of
        self.keep = False
        self.kept_memo: buildcache.Memo | None = None
        self.inputs_memo: dict[str, tuple[tuple[object, ...], str | None]] = {}
        # and the record of the page files it wrote (buildcache.stamps; its site folder is its own, a temporary one)
        self.stamps: tuple[str, dict[str, list[object]]] | None = None

    def start(self, config: MkDocsConfig, root: Path) -> None:
        """Before MkDocs empties the site: the page files of the last build that are still as it
        wrote them are put aside in a hidden folder of the site; `write` moves back those it reuses."""
        markup.MEMO = None
        self.files, self.items, self.all_files, self.inner, self.kept, self.memo = {}, [], [], {}, {}, None
        self.site_dir = config.site_dir
        offloop.drop_hold(Path(config.site_dir))
        if FAST and buildcache.enabled() and only_us(config, self.owner):
            stamps = self.stamps if self.keep and self.stamps is not None and self.stamps[0] == config.site_dir else None
            kept = buildcache.still_kept(stamps[1], config.site_dir) if stamps is not None else buildcache.kept_pages(root, config.site_dir)
            self.kept = offloop.hold(Path(config.site_dir), kept)

    def take(self, files: Files, config: MkDocsConfig, root: Path, generated: dict[str, Page], meta: dict[str, dict[str, str]],
             nav_urls: Collection[str], edit_inputs: Sequence[object], packed: bool = False) -> None:
        """Take the generated pages not in the navigation out of `files`, then draw ahead every
        generated page but those whose file of the last build can be reused. The navigation pages
        (`nav_urls`) stay in MkDocs' loop. `packed`: the pages drawn wait compressed."""
        if not FAST:
            return
        if only_us(config, self.owner):
            self.all_files = list(files)
            in_nav = set(offloop.nav_paths(config.nav))  # a generated page named in mkdocs.yml's nav stays in MkDocs' loop
            self.files = {src: file for src, file in ((f.src_uri, f) for f in files) if src in generated and src not in in_nav
                          and generated[src].url not in nav_urls and file.inclusion == InclusionLevel.NOT_IN_NAV}
            for file in self.files.values():
                files.remove(file)
            self.items = self._items(config, generated, meta, edit_inputs)
        skip = {item.src for item in self.items if offloop.reusable(item, self.kept)}
        srcs = [src for src in generated if src not in skip]
        code = cache.code_key()
        kept = self.kept_memo
        self.memo = kept if self.keep and kept is not None and kept.serves(root, code) else buildcache.Memo(root, code)
        self.kept_memo = self.memo if self.keep else None
        self.inner = dict(zip(srcs, offloop.draw_ahead([generated[src] for src in srcs], self.memo, packed), strict=True))

    def _items(self, config: MkDocsConfig, generated: dict[str, Page], meta: dict[str, dict[str, str]], edit_inputs: Sequence[object]) -> list[offloop.Item]:
        """The pages outside MkDocs' loop, each with the key of all that decides its bytes but the shell."""
        custom = config.theme.custom_dir
        chrome = offloop.chrome_hint(config.config_file_path, [config.docs_dir, *([custom] if custom else [])])
        keyed = buildcache.enabled()
        items = []
        memo, edits = (self.inputs_memo if self.keep else None), repr(list(edit_inputs))
        for src, file in self.files.items():
            page, page_meta = generated[src], meta[src]
            key = page.key() if page.key is not None and keyed else None
            made = (key, tuple(page_meta.items()), file.url, page.source, edits, chrome)  # equal strings: an equal digest
            found = memo.get(src) if memo is not None else None
            if found is not None and found[0] == made:
                inputs = found[1]
            else:
                inputs = offloop.inputs(key, page_meta, file.url, page.source, edit_inputs, chrome)
                if memo is not None:
                    memo[src] = (made, inputs)
            items.append(offloop.Item(src, file.dest_uri, file.url, page_meta["title"], page_meta["description"], inputs))
        return items

    def content(self, src: str) -> str | None:
        """The page's HTML if it was drawn ahead."""
        found = self.inner.get(src)
        return offloop.unpack(found) if found is not None else None

    def write(self, renderer: Renderer | None, root: Path, generated: dict[str, Page], meta: dict[str, dict[str, str]],
              source: Source, note: Callable[[str], None]) -> None:
        """At the end of the build: the pages outside the loop (reused, or filled shells), the
        sitemap with every page, and the Markdown renderings kept for the next build."""
        self.reused = 0
        if self.files and renderer is not None:
            self._write_pages(renderer, root, generated, meta, source, note)
            renderer.sitemap(self.all_files, self.files)
        self.files, self.items, self.all_files = {}, [], []
        if self.memo is not None:
            # Unused renderings are dropped only after a build that drew every page (a reused
            # page's body is still needed the day it is drawn again).
            used = self.memo.used if not self.reused else None
            self.memo.save(used=used)
            self.memo.carry_over(used)

    def _write_pages(self, renderer: Renderer, root: Path, generated: dict[str, Page], meta: dict[str, dict[str, str]],
                     source: Source, note: Callable[[str], None]) -> None:
        config = renderer.config

        def learn(shape: offloop.Shape) -> shell.Shell | None:
            folder, edit, description, has_toc, h1 = shape
            return shell.build(renderer.probe(folder), edit=edit, description=description, toc=has_toc, h1=h1)

        def render(item: offloop.Item, content: str, toc: list[tuple[str, str]], edit: str | None) -> str:
            return renderer.generated(self.files[item.src], meta[item.src], content, toc, edit)

        def content(item: offloop.Item) -> str:
            found = self.content(item.src)
            return found if found is not None else generated[item.src].html()

        def edit(item: offloop.Item) -> str | None:
            # Without a Page when the Git host is known (the entry's own file in the host's editor).
            if source.base:
                page_source = generated[item.src].source
                return source.edit_url(page_source) if page_source else None
            return edit_url(self.files[item.src], config)

        site_dir = Path(config.site_dir)
        writer = offloop.Writer(site_dir, self.kept, learn, render, note)
        written = writer.write_all(self.items, content, edit)
        self.reused = len(self.items) - writer.drawn
        note(f"Trang tự tạo ngoài vòng dựng của MkDocs: {writer.drawn} trang được vẽ, {self.reused} trang không đổi lấy lại từ lần dựng trước.")
        offloop.drop_hold(site_dir)
        self.kept = {}
        if buildcache.enabled() and self.keep:  # in memory only: nothing else builds into a server's site folder
            self.stamps = (config.site_dir, buildcache.stamps(config.site_dir, written))
        elif buildcache.enabled():
            buildcache.record_pages(root, config.site_dir, written)

    def abort(self) -> None:
        """After a failed build: the last build's pages put aside are dropped."""
        if self.site_dir:
            offloop.drop_hold(Path(self.site_dir))


@functools.lru_cache(maxsize=1 << 16)  # the same pages at every build of a server
def front_matter(title: str, description: str) -> tuple[str, str, str]:
    """A generated page's meta (title, description, escaped as the theme shows them) and its Markdown front matter."""
    meta = {"title": html.escape(title), "description": html.escape(" ".join(description.split())[:300])}
    content = "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items()) + "---\n"
    return meta["title"], meta["description"], content


@functools.lru_cache(maxsize=1 << 16)
def relpath(path: str, start: str, cwd: str) -> str:
    """posixpath.relpath, remembered (`cwd`: what it reads when a path goes above the working folder)."""
    return posixpath.relpath(path, start)
