"""The results report's figures, computed from the portal's own data: the one place for its rules.

A plan's figures always come from its source-language pages (bokmål, `settings.LANGUAGE_CODE`):
its live measures in the order editors gave them, the source copies of their courses and those
courses' sessions, which hold the enrolments. A nynorsk report finds the bokmål plan and shows
the nynorsk measures, courses and indicator names that share their translation keys.

Activity indicators, for the sessions *held* in the period: started on a day of the period, before
now, and not cancelled.

- participants: enrolments in held sessions that had a seat and kept it: confirmed, attended and
  no-show. Cancelled, waiting and awaiting approval never count.
- attended: those marked attended; the attendance rate is attended / participants.
- evaluations: answers of the participants of held sessions; averages are over answers.
- cost per participant: the measure's budget / attended (none when nobody attended).

A course that delivers two measures counts in both measures, but once in the totals and once in
each municipality's figures. Needs "answered" are those linked to a live measure of this plan;
every other need is a gap for the next round, as is a measure with no course.

Every figure is read with a fixed number of grouped queries, however many sessions, enrolments
and needs there are.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from katalog.courses.models import (
    CoursePage,
    CourseSession,
    Enrolment,
    EnrolmentState,
    SessionStatus,
)
from katalog.places.models import Municipality

from .models import (
    MeasurePage,
    Need,
    ResultIndicator,
    TrainingPlanPage,
    with_latest_measurement,
)

# An enrolment that held a seat in a session that took place.
PARTICIPANT_STATES = (EnrolmentState.CONFIRMED, EnrolmentState.ATTENDED, EnrolmentState.NO_SHOW)
# The employer of enrolments that name no municipality (`employer_other`, or nothing).
OTHER_EMPLOYERS = None


@dataclass
class Activity:
    """What happened in held sessions; sums, so that activities add up across courses."""

    sessions_held: int = 0
    participants: int = 0
    attended: int = 0
    evaluations: int = 0
    usefulness_sum: int = 0
    relevance_sum: int = 0

    def add(self, other):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def attendance_rate(self):
        """Attended / participants as a percentage, None without participants."""
        return percentage(self.attended, self.participants)

    @property
    def average_usefulness(self):
        return ratio(self.usefulness_sum, self.evaluations)

    @property
    def average_relevance(self):
        return ratio(self.relevance_sum, self.evaluations)


@dataclass
class IndicatorResult:
    measure: MeasurePage
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    latest_value: Decimal | None
    latest_on: datetime.date | None


@dataclass
class MeasureResult:
    page: MeasurePage  # in the report's language when it has a live copy there
    source: MeasurePage
    needs: list = field(default_factory=list)
    courses: list = field(default_factory=list)  # (title, live page in the report's language)
    activity: Activity = field(default_factory=Activity)
    by_employer: dict = field(default_factory=dict)  # municipality id or None -> Activity
    indicators: list = field(default_factory=list)

    @property
    def cost_per_participant(self):
        if not self.activity.attended:
            return None
        return (Decimal(self.source.budget) / self.activity.attended).quantize(
            Decimal(1), ROUND_HALF_UP
        )

    @property
    def contribution_per_participant(self):
        return self.source.contribution_per_participant


@dataclass
class MunicipalityResult:
    municipality: Municipality | None  # None: the other employers
    needs: int = 0
    employees_concerned: int = 0
    needs_answered: int = 0
    participants: int = 0
    attended: int = 0

    @property
    def name(self):
        return self.municipality.name if self.municipality else str(_("Other employers"))


@dataclass
class Report:
    plan: TrainingPlanPage  # the source-language plan
    shown_plan: TrainingPlanPage  # the plan in the report's language
    period_start: datetime.date
    period_end: datetime.date
    measures: list
    municipalities: list
    totals: Activity
    needs_without_measure: list
    measures_without_courses: list

    @property
    def indicators(self):
        return [indicator for measure in self.measures for indicator in measure.indicators]


def ratio(part, whole, places=Decimal("0.1")):
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(places, ROUND_HALF_UP)


def percentage(part, whole):
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def period_bounds(start, end):
    """The period's first moment and the moment after its last day, in the portal's time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone),
    )


