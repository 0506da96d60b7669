"""`sangkien screen`: screening verdicts written into decisions.yaml by a comment-preserving splice,
atomically, validated again; every refusal coded, in Vietnamese, with nothing written. And the
typed dates of `decide` and `scores import` (dd/mm/yyyy or ISO, never after today)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from helpers.cli import run_cli
from helpers.council_kit import CAMPAIGN, DECISIONS, make_repo
from sangkien import yamlstrict

NOW = "2024-04-10T09:00:00+07:00"


def env(now: str = NOW) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), "PYTHONIOENCODING": "utf-8",
            "SANGKIEN_NOW": now, "SANGKIEN_NO_CACHE": "1"}


@pytest.fixture
def kho(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def screen(kho: Path, *args: str, now: str = NOW):
    return run_cli(["screen", *args, "--root", str(kho)], cwd=kho, env=env(now))


def data(kho: Path) -> dict:
    return yamlstrict.load((kho / DECISIONS).read_text(encoding="utf-8"), DECISIONS).data


def drop_screening(kho: Path, entry: str) -> None:
    """Take one entry's verdict out of the fixture (its four lines), so that it is not yet screened."""
    lines = (kho / DECISIONS).read_text(encoding="utf-8").split("\n")
    at = lines.index(f"  - entry: {entry}")
    end = at + 1
    while not lines[end].startswith("  - ") and not lines[end].startswith("  #") and lines[end].startswith("    "):
        end += 1
    del lines[at:end]
    (kho / DECISIONS).write_text("\n".join(lines), encoding="utf-8")


def test_pass_appends_and_keeps_every_other_byte(kho: Path) -> None:
    drop_screening(kho, "so-tay-tu-phap")
    drop_screening(kho, "tra-cuu-ho-so-qr")
    before = (kho / DECISIONS).read_text(encoding="utf-8")
    done = screen(kho, CAMPAIGN, "so-tay-tu-phap", "tra-cuu-ho-so-qr", "--pass", "--date", "05/04/2024", "--by", "Tổ thư ký Hội đồng")
    assert done.code == 0, done.stderr
    assert "Đã ghi kết quả sơ loại «đạt» ngày 05/04/2024 của 2 bài" in done.stdout
    assert "không hiện trên trang công khai" in done.stdout
    after = (kho / DECISIONS).read_text(encoding="utf-8")
    ops = {op for op, *_ in difflib.SequenceMatcher(None, before.splitlines(), after.splitlines()).get_opcodes()}
    assert ops == {"equal", "insert"}, "only lines added"
    assert "# Chú thích này phải còn nguyên" in after and "# bài dưới đây không đạt sơ loại" in after
    screening = data(kho)["screening"]
    assert screening[-2:] == [
        {"entry": "so-tay-tu-phap", "result": "dat", "date": "2024-04-05", "by": "Tổ thư ký Hội đồng"},
        {"entry": "tra-cuu-ho-so-qr", "result": "dat", "date": "2024-04-05", "by": "Tổ thư ký Hội đồng"},
    ]
    # the file is still valid for the one validator
    check = run_cli(["validate", DECISIONS, "--root", str(kho)], cwd=kho, env=env())
    assert check.code == 0, check.stdout


def test_fail_needs_a_reason_and_today_is_the_default_date(kho: Path) -> None:
    drop_screening(kho, "so-tay-tu-phap")
    before = (kho / DECISIONS).read_bytes()
    refused = screen(kho, CAMPAIGN, "so-tay-tu-phap", "--fail")
    assert refused.code == 1 and "SK852" in refused.stderr and "--reason" in refused.stderr and "Cách sửa" in refused.stderr
    assert (kho / DECISIONS).read_bytes() == before
    done = screen(kho, CAMPAIGN, "so-tay-tu-phap", "--fail", "--reason", "  Chưa   áp dụng thực tế ")
    assert done.code == 0, done.stderr
    assert "ngày 10/04/2024" in done.stdout
    assert data(kho)["screening"][-1] == {"entry": "so-tay-tu-phap", "result": "khong-dat", "reason": "Chưa áp dụng thực tế", "date": "2024-04-10"}


