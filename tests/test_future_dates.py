"""Dates that have not come yet: an entry's `submitted` later than the reference day, a council
decision dated after today (checks/dates.py, SK409, SK410), and the run memo, which must never
serve a future-date verdict judged on another day (runmemo.LastRun.holds_at)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from helpers.cli import run_cli
from helpers.council_kit import CAMPAIGN, DECISIONS, make_repo
from sangkien import runmemo, validator, vntime
from sangkien.checks import dates

ENTRY = f"entries/{CAMPAIGN}/thu-xa-an-hoa/mot-cua-so-hoa.md"


@pytest.fixture
def kho(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("SANGKIEN_NO_CACHE", "SANGKIEN_CACHE_DIR", "SANGKIEN_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SANGKIEN_JOBS", "1")
    return make_repo(tmp_path)


def at(day: str) -> datetime:
    return vntime.parse_instant(f"{day}T09:00:00+07:00")


def codes(root: Path, when: str, path: str = ENTRY) -> list[tuple[str, str, int]]:
    """The future-date problems of `path` in a whole-repository run at 09:00 on `when`."""
    report = validator.validate(root, [str(root / path)], at=at(when))
    return [(p.code, p.file, p.line) for p in report.problems if p.code in ("SK409", "SK410")]


def set_submitted(root: Path, day: str) -> int:
    """Write `submitted: "day"` into ENTRY; the line it is on."""
    path = root / ENTRY
    lines = path.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if line.startswith("submitted:"))
    lines[n] = f'submitted: "{day}"'
    path.write_text("\n".join(lines), encoding="utf-8")
    return n + 1


def test_future_submitted_is_an_error_at_its_line(kho: Path) -> None:
    line = set_submitted(kho, "2024-03-20")
    assert codes(kho, "2024-03-19") == [("SK409", ENTRY, line)]
    assert codes(kho, "2024-03-20") == []  # the same day is not future
    done = run_cli(["validate", ENTRY, "--at", "2024-03-19T23:59:59+07:00", "--root", str(kho)], cwd=kho)
    assert done.code == 1
    assert f"{ENTRY}:{line}" in done.stdout and "SK409" in done.stdout and "20/03/2024" in done.stdout
    assert "là ngày chưa tới" in done.stdout and "Cách sửa" in done.stdout
    # Vietnam time: 19/03 17:00 UTC is already 20/03 in Vietnam
    assert validator.validate(kho, [str(kho / ENTRY)], at=vntime.parse_instant("2024-03-19T17:00:00Z")).errors == []


def test_now_comes_from_settings(kho: Path) -> None:
    set_submitted(kho, "2024-03-20")
    env = {"SANGKIEN_NOW": "2024-03-19T09:00:00+07:00", "SANGKIEN_NO_CACHE": "1"}
    early = run_cli(["validate", ENTRY, "--root", str(kho)], cwd=kho, env=env)
    assert early.code == 1 and "SK409" in early.stdout
    late = run_cli(["validate", ENTRY, "--root", str(kho)], cwd=kho, env={**env, "SANGKIEN_NOW": "2024-03-21T09:00:00+07:00"})
    assert late.code == 0, late.stdout


def test_decision_dates_after_today(kho: Path) -> None:
    text = (kho / DECISIONS).read_text(encoding="utf-8")
    lines = text.split("\n")
    screening = next(i for i, line in enumerate(lines) if 'date: "2024-04-02"' in line)
    waiver = next(i for i, line in enumerate(lines) if 'date: "2024-04-01"' in line)
    lines[screening] = lines[screening].replace("2024-04-02", "2024-04-12")
    lines[waiver] = lines[waiver].replace("2024-04-01", "2024-04-11")
    (kho / DECISIONS).write_text("\n".join(lines), encoding="utf-8")
    assert sorted(codes(kho, "2024-04-10", DECISIONS)) == sorted([("SK410", DECISIONS, screening + 1), ("SK410", DECISIONS, waiver + 1)])
    messages = [p.message for p in validator.validate(kho, [str(kho / DECISIONS)], at=at("2024-04-10")).problems if p.code == "SK410"]
    assert any("kết quả sơ loại của bài «mot-cua-so-hoa» ghi 12/04/2024" in m for m in messages), messages
    assert any("chấp nhận nộp muộn" in m and "11/04/2024" in m for m in messages), messages
    assert codes(kho, "2024-04-12", DECISIONS) == []


def test_a_waiver_until_ahead_is_not_future(kho: Path) -> None:
    """`until` is a deadline the council grants: it may lie ahead of today."""
    text = (kho / DECISIONS).read_text(encoding="utf-8").replace('until: "2024-04-05"', 'until: "2024-05-30"')
    (kho / DECISIONS).write_text(text, encoding="utf-8")
    assert codes(kho, "2024-04-03", DECISIONS) == []


def test_memo_is_not_served_across_a_date(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full run is memoized with its day: the next day on the same side of every date reuses it
    (no file read), a day across a date (later, or a run pinned earlier) is judged again."""
    line = set_submitted(kho, "2024-03-20")
    future = [("SK409", ENTRY, line)]
    assert codes(kho, "2024-03-18") == future
    first = runmemo.last_run(kho)
    assert first is not None and first.day == date(2024, 3, 18) and "2024-03-20" in first.moments
    assert codes(kho, "2024-03-19") == future  # same side of every date: the memo serves
    last = runmemo.last_run(kho)
    assert last is not None and last.day == date(2024, 3, 18), "the memo should have been given back, not recomputed"
    # time passes: the date has come, the memo must not hide that
    assert codes(kho, "2024-03-21") == []
    last = runmemo.last_run(kho)
    assert last is not None and last.day == date(2024, 3, 21)
    # and a run pinned before it (a CI event time, a test) sees the future date again
    assert codes(kho, "2024-03-19") == future
    # the incremental plan (another entry changed) is held to the same rule
    other = kho / f"entries/{CAMPAIGN}/thu-tu-phap/so-tay-tu-phap.md"
    other.write_text(other.read_text(encoding="utf-8").replace("\n---\n", "\n---\n\nThêm một câu.\n", 1), encoding="utf-8")
    assert codes(kho, "2024-03-22") == []
    other.write_text(other.read_text(encoding="utf-8") + "\nThêm câu nữa.\n", encoding="utf-8")
    assert codes(kho, "2024-03-19") == future
    with monkeypatch.context() as m:
        m.setenv("SANGKIEN_NO_CACHE", "1")
        for day in ("2024-03-19", "2024-03-22"):
            cached = validator.validate(kho, at=at(day)).problems
            m.delenv("SANGKIEN_NO_CACHE")
            again = validator.validate(kho, at=at(day)).problems
            m.setenv("SANGKIEN_NO_CACHE", "1")
            assert [(p.code, p.file, p.line, p.message) for p in cached] == [(p.code, p.file, p.line, p.message) for p in again]


