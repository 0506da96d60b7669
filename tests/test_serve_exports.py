"""The exports of a `mkdocs serve` rebuild, written on a thread after the pages (site/serve_exports.py):
the last build's files stand in place until the new ones replace them, a file no longer written
is removed, a failure leaves no export behind, and nothing of the machinery stays in the site."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from sangkien.site.serve_exports import ServeExports


class Failed(Exception):
    pass


def _files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*")) if p.is_file()}


def _writer(files: dict[str, str], gate: threading.Event | None = None) -> object:
    def job(out: Path) -> list[str]:
        if gate is not None:
            assert gate.wait(30)
        for rel, text in files.items():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_text(text, encoding="utf-8")
        return [f"{len(files)} tệp"]
    return job


def _clean(site: Path) -> None:
    """What MkDocs does to the site folder at the start of a build: every entry but hidden ones removed."""
    for entry in site.iterdir():
        if not entry.name.startswith("."):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def test_last_exports_stand_until_the_new_ones_replace_them(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    notes: list[str] = []
    failures: list[str] = []
    exports = ServeExports()
    exports.hold(site)
    _clean(site)
    (site / "index.html").write_text("trang", encoding="utf-8")
    exports.start(site, _writer({"tim-kiem/chi-muc/0.json": "cũ 0", "tim-kiem/chi-muc/1.json": "cũ 1", "du-lieu/a.csv": "cũ"}),
                  notes.append, failures.append, Failed)
    exports.settle()
    assert _files(site) == {"index.html": "trang", "tim-kiem/chi-muc/0.json": "cũ 0", "tim-kiem/chi-muc/1.json": "cũ 1", "du-lieu/a.csv": "cũ"}

    # The next build: held while MkDocs empties the site, back in place while the new exports run.
    exports.hold(site)
    _clean(site)
    assert not [p for p in site.rglob("*") if p.is_file() and not p.relative_to(site).as_posix().startswith(".")]
    (site / "index.html").write_text("trang mới", encoding="utf-8")
    gate = threading.Event()
    exports.start(site, _writer({"tim-kiem/chi-muc/0.json": "mới 0", "du-lieu/a.csv": "mới"}, gate),
                  notes.append, failures.append, Failed)
    try:
        assert _files(site) == {"index.html": "trang mới", "tim-kiem/chi-muc/0.json": "cũ 0", "tim-kiem/chi-muc/1.json": "cũ 1",
                                "du-lieu/a.csv": "cũ"}
    finally:
        gate.set()
    exports.settle()
    assert _files(site) == {"index.html": "trang mới", "tim-kiem/chi-muc/0.json": "mới 0", "du-lieu/a.csv": "mới"}
    assert sorted(p.name for p in site.iterdir()) == ["du-lieu", "index.html", "tim-kiem"]  # no hidden folder left
    assert notes == ["3 tệp", "2 tệp"] and not failures


def test_a_failed_export_leaves_no_export_behind(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    notes: list[str] = []
    failures: list[str] = []
    exports = ServeExports()
    exports.start(site, _writer({"du-lieu/a.csv": "cũ", "du-lieu/b.json": "cũ"}), notes.append, failures.append, Failed)
    exports.hold(site)
    _clean(site)

    def broken(out: Path) -> list[str]:
        (out / "du-lieu").mkdir(parents=True)
        (out / "du-lieu" / "a.csv").write_text("nửa chừng", encoding="utf-8")
        raise Failed("sangkien: không xuất được dữ liệu mở (thử).")

    exports.start(site, broken, notes.append, failures.append, Failed)
    exports.settle()
    assert _files(site) == {}
    assert failures == ["sangkien: không xuất được dữ liệu mở (thử)."]

    def crashed(out: Path) -> list[str]:
        raise KeyError("x")

    exports.hold(site)
    exports.start(site, crashed, notes.append, failures.append, Failed)
    exports.settle()
    assert failures[-1].startswith("sangkien: không ghi được chỉ mục tìm kiếm và dữ liệu mở (KeyError")
    assert list(site.iterdir()) == []


def test_a_failed_build_drops_the_held_exports(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    exports = ServeExports()
    exports.start(site, _writer({"du-lieu/a.csv": "cũ"}), print, print, Failed)
    exports.hold(site)
    exports.drop(site)
    _clean(site)
    exports.start(site, _writer({"du-lieu/b.csv": "mới"}), print, print, Failed)
    exports.settle()
    assert _files(site) == {"du-lieu/b.csv": "mới"}
