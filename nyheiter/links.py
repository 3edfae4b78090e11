"""Signed links of the newsletter: no login, and each opens one subscriber for one purpose only.

A token is the subscriber's primary key signed with SECRET_KEY under a salt per purpose, so the
unsubscribe link does not confirm, and no other signed value of the site (an enrolment's link)
is accepted as one. The confirmation link carries its time and lasts as long as an unconfirmed
address is kept (NEWSLETTER_PENDING_DAYS); the unsubscribe link lasts. It is
`<pk>-<rest of the signature>`: Wagtail's page URLs allow only word characters and hyphens.
"""

import datetime

from django.conf import settings
from django.core import signing

from .models import Subscriber

CONFIRM, UNSUBSCRIBE = "confirm", "unsubscribe"


def pending_days():
    return settings.NEWSLETTER_PENDING_DAYS


def _signer(purpose):
    salt = f"nyheiter.newsletter-{purpose}"
    return signing.TimestampSigner(salt=salt) if purpose == CONFIRM else signing.Signer(salt=salt)


def token(subscriber, purpose):
    return _signer(purpose).sign(str(subscriber.pk)).replace(":", "-")


def subscriber_for_token(value, purpose):
    """The subscriber the token was signed for, or None for a forged, damaged or expired one."""
    parts = value.split("-", 2 if purpose == CONFIRM else 1)
    if not parts[0].isdigit() or len(parts) != (3 if purpose == CONFIRM else 2):
        return None
    signed = ":".join(parts)
    try:
        if purpose == CONFIRM:
            pk = _signer(purpose).unsign(signed, max_age=datetime.timedelta(days=pending_days()))
        else:
            pk = _signer(purpose).unsign(signed)
        pk = int(pk)
    except (signing.BadSignature, ValueError):
        return None
    return Subscriber.objects.filter(pk=pk).first()
