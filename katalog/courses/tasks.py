"""Email to participants, sent by the django-tasks worker after the commit."""

from urllib.parse import urlsplit

from django.core.mail import EmailMessage, send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from . import ical, links
from .models import CoursePage, Enrolment, EnrolmentState


def _course_in_language(enrolment):
    """The course in the participant's standard, where it is translated."""
    page = enrolment.session.page
    return (
        CoursePage.objects.filter(
            translation_key=page.translation_key, locale__language_code=enrolment.language
        ).first()
        or page
    )


@task()
def send_enrolment(enrolment_id, position=None):
    """The participant's confirmation (or waiting-list place), in their written standard: the
    details, the session as an iCalendar attachment and the one signed link to their enrolment.
    Goes to the address on record only. `position` is the place on the waiting list, which
    the services count when they enqueue it."""
    enrolment = Enrolment.objects.select_related("session__page", "session__municipality").get(
        pk=enrolment_id
    )
    if enrolment.state == EnrolmentState.CANCELLED or not enrolment.email:
        return 0
    session = enrolment.session
    course = _course_in_language(enrolment)
    session.course = course
    manage_url = course.get_full_url() + course.reverse_subpage(
        "enrolment_manage", args=(links.manage_token(enrolment),)
    )
    with translation.override(enrolment.language):
        context = {
            "enrolment": enrolment,
            "session": session,
            "course": course,
            "position": position if enrolment.state == EnrolmentState.WAITING else None,
            "manage_url": manage_url,
        }
        subject = render_to_string("courses/email/enrolment_subject.txt", context)
        body = render_to_string("courses/email/enrolment.txt", context)
        calendar = ical.calendar([session], urlsplit(manage_url).netloc, course.title)
    message = EmailMessage(subject.strip(), body, None, [enrolment.email])
    message.attach("kurs.ics", calendar, "text/calendar")
    return message.send()


@task()
def send_promotion(enrolment_id):
    """Tell someone from the waiting list that they have a seat, in their written standard."""
    enrolment = Enrolment.objects.select_related("session__page").get(pk=enrolment_id)
    if enrolment.state != EnrolmentState.CONFIRMED or not enrolment.email:
        return 0
    session = enrolment.session
    # The course in the participant's standard, where it is translated.
    course = (
        CoursePage.objects.filter(
            translation_key=session.page.translation_key,
            locale__language_code=enrolment.language,
        ).first()
        or session.page
    )
    with translation.override(enrolment.language):
        context = {"enrolment": enrolment, "session": session, "course": course}
        subject = render_to_string("courses/email/enrolment_promoted_subject.txt", context)
        body = render_to_string("courses/email/enrolment_promoted.txt", context)
    return send_mail(subject.strip(), body, None, [enrolment.email])
