"""Federation (issue 18): entries/federation.yaml, `sangkien harvest` against catalogues served on
127.0.0.1 (one valid, one invalid, one that goes away after the first harvest), snapshots with
provenance, status, and novelty against harvested initiatives through `sangkien validate --base`."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, TempRepo, build_site, needs_chromium, serving, site_copy
from helpers.cli import run_cli
from test_novelty_validate import NEW, TEXTS, check, codes, entry, kho  # noqa: F401 (kho: the fixture)

T0 = "2026-03-02T09:00:00+07:00"
T1 = "2026-03-14T09:00:00+07:00"  # 12 days later: past the 7 days after which a copy is stale


def row(entry_id: str, text: str, province: str = "UBND tỉnh Tây Ninh", site: str = "https://sangkien.tayninh.example.gov.vn") -> dict:
    t = TEXTS[text]
    return {
        "id": entry_id, "title": t["title"], "summary": t["summary"], "field": "Hộ tịch", "keywords": ["liên thông"],
        "campaign": {"id": "tn-2025", "title": "Sáng kiến cải cách hành chính năm 2025"},
        "unit": {"id": "tn-xa-a", "name": "UBND xã A"}, "province": {"id": "tn-ubnd-tinh", "name": province},
        "areas": [{"code": "thu-tuc-hanh-chinh", "label": "Cải cách thủ tục hành chính, cơ chế một cửa"}], "indices": [],
        "solution_type": {"code": "tac-nghiep", "label": "Giải pháp tác nghiệp"}, "level": {"code": "tinh", "label": "Cấp bộ, ngành, tỉnh"},
        "decision": {"number": "12/QĐ-UBND", "date": "2025-12-20", "issuer": "UBND tỉnh Tây Ninh", "signer": "Chủ tịch UBND tỉnh", "tier": None},
        "submitted": "2025-11-03", "first_applied": "2025-02-10", "results": [], "replications": 0,
        "url": f"{site}/sang-kien/{entry_id}/", "illustrative": False,
    }


def catalogue(rows: list[dict]) -> bytes:
    doc = {"schema": "https://sangkien.tayninh.example.gov.vn/schema/catalogue.schema.json",
           "title": "Danh mục sáng kiến, giải pháp cải cách hành chính đã được công nhận",
           "generated": "2026-03-01T08:00:00+07:00", "count": len(rows), "entries": rows}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


VALID = catalogue([row("lien-thong-khai-sinh-bhyt", "lien-thong-khai-sinh"), row("chi-tra-khong-tien-mat", "chi-tra-khong-tien-mat")])
INVALID = json.dumps({"title": "Trang chủ", "entries": "không phải danh sách"}).encode("utf-8")
LATER = catalogue([row("phong-hop-khong-giay", "phong-hop-khong-giay", province="UBND tỉnh Khánh Hòa",
                       site="https://sangkien.khanhhoa.example.gov.vn")])


class Catalogues(http.server.BaseHTTPRequestHandler):
    """/tay-ninh.json (valid, with an ETag), /hong.json (invalid), /khanh-hoa.json (gone once `gone` is set), /lon.json (big)."""

    files: dict[str, bytes] = {}
    gone: set[str] = set()
    seen: list[tuple[str, str | None]] = []
    answers: list[int] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        name = self.path.lstrip("/")
        self.seen.append((name, self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")))
        body = self.files.get(name)
        if name == "cham.json":  # answers after the client has given up
            time.sleep(1.5)
        if body is None or name in self.gone:
            self.send_error(404)
            return
        if name == "lm.json":  # Last-Modified only, no ETag
            stamp = "Sun, 01 Mar 2026 01:00:00 GMT"
            self.send_response(304 if self.headers.get("If-Modified-Since") == stamp else 200)
            self.send_header("Last-Modified", stamp)
            self.send_header("Content-Length", "0" if self.headers.get("If-Modified-Since") == stamp else str(len(body)))
            self.end_headers()
            if self.headers.get("If-Modified-Since") != stamp:
                self.wfile.write(body)
            self.answers.append(304 if self.headers.get("If-Modified-Since") == stamp else 200)
            return
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client stopped reading at its size limit
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Catalogues.files = {"tay-ninh.json": VALID, "hong.json": INVALID, "khanh-hoa.json": LATER, "lon.json": catalogue([row(f"sk-{n}", "lien-thong-khai-sinh") for n in range(900)])}
    Catalogues.files["lm.json"] = Catalogues.files["cham.json"] = VALID
    Catalogues.gone, Catalogues.seen, Catalogues.answers = set(), [], []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Catalogues)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def sources(base: str, *extra: str) -> str:
    return f"""# Nguồn liên thông dùng trong kiểm thử
