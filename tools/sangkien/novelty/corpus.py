"""The entries to compare, with their features, read from a repository.

Only initiatives (files in a sáng kiến or ý tưởng campaign) take part: thi đua nominations
report a person's achievements and replication records copy a recognised initiative on
purpose. Features are cached between runs (see cache.py), keyed by file size and time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sangkien import layout, parallel
from sangkien.model import Campaign, Decisions, Entry, Repository, as_date
from sangkien.novelty import cache as feature_cache
from sangkien.novelty.abbrev import Abbreviations
from sangkien.novelty.compare import Features, weigh_all
from sangkien.novelty.index import signature
from sangkien.novelty.prepare import Prepared, compose, prepare
from sangkien.reader import read_markdown, read_yaml

if TYPE_CHECKING:
    from sangkien.validator import Loaded

META_FIELDS = ("id", "title", "campaign", "unit", "submitted", "previous_contest", "illustrative")


@dataclass
class Item:
    entry: Entry
    features: Features
    signature: np.ndarray

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def path(self) -> str:
        return self.entry.path


@dataclass
class Corpus:
    root: Path
    repo: Repository
    abbreviations: Abbreviations
    items: list[Item] = field(default_factory=list)

    def by_path(self) -> dict[str, Item]:
        return {item.path: item for item in self.items}

    def by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def prepared(self, item: Item) -> Prepared:
        """The full preparation of one entry (tokens and spans), for showing shared passages."""
        data, body = item.entry.data, item.entry.body
        if not body:  # from the cache, which keeps no text: read the file again
            try:
                doc = read_markdown((self.root / item.path).read_bytes(), item.path)
                if doc.readable and isinstance(doc.data, dict):
                    data, body = doc.data, doc.body
            except OSError:
                pass
        return prepare(text_of(data, body), self.abbreviations)


def text_of(data: dict, body: str) -> str:
    return compose(str(data.get("title") or ""), str(data.get("summary") or ""), body or "")


def _is_initiative(repo: Repository, rel: str, place: layout.Place) -> bool:
    if place.kind != "entry":
        return False
    camp = repo.campaigns.get(place.campaign or "")
    return camp is None or camp.kind != "thi-dua"


def _features(text: str, abbreviations: Abbreviations) -> tuple[Features, np.ndarray]:
    features = Features.of(prepare(text, abbreviations))
    return features, signature(features.shingles)


# Set before a pool forks, so the workers inherit it instead of receiving it with every chunk.
_ABBREVIATIONS = Abbreviations()


def _prepare_texts(texts: Sequence[str]) -> list[tuple[Features, np.ndarray]]:
    return [_features(text, _ABBREVIATIONS) for text in texts]


def _read_and_prepare(paths: Sequence[tuple[str, str]]) -> list[tuple[dict, Features, np.ndarray] | None]:
    out: list[tuple[dict, Features, np.ndarray] | None] = []
    for base, rel in paths:
        try:
            doc = read_markdown(Path(base, rel).read_bytes(), rel)
        except OSError:
            out.append(None)
            continue
        if not doc.readable or not isinstance(doc.data, dict):
            out.append(None)
            continue
        meta = {k: doc.data[k] for k in META_FIELDS if k in doc.data}
        out.append((meta, *_features(text_of(doc.data, doc.body), _ABBREVIATIONS)))
    return out


def _misses(store: feature_cache.Store, base: str, paths: list[str]) -> tuple[list[feature_cache.Record | None], list[tuple[int, os.stat_result]]]:
    """Cached records in the order of `paths` (None where missing), and the (position, stat) to prepare."""
    found: list[feature_cache.Record | None] = []
    todo: list[tuple[int, os.stat_result]] = []
    for n, rel in enumerate(paths):
        try:
            stat = os.stat(os.path.join(base, rel))
        except OSError:
            found.append(None)
            continue
        record = store.get(rel, stat)
        found.append(record)
        if record is None:
            todo.append((n, stat))
    return found, todo


def from_files(root: Path, abbreviations: Abbreviations, use_cache: bool = True) -> Corpus:
    """Read campaigns, decisions and entries quickly (no schema checks: `validate` does those)."""
    global _ABBREVIATIONS
    root = root.resolve()
    repo = Repository()
    files, _ = layout.discover(root)
    places = {rel: layout.classify(rel) for rel in files}
    for rel, place in places.items():
        if place.kind in ("campaign", "decisions"):
            try:
                doc = read_yaml((root / rel).read_bytes(), rel)
            except OSError:
                continue
            if doc.readable and isinstance(doc.data, dict):
                if place.kind == "campaign":
                    repo.campaigns[place.campaign] = Campaign(str(doc.data.get("id", place.campaign)), doc.data, rel)
                else:
                    repo.decisions[place.campaign] = Decisions(str(doc.data.get("campaign", place.campaign)), doc.data, rel)
    store = feature_cache.Store.open(root, abbreviations.fingerprint()) if use_cache else feature_cache.Store(None)
    corpus = Corpus(root, repo, abbreviations)
    base = str(root)  # os.stat on strings: pathlib costs more than the stat itself at 10,000 files
    paths = [rel for rel, place in places.items() if _is_initiative(repo, rel, place)]
    records, todo = _misses(store, base, paths)
    _ABBREVIATIONS = abbreviations
    prepared = parallel.map_chunks(_read_and_prepare, [(base, paths[n]) for n, _ in todo])
    for (n, stat), result in zip(todo, prepared, strict=True):
        if result is not None:
            meta, features, sig = result
            records[n] = feature_cache.Record(paths[n], stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, meta, features, sig)
            store.put(records[n])
    for rel, record in zip(paths, records, strict=True):
        if record is None:
            continue
        entry = _entry(record.meta, places[rel], rel, "")
        if entry.id in repo.entries:
            continue  # a duplicate id is the validator's SK301; compare the first one only
        repo.entries[entry.id] = entry
        corpus.items.append(Item(entry, record.features, record.signature))
    store.save()
    weigh_all([item.features for item in corpus.items])
    return corpus


def _entry(meta: dict, place: layout.Place, rel: str, body: str) -> Entry:
    entry_id = meta.get("id") if isinstance(meta.get("id"), str) else place.slug or rel
    return Entry(entry_id, "entry", meta, rel, body)


def from_loaded(loaded: Loaded, abbreviations: Abbreviations, use_cache: bool = True) -> Corpus:
    """The corpus of a repository that the validator has already read and modelled."""
    global _ABBREVIATIONS
    root = loaded.root
    store = feature_cache.Store.open(root, abbreviations.fingerprint()) if use_cache else feature_cache.Store(None)
    corpus = Corpus(root, loaded.repo, abbreviations)
    entries = [e for e in sorted(loaded.repo.entries.values(), key=lambda e: e.path) if e.kind == "entry" and isinstance(e.data, dict)]
    records, todo = _misses(store, str(root), [e.path for e in entries])
    _ABBREVIATIONS = abbreviations
    prepared = parallel.map_chunks(_prepare_texts, [text_of(entries[n].data, entries[n].body) for n, _ in todo])
    for (n, stat), (features, sig) in zip(todo, prepared, strict=True):
        entry = entries[n]
        meta = {k: entry.data[k] for k in META_FIELDS if k in entry.data}
        records[n] = feature_cache.Record(entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, meta, features, sig)
        store.put(records[n])
    for entry, record in zip(entries, records, strict=True):
        if record is not None:
            corpus.items.append(Item(entry, record.features, record.signature))
    store.save()
    weigh_all([item.features for item in corpus.items])
    return corpus


def day_of(entry: Entry) -> float:
    day = as_date(entry.data.get("submitted"))
    return float(day.toordinal()) if day else float("nan")
