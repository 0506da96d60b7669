"""National mode (mkdocs.yml `extra.sangkien.national: true`): a catalogue built from the harvested
catalogues alone (federation/, see `sangkien harvest`), with the same plugin.

    toan-quoc/                  every source with its status (stale ones marked) and its count:
                                the source facet; the groups of the same model found in several places
    toan-quoc/<source>/         the initiatives of one source, each linking back to its page there
    toan-quoc/cung-mo-hinh/     near-duplicate groups across sources: «Cùng mô hình ở N địa phương»

Groups come from the harvested titles and summaries, prepared and compared as the novelty check
does (novelty/outside.py): pairs of initiatives of different sources whose similarity reaches
GROUP_AT, found by MinHash/LSH buckets and, below SCAN_LIMIT initiatives, also by content cosine
(the nearest by content of each); joined transitively. Replication is evidence of a good model,
not a fault: the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sangkien import vntime
from sangkien.federation import sources, status
from sangkien.site.markup import a, e, external
from sangkien.site.parts import Page

if TYPE_CHECKING:
    from sangkien.novelty.outside import Outside

URL = "toan-quoc/"
GROUPS_URL = "toan-quoc/cung-mo-hinh/"
GROUP_AT = 0.7  # similarity of title and summary from which two initiatives are shown as one model
SCAN_LIMIT = 20000  # above this many initiatives, only LSH candidates (copies) are compared
NEAREST = 5


def enabled(extra: object) -> bool:
    return isinstance(extra, dict) and extra.get("national") is True


def source_url(source_id: str) -> str:
    return f"{URL}{source_id}/"


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

    def listing(row: status.SourceStatus) -> Page:
        here = source_url(row.source.id)
        items = sorted(by_source.get(row.source.id, []), key=lambda i: i.title)

        def draw() -> str:
            lis = "".join(f"<li>{external(i.url, e(i.title))}</li>" for i in items)
            home_link = external(row.source.home, e(row.source.home)) if row.source.home else ""
            return (f"<h1>{e(row.source.name)}</h1><p>{_status_cell(row)} {len(items)} sáng kiến. Trang gốc: {home_link}</p>"
                    f"<p>{a(_rel(here, home), 'Tất cả địa phương')}</p><ul class=\"sk-plain\">{lis}</ul>")

        return Page(here, row.source.name, f"Sáng kiến đã được công nhận của {row.source.name}.", draw)

    return [
        Page(home, "Toàn quốc", "Danh mục sáng kiến cải cách hành chính của các địa phương, tổng hợp từ dữ liệu mở.", overview),
        Page(GROUPS_URL, "Cùng mô hình ở nhiều địa phương", "Các sáng kiến gần như giống nhau được công nhận ở nhiều địa phương.",
             lambda: "<h1>Cùng mô hình ở nhiều địa phương</h1>" + "".join(_group_html(GROUPS_URL, g) for g in found)),
        *[listing(r) for r in rows],
    ]
