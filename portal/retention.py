"""Which stores hold personal data, and how long: the rules `purge_personal_data` applies.

Every app registers the rules of its models with personal data from its own `retention` module
(imported by its AppConfig.ready); the framework's stores (sessions, task results) are ruled
here. A test fails when a model has a personal-data field but neither a rule nor a reason given
to `not_personal`. The worker runs the purge daily (portal.tasks).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

RULES = []

# Models with fields that look personal but are not a person's data, with the reason.
NOT_PERSONAL = {"portal.SiteSettings": "the organisation's public contact details"}


def not_personal(model, reason):
    NOT_PERSONAL[model] = reason


@dataclass
class RetentionRule:
    """Rows of `model` (an app label) that `due(now)` selects are made anonymous (or deleted)
    by `anonymise(queryset, now)`, which returns how many; `warn(now)`, if given, tells people
    ahead of time and returns how many rows it warned of."""

    model: str
    description: str
    due: Any
    anonymise: Any
    action: str = "anonymised"
    warn: Any = None


def register(rule):
    RULES.append(rule)
    return rule


def purge(now=None, progress=None):
    """Apply every rule; returns [(rule, rows anonymised or deleted, rows warned of)]."""
    now = now or timezone.now()
    results = []
    for rule in RULES:
        count = rule.anonymise(rule.due(now), now)
        warned = rule.warn(now) if rule.warn else 0
        results.append((rule, count, warned))
        if progress:
            progress(rule, count, warned)
    return results


def _delete(queryset, now):
    return queryset.delete()[0]


def register_framework_rules():
    """Django's sessions (what `clearsessions` removes) and django-tasks' results: a failed
    email's traceback and arguments can hold an address."""
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    register(
        RetentionRule(
            model="sessions.Session",
            description="expired sessions",
            due=lambda now: Session.objects.filter(expire_date__lt=now),
            anonymise=_delete,
            action="deleted",
        )
    )
    register(
        RetentionRule(
            model="django_tasks_db.DBTaskResult",
            description="finished background tasks, TASK_RESULT_RETENTION_DAYS after finishing",
            due=lambda now: DBTaskResult.objects.filter(
                finished_at__lt=now - datetime.timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
            ),
            anonymise=_delete,
            action="deleted",
        )
    )
