"""A cache of entry features between runs, kept inside the Git folder (never committed), or in
SANGKIEN_CACHE_DIR when that is set (cachedir.py).

Preparing a long entry takes about a millisecond and reading its front matter another; at
10,000 entries that is most of a query's time, so the features are kept in
`.git/sangkien/novelty-cache.npz` (inside Git's own folder, so it can never show up as a
changed file) keyed by path and the content hash the loader took of the bytes it read, under
the abbreviation table's fingerprint and the format version. Content, not file times: a fresh
clone (a CI runner warmed from main's cache) has new times but the same bytes, and no edit can
slip past a hash the way two edits within the clock's resolution slip past a time.
Set SANGKIEN_NO_CACHE=1 to bypass it. No pickle: arrays and one JSON string, loaded with
allow_pickle=False.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sangkien import cachedir, settings
from sangkien.novelty.compare import Features
from sangkien.novelty.index import HASHES

VERSION = "sangkien-novelty-4"
NAME = "novelty-cache.npz"


@dataclass
class Record:
    path: str
    digest: str  # the loader's content hash of the file (Loaded.hashes)
    meta: dict[str, Any]
    features: Features
    signature: np.ndarray


def _location(root: Path, name: str = NAME) -> Path | None:
    if not cachedir.enabled():
        return None
    if settings.cache_dir() is not None:
        return cachedir.folder(root) / name
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--git-common-dir"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    git_dir = Path(done.stdout.strip())
    git_dir = git_dir if git_dir.is_absolute() else root / git_dir
    return git_dir / "sangkien" / name


def location(root: Path, name: str) -> Path | None:
    """Where a novelty cache file `name` lives for this repository (None: caching is off)."""
    return _location(root, name)


@dataclass
class Store:
    path: Path | None
    tag: str = ""
    records: dict[str, Record] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    dirty: bool = False

    @classmethod
    def open(cls, root: Path, fingerprint: str, name: str = NAME) -> Store:
        """`name`: the file in the cache folder (the harvested catalogues keep theirs apart, see outside.py)."""
        store = cls(_location(root, name), f"{VERSION}:{fingerprint}")
        if store.path is not None and store.path.is_file():
            try:
                store.records = _read(store.path, store.tag)
            except (OSError, ValueError, KeyError, json.JSONDecodeError):
                store.records = {}  # a damaged or old cache is rebuilt
        return store

    def get(self, path: str, digest: str) -> Record | None:
        record = self.records.get(path)
        if record is None or not digest or record.digest != digest:
            return None
        self.used.add(path)
        return record

    def put(self, record: Record) -> None:
        if not record.digest:
            return  # no hash, nothing to vouch for these features next run
        self.records[record.path] = record
        self.used.add(record.path)
        self.dirty = True

    def save(self) -> None:
        """Write if anything was added or dropped; a cache that cannot be written is skipped."""
        if self.path is None or not (self.dirty or set(self.records) - self.used):
            return
        kept = [self.records[p] for p in sorted(self.used)]
        with contextlib.suppress(OSError):
            if self.path.parent == settings.cache_dir():  # the shared cache folder, not Git's
                cachedir.make(self.path.parent)
            cachedir.write_bytes(self.path, _encode(kept, self.tag))


def _encode(records: list[Record], tag: str) -> bytes:
    meta = json.dumps([[r.path, r.digest, r.meta] for r in records], ensure_ascii=False, default=str)
    arrays = {
        "tag": np.array([tag]),
        "meta": np.array([meta]),
        "shingles": np.concatenate([r.features.shingles for r in records]) if records else np.empty(0, np.uint32),
        "shingle_offsets": np.cumsum([0] + [len(r.features.shingles) for r in records]),
        "terms": np.concatenate([r.features.terms for r in records]) if records else np.empty(0, np.uint32),
        "counts": np.concatenate([r.features.counts for r in records]) if records else np.empty(0, np.float32),
        "term_offsets": np.cumsum([0] + [len(r.features.terms) for r in records]),
        "signatures": np.stack([r.signature for r in records]) if records else np.empty((0, HASHES), np.uint32),
    }
    out = io.BytesIO()
    np.savez(out, **arrays)  # type: ignore[arg-type]  # numpy's stub reads ** as its allow_pickle flag
    return out.getvalue()


def _read(path: Path, tag: str) -> dict[str, Record]:
    with np.load(path, allow_pickle=False) as data:
        if str(data["tag"][0]) != tag:
            return {}
        meta = json.loads(str(data["meta"][0]))
        shingles, s_off = data["shingles"], data["shingle_offsets"]
        terms, counts, t_off = data["terms"], data["counts"], data["term_offsets"]
        signatures = data["signatures"]
        out = {}
        for i, (rel, digest, fields) in enumerate(meta):
            features = Features(shingles[s_off[i]:s_off[i + 1]], terms[t_off[i]:t_off[i + 1]], counts[t_off[i]:t_off[i + 1]])
            out[rel] = Record(rel, str(digest), fields, features, signatures[i])
        return out
