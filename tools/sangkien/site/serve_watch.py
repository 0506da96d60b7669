"""What `mkdocs serve` watches in the repository's data: told by the system, not found by polling.

MkDocs' server polls every folder it is asked to watch (watchdog's PollingObserver, every 0.5 s):
at 10,000 entries each look at `entries/` stats every file (~0.09 s), so an idle server keeps
~18 % of a core busy, and a rebuild shares the processor with it. Here the system's own file
notifications (watchdog's native observer: inotify, FSEvents, ReadDirectoryChangesW) watch the
data folders, and each change rewrites one small signal file, the only thing MkDocs' server is
asked to poll for them. Where no native observer can start (a limit on watches, a file system
without notifications), the folders are handed to MkDocs' server as before. No MkDocs here.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer


class _Signal(FileSystemEventHandler):
    def __init__(self, signal: Path) -> None:
        self.signal = signal
        self.count = 0
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file changes nothing
        with self.lock:
            self.count += 1
            self.signal.write_text(str(self.count), encoding="utf-8")  # new content and time: the poll sees it


class NativeWatch:
    """Native watches of some folders, all reported through one signal file (`signal`)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="sangkien-theo-doi-"))
        self.signal = self.folder / "da-doi.txt"
        self.signal.write_text("0", encoding="utf-8")
        self.handler = _Signal(self.signal)
        self.observer = Observer()
        self.started = False

    def add(self, path: Path) -> bool:
        """Watch `path` (recursively); False when the system cannot (then poll it as before)."""
        try:
            self.observer.schedule(self.handler, str(path), recursive=True)
            if not self.started:
                self.observer.start()
                self.started = True
        except (OSError, RuntimeError):
            return False
        return True

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(RuntimeError):
                self.observer.stop()
                self.observer.join(timeout=5)
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)
