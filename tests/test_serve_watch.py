"""`mkdocs serve` watches the data folders through the system's notifications and reports every
change through one signal file, the only thing MkDocs' polling server looks at for them
(site/serve_watch.py); a folder that cannot be watched natively is left to MkDocs' polling."""

from __future__ import annotations

import time
from pathlib import Path

from sangkien.site.serve_watch import NativeWatch


def _changes(watch: NativeWatch, before: str, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if watch.signal.read_text(encoding="utf-8") != before:
            return True
        time.sleep(0.05)
    return False


def test_every_kind_of_change_rewrites_the_signal(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    (entries / "dot" / "don-vi").mkdir(parents=True)
    entry = entries / "dot" / "don-vi" / "bai.md"
    entry.write_text("---\ntitle: A\n---\n", encoding="utf-8")
    watch = NativeWatch()
    try:
        assert watch.add(entries)
        steps = [
            lambda: entry.write_text("---\ntitle: B\n---\n", encoding="utf-8"),  # an edit
            lambda: (entries / "dot" / "moi").mkdir(),  # a new folder, then a file in it
            lambda: (entries / "dot" / "moi" / "bai-moi.md").write_text("x", encoding="utf-8"),
            lambda: entry.rename(entries / "dot" / "don-vi" / "bai-2.md"),  # an editor's save by rename
            lambda: (entries / "dot" / "moi" / "bai-moi.md").unlink(),
        ]
        for step in steps:
            before = watch.signal.read_text(encoding="utf-8")
            step()
            assert _changes(watch, before)
        before = watch.signal.read_text(encoding="utf-8")
        (entries / "dot" / "don-vi" / "bai-2.md").read_text(encoding="utf-8")  # reading changes nothing
        assert not _changes(watch, before, timeout=1.0)
    finally:
        watch.stop()
    assert not watch.folder.exists()


def test_a_folder_it_cannot_watch_is_left_to_polling(tmp_path: Path) -> None:
    watch = NativeWatch()
    try:
        assert not watch.add(tmp_path / "khong-co")
    finally:
        watch.stop()
