"""`sangkien dossier ENTRY | NOMINATION | CAMPAIGN [--unit UNIT] [--submission] [--minutes] [--decision] [--pdf] [--out DIR]`:
the paper dossiers and the council's papers (DOCX, PDF)."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sangkien import vntime
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.council.context import inside_entries
from sangkien.council.errors import CouncilError, guarded, show
from sangkien.model import Campaign, Entry, Repository

if TYPE_CHECKING:
    from docx.document import Document

    from sangkien.council.papers import Options

PAPER_FILES = {"submission": "to-trinh", "minutes": "bien-ban", "decision": "quyet-dinh"}


def register(sub: Subparsers) -> None:
    p = sub.add_parser("dossier", help="tạo hồ sơ giấy (Word, PDF): hồ sơ sáng kiến, báo cáo thành tích, tờ trình, biên bản, quyết định",
                       description="Tạo tệp Word khổ A4, chữ Times New Roman cỡ 14, có đánh số trang, kiểm tra chính tả tiếng Việt. "
                                   "Mã bài sáng kiến: trang bìa, Đơn yêu cầu công nhận sáng kiến (mẫu Thông tư 18/2013/TT-BKHCN) điền sẵn, nội dung và "
                                   "bảng kết quả. Mã hồ sơ đề nghị khen thưởng (thi đua): Báo cáo thành tích theo mẫu đợt chọn (Mẫu số 07 Nghị định "
                                   "91/2017/NĐ-CP hoặc mẫu của Nghị định 98/2023/NĐ-CP) với số liệu đối chiếu chỉ tiêu. Mã đợt kèm --submission, --minutes, "
                                   "--decision: Tờ trình, Biên bản họp Hội đồng, dự thảo Quyết định kèm danh sách, theo thể thức Nghị định 30/2020/NĐ-CP. "
                                   "Mã đợt không kèm loại văn bản: hồ sơ sáng kiến của từng đơn vị (đợt sáng kiến) hoặc báo cáo thành tích của những người "
                                   "được đề nghị khen (đợt thi đua). Chỗ kho dữ liệu không có (ngày sinh, giờ họp, số phiếu biểu quyết...) để dòng chấm "
                                   "để ghi tay. Các văn bản này không đăng lên trang công khai.",
                       epilog="Ví dụ:\n  sangkien dossier khen-giam-doc-so-cong-thuong-2023\n"
                              "  sangkien dossier ba-ria-vung-tau-2023 --submission --minutes --date 16/01/2024 --chair \"Nguyễn Văn A\"\n"
                              "  sangkien dossier chau-thanh-2024 --decision --pdf",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("target", metavar="MÃ_BÀI_HOẶC_ĐỢT", help="mã bài (hoặc đường dẫn tệp .md), mã hồ sơ đề nghị khen thưởng, hoặc mã đợt")
    p.add_argument("--unit", metavar="MÃ_ĐƠN_VỊ",
                   help="với mã đợt: chỉ bài, hồ sơ của đơn vị này; với --submission, --minutes: văn bản do chính đơn vị này ban hành")
    paper = p.add_argument_group("văn bản của Hội đồng (ghi kèm mã đợt; ghi nhiều loại cùng lúc được)")
    paper.add_argument("--submission", action="store_true", help="Tờ trình đề nghị khen thưởng hoặc công nhận sáng kiến")
    paper.add_argument("--minutes", action="store_true", help="Biên bản họp Hội đồng (thành viên, dự họp, sơ loại, điểm, biểu quyết, kết luận)")
    paper.add_argument("--decision", action="store_true", help="dự thảo Quyết định công nhận hoặc khen thưởng, kèm danh sách")
    paper.add_argument("--date", metavar="NGÀY", help="ngày họp hoặc ngày ký văn bản, dạng dd/mm/yyyy (không ghi: để trống ghi tay)")
    paper.add_argument("--number", metavar="SỐ", help="số văn bản, ví dụ 412/QĐ-UBND (với --decision: chọn quyết định đã ghi trong decisions.yaml)")
    paper.add_argument("--place", metavar="ĐỊA_DANH", help="địa danh ghi trước ngày tháng (mặc định: theo kế hoạch hoặc tên cơ quan)")
    paper.add_argument("--chair", metavar="HỌ_TÊN", default="", help="người chủ trì cuộc họp (Chủ tịch Hội đồng)")
    paper.add_argument("--secretary", metavar="HỌ_TÊN", default="", help="thư ký cuộc họp")
    paper.add_argument("--present", action="extend", nargs="+", default=[], metavar="HỌ_TÊN", help="thành viên có mặt; ghi nhiều lần được")
    paper.add_argument("--absent", action="extend", nargs="+", default=[], metavar="HỌ_TÊN", help="thành viên vắng mặt; ghi nhiều lần được")
    paper.add_argument("--signer", metavar="NGƯỜI_KÝ", default="", help="quyền hạn, chức vụ, họ tên người ký, ví dụ \"KT. Chủ tịch, Phó Chủ tịch Nguyễn Văn A\"")
    p.add_argument("--pdf", action="store_true", help="tạo thêm tệp PDF bằng LibreOffice (nếu máy có cài)")
    p.add_argument("--out", type=Path, default=None, metavar="THƯ_MỤC", help="thư mục ghi tệp (mặc định: thư mục hiện tại)")
    add_root(p)
    p.set_defaults(func=run)


def _entry(repo: Repository, root: Path, target: str) -> Entry | None:
    if target in repo.entries:
        return repo.entries[target]
    path = Path(target)
    if path.suffix == ".md" and path.exists():
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            return None
        return next((e for e in repo.entries.values() if e.path == rel), None)
    return None


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return vntime.parse_typed_date(text)
    except vntime.TypedDateError as err:
        raise CouncilError.one("SK844", "--date", f"Ngày ghi ở --date không dùng được: {err}") from err


def _papers(args: argparse.Namespace) -> list[str]:
    return [name for name in PAPER_FILES if getattr(args, name)]


@guarded
def run(args: argparse.Namespace) -> int:
    from sangkien.council import docxkit, papers, pdf
    from sangkien.validator import load

    started = time.perf_counter()
    root = (args.root or find_root()).resolve()
    repo = load(root).repo
    out = (args.out or Path.cwd()).resolve()
    if inside_entries(root, out):
        raise CouncilError.one("SK841", str(out), "Không ghi hồ sơ Word vào thư mục entries/.")
    opts = papers.Options(_day(args.date), args.number, args.unit, args.place or "", list(args.present), list(args.absent),
                          args.chair.strip(), args.secretary.strip(), args.signer.strip())
    wanted = _papers(args)
    jobs: list[tuple[Path, Document]] = []
    entry = _entry(repo, root, args.target)
    if entry is not None:
        if wanted:
            raise CouncilError.one("SK845", entry.path, f"«{entry.id}» là một bài hoặc hồ sơ, không phải một đợt: "
                                                        f"--{wanted[0]} chỉ làm cho cả đợt «{entry.campaign}».",
                                   fix=f"Chạy: sangkien dossier {entry.campaign} --{wanted[0]}")
        if entry.kind == "nomination":
            _thidua_campaign(repo, entry)
            print(f"Đang tạo báo cáo thành tích cho hồ sơ «{entry.id}»…")
            jobs.append((out / f"bao-cao-thanh-tich-{entry.id}.docx", papers.achievement_report(root, repo, entry, opts)))
        else:
            from sangkien.council import dossier

            print(f"Đang tạo hồ sơ cho bài «{entry.id}»…")
            jobs.append((out / f"{entry.id}.docx", dossier.build_entry(root, repo, entry)))
    elif args.target in repo.campaigns:
        camp = repo.campaigns[args.target]
        if wanted:
            jobs += _council_papers(root, repo, camp, opts, wanted, out)
        elif camp.kind == "thi-dua":
            jobs += _reports(root, repo, camp, opts, out)
        else:
            jobs += _bundles(root, repo, camp, args.unit, out)
    else:
        raise CouncilError.one("SK840", args.target, f"Không có bài, hồ sơ hay đợt nào mang mã hoặc đường dẫn «{args.target}».")
    status = 0
    for path, doc in jobs:
        try:
            size = docxkit.save(doc, path)
        except OSError as err:
            raise CouncilError.one("SK841", str(path), f"Không ghi được «{path}» ({err.strerror}).") from err
        print(f"Đã ghi {path} ({size // 1024 + 1} KB).")
        if args.pdf:
            print("Đang chuyển sang PDF bằng LibreOffice…")
            try:
                target = pdf.to_pdf(path)
                print(f"Đã ghi {target} ({target.stat().st_size // 1024 + 1} KB).")
            except CouncilError as err:
                show(err.problems)
                status = 1
    print(f"Xong sau {time.perf_counter() - started:.1f} giây.")
    return status


def _thidua_campaign(repo: Repository, entry: Entry) -> Campaign:
    camp = repo.campaigns.get(entry.campaign or "")
    if camp is None or camp.kind != "thi-dua":
        raise CouncilError.one("SK848", entry.path, f"Hồ sơ «{entry.id}» ghi đợt «{entry.campaign}», không phải phong trào thi đua có trong kho.")
    return camp


def _check_unit(repo: Repository, camp: Campaign, unit: str | None) -> None:
    if unit and not any(e.unit == unit for e in repo.entries_of(camp.id)):
        raise CouncilError.one("SK846", f"entries/{camp.id}", f"Đơn vị «{unit}» không có bài hay hồ sơ nào trong đợt «{camp.id}».")


def _council_papers(root: Path, repo: Repository, camp: Campaign, opts: Options, wanted: list[str], out: Path) -> list[tuple[Path, Document]]:
    from sangkien.council import papers

    _check_unit(repo, camp, opts.unit)
    rows, _ = papers.rows(root, repo, camp, opts.unit)
    dec = repo.decisions.get(camp.id)
    recorded = bool(dec and dec.items("recognitions"))
    jobs = []
    suffix = f"-{opts.unit}" if opts.unit else ""
    for name in wanted:
        if name != "minutes" and not any(r.proposed for r in rows) and not (name == "decision" and recorded):
            raise CouncilError.one("SK847", f"entries/{camp.id}/decisions.yaml",
                                   f"Đợt «{camp.id}» chưa có bài hay hồ sơ nào được đề nghị, nên chưa làm được "
                                   f"{'tờ trình' if name == 'submission' else 'quyết định'}.")
        print(f"Đang tạo {dict(submission='tờ trình', minutes='biên bản họp Hội đồng', decision='dự thảo quyết định')[name]} của đợt «{camp.id}»…")
        jobs.append((out / f"{PAPER_FILES[name]}-{camp.id}{suffix}.docx", papers.PAPERS[name](root, repo, camp, opts)))
    return jobs


def _reports(root: Path, repo: Repository, camp: Campaign, opts: Options, out: Path) -> list[tuple[Path, Document]]:
    """Thi đua: the achievement reports of those proposed for the award (with --unit: of every
    nomination of that unit)."""
    from sangkien.council import papers

    _check_unit(repo, camp, opts.unit)
    rows, _ = papers.rows(root, repo, camp, opts.unit)
    chosen = rows if opts.unit else [r for r in rows if r.proposed]
    if not chosen:
        raise CouncilError.one("SK847", f"entries/{camp.id}", f"Đợt «{camp.id}» chưa có hồ sơ nào được đề nghị khen thưởng.",
                               fix=f"Xem đối chiếu chỉ tiêu: sangkien results {camp.id}; hoặc làm cho một đơn vị: sangkien dossier {camp.id} --unit <mã đơn vị>.")
    jobs = []
    for n, row in enumerate(chosen, start=1):
        print(f"[{n}/{len(chosen)}] Báo cáo thành tích: {row.who} ({row.entry.id})")
        jobs.append((out / f"bao-cao-thanh-tich-{row.entry.id}.docx", papers.achievement_report(root, repo, row.entry, opts)))
    return jobs


def _bundles(root: Path, repo: Repository, camp: Campaign, unit_id: str | None, out: Path) -> list[tuple[Path, Document]]:
    from sangkien.council import dossier

    entries = [e for e in repo.entries_of(camp.id) if e.kind == "entry"]
    units = [unit_id] if unit_id else sorted({e.unit or "" for e in entries})
    if unit_id and not any(e.unit == unit_id for e in entries):
        raise CouncilError.one("SK846", f"entries/{camp.id}", f"Đơn vị «{unit_id}» chưa có bài nào trong đợt «{camp.id}».")
    if not units:
        raise CouncilError.one("SK847", f"entries/{camp.id}", f"Đợt «{camp.id}» chưa có bài sáng kiến nào để in hồ sơ.",
                               fix="Chờ các đơn vị nộp bài (sangkien new) rồi chạy lại.")
    jobs = []
    for n, unit in enumerate(units, start=1):
        mine = [e for e in entries if e.unit == unit]
        print(f"[{n}/{len(units)}] Đơn vị «{unit}»: {len(mine)} bài")
        jobs.append((out / f"ho-so-{camp.id}-{unit}.docx", dossier.build_bundle(root, repo, camp, unit, mine)))
    return jobs
