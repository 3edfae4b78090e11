import pytest
from django.utils import translation

from katalog.places.models import Municipality, Region

pytestmark = pytest.mark.django_db


def test_demo_region_has_every_vestland_municipality_in_a_region():
    assert Municipality.objects.count() == 43
    assert Region.objects.count() == 7
    assert Municipality.objects.get(number="4640").region.name_nb == "Sogn"
    assert not Municipality.objects.filter(region__isnull=True).exists()


def test_names_follow_the_active_written_standard():
    region = Region(name_nb="Nordland", name_nn="Nordlandet")
    with translation.override("nn"):
        assert str(region) == "Nordlandet"
    with translation.override("nb"):
        assert str(region) == "Nordland"


def test_municipality_number_must_have_four_digits():
    from django.core.exceptions import ValidationError

    municipality = Municipality(
        number="46", name_nb="X", name_nn="X", region=Region.objects.first()
    )
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "number" in error.value.message_dict


def test_editor_finds_municipalities_in_the_admin(admin_client):
    response = admin_client.get("/admin/snippets/places/municipality/", {"q": "Sogndal"})
    assert response.status_code == 200
    assert "4640" in response.text
    assert "4601" not in response.text
