"""The entries to compare, with their features, read from a repository.

Only initiatives (files in a sáng kiến or ý tưởng campaign) take part: thi đua nominations
report a person's achievements and replication records copy a recognised initiative on
purpose. Features are cached between runs (see cache.py), keyed by file size and time.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sangkien import parallel
from sangkien.loader import Loaded, load
from sangkien.model import Entry, Repository, as_date
from sangkien.novelty import cache as feature_cache
from sangkien.novelty.abbrev import Abbreviations
from sangkien.novelty.compare import Features, weigh_all
from sangkien.novelty.index import signature
from sangkien.novelty.prepare import Prepared, compose, prepare
from sangkien.reader import read_markdown

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

    def by_path(self) -> Mapping[str, Item]:
        return {item.path: item for item in self.items}

    def by_id(self) -> Mapping[str, Item]:
        return {item.id: item for item in self.items}

    def prepared(self, item: Item) -> Prepared:
        """The full preparation of one entry (tokens and spans), for showing shared passages."""
        return prepare(full_text(self.root, item.entry), self.abbreviations)


def full_text(root: Path, entry: Entry) -> str:
    """The text compared of an entry (one without a body in the model is read again from its file)."""
    data, body = entry.data, entry.body
    if not body:
        try:
            doc = read_markdown((root / entry.path).read_bytes(), entry.path)
            if doc.readable and isinstance(doc.data, dict):
                data, body = doc.data, doc.body
        except OSError:
            pass
    return text_of(data, body)


def text_of(data: dict[str, Any], body: str) -> str:
    return compose(str(data.get("title") or ""), str(data.get("summary") or ""), body or "")


def _features(text: str, abbreviations: Abbreviations) -> tuple[Features, np.ndarray]:
    features = Features.of(prepare(text, abbreviations))
    return features, signature(features.shingles)


def features_of(text: str, abbreviations: Abbreviations) -> tuple[Features, np.ndarray]:
    """The features of one text and their MinHash signature, as a run computes them for the cache."""
    return _features(text, abbreviations)


def initiatives(loaded: Loaded) -> list[Entry]:
    """The entries compared, in the corpus's order (by path)."""
    return [e for e in sorted(loaded.repo.entries.values(), key=operator.attrgetter("path")) if e.kind == "entry" and isinstance(e.data, dict)]


# Set before a pool forks, so the workers inherit it instead of receiving it with every chunk.
_ABBREVIATIONS = Abbreviations()


def _prepare_texts(texts: Sequence[str]) -> list[tuple[Features, np.ndarray]]:
    return [_features(text, _ABBREVIATIONS) for text in texts]


def _misses(store: feature_cache.Store, paths: list[str], hashes: dict[str, str]) -> tuple[list[feature_cache.Record | None], list[int]]:
    """Cached records in the order of `paths` (None where missing), and the positions to prepare."""
    found = [store.get(rel, hashes.get(rel, "")) for rel in paths]
    return found, [n for n, record in enumerate(found) if record is None]


def from_files(root: Path, abbreviations: Abbreviations, use_cache: bool = True) -> Corpus:
    """The corpus of a repository, read by the loader (from the validation cache when warm)."""
    return from_loaded(load(root), abbreviations, use_cache)


def from_loaded(loaded: Loaded, abbreviations: Abbreviations, use_cache: bool = True) -> Corpus:
    """The corpus of a repository that the validator has already read and modelled."""
    global _ABBREVIATIONS
    root = loaded.root
    store = feature_cache.Store.open(root, abbreviations.fingerprint()) if use_cache else feature_cache.Store(None)
    corpus = Corpus(root, loaded.repo, abbreviations)
    entries = initiatives(loaded)
    records, todo = _misses(store, [e.path for e in entries], loaded.hashes)
    _ABBREVIATIONS = abbreviations
    prepared = parallel.map_chunks(_prepare_texts, [full_text(root, entries[n]) for n in todo])
    for n, (features, sig) in zip(todo, prepared, strict=True):
        entry = entries[n]
        meta = {k: entry.data[k] for k in META_FIELDS if k in entry.data}
        record = feature_cache.Record(entry.path, loaded.hashes.get(entry.path, ""), meta, features, sig)
        records[n] = record
        store.put(record)
    for entry, found in zip(entries, records, strict=True):
        if found is not None:
            corpus.items.append(Item(entry, found.features, found.signature))
    store.save()
    weigh_all([item.features for item in corpus.items])
    if use_cache:
        from sangkien.novelty import packed  # packed builds on this module

        packed.save(loaded, corpus)  # what the next change set's check opens instead of all this
    return corpus


def day_of(entry: Entry) -> float:
    day = as_date(entry.data.get("submitted"))
    return float(day.toordinal()) if day else float("nan")
