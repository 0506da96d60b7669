"""National mode (mkdocs.yml `extra.sangkien.national: true`): a catalogue built from the harvested
catalogues alone (federation/, see `sangkien harvest`), with the same plugin.

    toan-quoc/                  every source with its status (stale ones marked) and its count:
                                the source facet; the groups of the same model found in several places
    toan-quoc/<source>/         the initiatives of one source, each linking back to its page there,
                                PAGE_SIZE a page (toan-quoc/<source>/trang/<n>/ from the second on)
    toan-quoc/cung-mo-hinh/     near-duplicate groups across sources: «Cùng mô hình ở N địa phương»

Groups come from the harvested titles and summaries, prepared and compared as the novelty check
does (novelty/outside.py): pairs of initiatives of different sources whose similarity reaches
GROUP_AT, found by MinHash/LSH buckets and, below SCAN_LIMIT initiatives, also by content cosine
(the nearest by content of each); joined transitively. Replication is evidence of a good model,
not a fault: the page says so.

The search page (tim-kiem/) indexes the harvested initiatives instead of the local repository
(`search_docs`, written by the plugin through `search.write_index`): each result links to the
initiative's page at its source, or to the source's page here when the source gave no usable link.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import numpy as np

from sangkien import vntime
from sangkien.federation import sources, status, store
from sangkien.site import urls
from sangkien.site.markup import a, e, external
from sangkien.site.parts import Page
from sangkien.site.search import Doc

if TYPE_CHECKING:
    from sangkien.novelty.outside import Outside

URL = "toan-quoc/"
GROUPS_URL = "toan-quoc/cung-mo-hinh/"
GROUP_AT = 0.7  # similarity of title and summary from which two initiatives are shown as one model
SCAN_LIMIT = 20000  # above this many initiatives, only LSH candidates (copies) are compared
NEAREST = 5
PAGE_SIZE = 200  # initiatives per page of one source (as the catalogue's pages)


def enabled(extra: object) -> bool:
    return isinstance(extra, dict) and extra.get("national") is True


def source_url(source_id: str, number: int = 1) -> str:
    return f"{URL}{source_id}/" if number == 1 else f"{URL}{source_id}/trang/{number}/"


def _pager(source_id: str, number: int, pages: int) -> str:
    """Links to the other pages of one source (first, last, and two either side), as the catalogue's."""
    if pages <= 1:
        return ""
    here = source_url(source_id, number)
    links: list[str] = []
    for n in range(1, pages + 1):
        if n == number:
            links.append(f'<strong aria-current="page">{n}</strong>')
        elif n in (1, pages) or abs(n - number) <= 2:
            links.append(a(urls.rel(here, source_url(source_id, n)), str(n)))
        elif links[-1] != "…":
            links.append("…")
    return f'<nav class="sk-pager" aria-label="Các trang của địa phương">Trang: {" ".join(links)}</nav>'


def _rel(frm: str, to: str) -> str:
    depth = frm.rstrip("/").count("/") + 1 if frm else 0
    return "../" * depth + to


@dataclass
class Group:
    members: list[tuple[str, str, str, str]]  # (source id, source name, title, url)

    @property
    def places(self) -> int:
        return len({m[0] for m in self.members})


def groups(corpus: Outside) -> list[Group]:
    """Cross-source near-duplicate groups of the harvested initiatives, largest first."""
    from sangkien.novelty.compare import measure

    n = corpus.n
    if n < 2:
        return []
    index = corpus.index()
    candidates: dict[int, set[int]] = index.lsh_pairs()
    if n <= SCAN_LIMIT:
        for i in range(n):
            cos = index.cosines(corpus.features(i))
            near = np.argpartition(-cos, min(NEAREST, len(cos) - 1))[:NEAREST + 1]
            candidates.setdefault(i, set()).update(int(j) for j in near if int(j) != i)
    source = np.repeat(np.arange(len(corpus.sources)), [src[3] for src in corpus.sources])
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, mates in candidates.items():
        for j in mates:
            if i < j and source[i] != source[j] and measure(corpus.features(i), corpus.features(j)).score >= GROUP_AT:
                parent[find(i)] = find(j)
    members: dict[int, list[int]] = {}
    for k in range(n):
        members.setdefault(find(k), []).append(k)
    out = []
    for found in members.values():
        if len({int(source[k]) for k in found}) < 2:
            continue
        named = [corpus.item(k) for k in found]
        out.append(Group(sorted((m.source, m.source_name, m.title, m.url) for m in named)))
    return sorted(out, key=lambda g: (-g.places, g.members[0][2]))


