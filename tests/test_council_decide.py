"""Recording decisions: appended with comments kept, never edited, re-validated or not written."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from helpers.council_kit import CAMPAIGN, DECISIONS, make_repo, run
from sangkien import yamlstrict
from sangkien.cli import main
from sangkien.council import yamledit
from sangkien.council.errors import CouncilError


@pytest.fixture
def kho(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


def _data(kho: Path) -> dict:
    return yamlstrict.load((kho / DECISIONS).read_text(encoding="utf-8"), DECISIONS).data


def test_recognise_then_revoke(kho: Path) -> None:
    before = (kho / DECISIONS).read_text(encoding="utf-8")
    done = run(kho, "decide", CAMPAIGN, "--number", "123/QĐ-UBND", "--date", "2024-04-20", "--level", "co-so",
               "--signer", "KT. Chủ tịch, Phó Chủ tịch Nguyễn Văn Ký", "--entry", "mot-cua-so-hoa:nhat", "tra-cuu-ho-so-qr:ba",
               "--title", "Quyết định công nhận sáng kiến năm 2024")
    assert done.returncode == 0, done.stderr
    assert "Đã ghi quyết định công nhận số 123/QĐ-UBND" in done.stdout
    after = (kho / DECISIONS).read_text(encoding="utf-8")
    ops = {op for op, *_ in difflib.SequenceMatcher(None, before.splitlines(), after.splitlines()).get_opcodes()}
    assert ops == {"equal", "insert"} and "# Chú thích này phải còn nguyên" in after
    rec = _data(kho)["recognitions"][0]
    assert rec == {"number": "123/QĐ-UBND", "date": "2024-04-20", "issuer": "UBND huyện Thử Nghiệm",
                   "signer": "KT. Chủ tịch, Phó Chủ tịch Nguyễn Văn Ký", "level": "co-so", "title": "Quyết định công nhận sáng kiến năm 2024",
                   "entries": [{"entry": "mot-cua-so-hoa", "tier": "nhat"}, {"entry": "tra-cuu-ho-so-qr", "tier": "ba"}]}

    again = run(kho, "decide", CAMPAIGN, "--number", "123/QĐ-UBND", "--date", "2024-04-21", "--level", "co-so", "--entry", "so-tay-tu-phap")
    assert again.returncode == 1 and "SK820" in again.stderr and "không sửa quyết định đã ghi" in again.stderr
    assert (kho / DECISIONS).read_text(encoding="utf-8") == after

    revoked = run(kho, "decide", CAMPAIGN, "--revoke", "123/QĐ-UBND", "--number", "45/QĐ-UBND", "--date", "2024-09-01",
                  "--entry", "tra-cuu-ho-so-qr", "--reason", "Kết quả nêu trong bài không đúng thực tế")
    assert revoked.returncode == 0, revoked.stderr
    data = _data(kho)
    assert data["revocations"] == [{"number": "45/QĐ-UBND", "date": "2024-09-01", "decision": "123/QĐ-UBND",
                                    "entries": ["tra-cuu-ho-so-qr"], "reason": "Kết quả nêu trong bài không đúng thực tế"}]
    assert data["recognitions"] == [rec], "the recognition itself is never edited"
    twice = run(kho, "decide", CAMPAIGN, "--revoke", "123/QĐ-UBND", "--number", "46/QĐ-UBND", "--date", "2024-09-02",
                "--entry", "tra-cuu-ho-so-qr", "--reason", "Lặp lại")
    assert twice.returncode == 1 and "SK821" in twice.stderr and "đã bị thu hồi" in twice.stderr


def test_invalid_result_is_not_left_on_disk(kho: Path, capsys) -> None:
    before = (kho / DECISIONS).read_bytes()
    # signed before the window closed (31/3/2024): the validator's SK308; the file must stay as it was
    assert main(["decide", CAMPAIGN, "--number", "7/QĐ-UBND", "--date", "2024-03-15", "--level", "co-so", "--entry", "mot-cua-so-hoa",
                 "--root", str(kho)]) == 1
    err = capsys.readouterr().err
    assert "SK811" in err and "SK308" in err and "giữ nguyên" in err
    assert (kho / DECISIONS).read_bytes() == before
    # over the campaign's award cap (3): SK309
    assert main(["decide", CAMPAIGN, "--number", "8/QĐ-UBND", "--date", "2024-04-20", "--level", "co-so", "--root", str(kho),
                 "--entry", "mot-cua-so-hoa", "tra-cuu-ho-so-qr", "so-tay-tu-phap", "lich-tiep-dan-truc-tuyen"]) == 1
    assert "SK309" in capsys.readouterr().err
    assert (kho / DECISIONS).read_bytes() == before


def test_arguments_checked_before_writing(kho: Path, capsys) -> None:
    assert main(["decide", CAMPAIGN, "--number", "QĐ 12", "--date", "20/04/24", "--level", "xa", "--root", str(kho),
                 "--entry", "khong-co-bai", "mot-cua-so-hoa:giai-dac-biet"]) == 1
    err = capsys.readouterr().err
    for text in ("«QĐ 12» không đúng dạng", "«20/04/24»: năm phải ghi đủ 4 chữ số", "«xa» không hợp lệ", "«khong-co-bai» không có trong đợt",
                 "«giai-dac-biet»"):
        assert text in err
    assert main(["decide", CAMPAIGN, "--revoke", "999/QĐ-UBND", "--number", "1/QĐ-UBND", "--date", "2024-05-01",
                 "--entry", "mot-cua-so-hoa", "--root", str(kho)]) == 1
    err = capsys.readouterr().err
    assert "SK821" in err and "999/QĐ-UBND" in err and "phải ghi lý do" in err


def test_decisions_file_created_when_missing(kho: Path, capsys) -> None:
    (kho / "entries/td-thu-2023/decisions.yaml").unlink()
    assert main(["decide", "td-thu-2023", "--number", "3/QĐ-UBND", "--date", "2024-01-25", "--level", "co-so",
                 "--entry", "khen-an-hoa", "--root", str(kho)]) == 0
    text = (kho / "entries/td-thu-2023/decisions.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Quyết định của Hội đồng đợt td-thu-2023") and "campaign: td-thu-2023\n" in text
    assert "- {entry: khen-an-hoa}" in text


SAMPLE = """# đầu tệp
campaign: x-y   # mã

