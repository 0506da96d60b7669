"""The catalogue of recognised initiatives (in force; revoked ones are not listed).

Progressive: the whole list is plain HTML, newest recognition first. The filter form is hidden
until catalogue.js runs; the script reads the facets from data-f-* attributes of each item and
sorts by data-date, data-gain or data-reps. Its state is kept in the query string so a filtered
view can be shared (?linh-vuc=the-che&sap-xep=ket-qua).
"""

from __future__ import annotations

from collections import Counter

from sangkien.model import Entry
from sangkien.site import urls
from sangkien.site.context import Site, best_gain
from sangkien.site.markup import e
from sangkien.site.parts import Page, entry_card

# facet key, query parameter, label
FACETS = [
    ("area", "linh-vuc", "Lĩnh vực"),
    ("index", "chi-so", "Chỉ số hướng tới"),
    ("level", "cap", "Cấp công nhận"),
    ("unit", "don-vi", "Đơn vị"),
    ("province", "tinh", "Tỉnh, thành phố"),
    ("year", "nam", "Năm công nhận"),
    ("campaign", "dot", "Đợt phát động"),
    ("type", "loai", "Loại giải pháp"),
]
SORTS = [("moi-nhat", "Mới công nhận trước"), ("cu-nhat", "Công nhận lâu nhất trước"),
         ("ket-qua", "Kết quả đo được tốt nhất"), ("nhan-rong", "Nhiều đơn vị nhân rộng nhất")]


def facet_values(site: Site, entry: Entry) -> dict[str, list[str]]:
    """Codes of each facet for one recognised entry (an entry can have several areas)."""
    rec = site.recognition(entry)
    decision = rec[0] if rec else None
    province = site.province(entry.unit)
    d = entry.data
    return {
        "area": [str(x) for x in d.get("areas") or []],
        "index": [str(x) for x in d.get("indices") or []],
        "level": [str(decision.level)] if decision and decision.level else [],
        "unit": [str(entry.unit)] if entry.unit else [],
        "province": [province.id] if province else [],
        "year": [str(decision.day.year)] if decision and decision.day else [],
        "campaign": [str(entry.campaign)] if entry.campaign else [],
        "type": [str(d["solution_type"])] if d.get("solution_type") else [],
    }


def _label(site: Site, facet: str, code: str) -> str:
    lab = site.labels
    return {
        "area": lambda: lab("area", code),
        "index": lambda: lab("index", code),
        "level": lambda: lab("recognition_level", code),
        "unit": lambda: site.unit_name(code),
        "province": lambda: site.unit_name(code).removeprefix("UBND "),
        "year": lambda: code,
        "campaign": lambda: site.campaign_title(code),
        "type": lambda: lab("solution_type", code),
    }[facet]()


def _filters(site: Site, values: dict[str, dict[str, list[str]]]) -> str:
    fields = []
    for facet, param, label in FACETS:
        counts = Counter(code for v in values.values() for code in v[facet])
        if not counts:
            continue
        order = sorted(counts, reverse=True) if facet == "year" else sorted(counts, key=lambda c: _label(site, facet, c).lower())
        options = "".join(f'<option value="{e(c)}">{e(_label(site, facet, c))} ({counts[c]})</option>' for c in order)
        fields.append(f'<label class="sk-field"><span>{e(label)}</span><select name="{e(param)}" data-facet="{e(facet)}">'
                      f'<option value="">Tất cả</option>{options}</select></label>')
    sorts = "".join(f'<option value="{k}">{e(v)}</option>' for k, v in SORTS)
    fields.append(f'<label class="sk-field"><span>Sắp xếp</span><select name="sap-xep" data-sort>{sorts}</select></label>')
    return (f'<form id="sk-filters" hidden aria-label="Lọc danh mục"><details class="sk-filters-box" open><summary>Lọc, sắp xếp</summary>'
            f'<div class="sk-filters">{"".join(fields)}<button type="reset" class="sk-button">Bỏ lọc</button></div></details></form>')


def catalogue_html(site: Site) -> str:
    here = urls.CATALOGUE
    entries = site.recognised()
    values = {x.id: facet_values(site, x) for x in entries}
    items = []
    for pos, entry in enumerate(entries):
        rec = site.recognition(entry)
        day = rec[0].day.isoformat() if rec and rec[0].day else ""
        gain = best_gain(entry.data)
        attrs = "".join(f' data-f-{k}="{e(" ".join(v))}"' for k, v in values[entry.id].items())
        items.append(f'<li class="sk-item"{attrs} data-date="{e(day)}" data-gain="{"" if gain is None else round(gain, 2)}" '
                     f'data-reps="{len(site.replications_of(entry.id))}" data-pos="{pos}">{entry_card(site, here, entry)}</li>')
    intro = ('<p>Danh mục các sáng kiến, giải pháp cải cách hành chính <strong>đã có quyết định công nhận còn hiệu lực</strong>. '
             'Sáng kiến bị thu hồi công nhận không còn trong danh mục. Mỗi sáng kiến có trang riêng với cách áp dụng, '
             'kết quả đo được và liên hệ của đơn vị để nhân rộng.</p>')
    if not items:
        return f'<h1>Sáng kiến đã được công nhận</h1>{intro}<p>Chưa có sáng kiến nào được công nhận.</p>'
    script = f'<script src="{e(urls.rel(here, urls.CATALOGUE_JS))}" defer></script>'
    return (f'<h1>Sáng kiến đã được công nhận</h1>{intro}{_filters(site, values)}'
            f'<p class="sk-count" id="sk-count" aria-live="polite">{len(items)} sáng kiến.</p>'
            f'<ol class="sk-list" id="sk-catalogue">{"".join(items)}</ol>'
            f'<p class="sk-empty" id="sk-empty" hidden>Không có sáng kiến nào khớp bộ lọc. <a href="./">Bỏ lọc</a></p>{script}')


def catalogue_page(site: Site) -> Page:
    return Page(urls.CATALOGUE, "Sáng kiến đã được công nhận",
                "Danh mục sáng kiến, giải pháp cải cách hành chính đã được công nhận, lọc theo lĩnh vực, chỉ số, cấp, đơn vị, năm.",
                lambda: catalogue_html(site))
