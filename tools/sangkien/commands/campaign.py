"""`sangkien campaign new`: start a campaign (entries/<id>/campaign.yaml) by answering questions in
Vietnamese, or from flags for scripts; `sangkien campaign next ID`: the next round of a campaign
held every year (`recurrence: {every: nam}`).

Questions come in the order a plan is written: kind and template, title, window, issuer (a unit of
the registry in force on the opening day), plan, legal basis, who takes part (levels or a list of
units), stages, areas, where entries go, and whether the campaign comes back every year. Every
answer can be given as a flag; a flag given is not asked. With --yes nothing is asked: a missing
answer is SK904 naming its flag. Dates are typed dd/mm/yyyy (ISO accepted) and shown dd/mm/yyyy;
each answer is checked against the campaign schema at once and asked again when wrong (a wrong
flag is SK905). What goes into the file and how it is written and validated is
sangkien.campaignplan's job.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sangkien import campaignplan as plan
from sangkien import layout, reporters, schemas, settings, validator, vntime
from sangkien.campaignplan import COMMAND_LINE, PlanError
from sangkien.commands.common import Subparsers, add_root, find_root
from sangkien.commands.new import Asker, NoMoreAnswers
from sangkien.model import Campaign, Repository, Unit
from sangkien.textnorm import fold
from sangkien.yamlstrict import Parsed

T = TypeVar("T")
CLI = "sangkien campaign new"


def register(sub: Subparsers) -> None:
    p = sub.add_parser("campaign", help="tạo đợt phát động mới, hoặc đợt kế tiếp của đợt tổ chức hằng năm",
                       description="Tạo tệp entries/<mã đợt>/campaign.yaml của một đợt phát động mà không phải viết YAML bằng tay.",
                       epilog="Ví dụ: sangkien campaign new (trả lời từng câu hỏi); sangkien campaign next y-te-ninh-thuan-2025")
    actions = p.add_subparsers(dest="action", title="các việc", metavar="VIỆC")
    n = actions.add_parser(
        "new", help="tạo đợt phát động mới (hỏi từng câu, hoặc ghi bằng tham số)",
        description="Hỏi lần lượt thông tin của kế hoạch phát động rồi ghi tệp entries/<mã đợt>/campaign.yaml (không ghi đè đợt có sẵn) "
                    "và kiểm tra tệp. Câu nào đã có tham số thì không hỏi. Với --yes: không hỏi gì, thiếu tham số bắt buộc thì báo lỗi SK904. "
                    "Ngày ghi theo ngày/tháng/năm, ví dụ 01/12/2026.",
        epilog="Ví dụ: sangkien campaign new --yes --kind sang-kien --title \"Phát động sáng kiến cải cách hành chính năm 2027\" "
               "--id snv-khanh-hoa-2027 --issuer kh-ubnd-tinh-moi --plan-number /KH-UBND --opens 01/03/2027 --closes 30/06/2027 "
               "--levels tinh,xa --receiver \"Sở Nội vụ\" --method \"Gửi qua kho sáng kiến\"\n"
               "Các mẫu (--template): " + "; ".join(f"{t.id}: {t.label}" for t in plan.templates().values()),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    n.add_argument("--yes", action="store_true", help="không hỏi gì: mọi thông tin lấy từ tham số (dùng trong kịch bản)")
    n.add_argument("--kind", metavar="LOẠI", help="loại đợt: sang-kien (sáng kiến), y-tuong (cuộc thi ý tưởng), thi-dua (phong trào thi đua)")
    n.add_argument("--template", metavar="MẪU", help="mẫu thang điểm, điều kiện, chỉ tiêu (mặc định theo loại đợt)")
    n.add_argument("--title", metavar="TÊN", help="tên đầy đủ của kế hoạch")
    n.add_argument("--id", metavar="MÃ_ĐỢT", help="mã đợt, chữ thường không dấu và gạch nối, ví dụ snv-khanh-hoa-2027")
    n.add_argument("--opens", metavar="NGÀY", help="ngày mở nhận bài, ví dụ 01/12/2026")
    n.add_argument("--closes", metavar="NGÀY", help="ngày cuối nhận bài (nhận đến hết ngày này), ví dụ 05/12/2026")
    n.add_argument("--note", metavar="GHI_CHÚ", help="ghi chú về thời gian nhận bài")
    n.add_argument("--issuer", metavar="MÃ_ĐƠN_VỊ", help="đơn vị ban hành kế hoạch (mã trong entries/units.yaml)")
    n.add_argument("--signer", metavar="NGƯỜI_KÝ", help="chức danh, họ tên người ký, ví dụ \"KT. Chủ tịch, Phó Chủ tịch Nguyễn Văn A\"")
    n.add_argument("--plan-number", metavar="SỐ", help="số hiệu kế hoạch, ví dụ 123/KH-UBND; chưa có số thì ghi /KH-UBND")
    n.add_argument("--plan-date", metavar="NGÀY", help="ngày ban hành kế hoạch, ví dụ 15/11/2026")
    n.add_argument("--place", metavar="ĐỊA_DANH", help="địa danh ghi trên kế hoạch, ví dụ Khánh Hòa")
    n.add_argument("--legal-basis", action="append", default=[], metavar="SỐ|NGÀY|TRÍCH_YẾU",
                   help="một văn bản căn cứ (thêm vào các căn cứ của mẫu), ví dụ \"76/NQ-CP|15/07/2021|Nghị quyết ...\"; ngày để trống được; ghi nhiều lần được")
    n.add_argument("--description", metavar="NỘI_DUNG", help="mục đích, yêu cầu của kế hoạch")
    n.add_argument("--eligibility", metavar="NỘI_DUNG", help="đối tượng tham gia")
    n.add_argument("--levels", metavar="CẤP", help="các cấp được tham gia, cách nhau bằng dấu phẩy: tinh, xa (huyen chỉ cho đợt mở trước 01/7/2025)")
    n.add_argument("--units", metavar="MÃ,MÃ", help="danh sách mã đơn vị phải tham gia, cách nhau bằng dấu phẩy")
    n.add_argument("--min-entries", metavar="SỐ", help="số bài tối thiểu mỗi đơn vị")
    n.add_argument("--stage", action="append", default=[], metavar="TÊN|NGÀY[|ĐƠN_VỊ]",
                   help="một bước sau khi nhận bài và hạn của nó, ví dụ \"Sơ loại bài dự thi|15/12/2026|Hội đồng sáng kiến\"; ghi nhiều lần được")
    n.add_argument("--participation", metavar="HÌNH_THỨC", help="ca-nhan, nhom (cách nhau bằng dấu phẩy; mặc định theo mẫu)")
    n.add_argument("--forms", metavar="HÌNH_THỨC", help="bai-viet, video (mặc định theo mẫu)")
    n.add_argument("--areas", metavar="LĨNH_VỰC", help="các lĩnh vực CCHC được nhận, cách nhau bằng dấu phẩy (mặc định theo mẫu)")
    n.add_argument("--indices", metavar="CHỈ_SỐ", help="các chỉ số kế hoạch nhắc tới, ví dụ PAR-INDEX,SIPAS (mặc định theo mẫu)")
    n.add_argument("--receiver", metavar="CƠ_QUAN", help="cơ quan nhận bài, ví dụ \"UBND tỉnh (qua Sở Nội vụ)\"")
    n.add_argument("--method", metavar="CÁCH_GỬI", help="cách gửi bài, ví dụ \"Gửi qua kho sáng kiến và thư điện tử\"")
    n.add_argument("--email", metavar="HỘP_THƯ", help="hộp thư công vụ của cơ quan nhận")
    n.add_argument("--award", metavar="HÌNH_THỨC", help="hình thức khen thưởng, ví dụ \"Bằng khen của Chủ tịch UBND tỉnh\"")
    n.add_argument("--cap", metavar="SỐ", help="số lượng khen thưởng tối đa")
    n.add_argument("--yearly", choices=["co", "khong"], help="đợt tổ chức lại hằng năm, cùng ngày, tháng: co hoặc khong")
    add_root(n)
    n.set_defaults(func=run_new)
    x = actions.add_parser(
        "next", help="tạo đợt kế tiếp của đợt tổ chức hằng năm",
        description="Tạo đợt của năm sau từ một đợt có mục lặp lại (recurrence): mã đợt và năm trong tên tăng một, thời gian nhận bài và các bước "
                    "lùi một năm, số và ngày của kế hoạch mới để trống (hoặc theo tham số), đơn vị đã hợp nhất được thay bằng đơn vị kế thừa. "
                    "Không ghi đè đợt có sẵn; tệp được kiểm tra trước khi báo xong.",
        epilog="Ví dụ: sangkien campaign next y-te-ninh-thuan-2025 --plan-number 250/KH-SYT --plan-date 10/11/2026")
    x.add_argument("campaign", metavar="MÃ_ĐỢT", help="mã đợt làm gốc, ví dụ y-te-ninh-thuan-2025")
    x.add_argument("--id", metavar="MÃ_ĐỢT_MỚI", help="mã của đợt mới (mặc định: mã cũ với năm tăng một)")
    x.add_argument("--title", metavar="TÊN", help="tên kế hoạch mới (mặc định: tên cũ với năm tăng một)")
    x.add_argument("--plan-number", metavar="SỐ", help="số hiệu kế hoạch mới (mặc định để trống số, ví dụ /KH-SYT)")
    x.add_argument("--plan-date", metavar="NGÀY", help="ngày ban hành kế hoạch mới, ví dụ 10/11/2026")
    x.add_argument("--signer", metavar="NGƯỜI_KÝ", help="người ký kế hoạch mới")
    x.add_argument("--place", metavar="ĐỊA_DANH", help="địa danh ghi trên kế hoạch mới")
    x.add_argument("--note", metavar="GHI_CHÚ", help="ghi chú mới về thời gian nhận bài (thay ghi chú của đợt cũ)")
    add_root(x)
    x.set_defaults(func=run_next)
    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


# ----------------------------------------------------------------- answers
class Bad(ValueError):
    """An answer that cannot be used; str() says why, in Vietnamese."""


def _about(flag: str, given: str, what: str) -> str:
    """«--flag «value»: what is wrong», the value named once."""
    return f"{flag}: {what}" if f"«{given.strip()}»" in what else f"{flag} «{given}»: {what}"


def typed_date(text: str) -> date:
    try:
        return vntime.parse_typed_date(text)
    except vntime.TypedDateError as err:
        raise Bad(str(err)) from err


def whole_number(text: str) -> int:
    t = text.strip()
    if not t.isdigit():
        raise Bad(f"«{t}» không phải số nguyên không âm, ví dụ 1.")
    return int(t)


class Answers:
    """One answer at a time: from its flag if given, else asked (unless --yes)."""

    def __init__(self, root: Path, asker: Asker | None) -> None:
        self.root = root
        self.ask = asker
        self.schema = schemas.load_schema(root, "campaign")

    # ---- the schema on one value
    def fits(self, path: tuple[str | int, ...]) -> Callable[[Any], str | None]:
        def check(value: Any) -> str | None:
            instance: Any = value
            for part in reversed(path):
                instance = [instance] if isinstance(part, int) else {part: instance}
            found = [p for p in schemas.schema_problems(self.root, "campaign", Parsed(data=instance), "")
                     if p.code != "SK201" and (p.key is None or tuple(p.key[:len(path)]) == path)]
            return f"{found[0].code}: {found[0].detail}" if found else None
        return check

    def title_of(self, path: tuple[str | int, ...]) -> tuple[str, str]:
        node = schemas.subschema(self.schema, path)
        return str(node.get("title", path[-1])), str(node.get("description", ""))

    # ---- one value
    def value(self, flag: str, given: str | None, title: str, convert: Callable[[str], T], *, help_: str = "", required: bool = True,
              default: str | None = None, check: Callable[[T], str | None] | None = None) -> T | None:
        if given is not None or self.ask is None:
            if given is None:
                if default is None:
                    if required:
                        raise PlanError.one("SK904", f"thiếu tham số {flag} ({title}).", f"Ghi {flag} khi chạy {CLI} --yes; xem {CLI} --help.")
                    return None
                given = default
            try:
                result = convert(given.strip())
            except Bad as err:
                raise PlanError.one("SK905", _about(flag, given, str(err))) from err
            msg = check(result) if check else None
            if msg:
                own = re.match(r"(SK221|SK327|SK909): (.*)", msg, re.S)  # this command's own refusals keep their code
                raise PlanError.one(own.group(1), _about(flag, given, own.group(2))) if own else PlanError.one("SK905", _about(flag, given, msg))
            return result
        ask = self.ask
        ask.say(f"\n{title}{' (bắt buộc)' if required else ' (không bắt buộc, Enter để bỏ qua)'}")
        if help_:
            ask.say(f"  {help_}")
        while True:
            answer = ask.line(f"{title}{f' [{default}]' if default else ''}: ") or (default or "")
            if not answer:
                if required:
                    ask.wrong(f"SK904: «{title}» là thông tin bắt buộc.")
                    continue
                return None
            try:
                result = convert(answer)
            except Bad as err:
                ask.wrong(str(err))
                continue
            msg = check(result) if check else None
            if msg:
                ask.wrong(msg)
                continue
            return result

    def text(self, flag: str, given: str | None, path: tuple[str | int, ...], *, required: bool = True, default: str | None = None,
             extra: Callable[[str], str | None] | None = None) -> str | None:
        title, help_ = self.title_of(path)
        fits = self.fits(path)

        def check(value: str) -> str | None:
            return fits(value) or (extra(value) if extra else None)
        return self.value(flag, given, title, lambda s: s.strip(), help_=help_, required=required, default=default, check=check)

    def day(self, flag: str, given: str | None, title: str, *, required: bool = True, help_: str = "",
            check: Callable[[date], str | None] | None = None) -> date | None:
        return self.value(flag, given, title, typed_date, help_=f"{help_} Ghi theo {vntime.TYPED_DATE_HINT}.".strip(), required=required, check=check)

    def choice(self, flag: str, given: str | None, title: str, options: list[tuple[str, str]], *, many: bool = False, required: bool = True,
               default: list[str] | None = None) -> list[str]:
        values = [v for v, _ in options]
        if given is not None or self.ask is None:
            if given is None:
                if default:
                    return list(default)
                if required:
                    listed = ", ".join(values)
                    raise PlanError.one("SK904", f"thiếu tham số {flag} ({title}); chọn trong: {listed}.",
                                        f"Ghi {flag} khi chạy {CLI} --yes; xem {CLI} --help.")
                return []
            picked = [p.strip() for p in given.split(",") if p.strip()] if many else [given.strip()]
            bad = [p for p in picked if p not in values]
            if bad or (required and not picked):
                listed = "; ".join(f"{v} ({label})" for v, label in options)
                raise PlanError.one("SK905", f"{flag} «{given}»: «{', '.join(bad) or given}» không có trong danh sách.", f"Chọn trong: {listed}.")
            return list(dict.fromkeys(picked))
        self.ask.say("")
        return self.ask.choose(title, options, many=many, optional=not required, default=default)

    def schema_choice(self, flag: str, given: str | None, path: tuple[str, ...], *, many: bool = False, required: bool = True,
                      default: list[str] | None = None, allowed: list[tuple[str, str]] | None = None) -> list[str]:
        node = schemas.subschema(self.schema, path)
        options = allowed if allowed is not None else schemas.choices(self.schema, node.get("items", {}) if many else node)
        return self.choice(flag, given, str(node.get("title", path[-1])), options, many=many, required=required, default=default)

    def yes_no(self, flag: str, given: str | None, question: str, default: bool) -> bool:
        if given is not None:
            return given == "co"
        if self.ask is None:
            return default
        self.ask.say("")
        return self.ask.yes_no(question, default=default)

    def more(self, question: str) -> bool:
        return self.ask is not None and self.ask.yes_no(f"\n{question}", default=False)


# ----------------------------------------------------------------- sangkien campaign new
class NewCampaign:
    def __init__(self, root: Path, answers: Answers, today: date) -> None:
        self.root = root
        self.a = answers
        self.today = today
        self.repo: Repository = validator.load(root).repo

    def say(self, text: str) -> None:
        if self.a.ask is not None:
            self.a.ask.say(text)

    def unit(self, flag: str, given: str | None, title: str, day: date) -> Unit:
        """A unit in force on `day`; asked as its id, or a few words of its name to search."""
        def find(text: str) -> Unit:
            if text in self.repo.units:
                return self.repo.units[text]
            words = fold(text).split()
            hits = [u for u in plan.units_in_force(self.repo, day) if all(w in fold(f"{u.id} {u.name}") for w in words)]
            if len(hits) == 1:
                return hits[0]
            if not hits:
                raise Bad(f"không có đơn vị nào còn hiệu lực vào ngày {vntime.show_date(day)} có mã hoặc tên «{text}».")
            shown = "; ".join(f"{u.id} ({u.name})" for u in hits[:15])
            raise Bad(f"có {len(hits)} đơn vị khớp với «{text}»: {shown}{' …' if len(hits) > 15 else ''}. Gõ đúng mã một đơn vị.")

        def in_force(unit: Unit) -> str | None:
            try:
                plan.check_unit(self.repo, unit.id, day, title.lower(), flag)
            except PlanError as err:
                return f"{err.problems[0].code}: {err.problems[0].detail}"
            return None

        if given is not None:
            return plan.check_unit(self.repo, given.strip(), day, title.lower(), flag)
        found = self.a.value(flag, given, title, find, check=in_force,
                             help_="Gõ mã đơn vị trong danh mục (entries/units.yaml), hoặc vài chữ trong tên đơn vị để tìm.")
        assert found is not None  # required
        return found

    def run(self, args: argparse.Namespace) -> int:
        a = self.a
        self.say("Tạo đợt phát động mới. Trả lời từng câu hỏi rồi nhấn Enter; chưa có gì được ghi cho đến bước cuối.")
        kind = a.schema_choice("--kind", args.kind, ("kind",))[0]
        known = plan.templates()
        options = sorted(((t.id, t.label) for t in known.values()), key=lambda o: known[o[0]].kind != kind)
        if args.template is not None and args.template not in known:
            plan.template(args.template)  # SK222 with the list
        tid = a.choice("--template", args.template, "Mẫu thang điểm, điều kiện công nhận, chỉ tiêu", options,
                       default=[plan.DEFAULT_TEMPLATE[kind]])[0]
        tmpl = plan.template(tid)
        data: dict[str, Any] = {}
        data["title"] = a.text("--title", args.title, ("title",))
        opens = a.day("--opens", args.opens, "Ngày mở nhận bài", help_="Nhận bài từ đầu ngày này (giờ Việt Nam).")
        assert opens is not None

        def after_opens(day: date) -> str | None:
            return None if day >= opens else f"SK909: ngày {vntime.show_date(day)} trước ngày mở nhận bài {vntime.show_date(opens)}."
        closes = a.day("--closes", args.closes, "Ngày cuối nhận bài", help_="Nhận bài đến hết ngày này (23:59, giờ Việt Nam).", check=after_opens)
        assert closes is not None
        issuer = self.unit("--issuer", args.issuer, "Đơn vị ban hành kế hoạch", opens)
        data["issuer"] = {"name": issuer.official_name, "unit": issuer.id}
        self.say(f"  Đơn vị ban hành: {issuer.official_name} ({issuer.id}).")

        def free_id(value: str) -> str | None:
            try:
                plan.refuse_existing(self.root, value)
            except PlanError as err:
                return f"SK221: {err.problems[0].detail}"
            return None
        data["id"] = a.text("--id", args.id, ("id",), default=f"{issuer.id}-{opens.year}" if a.ask is not None else None, extra=free_id)
        signer = a.text("--signer", args.signer, ("issuer", "signer"), required=False)
        if signer:
            data["issuer"]["signer"] = signer
        number = a.text("--plan-number", args.plan_number, ("plan", "number"))
        plan_date = a.day("--plan-date", args.plan_date, "Ngày ban hành kế hoạch", required=False,
                          help_="Để trống nếu kế hoạch chưa ký.")
        data["plan"] = {"number": number, **({"date": plan_date.isoformat()} if plan_date else {}),
                        "year": plan_date.year if plan_date else opens.year}
        place = a.text("--place", args.place, ("plan", "place"), required=False)
        if place:
            data["plan"]["place"] = place
        data["legal_basis"] = copy.deepcopy(tmpl.data.get("legal_basis") or []) + self.legal_basis(args.legal_basis)
        if not data["legal_basis"]:
            del data["legal_basis"]
        for key, flag, given in (("description", "--description", args.description), ("eligibility", "--eligibility", args.eligibility)):
            value = a.text(flag, given, (key,), required=False)
            if value:
                data[key] = value
        self.eligible(data, args, opens)
        minimum = a.value("--min-entries", args.min_entries, "Số bài tối thiểu mỗi đơn vị", whole_number, required=False,
                          help_="Mỗi đơn vị tham gia phải nộp ít nhất số bài này; để trống nếu kế hoạch không quy định.")
        if minimum:
            data["min_entries_per_unit"] = minimum
        data["window"] = plan.window(opens, closes, a.text("--note", args.note, ("window", "note"), required=False))
        stages = self.stages(args.stage, opens)
        if stages:
            data["stages"] = stages
        if a.yes_no("--yearly", args.yearly, "Đợt tổ chức lại hằng năm (cùng ngày, tháng)?", default=False):
            data["recurrence"] = {"every": "nam", "text": f"từ ngày {opens:%d/%m} đến hết ngày {closes:%d/%m} hằng năm"}
        for key, flag, given, required in (("participation", "--participation", args.participation, True), ("forms", "--forms", args.forms, False),
                                           ("areas", "--areas", args.areas, True), ("indices", "--indices", args.indices, False)):
            picked = a.schema_choice(flag, given, (key,), many=True, required=required, default=list(tmpl.data.get(key) or []) or None)
            if picked:
                data[key] = picked
        receiver = a.text("--receiver", args.receiver, ("channel", "receiver"))
        method = a.text("--method", args.method, ("channel", "method"))
        data["channel"] = {"receiver": receiver, "method": method}
        email = a.text("--email", args.email, ("channel", "email"), required=False)
        if email:
            data["channel"]["email"] = email
        award = dict(tmpl.data.get("award") or {})
        if award or args.award or args.cap:
            name = a.text("--award", args.award, ("award", "name"), default=award.get("name"))
            cap = a.value("--cap", args.cap, "Số lượng khen thưởng tối đa", whole_number, required=False,
                          default=str(award["cap"]) if "cap" in award else None)
            data["award"] = {"name": name, **({"cap": cap} if cap is not None else {})}
        for key in ("format", "conditions", "rubric", "targets"):
            if key in tmpl.data:
                data[key] = copy.deepcopy(tmpl.data[key])
        data["kind"] = kind
        warnings = plan.write(self.root, data, plan.new_header(data, self.today, tid))
        if a.ask is not None:
            a.ask.say("")
        report_written(data, warnings)
        return 0

    def legal_basis(self, given: list[str]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for raw in given:
            parts = [p.strip() for p in raw.split("|")]
            if len(parts) != 3:
                raise PlanError.one("SK905", f"--legal-basis «{raw}»: cần ba phần cách nhau bằng dấu |: số hiệu|ngày|trích yếu (ngày để trống được).")
            item: dict[str, Any] = {"number": parts[0], "title": parts[2]}
            if parts[1]:
                try:
                    item["date"] = typed_date(parts[1]).isoformat()
                except Bad as err:
                    raise PlanError.one("SK905", f"--legal-basis «{raw}»: {err}") from err
            msg = self.a.fits(("legal_basis",))([item])
            if msg:
                raise PlanError.one("SK905", f"--legal-basis «{raw}»: {msg}")
            found.append({k: item[k] for k in ("number", "date", "title") if k in item})
        while not given and self.a.more("Thêm văn bản căn cứ (ngoài các căn cứ của mẫu)?"):
            number = self.a.text("", None, ("legal_basis", 0, "number"))
            day = self.a.day("", None, "Ngày ban hành văn bản căn cứ", required=False)
            title = self.a.text("", None, ("legal_basis", 0, "title"))
            found.append({"number": number, **({"date": day.isoformat()} if day else {}), "title": title})
        return found

    def eligible(self, data: dict[str, Any], args: argparse.Namespace, opens: date) -> None:
        a = self.a
        levels_allowed = plan.levels_on(a.schema, opens)
        if args.levels is not None:
            if "huyen" in [v.strip() for v in args.levels.split(",")] and opens >= plan.REFORM_DAY:
                raise PlanError.one("SK329", f"--levels «{args.levels}»: đợt mở ngày {vntime.show_date(opens)} không còn cấp huyện.")
            data["eligible_levels"] = a.schema_choice("--levels", args.levels, ("eligible_levels",), many=True, allowed=levels_allowed)
        if args.units is not None:
            given = [u.strip() for u in args.units.split(",") if u.strip()]
            for uid in given:
                plan.check_unit(self.repo, uid, opens, "đơn vị tham gia", "--units")
            data["eligible_units"] = list(dict.fromkeys(given))
        if args.levels is not None or args.units is not None or a.ask is None:
            return
        how = a.choice("", None, "Đơn vị tham gia", [("cap", "Mọi đơn vị của một hoặc vài cấp hành chính"),
                                                   ("danh-sach", "Danh sách đơn vị cụ thể (theo mã trong danh mục)"),
                                                   ("khong", "Không giới hạn, không theo dõi số bài tối thiểu")])[0]
        if how == "cap":
            data["eligible_levels"] = a.schema_choice("--levels", None, ("eligible_levels",), many=True, allowed=levels_allowed)
        elif how == "danh-sach":
            units: list[str] = []
            while True:
                unit = self.unit("--units", None, f"Đơn vị tham gia thứ {len(units) + 1}", opens)
                if unit.id not in units:
                    units.append(unit.id)
                if not a.more("Thêm đơn vị khác?"):
                    break
            data["eligible_units"] = units

    def stages(self, given: list[str], opens: date) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        taken: set[str] = set()
        for raw in given:
            parts = [p.strip() for p in raw.split("|")]
            if len(parts) not in (2, 3) or not parts[0]:
                raise PlanError.one("SK905", f"--stage «{raw}»: cần tên bước|hạn (ngày/tháng/năm)[|đơn vị thực hiện].")
            try:
                day = typed_date(parts[1])
            except Bad as err:
                raise PlanError.one("SK905", f"--stage «{raw}»: {err}") from err
            if day < opens:
                raise PlanError.one("SK909", f"--stage «{raw}»: hạn {vntime.show_date(day)} trước ngày mở nhận bài {vntime.show_date(opens)}.")
            item = plan.stage(parts[0], day, parts[2] if len(parts) == 3 and parts[2] else None, taken)
            msg = self.a.fits(("stages",))([item])
            if msg:
                raise PlanError.one("SK905", f"--stage «{raw}»: {msg}")
            found.append(item)
        while not given and self.a.more("Thêm một bước sau khi nhận bài (sơ loại, chấm, gửi cấp trên) có thời hạn?"):
            name = self.a.text("", None, ("stages", 0, "name"))

            def after(day: date) -> str | None:
                return None if day >= opens else f"SK909: hạn {vntime.show_date(day)} trước ngày mở nhận bài {vntime.show_date(opens)}."
            deadline = self.a.day("", None, "Hạn của bước (đến hết ngày)", check=after)
            responsible = self.a.text("", None, ("stages", 0, "responsible"), required=False)
            assert name is not None and deadline is not None
            found.append(plan.stage(name, deadline, responsible, taken))
        return found


def report_written(data: dict[str, Any], warnings: list[Any]) -> None:
    """What was written, with the window and deadlines as instants in Vietnam time (the rules of each date applied)."""
    camp = Campaign(str(data["id"]), data)
    print(f"Đã tạo tệp {plan.path_of(data['id'])}: đợt «{data['id']}» — {data['title']}.")
    if camp.opens_at is not None and camp.closes_at is not None:
        print(f"  Nhận bài từ {vntime.show(camp.opens_at)} đến {vntime.show(vntime.last_moment(camp.closes_at))}.")
    for _, name, end in camp.stages:
        print(f"  {name}: hạn chót {vntime.show(vntime.last_moment(end))}.")
    if data.get("recurrence"):
        print("  Đợt tổ chức lại hằng năm: năm sau chạy «sangkien campaign next " + str(data["id"]) + "».")
    if warnings:
        reporters.show(warnings, sys.stdout)
    print("Tệp hợp lệ. Bước tiếp theo: đưa tệp lên kho (git add, commit, push); đợt hiện trên trang Đợt phát động "
          "và trang Nộp sáng kiến khi đến ngày mở nhận bài.")


# ----------------------------------------------------------------- entry points
def _parsed(doc: object) -> Parsed | None:
    parsed = getattr(doc, "parsed", None)
    return parsed if isinstance(parsed, Parsed) else None



def _start(args: argparse.Namespace) -> tuple[Path, date] | int:
    root = (args.root or find_root()).resolve()
    if not (root / layout.ENTRIES).is_dir():
        reporters.show([plan.PlanError.one("SK901", f"không thấy thư mục entries/ trong {root}.",
                                           "Chạy lệnh trong kho sáng kiến, hoặc ghi --root <thư mục kho>.").problems[0]])
        return 2
    now = settings.now()
    return root, vntime.local_date(now)


def run_new(args: argparse.Namespace) -> int:
    started = _start(args)
    if isinstance(started, int):
        return started
    root, today = started
    if not args.yes and not sys.stdin.isatty() and hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")  # piped answers: UTF-8 whatever the locale says
    answers = Answers(root, None if args.yes else Asker())
    try:
        return NewCampaign(root, answers, today).run(args)
    except PlanError as err:
        reporters.show(err.problems)
        return 1
    except NoMoreAnswers:
        reporters.show(PlanError.one("SK908", "đầu vào kết thúc trước khi trả lời hết các câu hỏi; chưa ghi tệp nào.").problems)
        return 2


def run_next(args: argparse.Namespace) -> int:
    started = _start(args)
    if isinstance(started, int):
        return started
    root, today = started
    try:
        loaded = validator.load(root)
        camp = loaded.repo.campaigns.get(args.campaign)
        source = plan.path_of(args.campaign)
        if camp is None:
            known = ", ".join(sorted(loaded.repo.campaigns)) or "(chưa có đợt nào)"
            raise PlanError.one("SK907", f"không có đợt «{args.campaign}» ({source}). Các đợt hiện có: {known}.")
        errors = validator.validate(root, [str(root / (camp.path or source))]).errors
        if errors:
            raise PlanError([plan.PlanError.one("SK907", f"đợt «{args.campaign}» còn {len(errors)} lỗi nên chưa dùng làm gốc được.",
                                                file=camp.path or source).problems[0], *errors])
        plan_date = None
        if args.plan_date is not None:
            try:
                plan_date = typed_date(args.plan_date)
            except Bad as err:
                raise PlanError.one("SK905", f"--plan-date «{args.plan_date}»: {err}") from err
        renewal = plan.next_round(loaded.repo, camp.data, camp.path or source, new_id=args.id, plan_number=args.plan_number, plan_date=plan_date,
                                  signer=args.signer, place=args.place, title=args.title, note=args.note,
                                  where=_parsed(loaded.docs.get(camp.path)))
        data = renewal.data
        schema_check = [p for p in schemas.schema_problems(root, "campaign", Parsed(data={"id": data["id"]}), COMMAND_LINE) if p.code != "SK201"]
        if schema_check:
            raise PlanError.one("SK905", f"--id «{data['id']}»: {schema_check[0].detail}")
        warnings = plan.write(root, data, plan.renewal_header(data, args.campaign, today, renewal.replaced))
    except PlanError as err:
        reporters.show(err.problems)
        return 1
    print(f"Đợt kế tiếp của «{args.campaign}»:")
    report_written(data, [*renewal.notes, *warnings])
    if renewal.note_dropped:
        print("  Ghi chú về thời gian nhận bài của đợt trước nói về ngày, năm của đợt đó nên không được chép sang; "
              "cần ghi chú mới thì thêm vào campaign.yaml (window.note) hoặc chạy lại lệnh với --note.")
    print(f"  Số kế hoạch: {data['plan']['number']}" + (f", ngày {vntime.show_date(date.fromisoformat(data['plan']['date']))}" if "date" in data["plan"] else
                                                        " (ghi số, ngày khi kế hoạch mới được ban hành)") + ".")
    return 0
