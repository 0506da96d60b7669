"""The council's papers, in the format of Nghị định 30/2020/NĐ-CP (layout in adminpaper.py):

- the achievement report of a nominee (Báo cáo thành tích), in the form the campaign names
  (`achievement_form`: Mẫu số 07 of Nghị định 91/2017/NĐ-CP, or its successor under Nghị định
  98/2023/NĐ-CP), with the nominee's figures against the targets of their level;
- the submission (Tờ trình) proposing the awards or recognitions;
- the minutes of the council's meeting (Biên bản): members, attendance, screening, scores or
  targets, votes, conclusions;
- the draft decision (Quyết định) with its annexed list.

Sáng kiến (and idea contest) campaigns take their rows from the combined scores (results.py),
thi đua campaigns from the targets (thidua.py). Everything the data does not hold (a meeting's
time and place, who attended, the votes, a signer's name, a date of birth) is a dotted blank,
or comes from the command's options; nothing is guessed. These papers are never published.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from sangkien import textnorm, vntime
from sangkien.checks.thidua import TargetCheck, check_one, labels
from sangkien.council import adminpaper as ap
from sangkien.council import results as scoring
from sangkien.council import thidua
from sangkien.council.docxkit import new_document, page_break, para, table
from sangkien.council.dossier import add_body
from sangkien.council.rubric import rubric_of
from sangkien.model import Campaign, Entry, Recognition, Repository, as_date
from sangkien.vnnumber import show_number

FORMS: dict[str, tuple[str, str]] = {
    # id -> (the form's name as printed above the report, the decree it belongs to)
    "nd-91-2017": ("Mẫu số 07", "Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ"),
    "nd-98-2023": ("Mẫu báo cáo thành tích khen thưởng theo đợt thi đua, chuyên đề", "Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ"),
}
DEFAULT_FORM = "nd-98-2023"  # the decree in force; a campaign run under the old one names it
LEVELS = {"tinh": "cấp tỉnh", "huyen": "cấp huyện", "xa": "cấp xã"}


@dataclass
class Options:
    """What the command line adds to the data: never invented, dotted when absent."""

    day: date | None = None
    number: str | None = None
    unit: str | None = None
    place: str = ""
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    chair: str = ""
    secretary: str = ""
    signer: str = ""


def is_thidua(camp: Campaign) -> bool:
    return camp.kind == "thi-dua"


def form_of(camp: Campaign) -> str:
    raw = camp.data.get("achievement_form")
    return raw if isinstance(raw, str) and raw in FORMS else DEFAULT_FORM


# ---------------------------------------------------------------- shared facts
def _award(camp: Campaign) -> str:
    return str((camp.data.get("award") or {}).get("name") or "")


def _issuer(repo: Repository, camp: Campaign) -> tuple[str, str, str]:
    """(issuer official name, its superior, place) of the campaign's issuing body."""
    issuer = camp.data.get("issuer") or {}
    unit, name, superior = ap.official(repo, issuer.get("unit"))
    if unit is None:
        name = str(issuer.get("name") or "")
    return name, superior, ap.place_of(camp) or ap.place_from(name)


def _council(camp: Campaign) -> str:
    return "Hội đồng Thi đua - Khen thưởng" if is_thidua(camp) else "Hội đồng sáng kiến"


def _body_of(repo: Repository, camp: Campaign, opts: Options) -> tuple[str, str, str, str]:
    """(issuing body, superior, place, the council's full name) of a submission or minutes: the
    unit named by --unit (its own papers), else the council under the campaign's issuer."""
    issuer, superior, place = _issuer(repo, camp)
    if opts.unit:
        unit, name, parent = ap.official(repo, opts.unit)
        return name, parent, opts.place or ap.place_from(name) or place, f"{_council(camp)} {name}"
    return _council(camp), issuer, opts.place or place, f"{_council(camp)} {issuer}"


