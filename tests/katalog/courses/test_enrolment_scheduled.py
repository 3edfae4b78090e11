"""The scheduled email of an enrolment: the reminder before the start and the evaluation request
after the end are queued with their moments when the enrolment is made (as the database backend
of production queues them), and each task sends its email once, and only while it is still due."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from katalog.courses import services, tasks
from katalog.courses.models import CourseIndexPage, Enrolment
from tests.factories import CoursePageFactory, CourseSessionFactory

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EVALUATION_LINK = re.compile(r"https?://[^/\s]+(/\S+/pamelding/evaluering/[\w-]+/)")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service call as a committed transaction: its emails and tasks follow."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def course_session(locale, approval=False, **fields):
    page = CoursePageFactory(
        parent=CourseIndexPage.objects.get(locale=locale),
        locale=locale,
        audiences=["leiarar"],
        manager_approval_required=approval,
    )
    return CourseSessionFactory(page=page, **fields)


def enrol(session, n=1, language="nb", now=None):
    return services.enrol(
        session,
        now=now,
        name=f"Deltakar {n}",
        email=f"deltakar{n}@example.no",
        language=language,
        manager_email="leiar@example.no",
    )


def queued(task_name):
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(task_path=f"katalog.courses.{task_name}").order_by("run_after")
    )


def remind(enrolment, due):
    return tasks.send_reminder.call(enrolment.pk, due.isoformat())


def request_evaluation(enrolment, due):
    return tasks.send_evaluation_request.call(enrolment.pk, due.isoformat())


# Queued with their moments


def test_an_enrolment_queues_its_reminder_and_evaluation_request_at_their_moments(nb, committed):
    session = course_session(nb)
    with override_settings(TASKS=DATABASE_TASKS), committed():
        enrolment = enrol(session)
    reminder_at = session.start - datetime.timedelta(days=settings.ENROLMENT_REMINDER_DAYS)
    evaluation_at = session.end + datetime.timedelta(
        hours=settings.ENROLMENT_EVALUATION_DELAY_HOURS
    )
    (reminder,) = queued("tasks.send_reminder")
    assert reminder.run_after == reminder_at
    assert reminder.args_kwargs["args"] == [enrolment.pk, reminder_at.isoformat()]
    (evaluation,) = queued("tasks.send_evaluation_request")
    assert evaluation.run_after == evaluation_at
    assert evaluation.args_kwargs["args"] == [enrolment.pk, evaluation_at.isoformat()]
    assert mail.outbox == []  # nothing is sent before its time


def test_a_request_for_approval_queues_its_release_at_the_end_of_the_hold(nb, committed):
    session = course_session(nb, approval=True)
    with override_settings(TASKS=DATABASE_TASKS), committed():
        enrolment = enrol(session)
    hold = enrolment.approval_expires_at
    assert hold == enrolment.created_at + datetime.timedelta(
        days=settings.ENROLMENT_APPROVAL_HOLD_DAYS
    )
    (release,) = queued("services.release_expired_approval_task")
    assert release.run_after == hold
    assert release.args_kwargs["args"] == [enrolment.pk, hold.isoformat()]


def test_the_hold_never_runs_past_the_start(nb, committed):
    start = timezone.now() + datetime.timedelta(days=2)
    session = course_session(
        nb, approval=True, start=start, enrolment_deadline=start - datetime.timedelta(hours=1)
    )
    with override_settings(TASKS=DATABASE_TASKS), committed():
        enrolment = services.enrol(
            session,
            now=session.start - datetime.timedelta(days=8),
            name="A",
            email="a@example.no",
            language="nb",
        )
        late = enrol(session, 2)
    assert enrolment.approval_expires_at == session.start - datetime.timedelta(days=3)
    assert late.approval_expires_at == session.start
    # A start nearer than the reminder would be gets no reminder.
    assert [r.args_kwargs["args"][0] for r in queued("tasks.send_reminder")] == [enrolment.pk]


def test_moving_queues_the_reminder_for_the_new_session(nb, committed):
    session = course_session(nb)
    later = CourseSessionFactory(
        page=session.page, start=session.start + datetime.timedelta(days=10)
    )
    with override_settings(TASKS=DATABASE_TASKS), committed():
        enrolment = enrol(session)
        services.move(enrolment, later)
    due = later.start - datetime.timedelta(days=settings.ENROLMENT_REMINDER_DAYS)
    assert [r.run_after for r in queued("tasks.send_reminder")][-1] == due
    assert Enrolment.objects.get(pk=enrolment.pk).reminder_due_at == due


# The reminder


def test_the_reminder_goes_once_to_a_confirmed_participant(nb):
    session = course_session(nb)
    enrolment = enrol(session)
    assert remind(enrolment, enrolment.reminder_due_at) == 1
    (message,) = mail.outbox
    assert message.to == ["deltakar1@example.no"]
    assert message.subject == f"Påminnelse: {session.page.title}"
    assert "En påminnelse: Du har plass på" in message.body
    assert "/pamelding/endre/" in message.body
    assert message.attachments[0][2] == "text/calendar"
    assert remind(enrolment, enrolment.reminder_due_at) == 0  # a repeated task
    assert len(mail.outbox) == 1
    assert Enrolment.objects.get(pk=enrolment.pk).reminded_at is not None


def test_the_reminder_is_in_the_participants_standard(nb):
    session = course_session(nb)
    enrolment = enrol(session, language="nn")
    remind(enrolment, enrolment.reminder_due_at)
    (message,) = mail.outbox
    assert message.subject == f"Påminning: {session.page.title}"
    assert "Ei påminning: Du har plass på" in message.body


def test_no_reminder_for_a_cancelled_enrolment(nb):
    session = course_session(nb)
    enrolment = enrol(session)
    due = enrolment.reminder_due_at
    services.cancel(enrolment)
    assert remind(enrolment, due) == 0
    assert mail.outbox == []


def test_no_reminder_for_the_old_moment_of_a_moved_enrolment_but_one_for_the_new(nb, committed):
    session = course_session(nb)
    later = CourseSessionFactory(
        page=session.page, start=session.start + datetime.timedelta(days=10)
    )
    enrolment = enrol(session)
    old = enrolment.reminder_due_at
    services.move(enrolment, later)
    assert remind(enrolment, old) == 0
    assert mail.outbox == []
    new = Enrolment.objects.get(pk=enrolment.pk).reminder_due_at
    assert new != old
    assert remind(enrolment, new) == 1


def test_a_participant_on_the_waiting_list_gets_no_reminder(nb):
    session = course_session(nb, capacity=1)
    enrol(session, 1)
    waiting = enrol(session, 2)
    assert remind(waiting, waiting.reminder_due_at) == 0
    assert mail.outbox == []


# The evaluation request


def test_the_evaluation_request_goes_once_and_only_to_someone_who_attended(client, nb):
    session = course_session(nb)
    attended, absent, unmarked = enrol(session, 1), enrol(session, 2), enrol(session, 3)
    services.mark_attendance(attended, True)
    services.mark_attendance(absent, False)
    for enrolment in (absent, unmarked):
        assert request_evaluation(enrolment, enrolment.evaluation_due_at) == 0
    assert mail.outbox == []

    assert request_evaluation(attended, attended.evaluation_due_at) == 1
    (message,) = mail.outbox
    assert message.to == ["deltakar1@example.no"]
    assert message.subject == f"Hva syntes du om {session.page.title}?"
    assert "Ikke skriv navn eller andre personopplysninger i svarene dine." in message.body
    assert request_evaluation(attended, attended.evaluation_due_at) == 0
    assert len(mail.outbox) == 1

    response = client.get(EVALUATION_LINK.search(message.body)[1])
    assert response.status_code == 200
    assert "<legend" in response.text and "Hvor nyttig var kurset for deg?" in response.text
    assert "Send svaret" in response.text


def test_no_evaluation_request_for_a_cancelled_enrolment(nb):
    session = course_session(nb)
    enrolment = enrol(session)
    due = enrolment.evaluation_due_at
    services.cancel(enrolment)
    assert request_evaluation(enrolment, due) == 0
    assert mail.outbox == []


def test_someone_marked_attended_after_the_due_moment_gets_the_request_at_once(
    client, nb, committed
):
    start = timezone.now() - datetime.timedelta(days=3)
    session = course_session(nb, start=start)
    # Enrolled before the deadline, a week before the start.
    enrolment = enrol(session, now=start - datetime.timedelta(days=8))
    assert enrolment.evaluation_due_at < timezone.now()
    with committed():
        services.mark_attendance(enrolment, True)
    (message,) = mail.outbox
    assert message.to == ["deltakar1@example.no"]
    path = EVALUATION_LINK.search(message.body)[1]
    assert client.get(path).status_code == 200
    # The scheduled task, running late, finds it sent.
    assert request_evaluation(enrolment, enrolment.evaluation_due_at) == 0
    assert len(mail.outbox) == 1
