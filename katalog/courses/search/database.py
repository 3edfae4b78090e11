"""The catalogue's query: upcoming sessions, filters, facet counts and cross-standard search.

One results contract for both backends: `search(filters, locale, page_number)` returns a
`CatalogueResult` whose page holds `CourseSession` rows of the active locale, each with its
course's facts as `session.course`, and whose facets count, for every option of a filter, the
sessions that match all the *other* active filters.

The database path splits the filters in two. Course filters (q, category, audience, mode) are
decided in Python over the locale's live courses, cached per content version (a few thousand at
most); only the search itself is a query. Session filters (municipality, dates, free seats) stay
in SQL. Sessions are then counted per course and per municipality (on PostgreSQL, without a
course filter, in one query with a grouping set for each, which reads them once), and the page's
sessions are picked by id and loaded alone, so every facet, the total and the page come from a
fixed handful of queries, whatever the size of the catalogue.

The facet counts and the total are cached for each search and locale under the content version
(any saved session or change of seats replaces it) and under the next moment a session starts or
its enrolment closes, when time alone changes what is upcoming and what is available: until then
a search's counts are the same for every request, and exact.
"""

import bisect
import datetime
import hashlib
from collections import Counter
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BooleanField, Count, ExpressionWrapper, Lookup, Q, Value
from django.utils import timezone

from portal import content_cache

