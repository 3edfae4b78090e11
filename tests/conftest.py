import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from wagtail.models import Locale

from nyheiter.models import NewsIndexPage
from portal.models import HomePage
from tests.live_db import demo_copy  # noqa: F401 (one copy of the demo for every live test)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the demo site, as `make run` builds it."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: cached content and rate-limit counters live there,
    and a test's database changes are rolled back without telling it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def uncached_pages(settings):
    """Every request renders its page: for tests that count what rendering costs, or that
    change code-level constants under a running site."""
    settings.PAGE_CACHE_TIMEOUT = 0


@pytest.fixture
def nb(db):
    return Locale.objects.get(language_code="nb")


@pytest.fixture
def nn(db):
    return Locale.objects.get(language_code="nn")


@pytest.fixture
def home(nb):
    return HomePage.objects.get(locale=nb)


@pytest.fixture
def news_index(nb):
    return NewsIndexPage.objects.get(locale=nb)
