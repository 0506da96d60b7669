"""Incremental runs: after a full run, a repository that differs only in entries, replication
records or attachments is checked by reading again only what the change can affect
(runmemo.plan). Whatever the change, the report must be exactly that of a run with no cache.

A seeded random walk of edits (new titles, colliding and fresh ids, deleted and copied entries,
broken front matter, missing campaigns, attachments of the wrong type, replication records
pointed elsewhere, personal data, a decisions file edited) is applied to one repository; after
each edit the cached run and the uncached run are compared, with and without a change set.
"""

from __future__ import annotations

import random
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import git
from helpers import synthrepo
from sangkien import cache, filecheck, runmemo, validator, vntime

AT = vntime.parse_instant("2024-06-01T09:00:00+07:00")


seed, kho = synthrepo.fixtures(80, words=120)


def report(root: Path, base: str | None) -> tuple[list[tuple[str, str, int, int, str]], int]:
    found = validator.validate(root, base=base, at=AT)
    return [(p.code, p.file, p.line, p.column, p.message) for p in found.problems], found.checked


def uncached(root: Path, base: str | None, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[str, str, int, int, str]], int]:
    with monkeypatch.context() as m:
        m.setenv("SANGKIEN_NO_CACHE", "1")
        return report(root, base)


# ----------------------------------------------------------------- edits
def entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / "entries").glob("*/*/*.md") if "replications" not in p.parts)


