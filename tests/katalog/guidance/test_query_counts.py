"""The guidance page and its finder run the same few queries however many centres there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from katalog.guidance.models import OpeningHours
from katalog.places.models import Municipality
from tests.factories import CentrePageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]

PAGE = "/nb/veiledning/"


def queries(client, url, params=None):
    client.get(url, params)  # warm per-process caches (site root paths, locales)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


def add_centres(count, municipality):
    for number in range(count):
        centre = CentrePageFactory(title=f"Testsenter {number}")
        centre.municipalities.add(municipality)
        for weekday in range(5):
            OpeningHours.objects.create(
                page=centre, weekday=weekday, opens=datetime.time(9), closes=datetime.time(15)
            )
        centre.save_revision().publish()


# The centres (with hours, exception days, municipalities and regions), the municipalities and
# the links to the sibling pages come from the content cache; what is left is whether the page
# is private (never answered from the cache).
@pytest.mark.parametrize("params", [{}, {"municipality": "4601"}])
def test_guidance_page_and_finder_queries_do_not_grow_with_centres(client, params):
    before = queries(client, PAGE, params)
    assert before == 1
    add_centres(8, Municipality.objects.get(number="4601"))
    after = client.get(PAGE, params)
    assert "Testsenter 7" in after.text
    assert queries(client, PAGE, params) == before
