"""Scale benchmark (issue 8): validation and site build of N entries, against the references.

    python benchmarks/run.py --entries 10000            # writes dev/benchmarks.md
    python benchmarks/run.py --entries 1000 --runs 1 --out /tmp/b.md --skip-others

Generates N realistic synthetic entries (benchmarks/synth.py) in a temporary copy of the
repository, then times whole processes (median of --runs runs, peak memory of the process and its
workers: benchmarks/memtree.py) side by side with the references, on the same data in the same run:
- `sangkien validate`: cold (no cache), warm, one changed entry (`--base`), against
  check-jsonschema on the front matter extracted to JSON files, with our entry schema;
- `mkdocs build`: cold (no cache), rebuild after one entry changed, `mkdocs serve` reload after
  saving an entry (from the write until 127.0.0.1 serves the change), against a stock Material
  build of the same entries as plain Markdown pages (search plugin, small explicit nav);
- the first query's search payload and an entry page's weight (gzipped, with its assets);
- the novelty and council benchmarks (their own scripts, output quoted).
The code measured is a snapshot of tools/sangkien taken at the start (byte-compiled, as after
`pip install`), so edits made meanwhile do not move the figures. Writes a Markdown page.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import io
import json
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tools"))

import memtree  # noqa: E402
import synth  # noqa: E402

# Site targets of issue 17 (site build v2), as ratios to a stock Material build in the same run.
SITE_COLD, SITE_AGAIN, SITE_RELOAD = 0.35, 0.05, 1.5
# The site's "now" and validation's reference day: after every seed campaign closed (the 2026
# round closes on 05/12/2026), so no seed submission is a future date (SK409) and nothing the
# pages show depends on the clock.
NOW = "2026-12-10T09:00:00+07:00"
AT = "2024-06-20T10:00:00+07:00"  # inside chau-thanh-2024's window: the one-entry change set is on time
PACKAGES = ["mkdocs", "mkdocs-material", "jsonschema", "fastjsonschema", "PyYAML", "check-jsonschema", "Markdown", "Jinja2", "numpy", "scipy"]


# ----------------------------------------------------------------- running things
@dataclass
class Run:
    seconds: float
    rss_mb: float
    code: int
    out: str = ""
    err: str = ""


@dataclass
class Figure:
    label: str
    ours: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.ours) if self.ours else float("nan")


class Bench:
    def __init__(self, work: Path, runs: int) -> None:
        self.work = work
        self.runs = runs
        self.snap = work / "code"
        self.env = {**os.environ, "PYTHONPATH": str(self.snap), "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8",
                    "SANGKIEN_NOW": NOW}
        for name in ("SANGKIEN_NO_CACHE", "SANGKIEN_JOBS", "SANGKIEN_FAST_BUILD"):
            self.env.pop(name, None)

    def snapshot(self) -> None:
        """tools/sangkien as it is now, laid out as an installed package, byte-compiled."""
        shutil.copytree(ROOT / "tools" / "sangkien", self.snap / "sangkien", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "schema", self.snap / "sangkien" / "schema_data")
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(self.snap)], check=True)

    def run(self, args: list[str], cwd: Path, env: dict | None = None, timeout: float = 3600) -> Run:
        """One whole process: wall time and peak memory of its tree (benchmarks/memtree.py: the
        sampled sum of PSS over the process and its workers, or the exact peak RSS of its largest
        process when that is higher)."""
        out_path, err_path = self.work / "stdout.txt", self.work / "stderr.txt"
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            m = memtree.measure(args, cwd=cwd, env=env or self.env, stdout=out, stderr=err)
        return Run(m.seconds, m.memory_kb / 1024, m.code, out_path.read_text("utf-8", "replace"),
                   err_path.read_text("utf-8", "replace"))

    def python(self, *args: str) -> list[str]:
        return [sys.executable, *args]


def ok(run: Run, what: str) -> Run:
    if run.code not in (0,):
        raise SystemExit(f"{what} thất bại (mã {run.code}):\n{run.out[-2000:]}\n{run.err[-3000:]}")
    return run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


# ----------------------------------------------------------------- the data
def retitle(path: Path, text: str) -> None:
    """Change one entry the way an author does: its title line."""
    raw = path.read_text(encoding="utf-8")
    lines = raw.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("title: "):
            lines[i] = "title: " + json.dumps(text, ensure_ascii=False)
            break
    path.write_text("\n".join(lines), encoding="utf-8")


def extract_json(repo: Path, paths: list[str], dest: Path) -> list[str]:
    """The front matter of every entry as one JSON file each (check-jsonschema's input)."""
    from sangkien.reader import read_markdown

    dest.mkdir(parents=True, exist_ok=True)
    names = []
    for i, rel in enumerate(paths):
        doc = read_markdown((repo / rel).read_bytes(), rel)
        name = f"{i:05d}.json"
        (dest / name).write_text(json.dumps(doc.data, ensure_ascii=False), encoding="utf-8")
        names.append(name)
    return names


def stock_site(repo: Path, paths: list[str], dest: Path) -> None:
    """The same entries as plain Markdown pages for a stock Material build (search plugin, small nav)."""
    docs = dest / "docs"
    (docs / "sang-kien").mkdir(parents=True, exist_ok=True)
    for rel in paths:
        shutil.copy2(repo / rel, docs / "sang-kien" / Path(rel).name)
    (docs / "index.md").write_text("# Kho sáng kiến (tham chiếu)\n\nCác bài nằm trong thư mục sang-kien/.\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text("site_name: Tham chiếu Material\nuse_directory_urls: true\ntheme:\n  name: material\n  language: vi\n"
                                     "  font: false\nplugins:\n  - search\nnav:\n  - Trang chủ: index.md\n", encoding="utf-8")


# ----------------------------------------------------------------- measurements
def public_first(repo: Path, paths: list[str]) -> list[str]:
    """The generated entries, recognised ones first: only they have a public page (the site's
    publishing policy), and the page measures below open the first few. Worked out in a child
    process: a forked child starts with its parent's memory, which would then count in every
    peak measured after it."""
    code = ("import json, sys; from pathlib import Path; from sangkien import loader; m = loader.load(Path(sys.argv[1])).repo; "
            "print(json.dumps(sorted(e.path for e in m.entries.values() if m.recognition(e.id) is not None)))")
    done = subprocess.run([sys.executable, "-c", code, str(repo)], capture_output=True, text=True, check=True)
    public = set(json.loads(done.stdout))
    return [p for p in paths if p in public] + [p for p in paths if p not in public]


VALIDATE_NOW = NOW


def validation(b: Bench, repo: Path, paths: list[str], figures: dict) -> None:
    cache = repo / ".sangkien-cache"
    env = {**b.env, "SANGKIEN_NOW": VALIDATE_NOW}
    validate = b.python("-m", "sangkien", "validate")
    cold = Figure("Kiểm tra toàn bộ, bộ nhớ đệm trống")
    for _ in range(b.runs):
        shutil.rmtree(cache, ignore_errors=True)
        r = ok(b.run(validate, repo, env), "sangkien validate")
        cold.ours.append(r.seconds)
        cold.rss.append(r.rss_mb)
    figures["validate_cold"] = cold
    ok(b.run(validate, repo, env), "sangkien validate")
    time.sleep(3.5)  # files written by the first run settle (cache.RACY_NS)
    ok(b.run(validate, repo, env), "sangkien validate")
    warm = Figure("Kiểm tra toàn bộ, bộ nhớ đệm sẵn")
    for _ in range(b.runs):
        r = ok(b.run(validate, repo, env), "sangkien validate")
        warm.ours.append(r.seconds)
        warm.rss.append(r.rss_mb)
    figures["validate_warm"] = warm
    # The changed entry is an initiative (not a thi đua nomination): the novelty check queries it.
    target = next((repo / p for p in paths if "\nnominee:" not in (repo / p).read_text(encoding="utf-8")), repo / paths[0])
    original = target.read_bytes()
    change = Figure("Kiểm tra một bài thay đổi (--base), bộ nhớ đệm sẵn")
    base = b.python("-m", "sangkien", "validate", "--base", "HEAD", "--at", AT)
    retitle(target, "Bài thử khởi động: số hóa hồ sơ một cửa tại xã")
    ok(b.run(base, repo, env), "sangkien validate --base")  # a changed entry: the novelty feature cache is filled once, as in CI's cache
    for i in range(b.runs):
        retitle(target, f"Bài thử thay đổi lần {i + 1}: số hóa hồ sơ một cửa tại xã")
        r = ok(b.run(base, repo, env), "sangkien validate --base")
        change.ours.append(r.seconds)
        change.rss.append(r.rss_mb)
    incremental = Figure("Kiểm tra toàn bộ sau khi sửa một bài (không --base), bộ nhớ đệm sẵn")
    for i in range(b.runs):
        retitle(target, f"Bài thử sửa tại chỗ lần {i + 1}: số hóa hồ sơ một cửa tại xã")
        r = ok(b.run(validate, repo, env), "sangkien validate")
        incremental.ours.append(r.seconds)
        incremental.rss.append(r.rss_mb)
    target.write_bytes(original)
    figures["validate_change"] = change
    figures["validate_incremental"] = incremental
    ref = Figure("check-jsonschema, cùng dữ liệu (JSON)")
    folder = b.work / "json"
    names = extract_json(repo, paths, folder)
    for _ in range(b.runs):
        r = ok(b.run([shutil.which("check-jsonschema") or "check-jsonschema", "--schemafile", str(repo / "schema" / "entry.schema.json"), *names],
                     folder), "check-jsonschema")
        ref.ours.append(r.seconds)
        ref.rss.append(r.rss_mb)
    figures["check_jsonschema"] = ref


def builds(b: Bench, repo: Path, paths: list[str], figures: dict) -> None:
    """Stock Material and ours interleaved in each run: cold, one entry changed, nothing changed."""
    build = b.python("-m", "mkdocs", "build", "-q", "-d", "site")
    stock_dir = b.work / "stock"
    stock_site(repo, paths, stock_dir)
    stock = Figure("mkdocs build Material gốc (tham chiếu)")
    cold = Figure("mkdocs build, bộ nhớ đệm trống")
    again = Figure("mkdocs build lại sau khi sửa một bài")
    same = Figure("mkdocs build lại, không bài nào đổi")
    target = repo / paths[1]
    original = target.read_bytes()
    for i in range(b.runs):
        shutil.rmtree(stock_dir / "site", ignore_errors=True)
        r = ok(b.run(build, stock_dir), "mkdocs build (Material gốc)")
        stock.ours.append(r.seconds)
        stock.rss.append(r.rss_mb)
        shutil.rmtree(repo / ".sangkien-cache", ignore_errors=True)
        shutil.rmtree(repo / "site", ignore_errors=True)
        target.write_bytes(original)
        r = ok(b.run(build, repo), "mkdocs build")
        cold.ours.append(r.seconds)
        cold.rss.append(r.rss_mb)
        time.sleep(3.5)  # files written by the cold build settle (cache.RACY_NS)
        retitle(target, f"Bài thử dựng lại lần {i + 1}: tổ công nghệ số cộng đồng")
        r = ok(b.run(build, repo), "mkdocs build (dựng lại)")
        again.ours.append(r.seconds)
        again.rss.append(r.rss_mb)
        r = ok(b.run(build, repo), "mkdocs build (không đổi)")
        same.ours.append(r.seconds)
        same.rss.append(r.rss_mb)
    target.write_bytes(original)
    figures["stock_build"], figures["build_cold"], figures["build_again"], figures["build_same"] = stock, cold, again, same
    ok(b.run(build, repo), "mkdocs build")  # the site of the data as generated, for the weights below
    figures["stock_site"] = stock_dir / "site"


def serve(b: Bench, repo: Path, paths: list[str], figures: dict) -> None:
    port = free_port()
    target = repo / paths[2]
    entry_id = Path(paths[2]).stem
    url = f"http://127.0.0.1:{port}/sang-kien/{entry_id}/"
    original = target.read_bytes()
    reload = Figure("mkdocs serve: từ lúc lưu bài đến khi trang hiện thay đổi")
    with open(b.work / "serve.log", "wb") as log:
        proc = subprocess.Popen(b.python("-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"), cwd=repo, env=b.env, stdout=log, stderr=log,
                                start_new_session=True)
        _reloads(b, proc, url, target, reload, figures)
    target.write_bytes(original)
    figures["serve_reload"] = reload


def _reloads(b: Bench, proc: subprocess.Popen, url: str, target: Path, reload: Figure, figures: dict) -> None:
    try:
        start = time.perf_counter()
        while "</h1>" not in fetch(url):
            if proc.poll() is not None or time.perf_counter() - start > 3600:
                raise SystemExit(f"mkdocs serve không chạy được: {(b.work / 'serve.log').read_text('utf-8', 'replace')[-3000:]}")
            time.sleep(0.5)
        figures["serve_first"] = time.perf_counter() - start
        for i in range(b.runs):
            time.sleep(2.0)  # let the server settle after the previous rebuild
            title = f"Bài thử xem trực tiếp lần {i + 1} {time.time_ns()}"
            retitle(target, title)
            start = time.perf_counter()
            while title not in fetch(url):
                if time.perf_counter() - start > 3600:
                    raise SystemExit("mkdocs serve không dựng lại sau một giờ")
                time.sleep(0.05)
            reload.ours.append(time.perf_counter() - start)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def weights(repo: Path, paths: list[str], figures: dict) -> None:
    """Search payload of a first query, and an entry page with its assets, gzipped."""
    import search_payload
    from sangkien.site import search

    site = repo / "site"
    index = site / search.INDEX_DIR
    assets = search_payload.gz(site / search.SEARCH_SCRIPT) + search_payload.gz(site / search.SEARCH_STYLE)
    rows = []
    for q in search_payload.QUERIES:
        result = search.IndexReader(index).query(q)
        rows.append((q, len(result.docs), len(result.fetched), sum(search_payload.gz(index / f) for f in result.fetched) + assets))
    figures["search"] = rows
    figures["search_budget"] = search_payload.BUDGET
    entry = Path(paths[0]).stem
    figures["page_ours"] = page_weight(site, f"sang-kien/{entry}/index.html")
    figures["page_stock"] = page_weight(figures["stock_site"], f"sang-kien/{entry}/index.html")


def page_weight(site: Path, rel: str) -> tuple[int, int, int]:
    """(page bytes gzipped, page + local CSS/JS gzipped, number of assets)."""
    page = site / rel
    text = page.read_text(encoding="utf-8")
    refs = set(re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)) | set(re.findall(r'<script[^>]+src="([^"]+)"', text))
    total, count = gz(page.read_bytes()), 0
    for ref in sorted(refs):
        if re.match(r"^[a-z]+:", ref):
            continue
        path = (page.parent / ref.split("?")[0]).resolve()
        if path.is_file():
            total += gz(path.read_bytes())
            count += 1
    return gz(page.read_bytes()), total, count


