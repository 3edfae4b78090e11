"""The catalogue's query: upcoming sessions, filters, facet counts and cross-standard search.

One results contract for both backends: `search_sessions(filters, locale, page_number)` returns a
`CatalogueResult` whose page holds `CourseSession` rows of the active locale, and whose facets
count, for every option of a filter, the sessions that match all the *other* active filters.
"""

import datetime
from dataclasses import dataclass, fields, replace

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.utils import timezone

from .models import CoursePage, CourseSession, SessionStatus

PER_PAGE = 20
FACETS = ("municipality", "category", "audience", "mode", "available")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    municipality: str = ""  # municipality number
    category: str = ""  # category slug
    audience: str = ""  # audience slug
    mode: str = ""
    start: datetime.date | None = None  # the `from` parameter
    end: datetime.date | None = None  # the `to` parameter
    available: bool = False

    def without(self, name):
        return replace(self, **{name: next(f.default for f in fields(self) if f.name == name)})


@dataclass
class CatalogueResult:
    page: object  # a Paginator page of CourseSession
    facets: dict  # facet name -> {option value: session count}


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def available_q(now):
    """Sessions a visitor can still enrol in (open, before the deadline, with a free seat)."""
    return Q(status=SessionStatus.OPEN, enrolment_deadline__gte=now, seats_taken__lt=F("capacity"))


def matching_course_keys(q):
    """translation_keys of the live courses that match q in either written standard.

    Both locales are searched, so a nynorsk word finds the bokmål twin of a course and vice versa.
    """
    results = (
        CoursePage.objects.live()
        .only("translation_key")
        .search(q, operator="and", order_by_relevance=False)
    )
    return {page.translation_key for page in results}


def upcoming_sessions(locale, now=None):
    now = now or timezone.now()
    return CourseSession.objects.filter(locale=locale, start__gte=now, page__live=True)


def apply_filters(queryset, filters, course_keys=None, now=None):
    """queryset narrowed by filters; course_keys are the matches of filters.q, found once."""
    now = now or timezone.now()
    if filters.q:
        queryset = queryset.filter(page__translation_key__in=course_keys or [])
    if filters.municipality:
        queryset = queryset.filter(municipality__number=filters.municipality)
    if filters.category:
        queryset = queryset.filter(page__category__slug=filters.category)
    if filters.audience:
        queryset = queryset.filter(page__audiences__slug=filters.audience)
    if filters.mode:
        queryset = queryset.filter(page__mode=filters.mode)
    if filters.start:
        queryset = queryset.filter(start__gte=_day_start(filters.start))
    if filters.end:
        queryset = queryset.filter(start__lt=_day_start(filters.end + datetime.timedelta(days=1)))
    if filters.available:
        queryset = queryset.filter(available_q(now))
    return queryset


FACET_FIELDS = {
    "municipality": "municipality__number",
    "category": "page__category__slug",
    "audience": "page__audiences__slug",
    "mode": "page__mode",
}


def facet_counts(base, filters, course_keys, now):
    """One grouped query per facet, each with every filter but its own: five queries in all."""
    facets = {}
    for name, field in FACET_FIELDS.items():
        rows = (
            apply_filters(base, filters.without(name), course_keys, now)
            .order_by()
            .values_list(field)
            .annotate(n=Count("pk", distinct=True))
        )
        facets[name] = {value: n for value, n in rows if value is not None}
    facets["available"] = {
        "1": apply_filters(base, filters.without("available"), course_keys, now)
        .filter(available_q(now))
        .count()
    }
    return facets


def search_database(filters, locale, page_number=1, per_page=PER_PAGE, facets=True):
    now = timezone.now()
    course_keys = matching_course_keys(filters.q) if filters.q else None
    base = upcoming_sessions(locale, now)
    sessions = (
        apply_filters(base, filters, course_keys, now)
        .select_related("page", "municipality")
        .order_by("start", "pk")
    )
    page = Paginator(sessions, per_page).get_page(page_number)
    return CatalogueResult(
        page=page, facets=facet_counts(base, filters, course_keys, now) if facets else {}
    )


def search_sessions(filters, locale, page_number=1, per_page=PER_PAGE, facets=True):
    """Results from Elasticsearch when ELASTICSEARCH_URL is set, else from the database."""
    if settings.ELASTICSEARCH_URL:
        from . import elastic

        return elastic.search(filters, locale, page_number, per_page, facets)
    return search_database(filters, locale, page_number, per_page, facets)
