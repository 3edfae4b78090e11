"""Email through an outage of the mail server: the database backend's worker tries each email
task again after EMAIL_RETRY_DELAYS, sends it once when the server is back, and after the last
attempt the staff's report shows it as failed, with no personal data in it."""

import datetime
import json
import smtplib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from katalog.courses import services as course_services
from katalog.courses.models import CourseIndexPage, Enrolment
from katalog.guidance import tasks as guidance_tasks
from katalog.guidance.models import CentreAccess, CentrePage, GuidanceRequest
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REPORT = "/admin/reports/unsent-email/"
# Values nobody else in the database has, so finding one in the report can only be a leak.
NAME, EMAIL = "Lekkasjetest Særnavn", "lekkasje.saernavn@example.no"


class DownEmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingEmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        to = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused(
            {to: (550, f"5.1.1 <{to}>: Recipient address rejected".encode())}
        )


class PartlyDownEmailBackend(LocmemEmailBackend):
    """Delivers, except to the addresses in DOWN_FOR."""

    DOWN_FOR = set()

    def send_messages(self, messages):
        if any(set(message.to) & self.DOWN_FOR for message in messages):
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def smtp(backend):
    return override_settings(EMAIL_BACKEND=f"{__name__}.{backend.__name__}")


def run_worker():
    """Run the due tasks as db_worker does (its locking transaction cannot run inside a test's
    transaction on SQLite); the names of the email tasks among them (Wagtail's own tasks, such
    as the reference index, run too)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker",
    )
    ran = []
    while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran.append(result.task_path)
        assert len(ran) < 50, "the worker should run out of due tasks"
    return [path.rpartition(".")[2] for path in ran if path.startswith("katalog.")]


def wait_out_the_delay():
    """Move every email waiting for its next attempt to now, as if the delay had passed."""
    DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).exclude(
        exception_class_path=""
    ).update(run_after=timezone.now())


def results(task_name):
    return list(DBTaskResult.objects.filter(task_path__endswith=f".{task_name}"))


@pytest.fixture
def tasks_in_database():
    with override_settings(TASKS=DATABASE_TASKS):
        yield


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def guidance_request(nb):
    centre = CentrePage.objects.get(locale__language_code="nb", slug="opus-voss")
    return GuidanceRequest.objects.create(
        centre=centre,
        municipality=centre.municipalities.first(),
        language="nb",
        topic="career",
        contact_method="email",
        name=NAME,
        email=EMAIL,
    )


def enrol(nb, committed):
    page = CoursePageFactory(parent=CourseIndexPage.objects.get(locale=nb), locale=nb)
    with committed():
        return course_services.enrol_from_form(
            CourseSessionFactory(page=page),
            name=NAME,
            email=EMAIL,
            language="nb",
            consent_version="1",
        )


def test_an_email_the_server_does_not_take_is_tried_again_later_and_sent_once(
    nb, committed, tasks_in_database
):
    enrolment = enrol(nb, committed)
    before = timezone.now()
    with smtp(DownEmailBackend):
        assert run_worker() == ["send_enrolment"]
    (result,) = results("send_enrolment")
    assert result.status == "READY"
    assert len(result.worker_ids) == 1
    delay = datetime.timedelta(minutes=1)
    assert before + delay <= result.run_after <= timezone.now() + delay
    assert mail.outbox == []

    assert run_worker() == []  # not before its time
    wait_out_the_delay()
    assert run_worker() == ["send_enrolment"]  # the server is back
    result.refresh_from_db()
    assert (result.status, len(result.worker_ids)) == ("SUCCESSFUL", 2)
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    wait_out_the_delay()
    assert run_worker() == []
    assert len(mail.outbox) == 1
    assert results("send_enrolment") == [result]
    assert result.args_kwargs["args"][0] == enrolment.pk
    assert EMAIL not in json.dumps(result.args_kwargs)  # ids only


def test_a_reminder_not_sent_is_claimed_again_by_its_retry(nb, committed, tasks_in_database):
    enrolment = enrol(nb, committed)
    run_worker()  # the confirmation
    mail.outbox.clear()
    (reminder,) = results("send_reminder")
    DBTaskResult.objects.filter(pk=reminder.pk).update(run_after=timezone.now())
    with smtp(DownEmailBackend):
        run_worker()
    enrolment.refresh_from_db()
    assert enrolment.reminded_at is None
    wait_out_the_delay()
    run_worker()
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert Enrolment.objects.get(pk=enrolment.pk).reminded_at is not None


@override_settings(EMAIL_RETRY_DELAYS=[1, 5])
def test_after_the_last_attempt_the_report_shows_the_email_as_failed(
    client, admin_user, guidance_request, tasks_in_database
):
    guidance_tasks.send_receipt.enqueue(guidance_request.pk)
    client.force_login(admin_user)
    with smtp(DownEmailBackend):
        run_worker()
        (result,) = results("send_receipt")
        response = client.get(REPORT)
        assert response.status_code == 200
        row = response.text.split("send_receipt")[1].split("</tr>")[0]
        assert "1 av 3" in row
        waiting = timezone.localtime(result.run_after).strftime("%H:%M")
        assert waiting in row  # the next attempt
        assert "Prøver på nytt" in response.text

        for _later_attempt in range(2):
            wait_out_the_delay()
            assert run_worker() == ["send_receipt"]
    result.refresh_from_db()
    assert (result.status, len(result.worker_ids)) == ("FAILED", 3)
    wait_out_the_delay()
    assert run_worker() == []  # no fourth attempt
    assert mail.outbox == []

    response = client.get(REPORT)
    row = response.text.split("<tbody>")[1].split("</tr>")[0]
    assert "Feilet" in row
    assert "send_receipt" in row
    assert f">{guidance_request.pk}<" in row.replace(" ", "").replace("\n", "")
    assert "3 av 3" in row
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in row
    assert NAME not in response.text and EMAIL not in response.text


def test_an_address_refused_for_good_is_not_tried_again_and_not_shown(
    client, admin_user, guidance_request, tasks_in_database
):
    guidance_tasks.send_receipt.enqueue(guidance_request.pk)
    with smtp(RefusingEmailBackend):
        run_worker()
    (result,) = results("send_receipt")
    assert (result.status, len(result.worker_ids)) == ("FAILED", 1)
    client.force_login(admin_user)
    response = client.get(REPORT)
    assert "SMTPRecipientsRefused: 550 5.1.1 &lt;…&gt;: Recipient address rejected" in (
        response.text
    )
    assert EMAIL not in response.text
    assert "lekkasje" not in response.text


def test_a_retry_tells_only_the_staff_who_did_not_get_the_notification(
    guidance_request, django_user_model, tasks_in_database
):
    group = CentreAccess.group_of(guidance_request.centre)
    for username in ("kari", "ola"):
        group.user_set.add(
            django_user_model.objects.create_user(username, f"{username}@example.no", "pw")
        )
    staff = sorted(user.email for user in group.user_set.exclude(email=""))
    guidance_tasks.notify_centre.enqueue(guidance_request.pk)
    PartlyDownEmailBackend.DOWN_FOR = {"ola@example.no"}
    with smtp(PartlyDownEmailBackend):
        run_worker()
        assert sorted(m.to[0] for m in mail.outbox) == [e for e in staff if e != "ola@example.no"]
        PartlyDownEmailBackend.DOWN_FOR = set()
        mail.outbox.clear()
        wait_out_the_delay()
        run_worker()
    assert [m.to for m in mail.outbox] == [["ola@example.no"]]


def test_where_tasks_run_at_once_a_failure_is_not_tried_again(guidance_request, caplog):
    with smtp(DownEmailBackend):
        result = guidance_tasks.send_receipt.enqueue(guidance_request.pk)
    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "portal.mail.EmailDeferred"
    assert "Task id=" in caplog.text  # django-tasks logs it
    assert not DBTaskResult.objects.exists()


def test_staff_without_the_permission_do_not_get_the_report(client, django_user_model):
    user = django_user_model.objects.create_user("redaktor", "r@example.no", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    response = client.get(REPORT)
    assert response.status_code == 302
    assert "/reports/unsent-email/" not in client.get("/admin/").text

    operations = Group.objects.create(name="Drift")
    operations.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(codename="view_dbtaskresult"),
    )
    user.groups.add(operations)
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert client.get(REPORT).status_code == 200
    assert "/reports/unsent-email/" in client.get("/admin/").text
