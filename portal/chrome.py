"""The site chrome (language versions, main menu, footer) is the same for every visitor.

Every page builds it, so it is cached under a version that any change to pages, view
restrictions, sites, locales or site settings replaces: editors see their change on the next
request, and the chrome costs one cache read instead of a dozen queries.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from wagtail.models import Locale, Page, PageViewRestriction, Site

VERSION_KEY = "portal:chrome-version"
TIMEOUT = 60 * 60  # entries of a replaced version simply expire


def _version(request):
    if not hasattr(request, "_chrome_version"):
        token = cache.get(VERSION_KEY)
        if token is None:
            # Of concurrent requests, the first to add its token wins; the others read it.
            new = uuid.uuid4().hex
            token = new if cache.add(VERSION_KEY, new, None) else cache.get(VERSION_KEY, new)
        site = Site.find_for_request(request)
        request._chrome_version = f"{token}:{site.pk if site else 0}"
    return request._chrome_version


def cached(request, name, compute, *parts):
    """compute() for this site and version, from the cache when it is there."""
    if getattr(request, "is_preview", False):
        return compute()
    key = ":".join(["portal:chrome", name, _version(request), *map(str, parts)])
    return cache.get_or_set(key, compute, TIMEOUT)


def invalidate():
    cache.delete(VERSION_KEY)


def _sources():
    from .models import SiteSettings

    return (Page, PageViewRestriction, Site, Locale, SiteSettings)


def invalidate_on_change(sender, **kwargs):
    """Replace the version now, and again once the change is committed.

    The second time matters: a request that read the old rows while the editor's transaction
    was still open must not leave them cached under the new version.
    """
    if issubclass(sender, _sources()):
        invalidate()
        transaction.on_commit(invalidate)
