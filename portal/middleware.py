from wagtail.models import Site

from . import content_cache


class CachedSiteMiddleware:
    """Finds the request's Wagtail site once per content version, not with a query per request.

    Wagtail's `Site.find_for_request` keeps its answer on the request as `_wagtail_site`; this
    puts the cached answer there first. Sites are watched, so a changed site is found again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._wagtail_site = content_cache.cached(
            "site", lambda: Site.find_for_request(request), request.get_host(), request.get_port()
        )
        return self.get_response(request)
