"""The local corpus as one memory-mapped file, for the queries of a change set (validate --base).

The plain path (corpus.from_loaded + search.Searcher) reads the features of every initiative,
weighs them all and builds an index, only to ask about the few entries a change set adds or
modifies. This store keeps what such a query needs as flat arrays in one file beside the feature
cache (`novelty-packed.bin`), written by a plain run: for every initiative (sorted by path) its
content hash, LSH band keys, MinHash signature, terms (as columns of a stored vocabulary), term
counts and shingles; and the vocabulary with its document frequencies.

A query opens the file without parsing it (numpy views on one mmap), leaves out the rows of
initiatives that changed since it was written and adds their new features (document frequencies
adjusted, not recounted), takes every text's norm under the new idf, the content cosine with the
query from the terms it shares, and reads the full features of the candidates only. The numbers
are the plain path's: per text the same operations on the same values in the same order (a
cosine adds only the non-zero terms of the plain path's sum). `tests/test_novelty_packed.py`
compares both paths on a planted corpus with edits. More changed initiatives than MAX_NEW, or
no usable file: the plain path runs and writes the file again.
"""

from __future__ import annotations

import contextlib
import functools
import json
import mmap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sangkien import cachedir, settings
from sangkien.loader import Loaded
from sangkien.model import Entry
from sangkien.novelty import weights
from sangkien.novelty.abbrev import Abbreviations
from sangkien.novelty.cache import VERSION as FEATURES_VERSION
from sangkien.novelty.cache import location

__all__ = ["MAGIC", "MAX_NEW", "NAME", "PackedCorpus", "PackedSearcher", "location", "save", "view"]
from sangkien.novelty.compare import Features, measure
from sangkien.novelty.corpus import Corpus, Item, day_of, features_of, full_text, initiatives
from sangkien.novelty.index import BANDS, HASHES, MAX_BUCKET, band_keys
from sangkien.novelty.search import SHORTLIST, Match, Searcher

VERSION = "sangkien-novelty-packed-2"
NAME = "novelty-packed.bin"
MAGIC = b"SKPACK1\n"
ALIGN = 64
MAX_NEW = 64  # initiatives changed since the file was written; more and the plain path rewrites it
CHUNK = 1 << 18  # terms per step when taking the norms (rows never split: sums stay sequential)


def _tag(abbreviations: Abbreviations) -> str:
    return f"{VERSION}:{FEATURES_VERSION}:{abbreviations.fingerprint()}"


# ----------------------------------------------------------------- writing (after a plain run)
def save(loaded: Loaded, corpus: Corpus) -> None:
    """Write the store from a corpus read whole (corpus.from_loaded: a plain --base run, `sangkien
    similar`, which CI's cache job runs on main), unless it holds these very texts already. A
    store that cannot be written is skipped."""
    where = location(loaded.root, NAME)
    if where is None:
        return
    rows = [item for item in corpus.items if loaded.hashes.get(item.path)]
    tag = _tag(corpus.abbreviations)
    kept = _open(loaded.root, tag)
    if kept is not None and kept.paths == [i.path for i in rows] and kept.digests == [loaded.hashes[i.path] for i in rows]:
        return  # the same initiatives, the same bytes: nothing to write
    lengths = np.array([len(i.features.terms) for i in rows], dtype=np.int64)
    terms = np.concatenate([i.features.terms for i in rows]).astype(np.uint32) if rows else np.empty(0, np.uint32)
    vocab, inverse, df = weights.factorize(terms) if len(terms) else (np.empty(0, np.uint32), np.empty(0, np.int64), np.empty(0, np.int64))
    sigs = np.stack([i.signature for i in rows]).astype(np.uint32) if rows else np.empty((0, HASHES), np.uint32)
    arrays: dict[str, np.ndarray] = {
        "keys": band_keys(sigs) if rows else np.empty((0, BANDS), np.uint64),
        "signatures": sigs,
        "term_offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        "cols": inverse.astype(np.int32),
        "counts": _small(np.concatenate([i.features.counts for i in rows])) if rows else np.empty(0, np.uint16),
        "shingle_offsets": np.concatenate([[0], np.cumsum([len(i.features.shingles) for i in rows])]).astype(np.int64),
        "shingles": np.concatenate([i.features.shingles for i in rows]).astype(np.uint32) if rows else np.empty(0, np.uint32),
        "vocab": vocab.astype(np.uint32),
        "df": df.astype(np.int64),
    }
    with contextlib.suppress(OSError):
        if where.parent == settings.cache_dir():
            cachedir.make(where.parent)
        cachedir.write_bytes(where, _encode(tag, [i.path for i in rows],
                                            [loaded.hashes[i.path] for i in rows], arrays), durable=False)


