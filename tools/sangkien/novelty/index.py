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
# The multiply-shift constants, fixed because signatures are cached between runs. They are the
# values of np.random.default_rng(20240525): integers(1, 2**62, HASHES) * 2 + 1 (odd), then
# integers(0, 2**62, HASHES); written out so that a run need not import numpy.random (~5-10 ms).
# tests/test_startup_constants.py checks them against the generator.
_A = np.array([  # odd multipliers
    0x171D506AD14A9673, 0x56BBF7A99C6D473B, 0x6DEB94414A5BBC47, 0x54F4AE8CAFD17D31,
    0x2DF166D61094CE9F, 0x6B60FDA199B98AEB, 0x099DD3671B41525F, 0x59D711EF4D834F09,
    0x20742419AA02955D, 0x1CEC1003E7FFFD2B, 0x154106BFB56E736F, 0x46F1D5B63F9CA025,
    0x0BCE6753F9ADBAB1, 0x673359063A52AFC5, 0x79F2079CE977CEA3, 0x7DDAE2F8839B8A91,
    0x2E9E972256B1EA4D, 0x4B363131094FC791, 0x1F438F9D24C87645, 0x456F0DA00AB3EB07,
    0x5F5B29BA3357BB75, 0x009B0A97D4DC1111, 0x1436CC865F57283D, 0x463459742AD51C9B,
    0x037C2220028D9739, 0x65EC8E9D6C37A5EB, 0x2FBF1AEFA4607FE7, 0x086C366982C84B03,
    0x04B5A8B30A11DE21, 0x661F5207E4477D8D, 0x744EC7714294CB89, 0x64733A8999744FF5,
    0x599E009B6642D68F, 0x3AE62FD0D948609D, 0x59C812B274ED423D, 0x1733FA47F8F9ECBF,
    0x462D55791A44E84D, 0x6AE1A472755542B5, 0x3CEAA6182F44300F, 0x0D39F0E9CDBA9A43,
    0x1FA42C7DB96304FB, 0x6431CC442A99935D, 0x112825419A225219, 0x77DE0111224730AF,
    0x4F465F544534B221, 0x59483615434899F1, 0x681E1767EB6037EF, 0x492298FB8944C41F,
    0x3D7B2CD9249D7947, 0x4858DA206E4BBC0D, 0x5BBC1716CCAC6299, 0x4C1D59CEA4196ED9,
    0x56B84605E9F2DAF1, 0x3414929B49514EFF, 0x5E1D6E1554E1C5B9, 0x770E09EA581B5189,
    0x0B35E543B4AB3933, 0x11E4FDD0763B7ECB, 0x622C57954E946239, 0x5631FFB22851A23B,
    0x31886F672FCFE6FB, 0x6D8106F85472D46F, 0x66B7F15A33570B97, 0x04146F84143EAE29,
    0x4B75B839855BDD1B, 0x300CDBAFC3B728A3, 0x04BBE2C7ADF505F3, 0x287AA6F9641080DD,
    0x5E1FCB2F78D31F0D, 0x75E3466BDCDEDB85, 0x0A1376766748E2BF, 0x3CA81C56B456248F,
    0x4262FA8352950F37, 0x734D88466D7A3B1D, 0x5F573108E1E3791F, 0x7C8BF1A230F3D631,
    0x542CD1CC6A94EC57, 0x53DDB886C0815F91, 0x4D61EFD25EA575BB, 0x42235E20AD1FDE09,
    0x4A42C41E31E97BFB, 0x7F441F6B7B5CCFC9, 0x5BA34896F1A38E8D, 0x1C25ABE203402DBB,
    0x01213690C7E89601, 0x3B5BAEDD0064F2CD, 0x47A3236A398F9393, 0x5E9FC7326C5E767D,
    0x4A8BE8B5F39643B3, 0x2E87DFE735DD5C4F, 0x298FF8B679A376E1, 0x2E6B0159F87F4195,
    0x381D57166156E90D, 0x56189F915D236F1B, 0x6ACE95D848D91BD5, 0x07B60C18D673FF91,
    0x76036D64E8476C49, 0x11954B3C40244E91, 0x00A059AABCDAFED9, 0x66DBE0DA6AE98BE3,
    0x4893E6C3D6EEE13D, 0x4D173A6283CF564D, 0x520EE09B512B354F, 0x2C0DAD21ADE5A8FB,
    0x1C58DAF3D0777125, 0x79C3A30CA1D5B68D, 0x1D538458A9F41421, 0x55CA4C208280A127,
    0x50BDF186D7289185, 0x7A884329BE80EFE1, 0x744789890810C137, 0x2F1F1B6E13AA52F5,
    0x46ACE177053AD263, 0x62C83E40C5B7BFF5, 0x56C43EE85AD54C5D, 0x6D9212BB0E6815C5,
    0x2F03E23D56F88849, 0x3719FE3552EDA209, 0x373F584D9FE2EECB, 0x05841E4CC22F4C9B,
    0x491F835F300E6161, 0x4C832DF087BE0481, 0x18AC219357C83C09, 0x23154FCEDA64CBDB,
    0x0C72466FB18A8E8D, 0x54F53E0B77909897, 0x4CD67294FCCD760B, 0x7992EBA178524EDD,
], dtype=np.uint64)
_B = np.array([
    0x1EC695E0C9568455, 0x22ACD70578991D21, 0x30FC89A43E235EEC, 0x1A8B923D636D3B7E,
    0x2AEEBEDB458A3E60, 0x0EFED303B5C1E02F, 0x1E3BC9C26E05803C, 0x15D65C360C68052B,
    0x21562D0C062BE129, 0x1E33B63EF213F28E, 0x3EE73DC67B1E263F, 0x1643B9311CC704AA,
    0x0263A64A761BCA07, 0x01B489873CAD2B99, 0x0B02DD992CAD75CB, 0x0EB3ACFBBBA6DAE8,
    0x019395F0A4E00DB4, 0x1F442B9CB7260721, 0x3595F2777A1619B3, 0x24A591714BEA14E7,
    0x06D6593661AF90C3, 0x04330EE431C1B349, 0x3FAD9FC7F932D29F, 0x037C0E0B8E81E94F,
    0x2C54648B77D7219C, 0x2057E50582995DFD, 0x0486190E171A95BA, 0x0EBB20AD9B7C32BC,
    0x106C6414026655AD, 0x295694D2A943D63C, 0x0C4E69C03DC049E7, 0x2AC3FCF68BBD0729,
    0x3A54CC4C5E94CCC9, 0x3433DD1A39931D7C, 0x3464F2426004467E, 0x1A3ECF18164FFDFA,
    0x35694D9988230098, 0x3E67136709D396A4, 0x2C91A402A7997803, 0x188FAD9DD0094A03,
    0x0D680A3622DC76FC, 0x3F8F86A71B70DF05, 0x34D1AC0486386081, 0x1F1A81BDD2BF36BE,
    0x3A7FDC7E05206609, 0x37841B93E84F97E2, 0x0356C57373F18B1A, 0x0260B5894662225C,
    0x2520CCA43F9A176F, 0x3B5DCB8F851ACCFA, 0x30E601606080A15F, 0x0051ECC4B18A097B,
    0x3B3D9016DC02303B, 0x357F1889923F2D49, 0x1F09B4205D94966C, 0x2213ED3B54782B9F,
    0x16B9913636F77556, 0x0A3ADD0616CE9E81, 0x31C05E564E93A85E, 0x0EC6CA5F35045EA4,
    0x1E8F438373D9F901, 0x07B8037D4A231CCB, 0x03BE3640787926DF, 0x38B41DBCB3B7AB7D,
    0x27ECE398852E39A4, 0x31F6D2389E0ED179, 0x231864C71B61C645, 0x17E2DB0430E7A4B5,
    0x3C1936C31A12DD1D, 0x2992632E9D6E0893, 0x2A421CB68698CE60, 0x28F213E79D305F46,
    0x13089846854BF911, 0x189B44F1E63B3624, 0x333ABF77F6B10C1D, 0x2320B2F17F0AC99C,
    0x29E18621BECB7216, 0x15E3299D1DFE82A5, 0x01C825F7D3039BA6, 0x34428BB970CA65D4,
    0x2C2E13DFA852F67F, 0x1438ED823555F35F, 0x24FAFE475D630878, 0x06B399BC57919F34,
    0x0EA97BF86134A2AE, 0x01108BC896F8CE6F, 0x20013B8D172DBEB9, 0x32E2613489B34C08,
    0x3DF5B092A1342B6C, 0x3243C431DB98954C, 0x10C8564AF37601E7, 0x1FD69D4DD77E3DD3,
    0x24A67E829694A6CA, 0x2E20A0A657C627D3, 0x087A5ADAF882959F, 0x3BC10D9F9572C337,
    0x244C4B52BBDFFEC7, 0x1C54A324B7640281, 0x0DC845A48F8E2DF4, 0x026584AD7688EFB9,
    0x046D2044356EB8EF, 0x2F241EA27BB21580, 0x1D99AFF5BC8AE6E5, 0x100EDC6FCCB410B0,
    0x1BF097B407193FB9, 0x0B28FFDBEE972654, 0x0C57D870724E3EA4, 0x060AD00D80B7DF7D,
    0x2828DB97D68D3E5B, 0x06A452E4667CDD4E, 0x20B386CD17744CC1, 0x106AC94B5B09103E,
    0x36F1BE243F94BA29, 0x1626666DD658320F, 0x33B8CFA6DDA6984E, 0x3AC3F91C9B15E791,
    0x3AEA464468BEEC84, 0x259B0B7D08B3FE07, 0x15B0CC63E98E9CC9, 0x26F0F9828AE1F341,
    0x27AA125956851544, 0x30F4BEFCAE91EEC8, 0x131AACDD1B62DE9E, 0x3FCB834E5DBE5140,
    0x28A7F4E9F9B69FCB, 0x0623638E6A9B9FD5, 0x06C002D3F072FC98, 0x155DF6F48AA9A430,
], dtype=np.uint64)
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
