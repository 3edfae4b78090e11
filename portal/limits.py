"""Counters in the shared cache for the abuse limits of the public forms.

cache.add + cache.incr are atomic on Redis and memcached, so parallel posts cannot slip by.
"""

from django.core.cache import cache


def within_limit(key, limit, window):
    """Count one more event under `key`; False once there are more than `limit` in the window
    of `window` seconds."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def tally(key):
    """Count one more event under `key`, kept until the cache is cleared; returns the total."""
    cache.add(key, 0, timeout=None)
    return cache.incr(key)
