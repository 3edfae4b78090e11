"""Thin views: the catalogue's context, the course page's context, the feeds."""

from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.text import slugify
from wagtail import hooks
from wagtail.models import Locale, Page

from portal import page_views
from portal.middleware import use_cached_route

from . import feeds
from .forms import CatalogueFilterForm
from .models import CourseIndexPage, CoursePage, DeliveryMode
from .search import search_sessions, taxonomies

FEED_PER_PAGE = 100
CALENDAR_LIMIT = 1000


def _filter_form(request):
    options = taxonomies()
    municipalities, categories, audiences = (
        options.municipalities,
        options.categories,
        options.audiences,
    )
    form = CatalogueFilterForm(request.GET, municipalities, categories, audiences)
    return form, municipalities, categories, audiences


def _option(value, label, facet, selected):
    return {"value": value, "label": label, "count": facet.get(value, 0), "selected": selected}


def _remove_url(request, *names):
    query = request.GET.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    return f"?{query.urlencode()}" if query else "?"


@page_views.register(CourseIndexPage)
def catalogue(request, index_page):
    return index_page.render(request, context_overrides=catalogue_context(request, index_page))


def catalogue_context(request, index_page):
    form, municipalities, categories, audiences = _filter_form(request)
    filters = form.filters()
    result = search_sessions(filters, index_page.locale, request.GET.get("page"))
    facets = result.facets

    regions = {}
    for municipality in municipalities:
        regions.setdefault(municipality.region.name, []).append(
            _option(
                municipality.number,
                municipality.name,
                facets["municipality"],
                municipality.number == filters.municipality,
            )
        )
    # Every select gets (group label, options) pairs; only municipalities come in groups.
    options = {
        "municipality": sorted(regions.items()),
        "category": [
            (
                "",
                [
                    _option(c.slug, c.name, facets["category"], c.slug == filters.category)
                    for c in categories
                ],
            )
        ],
        "audience": [
            (
                "",
                [
                    _option(a.slug, a.name, facets["audience"], a.slug == filters.audience)
                    for a in audiences
                ],
            )
        ],
        "mode": [
            (
                "",
                [
                    _option(value, label, facets["mode"], value == filters.mode)
                    for value, label in DeliveryMode.choices
                ],
            )
        ],
        "available": facets["available"]["1"],
    }

    labels = {
        "municipality": {m.number: m.name for m in municipalities},
        "category": {c.slug: c.name for c in categories},
        "audience": {a.slug: a.name for a in audiences},
        "mode": dict(DeliveryMode.choices),
    }
    active = []
    if filters.q:
        active.append((form.fields["q"].label, f"«{filters.q}»", _remove_url(request, "q")))
    for name in ("municipality", "category", "audience", "mode"):
        value = getattr(filters, name)
        if value:
            active.append(
                (form.fields[name].label, labels[name][value], _remove_url(request, name))
            )
    for name, value in (("from", filters.start), ("to", filters.end)):
        if value:
            active.append((form.fields[name].label, value.isoformat(), _remove_url(request, name)))
    if filters.available:
        active.append((form.fields["available"].label, "", _remove_url(request, "available")))

    return {
        "form": form,
        "filters": filters,
        "sessions": result.page,
        "options": options,
        "active_filters": [
            {"label": label, "value": value, "remove_url": url} for label, value, url in active
        ],
        "clear_url": "?",
    }


def _calendar_response(body, filename):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def page_calendar(request, page_path):
    """The calendar of the catalogue or course page at page_path, guarded as the page is.

    Wagtail's page hooks (view restrictions among them) run as in `wagtail.views.serve`.
    """
    use_cached_route(request, page_path)
    route = Page.route_for_request(request, page_path)
    view = page_views.view_for(route.page, "calendar") if route else None
    if view is None:
        raise Http404

    def serve(page, request, args, kwargs):
        return view(request, page)

    for hook in reversed(hooks.get_hooks("on_serve_page")):
        serve = hook(serve)
    for hook in hooks.get_hooks("before_serve_page"):
        response = hook(route.page, request, route.args, route.kwargs)
        if isinstance(response, HttpResponse):
            return response
    return serve(route.page, request, route.args, route.kwargs)


@page_views.register(CourseIndexPage, "calendar")
def catalogue_calendar(request, index_page):
    """All matching upcoming sessions (the first CALENDAR_LIMIT by start) as one calendar."""
    form, *_lists = _filter_form(request)
    result = search_sessions(form.filters(), index_page.locale, 1, CALENDAR_LIMIT, facets=False)
    body = feeds.calendar(result.page.object_list, request, index_page.title)
    return _calendar_response(body, "kurs.ics")


def course_sessions(page):
    # Through the page's own manager, each session gets this page as its course without a join.
    return (
        page.sessions.filter(start__gte=timezone.now())
        .select_related("municipality")
        .order_by("start", "pk")
    )


@page_views.register(CoursePage)
def course_page(request, page):
    sessions = list(course_sessions(page))
    context = {
        "course_sessions": sessions,
        "audiences": list(page.audiences.all()),
        "json_ld": feeds.json_ld_script(feeds.course_json_ld(page, sessions, request)),
    }
    return page.render(request, context_overrides=context)


@page_views.register(CoursePage, "calendar")
def course_calendar(request, page):
    body = feeds.calendar(course_sessions(page), request, page.title)
    return _calendar_response(body, f"{slugify(page.slug) or 'kurs'}.ics")


def sessions_feed(request):
    """GET /api/katalog/sessions/?<catalogue filters>&lang=nb|nn&page=N as JSON."""
    language = request.GET.get("lang", "nb")
    if language not in ("nb", "nn"):
        return JsonResponse({"errors": {"lang": ["nb", "nn"]}}, status=400)
    with translation.override(language):
        form, *_lists = _filter_form(request)
        filters = form.filters()
        if form.errors:
            return JsonResponse({"errors": form.errors}, status=400)
        locale = Locale.objects.get(language_code=language)
        result = search_sessions(
            filters, locale, request.GET.get("page"), FEED_PER_PAGE, facets=False
        )
        page = result.page
        response = JsonResponse(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
                "previous": _page_url(request, page.previous_page_number())
                if page.has_previous()
                else None,
                "generated": timezone.localtime().isoformat(),
                "results": [feeds.session_data(s, request) for s in page.object_list],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    # Public data: municipalities may read it from their intranet pages' own scripts.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_url(request, number):
    query = request.GET.copy()
    query["page"] = number
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