def _plan_basis(repo: Repository, camp: Campaign) -> str:
    plan = camp.data.get("plan") or {}
    raw = str(plan.get("number") or "")
    number = raw if not raw.startswith("/") else f"……{raw}"
    day = as_date(plan.get("date"))
    issuer, _, _ = _issuer(repo, camp)
    when = f" ngày {vntime.show_date(day)}" if day else (f" năm {plan.get('year')}" if plan.get("year") else "")
    return f"Căn cứ Kế hoạch số {number}{when} của {issuer} về {camp.title[:1].lower()}{camp.title[1:]}"


def _legal_bases(camp: Campaign) -> list[str]:
    out = []
    for item in camp.data.get("legal_basis") or []:
        if not isinstance(item, dict):
            continue
        title, number = str(item.get("title") or ""), str(item.get("number") or "")
        day = as_date(item.get("date"))
        when = f" ngày {vntime.show_date(day)}" if day else ""
        kind, sep, rest = title.partition(" của ")
        if sep and len(kind.split()) <= 3:
            out.append(f"Căn cứ {kind} số {number}{when} của {rest}")
        else:
            out.append(f"Căn cứ {title} số {number}{when}")
    return out


@dataclass
class Row:
    entry: Entry
    who: str  # the nominee, or the authors
    what: str  # the nominee's position, or the initiative's title
    unit: str  # official name of the unit
    result: str  # figures: targets met and margin, or the combined score
    award: str  # tier or award proposed
    proposed: bool
    passed: bool
    totals: dict[str, float] = field(default_factory=dict)  # member -> total (sáng kiến)
    reasons: str = ""
    total: float | None = None  # combined score (sáng kiến)


def _unit_name(repo: Repository, unit_id: str | None) -> str:
    return ap.official(repo, unit_id)[1]


def _authors(entry: Entry) -> str:
    return ", ".join(str(a.get("name", "")) for a in entry.data.get("authors") or [] if isinstance(a, dict))


def rows(root: Path, repo: Repository, camp: Campaign, unit: str | None = None) -> tuple[list[Row], list[str]]:
    """Every screened-in entry or nomination with its figures, best first; and the scoring members."""
    out: list[Row] = []
    members: list[str] = []
    if is_thidua(camp):
        award = _award(camp)
        for n in thidua.evaluate(repo, camp.id, root).rows:
            failed = "; ".join(f"{c.label}: {c.shown}" for c in n.failed)
            result = (f"Đạt mọi chỉ tiêu {LEVELS.get(n.level, n.level)}, tổng mức vượt {show_number(n.margin)}" if n.meets_all
                      else f"Chưa đạt: {failed}" if failed else n.verdict)
            out.append(Row(n.entry, n.nominee, n.position, _unit_name(repo, n.entry.unit), result, award if n.proposed else "", n.proposed,
                           n.meets_all, reasons="Thiếu: " + ", ".join(n.missing_docs) if n.missing_docs else ""))
    else:
        res = scoring.compute(repo, camp, rubric_of(camp))
        members = res.members
        for r in res.rows:
            total = f"{show_number(r.total)}/{show_number(res.rubric.max_total)} điểm" if r.total is not None else "Chưa chấm"
            out.append(Row(r.entry, _authors(r.entry), r.entry.title, _unit_name(repo, r.entry.unit), total,
                           r.award if r.proposed else "", r.proposed, r.passed, {s.member: s.total for s in r.sheets}, "; ".join(r.reasons),
                           r.total))
    if unit:
        out = [r for r in out if r.entry.unit == unit]
    return out, members


def _screening(repo: Repository, camp: Campaign, unit: str | None) -> list[tuple[Entry, dict[str, Any] | None]]:
    dec = repo.decisions.get(camp.id)
    screened = dec.screening() if dec else {}
    entries = [e for e in repo.entries_of(camp.id) if e.kind in ("entry", "nomination") and (unit is None or e.unit == unit)]
    return [(e, screened.get(e.id)) for e in sorted(entries, key=lambda e: (textnorm.fold(_unit_name(repo, e.unit)), e.id))]