def test_second_verdict_refused_unless_replace_which_rewrites_in_place(kho: Path) -> None:
    before = (kho / DECISIONS).read_text(encoding="utf-8")
    again = screen(kho, CAMPAIGN, "bang-tin-xa", "--pass")
    assert again.code == 1 and "SK851" in again.stderr and "«không đạt» ngày 02/04/2024" in again.stderr
    line = before.split("\n").index("  - entry: bang-tin-xa") + 2  # its result line
    assert f"{DECISIONS}:{line}:" in again.stderr and f"Dòng {line}" in again.stderr
    assert (kho / DECISIONS).read_text(encoding="utf-8") == before
    done = screen(kho, CAMPAIGN, "bang-tin-xa", "--pass", "--replace", "--date", "2024-04-08")
    assert done.code == 0, done.stderr
    assert "Đã thay kết quả sơ loại thành «đạt» ngày 08/04/2024 của 1 bài: bang-tin-xa" in done.stdout
    after = (kho / DECISIONS).read_text(encoding="utf-8")
    # the comment before it and everything after it (late waivers) are untouched; the old reason is gone
    assert "  # bài dưới đây không đạt sơ loại\n  - entry: bang-tin-xa\n    result: dat\n    date: \"2024-04-08\"\nlate_waivers:" in after
    assert "Chưa triển khai thực hiện" not in after
    assert after.split("late_waivers:")[1] == before.split("late_waivers:")[1]
    assert after.split("  # bài dưới đây")[0] == before.split("  # bài dưới đây")[0]
    screening = data(kho)["screening"]
    assert [s["entry"] for s in screening] == ["mot-cua-so-hoa", "tra-cuu-ho-so-qr", "so-tay-tu-phap", "lich-tiep-dan-truc-tuyen", "bang-tin-xa"]
    # replacing an item in the middle keeps its neighbours
    done = screen(kho, CAMPAIGN, "so-tay-tu-phap", "--fail", "--replace", "--reason", "Trùng sáng kiến đã công nhận", "--date", "09/04/2024")
    assert done.code == 0, done.stderr
    screening = data(kho)["screening"]
    assert screening[2] == {"entry": "so-tay-tu-phap", "result": "khong-dat", "reason": "Trùng sáng kiến đã công nhận", "date": "2024-04-09"}
    assert screening[1]["entry"] == "tra-cuu-ho-so-qr" and screening[3]["entry"] == "lich-tiep-dan-truc-tuyen"


def test_refusals_are_coded_and_write_nothing(kho: Path) -> None:
    before = (kho / DECISIONS).read_bytes()
    cases = [
        (("khong-co-bai", "--pass"), "SK853", "Không có bài «khong-co-bai» trong đợt «sk-thu-2024»"),
        (("mot-cua-so-hoa", "--pass", "--fail", "--replace"), "SK855", "cả --pass và --fail"),
        (("mot-cua-so-hoa", "--replace"), "SK855", "Chưa ghi kết quả sơ loại"),
        (("mot-cua-so-hoa", "--pass", "--replace", "--date", "31/02/2024"), "SK915", "«31/02/2024»: ngày không có thật"),
        (("mot-cua-so-hoa", "--pass", "--replace", "--date", "25/04/2024"), "SK410", "25/04/2024, là ngày chưa tới"),
        (("mot-cua-so-hoa", "mot-cua-so-hoa", "--pass", "--replace"), "SK855", "được ghi hai lần"),
    ]
    for args, code, text in cases:
        done = screen(kho, CAMPAIGN, *args)
        assert done.code == 1, (args, done.stdout)
        assert code in done.stderr and text in done.stderr and "Cách sửa" in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    unknown = screen(kho, "khong-co-dot", "mot-cua-so-hoa", "--pass")
    assert unknown.code == 1 and "SK801" in unknown.stderr
    assert (kho / DECISIONS).read_bytes() == before


def test_entry_of_another_campaign(kho: Path) -> None:
    other = next((kho / "entries" / "td-thu-2023").glob("*/*.md")).stem
    done = screen(kho, CAMPAIGN, other, "--pass")
    assert done.code == 1 and "SK853" in done.stderr and f"thuộc đợt «td-thu-2023», không thuộc đợt «{CAMPAIGN}»" in done.stderr
    assert f"sangkien screen td-thu-2023 {other}" in done.stderr


def test_no_screening_after_a_recognition(kho: Path) -> None:
    recognised = run_cli(["decide", CAMPAIGN, "--number", "123/QĐ-UBND", "--date", "20/04/2024", "--level", "co-so",
                          "--entry", "mot-cua-so-hoa", "--root", str(kho)], cwd=kho, env=env("2024-04-21T09:00:00+07:00"))
    assert recognised.code == 0, recognised.stderr
    assert "ngày 20/04/2024" in recognised.stdout
    before = (kho / DECISIONS).read_bytes()
    done = screen(kho, CAMPAIGN, "mot-cua-so-hoa", "--fail", "--replace", "--reason", "Xét lại", now="2024-04-22T09:00:00+07:00")
    assert done.code == 1 and "SK854" in done.stderr and "123/QĐ-UBND" in done.stderr and "--revoke" in done.stderr
    assert (kho / DECISIONS).read_bytes() == before


