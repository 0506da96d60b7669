"""Rebuilds in one process, as `mkdocs serve` makes them (a new configuration per build, the same
plugin object, the theme's templates compiled by the first build and kept in site/jinjamemo.py):
after an entry changed, the second build writes, file for file, what a first build of the changed
repository writes in a new process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import SITE_NOW, site_copy
from test_scale_equivalence import _site_files

TESTS = Path(__file__).resolve().parent
ENTRY = "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md"
OLD = "title: Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long"
NEW = "title: Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long (bản sửa)"

# Two builds as `mkdocs serve` makes them (helpers/servebuild.py), with no stand-in for
# livereload's threads (tests/test_serve_rebuild.py covers the serial paths); between them the
# entry is edited when asked.
SERVE_LIKE = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[7])
from helpers.servebuild import Server
from sangkien.site import jinjamemo

site_dir, edit, report = sys.argv[1], sys.argv[2] == "edit", sys.argv[3]
entry, old, new = sys.argv[4:7]


def held():
    return {key: id(code) for key, (_, _, code) in jinjamemo.MEMO.codes.items()}


server = Server(Path.cwd(), Path(site_dir), threads=False)
one = server.build()
after_one = held()
if edit:
    path = Path(entry)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    two = server.build()
    same_plugin = one.plugins["sangkien"] is two.plugins["sangkien"]
    memo_given = two.plugins["sangkien"].env.bytecode_cache is jinjamemo.MEMO
    Path(report).write_text(json.dumps({"after_one": after_one, "after_two": held(), "same_plugin": same_plugin,
                                        "memo_given": memo_given}), encoding="utf-8")
server.close()
"""


def _serve_like(kho: Path, site: Path, cache: Path, *, edit: bool, report: Path) -> None:
    env = {**os.environ, "SANGKIEN_NOW": SITE_NOW, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8", "SANGKIEN_CACHE_DIR": str(cache)}
    for name in ("SANGKIEN_NO_CACHE", "SANGKIEN_FAST_BUILD"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-c", SERVE_LIKE, str(site), "edit" if edit else "once", str(report), ENTRY, OLD, NEW, str(TESTS)],
                          cwd=kho, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr


def test_a_second_build_in_the_process_equals_a_first_build_of_the_changed_repository(tmp_path: Path) -> None:
    kho = site_copy(tmp_path / "kho")
    report = tmp_path / "memo.json"
    _serve_like(kho, tmp_path / "served", tmp_path / "cache-served", edit=True, report=report)
    memo = json.loads(report.read_text(encoding="utf-8"))
    assert memo["same_plugin"] and memo["memo_given"]
    assert len(memo["after_one"]) >= 10  # the theme's templates, compiled by the first build
    assert memo["after_two"] == memo["after_one"]  # the second build compiled none of them again
    assert NEW in (kho / ENTRY).read_text(encoding="utf-8")
    _serve_like(kho, tmp_path / "fresh", tmp_path / "cache-fresh", edit=False, report=report)
    served, fresh = _site_files(tmp_path / "served"), _site_files(tmp_path / "fresh")
    assert any(rel.endswith(".docx") for rel in served)  # compared by their bytes: Word files are reproducible
    assert sorted(served) == sorted(fresh)
    different = [rel for rel in served if served[rel] != fresh[rel]]
    assert not different, different[:10]
    page = (tmp_path / "served" / "sang-kien" / "so-hoa-ho-so-mot-cua-xa" / "index.html").read_text(encoding="utf-8")
    assert "xã Thành Long (bản sửa)</h1>" in page
