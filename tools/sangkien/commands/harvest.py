"""`sangkien harvest [--source ID] [--status]`: fetch the catalogues listed in
entries/federation.yaml into snapshots under federation/, or show how each source stands."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sangkien import layout, reporters, settings, vntime
from sangkien.codes import problem
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.federation import store

if TYPE_CHECKING:
    from sangkien.federation.sources import Federation


def _positive(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"«{text}» không phải số dương, ví dụ 30 (mã SK937)")
    return value


def register(sub: Subparsers) -> None:
    p = sub.add_parser("harvest", help="tải danh mục sáng kiến của địa phương khác (liên thông) để kiểm tra tính mới",
                       description="Tải tệp dữ liệu mở du-lieu/sang-kien.json của từng nguồn ghi trong entries/federation.yaml, kiểm tra theo "
                                   "lược đồ schema/catalogue.schema.json rồi lưu bản sao kèm nguồn gốc (địa chỉ, thời điểm tải, mã băm sha256, "
                                   "số sáng kiến) vào thư mục federation/. Nguồn bị lỗi hoặc dữ liệu không hợp lệ thì giữ nguyên bản sao tốt lần "
                                   "trước và báo lý do; không bao giờ lưu dữ liệu dở dang. Chỉ tải lại khi nguồn đã thay đổi (ETag, Last-Modified).",
                       epilog="Ví dụ: sangkien harvest\n"
                              "Chỉ một nguồn: sangkien harvest --source tay-ninh\n"
                              "Xem tình trạng: sangkien harvest --status",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source", action="append", default=[], metavar="MÃ_NGUỒN", help="chỉ tải nguồn này (ghi nhiều lần được)")
    p.add_argument("--status", action="store_true", help="không tải gì, chỉ cho biết tình trạng từng nguồn (mới, đã cũ, đang lỗi)")
    p.add_argument("--timeout", type=_positive, default=30.0, metavar="GIÂY", help="thời gian chờ máy chủ trả lời, tính bằng giây (mặc định 30)")
    p.add_argument("--max-mb", type=_positive, default=store.MAX_BYTES / (1024 * 1024), metavar="MB",
                   help=f"dung lượng tối đa của một nguồn, tính bằng MB (mặc định {store.MAX_BYTES // (1024 * 1024)}, cũng là mức tối đa)")
    add_root(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sangkien.federation import fetch, harvest, sources

    root = (args.root or find_root()).resolve()
    now = settings.now()
    federation = sources.load(root)
    if not federation.present:
        print(f"Kho chưa có tệp {layout.FEDERATION_FILE}: chưa liên thông với danh mục nào. Xem Hướng dẫn «Liên thông danh mục».")
        return 0
    if federation.problems:
        reporters.show(federation.problems)
        reporters.show([problem("SK930", layout.FEDERATION_FILE, 1, 1, f"Tệp {layout.FEDERATION_FILE} còn lỗi nên chưa tải nguồn nào.")])
        return 1
    chosen = federation.sources
    if args.source:
        known = {s.id: s for s in federation.sources}
        missing = [name for name in args.source if name not in known]
        if missing:
            listed = ", ".join(sorted(known)) or "(chưa có nguồn nào)"
            reporters.show([problem("SK931", layout.FEDERATION_FILE, 1, 1, f"Không có nguồn «{name}» trong {layout.FEDERATION_FILE}; các nguồn hiện có: {listed}.")
                            for name in missing])
            return 2
        chosen = [known[name] for name in dict.fromkeys(args.source)]
    if not chosen:
        print(f"{layout.FEDERATION_FILE} chưa có nguồn nào (sources: []). Thêm nguồn theo ví dụ ở đầu tệp.")
        return 0
    if args.status:
        return _status(root, federation, now)
    print(f"Tải {len(chosen)} nguồn liên thông vào thư mục {layout.FEDERATION_DIR}/ …", file=sys.stderr)

    def report(outcome: harvest.Outcome) -> None:
        if sys.stderr.isatty():
            sys.stderr.write("\r\x1b[K")
        s = outcome.source
        if outcome.result == harvest.OK:
            print(f"Nguồn «{s.id}» ({s.name}): đã lưu {outcome.count} sáng kiến vào {layout.FEDERATION_DIR}/{s.id}.json.")
        elif outcome.result == harvest.UNCHANGED:
            print(f"Nguồn «{s.id}» ({s.name}): không thay đổi từ lần tải trước ({outcome.count} sáng kiến).")
        else:
            kept = (f" Vẫn dùng bản sao {outcome.kept.count} sáng kiến tải lúc {vntime.show(vntime.parse_instant(outcome.kept.fetched))}."
                    if outcome.kept is not None else " Chưa có bản sao nào của nguồn này; không lưu gì.")
            reporters.show([problem(outcome.code, layout.FEDERATION_FILE, s.line, 1, f"Nguồn «{s.id}» ({s.name}): {outcome.reason}{kept}")])

    outcomes = harvest.harvest(root, chosen, now, args.timeout, min(int(args.max_mb * 1024 * 1024), store.MAX_BYTES), lambda s: fetch.terminal_progress(s.id), report,
                               {s.id for s in federation.sources})
    for gone in store.prune(root, {s.id for s in federation.sources}):
        print(f"Nguồn «{gone}» không còn trong {layout.FEDERATION_FILE}: đã xóa bản sao {store.snapshot_rel(gone)} và {store.meta_rel(gone)}.")
    failed = [o for o in outcomes if o.result == harvest.FAILED]
    done = len(outcomes) - len(failed)
    print(f"Xong: {done} nguồn tải được, {len(failed)} nguồn lỗi. Nhớ commit thư mục {layout.FEDERATION_DIR}/ để phép kiểm tra trên máy chủ dùng được.")
    return 1 if failed else 0


def _status(root: Path, federation: Federation, now: datetime) -> int:
    from sangkien.federation import status

    rows = status.of(root, federation, now)
    bad = 0
    for row in rows:
        s = row.source
        print(f"{status.LABELS[row.state]}: {s.id} ({s.name}, {s.location}): {row.sentence()}")
        bad += row.state in (status.FAILING, status.NEVER) or row.stale
    print(f"{len(rows)} nguồn: {len(rows) - bad} còn mới, {bad} cần xem lại (quá {federation.stale_after_days} ngày thì coi là cũ).")
    return 0
