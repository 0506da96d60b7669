"""Benchmark of the novelty check: one new entry against N entries, and a full scan of N.

    python benchmarks/novelty.py [--entries 10000] [--words 800] [--runs 3] [--datasketch] > novelty.md

Generates N synthetic entries (sangkien.novelty.synthetic) in a temporary Git repository, adds
one new entry that copies an earlier one with changes, then times whole processes (Python
start-up, imports, reading every entry, the index, the comparison, the output), median of
--runs runs each:
- `sangkien similar <new entry>` with the feature cache cold (SANGKIEN_NO_CACHE=1) and warm;
- `sangkien similar` (every entry against every earlier one) cold and warm;
and, inside one process, the index alone (build once, then one query). Prints a Markdown table.
--datasketch also times datasketch's MinHash on the same shingles, the alternative we measured.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from sangkien.novelty import synthetic  # noqa: E402

CAMPAIGN = """id: {cid}
title: Đợt thử nghiệm hiệu năng {cid}
kind: sang-kien
"""


def generate(root: Path, n: int, words: int) -> str:
    """Write n entries over 4 campaigns and 20 units; return the path of the new (query) entry."""
    rng = random.Random(2024)
    bodies = []
    for i in range(n):
        year = 2021 + i * 4 // n
        cid, unit = f"hieu-nang-{year}", f"don-vi-{i % 20:02d}"
        title, summary, body = synthetic.initiative(rng, words)
        day = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        folder = root / "entries" / cid / unit
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"bai-{i:05d}.md").write_text(synthetic.front_matter(f"bai-{i:05d}", cid, unit, day, title, summary) + body + "\n", encoding="utf-8")
        bodies.append((title, summary, body))
    for year in range(2021, 2026):
        (root / "entries" / f"hieu-nang-{year}").mkdir(parents=True, exist_ok=True)
        (root / "entries" / f"hieu-nang-{year}" / "campaign.yaml").write_text(CAMPAIGN.format(cid=f"hieu-nang-{year}"), encoding="utf-8")
    title, summary, body = bodies[n // 3]
    paragraphs = body.split("\n\n")
    copied = "\n\n".join(paragraphs[4:] + paragraphs[:4]) + "\n\n" + synthetic.initiative(rng, words // 5)[2]
    new = root / "entries" / "hieu-nang-2025" / "don-vi-moi" / "bai-moi.md"
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_text(synthetic.front_matter("bai-moi", "hieu-nang-2025", "don-vi-moi", "2025-12-03", "Tên mới " + title, summary) + copied + "\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return new.relative_to(root).as_posix()


def whole(root: Path, args: list[str], cold: bool, runs: int) -> tuple[float, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if cold:
        env["SANGKIEN_NO_CACHE"] = "1"
    else:
        env.pop("SANGKIEN_NO_CACHE", None)
        subprocess.run([sys.executable, "-m", "sangkien", "similar", *args], cwd=root, env=env, capture_output=True, check=False)  # fill the cache
    times, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "sangkien", "similar", *args], cwd=root, env=env, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        out = done.stdout
        if done.returncode != 0:
            raise SystemExit(f"sangkien similar thất bại: {done.stderr}")
    return statistics.median(times), out


def _startup(root: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sangkien", "--version"], cwd=root, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(root: Path, query: str, runs: int) -> tuple[float, float, float]:
    """(read + prepare all, build the index, one query) in seconds, inside one process."""
    from sangkien.novelty import abbrev, corpus, search

    start = time.perf_counter()
    data = corpus.from_files(root, abbrev.load(root), use_cache=False)
    read = time.perf_counter() - start
    start = time.perf_counter()
    searcher = search.Searcher(data)
    build = time.perf_counter() - start
    item = data.by_path()[query]
    times = []
    for _ in range(max(runs, 5)):
        start = time.perf_counter()
        searcher.query(item, top=3)
        times.append(time.perf_counter() - start)
    return read, build, statistics.median(times)


def datasketch_compare(root: Path, sample: int = 1000) -> tuple[float, float] | None:
    """Seconds to sign `sample` entries' shingles: ours (numpy), datasketch (bulk, 128 perms)."""
    try:
        from datasketch import MinHash
    except ImportError:
        return None
    from sangkien.novelty import abbrev, corpus, index

    items = corpus.from_files(root, abbrev.load(root), use_cache=False).items[:sample]
    start = time.perf_counter()
    for item in items:
        index.signature(item.features.shingles)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for item in items:
        m = MinHash(num_perm=index.HASHES)
        m.update_batch([int(x).to_bytes(4, "little") for x in item.features.shingles])
    theirs = time.perf_counter() - start
    return ours, theirs


