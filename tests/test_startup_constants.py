"""The MinHash constants written out in novelty/index.py are the generator's values they replace:
a changed constant would change every stored signature and every LSH candidate."""

from __future__ import annotations

import numpy as np
from sangkien.novelty import index


def test_the_written_constants_are_those_of_the_seeded_generator() -> None:
    rng = np.random.default_rng(20240525)
    multipliers = rng.integers(1, 2**62, index.HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    offsets = rng.integers(0, 2**62, index.HASHES, dtype=np.uint64)
    assert index._A.dtype == np.uint64 and index._B.dtype == np.uint64
    assert np.array_equal(index._A, multipliers)
    assert np.array_equal(index._B, offsets)
    assert bool((index._A % np.uint64(2) == np.uint64(1)).all())

