"""Campaign pages: the plan (issuer, number, legal basis, windows and stages in Vietnam time,
rules), the submissions with their status, participation per eligible unit, and the results."""

from __future__ import annotations

from functools import partial

from sangkien import vntime
from sangkien.council.participation import participation
from sangkien.model import Campaign, as_date
from sangkien.site import pagekeys, urls
from sangkien.site.context import Site, campaign_state, span, status
from sangkien.site.markup import a, e, num, paragraphs
from sangkien.site.parts import Page, crumbs, demo_badge, dl, illustrative_banner, section, status_badge, unit_link

STATE_LABEL = {"dang-nhan": "Đang nhận bài", "sap-mo": "Sắp mở nhận bài", "da-dong": "Đã hết hạn nhận bài", "chua-ro": "Chưa có thời hạn"}


def deadline_text(camp: Campaign) -> str:
    """'25/06/2024 23:59 (giờ Việt Nam)': the last minute still on time."""
    return vntime.show(vntime.last_moment(camp.closes_at)) if camp.closes_at else "—"


def timing(site: Site, camp: Campaign) -> str:
    """State and time left, for lists and the campaign page."""
    state = campaign_state(camp, site.now)
    if state == "dang-nhan":
        assert camp.closes_at is not None  # open for submissions: it has a window
        return f"Hạn chót {e(deadline_text(camp))} — còn {e(span(site.now, camp.closes_at))}"
    if state == "sap-mo":
        assert camp.opens_at is not None  # not yet open: it has a window
        return f"Mở nhận bài {e(vntime.show(camp.opens_at))} — sau {e(span(site.now, camp.opens_at))}"
    if state == "da-dong":
        return f"Đã hết hạn nhận bài {e(deadline_text(camp))}"
    return "Chưa có thời hạn nhận bài"


def plan_number(camp: Campaign) -> str:
    plan = camp.data.get("plan") or {}
    number = str(plan.get("number") or "")
    when = ""
    if plan.get("date"):
        day = vntime.show_date(d) if (d := as_date(plan["date"])) else str(plan["date"])
        when = f" ngày {day}"
    elif plan.get("month") and plan.get("year"):
        when = f" tháng {plan['month']}/{plan['year']}"
    elif plan.get("year"):
        when = f" năm {plan['year']}"
    if number.startswith("/"):
        number = f"…{number} (văn bản gốc để trống số)"
    return f"Kế hoạch số {number}{when}" + (f", {plan['place']}" if plan.get("place") else "")


def _window(site: Site, camp: Campaign) -> str:
    win = camp.data.get("window") or {}
    rows = []
    for key, label in (("opens", "Mở nhận bài"), ("closes", "Hạn chót")):
        raw = win.get(key) if isinstance(win.get(key), dict) else None
        if not raw:
            continue
        moment = camp.opens_at if key == "opens" else (vntime.last_moment(camp.closes_at) if camp.closes_at else None)
        quote = f'<br><span class="sk-muted">Văn bản ghi: «{e(raw.get("text"))}» — {e(site.labels("rule", raw.get("rule")))}</span>' if raw.get("text") else ""
        rows.append((label, f"<strong>{e(vntime.show(moment)) if moment else '—'}</strong>{quote}"))
    if win.get("note"):
        rows.append(("Ghi chú", e(win["note"])))
    recurs = camp.data.get("recurrence")
    if isinstance(recurs, dict) and recurs.get("every"):
        said = f' <span class="sk-muted">(«{e(recurs.get("text"))}»)</span>' if recurs.get("text") else ""
        rows.append(("Tổ chức lại", f"{e(site.labels('recurrence', recurs.get('every')))}{said}"))
    for stage in camp.data.get("stages") or []:
        if not isinstance(stage, dict):
            continue
        dead = stage.get("deadline") or {}
        day = as_date(dead.get("date"))
        end = vntime.window_end(day, str(dead.get("rule", "het-ngay"))) if day else None
        who = f'<br><span class="sk-muted">Thực hiện: {e(stage.get("responsible"))}</span>' if stage.get("responsible") else ""
        quote = f' <span class="sk-muted">(«{e(dead.get("text"))}»)</span>' if dead.get("text") else ""
        rows.append((str(stage.get("name", "")), f"Hạn chót {e(vntime.show(vntime.last_moment(end))) if end else '—'}{quote}{who}"))
    return dl(rows)


