"""HTML helpers for the generated pages: escaping, Vietnamese numbers and dates, safe Markdown.

Everything that comes from an entry is escaped here (front matter) or rendered by a Markdown
parser with raw HTML switched off and links restricted to http(s)/mailto (body). Images become
links: loading a picture from another host would be a third-party request.
"""

from __future__ import annotations

import hashlib
import html
import re
import xml.etree.ElementTree as ET
from datetime import date
from typing import TYPE_CHECKING

import markdown
from markdown.treeprocessors import Treeprocessor

from sangkien.checks import mdcost

if TYPE_CHECKING:
    from sangkien.site.buildcache import Memo

SAFE_HREF = re.compile(r"^(?:https?://|mailto:|#)", re.I)


def e(value: object) -> str:
    """Escape text for HTML content and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def num(value: float | int) -> str:
    """Vietnamese number: '.' groups thousands, ',' marks decimals (1.234,5)."""
    if isinstance(value, bool):
        return str(value)
    fractional = isinstance(value, float) and not value.is_integer()
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if fractional else f"{int(value):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def a(href: str, text_html: str, cls: str = "", extra: str = "") -> str:
    """A link; `text_html` must already be escaped."""
    klass = f' class="{e(cls)}"' if cls else ""
    return f'<a href="{e(href)}"{klass}{extra}>{text_html}</a>'


def external(href: str, text_html: str) -> str:
    """A link leaving the site, only for http(s) and mailto targets; otherwise plain text."""
    if not isinstance(href, str) or not SAFE_HREF.match(href.strip()) or href.strip().startswith("#"):
        return text_html
    return f'<a href="{e(href.strip())}" rel="nofollow noopener">{text_html}</a>'


def chips(labels: list[str], cls: str = "sk-chip") -> str:
    return "".join(f'<span class="{cls}">{e(x)}</span>' for x in labels)


def paragraphs(text: object) -> str:
    """Plain front-matter text as paragraphs (blank lines split them)."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", str(text or "")) if p.strip()]
    return "".join(f"<p>{e(p)}</p>" for p in parts)


class _SafeLinks(Treeprocessor):
    """Drop links that are not http(s)/mailto/#; turn images into plain links."""

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for i, child in enumerate(list(parent)):
                if child.tag == "img":
                    src = child.get("src", "")
                    label = "Hình ảnh" + (f": {child.get('alt')}" if child.get("alt") else "")
                    repl = ET.Element("a" if SAFE_HREF.match(src) and not src.startswith("#") else "span")
                    if repl.tag == "a":
                        repl.set("href", src)
                        repl.set("rel", "nofollow noopener")
                    repl.text = label
                    repl.tail = child.tail
                    parent.remove(child)
                    parent.insert(i, repl)
                elif child.tag == "a":
                    href = (child.get("href") or "").strip()
                    if SAFE_HREF.match(href):
                        child.set("href", href)
                        if not href.startswith("#"):
                            child.set("rel", "nofollow noopener")
                    else:
                        child.attrib.pop("href", None)
                        child.attrib.pop("title", None)
                        child.tag = "span"


def _parser() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    # Raw HTML in the body comes out as text: no block HTML, no inline tags.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_SafeLinks(md), "sk_safe_links", 1)
    return md


_MD = _parser()


def _convert(text: str) -> str:
    """Python-Markdown's HTML, or the text as plain paragraphs when Markdown would be slow or
    would recurse too deep (checks/mdcost.py; the validator refuses such a body with SK520, so
    only a file that skipped validation gets here): a build must never hang on one entry."""
    if not mdcost.hazards(text):
        try:
            return _MD.reset().convert(text)
        except RecursionError:  # mdcost's nesting limit is far below this; never a traceback anyway
            pass
    return '<div class="sk-plain">' + paragraphs(text) + "</div>"


# Set by the site build (sangkien.site.buildcache.Memo): renderings kept between builds, keyed by
# a digest of the text and options (the memo's key covers the code). None: render every time.
MEMO: Memo | None = None


def render_markdown(text: str, shift: int = 0) -> str:
    """Entry body Markdown -> safe HTML. `shift` demotes headings (## -> ### with shift=1)."""
    memo = MEMO
    if memo is not None:
        key = hashlib.blake2b(f"{shift}\0{text or ''}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
        known = memo.get(key)
        if known is not None:
            return known
    out = _convert(text or "")
    if shift:
        out = re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", out)
    if memo is not None:
        memo.put(key, out)
    return out
