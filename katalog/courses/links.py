"""Signed links to an enrolment: no login, and each opens one enrolment for one purpose only.

A token is the enrolment's primary key signed with SECRET_KEY under a salt per purpose (the
participant's page, the line manager's approval, the evaluation), so it cannot be made for
another enrolment, the participant's link does not approve, and no other signed value of the
site is accepted as one. It is `<pk>-<signature>`: Wagtail's page URLs allow only word
characters and hyphens, and the first hyphen after the digits is the separator (the signature
may hold more).
"""

from django.core import signing

from .models import Enrolment

MANAGE, APPROVAL, EVALUATION = "manage", "approval", "evaluation"


def _signer(purpose):
    return signing.Signer(salt=f"katalog.courses.enrolment-{purpose}")


def token(enrolment, purpose=MANAGE):
    return _signer(purpose).sign(str(enrolment.pk)).replace(":", "-", 1)


def manage_token(enrolment):
    return token(enrolment, MANAGE)


def enrolment_for_token(value, purpose=MANAGE):
    """The enrolment the token was signed for, or None for a forged or damaged token."""
    pk, _sep, signature = value.partition("-")
    if not pk.isdigit() or not signature:
        return None
    try:
        pk = int(_signer(purpose).unsign(f"{pk}:{signature}"))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Enrolment.objects.select_related("session__municipality", "session__page")
        .filter(pk=pk, anonymised_at__isnull=True)
        .first()
    )
