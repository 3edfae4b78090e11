import pytest

from katalog.guidance.models import CentreAccess, CentreKind, CentrePage
from katalog.places.models import Municipality
from portal import demo
from tests.factories import CentrePageFactory

pytestmark = pytest.mark.django_db

FINDER = {"nb": "/nb/veiledning/", "nn": "/nn/rettleiing/"}


CENTRES = demo.pages_of("guidance.CentrePage")


def served_numbers(spec):
    """The municipality numbers a demo centre names, one by one or by region."""
    places = demo.records_of("places.Municipality")
    numbers = set()
    for item in spec["fields"]["municipalities"]:
        if isinstance(item, dict):
            numbers |= {row["number"] for row in places if row["region"] == item["region"]}
        else:
            numbers.add(item)
    return numbers


def expected_titles(number, language):
    """From the demo's own description of the centres, not from the database."""
    return sorted(spec[language]["title"] for spec in CENTRES if number in served_numbers(spec))


def test_demo_has_at_least_six_centres_of_every_kind_in_both_standards():
    for language in ("nb", "nn"):
        centres = CentrePage.objects.live().filter(locale__language_code=language)
        assert centres.count() >= 6
        assert set(centres.values_list("kind", flat=True)) == set(CentreKind.values)


def test_demo_serves_every_municipality():
    unserved = Municipality.objects.filter(centres__isnull=True)
    assert list(unserved) == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_finder_returns_the_centres_serving_every_demo_municipality(client, language):
    for municipality in Municipality.objects.all():
        response = client.get(FINDER[language], {"municipality": municipality.number})
        assert response.status_code == 200
        results = response.context["results"]
        titles = sorted(centre.title for centre in results)
        assert titles == expected_titles(municipality.number, language), municipality
        assert titles, f"{municipality} has no centre"
        assert all(centre.locale.language_code == language for centre in results)


def test_finder_shows_both_centres_for_bergen_with_contact_and_hours(client):
    response = client.get("/nb/veiledning/", {"municipality": "4601"})
    html = response.text
    assert "Karriere Vestland – Bergen" in html
    assert "OPUS Bergen" in html
    assert "Kaigaten 4, 5015 Bergen" in html
    assert "55 63 92 00" in html
    assert "karriere.bergen@example.no" in html
    assert "/nb/veiledning/bestill/?municipality=4601" in html
    assert "Åpningstider" in html


@pytest.mark.parametrize("value", ["9999", "abc", "46011", "<script>"])
def test_finder_explains_an_unknown_municipality(client, value):
    response = client.get("/nn/rettleiing/", {"municipality": value})
    assert response.status_code == 200
    assert response.context["municipality"] is None
    assert "Vi kjenner ikkje den kommunen" in response.text
    assert 'aria-invalid="true"' in response.text
    # The message is the select's description, by the forms' error-id convention.
    assert 'aria-describedby="id_finder_municipality_error"' in response.text
    assert 'id="id_finder_municipality_error"' in response.text
    assert "<script>" not in response.text.split("<main", 1)[1]


def test_finder_asks_for_a_municipality_when_none_is_chosen(client):
    response = client.get("/nb/veiledning/", {"municipality": ""})
    assert response.status_code == 200
    assert "Vi kjenner ikke" not in response.text
    assert '<h2 class="ds-heading" data-size="xs">Velg kommunen din</h2>' in response.text


def test_finder_lists_all_centres_grouped_by_region(client):
    response = client.get("/nb/veiledning/")
    regions = dict(response.context["regions"])
    names = {region.name_nb: {c.title for c in centres} for region, centres in regions.items()}
    assert len(names) == 7
    assert names["Sunnhordland"] == {"Studiesenteret Sunnhordland"}
    assert names["Nordfjord"] == {"Karriere Vestland – Førde", "Studiesenteret Nordfjord"}


def test_finder_speaks_nynorsk_on_the_nn_page(client):
    response = client.get("/nn/rettleiing/", {"municipality": "4640"})
    assert "Karriere- og studiesenteret i Sogn" in response.text
    assert "Senter som dekkjer Sogndal" in response.text


@pytest.mark.usefixtures("uncached_pages")
def test_finder_query_count_does_not_grow_with_centres(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(60) as captured:
        client.get("/nb/veiledning/", {"municipality": "4601"})
    before = len(captured.captured_queries)
    bergen = Municipality.objects.get(number="4601")
    for _ in range(4):
        CentrePageFactory(municipalities=[bergen])
    with django_assert_max_num_queries(before) as captured:
        response = client.get("/nb/veiledning/", {"municipality": "4601"})
    assert len(response.context["results"]) == 6


@pytest.mark.parametrize(("language", "index"), [("nb", 3), ("nn", 5)])
def test_centre_page_shows_its_details(client, language, index):
    spec = CENTRES[index]
    centre = CentrePage.objects.get(locale__language_code=language, slug=spec[language]["slug"])
    response = client.get(centre.url)
    assert response.status_code == 200
    assert spec[language]["how_to_book"] in response.text
    assert spec["fields"]["street_address"] in response.text
    assert spec["fields"]["phone"] in response.text
    assert "bestill/" in response.text


def test_nn_centre_keeps_municipalities_and_hours_of_nb(nn):
    for centre in CentrePage.objects.filter(locale__language_code="nb"):
        twin = centre.get_translation(nn)
        assert set(twin.municipalities.all()) == set(centre.municipalities.all())
        assert twin.opening_hours.count() == centre.opening_hours.count()
        assert twin.kind == centre.kind
        assert twin.services == centre.services
        assert CentreAccess.group_of(twin) == CentreAccess.group_of(centre)


def test_image_needs_alternative_text():
    from django.core.exceptions import ValidationError
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Kontoret", file=get_test_image_file())
    centre = CentrePage.objects.filter(locale__language_code="nb").first()
    centre.image = image
    centre.image_alt = ""
    with pytest.raises(ValidationError) as error:
        centre.full_clean()
    assert "image_alt" in error.value.message_dict


def test_decentralised_education_page_is_linked_from_the_door(client):
    response = client.get("/nn/rettleiing/")
    assert "/nn/rettleiing/desentralisert-utdanning/" in response.text
    offers = client.get("/nn/rettleiing/desentralisert-utdanning/")
    assert offers.status_code == 200
    assert "Barnehagelærarutdanning, deltid" in offers.text
    assert "Studiesenteret Sunnhordland" in offers.text
