"""The export thread of a `mkdocs serve` rebuild ends with the server's full garbage collection
(site/serve_exports.py): garbage with reference cycles is collected there, not kept, and what is
left is frozen so the next rebuild's collections do not scan it again."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from sangkien.site.serve_exports import ServeExports


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test session collects as usual


def _job(out: Path) -> list[str]:
    (out / "tim-kiem").mkdir(parents=True)
    (out / "tim-kiem" / "chi-muc.json").write_text("{}", encoding="utf-8")
    return []


def test_the_export_thread_collects_then_freezes(tmp_path: Path, unfrozen: None) -> None:
    garbage = Node()
    gone = weakref.ref(garbage)
    del garbage
    kept = Node()  # alive: frozen, not freed
    exports = ServeExports()
    exports.start(tmp_path, _job, lambda _: None, pytest.fail, RuntimeError)
    exports.settle()
    assert gone() is None  # the cycle was collected, never frozen
    assert gc.get_freeze_count() > 0
    assert kept.me is kept
    assert (tmp_path / "tim-kiem" / "chi-muc.json").is_file()
    # garbage made after the freeze, from objects frozen then, is collected by the next export thread
    frozen_cycle = Node()
    later = weakref.ref(frozen_cycle)
    exports.start(tmp_path, _job, lambda _: None, pytest.fail, RuntimeError)
    exports.settle()
    assert later() is not None  # still referenced here
    del frozen_cycle, kept
    exports.start(tmp_path, _job, lambda _: None, pytest.fail, RuntimeError)
    exports.settle()
    assert later() is None
