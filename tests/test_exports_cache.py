"""Open data rebuilt from what changed: after every kind of change, the exports written with the
cache are exactly those written without it (site/exportcache.py, site/opendata_tables.py)."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from openpyxl import load_workbook
from sangkien import cache
from sangkien.site import opendata, opendata_tables
from sangkien.site.licence import KNOWN
from sangkien.site.opendata import OpenDataError, write_open_data
from sangkien.validator import load

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

NOW = "2026-12-10T10:00:00+07:00"
SITE = "https://sangkien.example.gov.vn/"


def url_of(entry: object) -> str:
    return f"sang-kien/{entry.id}/"  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seed") / "kho"
    synth.generate(root, 90, words=60, git=False)
    return root


@pytest.fixture
def kho(seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "kho"
    shutil.copytree(seed, root, symlinks=True)
    monkeypatch.setenv("SANGKIEN_NOW", NOW)
    monkeypatch.setenv("SANGKIEN_CACHE_DIR", str(tmp_path / "validation-cache"))
    monkeypatch.setattr(opendata_tables, "RUN_MAX", 5)  # many runs of rows, so that a change touches only some
    return root


def _exports(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "du-lieu").iterdir())}


def _cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def _pieces(store: Path) -> set[str]:
    return {p.name for p in (store / "pieces").iterdir()}


class Builds:
    """The exports of one repository, written with a cache and without one, compared."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp, self.store, self.n = root, tmp, tmp / "opendata", 0
        self.site_url, self.licence, self.schema_dir = SITE, KNOWN["cc-by-4.0"], root / "schema"

    def write(self, cached: bool) -> dict[str, bytes]:
        self.n += 1
        site = self.tmp / f"site-{self.n}"
        write_open_data(load(self.root).repo, site, url_of, self.site_url, self.schema_dir, self.licence,
                        self.store if cached else None)
        return _exports(site)

    def same(self) -> dict[str, bytes]:
        fast, plain = self.write(True), self.write(False)
        assert sorted(fast) == sorted(plain)
        different = [name for name in fast if fast[name] != plain[name]]
        assert not different
        assert _cells(fast["sang-kien.xlsx"]) == _cells(plain["sang-kien.xlsx"])
        return fast


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _recognised(root: Path) -> list[Path]:
    ids = {entry.id for entry, _rec, _line in load(root).repo.recognised_initiatives()}
    return sorted(p for p in root.glob("entries/*/*/bn-*.md") if p.stem in ids)


