"""parallel.map_chunks: results in order whichever way they are computed, and a pool's forked
workers are replaced after jobs x WORKER_CHUNKS chunks (their copied pages grow with their work)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence

import pytest
from sangkien import parallel


def _squares_and_pid(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(x * x, os.getpid()) for x in items]


@pytest.fixture
def two_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANGKIEN_JOBS", "2")
    if not parallel.can_fork():
        pytest.skip("no fork here (or another thread is running)")


def test_results_in_order_and_workers_replaced(two_jobs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "WORKER_CHUNKS", 3)
    items = list(range(2000))  # 20 chunks of 100: 4 waves of 2 workers x 3 chunks
    done = parallel.map_chunks(_squares_and_pid, items)
    assert [value for value, _ in done] == [x * x for x in items]
    chunks_by_worker = Counter(pid for i, (_, pid) in enumerate(done) if i % 100 == 0)  # a chunk's first item
    assert os.getpid() not in chunks_by_worker  # really done by forked workers
    assert max(chunks_by_worker.values()) <= 2 * 3  # a pool does one wave
    assert len(chunks_by_worker) >= 4  # fresh workers in each of the 4 waves


def test_below_the_threshold_it_runs_here(two_jobs: None) -> None:
    done = parallel.map_chunks(_squares_and_pid, list(range(50)))
    assert done == [(x * x, os.getpid()) for x in range(50)]
