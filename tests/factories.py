"""Factories for the page types, on top of the demo tree that every test database starts with."""

import datetime

import factory
import wagtail_factories
from wagtail.models import Locale

from katalog.models import CentrePage, GuidanceIndexPage
from nyheiter.models import NewsPage
from portal.models import StandardPage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Side {n}")
    intro = "Ein side laga i ein test."
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="nb"))

    class Meta:
        model = StandardPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Nyhet {n}")
    intro = "Kort om saka."
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="nb"))

    class Meta:
        model = NewsPage


class CentrePageFactory(wagtail_factories.PageFactory):
    """A centre under the nb guidance page of the demo, serving no municipality unless told."""

    title = factory.Sequence(lambda n: f"Senter {n}")
    kind = "career_centre"
    services = factory.LazyFunction(lambda: ["career_guidance"])
    street_address = "Testvegen 1"
    postcode = "5000"
    post_town = "Bergen"
    email = factory.Sequence(lambda n: f"senter{n}@example.no")
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="nb"))
    parent = factory.LazyFunction(lambda: GuidanceIndexPage.objects.get(locale__language_code="nb"))

    class Meta:
        model = CentrePage
