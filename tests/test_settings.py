"""The SANGKIEN_* environment variables (settings.py), the shared cache helper (cachedir.py), and
`validate --trusted`, which uses a cache only from a folder outside the tree it judges."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ROOT, TempRepo
from sangkien import cache, cachedir, parallel, settings

NAMES = (settings.NOW, settings.NO_CACHE, settings.CACHE_DIR, settings.JOBS, settings.FAST_BUILD)


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    settings.enable_cache()
    yield
    settings.enable_cache()


def test_now_is_the_clock_or_the_override(monkeypatch):
    assert abs(settings.now() - datetime.now(UTC)) < timedelta(seconds=5) and settings.now().utcoffset() is not None
    assert settings.now_override() is None
    monkeypatch.setenv(settings.NOW, " 2024-06-01T09:00:00+07:00 ")
    assert settings.now() == datetime(2024, 6, 1, 2, 0, tzinfo=UTC) and settings.now().utcoffset() == timedelta(hours=7)
    monkeypatch.setenv(settings.NOW, "2024-06-25T17:00:00Z")
    assert settings.now() == datetime(2024, 6, 25, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize("raw", ["25/06/2024", "2024-06-01T09:00:00", "ngày mai", "1800-01-01T00:00:00+07:00"])
def test_an_unusable_now_is_refused_in_vietnamese(monkeypatch, raw):
    monkeypatch.setenv(settings.NOW, raw)
    with pytest.raises(settings.SettingError) as caught:
        settings.now()
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == (f"Biến môi trường SANGKIEN_NOW={raw!r} không phải thời điểm hợp lệ. "
                                 "Ghi theo ISO 8601 có múi giờ, ví dụ 2024-06-01T09:00:00+07:00.")


def test_cache_switches(monkeypatch):
    assert settings.cache_enabled() and cache.enabled() and cachedir.enabled()
    monkeypatch.setenv(settings.NO_CACHE, "1")
    assert not settings.cache_enabled() and not cache.enabled()
    monkeypatch.delenv(settings.NO_CACHE)
    settings.disable_cache()
    assert not settings.cache_enabled() and not cache.enabled() and settings.NO_CACHE not in os.environ
    assert cache.Store.open(Path("/nonexistent"), "k").path is None
    settings.enable_cache()
    assert settings.cache_enabled()


@pytest.mark.parametrize(("raw", "jobs"), [("3", 3), (" 1 ", 1), ("0", None), ("-2", None), ("bốn", None), ("", None)])
def test_jobs(monkeypatch, raw, jobs):
    monkeypatch.setenv(settings.JOBS, raw)
    assert settings.jobs() == jobs
    if jobs is not None:
        assert parallel.cores() == jobs


def test_fast_build(monkeypatch):
    assert settings.fast_build()
    monkeypatch.setenv(settings.FAST_BUILD, "0")
    assert not settings.fast_build()
    monkeypatch.setenv(settings.FAST_BUILD, "1")
    assert settings.fast_build()


def test_cache_folder_default_and_outside(monkeypatch, tmp_path):
    root = tmp_path / "kho"
    assert cachedir.folder(root) == root / ".sangkien-cache" and cache.location(root) == root / ".sangkien-cache" / "validate.sqlite3"
    assert cache.Store(root / cache.DIR / cache.NAME, "k").path == root / ".sangkien-cache" / "validate.sqlite3"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(settings.CACHE_DIR, "ngoai")
    outside = tmp_path / "ngoai"
    assert settings.cache_dir() == outside and cachedir.folder(root) == outside
    assert cache.location(root) == outside / "validate.sqlite3"
    # a caller that still builds the default path gets the chosen folder
    assert cache.Store(root / cache.DIR / cache.NAME, "k").path == outside / "validate.sqlite3"
    assert cachedir.relocate(root / "khac" / "tep") == root / "khac" / "tep"
    assert cachedir.inside(root / "a" / ".." / "b", root) and cachedir.inside(root, root) and not cachedir.inside(outside, root)


def test_make_ignores_itself_and_writes_are_whole(tmp_path):
    folder = cachedir.make(tmp_path / "c")
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    for durable in (True, False):
        cachedir.write_text(folder / "sub" / "a.txt", f"nội dung {durable}", durable=durable)
        assert (folder / "sub" / "a.txt").read_text(encoding="utf-8") == f"nội dung {durable}"
    assert sorted(p.name for p in (folder / "sub").iterdir()) == ["a.txt"]  # no temporary file left


def test_racy_time_rule():
    s = 1_000_000_000
    assert cachedir.settled(10 * s, 9 * s, 14 * s) and not cachedir.settled(10 * s, 9 * s, 12 * s)
    assert not cachedir.settled(9 * s, 12 * s, 14 * s)  # the inode's change time counts too
    assert cachedir.too_fresh(10 * s, 0, 11 * s) and not cachedir.too_fresh(10 * s, 0, 11 * s, window=0)


def test_keys_do_not_depend_on_where_code_and_schemas_are(tmp_path):
    """Two copies of the package and of the schemas in other folders, other times: same keys."""
    keys = []
    for n in (1, 2):
        code = tmp_path / f"may-{n}" / "lib"
        shutil.copytree(ROOT / "tools" / "sangkien", code / "sangkien", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "schema", tmp_path / f"may-{n}" / "schema")
        os.utime(code / "sangkien" / "cache.py", ns=(n * 10**18, n * 10**18))
        done = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; from sangkien import cache; "
                               "print(cache.__file__, cache.code_key(), cache.folder_key(Path(sys.argv[1])))", str(tmp_path / f"may-{n}" / "schema")],
                              env={**os.environ, "PYTHONPATH": str(code)}, capture_output=True, text=True, check=True)
        where, code_key, schema_key = done.stdout.split()
        assert where.startswith(str(code))
        keys.append((code_key, schema_key))
    assert keys[0] == keys[1] == (cache.code_key(), cache.folder_key(ROOT / "schema"))


# ----------------------------------------------------------------- validate --trusted and the cache folder

def trusted(repo: TempRepo, cache_dir: Path | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANGKIEN_")}
    env["PYTHONIOENCODING"] = "utf-8"
    if cache_dir is not None:
        env[settings.CACHE_DIR] = str(cache_dir)
    return subprocess.run([sys.executable, "-m", "sangkien", "validate", "--trusted", "--root", str(repo.path), "--base", "HEAD",
                           "--actor", "anbinh-demo", "--format", "json"], cwd=repo.path.parent, env=env, capture_output=True, text=True,
                          check=False)


def test_trusted_check_uses_only_a_cache_folder_outside_the_tree(repo, tmp_path):
    plain = trusted(repo, None)
    assert plain.returncode in (0, 1), plain.stderr
    assert not (repo.path / ".sangkien-cache").exists()
    inside = trusted(repo, repo.path / "bo-nho-dem")
    assert inside.stdout == plain.stdout and "Không dùng bộ nhớ đệm" in inside.stderr
    assert not (repo.path / "bo-nho-dem").exists() and not (repo.path / ".sangkien-cache").exists()
    outside = tmp_path / "ngoai"
    for _ in range(2):
        done = trusted(repo, outside)
        assert done.stdout == plain.stdout and done.stderr == ""
    assert (outside / "validate.sqlite3").is_file() and (outside / ".gitignore").is_file()
    assert not (repo.path / ".sangkien-cache").exists()


def test_every_store_follows_the_cache_folder_and_the_switch(monkeypatch, tmp_path):
    from sangkien.novelty import cache as novelty_cache
    from sangkien.site import buildcache

    root = tmp_path / "kho"
    root.mkdir()
    assert buildcache.location(root) == root / ".sangkien-cache" / "site"
    outside = tmp_path / "ngoai"
    monkeypatch.setenv(settings.CACHE_DIR, str(outside))
    assert buildcache.location(root) == outside / "site" and buildcache.enabled()
    assert buildcache.Memo(root, "k").path == outside / "site" / "markdown.sqlite3"
    pages = buildcache.Pages(root)
    pages.write("ab" * 16, "<p>trang</p>")
    assert pages.read("ab" * 16) == "<p>trang</p>" and (outside / ".gitignore").is_file()
    assert novelty_cache._location(root) == outside / "novelty-cache.npz"
    monkeypatch.setenv(settings.FAST_BUILD, "0")
    assert not buildcache.enabled()
    monkeypatch.delenv(settings.FAST_BUILD)
    settings.disable_cache()
    assert not buildcache.enabled() and buildcache.Memo(root, "k").path is None and novelty_cache._location(root) is None
    assert not (root / ".sangkien-cache").exists()
