"""The theme's page chrome as a shell with slots, filled by string work.

Every generated page outside MkDocs' page loop (entries, units, campaigns, listing pages) is
drawn in the chrome of the theme. Pages of one shape (same folder, so the same relative links
and navigation; with or without an edit button, a table of contents, a description) differ only
in their title, description, content, table of contents, edit link and the last part of their
address. The plugin asks the theme to draw a probe page of a shape a few times, with markers
for these values; `learn` finds each marker in the result and which of the theme's filters was
applied to it (none, escaped, tags stripped, both), so that `Shell.fill` draws any page of the
shape exactly as the theme would, without a template pass.

No MkDocs here: `Render` is given by site/plugin_render.py. A shell that cannot be learned (a marker
drawn through a filter not known here, a table of contents that does not repeat) is None: the
plugin then draws that shape's pages through the theme's template, one by one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

# Appended to each marker in the second drawing, to tell the filters apart.
TRICK = "&amp;<i>x</i>  \"y\" 'z'"
SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_-]+\Z")


def token(name: str) -> str:
    """A marker: letters only, so every filter leaves it as it is."""
    return f"zqsk{name}q"


def _striptags(value: str) -> str:
    return str(Markup(value).striptags())


FILTERS: dict[str, Callable[[str], str]] = {
    "raw": lambda v: v,
    "e": lambda v: str(escape(v)),
    "striptags": _striptags,
    "striptags_e": lambda v: str(escape(_striptags(v))),
}


@dataclass
class Probe:
    """What the theme is asked to draw for one page (values or markers)."""

    title: str
    description: str
    content: str
    edit: str | None
    segment: str
    toc: list[tuple[str, str]] = field(default_factory=list)  # (anchor id, heading text)


Render = Callable[[Probe], str]


@dataclass
class Template:
    """Literal text between slots: parts[0] slot[0] parts[1] ... slot[n-1] parts[n]."""

    parts: list[str]
    slots: list[tuple[str, str]]  # (slot name, filter name)

    def fill(self, values: dict[str, str]) -> str:
        out = [self.parts[0]]
        for (name, how), literal in zip(self.slots, self.parts[1:], strict=True):
            out.append(FILTERS[how](values[name]))
            out.append(literal)
        return "".join(out)


def learn(plain: str, tricky: str, names: list[str], exact: set[str], after: dict[str, str] | None = None) -> Template | None:
    """The template of `plain` (drawn with token(name) for each slot) given `tricky` (drawn with
    token(name) + TRICK, or token(name) alone for the names in `exact`). `after`: text the probe
    put after a slot's marker in both drawings (part of the value, not of the chrome)."""
    after = after or {}
    markers = {token(n) + after.get(n, ""): n for n in names}
    pattern = re.compile("|".join(re.escape(t) for t in sorted(markers, key=len, reverse=True)))
    parts: list[str] = []
    slots: list[tuple[str, str]] = []
    last = 0
    for m in pattern.finditer(plain):
        parts.append(plain[last:m.start()])
        slots.append((markers[m.group(0)], ""))
        last = m.end()
    parts.append(plain[last:])
    # Walk the tricky drawing: after each literal, which filter's output of the tricky value is there.
    if not tricky.startswith(parts[0]):
        return None
    pos = len(parts[0])
    learned: list[tuple[str, str]] = []
    for (name, _), literal in zip(slots, parts[1:], strict=True):
        value = (token(name) if name in exact else token(name) + TRICK) + after.get(name, "")
        for how, fn in FILTERS.items():
            out = fn(value)
            if tricky.startswith(out, pos) and tricky.startswith(literal, pos + len(out)):
                learned.append((name, "raw" if name in exact else how))
                pos += len(out) + len(literal)
                break
        else:
            return None
    if pos != len(tricky):
        return None
    return Template(parts, learned)


def _split(one: str, two: str, marker: str) -> tuple[int, int] | None:
    """Where `two` (a drawing with one table-of-contents item more) inserts text into `one`:
    (index in one, length of the insert), the insert holding `marker`."""
    d = len(two) - len(one)
    if d <= 0:
        return None
    p = 0
    limit = len(one)
    while p < limit and one[p] == two[p]:
        p += 1
    for i in range(p, -1, -1):
        if two[i + d:] == one[i:]:
            return (i, d) if marker in two[i:i + d] else None
    return None


