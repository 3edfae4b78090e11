"""The site search, /nb/sok/ and /nn/sok/, through the test client on the demo site."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from katalog.courses.models import CourseIndexPage
from nyheiter.models import NewsPage
from portal import content_cache
from portal.models import StandardPage
from tests.factories import (
    CentrePageFactory,
    CoursePageFactory,
    NewsPageFactory,
    StandardPageFactory,
)

pytestmark = pytest.mark.django_db

HIT = re.compile(
    r'<article class="ds-card card search-hit">\s*<h4[^>]*><a class="ds-link card__link" '
    r'href="([^"]+)"'
)
GROUP = re.compile(r'<h3 class="ds-heading" data-size="sm" id="group-(\w+)">([^<]+)</h3>')


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Pages made inside it are in the search index when it ends, as after a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def hits(response):
    assert response.status_code == 200
    return [unescape(url) for url in HIT.findall(response.text)]


def groups(response):
    return {slug: unescape(label) for slug, label in GROUP.findall(response.text)}


def test_search_lists_every_kind_of_page_grouped_by_its_type(client):
    response = client.get("/nb/sok/", {"q": "Bergen"})
    assert groups(response) == {
        "centrepage": "Senter (2)",
        "coursepage": "Kurs (11)",
        "newspage": "Nyhetsartikkel (1)",
    }
    found = hits(response)
    assert "/nb/veiledning/opus-bergen/" in found
    assert len([url for url in found if url.startswith("/nb/kurs/")]) == 5  # and "show all"
    assert "Vis alle 11: Kurs" in response.text
    # Each result has its title, its intro and its address.
    assert "OPUS Bergen</a>" in response.text
    assert "Videregående opplæring for voksne" in response.text
    assert ">/nb/veiledning/opus-bergen/</p>" in response.text


def test_nynorsk_results_are_grouped_under_nynorsk_names(client):
    assert groups(client.get("/nn/sok/", {"q": "Bergen"})) == {
        "centrepage": "Senter (2)",
        "coursepage": "Kurs (11)",
        "newspage": "Nyheitsartikkel (1)",
    }


@pytest.mark.parametrize(
    ("language", "query", "expected", "other"),
    [
        ("nb", "rettleiing nytilsette", "/nb/kurs/veiledning-av-nyansatte/", "/nn/"),
        ("nn", "veiledning nyansatte", "/nn/kurs/rettleiing-av-nytilsette/", "/nb/"),
    ],
)
def test_a_word_of_the_other_standard_finds_the_page_in_the_visitors(
    client, language, query, expected, other
):
    found = hits(client.get(f"/{language}/sok/", {"q": query}))
    assert expected in found
    assert not [url for url in found if url.startswith(other)]


def test_a_page_found_in_both_standards_is_listed_once(client):
    # "Bergen" is in both copies of every Bergen course.
    response = client.get("/nb/sok/", {"q": "Bergen", "type": "coursepage"})
    found = hits(response)
    assert len(found) == len(set(found)) == 11


def test_a_page_without_a_twin_is_shown_in_its_own_standard_and_says_so(client, home, indexed):
    with indexed():
        StandardPageFactory(parent=home, title="Fjordlandskap for alle", slug="fjordlandskap")
    response = client.get("/nn/sok/", {"q": "fjordlandskap"})
    assert hits(response) == ["/nb/fjordlandskap/"]
    assert 'hreflang="nb" lang="nb">Fjordlandskap for alle</a>' in response.text
    assert "Berre på bokmål" in response.text


def test_a_translated_page_is_shown_as_its_twin(client, home, nn, indexed):
    with indexed():
        page = StandardPageFactory(parent=home, title="Fjordlandskap for alle", slug="fjord")
        twin = page.copy_for_translation(nn)
        twin.title = "Fjordlandskap for kvar og ein"
        twin.intro = "Ei side på nynorsk."
        twin.save_revision().publish()
    response = client.get("/nn/sok/", {"q": "fjordlandskap alle"})  # only the bokmål has "alle"
    assert hits(response) == [twin.url]
    assert "Fjordlandskap for kvar og ein" in response.text
    assert "Ei side på nynorsk." in response.text
    assert "Berre på bokmål" not in response.text


def test_private_and_unpublished_pages_never_appear(client, home, nn, indexed):
    with indexed():
        secret = StandardPageFactory(parent=home, title="Løyndomsfull plan", slug="plan")
        secret.copy_for_translation(nn).save_revision().publish()
        section = StandardPageFactory(parent=home, title="Lukka område", slug="lukka")
        below = StandardPageFactory(parent=section, title="Løyndomsfull rapport", slug="rapport")
        draft = StandardPageFactory(parent=home, title="Løyndomsfull utkast", slug="utkast")
        shown = StandardPageFactory(parent=home, title="Løyndomsfull open side", slug="open")
    before = client.get("/nb/sok/", {"q": "løyndomsfull"})
    assert len(hits(before)) == 4  # the plan once, though found in both standards
    assert before["X-Cache"] == "miss"  # kept, so the page cache must not serve it stale
    draft.unpublish()
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    for page in Page.objects.filter(translation_key=secret.translation_key):
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    for language in ("nb", "nn"):
        response = client.get(f"/{language}/sok/", {"q": "løyndomsfull"})
        assert hits(response) == [shown.url]
        for page in (secret, below, draft):
            assert page.title not in response.text
    assert below.live and secret.live


def test_one_kind_of_page_is_paginated_with_shareable_links(client, indexed):
    index = CourseIndexPage.objects.get(locale__language_code="nb")
    with indexed():
        for number in range(25):
            CoursePageFactory(parent=index, title=f"Fjellkurs nummer {number}")
    first = client.get("/nb/sok/", {"q": "fjellkurs", "type": "coursepage"})
    second = client.get("/nb/sok/", {"q": "fjellkurs", "type": "coursepage", "page": "2"})
    assert len(hits(first)) == 20
    assert len(hits(second)) == 5
    assert not set(hits(first)) & set(hits(second))
    assert 'href="?q=fjellkurs&amp;type=coursepage&amp;page=2"' in first.text
    assert "<title>Søk etter «fjellkurs», side 2 – Kompetanseportalen</title>" in second.text
    # The overview shows the first few and links to all of them.
    overview = client.get("/nb/sok/", {"q": "fjellkurs"})
    assert len(hits(overview)) == 5
    assert 'href="?q=fjellkurs&amp;type=coursepage">Vis alle 25: Kurs</a>' in overview.text
    # Hostile page numbers give a page, never an error.
    for page in ("999", "0", "-1", "abc", "9" * 5000):
        response = client.get("/nb/sok/", {"q": "fjellkurs", "type": "coursepage", "page": page})
        assert len(hits(response)) in (5, 20)


def test_a_type_that_found_nothing_shows_every_result_and_says_so(client):
    response = client.get("/nb/sok/", {"q": "Bergen", "type": "handbookpage"})
    assert len(groups(response)) == 3
    assert "Ingen av sidene som ble funnet er av den typen" in response.text


def test_an_empty_query_asks_for_words(client):
    for query in ({}, {"q": ""}, {"q": "   "}):
        response = client.get("/nn/sok/", query)
        assert hits(response) == []
        assert "Skriv eitt eller fleire ord" in response.text
        assert "<title>Søk – Kompetanseportalen</title>" in response.text


def test_a_query_without_results_says_so_and_gives_advice(client):
    response = client.get("/nb/sok/", {"q": "qwxzvbnmqq"})
    assert hits(response) == []
    assert "Ingen sider passer med «qwxzvbnmqq»" in response.text
    assert "Sjekk stavemåten" in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kurs" * 60, "Skriv høgst 200 teikn."),
        ("kurs\x00", "Null-teikn er ikkje tillate."),
    ],
)
def test_a_query_too_long_or_with_a_nul_is_refused_with_a_message(client, query, message):
    response = client.get("/nn/sok/", {"q": query})
    assert hits(response) == []
    assert 'class="ds-error-summary"' in response.text
    assert message in unescape(response.text)
    assert 'aria-invalid="true"' in response.text


@pytest.mark.parametrize(
    "query", ['"', "kurs OR", "NEAR(kurs)", "*", "-kurs", "kurs^2", "(", "a:b", "'", "\\"]
)
def test_search_syntax_in_a_query_is_taken_as_words(client, query):
    assert client.get("/nb/sok/", {"q": query}).status_code == 200


def test_results_are_not_for_search_engines(client):
    for query in ({}, {"q": "Bergen"}):
        assert '<meta name="robots" content="noindex">' in client.get("/nb/sok/", query).text


def test_every_page_has_a_search_form_in_its_standard(client):
    for url, action, label in [
        ("/nb/", "/nb/sok/", "Søk på nettstedet"),
        ("/nn/kurs/", "/nn/sok/", "Søk på nettstaden"),
    ]:
        text = client.get(url).text
        assert f'<form class="site-header__search" method="get" action="{action}"' in text
        assert f'<label class="ds-sr-only" for="site-search-q">{label}</label>' in text


def test_the_language_switcher_keeps_the_search(client):
    text = client.get("/nb/sok/", {"q": "veiledning", "type": "coursepage"}).text
    assert 'href="/nn/sok/?q=veiledning&amp;type=coursepage" hreflang="nn"' in text


def count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def measure(client, urls):
    """(cold, warm) for each URL: right after a change, and the request after it."""
    counts = []
    for url in urls:
        client.get(url)  # this process's own caches (content types, translations)
        content_cache.invalidate()
        counts.append((count(client, url), count(client, url)))
    return counts


def test_search_runs_the_same_queries_however_many_pages_and_types_it_finds(
    client, home, nn, indexed, uncached_pages
):
    course_index = CourseIndexPage.objects.get(locale__language_code="nb")
    news_index = Page.objects.get(locale__language_code="nb", url_path__endswith="/nyheter/")
    kinds = {
        "side": lambda title: StandardPageFactory(parent=home, title=title),
        "nytt": lambda title: NewsPageFactory(parent=news_index, title=title),
        "kurs": lambda title: CoursePageFactory(parent=course_index, title=title),
        "senter": lambda title: CentrePageFactory(title=title),
    }

    def grow(start, stop, names):
        with indexed():
            for number in range(start, stop):
                for name in names:
                    page = kinds[name](f"Fjordvekst {name} {number}")
                    if number % 2:
                        page.copy_for_translation(nn).save_revision().publish()

    urls = [f"/{language}/sok/?q=fjordvekst" for language in ("nb", "nn")]
    urls += ["/nn/sok/?q=fjordvekst&type=newspage", "/nb/sok/?q=fjordvekst&type=newspage&page=2"]
    grow(0, 2, ["side", "nytt"])
    small = measure(client, urls)
    grow(2, 42, list(kinds))  # more pages, and pages of two more types
    for model in (StandardPage, NewsPage):
        assert model.objects.filter(title__startswith="Fjordvekst").count() == 42 + 21
    assert len(groups(client.get(urls[0]))) == 4
    large = measure(client, urls)
    assert large == small
    assert max(warm for _cold, warm in large) <= 12
    # What a search finds is read once per content version, not on every request.
    assert all(cold > warm for cold, warm in large)
