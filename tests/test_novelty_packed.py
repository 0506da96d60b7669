"""The memory-mapped store of the local corpus (novelty/packed.py) against the plain path.

A real Git repository with planted near-copies: a first `validate --base` writes the store,
then entries are edited, copied, added and deleted, and every query through the store must give
the same floating-point cosines, weights and matches as the plain corpus and index, and the
command the same problems as a run without any cache (SANGKIEN_NO_CACHE=1).
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import numpy as np
import pytest
from conftest import TempRepo
from sangkien import loader
from sangkien.novelty import abbrev, packed, synthetic
from sangkien.novelty.corpus import from_loaded
from sangkien.novelty.search import Searcher

AT = "2024-06-10T10:00:00+07:00"  # inside tm-2024's window
UNITS = ("tn-ct-thanh-long", "tn-ct-hao-duoc", "tn-ct-thi-tran")
N = 45


def _store(repo: TempRepo) -> Path:
    where = packed.location(repo.path, packed.NAME)
    assert where is not None
    return where


@pytest.fixture
def kho(repo: TempRepo) -> tuple[TempRepo, list[str], list[tuple[str, str, str]]]:
    camp = repo.read("entries/chau-thanh-2024/campaign.yaml")
    for cid, opens, closes in (("tm-2023", "2023-05-02", "2023-06-30"), ("tm-2024", "2024-05-02", "2024-06-30")):
        text = camp.replace("id: chau-thanh-2024", f"id: {cid}").replace('"2024-05-15"', f'"{opens}"').replace('"2024-06-25"', f'"{closes}"')
        repo.write(f"entries/{cid}/campaign.yaml", text)
    rng = random.Random(14)
    paths, texts = [], []
    for i in range(N):
        title, summary, body = synthetic.initiative(rng, 180)
        unit = UNITS[i % len(UNITS)]
        rel = f"entries/tm-2023/{unit}/bai-{i:03d}.md"
        repo.write(rel, synthetic.front_matter(f"bai-{i:03d}", "tm-2023", unit, f"2023-06-{1 + i % 28:02d}", title, summary) + body + "\n")
        paths.append(rel)
        texts.append((title, summary, body))
    repo.commit("đợt thử")
    return repo, paths, texts


def _edit(repo: TempRepo, paths: list[str], texts: list[tuple[str, str, str]]) -> list[str]:
    """Edits of every kind since the store was written; returns the new files."""
    rng = random.Random(3)
    repo.write(paths[3], repo.read(paths[3]) + "\nThêm kết quả năm 2024: số hóa hồ sơ đất đai, tra cứu qua Zalo tại xã Phước Dân.\n")
    (repo.path / paths[9]).unlink()
    title, summary, body = texts[5]
    paragraphs = body.split("\n\n")
    reordered = "\n\n".join(paragraphs[2:] + paragraphs[:2])
    new = ["entries/tm-2024/tn-ct-thanh-long/chep-dao-doan.md", "entries/tm-2024/tn-ct-hao-duoc/chep-them-noi-dung.md"]
    repo.write(new[0], synthetic.front_matter("chep-dao-doan", "tm-2024", "tn-ct-thanh-long", "2024-06-05", "Tên mới " + title, summary) + reordered + "\n")
    title, summary, body = texts[7]
    longer = body + "\n\n" + synthetic.initiative(rng, 40)[2]
    repo.write(new[1], synthetic.front_matter("chep-them-noi-dung", "tm-2024", "tn-ct-hao-duoc", "2024-06-06", title, summary) + longer + "\n")
    return new


def _check(repo: TempRepo, no_cache: bool = False) -> list[dict]:
    env = {"SANGKIEN_NO_CACHE": "1"} if no_cache else {}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        done = repo.run("validate", "--base", "HEAD", "--at", AT, "--format", "json")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert "Traceback" not in done.stderr, done.stderr
    problems: list[dict] = json.loads(done.stdout)["problems"]
    return problems


def _first_run(repo: TempRepo, paths: list[str]) -> None:
    """A change set checked once without a store: the plain path runs and writes it."""
    repo.write(paths[0], repo.read(paths[0]) + "\nMột câu bổ sung.\n")
    assert not _store(repo).exists()
    _check(repo)
    assert _store(repo).read_bytes().startswith(packed.MAGIC)


def test_every_query_through_the_store_equals_the_plain_one(kho, monkeypatch):
    repo, paths, texts = kho
    _first_run(repo, paths)
    monkeypatch.setattr(packed, "CHUNK", 500)  # norms and cosines in many steps of whole rows, as at 10,000 entries
    new = _edit(repo, paths, texts)
    loaded = loader.load(repo.path)
    table = abbrev.load(repo.path)
    view = packed.view(loaded, table)
    assert view is not None
    assert {view.entries[n].path for n in view.new} == {paths[3], *new}  # changed since the store: in memory
    fast = packed.PackedSearcher(view)
    plain = from_loaded(loaded, table, use_cache=False)
    searcher = Searcher(plain)
    assert [i.path for i in plain.items] == [e.path for e in view.entries]
    fast_items = view.by_path()
    found_copies = 0
    for item in plain.items:
        other = fast_items[item.path]
        assert other.features.weights is not None and item.features.weights is not None
        assert np.array_equal(item.features.weights, other.features.weights), item.path
        assert np.array_equal(item.features.terms, other.features.terms) and np.array_equal(item.features.shingles, other.features.shingles)
        assert np.array_equal(item.features.counts, other.features.counts) and item.features.counts.dtype == other.features.counts.dtype
        a, b = searcher.index.cosines(item.features), fast.cosines(other.features)
        assert a.dtype == b.dtype and np.array_equal(a, b), item.path
        expected = [(m.item.path, m.measures) for m in searcher.query(item, 4)]
        assert [(m.item.path, m.measures) for m in fast.query(other, 4)] == expected, item.path
        found_copies += any(m.score >= 0.9 for m in searcher.query(item, 4))
    assert found_copies == 2  # both copies find their source (sources are not compared with later entries)


def test_validate_base_gives_the_problems_of_a_run_without_cache(kho):
    repo, paths, texts = kho
    _first_run(repo, paths)
    store = _store(repo)
    written = store.stat().st_mtime_ns, store.read_bytes()
    new = _edit(repo, paths, texts)
    through_store = _check(repo)
    assert (store.stat().st_mtime_ns, store.read_bytes()) == written  # the query path read the store, never rewrote it
    plain = _check(repo, no_cache=True)
    assert through_store == plain
    novelty = {(p["file"], p["code"]) for p in plain if p["code"].startswith("SK70")}
    assert {(new[0], "SK702"), (new[1], "SK702")} <= novelty


def test_a_damaged_store_or_too_many_changes_take_the_plain_path(kho, monkeypatch):
    repo, paths, texts = kho
    _first_run(repo, paths)
    store = _store(repo)
    _edit(repo, paths, texts)
    plain = _check(repo, no_cache=True)
    store.write_bytes(packed.MAGIC + b"\xff" * 40)
    assert packed.view(loader.load(repo.path), abbrev.load(repo.path)) is None
    assert _check(repo) == plain
    assert packed.view(loader.load(repo.path), abbrev.load(repo.path)) is not None  # written again by the plain path
    monkeypatch.setattr(packed, "MAX_NEW", 0)
    repo.write(paths[1], repo.read(paths[1]) + "\nSửa thêm.\n")
    assert packed.view(loader.load(repo.path), abbrev.load(repo.path)) is None


def test_an_entry_the_incremental_run_did_not_read_is_compared_by_its_whole_text(kho):
    """Edited after the store was written and checked by a run without --base: the next run takes
    it from its facts (not checked again), and both paths compare it by its whole current text."""
    from sangkien import runmemo

    repo, paths, _ = kho
    _first_run(repo, paths)
    repo.write(paths[12], repo.read(paths[12]) + "\nĐoạn mới: công chức địa chính xã hướng dẫn người dân tra cứu hồ sơ đất đai qua Zalo.\n")
    assert repo.run("validate").returncode in (0, 1)  # the run memo now holds the edited entry
    repo.write(paths[0], repo.read(paths[0]) + "\nSửa lần hai.\n")
    now, last = runmemo.tree(repo.path), runmemo.last_run(repo.path)
    assert now is not None and last is not None
    plan = runmemo.plan(now, last, {paths[0]})
    assert plan is not None and paths[12] in plan.skip
    loaded = loader.load(repo.path, plan.skip)
    table = abbrev.load(repo.path)
    whole = {i.path: i for i in from_loaded(loader.load(repo.path), table, use_cache=False).items}
    view = packed.view(loaded, table)
    assert view is not None and paths[12] in {view.entries[n].path for n in view.new}
    for items in (from_loaded(loaded, table, use_cache=False).by_path(), view.by_path()):
        assert np.array_equal(items[paths[12]].features.shingles, whole[paths[12]].features.shingles)


def test_the_cache_jobs_similar_run_writes_the_store_a_change_set_then_reads(kho):
    """CI saves the cache from main after `sangkien similar` (.github/workflows/cache.yml): a pull
    request's check on a fresh runner then takes the store's path, and gives the plain problems."""
    repo, paths, texts = kho
    assert repo.run("similar", "--top", "1").returncode in (0, 1)
    store = _store(repo)
    written = store.read_bytes()
    assert written.startswith(packed.MAGIC)
    assert repo.run("similar", "--top", "1").returncode in (0, 1)
    assert store.read_bytes() == written  # the same texts: not written again
    _edit(repo, paths, texts)
    through_store = _check(repo)
    assert store.read_bytes() == written
    assert through_store == _check(repo, no_cache=True)
