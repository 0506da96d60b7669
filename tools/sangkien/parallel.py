"""Run one function over many items on every available core, in order, or here when not worth it.

Work is sent in chunks to a process pool (fork: the children inherit the loaded schemas and
compiled validators). Below `threshold` items, or with one core, or when another thread is
running (forking a threaded process can deadlock the child), or when no pool can be started,
the items are done in this process: the results are the same either way, only the time differs.
SANGKIEN_JOBS=1 forces one process (to compare, or on a machine that dislikes forking).
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from sangkien import settings

# Chunks per worker of one pool before fresh workers replace it (see map_chunks).
WORKER_CHUNKS = 32

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """SANGKIEN_JOBS when set (settings.jobs()), else the cores this process may run on."""
    chosen = settings.jobs()
    if chosen is not None:
        return chosen
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    # os.fork exists exactly where multiprocessing offers "fork" (not on Windows); multiprocessing
    # itself is imported only when a pool starts (a warm `validate --base` never starts one).
    return hasattr(os, "fork") and threading.active_count() == 1


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def map_chunks(fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], threshold: int = 200, chunk: int = 100,
               per_worker: int = WORKER_CHUNKS) -> list[R]:
    """fn(chunk) -> results for the chunk, over all items, results in the order of the items.
    `per_worker`: chunks a worker does before fresh workers replace the pool (see below)."""
    jobs = min(cores(), max(1, len(items) // chunk))
    if len(items) < threshold or jobs < 2 or not can_fork():
        return fn(items)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    parts = chunks(items, chunk)
    # The children share this process's memory until they write to it; the cyclic garbage
    # collector writes to every object it visits, which would copy the whole heap (a site model
    # of 10,000 entries) into each child: frozen objects are not visited.
    gc.freeze()
    done: list[list[R]] = []
    try:
        # Reference counts and new objects placed in the parent's half-used pools still copy the
        # pages a worker touches, so its private memory grows with the work it does: a pool does
        # jobs x per_worker chunks (WORKER_CHUNKS unless the caller asks fewer), then fresh
        # workers replace it (drawing 50,000 pages in one pool, two workers held 2.5 GB of PSS
        # each by the end; 1.4 GB at most in waves).
        wave = jobs * max(1, per_worker)
        for start in range(0, len(parts), wave):
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                done.extend(pool.map(fn, parts[start:start + wave]))
    except (OSError, BrokenProcessPool):  # no pool here (limits, sandbox): do it in this process
        return fn(items)
    finally:
        gc.unfreeze()
    return [result for part in done for result in part]
