"""Unit pages: who the unit is, its official contact, its initiatives across campaigns, the
initiatives it replicated, and the campaigns it had to take part in."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from sangkien import vntime
from sangkien.model import Entry, Unit
from sangkien.site import pagekeys, urls
from sangkien.site.context import Site, status
from sangkien.site.markup import a, e
from sangkien.site.parts import Page, campaign_link, contact_card, crumbs, demo_badge, dl, section, status_badge, unit_link


def _validity(unit: Unit) -> str:
    if unit.valid_from and unit.valid_to:
        return f"từ {vntime.show_date(unit.valid_from)} đến {vntime.show_date(unit.valid_to)}"
    if unit.valid_to:
        return f"đến {vntime.show_date(unit.valid_to)}"
    if unit.valid_from:
        return f"từ {vntime.show_date(unit.valid_from)}"
    return ""


def unit_html(site: Site, unit: Unit) -> str:
    here = urls.unit(unit.id)
    repo = site.repo
    children = sorted(site.by_unit("children", unit.id), key=lambda u: u.name)
    predecessors = sorted(site.by_unit("predecessors", unit.id), key=lambda u: u.name)
    card = dl([
        ("Loại đơn vị", e(site.labels("unit_kind", unit.data.get("kind")))),
        ("Cấp", e(site.labels("unit_level", unit.level)) if unit.level else ""),
        ("Mã đơn vị hành chính", e(unit.data.get("admin_code", ""))),
        ("Đơn vị cấp trên", unit_link(site, here, unit.parent) if unit.parent else ""),
        ("Hiệu lực", e(_validity(unit))),
        ("Đơn vị kế thừa", unit_link(site, here, unit.data.get("successor")) if unit.data.get("successor") else ""),
        ("Kế thừa từ", ", ".join(unit_link(site, here, u.id) for u in predecessors)),
        ("Đơn vị trực thuộc", ", ".join(unit_link(site, here, u.id) for u in children)),
    ])
    mine = sorted(site.by_unit("entries", unit.id), key=lambda x: (x.submitted or vntime.local_date(site.now), x.id), reverse=True)
    by_campaign: dict[str, list[Entry]] = defaultdict(list)
    for entry in mine:
        by_campaign[entry.campaign or ""].append(entry)
    blocks = []
    for camp_id, entries in by_campaign.items():
        public = [x for x in entries if site.is_public(x)]
        titled = [x for x in entries if not site.is_public(x) and x.kind == "entry"] if site.titles_listed(camp_id) else []
        items = "".join(f'<li>{a(urls.rel(here, urls.entry(x.id)), e(x.title))}{" " + demo_badge() if x.illustrative else ""} '
                        f"{status_badge(status(site, x))}</li>" for x in public)
        items += "".join(f'<li>{e(x.title)}{" " + demo_badge() if x.illustrative else ""}</li>' for x in titled)
        rest = len(entries) - len(public) - len(titled)
        more = f'<p class="sk-muted">{"Và " if items else ""}{rest} bài, hồ sơ khác đã nộp (không công bố chi tiết).</p>' if rest else ""
        blocks.append(f"<h3>{campaign_link(site, here, camp_id)}</h3>" + (f'<ul class="sk-plain">{items}</ul>' if items else "") + more)
    reps = sorted(site.by_unit("replications", unit.id), key=lambda r: r.id)
    rep_items = []
    for r in reps:
        target = repo.entries.get(str(r.data.get("initiative")))
        name = a(urls.rel(here, urls.entry(target.id)) + f"#nhan-rong-{r.id}", e(target.title)) if target else e(r.data.get("initiative"))
        rep_items.append(f'<li>{name}{" " + demo_badge() if r.illustrative else ""}<br><span class="sk-muted">{e(r.data.get("summary", ""))}</span></li>')
    camps = sorted(site.by_unit("campaigns", unit.id), key=lambda c: c.id)
    camp_items = "".join(f"<li>{campaign_link(site, here, c.id)}: {sum(1 for x in mine if x.campaign == c.id)}/{c.min_entries} bài tối thiểu</li>" for c in camps)
    parts = [
        crumbs(here, [(urls.UNITS, "Đơn vị")]),
        f"<h1>{e(unit.name)}</h1>",
        '<p class="sk-banner sk-banner--demo" role="note"><strong>Dữ liệu minh họa</strong>: hộp thư, số tổng đài và tài khoản là mẫu.</p>'
        if unit.data.get("illustrative") else "",
        card,
        section("lien-he", "Liên hệ công vụ", contact_card(site, here, unit.id)),
        section("sang-kien", f"Bài đã nộp ({len(mine)}), sáng kiến được công nhận ({sum(1 for x in mine if site.is_public(x))})", "".join(blocks) or "<p>Đơn vị chưa nộp sáng kiến nào trong kho.</p>"),
        section("nhan-rong", f"Sáng kiến đơn vị đã nhân rộng ({len(reps)})", f'<ul class="sk-plain">{"".join(rep_items)}</ul>' if rep_items else ""),
        section("dot", "Đợt phải tham gia", f'<ul class="sk-plain">{camp_items}</ul>' if camp_items else ""),
    ]
    return "".join(parts)


def units_html(site: Site) -> str:
    """Units grouped by province (a unit with no province goes under 'Khác'), then by name."""
    here = urls.UNITS
    repo = site.repo
    groups: dict[str, list[Unit]] = defaultdict(list)
    for unit in repo.units.values():
        province = site.province(unit.id)
        groups[province.id if province else ""].append(unit)
    counts: defaultdict[str | None, int] = defaultdict(int)
    for entry in repo.entries.values():
        counts[entry.unit] += 1
    # The note on districts (abolished from 01/07/2025) only where the registry has district units.
    districts = any(u.level == "huyen" for u in repo.units.values())
    parts = ["<h1>Đơn vị</h1>", "<p>Các cơ quan, đơn vị trong danh mục của kho, với số bài đã nộp."
             + (" Đơn vị cấp huyện kết thúc hoạt động từ 01/07/2025; bài cũ giữ đơn vị lúc nộp." if districts else "") + "</p>"]
    order = sorted(groups, key=lambda k: (k == "", site.unit_name(k) if k else ""))
    for key in order:
        units = sorted(groups[key], key=lambda u: (u.data.get("kind") != "ubnd-tinh", u.name))
        title = site.unit_name(key) if key else "Khác"
        items = "".join(f'<li>{a(urls.rel(here, urls.unit(u.id)), e(u.name))} <span class="sk-muted">({counts[u.id]} bài'
                        f'{", " + e(_validity(u)) if _validity(u) else ""})</span></li>' for u in units)
        parts.append(f'<h2 id="tinh-{e(key or "khac")}">{e(title)}</h2><ul class="sk-plain sk-columns">{items}</ul>')
    return "".join(parts)


def unit_pages(site: Site) -> list[Page]:
    pages = [Page(urls.UNITS, "Đơn vị", "Các cơ quan, đơn vị nộp và nhân rộng sáng kiến cải cách hành chính.", lambda: units_html(site))]
    keys = pagekeys.Keys(site)
    for unit in sorted(site.repo.units.values(), key=lambda u: u.id):
        pages.append(Page(urls.unit(unit.id), unit.name, f"Sáng kiến cải cách hành chính của {unit.name}.",
                          partial(unit_html, site, unit), unit.path, partial(keys.unit, unit)))
    return pages
