"""`sangkien dossier ENTRY_ID_OR_PATH | CAMPAIGN --unit UNIT [--pdf] [--out DIR]`: the paper dossier (DOCX, PDF)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.council.context import inside_entries
from sangkien.council.errors import CouncilError, guarded, show
from sangkien.model import Entry, Repository

if TYPE_CHECKING:
    from docx.document import Document


def register(sub: Subparsers) -> None:
    p = sub.add_parser("dossier", help="tạo hồ sơ giấy (Word, PDF) của một bài hoặc tất cả bài của một đơn vị",
                       description="Tạo tệp Word khổ A4, chữ Times New Roman cỡ 14, có đánh số trang: trang bìa (tên sáng kiến, tác giả, chức vụ, "
                                   "đơn vị), Đơn yêu cầu công nhận sáng kiến (mẫu Thông tư 18/2013/TT-BKHCN) điền sẵn từ bài, nội dung và bảng kết quả. "
                                   "Ghi mã đợt kèm --unit để gộp mọi bài của một đơn vị vào một tệp.")
    p.add_argument("target", metavar="BÀI_HOẶC_ĐỢT", help="mã bài, đường dẫn tệp .md của bài, hoặc mã đợt (kèm --unit)")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ", help="với mã đợt: chỉ gộp bài của đơn vị này (không ghi thì tạo một tệp cho mỗi đơn vị)")
    p.add_argument("--pdf", action="store_true", help="tạo thêm tệp PDF bằng LibreOffice (nếu máy có cài)")
    p.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC", help="thư mục ghi tệp (mặc định: thư mục hiện tại)")
    add_root(p)
    p.set_defaults(func=run)


def _entry(repo: Repository, root: Path, target: str) -> Entry | None:
    if target in repo.entries:
        return repo.entries[target]
    path = Path(target)
    if path.suffix == ".md" and path.exists():
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            return None
        return next((e for e in repo.entries.values() if e.path == rel), None)
    return None


@guarded
def run(args: argparse.Namespace) -> int:
    from sangkien.council import dossier, pdf
    from sangkien.validator import load

    started = time.perf_counter()
    root = (args.root or find_root()).resolve()
    repo = load(root).repo
    out = (args.out or Path.cwd()).resolve()
    if inside_entries(root, out):
        raise CouncilError.one("SK841", str(out), "Không ghi hồ sơ Word vào thư mục entries/.")
    jobs: list[tuple[Path, Document]] = []
    entry = _entry(repo, root, args.target)
    if entry is not None:
        _printable(repo, entry)
        print(f"Đang tạo hồ sơ cho bài «{entry.id}»…")
        jobs.append((out / f"{entry.id}.docx", dossier.build_entry(root, repo, entry)))
    elif args.target in repo.campaigns:
        camp = repo.campaigns[args.target]
        entries = [e for e in repo.entries_of(camp.id) if e.kind == "entry"]
        units = [args.unit] if args.unit else sorted({e.unit or "" for e in entries})
        if args.unit and not any(e.unit == args.unit for e in entries):
            raise CouncilError.one("SK840", args.target, f"Đơn vị «{args.unit}» chưa có bài nào trong đợt «{camp.id}».")
        if not units:
            raise CouncilError.one("SK840", args.target, f"Đợt «{camp.id}» chưa có bài sáng kiến nào để in hồ sơ.")
        for n, unit in enumerate(units, start=1):
            mine = [e for e in entries if e.unit == unit]
            print(f"[{n}/{len(units)}] Đơn vị «{unit}»: {len(mine)} bài")
            jobs.append((out / f"ho-so-{camp.id}-{unit}.docx", dossier.build_bundle(root, repo, camp, unit, mine)))
    else:
        raise CouncilError.one("SK840", args.target, f"Không có bài hay đợt nào mang mã hoặc đường dẫn «{args.target}».")
    status = 0
    for path, doc in jobs:
        try:
            size = dossier.save(doc, path)
        except OSError as err:
            raise CouncilError.one("SK841", str(path), f"Không ghi được «{path}» ({err.strerror}).") from err
        print(f"Đã ghi {path} ({size // 1024 + 1} KB).")
        if args.pdf:
            print("Đang chuyển sang PDF bằng LibreOffice…")
            try:
                target = pdf.to_pdf(path)
                print(f"Đã ghi {target} ({target.stat().st_size // 1024 + 1} KB).")
            except CouncilError as err:
                show(err.problems)
                status = 1
    print(f"Xong sau {time.perf_counter() - started:.1f} giây.")
    return status


def _printable(repo: Repository, entry: Entry) -> None:
    if entry.kind != "entry":
        camp = entry.campaign or ""
        raise CouncilError.one("SK840", entry.path, f"«{entry.id}» là hồ sơ đề nghị khen thưởng thi đua, không dùng mẫu Đơn yêu cầu công nhận sáng kiến.",
                               fix=f"Xem đối chiếu chỉ tiêu bằng: sangkien results {camp}")
