"""`mkdocs serve` rebuilds when an entry under entries/ changes (the plugin watches entries/ and schema/)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import SITE_NOW, site_copy

ENTRY = "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md"
OLD = "title: Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long"
NEW = "title: Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long (bản sửa)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, needle: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if needle in response.read().decode("utf-8"):
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_rebuilds_when_an_entry_changes(tmp_path: Path) -> None:
    kho = site_copy(tmp_path / "kho")
    port = _free_port()
    env = {**os.environ, "SANGKIEN_NOW": SITE_NOW, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=kho, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/sang-kien/so-hoa-ho-so-mot-cua-xa/"
        assert _wait_for(url, "Bộ phận Một cửa xã Thành Long</h1>", time.monotonic() + 120), "mkdocs serve did not start"
        path = kho / ENTRY
        path.write_text(path.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
        assert _wait_for(url, "xã Thành Long (bản sửa)</h1>", time.monotonic() + 120), "no rebuild after the entry changed"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
