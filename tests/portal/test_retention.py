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
OUR_APPS = {
    "portal",
    "places",
    "courses",
    "guidance",
    "nyheiter",
    "handbook",
    "elearning",
    "sitesearch",
}


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


# Stores of the framework that hold personal data without a telling field name.
FRAMEWORK_STORES = {
    "sessions.Session",
    "django_tasks_db.DBTaskResult",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
}


def test_the_frameworks_stores_of_personal_data_have_rules():
    assert FRAMEWORK_STORES - {rule.model for rule in retention.RULES} == set()


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
    open_old = request_closed(100, status="contacted")
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "guidance.GuidanceRequest: 1 anonymised" in out.getvalue()
    assert "Done: 1 records anonymised or deleted." in out.getvalue()

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
    assert "Done: 0 records" in out.getvalue()


@override_settings(GUIDANCE_REQUEST_OPEN_DAYS=180, GUIDANCE_REQUEST_EXPIRY_WARNING_DAYS=14)
def test_requests_nobody_closes_are_anonymised_and_their_staff_warned_first(
    django_user_model, mailoutbox
):
    from katalog.guidance.models import CentreAccess

    staff = django_user_model.objects.create_user("stord", "stord@example.no", "pw")
    new_old = request_closed(181, status="new")
    CentreAccess.group_of(new_old.centre).user_set.add(staff)
    soon = request_closed(170, status="contacted")
    later = request_closed(100, status="new")

    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "1 to expire soon, their owners warned" in out.getvalue()
    new_old.refresh_from_db()
    assert new_old.name == "" and new_old.status == "closed" and new_old.anonymised_at
    soon.refresh_from_db()
    assert soon.name == "Kari" and soon.expiry_warned_at is not None
    later.refresh_from_db()
    assert later.expiry_warned_at is None

    (warning,) = [m for m in mailoutbox if m.to == ["stord@example.no"]]
    assert warning.subject == "Åpne bestillinger av veiledning blir snart anonymisert"
    assert f"/admin/guidance_requests/edit/{soon.pk}/" in warning.body
    assert str(soon) in warning.body
    assert "Kari" not in warning.body
    assert f"/edit/{later.pk}/" not in warning.body

    # Warned once: the next daily run sends nothing more about it.
    mailoutbox.clear()
    call_command("purge_personal_data", stdout=io.StringIO())
    assert mailoutbox == []


def test_a_status_change_starts_the_deadline_again(admin_client):
    warned = request_closed(170, status="new")
    GuidanceRequest.objects.filter(pk=warned.pk).update(expiry_warned_at=timezone.now())
    response = admin_client.post(
        f"/admin/guidance_requests/edit/{warned.pk}/",
        {"status": "contacted", "assigned_to": "", "internal_notes": "Ringt"},
    )
    assert response.status_code == 302
    warned.refresh_from_db()
    assert warned.status == "contacted" and warned.expiry_warned_at is None
    assert timezone.now() - warned.status_changed_at < datetime.timedelta(minutes=1)


def test_expired_sessions_and_old_task_results_are_deleted(client, admin_user):
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    client.force_login(admin_user)
    live = Session.objects.get()
    Session.objects.create(
        session_key="utgatt", session_data="x", expire_date=timezone.now() - datetime.timedelta(1)
    )
    now = timezone.now()

    def result(days_ago):
        return DBTaskResult.objects.create(
            task_path="katalog.guidance.tasks.send_receipt",
            args_kwargs={"args": [1], "kwargs": {}},
            backend_name="default",
            run_after=now,
            status="FAILED",
            finished_at=now - datetime.timedelta(days=days_ago),
            traceback="SMTPRecipientsRefused: kari@example.no",
        )

    old, recent = result(8), result(1)
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "sessions.Session: 1 deleted" in out.getvalue()
    assert list(Session.objects.all()) == [live]
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_runs_the_purge_daily():
    from django.core.management.sql import emit_post_migrate_signal
    from django_tasks_db.models import DBTaskResult

    from portal import tasks

    with override_settings(TASKS=DATABASE_TASKS):
        emit_post_migrate_signal(0, False, "default")  # as every deploy's migrate does
        (scheduled,) = DBTaskResult.objects.filter(task_path="portal.tasks.purge_personal_data")
        local = timezone.localtime(scheduled.run_after)
        assert (local.hour, local.minute) == (3, 0)
        assert scheduled.run_after > timezone.now()
        assert tasks.schedule_purge() is None  # one is waiting: no second

        old = request_closed(1000)
        # When the worker runs it (the waiting one has started), it purges and schedules the
        # next day's run. (db_worker itself cannot run inside a test's transaction on SQLite.)
        DBTaskResult.objects.filter(pk=scheduled.pk).update(status="RUNNING")
        assert tasks.purge_personal_data.call()["guidance.GuidanceRequest"] == 1
        old.refresh_from_db()
        assert old.anonymised_at is not None
        (following,) = DBTaskResult.objects.filter(
            task_path="portal.tasks.purge_personal_data", status="READY"
        )
        assert following.pk != scheduled.pk
        assert following.run_after > timezone.now()


def test_no_purge_is_scheduled_where_tasks_run_at_once():
    from portal import tasks

    assert tasks.schedule_purge() is None


def test_default_retention_period_is_set():
    from django.conf import settings

    assert 0 < settings.GUIDANCE_REQUEST_RETENTION_DAYS <= 365