def _rules(site: Site, camp: Campaign) -> str:
    d = camp.data
    lab = site.labels
    fmt = d.get("format") or {}
    fmt_bits = []
    if fmt.get("paper"):
        fmt_bits.append(f"khổ giấy {fmt['paper']}")
    if fmt.get("font"):
        fmt_bits.append(f"phông {fmt['font']}" + (f" cỡ {num(fmt['font_size'])}" if fmt.get("font_size") else ""))
    if fmt.get("page_numbers"):
        fmt_bits.append("đánh số trang")
    if fmt.get("bound"):
        fmt_bits.append("đóng quyển")
    if fmt.get("soft_copy"):
        fmt_bits.append("kèm tệp mềm")
    if fmt.get("cover"):
        fmt_bits.append(f"trang bìa: {fmt['cover']}")
    channel = d.get("channel") or {}
    award = d.get("award") or {}
    rows = [
        ("Đối tượng tham gia", paragraphs(d.get("eligibility"))),
        ("Số bài tối thiểu mỗi đơn vị", num(camp.min_entries) if camp.min_entries else ""),
        ("Hình thức tham gia", ", ".join(e(lab("participation", x)) for x in d.get("participation") or [])),
        ("Hình thức trình bày", ", ".join(e(lab("form", x)) for x in d.get("forms") or [])),
        ("Yêu cầu trình bày", e("; ".join(str(x) for x in fmt_bits))),
        ("Lĩnh vực được nhận", "<br>".join(e(lab("area", x)) for x in d.get("areas") or [])),
        ("Chỉ số hướng tới", "<br>".join(e(lab("index", x)) for x in d.get("indices") or [])),
        ("Điều kiện công nhận", "".join(f"<p>{e(x)}</p>" for x in d.get("conditions") or [])),
        ("Nơi nhận bài", "<br>".join(e(x) for x in (channel.get("receiver"), channel.get("method"), channel.get("email")) if x)),
        ("Khen thưởng", e(award.get("name", "")) + (f" (tối đa {num(award['cap'])})" if isinstance(award.get("cap"), int) else "")),
    ]
    return dl(rows)


def _rubric(camp: Campaign, site: Site) -> str:
    rubric = camp.rubric
    if not rubric:
        return ""
    items = []
    for c in rubric.get("criteria") or []:
        if not isinstance(c, dict):
            continue
        minimum = f", tối thiểu {num(c['min'])}" if isinstance(c.get("min"), (int, float)) else ""
        bands = "".join(f"<li>{num(b.get('from', 0))}–{num(b.get('to', 0))}: {e(b.get('label'))}</li>" for b in c.get("bands") or [] if isinstance(b, dict))
        desc = f"<br>{e(c['description'])}" if c.get("description") else ""
        items.append(f"<li><strong>{e(c.get('name'))}</strong>: tối đa {num(c.get('max', 0))} điểm{minimum}{desc}"
                     f"{f'<ul>{bands}</ul>' if bands else ''}</li>")
    tiers = "".join(f"<li>{e(t.get('name'))}: {num(t.get('count', 0))} giải"
                    + (f" (từ {num(t['min_total'])} điểm)" if isinstance(t.get("min_total"), (int, float)) else "") + "</li>"
                    for t in rubric.get("tiers") or [] if isinstance(t, dict))
    rows = [
        ("Nguồn", e(rubric.get("source", ""))),
        ("Tiêu chí", f'<ul class="sk-plain">{"".join(items)}</ul>' if items else ""),
        ("Tổng điểm để công nhận", num(rubric["pass_total"]) if isinstance(rubric.get("pass_total"), (int, float)) else ""),
        ("Tổng hợp điểm", e(site.labels("combine", rubric.get("combine"))) if rubric.get("combine") else ""),
        ("Giải thưởng", f'<ul class="sk-plain">{tiers}</ul>' if tiers else ""),
    ]
    return dl(rows)


