"""The last full run's problems, kept in the validation cache and given back without reading a
file when nothing it depends on has changed.

The problems of a full run (no --base, no extra rules) depend only on the code, the schemas, the
list of files under entries/, the bytes of each file read, the stat of each attachment (its type,
first bytes and size are checked) and the gitlinks Git records under entries/. Their digest keys
the last full run's problems in the cache, so a run over an unchanged repository only walks it,
reads the recorded hashes (files whose stat moved are hashed again), stats the attachments and
asks Git for its gitlinks. Any difference means a complete run, which records its result in turn.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from sangkien import atomic, cache, layout, loader
from sangkien.checks import hygiene as hygiene_rules
from sangkien.problems import Problem

UNSETTLED = 200  # more unsettled files than this (a fresh checkout): skip straight to a full run


def _is_attachment(rel: str) -> bool:
    """An attachment that load() checks (type, content, size): not a stale temporary file."""
    return layout.classify(rel).kind == "attachment" and not atomic.TEMP_NAME.match(rel.rsplit("/", 1)[-1])


def _reads(rel: str, place: layout.Place) -> bool:
    """Whether load() reads this file (the others count by their name only)."""
    return place.kind not in ("ignored", "attachment", "unknown") and not atomic.TEMP_NAME.match(rel.rsplit("/", 1)[-1])


def _key(root: Path, files: list[str], links: list[str], hashes: dict[str, str], stamps: dict[str, str], gitlinks: list[str]) -> str | None:
    """Digest of a full run's inputs; `hashes` has the content hash of every file read. An
    attachment counts by its stat (its size and first bytes are checked, never its hash), a
    gitlink by its path."""
    if not all(hashes.values()):
        return None  # a file that could not be read: nothing to key on
    h = hashlib.blake2b(loader.cache_key(root).encode(), digest_size=16)
    h.update("\n".join(f"{rel}\0{hashes.get(rel) or stamps.get(rel, '')}" for rel in files).encode())
    h.update("\n".join(links).encode())
    h.update(("\n\0gitlinks\0" + "\n".join(gitlinks)).encode())
    return h.hexdigest()


def remember(loaded: loader.Loaded, problems: list[Problem]) -> None:
    key = _key(loaded.root, loaded.files, loaded.links, loaded.hashes, loaded.stamps, loaded.gitlinks)
    if key is not None:
        cache.Store(loaded.root / cache.DIR / cache.NAME if cache.enabled() else None, loader.cache_key(loaded.root)).remember(key, problems)


def remembered(root: Path) -> tuple[Path, list[str], list[Problem]] | None:
    if not cache.enabled():
        return None
    store = cache.Store(root / cache.DIR / cache.NAME, loader.cache_key(root))
    stamps = store.stamps()
    if not stamps:
        return None
    files, links = layout.discover(root)
    hashes: dict[str, str] = {}
    moved: list[tuple[str, cache.Stat, int]] = []  # read again, same bytes: their rows get the new stat
    for rel in files:
        if not _reads(rel, layout.classify(rel)):
            continue
        stamp = stamps.get(rel)
        stat = cache.Stat.of(f"{root}/{rel}")
        if stamp is not None and stat is not None and cache.settled(stamp, stat):
            hashes[rel] = str(stamp[5])
            continue
        if len(moved) >= UNSETTLED or stat is None:
            return None
        checked_ns = time.time_ns()
        try:
            with open(f"{root}/{rel}", "rb") as handle:
                hashes[rel] = cache.digest(handle.read())
        except OSError:
            return None
        if stamp is not None and hashes[rel] == stamp[5]:
            moved.append((rel, stat, checked_ns))
    attachments = loader.attachment_stamps(root, [rel for rel in files if _is_attachment(rel)])
    key = _key(root, files, links, hashes, attachments, hygiene_rules.gitlinks(root))
    problems = store.remembered(key) if key is not None else None
    if problems is None:
        return None
    store.restamp(moved)
    return root, files, problems


