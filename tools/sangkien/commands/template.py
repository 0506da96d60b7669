"""`sangkien template --campaign ID [--out DIR]`: the Word template of an entry for a campaign."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sangkien import layout, reporters, validator
from sangkien.codes import problem
from sangkien.commands.common import Subparsers, add_root, find_root


def register(sub: Subparsers) -> None:
    p = sub.add_parser("template", help="tạo mẫu Word (.docx) để soạn bài sáng kiến",
                       description="Tạo tệp Word mẫu của đợt: trang bìa, Đơn yêu cầu công nhận sáng kiến (mẫu Thông tư 18/2013/TT-BKHCN) "
                                   "dạng bảng có sẵn các lựa chọn, và các mục của phần nội dung. Khổ A4, chữ Times New Roman cỡ 14. "
                                   "Điền xong, nộp bằng lệnh sangkien import hoặc trên trang Nộp sáng kiến.")
    p.add_argument("--campaign", required=True, metavar="MÃ_ĐỢT", help="mã đợt phát động (tên thư mục trong entries/)")
    p.add_argument("--out", type=Path, default=Path("."), metavar="THƯ_MỤC", help="thư mục ghi tệp (mặc định: thư mục hiện tại)")
    add_root(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sangkien.council import wordtemplate

    root = (args.root or find_root()).resolve()
    if not (root / layout.ENTRIES).is_dir():
        reporters.show([problem("SK901", ".", 1, 1, f"Không thấy thư mục entries/ trong {root}.", "Chạy lệnh trong kho sáng kiến, hoặc ghi --root.")], sys.stdout)
        return 2
    camps = validator.load(root).repo.campaigns
    camp = camps.get(args.campaign)
    if camp is None or camp.kind == "thi-dua":
        known = ", ".join(sorted(c.id for c in camps.values() if c.kind != "thi-dua"))
        reporters.show([problem("SK921", "--campaign", 1, 1, f"Không có đợt nhận bài sáng kiến «{args.campaign}». Các đợt hiện có: {known}.")], sys.stdout)
        return 2
    out: Path = args.out
    if not out.is_dir():
        reporters.show([problem("SK923", str(out), 1, 1, f"«{out}» không phải thư mục có sẵn.")], sys.stdout)
        return 2
    path = wordtemplate.write(camp, out)
    print(f"Đã ghi mẫu {path}. Gửi mẫu cho các đơn vị; điền xong, nhập bằng: sangkien import {path.name} --campaign {camp.id} --unit <mã đơn vị>")
    return 0
