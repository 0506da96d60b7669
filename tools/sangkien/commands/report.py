"""`sangkien report CAMPAIGN [--xlsx FILE]`: participation per eligible unit against the minimum."""

from __future__ import annotations

import argparse
from pathlib import Path

from sangkien import vntime
from sangkien.commands.common import Subparsers, add_root, find_root, instant
from sangkien.council.context import inside_entries, open_campaign
from sangkien.council.errors import CouncilError, guarded
from sangkien.council.participation import participation
from sangkien.council.table import render


def register(sub: Subparsers) -> None:
    p = sub.add_parser("report", help="báo cáo tham gia: số bài của từng đơn vị so với số tối thiểu, sơ loại, nộp muộn",
                       description="Mỗi đơn vị thuộc diện tham gia: số bài đã nộp so với số bài tối thiểu của kế hoạch, số bài qua sơ loại, "
                                   "số bài nộp muộn; kèm danh sách bài. In ra màn hình và (tùy chọn) ghi tệp Excel.")
    p.add_argument("campaign", metavar="MÃ_ĐỢT", help="mã đợt, ví dụ chau-thanh-2024")
    p.add_argument("--xlsx", type=Path, default=None, metavar="TỆP", help="ghi thêm báo cáo ra tệp Excel này")
    p.add_argument("--at", type=instant, default=None, metavar="THỜI_ĐIỂM",
                   help="chỉ tính bài nộp đến ngày của thời điểm này (ISO 8601 có múi giờ), ví dụ 2024-06-20T17:00:00+07:00")
    add_root(p)
    p.set_defaults(func=run)


@guarded
def run(args: argparse.Namespace) -> int:
    # Imported here: sangkien.council.report loads openpyxl (and numpy), which every other
    # command, `sangkien validate` first, would otherwise pay for at start-up.
    from sangkien.council.report import ENTRY_HEAD, UNIT_HEAD, entry_rows, summary, unit_rows

    root = (args.root or find_root()).resolve()
    loaded, camp = open_campaign(root, args.campaign)
    rows = participation(loaded.repo, camp.id, args.at)
    when = vntime.show(args.at or vntime.now())
    print(f"Tham gia đợt «{camp.id}» ({camp.title}), số liệu lúc {when}:")
    print(render(UNIT_HEAD, unit_rows(rows), 44))
    print()
    entries = entry_rows(loaded.repo, camp)
    if entries:
        print("Danh sách bài:")
        print(render(ENTRY_HEAD, entries, 44))
        print()
    print(summary(rows))
    if args.xlsx:
        from sangkien.council import report, xlsx

        target = args.xlsx.resolve()
        if inside_entries(root, target):
            raise CouncilError.one("SK850", str(target), "Không ghi báo cáo vào thư mục entries/.")
        try:
            size = xlsx.save(report.workbook(loaded.repo, camp, rows, when), target)
        except OSError as err:
            raise CouncilError.one("SK850", str(target), f"Không ghi được «{target}» ({err.strerror}).") from err
        print(f"Đã ghi báo cáo: {target} ({size // 1024 + 1} KB).")
    return 0
