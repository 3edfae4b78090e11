import copy

from django.utils.translation import get_language
from wagtail import views as wagtail_views
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
    """Lets `Page.route_for_request(request, path)` answer from the cache, without queries."""
    site = getattr(request, "_wagtail_site", None)
    if site is None or request.method not in ("GET", "HEAD"):
        return
    page = content_cache.cached(
        "route",
        lambda: _plain_page(request, path),
        site.pk,
        get_language(),
        path,
        keep=lambda page: page is not None,
    )
    if page is not None:
        # Each request gets its own copy: views may set attributes on their page.
        request._wagtail_route_for_request = RouteResult(copy.copy(page))


def _plain_page(request, path):
    """The page at path, or None if there is none or the path leads into a routable page.

    A routable page's route holds a view bound to that request's page, so it is not kept.
    """
    result = Page.route_for_request(request, path)
    if result is None or result.args or result.kwargs:
        return None
    page = result.page
    page.locale  # noqa: B018 -- every page reads its locale; the cached page carries it
    return page
