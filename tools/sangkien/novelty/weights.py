"""Content vectors: syllable counts weighted by a fixed background IDF, unit length.

The background table (background.tsv) comes from the public campaign plans, not from the
repository, so a pair's score never depends on which other entries happen to be there: the
same two texts get the same score in a pull request, in `sangkien similar` and in the
evaluation. Syllables common in administrative writing weigh less than distinctive ones.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
from sangkien.novelty.prepare import Prepared, syllable_hashes

BACKGROUND_FILE = Path(__file__).with_name("background.tsv")


@lru_cache(maxsize=1)
def _table() -> tuple[np.ndarray, np.ndarray, float]:
    """(sorted term hashes, their idf, idf of an unseen syllable)."""
    documents, words, freqs = 1, [], []
    for line in BACKGROUND_FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, value = line.split("\t")
        if key == "documents":
            documents = int(value)
        else:
            words.append(key)
            freqs.append(int(value))
    hashes = syllable_hashes(words)
    idf = np.log((documents + 1) / (np.array(freqs, dtype=np.float64) + 1)) + 1
    order = np.argsort(hashes)
    return hashes[order], idf[order].astype(np.float32), float(math.log(documents + 1) + 1)


def vector(prepared: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """(sorted term hashes, unit-length weights): (1 + ln tf) x idf."""
    keys, idf, unseen = _table()
    terms = prepared.terms
    if not len(terms):
        return terms, np.empty(0, dtype=np.float32)
    at = np.searchsorted(keys, terms).clip(0, max(len(keys) - 1, 0))
    found = keys[at] == terms if len(keys) else np.zeros(len(terms), dtype=bool)
    weights = np.where(found, idf[at] if len(keys) else unseen, unseen).astype(np.float32)
    weights *= 1 + np.log(prepared.counts)
    norm = float(np.linalg.norm(weights))
    return terms, (weights / norm if norm else weights).astype(np.float32)


def cosine(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    _, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return float(np.dot(a[1][ia], b[1][ib])) if len(ia) else 0.0
