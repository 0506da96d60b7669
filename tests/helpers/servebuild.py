"""Builds as `mkdocs serve` makes them (mkdocs/commands/serve.py): the config loaded again for every
build, the plugin started once as "serve" and kept, site_url set to the server's address, the same
site folder each time. A live thread stands for livereload's, so the site takes its serial paths
(parallel.can_fork() is False), as in a real server. Run as a script, one such build in a fresh
process: the reference a rebuild must equal."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

SERVE_URL = "http://127.0.0.1:8000/"


class Server:
    """One serve process's builds of `root` into `site_dir`. `threads=False`: no stand-in for
    livereload's threads, so the site takes its parallel paths as a one-shot build does."""

    def __init__(self, root: Path, site_dir: Path, threads: bool = True) -> None:
        self.root, self.site_dir = root, site_dir
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._stop.wait, daemon=True) if threads else None  # livereload's threads
        if self._thread is not None:
            self._thread.start()
        self._started = False
        self._plugin: object | None = None

    def build(self) -> MkDocsConfig:
        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir))
        if not self._started:
            config.plugins.on_startup(command="serve", dirty=False)
            self._started = True
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL, dirty=False)
        self._plugin = config.plugins["sangkien"]
        self.settle()
        return config

    def settle(self) -> None:
        """Wait for what the build left running (its exports, written after the pages in a server)."""
        if self._plugin is not None:
            self._plugin.settle()  # type: ignore[attr-defined]

    def close(self) -> None:
        if self._plugin is not None:
            self._plugin.on_shutdown()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


if __name__ == "__main__":  # python servebuild.py ROOT SITE_DIR: one build, as a new server's first
    server = Server(Path(sys.argv[1]), Path(sys.argv[2]))
    try:
        server.build()
    finally:
        server.close()
