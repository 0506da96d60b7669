"""Every generated page of the catalogue, from the model. No MkDocs: a different generator can
take these (url, title, description, html) records as they are."""

from __future__ import annotations

from sangkien.site.campaign_page import campaign_pages
from sangkien.site.catalogue import catalogue_page
from sangkien.site.context import Site
from sangkien.site.data_page import data_page
from sangkien.site.entry_page import entry_pages
from sangkien.site.guides import guide_pages
from sangkien.site.home import home_page
from sangkien.site.parts import Page
from sangkien.site.stats import stats_page
from sangkien.site.unit_page import unit_pages


def all_pages(site: Site, site_name: str) -> list[Page]:
    return [
        home_page(site, site_name),
        catalogue_page(site),
        *entry_pages(site),
        *campaign_pages(site),
        *unit_pages(site),
        stats_page(site),
        *guide_pages(site.root),
        data_page(site.root),
    ]