stale_after_days: 7
sources:
  - id: tay-ninh
    name: Sáng kiến cải cách hành chính tỉnh Tây Ninh
    url: {base}/tay-ninh.json
    publisher: UBND tỉnh Tây Ninh
  - id: hong
    name: Một trang trả về dữ liệu sai
    url: {base}/hong.json
  - id: khanh-hoa
    name: Sáng kiến cải cách hành chính tỉnh Khánh Hòa
    url: {base}/khanh-hoa.json
    site: https://sangkien.khanhhoa.example.gov.vn/
""" + "".join(extra)


def harvest(repo: TempRepo, *args: str, at: str = T0):
    done = run_cli(["harvest", *args], cwd=repo.path, env={**os.environ, "SANGKIEN_NOW": at, "PYTHONIOENCODING": "utf-8"})
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_the_shipped_sources_file_is_valid_and_lists_no_source():
    done = run_cli(["validate", "entries/federation.yaml"], cwd=ROOT)
    assert done.returncode == 0, done.stdout
    assert "0 lỗi" in done.stdout


def test_a_wrong_sources_file_is_refused_with_its_line(repo: TempRepo, server: str):
    repo.write("entries/federation.yaml", sources(server) + "  - id: tay-ninh\n    name: Trùng mã\n    path: du-lieu/a.json\n  - id: thieu-dia-chi\n    name: Không có url hay path\n")
    done = run_cli(["validate", "entries/federation.yaml"], cwd=repo.path)
    assert done.returncode == 1 and "entries/federation.yaml:" in done.stdout
    done = harvest(repo)
    assert done.returncode == 1
    assert "SK930" in done.stderr
    assert not (repo.path / "federation").exists()
    repo.write("entries/federation.yaml", sources(server) + "  - id: tay-ninh\n    name: Trùng mã\n    path: du-lieu/a.json\n")
    done = harvest(repo)
    assert "entries/federation.yaml:15:9: lỗi SK340: Dòng 15: " in done.stderr and "SK340" in done.stderr and "«tay-ninh» đã dùng ở dòng 4" in done.stderr
    # the validator says the same, so the organiser's pull request is stopped before any harvest
    checked = run_cli(["validate", "entries/federation.yaml"], cwd=repo.path)
    assert checked.code == 1 and "entries/federation.yaml:15:9: lỗi SK340" in checked.stdout, checked.stdout
    repo.write("entries/federation.yaml", sources(server) + "  - id: ngoai\n    name: Ra ngoài kho\n    path: ../khac/a.json\n")
    checked = run_cli(["validate"], cwd=repo.path)
    assert "lỗi SK341" in checked.stdout and "«../khac/a.json»" in checked.stdout, checked.stdout


def test_harvest_keeps_good_snapshots_refuses_bad_ones_and_keeps_the_last_good_copy(repo: TempRepo, server: str):
    repo.write("entries/federation.yaml", sources(server))
    done = harvest(repo)
    assert done.returncode == 1  # one source failed
    assert "Nguồn «tay-ninh» (Sáng kiến cải cách hành chính tỉnh Tây Ninh): đã lưu 2 sáng kiến vào federation/tay-ninh.json." in done.stdout
    assert "Nguồn «khanh-hoa»" in done.stdout
    # the invalid one: refused with its reason, nothing stored
    refusal = next(line for line in done.stderr.splitlines() if "«hong»" in line)
    assert refusal.startswith("entries/federation.yaml:8:1: lỗi SK935: ")
    assert "không khớp lược đồ catalogue.schema.json" in refusal and "Chưa có bản sao nào của nguồn này; không lưu gì." in refusal
    assert not (repo.path / "federation" / "hong.json").exists() and not (repo.path / "federation" / "hong.meta.json").exists()
    # provenance
    assert (repo.path / "federation" / "tay-ninh.json").read_bytes() == VALID
    meta = json.loads((repo.path / "federation" / "tay-ninh.meta.json").read_text(encoding="utf-8"))
    assert meta["source"] == "tay-ninh" and meta["location"] == f"{server}/tay-ninh.json"
    assert meta["fetched"] == "2026-03-02T09:00:00+07:00" and meta["count"] == 2
    assert meta["sha256"] == hashlib.sha256(VALID).hexdigest() and meta["etag"].startswith('"')
    assert not list((repo.path / "federation").glob(".*.tmp"))

    # later: Khánh Hòa's site is gone, Tây Ninh has not changed (304 with the ETag)
    Catalogues.gone.add("khanh-hoa.json")
    Catalogues.seen.clear()
    done = harvest(repo, at=T1)
    assert "Nguồn «tay-ninh» (Sáng kiến cải cách hành chính tỉnh Tây Ninh): không thay đổi từ lần tải trước (2 sáng kiến)." in done.stdout
    assert ("tay-ninh.json", meta["etag"]) in Catalogues.seen
    gone = next(line for line in done.stderr.splitlines() if "«khanh-hoa»" in line)
    assert "SK932" in gone and "mã HTTP 404" in gone and "Vẫn dùng bản sao 1 sáng kiến tải lúc 02/03/2026 09:00 (giờ Việt Nam)." in gone
    assert (repo.path / "federation" / "khanh-hoa.json").read_bytes() == LATER
    confirmed = json.loads((repo.path / "federation" / "tay-ninh.meta.json").read_text(encoding="utf-8"))
    assert confirmed["confirmed"] == "2026-03-14T09:00:00+07:00" and confirmed["fetched"] == meta["fetched"]

    status = harvest(repo, "--status", at=T1)
    lines = status.stdout.splitlines()
    assert next(x for x in lines if ": tay-ninh " in x).startswith("Mới cập nhật: ")
    kh = next(x for x in lines if ": khanh-hoa " in x)
    assert kh.startswith("Đang lỗi: ") and "đang lỗi từ 14/03/2026 09:00 (giờ Việt Nam) (mã SK932" in kh
    assert "cập nhật lần cuối 02/03/2026 09:00 (giờ Việt Nam) (cách đây 12 ngày, đã cũ)" in kh
    assert next(x for x in lines if ": hong " in x).startswith("Đang lỗi: ")


def test_size_limit_and_publisher(repo: TempRepo, server: str):
    repo.write("entries/federation.yaml", f"""sources:
  - id: lon
    name: Nguồn quá lớn
    url: {server}/lon.json
  - id: nham
    name: Nguồn của tỉnh khác
    url: {server}/khanh-hoa.json
    publisher: UBND tỉnh Tây Ninh
