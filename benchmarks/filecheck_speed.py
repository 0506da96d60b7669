"""The per-file check (filecheck._check: read, schema, place/entry rules, text scan), serially,
old code against new (issue 14, part «scan»).

    python benchmarks/filecheck_speed.py --repo DIR --code old=/path/to/old/tools --code new=tools [--files N] [--runs 3]

Each code version runs in its own process (its `tools` folder first on sys.path), with no
cache and one job: it loads the repository once (which also collects the tasks the loader
hands to filecheck), then times `_check` over the first N of them, best of `--runs` passes
(wall clock and the process's CPU time: on a shared machine the CPU time is the steadier one).
The versions are interleaved pass by pass. Every version must produce exactly the same rows
(result and positions): their digest is printed and compared, so a faster path that changes
one byte is caught here as well as in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import hashlib, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from sangkien import filecheck, loader
root, count, passes = Path(sys.argv[2]).resolve(), int(sys.argv[3]), int(sys.argv[4])
tasks = []
check = filecheck._check
def collect(task):
    tasks.append(task)
    return check(task)
filecheck._check = collect
loader.load(root)
filecheck._check = check
tasks = [t for t in tasks if t.scanned][:count]
digest = hashlib.sha256()
for task in tasks:
    row = check(task)
    digest.update(row.result.encode() + b"\0" + row.positions.encode() + b"\1")
print(json.dumps({"digest": digest.hexdigest(), "files": len(tasks)}), flush=True)
for _ in range(passes):
    sys.stdin.readline()  # the parent says when: passes of the versions interleave
    start, cpu = time.perf_counter(), time.process_time()
    for task in tasks:
        check(task)
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--code", action="append", required=True, help="name=path of a tools/ folder (holding sangkien/)")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = dict(os.environ, SANGKIEN_NO_CACHE="1", SANGKIEN_JOBS="1", SANGKIEN_NOW=os.environ.get("SANGKIEN_NOW", "2026-12-10T10:00:00+07:00"))
    children: dict[str, subprocess.Popen[str]] = {}
    first: dict[str, dict[str, object]] = {}
    for spec in args.code:
        name, _, path = spec.partition("=")
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(Path(path).resolve()), str(args.repo), str(args.files), str(args.runs)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        children[name] = child
    for name, child in children.items():
        assert child.stdout is not None
        first[name] = json.loads(child.stdout.readline())
    times: dict[str, list[float]] = {name: [] for name in children}
    cpus: dict[str, list[float]] = {name: [] for name in children}
    for _ in range(args.runs):
        for name, child in children.items():
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write("\n")
            child.stdin.flush()
            timing = json.loads(child.stdout.readline())
            times[name].append(timing["seconds"])
            cpus[name].append(timing["cpu"])
    for child in children.values():
        child.wait()
    with open("/proc/loadavg", encoding="ascii") as handle:
        load = handle.read().strip()
    names = list(children)
    reference, reference_cpu = min(times[names[0]]), min(cpus[names[0]])
    print(f"loadavg: {load}; files: {first[names[0]]['files']}; passes: {args.runs}\n")
    print("| code | best wall (s) | / first | best CPU (s) | CPU µs/file | / first | wall passes (s) | CPU passes (s) | rows digest |")
    print("|---|---:|---:|---:|---:|---:|---|---|---|")
    for name in names:
        best, best_cpu = min(times[name]), min(cpus[name])
        count = int(str(first[name]["files"])) or 1
        walls = ", ".join(f"{t:.2f}" for t in times[name])
        cpu_passes = ", ".join(f"{t:.2f}" for t in cpus[name])
        print(f"| {name} | {best:.2f} | {best / reference:.2f} | {best_cpu:.2f} | {best_cpu / count * 1e6:.0f} | {best_cpu / reference_cpu:.2f} | "
              f"{walls} | {cpu_passes} | {str(first[name]['digest'])[:12]} |")
    digests = {str(first[name]["digest"]) for name in names}
    print("\nrows identical: " + ("yes" if len(digests) == 1 else "NO"))
    if len(digests) != 1:
        sys.exit(1)


if __name__ == "__main__":
    main()
