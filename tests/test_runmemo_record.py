"""The last full run's record (runmemo.remember / last_run): its inputs, written by position in
the list of files, read back as the run saw them; a record of an older layout is not used."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from helpers import synthrepo
from sangkien import cache, loader, runmemo, validator, vntime

AT = vntime.parse_instant("2024-06-01T09:00:00+07:00")


seed, kho = synthrepo.fixtures(30, words=60)


def _without_id(root: Path) -> str:
    """An entry whose id is its file name (no `id:` line; an id that is not text is left out of
    its data alike)."""
    first = sorted(p for p in (root / "entries").glob("*/*/*.md") if "replications" not in p.parts)[0]
    first.write_text(re.sub(r"^id:.*\n", "", first.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    return first.relative_to(root).as_posix()


def test_the_record_gives_back_what_the_full_run_saw(kho: Path) -> None:
    named = _without_id(kho)
    validator.validate(kho, at=AT)  # the full run, recorded
    seen = loader.load(kho)
    last = runmemo.last_run(kho)
    assert last is not None
    assert last.files == seen.files and last.links == seen.links and last.gitlinks == seen.gitlinks
    assert last.hashes == seen.hashes and last.attachments == seen.stamps
    assert last.facts == seen.facts
    assert last.facts[named].id == Path(named).stem and "id" not in last.facts[named].fields
    assert all(f.fields["id"] == f.id for rel, f in last.facts.items() if rel != named)


def test_a_record_of_the_older_layout_is_not_used(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = validator.validate(kho, at=AT)
    where = cache.location(kho)
    with sqlite3.connect(where) as db:
        inputs = json.loads(db.execute("SELECT inputs FROM runs").fetchone()[0])
        files = inputs["files"]
        older = {**inputs, "hashes": dict(zip(files, inputs["hashes"], strict=True)),
                 "facts": {files[n]: [i, k, f] for n, i, k, f in inputs["facts"]}}
        del older["format"]
        db.execute("UPDATE runs SET inputs = ?", (json.dumps(older, ensure_ascii=False),))
    assert runmemo.last_run(kho) is None
    entry = sorted((kho / "entries").glob("*/*/*.md"))[3]
    entry.write_text(entry.read_text(encoding="utf-8").replace("title:", "title: Sửa", 1), encoding="utf-8")
    again = validator.validate(kho, at=AT)
    with monkeypatch.context() as m:
        m.setenv("SANGKIEN_NO_CACHE", "1")
        plain = validator.validate(kho, at=AT)
    assert again.problems == plain.problems and again.checked == plain.checked == first.checked
    assert runmemo.last_run(kho) is not None  # the full run wrote the record again, in the new layout

