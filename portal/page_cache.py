"""Anonymous GETs of public pages, served whole from the shared cache.

A view opts in with `@cacheable` (every page type without a view of its own is in): its
response is kept when the visitor sent no cookie but the CSRF one, the response sets no cookie
(a form's CSRF token sets one, so pages with forms are never kept), and it is a 200 that says
nothing against caching. Logged-in users, previews (admin URLs, never opted in) and anything
else are served as before, marked `Cache-Control: private`.

Entries are keyed by the content version (`content_cache`), so any change an editor saves
purges them all at once; the seat counter of a session replaces the version too
(katalog.courses), and pages that show seats or the time of day are kept only for seconds
(`LIVE_SECONDS`), for deadlines and opening hours that pass while nothing is saved. Each
process keeps copies of the entries it has read, under the same keys, so a hit reads only the
version from Redis.

Privacy never depends on the cache: before a kept page is served, its view restrictions (and
those of the pages above it) are read from the database, and a restricted page is rendered by
Wagtail as usual, which refuses the anonymous visitor.

A proxy or CDN in front (`FRONTEND_CACHE_URL`) may keep the same responses for as long
(`s-maxage`). Wagtail's frontend cache purges a page there when it is published or unpublished;
`purge_listings` and `purge_restricted` add the pages that list it and the pages a new view
restriction covers.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, patch_cache_control
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page

from . import content_cache, shared_cache

# Deadlines, seats and "open now" change while no one saves anything.
LIVE_SECONDS = 60
# hit (served from the cache), miss (rendered and kept) or skip (rendered, not to be kept).
STATUS_HEADER = "X-Cache"
# Pages this process keeps a copy of, so that a hit reads only the content version from Redis.
LOCAL_SIZE = 256

_local = content_cache.LocalCopies(LOCAL_SIZE)


def cacheable(view=None, *, timeout=None):
    """Let the view's anonymous 200 responses be kept, for timeout seconds at most.

    The view promises that its response depends on the URL alone (not on headers such as
    Accept-Language, nor on the visitor); a page it serves (an argument that is a Page) is
    checked for view restrictions on every hit.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            page = next((arg for arg in args if isinstance(arg, Page)), None)
            allow(response, page, timeout)
            return response

        return wrapper

    return decorator(view) if view is not None else decorator


def allow(response, page=None, timeout=None):
    """Mark one response as fit for the cache (the page behind it, if any, is checked on hits)."""
    response.page_cache = (timeout, page.path if page is not None else None)


class PageCacheMiddleware:
    """Serves kept anonymous pages and keeps new ones. Placed before the session middleware,
    so a hit reads no session and runs no view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with content_cache.request_version():
            key = _key(request)
            if key is not None:
                entry = _lookup(key)
                if entry is not None and not _restricted(entry["path"]):
                    return _response(entry)
            response = self.get_response(request)
            timeout = _timeout(request, response) if key is not None else 0
            if timeout > 0:
                patch_cache_control(response, public=True, max_age=0, s_maxage=timeout)
                _store(key, _entry(response, timeout), timeout)
                response[STATUS_HEADER] = "miss"
            else:
                if not response.has_header("Cache-Control"):
                    patch_cache_control(response, private=True)
                response[STATUS_HEADER] = "skip"
            return response


def _key(request):
    """The request's key, or None when it may not be answered from the cache."""
    if settings.PAGE_CACHE_TIMEOUT <= 0 or request.method != "GET":
        return None
    if set(request.COOKIES) - {settings.CSRF_COOKIE_NAME} or "HTTP_AUTHORIZATION" in request.META:
        return None
    version = content_cache.version()
    if version is None:
        return None
    address = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"portal:page:{version}:{hashlib.sha256(address).hexdigest()}"


def _timeout(request, response):
    """Seconds to keep the response, 0 when it must not be kept."""
    marked = getattr(response, "page_cache", None)
    if marked is None or response.status_code != 200 or response.streaming:
        return 0
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return 0
    directives = {
        directive.split("=")[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if directives & {"private", "no-cache", "no-store"}:
        return 0
    timeout, _path = marked
    return min(timeout or settings.PAGE_CACHE_TIMEOUT, settings.PAGE_CACHE_TIMEOUT)


def _entry(response, timeout):
    return {
        "content": response.content,
        "headers": dict(response.items()),
        "path": response.page_cache[1],
        "expires": time.time() + timeout,
    }


def _lookup(key):
    """The entry from this process's copies, else from the shared cache (and copied)."""
    entry = _local.get(key)
    if entry is None:
        entry = shared_cache.get(key)
        if entry is not None:
            _local.put(key, entry)
    if entry is not None and entry["expires"] <= time.time():
        _local.pop(key)
        return None
    return entry


def _store(key, entry, timeout):
    if shared_cache.add(key, entry, timeout):
        _local.put(key, entry)


def _response(entry):
    response = HttpResponse(entry["content"], headers=entry["headers"])
    response["Content-Length"] = str(len(entry["content"]))
    response[STATUS_HEADER] = "hit"
    return response


def _restricted(path):
    if path is None:
        return False
    sql, params, alias = _restrictions_query(path)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


@functools.lru_cache(maxsize=LOCAL_SIZE)
def _restrictions_query(path):
    """The SQL of `view_restrictions(path)`, compiled once per path: building the query costs
    a hit more than running it."""
    from .models import view_restrictions

    query = view_restrictions(path).values("pk")[:1]
    sql, params = query.query.sql_with_params()
    return sql, params, query.db


def purge_listings(instance, **kwargs):
    """A page published or unpublished changes the pages above it, which list it (an index,
    the home page's latest news): purge them from the proxy too."""
    if settings.WAGTAILFRONTENDCACHE:
        _purge(instance.get_ancestors().filter(depth__gt=1))


def purge_restricted(instance, **kwargs):
    """A view restriction added or removed: the proxy must drop every page under it at once."""
    if settings.WAGTAILFRONTENDCACHE:
        _purge(instance.page.get_descendants(inclusive=True))


def _purge(pages):
    batch = PurgeBatch()
    batch.add_pages(pages.live().specific())
    batch.purge()