""")
    done = harvest(repo, "--max-mb", "0,1")
    assert done.returncode == 1
    assert "SK933" in done.stderr and "lớn hơn giới hạn 102 KB" in done.stderr
    assert "SK936" in done.stderr and "«UBND tỉnh Khánh Hòa»" in done.stderr
    assert sorted(p.name for p in (repo.path / "federation").iterdir()) == ["_failures.json"]  # why, not what: no snapshot
    done = harvest(repo, "--source", "khong-co")
    assert done.returncode == 2 and "SK931" in done.stderr and "lon, nham" in done.stderr
    done = harvest(repo, "--timeout", "0")
    assert done.returncode == 2 and "SK937" in done.stderr


def test_last_modified_and_timeout(repo: TempRepo, server: str):
    repo.write("entries/federation.yaml", f"""sources:
  - id: lm
    name: Nguồn chỉ có Last-Modified
    url: {server}/lm.json
  - id: cham
    name: Nguồn trả lời chậm
    url: {server}/cham.json
""")
    done = harvest(repo, "--timeout", "0,5")
    assert "Nguồn «lm» (Nguồn chỉ có Last-Modified): đã lưu 2 sáng kiến" in done.stdout
    assert "SK932" in done.stderr and "quá 0,5 giây mà máy chủ" in done.stderr and "«cham»" in done.stderr
    meta = json.loads((repo.path / "federation" / "lm.meta.json").read_text(encoding="utf-8"))
    assert meta["last_modified"] == "Sun, 01 Mar 2026 01:00:00 GMT" and meta["etag"] is None
    done = harvest(repo, "--source", "lm", at=T1)
    assert "không thay đổi từ lần tải trước" in done.stdout
    assert Catalogues.answers == [200, 304] and ("lm.json", "Sun, 01 Mar 2026 01:00:00 GMT") in Catalogues.seen


def test_a_local_path_source_and_a_damaged_snapshot(repo: TempRepo):
    repo.write("du-lieu-nhan/tay-ninh.json", VALID)
    repo.write("entries/federation.yaml", "sources:\n  - id: tay-ninh\n    name: Tây Ninh (tệp nhận qua thư)\n    path: du-lieu-nhan/tay-ninh.json\n")
    assert harvest(repo).returncode == 0
    assert (repo.path / "federation" / "tay-ninh.json").read_bytes() == VALID
    assert "không thay đổi" in harvest(repo).stdout
    (repo.path / "federation" / "tay-ninh.json").write_bytes(VALID.replace(b"BHYT", b"BHXH"))  # edited by hand: no longer its hash
    status = harvest(repo, "--status")
    assert status.stdout.startswith("Chưa tải lần nào: tay-ninh")
    assert "đã lưu 2 sáng kiến" in harvest(repo).stdout


# ---------------------------------------------------------------- novelty beyond the province
@pytest.fixture
def federated(request: pytest.FixtureRequest, server: str) -> TempRepo:
    """The novelty test repository with Tây Ninh's catalogue harvested and committed (as CI would read it)."""
    repo: TempRepo = request.getfixturevalue("kho")
    repo.write("entries/federation.yaml", sources(server))
    harvest(repo)
    repo.commit("liên thông")
    return repo


