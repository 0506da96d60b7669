"""Time and size of the council tools at a realistic scale (figures for the report, not a test).

Builds a throw-away copy of the council test repository with N extra entries that all passed
screening, then times, in-process: score sheets for M members, filling them with openpyxl,
importing them (with the validator re-run), the draft results, a unit dossier bundle of K entries,
and (if LibreOffice is installed) its PDF conversion.

    python benchmarks/council.py                 # N = 200 entries, M = 7 members, K = 20
    python benchmarks/council.py -n 500 -m 9 -k 40 --no-pdf
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers.council_kit import KHO, fill  # noqa: E402
from sangkien.cli import main  # noqa: E402

CAMPAIGN = "sk-thu-2024"
UNIT = "thu-xa-an-hoa"


def build(dest: Path, n: int) -> list[str]:
    shutil.copytree(KHO, dest)
    shutil.copytree(ROOT / "schema", dest / "schema")
    template = (dest / f"entries/{CAMPAIGN}/{UNIT}/mot-cua-so-hoa.md").read_text(encoding="utf-8")
    ids = []
    for i in range(n):
        entry_id = f"sang-kien-thu-{i:04d}"
        text = template.replace("id: mot-cua-so-hoa", f"id: {entry_id}").replace("Số hóa hồ sơ ngay tại Bộ phận Một cửa xã An Hòa",
                                                                                  f"Giải pháp cải cách thủ tục hành chính số {i}")
        (dest / f"entries/{CAMPAIGN}/{UNIT}/{entry_id}.md").write_text(text, encoding="utf-8")
        ids.append(entry_id)
    decisions = dest / f"entries/{CAMPAIGN}/decisions.yaml"
    lines = "".join(f'  - entry: {e}\n    result: dat\n    date: "2024-04-02"\n' for e in ids)
    text = decisions.read_text(encoding="utf-8").replace("late_waivers:", lines.rstrip("\n") + "\nlate_waivers:", 1)
    text = text.replace("  # bài dưới đây không đạt sơ loại\n", "")
    decisions.write_text(text, encoding="utf-8")
    return ids


def timed(label: str, argv: list[str]) -> float:
    """Wall time and CPU time: on a busy machine the CPU time is the figure that compares."""
    started, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    elapsed = time.perf_counter() - started
    print(f"{label:<48} {elapsed:7.2f} s (CPU {time.process_time() - cpu:5.2f} s)" + ("" if status == 0 else f"  (mã thoát {status})"))
    return elapsed


def run(n: int, members: int, bundle: int, pdf: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="sangkien-bench-") as tmp:
        base = Path(tmp)
        kho = base / "kho"
        ids = build(kho, n)
        sheets = base / "phieu"
        names = [f"Thành viên Hội đồng {chr(65 + i)}" for i in range(members)]
        print(f"{n + 4} bài qua sơ loại, {members} thành viên, gói hồ sơ {bundle} bài.")
        timed(f"scoresheet ({members} phiếu)", ["scoresheet", CAMPAIGN, *[a for m in names for a in ("--member", m)],
                                                 "--out", str(sheets), "--root", str(kho)])
        files = sorted(sheets.glob("*.xlsx"))
        print(f"{'kích thước một phiếu':<48} {files[0].stat().st_size / 1024:7.1f} KB")
        rng = random.Random(7)
        started = time.perf_counter()
        for f in files:
            fill(f, {e: (rng.randint(20, 40), rng.randint(15, 30), rng.randint(10, 30)) for e in [*ids, "mot-cua-so-hoa", "tra-cuu-ho-so-qr",
                                                                                                   "so-tay-tu-phap", "lich-tiep-dan-truc-tuyen"]})
        print(f"{'điền phiếu bằng openpyxl (kịch bản)':<48} {time.perf_counter() - started:7.2f} s")
        timed(f"scores import ({members} phiếu, kèm kiểm tra lại)", ["scores", "import", CAMPAIGN, *map(str, files), "--root", str(kho)])
        size = (kho / f"entries/{CAMPAIGN}/decisions.yaml").stat().st_size
        print(f"{'decisions.yaml sau khi nhập':<48} {size / 1024:7.1f} KB")
        timed("results (bản dự kiến XLSX + Markdown)", ["results", CAMPAIGN, "--out", str(base / "ket-qua"), "--root", str(kho)])
        timed("dossier một bài", ["dossier", "mot-cua-so-hoa", "--out", str(base / "ho-so"), "--root", str(kho)])
        keep = {*ids[:bundle], "mot-cua-so-hoa", "tra-cuu-ho-so-qr"}
        for e in ids[bundle:]:
            (kho / f"entries/{CAMPAIGN}/{UNIT}/{e}.md").unlink()
        text = (kho / f"entries/{CAMPAIGN}/decisions.yaml").read_text(encoding="utf-8")
        (kho / f"entries/{CAMPAIGN}/decisions.yaml").write_text(text[: text.index("scores:")] + text[text.index("late_waivers:"):], encoding="utf-8")
        text = (kho / f"entries/{CAMPAIGN}/decisions.yaml").read_text(encoding="utf-8")
        for e in ids[bundle:]:
            text = text.replace(f'  - entry: {e}\n    result: dat\n    date: "2024-04-02"\n', "")
        (kho / f"entries/{CAMPAIGN}/decisions.yaml").write_text(text, encoding="utf-8")
        timed(f"dossier gói đơn vị ({len(keep)} bài)", ["dossier", CAMPAIGN, "--unit", UNIT, "--out", str(base / "ho-so"), "--root", str(kho)])
        docx = base / "ho-so" / f"ho-so-{CAMPAIGN}-{UNIT}.docx"
        print(f"{'kích thước gói DOCX':<48} {docx.stat().st_size / 1024:7.1f} KB")
        if pdf and shutil.which("soffice"):
            timed(f"dossier gói đơn vị + PDF ({len(keep)} bài)", ["dossier", CAMPAIGN, "--unit", UNIT, "--pdf", "--out", str(base / "ho-so"),
                                                                 "--root", str(kho)])
            print(f"{'kích thước gói PDF':<48} {docx.with_suffix('.pdf').stat().st_size / 1024:7.1f} KB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=200, help="số bài thêm vào đợt thử")
    parser.add_argument("-m", type=int, default=7, help="số thành viên Hội đồng")
    parser.add_argument("-k", type=int, default=20, help="số bài trong gói hồ sơ của một đơn vị")
    parser.add_argument("--no-pdf", action="store_true", help="không chuyển sang PDF")
    args = parser.parse_args()
    run(args.n, args.m, args.k, not args.no_pdf)
