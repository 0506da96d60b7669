"""A folder holding one form page of the site (submission or replication) and its assets, made
from the repository's own data the way the site build makes them: what the browser tests open."""

from __future__ import annotations

from pathlib import Path

from sangkien import validator
from sangkien.site import form

ROOT = Path(__file__).resolve().parents[2]
SOURCE = {"host": "https://github.com", "repository": "demo-tinh/sangkien", "branch": "main"}


def write_form_site(folder: Path, kind: str = "entry", source: dict[str, str] | None = None) -> Path:
    """The form page of `kind` at its site address under `folder`, with the shared assets."""
    repo = validator.load(ROOT).repo
    page = folder / form.PAGES[kind].url / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(form.standalone_html(repo, ROOT, source or SOURCE, kind=kind), encoding="utf-8")
    form.write_form_assets(folder)
    return folder
