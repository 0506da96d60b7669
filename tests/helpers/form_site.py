"""A folder holding one form page of the site (submission or replication) and its assets, made
from the repository's own data the way the site build makes them: what the browser tests open."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sangkien import validator
from sangkien.site import form

ROOT = Path(__file__).resolve().parents[2]
SOURCE = {"host": "https://github.com", "repository": "demo-tinh/sangkien", "branch": "main"}


def write_form_site(folder: Path, kind: str = "entry", source: dict[str, str] | None = None, templates_at: datetime | None = None) -> Path:
    """The form page of `kind` at its site address under `folder`, with the shared assets; with
    `templates_at`, the Word template of each campaign open then is written beside the submission
    page and linked from it, as the site build does."""
    repo = validator.load(ROOT).repo
    page = folder / form.PAGES[kind].url / "index.html"
    page.parent.mkdir(parents=True)
    templates = None
    if templates_at is not None:
        from sangkien.council import wordtemplate

        written = {p.name for p in wordtemplate.write_templates(list(repo.campaigns.values()), page.parent, templates_at)}
        templates = [(c, wordtemplate.file_name(c.id)) for c in repo.campaigns.values() if wordtemplate.file_name(c.id) in written]
    page.write_text(form.standalone_html(repo, ROOT, source or SOURCE, kind=kind, templates=templates), encoding="utf-8")
    form.write_form_assets(folder)
    return folder
