"""`mkdocs serve`'s model load (site/context.load_site(recorded=False)) brought up to date from
the files that changed since the last load in the same process (loadmemo.py): after each change
of a sequence, its result equals a load in a fresh process with no cache at all (the problems of
the files left out, the whole model in its order, the recognitions, the public set, the hashes).

Each step also says which way the process went: only the changed part read again ("part"),
nothing read ("none"), or a full load ("full", for a change the part cannot take: the registry, a
campaign, decisions, a reference day across a date the future-date rule compares), so a memo that
always loads in full, or never does, fails here too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from sangkien import cache, filecheck, loader, loadmemo, vntime
from sangkien.site.context import Site, load_site

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

NOW = "2026-12-10T10:00:00+07:00"
CAMPAIGN = "entries/chau-thanh-2024"
RECOGNISED = f"{CAMPAIGN}/tn-ct-dong-khoi/to-cong-nghe-so-ho-tro-dich-vu-cong-tai-ap.md"  # named by a decision and a record
RECORD = "entries/replications/tn-ct-an-binh/to-cong-nghe-so-ho-tro-dich-vu-cong-tai-ap-an-binh.md"
FUTURE = "entries/y-te-ninh-thuan-2025/kh-bvdk-ninh-thuan/hen-gio-kham-va-tra-ket-qua-can-lam-sang-qua-tin-nhan.md"
SETTLED_NS = 100_000_000
NOMINATION = "entries/ba-ria-vung-tau-2023/brvt-tx-phu-my/khen-chu-tich-ubnd-tx-phu-my-2023.md"  # recognised, thi đua


def snapshot(site: Site) -> Any:
    """Everything a load gives the pages, as JSON: dictionaries in their order, every entry's data
    and body read in full, each problem with its place and words."""
    repo = site.repo
    entries = [*repo.entries.values(), *repo.replications.values()]
    shot = {
        "skipped": [[f, [[p.code, p.severity, p.line, p.column, p.detail, p.at, p.key] for p in ps]] for f, ps in site.skipped.items()],
        "entries": [[key, e.id, e.kind, e.path, e.data, e.body, e.body_line] for key, e in repo.entries.items()],
        "replications": [[key, e.id, e.kind, e.path, e.data, e.body] for key, e in repo.replications.items()],
        "units": [[key, u.id, u.path, u.data] for key, u in repo.units.items()],
        "campaigns": [[key, c.id, c.path, c.data] for key, c in repo.campaigns.items()],
        "decisions": [[key, d.campaign, d.path, d.data] for key, d in repo.decisions.items()],
        "people": [repo.organisers, repo.council],
        "recognitions": [[e.id, [[r.number, r.day, r.campaign, r.revoked, line] for r, line in site.recognitions(e.id)]] for e in entries],
        "public": [e.id for e in site.public_entries()],
        "hashes": list(site.hashes.items()),
    }
    return json.loads(json.dumps(shot, ensure_ascii=False, default=str))


FRESH = """
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/helpers"]
from pathlib import Path
from sangkien import vntime
from sangkien.site.context import load_site
from test_serve_load_incremental import snapshot
print(json.dumps(snapshot(load_site(Path(sys.argv[2]), vntime.parse_instant(sys.argv[3]))), ensure_ascii=False))
"""


def fresh(root: Path, now: str) -> Any:
    """The same tree loaded by a new process with no cache (as a first `mkdocs build` loads it)."""
    env = {**os.environ, "SANGKIEN_NO_CACHE": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("SANGKIEN_CACHE_DIR", None)
    done = subprocess.run([sys.executable, "-c", FRESH, str(ROOT / "tests"), str(root), now], capture_output=True, text=True,
                          env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture
def kho(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = tmp_path / "kho"
    synth.generate(root, 40, words=40, git=False)
    for name in ("SANGKIEN_NO_CACHE", "SANGKIEN_JOBS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SANGKIEN_CACHE_DIR", str(tmp_path / "cache"))
    # A file changed less than the racy-time window (3 s) before a load is read again at the next
    # one (cachedir.py). Here the window is 0.1 s and each load waits a little longer after the
    # step's edits (Serve.check), so that each step reads again exactly what it changed, as a
    # server does once the files it did not change have settled.
    monkeypatch.setattr(cache, "RACY_NS", SETTLED_NS)
    yield root
    loadmemo.forget()
    filecheck.keep_decoded(False)  # this test's process is not a server once it ends


class Serve:
    """Loads as `mkdocs serve` does, counting the loader's full and partial reads."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.reads: list[str] = []
        real = loader.load

        def counted(*args: Any, **kwargs: Any) -> loader.Loaded:
            self.reads.append("part" if kwargs.get("tree") is not None else "full")
            return real(*args, **kwargs)

        monkeypatch.setattr(loader, "load", counted)

    def check(self, way: str, now: str = NOW) -> Any:
        """Load once the step's edits have settled; the way it went; the result equal to a fresh
        process's."""
        self.reads.clear()
        settled()
        mine = snapshot(load_site(self.root, vntime.parse_instant(now), recorded=False))
        went = "full" if "full" in self.reads else "part" if self.reads else "none"
        assert went == way, self.reads
        assert mine == fresh(self.root, now)
        return mine


