"""Cached content (site, switcher, menu, footer) follows every change on the next request."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from katalog.guidance.models import GuidanceIndexPage
from portal import content_cache
from portal.models import SiteSettings, StandardPage
from tests.factories import StandardPageFactory

# What rendering costs once the content is cached: the page cache (test_page_cache) is above it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]


def menu(html):
    nav = re.search(r'<nav class="main-menu".*?</nav>', html, re.S)
    return re.findall(r'class="main-menu__link" href="([^"]+)"', nav.group(0)) if nav else []


def count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


def test_chrome_costs_no_queries_once_cached(client):
    client.get("/nb/veiledning/")  # warm every other per-process cache
    SiteSettings.objects.get().save()  # replaces the chrome's version only
    cold = count_queries(client, "/nb/veiledning/")
    warm = count_queries(client, "/nb/veiledning/")
    # Switcher twins, menu, footer settings and its two page links.
    assert cold - warm >= 5


def test_published_page_joins_the_menu_at_once(client, home):
    assert "/nb/om-oss/" not in menu(client.get("/nb/").text)
    StandardPageFactory(parent=home, title="Om oss", slug="om-oss", show_in_menus=True)
    assert "/nb/om-oss/" in menu(client.get("/nb/").text)


def test_unpublished_and_private_pages_leave_the_menu(client, nb):
    guidance = GuidanceIndexPage.objects.get(locale=nb)
    courses = Page.objects.get(locale=nb, url_path__endswith="/kurs/")
    assert {"/nb/veiledning/", "/nb/kurs/"} <= set(menu(client.get("/nb/").text))

    guidance.unpublish()
    PageViewRestriction.objects.create(page=courses, restriction_type="login")
    items = menu(client.get("/nb/").text)
    assert "/nb/veiledning/" not in items
    assert "/nb/kurs/" not in items


def test_renamed_twin_is_followed_by_the_switcher(client, nn):
    assert 'href="/nn/rettleiing/" hreflang="nn"' in client.get("/nb/veiledning/").text
    twin = GuidanceIndexPage.objects.get(locale=nn)
    twin.slug = "karriererettleiing"
    twin.save_revision().publish()
    html = client.get("/nb/veiledning/").text
    assert 'href="/nn/karriererettleiing/" hreflang="nn"' in html


def test_switcher_keeps_each_visitors_own_query(client):
    client.get("/nb/kurs/", {"municipality": "4601"})
    html = client.get("/nb/kurs/", {"municipality": "4640"}).text
    assert 'href="/nn/kurs/?municipality=4640" hreflang="nn"' in html


def test_footer_follows_the_site_settings(client, home):
    assert 'href="/nn/personvern/"' in client.get("/nn/").text
    contact = SiteSettings.objects.get()
    contact.phone = "55 00 00 00"
    contact.privacy_page = StandardPage.objects.get(locale=home.locale, slug="tilgjengelighet")
    contact.save()
    html = client.get("/nn/").text
    assert "55 00 00 00" in html
    assert 'href="/nn/personvern/"' not in html
    assert 'href="/nn/tilgjengelegheit/">Personvern</a>' in html


def test_the_site_is_found_without_a_query_once_cached(client):
    client.get("/nb/")
    with CaptureQueriesContext(connection) as context:
        assert client.get("/nb/").status_code == 200
    assert not [q for q in context.captured_queries if "wagtailcore_site" in q["sql"]]


def test_a_changed_site_is_found_at_once(client):
    assert client.get("/nb/").status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.is_default_site = "intranett.example", False
    site.save()
    assert client.get("/nb/").status_code == 404


def test_a_page_is_routed_without_queries_once_cached(client):
    client.get("/nb/tilgjengelighet/")
    with CaptureQueriesContext(connection) as context:
        assert client.get("/nb/tilgjengelighet/").status_code == 200
    routing = ("wagtailcore_page", "wagtailcore_pageviewrestriction", "wagtailcore_locale")
    found = [q["sql"] for q in context.captured_queries if any(t in q["sql"] for t in routing)]
    # Only whether the page is private is read, never answered from the cache.
    assert len(found) == 1
    assert found[0].startswith('SELECT "wagtailcore_pageviewrestriction"')


def test_edited_moved_and_unpublished_pages_are_routed_anew(client, home):
    page = StandardPage.objects.get(locale=home.locale, slug="tilgjengelighet")
    assert client.get("/nb/tilgjengelighet/").status_code == 200
    page.title = "Universell utforming"
    page.save_revision().publish()
    assert "Universell utforming</h1>" in client.get("/nb/tilgjengelighet/").text

    page.slug = "universell-utforming"
    page.save_revision().publish()
    assert client.get("/nb/universell-utforming/").status_code == 200
    assert client.get("/nb/tilgjengelighet/").status_code != 200

    page.unpublish()
    assert client.get("/nb/universell-utforming/").status_code == 404


def test_a_page_under_a_new_restriction_asks_for_login_at_once(client, home):
    assert client.get("/nb/tilgjengelighet/").status_code == 200
    PageViewRestriction.objects.create(page=home, restriction_type="login")
    response = client.get("/nb/tilgjengelighet/")
    assert response.status_code == 302
    assert "/login/" in response.url


def test_an_alias_follows_its_source_made_private(client, home):
    source = StandardPage.objects.get(locale=home.locale, slug="tilgjengelighet")
    alias = source.create_alias(update_slug="tilgjengelighet-kopi")
    assert client.get(alias.url).status_code == 200
    PageViewRestriction.objects.create(page=source, restriction_type="login")
    response = client.get(alias.url)
    assert response.status_code == 302
    assert "/login/" in response.url


def test_the_next_request_finds_what_the_last_one_read_however_full_the_process_copies_are(
    client,
):
    """Unpickled anew from the shared cache, the home page would read its link cards' pages
    again: how many queries a request makes must not depend on what this process copied
    before it."""
    client.get("/nn/")
    warm = count_queries(client, "/nn/")
    for free in range(1, 12):
        content_cache._local.clear()
        for number in range(content_cache.LOCAL_SIZE - free):
            content_cache.cached("filler", lambda number=number: number, free, number)
        content_cache.invalidate()
        client.get("/nn/")
        assert count_queries(client, "/nn/") == warm, f"{free} copies free"
