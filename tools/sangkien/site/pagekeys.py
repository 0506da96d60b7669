"""A key for each generated page, from exactly what the page shows, computed without drawing it.

A page whose key (and theme chrome, checked by site/offloop.py) is the same as at the last build
is neither drawn nor written: its file from the last build is reused. So a key must change
whenever a byte of the page could: it holds the code version, the labels (from the schemas), the
Git host, and the rows the page shows (the entry: its file's content hash as the loader read it,
or its data and body; its decision rows, the names of the units and campaigns it links to, its
replications, the unit it sends readers to). Pages that show the build
time, or rows from everywhere (home, statistics, campaign pages, the first catalogue page with
its filters), get no key and are drawn every build. `tests/test_site_pagekeys.py` changes one
thing at a time and compares every file with a build from scratch.

In `mkdocs serve` (`keep(True)`) a page's key is remembered with its signature: the page's rows
that come from entry files (the files' paths and content hashes: the entry, its replications, the
unit's entries, a catalogue page's cards) and one digest of everything else the keys read (the
base, the build's day, every other file's hash, the files left out, which file holds each id). An
equal signature gives the key computed last time without computing it again; anything else is
computed. `tests/test_serve_pagekeys.py` changes one thing at a time between serve rebuilds and
compares every file with a fresh build.

No MkDocs here (only the plugin's modules, site/plugin*.py, import it).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sangkien import cache, vntime
from sangkien.model import Entry, Recognition, Unit
from sangkien.site.context import Site, status
from sangkien.site.parts import contact_of

if TYPE_CHECKING:
    from sangkien.site.catalogue import Listing

_KEEP = False
_MEMO: dict[tuple[str, str], tuple[object, str]] = {}  # (page kind, id) -> (signature, key)
_SHARED: list[tuple[Site, str]] = []  # the last site and the digest of what its pages share


def keep(on: bool) -> None:
    """Remember keys by signature between the builds of this process (`mkdocs serve`)."""
    global _KEEP
    if on != _KEEP:  # told again (a server's every build): what is remembered stays
        _KEEP = on
        _MEMO.clear()
        _SHARED.clear()


def keeping() -> bool:
    """Whether keys (and what else is remembered by signature) are kept between builds."""
    return _KEEP


def new_build() -> None:
    """A build starts: what its pages share is computed again (never taken from the last site's)."""
    _SHARED.clear()

# Libraries whose output is part of a page: the Markdown renderer and the HTML escaping.
LIBRARIES = ("Markdown", "MarkupSafe")


def digest(*parts: object) -> str:
    """The parts' Python representation, hashed: the model holds plain values (str, numbers, None,
    dates, lists, dicts in file order), whose repr is exact and several times faster than JSON.
    Anything else shows its address, which only ever makes a key new (the page is drawn)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def text_key(text: str) -> str:
    """A long text (an entry's body) as a key: hashed as it is, not through repr's escaping."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


class Keys:
    """The keys of one build's pages (the parts every page shares computed once)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._base: str | None = None

    @property
    def base(self) -> str:
        if self._base is None:
            s = self.site
            source = [s.source.host, s.source.repository, s.source.branch, s.source.forge]
            self._base = digest(cache.code_key(), [_version(n) for n in LIBRARIES], s.labels.digest(), source)
        return self._base

    # ---- signatures (keep): what a key is computed from, cheaply
    def shared(self) -> str:
        """Everything the keys read but the entry and replication files: the base, the build's day,
        every other file's content hash, the files left out, and which file holds each id."""
        if _SHARED and _SHARED[0][0] is self.site:
            return _SHARED[0][1]
        s = self.site
        repo = s.repo
        own = {x.path for x in repo.entries.values()} | {r.path for r in repo.replications.values()}
        others = sorted((path, h) for path, h in s.hashes.items() if path not in own)
        value = digest(self.base, vntime.local_date(s.now), others, sorted(s.skipped),
                       [(k, x.path) for k, x in repo.entries.items()], [(k, r.path) for k, r in repo.replications.items()])
        _SHARED[:] = [(s, value)]
        return value

    def content_hash(self, path: str) -> str:
        found = self.site.hashes.get(path)
        if not found:
            raise LookupError(path)  # no content hash: the key is computed
        return found

    def remembered(self, kind: str, ident: str, signature: Callable[[], object], compute: Callable[[], str]) -> str:
        """`compute()`, or what it gave last time for the same (kind, ident) and an equal
        signature (with `shared`): the signature must hold every entry-file input of what
        `compute` reads (content_hash of each such file). Without keep, always `compute()`."""
        if not _KEEP:
            return compute()
        try:
            sig = (self.shared(), signature())
        except LookupError:
            return compute()
        found = _MEMO.get((kind, ident))
        if found is not None and found[0] == sig:
            return found[1]
        key = compute()
        _MEMO[(kind, ident)] = (sig, key)
        return key

    # ---- rows as a page shows them
    def unit_link(self, unit_id: str | None) -> list[Any]:
        """A link to a unit: whether it exists, its name."""
        return [unit_id, unit_id in self.site.repo.units if unit_id else False, self.site.unit_name(unit_id)]

    def campaign_link(self, campaign_id: str | None) -> list[Any]:
        return [campaign_id, campaign_id in self.site.repo.campaigns if campaign_id else False, self.site.campaign_title(campaign_id)]

    def contact(self, unit_id: str | None) -> list[Any]:
        unit, note = contact_of(self.site, unit_id)
        return [note, None if unit is None else [unit.id, unit.name, unit.contact]]

    def campaign_tiers(self, campaign_id: str | None) -> list[Any]:
        camp = self.site.repo.campaigns.get(campaign_id or "")
        return [self.campaign_link(campaign_id), camp.rubric.get("tiers") if camp else None]

    @staticmethod
    def decision(rec: Recognition, line: dict[str, Any]) -> list[Any]:
        """A decision row as pages show it: number, day, level, issuer, revocation, the entry's line."""
        return [rec.number, rec.day, rec.level, rec.data.get("issuer"), rec.revoked, line]

    def status(self, entry: Entry) -> list[str]:
        st = status(self.site, entry)
        return [st.code, st.label, st.detail]

    def file(self, doc: Entry) -> list[Any]:
        """An entry's own data and body: the content hash of its file when the loader has one (no
        need to read the body), else the data and the body themselves."""
        content = self.site.hashes.get(doc.path)
        return [doc.path, content] if content else [doc.path, doc.data, text_key(doc.body)]

    # ---- pages
    def entry(self, entry: Entry) -> str:
        return self.remembered("entry", entry.id, lambda: (
            entry.path, self.content_hash(entry.path), [(r.path, self.content_hash(r.path)) for r in self.site.replications_of(entry.id)]),
            lambda: self._entry(entry))

    def _entry(self, entry: Entry) -> str:
        site = self.site
        reps = [[r.id, self.file(r), self.unit_link(r.unit)] for r in site.replications_of(entry.id)]
        return digest("entry", self.base, entry.id, entry.kind, self.file(entry),
                      [self.decision(rec, line) for rec, line in site.recognitions(entry.id)],
                      self.campaign_tiers(entry.campaign), self.unit_link(entry.unit), self.contact(entry.unit), reps)

    def unit(self, unit: Unit) -> str:
        def signature() -> object:
            site = self.site
            reps = []
            for r in site.by_unit("replications", unit.id):
                target = site.repo.entries.get(str(r.data.get("initiative")))
                reps.append((r.path, self.content_hash(r.path), None if target is None else (target.path, self.content_hash(target.path))))
            return [(x.path, self.content_hash(x.path)) for x in site.by_unit("entries", unit.id)], reps
        return self.remembered("unit", unit.id, signature, lambda: self._unit(unit))

    def _unit(self, unit: Unit) -> str:
        site = self.site
        mine = site.by_unit("entries", unit.id)
        related = [[u.id, u.name] for what in ("children", "predecessors") for u in site.by_unit(what, unit.id)]
        rows = [[x.id, x.kind, x.title, x.illustrative, x.submitted, site.is_public(x), self.status(x), self.campaign_link(x.campaign),
                 site.titles_listed(x.campaign)] for x in mine]
        # Entries without a submission day sort by the build day.
        today = vntime.local_date(site.now) if any(x.submitted is None for x in mine) else None
        reps = []
        for r in site.by_unit("replications", unit.id):
            target = site.repo.entries.get(str(r.data.get("initiative")))
            reps.append([r.id, r.illustrative, r.data.get("initiative"), r.data.get("summary"), target.title if target else None])
        camps = [[self.campaign_link(c.id), c.min_entries] for c in site.by_unit("campaigns", unit.id)]
        return digest("unit", self.base, unit.id, unit.path, unit.data, related, self.unit_link(unit.parent),
                      self.unit_link(unit.data.get("successor")), self.contact(unit.id), rows, today, reps, camps)

    def card(self, entry: Entry) -> list[Any]:
        """An entry's card in a list (parts.entry_card)."""
        rec = self.site.recognition(entry)
        return [entry.id, entry.title, entry.illustrative, entry.data.get("summary"), entry.data.get("results"),
                self.unit_link(entry.unit), self.decision(*rec) if rec else None, len(self.site.replications_of(entry.id))]

    def catalogue(self, listing: Listing, number: int) -> str | None:
        """A catalogue page after the first (the first carries the filters of every row: no key)."""
        if number == 1 or not listing.paged:
            return None
        size = listing.page_size
        chunk = listing.entries[(number - 1) * size:number * size]
        return self.remembered("catalogue", str(number), lambda: (
            size, len(listing.entries), [(x.path, self.content_hash(x.path), len(self.site.replications_of(x.id))) for x in chunk]),
            lambda: self._catalogue(listing, number))

    def _catalogue(self, listing: Listing, number: int) -> str:
        size = listing.page_size
        chunk = listing.entries[(number - 1) * size:number * size]
        return digest("catalogue", self.base, number, size, len(listing.entries), [self.card(x) for x in chunk])
