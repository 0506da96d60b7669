"""Peak memory of a whole process tree, counted once: the sum of PSS over the tree, sampled.

    python benchmarks/memtree.py [--every 0.2] -- COMMAND [ARGS...]

Why: `ru_maxrss` (what /usr/bin/time and benchmarks/run.py report) is the largest RSS of any
one process of the tree. A build forks workers and an export process from a parent that holds
the model; their RSS counts every page they share with the parent copy-on-write, and the sum
of their RSS counts those pages once per process. PSS (proportional set size, Linux
/proc/PID/smaps_rollup) charges a shared page to each sharer by its share, so the sum of PSS
over the tree is the memory the tree really holds. Sampled every --every seconds: a peak
shorter than that can be missed, so ru_maxrss is printed too, as the bound it is.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any


def children(pid: int) -> list[int]:
    """The direct children of `pid` (Linux: every thread's children file)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(x) for x in handle.read().split())
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def rollup(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in KB, (0, 0) when it has gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except (OSError, ValueError):
        return 0, 0
    return pss, rss


@dataclass
class Peak:
    pss_kb: int = 0  # largest sum of PSS over the tree at one sample
    rss_sum_kb: int = 0  # largest sum of RSS at one sample (counts shared pages once per process)
    processes: int = 0  # most processes seen at one sample
    samples: int = 0


def watch(root: int, done: threading.Event, every: float, peak: Peak) -> None:
    # Not proc.poll(): it would reap the child that the main thread waits for with wait4.
    while not done.is_set():
        pids = tree(root)
        pss = rss = 0
        for pid in pids:
            p, r = rollup(pid)
            pss += p
            rss += r
        peak.pss_kb = max(peak.pss_kb, pss)
        peak.rss_sum_kb = max(peak.rss_sum_kb, rss)
        peak.processes = max(peak.processes, len(pids))
        peak.samples += 1
        done.wait(every)


@dataclass
class Measured:
    seconds: float
    code: int
    peak: Peak
    maxrss_kb: int  # ru_maxrss: the largest RSS of one process of the tree (exact, not sampled)

    @property
    def memory_kb(self) -> int:
        """The figure to report: the larger of the sampled peak of the tree's PSS sum and the
        exact peak RSS of its largest process. Never below what was really held: a short
        single process is caught by ru_maxrss, a tree of forked processes by the PSS sum."""
        return max(self.peak.pss_kb, self.maxrss_kb)


def measure(command: list[str], every: float = 0.2, **popen: Any) -> Measured:
    """Run `command` (Popen keyword arguments passed on) to its end, sampling its tree's memory.
    A sample of a 650 MB process costs ~2.3 ms of CPU (the kernel walks its page tables): every
    0.2 s keeps the sampler to ~1 % of a core per process, off the figures it runs beside."""
    peak = Peak()
    start = time.perf_counter()
    proc = subprocess.Popen(command, **popen)
    done = threading.Event()
    sampler = threading.Thread(target=watch, args=(proc.pid, done, every, peak), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join(timeout=5)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(seconds, proc.returncode, peak, usage.ru_maxrss)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bộ nhớ lớn nhất của cả cây tiến trình (tổng PSS, lấy mẫu).")
    parser.add_argument("--every", type=float, default=0.2, help="khoảng lấy mẫu, giây (mặc định 0,2)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="lệnh cần đo, sau --")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("thiếu lệnh cần đo")
    m = measure(command, args.every)
    gb = 1024 * 1024
    print(f"thời gian: {m.seconds:.1f} s; tổng PSS lớn nhất của cây: {m.peak.pss_kb / gb:.2f} GB; "
          f"tổng RSS lớn nhất: {m.peak.rss_sum_kb / gb:.2f} GB; RSS lớn nhất của một tiến trình (ru_maxrss): "
          f"{m.maxrss_kb / gb:.2f} GB; nhiều nhất {m.peak.processes} tiến trình; {m.peak.samples} mẫu; mã thoát {m.code}",
          file=sys.stderr)
    return m.code


if __name__ == "__main__":
    raise SystemExit(main())