def profile(b: Bench, repo: Path, args: list[str], env_extra: dict, top: int = 12) -> str:
    """cProfile of one run in a single process (SANGKIEN_JOBS=1), its top entries by own time."""
    out = b.work / "profile.out"
    env = {**b.env, **env_extra, "SANGKIEN_JOBS": "1"}
    b.run(b.python("-m", "cProfile", "-o", str(out), *args), repo, env)
    text = io.StringIO()
    stats = pstats.Stats(str(out), stream=text)
    stats.sort_stats("tottime").print_stats(top + 3)
    lines = [line for line in text.getvalue().splitlines() if re.match(r"^\s+\d", line)]
    return "\n".join(re.sub(r"/\S*/(site-packages|code|lib/python3\.\d+)/", "", line) for line in lines)


def others(b: Bench, n: int) -> dict[str, str]:
    """The novelty and council benchmarks, as their scripts print them."""
    found = {}
    for name, args in (("novelty", ["--entries", str(n), "--runs", str(b.runs)]), ("council", ["--no-pdf"])):
        r = b.run(b.python(str(HERE / f"{name}.py"), *args), ROOT)
        found[name] = r.out.strip() if r.code == 0 else f"(không chạy được: mã {r.code})\n{r.err[-1500:]}"
    return found


# ----------------------------------------------------------------- the page
def machine() -> list[str]:
    mem = ""
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import yaml

    versions = []
    for pkg in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{pkg} {metadata.version(pkg)}")
    return [f"nproc: {os.cpu_count()} ({cpu})", f"Bộ nhớ: {mem}", f"Python {platform.python_version()} ({platform.system()} {platform.release()})",
            f"Gói: {', '.join(versions)}; libyaml: {'có' if yaml.__with_libyaml__ else 'không'}"]