def settled() -> None:
    """Wait until the files just written have settled (a wait, not a measure)."""
    time.sleep(1.5 * SETTLED_NS / 1e9)


def unsettled(path: Path) -> None:
    """Date the file a minute ahead: it counts as changed at every load until then, as one saved
    within the racy-time window of a load does (without a test depending on how fast it runs)."""
    ahead = time.time_ns() + 60 * 10**9
    os.utime(path, ns=(ahead, ahead))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def skipped(shot: Any) -> dict[str, set[str]]:
    return {f: {p[0] for p in ps} for f, ps in shot["skipped"]}


def test_a_sequence_of_changes_loads_what_a_fresh_process_loads(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serve = Serve(kho, monkeypatch)
    first = serve.check("full")
    assert skipped(first) == {}
    assert serve.check("none") == first  # nothing changed

    recognised = kho / RECOGNISED
    original = recognised.read_text(encoding="utf-8")
    edit(recognised, "\ntitle: ", '\ntitle: "Tên mới của bài" #')  # retitled: its record's target, the public set
    assert serve.check("part") != first
    edit(recognised, "campaign: chau-thanh-2024", "campaign: dot-khong-co")  # an error: the decision now names a missing entry
    broken = skipped(serve.check("part"))
    assert "SK211" in broken[RECOGNISED] and "SK305" in broken[f"{CAMPAIGN}/decisions.yaml"]
    recognised.write_text(original, encoding="utf-8")  # fixed
    assert skipped(serve.check("part")) == {}

    recognised.unlink()  # deleted: the decision and the record name a missing entry
    gone = skipped(serve.check("part"))
    assert "SK305" in gone[f"{CAMPAIGN}/decisions.yaml"] and "SK320" in gone[RECORD]
    twin = kho / f"{CAMPAIGN}/tn-ct-thanh-long/to-cong-nghe-so-ho-tro-dich-vu-cong-tai-ap.md"
    twin.write_text(original.replace("unit: tn-ct-dong-khoi", "unit: tn-ct-thanh-long"), encoding="utf-8")  # added elsewhere
    serve.check("part")
    recognised.write_text(original, encoding="utf-8")  # and back: two files with one id (SK301, the first holds it)
    assert "SK301" in skipped(serve.check("part"))[RECOGNISED]
    twin.unlink()
    assert skipped(serve.check("part")) == {}
    (kho / f"{CAMPAIGN}/tn-ct-thanh-long/bai-moi-hoan-toan.md").write_text(  # a new entry
        original.replace("id: to-cong-nghe-so-ho-tro-dich-vu-cong-tai-ap", "id: bai-moi-hoan-toan").replace("unit: tn-ct-dong-khoi", "unit: tn-ct-thanh-long"),
        encoding="utf-8")
    serve.check("part")

    edit(recognised, "\nsummary: ", "\nattachments:\n  - kind: tai-lieu\n    title: Báo cáo kết quả\n    file: bao-cao.pdf\nsummary: ")
    assert "SK218" in skipped(serve.check("part"))[RECOGNISED]  # names a file that is not there
    attachment = recognised.parent / "bao-cao.pdf"
    attachment.write_bytes(b"%PDF-1.7\n" + b"0" * 2000)  # added
    assert skipped(serve.check("part")) == {}
    attachment.write_bytes(b"<html><body>not a pdf</body></html>")  # its content is not what its name says
    assert "SK017" in skipped(serve.check("part"))[attachment.relative_to(kho).as_posix()]
    attachment.unlink()  # removed
    assert "SK218" in skipped(serve.check("part"))[RECOGNISED]
    recognised.write_text(original, encoding="utf-8")
    serve.check("part")

    record = kho / RECORD
    edit(record, "initiative: to-cong-nghe", "initiative: khong-co-to-cong-nghe")  # a replication record edited
    assert "SK320" in skipped(serve.check("part"))[RECORD]
    edit(record, "initiative: khong-co-to-cong-nghe", "initiative: to-cong-nghe")
    serve.check("part")
    nomination = kho / NOMINATION
    edit(nomination, "to_trinh: true", "to_trinh: false")  # a recognised nomination's dossier incomplete (a warning, SK831)
    serve.check("part")
    edit(nomination, "id: khen-chu-tich-ubnd-tx-phu-my-2023", "id: khen-khac-2023")  # its decision names a missing id
    assert "SK305" in skipped(serve.check("part"))["entries/ba-ria-vung-tau-2023/decisions.yaml"]
    edit(nomination, "id: khen-khac-2023", "id: khen-chu-tich-ubnd-tx-phu-my-2023")
    serve.check("part")
    (kho / "entries/ghi-chu.txt").write_text("một tệp lạc chỗ\n", encoding="utf-8")  # a stray file
    assert "SK314" in skipped(serve.check("part"))["entries/ghi-chu.txt"]
    (kho / "entries/ghi-chu.txt").unlink()
    serve.check("part")

    decisions = kho / f"{CAMPAIGN}/decisions.yaml"
    edit(decisions, "  - entry: so-hoa-ho-so-mot-cua-xa\n", "  - entry: so-hoa-ho-so-mot-cua-xa-khac\n")  # a decision edited
    assert "SK305" in skipped(serve.check("full"))[f"{CAMPAIGN}/decisions.yaml"]
    edit(kho / "entries/units.yaml", "- id: tn-ct-an-binh\n", "- id: tn-ct-an-binh-moi\n")  # a unit renamed in the registry
    assert "SK303" in skipped(serve.check("full"))[RECORD]
    edit(kho / f"{CAMPAIGN}/campaign.yaml", "\ntitle: ", '\ntitle: "Đợt đổi tên" #')  # a campaign edited
    unsettled(kho / f"{CAMPAIGN}/campaign.yaml")
    serve.check("full")
    serve.check("none")  # not settled at the last load: compared by its bytes, the same
    edit(recognised, "\ntitle: ", '\ntitle: "Tên mới của bài" #')
    unsettled(recognised)
    serve.check("part")
    serve.check("part")  # not settled at the last load: an entry is read again


def test_the_reference_day_crossing_a_compared_date_loads_in_full(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serve = Serve(kho, monkeypatch)
    decisions = f"{CAMPAIGN}/decisions.yaml"
    edit(kho / decisions, "date: '2024-", "date: '2031-")  # a decision dated in 2031
    future = kho / FUTURE  # and a submission (its campaign unknown, so not also late: SK409 is the problem at its date)
    edit(future, "campaign: y-te-ninh-thuan-2025", "campaign: dot-khong-co")
    edit(future, 'submitted: "2025-', 'submitted: "2031-')
    before, after, later = "2031-01-05T09:00:00+07:00", "2031-12-30T09:00:00+07:00", "2031-12-31T09:00:00+07:00"
    found = skipped(serve.check("full", before))
    assert "SK410" in found[decisions] and "SK409" in found[FUTURE]
    # The next day: no date in between; the submission's problem names the day it is judged on, so it is judged again.
    found = skipped(serve.check("part", "2031-01-06T09:00:00+07:00"))
    assert "SK410" in found[decisions] and "SK409" in found[FUTURE]
    found = skipped(serve.check("full", after))  # the dates are past
    assert "SK410" not in found.get(decisions, set()) and "SK409" not in found[FUTURE]
    serve.check("none", later)
    edit(kho / RECORD, "since: ", "since: 2031-12-31\nsince_old: ")  # an edit on the new day
    serve.check("part", later)
    serve.check("full", before)  # back across them


def test_what_a_caller_does_with_a_load_does_not_reach_the_next(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables handed out are the caller's: emptied, the next load (from the kept one) is whole."""
    serve = Serve(kho, monkeypatch)
    now = vntime.parse_instant(NOW)
    edit(kho / RECORD, "initiative: to-cong-nghe", "initiative: khong-co-to-cong-nghe")  # one file left out, one not
    settled()
    site = load_site(kho, now, recorded=False)
    assert site.skipped and site.repo.entries and site.repo.by_unit("entries", "tn-ct-dong-khoi")
    for table in (site.repo.entries, site.repo.replications, site.repo.units, site.repo.campaigns, site.repo.decisions, site.hashes,
                  site.skipped):
        table.clear()
    site.skipped.setdefault(RECORD, []).clear()
    serve.check("none")
    edit(kho / RECORD, "initiative: khong-co-to-cong-nghe", "initiative: to-cong-nghe")
    settled()
    site = load_site(kho, now, recorded=False)
    assert not site.skipped and site.repo.by_unit("entries", "tn-ct-dong-khoi")
    site.repo.entries.clear()
    site.repo.organisers.append("ai-do")
    serve.check("none")


def test_a_reload_keeps_the_validation_cache_of_the_files_it_did_not_read(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The part read again is saved in the validation cache, the rows of the other files stay, and
    the row of a deleted file goes: a validation next reads every file from the cache."""
    serve = Serve(kho, monkeypatch)
    serve.check("full")
    edit(kho / RECORD, "initiative: to-cong-nghe", "initiative: khong-co-to-cong-nghe")
    (kho / RECOGNISED).unlink()
    serve.check("part")
    monkeypatch.setenv("SANGKIEN_JOBS", "1")
    checked: list[str] = []
    original = filecheck._check
    monkeypatch.setattr(filecheck, "_check", lambda task: checked.append(task.rel) or original(task))
    settled()
    loaded = loader.load(kho)
    assert checked == [] and RECORD in loaded.docs
    rows = cache.Store.open(kho.resolve(), loader.cache_key(kho.resolve())).rows
    assert sorted(rows) == sorted(loaded.docs)
