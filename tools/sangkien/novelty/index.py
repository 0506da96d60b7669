"""Finding candidate pairs fast: MinHash + LSH on shingles, and sparse cosine on content.

Measured on 2 cores (benchmarks/novelty.py --datasketch): signing 1,000 entries of ~800
syllables took 0.55 s with this numpy MinHash against 4.06 s with datasketch's `update_batch`,
so there is no extra dependency.
- LSH (128 hashes in 32 bands of 4) proposes pairs whose shingle Jaccard is about 0.4 or more
  (probability 0.87 at 0.5, 0.98 at 0.6): copies, reorders, abbreviation changes.
- Content cosine is exact for every pair: one weighted bincount for a query, sparse and dense
  matrix products in row blocks for a full scan. It finds paraphrases, which share few shingles.
Every candidate is then measured exactly (compare.measure) before anything is reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

import numpy as np
from sangkien.novelty.compare import Features

if TYPE_CHECKING:
    from scipy import sparse

# (dense frequent-term columns, sparse rare-term rows, their transpose): see Index._matrices.
_Scan: TypeAlias = "tuple[np.ndarray, sparse.csr_matrix, sparse.csc_matrix]"

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
    """Built lazily: a single query needs neither the sorted buckets nor the scan matrices."""

    def __init__(self, features: list[Features], signatures: np.ndarray) -> None:
        """`features` weighed together (compare.weigh_all): their term ids share one vocabulary."""
        self.n = len(features)
        self._keys = band_keys(signatures) if self.n else np.empty((0, BANDS), dtype=np.uint64)
        lengths = np.array([len(f.terms) for f in features], dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        ids = np.concatenate([f.ids for f in features]) if self.n else np.empty(0, dtype=np.int64)
        data = np.concatenate([f.weights for f in features]) if self.n else np.empty(0, dtype=np.float32)
        self._width = int(ids.max()) + 1 if len(ids) else 0
        self._ids, self._data, self._indptr = ids, data, indptr
        self._owner = np.repeat(np.arange(self.n), lengths)  # which text each stored term belongs to
        self._buckets: tuple[np.ndarray, np.ndarray] | None = None
        self._scan: _Scan | None = None

    @classmethod
    def packed(cls, ids: np.ndarray, data: np.ndarray, indptr: np.ndarray, width: int, keys: np.ndarray) -> Index:
        """An index over texts stored as flat arrays (outside.py's cache): term columns and
        weights of all texts, where each text starts (indptr), and their LSH band keys."""
        self = cls.__new__(cls)
        self.n = len(indptr) - 1
        self._keys = keys
        self._width = width
        self._ids, self._data, self._indptr = ids, data, indptr
        self._owner = np.repeat(np.arange(self.n), np.diff(indptr))
        self._buckets = None
        self._scan = None
        return self

    # ---- one query against the index
    def lsh(self, sig: np.ndarray) -> np.ndarray:
        """Indices sharing at least one band bucket with the signature."""
        if not self.n:
            return np.empty(0, dtype=np.int64)
        same = self._keys == band_keys(sig[None, :])[0][None, :]
        crowded = same.sum(axis=0) > MAX_BUCKET
        return np.flatnonzero(same[:, ~crowded].any(axis=1))

    def cosines(self, f: Features) -> np.ndarray:
        """Content cosine of an indexed text (weighed with the others) with every indexed text."""
        if not self.n or not len(f.terms):
            return np.zeros(self.n, dtype=np.float32)
        q = np.zeros(self._width, dtype=np.float32)
        q[f.ids] = f.weights
        return np.bincount(self._owner, weights=self._data * q[self._ids], minlength=self.n).astype(np.float32)

    # ---- every pair
    def lsh_pairs(self) -> dict[int, set[int]]:
        """For each text, the others sharing a band bucket with it."""
        out: dict[int, set[int]] = {}
        if self._buckets is None:
            order = np.argsort(self._keys, axis=0, kind="stable")
            self._buckets = (order, np.take_along_axis(self._keys, order, axis=0))
        orders, columns = self._buckets
        for b in range(BANDS):
            column, order = columns[:, b], orders[:, b]
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

    def _matrices(self) -> _Scan:
        """(dense frequent-term columns, sparse rare-term rows, their transpose) for block products."""
        if self._scan is None:
            from scipy import sparse  # only a full scan needs it; a single query stays in numpy

            matrix = sparse.csr_matrix((self._data, self._ids, self._indptr), shape=(self.n, self._width), dtype=np.float32)
            cols = matrix.indices
            # A full scan multiplies every pair. Frequent terms would make the sparse product
            # quadratic, so they go to a small dense matrix for BLAS; the sum of both parts is exact.
            df = np.bincount(cols, minlength=matrix.shape[1])
            common = np.sort(np.argsort(-df, kind="stable")[:COMMON])
            rare = np.setdiff1d(np.arange(matrix.shape[1]), common)
            rare_rows = matrix[:, rare].tocsr()
            self._scan = (matrix[:, common].toarray(), rare_rows, rare_rows.T.tocsc())
        return self._scan

    def cosine_block(self, start: int, stop: int) -> np.ndarray:
        """Dense (stop-start, n) block of content cosines."""
        dense, rare, rare_t = self._matrices()
        block: np.ndarray = dense[start:stop] @ dense.T + (rare[start:stop] @ rare_t).toarray()
        return block
