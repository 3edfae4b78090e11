"""The inbox follows the guidance services' workflow: new → contacted → closed (and reopen)."""

import pytest

from katalog.guidance.models import CentrePage, GuidanceRequest
from katalog.guidance.services import StatusTransitionError, change_status

pytestmark = pytest.mark.django_db

BASE = "/admin/guidance_requests/"


@pytest.fixture
def closed_request():
    centre = CentrePage.objects.get(locale__language_code="nb", slug="opus-voss")
    return GuidanceRequest.objects.create(
        centre=centre,
        municipality=centre.municipalities.first(),
        language="nb",
        name="Lukka sak",
        topic="study",
        contact_method="email",
        status=GuidanceRequest.Status.CLOSED,
    )


def test_a_closed_request_cannot_go_back_to_new(closed_request):
    with pytest.raises(StatusTransitionError):
        change_status(closed_request, GuidanceRequest.Status.NEW)
    assert closed_request.status == GuidanceRequest.Status.CLOSED


def test_a_closed_request_can_be_reopened_as_contacted(closed_request):
    change_status(closed_request, GuidanceRequest.Status.CONTACTED)
    assert closed_request.status == GuidanceRequest.Status.CONTACTED


def test_an_anonymised_request_stays_closed(closed_request):
    closed_request.anonymised_at = closed_request.created_at
    with pytest.raises(StatusTransitionError):
        change_status(closed_request, GuidanceRequest.Status.CONTACTED)


def test_the_inbox_offers_and_accepts_only_allowed_statuses(admin_client, closed_request):
    form = admin_client.get(BASE + f"edit/{closed_request.pk}/").context["form"]
    offered = {value for value, _label in form.fields["status"].choices}
    assert offered == {"closed", "contacted"}

    response = admin_client.post(BASE + f"edit/{closed_request.pk}/", {"status": "new"})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    closed_request.refresh_from_db()
    assert closed_request.status == GuidanceRequest.Status.CLOSED
