"""Statistics: recognised initiatives by area, level, year, unit and campaign; submissions per
campaign; replications. Charts are SVG drawn at build time (charts.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from sangkien import vntime
from sangkien.model import Recognition
from sangkien.site import urls
from sangkien.site.charts import bar_chart
from sangkien.site.context import Site
from sangkien.site.markup import a, e
from sangkien.site.parts import Page

K = TypeVar("K")


def _ordered(counter: Counter[K], label: Callable[[K], str], key: Callable[[tuple[K, int]], Any] | None = None) -> list[tuple[str, int]]:
    items = sorted(counter.items(), key=key or (lambda kv: (-kv[1], label(kv[0]).lower())))
    return [(label(k), v) for k, v in items]


def stats_html(site: Site) -> str:
    here = urls.STATS
    lab = site.labels
    recognised = site.recognised()
    recs: dict[str, Recognition] = {}
    for x in recognised:
        rec = site.recognition(x)
        assert rec is not None  # recognised() lists only entries with a recognition
        recs[x.id] = rec[0]
    by_area = Counter(area for x in recognised for area in x.data.get("areas") or [])
    by_level = Counter(recs[x.id].level for x in recognised)
    by_year = Counter(r.day.year for r in (recs[x.id] for x in recognised) if r.day)
    by_unit = Counter(x.unit for x in recognised)
    by_campaign = Counter(x.campaign for x in recognised)
    submitted = Counter(x.campaign for x in site.repo.entries.values())
    reps = list(site.repo.replications.values())
    reps_by_entry = Counter(str(r.data.get("initiative")) for r in reps)
    reps_by_unit = Counter(r.unit for r in reps)
    entries = site.repo.entries

    def unit_label(uid: str | None) -> str:
        return a(urls.rel(here, urls.unit(uid)), e(site.unit_name(uid))) if uid in site.repo.units else e(site.unit_name(uid))

    def camp_label(cid: str | None) -> str:
        return a(urls.rel(here, urls.campaign(cid)), e(site.campaign_title(cid))) if cid in site.repo.campaigns else e(cid)

    def entry_label(eid: str) -> str:
        if eid in entries and site.is_public(entries[eid]):
            return a(urls.rel(here, urls.entry(eid)), e(entries[eid].title))
        return "Bài không công bố"

    illustrative = sum(1 for x in recognised if x.illustrative)
    if not entries:  # a new province's repository, before its first campaign: say so, not «0 of 0 in 0»
        summary = (f"<p>Chưa có bài, hồ sơ nào được nộp{' trong ' + str(len(site.repo.campaigns)) + ' đợt đã phát động' if site.repo.campaigns else ''}; "
                   "số liệu sẽ hiện ở đây khi có sáng kiến được công nhận.</p>")
    else:
        summary = (f"<p>Có <strong>{len(recognised)}</strong> sáng kiến đã được công nhận (còn hiệu lực) trên tổng số "
                   f"<strong>{len(entries)}</strong> bài, hồ sơ đã nộp trong <strong>{len(site.repo.campaigns)}</strong> đợt; "
                   f"<strong>{len(reps)}</strong> lượt đơn vị khác ghi nhận nhân rộng.</p>")
    if illustrative:
        summary += f'<p class="sk-muted">Trong đó {illustrative} sáng kiến là dữ liệu minh họa.</p>'
    charts = [
        bar_chart("Sáng kiến được công nhận theo lĩnh vực", _ordered(by_area, lambda k: e(lab("area", k))), "linh-vuc",
                  "Một sáng kiến có thể thuộc nhiều lĩnh vực."),
        bar_chart("Theo cấp công nhận", _ordered(by_level, lambda k: e(lab("recognition_level", k))), "cap"),
        bar_chart("Theo năm công nhận", [(str(y), n) for y, n in sorted(by_year.items(), reverse=True)], "nam"),
        bar_chart("Theo đơn vị", _ordered(by_unit, unit_label), "don-vi"),
        bar_chart("Theo đợt phát động", _ordered(by_campaign, camp_label), "dot"),
        bar_chart("Số bài, hồ sơ đã nộp theo đợt", _ordered(submitted, camp_label), "bai-nop"),
        bar_chart("Số đơn vị nhân rộng theo sáng kiến", _ordered(reps_by_entry, entry_label), "nhan-rong"),
        bar_chart("Số sáng kiến đã nhân rộng theo đơn vị", _ordered(reps_by_unit, unit_label), "don-vi-nhan-rong"),
    ]
    return (f"<h1>Thống kê</h1>{summary}"
            f'<p class="sk-muted">Số liệu tính tại thời điểm dựng trang {e(vntime.show(site.now))}.</p>{"".join(charts)}')


def stats_page(site: Site) -> Page:
    return Page(urls.STATS, "Thống kê", "Số sáng kiến được công nhận theo lĩnh vực, cấp, năm, đơn vị, đợt và số lượt nhân rộng.",
                lambda: stats_html(site))
