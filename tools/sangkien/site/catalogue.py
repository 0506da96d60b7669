"""The catalogue of recognised initiatives (in force; revoked ones are not listed).

Progressive: the list is plain HTML, newest recognition first. The filter form is hidden until
catalogue.js runs; the script reads the facets from data-f-* attributes of each item and sorts by
data-date, data-gain or data-reps. Past PAGE_SIZE initiatives the list is split into pages (a
10,000-item page would weigh 12 MB) and the filters work on danh-muc.json instead. The state is
kept in the query string so a filtered view can be shared (?linh-vuc=the-che&sap-xep=ket-qua).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import partial
from html import unescape
from typing import Any

from sangkien import vntime
from sangkien.model import Entry
from sangkien.site import pagekeys, urls
from sangkien.site.context import Site, best_gain
from sangkien.site.markup import a, e
from sangkien.site.parts import Page, entry_card, gain_key, result_line

PAGE_SIZE = 200  # initiatives per catalogue page once the catalogue needs several (plugin option)
DATA_FILE = "danh-muc.json"  # under sang-kien/: what the filters load when the catalogue is paged

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


class Listing:
    """The recognised initiatives, their facets and sort keys, computed once for all catalogue pages."""

    def __init__(self, site: Site, page_size: int = PAGE_SIZE) -> None:
        self.site = site
        self.page_size = max(1, page_size)
        self._entries: list[Entry] | None = None
        self._values: dict[str, dict[str, list[str]]] = {}

    @property
    def entries(self) -> list[Entry]:
        if self._entries is None:
            self._entries = self.site.recognised()
            self._values = {x.id: facet_values(self.site, x) for x in self._entries}
        return self._entries

    @property
    def values(self) -> dict[str, dict[str, list[str]]]:
        _ = self.entries
        return self._values

    @property
    def paged(self) -> bool:
        return len(self.entries) > self.page_size

    def keys(self, entry: Entry) -> tuple[str, float | None, int]:
        rec = self.site.recognition(entry)
        day = rec[0].day.isoformat() if rec and rec[0].day else ""
        return day, best_gain(entry.data), len(self.site.replications_of(entry.id))


def page_url(number: int) -> str:
    return urls.CATALOGUE if number == 1 else f"{urls.CATALOGUE}trang/{number}/"


def _item(listing: Listing, here: str, entry: Entry, pos: int, with_data: bool) -> str:
    if not with_data:
        return f'<li class="sk-item">{entry_card(listing.site, here, entry)}</li>'
    day, gain, reps = listing.keys(entry)
    attrs = "".join(f' data-f-{k}="{e(" ".join(v))}"' for k, v in listing.values[entry.id].items())
    return (f'<li class="sk-item"{attrs} data-date="{e(day)}" data-gain="{"" if gain is None else round(gain, 2)}" '
            f'data-reps="{reps}" data-pos="{pos}">{entry_card(listing.site, here, entry)}</li>')


def _pager(number: int, pages: int, here: str) -> str:
    if pages <= 1:
        return ""
    links = []
    for n in range(1, pages + 1):
        if n == number:
            links.append(f'<strong aria-current="page">{n}</strong>')
        elif n in (1, pages) or abs(n - number) <= 2:
            links.append(a(urls.rel(here, page_url(n)), str(n)))
        elif links[-1] != "…":
            links.append("…")
    return f'<nav class="sk-pager" id="sk-pager" aria-label="Các trang của danh mục">Trang: {" ".join(links)}</nav>'


INTRO = ('<p>Danh mục các sáng kiến, giải pháp cải cách hành chính <strong>đã có quyết định công nhận còn hiệu lực</strong>. '
         'Sáng kiến bị thu hồi công nhận không còn trong danh mục. Mỗi sáng kiến có trang riêng với cách áp dụng, '
         'kết quả đo được và liên hệ của đơn vị để nhân rộng.</p>')


def catalogue_html(listing: Listing, number: int = 1) -> str:
    """Page `number` of the catalogue. Up to page_size initiatives: one page, filtered in the
    page itself. Beyond: pages of page_size for reading without JavaScript, and the filters of
    page 1 work on danh-muc.json, fetched on first use."""
    here = page_url(number)
    entries = listing.entries
    if not entries:
        return f'<h1>Sáng kiến đã được công nhận</h1>{INTRO}<p>Chưa có sáng kiến nào được công nhận.</p>'
    size = listing.page_size
    pages = -(-len(entries) // size)
    start = (number - 1) * size
    chunk = entries[start:start + size]
    items = "".join(_item(listing, here, x, start + i, not listing.paged) for i, x in enumerate(chunk))
    if number > 1:
        return (f'<h1>Sáng kiến đã được công nhận — trang {number}</h1>{_pager(number, pages, here)}'
                f'<p class="sk-count">Sáng kiến thứ {start + 1}–{start + len(chunk)} trên {len(entries)}, mới công nhận trước.</p>'
                f'<ol class="sk-list" start="{start + 1}">{items}</ol>{_pager(number, pages, here)}')
    script = f'<script src="{e(urls.rel(here, urls.CATALOGUE_JS))}" defer></script>'
    source = f' data-source="{DATA_FILE}" data-total="{len(entries)}"' if listing.paged else ""
    count = f"{len(entries)} sáng kiến" + (f", trang 1/{pages} (mới công nhận trước)" if listing.paged else "") + "."
    return (f'<h1>Sáng kiến đã được công nhận</h1>{INTRO}{_filters(listing.site, listing.values)}'
            f'<p class="sk-count" id="sk-count" aria-live="polite">{count}</p>'
            f'<ol class="sk-list" id="sk-catalogue"{source}>{items}</ol>'
            f'<p class="sk-empty" id="sk-empty" hidden>Không có sáng kiến nào khớp bộ lọc. <a href="./">Bỏ lọc</a></p>'
            f'<p id="sk-more-box" hidden><button type="button" class="sk-button" id="sk-more">Hiện thêm</button></p>'
            f"{_pager(1, pages, here)}{script}")


def catalogue_data(listing: Listing) -> dict[str, Any]:
    """What the filters of a paged catalogue load: one compact row per initiative, newest first."""
    rows = [_row(listing, entry) for entry in listing.entries]
    return {"total": len(rows), "items": rows}


def catalogue_json(listing: Listing) -> str:
    """catalogue_data as compact JSON (the text of danh-muc.json). Row by row: in `mkdocs serve`
    a row's text is remembered with its signature (site/pagekeys.py: the entry's file, how many
    replications name it, and what every row shares), so only the rows of changed files are made again."""
    if not pagekeys.keeping():  # one build: one dumps is quicker than a row at a time
        return json.dumps(catalogue_data(listing), ensure_ascii=False, separators=(",", ":"))
    keys = pagekeys.Keys(listing.site)
    rows = [keys.remembered("catalogue-row", entry.id, partial(_row_signature, keys, entry),
                            partial(_row_json, listing, entry)) for entry in listing.entries]
    return '{"total":' + str(len(rows)) + ',"items":[' + ",".join(rows) + "]}"


def _row_signature(keys: pagekeys.Keys, entry: Entry) -> object:
    return entry.path, keys.content_hash(entry.path), len(keys.site.replications_of(entry.id))


def _row_json(listing: Listing, entry: Entry) -> str:
    return json.dumps(_row(listing, entry), ensure_ascii=False, separators=(",", ":"))


def _row(listing: Listing, entry: Entry) -> dict[str, Any]:
    day, gain, reps = listing.keys(entry)
    rec = listing.site.recognition(entry)
    decision = rec[0] if rec else None
    results = [r for r in entry.data.get("results") or [] if isinstance(r, dict)]
    best = max(results, key=gain_key) if results else None
    return {
        "i": entry.id, "t": entry.title, "u": listing.site.unit_name(entry.unit),
        "n": decision.number if decision else "", "d": day, "dv": vntime.show_date(decision.day) if decision and decision.day else "",
        "l": listing.site.labels("recognition_level", decision.level) if decision else "",
        "s": str(entry.data.get("summary", "")), "h": _plain(result_line(best)) if best else "",
        "m": entry.illustrative, "g": None if gain is None else round(gain, 2), "r": reps,
        "f": listing.values[entry.id],
    }


def _plain(fragment: str) -> str:
    return " ".join(unescape(re.sub(r"<br>", " · ", re.sub(r"<(?!br>)[^>]+>", "", fragment))).split())


def catalogue_pages(site: Site, page_size: int = PAGE_SIZE) -> tuple[list[Page], Listing]:
    listing = Listing(site, page_size)
    description = "Danh mục sáng kiến, giải pháp cải cách hành chính đã được công nhận, lọc theo lĩnh vực, chỉ số, cấp, đơn vị, năm."
    pages = [Page(urls.CATALOGUE, "Sáng kiến đã được công nhận", description, lambda: catalogue_html(listing, 1))]
    count = -(-len(listing.entries) // listing.page_size)
    keys = pagekeys.Keys(site)
    for n in range(2, count + 1):
        pages.append(Page(page_url(n), f"Sáng kiến đã được công nhận — trang {n}", description, partial(catalogue_html, listing, n),
                          key=partial(keys.catalogue, listing, n)))
    return pages, listing
