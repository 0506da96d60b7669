"""No data loss: every command that writes does so atomically, touches only what it was asked to,
and an interrupted write leaves the old content or the new one, never half, and no temporary file.

Interruptions are real: `os.replace`, `os.fsync` or the write itself fail inside `sangkien.atomic`
(in-process and inside the real CLI in a subprocess), and writer processes are killed with
SIGTERM and SIGKILL in the middle of writing a large file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_sangkien
from helpers.council_kit import CAMPAIGN, DECISIONS, fill, make_repo
from sangkien import atomic

# The real CLI with one thing broken inside sangkien.atomic, chosen by SK_TEST_BREAK:
#   replace  os.replace fails with "no space left on device" (after the data was written)
#   fsync    os.fsync fails
#   hang     the data is written and synced, then the process waits to be killed before renaming
PATCHED_CLI = r"""
import errno, os, sys, time
mode = os.environ.get("SK_TEST_BREAK", "")
if mode == "replace":
    def replace(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    os.replace = replace
elif mode == "fsync":
    def fsync(fd):
        raise OSError(errno.EIO, "Input/output error")
    os.fsync = fsync
elif mode == "hang":
    real_fsync = os.fsync
    def fsync(fd):
        real_fsync(fd)
        if os.fstat(fd).st_size:  # the temporary file, not the folder
            open(os.environ["SK_TEST_READY"], "w").close()
            time.sleep(120)
    os.fsync = fsync
from sangkien.cli import main
sys.exit(main(sys.argv[1:]))
"""


def snapshot(root: Path) -> dict[str, str]:
    """Hash of every file under root (the .git folder aside): what a command may not touch."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".git/", ".sangkien-cache/")) or rel == ".git" or not path.is_file():
            continue  # Git's own files, and the validator's cache (ignored by .gitignore, rebuilt at will)
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def temp_files(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if atomic.TEMP_NAME.match(p.name)]


def patched(root: Path, mode: str, *args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONIOENCODING": "utf-8", "SK_TEST_BREAK": mode, **(env or {})}
    return subprocess.run([sys.executable, "-c", PATCHED_CLI, *args], cwd=root, input=stdin, capture_output=True, text=True,
                          env=full, check=False, timeout=300)


def clean_failure(done: subprocess.CompletedProcess) -> None:
    """A write that failed is reported as SK014 in Vietnamese, with exit status 1, no traceback."""
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "Lỗi nội bộ" not in done.stderr, done.stderr
    assert "SK014" in done.stderr and "Không đọc hoặc ghi được tệp" in done.stderr, done.stderr
    assert "ổ đĩa đã đầy" in done.stderr or "lỗi đọc ghi của ổ đĩa" in done.stderr, done.stderr


# ----------------------------------------------------------------- sangkien.atomic itself
@pytest.mark.parametrize("where", ["replace", "fsync", "write"])
@pytest.mark.parametrize("exists", [True, False])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch, where: str, exists: bool) -> None:
    target = tmp_path / "bai.md"
    if exists:
        target.write_bytes(b"old content\n")

    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "write":
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, handle) -> None:
                self.handle = handle

            def __enter__(self):
                return self

            def __exit__(self, *exc) -> None:
                self.handle.close()

            def write(self, data: bytes) -> int:
                self.handle.write(data[: len(data) // 2])  # half is on disk, then the disk is full
                raise OSError(errno.ENOSPC, "No space left on device")

            def __getattr__(self, name):
                return getattr(self.handle, name)

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(os, where, fail)
    with pytest.raises(OSError) as caught:
        atomic.write_bytes(target, b"new content " * 100_000)
    assert caught.value.filename == str(target) and caught.value.errno == errno.ENOSPC
    assert sorted(p.name for p in tmp_path.iterdir()) == (["bai.md"] if exists else [])
    if exists:
        assert target.read_bytes() == b"old content\n"


def test_mode_is_kept_on_replace_and_usual_for_a_new_file(tmp_path: Path) -> None:
    kept = tmp_path / "rieng.md"
    kept.write_text("x", encoding="utf-8")
    kept.chmod(0o640)
    atomic.write_text(kept, "y")
    assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text(encoding="utf-8") == "y"
    mask = os.umask(0o022)
    try:
        atomic.write_text(tmp_path / "moi.md", "z")
    finally:
        os.umask(mask)
    assert (tmp_path / "moi.md").stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600


WRITER = r"""
import sys
from pathlib import Path
from sangkien import atomic
target, size = Path(sys.argv[1]), int(sys.argv[2])
versions = [bytes([65 + i]) * size for i in range(4)]
i = 0
while True:
    atomic.write_bytes(target, versions[i % 4])
    i += 1
"""


def test_killing_a_writer_at_random_moments_never_leaves_a_partial_file(tmp_path: Path) -> None:
    """A process rewrites an 8 MB file in a loop and is killed with SIGKILL at varied moments:
    the file is always one complete version. A temporary file may remain (nothing runs after
    SIGKILL); the validator names it (SK009) instead of calling it an odd attachment."""
    size = 8 * 1024 * 1024
    folder = tmp_path / "kho" / "entries" / "chau-thanh-2024" / "tn-ct-an-binh"
    folder.mkdir(parents=True)
    target = folder / "lon.pdf"
    target.write_bytes(b"Z" * size)
    complete = {bytes([c]) * size for c in b"ABCDZ"}
    for delay in (0.05, 0.2, 0.35, 0.5, 0.8, 1.1):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target), str(size)])
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        assert target.read_bytes() in complete, f"partial file after a kill at {delay} s"
    leftovers = temp_files(tmp_path / "kho")
    from sangkien.validator import load

    found = {(p.file, p.code) for p in load(tmp_path / "kho").problems}
    for rel in leftovers:
        assert (rel, "SK009") in found and (rel, "SK007") not in found


