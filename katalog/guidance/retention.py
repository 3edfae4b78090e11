"""How long the guidance door keeps personal data (see portal.retention)."""

import datetime

from django.conf import settings

from portal.retention import RetentionRule, not_personal, register

from .models import GuidanceRequest

not_personal("guidance.CentrePage", "the centre's public contact details")


def _closed_guidance_requests_due(now):
    cutoff = now - datetime.timedelta(days=settings.GUIDANCE_REQUEST_RETENTION_DAYS)
    return GuidanceRequest.objects.filter(
        status=GuidanceRequest.Status.CLOSED,
        status_changed_at__lt=cutoff,
        anonymised_at__isnull=True,
    )


def _anonymise_guidance_requests(queryset, now):
    # Keep what statistics need (centre, municipality, topic, dates); drop who and what was said.
    return queryset.update(
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
