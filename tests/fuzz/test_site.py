"""Every other public page: any page with any query, the news listing's pages, the results
report's tables, the language redirect, robots.txt, the sitemap, and paths that lead nowhere."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import Page

from forum.models import ResultsReportPage
from tests.fuzz.strategies import NUMBERISH, hostile_text, query

pytestmark = [
    pytest.mark.django_db,
    # Hostile paths become cache keys of the page routes; only memcached would refuse them.
    pytest.mark.filterwarnings("ignore::django.core.cache.CacheKeyWarning"),
    # A failing example with a 40 000-character value is reported anyway, if slowly.
    pytest.mark.filterwarnings("ignore:Generating overly large repr"),
]

NEWS = {"nb": "/nb/nyheter/", "nn": "/nn/nyheiter/"}
PAIRS = st.lists(st.tuples(hostile_text(), hostile_text()), max_size=4)


@pytest.fixture
def page_urls(db):
    """Every live page of both standards (the routes of the guidance page have tests of their
    own; a page with no URL of its own, the tree's root, is left out)."""
    return sorted(url for url in (page.url for page in Page.objects.live().public()) if url)


@given(data=st.data())
def test_every_page_answers_any_query(surface, page_urls, data):
    url = data.draw(st.sampled_from(page_urls), label="page")
    response = surface.get(f"{url}?{query(data.draw(PAIRS, label='query'))}", endpoint="page")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"


@given(
    language=st.sampled_from(["nb", "nn"]),
    pages=st.lists(st.one_of(NUMBERISH, hostile_text()), max_size=3),
)
def test_news_listing_answers_any_page_number(surface, language, pages):
    response = surface.get(
        f"{NEWS[language]}?{query([('page', p) for p in pages])}", endpoint="news"
    )
    assert response.status_code == 200


@given(pages=st.lists(st.one_of(NUMBERISH, hostile_text()), max_size=2), pairs=PAIRS)
def test_sitemap_and_robots_answer_any_query(surface, pages, pairs):
    sitemap = surface.get(
        f"/sitemap.xml?{query([*pairs, *(('p', p) for p in pages)])}", endpoint="sitemap.xml"
    )
    if pages:
        # Django's sitemap answers a page number it has no page for with a 404.
        assert sitemap.status_code in (200, 404)
    else:
        assert sitemap.status_code == 200
        assert "/nb/kurs/</loc>" in sitemap.text
        assert "/nn/kurs/</loc>" in sitemap.text
    robots = surface.get(f"/robots.txt?{query(pairs)}", endpoint="robots.txt")
    assert robots.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in robots.text


KNOWN_LANGUAGES = [
    ("nn", "/nn/"),
    ("nn-NO,nb;q=0.5", "/nn/"),
    ("no-nn", "/nn/"),
    ("nb", "/nb/"),
    ("en-GB,nn;q=0.9", "/nn/"),
    ("de", "/nb/"),
    ("", "/nb/"),
]


@given(
    header=st.one_of(st.sampled_from(KNOWN_LANGUAGES), hostile_text().map(lambda h: (h, None))),
    pairs=PAIRS,
)
def test_root_redirects_by_any_accept_language(surface, header, pairs):
    value, expected = header
    # A header is Latin-1 on the wire; what cannot be is sent as its UTF-8 bytes.
    value = value.encode("utf-8").decode("latin-1")
    response = surface.get(f"/?{query(pairs)}", endpoint="root", HTTP_ACCEPT_LANGUAGE=value)
    assert response.status_code == 302
    assert response["Location"] in ({expected} if expected else {"/nb/", "/nn/"})


# Django refuses to redirect to a URL longer than this (the slash or language it would add).
LONGEST_REDIRECT = 16_384


def not_found_or_redirected(path):
    refused = {400} if len(path) >= LONGEST_REDIRECT - len("/nb/") else set()
    return {301, 302, 404, *refused}


SEGMENT = hostile_text(max_size=20).map(lambda segment: quote(segment, safe=""))


@given(
    prefix=st.sampled_from(
        ["/nb/", "/nn/", "/nb/kurs/", "/nn/kurs/", "/nb/veiledning/", "/nn/rettleiing/", "/"]
    ),
    segments=st.lists(SEGMENT, min_size=1, max_size=3),
    ending=st.sampled_from(["/", "", "/kalender.ics", ".ics", "/bestill/"]),
)
def test_paths_that_lead_nowhere_are_not_found(surface, prefix, segments, ending):
    path = prefix + "/".join(segments) + ending
    response = surface.get(path, endpoint="unknown path")
    # A segment may happen to be a page's slug.
    assert response.status_code in {200, *not_found_or_redirected(path)}


@given(number=NUMBERISH, name=hostile_text(max_size=20))
def test_documents_answer_any_id_and_name(surface, number, name):
    path = f"/documents/{quote(number, safe='')}/{quote(name, safe='')}"
    response = surface.get(path, endpoint="documents")
    assert response.status_code in not_found_or_redirected(path)


@pytest.fixture
def report_url(db):
    return ResultsReportPage.objects.live().order_by("path").first().url


@given(table=st.one_of(st.sampled_from(["kommune", "tiltak", "resultat"]), hostile_text()))
def test_the_results_report_answers_any_table_name(surface, report_url, table):
    response = surface.get(f"{report_url}tabell/{quote(table, safe='')}/", endpoint="report CSV")
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert response["Content-Type"].startswith("text/csv")