def test_a_result_the_validator_refuses_is_not_written(kho: Path) -> None:
    """The splice is re-validated: a --by too long for the schema leaves the file as it was, with
    the validator's code shown."""
    drop_screening(kho, "so-tay-tu-phap")
    before = (kho / DECISIONS).read_bytes()
    done = screen(kho, CAMPAIGN, "so-tay-tu-phap", "--pass", "--by", "x" * 300)
    assert done.code == 1 and "SK811" in done.stderr and "giữ nguyên" in done.stderr and "SK206" in done.stderr
    assert (kho / DECISIONS).read_bytes() == before


def test_creates_decisions_file_when_missing(kho: Path) -> None:
    (kho / DECISIONS).unlink()
    done = screen(kho, CAMPAIGN, "mot-cua-so-hoa", "--pass", "--date", "02/04/2024")
    assert done.code == 0, done.stderr
    text = (kho / DECISIONS).read_text(encoding="utf-8")
    assert text.startswith("# Quyết định của Hội đồng đợt sk-thu-2024 (tệp do lệnh sangkien screen tạo).\ncampaign: sk-thu-2024\n")
    assert data(kho)["screening"] == [{"entry": "mot-cua-so-hoa", "result": "dat", "date": "2024-04-02"}]


def test_help_shows_day_first_dates() -> None:
    for command in (["screen", "--help"], ["decide", "--help"], ["scores", "import", "--help"]):
        done = run_cli(command)
        assert "dd/mm/yyyy" in done.stdout and "YYYY-MM-DD" not in done.stdout, command


def test_decide_takes_typed_dates_and_refuses_future_ones(kho: Path) -> None:
    later = env("2024-04-21T09:00:00+07:00")
    before = (kho / DECISIONS).read_bytes()
    future = run_cli(["decide", CAMPAIGN, "--number", "9/QĐ-UBND", "--date", "25/07/2024", "--level", "co-so",
                      "--entry", "mot-cua-so-hoa", "--root", str(kho)], cwd=kho, env=later)
    assert future.code == 1 and "SK410" in future.stderr and "25/07/2024, là ngày chưa tới" in future.stderr
    bad = run_cli(["decide", CAMPAIGN, "--number", "9/QĐ-UBND", "--date", "25/07/24", "--level", "co-so",
                   "--entry", "mot-cua-so-hoa", "--root", str(kho)], cwd=kho, env=later)
    assert bad.code == 1 and "SK915" in bad.stderr and "năm phải ghi đủ 4 chữ số" in bad.stderr
    assert (kho / DECISIONS).read_bytes() == before
    iso = run_cli(["decide", CAMPAIGN, "--number", "9/QĐ-UBND", "--date", "2024-04-20", "--level", "co-so",
                   "--entry", "mot-cua-so-hoa", "--root", str(kho)], cwd=kho, env=later)
    assert iso.code == 0 and "ngày 20/04/2024" in iso.stdout, iso.stderr
    assert data(kho)["recognitions"][0]["date"] == "2024-04-20"


def test_scores_import_date_is_typed_day_first(kho: Path) -> None:
    later = env("2024-04-21T09:00:00+07:00")
    future = run_cli(["scores", "import", CAMPAIGN, "phieu.xlsx", "--date", "22/04/2024", "--root", str(kho)], cwd=kho, env=later)
    assert future.code == 2 and "SK410" in future.stderr and "22/04/2024 là ngày chưa tới" in future.stderr
    bad = run_cli(["scores", "import", CAMPAIGN, "phieu.xlsx", "--date", "04/2024", "--root", str(kho)], cwd=kho, env=later)
    assert bad.code == 2 and "SK915" in bad.stderr
    # a day-first date is taken: the command goes on to the sheet, which does not exist
    typed = run_cli(["scores", "import", CAMPAIGN, "phieu.xlsx", "--date", "10/04/2024", "--root", str(kho)], cwd=kho, env=later)
    assert typed.code == 1 and "SK901" in typed.stderr and "«phieu.xlsx»" in typed.stderr, typed.stderr


def test_a_failed_entry_and_its_reason_stay_off_the_public_site(kho: Path) -> None:
    """Nothing the council writes about a turned-down entry is public (site/context.py); the
    rendered pages are checked on the shipped data by tests/test_public_policy.py."""
    from sangkien import vntime
    from sangkien.site.context import load_site

    drop_screening(kho, "so-tay-tu-phap")
    done = screen(kho, CAMPAIGN, "so-tay-tu-phap", "--fail", "--reason", "Lý do nội bộ rất riêng 7Q", "--by", "Tổ thư ký")
    assert done.code == 0, done.stderr
    site = load_site(kho, vntime.parse_instant(NOW))
    entry = site.repo.entries["so-tay-tu-phap"]
    assert not site.is_public(entry) and "so-tay-tu-phap" not in site.public_repo().entries
    assert DECISIONS not in site.skipped, "the file is valid: left out only what is not public"