screening:
  - entry: a-b
    result: dat
    date: "2024-07-01"
  # chú thích trong khối screening

# chú thích của recognitions
recognitions:
- number: 1/QĐ-UBND
  date: "2024-08-01"
  entries:
    - entry: a-b
# cuối tệp
"""


def test_splice_keeps_every_other_byte() -> None:
    old = yamlstrict.load(SAMPLE, "x").data
    items = [{"member": "Nguyễn Văn A", "entry": "a-b", "date": "2024-07-05", "criteria": {"m": 35, "n": 22.5},
              "comment": "Tốt: rất # hay, \"trích\"\nxuống dòng"}]
    new = yamledit.replace_list(SAMPLE, "scores", items)
    yamledit.check_same(new, "x", {**old, "scores": items})
    ops = {op for op, *_ in difflib.SequenceMatcher(None, SAMPLE.splitlines(), new.splitlines()).get_opcodes()}
    assert ops == {"equal", "insert"}
    assert new.index("scores:") < new.index("# chú thích của recognitions"), "a heading comment stays with its key"
    rec = {"number": "2/QĐ-UBND", "date": "2024-08-02", "issuer": "UBND", "signer": "Chủ tịch", "level": "co-so", "entries": [{"entry": "a-b"}]}
    newer = yamledit.append_items(new, "recognitions", old["recognitions"], [rec])
    yamledit.check_same(newer, "x", {**old, "scores": items, "recognitions": old["recognitions"] + [rec]})
    assert newer.index("- number: 2/QĐ-UBND") < newer.index("# cuối tệp") and newer.endswith("# cuối tệp\n")
    with pytest.raises(CouncilError):
        yamledit.check_same(newer, "x", old)


@pytest.mark.parametrize("text", ["2024-06-25", "no", "012", "12:30", "- a", "a: b", "a #b", " a", "", "null", "1e3", "true", "'q", "ok"])
def test_scalars_read_back_as_strings(text: str) -> None:
    assert yamlstrict.load(f"k: {yamledit.scalar(text)}\n", "x").data == {"k": text}
