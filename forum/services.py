"""What the forum's public pages list, and the admin's overview of the needs, each read in a
fixed number of queries however many measures, needs, courses, sessions and measurements there
are.

A plan's measures are its live child pages in the explorer's order, which is their priority.
Their `courses` may name the bokmål course pages in the nynorsk copy (wagtail-localize copies
the relation as it is): each course is shown in the plan's written standard, found by its
translation key (`portal.models.localized_pages`). Sessions are the course page's own copies,
which carry the seats; measured values belong to the source-language indicator and are found by
the indicator's translation key, so the nynorsk page shows bokmål's values.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Subquery, Sum, Value, Window
from django.db.models.functions import Length, RowNumber, Substr
from django.utils import timezone
from wagtail.models import Page

from katalog.courses.models import CoursePage, CourseSession, SessionStatus
from katalog.places.models import Municipality
from portal import content_cache
from portal.models import localized_pages, unrestricted

from .models import (
    MeasurePage,
    MeasureStatus,
    Need,
    NeedKind,
    ResultsReportPage,
    ServiceArea,
    TrainingPlanPage,
    with_latest_measurement,
)

# How many of a course's next sessions a plan or measure lists (the course page has them all).
NEXT_SESSIONS = 3
STEPLEN = Page.steplen


@dataclass
class CourseOffer:
    """A course that delivers a measure, in the page's written standard, with its next open
    sessions (each with the course as `session.course`)."""

    page: CoursePage
    sessions: list


@dataclass
class NeedsAnswered:
    needs: list
    municipalities: list = field(init=False)
    employees: int = field(init=False)

    def __post_init__(self):
        seen = {}
        for need in self.needs:
            seen.setdefault(need.municipality_id, need.municipality)
        self.municipalities = sorted(seen.values(), key=lambda m: m.name_nb)
        self.employees = sum(need.employees_concerned for need in self.needs)

    @property
    def count(self):
        return len(self.needs)


@dataclass
class PlannedMeasure:
    page: MeasurePage
    priority: int | None  # None for a dropped measure
    needs: NeedsAnswered
    courses: list  # of CourseOffer


def _needs():
    return Prefetch("needs", queryset=Need.objects.select_related("municipality"))


def plans(index):
    """The forum's live plans, the latest period first."""
    return list(
        TrainingPlanPage.objects.child_of(index)
        .live()
        .filter(unrestricted())
        .order_by("-period_start", "path")
    )


def plan_measures(plan, now=None):
    """The plan's live measures in order of priority, each with its needs and courses; dropped
    measures keep their place in the list but get no priority number and list no courses."""
    measures = list(
        MeasurePage.objects.child_of(plan)
        .live()
        .filter(unrestricted())
        .prefetch_related(_needs())
        .order_by("path")
    )
    active = [m for m in measures if m.status != MeasureStatus.DROPPED]
    offers = course_offers(active, plan.locale.language_code, now)
    priorities = {m.pk: number for number, m in enumerate(active, start=1)}
    return [
        PlannedMeasure(
            measure,
            priorities.get(measure.pk),
            NeedsAnswered(list(measure.needs.all())),
            offers.get(measure.pk, []),
        )
        for measure in measures
    ]


def results_report(plan):
    """The plan's live results report, or None."""
    return (
        ResultsReportPage.objects.child_of(plan).live().filter(unrestricted()).order_by("path")
    ).first()


def measure_details(measure, now=None):
    """A measure's needs, its indicators with their latest measured values, and its courses
    (none for a dropped measure)."""
    needs = list(measure.needs.select_related("municipality").order_by(*Need._meta.ordering))
    indicators = list(
        with_latest_measurement(measure.indicators.all()).order_by("sort_order", "pk")
    )
    courses = []
    if measure.status != MeasureStatus.DROPPED:
        courses = course_offers([measure], measure.locale.language_code, now).get(measure.pk, [])
    return {"needs": NeedsAnswered(needs), "indicators": indicators, "courses": courses}


