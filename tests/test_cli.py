"""The validator as a new user meets it: the real `sangkien` command on a copy of the repository.

Each mistake a newcomer makes must give exactly one Vietnamese error at the right line with a
fix, in every output format, with the documented exit codes and never a traceback.

Most tests run the command line in this process (tests/helpers/cli.py); a few run it as a real
process (`python -m sangkien`): the exit status a shell sees, and hostile files whose output goes
through a real console stream.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata

import pytest
from conftest import ROOT, TempRepo, run_sangkien
from helpers.cli import Result, run_cli

BASE = "entries/chau-thanh-2024/tn-ct-thanh-long/so-hoa-ho-so-mot-cua-xa.md"
FOLDER = BASE.rsplit("/", 1)[0]
GITHUB_LINE = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=(SK\d{3})::(.+)$")


def cli(repo: TempRepo, *args: str) -> Result:
    """Run the command line in this process; whatever happens, a user never sees a Python traceback."""
    return no_traceback(run_cli(args, cwd=repo.path))


def cli_process(repo: TempRepo, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real command as a separate process, as a user's shell does."""
    return no_traceback(repo.run(*args))


def no_traceback(done):
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr
    assert "Lỗi nội bộ" not in done.stderr, done.stderr
    return done


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if needle in line]
    return hits[occurrence - 1]


def variant(original: str, new_id: str, old: str, new: str) -> str:
    assert original.count(old) >= 1, old
    text = original.replace("id: so-hoa-ho-so-mot-cua-xa", f"id: {new_id}", 1)
    return text.replace(old, new, 1)


def newcomer_mistakes(original: str) -> dict[str, tuple[str, str, int, str]]:
    """file name -> (text, expected code, expected line, a piece of the expected fix)."""
    cases: dict[str, tuple[str, str, int, str]] = {}

    def add(name: str, text: str, code: str, line: int, fix: str) -> None:
        cases[name] = (text, code, line, fix)

    text = variant(original, "thieu-truong", "\nfield:", "\nfield_x_removed:")
    text = "\n".join(line for line in text.split("\n") if not line.startswith("field_x_removed:"))
    add("thieu-truong", text, "SK201", 2, "field: …")

    area = re.search(r"^areas: \[([a-z-]+)", original, re.M).group(1)
    text = variant(original, "sai-linh-vuc", f"areas: [{area}", f"areas: [{area[:-1]}")
    add("sai-linh-vuc", text, "SK204", line_of(text, "areas:"), f"Có phải ý bạn là «{area}»")

    submitted = re.search(r'^submitted: "(.+)"$', original, re.M).group(0)
    text = variant(original, "ngay-kieu-viet", submitted, "submitted: 25/06/2024")
    add("ngay-kieu-viet", text, "SK205", line_of(text, "submitted:"), '"2024-06-25"')

    field = re.search(r"^field: .+$", original, re.M).group(0)
    text = variant(original, "trung-truong", field, f"{field}\nfield: Một cửa")
    add("trung-truong", text, "SK101", line_of(text, "field:", 2), "Xóa một trong hai dòng")

    text = variant(original, "dong-tac-gia-thieu-ty-le", "    contribution: 40\n", "")
    second_author = [i for i, line in enumerate(text.split("\n"), start=1) if line.startswith("  - name:")][1]
    add("dong-tac-gia-thieu-ty-le", text, "SK201", second_author, "contribution: …")

    text = variant(original, "so-dien-thoai", "## Giải pháp\n", "## Giải pháp\n\nMọi thắc mắc gọi chị Hòa: 0912 345 678.\n")
    add("so-dien-thoai", text, "SK501", line_of(text, "0912 345 678"), "Xóa số điện thoại")
    return cases


@pytest.fixture
def mistakes(repo: TempRepo) -> dict[str, tuple[str, str, int, str]]:
    cases = newcomer_mistakes(repo.read(BASE))
    for name, (text, *_rest) in cases.items():
        repo.write(f"{FOLDER}/{name}.md", text)
    return cases


def test_shipped_repository_is_clean_through_the_cli():
    done = run_sangkien("validate", cwd=ROOT)
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stdout
    assert re.search(r"Đã kiểm tra \d+ tệp: 0 lỗi", done.stdout)


