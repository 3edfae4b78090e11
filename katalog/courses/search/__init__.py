"""The catalogue's search: one contract, two backends, chosen by CATALOGUE_SEARCH_BACKEND.

`database` runs on Wagtail's database search backend; `elastic` on Elasticsearch (the setting
picks it when ELASTICSEARCH_URL is set). Both take the same filters and return the same
`common.CatalogueResult`; while a search server is unavailable, the database answers for it.
"""

from importlib import import_module

from django.conf import settings

from . import database
from .common import PER_PAGE, Filters, Unavailable, taxonomies

__all__ = ["Filters", "search_sessions", "taxonomies"]


def search_sessions(filters, locale, page_number=1, per_page=PER_PAGE, facets=True):
    backend = import_module(settings.CATALOGUE_SEARCH_BACKEND)
    try:
        return backend.search(filters, locale, page_number, per_page, facets)
    except Unavailable:
        return database.search(filters, locale, page_number, per_page, facets)
