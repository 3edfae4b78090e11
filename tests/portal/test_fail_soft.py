"""With the shared cache down or hanging, pages are served uncached, limits still hold and
private pages stay private (portal.shared_cache)."""

import logging
import socket

import pytest
from django.test import override_settings
from wagtail.models import Page, PageViewRestriction, get_page_models

from katalog.courses.models import CoursePage
from katalog.guidance.models import GuidanceRequest
from tests.katalog.guidance.test_requests import FORM, valid

pytestmark = pytest.mark.django_db

PAGES = ["/nb/", "/nn/", "/nb/kurs/", "/nb/veiledning/", "/admin/login/"]


def redis_at(location):
    return {
        "default": {
            "BACKEND": "portal.shared_cache.FailSoftRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


# Nothing listens on port 1: every call fails as it does with Redis stopped.
STOPPED = redis_at("redis://127.0.0.1:1/")


@pytest.fixture
def course(nb):
    return CoursePage.objects.live().filter(locale=nb).first()


@pytest.fixture
def hanging_redis():
    """A port that takes connections and never answers, as a hung Redis does."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        with override_settings(CACHES=redis_at(f"redis://127.0.0.1:{listener.getsockname()[1]}/")):
            yield


@override_settings(CACHES=STOPPED)
def test_pages_and_the_admin_login_are_served_with_redis_stopped(client, course):
    for path in [*PAGES, course.url]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert course.title in response.text


@override_settings(CACHES=STOPPED)
def test_a_page_of_every_type_is_served_with_redis_stopped(client):
    models = [model for model in get_page_models() if model is not Page]
    for model in models:
        page = model.objects.live().public().order_by("path").first()
        assert page is not None, f"the demo has no {model.__name__}"
        assert client.get(page.url).status_code == 200, page.url


def test_pages_are_served_with_redis_hanging(client, course, hanging_redis):
    for path in [*PAGES, course.url]:
        assert client.get(path).status_code == 200, path


@override_settings(CACHES=STOPPED)
def test_outage_is_logged_once_not_per_request(client, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.shared_cache"):
        for path in PAGES:
            client.get(path)
    assert ["unavailable" in record.message for record in caplog.records] == [True]


@override_settings(CACHES=STOPPED, GUIDANCE_REQUEST_RATE_LIMIT=(2, 3600))
def test_rate_limit_still_refuses_with_redis_stopped(client, django_capture_on_commit_callbacks):
    def send():
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(FORM["nb"], valid())

    assert [send().status_code for _ in range(3)] == [302, 302, 429]
    assert GuidanceRequest.objects.count() == 2


def test_page_made_private_behind_the_caches_back_is_refused(client, course):
    assert client.get(course.url).status_code == 200  # its route and answers are cached
    # bulk_create sends no signal, so the content version is not replaced: the cache is stale.
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=course.get_parent(), restriction_type="login")]
    )
    response = client.get(course.url)
    assert response.status_code == 302
    assert "next=" in response["Location"]
