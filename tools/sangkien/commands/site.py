"""`sangkien site --out DIR`: the generated catalogue as files, for any static site generator."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sangkien import layout, reporters
from sangkien.codes import problem
from sangkien.commands.common import Subparsers, add_root, find_root


def register(sub: Subparsers) -> None:
    p = sub.add_parser("site", help="xuất danh mục thành tệp để dựng bằng trình dựng trang khác",
                       description="Ghi toàn bộ trang danh mục (trang sáng kiến, đợt, đơn vị, thống kê, hướng dẫn) thành tệp Markdown "
                                   "kèm dữ liệu mở, chỉ mục tìm kiếm, mẫu Word và tệp mkdocs.yml không cần plugin sangkien, để dựng "
                                   "bằng mkdocs build, properdocs build hoặc zensical build.")
    p.add_argument("--out", type=Path, required=True, metavar="THƯ_MỤC", help="thư mục ghi (chưa có hoặc đang trống)")
    add_root(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sangkien.site import standalone
    from sangkien.site.context import SiteError, build_now
    from sangkien.site.exports import ExportError

    root = (args.root or find_root()).resolve()
    if not (root / layout.ENTRIES).is_dir():
        reporters.show([problem("SK901", ".", 1, 1, f"Không thấy thư mục entries/ trong {root}.", "Chạy lệnh trong kho sáng kiến, hoặc ghi --root.")],
                       sys.stdout)
        return 2
    out: Path = args.out.resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        reporters.show([problem("SK940", str(args.out), 1, 1, f"«{args.out}» đã có tệp (hoặc là một tệp), lệnh không ghi đè.")], sys.stdout)
        return 2
    try:
        now = build_now()
        written = standalone.write(root, out, now)
    except standalone.StandaloneError as err:
        reporters.show([problem(err.code, err.where, 1, 1, str(err))], sys.stdout)
        return 2
    except (SiteError, ExportError) as err:
        reporters.show([problem("SK942", ".", 1, 1, str(err))], sys.stdout)
        return 2
    print(f"Đã ghi danh mục vào {out}: {written.pages} trang tự tạo, {len(written.files)} tệp. "
          f"Dựng trang: cd {out} && mkdocs build (hoặc properdocs build, zensical build).")
    return 0
