"""Data derived from published content is cached under one version that any change replaces.

The request's site, the site chrome (language versions, main menu, footer), the catalogue's
taxonomies and its list of live courses are the same for every visitor and read on every page.
They are cached under a version token that any save or delete of a watched model replaces
(pages, view restrictions, sites, locales, site settings, and what other apps `watch`): editors
see their change on the next request, and the data costs one cache read instead of its queries.

Each process also keeps what it has read, under the same versioned keys: a value is unpickled
once per version, not on every request. Values are shared, so callers must not change them.
Within a request (`request_version`) the version itself is read once, not once per value.

While the shared cache is down (`shared_cache`), nothing is cached: every value is computed, as
without this module, and the version is replaced once the cache answers again, so a change
saved during the outage is not hidden by values cached before it.
"""

import threading
import uuid
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from wagtail.models import Locale, Page, PageViewRestriction, Site

from . import shared_cache

VERSION_KEY = "portal:content-version"
# The version while the shared cache is down: nothing is kept under it (tokens are hex, so no
# real version starts with it).
UNCACHED = "uncached"
TIMEOUT = 60 * 60  # entries of a replaced version simply expire
LOCAL_SIZE = 512  # this process's copies (those of replaced versions pile up)
MISSING = object()


class LocalCopies:
    """This process's copies of values from the shared cache, at most size of them.

    The least recently used goes first, so what the last requests stored or read stays here:
    read again from the shared cache, a page would be unpickled anew and read its StreamField's
    chosen pages again, and its queries would depend on what other pages were served since.
    """

    def __init__(self, size):
        self.size = size
        self._values = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            value = self._values.get(key, MISSING)
            if value is MISSING:
                return default
            self._values.move_to_end(key)
            return value

    def put(self, key, value):
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            if len(self._values) > self.size:
                self._values.popitem(last=False)

    def pop(self, key):
        with self._lock:
            self._values.pop(key, None)

    def clear(self):
        with self._lock:
            self._values.clear()

    def __len__(self):
        return len(self._values)


_local = LocalCopies(LOCAL_SIZE)
# The version a request has read: None outside requests, "" in one until it is read.
_request_token = ContextVar("content_version", default=None)

_watched = {Page, PageViewRestriction, Site, Locale}

shared_cache.on_recovery("delete", VERSION_KEY)


def watch(*models):
    """Replace the version whenever one of models is saved or deleted."""
    _watched.update(models)


def is_watched(model):
    """Whether a save or delete of model replaces the version."""
    return issubclass(model, tuple(_watched))


@contextmanager
def request_version():
    """Everything cached while the block runs (a request) uses the version read first.

    A block inside another (the page cache's around the routing's) keeps the outer version."""
    if _request_token.get() is not None:
        yield
        return
    reset = _request_token.set("")
    try:
        yield
    finally:
        _request_token.reset(reset)


def _token():
    token = _request_token.get()
    if token:
        return token
    in_request = token is not None
    token = shared_cache.get(VERSION_KEY)
    if token is None:
        # Of concurrent requests, the first to add its token wins; the others read it.
        new = uuid.uuid4().hex
        token = (
            new if shared_cache.add(VERSION_KEY, new, None) else shared_cache.get(VERSION_KEY, new)
        )
    if not shared_cache.available():
        token = UNCACHED
    if in_request:
        _request_token.set(token)
    return token


def version():
    """The current version, or None while the shared cache is down."""
    token = _token()
    return None if token.startswith(UNCACHED) else token


def _key(name, parts, token=None):
    """The value's key, or None while the shared cache is down."""
    token = token or _token()
    if token.startswith(UNCACHED):
        return None
    return ":".join(["portal:content", name, token, *map(str, parts)])


def cached(name, compute, *parts, token=None, keep=None):
    """compute() for the current version, from the cache when it is there.

    A value for which keep(value) is false is returned without being cached.
    """
    key = _key(name, parts, token)
    if key is None:
        return compute()
    value = _local.get(key, MISSING)
    if value is MISSING:
        value = shared_cache.get(key, MISSING)
        if value is MISSING:
            value = compute()
            if keep is not None and not keep(value):
                return value
            shared_cache.add(key, value, TIMEOUT)
        _local.put(key, value)
    return value


def lookup(name, *parts, default=None):
    """The value cached for the current version, or default; nothing is computed."""
    key = _key(name, parts)
    if key is None:
        return default
    value = _local.get(key, MISSING)
    if value is MISSING:
        value = shared_cache.get(key, MISSING)
        if value is MISSING:
            return default
        _local.put(key, value)
    return value


def store(name, value, *parts):
    """Cache value for the current version (a concurrent request's value is kept if first)."""
    key = _key(name, parts)
    if key is not None:
        shared_cache.add(key, value, TIMEOUT)
        _local.put(key, value)


def cached_for_site(request, name, compute, *parts):
    """compute() for the request's site and the current version; previews are never cached."""
    if getattr(request, "is_preview", False):
        return compute()
    if not hasattr(request, "_content_version"):
        site = Site.find_for_request(request)
        request._content_version = f"{_token()}:{site.pk if site else 0}"
    return cached(name, compute, *parts, token=request._content_version)


def invalidate():
    shared_cache.delete(VERSION_KEY)
    if _request_token.get() is not None:  # this request reads the new version from now on
        _request_token.set("")


def changed():
    """Replace the version now, and again once the change is committed.

    The second time matters: a request that read the old rows while the editor's transaction
    was still open must not leave them cached under the new version.
    """
    invalidate()
    transaction.on_commit(invalidate)


def invalidate_on_change(sender, **kwargs):
    if is_watched(sender):
        changed()