def test_a_paraphrase_of_an_outside_initiative_is_warned_naming_its_source(federated: TempRepo):
    federated.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "chi-tra-khong-tien-mat-dien-dat-lai"))
    status, problems = check(federated)
    assert codes(problems, NEW) == ["SK711"]
    found = next(p for p in problems if p["code"] == "SK711")
    assert found["severity"] == "warning" and status == 0
    assert f"«{TEXTS['chi-tra-khong-tien-mat']['title']}» đã công bố trên danh mục «Sáng kiến cải cách hành chính tỉnh Tây Ninh»" in found["message"]
    assert "(nguồn liên thông «tay-ninh», UBND tỉnh Tây Ninh; trang sáng kiến: https://sangkien.tayninh.example.gov.vn/sang-kien/chi-tra-khong-tien-mat/)" in found["message"]
    assert found["line"] == 3  # the title's line
    similar = run_cli(["similar", "bai-moi"], cwd=federated.path)
    assert similar.code == 0, similar.stderr
    assert "Giống sáng kiến đã công bố ở địa phương khác:" in similar.stdout
    assert f"«{TEXTS['chi-tra-khong-tien-mat']['title']}» đã công bố trên danh mục «Sáng kiến cải cách hành chính tỉnh Tây Ninh»" in similar.stdout
    scan = run_cli(["similar"], cwd=federated.path)  # a full scan only prepares them, and says how to compare one entry
    assert scan.code == 0 and "Có 3 sáng kiến của danh mục liên thông (federation/)" in scan.stdout
    # an unrelated entry meets nothing outside
    federated.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "tai-san-cong-ma-vach"))
    assert codes(check(federated)[1], NEW) == []


def test_the_campaign_decides_an_outside_match_is_an_error_or_not_compared(federated: TempRepo):
    camp = federated.read("entries/tm-2024/campaign.yaml")
    federated.write("entries/tm-2024/campaign.yaml", camp + "novelty:\n  outside: loi\n")
    federated.commit("đợt không nhận mô hình ngoài tỉnh")
    federated.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "lien-thong-khai-sinh-viet-tat"))
    status, problems = check(federated)
    assert codes(problems, NEW) == ["SK712"] and status == 1
    assert "nguồn liên thông «tay-ninh»" in next(p["message"] for p in problems if p["code"] == "SK712")
    federated.write("entries/tm-2024/campaign.yaml", camp + "novelty:\n  outside: bo-qua\n")
    federated.commit("đợt không so sánh ngoài tỉnh")
    assert codes(check(federated)[1], NEW) == []


def test_a_damaged_snapshot_is_named_and_skipped(federated: TempRepo):
    snapshot = federated.path / "federation" / "tay-ninh.json"
    snapshot.write_bytes(snapshot.read_bytes().replace(b"BHYT", b"BHXH"))
    federated.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "lien-thong-khai-sinh-dien-dat-lai"))
    _, problems = check(federated)
    assert [p["code"] for p in problems if p["file"] == "federation/tay-ninh.json"] == ["SK713"]
    assert "SK711" not in codes(problems, NEW)


