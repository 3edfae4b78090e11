"""Walk every admin URL the resolver knows, for tests that must hold on all of them."""

import io
import re
import zipfile

from django.urls import URLPattern, URLResolver, get_resolver


def admin_patterns(resolver=None, prefix=""):
    """(route, pattern) of every URL under /admin/, with nested includes flattened."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from admin_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def admin_paths(obj, page):
    """A path for every admin URL but logout, each argument filled with `obj` (its pk, app and
    model) or, for page arguments, with `page`'s id."""
    values = {
        "default": obj.pk,
        "page_id": page.pk,
        "parent_page_id": page.pk,
        "app_label": obj._meta.app_label,
        "model_name": obj._meta.model_name,
    }
    for route, _pattern in admin_patterns():
        if route.startswith("admin/") and not route.startswith("admin/logout"):
            yield fill(route, values)


def fill(route, values):
    """A concrete path for a route, each converter or regex group filled by its name."""
    route = route.lstrip("^")

    def by_name(match):
        name = match.group("name")
        return str(values.get(name, values["default"]))

    path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", by_name, route)
    path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", by_name, path)
    path = path.replace("\\", "").rstrip("$")
    return "/" + path


def response_text(response):
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")
