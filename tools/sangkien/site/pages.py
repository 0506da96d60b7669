"""Every generated page of the catalogue, from the model. No MkDocs: a different generator can
take these (url, title, description, html) records and data files as they are."""

from __future__ import annotations

from dataclasses import dataclass, field

from sangkien.site import urls
from sangkien.site.campaign_page import campaign_pages
from sangkien.site.catalogue import DATA_FILE, PAGE_SIZE, catalogue_json, catalogue_pages
from sangkien.site.context import Site
from sangkien.site.data_page import data_page
from sangkien.site.entry_page import entry_pages
from sangkien.site.guides import guide_pages
from sangkien.site.home import home_page
from sangkien.site.parts import Page
from sangkien.site.stats import stats_page
from sangkien.site.unit_page import unit_pages


@dataclass
class Output:
    pages: list[Page] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # site-relative path -> text


def generate(site: Site, site_name: str, page_size: int = PAGE_SIZE) -> Output:
    catalogue, listing = catalogue_pages(site, page_size)
    pages = [
        home_page(site, site_name),
        *catalogue,
        *entry_pages(site),
        *campaign_pages(site),
        *unit_pages(site),
        stats_page(site),
        *guide_pages(site.root),
        data_page(site.root, site.licence),
    ]
    files = {}
    if listing.paged:
        files[urls.CATALOGUE + DATA_FILE] = catalogue_json(listing)  # json.dumps(catalogue_data(listing)), compact
    return Output(pages, files)


def all_pages(site: Site, site_name: str) -> list[Page]:
    return generate(site, site_name).pages
