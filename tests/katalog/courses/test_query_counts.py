"""The catalogue, the course page and the feed run the same number of queries at any size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from katalog.courses.models import CourseIndexPage
from katalog.places.models import Municipality
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


def queries(client, url, params=None):
    client.get(url, params)  # warm per-process caches (site root paths, locales)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


def add_courses(nb, count, sessions_each):
    index = CourseIndexPage.objects.get(locale=nb)
    municipalities = list(Municipality.objects.all())
    start = timezone.now() + datetime.timedelta(days=3)
    pages = []
    for number in range(count):
        page = CoursePageFactory(
            parent=index,
            title=f"Vekstkurs i rettleiing {number}",
            audiences=["leiarar", "tilsette"],
        )
        for session in range(sessions_each):
            CourseSessionFactory(
                page=page,
                start=start + datetime.timedelta(days=session),
                municipality=municipalities[(number + session) % len(municipalities)],
            )
        pages.append(page)
    return pages


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/nb/kurs/", {}),
        ("/nn/kurs/", {"q": "rettleiing", "municipality": "4601", "available": "1"}),
        ("/nb/kurs/", {"category": "helse", "audience": "tilsette", "mode": "classroom"}),
        ("/api/katalog/sessions/", {"lang": "nb"}),
        ("/api/katalog/sessions/", {"lang": "nn", "q": "rettleiing", "municipality": "4601"}),
        ("/nb/kurs/kalender.ics", {"available": "1"}),
    ],
)
def test_listing_queries_do_not_grow_with_courses_and_sessions(
    client, nb, url, params, django_capture_on_commit_callbacks
):
    before = queries(client, url, params)
    with django_capture_on_commit_callbacks(execute=True):  # index the new pages for search
        add_courses(nb, 15, 6)
    assert queries(client, url, params) == before


# The page itself (with its locale, provider and category) comes from the route cache; what is
# left is whether it is private (never answered from the cache), the page's sessions with their
# municipalities, and its audiences.
@pytest.mark.parametrize(("suffix", "expected"), [("", 3), ("kalender.ics", 2)])
def test_course_page_queries_do_not_grow_with_sessions(client, nb, suffix, expected):
    small, large = add_courses(nb, 2, 1)
    for _extra in range(12):
        CourseSessionFactory(page=large, municipality=Municipality.objects.last())
    assert queries(client, small.url + suffix) == expected
    assert queries(client, large.url + suffix) == expected


def test_enrolment_form_queries_do_not_grow_with_sessions(client, nb):
    page = CoursePageFactory(parent=CourseIndexPage.objects.get(locale=nb), audiences=["leiarar"])
    url = f"{page.url}pamelding/{CourseSessionFactory(page=page).translation_key}/"
    # The page comes from the route cache, as on its own path: whether it is private, its open
    # session, the employers.
    assert queries(client, url) == 3
    for _extra in range(12):
        CourseSessionFactory(page=page, municipality=Municipality.objects.last())
    assert queries(client, url) == 3
