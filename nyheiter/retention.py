"""How long the newsletter keeps addresses (see portal.retention)."""

import datetime

from django.conf import settings

from portal.retention import RetentionRule, register

from . import links
from .models import Subscriber


def _pending_due(now):
    cutoff = now - datetime.timedelta(days=links.pending_days())
    return Subscriber.objects.filter(state=Subscriber.State.PENDING, created_at__lt=cutoff)


def _delete(queryset, now):
    return queryset.delete()[0]


def _unsubscribed_due(now):
    days = settings.NEWSLETTER_UNSUBSCRIBED_DAYS
    return Subscriber.objects.filter(
        state=Subscriber.State.UNSUBSCRIBED,
        unsubscribed_at__lte=now - datetime.timedelta(days=days),
        anonymised_at__isnull=True,
    )


def _anonymise(queryset, now):
    # The dates and the standard stay for counts; the address goes.
    return queryset.update(email="", anonymised_at=now)


register(
    RetentionRule(
        model="nyheiter.Subscriber",
        description="unconfirmed newsletter addresses, NEWSLETTER_PENDING_DAYS after subscribing",
        due=_pending_due,
        anonymise=_delete,
        action="deleted",
    )
)
register(
    RetentionRule(
        model="nyheiter.Subscriber",
        description="unsubscribed newsletter addresses, at the first purge after unsubscribing",
        due=_unsubscribed_due,
        anonymise=_anonymise,
    )
)
