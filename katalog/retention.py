"""Which models hold personal data, and how long: the rules `purge_personal_data` applies.

Every model with personal data registers a rule here (enrolments will too). A test fails when a
model has a personal-data field but neither a rule nor a reason in NOT_PERSONAL.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

RULES = []

# Models with fields that look personal but are not a person's data, with the reason.
NOT_PERSONAL = {
    "katalog.CentrePage": "the centre's public contact details",
    "katalog.CoursePage": "the course contact published on the course page",
    "portal.SiteSettings": "the organisation's public contact details",
}


@dataclass
class RetentionRule:
    """Rows of `model` (an app label) that `due(now)` selects are made anonymous by
    `anonymise(queryset, now)`."""

    model: str
    description: str
    due: Any
    anonymise: Any


def register(rule):
    RULES.append(rule)
    return rule


def _closed_guidance_requests_due(now):
    from .models import GuidanceRequest

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
        model="katalog.GuidanceRequest",
        description="closed guidance requests, GUIDANCE_REQUEST_RETENTION_DAYS after closing",
        due=_closed_guidance_requests_due,
        anonymise=_anonymise_guidance_requests,
    )
)


def purge(now=None, progress=None):
    """Apply every rule; returns [(rule, rows anonymised)]."""
    now = now or timezone.now()
    results = []
    for rule in RULES:
        count = rule.anonymise(rule.due(now), now)
        results.append((rule, count))
        if progress:
            progress(rule, count)
    return results