def main() -> int:
    parser = argparse.ArgumentParser(description="Đo hiệu năng kiểm tra tính mới (sangkien similar).")
    parser.add_argument("--entries", type=int, default=10000, help="số bài tổng hợp (mặc định 10000)")
    parser.add_argument("--words", type=int, default=800, help="số âm tiết mỗi bài (mặc định 800)")
    parser.add_argument("--runs", type=int, default=3, help="số lần đo mỗi phép, lấy trung vị (mặc định 3)")
    parser.add_argument("--datasketch", action="store_true", help="so sánh với MinHash của datasketch (nếu đã cài)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sangkien-novelty-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        query = generate(root, args.entries, args.words)
        made = time.perf_counter() - start
        n = args.entries
        rows = []
        startup = _startup(root, args.runs)
        one_cold, out = whole(root, [query], True, args.runs)
        found = "bai-" in out and "vượt ngưỡng" in out
        one_warm, _ = whole(root, [query], False, args.runs)
        scan_cold, scan_out = whole(root, [], True, args.runs)
        scan_warm, _ = whole(root, [], False, args.runs)
        read, build, query_time = in_process(root, query, args.runs)
        rows += [
            ("Khởi động CLI, để đối chiếu (sangkien --version)", startup),
            (f"1 bài mới so với {n} bài, cả tiến trình, bộ nhớ đệm trống", one_cold),
            (f"1 bài mới so với {n} bài, cả tiến trình, bộ nhớ đệm sẵn", one_warm),
            (f"Quét toàn bộ {n} bài (mọi cặp), cả tiến trình, bộ nhớ đệm trống", scan_cold),
            (f"Quét toàn bộ {n} bài (mọi cặp), cả tiến trình, bộ nhớ đệm sẵn", scan_warm),
            (f"Trong một tiến trình: đọc và chuẩn bị {n} bài", read),
            (f"Trong một tiến trình: dựng chỉ mục (MinHash/LSH, ma trận cosine) cho {n} bài", build),
            ("Trong một tiến trình: một truy vấn trên chỉ mục đã dựng", query_time),
        ]
        compare = datasketch_compare(root) if args.datasketch else None
    import numpy
    import scipy

    print(f"# Hiệu năng kiểm tra tính mới ({n} bài tổng hợp, ~{args.words} âm tiết mỗi bài)\n")
    print(f"Máy: {platform.machine()}, {os.cpu_count()} lõi, {platform.system()} {platform.release()}; Python {platform.python_version()}, "
          f"numpy {numpy.__version__}, scipy {scipy.__version__}. Trung vị của {args.runs} lần đo. Tạo dữ liệu: {made:.1f} s.\n")
    print("| Phép đo | Thời gian |")
    print("|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} s |")
    print()
    print(f"Bài chép (đảo đoạn, thêm 20% nội dung) được tìm thấy: {'có' if found else 'KHÔNG'}. "
          f"Dòng cuối của lần quét: {scan_out.strip().splitlines()[-1] if scan_out.strip() else '(trống)'}")
    if compare:
        print(f"\nKý MinHash 1.000 bài (128 hàm băm): numpy của sangkien {compare[0]:.2f} s, datasketch {compare[1]:.2f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
