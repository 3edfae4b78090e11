"""Factories for Kompetanseforum's pages and records, on top of the demo tree.

A forum of its own under the nb home page (a test's plans are then the only ones it lists), its
plans, their measures (child pages in the order made: the order of priority), needs, result
indicators and measurements, and the enrolments and evaluations behind a report (`enrol`);
`translate` publishes the nynorsk copy of any of these pages as an
editor does through wagtail-localize (the parent first).
"""

import datetime
import decimal
import itertools

import factory
import wagtail_factories
from django.test import TestCase
from django.utils import timezone
from wagtail.models import Locale

from forum.models import (
    ForumIndexPage,
    IndicatorMeasurement,
    MeasurePage,
    Need,
    ResultIndicator,
    ResultsReportPage,
    TrainingPlanPage,
)
from katalog.courses.models import Enrolment, Evaluation
from katalog.places.models import Municipality
from portal.models import HomePage
from portal.translation import publish_translation


def nb_locale():
    return Locale.objects.get(language_code="nb")


class ForumIndexPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Testforum {n}")
    slug = factory.Sequence(lambda n: f"testforum-{n}")
    intro = "Forumet der kommunane planlegg opplæring saman."
    locale = factory.LazyFunction(nb_locale)
    parent = factory.LazyFunction(lambda: HomePage.objects.get(locale__language_code="nb"))

    class Meta:
        model = ForumIndexPage


class TrainingPlanPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Plan for opplæringstiltak {2026 + n}")
    intro = "Tiltakene kommunene har prioritert."
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 12, 31)
    locale = factory.LazyFunction(nb_locale)
    parent = factory.SubFactory(ForumIndexPageFactory)

    class Meta:
        model = TrainingPlanPage


class MeasurePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Tiltak {n}")
    goal = factory.Sequence(lambda n: f"Målet for tiltak {n}.")
    chain_input = "Midler fra kommunene"
    chain_activities = "Kurs og veiledning"
    chain_products = "Gjennomførte kurs"
    chain_user_effects = "Tryggere ansatte"
    chain_society_effects = "Bedre tjenester"
    responsible = "Regionalt kompetansekontor"
    budget = 250000
    contribution_per_participant = 1500
    status = "prioritised"
    locale = factory.LazyFunction(nb_locale)
    parent = factory.SubFactory(TrainingPlanPageFactory)

    class Meta:
        model = MeasurePage
        skip_postgeneration_save = True

    @factory.post_generation
    def needs(self, create, needs, **kwargs):
        if create and needs:
            self.needs.set(needs)
            self.save()

    @factory.post_generation
    def courses(self, create, courses, **kwargs):
        if create and courses:
            self.courses.set(courses)
            self.save()


class ResultsReportPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Resultatrapport {n}")
    locale = factory.LazyFunction(nb_locale)

    class Meta:
        model = ResultsReportPage


class NeedFactory(factory.django.DjangoModelFactory):
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(number="4601"))
    service_area = "health_care"
    target_group = factory.Sequence(lambda n: f"Assistenter i heimetenesta {n}")
    employees_concerned = 10
    kind = "new_employees"
    description = "Treng grunnopplæring."

    class Meta:
        model = Need


class ResultIndicatorFactory(factory.django.DjangoModelFactory):
    """An indicator of a measure; save the measure's revision before translating it."""

    page = factory.SubFactory(MeasurePageFactory)
    locale = factory.LazyAttribute(lambda o: o.page.locale)
    name = factory.Sequence(lambda n: f"Del nytilsette med opplæring {n}")
    unit = "%"
    baseline = decimal.Decimal("40")
    target = decimal.Decimal("80")

    class Meta:
        model = ResultIndicator


class IndicatorMeasurementFactory(factory.django.DjangoModelFactory):
    indicator = factory.SubFactory(ResultIndicatorFactory)
    measured_on = datetime.date(2026, 6, 30)
    value = decimal.Decimal("55")

    class Meta:
        model = IndicatorMeasurement


_emails = itertools.count(1)


def municipality(number):
    return Municipality.objects.get(number=number)


def need(place, employees, **fields):
    defaults = {
        "service_area": "health_care",
        "target_group": f"Assistenter i {place.name_nb}",
        "kind": "new_employees",
        "urgency": "urgent",
        "description": "Behov for opplæring.",
    }
    return Need.objects.create(
        municipality=place, employees_concerned=employees, **{**defaults, **fields}
    )


def enrol(session, state, employer=None, other="", evaluation=None):
    """An enrolment in the session (its source copy) in the state; evaluation=(usefulness,
    relevance) adds the participant's answer."""
    number = next(_emails)
    enrolment = Enrolment.objects.create(
        session=session,
        state=state,
        language="nb",
        name=f"Deltaker {number}",
        email=f"deltaker{number}@example.no",
        employer=employer,
        employer_other=other,
        consented_at=timezone.now(),
    )
    if evaluation:
        Evaluation.objects.create(
            enrolment=enrolment, usefulness=evaluation[0], relevance=evaluation[1]
        )
    return enrolment


def indicator(measure, name, unit, baseline, target, measurements=()):
    """A result indicator of the measure and its measurements as (date, value)."""
    measure.indicators.add(
        ResultIndicator(
            name=name, unit=unit, baseline=baseline, target=target, locale=measure.locale
        )
    )
    measure.save()
    created = ResultIndicator.objects.get(page=measure, name=name)
    for day, value in measurements:
        IndicatorMeasurement.objects.create(indicator=created, measured_on=day, value=value)
    return created


def translate(page, **values):
    """The page's published nynorsk copy, with values (field -> nynorsk text) translated."""
    nn = Locale.objects.get(language_code="nn")
    # wagtail-localize publishes the translation once the transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        twin = publish_translation(page.specific, nn, values)
    twin.refresh_from_db()
    return twin.specific
