"""`sangkien new`: answers piped to the real CLI, wrong answers asked again, the file written where
it belongs and accepted by `sangkien validate`; no overwrite, no traceback when input ends."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sangkien.commands import new
from sangkien.reader import read_markdown

NOW = "2024-06-10T09:00:00+07:00"  # inside the Châu Thành 2024 window
REL = "entries/chau-thanh-2024/tn-ct-hao-duoc/lich-truc-luu-dong-tiep-nhan-ho-so-chung-thuc-tai-cac-ap-xa-trung-tam-xa.md"

# One answer per line, in the order the questions come; "# ..." are notes for the reader, not sent.
SESSION = """
Ngắn                                  # title: too short -> SK206, asked again
Lịch trực lưu động tiếp nhận hồ sơ chứng thực tại các ấp xa trung tâm xã
                                      # id: Enter keeps the proposed slug
Công chức tư pháp trực lưu động tại các ấp, liên hệ 0912 345 678.   # summary: mobile number -> SK501
Công chức tư pháp trực lưu động tại các ấp theo lịch cố định hằng tuần để nhận hồ sơ chứng thực.
10/06/2024                            # submitted, written day/month/year
2                                     # participation: nhóm
Lê Thị Thu
Công chức Văn phòng - Thống kê
UBND xã Hảo Đước
                                      # qualification: skipped
Phạm Văn Nam
Công chức Tư pháp - Hộ tịch
UBND xã Hảo Đước
Cử nhân Luật
k                                     # no third author
60
30                                    # total 90 -> SK214, both asked again
60
40
1                                     # representative: Lê Thị Thu
                                      # investor: skipped
Chứng thực bản sao, chữ ký tại ấp
2,9                                   # areas: 9 is not in the list
2,6
2                                     # indices: SIPAS
3                                     # solution type: tác nghiệp
1                                     # application status: đã áp dụng
2024-07-01                            # first applied after submitted -> SK216
2024-03-01
2                                     # scope: cấp xã
                                      # forms: Enter keeps bai-viet
Có lịch trực được niêm yết và máy tính xách tay kết nối mạng.
Người dân không phải đi xa, giảm thời gian đi lại.
                                      # benefits of appliers: skipped
k                                     # no first-application participants
c                                     # a measured result
Quãng đường người dân phải đi
10
2
km
1                                     # lower is better
Quý I/2024
k
c                                     # an attachment
video
Video giới thiệu lịch trực
http://xa.gov.vn/video.mp4            # not https -> SK205
https://xa.gov.vn/video.mp4
k
k                                     # not an earlier contest entry
chứng thực, lưu động
Trước đây người dân phải lên trụ sở xã để chứng thực.
                                      # end of «Thực trạng»
Công chức trực tại nhà văn hóa ấp theo lịch.
  - Lịch niêm yết trước một tuần
                                      # end of «Giải pháp»
Áp dụng ở mọi xã có nhà văn hóa ấp.

