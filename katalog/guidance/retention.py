"""How long the guidance door keeps personal data (see portal.retention)."""

import datetime

from django.conf import settings

from portal.retention import RetentionRule, not_personal, register

from . import tasks
from .models import GuidanceRequest

not_personal("guidance.CentrePage", "the centre's public contact details")


def _closed_guidance_requests_due(now):
    cutoff = now - datetime.timedelta(days=settings.GUIDANCE_REQUEST_RETENTION_DAYS)
    return GuidanceRequest.objects.filter(
        status=GuidanceRequest.Status.CLOSED,
        status_changed_at__lt=cutoff,
        anonymised_at__isnull=True,
    )


def _open_guidance_requests_due(now, days=0):
    """Requests nobody closed, GUIDANCE_REQUEST_OPEN_DAYS after their last status change (or
    `days` from now)."""
    cutoff = now - datetime.timedelta(days=settings.GUIDANCE_REQUEST_OPEN_DAYS - days)
    return GuidanceRequest.objects.exclude(status=GuidanceRequest.Status.CLOSED).filter(
        status_changed_at__lt=cutoff, anonymised_at__isnull=True
    )


def _warn_of_open_requests(now):
    """Tell each centre's staff, once, of its open requests that expire within the warning days."""
    soon = _open_guidance_requests_due(now, settings.GUIDANCE_REQUEST_EXPIRY_WARNING_DAYS)
    unwarned = soon.filter(expiry_warned_at__isnull=True)
    by_centre = {}
    for pk, centre_id in unwarned.values_list("pk", "centre_id"):
        by_centre.setdefault(centre_id, []).append(pk)
    for ids in by_centre.values():
        tasks.warn_of_expiry.enqueue(ids)
    return unwarned.update(expiry_warned_at=now)


def _anonymise_guidance_requests(queryset, now):
    # Keep what statistics need (centre, municipality, topic, dates); drop who and what was said.
    return queryset.update(
        status=GuidanceRequest.Status.CLOSED,
        name="",
        email="",
        phone="",
        message="",
        self_assessment="",
        internal_notes="",
        assigned_to=None,
        anonymised_at=now,
    )


register(
    RetentionRule(
        model="guidance.GuidanceRequest",
        description="closed guidance requests, GUIDANCE_REQUEST_RETENTION_DAYS after closing",
        due=_closed_guidance_requests_due,
        anonymise=_anonymise_guidance_requests,
    )
)
register(
    RetentionRule(
        model="guidance.GuidanceRequest",
        description="requests nobody closed, GUIDANCE_REQUEST_OPEN_DAYS after their last change",
        due=_open_guidance_requests_due,
        anonymise=_anonymise_guidance_requests,
        warn=_warn_of_open_requests,
    )
)