def test_each_newcomer_mistake_gives_one_vietnamese_error_with_a_fix(repo, mistakes):
    done = cli(repo, "validate", "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    for name, (_text, code, line, fix) in mistakes.items():
        path = f"{FOLDER}/{name}.md"
        errors = [p for p in report["problems"] if p["file"] == path and p["severity"] == "error"]
        assert len(errors) == 1, (name, errors)
        got = errors[0]
        assert (got["code"], got["line"]) == (code, line), (name, got)
        assert f"Dòng {line}" in got["message"], got
        assert "Cách sửa:" in got["message"] and fix in got["message"].split("Cách sửa:", 1)[1], (name, got["message"])
    others = [p for p in report["problems"] if p["severity"] == "error" and not p["file"].startswith(f"{FOLDER}/")]
    assert others == []


def test_text_format_names_file_line_code_and_fix(repo, mistakes):
    done = cli(repo, "validate", f"{FOLDER}/ngay-kieu-viet.md")
    assert done.returncode == 1
    lines = done.stdout.strip().split("\n")
    _, _, line, _ = mistakes["ngay-kieu-viet"]
    assert lines[0].startswith(f"{FOLDER}/ngay-kieu-viet.md:{line}:")
    assert ": lỗi SK205: " in lines[0] and 'Cách sửa: Viết theo dạng năm-tháng-ngày trong dấu nháy: "2024-06-25".' in lines[0]
    assert lines[-1] == "Đã kiểm tra 1 tệp: 1 lỗi, 0 cảnh báo. Chưa đạt: cần sửa các lỗi trên."


def test_json_format_shape(repo, mistakes):
    done = cli(repo, "validate", "--format", "json", FOLDER)
    report = json.loads(done.stdout)
    assert set(report) == {"problems", "checked"}
    assert report["checked"] == len(list((repo.path / FOLDER).iterdir()))
    assert report["problems"]
    for p in report["problems"]:
        assert set(p) == {"code", "severity", "file", "line", "column", "message"}
        assert re.fullmatch(r"SK\d{3}", p["code"]) and p["severity"] in ("error", "warning")
        assert isinstance(p["line"], int) and p["line"] >= 1 and isinstance(p["column"], int) and p["column"] >= 1
        assert (repo.path / p["file"]).is_file()
    clean = json.loads(cli(repo, "validate", "--format", "json", BASE).stdout)
    assert clean == {"problems": [], "checked": 1}


def test_github_format_is_workflow_commands(repo, mistakes):
    done = cli(repo, "validate", "--format", "github")
    assert done.returncode == 1
    *commands, summary = done.stdout.strip().split("\n")
    assert summary.startswith("Đã kiểm tra ")
    parsed = [GITHUB_LINE.match(c) for c in commands]
    assert all(parsed), [c for c, m in zip(commands, parsed, strict=True) if not m]
    by_file = {m.group(2): m for m in parsed if m.group(1) == "error"}
    name = f"{FOLDER}/trung-truong.md"
    _, code, line, _ = mistakes["trung-truong"]
    assert by_file[name].group(5) == code and int(by_file[name].group(3)) == line
    assert all("\n" not in m.group(6) and "\r" not in m.group(6) for m in parsed)


def test_github_format_escapes_newlines_and_percent(repo):
    text = repo.read(BASE).replace("title: ", "title: 100% số hóa — ", 1).replace("\nfield:", "\nfield: a\nfield:", 1)
    repo.write(BASE, text)
    done = cli(repo, "validate", "--format", "github", BASE)
    commands = done.stdout.strip().split("\n")[:-1]
    assert commands and all(GITHUB_LINE.match(c) for c in commands)


def test_exit_code_zero_on_a_clean_copy(repo):
    done = cli_process(repo, "validate")
    assert done.returncode == 0, done.stdout
    assert "0 lỗi" in done.stdout


@pytest.mark.parametrize(("args", "needle"), [
    (("validate", "--khong-co"), "không hiểu tham số"),
    (("validate", "--at", "2024-06-25T23:59:59"), "SK903"),
    (("validate", "--at", "25/06/2024"), "SK903"),
    (("validate", "--at", "9999-12-31T23:59:59-05:00"), "SK903"),
    (("validate", "--at", "0001-01-01T00:00:00+07:00"), "SK903"),
    (("validate", "--format", "xml"), "lựa chọn"),
    (("khong-co-lenh",), "lựa chọn"),
    ((), "Cách dùng"),
])
def test_bad_usage_exits_2_with_a_vietnamese_message(repo, args, needle):
    done = cli(repo, *args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert needle in done.stdout + done.stderr
    assert "error:" not in done.stderr and "usage:" not in done.stderr


def test_help_is_in_vietnamese(repo):
    done = cli(repo, "validate", "--help")
    assert done.returncode == 0
    assert "Cách dùng" in done.stdout and "hiện hướng dẫn này rồi thoát" in done.stdout


def test_missing_path_and_unknown_base_are_coded_errors(repo):
    done = cli(repo, "validate", "entries/khong-co.md")
    assert done.returncode == 1 and "SK901" in done.stdout
    done = cli(repo, "validate", "--base", "khong-co-nhanh", "--at", "2024-06-01T00:00:00+07:00")
    assert done.returncode == 1 and "SK902" in done.stdout
    done = cli(repo, "validate", "--base", "khong-co-nhanh", BASE)  # also when only some paths are asked for
    assert done.returncode == 1 and "SK902" in done.stdout


def test_outside_a_repository_is_an_error_not_a_pass(tmp_path):
    done = run_cli(["validate"], cwd=tmp_path)
    assert "Traceback" not in done.stderr
    assert done.returncode == 1 and "SK901" in done.stdout and "entries/" in done.stdout


def test_hostile_files_never_give_a_traceback(repo):
    junk = {
        "nhi-phan.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "utf16.md": "---\nid: utf16\n---\n".encode("utf-16"),
        "windows-1258.md": b"---\nid: cp\ntitle: C\xe1i c\xe1ch\n---\n",
        "khong-rao.md": b"# Chi co tieu de\n",
        "vo-han.md": b"---\nid: a\n",
        "chi-so.md": b"---\n5\n---\n",
        "danh-sach.md": b"---\n- 1\n- 2\n---\n",
        "bi-danh.md": b"---\na: &x [1]\nb: *x\n---\n",
        "the-python.md": b"---\nid: !!python/object/apply:os.system ['true']\n---\n",
        "sai-kieu.md": b"---\nid: [1]\ncampaign: {a: 1}\nunit: 5\nsubmitted: [2024]\nauthors: 7\nareas: x\nattachments: 3\nresults: {a: 1}\n---\n",
        "hai-tai-lieu.md": b"---\na: 1\n---\n---\nb: 2\n---\n",
        "long.md": b"---\n" + b"a" * 70000 + b": 1\n---\n",
    }
    for name, raw in junk.items():
        repo.write(f"{FOLDER}/{name}", raw)
    repo.write("entries/chau-thanh-2024/decisions.yaml", b"- khong phai\n- mot nhom truong\n")
    repo.write("entries/units.yaml", b"units: 5\n")
    done = cli_process(repo, "validate", "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    flagged = {p["file"] for p in report["problems"] if p["severity"] == "error"}
    assert {f"{FOLDER}/{name}" for name in junk} <= flagged


# ------------------------------------------------------------------ sangkien fix
def test_fix_normalises_nfc_bom_and_crlf_atomically(repo):
    target = f"{FOLDER}/nfd.md"
    clean = repo.read(BASE).replace("id: so-hoa-ho-so-mot-cua-xa", "id: nfd", 1)
    raw = b"\xef\xbb\xbf" + unicodedata.normalize("NFD", clean).replace("\n", "\r\n").encode("utf-8")
    path = repo.write(target, raw)
    os.chmod(path, 0o640)
    before = cli(repo, "validate", "--format", "json", target)
    assert {p["code"] for p in json.loads(before.stdout)["problems"]} == {"SK002", "SK003"}
    neighbour = repo.path / BASE
    neighbour_stat = (neighbour.read_bytes(), neighbour.stat().st_mtime_ns)
    inode = path.stat().st_ino

    done = cli(repo, "fix", target)
    assert done.returncode == 0 and "đã chuẩn hóa" in done.stdout
    assert path.read_bytes() == clean.encode("utf-8")
    assert path.stat().st_ino != inode  # replaced by a rename, not rewritten in place
    assert path.stat().st_mode & 0o777 == 0o640
    assert (neighbour.read_bytes(), neighbour.stat().st_mtime_ns) == neighbour_stat
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []  # no temporary file left
    after = cli(repo, "validate", "--format", "json", target)
    assert json.loads(after.stdout)["problems"] == []

    again = cli(repo, "fix", target)
    assert again.returncode == 0 and "không cần sửa" in again.stdout


def test_fix_refuses_non_utf8_and_leaves_it_untouched(repo):
    path = repo.write(f"{FOLDER}/cp1258.md", b"---\nid: cp1258\ntitle: C\xe1i c\xe1ch\r\n---\n")
    before = (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino)
    done = cli(repo, "fix", str(path), f"{FOLDER}/khong-co.md")
    assert done.returncode == 1
    assert "SK001" in done.stdout and "UTF-8" in done.stdout and "SK901" in done.stdout
    assert (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino) == before


def test_fix_old_mac_line_endings(repo):
    path = repo.write(f"{FOLDER}/cr.md", b"---\rid: cr\r---\r")
    assert cli(repo, "fix", str(path)).returncode == 0
    assert path.read_bytes() == b"---\nid: cr\n---\n"


@pytest.mark.parametrize("args", [
    ("validate",), ("screen", "chau-thanh-2024", "so-hoa-ho-so-mot-cua-xa", "--pass"),
    ("decide", "chau-thanh-2024", "--number", "9/QĐ-UBND", "--date", "01/08/2024", "--entry", "so-hoa-ho-so-mot-cua-xa"),
    ("campaign", "next", "y-te-ninh-thuan-2026"), ("units", "import", "Tây Ninh", "--dry-run"), ("harvest",),
    ("import", "bai.docx", "--campaign", "chau-thanh-2024", "--unit", "tn-ct-hao-duoc"), ("new", "--campaign", "chau-thanh-2024"),
])
def test_an_unusable_clock_setting_is_one_coded_message_for_every_command(repo: TempRepo, args: tuple[str, ...]) -> None:
    before = {p: p.read_bytes() for p in (repo.path / "entries").rglob("*") if p.is_file()}
    done = run_cli([*args, "--root", str(repo.path)], cwd=repo.path, env={**os.environ, "SANGKIEN_NOW": "hôm nay"})
    assert done.code == 2, done.stdout + done.stderr
    assert "SANGKIEN_NOW" in done.stderr and "Mã SK903." in done.stderr and "Lỗi nội bộ" not in done.stderr
    assert {p: p.read_bytes() for p in (repo.path / "entries").rglob("*") if p.is_file()} == before  # nothing written
