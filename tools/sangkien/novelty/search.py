"""Who resembles whom: one entry against the rest, or every entry at once.

An entry is compared with entries submitted on or before its own day, and with every entry of
its own campaign (concurrent submissions); an entry without a date is compared with all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sangkien.novelty.compare import Measures, measure
from sangkien.novelty.corpus import Corpus, Item, day_of
from sangkien.novelty.index import BLOCK, HASHES, Index

SHORTLIST = 10  # content-nearest texts always measured exactly for a single query


@dataclass
class Match:
    item: Item
    measures: Measures

    @property
    def score(self) -> float:
        return self.measures.score


class Searcher:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.items = corpus.items
        sigs = np.stack([i.signature for i in self.items]) if self.items else np.empty((0, HASHES), dtype=np.uint32)
        self.index = Index([i.features for i in self.items], sigs)
        self.position = {item.path: n for n, item in enumerate(self.items)}
        self.day = np.array([day_of(i.entry) for i in self.items], dtype=np.float64)
        names = sorted({str(i.entry.campaign) for i in self.items})
        self.campaign = np.array([names.index(str(i.entry.campaign)) for i in self.items], dtype=np.int64)

    def _eligible(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), n) bool: may row r be compared with column c."""
        same = self.campaign[rows][:, None] == self.campaign[None, :]
        later = self.day[None, :] > self.day[rows][:, None]  # NaN compares False: undated is eligible
        mask: np.ndarray = same | ~later
        mask[np.arange(len(rows)), rows] = False
        return mask

    def query(self, item: Item, top: int, floor: float = 0.0) -> list[Match]:
        """The closest eligible entries, best first: at most `top`, each scoring at least `floor`."""
        i = self.position[item.path]
        mask = self._eligible(np.array([i]))[0]
        cos = self.index.cosines(item.features)
        cos[~mask] = -1.0
        shortlist = max(top, SHORTLIST)
        nearest = np.argpartition(-cos, min(shortlist, len(cos) - 1))[:shortlist] if len(cos) > 1 else np.flatnonzero(mask)
        lsh = self.index.lsh(item.signature)
        candidates = {int(j) for j in nearest if mask[j]} | {int(j) for j in lsh if mask[j]}
        found = [Match(self.items[j], measure(item.features, self.items[j].features)) for j in candidates]
        found = [m for m in found if m.score >= floor]
        return sorted(found, key=lambda m: (-m.score, m.item.path))[:top]

    def scan(self, threshold: dict[str, float]) -> dict[str, list[Match]]:
        """Every entry's eligible matches at or above its campaign's threshold (by entry path).

        Content cosines come exact from the block products. A bucket-mate or one of the nearest by
        content whose cosine is below the threshold can still match by textual overlap; its overlap
        is first estimated from the signatures and measured exactly only when the estimate comes
        within ESTIMATE_MARGIN.
        """
        out: dict[str, list[Match]] = {}
        if not self.items:
            return out
        limits = np.array([threshold.get(str(i.entry.campaign), threshold.get("", 1.0)) for i in self.items])
        sigs = np.stack([i.signature for i in self.items])
        sizes = np.array([len(i.features.shingles) for i in self.items], dtype=np.float64)
        lsh = self.index.lsh_pairs()
        for start in range(0, len(self.items), BLOCK):
            stop = min(start + BLOCK, len(self.items))
            rows = np.arange(start, stop)
            cos = self.index.cosine_block(start, stop)
            mask = self._eligible(rows)
            cos[~mask] = -1.0
            for r, i in enumerate(rows):
                limit = limits[i]
                candidates = set(np.flatnonzero(cos[r] >= limit).tolist())
                # LSH misses a short text pasted into a long one (low Jaccard); the nearest by content catch it
                nearest = np.argpartition(-cos[r], min(SHORTLIST, len(cos[r]) - 1))[:SHORTLIST] if len(cos[r]) > 1 else np.empty(0, dtype=np.int64)
                pool = set(lsh.get(int(i), ())) | set(nearest.tolist())
                mates = np.array([j for j in pool if mask[r, j] and cos[r, j] < limit], dtype=np.int64)
                if len(mates):
                    candidates |= set(mates[_estimated_overlap(sigs[i], sigs[mates], sizes[i], sizes[mates]) >= limit - ESTIMATE_MARGIN].tolist())
                mine = self.items[i]
                found = [Match(self.items[j], measure(mine.features, self.items[j].features, float(min(max(cos[r, j], 0.0), 1.0))))
                         for j in candidates]
                found = [m for m in found if m.score >= limit]
                if found:
                    out[mine.path] = sorted(found, key=lambda m: (-m.score, m.item.path))
        return out


ESTIMATE_MARGIN = 0.25  # 128 hashes estimate Jaccard within about ±0.1; containment amplifies it


def _estimated_overlap(sig: np.ndarray, others: np.ndarray, size: float, sizes: np.ndarray) -> np.ndarray:
    """Containment of the smaller text in the larger, estimated from MinHash signatures."""
    jaccard = (others == sig[None, :]).mean(axis=1)
    shared = jaccard / (1 + jaccard) * (size + sizes)
    overlap: np.ndarray = shared / np.maximum(np.minimum(size, sizes), 1.0)
    return overlap
