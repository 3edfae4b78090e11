"""What both catalogue backends share: the filters, the result, the live courses, the taxonomies."""

import datetime
import hashlib
from dataclasses import dataclass
from functools import cached_property

from django.db.models import F
from django.utils import timezone

from katalog.places.models import Municipality
from portal import content_cache
from portal.text import search_terms

from ..models import Audience, Category, CoursePage, CourseSession, DeliveryMode

PER_PAGE = 20
FACET_NAMES = ("municipality", "category", "audience", "mode")


class Unavailable(Exception):
    """The search server cannot answer now; the database search answers instead."""


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


@dataclass
class CatalogueResult:
    page: object  # a Paginator page of CourseSession
    facets: dict  # facet name -> {option value: session count}; empty when not asked for


@dataclass
class Course:
    """A live course as the catalogue filters and shows it, with the names a CoursePage uses."""

    pk: int
    translation_key: str
    category: str  # slug
    mode: str
    audiences: set  # slugs
    title: str
    url: str
    full_url: str
    price: int

    def get_mode_display(self):
        return DeliveryMode(self.mode).label


@dataclass
class Taxonomies:
    municipalities: list  # with their regions
    categories: list
    audiences: list

    @cached_property
    def municipality_ids(self):
        return {m.number: m.pk for m in self.municipalities}

    @cached_property
    def municipality_numbers(self):
        return {m.pk: m.number for m in self.municipalities}


def day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def taxonomies():
    """The filters' options, read once per content version."""
    return content_cache.cached(
        "catalogue-taxonomies",
        lambda: Taxonomies(
            list(Municipality.objects.select_related("region")),
            list(Category.objects.all()),
            list(Audience.objects.all()),
        ),
    )


def matching_course_keys(q):
    """The translation_keys of the live courses that match q in either standard.

    Both locales are searched, so a nynorsk word finds the bokmål twin of a course and vice versa.
    """
    terms = search_terms(q)
    if not terms:
        return set()
    results = CoursePage.objects.live().search(terms, operator="and", order_by_relevance=False)
    return {str(key) for key in results.get_queryset().values_list("translation_key", flat=True)}


def live_courses(locale, q=""):
    """The locale's live, public courses (only those matching q, if given).

    The courses, and what each search finds among them, are read once per content version.
    Courses behind a view restriction stay out of the catalogue and its feeds.
    """

    def compute():
        pages = CoursePage.objects.live().public().filter(locale=locale).order_by("pk")
        courses = {
            page.pk: Course(
                page.pk,
                str(page.translation_key),
                page.category_slug,
                page.mode,
                set(),
                page.title,
                page.get_url(),
                page.get_full_url(),
                page.price,
            )
            for page in pages.only(
                "title", "url_path", "translation_key", "mode", "price"
            ).annotate(category_slug=F("category__slug"))
        }
        for pk, slug in pages.filter(audiences__isnull=False).values_list("pk", "audiences__slug"):
            courses[pk].audiences.add(slug)
        return list(courses.values())

    courses = content_cache.cached("catalogue-live-courses", compute, locale.pk)
    if not q:
        return courses

    def found():
        keys = matching_course_keys(q)
        return [course for course in courses if course.translation_key in keys]

    # What a search finds changes only with the pages, so it is cached like them.
    return content_cache.cached(
        "catalogue-search", found, locale.pk, hashlib.sha256(q.encode()).hexdigest()
    )


def live_courses_by_pk(locale):
    return content_cache.cached(
        "catalogue-live-courses-by-pk",
        lambda: {course.pk: course for course in live_courses(locale)},
        locale.pk,
    )


def with_courses(sessions, locale):
    """sessions, each with its live course of locale as session.course.

    The cards need only the course's cached facts, so its page is never loaded. A session whose
    course is no longer live (unpublished since it was found) is left out.
    """
    by_pk = live_courses_by_pk(locale)
    kept = []
    for session in sessions:
        if session.page_id in by_pk:
            session.course = by_pk[session.page_id]
            kept.append(session)
    return kept


def load_sessions(ids, locale):
    """The sessions with these ids, in this order, each with its course (see with_courses)."""
    rows = CourseSession.objects.select_related("municipality").in_bulk(ids)
    return with_courses((rows[pk] for pk in ids if pk in rows), locale)