def test_a_served_memo_names_the_day_of_the_run(kho: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SK409's fix gives the reference day as the example to write: a run served from the memo
    of an earlier day (same side of every date) names its own day, in full and in a plan."""
    set_submitted(kho, "2024-03-25")

    def future(day: str) -> list[str]:  # ENTRY's first, then those of the kit's later entries
        found = [p for p in validator.validate(kho, at=at(day)).problems if p.code == "SK409"]
        return [p.message for p in sorted(found, key=lambda p: p.file != ENTRY)]

    def fresh(day: str) -> list[str]:
        with monkeypatch.context() as m:
            m.setenv("SANGKIEN_NO_CACHE", "1")
            return future(day)

    first = future("2024-03-18")
    assert len(first) > 1 and '"2024-03-18" cho ngày 18/03/2024.' in first[0]
    served = future("2024-03-19")
    last = runmemo.last_run(kho)
    assert last is not None and last.day == date(2024, 3, 18), "the memo should have been given back"
    assert served == fresh("2024-03-19") and '"2024-03-19" cho ngày 19/03/2024.' in served[0]
    # another entry changed: the entry with the future date is kept from the record (a plan)
    other = kho / f"entries/{CAMPAIGN}/thu-tu-phap/so-tay-tu-phap.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    planned = future("2024-03-20")
    assert planned == fresh("2024-03-20") and '"2024-03-20" cho ngày 20/03/2024.' in planned[0]
    # the record that plan wrote is worded for its own day, and served again on the next
    assert future("2024-03-21") == fresh("2024-03-21")


def test_same_side() -> None:
    d = date
    assert dates.same_side(["2024-03-20"], d(2024, 3, 18), d(2024, 3, 19))
    assert not dates.same_side(["2024-03-20"], d(2024, 3, 19), d(2024, 3, 20))
    assert not dates.same_side(["2024-03-20"], d(2024, 3, 21), d(2024, 3, 19))
    assert dates.same_side(["2024-03-20"], d(2024, 3, 20), d(2025, 1, 1))
    assert dates.same_side([], d(2000, 1, 1), d(2100, 1, 1))


def test_shipped_repository_has_no_future_date() -> None:
    root = Path(__file__).resolve().parents[1]
    report = validator.validate(root)
    assert [p for p in report.problems if p.code in ("SK409", "SK410")] == []


def test_new_asks_again_for_a_future_submitted_date(repo) -> None:
    """`sangkien new` refuses a submitted date after today with the validator's code, and asks again."""
    from test_new_command import SESSION, answers, run_new

    script = SESSION.replace("10/06/2024                            # submitted, written day/month/year", "20/06/2024\n10/06/2024")
    done = run_new(repo, answers(script), "--campaign", "chau-thanh-2024", "--unit", "tn-ct-hao-duoc")
    assert done.returncode == 0, done.stdout
    assert "✗ SK409: Ngày nộp 20/06/2024 là ngày chưa tới (hôm nay là 10/06/2024)." in done.stdout
    assert "Enter để lấy ngày hôm nay" in done.stdout


def test_the_site_never_publishes_a_date_after_today(kho: Path) -> None:
    """The site leaves out a file whose date is after today (the real clock); a preview pinned in
    the past (SANGKIEN_NOW) judges at the real present, so it still shows what was decided since."""
    from sangkien.site.context import load_site

    campaign = kho / f"entries/{CAMPAIGN}/campaign.yaml"  # a window open long enough to submit in
    campaign.write_text(campaign.read_text(encoding="utf-8").replace('date: "2024-03-31"', 'date: "2199-12-31"'), encoding="utf-8")
    ahead = (vntime.local_date(vntime.now()).replace(day=1) + timedelta(days=400)).isoformat()
    set_submitted(kho, ahead)
    pinned = at("2024-04-10")
    site = load_site(kho, pinned)
    assert ENTRY in site.skipped and [p.code for p in site.skipped[ENTRY]] == ["SK409"]
    set_submitted(kho, "2024-04-20")  # after the pinned day, before the real one
    assert ENTRY not in load_site(kho, pinned).skipped


def test_a_bad_reference_time_is_a_coded_usage_error(kho: Path) -> None:
    done = run_cli(["validate", "--root", str(kho)], cwd=kho, env={"PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": "hôm nay"})
    assert done.code == 2 and "SK903" in done.stderr and "SANGKIEN_NOW" in done.stderr and "Traceback" not in done.stderr
