"""One source's bytes, with the standard library only.

HTTP(S): a timeout on connecting and on every read, at most `limit` bytes read (a bigger body is
refused, never cut: SK933), conditional requests (If-None-Match from the last ETag,
If-Modified-Since from the last Last-Modified; 304 means the snapshot is still current), only
http and https followed on redirects (no file:, ftp: or data: handler is installed). A local
path is read the same way under the same limit. Every failure is a FetchError with a code and a
Vietnamese reason; nothing here writes anything.
"""

from __future__ import annotations

import http.client
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sangkien import __version__

DEFAULT_TIMEOUT = 30.0  # seconds, for the connection and for each read
DEFAULT_LIMIT = 50 * 1024 * 1024  # bytes: 5,000 initiatives take about 8 MB
CHUNK = 64 * 1024

Progress = Callable[[int, int | None], None]  # (bytes read so far, expected total or None)


class FetchError(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


@dataclass(frozen=True)
class Fetched:
    body: bytes | None  # None: not modified since the last snapshot (HTTP 304)
    etag: str | None = None
    last_modified: str | None = None


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPRedirectHandler(), urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def size_text(n: int) -> str:
    """Bytes as people read them: 1,5 MB (Vietnamese decimal comma)."""
    if n < 1024:
        return f"{n} byte"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")


def _seconds(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _too_big(limit: int, where: str) -> FetchError:
    return FetchError("SK933", f"tệp {where} lớn hơn giới hạn {size_text(limit)} nên không tải.")


def fetch_url(url: str, etag: str | None, last_modified: str | None, timeout: float = DEFAULT_TIMEOUT,
              limit: int = DEFAULT_LIMIT, progress: Progress | None = None) -> Fetched:
    headers = {"User-Agent": f"sangkien/{__version__} (harvest)", "Accept": "application/json"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            if expected is not None and expected > limit:
                raise _too_big(limit, url)
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise _too_big(limit, url)
                chunks.append(chunk)
                if progress is not None:
                    progress(size, expected)
            if expected is not None and size < expected:
                raise FetchError("SK932", f"máy chủ {url} ngắt kết nối khi mới gửi {size_text(size)} trên {size_text(expected)}.")
            return Fetched(b"".join(chunks), response.headers.get("ETag"), response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as err:
        if err.code == 304:
            return Fetched(None, err.headers.get("ETag") or etag, err.headers.get("Last-Modified") or last_modified)
        raise FetchError("SK932", f"máy chủ trả lời mã HTTP {err.code} ({err.reason}) cho địa chỉ {url}.") from err
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError):
            raise FetchError("SK932", f"quá {_seconds(timeout)} giây mà máy chủ {url} không trả lời.") from err
        if isinstance(reason, ConnectionRefusedError):
            raise FetchError("SK932", f"máy chủ {url} từ chối kết nối (trang có thể đang tạm ngừng).") from err
        if isinstance(reason, socket.gaierror):
            raise FetchError("SK932", f"không tìm thấy máy chủ của địa chỉ {url} (sai tên miền hoặc máy không có mạng).") from err
        raise FetchError("SK932", f"không kết nối được tới {url} ({reason}).") from err
    except TimeoutError as err:
        raise FetchError("SK932", f"quá {_seconds(timeout)} giây mà máy chủ {url} không gửi tiếp dữ liệu.") from err
    except (http.client.HTTPException, ConnectionError, OSError) as err:
        raise FetchError("SK932", f"kết nối tới {url} bị lỗi giữa chừng ({err.__class__.__name__}).") from err


def fetch_path(root: Path, path: str, limit: int = DEFAULT_LIMIT) -> Fetched:
    full = root / path
    try:
        size = full.stat().st_size
        if size > limit:
            raise _too_big(limit, path)
        with open(full, "rb") as handle:
            body = handle.read(limit + 1)
    except FileNotFoundError as err:
        raise FetchError("SK932", f"không có tệp {path} trên máy.") from err
    except OSError as err:
        raise FetchError("SK932", f"không đọc được tệp {path} ({err.strerror}).") from err
    if len(body) > limit:
        raise _too_big(limit, path)
    return Fetched(body)


def terminal_progress(name: str) -> Progress | None:
    """A progress line on stderr when it is a terminal: «tay-ninh: 1,2 MB / 8,0 MB»."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int | None) -> None:
        of = f" / {size_text(total)}" if total else ""
        sys.stderr.write(f"\r  {name}: đã tải {size_text(done)}{of}   ")
        sys.stderr.flush()

    return show
