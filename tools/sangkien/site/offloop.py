"""The generated pages outside MkDocs' page loop: written into the theme's chrome (site/shell.py),
or reused from the last build when nothing they show changed. No MkDocs here: the plugin
(site/plugin_fast.py, site/plugin_render.py) gives the theme's drawing as functions and plain data.

Between builds the page files the last build wrote wait in a hidden folder of the site (`HOLD`:
MkDocs' clean leaves hidden entries at the top alone). A page is moved back from there, neither
drawn nor filled nor written, when its inputs key (site/pagekeys.py plus its title, description,
address, edit link inputs and the chrome's own inputs) is the one recorded, and the shell of its
shape is the one it was filled into. A page that is drawn and comes out as the file held is
moved back too (so its modification time stays).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import re
import shutil
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sangkien import parallel
from sangkien.site import markup, shell
from sangkien.site.buildcache import Kept, Memo, tree_key
from sangkien.site.pagekeys import digest
from sangkien.site.parts import Page

HOLD = ".sangkien-trang-cu"  # hidden folder of the site where the last build's pages wait during a build
H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)

# (folder, edit button, description, table of contents, own h1): pages of one shape share a shell
Shape = tuple[str, bool, bool, bool, bool]


@dataclass
class Item:
    """One generated page to write outside MkDocs' loop."""

    src: str
    dest: str  # site-relative file
    url: str
    title: str  # as the page's meta holds it (escaped)
    description: str
    inputs: str | None  # what decides its bytes but the chrome (None: drawn every build)


def toc_of(content: str) -> list[tuple[str, str]]:
    """The table of contents of a generated page: its h2 headings (anchor, text)."""
    return [(m.group(1), re.sub(r"<[^>]+>", "", m.group(2))) for m in H2.finditer(content)]


def nav_paths(nav: object) -> list[str]:
    """Every page file named in mkdocs.yml's nav (strings at any depth): such a page stays in MkDocs' loop."""
    if isinstance(nav, str):
        return [nav.lstrip("/")]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in nav_paths(value)]
    if isinstance(nav, list):
        return [p for value in nav for p in nav_paths(value)]
    return []