def course_offers(measures, language, now=None):
    """{measure pk: [CourseOffer]} for the live, public courses of measures, in language where
    they are translated, each with its next open sessions; in three queries."""
    if not measures:
        return {}
    now = now or timezone.now()
    through = MeasurePage.courses.through
    links = list(
        through.objects.filter(measurepage_id__in=[m.pk for m in measures])
        .order_by("pk")
        .values_list("measurepage_id", "coursepage_id")
    )
    courses = localized_pages(
        {course_pk for _measure, course_pk in links},
        language,
        CoursePage.objects.live().filter(unrestricted()),
    )
    sessions = _next_sessions([c.pk for c in courses.values() if c is not None], now)
    offers = {}
    shown = set()
    for measure_pk, course_pk in links:
        course = courses.get(course_pk)
        # The nb and the nn page of one course may both be named: show it once.
        if course is None or (measure_pk, course.pk) in shown:
            continue
        shown.add((measure_pk, course.pk))
        for session in sessions.get(course.pk, []):
            session.page = course
        offers.setdefault(measure_pk, []).append(CourseOffer(course, sessions.get(course.pk, [])))
    for items in offers.values():
        items.sort(key=lambda offer: offer.page.title.lower())
    return offers


def _next_sessions(course_pks, now):
    """{course pk: its next NEXT_SESSIONS sessions that are open and still take enrolments
    (or a place on the waiting list)}."""
    if not course_pks:
        return {}
    rows = (
        CourseSession.objects.filter(
            page_id__in=course_pks,
            status=SessionStatus.OPEN,
            start__gt=now,
            enrolment_deadline__gte=now,
        )
        .select_related("municipality")
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("page_id")], order_by=[F("start"), F("pk")])
        )
        .filter(rank__lte=NEXT_SESSIONS)
        .order_by("start", "pk")
    )
    sessions = {}
    for session in rows:
        sessions.setdefault(session.page_id, []).append(session)
    return sessions


def measures_delivered_by(course):
    """The live measures of live plans, in the course's written standard, that the course
    delivers (by its translation key, so either standard's page counts), dropped ones left out;
    each with its plan's title as `plan_title`. Read once per content version: measures and
    their courses change only when a page is saved."""

    def compute():
        parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Value(STEPLEN))
        plan = Page.objects.filter(path=parent_path)
        return list(
            MeasurePage.objects.live()
            .filter(unrestricted())
            .filter(locale_id=course.locale_id, courses__translation_key=course.translation_key)
            .exclude(status=MeasureStatus.DROPPED)
            .filter(Exists(plan.filter(live=True)))
            .annotate(plan_title=Subquery(plan.values("title")[:1]))
            .distinct()
            .order_by("path")
        )

    return content_cache.cached(
        "forum-measures-of-course", compute, course.translation_key, course.locale_id
    )


def needs_overview(needs):
    """Counts per service area and per kind (needs, employees concerned, municipalities), and
    the needs that several municipalities share: the same service area and kind in two or more
    municipalities, the ground for working together. A fixed number of queries."""
    needs = needs.order_by()
    figures = {
        "needs": Count("pk"),
        "employees": Sum("employees_concerned"),
        "municipalities": Count("municipality", distinct=True),
    }

    def counted(field, choices):
        found = {row[field]: row for row in needs.values(field).annotate(**figures)}
        return [
            {
                "value": value,
                "label": label,
                "needs": found.get(value, {}).get("needs", 0),
                "employees": found.get(value, {}).get("employees") or 0,
                "municipalities": found.get(value, {}).get("municipalities", 0),
            }
            for value, label in choices.choices
        ]

    by_area = counted("service_area", ServiceArea)
    by_kind = counted("kind", NeedKind)
    groups = list(
        needs.values("service_area", "kind")
        .annotate(**figures)
        .filter(municipalities__gte=2)
        .order_by("-municipalities", "-employees", "service_area", "kind")
    )
    names = {
        municipality.pk: str(municipality)
        for municipality in Municipality.objects.filter(pk__in=needs.values("municipality"))
    }
    where = {}
    for service_area, kind, municipality in needs.values_list(
        "service_area", "kind", "municipality"
    ).distinct():
        where.setdefault((service_area, kind), []).append(names[municipality])
    areas, kinds = dict(ServiceArea.choices), dict(NeedKind.choices)
    shared = [
        {
            **group,
            "service_area_label": areas.get(group["service_area"], group["service_area"]),
            "kind_label": kinds.get(group["kind"], group["kind"]),
            "municipality_names": sorted(where[(group["service_area"], group["kind"])]),
        }
        for group in groups
    ]
    return {
        "by_area": by_area,
        "by_kind": by_kind,
        "shared": shared,
        "total_needs": sum(row["needs"] for row in by_area),
        "total_employees": sum(row["employees"] for row in by_area),
    }
