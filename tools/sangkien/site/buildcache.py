"""What a site build keeps for the next one (under .sangkien-cache/site/, never committed; or
SANGKIEN_CACHE_DIR/site/, see cachedir.py).

- Rendered Markdown of entry bodies, keyed by the text (and the code): turning 10,000 bodies into
  HTML was most of a build, and a body that did not change renders the same.
- The manifest of the generated page files the last build wrote in a site folder (digest of each
  file's content, size and modification time): the plugin moves back the files whose content is
  unchanged instead of writing them again (kept_pages, record_pages), with each page's inputs key,
  shape and shell (site/offloop.py reuses a page whose inputs did not change without drawing it).
  A file changed since, or a damaged manifest, is simply written again.
- Pages: a store of finished pages by key (files named by their key), kept for callers of the
  cache folder's layout (tests/test_settings.py); the plugin no longer uses it.

Like the validation cache: JSON, SQLite and plain files, nothing executed; a damaged or missing
cache is a full build, never an error. No MkDocs here (only the plugin's modules, site/plugin*.py, import it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sangkien import cachedir, settings

DIR = "site"


def enabled() -> bool:
    """The build cache is used: caches on (settings.cache_enabled()) and the fast build path."""
    return cachedir.enabled() and settings.fast_build()


def location(root: Path) -> Path:
    """Where the site build's cache is, for the repository at `root`."""
    return cachedir.folder(root) / DIR


def digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else json.dumps(part, sort_keys=True, default=str).encode())
        h.update(b"\0")
    return h.hexdigest()


