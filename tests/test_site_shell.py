"""site/shell.py: the theme's chrome learned from a few drawings gives, filled by string work,
exactly what the template draws for any page of the shape; a shape it cannot learn is None."""

from __future__ import annotations

import jinja2
import pytest
from sangkien.site import shell

CHROME = """<!doctype html><html><head>
{% if page.description %}<meta name="description" content="{{ page.description }}">{% else %}<meta name="description" content="Kho">{% endif %}
<title>{{ page.title | striptags }} - Kho</title><link rel="canonical" href="https://x.gov.vn/sang-kien/{{ page.segment }}/"></head>
<body><header>{{ page.title }}</header><nav aria-label="{{ page.title | striptags | e }}">
{% if page.toc %}<ul>
{% for id, name in page.toc %}  <li><a href="#{{ id }}">{{ name }}</a></li>
{% endfor %}</ul>{% endif %}</nav>
{% if page.edit %}<a href="{{ page.edit }}" title="Chỉnh sửa">sửa</a>{% endif %}
<article>{% if not "<h1" in page.content %}<h1>{{ page.title }}</h1>{% endif %}{{ page.content }}</article></body></html>
"""


def _render(template: str):
    env = jinja2.Environment(autoescape=False)
    compiled = env.from_string(template)
    return lambda probe: compiled.render(page=probe)


PAGES = [
    shell.Probe("Số hóa hồ sơ &amp; trả kết quả", "Quét &amp; gắn mã <b>ngay</b>", "<h1>A</h1><p>x &lt; y</p>",
                "https://github.com/o/k/edit/main/entries/a b.md", "so-hoa", [("muc-1", "Bối cảnh"), ("ket-qua", "Kết quả &amp; hiệu quả"),
                                                                            ("lien-he", "Liên hệ"), ("them", "Thêm")]),
    shell.Probe("Một tiêu đề", "", "<p>ngắn</p>", None, "mot-tieu-de", [("a", "A")]),
    shell.Probe("Có h1 riêng", "", "<h1>Có h1 riêng</h1><p>ngắn</p>", None, "co-h1", [("a", "A"), ("b", "B")]),
    shell.Probe("Không mục lục", "Mô tả", "<p>z</p>", "https://e/x.md", "khong", []),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.segment)
def test_a_filled_shell_is_what_the_template_draws(page: shell.Probe) -> None:
    render = _render(CHROME)
    built = shell.build(render, edit=page.edit is not None, description=bool(page.description), toc=bool(page.toc), h1="<h1" in page.content)
    assert built is not None
    filled = built.fill(page.title, page.description, page.content, page.edit, page.segment, page.toc)
    assert filled == render(page)
    assert "zqsk" not in filled
    assert filled.count("<h1>") == 1


def test_a_shell_learned_without_the_pages_own_heading_draws_a_second_one() -> None:
    # Why the shape knows whether the content has its own h1: the theme adds one otherwise.
    render = _render(CHROME)
    page = PAGES[2]
    wrong = shell.build(render, edit=False, description=False, toc=True, h1=False)
    assert wrong is not None
    assert wrong.fill(page.title, page.description, page.content, page.edit, page.segment, page.toc) != render(page)


def test_a_shape_drawn_through_an_unknown_filter_is_not_learned() -> None:
    # upper is none of the filters the shell knows: the pages of this shape are drawn one by one.
    render = _render(CHROME.replace("<header>{{ page.title }}</header>", "<header>{{ page.title | upper }}</header>"))
    assert shell.build(render, edit=True, description=True, toc=True) is None


def test_a_table_of_contents_that_does_not_repeat_is_not_learned() -> None:
    # The second heading is drawn differently from the others: no repeating unit.
    odd = CHROME.replace('<li><a href="#{{ id }}">{{ name }}</a></li>', '<li{% if loop.index == 2 %} class="b"{% endif %}><a href="#{{ id }}">{{ name }}</a></li>')
    assert shell.build(_render(odd), edit=False, description=True, toc=True) is None


def test_addresses() -> None:
    assert shell.folder_of("sang-kien/so-hoa/") == "sang-kien/" and shell.segment_of("sang-kien/so-hoa/") == "so-hoa"
    assert shell.folder_of("lien-thong/") == "" and shell.segment_of("lien-thong/") == "lien-thong"
    assert shell.segment_of("sang-kien/số-hóa/") is None  # not carried by a shell: drawn through the template


def test_a_rebuild_writes_only_the_pages_that_changed(tmp_path) -> None:
    """Pages outside MkDocs' loop whose content did not change keep their file from the last
    build (moved back, not written); the changed entry's page is written; nothing is left hidden."""
    from conftest import build_site, site_copy

    kho = site_copy(tmp_path / "kho")
    assert build_site(kho).returncode == 0
    site = kho / "site"
    pages = [p for p in site.glob("sang-kien/*/index.html") if p.parent.name != "trang"]
    before = {p: p.stat().st_mtime_ns for p in pages}
    entry = kho / "entries" / "chau-thanh-2024" / "tn-ct-thanh-long" / "so-hoa-ho-so-mot-cua-xa.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("title: Số hóa hồ sơ", "title: Số hóa toàn bộ hồ sơ", 1), encoding="utf-8")
    done = build_site(kho)
    assert done.returncode == 0, done.stderr
    changed = site / "sang-kien" / "so-hoa-ho-so-mot-cua-xa" / "index.html"
    assert "Số hóa toàn bộ hồ sơ" in changed.read_text(encoding="utf-8")
    assert changed.stat().st_mtime_ns != before[changed]
    kept = [p for p in pages if p != changed and p.stat().st_mtime_ns == before[p]]
    assert len(kept) == len(pages) - 1
    assert not [p.name for p in site.iterdir() if p.name.startswith(".")]
