"""The site's model and the files it leaves out (site/context.load_site) taken from the
validator's last full run when it can answer (nothing changed, or only a few entries) must be
exactly those of the computation with no cache: the whole repository's rules on the tree as it
is, judged at the later of the build's "now" and the clock.

One repository goes through a sequence of edits (an entry with an error, the same fixed, a
decision referring to a missing entry, a future date, a build pinned after it, a unit renamed,
a title changed); after each, load_site with the cache is compared with load_site without it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import synthrepo
from sangkien import rules, validator, vntime
from sangkien.site.context import Site, load_site

AT = vntime.parse_instant("2024-09-01T09:00:00+07:00")
LATER = vntime.parse_instant("2031-01-01T09:00:00+07:00")  # after the future date set below


seed, kho = synthrepo.fixtures(40, words=60)


def snapshot(site: Site) -> dict[str, Any]:
    """Everything load_site gives the pages: the files left out with their problems, and the model
    (every entry's data and body read in full, whether it came from its facts or its file)."""
    repo = site.repo
    return {
        "skipped": {f: [(p.code, p.line, p.column, p.message) for p in ps] for f, ps in sorted(site.skipped.items())},
        "entries": [(e.id, e.kind, e.path, list(e.data.items()), e.body) for _, e in sorted(repo.entries.items())],
        "units": sorted(repo.units), "campaigns": sorted(repo.campaigns), "decisions": sorted(repo.decisions),
        "replications": sorted(repo.replications), "hashes": sorted(site.hashes.items()),
    }


def compare(root: Path, now: datetime, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    cached = snapshot(load_site(root, now))
    assert snapshot(load_site(root, now, recorded=False)) == cached  # as `mkdocs serve` loads
    with monkeypatch.context() as m:
        m.setenv("SANGKIEN_NO_CACHE", "1")
        plain = snapshot(load_site(root, now))
    assert cached == plain
    return cached


DECISIONS = "entries/chau-thanh-2024/decisions.yaml"


def codes(found: dict[str, Any], file: str) -> set[str]:
    return {code for code, *_ in found["skipped"].get(file, [])}


def entry(root: Path, name: str) -> Path:
    return next(root.glob(f"entries/chau-thanh-2024/*/{name}.md"))


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_sequence_of_edits_leaves_out_the_files_a_build_without_cache_leaves_out(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[int] = []
    run_rules = rules.run
    monkeypatch.setattr(rules, "run", lambda *args: ran.append(1) or run_rules(*args))
    first = compare(kho, AT, monkeypatch)  # no record yet: the full computation, recorded
    assert first["skipped"] == {}
    ran.clear()
    assert compare(kho, AT, monkeypatch) == first  # nothing changed: the record answers
    assert len(ran) == 2, "the rules ran with nothing changed"  # only without cache, and without the record

    target = entry(kho, "bn-ct-00003")
    original = target.read_text(encoding="utf-8")
    replace(target, "campaign: chau-thanh-2024", "campaign: dot-khong-co")  # an entry with an error
    broken = compare(kho, AT, monkeypatch)
    assert target.relative_to(kho).as_posix() in broken["skipped"]
    target.write_text(original, encoding="utf-8")  # fixed
    assert compare(kho, AT, monkeypatch)["skipped"] == {}

    missing = entry(kho, "bn-ct-00006")
    kept = missing.read_text(encoding="utf-8")
    missing.unlink()  # a recognition now refers to an entry that is not there
    assert DECISIONS in compare(kho, AT, monkeypatch)["skipped"]
    missing.write_text(kept, encoding="utf-8")
    assert compare(kho, AT, monkeypatch)["skipped"] == {}

    replace(kho / DECISIONS, "date: '2024-08-15'", "date: '2029-08-15'")  # a decision dated after today
    validator.validate(kho, at=vntime.now())  # recorded, judged today
    assert "SK410" in codes(compare(kho, AT, monkeypatch), DECISIONS)
    assert "SK410" not in codes(compare(kho, LATER, monkeypatch), DECISIONS)  # a build pinned after it
    assert "SK410" in codes(compare(kho, AT, monkeypatch), DECISIONS)  # and back to today
    validator.validate(kho, at=LATER)  # recorded, judged after the date
    assert "SK410" in codes(compare(kho, AT, monkeypatch), DECISIONS)
    replace(kho / DECISIONS, "date: '2029-08-15'", "date: '2024-08-15'")
    future = entry(kho, "bn-ct-00021")
    replace(future, 'submitted: "2024-', 'submitted: "2029-')  # a submission dated after today (and the unit's end)
    assert future.relative_to(kho).as_posix() in compare(kho, AT, monkeypatch)["skipped"]
    compare(kho, LATER, monkeypatch)
    compare(kho, AT, monkeypatch)

    replace(kho / "entries/units.yaml", "- id: tn-ct-an-binh\n", "- id: tn-ct-an-binh-moi\n")  # a unit renamed
    assert compare(kho, AT, monkeypatch)["skipped"]
    replace(entry(kho, "bn-ct-00033"), "title: ", 'title: "Tên mới" #')  # one title changed
    compare(kho, AT, monkeypatch)
    validator.validate(kho, at=max(AT, vntime.now()))  # CI's check records the tree as it is now
    ran.clear()
    compare(kho, AT, monkeypatch)
    assert len(ran) == 2, "the rules ran on a tree the validator has just judged"


def test_a_large_build_shares_equal_short_strings_and_gives_the_same_model(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From SHARE_FROM_FILES files (0 here) equal short values become one object: the model is
    the same, the strings fewer."""
    from sangkien import filecheck
    from sangkien.site import context

    filecheck.keep_decoded(False)  # a serve-like load above keeps decoded rows: both loads would hold the same data
    plain = load_site(kho, AT)
    monkeypatch.setattr(context, "SHARE_FROM_FILES", 0)
    shared = load_site(kho, AT)
    assert snapshot(shared) == snapshot(plain)
    campaigns = [e.data["campaign"] for e in shared.repo.entries.values() if e.data.get("campaign") == "chau-thanh-2024"]
    assert len(campaigns) > 10 and len({id(c) for c in campaigns}) == 1
    before = [e.data["campaign"] for e in plain.repo.entries.values() if e.data.get("campaign") == "chau-thanh-2024"]
    assert len({id(c) for c in before}) > 1  # decoded one by one without it