def chrome_hint(config_file: str | None, folders: list[str]) -> str:
    """What the theme's chrome is likely drawn from (the configuration's bytes, the generators'
    versions, the hand-written pages and theme overrides): when it changes, every page is drawn
    ahead on all cores. The shell's own digest, checked when a page is reused, is the strict test."""
    try:
        config = Path(config_file).read_bytes() if config_file else b""
    except OSError:
        config = b""
    versions = []
    for name in ("mkdocs", "mkdocs-material", "properdocs"):
        try:
            versions.append(importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            versions.append("-")
    return digest(hashlib.blake2b(config).hexdigest(), versions, tree_key(*folders))


def inputs(page_key: str | None, *parts: object) -> str | None:
    """The item's inputs key: the page's own key and what the writer adds (meta, address, edit link
    inputs, chrome hint); None when the page has no key."""
    return None if page_key is None else digest(page_key, *parts)


# ----------------------------------------------------------------- drawing ahead
# From this many pages drawn (the plugin's low_memory_from_pages), a build would hold three copies
# of its model at once (this process, the exports' process and the drawing workers) and the HTML
# of every page until the end: 6.4 GB at 100,000 entries (dev/benchmarks.md). Below it, drawing
# beside the exports and keeping plain text is faster.
LOW_MEMORY_FROM_PAGES = 20_000
_DRAW: list[Page] = []  # the pages forked workers draw (set just before forking)
_PACKED = False  # whether they give their HTML compressed (see Drawn)
# A page's content drawn ahead: its HTML, or that HTML compressed (packed): ~1/4 of the memory of
# the text (entry pages: 10.9 KB of UTF-8, 3.9 KB compressed, the str twice the characters).
Drawn = str | bytes
# what a forked worker rendered and used of the Markdown memo: (new renderings, keys used)
_Fresh = tuple[dict[str, str], set[str]]


def draw_ahead(pages: list[Page], memo: Memo, packed: bool = False) -> list[Drawn]:
    """The pages' content, drawn on all cores (entry bodies' Markdown from `memo` when unchanged);
    what the workers rendered goes back into `memo`, for the next build. Serial when forking is
    not safe (the threads of `mkdocs serve`). `packed`: each content compressed (`unpack`)."""
    global _DRAW, _PACKED
    markup.MEMO = memo
    _DRAW, _PACKED = pages, packed
    try:
        # Packed (a large build): a worker's copies of the model's pages grow with the pages it
        # draws (~0.8 GB per 3,200 at 100,000 entries), so the pool is renewed four times as often.
        per_worker = parallel.WORKER_CHUNKS // 4 if packed else parallel.WORKER_CHUNKS
        drawn = parallel.map_chunks(_draw_chunk, list(range(len(pages))), per_worker=per_worker)
    finally:
        _DRAW, _PACKED = [], False
    out = []
    for text, fresh in drawn:
        out.append(text)
        if fresh:
            new, used = fresh
            for key, value in new.items():
                memo.put(key, value)
            memo.used.update(used)
    return out


def unpack(drawn: Drawn) -> str:
    """A content drawn ahead, as text."""
    return drawn if isinstance(drawn, str) else zlib.decompress(drawn).decode("utf-8")


def _draw_chunk(indices: Sequence[int]) -> list[tuple[Drawn, _Fresh | None]]:
    """Draw some pages; the Markdown renderings made and used here go back with the first one
    (from another process they would be lost)."""
    memo = markup.MEMO
    fresh: dict[str, str] = {}
    used: set[str] = set()
    saved: _Fresh = ({}, set())  # the memo's own, while this chunk collects in `fresh` and `used`
    if memo is not None:
        saved, memo.new, memo.used = (memo.new, memo.used), fresh, used
    try:
        texts = [_DRAW[i].html() for i in indices]
        # level 1: most of the gain, at a few percent of the drawing's time
        drawn: list[Drawn] = [zlib.compress(text.encode("utf-8"), 1) for text in texts] if _PACKED else list(texts)
    finally:
        if memo is not None:
            memo.new, memo.used = saved
    return [(text, (fresh, used) if n == 0 else None) for n, text in enumerate(drawn)]


# ----------------------------------------------------------------- the hold folder
def hold(site_dir: Path, kept: dict[str, Kept]) -> dict[str, Kept]:
    """Put the last build's page folders aside (before MkDocs empties the site); the pages held."""
    folder = site_dir / HOLD
    shutil.rmtree(folder, ignore_errors=True)
    for top in sorted({rel.split("/", 1)[0] for rel in kept if "/" in rel}):
        with contextlib.suppress(OSError):
            folder.mkdir(exist_ok=True)
            os.replace(site_dir / top, folder / top)
    return {rel: k for rel, k in kept.items() if (folder / rel).is_file()}


def drop_hold(site_dir: Path) -> None:
    shutil.rmtree(site_dir / HOLD, ignore_errors=True)


def reusable(item: Item, held: dict[str, Kept]) -> bool:
    """Whether the page may not need drawing (its shell is checked when it is written)."""
    found = held.get(item.dest)
    return item.inputs is not None and found is not None and found.inputs == item.inputs


# ----------------------------------------------------------------- writing
class Writer:
    """Writes the items: held file moved back, or content drawn, filled into its shape's shell
    (a shape's first page also drawn through the template: if they differ, that shape's pages all are)."""

    def __init__(self, site_dir: Path, held: dict[str, Kept], learn: Callable[[Shape], shell.Shell | None],
                 render: Callable[[Item, str, list[tuple[str, str]], str | None], str], note: Callable[[str], None]) -> None:
        self.site_dir, self.held, self.learn, self.render, self.note = site_dir, held, learn, render, note
        self.shells: dict[Shape, shell.Shell | None] = {}
        self.shell_keys: dict[Shape, str] = {}  # shape -> digest of its shell ('' when none), as learned this build
        self.checked: set[Shape] = set()
        self.written: dict[str, Kept] = {}
        self.made: set[str] = set()  # folders known to exist
        self.drawn = 0

    def shell_of(self, shape: Shape) -> shell.Shell | None:
        if shape not in self.shells:
            self.shells[shape] = self.learn(shape)
        return self.shells[shape]

    def _shell_key(self, shape: Shape) -> str:
        if shape not in self.shell_keys:
            found = self.shell_of(shape)
            self.shell_keys[shape] = found.digest() if found is not None else ""
        return self.shell_keys[shape]

    def write_all(self, items: Iterable[Item], content: Callable[[Item], str], edit: Callable[[Item], str | None]) -> dict[str, Kept]:
        for item in items:
            if not self._reuse(item):
                self._write(item, content(item), edit(item))
        return self.written

    def _reuse(self, item: Item) -> bool:
        if not reusable(item, self.held):
            return False
        kept = self.held[item.dest]
        shape = kept.shape_tuple()
        if shape is None or not kept.shell or self._shell_key(shape) != kept.shell:
            return False
        if not self._move_back(item.dest):
            return False
        self.written[item.dest] = kept
        return True

    def _move_back(self, dest: str) -> bool:
        """The held file back in place: its whole folder when the page is alone in it (one rename,
        nothing left to remove from the hold folder), else the file. (Plain strings: thousands of
        pages per build, where pathlib's parsing showed.)"""
        base = os.fspath(self.site_dir)
        held, target = f"{base}/{HOLD}/{dest}", f"{base}/{dest}"
        try:
            if dest.endswith("/index.html") and os.listdir(os.path.dirname(held)) == ["index.html"]:
                folder = os.path.dirname(target)
                self._folder(os.path.dirname(folder))
                with contextlib.suppress(OSError):  # a folder MkDocs already wrote into: the file alone
                    os.rename(os.path.dirname(held), folder)
                    return True
            self._folder(os.path.dirname(target))
            os.replace(held, target)
        except OSError:
            return False
        return True

    def _folder(self, path: str) -> None:
        if path not in self.made:
            os.makedirs(path, exist_ok=True)
            self.made.add(path)

    def _write(self, item: Item, content: str, edit: str | None) -> None:
        self.drawn += 1
        toc = toc_of(content)
        segment = shell.segment_of(item.url)
        shape: Shape = (shell.folder_of(item.url), edit is not None, bool(item.description), bool(toc), "<h1" in content)
        found = self.shell_of(shape) if segment is not None else None
        out = None
        if found is not None and segment is not None:
            out = found.fill(item.title, item.description, content, edit, segment, toc)
            if shape not in self.checked:
                self.checked.add(shape)
                if out != self.render(item, content, toc, edit):
                    self.note(f"Khung trang của {shape[0] or '/'} khác trang dựng qua giao diện: các trang này được dựng từng trang.")
                    self.shells[shape], self.shell_keys[shape], found, out = None, "", None, None
        if out is None:
            out = self.render(item, content, toc, edit)
        data = out.encode("utf-8", errors="xmlcharrefreplace")
        key = hashlib.blake2b(data, digest_size=16).hexdigest()
        path = self.site_dir / item.dest
        self.written[item.dest] = Kept(key, item.inputs, list(shape), self._shell_key(shape) if found is not None else "")
        held = self.held.get(item.dest)
        if held is not None and held.digest == key and self._move_back(item.dest):  # the last build's file is this page
            return
        self._folder(os.path.dirname(path))
        path.write_bytes(data)


# ----------------------------------------------------------------- sitemap
@dataclass
class SitemapPage:
    """What a sitemap template reads of a page outside MkDocs' loop (no MkDocs Page built for it)."""

    url: str
    canonical_url: str | None
    abs_url: str | None
    update_date: str
    is_link: bool = False


@dataclass
class SitemapFile:
    page: SitemapPage


def sitemap_file(url: str, site_url: str | None, update_date: str) -> SitemapFile:
    """A page's sitemap record, with the canonical address MkDocs gives a page (site_url joined with its url)."""
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        canonical: str | None = urljoin(base, url)
        absolute: str | None = urlsplit(canonical).path if canonical is not None else None
    else:
        canonical = absolute = None
    return SitemapFile(SitemapPage(url, canonical, absolute, update_date))
