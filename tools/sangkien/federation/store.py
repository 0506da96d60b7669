"""The snapshots of harvested catalogues, under version control in federation/:

    federation/<id>.json        the source's du-lieu/sang-kien.json, byte for byte as fetched
    federation/<id>.meta.json   its provenance: source id and name, URL or path, fetched and last
                                confirmed (Vietnam time), sha256 of the bytes, ETag, Last-Modified, count
    federation/_failures.json   sources whose last harvest failed: since when, code, reason

Every file is written atomically (sangkien.atomic), the snapshot before its provenance. A
snapshot whose bytes do not match the sha256 of its provenance (an interrupted write between the
two, or a hand edit) is not used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sangkien import atomic, layout

FAILURES = "_failures.json"
# The largest snapshot harvest keeps and anything reads (harvest --max-mb defaults to it): a
# snapshot changed in a pull request is data, and the check must not stall on it.
MAX_BYTES = 50 * 1024 * 1024


def folder(root: Path) -> Path:
    return root / layout.FEDERATION_DIR


def snapshot_rel(source_id: str) -> str:
    return f"{layout.FEDERATION_DIR}/{source_id}.json"


def meta_rel(source_id: str) -> str:
    return f"{layout.FEDERATION_DIR}/{source_id}.meta.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Meta:
    source: str
    name: str
    location: str
    fetched: str  # ISO 8601, +07:00: when these bytes were fetched
    confirmed: str  # ISO 8601, +07:00: when the source last answered (200 or 304)
    sha256: str
    size: int
    count: int
    etag: str | None = None
    last_modified: str | None = None
    generated: str | None = None  # the source's own build time (its "generated")

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "name": self.name, "location": self.location, "fetched": self.fetched, "confirmed": self.confirmed,
                "sha256": self.sha256, "size": self.size, "count": self.count, "etag": self.etag, "last_modified": self.last_modified,
                "generated": self.generated}

    @classmethod
    def of(cls, data: dict[str, Any]) -> Meta:
        return cls(str(data["source"]), str(data["name"]), str(data["location"]), str(data["fetched"]), str(data["confirmed"]),
                   str(data["sha256"]), int(data["size"]), int(data["count"]), data.get("etag"), data.get("last_modified"), data.get("generated"))


def _dump(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def read_meta(root: Path, source_id: str) -> Meta | None:
    try:
        data = json.loads((root / meta_rel(source_id)).read_text(encoding="utf-8"))
        return Meta.of(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_snapshot(root: Path, source_id: str) -> tuple[Meta, bytes] | None:
    """The snapshot and its provenance, or None when absent or not matching its hash."""
    meta = read_meta(root, source_id)
    if meta is None:
        return None
    try:
        body = read_bounded(root / snapshot_rel(source_id))
    except OSError:
        return None
    return (meta, body) if body is not None and sha256(body) == meta.sha256 else None


def read_bounded(path: Path) -> bytes | None:
    """The snapshot's bytes, or None when it is larger than MAX_BYTES (never read whole)."""
    with path.open("rb") as f:
        body = f.read(MAX_BYTES + 1)
    return body if len(body) <= MAX_BYTES else None


def write_snapshot(root: Path, body: bytes, meta: Meta) -> None:
    atomic.write_bytes(root / snapshot_rel(meta.source), body)
    atomic.write_bytes(root / meta_rel(meta.source), _dump(meta.as_json()))


def write_meta(root: Path, meta: Meta) -> None:
    atomic.write_bytes(root / meta_rel(meta.source), _dump(meta.as_json()))


def read_failures(root: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((folder(root) / FAILURES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.items() if isinstance(v, dict)}


def write_failures(root: Path, failures: dict[str, dict[str, str]]) -> None:
    path = folder(root) / FAILURES
    if not failures:
        if path.exists():
            path.unlink()
        return
    atomic.write_bytes(path, _dump(failures))


def snapshot_ids(root: Path) -> list[str]:
    """Ids of every snapshot in the folder (with a provenance file), sorted."""
    base = folder(root)
    if not base.is_dir():
        return []
    return sorted(p.name[: -len(".meta.json")] for p in base.glob("*.meta.json"))


def prune(root: Path, listed: set[str]) -> list[str]:
    """Remove the snapshots (and their provenance) of sources no longer listed in
    entries/federation.yaml; their ids, sorted. Only pairs this module wrote are touched: a file
    of the folder without a provenance file beside it is left alone."""
    removed = []
    for source_id in snapshot_ids(root):
        if source_id in listed:
            continue
        for rel in (snapshot_rel(source_id), meta_rel(source_id)):  # the snapshot first: a provenance alone is never used
            (root / rel).unlink(missing_ok=True)
        removed.append(source_id)
    return removed
