"""The page of one public initiative (recognised, or revoked and marked): card, problem, solution,
results, conditions, how to replicate and whom to contact, attachments, replications, status."""

from __future__ import annotations

import re
from functools import partial

from sangkien import vntime
from sangkien.model import Entry, as_date
from sangkien.site import pagekeys, urls
from sangkien.site.context import Site, status
from sangkien.site.markup import a, e, external, num, paragraphs, render_markdown
from sangkien.site.parts import (
    Page,
    campaign_link,
    contact_card,
    crumbs,
    dl,
    illustrative_banner,
    results_list,
    section,
    unit_link,
)
from sangkien.textnorm import fold

HEADING = re.compile(r"^(#{1,2})\s+(.+?)\s*#*\s*$")
KNOWN = {
    "problem": ("thuc trang", "van de", "hien trang"),
    "solution": ("giai phap", "noi dung giai phap"),
    "replicate": ("cach nhan rong", "nhan rong", "kha nang nhan rong"),
}


def split_body(body: str) -> tuple[str, dict[str, str], list[tuple[str, str]]]:
    """(text before any heading, known sections by role, other sections in order)."""
    blocks: list[tuple[str, list[str]]] = [("", [])]
    for line in (body or "").split("\n"):
        m = HEADING.match(line)
        if m:
            blocks.append((m.group(2), []))
        else:
            blocks[-1][1].append(line)
    known: dict[str, str] = {}
    others: list[tuple[str, str]] = []
    for title, lines in blocks[1:]:
        role = next((r for r, keys in KNOWN.items() if fold(title).startswith(keys)), None)
        if role and role not in known:
            known[role] = "\n".join(lines)
        else:
            others.append((title, "\n".join(lines)))
    return "\n".join(blocks[0][1]), known, others


def _md(text: str) -> str:
    return f'<div class="sk-body">{render_markdown(text, shift=1)}</div>' if text.strip() else ""


def _authors(entry: Entry, site: Site) -> str:
    authors = [x for x in entry.data.get("authors") or [] if isinstance(x, dict)]
    group = entry.data.get("participation") == "nhom"
    items = []
    for person in authors:
        role = "Đại diện nhóm tác giả" if person.get("representative") else ("Đồng tác giả" if group else "Tác giả")
        share = person.get("contribution")
        share_text = f", đóng góp {num(share)}%" if isinstance(share, (int, float)) and not isinstance(share, bool) else ""
        items.append(f'<li><strong>{e(person.get("name"))}</strong> — {e(person.get("position"))}, {e(person.get("workplace"))}'
                     f' <span class="sk-muted">({e(role)}{share_text})</span></li>')
    return f'<ul class="sk-plain">{"".join(items)}</ul>' if items else ""


def _attachments(entry: Entry, site: Site) -> str:
    folder = entry.path.rsplit("/", 1)[0]
    items = []
    for item in entry.data.get("attachments") or []:
        if not isinstance(item, dict):
            continue
        kind = e(site.labels("attachment", item.get("kind")))
        title = e(item.get("title"))
        if item.get("url"):
            target = external(str(item["url"]), title)
        elif item.get("file"):
            href = site.source.file_url(f"{folder}/{item['file']}")
            target = external(href, title) if href else f'{title} <span class="sk-muted">(tệp {e(item["file"])} trong kho)</span>'
        else:
            target = title
        items.append(f"<li>{kind}: {target}</li>")
    return f'<ul class="sk-plain">{"".join(items)}</ul>' if items else ""


def _replications(site: Site, here: str, entry: Entry) -> str:
    records = site.replications_of(entry.id)
    how = (f'<p class="sk-muted">Đơn vị đã áp dụng lại sáng kiến này ghi nhận bằng một tệp '
           f'<code>entries/replications/&lt;mã đơn vị&gt;/&lt;mã&gt;.md</code> '
           f'(xem {a(urls.rel(here, urls.FIELDS) + "#replication", "Bảng tra các trường")}, mục Ghi nhận nhân rộng).</p>')
    if not records:
        return '<p>Chưa có đơn vị nào ghi nhận nhân rộng sáng kiến này.</p>' + how
    items = []
    for rec in records:
        since = vntime.show_date(d) if (d := as_date(rec.data.get("since"))) else "—"
        demo = ' <span class="sk-badge sk-badge--demo">Minh họa</span>' if rec.illustrative else ""
        evidence = external(str(rec.data.get("evidence", "")), "Minh chứng") if rec.data.get("evidence") else ""
        body = _md(rec.body) if rec.body.strip() else ""
        items.append(
            f'<li class="sk-replication" id="nhan-rong-{e(rec.id)}"><h3>{unit_link(site, here, rec.unit)}{demo}</h3>'
            f'<p class="sk-muted">Áp dụng từ {e(since)}{" · " + evidence if evidence else ""}</p>'
            f'<p>{e(rec.data.get("summary", ""))}</p>'
            f'{dl([("Nội dung đã điều chỉnh", e(rec.data.get("adapted", "")))], "sk-card sk-card--flat")}'
            f'{results_list(rec.data.get("results"))}{body}</li>')
    return f'<ol class="sk-list sk-list--plain">{"".join(items)}</ol>' + how