def _group_html(here: str, group: Group) -> str:
    rows = "".join(f"<li>{external(url, e(title))} — {a(_rel(here, source_url(sid)), e(name))}</li>" for sid, name, title, url in group.members)
    return (f'<section class="sk-fed-group"><h2>Cùng mô hình ở {group.places} địa phương</h2>'
            f'<ul class="sk-plain">{rows}</ul></section>')


def _status_cell(row: status.SourceStatus) -> str:
    if row.state == status.FAILING:
        return f'<span class="sk-badge sk-badge--error">Đang lỗi</span> <span class="sk-muted">từ {e(vntime.show(row.failing_since)) if row.failing_since else ""}</span>'
    if row.stale:
        return f'<span class="sk-badge sk-badge--warning sk-fed-stale">Đã cũ {row.age_days} ngày</span>'
    if row.meta is None:
        return '<span class="sk-badge sk-badge--warning">Chưa tải</span>'
    return '<span class="sk-badge sk-badge--cong-nhan">Mới cập nhật</span>'


def pages(root: Path, at: datetime, home: str = URL) -> list[Page]:
    """The national pages; `home` is where the overview lives (the site's root in national mode)."""
    fed = sources.load(root)
    if not fed.present or fed.problems:
        return []
    rows = status.of(root, fed, at)
    from sangkien.novelty import abbrev, outside

    corpus = outside.load(root, abbrev.load(root))
    found = groups(corpus)
    by_source: dict[str, list[outside.OutsideItem]] = {}
    for item in corpus.items:
        by_source.setdefault(item.source, []).append(item)
    total = sum(len(v) for v in by_source.values())

    def overview() -> str:
        facet = "".join(
            f'<li class="sk-fed-facet__item">{a(_rel(home, source_url(r.source.id)), e(r.source.name))} '
            f'<span class="sk-muted">({len(by_source.get(r.source.id, []))} sáng kiến)</span> {_status_cell(r)}</li>' for r in rows)
        top = "".join(_group_html(home, g) for g in found[:5])
        more = f"<p>{a(_rel(home, GROUPS_URL), f'Xem cả {len(found)} nhóm cùng mô hình')}</p>" if found else "<p>Chưa thấy mô hình nào có ở nhiều địa phương.</p>"
        return ("<h1>Danh mục sáng kiến cải cách hành chính toàn quốc</h1>"
                f"<p>{total} sáng kiến đã được công nhận của {len(by_source)} địa phương, tổng hợp từ dữ liệu mở của từng danh mục "
                f"(tải về bằng lệnh <code>sangkien harvest</code>; tình trạng tính đến {e(vntime.show(at))}). Mỗi sáng kiến dẫn về trang gốc "
                "của nơi công bố; nguồn «Đã cũ» là nguồn chưa cập nhật được gần đây.</p>"
                f'<h2 id="nguon">Lọc theo địa phương</h2><ul class="sk-plain sk-fed-facet">{facet}</ul>'
                '<h2 id="cung-mo-hinh">Cùng mô hình ở nhiều địa phương</h2>'
                "<p>Những sáng kiến gần như giống nhau (tên và tóm tắt) được công nhận ở nhiều nơi: bằng chứng mô hình đã được nhân rộng.</p>"
                f"{top}{more}")

    def listing(row: status.SourceStatus) -> list[Page]:
        sid = row.source.id
        items = sorted(by_source.get(sid, []), key=lambda i: i.title)
        pages = max(1, -(-len(items) // PAGE_SIZE))

        def draw(number: int) -> str:
            here = source_url(sid, number)
            start = (number - 1) * PAGE_SIZE
            shown = items[start:start + PAGE_SIZE]
            lis = "".join(f"<li>{external(i.url, e(i.title))}</li>" for i in shown)
            home_link = external(row.source.home, e(row.source.home)) if row.source.home else ""
            title = e(row.source.name) + (f" — trang {number}" if number > 1 else "")
            count = f'<p class="sk-count">Sáng kiến thứ {start + 1}–{start + len(shown)} trên {len(items)}, xếp theo tên.</p>' if pages > 1 else ""
            pager = _pager(sid, number, pages)
            return (f"<h1>{title}</h1><p>{_status_cell(row)} {len(items)} sáng kiến. Trang gốc: {home_link}</p>"
                    f"<p>{a(_rel(here, home), 'Tất cả địa phương')}</p>{pager}{count}<ul class=\"sk-plain\">{lis}</ul>{pager}")

        return [Page(source_url(sid, n), row.source.name + (f" — trang {n}" if n > 1 else ""),
                     f"Sáng kiến đã được công nhận của {row.source.name}" + (f", trang {n}." if n > 1 else "."),
                     partial(draw, n)) for n in range(1, pages + 1)]

    return [
        Page(home, "Toàn quốc", "Danh mục sáng kiến cải cách hành chính của các địa phương, tổng hợp từ dữ liệu mở.", overview),
        Page(GROUPS_URL, "Cùng mô hình ở nhiều địa phương", "Các sáng kiến gần như giống nhau được công nhận ở nhiều địa phương.",
             lambda: "<h1>Cùng mô hình ở nhiều địa phương</h1>" + "".join(_group_html(GROUPS_URL, g) for g in found)),
        *[page for r in rows for page in listing(r)],
    ]


# ----------------------------------------------------------------- national search
_WEB = re.compile(r"^https?://", re.I)


def _link(url: object, source: sources.Source) -> str:
    """Where a search result leads: the initiative's page at its source (an absolute http(s) link,
    or a link relative to the source's home), else the source's page on this site. Nothing else
    (javascript:, data:...) ever becomes a link."""
    text = url.strip() if isinstance(url, str) else ""
    if _WEB.match(text):
        return text
    if text and ":" not in text.split("/", 1)[0] and _WEB.match(source.home):
        joined = urljoin(source.home, text)
        if _WEB.match(joined):
            return joined
    return source_url(source.id)


def _label(value: object) -> str:
    return str(value.get("label") or value.get("code") or "") if isinstance(value, dict) else ""


def _name(value: object) -> str:
    return str(value.get("name") or value.get("id") or "") if isinstance(value, dict) else ""


def _rows(body: bytes) -> list[dict[str, Any]]:
    try:
        rows = json.loads(body.decode("utf-8")).get("entries")
    except (ValueError, AttributeError):
        return []
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def search_docs(root: Path) -> list[Doc]:
    """Every harvested initiative (the last good snapshot of each listed source) as the search
    sees it, newest recognition first: title, summary, unit, province (else the source's name),
    year of recognition, and as further words the source, campaign, field, areas, indices,
    solution type, level and keywords, as the catalogue export has them."""
    fed = sources.load(root)
    if not fed.present or fed.problems:
        return []
    found: list[tuple[str, Doc]] = []
    for source in fed.sources:
        snapshot = store.read_snapshot(root, source.id)
        if snapshot is None:
            continue
        meta, body = snapshot
        for row in _rows(body):
            title = str(row.get("title") or "").strip()
            if not title:
                continue
            unit, province = _name(row.get("unit")), _name(row.get("province"))
            campaign = row.get("campaign")
            decision = row.get("decision")
            day = str(decision.get("date") or "") if isinstance(decision, dict) else ""
            words = [meta.name, unit, province, str(campaign.get("title") or "") if isinstance(campaign, dict) else "",
                     str(row.get("field") or "")]
            words += [_label(x) for x in row.get("areas") or [] if isinstance(row.get("areas"), list)]
            words += [" ".join(str(x.get(k) or "") for k in ("code", "label")).strip() if isinstance(x, dict) else ""
                      for x in row.get("indices") or [] if isinstance(row.get("indices"), list)]
            words += [_label(row.get("solution_type")), _label(row.get("level"))]
            words += [str(k) for k in row.get("keywords") or [] if isinstance(row.get("keywords"), list)]
            doc = Doc(f"{source.id}/{row.get('id') or ''}", title, _link(row.get("url"), source), str(row.get("summary") or ""),
                      unit, province or meta.name, day[:4] if re.match(r"^\d{4}-", day) else "", row.get("illustrative") is True,
                      [w for w in words if w])
            found.append((day, doc))
    found.sort(key=lambda dd: dd[0], reverse=True)  # stable: one day keeps the sources' order
    return [doc for _day, doc in found]