SCALARS = ["title", "description", "content", "edit", "segment"]
ITEM = ["tocid", "tocname"]


H1 = "<h1></h1>"  # themes draw the title as a heading unless the content has one (Material: "<h1" in page.content)


def _probe(kind: str, *, edit: bool, description: bool, items: str, h1: bool = False) -> Probe:
    def v(name: str) -> str:
        return token(name) + (TRICK if kind == "tricky" else "")

    return Probe(title=v("title"), description=v("description") if description else "", content=v("content") + (H1 if h1 else ""),
                 edit=v("edit") if edit else None, segment=token("segment"),
                 toc=[(v(f"tocid{k}"), v(f"tocname{k}")) for k in items])


@dataclass
class Shell:
    """One shape's page: `main` with the first heading's slots (tocida, tocnamea) and the slot
    «more» where the other headings go, each drawn by `item` (slots tocidb, tocnameb)."""

    main: Template
    item: Template | None

    def digest(self) -> str:
        """The shell as a key: pages filled into an equal shell with equal values are equal."""
        h = hashlib.blake2b(digest_size=16)
        for template in (self.main, self.item):
            h.update(json.dumps(None if template is None else [template.parts, template.slots]).encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def fill(self, title: str, description: str, content: str, edit: str | None, segment: str, toc: list[tuple[str, str]]) -> str:
        values = {"title": title, "description": description, "content": content, "edit": edit or "", "segment": segment}
        if self.item is None:
            return self.main.fill(values)
        values["tocida"], values["tocnamea"] = toc[0]
        more = []
        for anchor, name in toc[1:]:
            more.append(self.item.fill({**values, "tocidb": anchor, "tocnameb": name}))
        values["more"] = "".join(more)
        return self.main.fill(values)


def build(render: Render, *, edit: bool, description: bool, toc: bool, h1: bool = False) -> Shell | None:
    """The shell of one shape, checked against a drawing with three headings; None if it cannot be learned.
    `h1`: the pages' content has its own h1 heading."""
    names = [n for n in SCALARS if (n != "edit" or edit) and (n != "description" or description)]
    exact = {"segment", "more"}
    after = {"content": H1} if h1 else {}
    if not toc:
        plain = render(_probe("plain", edit=edit, description=description, items="", h1=h1))
        tricky = render(_probe("tricky", edit=edit, description=description, items="", h1=h1))
        main = learn(plain, tricky, names, exact, after)
        return Shell(main, None) if main is not None else None
    drawn = {(kind, items): render(_probe(kind, edit=edit, description=description, items=items, h1=h1))
             for kind in ("plain", "tricky") for items in ("a", "ab")}
    halves = {}
    for kind in ("plain", "tricky"):
        cut = _split(drawn[kind, "a"], drawn[kind, "ab"], token("tocidb"))
        if cut is None:
            return None
        i, d = cut
        one, two = drawn[kind, "a"], drawn[kind, "ab"]
        halves[kind] = (one[:i] + token("more") + one[i:], two[i:i + d])
    item_names = [*names, "tocida", "tocnamea", "tocidb", "tocnameb"]
    main = learn(halves["plain"][0], halves["tricky"][0], [*item_names, "more"], exact, after)
    item = learn(halves["plain"][1], halves["tricky"][1], item_names, exact, after)
    if main is None or item is None:
        return None
    shell = Shell(main, item)
    for kind in ("plain", "tricky"):  # three headings: the repeat holds
        probe = _probe(kind, edit=edit, description=description, items="abc", h1=h1)
        filled = shell.fill(probe.title, probe.description, probe.content, probe.edit, probe.segment, probe.toc)
        if filled != render(probe):
            return None
    return shell


def segment_of(url: str) -> str | None:
    """The last part of a page's address (`sang-kien/<id>/` -> <id>) if a shell can carry it."""
    seg = url.rstrip("/").rsplit("/", 1)[-1]
    return seg if SAFE_SEGMENT.match(seg) else None


def folder_of(url: str) -> str:
    """The folder of a page's address (`sang-kien/<id>/` -> `sang-kien/`): pages in one folder share their links."""
    stripped = url.rstrip("/")
    return stripped.rsplit("/", 1)[0] + "/" if "/" in stripped else ""
