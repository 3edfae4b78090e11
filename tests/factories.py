"""Factories for the page types, on top of the demo tree that every test database starts with."""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Locale

from katalog.courses.models import Audience, Category, CoursePage, CourseSession, Provider
from katalog.guidance.models import CentrePage, GuidanceIndexPage, GuidanceRequest
from katalog.places.models import Municipality
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


class ProviderFactory(factory.django.DjangoModelFactory):
    name = "Testtilbydar"

    class Meta:
        model = Provider
        django_get_or_create = ("name",)


class CoursePageFactory(wagtail_factories.PageFactory):
    """A live course under the given parent; add sessions with CourseSessionFactory."""

    title = factory.Sequence(lambda n: f"Testkurs {n}")
    intro = "Eit kurs laga i ein test."
    category = factory.LazyFunction(lambda: Category.objects.get(slug="helse"))
    mode = "classroom"
    provider = factory.SubFactory(ProviderFactory)
    price = 500
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="nb"))

    class Meta:
        model = CoursePage
        skip_postgeneration_save = True

    @factory.post_generation
    def audiences(self, create, slugs, **kwargs):
        if create and slugs:
            self.audiences.set(Audience.objects.filter(slug__in=slugs))
            self.save()


class CourseSessionFactory(factory.django.DjangoModelFactory):
    locale = factory.LazyAttribute(lambda o: o.page.locale)
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=6))
    enrolment_deadline = factory.LazyAttribute(lambda o: o.start - datetime.timedelta(days=7))
    venue_name = "Rådhuset"
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(number="4601"))
    capacity = 20

    class Meta:
        model = CourseSession


class GuidanceRequestFactory(factory.django.DjangoModelFactory):
    """A request by email to a demo centre, from a municipality it serves, in the centre's
    written standard; pass `centre` for another (its municipalities must not be empty)."""

    centre = factory.LazyFunction(
        lambda: CentrePage.objects.get(
            locale__language_code="nb", slug="studiesenteret-sunnhordland"
        )
    )
    municipality = factory.LazyAttribute(lambda o: o.centre.municipalities.first())
    language = factory.LazyAttribute(lambda o: o.centre.locale.language_code)
    name = factory.Sequence(lambda n: f"Innbyggjar{n}")
    email = factory.LazyAttribute(lambda o: f"{o.name.lower()}@example.no")
    topic = GuidanceRequest.Topic.CAREER
    contact_method = GuidanceRequest.ContactMethod.EMAIL

    class Meta:
        model = GuidanceRequest
