"""No English on any public page: every HTML page of a real `mkdocs build` is scanned, its visible
text and the attributes a reader sees or hears (title, aria-label, placeholder, alt, value of a
button), for the English phrases that MkDocs, Material or a careless template would put there."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import build_site, site_copy

# What MkDocs and Material for MkDocs write in English when a string is not translated (their
# templates and partials/languages/en.html), plus the 404 page, the footer credit and the
# usual words of a web page. Matched as whole words, with their capital (UI labels are written so;
# «(error)» explaining a YAML key or «mkdocs.yml» are not UI).
ENGLISH = [
    "Not found", "Page not found", "Made with", "Material for MkDocs", "MkDocs", "Powered by",
    "Search", "Type to start searching", "Initializing search", "No matching documents", "matching document",
    "Table of contents", "Previous", "Next", "Skip to content", "Back to top", "Copy to clipboard",
    "Copied to clipboard", "Edit this page", "View source of this page", "Go to repository", "Share",
    "Clear", "Navigation", "Header", "Footer", "Last update", "Created", "Contributors", "Authors",
    "Metadata", "Continue reading", "Archive", "Categories", "RSS feed", "Tabs", "Select language",
    "Select version", "Accept", "Reject", "Manage settings", "Don't show this again", "Cookie consent",
    "Read more", "Home", "Download", "Submit", "Loading", "Error", "Warning", "Note", "Tip", "Example",
    "Info", "Abstract", "Success", "Question", "Failure", "Danger", "Bug", "Quote", "Close", "Open", "Menu",
    "Toggle", "Dark mode", "Light mode", "Switch to", "minute read", "min read",
]
PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in sorted(ENGLISH, key=len, reverse=True)) + r")(?![\w-])")
SEEN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "label")


# Not read: what is not shown (script, style, template), code, and quotations of another
# product's interface: the guides name the Git host's buttons as they are, in bold or italics
# («bấm <strong>Propose changes</strong>»). Material writes none of its labels in these.
SKIPPED = ("script", "style", "template", "svg", "code", "pre", "kbd", "samp", "strong", "em", "q")


class Visible(HTMLParser):
    """The text of a page a reader sees or hears, outside SKIPPED elements, and the attributes
    above (a button's value too)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.hidden += 1
        for name, value in attrs:
            if value and (name in SEEN_ATTRIBUTES or (name == "value" and tag in ("button", "input", "option"))):
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = Visible()
    parser.feed(html)
    return " ".join(unescape(" ".join(parser.parts)).split())


def english_in(html: str) -> list[str]:
    return sorted({m.group(1) for m in PATTERN.finditer(visible_text(html))})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kho = site_copy(tmp_path_factory.mktemp("no-english") / "kho")
    done = build_site(kho)
    assert done.returncode == 0, done.stderr[-3000:]
    return kho / "site"


def test_the_scanner_finds_what_it_is_meant_to_find() -> None:
    assert english_in("<footer>Made with <a>Material for MkDocs</a></footer>") == ["Made with", "Material for MkDocs"]
    assert english_in('<h1>404 - Not found</h1><input placeholder="Search">') == ["Not found", "Search"]
    assert english_in('<a title="Back to top">↑</a><button aria-label="Copy to clipboard"></button>') == ["Back to top", "Copy to clipboard"]
    assert english_in("<script>var Search = 1</script><code>Next</code><p>Tìm kiếm tiếp, trang sau</p>") == []
    assert english_in("<p>bấm <strong>Propose changes</strong>, rồi <em>Close</em>; khóa (error) trong mkdocs.yml</p>") == []
    assert english_in('<div class="admonition note"><p class="admonition-title">Note</p></div>') == ["Note"]
    assert english_in("<p>Cải cách hành chính (PAR INDEX), SIPAS, chỉ số DTI</p>") == []


def test_no_english_on_any_built_page(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 40 and (site / "404.html") in pages
    found = [f"{page.relative_to(site)}: {', '.join(words)}" for page in pages
             if (words := english_in(page.read_text(encoding="utf-8")))]
    assert not found, "Chữ tiếng Anh trên trang công khai:\n" + "\n".join(found[:40])


def test_the_404_page_and_the_footer_are_vietnamese(site: Path) -> None:
    page = (site / "404.html").read_text(encoding="utf-8")
    assert "Không tìm thấy trang" in visible_text(page) and "Về trang chủ" in visible_text(page)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Made with" not in home and "squidfunk" not in home


def test_our_material_strings_cover_every_key_and_none_is_english() -> None:
    import material
    from sangkien.site import plugin

    ours = Path(plugin.__file__).parent / "theme/partials/languages/vi.html"
    theirs = Path(material.__file__).parent / "templates/partials/languages/en.html"
    pairs = re.compile(r'"([\w.]+)": "([^"]*)"')
    mine = dict(pairs.findall(ours.read_text(encoding="utf-8")))
    missing = [k for k in dict(pairs.findall(theirs.read_text(encoding="utf-8"))) if k not in mine and not k.startswith(("search.config", "direction"))]
    assert not missing, f"Material has strings our vi.html lacks (they would fall back to English): {missing}"
    english = {k: v for k, v in mine.items() if not k.startswith("search.config") and english_in(f"<p>{v}</p>")}
    assert not english, english
