"""DOCX -> PDF with LibreOffice headless, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from sangkien.council.errors import CouncilError

TIMEOUT = 240  # a cold LibreOffice start on a slow CI runner takes tens of seconds


def converter() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path) -> Path:
    """Convert next to the DOCX. A private LibreOffice profile per run lets several conversions
    (parallel tests, two organisers on one server) run at once without locking each other out."""
    exe = converter()
    if exe is None:
        raise CouncilError.one("SK842", str(docx), "Không tìm thấy LibreOffice (lệnh soffice) nên chưa tạo được tệp PDF; tệp DOCX vẫn dùng được.")
    target = docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="sangkien-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
               "--outdir", str(docx.parent), str(docx)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise CouncilError.one("SK843", str(docx), f"LibreOffice không chuyển được tệp sang PDF ({type(err).__name__}).") from err
    if done.returncode != 0 or not target.is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"mã thoát {done.returncode}"]
        raise CouncilError.one("SK843", str(docx), f"LibreOffice không chuyển được tệp sang PDF ({detail[0]}).")
    return target
