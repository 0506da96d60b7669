"""Deadlines exact to the second at both ends of each seed campaign's window, in UTC and ICT.

The windows below are fixed by the plans (see docs of each campaign); the test checks that the
shipped campaign files say the same, then submits a new entry through the real CLI with
`--base` on a real Git repository at each boundary instant, and edits an existing one.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import ROOT, TempRepo, git
from sangkien import reader

ICT = timezone(timedelta(hours=7))
SECOND = timedelta(seconds=1)
SHOWN = re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2} \(giờ Việt Nam\)")


@dataclass(frozen=True)
class Window:
    campaign: str
    opens: str  # (date, rule) as the campaign file must write them
    opens_rule: str
    closes: str
    closes_rule: str
    first: datetime  # first instant on time (ICT)
    last: datetime  # last whole second on time (ICT)


WINDOWS = [
    Window("chau-thanh-2024", "2024-05-15", "tu-ngay", "2024-06-25", "het-ngay",
           datetime(2024, 5, 15, tzinfo=ICT), datetime(2024, 6, 25, 23, 59, 59, tzinfo=ICT)),
    Window("ba-ria-vung-tau-2023", "2023-01-01", "tu-ngay", "2023-12-31", "het-ngay",
           datetime(2023, 1, 1, tzinfo=ICT), datetime(2023, 12, 31, 23, 59, 59, tzinfo=ICT)),
    Window("y-te-ninh-thuan-2025", "2025-12-01", "tu-ngay", "2025-12-05", "het-ngay",
           datetime(2025, 12, 1, tzinfo=ICT), datetime(2025, 12, 5, 23, 59, 59, tzinfo=ICT)),
    Window("kcn-hung-yen-2024", "2024-04-15", "tu-ngay", "2024-05-25", "truoc-ngay",
           datetime(2024, 4, 15, tzinfo=ICT), datetime(2024, 5, 24, 23, 59, 59, tzinfo=ICT)),
]
IDS = [w.campaign for w in WINDOWS]

# (name, instant from the window, expected deadline code or None)
BOUNDARIES = [
    ("mot-giay-truoc-khi-mo", lambda w: w.first - SECOND, "SK401"),
    ("dung-luc-mo", lambda w: w.first, None),
    ("giay-cuoi-cung", lambda w: w.last, None),
    ("giay-dau-tien-tre-han", lambda w: w.last + SECOND, "SK402"),
]


def iso(moment: datetime, zone: str) -> str:
    if zone == "Z":
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.astimezone(ICT).isoformat()


def shown(moment: datetime) -> str:
    return f"{moment.astimezone(ICT):%d/%m/%Y %H:%M} (giờ Việt Nam)"


def test_the_four_seed_campaigns_are_present():
    assert all((ROOT / "entries" / c / "campaign.yaml").is_file() for c in IDS)


@pytest.mark.parametrize("window", WINDOWS, ids=IDS)
def test_campaign_file_declares_the_plan_window(window):
    path = ROOT / "entries" / window.campaign / "campaign.yaml"
    data = reader.read_yaml(path.read_bytes(), str(path)).data
    got = data["window"]
    assert (got["opens"]["date"], got["opens"]["rule"]) == (window.opens, window.opens_rule)
    assert (got["closes"]["date"], got["closes"]["rule"]) == (window.closes, window.closes_rule)


@pytest.fixture(scope="module")
def kho(tmp_path_factory) -> TempRepo:
    """One Git copy of the shipped data for the whole module; tests add files and remove them."""
    dest = tmp_path_factory.mktemp("han") / "kho"
    dest.mkdir()
    for name in ("entries", "schema"):
        shutil.copytree(ROOT / name, dest / name)
    git(dest, "init", "-q", "-b", "main")
    repo = TempRepo(dest)
    repo.commit("dữ liệu ban đầu")
    return repo


def first_entry(kho: TempRepo, campaign: str) -> str:
    found = sorted(p for p in (kho.path / "entries" / campaign).glob("*/*.md"))
    assert found, f"campaign {campaign} has no entry to start from"
    return found[0].relative_to(kho.path).as_posix()


def submit_new(kho: TempRepo, campaign: str, moment: datetime) -> str:
    """A new entry of the campaign, sent at `moment` (its submitted date is that day in Vietnam)."""
    source = first_entry(kho, campaign)
    text = kho.read(source)
    new_id = "bai-nop-thu-han-chot"
    text = re.sub(r"^id: .+$", f"id: {new_id}", text, count=1, flags=re.M)
    text = re.sub(r"^submitted: .+$", f'submitted: "{moment.astimezone(ICT).date().isoformat()}"', text, count=1, flags=re.M)
    rel = f"{source.rsplit('/', 1)[0]}/{new_id}.md"
    kho.write(rel, text)
    return rel


def run(kho: TempRepo, at: str) -> tuple[int, list[dict]]:
    done = kho.run("validate", "--base", "HEAD", "--at", at, "--format", "json")
    assert "Traceback" not in done.stderr and done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)["problems"]


CASES = [(w, name, make, code, zone) for w in WINDOWS for name, make, code in BOUNDARIES for zone in ("Z", "+07:00")]


@pytest.mark.parametrize(("window", "name", "make", "code", "zone"), CASES,
                         ids=[f"{w.campaign}-{n}-{'UTC' if z == 'Z' else 'ICT'}" for w, n, _, _, z in CASES])
def test_new_entry_at_each_boundary(kho, window, name, make, code, zone):
    moment = make(window)
    rel = submit_new(kho, window.campaign, moment)
    try:
        status, problems = run(kho, iso(moment, zone))
    finally:
        (kho.path / rel).unlink()
    mine = [p for p in problems if p["file"] == rel and p["severity"] == "error"]
    deadline_codes = {p["code"] for p in mine if p["code"].startswith("SK4")}
    if code is None:
        assert mine == [] and status == 0, problems
        return
    assert deadline_codes == {code} and status == 1, problems
    change = next(p for p in mine if p["code"] == code and p["line"] == 1)
    boundary = window.first if code == "SK401" else window.last
    assert shown(boundary) in change["message"], change["message"]
    assert f"«{window.campaign}»" in change["message"]
    assert "Cách sửa:" in change["message"]


@pytest.mark.parametrize("window", WINDOWS, ids=IDS)
def test_editing_an_existing_entry_before_and_after_the_close(kho, window):
    rel = first_entry(kho, window.campaign)
    original = kho.read(rel)
    kho.write(rel, original + "\nBổ sung một câu đính chính.\n")
    try:
        before = run(kho, iso(window.last, "+07:00"))
        after = run(kho, iso(window.last + SECOND, "Z"))
    finally:
        kho.write(rel, original)
    assert before == (0, []), before
    status, problems = after
    assert status == 1
    assert [(p["code"], p["file"]) for p in problems if p["severity"] == "error"] == [("SK403", rel)]
    message = problems[0]["message"]
    assert shown(window.last) in message and SHOWN.search(message)


def test_changing_nothing_is_never_late(kho):
    status, problems = run(kho, "2030-01-01T00:00:00Z")
    assert (status, problems) == (0, [])


def test_late_entry_accepted_by_the_council_is_a_warning(kho):
    window = WINDOWS[0]
    moment = window.last + SECOND
    rel = submit_new(kho, window.campaign, moment)
    decisions = f"entries/{window.campaign}/decisions.yaml"
    original = kho.read(decisions)
    waiver = (f'late_waivers:\n  - entry: bai-nop-thu-han-chot\n    unit: {rel.split("/")[2]}\n'
              '    reason: Gửi đúng hạn qua thư điện tử nhưng kho Git bị lỗi.\n    date: "2024-06-27"\n    until: "2024-06-30"\n')
    assert "late_waivers:" not in original
    kho.write(decisions, original.rstrip("\n") + "\n" + waiver)
    git(kho.path, "commit", "-qam", "Hội đồng chấp nhận nộp muộn")
    try:
        status, problems = run(kho, iso(moment, "Z"))
    finally:
        (kho.path / rel).unlink()
        git(kho.path, "reset", "-q", "--hard", "HEAD~1")
    mine = {(p["code"], p["severity"]) for p in problems if p["file"] == rel}
    assert status == 0 and ("SK405", "warning") in mine, problems


def test_submitted_date_other_than_the_sending_day_warns_sk404(kho):
    window = WINDOWS[3]
    rel = submit_new(kho, window.campaign, window.first)
    try:
        status, problems = run(kho, iso(window.first + timedelta(days=2), "+07:00"))
    finally:
        (kho.path / rel).unlink()
    mine = [p for p in problems if p["file"] == rel and p["code"].startswith("SK4")]  # the clone may also be "near-duplicate"
    assert status == 0 and [(p["code"], p["severity"]) for p in mine] == [("SK404", "warning")]
    assert '"2024-04-17"' in mine[0]["message"]


def test_reference_time_defaults_to_now(kho):
    """Without --at, an entry added today to a 2024 campaign is late."""
    window = WINDOWS[0]
    rel = submit_new(kho, window.campaign, window.last)
    try:
        done = kho.run("validate", "--base", "HEAD", "--format", "json")
    finally:
        (kho.path / rel).unlink()
    codes = {p["code"] for p in json.loads(done.stdout)["problems"] if p["file"] == rel}
    assert done.returncode == 1 and "SK402" in codes


def test_window_ids_match_the_lead_list():
    assert Path(ROOT / "entries").is_dir()
    assert sorted(IDS) == sorted(p.parent.name for p in (ROOT / "entries").glob("*/campaign.yaml") if p.parent.name in IDS)


def test_deadline_rules_in_vietnam_time():
    from datetime import date

    from sangkien import vntime

    assert vntime.window_end(date(2024, 6, 25), "het-ngay") == datetime(2024, 6, 25, 17, 0, tzinfo=UTC)
    assert vntime.window_end(date(2024, 5, 25), "truoc-ngay") == datetime(2024, 5, 24, 17, 0, tzinfo=UTC)
    assert vntime.window_start(date(2024, 5, 15), "tu-ngay") == datetime(2024, 5, 14, 17, 0, tzinfo=UTC)
    assert vntime.show(datetime(2024, 6, 25, 16, 59, 59, tzinfo=UTC)) == "25/06/2024 23:59 (giờ Việt Nam)"
    assert vntime.parse_instant("2024-06-25T17:00:00Z") == vntime.parse_instant("2024-06-26T00:00:00+07:00")
    for bad in ("2024-06-25T23:59:59", "25/06/2024", "9999-12-31T23:59:59-05:00", "1800-01-01T00:00:00Z"):
        with pytest.raises(ValueError):
            vntime.parse_instant(bad)
