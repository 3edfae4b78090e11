import copy

from django.http import Http404
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from . import content_cache


class CachedRoutingMiddleware:
    """Finds the request's Wagtail site and page once per content version, not with queries.

    Wagtail's `Site.find_for_request` and `Page.route_for_request` keep their answers on the
    request (`_wagtail_site`, `_wagtail_route_for_request`); this puts the cached answers there
    first. Pages and sites are watched, so a change is found on the next request. The content
    version itself is read once per request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with content_cache.request_version():
            request._wagtail_site = content_cache.cached(
                "site",
                lambda: Site.find_for_request(request),
                request.get_host(),
                request.get_port(),
            )
            return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if view is wagtail_views.serve:
            use_cached_route(request, args[0] if args else kwargs.get("path", ""))
        return None


def use_cached_route(request, path):
    """Lets `Page.route_for_request(request, path)` answer from the cache, without queries.

    Each page is kept under its own path. A routable page also answers for the paths below it:
    its route (a view bound to one request's page) is resolved per request from the rest of
    the path, so a route's arguments (session keys, tokens) never become keys of their own.
    """
    site = getattr(request, "_wagtail_site", None)
    if site is None or request.method not in ("GET", "HEAD"):
        return
    components = [component for component in path.split("/") if component]
    parts = (site.pk, get_language())
    for end in range(len(components), -1, -1):
        page = content_cache.lookup("route", *parts, _path(components[:end]))
        if page is None:
            continue
        if isinstance(page, RoutablePageMixin):
            result = _routable_result(request, page, components[end:])
        elif end == len(components):
            result = RouteResult(copy.copy(page))
        else:
            result = None  # a plain page answers for its own path; below it, its children do
        if result is not None:
            request._wagtail_route_for_request = result
            return
        break
    _cache_route(request, site, path, parts)


def _path(components):
    return "".join(f"{component}/" for component in components)


def _routable_result(request, page, subpath):
    """The route of a routable page for the rest of the path, as `RoutablePageMixin.route` has it.

    None when no route matches: then a child page may, and Wagtail routes from the database.
    """
    page = copy.copy(page)  # each request its own copy: views may set attributes on their page
    try:
        match = page.resolve_subpage("/" + _path(subpath))
    except Http404:
        return None
    request.routable_resolver_match = match
    view, args, kwargs = match
    return RouteResult(page, args=(view, args, kwargs))


def _cache_route(request, site, path, parts):
    """Route from the database, and keep the page it finds under the page's own path."""
    result = Page.route_for_request(request, path)
    if result is None:
        return
    page = result.page
    routable = isinstance(page, RoutablePageMixin)
    if (result.args or result.kwargs) and not routable:
        return  # a page type with routes of its own making: not known to be safe to keep
    # Each child of the site's root page takes one component of the path.
    own_path = [component for component in path.split("/") if component]
    own_path = own_path[: page.depth - site.root_page.depth]
    _load_watched_relations(page)
    # A copy: this request's views may set attributes on the page they were given.
    content_cache.store("route", copy.copy(page), *parts, _path(own_path))


def _load_watched_relations(page):
    """Read the page's locale and the other rows behind its foreign keys that the content
    version watches (a course's provider and category), so the cached page carries them.

    Rows the version does not watch (images, revisions, owners) are left to be read when used:
    their changes would not replace a cached copy.
    """
    for field in page._meta.concrete_fields:
        if field.many_to_one and content_cache.is_watched(field.related_model):
            getattr(page, field.name)
