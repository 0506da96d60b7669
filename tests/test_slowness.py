"""Issue 13: no rule and no Markdown rendering may grow faster than linearly with its input.

A short run of the slowness harness (tests/helpers/slowness.py, whose full run and recorded table are in
dev/fuzzing.md), and one generous denial-of-service guard per pathological case through the real
command line: a 500 KB file ends with its coded error within seconds (it took minutes, or never
ended, before).
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_sangkien
from helpers import slowness


@pytest.mark.parametrize("construct", slowness.CONSTRUCTS, ids=[c.name for c in slowness.CONSTRUCTS])
def test_cost_grows_linearly(construct: slowness.Construct) -> None:
    sizes = [8_000, 16_000, 32_000]
    row = slowness.measure(construct, sizes, cap=5.0)
    if row.failing("check") or row.failing("render"):  # two shared cores: a busy moment is not growth; measure again
        row = slowness.measure(construct, sizes, cap=5.0, repeats=5)
    shown = f"kiểm tra {row.check}, dựng {row.render}, k = {row.k('check'):.2f} / {row.k('render'):.2f}"
    assert not row.failing("check"), shown
    assert not row.failing("render"), shown
    assert all(t < 5.0 for _, t in row.check + row.render), shown


def test_the_harness_can_fail() -> None:
    """A quadratic cost is reported as one (the exponent fit is not vacuous)."""
    quadratic = slowness.Row(slowness.CONSTRUCTS[0], [(10_000, 0.1), (20_000, 0.4), (40_000, 1.6)], [], set())
    assert quadratic.k("check") == pytest.approx(2.0) and quadratic.failing("check")
    linear = slowness.Row(slowness.CONSTRUCTS[0], [(10_000, 0.1), (20_000, 0.2), (40_000, 0.4)], [], set())
    assert not linear.failing("check")


GUARDS = {  # name -> (last line of the body, how it grows, expected codes)
    "html-a-spaces": ("<a", " ", {"SK511", "SK020"}),
    "unclosed-brackets": ("[a [b [c [d [e [f [g [h [i [j [k [l [m [n [o [p [q [r [s [t", "\n", {"SK520"}),
    "heading-run": ("# a", "\n", {"SK520"}),
}


@pytest.mark.parametrize("name", sorted(GUARDS))
def test_pathological_500_kb_file_ends_with_its_code_within_seconds(name: str, tmp_path: Path) -> None:
    last, grow, codes = GUARDS[name]
    for folder in ("entries", "schema"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    raw = slowness.entry(slowness.CONSTRUCTS[0], 10).decode("utf-8").rsplit("\n", 2)[0] + "\n" + last
    size = 500_000
    if grow == "\n":  # the last line repeated (one paragraph)
        raw += ("\n" + last) * ((size - len(raw.encode())) // (len(last.encode()) + 1))
    else:  # the last line continued
        raw += grow * (size - len(raw.encode()))
    rel = "entries/chau-thanh-2024/tn-ct-an-binh/thu-do-cham.md"
    (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / rel).write_text(raw, encoding="utf-8")
    assert 480_000 < (tmp_path / rel).stat().st_size <= 512 * 1024
    started = time.perf_counter()
    done = run_sangkien("validate", "--format", "json", "--root", str(tmp_path), rel, cwd=tmp_path)
    elapsed = time.perf_counter() - started
    assert "Traceback" not in done.stderr
    found = {p["code"] for p in json.loads(done.stdout)["problems"] if p["file"] == rel}
    assert codes <= found, found
    assert elapsed < 5.0, f"{elapsed:.1f} s"  # denial-of-service guard: minutes before issue 13
