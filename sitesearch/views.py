"""The site search page, /nb/sok/ and /nn/sok/: `?q=` the words, `type=` one page type's
results, `page=` their page; every result is a shareable GET address."""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from portal import page_cache

from .forms import SearchForm
from .search import search

PER_PAGE = 20
# Results of each page type shown before a link to all of them.
PER_GROUP = 5


@page_cache.cacheable
def site_search(request):
    form = SearchForm(request.GET)
    q = form.query()
    groups = search(q, get_language(), request) if q else []
    wanted = request.GET.get("type", "")
    selected = next((group for group in groups if group.type == wanted), None)
    context = {
        "form": form,
        "q": q,
        "groups": groups,
        "total": sum(len(group.hits) for group in groups),
        "selected": selected,
        "unknown_type": bool(wanted and groups and selected is None),
        "per_group": PER_GROUP,
    }
    if selected is not None:
        context["results"] = Paginator(selected.hits, PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "sitesearch/search.html", context)
