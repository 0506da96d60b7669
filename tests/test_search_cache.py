"""The incremental search index (issue 17): with a cache folder, write_index reuses what the last
build kept, and every file it writes is byte-identical to an index built from scratch."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import numpy as np
import pytest
from sangkien.site import search, search_cache
from sangkien.site.search import Doc, build_index, write_index

WORDS = ["thủ tục", "hành chính", "một cửa", "điện tử", "hồ sơ", "số hóa", "Đồng Khởi", "chữ ký số", "hộ tịch", "trực tuyến", "tra cứu",
         "mã QR", "Zalo", "bưu chính", "đất đai", "chứng thực", "kỹ thuật", "lý lịch"]


def _docs(n: int, seed: int = 17) -> list[Doc]:
    rnd = random.Random(seed)
    return [Doc(f"sk-{i:03d}", "Cải cách " + " ".join(rnd.sample(WORDS, 3)), f"sang-kien/sk-{i:03d}/", " ".join(rnd.sample(WORDS, 4)),
                f"UBND xã {rnd.choice(WORDS)}", "UBND tỉnh Tây Ninh", str(2019 + i % 6), i % 5 == 0, [rnd.choice(WORDS)]) for i in range(n)]


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small shards, common keys and display files, so that one doc's change moves shard bounds and bitmaps."""
    monkeypatch.setattr(search, "SHARD_BYTES", 300)
    monkeypatch.setattr(search, "COMMON_BYTES", 150)
    monkeypatch.setattr(search, "CHUNK", 4)


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _same_as_from_scratch(docs: list[Doc], cache: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    cached, plain = tmp_path / f"{name}-cached", tmp_path / f"{name}-plain"
    figures = write_index(docs, cached, cache)
    assert figures == write_index(docs, plain)
    files = _site_files(cached)
    assert files == _site_files(plain), name
    return files


def test_edits_additions_and_removals_give_the_from_scratch_index(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    docs = _docs(60)
    first = _same_as_from_scratch(docs, cache, tmp_path, "cold")
    assert any(f.startswith(search.INDEX_DIR + "/b/") for f in first)  # the small limits made common keys
    assert _same_as_from_scratch(docs, cache, tmp_path, "unchanged") == first
    edited = list(docs)
    edited[7] = dataclasses.replace(edited[7], title="Số hóa sổ hộ tịch bằng mã QR ở Đồng Khởi", summary="Hoàn toàn mới: Zalo.")
    edited[30] = dataclasses.replace(edited[30], meta=["lý lịch tư pháp"], illustrative=not edited[30].illustrative)
    _same_as_from_scratch(edited, cache, tmp_path, "two-edited")
    removed = edited[:12] + edited[13:]
    _same_as_from_scratch(removed, cache, tmp_path, "one-removed")
    added = [dataclasses.replace(docs[0], id="moi", title="Một sáng kiến mới về chứng thực điện tử", url="sang-kien/moi/")] + removed
    _same_as_from_scratch(added, cache, tmp_path, "one-added")
    # a word that was in one doc only disappears, and a word made common becomes rare again
    rare = list(added)
    rare[3] = dataclasses.replace(rare[3], title="Xyzzy", summary="", meta=[])
    _same_as_from_scratch(rare, cache, tmp_path, "rare-word")
    back = [dataclasses.replace(d, title="Tra cứu") if i % 2 else d for i, d in enumerate(rare)]
    _same_as_from_scratch(back, cache, tmp_path, "many-edited")
    _same_as_from_scratch(docs, cache, tmp_path, "back-to-first")


def test_random_edits_compared_with_a_build_without_cache(tmp_path: Path) -> None:
    rnd = random.Random(4)
    cache = tmp_path / "cache"
    docs = _docs(40, seed=3)
    for step in range(12):
        n = rnd.randrange(len(docs))
        choice = rnd.random()
        if choice < 0.6:
            docs[n] = dataclasses.replace(docs[n], title=" ".join(rnd.sample(WORDS, rnd.randint(1, 5))), summary=rnd.choice(["", *WORDS]))
        elif choice < 0.8:
            del docs[n]
        else:
            docs.insert(n, Doc(f"new-{step}", rnd.choice(WORDS), f"sang-kien/new-{step}/", rnd.choice(WORDS)))
        assert search_cache.build(docs, cache) == build_index(docs), step


def test_the_unchanged_build_uses_the_kept_files(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    docs = _docs(20)
    write_index(docs, tmp_path / "a", cache)
    last = search_cache.read_last(cache / search_cache.LAST, search_cache.version())
    assert last is not None
    marker = {**last["files"], "manifest.json": b'{"kept":1}'}
    search_cache.write_last(cache / search_cache.LAST, search_cache.version(), last["digests"], marker)
    assert search_cache.build(docs, cache)["manifest.json"] == b'{"kept":1}'  # nothing recomputed
    assert search_cache.build(docs[1:], cache) == build_index(docs[1:])


def test_a_broken_or_older_cache_is_a_full_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    docs = _docs(20)
    search_cache.build(docs, cache)
    (cache / search_cache.WORK).write_bytes(b"not an npz")
    edited = [dataclasses.replace(docs[0], title="Đổi tên")] + docs[1:]
    assert search_cache.build(edited, cache) == build_index(edited)
    (cache / search_cache.LAST).write_bytes(b"")
    assert search_cache.build(edited, cache) == build_index(edited)
    header = np.frombuffer(json.dumps({"version": search_cache.version()}).encode(), dtype=np.uint8)
    np.savez(cache / search_cache.LAST, header=header)  # this code's, but not whole
    assert search_cache.build(edited, cache) == build_index(edited)
    monkeypatch.setattr(search, "CHUNK", 3)  # another layout: the kept files no longer apply
    assert search_cache.build(edited, cache) == build_index(edited)


def test_a_build_stopped_between_its_two_cache_writes_is_not_trusted(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    docs = _docs(30)
    search_cache.build(docs, cache)
    first_last = (cache / search_cache.LAST).read_bytes()
    edited = [dataclasses.replace(d, title="Số hóa hộ tịch") if i in (2, 9) else d for i, d in enumerate(docs)]
    search_cache.build(edited, cache)
    (cache / search_cache.LAST).write_bytes(first_last)  # as if the second build stopped after writing its work
    again = [dataclasses.replace(d, summary="Tra cứu mã QR") if i == 5 else d for i, d in enumerate(docs)]
    assert search_cache.build(again, cache) == build_index(again)


def test_docs_in_another_order_are_indexed_from_scratch(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    docs = _docs(30)
    search_cache.build(docs, cache)
    assert search_cache.build(docs[::-1], cache) == build_index(docs[::-1])
    swapped = [docs[1], docs[0], *docs[2:]]
    assert search_cache.build(swapped, cache) == build_index(swapped)
    twice = docs + docs[:3]  # the same doc twice (two catalogues publishing one initiative)
    assert search_cache.build(twice, cache) == build_index(twice)