def plans(report_page):
    """The report's plan (in the report's language) and its copy in the source language (the
    plan itself when it is the source, or has none)."""
    plan = (
        TrainingPlanPage.objects.parent_of(report_page)
        .annotate(language=F("locale__language_code"))
        .get()
    )
    if plan.language == settings.LANGUAGE_CODE:
        return plan, plan
    source = TrainingPlanPage.objects.filter(
        translation_key=plan.translation_key, locale__language_code=settings.LANGUAGE_CODE
    ).first()
    return plan, source or plan


def held_sessions(course_ids, source, start, end, now):
    """Sessions of the courses (in the source locale, by id) held in the period."""
    low, high = period_bounds(start, end)
    return (
        CourseSession.objects.filter(
            page_id__in=course_ids, locale_id=source, start__gte=low, start__lt=high
        )
        .filter(start__lt=now)
        .exclude(status=SessionStatus.CANCELLED)
    )


def results_report(report_page, now=None):
    """The figures of the report page's plan for its period."""
    now = now or timezone.now()
    shown_plan, plan = plans(report_page)
    source, display = plan.locale_id, report_page.locale_id
    start, end = plan.period_start, plan.period_end

    sources = list(MeasurePage.objects.child_of(plan).live().order_by("path"))
    measure_ids = [measure.pk for measure in sources]
    shown = {measure.translation_key: measure for measure in sources}
    if display != source:
        shown.update(
            (measure.translation_key, measure)
            for measure in MeasurePage.objects.live().filter(
                locale_id=display, translation_key__in=list(shown)
            )
        )
    results = {
        measure.pk: MeasureResult(page=shown[measure.translation_key], source=measure)
        for measure in sources
    }

    _add_needs(results, measure_ids)
    course_measures = _add_courses(results, measure_ids, source, display)
    places = {}  # id -> Municipality, with the names the grouped queries read
    municipalities = _add_activity(results, course_measures, source, start, end, now, places)
    totals = municipalities.pop("totals")
    _add_indicators(results, measure_ids, display, start, end)
    planned = _planned_by_municipality(measure_ids, places)

    rows = []
    for pk in sorted(places, key=lambda pk: (places[pk].name, pk)):
        row = MunicipalityResult(places[pk], **planned.get(pk, {}))
        done = municipalities.get(pk)
        if done:
            row.participants, row.attended = done.participants, done.attended
        rows.append(row)
    if OTHER_EMPLOYERS in municipalities:
        other = municipalities[OTHER_EMPLOYERS]
        rows.append(
            MunicipalityResult(None, participants=other.participants, attended=other.attended)
        )

    measures = list(results.values())
    return Report(
        plan=plan,
        shown_plan=shown_plan,
        period_start=start,
        period_end=end,
        measures=measures,
        municipalities=rows,
        totals=totals,
        needs_without_measure=list(
            Need.objects.exclude(_answered(measure_ids)).select_related("municipality")
        ),
        measures_without_courses=[measure for measure in measures if not measure.courses],
    )


def _answered(measure_ids):
    return Exists(
        MeasurePage.needs.through.objects.filter(
            need_id=OuterRef("pk"), measurepage_id__in=measure_ids
        )
    )


def _add_needs(results, measure_ids):
    links = (
        MeasurePage.needs.through.objects.filter(measurepage_id__in=measure_ids)
        .select_related("need__municipality")
        .order_by("need__municipality__name_nb", "need__service_area", "need_id")
    )
    for link in links:
        results[link.measurepage_id].needs.append(link.need)


def _add_courses(results, measure_ids, source, display):
    """Each measure's courses (titles and pages in the report's language); returns the measures
    of each source course."""
    links = list(
        MeasurePage.courses.through.objects.filter(measurepage_id__in=measure_ids)
        .select_related("coursepage")
        .order_by("coursepage__title", "coursepage_id")
    )
    keys = {link.coursepage.translation_key for link in links}
    copies = CoursePage.objects.filter(translation_key__in=keys, locale_id__in=[source, display])
    source_ids, shown = {}, {}
    for course in copies:
        if course.locale_id == source:
            source_ids[course.translation_key] = course.pk
        if course.locale_id == display and course.live:
            shown[course.translation_key] = course
    course_measures = defaultdict(set)
    for link in links:
        key = link.coursepage.translation_key
        page = shown.get(key)
        results[link.measurepage_id].courses.append(
            (page.title if page else link.coursepage.title, page)
        )
        course_measures[source_ids.get(key, link.coursepage_id)].add(link.measurepage_id)
    return course_measures