def verdict(value: float, limit: float) -> str:
    return "đạt" if value <= limit else f"**chưa đạt** (vượt {value / limit:.1f} lần)"


def validation_rows(f: dict, ref: float, row: Callable[[str, str, float | None, float | None], str]) -> list[str]:
    return [
        "## Kiểm tra (`sangkien validate`)",
        "",
        "| Phép đo | Trung vị | Các lần đo | Bộ nhớ | So với check-jsonschema | Mục tiêu | Kết quả |",
        "|---|---:|---|---:|---:|---|---|",
        row("check_jsonschema", "tham chiếu", None, ref),
        row("validate_cold", f"≤ 1/4 check-jsonschema = {ref / 4:.2f} s (đích xa: 1/6)", ref / 4, ref),
        row("validate_warm", "≤ 0,6 s", 0.6, ref),
        row("validate_change", "≤ 0,5 s và ≤ 150 MB", 0.5, ref),
        *([row("validate_incremental", "—", None, ref)] if "validate_incremental" in f else []),
        "",
        f"Bộ nhớ lớn nhất khi kiểm tra toàn bộ: {max(f['validate_cold'].rss + f['validate_warm'].rss):.0f} MB (mục tiêu ≤ 300 MB: "
        f"{'đạt' if max(f['validate_cold'].rss + f['validate_warm'].rss) <= 300 else '**chưa đạt**'}); với một bài thay đổi (--base, "
        f"gồm kiểm tra tính mới bằng numpy/scipy): {max(f['validate_change'].rss):.0f} MB (mục tiêu ≤ 150 MB: "
        f"{'đạt' if max(f['validate_change'].rss) <= 150 else '**chưa đạt**'}).",
        "",
    ]


