"""The participant's signed link to their enrolment: no login, and it opens that enrolment only.

The token is the enrolment's primary key signed with SECRET_KEY under a salt of its own, so it
cannot be made for another enrolment, nor is another signed value of the site accepted as one.
It is `<pk>-<signature>`: Wagtail's page URLs allow only word characters and hyphens, and the
first hyphen after the digits is the separator (the signature may hold more).
"""

from django.core import signing

from .models import Enrolment

SALT = "katalog.courses.enrolment-manage"


def _signer():
    return signing.Signer(salt=SALT)


def manage_token(enrolment):
    return _signer().sign(str(enrolment.pk)).replace(":", "-", 1)


def enrolment_for_token(token):
    """The enrolment the token was signed for, or None for a forged or damaged token."""
    pk, _sep, signature = token.partition("-")
    if not pk.isdigit() or not signature:
        return None
    try:
        pk = int(_signer().unsign(f"{pk}:{signature}"))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Enrolment.objects.select_related("session__municipality", "session__page")
        .filter(pk=pk, anonymised_at__isnull=True)
        .first()
    )
