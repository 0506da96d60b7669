"""`sangkien screen CAMPAIGN ENTRY... --pass|--fail`: record screening (sơ loại) verdicts in decisions.yaml."""

from __future__ import annotations

import argparse

from sangkien import settings, vntime
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.council.context import decisions_path, open_campaign
from sangkien.council.errors import guarded, show


def register(sub: Subparsers) -> None:
    p = sub.add_parser("screen", help="ghi kết quả sơ loại (đạt, không đạt) của các bài vào decisions.yaml",
                       description="Ghi kết quả sơ loại của một hay nhiều bài trong đợt vào mục screening của "
                                   "entries/<mã đợt>/decisions.yaml: --pass (đạt) hoặc --fail (không đạt, bắt buộc ghi lý do). "
                                   "Giữ nguyên phần còn lại và chú thích của tệp; chỉ ghi khi tệp vẫn hợp lệ. Bài đã có kết quả "
                                   "chỉ được ghi lại khi có --replace. Lý do sơ loại không hiện trên trang công khai.",
                       epilog="Ví dụ: sangkien screen chau-thanh-2024 so-hoa-ho-so-mot-cua-xa phan-luong-quay-mot-cua-theo-nhom-thu-tuc --pass --date 02/07/2024\n"
                              "Không đạt: sangkien screen chau-thanh-2024 may-tra-cuu-tthc-tai-nha-van-hoa-ap --fail "
                              "--reason \"Giải pháp chưa được triển khai\" --date 02/07/2024\n"
                              "Sửa kết quả đã ghi: sangkien screen chau-thanh-2024 may-tra-cuu-tthc-tai-nha-van-hoa-ap --pass --replace",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("campaign", metavar="MÃ_ĐỢT", help="mã đợt, ví dụ chau-thanh-2024")
    p.add_argument("entries", nargs="*", metavar="MÃ_BÀI", help="mã (id) các bài được sơ loại, cách nhau bằng dấu cách")
    p.add_argument("--pass", dest="passed", action="store_true", help="các bài đạt sơ loại")
    p.add_argument("--fail", dest="failed", action="store_true", help="các bài không đạt sơ loại (bắt buộc ghi --reason)")
    p.add_argument("--reason", metavar="LÝ_DO", help="lý do (bắt buộc khi --fail), ví dụ \"Chưa triển khai thực hiện\"")
    p.add_argument("--date", metavar="dd/mm/yyyy", help="ngày sơ loại, ví dụ 02/07/2024 (mặc định: hôm nay, giờ Việt Nam); không được sau hôm nay")
    p.add_argument("--by", metavar="NGƯỜI_SƠ_LOẠI", help="người hoặc bộ phận sơ loại, ví dụ \"Tổ thư ký Hội đồng\" (không bắt buộc)")
    p.add_argument("--replace", action="store_true", help="thay kết quả sơ loại đã ghi của các bài này")
    add_root(p)
    p.set_defaults(func=run)


@guarded
def run(args: argparse.Namespace) -> int:
    from sangkien.council.screen import FAIL, PASS, SHOWN, Request, record

    root = (args.root or find_root()).resolve()
    now = settings.now()
    loaded, camp = open_campaign(root, args.campaign)
    result = PASS if args.passed and not args.failed else FAIL if args.failed and not args.passed else None
    req = Request([e.strip() for e in args.entries if e.strip()], result, args.reason, args.date, args.by, args.replace,
                  both=bool(args.passed and args.failed))
    done = record(root, loaded, camp, req, now)
    rel = decisions_path(camp.id)
    verdict = SHOWN[str(result)]
    if done.added:
        print(f"Đã ghi kết quả sơ loại «{verdict}» ngày {vntime.show_date(done.day)} của {len(done.added)} bài vào {rel}: {', '.join(done.added)}.")
    if done.replaced:
        print(f"Đã thay kết quả sơ loại thành «{verdict}» ngày {vntime.show_date(done.day)} của {len(done.replaced)} bài: {', '.join(done.replaced)}.")
    show(done.warnings)
    print("Tệp vẫn hợp lệ. Nhớ commit tệp này; kết quả và lý do sơ loại không hiện trên trang công khai.")
    return 0
