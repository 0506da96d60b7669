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
    path = _relpath(to or ".", frm or ".")
    return path + "/" if (to == "" or to.endswith("/")) and path != "." else ("./" if path == "." else path)


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for two site-relative paths, without its os.getcwd() per call (a site
    of 10,000 entries asks this about a million times): both are made absolute against the same
    directory, which cancels out, unless one climbs above it with "..", left to posixpath."""
    a, b = posixpath.normpath(path), posixpath.normpath(start)
    if a.startswith(("/", "..")) or b.startswith(("/", "..")):
        return posixpath.relpath(path, start)
    target = [x for x in a.split("/") if x and x != "."]
    origin = [x for x in b.split("/") if x and x != "."]
    common = 0
    for x, y in zip(target, origin, strict=False):
        if x != y:
            break
        common += 1
    parts = [".."] * (len(origin) - common) + target[common:]
    return "/".join(parts) if parts else "."
