"""Page keys remembered by signature between `mkdocs serve` rebuilds (site/pagekeys.py, keep): one
change at a time, chosen where a key reads a file other than the page's own (a replication and the
initiative it names, the title of that initiative on the replicating unit's page, a new file, the
registry, the build's day, a decision); after each rebuild every file of the site, the catalogue's
danh-muc.json among them, equals a fresh build's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.servebuild import Server
from sangkien import filecheck
from sangkien.site import pagekeys
from test_serve_rebuild import _edit, _fresh, _same, serve_kho

REPLICATION = "entries/replications/tn-ct-an-binh/to-cong-nghe-so-ho-tro-dich-vu-cong-tai-ap-an-binh.md"
NEW_TARGET = "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md"


# changes of entry files only: most pages are taken from the last build
LOCAL = {"replication retargeted", "its new target retitled", "replication summary", "replication removed"}


@pytest.fixture
def kho(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = serve_kho(tmp_path, monkeypatch)
    # Pages of 10 initiatives: the catalogue's later pages and its danh-muc.json (rows remembered too) are made.
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  - sangkien\n" in config
    (root / "mkdocs.yml").write_text(config.replace("\n  - sangkien\n", "\n  - sangkien:\n      catalogue_page_size: 10\n", 1), encoding="utf-8")
    yield root
    filecheck.keep_decoded(False)
    pagekeys.keep(False)


def _copy_entry(root: Path) -> None:
    """A new initiative in a unit: its unit page lists it, and an id now names one more file."""
    source = root / NEW_TARGET
    target = source.with_name("so-hoa-ho-so-mot-cua-xa-ban-sao.md")
    text = source.read_text(encoding="utf-8").replace("\nid: so-hoa-ho-so-mot-cua-xa\n", "\nid: so-hoa-ho-so-mot-cua-xa-ban-sao\n", 1)
    assert "so-hoa-ho-so-mot-cua-xa-ban-sao" in text
    target.write_text(text, encoding="utf-8")


def test_serve_rebuilds_with_remembered_keys_equal_a_fresh_build(kho: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (kho / REPLICATION).is_file() and (kho / NEW_TARGET).is_file()
    server = Server(kho, tmp_path / "served")
    try:
        server.build()
        assert pagekeys._MEMO, "the server remembers the keys"  # noqa: SLF001 - the memo this test is about
        pagekeys.keep(True)  # told again (a plugin started again in the same process): what is remembered stays
        assert pagekeys._MEMO  # noqa: SLF001
        assert (server.site_dir / "sang-kien" / "danh-muc.json").is_file() and (server.site_dir / "sang-kien" / "trang" / "2").is_dir()
        steps = [
            ("replication retargeted", lambda: _edit(kho / REPLICATION, "\ninitiative: to-cong-nghe-so-ho-tro-dich-vu-cong-tai-ap\n",
                                                     "\ninitiative: so-hoa-ho-so-mot-cua-xa\n")),
            ("its new target retitled", lambda: _edit(kho / NEW_TARGET, "\ntitle: ", "\ntitle: Bản sửa - ")),
            ("replication summary", lambda: _edit(kho / REPLICATION, "\nsummary: ", "\nsummary: Tóm tắt sửa - ")),
            ("entry added", lambda: _copy_entry(kho)),
            ("unit contact", lambda: _edit(kho / "entries" / "units.yaml", "      email: chauthanh@tayninh.gov.vn\n",
                                           "      email: vanphong.chauthanh@tayninh.gov.vn\n")),
            ("the day before units ended", lambda: monkeypatch.setenv("SANGKIEN_NOW", "2025-06-30T10:00:00+07:00")),
            ("the day after", lambda: monkeypatch.setenv("SANGKIEN_NOW", "2025-07-01T10:00:00+07:00")),
            ("replication removed", lambda: (kho / REPLICATION).unlink()),
            ("decision number", lambda: _edit(kho / "entries" / "chau-thanh-2024" / "decisions.yaml", "\n- number: ", "\n- number: 9")),
        ]
        for name, change in steps:
            change()
            fast = server.build().plugins["sangkien"].fast  # type: ignore[attr-defined]
            if name in LOCAL:  # the pages reused, not all drawn again (which would also be equal)
                assert fast.reused > 100, (name, fast.reused)
            fresh = _fresh(kho, tmp_path / "fresh")
            _same(server.site_dir, fresh)
            assert name
        shutil.rmtree(tmp_path / "fresh")
    finally:
        server.close()
