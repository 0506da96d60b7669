"""`sangkien decide CAMPAIGN ...`: record a recognition decision or a revocation in decisions.yaml."""

from __future__ import annotations

import argparse
from datetime import date

from sangkien import settings, vntime
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.council.context import decisions_path, open_campaign
from sangkien.council.errors import guarded, show


def register(sub: Subparsers) -> None:
    p = sub.add_parser("decide", help="ghi quyết định công nhận hoặc thu hồi vào decisions.yaml",
                       description="Ghi thêm một quyết định công nhận (số, ngày, cơ quan ban hành, người ký, cấp, các bài và hạng giải) hoặc một "
                                   "quyết định thu hồi (--revoke, kèm lý do) vào cuối mục tương ứng của decisions.yaml. Không sửa quyết định đã ghi; "
                                   "giữ nguyên phần còn lại và chú thích của tệp; chỉ ghi khi tệp vẫn hợp lệ.",
                       epilog="Ví dụ: sangkien decide chau-thanh-2024 --number 123/QĐ-UBND --date 25/07/2024 --level co-so "
                              "--entry so-hoa-ho-so-mot-cua-xa --entry to-cong-nghe-so:nhat\n"
                              "Thu hồi: sangkien decide chau-thanh-2024 --revoke 123/QĐ-UBND --number 45/QĐ-UBND --date 01/10/2024 "
                              "--entry so-hoa-ho-so-mot-cua-xa --reason \"Kết quả nêu trong bài không đúng thực tế\"",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("campaign", metavar="MÃ_ĐỢT", help="mã đợt, ví dụ chau-thanh-2024")
    p.add_argument("--number", required=True, metavar="SỐ", help="số quyết định, ví dụ 123/QĐ-UBND")
    p.add_argument("--date", required=True, metavar="dd/mm/yyyy", help="ngày ký, ví dụ 25/07/2024 (cũng nhận 2024-07-25); không được sau hôm nay")
    p.add_argument("--entry", action="extend", nargs="+", default=[], metavar="MÃ_BÀI[:HẠNG]",
                   help="bài được công nhận (kèm mã hạng giải sau dấu hai chấm nếu có), hoặc bài bị thu hồi; ghi nhiều lần được")
    p.add_argument("--issuer", metavar="CƠ_QUAN", help="cơ quan ban hành (mặc định: cơ quan ban hành kế hoạch của đợt)")
    p.add_argument("--signer", metavar="NGƯỜI_KÝ", help="chức danh, họ tên người ký (mặc định: người ký kế hoạch của đợt)")
    p.add_argument("--level", metavar="CẤP", help="cấp công nhận: co-so, huyen, tinh, toan-quoc")
    p.add_argument("--title", metavar="TRÍCH_YẾU", help="trích yếu quyết định")
    p.add_argument("--revoke", metavar="SỐ_QĐ_BỊ_THU_HỒI", help="ghi quyết định thu hồi công nhận của quyết định số này")
    p.add_argument("--reason", metavar="LÝ_DO", help="lý do thu hồi (bắt buộc khi --revoke)")
    add_root(p)
    p.set_defaults(func=run)


@guarded
def run(args: argparse.Namespace) -> int:
    from sangkien.council.decide import Request, parse_entries, record

    root = (args.root or find_root()).resolve()
    now = settings.now()
    loaded, camp = open_campaign(root, args.campaign)
    req = Request(args.number.strip(), args.date.strip(), parse_entries(args.entry), args.issuer, args.signer,
                  args.level, args.title, args.revoke.strip() if args.revoke else None, args.reason)
    key, item, warnings = record(root, loaded, camp, req, now)
    day = vntime.show_date(date.fromisoformat(item["date"]))
    rel = decisions_path(camp.id)
    if key == "revocations":
        print(f"Đã ghi quyết định thu hồi số {item['number']} ngày {day} (thu hồi công nhận theo {item['decision']} của {len(item['entries'])} bài) vào {rel}.")
    else:
        print(f"Đã ghi quyết định công nhận số {item['number']} ngày {day} ({len(item['entries'])} bài, cấp {item['level']}) vào {rel}.")
    show(warnings)
    print("Tệp vẫn hợp lệ. Nhớ commit tệp này để quyết định hiện trên danh mục công khai.")
    return 0
