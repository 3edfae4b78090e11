"""Anonymous pages are served whole from the cache, never to logged-in users or with forms,
purged by every saved change and by a change of seats, and never past a view restriction
(portal.page_cache)."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import override_settings
from wagtail.models import PageViewRestriction

from katalog.courses import services
from katalog.courses.models import CoursePage
from nyheiter.models import NewsPage
from portal import page_cache
from tests.portal.test_fail_soft import STOPPED

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(nb):
    return NewsPage.objects.live().filter(locale=nb).first()


def test_anonymous_page_is_served_from_the_cache_in_one_query(
    client, article, django_assert_num_queries
):
    first = client.get(article.url)
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"
    assert "s-maxage=300" in first["Cache-Control"] and "public" in first["Cache-Control"]

    with django_assert_num_queries(1):  # the view restrictions, read on every hit
        second = client.get(article.url)
    assert (second.status_code, second["X-Cache"]) == (200, "hit")
    assert second.content == first.content


def test_publishing_purges_the_cached_page_and_its_listing(client, article, news_index):
    client.get(article.url)
    client.get(news_index.url)
    article.title = "Nytt om kurs i klarspråk"
    article.save_revision().publish()
    for page in (article, news_index):
        response = client.get(page.url)
        assert response["X-Cache"] == "miss"
        assert "Nytt om kurs i klarspråk" in response.text


def test_logged_in_users_never_get_or_fill_the_cache(client, article, admin_user):
    client.get(article.url)
    client.force_login(admin_user)
    for _ in range(2):
        response = client.get(article.url)
        assert response["X-Cache"] == "skip"
        assert "private" in response["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert client.get(article.url)["X-Cache"] == "hit"  # the anonymous copy, not theirs


def test_a_visitor_with_a_session_cookie_bypasses_the_cache(client, article):
    client.get(article.url)
    client.cookies["sessionid"] = "anything"
    assert client.get(article.url)["X-Cache"] == "skip"


@pytest.mark.parametrize("form", ["guidance request", "enrolment"])
def test_pages_with_forms_are_never_cached(client, nb, form):
    path = "/nb/veiledning/bestill/"
    if form == "enrolment":
        course = CoursePage.objects.live().filter(locale=nb, sessions__isnull=False).first()
        path = f"{course.url}pamelding/{course.sessions.first().translation_key}/"
    for _ in range(2):
        response = client.get(path)
        assert (response.status_code, response["X-Cache"]) == (200, "skip")
        assert "csrftoken" in response.cookies
        assert "private" in response["Cache-Control"]
        client.cookies.clear()


def test_page_made_private_behind_the_cache_is_refused_at_once(client, article):
    assert client.get(article.url).status_code == 200
    # bulk_create sends no signal, so the cached copy and its version stay as they were.
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=article.get_parent(), restriction_type="login")]
    )
    response = client.get(article.url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"] or "login" in response["Location"]


def test_a_change_of_seats_purges_the_course_page_and_the_catalogue(client, nb):
    course = CoursePage.objects.live().filter(locale=nb, sessions__isnull=False).first()
    session = course.sessions.filter(status="scheduled").first() or course.sessions.first()
    services.set_capacity(session, services.seats_held(session) + 5)
    catalogue = course.get_parent().url
    before = client.get(course.url).text
    client.get(catalogue)

    assert client.get(course.url)["X-Cache"] == "hit"
    services.enrol(session, name="Kari Nordmann", email="kari.cache@example.no", language="nb")
    response = client.get(course.url)
    assert response["X-Cache"] == "miss"
    assert client.get(catalogue)["X-Cache"] == "miss"
    after = response.text
    assert after != before
    session.refresh_from_db()
    assert str(session.capacity - session.seats_taken) in after


def test_seat_pages_are_kept_for_seconds_only(client, nb):
    course = CoursePage.objects.live().filter(locale=nb).first()
    assert "s-maxage=60" in client.get(course.url)["Cache-Control"]
    assert "s-maxage=60" in client.get("/api/katalog/sessions/?lang=nb")["Cache-Control"]


@override_settings(PAGE_CACHE_TIMEOUT=0)
def test_the_cache_can_be_switched_off(client, article):
    for _ in range(2):
        response = client.get(article.url)
        assert response["X-Cache"] == "skip"
        assert "private" in response["Cache-Control"]


@override_settings(CACHES=STOPPED)
def test_with_redis_stopped_pages_are_served_uncached(client, article):
    for _ in range(2):
        response = client.get(article.url)
        assert (response.status_code, response["X-Cache"]) == (200, "skip")


class PurgeRecorder(BaseHTTPRequestHandler):
    purged = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        self.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy():
    """A caching proxy's purge endpoint, as Varnish or nginx has it."""
    server = HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.purged = []
    backend = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": f"http://127.0.0.1:{server.server_port}",
    }
    with override_settings(WAGTAILFRONTENDCACHE={"proxy": backend}):
        yield PurgeRecorder.purged
    server.shutdown()
    server.server_close()


def test_publishing_purges_the_page_and_the_pages_that_list_it_from_the_proxy(
    proxy, article, news_index, home
):
    article.save_revision().publish()
    assert {article.url, news_index.url, home.url} <= set(proxy)


def test_a_view_restriction_purges_every_page_under_it_from_the_proxy(proxy, article, news_index):
    PageViewRestriction.objects.create(page=news_index, restriction_type="login")
    assert {article.url, news_index.url} <= set(proxy)


def test_a_kept_page_expires_after_its_seconds_in_every_process(client, nb, monkeypatch):
    course = CoursePage.objects.live().filter(locale=nb).first()
    client.get(course.url)
    assert client.get(course.url)["X-Cache"] == "hit"
    later = page_cache.time.time() + page_cache.LIVE_SECONDS + 1
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert client.get(course.url)["X-Cache"] == "miss"
