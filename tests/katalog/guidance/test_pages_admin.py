import pytest

from katalog.guidance.models import (
    CentrePage,
    DecentralisedEducationPage,
    GuidanceIndexPage,
    SelfAssessmentPage,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [CentrePage, DecentralisedEducationPage, SelfAssessmentPage])
def test_editor_opens_guidance_pages_in_both_standards(admin_client, model, nb, nn):
    for locale in (nb, nn):
        page = model.objects.filter(locale=locale).first()
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, (model, locale)


def test_editor_adds_a_centre_with_services_hours_and_municipalities(admin_client, nb):
    guidance = GuidanceIndexPage.objects.get(locale=nb)
    url = f"/admin/pages/add/guidance/centrepage/{guidance.pk}/"
    assert admin_client.get(url).status_code == 200
    data = {
        "title": "Karrieresenteret Fjordane",
        "slug": "karrieresenteret-fjordane",
        "intro": "",
        "kind": "career_centre",
        "services": ["career_guidance", "prior_learning"],
        "municipalities": [],
        "street_address": "Storgata 1",
        "postcode": "6900",
        "post_town": "Florø",
        "latitude": "",
        "longitude": "",
        "phone": "",
        "email": "",
        "how_to_book": "",
        "image_alt": "",
        "body-count": "0",
        "opening_hours-TOTAL_FORMS": "1",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
        "opening_hours-0-weekday": "0",
        "opening_hours-0-opens": "09:00",
        "opening_hours-0-closes": "15:00",
        "opening_hours-0-ORDER": "1",
        "exception_days-TOTAL_FORMS": "1",
        "exception_days-INITIAL_FORMS": "0",
        "exception_days-MIN_NUM_FORMS": "0",
        "exception_days-MAX_NUM_FORMS": "1000",
        "exception_days-0-date": "2026-12-24",
        "exception_days-0-opens": "",
        "exception_days-0-closes": "",
        "exception_days-0-note": "Julaften",
        "exception_days-0-ORDER": "1",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    centre = CentrePage.objects.get(slug="karrieresenteret-fjordane", locale=nb)
    assert centre.services == ["career_guidance", "prior_learning"]
    assert centre.opening_hours.get().opens.hour == 9
    assert centre.exception_days.get().is_closed


def test_opening_hours_must_close_after_they_open():
    import datetime

    from django.core.exceptions import ValidationError

    from katalog.guidance.models import OpeningHours

    hours = OpeningHours(weekday=0, opens=datetime.time(15), closes=datetime.time(9))
    with pytest.raises(ValidationError):
        hours.clean()
