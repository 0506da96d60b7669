"""Every SANGKIEN_* environment variable, read and checked here and nowhere else.

    SANGKIEN_NOW         the instant to act at (ISO 8601 with an offset); tests and previews
    SANGKIEN_NO_CACHE    any non-empty value: no cache at all (validation, novelty, site build)
    SANGKIEN_CACHE_DIR   the cache folder; default `.sangkien-cache/` at the repository root
    SANGKIEN_JOBS        how many processes the parallel paths may use (a positive integer)
    SANGKIEN_FAST_BUILD  0: the site is built by MkDocs' own page pipeline (to compare)
    SANGKIEN_DEPLOY      1: a build to publish (the deploy workflows set it); `site_url` is then required

The variables are read on every call, not at import: a test sets one with monkeypatch and the
next call sees it. `disable_cache()` switches the caches off for the rest of this process
without touching os.environ (`validate --trusted` uses it). A value that cannot be understood
raises SettingError, whose message is Vietnamese and can be shown as it is.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sangkien import vntime

NOW = "SANGKIEN_NOW"
NO_CACHE = "SANGKIEN_NO_CACHE"
CACHE_DIR = "SANGKIEN_CACHE_DIR"
JOBS = "SANGKIEN_JOBS"
FAST_BUILD = "SANGKIEN_FAST_BUILD"
DEPLOY = "SANGKIEN_DEPLOY"

_cache_off = False  # set by disable_cache(), for the rest of the process


class SettingError(ValueError):
    """An environment variable with a value that cannot be used; the message is Vietnamese."""


def _raw(name: str) -> str:
    return os.environ.get(name, "").strip()


def now_override() -> datetime | None:
    """SANGKIEN_NOW as an aware datetime, or None when it is not set."""
    raw = _raw(NOW)
    if not raw:
        return None
    try:
        return vntime.parse_instant(raw)
    except ValueError as err:
        raise SettingError(f"Biến môi trường {NOW}={raw!r} không phải thời điểm hợp lệ. "
                           "Ghi theo ISO 8601 có múi giờ, ví dụ 2024-06-01T09:00:00+07:00.") from err


def now() -> datetime:
    """The instant to act at: SANGKIEN_NOW when set (reproducible builds, tests), else the clock (UTC)."""
    override = now_override()
    return override if override is not None else vntime.now()


def cache_enabled() -> bool:
    """False when SANGKIEN_NO_CACHE is set (any non-empty value) or after disable_cache()."""
    return not _cache_off and not _raw(NO_CACHE)


def disable_cache() -> None:
    """No cache for the rest of this process (os.environ is left alone)."""
    global _cache_off
    _cache_off = True


def enable_cache() -> None:
    """Undo disable_cache() (tests that run several commands in one process)."""
    global _cache_off
    _cache_off = False


def cache_dir() -> Path | None:
    """SANGKIEN_CACHE_DIR as an absolute path, or None (then the repository's `.sangkien-cache/`)."""
    raw = _raw(CACHE_DIR)
    if not raw:
        return None
    return Path(raw).expanduser().resolve()


def jobs() -> int | None:
    """SANGKIEN_JOBS when it is a positive integer, else None (use every available core).

    Anything else is ignored rather than refused: the value only changes how fast, never what."""
    raw = _raw(JOBS)
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def fast_build() -> bool:
    """The site's fast page path and build cache; SANGKIEN_FAST_BUILD=0 turns them off."""
    return _raw(FAST_BUILD) != "0"


def deploy() -> bool:
    """Whether this build is to be published (SANGKIEN_DEPLOY set to anything but '' or '0')."""
    return _raw(DEPLOY) not in ("", "0")