def _hanging_fix(repo, signum: int) -> tuple[subprocess.CompletedProcess, bytes, Path]:
    """`sangkien fix` on a large CRLF entry, stopped with `signum` after writing its temporary file."""
    rel = "entries/chau-thanh-2024/tn-ct-an-binh/dung-tay.md"
    body = "## Thực trạng\r\n\r\n" + "Dòng mô tả rất dài của sáng kiến.\r\n" * 20000
    original = ("---\r\nid: dung-tay\r\n---\r\n" + body).encode("utf-8")
    repo.write(rel, original)
    ready = repo.path.parent / "ready"
    full = {**os.environ, "PYTHONIOENCODING": "utf-8", "SK_TEST_BREAK": "hang", "SK_TEST_READY": str(ready)}
    proc = subprocess.Popen([sys.executable, "-c", PATCHED_CLI, "fix", rel], cwd=repo.path, env=full, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    for _ in range(600):
        if ready.exists() or proc.poll() is not None:
            break
        time.sleep(0.05)
    assert ready.exists(), proc.communicate()
    assert temp_files(repo.path), "the temporary file should exist while the write is in progress"
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), original, repo.path / rel


def test_sigterm_during_a_write_keeps_the_old_file_and_removes_the_temporary(repo) -> None:
    done, original, path = _hanging_fix(repo, signal.SIGTERM)
    assert done.returncode == 130 and "Đã dừng theo yêu cầu" in done.stderr and "Traceback" not in done.stderr
    assert path.read_bytes() == original
    assert temp_files(repo.path) == []


def test_sigkill_during_a_write_keeps_the_old_file_and_the_leftover_is_named(repo) -> None:
    done, original, path = _hanging_fix(repo, signal.SIGKILL)
    assert done.returncode == -signal.SIGKILL
    assert path.read_bytes() == original
    leftovers = temp_files(repo.path)
    assert len(leftovers) == 1
    check = repo.run("validate", leftovers[0])
    assert "SK009" in check.stdout and "bị ngắt giữa chừng" in check.stdout, check.stdout
    again = repo.run("fix", path.relative_to(repo.path).as_posix())
    assert again.returncode == 0 and b"\r\n" not in path.read_bytes()


# ----------------------------------------------------------------- each writing command
def test_fix_touches_only_the_files_named_and_survives_a_failed_write(repo) -> None:
    crlf = "entries/chau-thanh-2024/tn-ct-an-binh/xuong-dong.md"
    other = "entries/chau-thanh-2024/tn-ct-an-binh/khong-dong-toi.md"
    text = "---\nid: xuong-dong\n---\nHoà\n"
    repo.write(crlf, text.replace("\n", "\r\n"))
    repo.write(other, text.replace("\n", "\r\n"))  # also fixable, but not named on the command line
    before = snapshot(repo.path)
    clean_failure(patched(repo.path, "replace", "fix", crlf))
    assert snapshot(repo.path) == before and temp_files(repo.path) == []
    clean_failure(patched(repo.path, "fsync", "fix", crlf))
    assert snapshot(repo.path) == before and temp_files(repo.path) == []
    done = repo.run("fix", crlf)
    assert done.returncode == 0, done.stdout + done.stderr
    assert changed(before, snapshot(repo.path)) == {crlf}
    assert repo.read(crlf) == text


