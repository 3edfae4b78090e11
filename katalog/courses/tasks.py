"""Email about enrolments, sent by the django-tasks worker after the commit (or at its time).

Each goes to the address on record only, in the participant's written standard. A task that
finds the enrolment no longer in the state it was written for sends nothing. Each task sends
one email, so that a retry after an outage of the mail server (portal.mail) sends nothing twice.
"""

import datetime
from urllib.parse import urlsplit

from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.mail import email_task

from . import ical, links
from .models import CoursePage, Enrolment, EnrolmentState

SEATED = (EnrolmentState.CONFIRMED, EnrolmentState.AWAITING_APPROVAL)


def _course_in_language(enrolment):
    """The course in the participant's standard, where it is translated."""
    page = enrolment.session.page
    return (
        CoursePage.objects.filter(
            translation_key=page.translation_key, locale__language_code=enrolment.language
        )
        .select_related("provider")
        .first()
        or page
    )


def _link(course, route, enrolment, purpose):
    return course.get_full_url() + course.reverse_subpage(
        route, args=(links.token(enrolment, purpose),)
    )


def _send(enrolment, template, to, calendar=False, **context):
    """Render `courses/email/<template>.txt` (and its `_subject.txt`) in the participant's
    standard, with the enrolment, its session and course, and the participant's link."""
    session = enrolment.session
    course = _course_in_language(enrolment)
    session.course = course
    manage_url = _link(course, "enrolment_manage", enrolment, links.MANAGE)
    with translation.override(enrolment.language):
        context |= {
            "enrolment": enrolment,
            "session": session,
            "course": course,
            "manage_url": manage_url,
        }
        subject = render_to_string(f"courses/email/{template}_subject.txt", context)
        body = render_to_string(f"courses/email/{template}.txt", context)
        host = urlsplit(manage_url).netloc
        attachment = calendar and ical.calendar([session], host, course.title)
    message = EmailMessage(" ".join(subject.split()), body, None, [to])
    if attachment:
        message.attach("kurs.ics", attachment, "text/calendar")
    return message.send()


def _enrolment(enrolment_id):
    return (
        Enrolment.objects.select_related("session__page__provider", "session__municipality")
        .filter(pk=enrolment_id, anonymised_at__isnull=True)
        .first()
    )


@email_task
def send_enrolment(enrolment_id, position=None):
    """The participant's confirmation, waiting-list place or wait for approval: the details,
    the session as an iCalendar attachment and the one signed link to their enrolment.
    `position` is the place on the waiting list, which the services count when they enqueue."""
    enrolment = _enrolment(enrolment_id)
    if enrolment is None or enrolment.state == EnrolmentState.CANCELLED:
        return 0
    waiting = enrolment.state == EnrolmentState.WAITING
    return _send(
        enrolment, "enrolment", enrolment.email, calendar=True, position=waiting and position
    )


@email_task
def send_promotion(enrolment_id):
    """Tell someone from the waiting list that they have a seat, or that it waits for their
    manager's approval."""
    enrolment = _enrolment(enrolment_id)
    if enrolment is None or enrolment.state not in SEATED:
        return 0
    return _send(enrolment, "enrolment_promoted", enrolment.email, calendar=True)


@email_task
def send_approval_request(enrolment_id):
    """Ask the line manager, with the signed link to approve or decline."""
    enrolment = _enrolment(enrolment_id)
    if enrolment is None or enrolment.state != EnrolmentState.AWAITING_APPROVAL:
        return 0
    if not enrolment.manager_email:
        return 0
    course = _course_in_language(enrolment)
    approval_url = _link(course, "enrolment_approval", enrolment, links.APPROVAL)
    return _send(enrolment, "approval_request", enrolment.manager_email, approval_url=approval_url)


@email_task
def send_approval_decision(enrolment_id):
    """Tell the participant what their manager decided."""
    enrolment = _enrolment(enrolment_id)
    if enrolment is None:
        return 0
    if enrolment.state == EnrolmentState.CONFIRMED:
        return _send(enrolment, "approval_approved", enrolment.email, calendar=True)
    if enrolment.state == EnrolmentState.CANCELLED:
        return _send(enrolment, "approval_declined", enrolment.email)
    return 0


@email_task
def send_approval_expired(enrolment_id):
    """Tell the participant that the seat was released, undecided."""
    enrolment = _enrolment(enrolment_id)
    if enrolment is None or enrolment.state != EnrolmentState.CANCELLED:
        return 0
    return _send(enrolment, "approval_expired", enrolment.email)


@email_task
def send_session_cancelled(enrolment_id):
    enrolment = _enrolment(enrolment_id)
    if enrolment is None:
        return 0
    return _send(enrolment, "session_cancelled", enrolment.email)


def _claim(enrolment_id, due_field, sent_field, due, states):
    """Mark the scheduled email sent, once: False when it is not (or no longer) due at `due`,
    or was sent already (a retried or repeated task)."""
    return bool(
        Enrolment.objects.filter(
            Q(**{due_field: datetime.datetime.fromisoformat(due)}),
            pk=enrolment_id,
            state__in=states,
            anonymised_at__isnull=True,
            **{f"{sent_field}__isnull": True},
        ).update(**{sent_field: timezone.now()})
    )


def _send_claimed(enrolment_id, sent_field, template, **context):
    enrolment = _enrolment(enrolment_id)
    try:
        return _send(enrolment, template, enrolment.email, **context)
    except Exception:
        # Not sent: the retry may claim it again.
        Enrolment.objects.filter(pk=enrolment_id).update(**{sent_field: None})
        raise


@email_task
def send_reminder(enrolment_id, due):
    """The reminder some days before the start, to a participant with a seat; scheduled when
    the enrolment is made, for the moment stored in `reminder_due_at`."""
    if not _claim(enrolment_id, "reminder_due_at", "reminded_at", due, SEATED):
        return 0
    return _send_claimed(enrolment_id, "reminded_at", "reminder", calendar=True)


@email_task
def send_evaluation_request(enrolment_id, due):
    """The evaluation link after the session, to a participant who attended."""
    attended = (EnrolmentState.ATTENDED,)
    if not _claim(enrolment_id, "evaluation_due_at", "evaluation_requested_at", due, attended):
        return 0
    enrolment = _enrolment(enrolment_id)
    if hasattr(enrolment, "evaluation"):
        return 0
    course = _course_in_language(enrolment)
    evaluation_url = _link(course, "enrolment_evaluation", enrolment, links.EVALUATION)
    return _send_claimed(
        enrolment_id,
        "evaluation_requested_at",
        "evaluation_request",
        evaluation_url=evaluation_url,
    )
