"""How fast could a cold full validation be if the YAML reader or the text scan cost nothing?
(issue 14: is a reader or a scanner in C enough for the target of 1/4 of check-jsonschema?)

    python benchmarks/cold_floor.py --repo DIR [--runs 3] [--jobs N]

Runs `sangkien validate` on DIR with an empty cache, whole process timed, in four variants
interleaved run by run:
- as it is;
- "yaml": yamlstrict.load answers from a table of every front matter's result, made before the
  clock starts (what an infinitely fast reader with positions would give);
- "scan": the text rules (checks/text.py scan_strings, scan_body) find nothing, at no cost;
- "yaml+scan": both;
and check-jsonschema on the entries' front matter as JSON (benchmarks/run.py's reference), in the
same rounds. The variants are ablations, not products: they patch the two functions by name in
a child process. Each gives its problem count: "yaml" must equal the real run's (the same
results); "scan" loses the text rules' findings (the synthetic data has none). Prints a Markdown
table of medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tools"))
sys.path.insert(0, str(HERE))

from run import extract_json  # noqa: E402
from sangkien import layout  # noqa: E402

CHILD = r"""
import json, os, sys, time
start = time.perf_counter()
from pathlib import Path
from sangkien import cli, yamlstrict
from sangkien.checks import text as text_rules
free = set(sys.argv[1].split(",")) - {""}
if "yaml" in free:
    real = yamlstrict.load
    table = {}
    for path in Path("entries").rglob("*.md"):
        lines = path.read_text(encoding="utf-8").split("\n")  # as reader.read_markdown cuts it
        if lines and lines[0].rstrip() == "---":
            close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
            if close is not None:
                front = "\n".join(lines[1:close])
                table[front] = real(front, str(path), 1)
    def load(text, file, line_offset=0):
        done = table.get(text) if line_offset == 1 else None
        if done is None:
            return real(text, file, line_offset)
        # fresh containers: a schema error prunes the data it is given
        data = dict(done.data) if isinstance(done.data, dict) else done.data
        return yamlstrict.Parsed(data, done.values, done.keys, list(done.problems))
    yamlstrict.load = load
if "scan" in free:
    text_rules.scan_strings = lambda *args, **kwargs: iter(())
    text_rules.scan_body = lambda *args, **kwargs: iter(())
prepared = time.perf_counter() - start
start = time.perf_counter()
try:
    cli.main(["validate", "--format", "json"])
except SystemExit:
    pass
print(json.dumps({"seconds": time.perf_counter() - start, "prepared": prepared}), file=sys.stderr)
"""

VARIANTS = ("", "yaml", "scan", "yaml,scan")
NAMES = {"": "như hiện nay", "yaml": "đọc YAML không tốn gì", "scan": "quét văn bản không tốn gì", "yaml,scan": "cả hai không tốn gì"}


def run_once(repo: Path, free: str, env: dict[str, str]) -> tuple[float, int]:
    shutil.rmtree(repo / ".sangkien-cache", ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", CHILD, free], cwd=repo, env=env, capture_output=True, text=True, check=False)
    timing = json.loads(done.stderr.strip().splitlines()[-1])
    problems = json.loads(done.stdout)
    count = len(problems["problems"]) if isinstance(problems, dict) else len(problems)
    return float(timing["seconds"]), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="SANGKIEN_JOBS (0: every core)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("SANGKIEN_NO_CACHE", "SANGKIEN_CACHE_DIR")}
    env.setdefault("SANGKIEN_NOW", "2026-12-10T09:00:00+07:00")
    if args.jobs:
        env["SANGKIEN_JOBS"] = str(args.jobs)
    repo = args.repo.resolve()
    paths = sorted(str(p.relative_to(repo)) for p in (repo / "entries").rglob("*.md") if layout.classify(str(p.relative_to(repo))).kind == "entry")
    folder = Path(tempfile.mkdtemp(prefix="cold-floor-json-"))
    names = extract_json(repo, paths, folder)
    reference = [shutil.which("check-jsonschema") or "check-jsonschema", "--schemafile", str(repo / "schema" / "entry.schema.json"), *names]
    times: dict[str, list[float]] = {v: [] for v in VARIANTS}
    counts: dict[str, int] = {}
    theirs: list[float] = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(reference, cwd=folder, capture_output=True, check=False)
        theirs.append(time.perf_counter() - start)
        for free in VARIANTS:
            seconds, count = run_once(repo, free, env)
            times[free].append(seconds)
            counts[free] = count
    shutil.rmtree(folder, ignore_errors=True)
    with open("/proc/loadavg", encoding="ascii") as handle:
        load = handle.read().strip()
    base, ref = statistics.median(times[""]), statistics.median(theirs)
    print(f"loadavg: {load}; runs: {args.runs}; jobs: {args.jobs or 'every core'}; entries: {len(paths)}\n")
    print("| Biến thể | Trung vị (s) | So với hiện nay | So với check-jsonschema | Các lần đo (s) | Số lỗi và cảnh báo |")
    print("|---|---:|---:|---:|---|---:|")
    print(f"| check-jsonschema (tham chiếu) | {ref:.2f} | | 1.00 | {', '.join(f'{t:.2f}' for t in theirs)} | |")
    for free in VARIANTS:
        median = statistics.median(times[free])
        runs = ", ".join(f"{t:.2f}" for t in times[free])
        print(f"| {NAMES[free]} | {median:.2f} | {median / base:.2f} | {median / ref:.2f} | {runs} | {counts[free]} |")
    if counts["yaml"] != counts[""]:
        print("\nthe 'yaml' variant gave other results than the real run: its table is wrong")
        sys.exit(1)


if __name__ == "__main__":
    main()