def test_an_oversized_snapshot_in_a_pull_request_is_not_read(federated: TempRepo):
    """A snapshot is data a pull request can change: above the harvest's limit it is skipped, never read whole."""
    from sangkien.federation import store

    snapshot = federated.path / "federation" / "tay-ninh.json"
    with snapshot.open("r+b") as f:
        f.truncate(store.MAX_BYTES + 1)  # sparse: a large file without writing it
    federated.write(NEW, entry("bai-moi", "tm-2024", "tn-ct-thanh-long", "2024-06-10", "lien-thong-khai-sinh-dien-dat-lai"))
    _, problems = check(federated)
    [found] = [p for p in problems if p["file"] == "federation/tay-ninh.json"]
    assert found["code"] == "SK713" and "lớn hơn 50 MB" in found["message"]
    assert "SK711" not in codes(problems, NEW)


# ---------------------------------------------------------------- the status page
def test_the_status_page_shows_each_source_fresh_stale_or_failing(tmp_path: Path, server: str):
    copy = site_copy(tmp_path / "kho")
    (copy / "entries" / "federation.yaml").write_text(sources(server), encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    assert run_cli(["harvest"], cwd=copy, env={**env, "SANGKIEN_NOW": T0}).code == 1
    Catalogues.gone.add("khanh-hoa.json")
    # one source only: the other failures are kept
    assert run_cli(["harvest", "--source", "khanh-hoa"], cwd=copy, env={**env, "SANGKIEN_NOW": T1}).code == 1
    done = build_site(copy, "--strict", now=T1)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (copy / "site" / "lien-thong" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Liên thông danh mục</h1>" in page and "Tình trạng tính đến 14/03/2026 09:00 (giờ Việt Nam)." in page
    rows = dict(re.findall(r'<tr id="nguon-([a-z-]+)">(.*?)</tr>', page, re.S))
    assert set(rows) == {"tay-ninh", "hong", "khanh-hoa"}
    # Tây Ninh was last confirmed 12 days ago: stale
    assert 'data-state="stale"' in rows["tay-ninh"] and "Đã cũ 12 ngày" in rows["tay-ninh"] and "<td>2</td>" in rows["tay-ninh"]
    # Khánh Hòa went away: failing since the second harvest, its first copy kept, a link back to its site
    kh = rows["khanh-hoa"]
    assert 'data-state="failing"' in kh and "Lỗi từ 14/03/2026 09:00 (giờ Việt Nam) (mã SK932)" in kh and "<td>1</td>" in kh
    assert '<a href="https://sangkien.khanhhoa.example.gov.vn/" rel="nofollow noopener">Sáng kiến cải cách hành chính tỉnh Khánh Hòa</a>' in kh
    # the invalid one never had a copy
    assert 'data-state="failing"' in rows["hong"] and "<td>—</td>" in rows["hong"] and "SK935" in rows["hong"]


def test_no_status_page_without_sources(built_site: Path):
    assert not (built_site / "lien-thong").exists()


def test_the_harvest_workflow_is_read_only_unless_the_organiser_turns_pull_requests_on():
    import yaml

    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "harvest.yml").read_text(encoding="utf-8"))
    triggers = flow.get("on", flow.get(True))
    assert "schedule" in triggers and "pull_request" not in triggers and "pull_request_target" not in triggers
    assert flow["permissions"] == {"contents": "read"}
    jobs = flow["jobs"]
    assert "permissions" not in jobs["tai-ve"]  # the harvest itself: read-only
    assert any("sangkien harvest" in step.get("run", "") for step in jobs["tai-ve"]["steps"])
    assert jobs["de-xuat"]["if"] == "${{ vars.SANGKIEN_HARVEST_PR == 'true' }}"
    assert jobs["de-xuat"]["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert all(step.get("with", {}).get("persist-credentials") is False for job in jobs.values() for step in job["steps"] if "checkout" in step.get("uses", ""))


def test_harvested_features_come_from_the_cache_once_prepared(federated: TempRepo):
    from sangkien.novelty import abbrev, outside

    abbreviations = abbrev.load(federated.path)
    cold = outside.load(federated.path, abbreviations)
    assert cold.parsed == 2 and [s[0] for s in cold.sources] == ["tay-ninh", "khanh-hoa"]  # the invalid source has no snapshot
    assert (federated.path / ".git" / "sangkien" / outside.CACHE_NAME).is_file()
    warm = outside.load(federated.path, abbreviations)
    assert warm.parsed == 0 and warm.n == cold.n == 3  # no snapshot parsed: arrays from the cache
    for name in ("shingles", "terms", "weights", "ids", "keys", "s_off", "t_off", "vocab"):
        assert (getattr(warm, name) == getattr(cold, name)).all(), name
    assert [(i.source, i.id, i.title, i.url, i.province) for i in warm.items] == [(i.source, i.id, i.title, i.url, i.province) for i in cold.items]
    assert warm.item(1).summary == TEXTS["chi-tra-khong-tien-mat"]["summary"]
    # a new snapshot of one source (another sha256) is prepared again, the other comes from the cache
    meta = json.loads((federated.path / "federation" / "khanh-hoa.meta.json").read_text(encoding="utf-8"))
    body = LATER.replace(b'"illustrative": false', b'"illustrative": true')
    meta["sha256"] = hashlib.sha256(body).hexdigest()
    (federated.path / "federation" / "khanh-hoa.json").write_bytes(body)
    (federated.path / "federation" / "khanh-hoa.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    again = outside.load(federated.path, abbreviations)
    assert again.parsed == 1 and (again.shingles == cold.shingles).all()


# ---------------------------------------------------------------- national mode
DONG_NAI = catalogue([row("chi-tra-tien-mat-dong-nai", "chi-tra-khong-tien-mat-viet-tat", province="UBND tỉnh Đồng Nai",
                          site="https://sangkien.dongnai.example.gov.vn"),
                      row("dat-lich-kham-benh", "dat-lich-kham-benh", province="UBND tỉnh Đồng Nai", site="https://sangkien.dongnai.example.gov.vn")])
NATIONAL_NAV = "nav:\n  - Toàn quốc: index.md\n  - Liên thông: lien-thong/index.md\n\nextra:"


@needs_chromium
def test_the_national_site_shows_the_source_facet_and_a_cross_source_group(tmp_path: Path, server: str, browser):
    Catalogues.files["dong-nai.json"] = DONG_NAI
    copy = site_copy(tmp_path / "kho")
    shutil.rmtree(copy / "docs" / "huong-dan")  # the province's guides link to its own generated pages; a national site has its own docs
    (copy / "entries" / "federation.yaml").write_text(
        sources(server) + f"  - id: dong-nai\n    name: Sáng kiến cải cách hành chính tỉnh Đồng Nai\n    url: {server}/dong-nai.json\n", encoding="utf-8")
    assert run_cli(["harvest"], cwd=copy, env={**os.environ, "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": T0}).code == 1  # «hong» is refused
    config = (copy / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nnav:\n.*?\n\nextra:", "\n" + NATIONAL_NAV, config, flags=re.S)
    assert "\n  sangkien:\n" in config
    (copy / "mkdocs.yml").write_text(config.replace("\n  sangkien:\n", "\n  sangkien:\n    national: true\n", 1), encoding="utf-8")
    done = build_site(copy, "--strict", now=T1)
    assert done.returncode == 0, done.stdout + done.stderr
    site = copy / "site"
    assert not (site / "sang-kien").exists()  # the harvested catalogues alone: no page of the local repository's initiatives
    with serving(site) as url:
        page = browser.new_page()
        page.goto(url)
        assert page.locator("h1").inner_text() == "Danh mục sáng kiến cải cách hành chính toàn quốc"
        facet = page.locator(".sk-fed-facet__item")
        assert facet.count() == 4
        texts = facet.all_inner_texts()
        assert any("Sáng kiến cải cách hành chính tỉnh Tây Ninh" in t and "(2 sáng kiến)" in t and "Đã cũ 12 ngày" in t for t in texts)
        assert any("Một trang trả về dữ liệu sai" in t and "(0 sáng kiến)" in t and "Đang lỗi" in t for t in texts)
        group = page.locator(".sk-fed-group").first
        assert group.locator("h2").inner_text() == "Cùng mô hình ở 2 địa phương"
        links = group.locator("a").evaluate_all("els => els.map(e => [e.textContent, e.getAttribute('href')])")
        assert [TEXTS["chi-tra-khong-tien-mat"]["title"], "https://sangkien.tayninh.example.gov.vn/sang-kien/chi-tra-khong-tien-mat/"] in links
        assert [TEXTS["chi-tra-khong-tien-mat-viet-tat"]["title"], "https://sangkien.dongnai.example.gov.vn/sang-kien/chi-tra-tien-mat-dong-nai/"] in links
        # the facet leads to one source's initiatives, each linking back to its page there
        page.get_by_role("link", name="Sáng kiến cải cách hành chính tỉnh Đồng Nai").first.click()
        assert page.locator("h1").inner_text() == "Sáng kiến cải cách hành chính tỉnh Đồng Nai"
        hrefs = page.locator("article li a, .md-content li a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert "https://sangkien.dongnai.example.gov.vn/sang-kien/dat-lich-kham-benh/" in hrefs
        page.close()