def _card(site: Site, here: str, entry: Entry) -> str:
    d = entry.data
    lab = site.labels
    rec = site.recognition(entry)
    rows = [
        ("Đơn vị", unit_link(site, here, entry.unit)),
        ("Tác giả", _authors(entry, site)),
        ("Hình thức tham gia", e(lab("participation", d.get("participation"))) if d.get("participation") else ""),
        ("Đợt phát động", campaign_link(site, here, entry.campaign)),
        ("Ngày nộp", e(vntime.show_date(entry.submitted)) if entry.submitted else ""),
        ("Lĩnh vực CCHC", "<br>".join(e(lab("area", x)) for x in d.get("areas") or [])),
        ("Lĩnh vực áp dụng", e(d.get("field", ""))),
        ("Chỉ số hướng tới", "<br>".join(e(lab("index", x)) for x in d.get("indices") or [])),
        ("Loại giải pháp", e(lab("solution_type", d.get("solution_type"))) if d.get("solution_type") else ""),
        ("Tình trạng áp dụng", e(lab("application_status", d.get("application_status"))) if d.get("application_status") else ""),
        ("Áp dụng lần đầu", e(vntime.show_date(x)) if (x := as_date(d.get("first_applied"))) else ""),
        ("Phạm vi áp dụng", e(lab("scope", d.get("scope"))) if d.get("scope") else ""),
    ]
    if rec:
        decision, line = rec
        rows += [
            ("Cấp công nhận", e(lab("recognition_level", decision.level))),
            ("Quyết định công nhận", f'<span class="sk-decision">Số {e(decision.number)}</span> ngày {e(vntime.show_date(decision.day) if decision.day else "—")}'
                                      f'<br><span class="sk-muted">{e(decision.data.get("issuer", ""))}</span>'),
            ("Hạng giải", e(site.tier_name(entry.campaign, line.get("tier"))) if line.get("tier") else ""),
        ]
    return dl(rows)


def _status_block(site: Site, entry: Entry) -> str:
    st = status(site, entry)
    detail = f" — {e(st.detail)}" if st.detail else ""
    return f'<p class="sk-status sk-status--{e(st.code)}"><strong>{e(st.label)}</strong>{detail}</p>'


def entry_html(site: Site, entry: Entry) -> str:
    here = urls.entry(entry.id)
    d = entry.data
    intro, known, others = split_body(entry.body)
    trail = [(urls.CATALOGUE, "Sáng kiến")] + ([(urls.campaign(entry.campaign), site.campaign_title(entry.campaign))] if entry.campaign in site.repo.campaigns else [])
    parts = [
        crumbs(here, trail),
        f"<h1>{e(entry.title)}</h1>",
        illustrative_banner() if entry.illustrative else "",
        _status_block(site, entry),
        f'<p class="sk-lead">{e(d.get("summary", ""))}</p>',
        _card(site, here, entry),
        _md(intro),
        section("thuc-trang", "Thực trạng", _md(known.get("problem", ""))),
        section("giai-phap", "Giải pháp", _md(known.get("solution", ""))),
    ]
    for i, (title, text) in enumerate(others, 1):
        parts.append(f'<section class="sk-section"><h2 id="muc-{i}">{e(title)}</h2>{_md(text)}</section>')
    parts += [
        section("ket-qua", "Kết quả đo được", results_list(d.get("results"))),
        section("loi-ich", "Lợi ích", dl([("Theo tác giả", paragraphs(d.get("benefits_author"))),
                                           ("Theo đơn vị đã áp dụng", paragraphs(d.get("benefits_appliers")))], "sk-card sk-card--flat")),
        section("dieu-kien", "Điều kiện áp dụng", paragraphs(d.get("conditions"))),
        section("nhan-rong", "Cách nhân rộng và liên hệ", _md(known.get("replicate", "")) + contact_card(site, here, entry.unit)),
        section("tai-lieu", "Tài liệu kèm theo", _attachments(entry, site)),
        section("cuoc-thi-truoc", "Đã tham gia cuộc thi khác", _previous(d.get("previous_contest"))),
        section("don-vi-nhan-rong", f"Đơn vị đã nhân rộng ({len(site.replications_of(entry.id))})", _replications(site, here, entry)),
        _source(site, entry),
    ]
    return f'<article class="sk-entry">{"".join(parts)}</article>'


def _previous(prev: object) -> str:
    if not isinstance(prev, dict):
        return ""
    return dl([("Cuộc thi", e(prev.get("contest", ""))), ("Năm", e(prev.get("year", ""))),
               ("Nội dung đã chỉnh sửa", paragraphs(prev.get("changes")))], "sk-card sk-card--flat")


def _source(site: Site, entry: Entry) -> str:
    href = site.source.file_url(entry.path)
    target = external(href, f"<code>{e(entry.path)}</code>") if href else f"<code>{e(entry.path)}</code>"
    return f'<p class="sk-source sk-muted">Tệp gốc trong kho: {target}</p>'


def entry_pages(site: Site) -> list[Page]:
    """A page for each public entry (Site.is_public): recognised initiatives, and revoked ones
    marked as such. Thi đua nominations and submissions not recognised get none."""
    pages = []
    keys = pagekeys.Keys(site)
    for entry in site.public_entries():
        summary = str(entry.data.get("summary", ""))
        pages.append(Page(urls.entry(entry.id), entry.title, summary, partial(entry_html, site, entry), entry.path,
                          partial(keys.entry, entry)))
    return pages