def page(n: int, runs: int, figures: dict, info: list[str], load: tuple[str, str], profiles: dict[str, str], quoted: dict[str, str],
         started: dt.datetime, minutes: float, note: str = "") -> str:
    f = figures
    ref = f["check_jsonschema"].median if "check_jsonschema" in f else float("nan")
    lines = [
        "# Hiệu năng ở quy mô lớn",
        "",
        f"Kết quả chạy `python benchmarks/run.py --entries {n}` ngày {started:%d/%m/%Y} (giờ UTC {started:%H:%M}), "
        f"{runs} lần đo mỗi phép (trung vị), mất {minutes:.0f} phút. Dữ liệu: {n} bài tổng hợp (~6,6 KB mỗi bài: khoảng 20 trường "
        "thông tin và ~800 âm tiết mô tả) trong ba đợt mẫu, một nửa được công nhận. Mỗi phép đo là một tiến trình trọn vẹn "
        "(khởi động Python, nạp thư viện, đọc tệp, ghi kết quả); bộ nhớ là tổng PSS lớn nhất của tiến trình và các tiến trình con của nó (lấy mẫu mỗi 0,2 s, `benchmarks/memtree.py`; RSS lớn nhất của một tiến trình nếu lớn hơn): tiến trình con tách (fork) dùng chung trang bộ nhớ với tiến trình cha, PSS chia trang dùng chung cho các tiến trình cùng giữ nó, nên tổng PSS là bộ nhớ cả cây thật sự giữ.",
        *(["", note] if note else []),
        "",
        "## Máy đo",
        "",
        *[f"- {x}" for x in info],
        f"- Tải máy (loadavg) lúc bắt đầu / kết thúc: {load[0]} / {load[1]} (máy dùng chung: các số đo khác nhau giữa các lần chạy)",
        "",
    ]

    def row(key: str, target: str, limit: float | None, ratio_to: float | None) -> str:
        fig = f[key]
        ratio = f"{fig.median / ratio_to:.2f}" if ratio_to else "—"
        result = verdict(fig.median, limit) if limit is not None else "—"
        runs_text = ", ".join(f"{x:.2f}" for x in fig.ours)
        memory = f"{max(fig.rss):.0f} MB" if fig.rss else "—"
        return f"| {fig.label} | {fig.median:.2f} s | {runs_text} | {memory} | {ratio} | {target} | {result} |"

    if "check_jsonschema" in f:
        lines += validation_rows(f, ref, row)
    if "build_cold" in f:
        stock = f["stock_build"].median
        lines += [
            "## Dựng trang (`mkdocs build`, `mkdocs serve`)",
            "",
            "| Phép đo | Trung vị | Các lần đo | Bộ nhớ | So với Material gốc | Mục tiêu | Kết quả |",
            "|---|---:|---|---:|---:|---|---|",
            row("stock_build", "tham chiếu", None, stock),
            row("build_cold", f"≤ 0,35× Material gốc = {stock * SITE_COLD:.1f} s", stock * SITE_COLD, stock),
            row("build_again", f"≤ 0,05× Material gốc = {stock * SITE_AGAIN:.1f} s", stock * SITE_AGAIN, stock),
            *([row("build_same", "—", None, stock)] if "build_same" in f else []),
        ]
        if "serve_reload" in f:
            lines.append(row("serve_reload", f"≤ {SITE_RELOAD:.1f} s".replace(".", ","), SITE_RELOAD, None))
        lines.append("")
        if "serve_first" in f:
            lines += [f"Lần dựng đầu của `mkdocs serve` (trước khi đo tải lại): {f['serve_first']:.1f} s.", ""]
    if "search" in f:
        worst = max(r[3] for r in f["search"])
        lines += [
            "## Dung lượng tải về",
            "",
            f"Truy vấn đầu tiên trên trang Tìm kiếm (chỉ mục của trang vừa dựng, nén gzip, gồm search.js và search.css), "
            f"ngân sách {f['search_budget'] / 1000:.0f} KB:",
            "",
            "| Truy vấn | Kết quả | Tệp chỉ mục | KB (gzip) |",
            "|---|---:|---:|---:|",
            *[f"| {q} | {docs} | {files} | {size / 1000:.1f} |" for q, docs, files, size in f["search"]],
            "",
            f"Lớn nhất: {worst / 1000:.1f} KB ({'đạt' if worst <= f['search_budget'] else '**vượt ngân sách**'}).",
            "",
            "Trang của một sáng kiến (nén gzip): trang HTML {:.1f} KB; cả CSS và JavaScript của trang ({} tệp) {:.1f} KB. "
            "Cùng bài trong bản Material gốc: {:.1f} KB; cả tài nguyên ({} tệp) {:.1f} KB.".format(
                f["page_ours"][0] / 1000, f["page_ours"][2], f["page_ours"][1] / 1000,
                f["page_stock"][0] / 1000, f["page_stock"][2], f["page_stock"][1] / 1000),
            "",
        ]
    missed = _misses(f, ref)
    if missed:
        lines += ["## Mục tiêu chưa đạt và lý do", "", *missed, ""]
    if profiles:
        lines += ["## Hồ sơ thời gian (cProfile, một tiến trình, xếp theo thời gian riêng của hàm)", ""]
        for title, text in profiles.items():
            lines += [f"**{title}**", "", "```", text, "```", ""]
    lines += [
        "## Vì sao nhanh hơn, và những gì không đổi",
        "",
        "- Kiểm tra: đọc YAML trong một lượt sự kiện của libyaml (không dựng cây nút lần hai); JSON Schema kiểm tra bằng "
        "fastjsonschema, jsonschema chỉ chạy khi cần giải thích lỗi; quy tắc văn bản (thông tin cá nhân, lỗi phông, HTML) chỉ quét "
        "những dòng có thể vi phạm; mỗi tệp được kiểm tra song song trên mọi lõi khi nhiều tệp thay đổi.",
        "- Bộ nhớ đệm `.sangkien-cache/` (không đưa vào kho): kết quả riêng của từng tệp theo mã băm nội dung, hết hiệu lực khi "
        "mẫu (schema), mã nguồn, thư viện hoặc danh bạ đơn vị thay đổi; kết quả của lần kiểm tra toàn bộ gần nhất theo mã băm của "
        "mọi đầu vào. Các quy tắc giữa các tệp luôn chạy lại khi có tệp thay đổi.",
        "- Dựng trang: trang tự tạo không qua vòng dựng của MkDocs; mỗi trang có khóa tính từ đúng những gì trang hiện (tệp bài, "
        "các dòng quyết định, tên đơn vị và đợt, nhân rộng, nhãn, phiên bản mã), và trang có khóa không đổi được lấy lại từ lần "
        "dựng trước mà không vẽ, không ghi; các trang còn lại được vẽ trước trên mọi lõi rồi điền vào khung giao diện của dạng trang "
        "(khung được học lại mỗi lần, so mã băm với khung đã dùng); phần Markdown của bài được giữ lại giữa các lần dựng.",
        "- Kết quả giống hệt: `tests/test_cache.py` và `tests/test_scale_equivalence.py` so sánh lỗi (JSON) và từng tệp của trang "
        "dựng ra giữa cách chạy nhanh và cách chạy tuần tự không bộ nhớ đệm (trừ dấu thời gian trong tệp Excel dữ liệu mở).",
        "",
    ]
    for name, title in (("novelty", "Kiểm tra tính mới (benchmarks/novelty.py)"), ("council", "Công cụ Hội đồng (benchmarks/council.py)")):
        if name in quoted:
            lines += [f"## {title}", "", "Kết quả in ra của kịch bản, chạy trong cùng lần đo:", "", "```", quoted[name], "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def _plain(figures: dict) -> dict:
    out = {}
    for key, value in figures.items():
        if isinstance(value, Figure):
            out[key] = {"label": value.label, "ours": value.ours, "rss": value.rss}
        elif isinstance(value, Path):
            continue
        else:
            out[key] = value
    return out


def render(record: dict) -> str:
    """The page from a saved record (figures.json): `--render` re-writes it without measuring."""
    figures = {k: Figure(v["label"], v["ours"], v["rss"]) if isinstance(v, dict) and "ours" in v else v for k, v in record["figures"].items()}
    return page(record["entries"], record["runs"], figures, record["machine"], tuple(record["load"]), record["profiles"], record["quoted"],
                dt.datetime.fromisoformat(record["started"]), record["minutes"], record.get("note", ""))


WHY = {
    "validate_cold": (
        "Mỗi tệp còn ~850 µs CPU trên máy này (`benchmarks/filecheck_speed.py`): quét thân bài ~340 µs (lọc dòng ~265: chuẩn hóa "
        "NFKD, tìm các từ đã bỏ dấu, ký tự lạ và dãy số), đọc tệp và YAML ~260 µs (libyaml tạo một đối tượng Python cho mỗi sự "
        "kiện ~90, dựng giá trị kèm dòng và cột ~45), chuỗi trong phần thông tin ~120 µs, ghi kết quả vào bộ nhớ đệm ~105 µs, "
        "kiểm tra mẫu ~55 µs. check-jsonschema chỉ đọc JSON và kiểm tra mẫu: không giữ vị trí dòng, không quét văn bản. Trình "
        "đọc khác đã đo: rapidyaml 0.15.2 chỉ phân tích mất ~14 µs mỗi bài, nhưng gói Python của nó không cho vị trí dòng. Đạt "
        "1/4 cần một trình đọc YAML viết bằng C trả thẳng giá trị kèm vị trí và bộ lọc văn bản bằng C: chưa có."),
    "validate_change": (
        "Phần còn lại là đường ống chung: khởi động Python và nạp mô-đun (~0,1 s, numpy ~0,05 s), duyệt 10.000 tệp và đối chiếu "
        "dấu stat (~0,05 s), đọc bản ghi lần chạy toàn bộ trước (~0,035 s), dựng mô hình từ dữ kiện (~0,05 s, trong đó biên dịch "
        "lược đồ bài cho fastjsonschema ~0,025 s), quy tắc toàn kho (~0,03 s), tính mới trên kho đặc trưng ánh xạ bộ nhớ (~0,05 s)."),
    "build_cold": (
        "Lần dựng đầu làm mọi việc: kiểm tra 10.000 tệp (như dòng «bộ nhớ đệm trống» ở trên), chuyển Markdown của 10.000 bài, vẽ "
        "nội dung mọi trang từ mô hình, tính khóa đầu vào của từng trang, ghi trang vào site, ghi chỉ mục tìm kiếm và dữ liệu mở "
        "(CSV, Excel, JSON đối chiếu mẫu, ở tiến trình nền). Khuôn Material chỉ được áp một lần cho mỗi dạng trang (site/shell.py); "
        "các việc còn lại là của danh mục, Material gốc không làm."),
    "build_again": (
        "Trang có khóa đầu vào không đổi (site/pagekeys.py) không được vẽ, điền khung hay ghi lại: chỉ vài trang được vẽ (trang "
        "của bài, trang đơn vị của nó, trang danh mục chứa nó và các trang đợt, vì trang đợt hiện giờ dựng). Phần còn lại là việc "
        "chung của mỗi lần dựng trong một tiến trình mới: khởi động MkDocs và plugin (~1 s), nạp mô hình 10.000 bài từ bộ nhớ đệm "
        "kiểm tra và chạy các quy tắc toàn kho (nạp gia tăng `loadmemo.py` chỉ có trong `mkdocs serve`), tính khóa của 5.092 trang, "
        "vẽ các trang luôn vẽ, trả 5.092 tệp về chỗ. Dưới 0,05× cần một tiến trình sống lâu hoặc một bản ghi cả mô hình đọc nhanh "
        "hơn 10.000 dòng bộ nhớ đệm: chưa làm."),
    "serve_reload": (
        "Một lần dựng lại trong máy chủ còn ~1,1–1,3 s khi máy yên: nạp mô hình gia tăng (`loadmemo.py`, ~0,13 s), MkDocs ngoài "
        "plugin (~0,2 s), trả 5.092 tệp về chỗ (~0,16 s; MkDocs xóa sạch thư mục trang mỗi lần), trang luôn vẽ và danh sách trang "
        "(~0,3 s), dọn rác thế hệ 2 (0,1–0,25 s); chỉ mục tìm kiếm và dữ liệu mở được ghi ở luồng phụ sau khi trang đã phục vụ. "
        "Trước khi dựng: bộ theo dõi tệp của MkDocs chụp lại mọi tệp của `entries/` mỗi 0,5 s (~0,09 s mỗi lần ở 10.000 bài) và "
        "chờ thêm 0,1 s."),
}


def _misses(f: dict, ref: float) -> list[str]:
    limits = {"validate_cold": ref / 4, "validate_warm": 0.6, "validate_change": 0.5} if ref == ref else {}  # nan: not measured
    if "stock_build" in f:
        limits.update({"build_cold": f["stock_build"].median * SITE_COLD, "build_again": f["stock_build"].median * SITE_AGAIN,
                       "serve_reload": SITE_RELOAD})
    out = []
    for key, limit in limits.items():
        if key in f and f[key].ours and f[key].median > limit:
            out.append(f"- **{f[key].label}**: {f[key].median:.2f} s, mục tiêu {limit:.2f} s (vượt {f[key].median / limit:.1f} lần). "
                       + WHY.get(key, ""))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo hiệu năng kiểm tra và dựng trang ở quy mô lớn, ghi dev/benchmarks.md.")
    parser.add_argument("--entries", type=int, default=10000, help="số bài tổng hợp (mặc định 10000)")
    parser.add_argument("--runs", type=int, default=3, help="số lần đo mỗi phép, lấy trung vị (mặc định 3)")
    parser.add_argument("--out", type=Path, default=ROOT / "dev" / "benchmarks.md", help="tệp Markdown kết quả")
    parser.add_argument("--keep", type=Path, help="giữ thư mục làm việc ở đây (mặc định: xóa)")
    parser.add_argument("--skip-build", action="store_true", help="chỉ đo phần kiểm tra")
    parser.add_argument("--skip-validation", action="store_true", help="chỉ đo phần dựng trang")
    parser.add_argument("--skip-serve", action="store_true", help="không đo mkdocs serve")
    parser.add_argument("--skip-others", action="store_true", help="không chạy benchmarks/novelty.py và council.py")
    parser.add_argument("--no-profile", action="store_true", help="không kèm hồ sơ cProfile")
    parser.add_argument("--render", type=Path, metavar="FIGURES_JSON", help="chỉ viết lại trang từ figures.json của một lần đo trước")
    args = parser.parse_args(argv)
    if args.render:
        text = render(json.loads(args.render.read_text(encoding="utf-8")))
        args.out.write_text(text, encoding="utf-8")
        print(f"Đã ghi {args.out}")
        return 0
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    load_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    work = args.keep or Path(tempfile.mkdtemp(prefix="sangkien-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    b = Bench(work, args.runs)
    try:
        b.snapshot()
        repo = work / "kho"
        print(f"Tạo {args.entries} bài trong {repo} ...", flush=True)
        paths = public_first(repo, synth.generate(repo, args.entries))
        check = ok(b.run(b.python("-m", "sangkien", "validate"), repo, {**b.env, "SANGKIEN_NOW": VALIDATE_NOW}), "sangkien validate (dữ liệu tổng hợp)")
        print(check.out.strip().splitlines()[-1], flush=True)
        figures: dict = {}
        if not args.skip_validation:
            print("Đo kiểm tra ...", flush=True)
            validation(b, repo, paths, figures)
        if not args.skip_build:
            print("Đo dựng trang ...", flush=True)
            builds(b, repo, paths, figures)
            weights(repo, paths, figures)
            if not args.skip_serve:
                print("Đo mkdocs serve ...", flush=True)
                serve(b, repo, paths, figures)
        profiles = {}
        if not args.no_profile:
            print("Hồ sơ thời gian ...", flush=True)
            (repo / ".sangkien-cache" / "validate.sqlite3").unlink(missing_ok=True)  # the site's caches stay
            profiles["sangkien validate, bộ nhớ đệm trống"] = profile(b, repo, ["-m", "sangkien", "validate"], {})
            target = repo / paths[0]
            original = target.read_bytes()
            retitle(target, "Bài thử cho hồ sơ thời gian")
            profiles["sangkien validate --base, một bài thay đổi"] = profile(b, repo, ["-m", "sangkien", "validate", "--base", "HEAD", "--at", AT], {})
            if not args.skip_build:
                ok(b.run(b.python("-m", "mkdocs", "build", "-q", "-d", "site"), repo), "mkdocs build")  # caches of this state
                retitle(target, "Bài thử cho hồ sơ thời gian, lần hai")
                profiles["mkdocs build lại sau khi sửa một bài"] = profile(b, repo, ["-m", "mkdocs", "build", "-q", "-d", "site"], {})
            target.write_bytes(original)
        quoted = {} if args.skip_others else others(b, args.entries)
        load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())
        record = {"entries": args.entries, "runs": args.runs, "figures": _plain(figures), "machine": machine(), "load": [load_start, load_end],
                  "profiles": profiles, "quoted": quoted, "started": started.isoformat(), "minutes": (time.perf_counter() - clock) / 60}
        (work / "figures.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        text = render(record)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(text)
        print(f"Đã ghi {args.out}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
