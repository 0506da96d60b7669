"""`sangkien scoresheet CAMPAIGN [--member NAME ...] [--out DIR]`: one XLSX score sheet per council member."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sangkien import textnorm
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.council.context import inside_entries, open_campaign
from sangkien.council.errors import CouncilError, guarded
from sangkien.council.rubric import passed_entries, rubric_of


def register(sub: Subparsers) -> None:
    p = sub.add_parser("scoresheet", help="tạo phiếu chấm điểm (Excel) cho từng thành viên Hội đồng",
                       description="Tạo một tệp XLSX cho mỗi thành viên: mỗi dòng một bài đã qua sơ loại, mỗi cột một tiêu chí của thang điểm. "
                                   "Phiếu được khóa cấu trúc, chỉ mở các ô chấm điểm và nhận xét; in vừa khổ A4 ngang.")
    p.add_argument("campaign", metavar="MÃ_ĐỢT", help="mã đợt, ví dụ chau-thanh-2024")
    p.add_argument("--member", action="append", default=[], metavar="HỌ_TÊN",
                   help="họ tên thành viên Hội đồng (ghi nhiều lần cho nhiều người); không ghi thì tạo một phiếu trống để thành viên tự ghi tên")
    p.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC", help="thư mục ghi phiếu (mặc định: ./phieu-cham-<mã đợt>)")
    add_root(p)
    p.set_defaults(func=run)


@guarded
def run(args: argparse.Namespace) -> int:
    from sangkien.council import scoresheet

    started = time.perf_counter()
    root = (args.root or find_root()).resolve()
    loaded, camp = open_campaign(root, args.campaign)
    if camp.kind == "thi-dua":
        raise CouncilError.one("SK802", camp.path, f"«{camp.id}» là phong trào thi đua: không chấm điểm bằng phiếu mà đối chiếu chỉ tiêu.",
                               fix=f"Dùng: sangkien results {camp.id}")
    rubric = rubric_of(camp)
    entries = passed_entries(loaded.repo, camp)
    out = (args.out or Path.cwd() / f"phieu-cham-{camp.id}").resolve()
    if inside_entries(root, out):
        raise CouncilError.one("SK850", str(out), "Không ghi phiếu chấm vào thư mục entries/ (đó là nơi chứa dữ liệu của kho).")
    members = [textnorm.nfc(" ".join(m.split())) for m in args.member] or [""]
    seen: dict[str, str] = {}
    for m in members:
        if m and textnorm.fold(m) in seen:
            raise CouncilError.one("SK809", "--member", f"Tên «{m}» được ghi hai lần (trùng với «{seen[textnorm.fold(m)]}»).", fix="Ghi mỗi thành viên một lần.")
        seen[textnorm.fold(m)] = m
    print(f"Đợt «{camp.id}»: {len(entries)} bài qua sơ loại, {len(rubric.criteria)} tiêu chí; tạo {len(members)} phiếu chấm.")
    for n, member in enumerate(members, start=1):
        path = out / scoresheet.file_name(camp.id, member)
        try:
            size = scoresheet.write(path, loaded.repo, camp, rubric, entries, member)
        except OSError as err:
            raise CouncilError.one("SK850", str(path), f"Không ghi được «{path}» ({err.strerror}).") from err
        print(f"[{n}/{len(members)}] {member or '(phiếu trống, thành viên tự ghi tên)'}: {path} ({size // 1024 + 1} KB)")
    print(f"Xong sau {time.perf_counter() - started:.1f} giây. Gửi mỗi thành viên một tệp; chấm xong thì nhập lại bằng: "
          f"sangkien scores import {camp.id} <các tệp phiếu>")
    return 0