def _targets(camp: Campaign, site: Site) -> str:
    targets = camp.data.get("targets") or {}
    parts = []
    for level, items in targets.items():
        rows = "".join(f"<li>{e(t.get('text') or site.labels.indicator(str(t.get('indicator'))))}</li>" for t in items or [] if isinstance(t, dict))
        if rows:
            parts.append(f'<h3>{e(site.labels("unit_level", level))}</h3><ul>{rows}</ul>')
    return "".join(parts)


def _submissions(site: Site, camp: Campaign) -> str:
    """The public entries of the campaign with their status; the others only as a count, or by
    title alone when the campaign publishes titles (publication: ten-bai; never nominations).
    The page shows the build time, so it is drawn at every build; in `mkdocs serve` this list
    (most of its cost) is remembered with its signature (site/pagekeys.py: the campaign's entry
    files and what every page shares) and made again only when one of them changed."""
    keys = pagekeys.Keys(site)
    return keys.remembered("campaign-submissions", camp.id,
                           lambda: [(x.path, keys.content_hash(x.path)) for x in site.repo.entries_of(camp.id)],
                           lambda: _submissions_html(site, camp))


def _submissions_html(site: Site, camp: Campaign) -> str:
    here = urls.campaign(camp.id)
    entries = site.repo.entries_of(camp.id)
    if not entries:
        return "<p>Chưa có bài nào được nộp.</p>"
    public = [x for x in entries if site.is_public(x)]
    others = [x for x in entries if not site.is_public(x)]
    titled = [x for x in others if x.kind == "entry"] if site.titles_listed(camp.id) else []
    items = []
    for entry in public:
        st = status(site, entry)
        when = f"nộp {vntime.show_date(entry.submitted)}" if entry.submitted else ""
        demo = f" {demo_badge()}" if entry.illustrative else ""
        items.append(f'<li><span class="sk-item__title">{a(urls.rel(here, urls.entry(entry.id)), e(entry.title))}</span>{demo}'
                     f'<br><span class="sk-muted">{unit_link(site, here, entry.unit)} · {e(when)}</span> {status_badge(st)}</li>')
    for entry in titled:
        demo = f" {demo_badge()}" if entry.illustrative else ""
        items.append(f'<li><span class="sk-item__title">{e(entry.title)}</span>{demo}'
                     f'<br><span class="sk-muted">{unit_link(site, here, entry.unit)}</span></li>')
    word = "hồ sơ" if camp.kind == "thi-dua" else "bài"
    if camp.kind == "thi-dua" and not public:
        count = f'<p class="sk-count">Đã nộp {len(entries)} {word}.</p>'
    else:
        count = (f'<p class="sk-count">Đã nộp {len(entries)} {word}; {len(public)} sáng kiến được công nhận'
                 f'{" (kể cả sáng kiến đã bị thu hồi công nhận)" if any(status(site, x).code == "thu-hoi" for x in public) else ""}.</p>')
    note = ""
    if len(others) > len(titled):
        note = ('<p class="sk-muted">Trang công khai chỉ đăng sáng kiến đã được công nhận; các bài, hồ sơ khác chỉ được tính số lượng '
                "(kết quả sơ loại, điểm chấm và kết quả xét thi đua không công bố).</p>")
    listing = f'<ul class="sk-list sk-list--plain sk-submissions">{"".join(items)}</ul>' if items else ""
    return count + listing + note


def _participation(site: Site, camp: Campaign) -> str:
    rows = participation(site.repo, camp.id)
    if not camp.eligible_units:
        return ""
    here = urls.campaign(camp.id)
    eligible = [r for r in rows if r.eligible]
    missing = [r for r in eligible if r.submitted == 0]
    short = [r for r in eligible if 0 < r.submitted < r.minimum]
    met = sum(1 for r in eligible if r.meets_minimum)
    lines = []
    for r in rows:
        mark = "đạt" if r.meets_minimum else "chưa đạt"
        extra = "" if r.eligible else " (không thuộc diện phải tham gia)"
        lines.append(f'<li>{unit_link(site, here, r.unit_id)}{e(extra)}: <strong>{r.submitted}</strong>/{r.minimum} bài '
                     f'<span class="sk-gain sk-gain--{"up" if r.meets_minimum else "down"}">{mark}</span></li>')
    summary = f"<p>{met}/{len(eligible)} đơn vị đã nộp đủ số bài tối thiểu ({camp.min_entries} bài mỗi đơn vị).</p>"
    if missing:
        summary += "<p><strong>Đơn vị chưa nộp bài:</strong> " + ", ".join(unit_link(site, here, r.unit_id) for r in missing) + ".</p>"
    if short:
        summary += "<p><strong>Đơn vị chưa nộp đủ:</strong> " + ", ".join(unit_link(site, here, r.unit_id) for r in short) + ".</p>"
    return summary + f'<ul class="sk-plain sk-participation">{"".join(lines)}</ul>'