def front(path: Path, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    if re.search(rf"^{key}:.*$", text, flags=re.M):
        text = re.sub(rf"^{key}:.*$", f"{key}: {value}", text, count=1, flags=re.M)
    else:
        text = text.replace("---\n", f"---\n{key}: {value}\n", 1)
    path.write_text(text, encoding="utf-8")


def id_of(path: Path) -> str:
    found = re.search(r"^id: *(.+)$", path.read_text(encoding="utf-8"), flags=re.M)
    return found.group(1).strip().strip('"') if found else path.stem


def retitle(root: Path, rng: random.Random) -> str:
    target = rng.choice(entries(root))
    front(target, "title", f'"Số hóa hồ sơ lần {rng.randrange(10**6)}"')
    return f"retitle {target.name}"


def collide(root: Path, rng: random.Random) -> str:
    target, other = rng.sample(entries(root), 2)
    front(target, "id", id_of(other))
    return f"id of {target.name} := id of {other.name}"


def fresh_id(root: Path, rng: random.Random) -> str:
    target = rng.choice(entries(root))
    front(target, "id", f"moi-{rng.randrange(10**6)}")
    return f"fresh id for {target.name}"


def delete(root: Path, rng: random.Random) -> str:
    target = rng.choice(entries(root))
    target.unlink()
    return f"delete {target.name}"


def copy(root: Path, rng: random.Random) -> str:
    source = rng.choice(entries(root))
    twin = source.with_name(f"ban-sao-{rng.randrange(10**6)}.md")
    shutil.copy2(source, twin)
    return f"copy {source.name} -> {twin.name}"


def broken(root: Path, rng: random.Random) -> str:
    target = rng.choice(entries(root))
    target.write_text("---\ntitle: [chưa đóng\n---\n\nNội dung.\n", encoding="utf-8")
    return f"break {target.name}"


def no_campaign(root: Path, rng: random.Random) -> str:
    target = rng.choice(entries(root))
    front(target, "campaign", "dot-khong-co")
    return f"campaign of {target.name} := dot-khong-co"


def personal(root: Path, rng: random.Random) -> str:
    target = rng.choice(entries(root))
    front(target, "summary", '"Liên hệ anh Nam, số 0912 345 678, để biết thêm."')
    return f"phone number in {target.name}"


def attachment(root: Path, rng: random.Random) -> str:
    folder = rng.choice(entries(root)).parent
    name = f"tep-{rng.randrange(10**6)}.pdf"
    (folder / name).write_bytes(rng.choice([b"%PDF-1.4\n%\xe2\xe3\n", b"\x89PNG\r\n\x1a\n0000"]))
    return f"attachment {folder.name}/{name}"


def referenced_attachment(root: Path, rng: random.Random) -> str:
    target = rng.choice(entries(root))
    text = target.read_text(encoding="utf-8")
    name = f"phu-luc-{rng.randrange(10**6)}.pdf"
    target.write_text(text.replace("---\n", f"---\nattachments:\n  - file: {name}\n    title: Phụ lục\n", 1), encoding="utf-8")
    if rng.random() < 0.5:
        (target.parent / name).write_bytes(b"%PDF-1.4\n")
    return f"{target.name} lists {name}"


def replication(root: Path, rng: random.Random) -> str:
    records = sorted((root / "entries" / "replications").glob("*/*.md"))
    if not records:
        return "no replication record"
    target = rng.choice(records)
    front(target, "initiative", id_of(rng.choice(entries(root))))
    return f"replication {target.name} points elsewhere"


def decisions(root: Path, rng: random.Random) -> str:
    target = rng.choice(sorted((root / "entries").glob("*/decisions.yaml")))
    target.write_text(target.read_text(encoding="utf-8") + f"# ghi chú {rng.randrange(10**6)}\n", encoding="utf-8")
    return f"comment in {target.parent.name}/decisions.yaml"


EDITS: list[Callable[[Path, random.Random], str]] = [retitle, retitle, collide, fresh_id, delete, copy, broken, no_campaign, personal,
                                                      attachment, referenced_attachment, replication, decisions]


# ----------------------------------------------------------------- the walk
@pytest.mark.parametrize("seed_number", [1, 2, 3, 4])
def test_a_random_walk_of_edits_gives_the_uncached_report_at_every_step(kho: Path, seed_number: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed_number)
    planned: list[bool] = []
    original = runmemo.plan

    def watched(now: runmemo.Tree, last: runmemo.LastRun, judged: set[str]) -> runmemo.Plan | None:
        found = original(now, last, judged)
        planned.append(found is not None and bool(found.skip))
        return found

    monkeypatch.setattr(runmemo, "plan", watched)
    assert report(kho, None) == uncached(kho, None, monkeypatch)  # the first, full run is recorded
    done = []
    for _ in range(10):
        done.append(rng.choice(EDITS)(kho, rng))
        base = "HEAD" if rng.random() < 0.5 else None
        assert report(kho, base) == uncached(kho, base, monkeypatch), done
    assert any(planned), "no edit was checked incrementally"


def test_an_incremental_run_checks_only_what_the_change_can_affect(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    time.sleep(cache.RACY_NS / 1e9 + 0.2)  # files copied just now are read again until then (cachedir.settled)
    report(kho, "HEAD")  # records the full run, and fills the novelty check's feature cache as CI's cache would
    seen: list[str] = []
    original = filecheck._check

    def counting(task: filecheck.Task) -> object:
        seen.append(task.rel)
        return original(task)

    monkeypatch.setattr(filecheck, "_check", counting)
    initiatives = [p for p in entries(kho) if "kind: thi-dua" not in (p.parents[1] / "campaign.yaml").read_text(encoding="utf-8")]
    target = initiatives[5]
    front(target, "title", '"Một tiêu đề mới cho bài thử"')
    cached = report(kho, "HEAD")
    checked = set(seen)
    seen.clear()
    assert cached == uncached(kho, "HEAD", monkeypatch)
    seen.clear()
    assert report(kho, "HEAD") == cached
    rel = target.relative_to(kho).as_posix()
    assert rel in checked  # the changed file itself, read and checked again (it is in the change set)
    others = [p.relative_to(kho).as_posix() for p in initiatives if p != target]
    assert len(others) > 80 and not [r for r in others if r in checked]  # no other initiative: they share nothing with it
    assert seen == [rel]  # the same change set again: only the file the change set names


def test_a_committed_tree_is_still_judged_from_git(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The change set comes from Git, not from the last run: a change committed after the last
    run is still a change set against its base."""
    report(kho, None)
    target = entries(kho)[3]
    front(target, "title", '"Tiêu đề sửa rồi commit"')
    git(kho, "commit", "-qam", "sửa tiêu đề")
    assert report(kho, "HEAD~1") == uncached(kho, "HEAD~1", monkeypatch)


def test_a_change_set_checked_from_a_plan_leaves_the_last_full_run_as_it_was(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`validate --base` with a plan does not rewrite the record (10,000 entries' facts): every
    later run plans from the last full run, over all that changed since, and still gives the
    uncached report; a run without a change set records itself again."""
    from sangkien import loader

    def recorded() -> str | None:
        found = cache.Store(cache.location(kho), loader.cache_key(kho)).last_run()
        return found[0] if found is not None else None

    monkeypatch.setenv("SANGKIEN_NOW", "2024-06-01T09:00:00+07:00")  # a change set is judged on the same day as the full run
    time.sleep(cache.RACY_NS / 1e9 + 0.2)
    report(kho, None)
    first = recorded()
    assert first is not None
    rng = random.Random(7)
    done = []
    for edit in (retitle, personal, retitle, collide, fresh_id):
        done.append(edit(kho, rng))
        assert report(kho, "HEAD") == uncached(kho, "HEAD", monkeypatch), done
        assert recorded() == first, done  # planned from the full run: its record stays
    assert report(kho, None) == uncached(kho, None, monkeypatch)
    assert recorded() not in (None, first)  # a run without a change set records the tree as it is now
    done.append(retitle(kho, rng))
    assert report(kho, "HEAD") == uncached(kho, "HEAD", monkeypatch), done