def test_the_json_is_assembled_exactly_as_json_dumps_writes_it(kho: Path) -> None:
    document = opendata.catalogue_document(load(kho).repo, url_of, SITE, kho / "schema")
    fragments = [json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode() for r in document["entries"]]
    assert len(fragments) > 20
    assert opendata.catalogue_json(document, fragments) == json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    empty = {**document, "entries": [], "count": 0}
    assert opendata.catalogue_json(empty, []) == json.dumps(empty, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def test_cached_exports_equal_uncached_ones_through_every_kind_of_change(kho: Path, tmp_path: Path) -> None:
    builds = Builds(kho, tmp_path)
    first = builds.same()  # cold: nothing cached
    kept = _pieces(builds.store)
    assert len(kept) > 20
    assert builds.same() == first  # nothing changed: every piece reused, none added
    assert _pieces(builds.store) == kept
    entries = _recognised(kho)
    # one entry's title
    _edit(entries[3], '\ntitle: "', '\ntitle: "Bản sửa - ')
    changed = builds.same()
    assert b"B\xe1\xba\xa3n s\xe1\xbb\xada - " in changed["sang-kien.csv"]
    assert 0 < len(_pieces(builds.store) - kept) < len(kept) // 2  # only the runs holding that row were made again
    # a decision: its number is in its rows; its date changes their dates and their order (newest decision first)
    decisions = kho / "entries" / "chau-thanh-2024" / "decisions.yaml"
    number = next(line.split(":", 1)[1].strip() for line in decisions.read_text(encoding="utf-8").splitlines() if "QĐ-BENCH" in line)
    _edit(decisions, f"number: {number}\n  date: '2024-08-15'", f"number: {number}-A\n  date: '2023-01-15'")
    assert f"{number}-A".encode() in builds.same()["sang-kien.json"]
    # a row removed, a row added back at another place
    moved = entries[5].read_text(encoding="utf-8")
    entries[5].unlink()
    builds.same()
    entries[5].write_text(moved, encoding="utf-8")
    builds.same()
    # site_url, licence: in every row's address, in the feed, the note and the workbook
    builds.site_url = "https://cchc.example.gov.vn/danh-muc/"
    assert b"https://cchc.example.gov.vn/danh-muc/sang-kien/" in builds.same()["sang-kien.csv"]
    builds.site_url = ""
    builds.same()
    builds.licence = KNOWN["cc0-1.0"]
    assert b"CC0" in builds.same()["moi-cong-nhan.xml"]


def test_a_stricter_schema_is_applied_to_rows_checked_before(kho: Path, tmp_path: Path) -> None:
    builds = Builds(kho, tmp_path)
    builds.same()
    builds.schema_dir = tmp_path / "schema"
    shutil.copytree(kho / "schema", builds.schema_dir)
    path = builds.schema_dir / "catalogue.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["$defs"]["entry"]["description"] += " (sửa lời mô tả)"  # bytes changed, meaning not
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    builds.same()
    schema["$defs"]["entry"]["properties"]["title"]["maxLength"] = 12
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")
    for cached in (True, False):
        with pytest.raises(OpenDataError, match="không khớp lược đồ catalogue.schema.json tại «entries/0/title» \\(bài «"):
            builds.write(cached)


def test_another_code_version_uses_nothing_of_the_last_build(kho: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builds = Builds(kho, tmp_path)
    builds.same()
    before = _pieces(builds.store)
    monkeypatch.setattr(cache, "code_key", lambda: "phiên bản khác")
    builds.same()
    assert not before & _pieces(builds.store)


def test_a_damaged_cache_is_not_believed(kho: Path, tmp_path: Path) -> None:
    builds = Builds(kho, tmp_path)
    good = builds.same()
    for path in sorted((builds.store / "pieces").iterdir()) + sorted((builds.store / "outputs").iterdir()):
        data = bytearray(path.read_bytes())
        data[-3] ^= 0x20  # one bit of the content: the checksum no longer matches
        path.write_bytes(bytes(data))
    (builds.store / "valid-0").write_bytes(b"x" * 16)  # stray files are removed, never read
    assert builds.same() == good
    assert not (builds.store / "valid-0").exists()


def test_the_workbook_opens_in_libreoffice_with_the_published_values(kho: Path, tmp_path: Path) -> None:
    import subprocess

    if shutil.which("soffice") is None or not Path("/usr/lib/libreoffice/program/libsclo.so").exists():
        pytest.skip("LibreOffice Calc không có trên máy này")
    builds = Builds(kho, tmp_path)
    exports = builds.same()
    book = tmp_path / "sang-kien.xlsx"
    book.write_bytes(exports["sang-kien.xlsx"])
    out = tmp_path / "lo-out"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out), str(book)], capture_output=True, timeout=240, check=True)
    import csv

    rows = list(csv.reader(io.StringIO((out / "sang-kien.csv").read_text(encoding="utf-8"))))
    ours = list(csv.reader(io.StringIO(exports["sang-kien.csv"].decode("utf-8-sig"))))
    assert len(rows) == len(ours) > 20
    assert rows[0] == ours[0]  # the Vietnamese headers
    for theirs, mine in zip(rows[1:], ours[1:], strict=True):
        assert theirs[:14] == mine[:14]  # ids, titles, summaries, units, labels, decision numbers: the same text
        assert theirs[20] == mine[20]  # the address


def test_mkdocs_builds_keep_the_open_data_pieces_and_reuse_them(seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real build: the plugin hands the exports its cache folder; a second build reuses every
    piece, and after an edit its files equal those of a build without any cache (a few dozen
    rows make one run here: which runs are kept is the test above)."""
    import subprocess

    kho = tmp_path / "kho"
    shutil.copytree(seed, kho, symlinks=True)
    for name in ("SANGKIEN_NO_CACHE", "SANGKIEN_CACHE_DIR", "SANGKIEN_FAST_BUILD", "SANGKIEN_JOBS"):
        monkeypatch.delenv(name, raising=False)

    def build(dest: str, **env: str) -> dict[str, bytes]:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", dest], cwd=kho, capture_output=True, text=True,
                              env={**os.environ, "SANGKIEN_NOW": NOW, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8", **env})
        assert done.returncode == 0, done.stderr
        return _exports(kho / dest)

    store = kho / ".sangkien-cache" / "site" / "opendata"
    first = build("site")
    times = {p.name: p.stat().st_mtime_ns for p in (store / "pieces").iterdir()}
    assert len(times) >= 3
    assert build("site") == first
    assert {p.name: p.stat().st_mtime_ns for p in (store / "pieces").iterdir()} == times  # read, not written again
    _edit(_recognised(kho)[2], '\ntitle: "', '\ntitle: "Bản sửa - ')
    again = build("site")
    assert again != first and again == build("site-plain", SANGKIEN_NO_CACHE="1")
