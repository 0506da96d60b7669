"""Defence in depth: the validator refuses raw HTML and unsafe links, and the page generators
escape and neutralise them anyway (a file can reach a local build before the validator runs)."""

from __future__ import annotations

import copy
import re

from conftest import ROOT, SITE_NOW
from sangkien import vntime
from sangkien.model import Entry
from sangkien.site.context import load_site
from sangkien.site.entry_page import entry_html
from sangkien.site.markup import num, render_markdown

HOSTILE = """## Thực trạng

<script>alert(1)</script> <b onclick="x()">đậm</b>

[bấm](javascript:alert(1)) [dữ liệu](data:text/html;base64,PHNjcmlwdD4=) [được](https://dichvucong.gov.vn/)
![ảnh](https://tracker.example/pixel.png)

## Giải pháp

<iframe src="https://evil.example"></iframe>
"""


def test_body_html_is_escaped_and_links_are_restricted() -> None:
    out = render_markdown(HOSTILE)
    assert "<script" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<b " not in out and "<iframe" not in out
    assert "javascript:" not in out and "data:text/html" not in out
    assert '<a href="https://dichvucong.gov.vn/" rel="nofollow noopener">được</a>' in out
    assert "<img" not in out and "tracker.example/pixel.png" in out  # a link, never loaded


def test_entry_page_escapes_front_matter_and_body() -> None:
    site = load_site(ROOT, vntime.parse_instant(SITE_NOW))
    base = site.repo.entries["so-hoa-ho-so-mot-cua-xa"]
    data = copy.deepcopy(base.data)
    data.update(title='<img src=x onerror="alert(1)"> Số hóa', summary="Tóm tắt <script>x</script>",
                conditions="A & B <i>", attachments=[{"kind": "video", "title": "Xem", "url": "javascript:alert(1)"}])
    data["authors"][0]["name"] = "<svg onload=alert(1)>"
    entry = Entry("thu-nghiem", "entry", data, "entries/chau-thanh-2024/tn-ct-thanh-long/thu-nghiem.md", HOSTILE)
    site.repo.entries[entry.id] = entry
    html = entry_html(site, entry)
    for bad in ("<img", "<script", "<svg", "<iframe", "javascript:"):
        assert bad not in html, bad
    assert not re.search(r"<[a-z][^>]*\son\w+=", html)  # no real tag carries an event handler
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Số hóa" in html
    assert "A &amp; B &lt;i&gt;" in html


def test_vietnamese_numbers() -> None:
    assert [num(1234.5), num(0.5), num(1_000_000), num(98), num(2.0)] == ["1.234,5", "0,5", "1.000.000", "98", "2"]
