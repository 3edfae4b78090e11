"""Thin views: the library with its filters and learning paths, a resource, a learning path."""

from portal import page_cache, page_views

from . import services
from .forms import LibraryFilterForm
from .models import LearningPathPage, LibraryPage, Licence, ResourceFormat

# (facet, label of each option value) for the facets whose options are choices.
CHOICE_FACETS = {
    "format": ResourceFormat.choices,
    "licence": Licence.choices,
    "language": [(option.value, option.label) for option in services.LANGUAGE_OPTIONS],
}


def _remove_url(request, name):
    query = request.GET.copy()
    for key in (name, "page"):
        query.pop(key, None)
    return f"?{query.urlencode()}" if query else "?"


@page_views.register(LibraryPage)
@page_cache.cacheable
def library(request, page):
    return page.render(request, context_overrides=library_context(request, page))


def library_context(request, page):
    options = services.taxonomies(page)
    form = LibraryFilterForm(request.GET, options.categories, options.audiences)
    filters = form.filters()
    result = services.search(page, filters, request.GET.get("page"))
    labels = {
        "category": [(c.slug, c.name) for c in options.categories],
        "audience": [(a.slug, a.name) for a in options.audiences],
        **CHOICE_FACETS,
    }
    selects = [
        {
            "field": form[name],
            "options": [
                {
                    "value": value,
                    "label": label,
                    "count": result.facets[name].get(value, 0),
                    "selected": value == getattr(filters, name),
                }
                for value, label in labels[name]
            ],
        }
        for name in services.FACETS
    ]
    active = [
        {
            "label": form.fields[name].label,
            "value": dict(labels[name])[value],
            "remove_url": _remove_url(request, name),
        }
        for name, value in filters.active().items()
    ]
    return {
        "form": form,
        "selects": selects,
        "resources": result.page,
        "total": result.total,
        "active_filters": active,
        "learning_paths": services.learning_paths(page),
    }


@page_views.register(LearningPathPage)
@page_cache.cacheable(timeout=page_cache.LIVE_SECONDS)
def learning_path(request, page):
    return page.render(request, context_overrides={"steps": services.path_steps(page)})
