"""Benchmark of federation: harvesting S catalogues of N initiatives each from a local HTTP server,
and the novelty check of one new entry against all of them.

    python benchmarks/federation.py [--sources 34] [--per-source 5000] > federation.md

Generates S synthetic catalogues (du-lieu/sang-kien.json of another sangkien site, valid against
schema/catalogue.schema.json; titles and summaries from sangkien.novelty.synthetic) served by a
ThreadingHTTPServer on 127.0.0.1 (Last-Modified / If-Modified-Since, so a second harvest gets 304s),
a temporary Git repository with this repository's data and an entries/federation.yaml listing
them, then times whole processes and their peak memory (os.wait4's ru_maxrss):
- `sangkien harvest` (every source fetched, checked, stored), then again (nothing changed);
- `sangkien validate --base HEAD` of one new entry that rewrites one harvested initiative,
  with the outside feature cache cold (first run) and warm;
and, inside one process, the outside corpus loaded from a warm cache and one query; the national
site build (`mkdocs build` with `extra.sangkien.national: true`) and the first search query
payload of its search page: for each query of benchmarks/search_payload.py, the index files a
first query fetches (manifest, postings shards, bitmaps of common words, record chunks of the results shown, as
search.IndexReader, the Python twin of search.js, records them) gzip-compressed as a web server
sends them, plus search.js and search.css; and the upper bound for any query (dev/search-design.md).
Prints a Markdown report; the figures are recorded in dev/benchmarks.md.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from sangkien.novelty import synthetic  # noqa: E402

BUDGET = 300_000  # bytes gzipped of a first search query (issue 9, issue 18)


def gz(path: Path) -> int:
    import gzip

    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def search_payload(site_dir: Path) -> tuple[list[tuple[str, int, int, int]], int, dict[str, int]]:
    """(query, results, files, bytes gzipped with the assets) of each first query of
    benchmarks/search_payload.py over the search index written in `site_dir`, the upper bound for
    any query, and the index's figures."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from sangkien.site import search
    from search_payload import QUERIES

    index = site_dir / search.INDEX_DIR
    assets = gz(site_dir / search.SEARCH_SCRIPT) + gz(site_dir / search.SEARCH_STYLE)
    rows = []
    for q in QUERIES:
        result = search.IndexReader(index).query(q)  # a fresh reader: nothing cached, as a first query
        rows.append((q, len(result.docs), len(result.fetched), sum(gz(index / f) for f in result.fetched) + assets))
    limit = search.payload_bound(index, assets)  # any query, not only these (dev/search-design.md)
    bound = limit["bound"]
    figures = {"shards": len(list((index / "t").glob("*.json"))), "bitmaps": len(list((index / "b").glob("*.json"))),
               "chunks": len(list((index / "d").glob("*.json"))), "manifest_gz": limit["manifest"], "shard_gz": limit["shard"],
               "bitmap_gz": limit["bitmap"], "chunk_gz": limit["chunk"], "assets_gz": assets, "total_gz": sum(gz(p) for p in index.rglob("*.json"))}
    return rows, bound, figures


def row(source: int, n: int, title: str, summary: str) -> dict:
    site = f"https://sangkien.tinh-{source:02d}.example.gov.vn"
    return {
        "id": f"sk-{source:02d}-{n:05d}", "title": title, "summary": summary, "field": "Cải cách hành chính", "keywords": ["một cửa"],
        "campaign": {"id": "dot-2025", "title": "Sáng kiến cải cách hành chính năm 2025"},
        "unit": {"id": f"don-vi-{n % 50:02d}", "name": f"UBND xã số {n % 50}"},
        "province": {"id": f"tinh-{source:02d}", "name": f"UBND tỉnh số {source:02d}"},
        "areas": [{"code": "thu-tuc-hanh-chinh", "label": "Cải cách thủ tục hành chính, cơ chế một cửa"}], "indices": [],
        "solution_type": {"code": "tac-nghiep", "label": "Giải pháp tác nghiệp"}, "level": {"code": "tinh", "label": "Cấp bộ, ngành, tỉnh"},
        "decision": {"number": f"{n + 1}/QĐ-UBND", "date": "2025-12-20", "issuer": f"UBND tỉnh số {source:02d}", "signer": "Chủ tịch UBND tỉnh", "tier": None},
        "submitted": "2025-11-03", "first_applied": "2025-02-10", "results": [], "replications": 0,
        "url": f"{site}/sang-kien/sk-{source:02d}-{n:05d}/", "illustrative": False,
    }


