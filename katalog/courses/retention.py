"""How long the courses room keeps personal data (see portal.retention)."""

from dateutil.relativedelta import relativedelta
from django.conf import settings

from portal.retention import RetentionRule, not_personal, register

from .models import Enrolment

not_personal("courses.CoursePage", "the course contact published on the course page")
not_personal("courses.Provider", "an organisation's name")
not_personal(
    "courses.Evaluation",
    "answers about the course, kept for the results report; the enrolment they belong to is "
    "anonymised, and the privacy notice asks for no personal details in them",
)


def _enrolments_due(now):
    cutoff = now - relativedelta(months=settings.ENROLMENT_RETENTION_MONTHS)
    return Enrolment.objects.filter(session__end__lt=cutoff, anonymised_at__isnull=True)


def _anonymise_enrolments(queryset, now):
    # Keep what counts and invoices need (session, state, employer, written standard, dates);
    # drop who the participant was and what they told us.
    return queryset.update(
        name="",
        email="",
        phone="",
        job_title="",
        manager_email="",
        special_needs="",
        anonymised_at=now,
    )


register(
    RetentionRule(
        model="courses.Enrolment",
        description="participants, ENROLMENT_RETENTION_MONTHS after their session ended",
        due=_enrolments_due,
        anonymise=_anonymise_enrolments,
    )
)
