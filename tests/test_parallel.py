"""parallel.map_chunks: results in order whichever way they are computed, and a pool's forked
workers are replaced after jobs x WORKER_CHUNKS chunks (their copied pages grow with their work).

Run in a fresh interpreter: map_chunks forks only when no other thread is running, and a test
session may have some (the browser tests' driver)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

SCRIPT = """
import json, os, sys
from sangkien import parallel
parallel.WORKER_CHUNKS = 3
def squares_and_pid(items):
    return [(x * x, os.getpid()) for x in items]
per_worker = int(sys.argv[2]) if len(sys.argv) > 2 else parallel.WORKER_CHUNKS
print(json.dumps({"here": os.getpid(), "forks": parallel.can_fork(),
                  "done": parallel.map_chunks(squares_and_pid, list(range(int(sys.argv[1]))), per_worker=per_worker)}))
"""


def _run(n: int, *per_worker: int) -> tuple[int, bool, list[tuple[int, int]]]:
    env = {**os.environ, "SANGKIEN_JOBS": "2"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(n), *map(str, per_worker)], capture_output=True, text=True, env=env, check=True)
    out = json.loads(done.stdout)
    return out["here"], out["forks"], [(value, pid) for value, pid in out["done"]]


def test_results_in_order_and_workers_replaced() -> None:
    here, forks, done = _run(2000)  # 20 chunks of 100: 4 waves of 2 workers x 3 chunks
    assert [value for value, _ in done] == [x * x for x in range(2000)]
    if not forks:  # no fork on this platform: done here, in order
        assert {pid for _, pid in done} == {here}
        return
    chunks_by_worker = Counter(pid for i, (_, pid) in enumerate(done) if i % 100 == 0)  # a chunk's first item
    assert here not in chunks_by_worker  # really done by forked workers
    assert max(chunks_by_worker.values()) <= 2 * 3  # a pool does one wave
    assert len(chunks_by_worker) >= 4  # fresh workers in each of the 4 waves


def test_below_the_threshold_it_runs_here() -> None:
    here, _, done = _run(50)
    assert done == [(x * x, here) for x in range(50)]


def test_a_caller_may_renew_workers_more_often() -> None:
    """per_worker=1 (a large build's drawing uses a quarter of WORKER_CHUNKS): a pool per 2 chunks."""
    here, forks, done = _run(2000, 1)
    assert [value for value, _ in done] == [x * x for x in range(2000)]
    if not forks:
        return
    chunks_by_worker = Counter(pid for i, (_, pid) in enumerate(done) if i % 100 == 0)
    assert here not in chunks_by_worker
    assert max(chunks_by_worker.values()) <= 2  # a pool does 2 x 1 chunks
    assert len(chunks_by_worker) >= 10  # 20 chunks, fresh workers every 2
