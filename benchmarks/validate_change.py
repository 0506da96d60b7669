"""`sangkien validate --base` with one changed initiative, warm cache: several versions of the
code measured interleaved on the same repository, so that a shared machine's load weighs on
each alike.

    python benchmarks/validate_change.py --repo /tmp/kho --code old=/tmp/old/tools/sangkien \\
        --code new=tools/sangkien --runs 3 --work /tmp/memo-bench

Each version runs from its own byte-compiled copy (as an installed package) with its own cache
folder (SANGKIEN_CACHE_DIR). Before the measured runs each one validates the whole repository
(cold, then warm once its files settled) and runs `--base` once (the novelty store is filled
as in CI's cache). Each measured run changes the title of the same initiative, then runs every
version in turn; it also runs a full validation after one edit (no --base), and with --cold N
the cold full runs are N per version, interleaved. Wall time and peak RSS of the whole process;
the repository's files are put back at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import AT, VALIDATE_NOW, retitle  # noqa: E402

ROOT = HERE.parent


def snapshot(source: Path, dest: Path) -> None:
    """The package at `source` laid out as installed (schemas inside), byte-compiled."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(source, dest / "sangkien", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "schema", dest / "sangkien" / "schema_data", dirs_exist_ok=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(dest)], check=True)


def run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int, str, float]:
    """Wall time, peak RSS (MB), exit status, output and CPU time (user + system, with the Git
    processes it waited for): on a shared machine the CPU time moves less with the load."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read() if proc.stdout is not None else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace"), usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, required=True, help="a synthetic repository (benchmarks/synth.py), under Git")
    parser.add_argument("--code", action="append", required=True, metavar="NAME=PACKAGE_DIR", help="a version of tools/sangkien")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, required=True, help="folder for the copies of the code and the caches")
    parser.add_argument("--cold", type=int, default=1, help="full runs with an empty cache, per version, interleaved")
    args = parser.parse_args(argv)
    repo = args.repo.resolve()
    versions: dict[str, dict[str, str]] = {}
    for spec in args.code:
        name, _, source = spec.partition("=")
        snap = args.work / f"code-{name}"
        snapshot(Path(source).resolve(), snap)
        env = {**os.environ, "PYTHONPATH": str(snap), "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": VALIDATE_NOW,
               "SANGKIEN_CACHE_DIR": str(args.work / f"cache-{name}")}
        for switch in ("SANGKIEN_NO_CACHE", "SANGKIEN_JOBS", "SANGKIEN_FAST_BUILD"):
            env.pop(switch, None)
        shutil.rmtree(env["SANGKIEN_CACHE_DIR"], ignore_errors=True)
        versions[name] = env
    validate = [sys.executable, "-m", "sangkien", "validate"]
    base = [*validate, "--base", "HEAD", "--at", AT]
    target = next(p for p in sorted((repo / "entries").rglob("*.md")) if "\nnominee:" not in p.read_text(encoding="utf-8")
                  and "/replications/" not in p.as_posix())
    original = target.read_bytes()
    print(f"loadavg {os.getloadavg()}; changed file {target.relative_to(repo)}", flush=True)
    try:
        cold: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
        for _ in range(args.cold):
            for name, env in versions.items():
                shutil.rmtree(env["SANGKIEN_CACHE_DIR"], ignore_errors=True)
                seconds, rss, code, out, _ = run(validate, repo, env)
                cold[name].append((seconds, rss))
                print(f"{name}: cold full run {seconds:.2f} s, {rss:.0f} MB (exit {code}) {out.strip().splitlines()[-1] if out.strip() else ''}",
                      flush=True)
        time.sleep(3.5)  # the files the first runs read settle (cachedir.RACY_NS)
        for env in versions.values():
            run(validate, repo, env)
            retitle(target, "Bài thử khởi động: số hóa hồ sơ một cửa tại xã")
            run(base, repo, env)
        figures: dict[str, dict[str, list[float]]] = {name: {"base": [], "base_rss": [], "base_cpu": [], "full": [], "full_rss": [], "full_cpu": []}
                                                     for name in versions}
        outputs: dict[str, list[str]] = {name: [] for name in versions}
        # each version in turn after the same edit: --base against HEAD, then a full run
        for what, command, title in (("base", base, "Bài thử thay đổi"), ("full", validate, "Bài thử sửa tại chỗ")):
            for i in range(args.runs):
                for name, env in versions.items():
                    retitle(target, f"{title} lần {i + 1}: số hóa hồ sơ một cửa tại xã")
                    seconds, rss, code, out, cpu = run(command, repo, env)
                    figures[name][what].append(seconds)
                    figures[name][f"{what}_rss"].append(rss)
                    figures[name][f"{what}_cpu"].append(cpu)
                    if what == "base":
                        outputs[name].append(out)
    finally:
        target.write_bytes(original)
    print(f"loadavg {os.getloadavg()}")
    for name, fig in figures.items():
        print(f"{name:>6} cold: median {statistics.median(s for s, _ in cold[name]):.2f} s "
              f"({', '.join(f'{s:.2f}' for s, _ in cold[name])}); peak RSS {max(r for _, r in cold[name]):.0f} MB")
        for what in ("base", "full"):
            times = ", ".join(f"{s:.2f}" for s in fig[what])
            print(f"{name:>6} {what:>4}: median {statistics.median(fig[what]):.2f} s ({times}); peak RSS {max(fig[what + '_rss']):.0f} MB; "
                  f"CPU median {statistics.median(fig[what + '_cpu']):.2f} s")
    first = outputs[next(iter(outputs))]
    same = all(out == first for out in outputs.values())
    print("same --base output for every version:", same)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
