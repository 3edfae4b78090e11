"""Signed links of the newsletter (portal.signed_links), one salt per purpose, so the
unsubscribe link does not confirm. The confirmation link lasts as long as an unconfirmed address
is kept (NEWSLETTER_PENDING_DAYS); the unsubscribe link lasts.
"""

import datetime

from django.conf import settings

from portal import signed_links

from .models import Subscriber

CONFIRM, UNSUBSCRIBE = "confirm", "unsubscribe"


def pending_days():
    return settings.NEWSLETTER_PENDING_DAYS


def _salt(purpose):
    return f"nyheiter.newsletter-{purpose}"


def token(subscriber, purpose):
    return signed_links.make(subscriber.pk, _salt(purpose), expires=purpose == CONFIRM)


def subscriber_for_token(value, purpose):
    """The subscriber the token was signed for, or None for a forged, damaged or expired one."""
    max_age = datetime.timedelta(days=pending_days()) if purpose == CONFIRM else None
    pk = signed_links.read(value, _salt(purpose), max_age=max_age)
    return None if pk is None else Subscriber.objects.filter(pk=pk).first()
