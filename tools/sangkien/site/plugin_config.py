"""The options of the `sangkien` MkDocs plugin (mkdocs.yml: plugins: - sangkien: ...)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from sangkien.site.catalogue import PAGE_SIZE


class CatalogueConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs' Config.__init_subclass__ is unannotated
    # Initiatives per catalogue page once the catalogue outgrows one page.
    catalogue_page_size = c.Type(int, default=PAGE_SIZE)
