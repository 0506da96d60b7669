"""Finding candidate pairs fast: MinHash + LSH on shingles, and sparse cosine on content.

Measured on 2 cores (benchmarks/novelty.py): our own numpy MinHash over whole shingle arrays
beats datasketch's per-shingle `update` by a wide margin, so there is no extra dependency.
- LSH (128 hashes in 32 bands of 4) proposes pairs whose shingle Jaccard is about 0.4 or more
  (probability 0.87 at 0.5, 0.98 at 0.6): copies, reorders, abbreviation changes.
- Content cosine is exact for every pair: one sparse matrix-vector product for a query, sparse
  matrix products in row blocks for a full scan. It finds paraphrases, which share few shingles.
Every candidate is then measured exactly (compare.measure) before anything is reported.
"""

from __future__ import annotations

import numpy as np
from sangkien.novelty.compare import Features
from scipy import sparse

HASHES, BANDS, ROWS = 128, 32, 4
_rng = np.random.default_rng(20240525)  # fixed: signatures are cached between runs
_A = _rng.integers(1, 2**62, HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)  # odd multipliers
_B = _rng.integers(0, 2**62, HASHES, dtype=np.uint64)
_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)
BLOCK = 512  # rows per block in a full scan: 512 x 10,000 float32 = 20 MB
COMMON = 256  # most frequent terms, multiplied densely (BLAS); the long tail stays sparse
MAX_BUCKET = 200  # a band bucket this full holds boilerplate, not copies


def signature(shingles: np.ndarray) -> np.ndarray:
    """MinHash signature: for each of HASHES multiply-shift hash functions, the minimum."""
    if not len(shingles):
        return np.full(HASHES, 0xFFFFFFFF, dtype=np.uint32)
    out = np.empty(HASHES, dtype=np.uint32)
    x = shingles.astype(np.uint64)
    for lo in range(0, HASHES, 32):  # 32 hashes at a time keeps the temporary small
        block = (x[:, None] * _A[lo:lo + 32] + _B[lo:lo + 32]) >> np.uint64(32)
        out[lo:lo + 32] = block.min(axis=0)
    return out


def band_keys(signatures: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64: one key per band of ROWS signature values."""
    rows = signatures.reshape(len(signatures), BANDS, ROWS).astype(np.uint64)
    key = rows[..., 0]
    for r in range(1, ROWS):
        key = (key * _M1 + rows[..., r]) ^ ((key * _M2) >> np.uint64(29))
    return key


class Index:
    def __init__(self, features: list[Features], signatures: np.ndarray) -> None:
        self.n = len(features)
        keys = band_keys(signatures) if self.n else np.empty((0, BANDS), dtype=np.uint64)
        self._order = np.argsort(keys, axis=0, kind="stable")
        self._sorted = np.take_along_axis(keys, self._order, axis=0)
        lengths = np.array([len(f.terms) for f in features], dtype=np.int64)
        all_terms = np.concatenate([f.terms for f in features]) if self.n else np.empty(0, dtype=np.uint32)
        self.vocab = np.unique(all_terms)
        cols = np.searchsorted(self.vocab, all_terms)
        data = np.concatenate([f.weights for f in features]) if self.n else np.empty(0, dtype=np.float32)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        self.matrix = sparse.csr_matrix((data, cols, indptr), shape=(self.n, len(self.vocab)), dtype=np.float32)
        # A full scan multiplies every pair. Frequent terms would make the sparse product
        # quadratic, so they go to a small dense matrix for BLAS; the sum of both parts is exact.
        df = np.bincount(cols, minlength=len(self.vocab))
        common = np.sort(np.argsort(-df, kind="stable")[:COMMON])
        rare = np.setdiff1d(np.arange(len(self.vocab)), common)
        self._dense = self.matrix[:, common].toarray()
        self._rare = self.matrix[:, rare].tocsr()
        self._rare_t = self._rare.T.tocsc()

    # ---- one query against the index
    def lsh(self, sig: np.ndarray) -> np.ndarray:
        """Indices sharing at least one band bucket with the signature."""
        if not self.n:
            return np.empty(0, dtype=np.int64)
        keys = band_keys(sig[None, :])[0]
        found = []
        for b in range(BANDS):
            column = self._sorted[:, b]
            lo, hi = np.searchsorted(column, keys[b], "left"), np.searchsorted(column, keys[b], "right")
            if 0 < hi - lo <= MAX_BUCKET:
                found.append(self._order[lo:hi, b])
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)

    def cosines(self, f: Features) -> np.ndarray:
        """Content cosine of the query with every indexed text."""
        if not self.n or not len(f.terms):
            return np.zeros(self.n, dtype=np.float32)
        at = np.searchsorted(self.vocab, f.terms).clip(0, max(len(self.vocab) - 1, 0))
        hit = self.vocab[at] == f.terms
        q = np.zeros(len(self.vocab), dtype=np.float32)
        q[at[hit]] = f.weights[hit]
        return np.asarray(self.matrix @ q).ravel()

    # ---- every pair
    def lsh_pairs(self) -> dict[int, set[int]]:
        """For each text, the others sharing a band bucket with it."""
        out: dict[int, set[int]] = {}
        for b in range(BANDS):
            column, order = self._sorted[:, b], self._order[:, b]
            edges = np.flatnonzero(column[1:] != column[:-1]) + 1
            starts, ends = np.concatenate([[0], edges]), np.concatenate([edges, [self.n]])
            for lo, hi in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
                if hi - lo > MAX_BUCKET:
                    continue
                group = order[lo:hi].tolist()
                for i in group:
                    out.setdefault(i, set()).update(group)
        for i, group in out.items():
            group.discard(i)
        return out

    def cosine_block(self, start: int, stop: int) -> np.ndarray:
        """Dense (stop-start, n) block of content cosines."""
        return self._dense[start:stop] @ self._dense.T + (self._rare[start:stop] @ self._rare_t).toarray()
