"""The catalogue's query: upcoming sessions, filters, facet counts and cross-standard search.

One results contract for both backends: `search(filters, locale, page_number)` returns a
`CatalogueResult` whose page holds `CourseSession` rows of the active locale, each with its
course's facts as `session.course`, and whose facets count, for every option of a filter, the
sessions that match all the *other* active filters.

The database path splits the filters in two. Course filters (q, category, audience, mode) are
decided in Python over the locale's live courses, cached per content version (a few thousand at
most); only the search itself is a query. Session filters (municipality, dates, free seats) stay
in SQL. Sessions are then counted per course in one grouped query and per municipality in
another, and the page's sessions are picked by id and loaded alone, so every facet, the total and
the page come from a fixed handful of queries, whatever the size of the catalogue.
"""

import datetime
from collections import Counter
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import Count, Lookup
from django.utils import timezone

from portal import content_cache

from ..models import CoursePage, CourseSession
from ..services import enrollable_q
from .common import (
    COURSE_FILTERS,
    PER_PAGE,
    CatalogueResult,
    day_start,
    live_courses,
    load_sessions,
    taxonomies,
)


class CountedPaginator(Paginator):
    """A paginator told its count, which the facet queries have already found."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


class AnyOf(Lookup):
    """`page__any=[pk, …]`: PostgreSQL gets the pks as one array, `= ANY(%s)`, others `IN (…)`.

    The catalogue passes the pks of every course that matches, up to a few thousand, on every
    request; as an array they are one parameter to convert and to parse, not one each.
    """

    lookup_name = "any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", (*params, *self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*params, list(self.rhs))


CourseSession._meta.get_field("page").register_lookup(AnyOf)


def of_courses(sessions, locale, courses):
    """The sessions of these courses of locale: by their ids, or by the others' when fewer.

    With no filter on the courses, the others are the few unpublished or private ones, often
    none, and the database reads the sessions without a list to check each row against.
    """
    shown = {course.pk for course in courses}
    others = content_cache.cached(
        "catalogue-course-ids",
        lambda: set(CoursePage.objects.filter(locale=locale).values_list("pk", flat=True)),
        locale.pk,
    ).difference(shown)
    if len(others) < len(shown):
        return sessions.exclude(page__any=list(others)) if others else sessions
    return sessions.filter(page__any=list(shown))


def course_matches(course, filters, skip=None):
    """Whether course passes the course filters but skip (the search is applied already)."""
    if filters.category and skip != "category" and course.category != filters.category:
        return False
    if filters.mode and skip != "mode" and course.mode != filters.mode:
        return False
    if filters.audience and skip != "audience" and filters.audience not in course.audiences:
        return False
    return True


def upcoming_sessions(locale, now=None):
    return CourseSession.objects.filter(locale=locale, start__gte=now or timezone.now())


def session_filters(queryset, filters, now, skip=None):
    if filters.municipality and skip != "municipality":
        municipality = taxonomies().municipality_ids.get(filters.municipality)
        queryset = (
            queryset.filter(municipality_id=municipality) if municipality else queryset.none()
        )
    if filters.start:
        queryset = queryset.filter(start__gte=day_start(filters.start))
    if filters.end:
        queryset = queryset.filter(start__lt=day_start(filters.end + datetime.timedelta(days=1)))
    if filters.available and skip != "available":
        queryset = queryset.filter(enrollable_q(now))
    return queryset


def facet_counts(base, locale, courses, filters, now):
    """Every facet and the total: one query per course, one per municipality.

    courses are the live courses the search found (every facet keeps the search), or all.
    """
    counted = session_filters(base, filters, now, skip="available")
    if filters.q:
        counted = of_courses(counted, locale, courses)
    per_course = {
        row["page_id"]: row
        for row in counted.order_by()
        .values("page_id")
        .annotate(total=Count("pk"), free=Count("pk", filter=enrollable_q(now)))
    }

    def sessions_of(course, name="free" if filters.available else "total"):
        row = per_course.get(course.pk)
        return row[name] if row else 0

    facets = {name: Counter() for name in COURSE_FILTERS}
    for course in courses:
        if course_matches(course, filters, skip="category"):
            facets["category"][course.category] += sessions_of(course)
        if course_matches(course, filters, skip="mode"):
            facets["mode"][course.mode] += sessions_of(course)
        if course_matches(course, filters, skip="audience"):
            for slug in course.audiences:
                facets["audience"][slug] += sessions_of(course)
    matching = [c for c in courses if course_matches(c, filters)]
    facets["available"] = {"1": sum(sessions_of(c, "free") for c in matching)}
    total = sum(sessions_of(c) for c in matching)

    by_municipality = (
        of_courses(session_filters(base, filters, now, skip="municipality"), locale, matching)
        .filter(municipality__isnull=False)
        .order_by()
        .values_list("municipality_id")
        .annotate(n=Count("pk"))
    )
    numbers = taxonomies().municipality_numbers
    facets["municipality"] = {numbers[pk]: n for pk, n in by_municipality}
    return {name: dict(counts) for name, counts in facets.items()}, total


def search(filters, locale, page_number=1, per_page=PER_PAGE, facets=True):
    now = timezone.now()
    courses = live_courses(locale, filters.q)
    base = upcoming_sessions(locale, now)
    matching = [c for c in courses if course_matches(c, filters)]
    ids = (
        of_courses(session_filters(base, filters, now), locale, matching)
        .order_by("start", "pk")
        .values_list("pk", flat=True)
    )
    if facets:
        counts, total = facet_counts(base, locale, courses, filters, now)
        page = CountedPaginator(ids, per_page, total).get_page(page_number)
    else:
        counts, page = {}, Paginator(ids, per_page).get_page(page_number)
    # The page's ids are found without joins; only its own rows are loaded.
    page.object_list = load_sessions(list(page.object_list), courses)
    return CatalogueResult(page, counts)
