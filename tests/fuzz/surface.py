"""The public surface as the fuzz tests reach it: the test client, counting what it sends."""

import re
from collections import Counter

from django.core.cache import cache

from tests.fuzz.strategies import query

# (method, kind, endpoint) -> requests sent; kind is "valid" or "invalid" where the test drew
# the request so by construction, "hostile" where only the answer decides.
REQUESTS = Counter()


class Surface:
    """A test client that counts every request and fails on any server error."""

    def __init__(self, client):
        self.client = client

    def _count(self, method, kind, endpoint, response):
        REQUESTS[method, kind, endpoint] += 1
        assert response.status_code < 500, f"{method} {endpoint}: {response.status_code}"
        return response

    def get(self, path, *, endpoint, kind="hostile", **extra):
        return self._count("GET", kind, endpoint, self.client.get(path, **extra))

    def post(self, path, data=None, *, endpoint, kind, **extra):
        return self._count("POST", kind, endpoint, self.client.post(path, data, **extra))

    def post_pairs(self, path, pairs, *, multipart, endpoint, kind, files=None):
        """Posts (name, value) pairs as a browser would, multipart or urlencoded; each name may
        come more than once (the form reads the last)."""
        if multipart or files:
            body = {}
            for name, value in pairs:
                body.setdefault(name, []).append(value)
            body.update(files or {})
            return self.post(path, body, endpoint=endpoint, kind=kind)
        return self.post(
            path,
            query(pairs),
            content_type="application/x-www-form-urlencoded",
            endpoint=endpoint,
            kind=kind,
        )

    def fresh_visitor(self):
        """Forget the session and the rate-limit counters: the next example is somebody new."""
        self.client.cookies.clear()
        cache.clear()


# The error summary at the top of a form links each refused field: `href="#id_<name>"` (a radio
# group's first radio, `_0`).
SUMMARY = re.compile(r'<div class="ds-error-summary".*?</div>', re.S)
SUMMARY_LINK = re.compile(r'href="#id_(\w+?)(?:_0)?"')


def refused_fields(response):
    """The names of the fields the response's error summary links."""
    summary = SUMMARY.search(response.text)
    return set(SUMMARY_LINK.findall(summary.group(0))) if summary else set()
