"""The e-learning library: its filters as GET parameters, each option's count under the other
filters, invalid values reported, an empty result explained, pagination, resource pages in nb
and nn, and a constant number of queries however many resources there are."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction

from elearning.models import LibraryPage, ResourcePage
from katalog.courses.models import Audience, Category
from katalog.places.models import Municipality

pytestmark = pytest.mark.django_db

NB = "/nb/e-laeringsressurser/"
NN = "/nn/e-laeringsressursar/"


@pytest.fixture
def library(nb):
    return LibraryPage.objects.get(locale=nb)


def add_resource(library, title, audiences=(), **fields):
    values = {
        "format": "video",
        "licence": "cc-by-4.0",
        "language": "nb",
        "owner_organisation": "Testeigar",
        "external_url": "https://example.no/ressurs",
        **fields,
    }
    page = library.add_child(instance=ResourcePage(title=title, **values))
    if audiences:
        page.audiences.set(Audience.objects.filter(slug__in=audiences))
        page.save()
    return page


def titles(html):
    return re.findall(
        r'<h3 class="ds-heading" data-size="xs"><a class="ds-link" href="[^"]+">([^<]+)</a>', html
    )


def option_count(html, name, value):
    """The count an option of the select `name` shows, e.g. «Video (2)» -> 2."""
    select = html.partition(f'name="{name}"')[2].partition("</select>")[0]
    found = re.search(
        rf'<option value="{re.escape(value)}"(?: selected)?>[^<(]+\((\d+)\)</option>', select
    )
    assert found, (name, value)
    return int(found[1])


def test_library_lists_every_demo_resource_with_its_facts(client):
    html = client.get(NB).text
    assert "10 ressurser" in html
    assert len(titles(html)) == 10
    assert titles(html)[0] == "Arbeidsmiljøloven for ledere"  # by title
    card = html.partition("Personvern for ansatte i kommunen</a>")[2].partition("</li>")[0]
    assert "<dd>E-læringsmodul</dd>" in card
    assert "<dd>45 min</dd>" in card
    assert "<dd>Kompetansenettverket i Vestland</dd>" in card
    assert "<dd>CC BY 4.0</dd>" in card
    assert "<dd>Bokmål og nynorsk</dd>" in card


def test_each_option_counts_the_resources_under_the_other_filters(client):
    html = client.get(NB).text
    assert option_count(html, "format", "video") == 2
    assert option_count(html, "format", "elearning") == 3
    assert option_count(html, "licence", "members") == 3
    assert option_count(html, "category", "helse") == 2
    assert option_count(html, "audience", "tilsette") == 4
    # A resource in both written standards counts for each.
    assert option_count(html, "language", "nb") == 6
    assert option_count(html, "language", "nn") == 7

    html = client.get(f"{NB}?format=video&language=nb").text
    assert titles(html) == ["Brannvern for alle ansatte"]
    assert "1 ressurs" in html
    # The format's own options keep every format the language allows…
    assert option_count(html, "format", "video") == 1
    assert option_count(html, "format", "elearning") == 2
    # …the language's keep every language the format allows, the others count both.
    assert option_count(html, "language", "nn") == 1
    assert option_count(html, "licence", "all-rights-reserved") == 1
    assert option_count(html, "licence", "cc-by-sa-4.0") == 0
    assert 'option value="video" selected' in html


def test_target_group_and_category_filter_by_the_catalogues_slugs(client):
    html = client.get(f"{NB}?audience=leiarar").text
    assert sorted(titles(html)) == [
        "Arbeidsmiljøloven for ledere",
        "Samtaleguide for medarbeidersamtalen",
    ]
    html = client.get(f"{NB}?category=helse&licence=cc-by-nc-4.0").text
    assert titles(html) == ["Møte med personer med demens"]


def test_nynorsk_library_lists_the_nynorsk_resources_in_nynorsk(client):
    html = client.get(f"{NN}?language=nn&format=video").text
    assert 'lang="nn"' in html
    assert titles(html) == ["Klart språk: skriv så mottakaren forstår"]
    assert "Fjern filteret Format Video" in html
    assert "<dd>Nynorsk</dd>" in html


def test_invalid_values_are_reported_and_left_out(client):
    html = client.get(f"{NB}?format=vhs&licence=cc-by-4.0").text
    assert "Noen av filtrene kunne ikke brukes" in html
    assert "Det finnes ikke noe format som heter vhs." in html
    assert len(titles(html)) == 4  # the licence still filters
    html = client.get(f"{NN}?language=sv").text
    assert "Det finst ingen målform som heiter sv." in html
    assert len(titles(html)) == 10


def test_an_empty_result_says_so_and_offers_all(client):
    html = client.get(f"{NB}?format=scorm&language=nn").text
    assert "0 ressurser" in html
    assert "Ingen ressurser passer til filtrene" in html
    assert titles(html) == []
    assert '<a class="ds-link" href="?">Vis alle ressursene</a>' in html


def test_private_and_unpublished_resources_are_neither_listed_nor_counted(client, library):
    private = ResourcePage.objects.get(locale=library.locale, slug="brannvern-for-alle-ansatte")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    ResourcePage.objects.get(
        locale=library.locale, slug="klart-sprak-skriv-sa-mottakeren-forstar"
    ).unpublish()
    html = client.get(NB).text
    assert "8 ressurser" in html
    assert "Brannvern for alle ansatte" not in titles(html)
    assert option_count(html, "format", "video") == 0


def test_the_library_pages_through_many_resources(client, library):
    for number in range(25):
        add_resource(library, f"Øvingsressurs {number:02}")
    first = client.get(NB).text
    assert "35 ressurser" in first
    assert len(titles(first)) == 20
    second = client.get(f"{NB}?format=video&page=2").text
    assert titles(second) == [f"Øvingsressurs {n:02}" for n in range(18, 25)]
    assert 'aria-current="page">2</a>' in second


def test_an_empty_library_says_it_has_no_resources_yet(client):
    for library in LibraryPage.objects.all():  # both written standards
        for child in library.get_children():
            child.delete()
    for path in (NB, NN):
        response = client.get(path)
        assert response.status_code == 200
        assert titles(response.text) == []
    assert "Biblioteket har ingen ressurser ennå." in client.get(NB).text
    assert "Læringsløp" not in client.get(NB).text


def test_the_library_shows_its_learning_paths(client):
    html = client.get(NN).text
    paths = html.partition('id="paths-heading"')[2].partition("</section>")[0]
    assert re.findall(r'class="ds-link card__link" href="[^"]+">([^<]+)</a>', paths) == [
        "Grunnopplæring for nytilsette",
        "Første linje leiar",
    ]
    assert "For nytilsette i alle tenester" in paths


@pytest.mark.parametrize(
    ("path", "texts"),
    [
        (
            f"{NB}personvern-for-ansatte-i-kommunen/",
            [
                "Lisens: CC BY 4.0. Eier: Kompetansenettverket i Vestland.",
                "Åpne ressursen",
                "Alle ansatte",
            ],
        ),
        (
            f"{NN}informasjonstryggleik-for-alle-tilsette/",
            [
                "Lisens: Fri bruk for medlemskommunane. Eigar: Bergen.",
                "Opne ressursen",
                "SCORM-pakke",
            ],
        ),
    ],
)
def test_a_resource_page_gives_its_licence_owner_and_the_resource(client, path, texts):
    response = client.get(path)
    assert response.status_code == 200
    for text in texts:
        assert text in response.text
    assert 'href="https://laering.example.no/' in response.text


def test_a_resource_can_be_an_uploaded_document(client, library):
    document = get_document_model().objects.create(
        title="Sjekkliste", file=ContentFile(b"%PDF-1.4", name="sjekkliste.pdf")
    )
    page = add_resource(
        library, "Sjekkliste for første dag", format="document", external_url="", document=document
    )
    html = client.get(page.url).text
    assert f'href="{document.url}"' in html
    assert "Last ned ressursen" in html


def test_a_resource_has_one_owner_and_one_source(library):
    bergen = Municipality.objects.get(number="4601")
    both = ResourcePage(
        title="Dobbel",
        slug="dobbel",
        format="video",
        licence="members",
        owner_municipality=bergen,
        owner_organisation="KS",
        external_url="",
    )
    with pytest.raises(ValidationError) as raised:
        library.add_child(instance=both)
    errors = raised.value.message_dict
    assert "owner_organisation" in errors and "external_url" in errors


def test_library_queries_stay_the_same_as_resources_grow(client, library, uncached_pages):
    urls = [NB, f"{NN}?format=video&language=nn", f"{NB}?audience=tilsette&page=1"]

    def counts():
        result = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            result.append(len(context))
        return result

    before = counts()
    helse = Category.objects.get(slug="helse")
    for number in range(30):
        add_resource(
            library,
            f"Vekstressurs {number}",
            audiences=["tilsette", "leiarar"],
            category=helse,
            owner_municipality=Municipality.objects.get(number="4621"),
            owner_organisation="",
        )
    after = counts()
    assert after == before
    assert max(after) <= 12


def test_a_resource_with_only_what_is_required_renders_in_both_standards(client, library, nn):
    page = add_resource(library, "Berre det som trengst", language="both")
    # The nynorsk alias that publishing in the admin makes, until the page is translated.
    twin = page.copy_for_translation(nn, alias=True)
    for resource in (page, twin):
        html = client.get(resource.url).text
        assert "Berre det som trengst" in html
        assert "<dd>Testeigar</dd>" in html
        assert "Varighet" not in html and "Varigheit" not in html
