"""Injection forced into the built site: shown as text, never run.

A recognised initiative of a copy of the repository is rewritten with hostile content (script
and iframe tags, event handlers, javascript: and data: links plain, in mixed case, entity- and
backslash-obfuscated, reference-style, autolinks, image and title tricks) in its title, summary,
authors, fields, results, keywords, attachments and body. First the validator must name them
(SK511/SK512). Then the site is built with the validator bypassed on purpose: the real `mkdocs
build` runs with the plugin's loader wrapped so that no file is left out and every hostile value
is put back into the model even where the schema would have pruned it (also the unit's name and
the campaign's title). Headless Chromium opens every page that shows the entry, with a listener
that fails on any dialog, console error or page error, and the DOM is checked for any element,
attribute, link or script that came from the entry.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from conftest import SITE_NOW, needs_chromium, run_sangkien, serving, site_copy
from sangkien.reader import read_markdown
from sangkien.validator import load

MARK = "sk-xss"  # every payload carries it: no script, handler or link in the built site may contain it

pytestmark = needs_chromium


def js(n: str) -> str:
    return f"alert('{MARK}-{n}')"


TITLE = f"<img src=x onerror={js('t1')}><script>{js('t2')}</script> Sáng kiến có mã độc trong tiêu đề"
FIELDS = {
    "title": TITLE,
    "summary": f"<svg onload={js('s1')}> Xem javascript:{js('s2')} và <iframe src=\"javascript:{js('s3')}\"></iframe>",
    "field": f"<iframe src=\"javascript:{js('f1')}\"></iframe>Cải cách thủ tục",
    "conditions": f"<img src=x onerror=\"{js('c1')}\"> Có máy tính; =HYPERLINK(\"https://evil.example\",\"bấm\")",
    "benefits_author": f"\"><script>{js('b1')}</script>",
    "benefits_appliers": f"<a href=\"javascript:{js('b2')}\">bấm</a>",
    "keywords": [f"<script>{js('k1')}</script>", "một cửa"],
}
AUTHOR = {"name": f"<b onmouseover={js('a1')}>Trần Văn Bình</b><script>{js('a2')}</script>",
          "position": f"\"><img src=x onerror={js('a3')}>", "workplace": f"<iframe srcdoc=\"<script>{js('a4')}</script>\"></iframe>"}
RESULT = {"indicator": f"<script>{js('r1')}</script>Thời gian chờ", "unit": f"\"><img src=x onerror={js('r2')}>"}
# The schema refuses these (not https, a path), so they only reach the site through the overlay.
ATTACHMENTS = [{"kind": "video", "title": f"<script>{js('u1')}</script>Video", "url": f"javascript:{js('u2')}"},
               {"kind": "tai-lieu", "title": "Tài liệu", "file": f"\"><img src=x onerror={js('u3')}>"},
               {"kind": "hinh-anh", "title": "Ảnh", "url": f"data:text/html,<script>{js('u4')}</script>"}]
BODY = [
    f"<script>{js('m1')}</script>",
    f"<img src=x onerror=\"{js('m2')}\">",
    f"<iframe src=\"javascript:{js('m3')}\"></iframe>",
    f"<svg/onload={js('m4')}>",
    f"<details open ontoggle={js('m5')}>mở</details>",
    f"<a href=\"javascript:{js('m6')}\">bấm vào</a>",
    f"[liên kết](javascript:{js('m7')})",
    f"[liên kết hoa](JaVaScRiPt:{js('m8')})",
    f"[mã ký tự](jav&#x61;script:{js('m9')})",
    f"[dấu hai chấm](javascript&colon;{js('m10')})",
    f"[gạch chéo](java\\script:{js('m11')})",
    "[tham chiếu][ref]",
    f"<javascript:{js('m12')}>",
    "[dữ liệu](data:text/html;base64,PHNjcmlwdD5hbGVydCgnc2steHNzLW0xMycpPC9zY3JpcHQ+)",
    f"![ảnh svg](data:image/svg+xml,<svg onload={js('m14')}>)",
    f"<style>body{{display:none}}</style><!-- {MARK}-m15 -->",
    f"`<script>{js('m16')}</script>`",
    f"<math><mtext></p><script>{js('m17')}</script></mtext></math>",
    f"<form action=\"javascript:{js('m18')}\"><button>gửi</button></form>",
    f"<object data=\"javascript:{js('m19')}\"></object><embed src=\"javascript:{js('m20')}\">",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{js('m21')}\"><base href=\"javascript:{js('m22')}//\">",
    f"[vb](vbscript:msgbox('{MARK}-m23')) [cách](  javascript:{js('m24')})",
]
# Neutralised by the renderer without being HTML or an unsafe scheme: the validator does not name them.
HARMLESS = [
    f"![ảnh](x\" onerror=\"{js('h1')})",
    f"[tiêu đề](https://example.gov.vn \"a\\\" onmouseover=\\\"{js('h2')}\")",
    f"&lt;script&gt;{js('h3')}&lt;/script&gt; viết bằng mã ký tự",
    f"`<script>{js('m16')}</script>`",  # inline code: shown as code, so not named (issue 13); the build below checks it
]
FENCED = ["```html", f"<script>{js('h4')}</script>", "```"]
REFERENCE = f"[ref]: javascript:{js('m25')}"


def hostile_body() -> str:
    return "\n\n".join(["## Thực trạng", *BODY, *HARMLESS, "\n".join(FENCED), "## Giải pháp", "Nội dung.", REFERENCE]) + "\n"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict:
    """A copy of the repository whose first recognised initiative is rewritten with the payloads."""
    kho = site_copy(tmp_path_factory.mktemp("injection") / "kho")
    repo = load(kho).repo
    target = sorted((e for e in repo.entries.values() if e.kind == "entry" and repo.recognition(e.id) is not None), key=lambda e: e.id)[0]
    doc = read_markdown((kho / target.path).read_bytes(), target.path)
    data = dict(doc.data)
    data.update(FIELDS)
    data["authors"] = [{**data["authors"][0], **AUTHOR}, *data["authors"][1:]]
    data["results"] = [{**(data.get("results") or [{"baseline": 1, "result": 2, "better": "cao-hon"}])[0], **RESULT}]
    body = hostile_body()
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000) + "---\n" + body
    (kho / target.path).write_text(text, encoding="utf-8")
    overlay = {
        "entry": target.id,
        "fields": {**data, "attachments": ATTACHMENTS},
        "body": body,
        "unit": [target.unit, {"name": f"<script>{js('n1')}</script>UBND thử"}],
        "campaign": [target.campaign, {"title": f"<img src=x onerror={js('n2')}>Đợt thử"}],
    }
    (kho.parent / "overlay.json").write_text(json.dumps(overlay, ensure_ascii=False), encoding="utf-8")
    return {"kho": kho, "entry": target, "overlay": kho.parent / "overlay.json", "text": text}


# ----------------------------------------------------------------- the validator names each
def test_the_validator_names_every_payload(hostile: dict) -> None:
    kho, entry = hostile["kho"], hostile["entry"]
    done = run_sangkien("validate", entry.path, "--format", "json", cwd=kho)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    problems = [p for p in json.loads(done.stdout)["problems"] if p["file"] == entry.path]
    by_line: dict[int, set[str]] = {}
    for p in problems:
        by_line.setdefault(p["line"], set()).add(p["code"])
    lines = hostile["text"].split("\n")
    unnamed = []
    for number, line in enumerate(lines, start=1):
        named = by_line.get(number, set()) & {"SK511", "SK512"}
        payload = MARK in line or "PHNjcmlwdD" in line
        harmless = any(h in line for h in HARMLESS) or line in FENCED
        if payload and not harmless and not named:
            unnamed.append(f"{number}: {line}")
        if line in FENCED[1:2]:
            assert not named, f"inside a fenced code block, line {number} is shown as code: {by_line.get(number)}"
    assert not unnamed, "\n".join(unnamed)


# ----------------------------------------------------------------- the site, validator bypassed
FORCED_BUILD = r"""
import json, os, sys
import sangkien.site.plugin as plugin
from sangkien import validator
from sangkien.site.context import Site

