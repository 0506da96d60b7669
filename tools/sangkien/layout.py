"""Where each kind of file lives. Ownership is visible in the path, so rules can use it.

    entries/units.yaml                          unit registry            (organiser)
    entries/abbreviations.yaml                  abbreviations for novelty checks (organiser)
    entries/federation.yaml                     other catalogues harvested (organiser)
    entries/<campaign>/campaign.yaml            the campaign's plan      (organiser)
    entries/<campaign>/decisions.yaml           screening, scores, recognition (council)
    entries/<campaign>/<unit>/<id>.md           an entry or nomination   (the unit)
    entries/<campaign>/<unit>/<file>            an attachment of the unit's entries
    entries/replications/<unit>/<id>.md         a replication record     (the adopting unit)
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import NamedTuple

ENTRIES = "entries"
UNITS_FILE = "entries/units.yaml"
ABBREVIATIONS_FILE = "entries/abbreviations.yaml"
FEDERATION_FILE = "entries/federation.yaml"
# Snapshots of the harvested catalogues (sangkien harvest): outside entries/, so never discovered
# as entries; under version control, so a PR check reads them offline. Owned by the organisers.
FEDERATION_DIR = "federation"
CAMPAIGN_FILE = "campaign.yaml"
DECISIONS_FILE = "decisions.yaml"
REPLICATIONS = "replications"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ATTACHMENT = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
IGNORED = {"README.md", ".gitkeep"}


class Place(NamedTuple):
    """What a path is: kind in {units, abbreviations, federation, campaign, decisions, entry, replication, attachment, unknown}.
    A tuple: a run classifies each of 10,000 paths."""

    kind: str
    campaign: str | None = None
    unit: str | None = None
    slug: str | None = None


@functools.lru_cache(maxsize=1 << 16)  # a run asks for each of 10,000 paths several times; a Place is frozen
def classify(rel: str) -> Place:
    parts = rel.split("/")
    if not parts or parts[0] != ENTRIES:
        return Place("unknown")
    rest = parts[1:]
    if rest == ["units.yaml"]:
        return Place("units")
    if rest == ["abbreviations.yaml"]:
        return Place("abbreviations")
    if rest == ["federation.yaml"]:
        return Place("federation")
    if len(rest) == 1 and rest[0] in IGNORED:
        return Place("ignored")
    if len(rest) == 2 and rest[0] != REPLICATIONS:
        if rest[1] == CAMPAIGN_FILE:
            return Place("campaign", campaign=rest[0])
        if rest[1] == DECISIONS_FILE:
            return Place("decisions", campaign=rest[0])
        if rest[1] in IGNORED:
            return Place("ignored")
    if len(rest) == 3:
        top, unit, name = rest
        if name in IGNORED:
            return Place("ignored")
        if name.endswith(".md"):
            kind = "replication" if top == REPLICATIONS else "entry"
            return Place(kind, campaign=None if top == REPLICATIONS else top, unit=unit, slug=name[:-3])
        return Place("attachment", campaign=top, unit=unit, slug=name)
    return Place("unknown")


def discover(root: Path) -> tuple[list[str], list[str]]:
    """All files under entries/ (sorted, repo-relative) and the symlinks found there.

    os.scandir's entries already know whether they are links: at 10,000 entries one lstat and
    one Path per file (os.walk + Path.is_symlink) was a tenth of a warm validation. The walk
    is os.walk's: top-down, directories and names sorted, a symlinked directory reported and
    not entered, unreadable folders skipped."""
    files: list[str] = []
    links: list[str] = []
    base = root / ENTRIES
    if not base.is_dir():
        return files, links
    _walk(str(base), ENTRIES, files, links)
    return files, links


def _walk(folder: str, rel: str, files: list[str], links: list[str]) -> None:
    try:
        with os.scandir(folder) as found:
            entries = list(found)
    except OSError:
        return
    dirs: list[os.DirEntry[str]] = []
    names: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        (dirs if is_dir else names).append(entry)
    dirs.sort(key=lambda e: e.name)
    kept = []
    for entry in dirs:
        if entry.is_symlink():
            links.append(f"{rel}/{entry.name}")
        else:
            kept.append(entry)
    for entry in sorted(names, key=lambda e: e.name):
        (links if entry.is_symlink() else files).append(f"{rel}/{entry.name}")
    for entry in kept:
        _walk(entry.path, f"{rel}/{entry.name}", files, links)


def entry_path(campaign: str, unit: str, slug: str) -> str:
    return f"{ENTRIES}/{campaign}/{unit}/{slug}.md"
