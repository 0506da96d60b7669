"""What the official units list costs (adminunits.py): each figure is a fresh interpreter, so the
list is read from the installed package's SQLite file as a first `sangkien validate` would.

    python benchmarks/adminunits.py [--runs 5]

- `lookup_many` of the codes of this repository's entries/units.yaml (what the validator's unit
  rule reads: only those rows), post-reform and pre-reform lists;
- the whole post-reform list (34 provinces, 3,321 communes) and the whole pre-reform list
  (10,040 wards), what `sangkien units import` reads;
- the modules imported meanwhile that the package's own code would pull in (must be none).
Prints a Markdown table (median of --runs, milliseconds, interpreter start excluded).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBES = {
    "lookup_many (codes of entries/units.yaml)": (
        "from sangkien import yamlstrict; "
        f"d = yamlstrict.load(open({str(ROOT / 'entries/units.yaml')!r}, encoding='utf-8').read(), 'u').data; "
        "codes = {u['admin_code'] for u in d['units'] if 'admin_code' in u}; "
        "t = time.perf_counter(); a.lookup_many(codes, 'new'); a.lookup_many(codes, 'legacy')"),
    "whole post-reform list": "t = time.perf_counter(); a.period('new')",
    "whole pre-reform list": "t = time.perf_counter(); a.period('legacy')",
}


def measure(body: str) -> tuple[float, str]:
    code = ("import sys, time; from sangkien import adminunits as a; " + body + "; ms = (time.perf_counter() - t) * 1000; "
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'vietnamadminunits', 'shapely', 'geopy', 'pandas'}); "
            "print(ms, ','.join(heavy) or '-')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    return float(out[0]), out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| what | median ms | heavy modules imported |\n|---|---:|---|")
    for name, body in PROBES.items():
        runs = [measure(body) for _ in range(args.runs)]
        print(f"| {name} | {statistics.median(ms for ms, _ in runs):.1f} | {runs[0][1]} |")


if __name__ == "__main__":
    main()