original = plugin.load_site


def load_everything(root, now, source=None, recorded=True):
    # Test only: the normal loader leaves out files with errors; here nothing is left out, and
    # the hostile values go back into the model even where the schema pruned them.
    site = original(root, now, source, recorded)
    repo = validator.load(root).repo
    overlay = json.loads(open(os.environ["SK_OVERLAY"], encoding="utf-8").read())
    entry = repo.entries[overlay["entry"]]
    entry.data.update(overlay["fields"])
    entry.body = overlay["body"]
    unit_id, unit_fields = overlay["unit"]
    repo.units[unit_id].data.update(unit_fields)
    camp_id, camp_fields = overlay["campaign"]
    repo.campaigns[camp_id].data.update(camp_fields)
    return Site(repo, site.root, site.now, site.labels, site.source)


plugin.load_site = load_everything
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "-d", os.environ["SK_SITE"]]
cli()
"""


@pytest.fixture(scope="module")
def site(hostile: dict) -> Path:
    kho = hostile["kho"]
    out = kho / "site"
    env = {**os.environ, "SANGKIEN_NOW": SITE_NOW, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8",
           "SK_OVERLAY": str(hostile["overlay"]), "SK_SITE": str(out)}
    done = subprocess.run([sys.executable, "-c", FORCED_BUILD], cwd=kho, env=env, capture_output=True, text=True, check=False, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    page = out / "sang-kien" / hostile["entry"].id / "index.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    forced = [f"{MARK}-{n}" for n in ("t1", "m1", "u1", "u3", "n1", "n2", "a1", "r1")]  # u1, u3: attachments the schema refuses
    assert all(m in html for m in forced), [m for m in forced if m not in html]
    return out


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of every <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[str, str]] = []  # (type, text)
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        self._script = attributes.get("type", "") if tag == "script" else None

    def handle_endtag(self, tag: str) -> None:
        self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))


UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.I)


def test_built_html_holds_no_markup_from_the_entry(site: Path, hostile: dict) -> None:
    """Static check of every built page: the payloads are only ever text."""
    checked = 0
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if MARK not in text:
            continue
        checked += 1
        parser = Elements()
        parser.feed(text)
        rel = path.relative_to(site).as_posix()
        for kind, script in parser.scripts:
            if MARK not in script:
                continue
            # Only a data block may carry entry text (the form's unit list): valid JSON that
            # cannot close its <script> element early.
            assert kind == "application/json", (rel, script[:200])
            json.loads(script)
            assert "</script" not in script.lower() and "<!--" not in script, (rel, "JSON data closes its script element")
        for tag, attrs in parser.tags:
            for name, value in attrs.items():
                assert not (name.startswith("on") and MARK in value), (rel, tag, name, value)
                if name in ("href", "src", "action", "data", "formaction", "srcdoc", "content"):
                    assert not (UNSAFE_URL.match(value) or MARK in value and name == "srcdoc"), (rel, tag, name, value)
            assert not (tag in ("iframe", "object", "embed", "form", "base", "svg", "math", "details") and MARK in str(attrs)), (rel, tag)
            assert not (tag == "meta" and "http-equiv" in attrs and MARK in attrs.get("content", "")), (rel, attrs)
    assert checked >= 4  # entry, catalogue, unit, campaign pages at least


def test_open_data_keeps_payloads_as_inert_data(site: Path) -> None:
    feed = site / "du-lieu" / "moi-cong-nhan.xml"
    if feed.exists():
        ET.fromstring(feed.read_bytes())  # still well-formed XML
    table = site / "du-lieu" / "sang-kien.csv"
    if table.exists():
        rows = list(csv.reader(io.StringIO(table.read_bytes().decode("utf-8-sig"))))
        cells = [c for row in rows for c in row]
        assert any(MARK in c for c in cells)
        assert not [c for c in cells if c[:1] in ("=", "+", "@")], "a cell a spreadsheet would run as a formula"


# ----------------------------------------------------------------- Chromium

@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url



DOM_CHECK = """(mark) => {
  const bad = [];
  for (const s of document.querySelectorAll('script')) {
    if (s.type === 'application/json') continue;  // a data block is never run (checked statically too)
    if ((s.textContent || '').includes(mark) || (s.src || '').includes(mark)) bad.push('script: ' + s.outerHTML.slice(0, 120));
  }
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value || '';
      if (a.name.startsWith('on') && v.includes(mark)) bad.push('handler: ' + el.tagName + ' ' + a.name);
      if (['href', 'src', 'action', 'data', 'formaction'].includes(a.name) && /^\\s*(javascript|vbscript|data):/i.test(v))
        bad.push('url: ' + el.tagName + ' ' + a.name + '=' + v.slice(0, 80));
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'BASE'].includes(el.tagName) && el.outerHTML.includes(mark)) bad.push('element: ' + el.tagName);
  }
  if (window.__skxss) bad.push('payload ran');
  return bad;
}"""


def visit(browser, url: str, wait_text: str | None = None) -> tuple[list[str], str]:
    """Open a page and report every dialog, console error and page error, and what the DOM check finds."""
    context = browser.new_context()
    page = context.new_page()
    events: list[str] = []

    def on_dialog(dialog) -> None:
        events.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda err: events.append(f"pageerror: {err}"))
    page.on("console", lambda msg: events.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.add_init_script("window.alert = new Proxy(window.alert, {apply(t, s, a) { window.__skxss = a[0]; return Reflect.apply(t, s, a); }});")
    try:
        page.goto(url, wait_until="load")
        if wait_text:
            page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=wait_text, timeout=15000)
        page.mouse.move(200, 300)  # hover handlers would fire here
        page.wait_for_timeout(300)
        events += page.evaluate(DOM_CHECK, MARK)
        text = page.evaluate("document.body.innerText")
    finally:
        context.close()
    return events, text


def test_entry_page_shows_payloads_as_text_and_runs_none(browser, base_url: str, hostile: dict) -> None:
    entry = hostile["entry"]
    events, text = visit(browser, f"{base_url}sang-kien/{entry.id}/")
    assert not events, events
    for shown in (f"<script>{js('m1')}</script>", f"<img src=x onerror={js('t1')}>", f"<script>{js('a2')}</script>",
                  f"<iframe src=\"javascript:{js('m3')}\"></iframe>", f"<script>{js('r1')}</script>", f"<script>{js('n1')}</script>UBND thử"):
        assert shown in text, shown


@pytest.mark.parametrize("where", ["home", "catalogue", "campaign", "unit", "units", "stats", "search", "data", "form"])
def test_pages_listing_the_entry_run_nothing(browser, base_url: str, hostile: dict, where: str) -> None:
    entry = hostile["entry"]
    url, wait = {
        "home": ("", None),
        "catalogue": ("sang-kien/", f"{MARK}-t1"),
        "campaign": (f"dot/{entry.campaign}/", f"{MARK}-t1"),
        "unit": (f"don-vi/{entry.unit}/", f"{MARK}-t1"),
        "stats": ("thong-ke/", None),
        "search": ("tim-kiem/?q=" + quote("mã độc trong tiêu đề"), f"{MARK}-t1"),
        "data": ("du-lieu/", None),
        "units": ("don-vi/", f"{MARK}-n1"),
        "form": ("nop-sang-kien/", None),
    }[where]
    events, _ = visit(browser, base_url + url, wait)
    assert not events, events
