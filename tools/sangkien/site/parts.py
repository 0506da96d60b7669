"""Pieces shared by several pages: the page record, breadcrumbs, cards, contacts, results."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sangkien import vntime
from sangkien.model import Entry, Unit
from sangkien.site import urls
from sangkien.site.context import Site, Status, change, status
from sangkien.site.markup import a, e, external, num


@dataclass
class Page:
    """One generated page: where it lives, its plain-text title, and how to draw its content."""

    url: str
    title: str
    description: str
    html: Callable[[], str]
    source: str | None = None  # repository path behind the page (for the edit link)
    # What the page shows, as a key (site/pagekeys.py): None for a page drawn every build.
    key: Callable[[], str | None] | None = None


def crumbs(here: str, trail: list[tuple[str, str]]) -> str:
    links = " › ".join(a(urls.rel(here, url), e(text)) for url, text in trail)
    return f'<nav class="sk-crumbs" aria-label="Đường dẫn">{links}</nav>'


def dl(rows: list[tuple[str, str]], cls: str = "sk-card") -> str:
    """A definition list; values are HTML, empty ones are left out."""
    body = "".join(f"<dt>{e(k)}</dt><dd>{v}</dd>" for k, v in rows if v)
    return f'<dl class="{cls}">{body}</dl>' if body else ""


def section(anchor: str, title: str, inner: str) -> str:
    return f'<section class="sk-section"><h2 id="{e(anchor)}">{e(title)}</h2>{inner}</section>' if inner else ""


def illustrative_banner(what: str = "Bài minh họa") -> str:
    return (f'<p class="sk-banner sk-banner--demo" role="note"><strong>{e(what)}</strong>: dữ liệu mẫu để giới thiệu cách dùng '
            "kho, không phải hồ sơ thật của cơ quan nào.</p>")


def demo_badge() -> str:
    return '<span class="sk-badge sk-badge--demo" title="Dữ liệu mẫu, không phải hồ sơ thật">Minh họa</span>'


def status_badge(st: Status) -> str:
    return f'<span class="sk-badge sk-badge--{e(st.code)}">{e(st.label)}</span>'


def unit_link(site: Site, here: str, unit_id: str | None) -> str:
    if unit_id and unit_id in site.repo.units:
        return a(urls.rel(here, urls.unit(unit_id)), e(site.unit_name(unit_id)))
    return e(site.unit_name(unit_id))


def campaign_link(site: Site, here: str, campaign_id: str | None) -> str:
    if campaign_id and campaign_id in site.repo.campaigns:
        return a(urls.rel(here, urls.campaign(campaign_id)), e(site.campaign_title(campaign_id)))
    return e(site.campaign_title(campaign_id))


def result_line(r: dict[str, Any]) -> str:
    """'Chỉ tiêu: 2 ngày → 0,5 ngày (tốt hơn 75%)'."""
    unit = str(r.get("unit", ""))
    sep = "" if unit == "%" else " "

    def val(x: object) -> str:
        return f"{num(x)}{sep}{e(unit)}" if isinstance(x, (int, float)) and not isinstance(x, bool) else e(x)

    gain = change(r)
    if gain is None:
        note = ""
    elif abs(gain) < 0.05:
        note = ' <span class="sk-gain">(không đổi)</span>'
    else:
        word = "tốt hơn" if gain > 0 else "kém hơn"
        # A rate moving from 3 % to 46 % reads better in percentage points than as "+1,433 %".
        amount = (f"{num(round(abs(r['result'] - r['baseline']), 1))} điểm %" if unit == "%"
                  else f"{num(round(abs(gain), 1))}%")
        note = f' <span class="sk-gain sk-gain--{"up" if gain > 0 else "down"}">({word} {amount})</span>'
    period = f'<br><span class="sk-muted">{e(r.get("period"))}</span>' if r.get("period") else ""
    return (f'<li><span class="sk-indicator">{e(r.get("indicator"))}</span>: '
            f'<span class="sk-before">{val(r.get("baseline"))}</span> → <strong class="sk-after">{val(r.get("result"))}</strong>{note}{period}</li>')


def gain_key(r: dict[str, Any]) -> float:
    """Sort key for the headline result: its improvement, results without one last."""
    gain = change(r)
    return gain if gain is not None else float("-inf")


def results_list(results: Iterable[object] | None) -> str:
    items = [result_line(r) for r in results or [] if isinstance(r, dict)]
    return f'<ul class="sk-results">{"".join(items)}</ul>' if items else ""


def contact_of(site: Site, unit_id: str | None) -> tuple[Unit | None, str]:
    """The unit to contact and a note: a unit that ended hands over to its successor; a unit with
    no published contact is reached through its parent."""
    unit = site.repo.units.get(unit_id or "")
    note = ""
    seen: set[str] = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        if unit.valid_to and unit.valid_to < vntime.local_date(site.now) and unit.data.get("successor") in site.repo.units:
            note = f"{unit.name} đã kết thúc hoạt động từ {vntime.show_date(unit.valid_to)}; liên hệ đơn vị kế thừa."
            unit = site.repo.units[unit.data["successor"]]
            continue
        if unit.contact:
            return unit, note
        unit = site.repo.units.get(unit.parent or "")
        note = note or "Đơn vị chưa công bố liên hệ riêng; liên hệ đơn vị cấp trên."
    return None, note


def contact_card(site: Site, here: str, unit_id: str | None) -> str:
    unit, note = contact_of(site, unit_id)
    if unit is None:
        return '<p class="sk-muted">Danh mục đơn vị chưa có thông tin liên hệ công vụ của đơn vị này.</p>'
    c = unit.contact
    rows = [
        ("Cơ quan", unit_link(site, here, unit.id)),
        ("Hộp thư công vụ", external(f"mailto:{c['email']}", e(c["email"])) if c.get("email") else ""),
        ("Điện thoại", a("tel:" + "".join(ch for ch in str(c["phone"]) if ch.isdigit() or ch == "+"), e(c["phone"])) if c.get("phone") else ""),
        ("Địa chỉ trụ sở", e(c.get("address", ""))),
        ("Trang thông tin", external(str(c["website"]), e(c["website"])) if c.get("website") else ""),
    ]
    pre = f'<p class="sk-muted">{e(note)}</p>' if note else ""
    return pre + dl(rows, "sk-card sk-contact")


def entry_card(site: Site, here: str, entry: Entry, show_status: bool = False) -> str:
    """One initiative in a list: title, unit, decision, areas, summary, headline result."""
    rec = site.recognition(entry)
    bits = [unit_link(site, here, entry.unit)]
    if rec:
        decision, _ = rec
        bits.append(f"QĐ {e(decision.number)} ({e(vntime.show_date(decision.day) if decision.day else '—')})")
        bits.append(e(site.labels("recognition_level", decision.level)))
    reps = len(site.replications_of(entry.id))
    if reps:
        bits.append(f"{reps} đơn vị nhân rộng")
    badges = (demo_badge() if entry.illustrative else "") + (status_badge(status(site, entry)) if show_status else "")
    results = [r for r in entry.data.get("results") or [] if isinstance(r, dict)]
    best = max(results, key=gain_key) if results else None
    headline = f'<ul class="sk-results sk-results--one">{result_line(best)}</ul>' if best else ""
    return (f'<h3 class="sk-item__title">{a(urls.rel(here, urls.entry(entry.id)), e(entry.title))}</h3>'
            f'<p class="sk-item__meta">{" · ".join(bits)} {badges}</p>'
            f'<p class="sk-item__summary">{e(entry.data.get("summary", ""))}</p>{headline}')
