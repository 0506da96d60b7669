"""`sangkien scores import CAMPAIGN FILE...`: read filled score sheets into decisions.yaml."""

from __future__ import annotations

import argparse
from datetime import date

from sangkien import settings, vntime
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.council.context import decisions_path, open_campaign
from sangkien.council.errors import CouncilError, guarded
from sangkien.council.rubric import rubric_of


def _day(text: str) -> date:
    """--date typed dd/mm/yyyy (or ISO), not after today in Vietnam (the validator's SK410)."""
    try:
        day = vntime.parse_typed_date(text)
        today = vntime.local_date(settings.now())
    except (vntime.TypedDateError, settings.SettingError) as err:
        raise argparse.ArgumentTypeError(f"{err} (mã SK915)") from err
    if day > today:
        raise argparse.ArgumentTypeError(f"ngày chấm {vntime.show_date(day)} là ngày chưa tới (hôm nay là {vntime.show_date(today)}); "
                                         "ghi ngày Hội đồng đã chấm (mã SK410)")
    return day


def register(sub: Subparsers) -> None:
    p = sub.add_parser("scores", help="nhập phiếu chấm điểm đã điền vào decisions.yaml",
                       description="Làm việc với phiếu chấm điểm của Hội đồng.")
    inner = p.add_subparsers(dest="action", title="các việc", metavar="VIỆC")
    q = inner.add_parser("import", help="đọc các phiếu chấm đã điền và ghi vào mục scores của decisions.yaml",
                         description="Kiểm tra mọi phiếu trước (điểm ngoài khoảng, bài lạ, hai phiếu của một người, cấu trúc phiếu bị sửa); "
                                     "chỉ ghi khi mọi phiếu đều sạch. Chỉ thay mục scores, giữ nguyên phần còn lại và chú thích của tệp.")
    q.add_argument("campaign", metavar="MÃ_ĐỢT", help="mã đợt, ví dụ chau-thanh-2024")
    q.add_argument("files", nargs="+", metavar="TỆP", help="các tệp phiếu chấm (.xlsx)")
    q.add_argument("--date", type=_day, default=None, metavar="dd/mm/yyyy",
                   help="ngày chấm khi phiếu để trống ô Ngày chấm, ví dụ 10/07/2024 (mặc định: hôm nay, giờ Việt Nam); không được sau hôm nay")
    add_root(q)
    q.set_defaults(func=run)

    def usage(args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    p.set_defaults(func=usage)


@guarded
def run(args: argparse.Namespace) -> int:
    from sangkien.council.scores import import_sheets

    root = (args.root or find_root()).resolve()
    loaded, camp = open_campaign(root, args.campaign)
    if camp.kind == "thi-dua":
        raise CouncilError.one("SK802", camp.path, f"«{camp.id}» là phong trào thi đua, không có phiếu chấm điểm.")
    rubric = rubric_of(camp)
    print(f"Đang kiểm tra {len(args.files)} phiếu chấm của đợt «{camp.id}»…")
    sheets, added, replaced = import_sheets(root, loaded, camp, rubric, args.files, args.date)
    rows = sum(len(s.rows) for s in sheets)
    print(f"Đã ghi {rows} phiếu điểm của {len(sheets)} thành viên vào {decisions_path(camp.id)} (thêm {added}, thay {replaced}); "
          f"tệp vẫn hợp lệ. Xem kết quả dự kiến: sangkien results {camp.id}")
    return 0
