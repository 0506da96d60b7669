"""The search index and the open data of a build, written beside the pages.

Both need only the model, so the plugin runs them in a forked process (`Background`) while it
draws the pages; `sangkien site --out` calls `write_exports` directly. No MkDocs here: a failure
is an `ExportError` with a Vietnamese reason, which the plugin turns into MkDocs' PluginError.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from sangkien.site import national, opendata, search, urls
from sangkien.site.licence import Licence

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from sangkien.model import Entry, Repository


class ExportError(Exception):
    """An export failed; the message says which, in Vietnamese."""


def url_of(entry: Entry) -> str:
    return urls.entry(entry.id)


def collides(dest_uris: list[str]) -> bool:
    """Whether a file MkDocs writes could also be written by the exports (then they run after the
    pages, as they always did, so they win)."""
    exact = {str(search.SEARCH_SCRIPT), str(search.SEARCH_STYLE)}
    prefixes = ("du-lieu/", "schema/", f"{search.INDEX_DIR}/")
    return any(dest in exact or (dest.startswith(prefixes) and dest != "du-lieu/index.html") for dest in dest_uris)


def write_exports(repo: Repository, site_dir: Path, site_url: str, schema_dir: Path, licence: Licence | None = None,
                  national_root: Path | None = None, cache_dir: Path | None = None) -> list[str]:
    """The search index and the open data of the public repository (Site.public_repo); the
    messages to log. In national mode (`national_root`: the root whose harvested catalogues the
    site shows) the search indexes the harvested initiatives. `cache_dir` (the site build's
    cache folder, or None for no cache): where each export keeps what lets the next build skip
    the work whose inputs did not change, each in a subfolder of its own."""
    search_cache = cache_dir / "search" if cache_dir is not None else None
    try:
        if national_root is not None:
            figures = search.write_index(national.search_docs(national_root), site_dir, cache_dir=search_cache)
        else:
            figures = search.write_search(repo, site_dir, url_of, cache_dir=search_cache)
    except Exception as err:  # a broken index must stop the build, with a readable reason
        raise ExportError(f"sangkien: không tạo được chỉ mục tìm kiếm ({type(err).__name__}: {err}).") from err
    try:
        written = opendata.write_open_data(repo, site_dir, url_of, site_url, schema_dir, licence,
                                           cache_dir / "opendata" if cache_dir is not None else None)
    except Exception as err:
        raise ExportError(f"sangkien: không xuất được dữ liệu mở ({type(err).__name__}: {err}).") from err
    return [f"Chỉ mục tìm kiếm: {figures}", f"Dữ liệu mở: {len(written)} tệp."]


_R = TypeVar("_R")


class Background(Generic[_R]):
    """fn(*args) in a forked process; result() waits for it (ExportError if it failed)."""

    def __init__(self, fn: Callable[..., _R], *args: object) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe(duplex=False)
        self._answer: tuple[str, object] | None = None  # what the process sent, once received
        gc.freeze()  # see parallel.py: the child does not copy the heap when its collector runs
        try:
            self.proc = context.Process(target=_run, args=(child, fn, args), daemon=True)
            self.proc.start()
        finally:
            gc.unfreeze()
        child.close()

    def result(self) -> _R:
        """Wait for the process (once; a second call gives the same answer)."""
        if self._answer is None:
            try:
                self._answer = self.conn.recv()
            except (EOFError, OSError):
                self._answer = ("error", "sangkien: tiến trình ghi chỉ mục tìm kiếm và dữ liệu mở dừng bất thường.")
            self.proc.join()
            self.conn.close()
        kind, value = self._answer
        if kind == "error":
            raise ExportError(str(value))
        return cast(_R, value)  # what fn returned, through the pipe

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()
        self.conn.close()


def _run(conn: Connection, fn: Callable[..., object], args: tuple[object, ...]) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except ExportError as err:
        conn.send(("error", str(err)))
    except BaseException as err:  # reported to the parent, which stops the build
        conn.send(("error", f"sangkien: {type(err).__name__}: {err}"))
    finally:
        conn.close()
