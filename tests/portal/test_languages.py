import re

import pytest
from django.test import override_settings

from katalog.guidance.models import GuidanceIndexPage
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("nn", "/nn/"),
        ("nn-NO,nn;q=0.9,en;q=0.5", "/nn/"),
        ("no-nn", "/nn/"),
        ("en-GB,en;q=0.8,nn;q=0.6,nb;q=0.4", "/nn/"),
        ("nb-NO,nb;q=0.9,nn;q=0.5", "/nb/"),
        ("no", "/nb/"),
        ("en-US,en;q=0.9", "/nb/"),
        ("", "/nb/"),
    ],
)
def test_root_redirects_to_preferred_written_standard(client, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_home_page_has_its_language_on_the_html_element(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.text


@pytest.mark.parametrize(
    ("path", "twins"),
    [
        ("/nb/", {"nb": "/nb/", "nn": "/nn/"}),
        ("/nn/rettleiing/", {"nb": "/nb/veiledning/", "nn": "/nn/rettleiing/"}),
        (
            "/nb/nyheter/lederkurs-var/",
            {"nb": "/nb/nyheter/lederkurs-var/", "nn": "/nn/nyheiter/leiarkurs-var/"},
        ),
    ],
)
def test_every_page_links_both_twins_with_hreflang(client, path, twins):
    html = client.get(path).text
    alternates = dict(
        re.findall(r'<link rel="alternate" hreflang="(\w+)" href="http://[^/]+([^"]+)"', html)
    )
    assert alternates == twins


def test_switcher_leads_to_the_translated_twin_not_the_home_page(client):
    html = client.get("/nb/veiledning/").text
    switch = re.search(r'<a class="ds-link" href="([^"]+)" hreflang="nn"', html)
    assert switch.group(1) == "/nn/rettleiing/"
    twin = client.get(switch.group(1))
    assert twin.status_code == 200
    assert twin.context["page"].specific_class is GuidanceIndexPage
    assert "Karriere- og studierettleiing" in twin.text


def test_switcher_keeps_the_query_string(client):
    html = client.get("/nb/nyheter/?page=2").text
    assert 'href="/nn/nyheiter/?page=2" hreflang="nn"' in html


def test_untranslated_page_switches_to_the_other_home_page(client, home):
    # A page created outside the admin has no nn alias yet, so there is no twin to go to.
    StandardPageFactory(parent=home, slug="bare-bokmal", title="Bare på bokmål")
    html = client.get("/nb/bare-bokmal/").text
    assert 'href="/nn/" hreflang="nn"' in html


@pytest.mark.parametrize(
    ("language", "strings"),
    [
        ("nb", ["Hopp til hovedinnholdet", "Siste nyheter", "Kontakt oss"]),
        ("nn", ["Hopp til hovudinnhaldet", "Siste nyheiter", "Kontakt oss"]),
    ],
)
def test_interface_strings_are_in_the_pages_written_standard(client, language, strings):
    html = client.get(f"/{language}/").text
    for string in strings:
        assert string in html


def test_home_page_is_the_one_door(client):
    html = client.get("/nn/").text
    assert 'href="/nn/rettleiing/">Finn karriere- og studierettleiing' in html
    assert 'href="/nn/kurs/">Finn eit kurs' in html
    assert "Nytt karrieresenter opnar i Sogndal" in html
    assert 'href="/nn/handbok/"' in html
    assert 'href="/nn/e-laeringsressursar/"' in html


def test_footer_links_accessibility_statement_and_privacy_in_the_same_standard(client):
    html = client.get("/nn/").text
    # The statement is the one published on uustatus.no (tests/portal/test_editors.py).
    assert 'href="https://uustatus.no/nb/erklaringer/publisert/' in html
    assert "Tilgjengelegheitserklæring</a>" in html
    assert 'href="/nn/personvern/">Personvern' in html
    assert "55 63 90 00" in html


def test_every_link_on_the_home_page_resolves(client):
    for language in ("nb", "nn"):
        html = client.get(f"/{language}/").text
        for href in set(re.findall(r'href="(/(?:nb|nn)/[^"]*)"', html)):
            assert client.get(href).status_code == 200, href


@override_settings(DEBUG=False)
def test_unknown_page_answers_404_in_the_visitors_standard(client):
    response = client.get("/nn/finst-ikkje/")
    assert response.status_code == 404
    assert '<html lang="nn"' in response.text
    assert "Fann ikkje sida" in response.text


def test_unpublished_twin_is_not_offered_by_the_switcher(client, nn):
    twin = GuidanceIndexPage.objects.get(locale=nn)
    twin.unpublish()
    html = client.get("/nb/veiledning/").text
    assert 'href="/nn/" hreflang="nn"' in html
    assert "/nn/rettleiing/" not in html
