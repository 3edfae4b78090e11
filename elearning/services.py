"""The library's search with its facet counts, and a learning path's steps with their facts.

Both read a fixed number of queries whatever the number of resources, courses or sessions: the
library's resources are read as light rows once per content version and filtered and counted
in Python (a library holds hundreds, not millions); only the page of resources shown is loaded
whole. A learning path reads its resources in one query and its courses, each with its next
open session, in another.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from wagtail.models import Page

from portal import content_cache
from portal.models import localized_pages, unrestricted

from .models import LearningPathPage, ResourceLanguage, ResourcePage

PER_PAGE = 20
FACETS = ("category", "format", "audience", "licence", "language")
# What a visitor can ask for in the language filter: a resource in both counts for each.
LANGUAGE_OPTIONS = (ResourceLanguage.NB, ResourceLanguage.NN)
# The catalogue's value for a session that takes enrolments (courses.SessionStatus.OPEN).
SESSION_OPEN = "open"


@dataclass(frozen=True)
class LibraryFilters:
    category: str = ""  # category slug
    format: str = ""
    audience: str = ""  # target group slug
    licence: str = ""
    language: str = ""  # nb or nn: resources in that standard or in both

    def active(self):
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}


@dataclass
class Row:
    """A live resource as the filters see it."""

    pk: int
    category: str
    format: str
    licence: str
    language: str
    audiences: set = field(default_factory=set)

    def has(self, name, value):
        if name == "audience":
            return value in self.audiences
        if name == "language":
            return self.language in (value, ResourceLanguage.BOTH)
        return getattr(self, name) == value

    def values(self, name):
        """The options of facet name this resource counts in."""
        if name == "audience":
            return self.audiences
        if name == "language":
            if self.language == ResourceLanguage.BOTH:
                return LANGUAGE_OPTIONS
            return (self.language,)
        value = getattr(self, name)
        return (value,) if value else ()


@dataclass
class LibraryResult:
    page: object  # a Paginator page of ResourcePage
    facets: dict  # facet name -> {option value: count under the other active filters}
    total: int


@dataclass
class Taxonomies:
    categories: list  # courses.Category used by a live resource of the library
    audiences: list  # courses.Audience likewise


def live_resources(library):
    return ResourcePage.objects.child_of(library).live().filter(unrestricted())


def library_rows(library):
    """The library's live, public resources as Rows, by title; read once per content version."""

    def compute():
        resources = live_resources(library).order_by("title", "pk")
        rows = {
            pk: Row(pk, category or "", fmt, licence, language)
            for pk, category, fmt, licence, language in resources.values_list(
                "pk", "category__slug", "format", "licence", "language"
            )
        }
        for pk, slug in resources.filter(audiences__isnull=False).values_list(
            "pk", "audiences__slug"
        ):
            rows[pk].audiences.add(slug)
        return list(rows.values())

    return content_cache.cached("library-rows", compute, library.pk)


def taxonomies(library):
    """The categories and target groups in use in the library, for its filters."""

    def compute():
        used = {"category": set(), "audience": set()}
        for row in library_rows(library):
            used["category"].update(row.values("category"))
            used["audience"].update(row.audiences)
        category = ResourcePage._meta.get_field("category").related_model
        audience = ResourcePage._meta.get_field("audiences").related_model
        return Taxonomies(
            list(category.objects.filter(slug__in=used["category"])),
            list(audience.objects.filter(slug__in=used["audience"])),
        )

    return content_cache.cached("library-taxonomies", compute, library.pk)


def facet_counts(rows, filters):
    """For every facet, each option's count among the rows that pass the *other* filters."""
    active = filters.active()
    counts = {name: Counter() for name in FACETS}
    for row in rows:
        failed = [name for name, value in active.items() if not row.has(name, value)]
        if len(failed) > 1:
            continue
        for name in FACETS:
            if not failed or failed == [name]:
                counts[name].update(row.values(name))
    return {name: dict(counter) for name, counter in counts.items()}


def search(library, filters, page_number=1, per_page=PER_PAGE):
    rows = library_rows(library)
    active = filters.active()
    matching = [row.pk for row in rows if all(row.has(n, v) for n, v in active.items())]
    page = Paginator(matching, per_page).get_page(page_number)
    if page.object_list:
        loaded = (
            ResourcePage.objects.filter(pk__in=list(page.object_list))
            .select_related("owner_municipality", "category", "document")
            .prefetch_related("audiences")
            .in_bulk()
        )
        page.object_list = [loaded[pk] for pk in page.object_list if pk in loaded]
    else:
        page.object_list = []
    return LibraryResult(page, facet_counts(rows, filters), len(matching))


def learning_paths(library):
    return list(
        LearningPathPage.objects.child_of(library).live().filter(unrestricted()).order_by("path")
    )


@dataclass
class Step:
    kind: str  # "resource" or "course"
    page: Page  # the resource or course in the path's written standard
    note: str
    # A course's next open session: when it starts, and its enrolment form under the course.
    next_start: object = None
    enrol_path: str = ""


def path_steps(path, now=None):
    """The path's steps in order, each with the page it names in the path's standard; a step
    whose page is gone, unpublished or private is left out."""
    now = now or timezone.now()
    raw = [(item["type"], item["value"]) for item in path.steps.raw_data]
    resource_pks = [value.get("resource") for kind, value in raw if kind == "resource"]
    course_pks = [value.get("course") for kind, value in raw if kind == "course"]

    language = path.locale.language_code
    resources = localized_pages(
        resource_pks,
        language,
        ResourcePage.objects.live()
        .filter(unrestricted())
        .select_related("owner_municipality", "document"),
    )
    course_model = apps.get_model("courses", "CoursePage")
    session_model = apps.get_model("courses", "CourseSession")
    upcoming = session_model.objects.filter(
        page=OuterRef("pk"), status=SESSION_OPEN, start__gt=now, enrolment_deadline__gt=now
    ).order_by("start", "pk")
    courses = localized_pages(
        course_pks,
        language,
        course_model.objects.live()
        .filter(unrestricted())
        .annotate(
            next_start=Subquery(upcoming.values("start")[:1]),
            next_key=Subquery(upcoming.values("translation_key")[:1]),
        ),
    )

    steps = []
    for kind, value in raw:
        target = (resources if kind == "resource" else courses).get(value.get(kind))
        if target is None:
            continue
        step = Step(kind, target, value.get("note", ""))
        if kind == "course" and target.next_start:
            step.next_start = target.next_start
            step.enrol_path = target.reverse_subpage("enrolment_form", args=[target.next_key])
        steps.append(step)
    return steps
