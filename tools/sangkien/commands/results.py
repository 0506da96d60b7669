"""`sangkien results CAMPAIGN [--out PATH]`: draft results (scores or thi đua targets) for the council."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from sangkien import vntime
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.council.context import inside_entries, open_campaign
from sangkien.council.errors import CouncilError, guarded
from sangkien.council.table import render

if TYPE_CHECKING:
    from openpyxl import Workbook

    from sangkien.loader import Loaded
    from sangkien.model import Campaign


def register(sub: Subparsers) -> None:
    p = sub.add_parser("results", help="tổng hợp điểm, xếp hạng, hạng giải (hoặc đối chiếu chỉ tiêu thi đua): bản dự kiến",
                       description="Tổng hợp các phiếu chấm theo thang điểm của đợt, áp dụng điểm tối thiểu, xếp hạng, chia hạng giải trong số lượng "
                                   "cho phép, đánh dấu bài bằng điểm ở ranh giới và bài cần người chấm thứ ba. Với phong trào thi đua: đối chiếu "
                                   "chỉ tiêu theo cấp, hồ sơ, số lượng khen thưởng. Chỉ ghi bản dự kiến (XLSX và Markdown), không sửa quyết định.")
    p.add_argument("campaign", metavar="MÃ_ĐỢT", help="mã đợt, ví dụ chau-thanh-2024")
    p.add_argument("--out", type=Path, default=None, metavar="ĐƯỜNG_DẪN",
                   help="tệp .xlsx hoặc thư mục ghi bản dự kiến (mặc định: ./ket-qua-du-kien-<mã đợt>.xlsx và .md)")
    add_root(p)
    p.set_defaults(func=run)


def targets(out: Path | None, campaign_id: str) -> tuple[Path, Path]:
    name = f"ket-qua-du-kien-{campaign_id}"
    if out is None:
        base = Path.cwd() / name
    elif out.suffix.lower() == ".xlsx":
        base = out.with_suffix("")
    else:
        base = out / name
    return base.with_suffix(".xlsx"), base.with_suffix(".md")


@guarded
def run(args: argparse.Namespace) -> int:
    from sangkien.council import draft, files

    root = (args.root or find_root()).resolve()
    loaded, camp = open_campaign(root, args.campaign)
    xlsx_path, md_path = (p.resolve() for p in targets(args.out, camp.id))
    if inside_entries(root, xlsx_path):
        raise CouncilError.one("SK850", str(xlsx_path), "Không ghi bản dự kiến vào thư mục entries/ (đó là nơi chứa dữ liệu và quyết định đã xác nhận).")
    generated = vntime.show(vntime.now())
    if camp.kind == "thi-dua":
        wb, text, table = _thidua(loaded, camp, root, generated)
    else:
        wb, text, table = _scores(loaded, camp, generated)
    print(table)
    try:
        size = draft.save(wb, xlsx_path)
        files.write_text(md_path, text)
    except OSError as err:
        raise CouncilError.one("SK850", str(xlsx_path), f"Không ghi được bản dự kiến ({err.strerror}).") from err
    print(f"Đã ghi bản dự kiến: {xlsx_path} ({size // 1024 + 1} KB) và {md_path}. Đây chưa phải quyết định: "
          f"sau khi Hội đồng xác nhận, ghi quyết định bằng sangkien decide {camp.id} …")
    return 0


def _scores(loaded: Loaded, camp: Campaign, generated: str) -> tuple[Workbook, str, str]:
    from sangkien.council import draft
    from sangkien.council.results import compute, markdown
    from sangkien.council.rubric import rubric_of, show_number

    rubric = rubric_of(camp)
    results = compute(loaded.repo, camp, rubric)
    if not results.rows:
        raise CouncilError.one("SK803", f"entries/{camp.id}/decisions.yaml", f"Đợt «{camp.id}» chưa có bài qua sơ loại để tổng hợp.")
    head = ["Hạng", "Mã bài", "Tổng", "Kết quả", "Giải / đề nghị", "Đã có quyết định", "Cần xem lại"]
    rows = [[r.rank or "", r.entry.id, show_number(r.total) if r.total is not None else "", r.verdict, r.award, r.confirmed or "", "; ".join(r.flags)]
            for r in results.rows]
    passed = sum(1 for r in results.rows if r.passed)
    proposed = sum(1 for r in results.rows if r.proposed)
    lines = [f"Kết quả dự kiến đợt «{camp.id}» ({len(results.members)} thành viên đã chấm, {len(results.rows)} bài qua sơ loại):",
             render(head, rows, 60), f"{passed} bài đạt, {proposed} bài trong hạng giải/đề nghị công nhận; {len(results.flagged)} bài cần Hội đồng xem lại."]
    return draft.scores_workbook(results, generated), markdown(results, generated), "\n".join(lines)


def _thidua(loaded: Loaded, camp: Campaign, root: Path, generated: str) -> tuple[Workbook, str, str]:
    from sangkien.council import draft
    from sangkien.council.rubric import show_number
    from sangkien.council.thidua import LEVELS, evaluate, markdown

    result = evaluate(loaded.repo, camp.id, root)
    head = ["Thứ tự", "Họ và tên", "Cấp", "Kết quả", "Mức vượt", "Hồ sơ", "Đề nghị", "Đã có QĐ", "Chỉ tiêu chưa đạt / ghi chú"]
    rows = [[r.rank or "", r.nominee, LEVELS.get(r.level, r.level), r.verdict, show_number(r.margin) if r.meets_all else "",
             "Đủ" if not r.missing_docs else "Thiếu " + str(len(r.missing_docs)), "Có" if r.proposed else "", r.confirmed or "",
             "; ".join([f"{c.label}: {c.shown}" for c in r.failed] + r.ties)] for r in result.rows]
    cap = result.cap if result.cap is not None else "không giới hạn"
    lines = [f"Đối chiếu chỉ tiêu thi đua «{camp.id}» ({len(result.rows)} hồ sơ đề nghị):", render(head, rows, 70),
             f"{len(result.meeting)} người đạt mọi chỉ tiêu; đề nghị khen {len(result.proposed)} (tối đa {cap}), xếp theo tổng mức vượt chỉ tiêu."]
    return draft.thidua_workbook(result, generated), markdown(result, generated), "\n".join(lines)