def _small(counts: np.ndarray) -> np.ndarray:
    """Term counts are whole numbers: two bytes each instead of four (fewer pages a query touches),
    the same float64 values once widened; float32 kept if a count does not fit."""
    narrow = counts.astype(np.uint16)
    return narrow if np.array_equal(narrow.astype(counts.dtype), counts) else counts.astype(np.float32)


def _encode(tag: str, paths: list[str], digests: list[str], arrays: dict[str, np.ndarray]) -> bytes:
    layout: dict[str, list[Any]] = {}
    offset = 0
    for name, array in arrays.items():
        offset = -(-offset // ALIGN) * ALIGN
        layout[name] = [array.dtype.str, list(array.shape), offset]
        offset += array.nbytes
    header = json.dumps({"tag": tag, "paths": paths, "digests": digests, "arrays": layout}, ensure_ascii=False).encode("utf-8")
    start = -(-(len(MAGIC) + 8 + len(header)) // ALIGN) * ALIGN
    out = bytearray(start + offset)
    out[:len(MAGIC)] = MAGIC
    out[len(MAGIC):len(MAGIC) + 8] = len(header).to_bytes(8, "little")
    out[len(MAGIC) + 8:len(MAGIC) + 8 + len(header)] = header
    for name, array in arrays.items():
        at = start + layout[name][2]
        out[at:at + array.nbytes] = np.ascontiguousarray(array).tobytes()
    return bytes(out)


# ----------------------------------------------------------------- reading
@dataclass
class Store:
    paths: list[str]
    digests: list[str]
    arrays: dict[str, np.ndarray]
    handle: mmap.mmap | None = None


def _open(root: Path, tag: str) -> Store | None:
    where = location(root, NAME)
    if where is None or not where.is_file():
        return None
    try:
        with where.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if mapped[:len(MAGIC)] != MAGIC:
            return None
        size = int.from_bytes(mapped[len(MAGIC):len(MAGIC) + 8], "little")
        header = json.loads(mapped[len(MAGIC) + 8:len(MAGIC) + 8 + size].decode("utf-8"))
        if header.get("tag") != tag:
            return None
        start = -(-(len(MAGIC) + 8 + size) // ALIGN) * ALIGN
        arrays = {}
        for name, (dtype, shape, offset) in header["arrays"].items():
            count = int(np.prod(shape)) if shape else 1
            arrays[name] = np.frombuffer(mapped, dtype=np.dtype(dtype), count=count, offset=start + offset).reshape(shape)
        paths, digests = header["paths"], header["digests"]
        if len(paths) != len(digests) or len(arrays["term_offsets"]) != len(paths) + 1:
            return None
        return Store(paths, digests, arrays, mapped)
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None  # damaged or from another version: the plain path writes it again


# ----------------------------------------------------------------- the corpus seen through the store
class _Lazy(Mapping[str, Item]):
    def __init__(self, view: PackedCorpus, position: dict[str, int]) -> None:
        self._view, self._position = view, position

    def __getitem__(self, key: str) -> Item:
        return self._view.item(self._position[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._position)

    def __len__(self) -> int:
        return len(self._position)


@dataclass
class PackedCorpus(Corpus):
    """A Corpus whose items are made on demand from the store (stored rows) or in memory (new ones)."""

    entries: list[Entry] = field(default_factory=list)
    store: Store | None = None
    rows: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # stored row of each entry, -1 if new
    new: dict[int, tuple[Features, np.ndarray]] = field(default_factory=dict)  # position -> (features, signature)
    idf: np.ndarray = field(default_factory=lambda: np.empty(0))  # of the stored vocabulary, then of the new terms
    terms: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint32))  # the same order as idf
    # of each stored row, 1.0 where zero: taken in the first query's pass over the store (cosines),
    # or on their own if a stored row is needed before (stored_norms)
    norms: np.ndarray | None = None
    made: dict[int, Item] = field(default_factory=dict)

    def stored_norms(self) -> np.ndarray:
        if self.norms is None:
            assert self.store is not None
            self.norms = _norms(self.store, self.idf)
        return self.norms

    def by_path(self) -> Mapping[str, Item]:
        return _Lazy(self, {e.path: n for n, e in enumerate(self.entries)})

    def by_id(self) -> Mapping[str, Item]:
        return _Lazy(self, {e.id: n for n, e in enumerate(self.entries)})

    def item(self, n: int) -> Item:
        found = self.made.get(n)
        if found is not None:
            return found
        row = int(self.rows[n])
        if row < 0:
            features, sig = self.new[n]
        else:
            assert self.store is not None
            a = self.store.arrays
            lo, hi = int(a["term_offsets"][row]), int(a["term_offsets"][row + 1])
            slo, shi = int(a["shingle_offsets"][row]), int(a["shingle_offsets"][row + 1])
            cols = np.asarray(a["cols"][lo:hi], dtype=np.int64)
            counts = np.array(a["counts"][lo:hi], dtype=np.float32)  # as prepare() gives them
            w = self.idf[cols] * (1 + np.log(counts.astype(np.float64)))
            w /= self.stored_norms()[row]
            features = Features(np.array(a["shingles"][slo:shi]), np.array(a["vocab"][cols]), counts, w.astype(np.float32), cols)
            sig = np.array(a["signatures"][row])
        made = Item(self.entries[n], features, sig)
        self.made[n] = made
        return made


def view(loaded: Loaded, abbreviations: Abbreviations, entries: list[Entry] | None = None) -> PackedCorpus | None:
    """The corpus through the store, or None where the plain path must run (no store, another
    version, too many initiatives changed since it was written). `entries`: initiatives(loaded),
    if the caller has it already."""
    store = _open(loaded.root, _tag(abbreviations))
    if store is None:
        return None
    entries = initiatives(loaded) if entries is None else entries
    row_of = {p: r for r, p in enumerate(store.paths)}
    stored, fresh = [], []
    digests, hashes = store.digests, loaded.hashes
    for n, entry in enumerate(entries):  # a list, then one array: 10,000 numpy item assignments cost more
        r = row_of.get(entry.path, -1)
        digest = hashes.get(entry.path, "")
        if r >= 0 and digest and digests[r] == digest:
            stored.append(r)
        else:
            stored.append(-1)
            fresh.append(n)
    rows = np.array(stored, dtype=np.int64)
    if len(fresh) > MAX_NEW:
        return None
    new = {n: features_of(full_text(loaded.root, entries[n]), abbreviations) for n in fresh}
    a = store.arrays
    vocab, offsets, cols = a["vocab"], a["term_offsets"], a["cols"]
    # document frequencies of the texts compared now: the stored ones less the rows left out, plus the new texts
    df = np.array(a["df"], dtype=np.int64)
    kept = np.zeros(len(store.paths), dtype=bool)
    kept[rows[rows >= 0]] = True
    for r in np.flatnonzero(~kept).tolist():
        df[np.asarray(cols[offsets[r]:offsets[r + 1]], dtype=np.int64)] -= 1
    extra_terms: dict[int, int] = {}
    for features, _ in new.values():
        t = features.terms.astype(np.uint32)
        at = np.searchsorted(vocab, t).clip(0, max(len(vocab) - 1, 0))
        inside = (vocab[at] == t) if len(vocab) else np.zeros(len(t), dtype=bool)
        df[at[inside]] += 1
        for term in t[~inside].tolist():
            extra_terms[term] = extra_terms.get(term, 0) + 1
    extra = np.array(sorted(extra_terms), dtype=np.uint32)
    all_terms = np.concatenate([vocab, extra]).astype(np.uint32)
    all_df = np.concatenate([df, np.array([extra_terms[t] for t in extra.tolist()], dtype=np.int64)])
    idf = _idf(all_terms, all_df, len(entries))
    corpus = PackedCorpus(loaded.root, loaded.repo, abbreviations, entries=entries, store=store, rows=rows, idf=idf, terms=all_terms)
    order = np.argsort(all_terms, kind="stable")
    for n, (features, sig) in new.items():
        at = order[np.searchsorted(all_terms[order], features.terms.astype(np.uint32))]
        w = idf[at] * (1 + np.log(features.counts.astype(np.float64)))
        norm = np.sqrt(np.bincount(np.zeros(len(w), dtype=np.int64), weights=w * w, minlength=1))[0] if len(w) else 0.0
        w /= norm if norm > 0 else 1.0
        corpus.new[n] = (Features(features.shingles, features.terms, features.counts, w.astype(np.float32), at.astype(np.int64)), sig)
    return corpus


def _idf(terms: np.ndarray, df: np.ndarray, texts: int) -> np.ndarray:
    """weights.weigh's idf, term by term (background + the texts compared)."""
    keys, bg_df, bg_docs = weights.background()
    at = np.searchsorted(keys, terms).clip(0, max(len(keys) - 1, 0))
    known = (keys[at] == terms) if len(keys) else np.zeros(len(terms), dtype=bool)
    total_df = df + np.where(known, bg_df[at] if len(keys) else 0, 0)
    idf: np.ndarray = np.log((bg_docs + texts + 1) / (total_df + 1)) + 1
    return idf


def _norms(store: Store, idf: np.ndarray) -> np.ndarray:
    """Each stored row's vector length under `idf`, summed term by term as weights.weigh does."""
    offsets = store.arrays["term_offsets"]
    n = len(store.paths)
    out = np.empty(n, dtype=np.float64)
    for start, stop in _chunks(offsets, n):
        _, w = _stored_weights(store, idf, start, stop)
        out[start:stop] = _lengths(w, _owners(offsets, start, stop), stop - start)
    return out


def _stored_weights(store: Store, idf: np.ndarray, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
    """The columns of the stored terms of rows start..stop and their weights before
    normalising, idf × (1 + log count), as weights.weigh computes them."""
    a = store.arrays
    lo, hi = int(a["term_offsets"][start]), int(a["term_offsets"][stop])
    cols = np.asarray(a["cols"][lo:hi], dtype=np.int64)
    return cols, idf[cols] * _tf(np.asarray(a["counts"][lo:hi]))


def _lengths(w: np.ndarray, owner: np.ndarray, rows: int) -> np.ndarray:
    """Vector length of each row from its terms' weights (1.0 for an empty row), summed in order."""
    length = np.sqrt(np.bincount(owner, weights=w * w, minlength=rows))
    found: np.ndarray = np.where(length > 0, length, 1.0)
    return found


def _owners(offsets: np.ndarray, start: int, stop: int) -> np.ndarray:
    """The row (counted from `start`) of each stored term of rows start..stop."""
    return np.repeat(np.arange(stop - start), np.diff(offsets[start:stop + 1]))


@functools.cache
def _tf_table() -> np.ndarray:
    with np.errstate(divide="ignore"):  # a count of 0 is never stored; its log is -inf as it would be computed
        table: np.ndarray = 1 + np.log(np.arange(1 << 16, dtype=np.float64))
    return table


def _tf(counts: np.ndarray) -> np.ndarray:
    """1 + log(count) of stored term counts, as weights.weigh computes it: two-byte counts are
    looked up in a table of those values (the same float64 logarithms) instead of taking a
    logarithm for each of 10^6 stored terms."""
    if counts.dtype == np.uint16:
        found: np.ndarray = _tf_table()[counts]
        return found
    out: np.ndarray = 1 + np.log(counts.astype(np.float64))
    return out


def _chunks(offsets: np.ndarray, n: int) -> Iterator[tuple[int, int]]:
    """Runs of whole rows holding about CHUNK terms (a longer row alone)."""
    start = 0
    while start < n:
        stop = int(np.searchsorted(offsets, offsets[start] + CHUNK, side="right")) - 1
        stop = min(max(stop, start + 1), n)
        yield start, stop
        start = stop


# ----------------------------------------------------------------- the query
class PackedSearcher(Searcher):
    """Searcher.query on a PackedCorpus: same candidates, same measures."""

    def __init__(self, corpus: PackedCorpus) -> None:  # noqa: D107 - no index: the store is one
        self.corpus = corpus
        self.packed = corpus
        entries = corpus.entries
        self.position = {e.path: n for n, e in enumerate(entries)}
        days: dict[str, float] = {}  # search.Searcher's day and campaign columns, each date read once
        day: list[float] = []
        campaign: list[str] = []
        for e in entries:
            # dict.get: both are fields an entry's facts hold (loader.FACT_KEYS), so an entry the run
            # did not read answers from its facts as FactData.get would, without a Python call.
            raw = dict.get(e.data, "submitted")
            if isinstance(raw, str):
                found = days.get(raw)
                day.append(found if found is not None else days.setdefault(raw, day_of(e)))
            else:
                day.append(day_of(e))
            campaign.append(str(dict.get(e.data, "campaign")))
        self.day = np.array(day, dtype=np.float64)
        index = {name: n for n, name in enumerate(sorted(set(campaign)))}
        self.campaign = np.array([index[c] for c in campaign], dtype=np.int64)
        store = corpus.store
        assert store is not None
        stored = store.arrays["keys"][np.where(corpus.rows >= 0, corpus.rows, 0)]
        keys = np.array(stored, dtype=np.uint64)
        for n, (_, sig) in corpus.new.items():
            keys[n] = band_keys(sig[None, :])[0]
        self.keys = keys

    def cosines(self, f: Features) -> np.ndarray:
        """Index.cosines: the query's content cosine with every text, in the corpus's order."""
        corpus = self.packed
        n = len(corpus.entries)
        if not n or not len(f.terms):
            return np.zeros(n, dtype=np.float32)
        assert f.weights is not None and f.ids is not None
        q = np.zeros(len(corpus.terms), dtype=np.float32)
        q[f.ids] = f.weights
        store = corpus.store
        assert store is not None
        a = store.arrays
        offsets, cols, counts = a["term_offsets"], a["cols"], a["counts"]
        stored_n = len(store.paths)
        qv = q[: len(a["vocab"])]
        asked = qv != 0  # a byte per term: gathering it over every stored term reads less than the float32 weights
        sums = np.zeros(stored_n, dtype=np.float64)
        # The first query takes the rows' lengths in the same pass (the weights of the shared terms
        # are among those of all terms): one walk over the store instead of two.
        norms = corpus.norms if corpus.norms is not None else np.empty(stored_n, dtype=np.float64)
        first = corpus.norms is None
        for start, stop in _chunks(offsets, stored_n):  # whole rows per step: each row's sum stays sequential
            lo, hi = int(offsets[start]), int(offsets[stop])
            if first:
                terms, every = _stored_weights(store, corpus.idf, start, stop)
                owners = _owners(offsets, start, stop)
                norms[start:stop] = _lengths(every, owners, stop - start)
                shared = np.flatnonzero(asked[terms])  # from lo
                owner = owners[shared]  # from start
                c = terms[shared]
                w = every[shared]
            else:
                terms = np.asarray(cols[lo:hi])
                shared = np.flatnonzero(asked[terms])
                owner = _owners(offsets, start, stop)[shared]
                c = terms[shared].astype(np.int64)
                w = corpus.idf[c] * _tf(np.asarray(counts[lo:hi])[shared])
            w /= norms[owner + start]
            sums[start:stop] = np.bincount(owner, weights=w.astype(np.float32) * qv[c], minlength=stop - start)
        corpus.norms = norms
        out = np.zeros(n, dtype=np.float64)
        have = corpus.rows >= 0
        out[have] = sums[corpus.rows[have]]
        for m, (g, _) in corpus.new.items():
            assert g.weights is not None and g.ids is not None
            out[m] = np.bincount(np.zeros(len(g.ids), dtype=np.int64), weights=g.weights * q[g.ids], minlength=1)[0] if len(g.ids) else 0.0
        return out.astype(np.float32)

    def lsh(self, sig: np.ndarray) -> np.ndarray:
        """Index.lsh on the stored and new band keys."""
        if not len(self.keys):
            return np.empty(0, dtype=np.int64)
        same = self.keys == band_keys(sig[None, :])[0][None, :]
        crowded = same.sum(axis=0) > MAX_BUCKET
        return np.flatnonzero(same[:, ~crowded].any(axis=1))

    def query(self, item: Item, top: int, floor: float = 0.0) -> list[Match]:
        """Searcher.query, reading the features of the candidates only."""
        i = self.position[item.path]
        mask = self._eligible(np.array([i]))[0]
        cos = self.cosines(item.features)
        cos[~mask] = -1.0
        shortlist = max(top, SHORTLIST)
        nearest = np.argpartition(-cos, min(shortlist, len(cos) - 1))[:shortlist] if len(cos) > 1 else np.flatnonzero(mask)
        lsh = self.lsh(item.signature)
        candidates = {int(j) for j in nearest if mask[j]} | {int(j) for j in lsh if mask[j]}
        found = [Match(self.packed.item(j), measure(item.features, self.packed.item(j).features)) for j in candidates]
        found = [m for m in found if m.score >= floor]
        return sorted(found, key=lambda m: (-m.score, m.item.path))[:top]