from ..models import CoursePage, CourseSession
from ..services import enrollable_q
from .common import (
    PER_PAGE,
    CatalogueResult,
    day_start,
    live_courses,
    taxonomies,
    with_courses,
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


def course_matches(course, filters):
    """Whether course passes the course filters (the search is applied already)."""
    if filters.category and course.category != filters.category:
        return False
    if filters.mode and course.mode != filters.mode:
        return False
    if filters.audience and filters.audience not in course.audiences:
        return False
    return True


def upcoming_sessions(locale, now=None):
    return CourseSession.objects.filter(locale=locale, start__gte=now or timezone.now())


def session_filters(queryset, filters, now, skip=()):
    """queryset narrowed by the session filters, but those named in skip."""
    if filters.municipality and "municipality" not in skip:
        municipality = taxonomies().municipality_ids.get(filters.municipality)
        queryset = (
            queryset.filter(municipality_id=municipality) if municipality else queryset.none()
        )
    if filters.start:
        queryset = queryset.filter(start__gte=day_start(filters.start))
    if filters.end:
        queryset = queryset.filter(start__lt=day_start(filters.end + datetime.timedelta(days=1)))
    if filters.available and "available" not in skip:
        queryset = queryset.filter(enrollable_q(now))
    return queryset


def condition(q):
    return ExpressionWrapper(q, output_field=BooleanField())


def grouped_counts(base, locale, courses, filters, now):
    """What separate_counts finds, in one query, when only the search narrows the courses:
    PostgreSQL reads the rows once, with a grouping set for each count and the municipality and
    free-seat filters as FILTER clauses. (With a course filter the counts per municipality read
    that course's sessions alone, by the index, and two queries read fewer rows.)"""
    rows = of_courses(
        session_filters(base, filters, now, skip=("municipality", "available")), locale, courses
    )
    in_municipality = Value(True)
    if filters.municipality:
        municipality = taxonomies().municipality_ids.get(filters.municipality)
        in_municipality = (
            condition(Q(municipality_id=municipality)) if municipality else Value(False)
        )
    rows = (
        rows.order_by()
        .values("page_id", "municipality_id")
        .annotate(
            free=condition(enrollable_q(now)),
            in_municipality=in_municipality,
        )
    )
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    statement = (
        "SELECT page_id, municipality_id, GROUPING(page_id), "
        "COUNT(*) FILTER (WHERE in_municipality), "
        "COUNT(*) FILTER (WHERE in_municipality AND free), "
        f"COUNT(*) FILTER (WHERE {'free' if filters.available else 'TRUE'}) "
        f"FROM ({sql}) AS sessions GROUP BY GROUPING SETS ((page_id), (municipality_id))"
    )
    per_course, by_municipality = {}, {}
    with connections[rows.db].cursor() as cursor:
        cursor.execute(statement, params)
        for page_id, municipality_id, by_page, total, free, n in cursor.fetchall():
            if not by_page:
                per_course[page_id] = {"total": total, "free": free}
            elif municipality_id is not None and n:
                by_municipality[municipality_id] = n
    return per_course, by_municipality


def separate_counts(base, locale, courses, matching, filters, now):
    """Per course: the sessions of the municipality filter (free ones too); per municipality:
    the matching courses' sessions (free ones only, with that filter)."""
    counted = session_filters(base, filters, now, skip=("available",))
    if filters.q:
        counted = of_courses(counted, locale, courses)
    per_course = {
        row["page_id"]: row
        for row in counted.order_by()
        .values("page_id")
        .annotate(total=Count("pk"), free=Count("pk", filter=enrollable_q(now)))
    }
    by_municipality = (
        of_courses(session_filters(base, filters, now, skip=("municipality",)), locale, matching)
        .filter(municipality__isnull=False)
        .order_by()
        .values_list("municipality_id")
        .annotate(n=Count("pk"))
    )
    return per_course, dict(by_municipality)


def facet_counts(base, locale, courses, matching, filters, now):
    """Every facet and the total, from one or two grouped queries.

    courses are the live courses the search found (every facet keeps the search), or all;
    matching those that pass the other course filters too.
    """
    if connections[base.db].vendor == "postgresql" and len(matching) == len(courses):
        per_course, by_municipality = grouped_counts(base, locale, courses, filters, now)
    else:
        per_course, by_municipality = separate_counts(base, locale, courses, matching, filters, now)

    # Each course facet ignores its own filter: a course counts in it if it passes the others.
    # This runs over every live course on every request, so the filters are compared inline.
    counted = "free" if filters.available else "total"
    category, mode, audience = Counter(), Counter(), Counter()
    free = total = 0
    for course in courses:
        row = per_course.get(course.pk)
        n = row[counted] if row else 0
        in_category = not filters.category or course.category == filters.category
        in_mode = not filters.mode or course.mode == filters.mode
        in_audience = not filters.audience or filters.audience in course.audiences
        if in_mode and in_audience:
            category[course.category] += n
        if in_category and in_audience:
            mode[course.mode] += n
        if in_category and in_mode:
            for slug in course.audiences:
                audience[slug] += n
            if in_audience and row:
                free += row["free"]
                total += n

    numbers = taxonomies().municipality_numbers
    facets = {
        "category": dict(category),
        "audience": dict(audience),
        "mode": dict(mode),
        "available": {"1": free},
        "municipality": {numbers[pk]: n for pk, n in by_municipality.items()},
    }
    return facets, total


def changes_within_hour(locale, hour):
    """The moments in the hour from hour at which a session of locale starts or stops taking
    enrolments, sorted: the only moments at which time changes the catalogue's counts."""
    sessions = upcoming_sessions(locale, hour).order_by()
    end = hour + datetime.timedelta(hours=1)
    starts = sessions.filter(start__lt=end).values_list("start", flat=True)
    deadlines = sessions.filter(
        enrolment_deadline__gte=hour, enrolment_deadline__lt=end
    ).values_list("enrolment_deadline", flat=True)
    return sorted(set(starts.union(deadlines)))


def counts_valid_until(locale, now):
    """The first moment at or after now at which time changes the counts (or the next hour)."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    changes = content_cache.cached(
        "catalogue-changes", lambda: changes_within_hour(locale, hour), locale.pk, hour.isoformat()
    )
    index = bisect.bisect_left(changes, now)
    return changes[index] if index < len(changes) else hour + datetime.timedelta(hours=1)


def cached_facet_counts(base, locale, courses, matching, filters, now):
    """facet_counts, computed once for each search until the content or the time changes them.

    Counts found at now hold for every moment up to and including the first start or deadline
    at or after it: no session leaves the upcoming or the available ones before then.
    """
    search_key = hashlib.sha256(repr(filters).encode()).hexdigest()
    return content_cache.cached(
        "catalogue-facets",
        lambda: facet_counts(base, locale, courses, matching, filters, now),
        locale.pk,
        search_key,
        counts_valid_until(locale, now).isoformat(),
    )


def search(filters, locale, page_number=1, per_page=PER_PAGE, facets=True):
    now = timezone.now()
    courses = live_courses(locale, filters.q)
    base = upcoming_sessions(locale, now)
    narrowed = filters.category or filters.mode or filters.audience
    matching = [c for c in courses if course_matches(c, filters)] if narrowed else courses
    ids = (
        of_courses(session_filters(base, filters, now), locale, matching)
        .order_by("start", "pk")
        .values_list("pk", flat=True)
    )
    if facets:
        counts, total = cached_facet_counts(base, locale, courses, matching, filters, now)
        page = CountedPaginator(ids, per_page, total).get_page(page_number)
    else:
        counts, page = {}, Paginator(ids, per_page).get_page(page_number)
    # The page's ids are found without joins, in a subquery; only its own rows are loaded.
    rows = CourseSession.objects.select_related("municipality").filter(pk__in=page.object_list)
    page.object_list = with_courses(rows.order_by("start", "pk"), locale)
    return CatalogueResult(page, counts)
