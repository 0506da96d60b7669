"""The exports (search index, open data) of a `mkdocs serve` rebuild, written after the pages.

In the server a rebuild cannot fork (livereload's threads), so the exports ran in line and the
changed page waited for them (~0.5 s at 10,000 entries). Here they run on a thread started at the
end of the build: the page is served at once, the exports follow. Meanwhile the last build's
export files stand in place (no missing search index): they wait in a hidden folder while MkDocs
empties the site (its clean leaves hidden entries alone) and are moved back when the pages are
written. The thread writes into a hidden staging folder and moves each file into place by one
rename, so a reader sees either the last build's file or the new one, never half of one; a file
the new exports no longer write is removed. The next build, and the server's shutdown, wait for
the thread (`settle`) before anything else touches the site folder, so once settled the site is,
file for file, what a build writing the exports in line gives (tests/test_serve_rebuild.py,
tests/test_serve_exports.py). No MkDocs here.

The thread then does the server's full garbage collection, which would otherwise fall inside the
next rebuild (the model of 10,000 entries is ~500,000 objects to scan): it collects, then freezes
what is left, so the next rebuild's collections only look at what that rebuild makes. Nothing
frozen stays frozen past the next collection here (unfreeze first), so no garbage is kept.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

HOLD = ".sangkien-xuat-cu"  # the last build's export files, while MkDocs empties the site
STAGE = ".sangkien-xuat-moi"  # where the thread writes this build's exports before moving them in

# writes the exports under the folder it is given; returns the messages to log
Job = Callable[[Path], list[str]]


def _files_under(folder: Path) -> list[str]:
    """Every file under `folder`, as a relative POSIX path, sorted."""
    out: list[str] = []
    for base, _dirs, names in os.walk(folder):
        rel = os.path.relpath(base, folder)
        out.extend(name if rel == "." else f"{Path(rel).as_posix()}/{name}" for name in names)
    return sorted(out)


def _prune(site_dir: Path, rel: str) -> None:
    """Remove the now empty folders above a removed file, up to the site folder."""
    parent = (site_dir / rel).parent
    while parent != site_dir:
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


class ServeExports:
    """One server's export thread and the export files its last build wrote."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.written: list[str] = []  # site-relative files the last exports wrote
        self.held: list[str] = []  # those put aside while MkDocs empties the site

    def settle(self) -> None:
        """Wait for the last build's exports to be in place."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None

    def hold(self, site_dir: Path) -> None:
        """Before MkDocs empties the site: the last exports put aside (after they are finished)."""
        self.settle()
        folder = site_dir / HOLD
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(site_dir / STAGE, ignore_errors=True)
        self.held = []
        for rel in self.written:
            with contextlib.suppress(OSError):
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(site_dir / rel, folder / rel)
                self.held.append(rel)
        self.written = []

    def drop(self, site_dir: Path) -> None:
        """After a failed build: nothing of the last exports is put back."""
        self.settle()
        shutil.rmtree(site_dir / HOLD, ignore_errors=True)
        self.held = []

    def start(self, site_dir: Path, job: Job, note: Callable[[str], None], fail: Callable[[str], None],
              error: type[Exception]) -> None:
        """After the pages are written: the held files back in place, then `job` on a thread.
        `error`: the exception whose message `fail` reports (any other is reported by its type)."""
        self.settle()
        restored = []
        for rel in self.held:
            target = site_dir / rel
            if target.exists():  # never over a file this build wrote
                continue
            with contextlib.suppress(OSError):
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(site_dir / HOLD / rel, target)
                restored.append(rel)
        shutil.rmtree(site_dir / HOLD, ignore_errors=True)
        self.held = []
        self.thread = threading.Thread(target=self._run, args=(site_dir, job, restored, note, fail, error), name="sangkien-xuat")
        self.thread.start()

    def _run(self, site_dir: Path, job: Job, restored: list[str], note: Callable[[str], None], fail: Callable[[str], None],
             error: type[Exception]) -> None:
        stage = site_dir / STAGE
        shutil.rmtree(stage, ignore_errors=True)
        moved: list[str] = []
        try:
            messages = job(stage)
            for rel in _files_under(stage):
                target = site_dir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(stage / rel, target)
                moved.append(rel)
            files = moved
        except Exception as err:  # the server keeps running: reported, and no stale or partial export left
            fail(str(err) if isinstance(err, error) else f"sangkien: không ghi được chỉ mục tìm kiếm và dữ liệu mở ({type(err).__name__}: {err}).")
            files, messages = [], []
            restored = [*restored, *moved]
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        kept = set(files)
        for rel in restored:
            if rel not in kept:  # the last build's file, which this build's exports no longer write
                with contextlib.suppress(OSError):
                    (site_dir / rel).unlink()
                    _prune(site_dir, rel)
        self.written = files
        for message in messages:
            note(message)
        collect_off_the_waiting_path()


def collect_off_the_waiting_path() -> None:
    """The full collection, after the page is served; survivors frozen until the next one."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