def _who(row: Row, thi_dua: bool) -> str:
    return f"{row.who}, {row.what}" if thi_dua else row.what


# ---------------------------------------------------------------- Báo cáo thành tích
def achievement_report(root: Path, repo: Repository, entry: Entry, opts: Options | None = None) -> DocumentObject:
    opts = opts or Options()
    camp = repo.campaigns[entry.campaign or ""]
    nominee = entry.data.get("nominee") or {}
    name, position = str(nominee.get("name", "")), str(nominee.get("position", ""))
    unit, unit_name, superior = ap.official(repo, entry.unit)
    form, decree = FORMS[form_of(camp)]
    doc = new_document(f"Báo cáo thành tích – {name}", first_page_number=True)
    para(doc, f"{form} ({decree.split(' ngày ')[0]})", italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, size=12, space_after=0)
    ap.header(doc, ap.Header(unit_name, superior, None, opts.place or ap.place_of(camp) or ap.place_from(unit_name), opts.day))
    award = _award(camp)
    ap.title(doc, "BÁO CÁO THÀNH TÍCH", f"ĐỀ NGHỊ TẶNG {award.upper()}" if award else "ĐỀ NGHỊ KHEN THƯỞNG")
    para(doc, "(Mẫu báo cáo này áp dụng đối với tập thể, cá nhân được khen thưởng theo đợt thi đua hoặc theo chuyên đề)",
         italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    para(doc, f"{name}, {position}, {unit_name}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    para(doc, f"Phong trào thi đua: {camp.title}", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)

    doc.add_paragraph("I. THÔNG TIN CHUNG", style="Heading 1")
    for label, value in (("Họ và tên", name), ("Sinh ngày, tháng, năm", ap.LONG_DOTS), ("Giới tính", ap.DOTS), ("Quê quán", ap.LONG_DOTS),
                         ("Trú quán", ap.LONG_DOTS), ("Đơn vị công tác", unit_name), ("Chức vụ (Đảng, chính quyền, đoàn thể)", position),
                         ("Trình độ chuyên môn, nghiệp vụ", ap.LONG_DOTS), ("Học hàm, học vị, danh hiệu, giải thưởng", ap.LONG_DOTS)):
        ap.body(doc, f"- {label}: {value}", indent=False)
    para(doc, "(Ngày sinh, quê quán, trú quán không lưu trong kho dữ liệu công khai; người báo cáo ghi tay trên bản in.)", italic=True, size=12)

    doc.add_paragraph("II. THÀNH TÍCH ĐẠT ĐƯỢC", style="Heading 1")
    level = str(entry.data.get("level", ""))
    doc.add_paragraph(f"1. Kết quả thực hiện các chỉ tiêu thi đua đối với {LEVELS.get(level, level)}", style="Heading 2")
    checks = check_one(entry, camp, labels(root))
    texts = {str(t.get("indicator")): str(t.get("text", "")) for t in (camp.data.get("targets") or {}).get(level) or [] if isinstance(t, dict)}
    table(doc, ["STT", "Chỉ tiêu thi đua", "Chỉ tiêu kế hoạch", "Kết quả đạt được", "Đánh giá"],
          [[str(n), texts.get(c.indicator) or c.label, _threshold(c), _value(c), _verdict(c)] for n, c in enumerate(checks, start=1)],
          [1.3, 6.8, 2.6, 2.4, 2.9])
    met = sum(1 for c in checks if c.status == "dat")
    ap.body(doc, f"Đạt {met}/{len(checks)} chỉ tiêu"
                 + (f"; {sum(1 for c in checks if c.status == 'khong-ap-dung')} chỉ tiêu «nếu có» không áp dụng" if any(c.status == "khong-ap-dung" for c in checks) else "")
                 + (f"; chưa đạt: {', '.join(c.label for c in checks if c.status in ('khong-dat', 'thieu'))}" if any(c.status in ('khong-dat', 'thieu') for c in checks) else "")
                 + ".")
    doc.add_paragraph("2. Các giải pháp, biện pháp đã thực hiện và kết quả cụ thể", style="Heading 2")
    if entry.data.get("summary"):
        ap.body(doc, str(entry.data["summary"]))
    add_body(doc, entry.body)
    linked = [repo.entries.get(i) for i in entry.data.get("initiatives") or [] if isinstance(i, str)]
    if any(linked):
        doc.add_paragraph("3. Sáng kiến, giải pháp trong công tác cải cách hành chính", style="Heading 2")
        for e in linked:
            if e is not None:
                found = repo.recognition(e.id)
                ap.body(doc, f"- {e.title}" + (f" (công nhận theo Quyết định số {found[0].number})" if found else "") + ".", indent=False)
    ap.signatures(doc, ap.Signer(["THỦ TRƯỞNG ĐƠN VỊ CẤP TRÊN TRỰC TIẾP"], "NHẬN XÉT, XÁC NHẬN", hint="(Ký, đóng dấu)"),
                  ap.Signer([], "NGƯỜI BÁO CÁO THÀNH TÍCH", name, hint="(Ký, ghi rõ họ và tên)"))
    return doc


def _unit_suffix(c: TargetCheck) -> str:
    return "%" if c.label.endswith("(%)") else ""


def _threshold(c: TargetCheck) -> str:
    if c.op == "<=" and c.threshold == 0:
        return "Không có"
    return f"{'≥' if c.op == '>=' else '≤'} {show_number(c.threshold)}{_unit_suffix(c)}"


def _value(c: TargetCheck) -> str:
    if c.value is None:
        return "Không có số liệu"
    return f"{show_number(c.value)}{_unit_suffix(c)}" if _unit_suffix(c) else show_number(c.value)


def _verdict(c: TargetCheck) -> str:
    if c.status == "khong-ap-dung":
        return "Không áp dụng (nếu có)"
    if c.status == "thieu":
        return "Chưa đạt (thiếu số liệu)"
    if c.status == "khong-dat":
        return "Chưa đạt"
    if c.margin > 0:
        unit = " điểm %" if _unit_suffix(c) else ""
        return f"Đạt, vượt {show_number(c.margin)}{unit}"
    return "Đạt"


# ---------------------------------------------------------------- Tờ trình
def submission(root: Path, repo: Repository, camp: Campaign, opts: Options) -> DocumentObject:
    thi_dua = is_thidua(camp)
    issuer_name, _, _ = _issuer(repo, camp)
    body_name, superior, place, council = _body_of(repo, camp, opts)
    all_rows, _ = rows(root, repo, camp, opts.unit)
    proposed = [r for r in all_rows if r.proposed]
    doc = new_document(f"Tờ trình – {camp.title}", first_page_number=True)
    ap.header(doc, ap.Header(body_name, superior, ap.number("TTr", ap.symbol(body_name), opts.number), place, opts.day))
    award = _award(camp)
    what = (f"Về việc đề nghị tặng {award} cho cá nhân có thành tích xuất sắc" if thi_dua
            else "Về việc đề nghị công nhận sáng kiến, giải pháp")
    ap.title(doc, "TỜ TRÌNH", what, f"trong {_short(camp)}")
    receiver = str((camp.data.get("channel") or {}).get("receiver") or "") if opts.unit else f"Chủ tịch {issuer_name}"
    para(doc, f"Kính gửi: {receiver or ap.LONG_DOTS}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    ap.bases(doc, [_plan_basis(repo, camp), f"Căn cứ kết quả họp của {council} {vn_or_dots(opts.day)}"])
    considered = len(_screening(repo, camp, opts.unit))
    passed = sum(1 for r in all_rows if r.passed)
    if thi_dua:
        ap.body(doc, f"{council} đã xem xét {considered} hồ sơ đề nghị khen thưởng; {passed} cá nhân đạt mọi chỉ tiêu thi đua của cấp mình. "
                     f"Theo tiêu chuẩn, số lượng khen thưởng của Kế hoạch và thứ tự ưu tiên (thực hiện vượt chỉ tiêu), "
                     f"{body_name if opts.unit else council} kính trình {receiver} xem xét, tặng {award or ap.DOTS} cho {len(proposed)} cá nhân sau:")
        table(doc, ["STT", "Họ và tên", "Chức vụ, đơn vị", "Thành tích (đối chiếu chỉ tiêu)"],
              [[str(n), r.who, f"{r.what}, {r.unit}" if r.unit not in r.what else r.what, r.result] for n, r in enumerate(proposed, start=1)],
              [1.3, 3.6, 5.5, 5.6])
        docs = [f"Biên bản họp {council}", f"Báo cáo thành tích của {len(proposed)} cá nhân (có xác nhận của cấp trình khen)"]
    else:
        ap.body(doc, f"{council} đã xem xét {considered} sáng kiến, giải pháp; {passed} sáng kiến đạt yêu cầu theo thang điểm của đợt. "
                     f"{council} kính trình {receiver} xem xét, công nhận {len(proposed)} sáng kiến, giải pháp sau:")
        top = show_number(rubric_of(camp).max_total)
        table(doc, ["STT", "Tên sáng kiến, giải pháp", "Tác giả", "Đơn vị", f"Điểm (/{top})", "Đề nghị"],
              [[str(n), r.what, r.who, r.unit, show_number(r.total) if r.total is not None else "", _proposal(r.award)]
               for n, r in enumerate(proposed, start=1)], [1.3, 5.0, 3.3, 3.0, 1.7, 1.7])
        docs = [f"Biên bản họp {council}", f"Hồ sơ của {len(proposed)} sáng kiến, giải pháp"]
    ap.body(doc, "Hồ sơ kèm theo:", bold=True)
    for d in docs:
        ap.body(doc, f"- {d}.", indent=False)
    ap.body(doc, f"Kính trình {receiver} xem xét, quyết định./.")
    signer = (ap.parse_signer(opts.signer) if opts.signer else
              ap.Signer([], ap.DOTS, hint="(Ký, ghi rõ họ và tên, đóng dấu)") if opts.unit else ap.Signer(["TM. HỘI ĐỒNG"], "CHỦ TỊCH", opts.chair))
    ap.closing(doc, ["Như trên", "Lưu: VT"], signer)
    return doc


def _proposal(award: str) -> str:
    return "Công nhận" if award in ("", "Đề nghị công nhận") else award


def vn_or_dots(day: date | None) -> str:
    return ap.vn_date(day)


def _short(camp: Campaign) -> str:
    title = camp.title
    for lead in ("Phát động phong trào thi đua ", "Phát động "):
        if title.startswith(lead):
            title = title[len(lead):]
            break
    kind = "phong trào thi đua" if is_thidua(camp) else "đợt phát động"
    return f"{kind} {title}"


# ---------------------------------------------------------------- Biên bản
def minutes(root: Path, repo: Repository, camp: Campaign, opts: Options) -> DocumentObject:
    thi_dua = is_thidua(camp)
    body_name, superior, place, council = _body_of(repo, camp, opts)
    all_rows, scorers = rows(root, repo, camp, opts.unit)
    doc = new_document(f"Biên bản – {camp.title}", first_page_number=True)
    ap.header(doc, ap.Header(body_name, superior, ap.number("BB", ap.symbol(body_name), opts.number), place, opts.day))
    ap.title(doc, "BIÊN BẢN", f"Họp {council}", f"xét {'đề nghị khen thưởng' if thi_dua else 'công nhận sáng kiến'} trong {_short(camp)}")
    ap.body(doc, f"Thời gian: vào lúc …… giờ …… phút, {vn_or_dots(opts.day)}.")
    ap.body(doc, f"Địa điểm: {ap.LONG_DOTS}")
    ap.body(doc, "I. THÀNH PHẦN THAM DỰ", bold=True, indent=False)
    ap.body(doc, f"- Chủ trì: {opts.chair or ap.LONG_DOTS}, Chủ tịch Hội đồng.", indent=False)
    ap.body(doc, f"- Thư ký: {opts.secretary or ap.LONG_DOTS}.", indent=False)
    members = _members(opts, scorers)
    present = {textnorm.fold(m) for m in opts.present} | {textnorm.fold(opts.chair), textnorm.fold(opts.secretary)} - {""}
    absent = {textnorm.fold(m) for m in opts.absent}
    known = bool(opts.present or opts.absent)
    if members:
        ap.body(doc, f"- Thành viên Hội đồng ({len(members)} người):", indent=False)
        table(doc, ["STT", "Họ và tên", "Dự họp", "Ghi chú"],
              [[str(n), m, _attendance(m, present, absent, known), "Có phiếu chấm" if m in scorers else ""]
               for n, m in enumerate(members, start=1)], [1.3, 6.9, 3.6, 4.2])
    if known:
        ap.body(doc, f"Có mặt {len([m for m in members if textnorm.fold(m) in present])}/{len(members)} thành viên; "
                     f"vắng mặt {len([m for m in members if textnorm.fold(m) in absent])}.")
    else:
        ap.body(doc, "Có mặt ……/…… thành viên; vắng mặt …… (ghi rõ lý do).")
    ap.body(doc, "II. NỘI DUNG", bold=True, indent=False)
    ap.body(doc, "1. Kết quả sơ loại", bold=True, indent=False)
    screening = _screening(repo, camp, opts.unit)
    table(doc, ["STT", "Hồ sơ" if thi_dua else "Sáng kiến, giải pháp", "Đơn vị", "Kết quả", "Lý do"],
          [[str(n), _screen_title(e, thi_dua), _unit_name(repo, e.unit), _screen_result(s), str((s or {}).get("reason") or "").strip()]
           for n, (e, s) in enumerate(screening, start=1)], [1.3, 4.3, 3.4, 2.2, 4.8])
    if thi_dua:
        ap.body(doc, "2. Đối chiếu kết quả với chỉ tiêu thi đua của Kế hoạch", bold=True, indent=False)
        table(doc, ["STT", "Họ và tên, chức vụ", "Đơn vị", "Kết quả đối chiếu chỉ tiêu", "Ghi chú"],
              [[str(n), f"{r.who}, {r.what}", r.unit, r.result, r.reasons] for n, r in enumerate(all_rows, start=1)], [1.3, 4.1, 3.4, 5.0, 2.2])
    else:
        ap.body(doc, "2. Kết quả chấm điểm", bold=True, indent=False)
        shown = scorers[:5]
        rubric = rubric_of(camp)
        ap.body(doc, f"Mỗi thành viên chấm theo thang điểm của đợt (tối đa {show_number(rubric.max_total)} điểm; đạt từ "
                     f"{show_number(rubric.pass_total)} điểm); điểm tổng hợp: {scoring.combine_text(rubric.combine)}.")
        head = ["STT", "Sáng kiến, giải pháp"] + shown + ["Điểm tổng hợp", "Kết quả"]
        first = 3.8 if len(shown) <= 3 else 3.0
        rest = (16.0 - 1.3 - first - 1.9 - 3.4) / max(len(shown), 1)
        table(doc, head, [[str(n), r.what] + [show_number(r.totals[m]) if m in r.totals else "" for m in shown]
                          + [show_number(r.total) if r.total is not None else "Chưa chấm",
                             ("Đạt" if r.passed else "Không đạt") + (f": {r.reasons}" if r.reasons else "")]
                          for n, r in enumerate(all_rows, start=1)], [1.3, first] + [rest] * len(shown) + [1.9, 3.4])
    ap.body(doc, "3. Biểu quyết", bold=True, indent=False)
    proposed = [r for r in all_rows if r.proposed]
    ap.body(doc, "Hội đồng biểu quyết từng trường hợp (ghi số phiếu trên bản in):")
    table(doc, ["STT", "Đề nghị", "Đồng ý", "Không đồng ý"],
          [[str(n), _who(r, thi_dua) + (f" ({r.award})" if r.award else ""), "……/……", "……/……"] for n, r in enumerate(proposed, start=1)],
          [1.3, 9.7, 2.5, 2.5])
    ap.body(doc, "III. KẾT LUẬN", bold=True, indent=False)
    award = _award(camp)
    if thi_dua:
        ap.body(doc, f"Hội đồng thống nhất đề nghị tặng {award or ap.DOTS} cho {len(proposed)} cá nhân có tên tại mục 3 nêu trên.")
    else:
        ap.body(doc, f"Hội đồng thống nhất đề nghị công nhận {len(proposed)} sáng kiến, giải pháp có tên tại mục 3 nêu trên.")
    ap.body(doc, "Cuộc họp kết thúc vào lúc …… giờ …… phút cùng ngày. Biên bản đã được đọc lại cho các thành viên dự họp cùng nghe và thống nhất./.")
    ap.signatures(doc, ap.Signer([], "THƯ KÝ", opts.secretary), ap.Signer([], "CHỦ TRÌ", opts.chair))
    return doc


def _members(opts: Options, scorers: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in [opts.chair, opts.secretary, *scorers, *opts.present, *opts.absent]:
        if name.strip():
            seen.setdefault(textnorm.fold(name), name.strip())
    return list(seen.values())


def _attendance(member: str, present: set[str], absent: set[str], known: bool) -> str:
    key = textnorm.fold(member)
    if key in present:
        return "Có mặt"
    if key in absent:
        return "Vắng mặt"
    return "……" if not known else "Không ghi"


def _screen_title(entry: Entry, thi_dua: bool) -> str:
    if thi_dua:
        nominee = entry.data.get("nominee") or {}
        return f"{nominee.get('name', '')}, {nominee.get('position', '')}"
    return entry.title


def _screen_result(item: dict[str, Any] | None) -> str:
    if item is None:
        return "Chưa sơ loại"
    return {"dat": "Đạt", "khong-dat": "Không đạt"}.get(str(item.get("result")), str(item.get("result")))


# ---------------------------------------------------------------- Quyết định
def _recorded(repo: Repository, camp: Campaign, number: str | None) -> tuple[Recognition, list[dict[str, Any]]] | None:
    dec = repo.decisions.get(camp.id)
    recs = dec.items("recognitions") if dec else []
    if number:
        recs = [r for r in recs if str(r.get("number")) == number]
    if not recs:
        return None
    raw = max(recs, key=lambda r: as_date(r.get("date")) or date.min)
    lines = [x for x in raw.get("entries") or [] if isinstance(x, dict)]
    return Recognition(str(raw.get("number")), as_date(raw.get("date")), raw, camp.id), lines


def decision(root: Path, repo: Repository, camp: Campaign, opts: Options) -> DocumentObject:
    thi_dua = is_thidua(camp)
    issuer_name, superior, place = _issuer(repo, camp)
    all_rows, _ = rows(root, repo, camp, opts.unit)
    by_id = {r.entry.id: r for r in all_rows}
    recorded = _recorded(repo, camp, opts.number)
    tiers = {t.id: t.name for t in (rubric_of(camp).tiers if not thi_dua else [])}
    if recorded is not None:
        rec, lines = recorded
        number, day = rec.number, rec.day
        chosen = [(by_id.get(str(x.get("entry"))), tiers.get(str(x.get("tier")), str(x.get("tier") or ""))) for x in lines]
        listed = [(r, t) for r, t in chosen if r is not None]
        signer_text = str(rec.data.get("signer") or (camp.data.get("issuer") or {}).get("signer") or "")
        summary = str(rec.data.get("title") or "")
    else:
        number, day = ap.number("QĐ", ap.symbol(issuer_name), opts.number), opts.day
        listed = [(r, r.award) for r in all_rows if r.proposed]
        signer_text = str((camp.data.get("issuer") or {}).get("signer") or "")
        summary = ""
    award = _award(camp)
    if not summary:
        summary = (f"Về việc tặng {award} cho cá nhân có thành tích xuất sắc trong {_short(camp)}" if thi_dua
                   else f"Về việc công nhận sáng kiến, giải pháp trong {_short(camp)}")
    elif summary.startswith("Quyết định "):
        summary = "Về việc " + summary[len("Quyết định "):]
    doc = new_document(f"Quyết định – {camp.title}", first_page_number=True)
    ap.header(doc, ap.Header(issuer_name, superior, number, opts.place or place, day))
    ap.title(doc, "QUYẾT ĐỊNH", summary)
    authority = f"CHỦ TỊCH {issuer_name.upper()}" if ap.symbol(issuer_name) == "UBND" else issuer_name.upper()
    para(doc, authority, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    ap.bases(doc, ["Căn cứ Luật Tổ chức chính quyền địa phương" if ap.symbol(issuer_name) == "UBND" else ap.LONG_DOTS,
                   *_legal_bases(camp), _plan_basis(repo, camp)])
    council = f"{_council(camp)} {issuer_name}"
    ap.body(doc, f"Xét đề nghị của {council} tại Tờ trình số ……/TTr-{ap.symbol(_council(camp))} ngày ……/……/………", italic=True)
    para(doc, "QUYẾT ĐỊNH:", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    count = len(listed)
    if thi_dua:
        first = (f"Tặng {award or ap.DOTS} cho {count} cá nhân đã có thành tích xuất sắc trong {_short(camp)} "
                 "(có danh sách kèm theo).")
    else:
        first = f"Công nhận {count} sáng kiến, giải pháp trong {_short(camp)} (có danh sách kèm theo)."
    _article(doc, 1, first)
    _article(doc, 2, "Quyết định này có hiệu lực kể từ ngày ký.")
    _article(doc, 3, f"Chánh Văn phòng, {council}, thủ trưởng các cơ quan, đơn vị có liên quan và "
                     f"{'các cá nhân' if thi_dua else 'các tác giả'} có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.")
    signer = ap.parse_signer(opts.signer or signer_text)
    ap.closing(doc, ["Như Điều 3", "Lưu: VT"], signer)

    page_break(doc)
    para(doc, "DANH SÁCH", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    para(doc, "Cá nhân được tặng " + (award or "khen thưởng") if thi_dua else "Sáng kiến, giải pháp được công nhận",
         bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    para(doc, f"(Kèm theo Quyết định số {number} {ap.vn_date(day)} của {'Chủ tịch ' if ap.symbol(issuer_name) == 'UBND' else ''}{issuer_name})",
         italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    if thi_dua:
        table(doc, ["STT", "Họ và tên", "Chức vụ, đơn vị", "Thành tích"],
              [[str(n), r.who, f"{r.what}, {r.unit}" if r.unit not in r.what else r.what, r.result] for n, (r, _) in enumerate(listed, start=1)],
              [1.3, 3.6, 5.5, 5.6])
    else:
        table(doc, ["STT", "Tên sáng kiến, giải pháp", "Tác giả", "Đơn vị", "Hạng"],
              [[str(n), r.what, r.who, r.unit, t] for n, (r, t) in enumerate(listed, start=1)], [1.3, 5.7, 3.6, 3.6, 1.8])
    para(doc, f"(Danh sách có {count} {'cá nhân' if thi_dua else 'sáng kiến, giải pháp'}.)", italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=13)
    return doc


def _article(doc: DocumentObject, n: int, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.first_line_indent = Pt(28)
    p.add_run(f"Điều {n}. ").bold = True
    p.add_run(text)


PAPERS: dict[str, Callable[[Path, Repository, Campaign, Options], DocumentObject]] = {
    "submission": submission, "minutes": minutes, "decision": decision,
}