def _results(site: Site, camp: Campaign) -> str:
    dec = site.repo.decisions.get(camp.id)
    if dec is None or not (dec.items("recognitions") or dec.items("revocations")):
        return "<p>Hội đồng chưa công bố kết quả.</p>"
    here = urls.campaign(camp.id)
    entries = site.repo.entries
    blocks = []
    for rec in dec.items("recognitions"):
        revoked = {x for r in dec.items("revocations") if r.get("decision") == rec.get("number") for x in r.get("entries") or []}
        lines = []
        unnamed = 0
        for line in rec.get("entries") or []:
            if not isinstance(line, dict):
                continue
            entry = entries.get(str(line.get("entry")))
            if entry is None or not site.is_public(entry):  # a thi đua award names a person: counted, never named
                unnamed += 1
                continue
            name = a(urls.rel(here, urls.entry(entry.id)), e(entry.title))
            tier = f' — <strong>{e(site.tier_name(camp.id, line.get("tier")))}</strong>' if line.get("tier") else ""
            gone = ' <span class="sk-badge sk-badge--thu-hoi">Đã thu hồi</span>' if line.get("entry") in revoked else ""
            who = f' <span class="sk-muted">({e(site.unit_name(entry.unit))})</span>'
            lines.append(f"<li>{name}{who}{tier}{gone}</li>")
        if unnamed:
            what = "hồ sơ thi đua" if camp.kind == "thi-dua" else "bài"
            lines.append(f'<li class="sk-muted">{unnamed} {what}{" khác" if lines else ""} '
                         "(không công bố danh sách trên trang này)</li>")
        day = as_date(rec.get("date"))
        title = f"<br>{e(rec.get('title'))}" if rec.get("title") and not unnamed else ""
        blocks.append(f'<div class="sk-decision-block"><h3>Quyết định số <span class="sk-decision">{e(rec.get("number"))}</span> '
                      f'ngày {e(vntime.show_date(day) if day else "—")}</h3>'
                      f'<p class="sk-muted">{e(rec.get("issuer"))} · {e(rec.get("signer"))} · {e(site.labels("recognition_level", rec.get("level")))}{title}</p>'
                      f'<ol>{"".join(lines)}</ol></div>')
    for rev in dec.items("revocations"):
        day = as_date(rev.get("date"))
        named = [x for x in rev.get("entries") or [] if x in entries and site.is_public(entries[x])]
        if not named:  # only entries the public sees are named, and a revocation says why
            continue
        names = ", ".join(e(entries[x].title) for x in named)
        blocks.append(f'<div class="sk-decision-block sk-decision-block--revoked"><h3>Thu hồi: Quyết định số {e(rev.get("number"))} '
                      f'ngày {e(vntime.show_date(day) if day else "—")}</h3><p>Thu hồi công nhận theo Quyết định {e(rev.get("decision"))}: {names}.</p>'
                      f'<p class="sk-muted">Lý do: {e(rev.get("reason"))}</p></div>')
    return "".join(blocks)


