"""The site search: every live, public page of both written standards, shown in the visitor's.

Like the catalogue's search (katalog/courses/search/), a query runs over the pages of both
locales, so a nynorsk word finds a page written in bokmål and the other way round; each page
found is then shown as its twin in the visitor's standard (the same `translation_key`), once,
however many of its copies matched. A page with no live twin there is shown as it is, in the
other standard.

What a search finds changes only with the pages, so it is computed once per content version
(view restrictions are watched too), in three queries however many pages and page types it
finds: the search, the pages to show, and their intros from every type's table at once.
"""

import hashlib
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from wagtail.models import Page

from portal import content_cache
from portal.models import unrestricted
from portal.text import search_terms

MAX_QUERY_LENGTH = 200
# The most relevant pages a search shows; a portal of a regional network has some hundreds.
MAX_HITS = 500


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    description: str
    language: str  # the language code of the page shown


@dataclass
class Group:
    """The pages of one page type that a search found, the most relevant first."""

    type: str  # the page model's name, the `type` parameter (e.g. "coursepage")
    model: str  # its label ("courses.CoursePage")
    hits: list = field(default_factory=list)

    @property
    def label(self):
        """The page type's name in the active language."""
        return capfirst(apps.get_model(self.model)._meta.verbose_name)


def matching_pages(q):
    """[(translation_key, content type id)] of the live, public pages matching q in either
    standard, the most relevant first, one per translation_key."""
    words = search_terms(q)
    if not words:
        return []
    results = (
        Page.objects.live()
        .filter(depth__gt=1)
        .search(words, operator="and")
        .get_queryset()
        .filter(unrestricted())
        .values_list("translation_key", "content_type_id")
    )
    found = {}
    for key, content_type in results[: MAX_HITS * 2]:  # each page may match in both standards
        found.setdefault(key, content_type)
        if len(found) == MAX_HITS:
            break
    return list(found.items())


def shown_pages(keys, language):
    """{translation_key: page} for keys: the live public twin in language, else the one in the
    other standard; plain `Page`s with the fields every type has, in one query."""
    pages = (
        Page.objects.live()
        .filter(unrestricted(), depth__gt=1, translation_key__in=keys)
        .select_related("locale")
        .only(
            "title",
            "url_path",
            "search_description",
            "translation_key",
            "content_type",
            "locale__language_code",
        )
    )
    shown = {}
    for page in pages:
        if page.locale.language_code == language or page.translation_key not in shown:
            shown[page.translation_key] = page
    return shown


def intros(pages):
    """{pk: intro} of pages whose type has one, read from every type's table in one query."""
    by_model = {}
    for page in pages:
        model = ContentType.objects.get_for_id(page.content_type_id).model_class()
        if model is not None and any(f.name == "intro" for f in model._meta.get_fields()):
            by_model.setdefault(model, []).append(page.pk)
    queries = [
        model.objects.filter(pk__in=pks).order_by().values_list("pk", "intro")
        for model, pks in by_model.items()
    ]
    if not queries:
        return {}
    return dict(queries[0].union(*queries[1:], all=True))


def find(q, language, request):
    """The groups of pages matching q, in the standard language, the most relevant type first:
    three queries, however many pages and types it finds."""
    matches = matching_pages(q)
    pages = shown_pages([key for key, _content_type in matches], language)
    texts = intros(pages.values())
    groups = {}
    for key, content_type in matches:
        page = pages.get(key)
        model = ContentType.objects.get_for_id(content_type).model_class()
        if page is None or model is None:  # unpublished since, or a type whose code is gone
            continue
        group = groups.setdefault(content_type, Group(model._meta.model_name, model._meta.label))
        group.hits.append(
            Hit(
                page.title,
                page.get_url(request),
                texts.get(page.pk) or page.search_description,
                page.locale.language_code,
            )
        )
    return list(groups.values())


def search(q, language, request):
    """find(), once per content version for each query and standard."""
    digest = hashlib.sha256(q.encode()).hexdigest()
    return content_cache.cached_for_site(
        request, "site-search", lambda: find(q, language, request), language, digest
    )
