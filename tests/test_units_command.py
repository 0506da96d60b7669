"""`sangkien units import / add / accounts` on real copies of the repository: what is added is
the official list, the rest of the file (comments included) stays byte for byte, the result is
valid, and a refusal leaves the file as it was."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import TempRepo
from helpers.cli import run_cli
from sangkien import adminunits, yamlstrict
from sangkien.adminunits import LEGACY, NEW
from sangkien.validator import validate

UNITS = "entries/units.yaml"


def _units(repo: TempRepo) -> list[dict]:
    return yamlstrict.load(repo.read(UNITS), UNITS).data["units"]


def _errors(repo: TempRepo) -> list:
    return [p for p in validate(repo.path).problems if p.is_error]


def _run(repo: TempRepo, *args: str):
    return run_cli(["units", *args, "--root", str(repo.path)])


def test_import_a_post_reform_province(repo: TempRepo) -> None:
    before = repo.read(UNITS)
    done = _run(repo, "import", "Khánh Hòa")
    assert done.code == 0, done.stdout + done.stderr
    after = repo.read(UNITS)
    assert after.startswith(before.rstrip("\n") + "\n"), "everything before the new units stays, comments included"
    assert "# Nhập bằng «sangkien units import»" in after[len(before):]
    units = _units(repo)
    old_ids = {u["id"] for u in yamlstrict.load(before, UNITS).data["units"]}
    new = [u for u in units if u["id"] not in old_ids]
    communes = adminunits.communes("56")
    assert len(communes) == 65 and len(new) == 65, "the province's committee (kh-ubnd-tinh-moi, code 56) is already there"
    assert {u["admin_code"] for u in new} == {c.code for c in communes}
    assert all(u["kind"] == "ubnd-xa" and u["level"] == "xa" and u["parent"] == "kh-ubnd-tinh-moi" and u["valid_from"] == "2025-07-01"
               and u["accounts"] == [] and "contact" not in u for u in new)
    nha_trang = next(u for u in new if u["admin_code"] == "22333")
    assert nha_trang == {"id": "kh-bac-nha-trang", "name": "UBND phường Bắc Nha Trang", "official_name": "Ủy ban nhân dân phường Bắc Nha Trang",
                         "kind": "ubnd-xa", "level": "xa", "parent": "kh-ubnd-tinh-moi", "admin_code": "22333",
                         "valid_from": "2025-07-01", "accounts": []}
    assert len({u["id"] for u in units}) == len(units)
    assert "Đã thêm 65 đơn vị" in done.stdout and "kh-ubnd-tinh-moi" in done.stdout
    assert _errors(repo) == []

    again = _run(repo, "import", "56")
    assert again.code == 0 and "Không có đơn vị mới" in again.stdout and "66 đơn vị đã có" in again.stdout
    assert repo.read(UNITS) == after


def test_import_adds_the_province_committee_when_missing_and_ids_are_stable(repo: TempRepo, tmp_path) -> None:
    done = _run(repo, "import", "ha noi")
    assert done.code == 0, done.stdout + done.stderr
    units = _units(repo)
    head = next(u for u in units if u.get("admin_code") == "01")
    assert head["id"] == "hn-ubnd-tinh" and head["official_name"] == "Ủy ban nhân dân thành phố Hà Nội" and head["level"] == "tinh"
    communes = [u for u in units if u.get("parent") == "hn-ubnd-tinh"]
    assert len(communes) == len(adminunits.communes("01")) == 126
    assert next(u for u in communes if u["admin_code"] == "00004")["id"] == "hn-ba-dinh"
    # the same import into another copy gives the same ids
    other = TempRepo(tmp_path / "khac")
    other.path.mkdir()
    for rel in ("entries", "schema"):
        subprocess.run(["cp", "-r", str(repo.path / rel), str(other.path / rel)], check=True)
    other.write(UNITS, subprocess.run(["git", "-C", str(repo.path), "show", f"HEAD:{UNITS}"], capture_output=True, text=True, check=True).stdout)
    assert _run(other, "import", "01").code == 0
    assert [u["id"] for u in _units(other)] == [u["id"] for u in units]
    assert _errors(repo) == []


def test_dry_run_lists_and_writes_nothing(repo: TempRepo) -> None:
    before = repo.read(UNITS)
    done = _run(repo, "import", "tay ninh", "--dry-run")
    assert done.code == 0, done.stderr
    assert repo.read(UNITS) == before
    assert "sẽ thêm 96 đơn vị, giữ nguyên 1 đơn vị đã có" in done.stdout
    assert "  + tn-hao-duoc: UBND xã Hảo Đước — mã 25588" in done.stdout
    # «Tân Thành» and «Tân Thạnh» fold to the same name: both ids say the type, the same way every time
    assert "  + tn-xa-tan-thanh: UBND xã Tân Thành — mã 25534" in done.stdout
    assert "  + tn-xa-tan-thanh-27826: UBND xã Tân Thạnh — mã 27826" in done.stdout
    assert "  = Tỉnh Tây Ninh (mã 80): đã có (tn-ubnd-tinh-moi), giữ nguyên" in done.stdout


def test_unknown_province_is_refused_with_the_list(repo: TempRepo) -> None:
    before = repo.read(UNITS)
    for typed in ("Long An", "Tỉnh Không Có"):
        done = _run(repo, "import", typed)
        assert done.code == 1 and "SK910" in done.stderr and f"«{typed}»" in done.stderr and "Tây Ninh (80)" in done.stderr
        assert "Traceback" not in done.stderr
    assert repo.read(UNITS) == before


def test_legacy_units_and_departments(repo: TempRepo) -> None:
    repo.write("so-nganh.csv", "Tên,Ghi chú\nSở Nội vụ tỉnh Tây Ninh,\nSở Tư pháp,mới\n\nSở Nội vụ tỉnh Tây Ninh,lặp lại\n")
    done = _run(repo, "import", "Tây Ninh", "--legacy", "--departments", str(repo.path / "so-nganh.csv"))
    assert done.code == 0, done.stdout + done.stderr
    units = {u["id"]: u for u in _units(repo)}
    assert units["tn-so-noi-vu"] == {"id": "tn-so-noi-vu", "name": "Sở Nội vụ tỉnh Tây Ninh", "kind": "so-nganh", "level": "tinh",
                                     "parent": "tn-ubnd-tinh-moi", "accounts": []}
    assert units["tn-so-tu-phap"]["name"] == "Sở Tư pháp"
    long_an = units["la-ubnd-tinh"]
    assert (long_an["admin_code"], long_an["valid_to"], long_an["successor"]) == ("80", "2025-06-30", "tn-ubnd-tinh-moi")
    districts = [u for u in units.values() if u["kind"] == "ubnd-huyen" and u.get("admin_code")]
    expected = {d.code for p in ("72", "80") for d in adminunits.districts(p)}
    assert {u["admin_code"] for u in districts} == expected
    assert units["tn-chau-thanh"].get("successor") is None, "the shipped district (code 708) is kept as it was"
    assert all(u["valid_to"] == "2025-06-30" and u["successor"] == "tn-ubnd-tinh-moi" for u in districts if u["id"] != "tn-chau-thanh")
    assert units["la-ben-luc"]["parent"] == "la-ubnd-tinh" and units["la-ben-luc"]["name"] == "UBND huyện Bến Lức"
    assert _errors(repo) == []
    # every new code is judged against the list of its own period by the validator
    assert [p for p in validate(repo.path).problems if p.code.startswith("SK33")] == []
    assert adminunits.lookup(long_an["admin_code"], LEGACY).short == "Long An"
    assert adminunits.lookup(long_an["admin_code"], NEW).short == "Tây Ninh"


def test_bad_department_list_is_refused(repo: TempRepo) -> None:
    before = repo.read(UNITS)
    repo.write("trong.txt", "\n\n")
    done = _run(repo, "import", "Tây Ninh", "--departments", str(repo.path / "trong.txt"))
    assert done.code == 1 and "SK914" in done.stderr and "không có tên sở, ngành nào" in done.stderr
    repo.write("utf16.txt", "Sở Nội vụ\n".encode("utf-16"))
    done = _run(repo, "import", "Tây Ninh", "--departments", str(repo.path / "utf16.txt"))
    assert done.code == 1 and "SK914" in done.stderr and "UTF-8" in done.stderr
    assert repo.read(UNITS) == before


def test_add_one_unit_from_its_official_code_with_accounts(repo: TempRepo) -> None:
    before = repo.read(UNITS)
    done = _run(repo, "add", "--admin-code", "25588", "--account", "haoduoc-tayninh", "--email", "ubnd-haoduoc@tayninh.gov.vn")
    assert done.code == 0, done.stdout + done.stderr
    assert repo.read(UNITS).startswith(before)
    unit = _units(repo)[-1]
    assert unit == {"id": "tn-hao-duoc", "name": "UBND xã Hảo Đước", "official_name": "Ủy ban nhân dân xã Hảo Đước", "kind": "ubnd-xa",
                    "level": "xa", "parent": "tn-ubnd-tinh-moi", "admin_code": "25588", "valid_from": "2025-07-01",
                    "contact": {"email": "ubnd-haoduoc@tayninh.gov.vn"}, "accounts": ["haoduoc-tayninh"]}
    assert _errors(repo) == []
    codeowners = run_cli(["codeowners", "--root", str(repo.path)])
    assert codeowners.code == 0, codeowners.stderr
    assert "/entries/*/tn-hao-duoc/ @haoduoc-tayninh @sonoivu-demo" in (repo.path / ".github/CODEOWNERS").read_text(encoding="utf-8")


def test_add_with_flags_and_dates_typed_day_first(repo: TempRepo) -> None:
    done = _run(repo, "add", "--id", "tn-so-y-te", "--name", "Sở Y tế tỉnh Tây Ninh", "--kind", "so-nganh", "--level", "tinh",
                "--parent", "tn-ubnd-tinh-moi", "--valid-from", "01/07/2025", "--account", "syt-tayninh", "--no-input")
    assert done.code == 0, done.stdout + done.stderr
    assert _units(repo)[-1] == {"id": "tn-so-y-te", "name": "Sở Y tế tỉnh Tây Ninh", "kind": "so-nganh", "level": "tinh",
                                "parent": "tn-ubnd-tinh-moi", "valid_from": "2025-07-01", "accounts": ["syt-tayninh"]}


def test_add_refusals_leave_the_file_as_it_was(repo: TempRepo) -> None:
    before = (repo.path / UNITS).read_bytes()
    cases = [
        (["--admin-code", "99999"], "SK911", "mã 99999 không có trong danh mục"),
        (["--admin-code", "72"], "SK911", "mã cũ của Tỉnh Tây Ninh"),
        (["--admin-code", "80"], "SK911", "đã là mã của đơn vị «tn-ubnd-tinh-moi»"),
        (["--id", "tn-ubnd-tinh", "--name", "UBND tỉnh", "--kind", "ubnd-tinh", "--level", "tinh"], "SK911", "đã có trong danh mục"),
        (["--id", "x1", "--name", "Sở X", "--kind", "so", "--level", "tinh"], "SK911", "loại đơn vị «so»"),
        (["--id", "x1", "--name", "Sở X", "--kind", "so-nganh", "--level", "tinh", "--parent", "khong-co"], "SK911", "«khong-co»"),
        (["--id", "x1", "--name", "Sở X", "--kind", "so-nganh", "--level", "tinh", "--valid-to", "31/02/2025"], "SK911", "ngày không có thật"),
        (["--id", "x1", "--no-input"], "SK911", "thiếu tên đơn vị"),
        (["--id", "x1", "--name", "Sở X", "--kind", "so-nganh", "--level", "tinh", "--email", "khong-phai-hop-thu"], "SK913", "SK205"),
    ]
    for args, code, text in cases:
        done = _run(repo, "add", *args)
        assert done.code == 1, (args, done.stdout, done.stderr)
        assert code in done.stderr and text in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert (repo.path / UNITS).read_bytes() == before, args


def test_add_asks_in_vietnamese_for_what_is_missing(repo: TempRepo) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    # no official code, a bad id then a good one, name, no official name, kind 2, level 1, no e-mail, no dates
    answers = "\nTn Sai\ntn-so-cong-thuong\nSở Công Thương tỉnh Tây Ninh\n\n2\n1\n\n\n\n"
    done = subprocess.run([sys.executable, "-m", "sangkien", "units", "add", "--parent", "tn-ubnd-tinh-moi", "--account", "sct-tayninh"],
                          cwd=repo.path, input=answers, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Mã đơn vị (chữ thường không dấu" in done.stdout and "Mời nhập lại." in done.stdout
    assert "Loại đơn vị:" in done.stdout and "Sở, ban, ngành cấp tỉnh" in done.stdout and "Cấp hành chính:" in done.stdout
    assert _units(repo)[-1] == {"id": "tn-so-cong-thuong", "name": "Sở Công Thương tỉnh Tây Ninh", "kind": "so-nganh", "level": "tinh",
                                "parent": "tn-ubnd-tinh-moi", "accounts": ["sct-tayninh"]}
    # a pre-reform code: asked whether the unit ended on 30/06/2025, then everything comes from the list
    answers = "709\nc\nubnd-hoathanh@tayninh.gov.vn\nhoathanh-demo\ntn-ubnd-tinh-moi\n"
    done = subprocess.run([sys.executable, "-m", "sangkien", "units", "add"], cwd=repo.path, input=answers, capture_output=True, text=True,
                          env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Mã 709 là mã cũ của Thị xã Hòa Thành" in done.stdout and "→ Thị xã Hòa Thành (trước 01/7/2025)" in done.stdout
    assert _units(repo)[-1] == {"id": "tn-hoa-thanh", "name": "UBND thị xã Hòa Thành", "official_name": "Ủy ban nhân dân thị xã Hòa Thành",
                                "kind": "ubnd-huyen", "level": "huyen", "parent": "tn-ubnd-tinh", "admin_code": "709",
                                "valid_to": "2025-06-30", "successor": "tn-ubnd-tinh-moi",
                                "contact": {"email": "ubnd-hoathanh@tayninh.gov.vn"}, "accounts": ["hoathanh-demo"]}
    assert _errors(repo) == []
    stopped = subprocess.run([sys.executable, "-m", "sangkien", "units", "add"], cwd=repo.path, input="", capture_output=True, text=True,
                             env=env, check=False)
    assert stopped.returncode == 2 and "Chưa ghi gì" in stopped.stderr and "Traceback" not in stopped.stderr


def test_accounts_for_an_imported_commune(repo: TempRepo) -> None:
    assert _run(repo, "import", "Tây Ninh").code == 0
    before = repo.read(UNITS)
    done = _run(repo, "accounts", "tn-hao-duoc", "haoduoc-tayninh", "@haoduoc-2")
    assert done.code == 0, done.stdout + done.stderr
    after = repo.read(UNITS)
    changed = [(a, b) for a, b in zip(before.split("\n"), after.split("\n"), strict=True) if a != b]
    assert changed == [("    accounts: []", "    accounts: [haoduoc-tayninh, haoduoc-2]")]
    assert next(u for u in _units(repo) if u["id"] == "tn-hao-duoc")["accounts"] == ["haoduoc-tayninh", "haoduoc-2"]
    same = _run(repo, "accounts", "tn-hao-duoc", "HaoDuoc-TayNinh")
    assert same.code == 0 and "đã có các tài khoản này" in same.stdout and repo.read(UNITS) == after
    for args, text in ((["khong-co", "abc"], "«khong-co» không có trong danh mục"), (["tn-hao-duoc", "không hợp lệ"], "không hợp lệ")):
        bad = _run(repo, "accounts", *args)
        assert bad.code == 1 and "SK911" in bad.stderr and text in bad.stderr
    assert repo.read(UNITS) == after


def test_a_file_that_cannot_be_spliced_safely_is_not_written(repo: TempRepo) -> None:
    text = repo.read(UNITS)
    broken = text.replace("units:\n", "units:\n\t- id: hong\n", 1)
    repo.write(UNITS, broken)
    done = _run(repo, "import", "Tây Ninh")
    assert done.code == 1 and "SK912" in done.stderr and "Traceback" not in done.stderr
    assert repo.read(UNITS) == broken


def test_crlf_and_bom_are_kept(repo: TempRepo) -> None:
    raw = b"\xef\xbb\xbf" + repo.read(UNITS).replace("\n", "\r\n").encode("utf-8")
    (repo.path / UNITS).write_bytes(raw)
    assert _run(repo, "add", "--admin-code", "25588").code == 0
    new = (repo.path / UNITS).read_bytes()
    assert new.startswith(raw) and b"\n" not in new.replace(b"\r\n", b"")
