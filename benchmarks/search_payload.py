"""How many bytes a first search transfers at catalogue scale.

Generates N synthetic recognised initiatives (Vietnamese titles and summaries built from the
vocabulary of real plans), builds the search index with the site's own code, and prints, for a
few first queries, the index files fetched and their gzipped size (what a web server sends),
plus the script and style, and the upper bound over every query (search.payload_bound). The
budget (issues 9 and 18) is 300 KB gzipped for any query, at 10,000 and at 170,000 (national).

    python benchmarks/search_payload.py              # N = 10,000, Python twin of search.js
    python benchmarks/search_payload.py --browser    # also run the real search.js in Chromium
    python benchmarks/search_payload.py -n 2000 --keep /tmp/site
    python benchmarks/search_payload.py --open-data  # also the JSON/CSV/XLSX/Atom exports at N
    python benchmarks/search_payload.py --national -n 170000   # benchmarks/federation.py's 34 catalogues
    python benchmarks/search_payload.py --incremental          # write_index with a cache vs without, interleaved

`--browser` serves the folder on 127.0.0.1, types each query into the real page and records the
requests Chromium makes, so the figures are what the browser fetched, not what we think it does.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import html
import http.server
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import markdown
from sangkien.model import Campaign, Decisions, Entry, Repository, Unit
from sangkien.site import search

BUDGET = 300_000
QUERIES = ["cai cach mot cua", "dien tu", "dong", "Đồng Khởi", "thủ tục hành chính", "chu ky so", "hộ tịch trực tuyến", "chuyể"]

PROVINCES = ["Tây Ninh", "Bà Rịa – Vũng Tàu", "Ninh Thuận", "Hưng Yên", "Bến Tre", "Đồng Tháp", "Long An", "Tiền Giang", "An Giang",
             "Cần Thơ", "Hà Nội", "Hải Phòng", "Đà Nẵng", "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Khánh Hòa",
             "Lâm Đồng", "Đắk Lắk", "Gia Lai", "Nghệ An", "Hà Tĩnh", "Thanh Hóa", "Ninh Bình", "Nam Định", "Thái Bình", "Bắc Ninh",
             "Quảng Ninh", "Lào Cai", "Sơn La", "Điện Biên", "Cà Mau", "Hồ Chí Minh"]
PLACE = ["Tân", "Phú", "An", "Bình", "Hòa", "Long", "Thạnh", "Mỹ", "Phước", "Đông", "Tây", "Nam", "Bắc", "Thành", "Lợi", "Hưng", "Thuận",
         "Đồng", "Khởi", "Xuân", "Sơn", "Hà", "Quang", "Trung", "Nghĩa", "Lộc", "Vĩnh", "Hiệp", "Hội", "Đức", "Kim", "Cẩm", "Thới", "Giang",
         "Hải", "Yên", "Ninh", "Điền", "Khánh", "Định", "Châu", "Hiếu", "Tiến", "Quý", "Phong", "Mới", "Lạc", "Thọ", "Linh", "Trà"]
DEPTS = ["Văn phòng UBND", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Tài nguyên và Môi trường",
         "Sở Xây dựng", "Sở Khoa học và Công nghệ", "Trung tâm Phục vụ hành chính công", "Ban Quản lý các khu công nghiệp", "Sở Công Thương"]
ACTIONS = ["Số hóa", "Ứng dụng công nghệ thông tin trong", "Cải tiến quy trình", "Rút ngắn thời gian giải quyết", "Triển khai", "Đổi mới",
           "Nâng cao chất lượng", "Tăng cường công khai", "Thí điểm", "Chuẩn hóa", "Liên thông", "Tự động hóa", "Đơn giản hóa", "Hướng dẫn trực tuyến"]
OBJECTS = ["hồ sơ thủ tục hành chính", "dịch vụ công trực tuyến toàn trình", "tiếp nhận hồ sơ tại Bộ phận Một cửa", "ký số văn bản bằng chữ ký số",
           "quản lý văn bản và điều hành", "thanh toán không dùng tiền mặt", "đăng ký hộ tịch", "chứng thực bản sao điện tử", "cấp giấy phép xây dựng",
           "đăng ký kinh doanh hộ cá thể", "tiếp công dân và xử lý đơn thư", "khảo sát sự hài lòng của người dân", "trả kết quả qua bưu chính công ích",
           "cơ sở dữ liệu đất đai", "họp không giấy tờ", "cấp phiếu lý lịch tư pháp", "bảo hiểm y tế học sinh", "khám chữa bệnh bằng căn cước",
           "hồ sơ sức khỏe điện tử", "giải quyết chế độ chính sách người có công", "quản lý cán bộ, công chức, viên chức", "kho lưu trữ điện tử",
           "thu ngân sách nhà nước", "giao dịch một cửa liên thông", "cải cách thủ tục hành chính", "chuyển đổi số cấp xã", "phản ánh kiến nghị qua Zalo"]
CONTEXTS = ["cho người cao tuổi", "ở cấp xã", "trong lĩnh vực đất đai", "tại trạm y tế", "cho doanh nghiệp trong khu công nghiệp", "bằng mã QR",
            "qua ứng dụng di động", "theo cơ chế một cửa", "trên Cổng dịch vụ công quốc gia", "cho hộ gia đình ở vùng sâu", "trong trường học",
            "gắn với Đề án 06", "giữa các cơ quan chuyên môn", "ngoài giờ hành chính"]
RESULTS = ["Thời gian giải quyết giảm từ {a} ngày xuống {b} ngày.", "Tỷ lệ hồ sơ trực tuyến tăng từ {a}% lên {c}%.",
           "Người dân không phải nộp lại giấy tờ đã số hóa.", "Tiết kiệm khoảng {a} triệu đồng chi phí in ấn mỗi năm.",
           "Tỷ lệ hồ sơ trễ hẹn giảm còn dưới {b}%.", "Chỉ số SIPAS của đơn vị tăng {b} điểm.", "Cán bộ tra cứu hồ sơ nhanh hơn, giảm đi lại."]
AREAS = ["chi-dao-dieu-hanh", "the-che", "thu-tuc-hanh-chinh", "to-chuc-bo-may", "che-do-cong-vu", "tai-chinh-cong", "chinh-quyen-so", "nang-luc-canh-tranh"]
INDICES = ["PAR-INDEX", "SIPAS", "PAPI", "PCI", "DTI", "POBI", "ICT-INDEX"]
KEYWORDS = ["một cửa", "số hóa", "chữ ký số", "dịch vụ công", "hộ tịch", "chứng thực", "đất đai", "Zalo", "QR", "Đề án 06", "y tế", "điện tử"]


def synthetic_repository(n: int, seed: int = 2024) -> Repository:
    """N recognised initiatives from about 3,000 units across 34 provinces and 40 campaigns."""
    rnd = random.Random(seed)
    repo = Repository()
    provinces = []
    for p, name in enumerate(PROVINCES):
        pid = f"tinh-{p:02d}"
        repo.units[pid] = Unit(pid, {"id": pid, "name": f"UBND tỉnh {name}", "kind": "ubnd-tinh", "level": "tinh"})
        provinces.append(pid)
    units = []
    for u in range(3000):
        parent = rnd.choice(provinces)
        name = f"{rnd.choice(DEPTS)} tỉnh {PROVINCES[provinces.index(parent)]}" if u % 10 == 0 else f"UBND xã {rnd.choice(PLACE)} {rnd.choice(PLACE)}"
        uid = f"dv-{u:04d}"
        repo.units[uid] = Unit(uid, {"id": uid, "name": name, "kind": "ubnd-xa", "level": "xa", "parent": parent})
        units.append(uid)
    campaigns = []
    for c in range(40):
        cid = f"dot-{c:02d}"
        year = 2019 + c % 7
        repo.campaigns[cid] = Campaign(cid, {"id": cid, "title": f"Sáng kiến, giải pháp cải cách hành chính năm {year} của {rnd.choice(PROVINCES)}"})
        repo.decisions[cid] = Decisions(cid, {"campaign": cid, "recognitions": []})
        campaigns.append(cid)
    for i in range(n):
        cid = rnd.choice(campaigns)
        uid = rnd.choice(units)
        title = f"{rnd.choice(ACTIONS)} {rnd.choice(OBJECTS)} {rnd.choice(CONTEXTS)}"
        if rnd.random() < 0.5:
            title += f" tại {repo.units[uid].name}"
        a, b, c = rnd.randint(3, 30), rnd.randint(1, 3), rnd.randint(40, 99)
        summary = " ".join(t.format(a=a, b=b, c=c) for t in rnd.sample(RESULTS, 2))
        summary = f"{rnd.choice(ACTIONS)} {rnd.choice(OBJECTS)}. {summary}"
        eid = f"sk-{i:05d}"
        data = {"id": eid, "title": title[0].upper() + title[1:], "campaign": cid, "unit": uid, "summary": summary,
                "areas": rnd.sample(AREAS, rnd.randint(1, 2)), "indices": rnd.sample(INDICES, rnd.randint(0, 2)),
                "keywords": rnd.sample(KEYWORDS, rnd.randint(1, 3)), "solution_type": "tac-nghiep", "illustrative": True}
        repo.entries[eid] = Entry(eid, "entry", data, f"entries/{cid}/{uid}/{eid}.md")
        day = f"{2019 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        repo.decisions[cid].data["recognitions"].append(
            {"number": f"{i + 1}/QĐ-UBND", "date": day, "issuer": "UBND tỉnh", "signer": "Chủ tịch", "level": "co-so", "entries": [{"entry": eid}]})
    return repo


def standalone_site(site_dir: Path) -> None:
    """The /tim-kiem/ page as MkDocs would render it, without the theme (the theme is shared by every page)."""
    body = markdown.markdown(search.SEARCH_PAGE_MARKDOWN.split("---\n", 2)[2], extensions=["md_in_html"])
    page = (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>Tìm kiếm</title></head><body>{body}<script src="../{html.escape(search.SEARCH_SCRIPT)}"></script></body></html>')
    (site_dir / "tim-kiem").mkdir(parents=True, exist_ok=True)
    (site_dir / "tim-kiem" / "index.html").write_text(page, encoding="utf-8")


def national_docs(sources: int, per_source: int) -> list[search.Doc]:
    """The search docs of a national site over benchmarks/federation.py's catalogues, as
    national.search_docs makes them from the harvested rows (same fields, same words)."""
    from federation import row
    from sangkien.novelty import synthetic

    rng = random.Random(2026)  # federation.generate's seed: the same titles and summaries
    docs = []
    for s in range(sources):
        for n in range(per_source):
            title, summary, _ = synthetic.initiative(rng, 40)
            r = row(s, n, title, summary)
            words = [f"Danh mục sáng kiến tỉnh số {s:02d}", r["unit"]["name"], r["province"]["name"], r["campaign"]["title"], r["field"]]
            words += [a["label"] for a in r["areas"]] + [r["solution_type"]["label"], r["level"]["label"], *r["keywords"]]
            docs.append(search.Doc(f"tinh-{s:02d}/{r['id']}", title, r["url"], summary, r["unit"]["name"], r["province"]["name"],
                                   r["decision"]["date"][:4], False, words))
    return docs


def incremental(docs: list[search.Doc], work: Path, rounds: int) -> None:
    """write_index with a cache folder (cold, nothing changed, one doc changed, one doc added),
    each interleaved with write_index without cache on the same docs; every output compared."""
    import dataclasses
    import shutil

    def timed(ds: list[search.Doc], cache: Path | None, out: Path) -> float:
        shutil.rmtree(out, ignore_errors=True)  # as MkDocs does: an empty site folder at each build
        started = time.perf_counter()
        search.write_index(ds, out, cache)
        return time.perf_counter() - started

    def same(a: Path, b: Path) -> bool:
        files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
        return files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()) and all((a / f).read_bytes() == (b / f).read_bytes() for f in files)

    rows: dict[str, list[tuple[float, float]]] = {}
    ok = True
    for r in range(rounds):
        cache = work / f"cache-{r}"
        edited = list(docs)
        k = (r * 7919) % len(docs)
        edited[k] = dataclasses.replace(edited[k], title=edited[k].title + " (sửa lần " + str(r) + ")")
        added = [dataclasses.replace(docs[0], id="moi", title="Sáng kiến mới số hóa hồ sơ", url="sang-kien/moi/")] + edited
        for label, ds in (("cold (empty cache)", docs), ("nothing changed", docs), ("one doc changed", edited), ("one doc added first", added)):
            with_cache = timed(ds, cache, work / "a")
            without = timed(ds, None, work / "b")
            ok = ok and same(work / "a", work / "b")
            rows.setdefault(label, []).append((with_cache, without))
    print(f"\nincremental index ({len(docs)} docs, {rounds} rounds, median; load {Path('/proc/loadavg').read_text().split()[0]}):")
    print(f"{'case':<22} {'with cache s':>12} {'no cache s':>10} {'ratio':>6}")
    for label, pairs in rows.items():
        a = sorted(p[0] for p in pairs)[len(pairs) // 2]
        b = sorted(p[1] for p in pairs)[len(pairs) // 2]
        print(f"{label:<22} {a:>12.2f} {b:>10.2f} {a / b:>6.2f}")
    print(f"every file identical to the build without cache: {'yes' if ok else 'NO'}")
    shutil.rmtree(work, ignore_errors=True)


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def browser_fetches(site_dir: Path, queries: list[str]) -> dict[str, list[str]]:
    """Index files that the real page requests for each query, in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out: dict[str, list[str]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu",
                                        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
            for q in queries:
                context = browser.new_context()
                page = context.new_page()
                seen: list[str] = []
                page.on("request", lambda r, seen=seen: seen.append(r.url.split("?")[0]))
                from urllib.parse import quote

                page.goto(base + "tim-kiem/?q=" + quote(q))
                page.wait_for_selector("#sk-search[data-done]")
                prefix = base + search.INDEX_DIR + "/"
                out[q] = [u[len(prefix):] for u in seen if u.startswith(prefix)]
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000, help="number of synthetic recognised initiatives")
    parser.add_argument("--browser", action="store_true", help="also measure with the real search.js in /usr/bin/chromium")
    parser.add_argument("--keep", type=Path, help="write the site here and keep it")
    parser.add_argument("--open-data", action="store_true", help="also time write_open_data and print the export sizes")
    parser.add_argument("--national", action="store_true", help="the docs of benchmarks/federation.py's harvested catalogues instead (-n 170000)")
    parser.add_argument("--sources", type=int, default=34, help="with --national: number of catalogues")
    parser.add_argument("--incremental", action="store_true", help="also time write_index with a cache: cold, unchanged, one doc changed")
    parser.add_argument("--rounds", type=int, default=3, help="with --incremental: rounds, interleaved with a build without cache")
    args = parser.parse_args(argv)

    site_dir = args.keep or Path(tempfile.mkdtemp(prefix="sangkien-search-"))
    started = time.perf_counter()
    repo = Repository() if args.national else synthetic_repository(args.n)
    docs = national_docs(args.sources, args.n // args.sources) if args.national else search.docs_of(repo, lambda e: f"sang-kien/{e.id}/")
    made = time.perf_counter()
    figures = search.write_index(docs, site_dir)
    built = time.perf_counter()
    standalone_site(site_dir)
    index = site_dir / search.INDEX_DIR
    total_gz = sum(gz(p) for p in index.rglob("*.json"))
    assets = gz(site_dir / search.SEARCH_SCRIPT) + gz(site_dir / search.SEARCH_STYLE)
    print(f"N = {args.n}: generated in {made - started:.1f} s, index built in {built - made:.1f} s")
    print(f"index: {figures['shards']} postings shards, {figures['chunks']} record chunks, {figures['bytes'] / 1e6:.2f} MB raw, "
          f"{total_gz / 1e6:.2f} MB gzipped in all; manifest {gz(index / 'manifest.json')} B gz; "
          f"largest shard {figures['largest_shard_bytes']} B raw; search.js + search.css {assets} B gz")
    seen_in_browser = browser_fetches(site_dir, QUERIES) if args.browser else {}
    worst = 0
    print(f"\n{'query':<22} {'results':>7} {'files':>5} {'index KB gz':>11} {'+ assets KB gz':>14}  browser")
    for q in QUERIES:
        result = search.IndexReader(index).query(q)  # a fresh reader: nothing cached, as a first query
        size = sum(gz(index / f) for f in result.fetched)
        worst = max(worst, size + assets)
        check = ""
        if args.browser:
            check = "same files" if sorted(seen_in_browser[q]) == sorted(result.fetched) else f"DIFFERS: {seen_in_browser[q]}"
        print(f"{q:<22} {len(result.docs):>7} {len(result.fetched):>5} {size / 1000:>11.1f} {(size + assets) / 1000:>14.1f}  {check}")
    # Any query at all (search.payload_bound): the manifest, one shard or bitmap per word, a last
    # word completed over MAX_PREFIX_SHARDS shards and MAX_PREFIX_COMMON bitmaps, a display file per result shown.
    fig = search.payload_bound(index, assets)
    bound = fig["bound"]
    worst = max(worst, bound)
    print(f"\nupper bound for any query: {bound / 1000:.1f} KB gzipped = manifest ({fig['manifest']} B) + {search.MAX_WORDS - 1} x largest shard "
          f"or bitmap ({fig['shard']} B, {fig['bitmap']} B) + last word max(that, {search.MAX_PREFIX_SHARDS} shards + {search.MAX_PREFIX_COMMON} bitmap) "
          f"+ {search.PAGE} x largest display file ({fig['chunk']} B) + assets ({assets} B)")
    print(f"worst first query: {worst / 1000:.1f} KB gzipped (budget {BUDGET / 1000:.0f} KB): {'OK' if worst <= BUDGET else 'OVER BUDGET'}")
    if args.incremental:
        incremental(docs, Path(tempfile.mkdtemp(prefix="sangkien-search-inc-")), args.rounds)
    if args.open_data:
        from sangkien.site import opendata

        started = time.perf_counter()
        written = opendata.write_open_data(repo, site_dir, lambda e: f"sang-kien/{e.id}/", "https://sangkien.example.gov.vn/",
                                           Path(__file__).resolve().parents[1] / "schema")
        print(f"\nopen data written in {time.perf_counter() - started:.1f} s:")
        for rel in written[:4]:
            print(f"  {rel:<28} {(site_dir / rel).stat().st_size / 1e6:6.2f} MB, {gz(site_dir / rel) / 1e6:5.2f} MB gzipped")
    if not args.keep:
        import shutil

        shutil.rmtree(site_dir, ignore_errors=True)
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