def tree_key(*folders: str | Path) -> str:
    """Names, sizes and times of every file under the folders (the theme's templates and assets)."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(base, name)
                with contextlib.suppress(OSError):
                    st = os.stat(path)
                    h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class Memo:
    """Rendered Markdown by digest of (code, text, options), read at once, new ones written back."""

    def __init__(self, root: Path, key: str) -> None:
        self.path = location(root) / "markdown.sqlite3" if enabled() else None
        self.key = key
        self.known: dict[str, str] = {}
        self.new: dict[str, str] = {}
        self.used: set[str] = set()
        if self.path is None or not self.path.is_file():
            return
        try:
            db = sqlite3.connect(self.path, timeout=2.0)
            try:
                db.execute("PRAGMA trusted_schema=OFF")
                self.known = {str(k): str(v) for k, v in db.execute("SELECT key, html FROM markdown WHERE code = ?", (key,))}
            finally:
                db.close()
        except (sqlite3.Error, OSError, ValueError):
            self.known = {}

    def get(self, digest_: str) -> str | None:
        found = self.known.get(digest_)
        if found is not None:
            self.used.add(digest_)
        return found

    def put(self, digest_: str, html: str) -> None:
        self.known[digest_] = html
        self.new[digest_] = html
        self.used.add(digest_)

    def serves(self, root: Path, key: str) -> bool:
        """Whether this memo, kept in memory by `mkdocs serve`, is the one a new build of `root`
        under code `key` would read (renderings are named by their text and options: one kept
        from the last build is as good as one read again). Never without a cache folder."""
        return self.path is not None and self.key == key and self.path == location(root) / "markdown.sqlite3" and enabled()

    def carry_over(self, used: set[str] | None = None) -> None:
        """After `save(used)`: what the next build of the same server starts from (those dropped
        from the file dropped here too)."""
        if used is not None:
            self.known = {k: v for k, v in self.known.items() if k in used}
        self.new, self.used = {}, set()

    def save(self, used: set[str] | None = None) -> None:
        """Write the new renderings; drop those of another code version (and, with `used`, unused ones)."""
        if self.path is None or not (self.new or (used is not None and set(self.known) - used)):
            return
        try:
            cachedir.make(self.path.parent.parent)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=2.0, isolation_level=None)
            try:
                db.execute("PRAGMA synchronous=OFF")
                db.execute("BEGIN IMMEDIATE")
                db.execute("CREATE TABLE IF NOT EXISTS markdown (key TEXT PRIMARY KEY, code TEXT, html TEXT)")
                db.execute("DELETE FROM markdown WHERE code != ?", (self.key,))
                db.executemany("INSERT OR REPLACE INTO markdown VALUES (?, ?, ?)", [(k, self.key, v) for k, v in self.new.items()])
                if used is not None:
                    stale = [k for k in self.known if k not in used]
                    db.executemany("DELETE FROM markdown WHERE key = ?", [(k,) for k in stale])
                db.execute("COMMIT")
            finally:
                db.close()
        except (sqlite3.Error, OSError, ValueError, UnicodeError):
            pass


class Pages:
    """Finished pages as files named by their key (so a worker process can add one safely).
    Without the cache, a temporary folder plays the store for one build."""

    def __init__(self, root: Path, folder: Path | None = None) -> None:
        self.shared = folder is None  # in the cache folder (made with its .gitignore), not a scratch one
        self.folder = folder if folder is not None else location(root) / "pages"

    def path(self, key: str) -> Path | None:
        return self.folder / key[:2] / f"{key}.html" if self.folder is not None else None

    def has(self, key: str) -> bool:
        path = self.path(key)
        return path is not None and path.is_file()

    def read(self, key: str) -> str | None:
        path = self.path(key)
        if path is None:
            return None
        try:
            return path.read_bytes().decode("utf-8", "surrogatepass")
        except (OSError, UnicodeError):
            return None

    def write(self, key: str, html: str) -> None:
        path = self.path(key)
        if path is None:
            return
        # Written to a temporary name then renamed (a reader never sees half a page), without the
        # fsync of atomic.py: a cache lost in a power cut is rebuilt, and 10,000 fsyncs are slow.
        try:
            if self.shared and not path.parent.is_dir():
                cachedir.make(self.folder.parent.parent)
            cachedir.write_text(path, html, durable=False)
        except (OSError, UnicodeError):
            pass

    def clear(self) -> None:
        if self.folder is not None and self.folder.is_dir():
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)

    def sweep(self, keep: set[str], age_s: float = 600) -> None:
        """Forget the pages of earlier builds that this build did not use (not those written in
        the last minutes: another build of the same repository may be using them)."""
        if self.folder is None or not self.folder.is_dir():
            return
        before = time.time() - age_s
        with contextlib.suppress(OSError):
            for sub in os.scandir(self.folder):
                if not sub.is_dir():
                    continue
                for entry in os.scandir(sub.path):
                    if entry.name.endswith(".html") and entry.name[:-5] not in keep:
                        with contextlib.suppress(OSError):
                            if entry.stat().st_mtime < before:
                                os.unlink(entry.path)


# ----------------------------------------------------------------- pages left in the site folder
def _manifest(root: Path) -> Path:
    return location(root) / "pages.json"


@dataclass
class Kept:
    """A page file a build wrote: digest of its bytes, its inputs key (site/offloop.py; None: none),
    its shape and the digest of the shell it was filled into ('' when drawn through the template)."""

    digest: str
    inputs: str | None = None
    shape: list[Any] | None = None
    shell: str = ""

    def shape_tuple(self) -> tuple[str, bool, bool, bool, bool] | None:
        s = self.shape
        if not (isinstance(s, list) and len(s) == 5 and isinstance(s[0], str) and all(isinstance(x, bool) for x in s[1:])):
            return None
        return (s[0], s[1], s[2], s[3], s[4])


def kept_pages(root: Path, site_dir: str) -> dict[str, Kept]:
    """The page files the last build wrote in `site_dir` (site-relative path -> what it recorded),
    if each is still exactly as written (size and modification time)."""
    try:
        recorded = json.loads(_manifest(root).read_text(encoding="utf-8")).get(os.path.realpath(site_dir))
    except (OSError, ValueError, AttributeError):
        return {}
    return still_kept(recorded, site_dir)


def still_kept(recorded: object, site_dir: str) -> dict[str, Kept]:
    """Of the stamps a build recorded for `site_dir` (record_pages' or stamps' form), the pages
    whose file is still exactly as written (size and modification time)."""
    if not isinstance(recorded, dict):
        return {}
    kept = {}
    base = os.path.realpath(site_dir)
    for rel, stamp in recorded.items():
        try:
            key, size, mtime, inputs, shape, shell = stamp
            st = os.stat(os.path.join(base, rel))
        except (OSError, ValueError, TypeError):
            continue
        if isinstance(rel, str) and ".." not in rel.split("/") and st.st_size == size and st.st_mtime_ns == mtime:
            kept[rel] = Kept(str(key), inputs if isinstance(inputs, str) else None, shape if isinstance(shape, list) else None,
                             shell if isinstance(shell, str) else "")
    return kept


def stamps(site_dir: str, pages: dict[str, Kept]) -> dict[str, list[Any]]:
    """What a build records of its page files (for still_kept): each one's record, size and time."""
    base = os.path.realpath(site_dir)
    out = {}
    for rel, kept in pages.items():
        with contextlib.suppress(OSError):
            st = os.stat(os.path.join(base, rel))
            out[rel] = [kept.digest, st.st_size, st.st_mtime_ns, kept.inputs, kept.shape, kept.shell]
    return out


def record_pages(root: Path, site_dir: str, pages: dict[str, Kept]) -> None:
    """Remember the page files of this build (for kept_pages); the last three site folders."""
    path = _manifest(root)
    base = os.path.realpath(site_dir)
    stamps_ = stamps(site_dir, pages)
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
        known = known if isinstance(known, dict) else {}
    except (OSError, ValueError):
        known = {}
    known.pop(base, None)
    known = {k: v for k, v in list(known.items())[-2:] if os.path.isdir(k)}
    known[base] = stamps_
    with contextlib.suppress(OSError, ValueError):
        cachedir.make(path.parent.parent)
        cachedir.write_text(path, json.dumps(known), durable=False)
