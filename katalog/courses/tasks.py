"""Email to participants, sent by the django-tasks worker after the commit."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .models import CoursePage, Enrolment, EnrolmentState


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
