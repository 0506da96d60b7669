"""The site's URL layout (site-relative, directory style) and relative links between pages.

Every link in a generated page is relative, so the site works under any base path (GitHub
Pages project sites live under /<repository>/). MkDocs does not check links inside raw HTML, so
the tests walk the built site instead.
"""

from __future__ import annotations

import posixpath

HOME = ""
CATALOGUE = "sang-kien/"
CAMPAIGNS = "dot/"
UNITS = "don-vi/"
STATS = "thong-ke/"
GUIDE_SUBMIT = "huong-dan/nop-bai/"
FIELDS = "huong-dan/cac-truong/"
CODES = "huong-dan/ma-loi/"
SEARCH = "tim-kiem/"
DATA = "du-lieu/"
FORM = "nop-sang-kien/"
CSS = "assets/sangkien/site.css"
CATALOGUE_JS = "assets/sangkien/catalogue.js"


def entry(entry_id: str) -> str:
    return f"{CATALOGUE}{entry_id}/"


def campaign(campaign_id: str) -> str:
    return f"{CAMPAIGNS}{campaign_id}/"


def unit(unit_id: str) -> str:
    return f"{UNITS}{unit_id}/"


def src_uri(url: str) -> str:
    """The virtual Markdown file that MkDocs turns into `url` (use_directory_urls)."""
    return f"{url}index.md"


def rel(frm: str, to: str) -> str:
    """Shortest relative link from the page at `frm` to `to`; both site-relative, pages end with '/'."""
    path = posixpath.relpath(to or ".", frm or ".")
    return path + "/" if (to == "" or to.endswith("/")) and path != "." else ("./" if path == "." else path)
