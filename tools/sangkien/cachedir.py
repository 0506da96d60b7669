"""What the three caches share: where they live, how the folder is made, when a file's times
can be trusted, how their files are written.

- validation results (cache.py): `<folder>/validate.sqlite3`;
- the site build (site/buildcache.py): `<folder>/site/`;
- novelty features (novelty/cache.py): `<folder>/novelty-cache.npz` when SANGKIEN_CACHE_DIR is
  set, else inside Git's own folder as before.

The folder is `.sangkien-cache/` at the repository root, or SANGKIEN_CACHE_DIR (settings.py):
a folder outside the repository, which CI restores from the main branch's last run. Every row
the stores keep is found by repository-relative path and checked against the file's content
hash (or its stat on the machine that recorded it), so a cache made in one checkout is reused
in another one of the same code and schemas.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from sangkien import atomic, settings

DIR = ".sangkien-cache"
RACY_NS = 3_000_000_000  # a file changed less than this before it was recorded is read again
IGNORE = "# Cache of `sangkien`, rebuilt when missing: never commit it.\n*\n"


def enabled() -> bool:
    """Whether any cache may be read or written (SANGKIEN_NO_CACHE, settings.disable_cache())."""
    return settings.cache_enabled()


def folder(root: Path) -> Path:
    """The cache folder of the repository at `root`: SANGKIEN_CACHE_DIR, else `<root>/.sangkien-cache`."""
    chosen = settings.cache_dir()
    return chosen if chosen is not None else Path(root) / DIR


def relocate(path: Path) -> Path:
    """`<root>/.sangkien-cache/<name>` moved into SANGKIEN_CACHE_DIR when it is set (for callers
    that still build the default path themselves); any other path is returned as it is."""
    chosen = settings.cache_dir()
    path = Path(path)
    if chosen is None or path.parent.name != DIR:
        return path
    return chosen / path.name


def inside(path: Path, root: Path) -> bool:
    """Whether `path` is `root` or lies under it (symbolic links resolved)."""
    path, root = Path(path).resolve(), Path(root).resolve()
    return path == root or root in path.parents


def make(where: Path) -> Path:
    """Create the cache folder, with a `.gitignore` that ignores everything in it (as
    .pytest_cache does): a repository whose own .gitignore does not name it must not see it as
    a change (`validate --base` reports changed files). Raises OSError if it cannot be made."""
    where = Path(where)
    where.mkdir(parents=True, exist_ok=True)
    ignore = where / ".gitignore"
    if not ignore.exists():
        atomic.write_text(ignore, IGNORE)
    return where


# ----------------------------------------------------------------- the racy-time rule
def changed_ns(mtime_ns: int, ctime_ns: int) -> int:
    return max(mtime_ns, ctime_ns)


def settled(mtime_ns: int, ctime_ns: int, recorded_ns: int, window: int | None = None) -> bool:
    """A file last changed well before it was recorded: its times alone say it is unchanged
    (as Git does with its index, a file changed within the same instant is read again)."""
    return changed_ns(mtime_ns, ctime_ns) + (RACY_NS if window is None else window) < recorded_ns


def too_fresh(mtime_ns: int, ctime_ns: int, now_ns: int, window: int | None = None) -> bool:
    """The opposite of settled(), for a store deciding whether to keep a record at all."""
    return not settled(mtime_ns, ctime_ns, now_ns, window)


# ----------------------------------------------------------------- writes
def write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """A reader never sees half a file: a temporary file beside it, then one rename. With
    durable=False there is no fsync (a cache lost in a power cut is rebuilt, and 10,000 fsyncs
    are slow). The cache folder is made first. Raises OSError."""
    path = Path(path)
    if durable:
        atomic.write_bytes(path, data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str, durable: bool = True) -> None:
    write_bytes(path, text.encode("utf-8", "surrogatepass"), durable)