def generate(serve: Path, sources: int, per_source: int) -> tuple[str, str]:
    """Write the catalogues; return the title and summary of the initiative the new entry rewrites."""
    rng = random.Random(2026)
    target = ("", "")
    for s in range(sources):
        rows = []
        for n in range(per_source):
            title, summary, _ = synthetic.initiative(rng, 40)
            rows.append(row(s, n, title, summary))
        if s == sources // 2:
            target = (rows[per_source // 2]["title"], rows[per_source // 2]["summary"])
        doc = {"schema": "https://example.gov.vn/schema/catalogue.schema.json", "title": "Danh mục sáng kiến", "generated": "2026-03-01T08:00:00+07:00",
               "count": len(rows), "entries": rows}
        (serve / f"tinh-{s:02d}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return target


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


WRAPPER = """import os, subprocess, sys, time, json
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
out, err = proc.communicate()
_, status, usage = 0, proc.returncode, __import__("resource").getrusage(__import__("resource").RUSAGE_CHILDREN)
sys.stdout.write(json.dumps({"s": time.perf_counter() - start, "mb": usage.ru_maxrss / 1024, "rc": status,
                             "out": out.decode("utf-8", "replace"), "err": err.decode("utf-8", "replace")}))
"""


def run(args: list[str], cwd: Path, env: dict[str, str], module: str = "sangkien") -> dict:
    """One whole `sangkien` (or mkdocs) process in a fresh wrapper, so the peak memory is this process's alone."""
    done = subprocess.run([sys.executable, "-c", WRAPPER, sys.executable, "-m", module, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    result: dict = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=int, default=34)
    parser.add_argument("--per-source", type=int, default=5000)
    parser.add_argument("--no-national", action="store_true", help="skip the national site build")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sangkien-federation-"))
    try:
        serve, kho = tmp / "serve", tmp / "kho"
        serve.mkdir()
        started = time.perf_counter()
        title, summary = generate(serve, args.sources, args.per_source)
        made = time.perf_counter() - started
        size = sum(p.stat().st_size for p in serve.iterdir())
        handler = functools.partial(_Quiet, directory=str(serve))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}"

        kho.mkdir()
        for name in ("entries", "schema"):
            shutil.copytree(ROOT / name, kho / name)
        shutil.copy2(ROOT / "mkdocs.yml", kho / "mkdocs.yml")
        lines = ["sources:"] + [f"  - id: tinh-{s:02d}\n    name: Danh mục sáng kiến tỉnh số {s:02d}\n    url: {base}/tinh-{s:02d}.json"
                                for s in range(args.sources)]
        (kho / "entries" / "federation.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        git = ["git", "-C", str(kho), "-c", "user.name=Đo", "-c", "user.email=do@example.invalid"]
        subprocess.run(["git", "init", "-q", "-b", "main", str(kho)], check=True)
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": "2026-03-02T09:00:00+07:00"}
        env.pop("SANGKIEN_NO_CACHE", None)

        first = run(["harvest", "--max-mb", "200"], kho, env)
        second = run(["harvest", "--max-mb", "200"], kho, env)
        stored = sum(p.stat().st_size for p in (kho / "federation").iterdir())
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "liên thông"], check=True)

        model = sorted((kho / "entries" / "chau-thanh-2024").rglob("*.md"))[0]
        new = (model.parent / "bai-moi.md").relative_to(kho).as_posix()
        entry = model.read_text(encoding="utf-8")
        front, body = entry.split("\n---\n", 1)
        lines = [ln for ln in front.splitlines() if not ln.startswith(("id:", "title:", "summary:"))]
        text = "\n".join(lines[:1] + ["id: bai-moi", f'title: "{title}"', f'summary: "{summary}"'] + lines[1:]) + "\n---\n" + body
        (kho / new).write_text(text, encoding="utf-8")
        at = "2024-06-10T10:00:00+07:00"
        check = ["validate", "--base", "HEAD", "--at", at, "--format", "json", new]
        cold = run(check, kho, env)
        warm = run(check, kho, env)
        found = [p for p in json.loads(warm["out"])["problems"] if p["code"] in ("SK711", "SK712")]

        from sangkien.novelty import abbrev, outside
        from sangkien.novelty.compare import Features
        from sangkien.novelty.prepare import compose, prepare

        abbreviations = abbrev.load(kho)
        t0 = time.perf_counter()
        corpus = outside.load(kho, abbreviations)
        t1 = time.perf_counter()
        query = [Features.of(prepare(compose(title, summary, ""), abbreviations))]
        searcher = outside.OutsideSearcher(corpus)
        t2 = time.perf_counter()
        matches = searcher.query(query, 0.55)
        t3 = time.perf_counter()

        national = None
        if not args.no_national:  # the national site from the harvested catalogues alone
            shutil.rmtree(kho / "docs", ignore_errors=True)
            (kho / "docs").mkdir()
            (kho / "tools").symlink_to(ROOT / "tools", target_is_directory=True)
            config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
            config = re.sub(r"\nnav:\n.*?\n\nextra:", "\nnav:\n  - Toàn quốc: index.md\n  - Liên thông: lien-thong/index.md\n\nextra:", config, flags=re.S)
            (kho / "mkdocs.yml").write_text(config.replace("\n  sangkien:\n", "\n  sangkien:\n    national: true\n", 1), encoding="utf-8")
            national = run(["build", "-q", "-d", str(tmp / "site")], kho, {**env, "NO_MKDOCS_2_WARNING": "1"}, module="mkdocs")
            pages = sum(1 for _ in (tmp / "site").rglob("index.html"))
            site_mb = sum(p.stat().st_size for p in (tmp / "site").rglob("*") if p.is_file()) / 1e6
            groups_page = (tmp / "site" / "toan-quoc" / "cung-mo-hinh" / "index.html")
            group_count = groups_page.read_text(encoding="utf-8").count("Cùng mô hình ở") - 1 if groups_page.exists() else 0
            payload = search_payload(tmp / "site")

        n = args.sources * args.per_source
        print(f"# Hiệu năng liên thông ({args.sources} nguồn × {args.per_source} sáng kiến = {n})\n")
        print(f"Máy: {platform.machine()}, {os.cpu_count()} lõi, {platform.system()} {platform.release()}; Python {platform.python_version()}. "
              f"Tạo dữ liệu: {made:.1f} s; {size / 1e6:.0f} MB tệp JSON, phục vụ bởi máy chủ HTTP trên 127.0.0.1.\n")
        print("| Phép đo | Thời gian | Bộ nhớ đỉnh |\n|---|---:|---:|")
        print(f"| sangkien harvest, lần đầu (tải, kiểm tra lược đồ, lưu {stored / 1e6:.0f} MB) | {first['s']:.1f} s | {first['mb']:.0f} MB |")
        print(f"| sangkien harvest, lần hai (mọi nguồn trả lời 304) | {second['s']:.1f} s | {second['mb']:.0f} MB |")
        print(f"| validate --base: 1 bài mới (chép tên, tóm tắt một sáng kiến liên thông) so với {n} sáng kiến, bộ nhớ đệm trống | {cold['s']:.1f} s | {cold['mb']:.0f} MB |")
        print(f"| validate --base: 1 bài mới (chép tên, tóm tắt một sáng kiến liên thông) so với {n} sáng kiến, bộ nhớ đệm sẵn | {warm['s']:.2f} s | {warm['mb']:.0f} MB |")
        print(f"| Trong một tiến trình: đọc {n} sáng kiến liên thông từ bộ nhớ đệm | {t1 - t0:.2f} s | |")
        print(f"| Trong một tiến trình: trọng số và chỉ mục | {t2 - t1:.2f} s | |")
        print(f"| Trong một tiến trình: một truy vấn | {t3 - t2:.3f} s | |")
        if national is not None:
            print(f"| Trang toàn quốc (mkdocs build, chế độ national): {pages} trang, {site_mb:.0f} MB, {group_count} nhóm cùng mô hình "
                  f"| {national['s']:.1f} s | {national['mb']:.0f} MB |")
        print(f"\nMã thoát harvest: {first['rc']}, {second['rc']}. Bài viết lại được tìm thấy: {'có' if found else 'không'} "
              f"({found[0]['code'] if found else '-'}; khớp tốt nhất trong một tiến trình: {matches[0].score:.0%} «{matches[0].item.id}»)."
              if matches else f"\nMã thoát harvest: {first['rc']}, {second['rc']}. Bài viết lại được tìm thấy: {'có' if found else 'không'}.")
        if national is not None:
            rows, bound, fig = payload
            print(f"\nTìm kiếm trên trang toàn quốc: chỉ mục {fig['shards']} mảnh, {fig['bitmaps']} bảng bit của từ phổ biến, {fig['chunks']} tệp hiển thị, "
                  f"{fig['total_gz'] / 1e6:.1f} MB nén gzip; manifest.json {fig['manifest_gz'] / 1000:.1f} KB, mảnh lớn nhất {fig['shard_gz'] / 1000:.1f} KB, "
                  f"bảng bit lớn nhất {fig['bitmap_gz'] / 1000:.1f} KB, tệp hiển thị lớn nhất "
                  f"{fig['chunk_gz'] / 1000:.1f} KB, search.js + search.css {fig['assets_gz'] / 1000:.1f} KB (nén gzip).\n")
            print("| Truy vấn đầu tiên | Kết quả | Số tệp | KB nén gzip (kể cả JS, CSS) |\n|---|---:|---:|---:|")
            for q, found_n, files, size in rows:
                print(f"| {q} | {found_n} | {files} | {size / 1000:.1f} |")
            worst = max([bound] + [r[3] for r in rows])
            print(f"\nGiới hạn trên cho mọi truy vấn: {bound / 1000:.1f} KB; truy vấn nặng nhất: {worst / 1000:.1f} KB "
                  f"(ngân sách {BUDGET / 1000:.0f} KB): {'đạt' if worst <= BUDGET else f'VƯỢT {(worst - BUDGET) / 1000:.1f} KB'}.")
        if first["rc"] != 0:
            print("\n```\n" + first["err"][-2000:] + "\n```")
        httpd.shutdown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
