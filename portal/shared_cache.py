"""The shared cache (Redis in production), failing soft when it is down or hanging.

Django's cache raises when Redis is stopped and waits the socket timeout (`REDIS_TIMEOUT`) when
it hangs, and Wagtail reads the default cache on every page (its sites' root paths, image
renditions). Every use of the shared cache therefore goes through this module: production's
backend (`FailSoftRedisCache`, for Django and Wagtail), the content version and what is cached
under it (`content_cache`), and the abuse limits' counters (`limits`, `with_fallback`).

After a failure this process leaves Redis alone for RETRY_SECONDS and answers without it: a read
misses, a write is dropped, and counters count in this process's memory. One warning is logged
when an outage starts and one when Redis answers again, not one per request.
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.dispatch import receiver
from redis.exceptions import RedisError

RETRY_SECONDS = 10

logger = logging.getLogger(__name__)

# While the shared cache is down, counters live here: per process, but never no limit at all.
local = LocMemCache("portal-shared-cache-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

_outage = False
_retry_at = 0.0  # time.monotonic() before which, in an outage, Redis is not tried again
_on_recovery = []


class Unavailable(Exception):
    """The shared cache failed, now or less than RETRY_SECONDS ago."""


def available():
    return not _outage or time.monotonic() >= _retry_at


@receiver(setting_changed)
def _reset(setting, **kwargs):
    """Another cache (a test's) starts with no outage and empty counters."""
    global _outage
    if setting == "CACHES":
        _outage = False
        local.clear()


def on_recovery(method, *args):
    """Call cache.<method>(*args) first when Redis is tried again after an outage: what a write
    the outage dropped must still do (replace the content version)."""
    _on_recovery.append((method, args))


def _guarded(function, *args, **kwargs):
    """function(*args, **kwargs), a call to Redis, or Unavailable."""
    global _outage
    if _outage:
        if time.monotonic() < _retry_at:
            raise Unavailable
        for method, method_args in _on_recovery:
            _attempt(_raw(method), *method_args)
        _outage = False
        logger.warning("The shared cache answers again.")
    return _attempt(function, *args, **kwargs)


def _attempt(function, *args, **kwargs):
    global _outage, _retry_at
    try:
        return function(*args, **kwargs)
    except RedisError as error:
        if not _outage:
            logger.warning(
                "The shared cache is unavailable (%s): serving without it, retrying every %s s.",
                error,
                RETRY_SECONDS,
            )
        _outage = True
        _retry_at = time.monotonic() + RETRY_SECONDS
        raise Unavailable from error


def _raw(method):
    """The default cache's method as it is, raising when Redis does."""
    backend = caches["default"]
    if isinstance(backend, FailSoftRedisCache):
        return getattr(super(FailSoftRedisCache, backend), method)
    return getattr(backend, method)


def _soft(default, function, *args, **kwargs):
    try:
        return _guarded(function, *args, **kwargs)
    except Unavailable:
        return default


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache that keeps nothing while Redis is down.

    incr of a key it cannot read raises ValueError, as for a missing key.
    """

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return _soft(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return _soft(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        _soft(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return _soft(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return _soft(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return _soft({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return _soft(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        value = _soft(self, super().incr, key, delta, version)
        if value is self:
            raise ValueError(f"Key '{key}' not found: the shared cache is unavailable.")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return _soft(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        _soft(None, super().delete_many, keys, version)

    def clear(self):
        return _soft(False, super().clear)


def get(key, default=None):
    """The cached value, or default when it is missing or the cache is down."""
    return _soft(default, _raw("get"), key, default)


def add(key, value, timeout):
    """Whether value was added (False when the key exists or the cache is down)."""
    return _soft(False, _raw("add"), key, value, timeout)


def delete(key):
    _soft(None, _raw("delete"), key)


class _Raw:
    """The default cache's methods, each raising Unavailable when Redis fails."""

    def __getattr__(self, method):
        function = _raw(method)
        return lambda *args, **kwargs: _guarded(function, *args, **kwargs)


def with_fallback(operation):
    """operation(cache) on the shared cache, or on this process's memory while it is down."""
    try:
        return operation(_Raw())
    except Unavailable:
        return operation(local)