def test_fix_leaves_a_file_it_cannot_read_untouched(repo) -> None:
    rel = "entries/chau-thanh-2024/tn-ct-an-binh/sai-ma.md"
    repo.write(rel, "---\ntitle: Lưu\n---\n".encode("cp1258"))
    before = snapshot(repo.path)
    done = repo.run("fix", rel)
    assert done.returncode == 1 and "SK001" in done.stdout and "Traceback" not in done.stderr
    assert snapshot(repo.path) == before


def test_codeowners_writes_only_its_file(repo) -> None:
    before = snapshot(repo.path)
    clean_failure(patched(repo.path, "replace", "codeowners"))
    assert snapshot(repo.path) == before and temp_files(repo.path) == []
    done = repo.run("codeowners")
    assert done.returncode == 0, done.stdout + done.stderr
    assert changed(before, snapshot(repo.path)) == {".github/CODEOWNERS"}
    mid = snapshot(repo.path)
    assert repo.run("codeowners", "--check").returncode == 0 and snapshot(repo.path) == mid


@pytest.fixture
def kho(tmp_path: Path) -> Path:
    return make_repo(tmp_path)


DECIDE = ("decide", CAMPAIGN, "--number", "123/QĐ-UBND", "--date", "2024-04-20", "--level", "co-so", "--entry", "mot-cua-so-hoa:nhat")


def test_decide_writes_only_decisions_and_never_overwrites_a_recorded_decision(kho: Path) -> None:
    before = snapshot(kho)
    clean_failure(patched(kho, "replace", *DECIDE, "--root", str(kho)))
    assert snapshot(kho) == before and temp_files(kho) == []
    done = run_sangkien(*DECIDE, "--root", str(kho), cwd=kho)
    assert done.returncode == 0, done.stderr
    assert changed(before, snapshot(kho)) == {DECISIONS}
    recorded = snapshot(kho)
    # the same number again, with other content: a confirmed decision is never rewritten
    again = run_sangkien("decide", CAMPAIGN, "--number", "123/QĐ-UBND", "--date", "2024-05-01", "--level", "tinh",
                         "--entry", "so-tay-tu-phap", "--root", str(kho), cwd=kho)
    assert again.returncode == 1 and "SK820" in again.stderr and "Traceback" not in again.stderr
    assert snapshot(kho) == recorded


def test_scores_import_writes_only_decisions_and_survives_a_failed_write(kho: Path, tmp_path: Path) -> None:
    out = tmp_path / "phieu"  # the sheets live outside the repository
    assert run_sangkien("scoresheet", CAMPAIGN, "--member", "Nguyễn Văn An", "--out", str(out), "--root", str(kho), cwd=kho).returncode == 0
    sheet = next(out.glob("*.xlsx"))
    fill(sheet, {"mot-cua-so-hoa": (36, 27, 26), "tra-cuu-ho-so-qr": (30, 24, 22)}, day="10/04/2024")
    args = ("scores", "import", CAMPAIGN, str(sheet), "--root", str(kho))
    before = snapshot(kho)
    clean_failure(patched(kho, "replace", *args))
    assert snapshot(kho) == before and temp_files(kho) == []
    clean_failure(patched(kho, "fsync", *args))
    assert snapshot(kho) == before and temp_files(kho) == []
    done = run_sangkien(*args, cwd=kho)
    assert done.returncode == 0, done.stdout + done.stderr
    assert changed(before, snapshot(kho)) == {DECISIONS}


def test_new_writes_only_the_new_entry_and_survives_a_failed_write(repo) -> None:
    session = pytest.importorskip("test_new_command", reason="the `sangkien new` session script lives with its own tests")
    stdin = session.answers(session.SESSION)
    args = ("new", "--campaign", "chau-thanh-2024", "--unit", "tn-ct-hao-duoc")
    env = {"SANGKIEN_NOW": session.NOW}
    before = snapshot(repo.path)
    clean_failure(patched(repo.path, "replace", *args, stdin=stdin, env=env))
    assert snapshot(repo.path) == before and temp_files(repo.path) == []
    done = patched(repo.path, "none", *args, stdin=stdin, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    assert changed(before, snapshot(repo.path)) == {session.REL}
