"""What the fuzz tests found in the catalogue filter and the enrolment form, one test each."""

import pytest

from katalog.courses.models import Enrolment
from tests.katalog.courses.test_catalogue import all_shown, available, keys, upcoming
from tests.katalog.courses.test_enrolment_pages import new_session, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["0", "false", "off", "OFF", " 0 "])
def test_unticked_available_value_filters_nothing(client, value):
    sessions = upcoming("nb")
    assert any(not available(s) for s in sessions)
    response = client.get("/nb/kurs/", {"available": value})
    assert response.context["filters"].available is False
    assert response.context["active_filters"] == []
    assert all_shown(client, "/nb/kurs/", {"available": value}) == keys(sessions)


def test_ticked_available_value_still_filters(client):
    response = client.get("/nb/kurs/", {"available": "1"})
    assert response.context["filters"].available is True


@pytest.mark.parametrize("value", ["0", "false", "off", "OFF"])
def test_unticked_consent_value_stores_no_enrolment(client, nb, value):
    session = new_session(nb)
    response = post(client, session, consent=value)
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not Enrolment.objects.filter(session=session).exists()


@pytest.mark.parametrize("phone", ["١٢٣٤٥٦٧٨", "５５５５５５５５", "55 55 ٥٥ 55", "߁߂߃߄߅߆߇߈"])
def test_phone_with_other_scripts_digits_is_refused(client, nb, phone):
    session = new_session(nb)
    response = post(client, session, phone=phone)
    assert "phone" in response.context["form"].errors
    assert not Enrolment.objects.filter(session=session).exists()


@pytest.mark.parametrize(
    "phone", ["+47 55 55 55 55", "(+47) 55-55-55-55", "555-55 555", "(55) 555555"]
)
def test_phone_with_hyphens_and_parentheses_is_stored(client, nb, phone):
    session = new_session(nb)
    post(client, session, phone=phone)
    assert Enrolment.objects.get(session=session).phone == phone


def test_email_differing_only_in_the_case_of_aeoa_is_one_enrolment(client, nb):
    session = new_session(nb, capacity=5)
    post(client, session, email="Kari.Berg@ÆØÅ.Bø.no")
    response = post(client, session, 2, email="kari.berg@æøå.bø.no")
    assert "courses/enrolment_exists.html" in [t.name for t in response.templates]
    assert list(Enrolment.objects.filter(session=session).values_list("email", flat=True)) == [
        "kari.berg@æøå.bø.no"
    ]
