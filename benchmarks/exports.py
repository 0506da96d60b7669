"""The open data of a site build (`opendata.write_open_data`: JSON checked against its schema, CSV,
XLSX, Atom feed) on a large repository: the old code and the new one, with and without the
exports' cache, measured interleaved in one run so that a shared machine's load weighs on each alike.

    python benchmarks/exports.py --repo /tmp/kho --runs 3 --work /tmp/exports-bench

The model is loaded once; every measurement runs in a process forked from it, as the plugin's
exports do (exports.Background), and times write_open_data alone. The old code is the module
`tools/sangkien/site/opendata.py` at --ref (openpyxl's write-only mode, jsonschema on a sample of
2,000 rows). Cases: no cache (as `sangkien site --out`); cache empty; nothing changed; one
initiative changed (its summary); one decision changed (its issuer, on every row it recognised).
The code version in the cache's keys is fixed for the run (cache.code_key hashes the package's
source, which other people edit meanwhile); computing it costs the figure printed at the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOW = "2026-12-10T10:00:00+07:00"
SITE_URL = "https://sangkien.example.gov.vn/"


def old_module(ref: str, work: Path) -> ModuleType:
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:tools/sangkien/site/opendata.py"], check=True,
                            capture_output=True, text=True).stdout
    path = work / "old_opendata.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_opendata", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description="Đo thời gian xuất dữ liệu mở (JSON, CSV, XLSX, Atom) của một lần dựng trang.")
    parser.add_argument("--repo", type=Path, required=True, help="kho dữ liệu (ví dụ 10.000 bài do benchmarks/synth.py tạo)")
    parser.add_argument("--runs", type=int, default=3, help="số lượt đo mỗi phép (mặc định 3)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/exports-bench"), help="thư mục làm việc (bị xóa trước khi đo)")
    parser.add_argument("--ref", default="dae3fbf", help="commit của mã cũ để đối chiếu")
    args = parser.parse_args()
    os.environ["SANGKIEN_NOW"] = NOW
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)

    from sangkien import cache
    from sangkien.site import exports, opendata
    from sangkien.site.context import build_now, load_site

    started = time.perf_counter()
    key = cache.code_key()
    code_key_s = time.perf_counter() - started
    cache.code_key = lambda: key  # type: ignore[assignment]  # fixed for the run: see the docstring
    old = old_module(args.ref, args.work)
    started = time.perf_counter()
    repo = load_site(args.repo, build_now()).public_repo()
    loaded_s = time.perf_counter() - started
    recognised = repo.recognised_initiatives()
    schema_dir = args.repo / "schema"
    store = args.work / "cache" / "opendata"

    def edit_entry(run: int) -> None:
        entry = recognised[len(recognised) // 2][0]
        entry.data["summary"] = f"{entry.data.get('summary') or ''} (lượt sửa {run})"

    def edit_decision(run: int) -> None:
        rec = recognised[len(recognised) // 3][1]
        rec.data["issuer"] = f"{rec.data.get('issuer') or ''} (lượt sửa {run})"

    def case(write: Callable[..., object], cached: bool, edit: Callable[[int], None] | None, run: int) -> float:
        site = args.work / "site"
        shutil.rmtree(site, ignore_errors=True)  # MkDocs empties the site folder before each build
        if edit is not None:
            edit(run)
        extra = {"cache_dir": store} if cached else {}
        t = time.perf_counter()
        write(repo, site, exports.url_of, SITE_URL, schema_dir, None, **extra)
        return time.perf_counter() - t

    def forked(*a: object) -> float:
        return exports.Background(case, *a).result()

    names = ["Mã cũ (openpyxl, jsonschema trên 2.000 dòng mẫu), không bộ nhớ đệm", "Mã mới, không bộ nhớ đệm (như sangkien site --out)",
             "Mã mới, bộ nhớ đệm trống", "Mã mới, không bài nào đổi", "Mã mới, một bài sáng kiến đổi (tóm tắt)",
             "Mã mới, một quyết định đổi (cơ quan ban hành, mọi dòng của quyết định)"]
    times: dict[str, list[float]] = {n: [] for n in names}
    rows_of_decision = sum(1 for _e, r, _l in recognised if r.data is recognised[len(recognised) // 3][1].data)
    loads = [Path("/proc/loadavg").read_text().strip()]
    for run in range(1, args.runs + 1):
        times[names[0]].append(forked(old.write_open_data, False, None, run))
        times[names[1]].append(forked(opendata.write_open_data, False, None, run))
        shutil.rmtree(store, ignore_errors=True)
        times[names[2]].append(forked(opendata.write_open_data, True, None, run))
        times[names[3]].append(forked(opendata.write_open_data, True, None, run))
        # an edit lives in the child only; after it, the cache is put back to the unchanged repository
        times[names[4]].append(forked(opendata.write_open_data, True, edit_entry, run))
        forked(opendata.write_open_data, True, None, run)
        times[names[5]].append(forked(opendata.write_open_data, True, edit_decision, run))
        forked(opendata.write_open_data, True, None, run)
        loads.append(Path("/proc/loadavg").read_text().strip())
        print(f"lượt {run}: " + ", ".join(f"{times[n][-1]:.2f}" for n in names), file=sys.stderr)

    reference = statistics.median(times[names[0]])
    print(f"# Xuất dữ liệu mở ({len(recognised)} sáng kiến được công nhận, kho {args.repo})\n")
    print(f"Nạp mô hình một lần: {loaded_s:.1f} s; mỗi phép đo trong một tiến trình tách ra từ đó (như exports.Background), chỉ đo "
          f"write_open_data. Quyết định được sửa công nhận {rows_of_decision} sáng kiến. Trung vị của {args.runs} lượt, xen kẽ.\n")
    print("| Phép đo | Trung vị | Các lần đo | So với mã cũ |")
    print("|---|---:|---|---:|")
    for name in names:
        values = times[name]
        median = statistics.median(values)
        print(f"| {name} | {median:.2f} s | {', '.join(f'{v:.2f}' for v in values)} | {median / reference:.2f} |")
    print(f"\nTính khóa phiên bản mã (cache.code_key, một lần mỗi lần dựng): {code_key_s:.3f} s. Tải máy (loadavg) trước và sau từng lượt: "
          + " / ".join(loads))


if __name__ == "__main__":
    main()
