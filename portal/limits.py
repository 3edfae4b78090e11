"""Counters in the shared cache for the abuse limits of the public forms.

cache.add + cache.incr are atomic on Redis and memcached, so parallel posts cannot slip by.
While the shared cache is down, each process counts in its own memory (`shared_cache`): a
limit then holds per process rather than not at all.
"""

import hashlib

from . import shared_cache


def within_limit(key, limit, window):
    """Count one more event under `key`; False once there are more than `limit` in the window
    of `window` seconds."""
    return shared_cache.with_fallback(lambda cache: _count(cache, key, window)) <= limit


def within_mail_limits(name, email, per_address, per_hour):
    """Whether one more email may go to `email`: per_address (count, seconds) to that address,
    kept hashed, and per_hour to all, so a public form cannot aim the network's mail at
    somebody's inbox."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    limit, window = per_address
    if not within_limit(f"ratelimit:{name}:{digest}", limit, window):
        return False
    return within_limit(f"ratelimit:{name}:all", per_hour, 3600)


def _count(cache, key, window):
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def tally(key):
    """Count one more event under `key`, kept until the cache is cleared; returns the total."""

    def count(cache):
        cache.add(key, 0, timeout=None)
        return cache.incr(key)

    return shared_cache.with_fallback(count)
