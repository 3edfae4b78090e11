"""Small builders for the results report's tests: a plan under the forum page, its measures, its
report, and the enrolments and evaluations behind them."""

import datetime
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

_emails = itertools.count(1)


def nb():
    return Locale.objects.get(language_code="nb")


class ForumIndexPageFactory(wagtail_factories.PageFactory):
    """A forum of the test's own under the nb home page (the demo may have one too)."""

    title = "Kompetanseforum"
    slug = factory.Sequence(lambda n: f"forum-for-rapport-{n}")
    locale = factory.LazyFunction(nb)
    parent = factory.LazyFunction(lambda: HomePage.objects.get(locale=nb()))

    class Meta:
        model = ForumIndexPage


class TrainingPlanPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Plan for opplæringstiltak {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 12, 31)
    locale = factory.LazyFunction(nb)
    parent = factory.SubFactory(ForumIndexPageFactory)

    class Meta:
        model = TrainingPlanPage


class MeasurePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Tiltak {n}")
    slug = factory.Sequence(lambda n: f"tiltak-{n}")
    goal = "Flere ansatte med riktig kompetanse."
    responsible = "Regionalt kompetansekontor"
    budget = 0
    contribution_per_participant = 0
    status = "prioritised"
    locale = factory.LazyFunction(nb)

    class Meta:
        model = MeasurePage
        skip_postgeneration_save = True

    @factory.post_generation
    def links(self, create, extracted, **kwargs):
        """links={"needs": [...], "courses": [...]}"""
        if create and extracted:
            self.needs.set(extracted.get("needs", []))
            self.courses.set(extracted.get("courses", []))
            self.save()


class ResultsReportPageFactory(wagtail_factories.PageFactory):
    title = "Resultatrapport"
    slug = "resultatrapport"
    locale = factory.LazyFunction(nb)

    class Meta:
        model = ResultsReportPage


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
    """The page's published nynorsk copy (its parent's first), values translated."""
    nn = Locale.objects.get(language_code="nn")
    # wagtail-localize publishes the translation once the transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        twin = publish_translation(page.specific, nn, values)
    twin.refresh_from_db()
    return twin.specific
