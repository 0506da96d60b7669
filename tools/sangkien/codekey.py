"""The code key: what every cached result depends on in the installed code, and its memo.

The key (cache.code_key) digests Python's version, the versions of the libraries the per-file
checks use and the bytes of every source file of this package: portable between machines, so
CI can start from the main branch's cache. Computing it reads ~150 files and asks
importlib.metadata for six versions (importing it alone costs a warm `validate --base` more
than the rest of the key): a run remembers it in the cache folder, next to the stat of what
it was computed from, and the next run takes it from there when nothing moved.

What the memo is keyed by is the installed code only, never the judged tree: every folder and
`.py` file of the package, and every folder on the import path where the libraries' metadata
is looked up (an install, upgrade or removal changes that folder), each by size, times and
inode under cachedir's racy-time rule; the interpreter and the import path themselves. A memo
made on another machine (main's cache restored onto a runner) never matches those stats: the
key is computed again there. JSON only; anything unexpected in it is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
import unicodedata
from pathlib import Path

from sangkien import cachedir

FORMAT = "sangkien-validate-3"  # in the key: a new layout of the cached results changes it
MEMO = "code-key.json"
MEMO_FORMAT = "sangkien-code-key-1"
# The distributions the per-file checks use, by name: their version, not where they are installed.
LIBRARIES = ("PyYAML", "jsonschema", "fastjsonschema", "referencing", "jsonschema-specifications", "vietnamadminunits")
SKIPPED = "__pycache__"  # bytecode folders: written by Python itself, no source in them


def compute(package: Path) -> str:
    """Python's version, the libraries the per-file checks use (name and version) and every
    source file of the package (relative name and bytes): portable between machines."""
    import importlib.metadata  # here, not at the top: a remembered key does not need it
    import importlib.util

    h = hashlib.blake2b(digest_size=16)
    h.update(_interpreter().encode())
    where = _library_path()
    for name in LIBRARIES:
        found = next(iter(importlib.metadata.distributions(name=name, path=where)), None)
        h.update(f"{name}\0{found.version if found is not None else '-'}\0".encode())
    h.update(b"libyaml\0" if importlib.util.find_spec("yaml._yaml") is not None else b"pure\0")
    for path in _sources(package):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        with contextlib.suppress(OSError):
            h.update(path.read_bytes())
    return h.hexdigest()


def remembered(package: Path, folder: Path | None = None) -> str:
    """compute(package), from a memo when what it was computed from has not changed since: this
    process's, else the one in the cache folder `folder`. A key computed is remembered in both
    (never raises)."""
    header = _header(package)
    global _known
    if _known is not None and _holds(_known, header):
        return str(_known["key"])
    memo = folder / MEMO if folder is not None else None
    found = _read(memo, header) if memo is not None else None
    if found is not None:
        _known = found
        return str(found["key"])
    recorded = time.time_ns()
    watched, own = _watched(package)
    stats = [_stat(p) for p in watched]
    key = compute(package)
    # Only paths that had settled before the stats were taken are trusted next time (a change in
    # the same instant as the stat would go unseen); a library folder that does not exist is
    # recorded as such (None), and one made later is a change.
    if _trusted(stats, own, recorded):
        _known = {"format": MEMO_FORMAT, **header, "recorded": recorded, "paths": watched, "stats": stats, "key": key}
        if memo is not None:
            with contextlib.suppress(OSError, ValueError):
                cachedir.make(memo.parent)
                cachedir.write_text(memo, json.dumps(_known, ensure_ascii=False), durable=False)
    return key


_known: dict[str, object] | None = None  # this process's memo: the record last computed or read


def _trusted(stats: list[list[int] | None], own: int, recorded: int) -> bool:
    """Every path settled when the stats were taken; only a library folder may be missing."""
    for n, stat in enumerate(stats):
        if stat is None:
            if n < own:
                return False  # a package file gone while the package was walked
        elif not cachedir.settled(stat[1], stat[2], recorded):
            return False
    return True


def _interpreter() -> str:
    python = ".".join(map(str, sys.version_info[:3]))
    return f"{FORMAT}\0{sys.implementation.name}\0{python}\0{unicodedata.unidata_version}\0{sys.platform}"


def _library_path() -> list[str]:
    """The import path where library metadata is looked up: without the current folder ('' or
    the working directory that `python -m` puts first), which is the user's, not an install."""
    here = os.getcwd()
    return [p for p in sys.path if isinstance(p, str) and p not in ("", here)]


def _header(package: Path) -> dict[str, object]:
    """What the memo must match before any stat is compared."""
    return {"interpreter": _interpreter(), "executable": sys.executable, "package": str(package), "path": _library_path()}


def _sources(package: Path) -> list[Path]:
    """The package's source files, in the order their bytes are hashed."""
    return sorted(p for p in package.rglob("*.py") if SKIPPED not in p.relative_to(package).parts)


def _watched(package: Path) -> tuple[list[str], int]:
    """Every folder and source file of the package (a file added or removed changes its folder),
    then every folder of the library path; and how many of the first kind there are."""
    found = [str(package)]
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != SKIPPED)
        found += [os.path.join(folder, d) for d in dirs]
        found += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".py")]
    return found + _library_path(), len(found)


def _stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _read(memo: Path, header: dict[str, object]) -> dict[str, object] | None:
    """The memo's record if it still holds (_holds); else None."""
    try:
        record = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and _holds(record, header) else None


def _holds(record: dict[str, object], header: dict[str, object]) -> bool:
    """Whether a record is this interpreter's and every watched path is as recorded and had
    settled when it was recorded."""
    try:
        if record.get("format") != MEMO_FORMAT or any(record.get(name) != value for name, value in header.items()):
            return False
        recorded, paths, stats, key = record["recorded"], record["paths"], record["stats"], record["key"]
        if not (isinstance(recorded, int) and isinstance(paths, list) and isinstance(stats, list) and isinstance(key, str)
                and len(paths) == len(stats) and len(key) == 32):
            return False
        for path, stat in zip(paths, stats, strict=True):
            if not isinstance(path, str) or _stat(path) != stat:
                return False
            if stat is not None and not cachedir.settled(stat[1], stat[2], recorded):
                return False
        return True
    except (ValueError, KeyError, TypeError, IndexError):
        return False
