"""The exact comparison of two texts and the passages they share.

Two signals, combined by taking the larger:
- textual overlap: the share of the shorter text's 3-syllable shingles found in the other
  (containment), which catches copies, copies with abbreviations changed, reordered paragraphs
  and a short entry pasted into a longer one;
- content similarity: cosine of syllable vectors under IDF (weights.py), which catches
  paraphrases of the same idea that share few exact phrases.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sangkien.novelty import weights
from sangkien.novelty.prepare import SHINGLE, Prepared

MIN_SHINGLES = 15  # below this, containment of a tiny text says little: use Jaccard instead
MIN_PASSAGE = 8  # syllables: shorter common runs are stock phrases ("Ủy ban nhân dân xã")


@dataclass
class Features:
    shingles: np.ndarray  # sorted unique uint32
    terms: np.ndarray  # sorted unique uint32
    counts: np.ndarray  # occurrences of each term
    weights: np.ndarray | None = None  # unit-length float32, set by weigh_all over the texts compared
    ids: np.ndarray | None = None  # column of each term in the vocabulary of those texts

    @classmethod
    def of(cls, prepared: Prepared) -> Features:
        return cls(prepared.shingles, prepared.terms, prepared.counts)


def weigh_all(features: list[Features]) -> None:
    """Give every text its content weights, with document frequencies taken over all of them."""
    found, ids = weights.weigh([f.terms for f in features], [f.counts for f in features])
    for f, w, i in zip(features, found, ids, strict=True):
        f.weights, f.ids = w, i


@dataclass(frozen=True)
class Measures:
    jaccard: float  # shared shingles / all shingles
    overlap: float  # shared shingles / shingles of the smaller text
    content: float  # cosine of content vectors

    @property
    def score(self) -> float:
        return max(self.overlap, self.content)

    @property
    def changed(self) -> float:
        """How much of the text is new compared with the other: 1 - Jaccard of shingles."""
        return 1.0 - self.jaccard


def measure(a: Features, b: Features, content: float | None = None) -> Measures:
    """Texts of one corpus are weighed together first (weigh_all); a lone pair is weighed here.
    `content`: the cosine if the caller already has it (a full scan computes them all)."""
    if content is None and (a.weights is None or b.weights is None):
        weigh_all([a, b])
    shared = len(np.intersect1d(a.shingles, b.shingles, assume_unique=True))
    na, nb = len(a.shingles), len(b.shingles)
    union = na + nb - shared
    jaccard = shared / union if union else 0.0
    small = min(na, nb)
    overlap = shared / small if small >= MIN_SHINGLES else jaccard
    if content is None:
        assert a.weights is not None and b.weights is not None  # weighed above
        content = weights.cosine((a.terms, a.weights), (b.terms, b.weights))
    return Measures(jaccard, overlap, min(max(content, 0.0), 1.0))


@dataclass(frozen=True)
class Passage:
    start: int  # character span in the first text
    end: int
    syllables: int


def passages(a: Prepared, b: Prepared, minimum: int = MIN_PASSAGE) -> list[Passage]:
    """Runs of `a` made of shingles that also occur in `b`, longest first."""
    if not len(a.positions) or not len(b.shingles):
        return []
    shared_at = np.isin(a.positions, b.shingles, assume_unique=False)
    marked = np.zeros(len(a.tokens), dtype=bool)
    for offset in range(min(SHINGLE, len(a.tokens))):
        marked[offset: offset + len(shared_at)] |= shared_at[: len(a.tokens) - offset]
    found, i, n = [], 0, len(marked)
    while i < n:
        if not marked[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and marked[j + 1]:
            j += 1
        if j - i + 1 >= minimum:
            found.append(Passage(a.starts[i], a.ends[j], j - i + 1))
        i = j + 1
    return sorted(found, key=lambda p: (-p.syllables, p.start))


def shared_share(a: Prepared, found: list[Passage]) -> float:
    """Share of `a`'s syllables inside shared passages."""
    return min(1.0, sum(p.syllables for p in found) / len(a.tokens)) if a.tokens else 0.0
