"""Bar charts drawn at build time as inline SVG: no chart library, no script.

Each chart is a table (readable by screen readers and without CSS) whose middle column holds a
one-bar SVG scaled to the largest count; labels stay HTML text so they wrap on a narrow phone.
"""

from __future__ import annotations

from sangkien.site.markup import e, num


def bar_chart(title: str, rows: list[tuple[str, int]], anchor: str, note: str = "") -> str:
    """`rows` are (label HTML, count); the label must already be escaped."""
    if not rows:
        return (f'<figure class="sk-chart" id="{e(anchor)}"><figcaption>{e(title)}</figcaption>'
                '<p class="sk-muted">Chưa có số liệu.</p></figure>')
    top = max(count for _, count in rows) or 1
    body = []
    for label, count in rows:
        width = round(count / top * 100, 2)
        bar = (f'<svg class="sk-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
               f'<rect x="0" y="0" width="{width}" height="10" rx="1"></rect></svg>')
        body.append(f'<tr><th scope="row">{label}</th><td class="sk-chart__bar">{bar}</td><td class="sk-chart__n">{num(count)}</td></tr>')
    caption = e(title) + (f'<br><span class="sk-muted">{e(note)}</span>' if note else "")
    return (f'<figure class="sk-chart" id="{e(anchor)}"><table class="sk-chart__table"><caption>{caption}</caption>'
            f'<thead><tr><th scope="col">Nhóm</th><th scope="col"><span class="sk-sr">Biểu đồ</span></th><th scope="col">Số</th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></figure>')