def _add_activity(results, course_measures, source, start, end, now, places):
    """Sessions, participants and evaluations per course, added to its measures; returns the
    activity per employer over the plan's courses (each course once), and "totals". The
    employers go into places."""
    held = held_sessions(list(course_measures), source, start, end, now)
    per_course = defaultdict(Activity)
    per_course_employer = defaultdict(Activity)
    for row in held.values("page_id").annotate(n=Count("pk")).order_by():
        per_course[row["page_id"]].sessions_held = row["n"]
    # An evaluation is one to one with its enrolment: joined, it multiplies no row.
    enrolments = (
        Enrolment.objects.filter(session__in=held, state__in=PARTICIPANT_STATES)
        .values("session__page_id", "employer_id", "employer__name_nb", "employer__name_nn")
        .annotate(
            participants=Count("pk"),
            attended=Count("pk", filter=Q(state=EnrolmentState.ATTENDED)),
            evaluations=Count("evaluation"),
            usefulness=Sum("evaluation__usefulness", default=0),
            relevance=Sum("evaluation__relevance", default=0),
        )
        .order_by()
    )
    for row in enrolments:
        done = Activity(
            participants=row["participants"],
            attended=row["attended"],
            evaluations=row["evaluations"],
            usefulness_sum=row["usefulness"],
            relevance_sum=row["relevance"],
        )
        per_course[row["session__page_id"]].add(done)
        per_course_employer[row["session__page_id"], row["employer_id"]].add(done)
        _place(places, row["employer_id"], row["employer__name_nb"], row["employer__name_nn"])

    for course_id, activity in per_course.items():
        for measure_id in course_measures[course_id]:
            results[measure_id].activity.add(activity)
    by_employer = defaultdict(Activity)
    for (course_id, employer_id), activity in per_course_employer.items():
        by_employer[employer_id].add(activity)
        for measure_id in course_measures[course_id]:
            results[measure_id].by_employer.setdefault(employer_id, Activity()).add(activity)
    totals = Activity()
    for activity in per_course.values():
        totals.add(activity)
    return {**by_employer, "totals": totals}


def _place(places, pk, name_nb, name_nn):
    if pk is not None and pk not in places:
        places[pk] = Municipality(pk=pk, name_nb=name_nb, name_nn=name_nn)


def _add_indicators(results, measure_ids, display, start, end):
    indicators = list(
        with_latest_measurement(
            ResultIndicator.objects.filter(page_id__in=measure_ids),
            measured_on__range=(start, end),
        ).order_by("page_id", "sort_order", "pk")
    )
    names = {}
    if indicators and indicators[0].locale_id != display:
        names = {
            copy.translation_key: copy
            for copy in ResultIndicator.objects.filter(
                locale_id=display, translation_key__in=[i.translation_key for i in indicators]
            )
        }
    for indicator in indicators:
        shown = names.get(indicator.translation_key, indicator)
        result = results[indicator.page_id]
        result.indicators.append(
            IndicatorResult(
                measure=result.page,
                name=shown.name,
                unit=shown.unit,
                baseline=indicator.baseline,
                target=indicator.target,
                latest_value=indicator.latest_value,
                latest_on=indicator.latest_on,
            )
        )


def _planned_by_municipality(measure_ids, places):
    rows = (
        Need.objects.annotate(answered=_answered(measure_ids))
        .values("municipality_id", "municipality__name_nb", "municipality__name_nn")
        .annotate(
            needs=Count("pk"),
            employees_concerned=Sum("employees_concerned"),
            needs_answered=Count("pk", filter=Q(answered=True)),
        )
        .order_by()
    )
    planned = {}
    for row in rows:
        pk = row.pop("municipality_id")
        _place(places, pk, row.pop("municipality__name_nb"), row.pop("municipality__name_nn"))
        planned[pk] = row
    return planned
