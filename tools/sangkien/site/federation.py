"""The federation status page (lien-thong/): each harvested catalogue, fresh, stale or failing,
with a link back to its site. No page when the repository lists no source.

It reads what `sangkien harvest` left in federation/ (the snapshots' provenance and the failure
log); building the site never fetches anything.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sangkien import layout, vntime
from sangkien.federation import sources, status
from sangkien.site.markup import e, external
from sangkien.site.parts import Page

URL = "lien-thong/"
_BADGE = {status.FRESH: "cong-nhan", status.STALE: "warning", status.FAILING: "error", status.NEVER: "warning"}


def _row(row: status.SourceStatus) -> str:
    s = row.source
    name = external(s.home, e(s.name)) if s.home else e(s.name)
    label = status.LABELS[status.STALE] if row.state == status.FRESH and row.stale else status.LABELS[row.state]
    badge = f'<span class="sk-badge sk-badge--{_BADGE[row.state]} sk-fed-state" data-state="{e(row.state)}">{e(label)}</span>'
    count = str(row.meta.count) if row.meta is not None else "—"
    confirmed = row.confirmed
    when = e(vntime.show(confirmed)) if confirmed is not None else "chưa có"
    stale = (f' <span class="sk-badge sk-badge--warning sk-fed-stale">Đã cũ {row.age_days} ngày</span>'
             if row.stale and row.age_days is not None else "")
    problem = ""
    if row.state == status.FAILING and row.failing_since is not None:
        problem = f'<br><span class="sk-muted">Lỗi từ {e(vntime.show(row.failing_since))} (mã {e(row.code)}): {e(row.reason)}</span>'
    return (f'<tr id="nguon-{e(s.id)}"><td>{name}<br><code>{e(s.id)}</code></td><td>{badge}{stale}{problem}</td>'
            f"<td>{count}</td><td>{when}</td></tr>")


def federation_html(root: Path, at: datetime) -> str:
    fed = sources.load(root)
    rows = status.of(root, fed, at)
    body = "".join(_row(r) for r in rows)
    return ("<h1>Liên thông danh mục</h1>"
            "<p>Các danh mục sáng kiến của địa phương, cơ quan khác mà kho này tải về (lệnh <code>sangkien harvest</code>) để kiểm tra "
            "tính mới của bài nộp so với các mô hình đã công bố ngoài tỉnh. Bản sao được lưu trong thư mục "
            f"<code>{layout.FEDERATION_DIR}/</code> của kho, kèm nguồn, thời điểm tải và mã băm. Bản sao tải về thành công lần cuối "
            f"quá {fed.stale_after_days} ngày được ghi là «Đã cũ»; nguồn đang lỗi vẫn được so sánh bằng bản sao tốt lần trước.</p>"
            f"<p class=\"sk-muted\">Tình trạng tính đến {e(vntime.show(at))}.</p>"
            '<table class="sk-fed"><thead><tr><th>Nguồn</th><th>Tình trạng</th><th>Số sáng kiến</th><th>Cập nhật lần cuối</th></tr></thead>'
            f"<tbody>{body}</tbody></table>")


def pages(root: Path, at: datetime) -> list[Page]:
    """The status page, or nothing when entries/federation.yaml lists no source (or has errors: validate says which)."""
    fed = sources.load(root)
    if not fed.present or fed.problems or not fed.sources:
        return []
    return [Page(URL, "Liên thông danh mục", "Tình trạng các danh mục sáng kiến của địa phương khác được tải về để kiểm tra tính mới.",
                 lambda: federation_html(root, at), layout.FEDERATION_FILE)]
