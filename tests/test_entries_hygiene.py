"""What may sit in entries/ besides the text files: no gitlinks (submodules), attachments of the
types an official sends, with content matching the name, under the campaign's size caps.

Real Git repositories in a temporary folder, the real CLI, full runs and `--base` change checks
(a replayed pull request); large files are sparse (truncate), so the tests stay fast."""

from __future__ import annotations

import json
import os
import struct
import zipfile
import zlib
from io import BytesIO

from conftest import git
from helpers.pr_replay import CAMPAIGN, ON_TIME, PullRequest, entry_text, replay

UNIT = "tn-ct-an-binh"
FOLDER = f"entries/{CAMPAIGN}/{UNIT}"
MB = 1024 * 1024


# ---------------------------------------------------------------- legitimate files, built for real

def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def docx_bytes() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    return out.getvalue()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def sparse(path, size: int, head: bytes = b"") -> None:
    """A file of `size` bytes that takes no room on disk: `head`, then a hole (truncate)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(head)
    os.truncate(path, size)


def validate(repo, *args: str) -> tuple[int, list[dict]]:
    done = repo.run("validate", "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)["problems"]


def codes_by_file(problems: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(p["file"], []).append(p["code"])
    return out


def add_gitlink(repo, rel: str) -> None:
    """What `git submodule add` or `git add <nested repository>` records: a mode-160000 entry."""
    commit = git(repo.path, "rev-parse", "HEAD")
    git(repo.path, "update-index", "--add", "--cacheinfo", f"160000,{commit},{rel}")


# ---------------------------------------------------------------- gitlinks

def test_gitlink_named_like_an_entry_is_refused(repo):
    rel = f"{FOLDER}/x.md"
    add_gitlink(repo, rel)
    git(repo.path, "commit", "-q", "-m", "mô-đun con")
    assert not (repo.path / rel).exists()  # not checked out: nothing on disk to find but Git's record
    status, problems = validate(repo)
    [found] = [p for p in problems if p["file"] == rel]
    assert status == 1 and found["code"] == "SK015" and found["severity"] == "error"
    assert f"«{rel}» là một mô-đun con Git" in found["message"] and f"git rm --cached {rel}" in found["message"]


def test_embedded_repository_added_with_git_add_is_refused(repo):
    inner = repo.path / FOLDER / "kho-con"
    inner.mkdir(parents=True)
    git(inner, "init", "-q")
    (inner / "bai.md").write_text("nội dung từ kho khác\n", encoding="utf-8")
    git(inner, "add", "-A")
    git(inner, "commit", "-q", "-m", "kho con")
    git(repo.path, "add", f"{FOLDER}/kho-con")  # Git warns "adding embedded git repository" and records a gitlink
    assert git(repo.path, "ls-files", "-s", f"{FOLDER}/kho-con").startswith("160000 ")
    status, problems = validate(repo)
    assert status == 1 and "SK015" in codes_by_file(problems)[f"{FOLDER}/kho-con"]


def test_gitlink_anywhere_under_entries_in_a_pull_request(repo, tmp_path):
    pr = PullRequest(repo, {f"{FOLDER}/quy-trinh.pdf": pdf_bytes()})  # type: ignore[dict-item]
    git(repo.path, "checkout", "-q", pr.branch)
    add_gitlink(repo, f"{FOLDER}/tai-lieu")
    add_gitlink(repo, f"{FOLDER}/bai-ngoai.md")  # named like an entry: also an "added entry" for the deadline rules
    git(repo.path, "commit", "-q", "-m", "thêm mô-đun con")
    pr.head = git(repo.path, "rev-parse", "HEAD")
    git(repo.path, "checkout", "-q", "main")
    pr.merge_commit()
    verdict = replay(repo, pr.event("opened", created=ON_TIME), tmp=tmp_path)
    assert verdict.code == 1
    assert [p["file"] for p in verdict.problems if p["code"] == "SK015"] == [f"{FOLDER}/bai-ngoai.md", f"{FOLDER}/tai-lieu"]
    late = replay(repo, pr.event("opened", created="2024-06-26T02:00:00Z"), tmp=tmp_path)  # after the deadline: no crash,
    assert late.code == 1 and [p["code"] for p in late.problems if p["file"] == f"{FOLDER}/bai-ngoai.md"] == ["SK015"]  # one code per place


def test_outside_git_there_is_no_gitlink_to_find(repo):
    import shutil
    shutil.rmtree(repo.path / ".git")
    (repo.path / FOLDER / "x.md").mkdir(parents=True)  # an empty folder named like an entry: nothing to check
    assert validate(repo, "--root", str(repo.path)) == (0, [])


# ---------------------------------------------------------------- attachment types and content

def test_legitimate_pdf_docx_png_pass(repo):
    repo.write(f"{FOLDER}/quyet-dinh.pdf", pdf_bytes())
    repo.write(f"{FOLDER}/bao-cao.docx", docx_bytes())
    repo.write(f"{FOLDER}/anh-chup.png", png_bytes())
    repo.write(f"{FOLDER}/bang-so-lieu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    repo.write(f"{FOLDER}/gioi-thieu.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
    repo.commit("tệp kèm theo")
    assert validate(repo) == (0, [])


def test_active_content_attachments_are_refused(repo):
    repo.write(f"{FOLDER}/trang.html", "<html><script>alert(1)</script></html>")
    repo.write(f"{FOLDER}/so-do.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    repo.write(f"{FOLDER}/cong-cu.py", "import os\n")
    repo.write(f"{FOLDER}/khong-duoi", b"\x00")
    status, problems = validate(repo)
    found = codes_by_file(problems)
    assert status == 1
    for name in ("trang.html", "so-do.svg", "cong-cu.py", "khong-duoi"):
        assert found.pop(f"{FOLDER}/{name}") == ["SK016"], name
    assert not found, found
    [svg] = [p["message"] for p in problems if p["file"].endswith(".svg")]
    assert "đuôi «.svg»" in svg and "PDF, Word (.doc, .docx)" in svg


def test_content_must_match_the_declared_type(repo):
    repo.write(f"{FOLDER}/trang-web.pdf", b"<html><body>Quy\xe1\xba\xbft \xc4\x91\xe1\xbb\x8bnh</body></html>")
    repo.write(f"{FOLDER}/chuong-trinh.pdf", b"MZ\x90\x00\x03\x00\x00\x00")
    repo.write(f"{FOLDER}/rong.docx", b"")
    repo.write(f"{FOLDER}/that.docx", pdf_bytes())
    status, problems = validate(repo)
    by_file = {p["file"].rsplit("/", 1)[1]: p for p in problems}
    assert status == 1 and {name: p["code"] for name, p in by_file.items()} == dict.fromkeys(
        ("trang-web.pdf", "chuong-trinh.pdf", "rong.docx", "that.docx"), "SK017")
    assert "mang đuôi .pdf (PDF) nhưng nội dung là trang web" in by_file["trang-web.pdf"]["message"]
    assert "chương trình chạy được trên Windows" in by_file["chuong-trinh.pdf"]["message"]
    assert "tệp rỗng" in by_file["rong.docx"]["message"] and "nội dung là PDF" in by_file["that.docx"]["message"]


# ---------------------------------------------------------------- sizes

def test_sixty_megabyte_file_is_refused_with_size_and_cap(repo):
    sparse(repo.path / FOLDER / "video-gioi-thieu.mp4", 60 * MB, b"\x00\x00\x00\x18ftypmp42")
    status, problems = validate(repo)
    [found] = [p for p in problems if p["file"].endswith("video-gioi-thieu.mp4")]
    assert status == 1 and found["code"] == "SK018"
    assert "nặng 60,0 MB, quá giới hạn 20,0 MB" in found["message"] and "đường dẫn https://" in found["message"]


def test_unit_total_is_capped_and_names_the_largest_file(repo):
    for i, size in enumerate((19, 19, 19, 19, 19, 12)):
        sparse(repo.path / FOLDER / f"phu-luc-{i}.pdf", size * MB - i, b"%PDF-1.7\n")
    status, problems = validate(repo)
    [found] = [p for p in problems if p["code"] == "SK019"]
    assert status == 1 and found["file"] == f"{FOLDER}/phu-luc-0.pdf"
    assert "nặng tổng cộng 107,0 MB (6 tệp), quá giới hạn 100,0 MB cho mỗi đơn vị; tệp lớn nhất là «phu-luc-0.pdf» (19,0 MB)" in found["message"]
    assert not [p for p in problems if p["code"] != "SK019"]


def test_campaign_sets_its_own_caps(repo):
    rel = f"entries/{CAMPAIGN}/campaign.yaml"
    repo.write(rel, repo.read(rel).rstrip("\n") + "\nattachment_limits:\n  file_mb: 70\n  unit_mb: 65\n")
    sparse(repo.path / FOLDER / "video.mp4", 60 * MB, b"\x00\x00\x00\x18ftypisom")
    assert validate(repo) == (0, [])
    sparse(repo.path / FOLDER / "them.pdf", 6 * MB, b"%PDF-1.7\n")
    status, problems = validate(repo)
    assert status == 1 and [(p["code"], p["file"]) for p in problems] == [("SK019", f"{FOLDER}/video.mp4")]
    assert "quá giới hạn 65,0 MB" in problems[0]["message"]


def test_an_attachment_is_sized_by_stat_and_read_only_at_its_start(repo, monkeypatch):
    """A 3 GB hole would take seconds to read: the check reads 64 bytes of it."""
    from sangkien.checks import hygiene
    from sangkien.validator import load

    sparse(repo.path / FOLDER / "rat-lon.mp4", 3 * 1024 * MB, b"\x00\x00\x00\x18ftypmp42")
    reads: list[int] = []
    real_open = open

    class Counting:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def read(self, n=-1):
            reads.append(n)
            return self.handle.read(n)

    monkeypatch.setattr(hygiene, "open", lambda path, mode="r": Counting(real_open(path, mode)), raising=False)
    codes = [p.code for p in load(repo.path).problems if p.file.endswith("rat-lon.mp4")]
    assert codes == ["SK018", "SK019"] and reads == [hygiene.HEAD_BYTES]


# ---------------------------------------------------------------- change checks and the cache

def test_pull_request_with_bad_attachments_fails_and_good_ones_pass(repo, tmp_path):
    good = PullRequest(repo, {f"{FOLDER}/tra-cuu-qr.md": entry_text("tra-cuu-qr", UNIT, "2024-06-20", "Tra cứu hồ sơ qua mã QR"),
                              f"{FOLDER}/quy-trinh.pdf": pdf_bytes(), f"{FOLDER}/anh.png": png_bytes()}, branch="tot")  # type: ignore[dict-item]
    good.merge_commit()
    assert replay(repo, good.event("opened", created=ON_TIME), tmp=tmp_path).code == 0
    git(repo.path, "checkout", "-q", "main")
    bad = PullRequest(repo, {f"{FOLDER}/trang.html": "<html></html>", f"{FOLDER}/gia.pdf": "<html></html>"}, branch="xau")
    git(repo.path, "checkout", "-q", bad.branch)
    sparse(repo.path / FOLDER / "lon.pdf", 60 * MB, b"%PDF-1.7\n")
    repo.commit("tệp lớn")
    bad.head = git(repo.path, "rev-parse", "HEAD")
    git(repo.path, "checkout", "-q", "main")
    bad.merge_commit()
    verdict = replay(repo, bad.event("opened", created=ON_TIME), tmp=tmp_path)
    found = {p["file"].rsplit("/", 1)[1]: p["code"] for p in verdict.problems if p["code"] in ("SK016", "SK017", "SK018")}
    assert verdict.code == 1 and found == {"trang.html": "SK016", "gia.pdf": "SK017", "lon.pdf": "SK018"}


def test_remembered_full_run_sees_changed_attachments_and_new_gitlinks(repo):
    target = repo.write(f"{FOLDER}/quyet-dinh.pdf", pdf_bytes())
    assert validate(repo) == (0, [])
    assert validate(repo) == (0, [])  # remembered
    target.write_bytes(b"<html>".ljust(len(pdf_bytes()), b" "))  # same size, other content
    assert [p["code"] for p in validate(repo)[1]] == ["SK017"]
    target.write_bytes(pdf_bytes())
    assert validate(repo) == (0, [])
    add_gitlink(repo, f"{FOLDER}/mo-dun")  # only Git's index changes: no file under entries/ moves
    assert [p["code"] for p in validate(repo)[1]] == ["SK015"]


def test_unit_total_goes_on_a_file_not_already_refused_alone(repo):
    """One problem per place is shown: the total must not hide behind the big file's own error."""
    sparse(repo.path / FOLDER / "video.mp4", 60 * MB, b"\x00\x00\x00\x18ftypisom")
    sparse(repo.path / FOLDER / "phu-luc.pdf", 19 * MB, b"%PDF-1.7\n")
    sparse(repo.path / FOLDER / "bao-cao.pdf", 19 * MB, b"%PDF-1.7\n")
    sparse(repo.path / FOLDER / "ke-hoach.pdf", 10 * MB, b"%PDF-1.7\n")
    status, problems = validate(repo)
    assert status == 1 and sorted((p["code"], p["file"].rsplit("/", 1)[1]) for p in problems) == [
        ("SK018", "video.mp4"), ("SK019", "bao-cao.pdf")]
    assert "tệp lớn nhất là «video.mp4» (60,0 MB)" in problems[1]["message"] + problems[0]["message"]