"""


def answers(script: str) -> str:
    lines = []
    for line in script.lstrip("\n").split("\n"):
        text = line.split("  #", 1)[0].rstrip() if "  #" in line else line.rstrip()
        lines.append(text)
    return "\n".join(lines) + "\n"


def run_new(repo, stdin: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": NOW}
    return subprocess.run([sys.executable, "-m", "sangkien", "new", *args], cwd=repo.path, input=stdin, capture_output=True,
                          text=True, env=env, check=False, timeout=120)


def test_full_session_writes_a_valid_file(repo) -> None:
    done = run_new(repo, answers(SESSION), "--campaign", "chau-thanh-2024", "--unit", "tn-ct-hao-duoc")
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "Traceback" not in out + done.stderr
    for code in ("SK206", "SK501", "SK214", "SK216", "SK205"):
        assert f"✗ {code}" in out, code
    assert "«9» không có trong danh sách" in out and out.count("Mời nhập lại.") == 6
    assert "90%" in out
    assert f"Đã tạo tệp {REL}." in out and "0 lỗi" in out
    text = (repo.path / REL).read_text(encoding="utf-8")
    doc = read_markdown(text.encode(), REL)
    data = doc.data
    assert data["submitted"] == "2024-06-10" and 'submitted: "2024-06-10"' in text
    assert data["authors"][0] == {"name": "Lê Thị Thu", "position": "Công chức Văn phòng - Thống kê", "workplace": "UBND xã Hảo Đước",
                                  "contribution": 60, "representative": True}
    assert data["authors"][1]["qualification"] == "Cử nhân Luật" and "representative" not in data["authors"][1]
    assert data["areas"] == ["thu-tuc-hanh-chinh", "chinh-quyen-so"] and data["forms"] == ["bai-viet"]
    assert data["results"] == [{"indicator": "Quãng đường người dân phải đi", "baseline": 10, "result": 2, "unit": "km",
                                "better": "thap-hon", "period": "Quý I/2024"}]
    assert data["attachments"] == [{"kind": "video", "title": "Video giới thiệu lịch trực", "url": "https://xa.gov.vn/video.mp4"}]
    assert data["keywords"] == ["chứng thực", "lưu động"]
    assert list(data)[:4] == ["id", "title", "campaign", "unit"]  # the schema's order
    assert doc.body.lstrip("\n").startswith("## Thực trạng\n\nTrước đây") and "  - Lịch niêm yết" in doc.body and "## Cách nhân rộng" in doc.body
    check = repo.run("validate", REL)
    assert check.returncode == 0, check.stdout


def test_asks_for_campaign_and_unit_when_not_given(repo) -> None:
    script = SESSION.replace("Ngắn                                  # title: too short -> SK206, asked again\n", "")
    # campaigns newest first: y-te-ninh-thuan-2025, kcn-hung-yen-2024, chau-thanh-2024 (thi đua is not offered)
    done = run_new(repo, answers("9\nchau-thanh-2024\n7\n" + script))
    out = done.stdout
    assert done.returncode == 0, out
    assert "Đợt phát động:" in out and "ba-ria-vung-tau-2023" not in out.split("Đơn vị nộp:")[0]
    assert "đã hết hạn lúc 25/06/2024 23:59 (giờ Việt Nam)" not in out  # at SANGKIEN_NOW the window is open
    assert "đang nhận bài đến 25/06/2024 23:59 (giờ Việt Nam)" in out
    units = out.split("Đơn vị nộp:")[1].split("Chọn")[0]
    assert "7. UBND xã Hảo Đước" in units
    assert (repo.path / REL).is_file()


def test_existing_id_is_asked_again_and_nothing_is_overwritten(repo) -> None:
    existing = "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md"
    before = (repo.path / existing).read_bytes()
    script = SESSION.replace("                                      # id: Enter keeps the proposed slug",
                             "so-hoa-ho-so-mot-cua-xa\nlich-truc-luu-dong")
    done = run_new(repo, answers(script), "--campaign", "chau-thanh-2024", "--unit", "tn-ct-hao-duoc")
    assert done.returncode == 0, done.stdout
    assert f"✗ SK301: Mã «so-hoa-ho-so-mot-cua-xa» đã dùng cho {existing}." in done.stdout
    assert (repo.path / existing).read_bytes() == before
    assert (repo.path / "entries/chau-thanh-2024/tn-ct-hao-duoc/lich-truc-luu-dong.md").is_file()


def test_write_refuses_an_existing_file(repo) -> None:
    target = repo.path / "entries/chau-thanh-2024/tn-ct-hao-duoc/da-co.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("nội dung cũ", encoding="utf-8")
    out = io.StringIO()
    session = new.NewEntry(repo.path, new.Asker(out=out, inp=io.StringIO("")), new.vntime.parse_instant(NOW))
    session.data = {"id": "da-co", "campaign": "chau-thanh-2024", "unit": "tn-ct-hao-duoc"}
    assert session.write() == 1
    assert "không ghi đè" in out.getvalue()
    assert target.read_text(encoding="utf-8") == "nội dung cũ"


def test_input_ending_early_writes_nothing(repo) -> None:
    done = run_new(repo, "Lịch trực lưu động tiếp nhận hồ sơ chứng thực\n", "--campaign", "chau-thanh-2024", "--unit", "tn-ct-hao-duoc")
    assert done.returncode == 2
    assert "đầu vào kết thúc trước khi trả lời hết" in done.stdout and "Traceback" not in done.stderr
    assert not list((repo.path / "entries/chau-thanh-2024").glob("tn-ct-hao-duoc/lich-truc*"))


@pytest.mark.parametrize(("args", "message"), [
    (("--campaign", "khong-co"), "SK302"),
    (("--campaign", "ba-ria-vung-tau-2023"), "phong trào thi đua"),
    (("--campaign", "chau-thanh-2024", "--unit", "khong-co"), "SK303"),
])
def test_bad_campaign_or_unit(repo, args: tuple[str, ...], message: str) -> None:
    done = run_new(repo, "", *args)
    assert done.returncode == 2 and message in done.stdout and "Traceback" not in done.stderr


def test_submitted_outside_the_window_is_asked_again(repo) -> None:
    script = SESSION.replace("10/06/2024                            # submitted, written day/month/year",
                             "26/06/2024\n2024-06-10")
    done = run_new(repo, answers(script), "--campaign", "chau-thanh-2024", "--unit", "tn-ct-hao-duoc")
    assert done.returncode == 0, done.stdout
    assert "✗ SK402: ngày nộp 26/06/2024 sau hạn chót 25/06/2024 23:59 (giờ Việt Nam)." in done.stdout


TRICKY = ["yes", "no", "012", "2024-06-10", "12:30", "- gạch", "a: b", "a #b", "#x", "x:", "'nháy'", '"kép"', "[x]", "{y}",
          "a, b", "&a", "*b", "!c", "|", ">", "%", "@", "`", "dòng 1\ndòng 2", "tab\there", " đầu", "cuối ", "vô\u200bhình",
          "\\ chéo", "123/QĐ-UBND", "100%", "true", ".5", "-1", "0x1F", "=", "<<", "Quyết định: số 5"]


def test_written_yaml_reads_back_the_same() -> None:
    data = {"id": "thu", "title": "Tên", "keywords": TRICKY, "authors": [{"name": v, "contribution": 12.5} for v in TRICKY],
            "previous_contest": {"contest": "a: b", "year": 2023}, "ghi chú": "x", "empty": [], "obj": {}}
    text = new.render_entry(data, "\n\nThân bài\n\n")
    doc = read_markdown(text.encode("utf-8"), "entries/a/b/thu.md")
    assert doc.problems == [] and doc.data == data and doc.body.strip() == "Thân bài"
    assert text.endswith("---\n\nThân bài\n")


def test_help_is_vietnamese() -> None:
    done = subprocess.run([sys.executable, "-m", "sangkien", "new", "--help"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False, cwd=Path(__file__).parent)
    assert done.returncode == 0 and "Cách dùng: sangkien new" in done.stdout and "--campaign MÃ_ĐỢT" in done.stdout


# ----------------------------------------------------------------- dates typed day first
def test_dates_are_typed_day_first_and_refused_with_a_reason(repo) -> None:
    script = SESSION.replace("10/06/2024                            # submitted, written day/month/year",
                             "10/06/24\n31/06/2024\n06/31/2024\nhôm nay\n10.6.2024")
    done = run_new(repo, answers(script), "--campaign", "chau-thanh-2024", "--unit", "tn-ct-hao-duoc")
    out = done.stdout
    assert done.returncode == 0, out
    assert "Ghi theo ngày/tháng/năm, ví dụ 25/06/2024." in out.split("Ngày nộp (bắt buộc)")[1].split("\n")[1]
    assert "Ngày nộp [10/06/2024]: " in out  # today's date proposed day first
    assert "✗ «10/06/24»: năm phải ghi đủ 4 chữ số." in out
    assert "✗ «31/06/2024»: ngày không có thật, tháng 6 năm 2024 chỉ có 30 ngày." in out
    assert "✗ «06/31/2024»: không có tháng 31 (tháng từ 1 đến 12)." in out
    assert "✗ «hôm nay» không phải ngày." in out
    assert 'submitted: "2024-06-10"' in (repo.path / REL).read_text(encoding="utf-8")


def test_date_rule_is_vntime_parse_typed_date() -> None:
    assert new._date("1/3/2024") == "2024-03-01"  # 1 March, whatever the locale
    assert new._date("2024-03-01") == "2024-03-01"
    with pytest.raises(new.vntime.TypedDateError):
        new._date("01/03/24")


# ----------------------------------------------------------------- sangkien new --nhan-rong
REPLICATION = """
01/07/2024                            # since: before the recognition (25/07/2024) -> SK323
31/09/2024                            # impossible date
15/10/2024
                                      # id: Enter keeps the proposed one
