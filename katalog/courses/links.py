"""Signed links to an enrolment (portal.signed_links), one salt per purpose: the participant's
page, the line manager's approval, the evaluation, so the participant's link does not approve."""

from portal import signed_links

from .models import Enrolment

MANAGE, APPROVAL, EVALUATION = "manage", "approval", "evaluation"


def _salt(purpose):
    return f"katalog.courses.enrolment-{purpose}"


def token(enrolment, purpose=MANAGE):
    return signed_links.make(enrolment.pk, _salt(purpose))


def manage_token(enrolment):
    return token(enrolment, MANAGE)


def enrolment_for_token(value, purpose=MANAGE):
    """The enrolment the token was signed for, or None for a forged or damaged token."""
    pk = signed_links.read(value, _salt(purpose))
    if pk is None:
        return None
    return (
        Enrolment.objects.select_related("session__municipality", "session__page")
        .filter(pk=pk, anonymised_at__isnull=True)
        .first()
    )
