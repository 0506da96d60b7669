"""`sangkien validate [PATH ...]`: the validator, for people, tools and CI."""

from __future__ import annotations

import argparse
import gc
import os
import sys

from sangkien import cachedir, reporters, schemas, settings
from sangkien.checks import permissions
from sangkien.commands.common import Subparsers, add_root, find_root, instant
from sangkien.validator import validate


def register(sub: Subparsers) -> None:
    p = sub.add_parser("validate", help="kiểm tra bài, đợt, danh mục đơn vị, quyết định",
                       description="Kiểm tra toàn bộ kho (không ghi đường dẫn) hoặc các tệp, thư mục được ghi.")
    p.add_argument("paths", nargs="*", metavar="ĐƯỜNG_DẪN", help="tệp hoặc thư mục cần kiểm tra")
    p.add_argument("--base", metavar="REF", help="so sánh với nhánh/commit này để kiểm tra hạn nộp của các thay đổi")
    p.add_argument("--at", type=instant, metavar="THỜI_ĐIỂM",
                   help="thời điểm nộp theo ISO 8601 có múi giờ (mặc định: bây giờ), ví dụ 2024-06-25T23:59:59+07:00")
    p.add_argument("--actor", type=permissions.login, metavar="TÀI_KHOẢN",
                   help="tài khoản người nộp (tác giả yêu cầu hợp nhất): kiểm tra ai được sửa gì; cần --base")
    p.add_argument("--trusted", action="store_true",
                   help="phép kiểm tra tin cậy của CI: thư mục --root chỉ là dữ liệu (bài nộp); mẫu dữ liệu lấy từ bản sangkien đã cài "
                        "từ nhánh gốc, không đọc hay ghi bộ nhớ đệm trong thư mục đó (chỉ dùng bộ nhớ đệm khi biến "
                        "SANGKIEN_CACHE_DIR chỉ tới một thư mục nằm ngoài --root); cần --base và --actor")
    p.add_argument("--format", choices=sorted(reporters.FORMATS), default="text", help="dạng kết quả: text, json, github")
    add_root(p)
    p.set_defaults(func=run, exit_at_once=True)  # cli._exit_at_once: 10,000 entries' model is not freed object by object


def run(args: argparse.Namespace) -> int:
    root = (args.root or find_root()).resolve()
    if args.actor and not args.base:
        print("Tham số --actor cần đi cùng --base (nhánh gốc để biết yêu cầu hợp nhất thay đổi những tệp nào). (mã SK608)", file=sys.stderr)
        return 2
    if args.trusted:
        if not (args.base and args.actor):
            print("Tham số --trusted cần đi cùng --base và --actor: phép kiểm tra tin cậy xét ai được sửa gì so với nhánh gốc. (mã SK608)",
                  file=sys.stderr)
            return 2
        # The tree is the submitter's: its schema/ could be loosened and a committed cache
        # folder could be forged to vouch for files, so neither is read. A cache folder outside
        # the tree (SANGKIEN_CACHE_DIR, restored by CI from the main branch's runs) is used.
        schemas.use_packaged_only()
        outside = settings.cache_dir()
        if outside is None or cachedir.inside(outside, root):
            if outside is not None:
                print(f"Không dùng bộ nhớ đệm: SANGKIEN_CACHE_DIR={outside} nằm trong thư mục bài nộp {root}.", file=sys.stderr)
            settings.disable_cache()
    at = args.at or settings.now()  # SANGKIEN_NOW (tests, previews) or the clock
    # numpy's BLAS (OpenBLAS) starts a thread per core when the novelty check loads it, and they
    # spin for a while: validate multiplies no matrices (its only BLAS call is a dot product over
    # the terms two texts share, far below the size OpenBLAS splits between threads, so results
    # are the same), and the threads would only take the other core from Git and this run (~60 ms
    # of a warm --base at 10,000 entries). A value the user set is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # A run makes some 10^5 objects (the model of 10,000 entries) that all live until it ends:
    # the cycle collector would only walk them again and again (a tenth of a warm run).
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = validate(root, args.paths or None, base=args.base, at=at, actor=args.actor)
    finally:
        if collecting:
            gc.enable()
    sys.stdout.write(reporters.FORMATS[args.format](report.problems, report.checked))
    return 1 if report.errors else 0