Ngắn                                  # summary too short -> SK206
Xã An Bình quét hồ sơ ngay tại quầy Một cửa; thời gian trả bản sao chứng thực giảm từ 2 ngày xuống 1 ngày.
Dùng máy quét sẵn có; chỉ áp dụng cho hồ sơ chứng thực trong tháng đầu.
Thời gian trả kết quả chứng thực bản sao
2
1
ngày
                                      # better: skipped
Quý IV/2024 so với quý II/2024
k                                     # no other result
http://example.gov.vn/bao-cao.pdf     # not https -> SK205
https://example.gov.vn/an-binh-bao-cao-cchc-quy-iv-2024.pdf
Tập huấn một buổi cho công chức Một cửa, rồi áp dụng cho hồ sơ chứng thực.

"""
REPLICATION_REL = "entries/replications/tn-ct-an-binh/so-hoa-ho-so-mot-cua-xa-tn-ct-an-binh.md"


def run_replication(repo, stdin: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "SANGKIEN_NOW": "2024-11-04T09:00:00+07:00"}
    return subprocess.run([sys.executable, "-m", "sangkien", "new", "--nhan-rong", *args], cwd=repo.path, input=stdin,
                          capture_output=True, text=True, env=env, check=False, timeout=120)


def test_replication_session_writes_a_valid_file(repo) -> None:
    done = run_replication(repo, answers(REPLICATION), "--sang-kien", "so-hoa-ho-so-mot-cua-xa", "--unit", "tn-ct-an-binh")
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert "Traceback" not in out + done.stderr
    assert "quyết định 1682/QĐ-UBND ngày 25/07/2024" in out
    assert "✗ SK323" in out and "✗ SK206" in out and "✗ SK205" in out
    assert "✗ «31/09/2024»: ngày không có thật, tháng 9 năm 2024 chỉ có 30 ngày." in out
    assert f"Đã tạo tệp {REPLICATION_REL}." in out and "0 lỗi" in out
    text = (repo.path / REPLICATION_REL).read_text(encoding="utf-8")
    doc = read_markdown(text.encode(), REPLICATION_REL)
    assert doc.data == {
        "id": "so-hoa-ho-so-mot-cua-xa-tn-ct-an-binh", "initiative": "so-hoa-ho-so-mot-cua-xa", "unit": "tn-ct-an-binh",
        "since": "2024-10-15", "adapted": "Dùng máy quét sẵn có; chỉ áp dụng cho hồ sơ chứng thực trong tháng đầu.",
        "results": [{"indicator": "Thời gian trả kết quả chứng thực bản sao", "baseline": 2, "result": 1, "unit": "ngày",
                     "period": "Quý IV/2024 so với quý II/2024"}],
        "evidence": "https://example.gov.vn/an-binh-bao-cao-cchc-quy-iv-2024.pdf",
        "summary": "Xã An Bình quét hồ sơ ngay tại quầy Một cửa; thời gian trả bản sao chứng thực giảm từ 2 ngày xuống 1 ngày.",
    }
    assert 'since: "2024-10-15"' in text and doc.body.lstrip("\n").startswith("## Cách triển khai\n\nTập huấn")
    check = repo.run("validate", REPLICATION_REL)
    assert check.returncode == 0, check.stdout


def test_replication_asks_for_initiative_and_unit(repo) -> None:
    done = run_replication(repo, "so-hoa-ho-so-mot-cua-xa\ntn-ct-an-binh\n" + answers(REPLICATION))
    out = done.stdout
    assert done.returncode == 0, out
    offered = out.split("Sáng kiến được nhân rộng (đã được công nhận):")[1].split("Chọn")[0]
    assert "Số hóa hồ sơ ngay khi tiếp nhận tại Bộ phận Một cửa xã Thành Long" in offered
    assert "may-tra-cuu-tthc-tai-nha-van-hoa-ap" not in offered  # not recognised: not offered
    units = out.split("Đơn vị nhân rộng (đơn vị đã áp dụng lại sáng kiến):")[1].split("Chọn")[0]
    assert "(tn-ct-an-binh)" in units and "(tn-ct-thanh-long)" not in units  # the initiative's own unit is not offered
    assert (repo.path / REPLICATION_REL).is_file()


@pytest.mark.parametrize(("args", "message"), [
    (("--sang-kien", "khong-co-sang-kien"), "SK320"),
    (("--sang-kien", "may-tra-cuu-tthc-tai-nha-van-hoa-ap"), "SK321"),
    (("--sang-kien", "so-hoa-ho-so-mot-cua-xa", "--unit", "tn-ct-thanh-long"), "SK322"),
    (("--sang-kien", "so-hoa-ho-so-mot-cua-xa", "--unit", "khong-co"), "SK303"),
    (("--sang-kien", "so-hoa-ho-so-mot-cua-xa", "--unit", "tn-ct-hao-duoc"), "SK325"),
])
def test_replication_refusals(repo, args: tuple[str, ...], message: str) -> None:
    done = run_replication(repo, "", *args)
    assert done.returncode == 2, done.stdout
    assert message in done.stdout and "Traceback" not in done.stderr
    assert not list((repo.path / "entries/replications").glob("*/*-tn-ct-*-2.md"))


def test_replication_id_fits_the_schema() -> None:
    assert new.replication_id("so-hoa-ho-so-mot-cua-xa", "tn-ct-an-binh") == "so-hoa-ho-so-mot-cua-xa-tn-ct-an-binh"
    long = "-".join(["mot"] * 30)
    out = new.replication_id(long, "kh-ttyt-kv-ninh-phuoc")
    assert len(out) <= 80 and out.endswith("-kh-ttyt-kv-ninh-phuoc") and "--" not in out
