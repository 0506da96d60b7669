"""The options of the `sangkien` MkDocs plugin (mkdocs.yml: plugins: - sangkien: ...)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from sangkien.site.catalogue import PAGE_SIZE
from sangkien.site.offloop import LOW_MEMORY_FROM_PAGES


class CatalogueConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs' Config.__init_subclass__ is unannotated
    # Initiatives per catalogue page once the catalogue outgrows one page.
    catalogue_page_size = c.Type(int, default=PAGE_SIZE)
    # From this many generated pages on, the build holds its memory down (plugin.py, on_files): the
    # search index and the open data are written before the pages are drawn, not beside them, and
    # the pages drawn ahead wait compressed until they are written. Same site, a little slower.
    low_memory_from_pages = c.Type(int, default=LOW_MEMORY_FROM_PAGES)