def campaign_html(site: Site, camp: Campaign) -> str:
    here = urls.campaign(camp.id)
    d = camp.data
    issuer = d.get("issuer") or {}
    issuer_html = unit_link(site, here, issuer.get("unit")) if issuer.get("unit") in site.repo.units else e(issuer.get("name", ""))
    basis = "".join(f"<li>{e(b.get('number'))}" + (f" ngày {e(vntime.show_date(x))}" if (x := as_date(b.get("date"))) else "")
                    + (f": {e(b.get('title'))}" if b.get("title") else "") + "</li>" for b in d.get("legal_basis") or [] if isinstance(b, dict))
    state = campaign_state(camp, site.now)
    head = dl([
        ("Loại", e(site.labels("campaign_kind", camp.kind))),
        ("Cơ quan ban hành", issuer_html + (f'<br><span class="sk-muted">{e(issuer.get("signer"))}</span>' if issuer.get("signer") else "")),
        ("Văn bản", e(plan_number(camp))),
        ("Căn cứ", f'<ul class="sk-plain">{basis}</ul>' if basis else ""),
        ("Nguồn", e(d.get("source", ""))),
    ])
    parts = [
        crumbs(here, [(urls.CAMPAIGNS, "Đợt phát động")]),
        f"<h1>{e(camp.title)}</h1>",
        illustrative_banner("Dữ liệu minh họa") if d.get("illustrative") else "",
        f'<p class="sk-status sk-status--{state}"><strong>{e(STATE_LABEL[state])}</strong> — {timing(site, camp)}</p>',
        f'<p class="sk-muted">Giờ hiển thị là giờ Việt Nam (UTC+7), tính tại thời điểm dựng trang {e(vntime.show(site.now))}.</p>',
        head,
        section("muc-dich", "Mục đích, yêu cầu", paragraphs(d.get("description"))),
        section("thoi-han", "Thời hạn", _window(site, camp)),
        section("the-le", "Thể lệ", _rules(site, camp)),
        section("chi-tieu", "Chỉ tiêu thi đua theo cấp", _targets(camp, site)),
        section("thang-diem", "Thang điểm", _rubric(camp, site)),
        section("bai-nop", f"Bài đã nộp ({len(site.repo.entries_of(camp.id))})", _submissions(site, camp)),
        section("tham-gia", "Tình hình tham gia của các đơn vị", _participation(site, camp)),
        section("ket-qua", "Kết quả, khen thưởng", _results(site, camp)),
    ]
    return "".join(parts)


def campaigns_html(site: Site) -> str:
    here = urls.CAMPAIGNS
    groups: dict[str, list[Campaign]] = {"dang-nhan": [], "sap-mo": [], "da-dong": [], "chua-ro": []}
    for camp in site.repo.campaigns.values():
        groups[campaign_state(camp, site.now)].append(camp)
    parts = ["<h1>Đợt phát động</h1>",
             "<p>Các kế hoạch phát động sáng kiến, cuộc thi ý tưởng và phong trào thi đua về cải cách hành chính trong kho. "
             f"Thời gian theo giờ Việt Nam, tính tại thời điểm dựng trang {e(vntime.show(site.now))}.</p>"]
    titles = {"dang-nhan": "Đang nhận bài", "sap-mo": "Sắp mở", "da-dong": "Đã kết thúc", "chua-ro": "Chưa có thời hạn"}
    for state, camps in groups.items():
        if not camps:
            continue
        camps.sort(key=lambda c: (c.closes_at.timestamp() if c.closes_at else 0), reverse=state == "da-dong")
        items = "".join(campaign_item(site, here, c) for c in camps)
        parts.append(f'<h2 id="{state}">{titles[state]}</h2><ul class="sk-list sk-list--plain">{items}</ul>')
    if not site.repo.campaigns:
        parts.append("<p>Chưa có đợt phát động nào.</p>")
    return "".join(parts)


def campaign_item(site: Site, here: str, camp: Campaign) -> str:
    issuer = (camp.data.get("issuer") or {}).get("name", "")
    count = len(site.repo.entries_of(camp.id))
    return (f'<li><span class="sk-item__title">{a(urls.rel(here, urls.campaign(camp.id)), e(camp.title))}</span>'
            f'<br><span class="sk-muted">{e(issuer)} · {e(site.labels("campaign_kind", camp.kind))} · {count} bài</span>'
            f'<br>{timing(site, camp)}</li>')


def campaign_pages(site: Site) -> list[Page]:
    pages = [Page(urls.CAMPAIGNS, "Đợt phát động", "Các đợt phát động sáng kiến, cuộc thi và phong trào thi đua cải cách hành chính.",
                  lambda: campaigns_html(site))]
    for camp in sorted(site.repo.campaigns.values(), key=lambda c: c.id):
        pages.append(Page(urls.campaign(camp.id), camp.title, str(camp.data.get("description", ""))[:300],
                          partial(campaign_html, site, camp), camp.path))
    return pages
