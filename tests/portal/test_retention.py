import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import override_settings
from django.utils import timezone

from katalog.guidance.models import GuidanceRequest
from portal import retention
from tests.factories import GuidanceRequestFactory

pytestmark = pytest.mark.django_db

# Field names that hold a person's data wherever they appear.
PERSONAL_FIELD_NAMES = {"name", "email", "phone", "address", "message", "birth_date"}
OUR_APPS = {"portal", "places", "courses", "guidance", "nyheiter"}


def personal_data_models():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        fields = model._meta.get_fields()
        if any(isinstance(f, models.EmailField) or f.name in PERSONAL_FIELD_NAMES for f in fields):
            yield model._meta.label


def test_every_model_with_personal_data_has_a_retention_rule():
    ruled = {rule.model for rule in retention.RULES}
    missing = set(personal_data_models()) - ruled - set(retention.NOT_PERSONAL)
    assert missing == set(), f"Register a retention rule (portal.retention) in the app of {missing}"


def test_registry_check_can_fail(monkeypatch):
    """Negative control: without the guidance-request rule the check above would fail."""
    monkeypatch.setattr(retention, "RULES", [])
    ruled = {rule.model for rule in retention.RULES}
    missing = set(personal_data_models()) - ruled - set(retention.NOT_PERSONAL)
    assert "guidance.GuidanceRequest" in missing


def request_closed(days_ago, status="closed"):
    guidance_request = GuidanceRequestFactory(
        name="Kari",
        phone="55 55 55 55",
        message="Hjelp",
        internal_notes="Ringt",
        self_assessment="Arbeid: godt",
        topic="career",
        status=status,
    )
    GuidanceRequest.objects.filter(pk=guidance_request.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return guidance_request


@override_settings(GUIDANCE_REQUEST_RETENTION_DAYS=30)
def test_purge_anonymises_closed_requests_past_the_period():
    old = request_closed(31)
    recent = request_closed(29)
    open_old = request_closed(400, status="contacted")
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "guidance.GuidanceRequest: 1 anonymised" in out.getvalue()
    assert "Done: 1 records anonymised." in out.getvalue()

    old.refresh_from_db()
    assert (old.name, old.email, old.phone, old.message) == ("", "", "", "")
    assert (old.internal_notes, old.self_assessment) == ("", "")
    assert old.anonymised_at is not None
    assert old.topic == "career" and old.municipality_id  # statistics stay
    for kept in (recent, open_old):
        kept.refresh_from_db()
        assert kept.name == "Kari" and kept.anonymised_at is None


def test_purge_again_changes_nothing():
    request_closed(1000)
    call_command("purge_personal_data", stdout=io.StringIO())
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "0 anonymised" in out.getvalue()


def test_default_retention_period_is_set():
    from django.conf import settings

    assert 0 < settings.GUIDANCE_REQUEST_RETENTION_DAYS <= 365
