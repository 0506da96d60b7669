"""The hostile corpus (tests/hostile/cases.yaml): broken, legacy, malicious and private input.

Every case is placed in one throw-away copy of the repository (its own file, so cases do not
interfere), the real `sangkien validate` runs over it once, and each case must be reported with
its expected code(s), or, when "neutralised", with no error at all. No run may end in a
traceback or an internal error (exit code 3).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_sangkien
from sangkien.codes import CODES

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES: list[dict] = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))["cases"]


def place_case(root: Path, case: dict) -> None:
    """Put one case where the manifest says, as bytes, a padded file or a symbolic link."""
    target = root / case["place"]
    target.parent.mkdir(parents=True, exist_ok=True)
    if "symlink" in case:
        os.symlink(case["symlink"], target)
    else:
        data = (HOSTILE / case["file"]).read_bytes()
        if "grow" in case:
            last = data.rstrip(b"\n").rsplit(b"\n", 1)[-1] + b"\n"
            data += last * ((case["grow"] - len(data)) // len(last) + 1)
        if "pad" in case:  # the last line continued with `with` up to `to` bytes (one long line)
            fill = case["pad"]["with"].encode("utf-8")
            data = data.rstrip(b"\n")
            data += fill * ((case["pad"]["to"] - len(data)) // len(fill))
        target.write_bytes(data)
    for link, to in (case.get("symlinks") or {}).items():
        os.symlink(to, root / link)


def copy_repository(dest: Path) -> Path:
    dest.mkdir()
    for name in ("entries", "schema"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> dict:
    root = copy_repository(tmp_path_factory.mktemp("hostile") / "kho")
    for case in CASES:
        place_case(root, case)
    done = run_sangkien("validate", "--format", "json", "--root", str(root), cwd=root)
    by_file: dict[str, list[dict]] = {}
    report = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {"problems": []}
    for p in report["problems"]:
        by_file.setdefault(p["file"], []).append(p)
    return {"run": done, "by_file": by_file, "checked": report.get("checked", 0)}


def test_manifest_is_consistent() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    places = [c["place"] for c in CASES]
    assert len(places) == len(set(places)), "each case needs its own place"
    for case in CASES:
        assert (HOSTILE / case["file"]).is_file(), case["id"]
        expect = case["expect"]
        assert expect == "neutralised" or (isinstance(expect, list) and expect and all(code in CODES for code in expect)), case["id"]
        assert all(code in CODES for code in case.get("forbid", [])), case["id"]


def test_corpus_runs_without_a_traceback(outcome, capsys) -> None:
    done = outcome["run"]
    assert "Traceback" not in done.stderr and "Lỗi nội bộ" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])  # errors found, not a crash (3)
    refused = sum(1 for c in CASES if c["expect"] != "neutralised")
    with capsys.disabled():
        print(f"\nKho thử đầu vào xấu: {len(CASES)} trường hợp ({refused} bị từ chối hoặc cảnh báo có mã, "
              f"{len(CASES) - refused} được vô hiệu hóa); sangkien validate đã kiểm tra {outcome['checked']} tệp.")
    assert len(CASES) >= 100


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict, outcome) -> None:
    found = outcome["by_file"].get(case["place"], [])
    codes = {p["code"] for p in found}
    errors = {p["code"] for p in found if p["severity"] == "error"}
    shown = "\n".join(f"{p['code']} {p['line']}:{p['column']} {p['message']}" for p in found) or "(không có vấn đề nào)"
    if case["expect"] == "neutralised":
        assert not errors, shown
    else:
        missing = set(case["expect"]) - codes
        assert not missing, f"thiếu {sorted(missing)}:\n{shown}"
        assert errors <= set(case["expect"]), f"lỗi ngoài dự kiến {sorted(errors - set(case['expect']))}:\n{shown}"
        for p in found:
            if p["code"] in case["expect"]:  # each is a coded Vietnamese problem with a place and a fix
                assert p["line"] >= 1 and "Cách sửa:" in p["message"], p
    assert not codes & set(case.get("forbid", [])), shown
    for link in case.get("symlinks", {}):
        assert "SK008" in {p["code"] for p in outcome["by_file"].get(link, [])}, link


def test_other_files_are_untouched_by_the_corpus(outcome) -> None:
    """The repository's own files stay valid next to the hostile ones: no case leaks into them."""
    places = {c["place"] for c in CASES} | {link for c in CASES for link in c.get("symlinks", {})}
    leaked = [p for f, ps in outcome["by_file"].items() for p in ps
              if p["severity"] == "error" and f not in places and not any(f.startswith(x + "/") for x in places)
              and not f.startswith("entries/yaml-several-documents")]
    assert not leaked, leaked[:5]
